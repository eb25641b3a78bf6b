// The Zone service: the player's place in the world and its persistence. It holds which zone the
// player is in, moves it between zones (MSG_ZONETRANSFER_REQUEST, teleports, server transfers), and
// saves the character's zone and location on every zone change, periodically, and when the session
// ends. Its handlers never throw: a restart would lose the player's place.
import { randomInt } from 'node:crypto';
import { GAME, encodeDmlFrame, encodeDmlFrameOf } from '../../../protocol/index.js';
import { MessageService, type ServiceContext, type ServiceEnv } from '../../../net/index.js';
import { GameErrorCode } from '../errors.js';
import type { GameContext } from '../game-context.js';
import { START_POSITION, formatLocation, toWorld, type WirePosition } from '../location.js';
import type { EnterResult, LeaveResult, PlayerReady, ServerTransfer, Teleport, TeleportResult, ZoneChanged } from '../messages.js';
import { parseZonePath, zoneIdOf } from '../zone-path.js';

type ZoneServiceMessage = PlayerReady | Teleport | ServerTransfer | { readonly type: 'game.save-tick' };
type CurrentZone = Extract<EnterResult, { ok: true }>;

const SAVE_TICK: ZoneServiceMessage = Object.freeze({ type: 'game.save-tick' });
const KEY_ATTEMPTS = 3;
/** Zone requests kept while the attach finishes; more are refused. */
const MAX_EARLY_REQUESTS = 4;

export class ZoneService extends MessageService<ZoneServiceMessage> {
  readonly #game: GameContext;
  #player: PlayerReady | undefined = undefined;
  #zone: CurrentZone | undefined = undefined;
  #zoneCounter = 0;
  #stateVersion = 0;
  #early = 0;
  #changesWindowStart = 0;
  #changesInWindow = 0;

