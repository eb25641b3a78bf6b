// Cluster mode: `imlight login` and `imlight game` as separate processes joined over a NATS server of the
// test's own (started here, so killing it disturbs nothing else), sharing one SQLite file. A game process is
// SIGKILLed mid-play and restarted; then NATS itself is killed and restarted while a swarm plays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { KiClient } from '../../src/net/index.js';
import { openStore } from '../../src/store/index.js';
import {
  authenticate, awaitAdmission, listCharacters, runSwarm, selectCharacter, type BotAccount, type SwarmProgress,
} from '../../src/bots/index.js';
import { figures, size, sleep } from './support.js';
import { enterGameRetrying, keepMoving, playSaveRound, saveTrack } from './save-rounds.js';
import { freePorts, startImlightProcess, type ImlightProcess } from './imlight-process.js';

const NATS_SERVER = '/usr/sbin/nats-server';
const skip = existsSync(NATS_SERVER) || process.env['CI'] === 'true' ? false : `${NATS_SERVER} is not installed: the cluster cases run their own NATS server`;

const portOpen = (port: number): Promise<boolean> => new Promise((resolve) => {
  const socket = connect({ host: '127.0.0.1', port });
  socket.once('connect', () => { socket.destroy(); resolve(true); });
  socket.once('error', () => resolve(false));
});

async function startNats(port: number): Promise<ChildProcess> {
  const child = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !(await portOpen(port)); i++) await sleep(50);
  return child;
}

async function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await gone;
}

interface Cluster {
  readonly dir: string;
  readonly loginPort: number;
  readonly gamePort: number;
  readonly natsPort: number;
  login: ImlightProcess | undefined;
  game: ImlightProcess | undefined;
  nats: ChildProcess | undefined;
  startGame(): Promise<ImlightProcess>;
  restartNats(): Promise<void>;
}

async function startCluster(t: { after(fn: () => Promise<void>): void }, accounts: readonly BotAccount[]): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'imlight-cluster-faults-'));
  const [loginPort, gamePort, natsPort] = await freePorts(3);
  const tag = `faults-${randomBytes(3).toString('hex')}`;
  const seed = await openStore({ sqlitePath: join(dir, 'imlight.db'), databaseUrl: null });
  for (const account of accounts) await seed.accounts.create(account);
  await seed.close();
  const common = [
    '--data-dir', dir, '--nats-url', `nats://127.0.0.1:${natsPort}`, '--log-level', 'warn', '--set', 'admin.enabled=false',
    '--set', 'cluster.heartbeatInterval=300ms', '--set', 'cluster.deathTimeout=2s',
    '--set', 'login.pool.healthInterval=1s', '--set', 'login.pool.healthTimeout=1s', '--set', 'game.registerRetry=500ms',
  ];
  const cluster: Cluster = {
    dir, loginPort: loginPort!, gamePort: gamePort!, natsPort: natsPort!, login: undefined, game: undefined, nats: undefined,
    async startGame() {
      cluster.game = await startImlightProcess(['game', ...common, '--set', `cluster.nodeName=${tag}-game-${Date.now()}`, '--set', `game.port=${gamePort}`, '--set', 'game.host=127.0.0.1'], [gamePort!]);
      return cluster.game;
    },
    async restartNats() {
      await stopChild(cluster.nats);
      await sleep(1500);
      cluster.nats = await startNats(natsPort!);
    },
  };
  t.after(async () => {
    await cluster.game?.kill();
    await cluster.login?.kill();
    await stopChild(cluster.nats);
    rmSync(dir, { recursive: true, force: true });
  });
  cluster.nats = await startNats(natsPort!);
  cluster.login = await startImlightProcess(['login', ...common, '--set', `cluster.nodeName=${tag}-login`, '--set', `login.port=${loginPort}`, '--set', 'login.host=127.0.0.1'], [loginPort!]);
  await cluster.startGame();
  return cluster;
}


