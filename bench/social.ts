// Social layer benchmark (issue 18). Four figures, each beside a baseline measured in the same run:
//  1. whisper round trip in one process, real sockets: a player whispers to another on the same game server and
//     waits for its own copy (sent once the target's SocialService delivered it); baseline: the same player's
//     radial chat round trip (say, then its own MSG_RADIALCHAT back from the zone).
//  2. whisper round trip across processes: three cluster nodes over the local NATS (login with the directory,
//     game1 with the whisperer, game2 with the target); baseline: a bare remote ask game1 -> login -> game1.
//  3. presence fan-out: a player on game1 with 100 friends online on game1 and game2 comes online; time until all
//     100 are told; baseline: one relay on the login node telling the same 100 actors (same hops, no directory).
//  4. group chat p99 with 250 groups of four (members spread over game1 and game2) all chatting; baseline: the same
//     fan-out through a bare relay.
// The cluster nodes are ActorSystems of this one OS process that talk only through NATS (the cluster codec and
// batching, the NATS server's round trip): the figures include that path but share this process's CPU.
//
//   npm run bench:social [-- --whispers 400 --rounds 40 --chat-rounds 20]   (NATS at IMLIGHT_NATS_URL)
// The last line printed is one JSON object.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KiClient } from '../src/net/index.js';
import { GAME } from '../src/protocol/index.js';
import { ActorSystem, silentLogger, type ActorRef } from '../src/runtime/index.js';
import { startGameServer } from '../src/servers/game/index.js';
import { resolveSocialSettings, socialDirectoryProps, type DirectoryMessage, type SocialEvent } from '../src/servers/social/index.js';
import { openStore, type Store } from '../src/store/index.js';
import { joinNode, percentile, round, spawnInbox, spawnRelay, spawnSink, waitForMembers, type Node, type Observer } from './social-nodes.js';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}
const WHISPERS = arg('whispers', 400);
const ROUNDS = arg('rounds', 40);
const CHAT_ROUNDS = arg('chat-rounds', 20);
const settings = resolveSocialSettings({ maxSocialActionsPer10s: 1_000_000_000 });

// ---- 1. one process, real sockets ----------------------------------------------------------------------------------

async function attachPlayer(store: Store, port: number, name: string): Promise<{ client: KiClient; characterId: bigint }> {
  const account = await store.accounts.create({ username: `${name}-${randomBytes(3).toString('hex')}`, password: 'bench password' });
  const character = await store.characters.create({ accountId: account.id, name });
  const key = randomBytes(16).toString('hex');
  await store.loginKeys.create({ key, accountId: account.id, characterId: character.id, server: 'Bench', expiresAt: new Date(Date.now() + 60_000) });
  const client = await KiClient.connect({ port, keepAliveMs: 0 });
  client.send(GAME.MSG_ATTACH, {
    GameObjectID: 0n, LoginKey: key, UserID: account.id, CharID: character.id, ZoneName: '', Location: '', TargetPlayerID: 0n, ZoneID: 0n,
    Slot: 0, SessionID: 0n, SessionSlot: 0, PassKey: '', Reattach: 0, Retry: 0, Locale: 'English', MachineID: 0n,
  });
  await client.next(GAME.MSG_LOGINCOMPLETE, 10_000);
  return { client, characterId: character.id };
}

