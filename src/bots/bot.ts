// One bot: a player driven through the journey of flows.md over the wire, with the client library.
// A journey: log in (handshake, authentication, admission), list characters (create one if the
// account has none), select, attach at the game server named in MSG_CHARACTERSELECTED, act in the
// zone (moves, chat, zone changes in the configured mix and rate), log out. Running a bot again
// logs it back in, and checks that the zone it left in is the zone the login server names.
import { sleep } from './sleep.js';
import { KiClient } from '../net/index.js';
import { GAME, type MessageRegistry } from '../protocol/index.js';
import { BotStepError } from './errors.js';
import { attach, changeZone, chat, logout, sendMove, type Position } from './game-steps.js';
import { authenticate, awaitAdmission, createCharacter, listCharacters, selectCharacter, step, type BotAccount } from './login-steps.js';

export interface ActionMix {
  readonly move: number;
  readonly chat: number;
  readonly zone: number;
}

export const DEFAULT_MIX: ActionMix = Object.freeze({ move: 80, chat: 15, zone: 5 });

/** Where a bot reports timings and failures (the swarm's recorder, or a test's). */
export interface StepSink {
  stepDone(step: string, ms: number): void;
  stepFailed(step: string, kind: string): void;
  action(kind: keyof ActionMix): void;
}

export interface BotOptions {
  readonly login: { readonly host: string; readonly port: number };
  readonly account: BotAccount;
  /** MSG_USER_AUTHEN_V3.MachineID and MSG_ATTACH.MachineID. */
  readonly machineId: bigint;
  /** Name of the character created when the account has none. */
  readonly characterName: string;
  readonly registry?: MessageRegistry;
  /** Limit of each request/reply step. Default 10,000 ms. */
  readonly stepTimeoutMs?: number;
  /** In-zone actions per journey. Default 20. */
  readonly actions?: number;
  /** Pause between in-zone actions. Default 250 ms. */
  readonly actionIntervalMs?: number;
  readonly mix?: ActionMix;
  /** Zones a zone change picks from (never the current one). Default two test zones. */
  readonly zones?: readonly string[];
  /** Connect here instead of the IP in MSG_CHARACTERSELECTED (a server behind NAT, or 0.0.0.0). */
  readonly gameHost?: string;
  /**
   * Shortest gap between two chats of one bot; a chat picked sooner becomes a move. Default 1,100 ms:
   * the game server drops a player's chat past 10 messages in 10 s, and a bot should measure, not trip it.
   */
  readonly chatMinIntervalMs?: number;
  /** Shortest gap between two zone changes of one bot (the game server refuses past 10 in 10 s). Default 1,100 ms. */
  readonly zoneMinIntervalMs?: number;
  /** Random source in [0, 1): tests pass a seeded one. */
  readonly random?: () => number;
  readonly sink: StepSink;
  /** Aborting ends the current journey at its next step (the connection is closed). */
  readonly signal?: AbortSignal;
}

export interface JourneyResult {
  readonly characterId: bigint;
  readonly zone: string;
  readonly moves: number;
  readonly chats: number;
  readonly zoneChanges: number;
}

export const DEFAULT_ZONES: readonly string[] = Object.freeze(['WizardCity/WC_Hub', 'WizardCity/WC_Ravenwood']);

const CLIENT_KEEP_ALIVE_MS = 10_000;

export class Bot {
  readonly options: BotOptions;
  /** Zone the last completed journey left the character in: the next login must name it. */
  lastZone: string | undefined = undefined;
  journeys = 0;
  #chatSerial = 0;
  /** Step errors already given to the sink where they were raised. */
  readonly #reported = new WeakSet<BotStepError>();

  constructor(options: BotOptions) {
    this.options = options;
  }