test('a game server process killed mid-play: login keeps serving, players come back to their saved state', { skip }, async (t) => {
  const botCount = size(4, 20);
  const kills = size(1, 3);
  const accounts = Array.from({ length: botCount }, (_, i) => ({ username: `gk${i}`, password: `pw${i}` }));
  const cluster = await startCluster(t, accounts);
  const tracks = accounts.map(saveTrack);
  let acknowledgedSaves = 0;
  let refusedWhileDown = 0;
  let reconnects = 0;
  for (let round = 0; round <= kills; round++) {
    const players = await Promise.all(tracks.map(async (track, i) => {
      const player = await playSaveRound(cluster.loginPort, track, `Faults/G${round}/${i}`);
      if (round > 0) reconnects++;
      acknowledgedSaves++;
      return player;
    }));
    if (round === kills) {
      for (const p of players) p.client.destroy();
      break;
    }
    const movers = keepMoving(players, 25);
    await sleep(300);
    await cluster.game!.kill('SIGKILL');
    await movers.stop();
    for (const p of players) p.client.destroy();
    // The login server keeps serving while its only game server is gone: authentication and lists work,
    // a selection is refused with an error reply (no game server) rather than left unanswered.
    const client = await KiClient.connect({ port: cluster.loginPort, keepAliveMs: 0 });
    await authenticate(client, accounts[0]!, 1n, 5000);
    await awaitAdmission(client, 5000);
    const characters = await listCharacters(client, 5000);
    assert.equal(characters.length, 1);
    await sleep(2500);
    try {
      await selectCharacter(client, characters[0]!.id, 5000);
    } catch (error) {
      if ((error as { kind?: string }).kind?.startsWith('select-error') === true) refusedWhileDown++;
      else throw error;
    }
    client.destroy();
    await cluster.startGame();
  }
  figures(t, 'game-process-sigkill', { bots: botCount, kills, restartsSurvived: kills, acknowledgedSaves, reconnects, selectionsRefusedWhileDown: refusedWhileDown, acknowledgedLost: 0 });
});

test('NATS restarted under load: the cluster reconnects, journeys resume, no confirmed save is lost', { skip }, async (t) => {
  const bots = size(6, 30);
  const accounts = Array.from({ length: bots }, (_, i) => ({ username: `nr${i}`, password: `pw${i}` }));
  const cluster = await startCluster(t, accounts);
  await enterGameRetrying(cluster.loginPort, accounts[0]!).then((p) => p.client.destroy());
  const snapshots: SwarmProgress[] = [];
  const durationMs = size(16_000, 40_000);
  const swarm = runSwarm({
    login: { host: '127.0.0.1', port: cluster.loginPort },
    accounts, count: bots, durationMs, actions: 8, actionsPerSec: 10, mix: { move: 60, chat: 10, zone: 30 },
    stepTimeoutMs: 6000, retryDelayMs: 300, progressIntervalMs: 200, onProgress: (p) => snapshots.push(p),
  });
  await sleep(5000);
  const before = snapshots.at(-1)!.journeysCompleted;
  await cluster.restartNats();
  const backAt = snapshots.at(-1)!;
  const report = await swarm;
  const after = report.journeysCompleted - backAt.journeysCompleted;
  const lost = Object.entries(report.errors).filter(([kind]) => kind.includes('state-lost')).reduce((n, [, c]) => n + c, 0);
  assert.ok(before > 0, 'the swarm played before the restart');
  assert.ok(after >= bots, `journeys complete again once NATS is back (${after} after, errors ${JSON.stringify(report.errors)})`);
  assert.equal(lost, 0, `no confirmed save lost (${JSON.stringify(report.errors)})`);
  figures(t, 'nats-restart', { bots, natsDownMs: 1500, journeysBefore: before, journeysAfter: after, journeysFailed: report.journeysFailed, errors: report.errors, confirmedSavesLost: lost });
});