async function oneProcess(): Promise<{ whisper: number[]; radial: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'imlight-bench-social-'));
  const store = await openStore({ databaseUrl: null, sqlitePath: join(dir, 'bench.db'), sqliteSynchronous: 'normal' });
  const system = ActorSystem.create('bench', { logger: silentLogger });
  try {
    const directory = system.spawn(socialDirectoryProps({ settings }), 'social');
    const game = await startGameServer(system, {
      name: 'Bench', store, host: '127.0.0.1', port: 0, pool: null, social: { directory, settings }, settings: { chatRatePer10s: 1_000_000_000 },
    });
    const a = await attachPlayer(store, game.port, 'Whisperer');
    const b = await attachPlayer(store, game.port, 'Listener');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const whisper: number[] = [];
    const radial: number[] = [];
    for (let i = 0; i < WHISPERS + 50; i++) {
      let started = performance.now();
      a.client.send(GAME.MSG_REQUESTDIRECTEDCHAT, { Message: `w${i}`, TargetID: b.characterId });
      await b.client.next(GAME.MSG_DIRECTEDCHAT, 5000);
      await a.client.next(GAME.MSG_DIRECTEDCHAT, 5000);
      if (i >= 50) whisper.push(performance.now() - started);
      started = performance.now();
      a.client.send(GAME.MSG_REQUESTRADIALCHAT, { Message: `r${i}` });
      await a.client.next(GAME.MSG_RADIALCHAT, 5000);
      await b.client.next(GAME.MSG_RADIALCHAT, 5000);
      if (i >= 50) radial.push(performance.now() - started);
    }
    a.client.destroy();
    b.client.destroy();
    await game.shutdown();
    return { whisper, radial };
  } finally {
    await system.terminate();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- 2-4. three cluster nodes over NATS --------------------------------------------------------------------------

interface Waiter {
  remaining: number;
  resolve: () => void;
}

async function overNats(): Promise<Record<'crossProcessWhisperP50Ms' | 'crossProcessWhisperP99Ms' | 'bareRemoteAskP50Ms' | 'bareRemoteAskP99Ms' | 'presenceFanoutMs' | 'presenceFanoutP99Ms' | 'bareFanoutMs' | 'groupChatP99Ms' | 'groupChatP50Ms' | 'groupChatRoundP50Ms' | 'bareRoundP50Ms', number>> {
  const clusterName = `bench-social-${randomBytes(4).toString('hex')}`;
  const login = await joinNode('login', clusterName);
  const game1 = await joinNode('game1', clusterName);
  const game2 = await joinNode('game2', clusterName);
  const nodes: Node[] = [login, game1, game2];
  try {
    await waitForMembers(nodes);
    login.system.spawn(socialDirectoryProps({ settings }), 'social');
    const directoryOn = (node: Node): ActorRef<DirectoryMessage> => node.cluster!.refOn('login', '/user/social');
    let waiter: Waiter | undefined;
    let chatObserver: Observer | undefined;
    const observe: Observer = (inbox, event) => {
      if (event.type === 'social.group-chat-in' && chatObserver !== undefined) return chatObserver(inbox, event);
      if (waiter !== undefined && --waiter.remaining === 0) waiter.resolve();
    };
    const until = (count: number): Promise<void> => new Promise((resolve) => { waiter = { remaining: count, resolve }; });
    let nextId = 1000n;
    const online = (node: Node, name: string, friendIds: bigint[] = []): { id: bigint; inbox: ActorRef<SocialEvent> } => {
      const id = nextId++;
      const directory = directoryOn(node);
      const inbox = spawnInbox(node, name, id, directory, observe);
      directory.tell({ type: 'social.online', presence: { characterId: id, name, server: node.system.name, zone: 'Start', realm: 'Bench', level: 1, school: 0, inbox }, friendIds });
      return { id, inbox };
    };

    // 2. whisper round trip game1 -> login -> game2 -> game1, and the bare remote ask.
    const sender = online(game1, 'sender');
    const target = online(game2, 'target');
    spawnRelay(login, 'relay');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const crossWhisper: number[] = [];
    const bareAsk: number[] = [];
    const remoteRelay = game1.cluster!.refOn('login', '/user/relay');
    for (let i = 0; i < WHISPERS + 50; i++) {
      let started = performance.now();
      const done = until(1);
      directoryOn(game1).tell({
        type: 'social.route', targetId: target.id, failTo: sender.inbox, failEvent: { type: 'social.whisper-failed' },
        event: { type: 'social.whisper-in', kind: 'text', fromId: sender.id, fromName: 'sender', fromInbox: sender.inbox, text: Buffer.from(`w${i}`), phraseId: 0, byName: false },
      });
      await done;
      if (i >= 50) crossWhisper.push(performance.now() - started);
      started = performance.now();
      await remoteRelay.ask((replyTo) => ({ type: 'echo', replyTo }), 5000);
      if (i >= 50) bareAsk.push(performance.now() - started);
    }

    // 3. presence fan-out to 100 friends online on two nodes.
    const friends = Array.from({ length: 100 }, (_, i) => online(i % 2 === 0 ? game1 : game2, `friend${i}`));
    const star = nextId++;
    // The friends' own entries name the star, so its status reaches them.
    for (const f of friends) directoryOn(game1).tell({ type: 'social.friends-changed', a: f.id, b: star, friends: true });
    const starInbox = spawnInbox(game1, 'star', star, directoryOn(game1), () => {});
    await new Promise((resolve) => setTimeout(resolve, 300));
    const fanout: number[] = [];
    const bareFanout: number[] = [];
    let hits: Waiter | undefined;
    const sinks = friends.map((_, i) => spawnSink(i % 2 === 0 ? game1 : game2, `sink${i}`, () => {
      if (hits !== undefined && --hits.remaining === 0) hits.resolve();
    }));
    const sinkRefs = sinks.map((s, i) => (i % 2 === 0 ? login.cluster!.refOn('game1', `/user/${s.path.split('/user/')[1]}`) : login.cluster!.refOn('game2', `/user/${s.path.split('/user/')[1]}`)));
    for (let r = 0; r < ROUNDS + 5; r++) {
      let started = performance.now();
      let done = until(100);
      directoryOn(game1).tell({ type: 'social.online', presence: { characterId: star, name: 'star', server: 'game1', zone: 'Start', realm: 'Bench', level: 1, school: 0, inbox: starInbox }, friendIds: friends.map((f) => f.id) });
      await done;
      if (r >= 5) fanout.push(performance.now() - started);
      done = until(100);
      directoryOn(game1).tell({ type: 'social.offline', characterId: star, inbox: starInbox });
      await done;
      started = performance.now();
      const bare = new Promise<void>((resolve) => { hits = { remaining: 100, resolve }; });
      remoteRelay.tell({ type: 'fan', targets: sinkRefs, stamp: 0 });
      await bare;
      if (r >= 5) bareFanout.push(performance.now() - started);
    }

    // 4. 250 groups of four, members alternating between game1 and game2, all chatting at once.
    const groups: { leader: { id: bigint; inbox: ActorRef<SocialEvent> }; node: Node; channelId: bigint; members: ActorRef[] }[] = [];
    const everyone = Array.from({ length: 250 }, (_, g) =>
      [0, 1, 2, 3].map((m) => ({ node: (g + m) % 2 === 0 ? game1 : game2, ...online((g + m) % 2 === 0 ? game1 : game2, `g${g}m${m}`) })));
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const members of everyone) {
      const leader = members[0]!;
      // Three invitation results to the leader, and a group state to every member at each of the three joins.
      const joined = until(3 + 2 + 3 + 4);
      for (const m of members.slice(1)) directoryOn(leader.node).tell({ type: 'social.group-invite', inviterId: leader.id, inviterInbox: leader.inbox, targetId: m.id });
      await joined;
      groups.push({ leader, node: leader.node, channelId: 0n, members: members.map((m) => m.inbox) });
    }
    // The channel of each group, from its view.
    for (const group of groups) {
      const reply = await directoryOn(group.node).ask<{ group?: { channelId: bigint } }>((replyTo) => ({ type: 'social.group-of', characterId: group.leader.id, replyTo }), 5000);
      group.channelId = reply.group!.channelId;
    }
    // Per message: from the send to its fourth delivery (every member, the sender included). Per round: all 250.
    const groupChat: number[] = [];
    const groupRounds: number[] = [];
    const bareRounds: number[] = [];
    for (let r = 0; r < CHAT_ROUNDS + 3; r++) {
      const roundStart = performance.now();
      const delivered = new Array<number>(groups.length).fill(0);
      const samples: number[] = [];
      const all = new Promise<void>((resolve) => {
        let left = groups.length * 4;
        chatObserver = (inbox) => {
          const g = Number(/^g(\d+)m/.exec(inbox)?.[1] ?? -1);
          if (g < 0) return;
          if (++delivered[g]! === 4) samples.push(performance.now() - roundStart);
          if (--left === 0) resolve();
        };
      });
      for (const g of groups) directoryOn(g.node).tell({ type: 'social.group-chat', characterId: g.leader.id, channelId: g.channelId, text: Buffer.from(`round ${r}`) });
      await all;
      chatObserver = undefined;
      if (r >= 3) {
        groupChat.push(...samples);
        groupRounds.push(performance.now() - roundStart);
      }
      const bareStart = performance.now();
      const bare = new Promise<void>((resolve) => { hits = { remaining: 1000, resolve }; });
      // The baseline's 1000 deliveries go to the same 100 sinks ten times over (the same hops: game -> login -> game).
      for (let k = 0; k < 10; k++) remoteRelay.tell({ type: 'fan', targets: sinkRefs, stamp: 0 });
      await bare;
      if (r >= 3) bareRounds.push(performance.now() - bareStart);
    }

    const p = (xs: number[], q: number) => round(percentile(xs, q));
    return {
      crossProcessWhisperP50Ms: p(crossWhisper, 50), crossProcessWhisperP99Ms: p(crossWhisper, 99),
      bareRemoteAskP50Ms: p(bareAsk, 50), bareRemoteAskP99Ms: p(bareAsk, 99),
      presenceFanoutMs: p(fanout, 50), presenceFanoutP99Ms: p(fanout, 99), bareFanoutMs: p(bareFanout, 50),
      groupChatP99Ms: p(groupChat, 99), groupChatP50Ms: p(groupChat, 50), groupChatRoundP50Ms: p(groupRounds, 50), bareRoundP50Ms: p(bareRounds, 50),
    };
  } finally {
    for (const node of nodes) await node.system.terminate();
    for (const node of nodes) await node.cluster?.stop();
  }
}