  constructor(context: ServiceContext<ZoneServiceMessage>, env: ServiceEnv, game: GameContext) {
    super(context, env);
    this.#game = game;
    this.onClient(GAME.MSG_ZONETRANSFER_REQUEST, async ({ ZoneName, SendAck }) => {
      // A request sent right after LOGINCOMPLETE may arrive before the attach told this service: it waits for it.
      if (this.#player === undefined && this.#early < MAX_EARLY_REQUESTS) {
        this.#early++;
        this.context.stash();
        return;
      }
      const result = await this.#changeZone(ZoneName.toString('utf8'), SendAck !== 0);
      if (!result.ok) {
        this.log.info({ zone: ZoneName.toString('utf8').slice(0, 300), reason: result.detail }, 'zone transfer refused');
        this.send(GAME.MSG_ZONETRANSFER_NACK, {});
      }
    });
    this.onClient(GAME.MSG_CLIENT_DISCONNECT, () => this.closeSession('client logout'));
    this.onServer('game.player-ready', (ready) => {
      this.#player = ready;
      this.#zone = ready.zone;
      this.#stateVersion = ready.stateVersion;
      this.context.timers.startPeriodic('save', SAVE_TICK, game.timings.saveIntervalMs);
      if (this.#early > 0) this.context.unstashAll();
    });
    this.onServer('game.save-tick', async () => {
      const zone = this.#zone;
      if (zone === undefined) return;
      const at = await this.#positionIn(zone);
      if (at.found) await this.#save(zone, at.position);
    });
    this.onServer('game.teleport', async ({ path, replyTo }) => {
      const result = await this.#changeZone(path, false);
      // A server decision the client did not ask for: a zone that cannot be entered is an error to it.
      if (!result.ok && result.zoneUnavailable === true) this.send(GAME.MSG_SERVER_ERROR, { Error: GameErrorCode.ZoneUnavailable });
      replyTo?.tell(result);
    });
    this.onServer('game.server-transfer', async (transfer) => {
      const result = await this.#serverTransfer(transfer);
      transfer.replyTo?.tell(result);
    });
  }

  protected override async onSessionEnd(): Promise<void> {
    const zone = this.#zone;
    this.#zone = undefined;
    const player = this.#player;
    if (zone === undefined || player === undefined) return;
    const left = await this.#leave(zone);
    if (left.found) await this.#save(zone, left.position);
    this.log.info({ accountId: String(player.accountId), characterId: String(player.characterId), character: player.name, zone: zone.path }, 'player left');
  }

  async #changeZone(requested: string, sendAck: boolean): Promise<TeleportResult> {
    const player = this.#player;
    const current = this.#zone;
    if (player === undefined || current === undefined) return { ok: false, detail: 'not in the game' };
    const path = parseZonePath(requested);
    if (path === undefined) return { ok: false, detail: 'invalid zone path' };
    if (path === current.path) return { ok: false, detail: 'already in that zone' };
    const game = this.#game;
    const now = this.context.system.scheduler.now();
    if (now - this.#changesWindowStart >= 10_000) {
      this.#changesWindowStart = now;
      this.#changesInWindow = 0;
    }
    if (++this.#changesInWindow > game.maxZoneChangesPer10s) return { ok: false, detail: 'too many zone changes' };
    const counter = (this.#zoneCounter + 1) & 0xff;
    const transfer = { kind: GAME.MSG_ZONETRANSFER, data: {
      ZoneName: path, ZoneID: zoneIdOf(path), Slot: 0, DynamicZoneID: 0, DynamicServerProcID: 0, ZoneCounter: counter,
      TransitionID: 0, SessionID: BigInt(this.env.sid), SessionSlot: 0,
    } };
    const preamble = sendAck ? [encodeDmlFrameOf(game.registry, [{ kind: GAME.MSG_ZONETRANSFER_ACK, data: {} }, transfer])] : [encodeDmlFrame(game.registry, transfer.kind, transfer.data)];
    let entered: EnterResult;
    try {
      entered = await game.world.ask<EnterResult>(
        (replyTo) => ({ type: 'world.enter', path, owner: player.characterId, entrant: { accountId: player.accountId, characterId: player.characterId, name: player.name, creationData: player.creationData, session: this.env.session, position: START_POSITION }, preamble, replyTo }),
        game.timings.zoneLoadTimeoutMs + game.timings.askTimeoutMs,
      );
    } catch (error) {
      return { ok: false, detail: `the world did not answer: ${(error as Error).message}` };
    }
    if (!entered.ok) return { ok: false, detail: entered.detail, zoneUnavailable: true };
    await this.#leave(current);
    this.#zone = entered;
    this.#zoneCounter = counter;
    const changed: ZoneChanged = { type: 'game.zone-changed', zone: entered.zone, mobileId: entered.mobileId, zoneCounter: counter };
    this.tellServices(changed);
    game.server.tell({ type: 'game.player-zone', sid: this.env.sid, zone: entered.path });
    await this.#save(entered, START_POSITION);
    this.log.info({ characterId: String(player.characterId), character: player.name, from: current.path, to: entered.path, instance: entered.instance }, 'zone changed');
    return { ok: true, zone: entered.path };
  }

  async #serverTransfer({ target }: ServerTransfer): Promise<TeleportResult> {
    const player = this.#player;
    const zone = this.#zone;
    if (player === undefined || zone === undefined) return { ok: false, detail: 'not in the game' };
    const game = this.#game;
    // MSG_SERVERTRANSFER carries Key as an INT: the one-time key is a random positive int32 stored
    // in its decimal form; the client attaches at the target with that text as LoginKey.
    let key = 0;
    for (let attempt = 1; key === 0; attempt++) {
      const candidate = randomInt(1, 0x7fff_ffff);
      try {
        await game.store.loginKeys.create({ key: String(candidate), accountId: player.accountId, characterId: player.characterId, server: target.name, expiresAt: new Date(Date.now() + game.timings.loginKeyExpiryMs) });
        key = candidate;
      } catch (error) {
        if ((error as { code?: string }).code !== 'ERR_KEY_EXISTS' || attempt >= KEY_ATTEMPTS) {
          this.log.error({ err: error, target: target.name }, 'cannot create the login key of a server transfer');
          return { ok: false, detail: 'cannot create a login key' };
        }
      }
    }
    this.#zone = undefined;
    const left = await this.#leave(zone);
    const position = left.found ? left.position : START_POSITION;
    await this.#save(zone, position);
    this.send(GAME.MSG_SERVERTRANSFER, {
      IP: target.address, TCPPort: target.port, UDPPort: 0, Key: key, UserID: player.accountId, CharID: player.characterId,
      ZoneName: zone.path, ZoneID: zone.zoneId, Location: formatLocation(toWorld(position)), Slot: 0, SessionID: BigInt(this.env.sid), SessionSlot: 0,
      TargetPlayerID: 0n, FallbackIP: '', FallbackTCPPort: 0, FallbackUDPPort: 0, FallbackKey: 0, FallbackZone: '', FallbackZoneID: 0n, TransitionID: 0,
    });
    this.log.info({ characterId: String(player.characterId), character: player.name, target: target.name }, 'player sent to another game server');
    this.closeSession(`server transfer to ${target.name}`);
    return { ok: true, zone: zone.path };
  }

  async #leave(zone: CurrentZone): Promise<LeaveResult> {
    const player = this.#player!;
    try {
      return await zone.zone.ask<LeaveResult>((replyTo) => ({ type: 'zone.leave', characterId: player.characterId, replyTo }), this.#game.timings.askTimeoutMs);
    } catch (error) {
      this.log.warn({ err: error, zone: zone.path }, 'the zone did not answer a leave');
      return { found: false, position: START_POSITION };
    }
  }

  async #positionIn(zone: CurrentZone): Promise<LeaveResult> {
    const player = this.#player!;
    try {
      return await zone.zone.ask<LeaveResult>((replyTo) => ({ type: 'zone.position', characterId: player.characterId, replyTo }), this.#game.timings.askTimeoutMs);
    } catch {
      return { found: false, position: START_POSITION };
    }
  }

  async #save(zone: CurrentZone, position: WirePosition): Promise<void> {
    const player = this.#player!;
    const characters = this.#game.store.characters;
    const save = { zoneName: zone.path, zoneId: zone.zoneId, location: toWorld(position) };
    for (let attempt = 1; attempt <= 2; attempt++) {
      try {
        this.#stateVersion = await characters.save(player.characterId, { ...save, expectedVersion: this.#stateVersion });
        return;
      } catch (error) {
        if ((error as { code?: string }).code === 'ERR_STALE_STATE' && attempt === 1) {
          // Someone else saved this character (an admin tool): the place is ours to write, keep their state.
          const fresh = await characters.get(player.characterId).catch(() => undefined);
          if (fresh === undefined) break;
          this.#stateVersion = fresh.stateVersion;
          continue;
        }
        this.log.error({ err: error, characterId: String(player.characterId), character: player.name }, 'could not save the character');
        return;
      }
    }
  }
}