  async runJourney(): Promise<JourneyResult> {
    const o = this.options;
    const timeoutMs = o.stepTimeoutMs ?? 10_000;
    const random = o.random ?? Math.random;
    const clients: KiClient[] = [];
    const onAbort = (): void => { for (const client of clients) client.destroy(); };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const connect = async (name: string, host: string, port: number): Promise<KiClient> => {
        const client = await this.#timed(name, () => step(name, () => KiClient.connect({
          host, port, connectTimeoutMs: timeoutMs, keepAliveMs: CLIENT_KEEP_ALIVE_MS, ...(o.registry === undefined ? {} : { registry: o.registry }),
        })));
        clients.push(client);
        if (o.signal?.aborted === true) client.destroy();
        return client;
      };

      const login = await connect('login.connect', o.login.host, o.login.port);
      await this.#timed('login.authenticate', () => authenticate(login, o.account, o.machineId, timeoutMs));
      await this.#timed('login.admit', () => awaitAdmission(login, timeoutMs));
      let characters = await this.#timed('login.list', () => listCharacters(login, timeoutMs));
      if (characters.length === 0) {
        await this.#timed('login.create', () => createCharacter(login, o.characterName, timeoutMs));
        characters = await this.#timed('login.list', () => listCharacters(login, timeoutMs));
        if (characters.length === 0) throw this.#fail(new BotStepError('login.create', 'character-missing', 'the created character is not in the list'));
      }
      const character = characters[0]!;
      const selected = await this.#timed('login.select', () => selectCharacter(login, character.id, timeoutMs));
      if (this.lastZone !== undefined && selected.zoneName !== this.lastZone) {
        throw this.#fail(new BotStepError('login.select', 'state-lost:zone', `logged out in zone ${this.lastZone}, the login server sends the character to ${selected.zoneName}`));
      }
      // The login server closes its session after the selection; a lingering one is ours to close.
      void login.close();

      let game = await connect('game.connect', o.gameHost ?? selected.host, selected.port);
      const attached = await this.#timed('game.attach', () => attach(game, selected, o.machineId, timeoutMs));
      void timeMovesSeen(game, o.sink);
      let zone = attached.zoneName;
      const zoneCounter = 0;
      const position: Position = { x: Math.floor(random() * 2000) - 1000, y: Math.floor(random() * 2000) - 1000, z: 0, direction: 0 };
      const mix = o.mix ?? DEFAULT_MIX;
      const zones = o.zones ?? DEFAULT_ZONES;
      let moves = 0;
      let chats = 0;
      let zoneChanges = 0;
      let lastChatAt = -Infinity;
      let lastZoneAt = -Infinity;
      for (let i = 0; i < (o.actions ?? 20); i++) {
        if (i > 0) await sleep(o.actionIntervalMs ?? 250, o.signal);
        if (o.signal?.aborted === true) throw new BotStepError('game.act', 'aborted', 'the swarm was stopped');
        let action = pickAction(mix, random());
        if (action === 'zone' && !zones.some((z) => z !== zone)) action = 'move';
        if (action === 'chat' && performance.now() - lastChatAt < (o.chatMinIntervalMs ?? 1100)) action = 'move';
        if (action === 'zone' && performance.now() - lastZoneAt < (o.zoneMinIntervalMs ?? 1100)) action = 'move';
        if (action === 'zone') {
          const choices = zones.filter((z) => z !== zone);
          const target = choices[Math.floor(random() * choices.length)]!;
          lastZoneAt = performance.now();
          const moved = await this.#timed('game.zone', () => changeZone(game, target, selected, timeoutMs));
          // The zone change ends this connection: the bot attaches again where the server sent it.
          game.destroy();
          game = await connect('game.connect', o.gameHost ?? moved.host, moved.port);
          await this.#timed('game.attach', () => attach(game, moved.selected, o.machineId, timeoutMs));
          void timeMovesSeen(game, o.sink);
          zone = moved.zoneName;
          zoneChanges++;
        } else if (action === 'chat') {
          const text = `bot ${o.account.username} says ${++this.#chatSerial}`;
          lastChatAt = performance.now();
          await this.#timed('game.chat', () => chat(game, text, timeoutMs));
          chats++;
        } else {
          position.x = clampShort(position.x + Math.floor(random() * 41) - 20);
          position.y = clampShort(position.y + Math.floor(random() * 41) - 20);
          position.direction = Math.floor(random() * 250);
          // Z carries the send time (ms, 16 bits) so the other bots of the zone can time the broadcast.
          position.z = Date.now() & 0xffff;
          await step('game.move', async () => sendMove(game, position, zoneCounter));
          moves++;
        }
        o.sink.action(action);
      }
      await this.#timed('game.logout', () => logout(game, timeoutMs));
      this.lastZone = zone;
      this.journeys++;
      return { characterId: selected.characterId, zone, moves, chats, zoneChanges };
    } catch (error) {
      if (error instanceof BotStepError && !this.#reported.has(error)) o.sink.stepFailed(error.step, error.kind);
      throw error;
    } finally {
      o.signal?.removeEventListener('abort', onAbort);
      for (const client of clients) if (!client.isClosed) client.destroy();
    }
  }

  #fail(error: BotStepError): BotStepError {
    this.#reported.add(error);
    this.options.sink.stepFailed(error.step, error.kind);
    return error;
  }

  async #timed<T>(name: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await work();
    this.options.sink.stepDone(name, performance.now() - started);
    return result;
  }
}

/** Broadcasts older than this are not bot moves (a real player's Z, or a wrapped clock). */
const MAX_MOVE_LAG_MS = 30_000;

/**
 * Times the zone's MSG_SERVERMOVE broadcasts as "game.move": from the mover's send (the time in Z)
 * to this bot's receipt. One waiter is kept armed so the time is taken on arrival; the rest of the
 * same frame is drained unrecorded (it arrived at the same moment). Ends when the connection does.
 */
async function timeMovesSeen(client: KiClient, sink: StepSink): Promise<void> {
  try {
    for (;;) {
      const move = await client.next(GAME.MSG_SERVERMOVE, 3_600_000);
      const lag = (Date.now() - move.LocationZ) & 0xffff;
      if (lag < MAX_MOVE_LAG_MS) sink.stepDone('game.move', lag);
      while (client.queued(GAME.MSG_SERVERMOVE) > 0) await client.next(GAME.MSG_SERVERMOVE, 1000);
    }
  } catch {
    // The connection ended: nothing more to time.
  }
}

/** Picks an action by weight; `roll` in [0, 1). */
export function pickAction(mix: ActionMix, roll: number): keyof ActionMix {
  const total = mix.move + mix.chat + mix.zone;
  const at = roll * total;
  if (at < mix.move) return 'move';
  if (at < mix.move + mix.chat) return 'chat';
  return mix.zone > 0 ? 'zone' : 'move';
}

function clampShort(value: number): number {
  return Math.max(-32768, Math.min(32767, value));
}