const started = Date.now();
const local = await oneProcess();
const cluster = await overNats();
const p = (xs: number[], q: number) => round(percentile(xs, q));
const result = {
  bench: 'social',
  load1: round(loadavg()[0]!, 2),
  whispers: WHISPERS,
  whisperP50Ms: p(local.whisper, 50),
  whisperP99Ms: p(local.whisper, 99),
  radialChatP50Ms: p(local.radial, 50),
  radialChatP99Ms: p(local.radial, 99),
  whisperVsRadialP50: round(percentile(local.whisper, 50) / percentile(local.radial, 50), 2),
  ...cluster,
  crossWhisperVsBareAskP50: round(cluster.crossProcessWhisperP50Ms / cluster.bareRemoteAskP50Ms, 2),
  fanoutVsBare: round(cluster.presenceFanoutMs / cluster.bareFanoutMs, 2),
  groupChatRoundVsBare: round(cluster.groupChatRoundP50Ms / cluster.bareRoundP50Ms, 2),
  seconds: round((Date.now() - started) / 1000, 1),
};
console.log(`whisper one process p50 ${result.whisperP50Ms} ms, p99 ${result.whisperP99Ms} ms (radial chat p50 ${result.radialChatP50Ms} ms)`);
console.log(`whisper across processes p50 ${result.crossProcessWhisperP50Ms} ms, p99 ${result.crossProcessWhisperP99Ms} ms (bare remote ask p50 ${result.bareRemoteAskP50Ms} ms)`);
console.log(`presence fan-out to 100 friends on two nodes ${result.presenceFanoutMs} ms (bare relay ${result.bareFanoutMs} ms)`);
console.log(`group chat, 250 groups of four at once: message p99 ${result.groupChatP99Ms} ms, round p50 ${result.groupChatRoundP50Ms} ms (bare relay round ${result.bareRoundP50Ms} ms)`);
console.log(JSON.stringify(result));
process.exit(0);
