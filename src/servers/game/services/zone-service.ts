// The Zone service: the player's place in the world and its persistence (docs/game-server.md, "Entering
// the world" and "Zone change"). It puts the player in the world once the client's zone has loaded
// (MSG_CLIENTZONED, or when the wait for it runs out), moves the player within its zone
// (MSG_SERVERTELEPORT) and between zones and servers the way the client expects: the server asks
// (MSG_ZONETRANSFER_REQUEST, SendAck 1), the client's ACK makes it leave the zone and be saved at the
// destination, and MSG_SERVERTRANSFER sends it to reconnect with a fresh one-time key (a NACK cancels).
// It saves the character on every zone change, periodically, and when the session ends. Its handlers
// never throw: a restart would lose the player's place.
import { EXTENDEDBASE, GAME, WIZARD2 } from '../../../protocol/index.js';
import { MessageService, type ServiceContext, type ServiceEnv } from '../../../net/index.js';
import type { ActorRef } from '../../../runtime/index.js';
import { GameErrorCode } from '../errors.js';
import type { GameDeps } from '../game-deps.js';
import { START_POSITION, formatLocation, parseLocation, toWire, toWorld, type WirePosition } from '../location.js';
import type { EnterResult, LeaveResult, PlayerReady, ServerEndpoint, ServerTransfer, Teleport, TeleportResult } from '../messages.js';
import { parseZonePath, zoneIdOf } from '../zone-path.js';
import { createTransferKey } from './transfer-key.js';

type ZoneServiceMessage =
  | PlayerReady
  | Teleport
  | ServerTransfer
  | { readonly type: 'game.save-tick' }
  | { readonly type: 'game.zoned-wait-over' }
  | { readonly type: 'game.transfer-ack-timeout'; readonly serial: number }
  | { readonly type: 'game.transfer-send'; readonly serial: number };
type CurrentZone = Extract<EnterResult, { ok: true }>;

interface TransferTarget {
  readonly path: string;
  /** As given: a compact "x,y,z,yaw", a location name, or empty (the zone's start). */
  readonly location: string;
  /** Undefined: this server. */
  readonly server: { readonly name: string; readonly address: string; readonly port: number } | undefined;
}

interface PendingTransfer {
  readonly serial: number;
  readonly target: TransferTarget;
  readonly zoneId: bigint;
  readonly from: CurrentZone;
  readonly replyTo: ActorRef<TeleportResult> | undefined;
  /** Set once the client acknowledged: the keys and the place it was saved at. */
  acked?: { readonly key: number; readonly fallbackKey: number; readonly from: WirePosition; readonly location: string; readonly here: ServerEndpoint };
}

const SAVE_TICK: ZoneServiceMessage = Object.freeze({ type: 'game.save-tick' });
const ZONED_WAIT_OVER: ZoneServiceMessage = Object.freeze({ type: 'game.zoned-wait-over' });
/** Zone requests kept while the attach finishes; more are refused. */
const MAX_EARLY_REQUESTS = 4;

export class ZoneService extends MessageService<ZoneServiceMessage> {
  readonly #game: GameDeps;
  #player: PlayerReady | undefined = undefined;
  #zone: CurrentZone | undefined = undefined;
  #inWorld = false;
  #stateVersion = 0;
  #early = 0;
  #changesWindowStart = 0;
  #changesInWindow = 0;
  #pending: PendingTransfer | undefined = undefined;
  #serial = 0;

  constructor(context: ServiceContext<ZoneServiceMessage>, env: ServiceEnv, game: GameDeps) {
    super(context, env);
    this.#game = game;
    // Not what the real client sends (the server decides zone changes): bots and tools ask with it, and get the same handshake.
    this.onClient(GAME.MSG_ZONETRANSFER_REQUEST, async ({ ZoneName }) => {
      // A request sent right after LOGINCOMPLETE may arrive before the attach told this service: it waits for it.
      if (this.#player === undefined && this.#early < MAX_EARLY_REQUESTS) {
        this.#early++;
        this.context.stash();
        return;
      }
      const text = ZoneName.toString('utf8');
      const result = await this.#requestTransfer(text, '', undefined, undefined);
      if (!result.ok) {
        this.log.info({ zone: text.slice(0, 300), reason: result.detail }, 'zone transfer refused');
        this.send(GAME.MSG_ZONETRANSFER_NACK, {});
      }
    });
    this.onClient(GAME.MSG_ZONETRANSFER_ACK, () => this.#acknowledged());
    this.onClient(GAME.MSG_ZONETRANSFER_NACK, () => this.#declined('the client declined the zone change'));
    this.onClient(WIZARD2.MSG_CLIENTZONED, () => this.#zoned('client'));
    this.onClient(GAME.MSG_CLIENT_DISCONNECT, () => this.closeSession('client logout'));
    this.onServer('game.player-ready', (ready) => {
      this.#player = ready;
      this.#zone = ready.zone;
      this.#stateVersion = ready.stateVersion;
      this.context.timers.startPeriodic('save', SAVE_TICK, game.timings.saveIntervalMs);
      if (game.timings.objectsBeforeZoned) this.#zoned('objectsBeforeZoned');
      else this.context.timers.startSingle('zoned', ZONED_WAIT_OVER, game.timings.zonedWaitMs);
      if (this.#early > 0) this.context.unstashAll();
    });
    this.onServer('game.zoned-wait-over', () => this.#zoned('wait over'));
    this.onServer('game.save-tick', async () => {
      const zone = this.#zone;
      if (zone === undefined) return;
      const at = await this.#positionIn(zone);
      if (at.found) await this.#save(zone.path, zone.zoneId, at.position);
    });
    this.onServer('game.teleport', async ({ path, location, replyTo }) => {
      const result = await this.#requestTransfer(path, location ?? '', undefined, replyTo);
      // A server decision the client did not ask for: a zone that cannot be entered is an error to it.
      if (!result.ok && result.zoneUnavailable === true) this.send(GAME.MSG_SERVER_ERROR, { Error: GameErrorCode.ZoneUnavailable });
      // A change under way answers once the client has acknowledged or declined it.
      if (!result.ok || this.#pending === undefined) replyTo?.tell(result);
    });
    this.onServer('game.server-transfer', async ({ target, replyTo }) => {
      const zone = this.#zone;
      const result = zone === undefined ? { ok: false as const, detail: 'not in the game' } : await this.#requestTransfer(zone.path, '', target, replyTo);
      if (!result.ok || this.#pending === undefined) replyTo?.tell(result);
    });
    this.onServer('game.transfer-ack-timeout', ({ serial }) => {
      if (this.#pending?.serial === serial && this.#pending.acked === undefined) this.#declined('no answer to the zone change in time');
    });
    this.onServer('game.transfer-send', ({ serial }) => this.#sendServerTransfer(serial));
  }

  /** The player's place is this service's state: saved even if a handler of this service failed. */
  protected override async saveState(): Promise<void> {
    const zone = this.#zone;
    this.#zone = undefined;
    if (zone === undefined || this.#player === undefined) return;
    const left = await this.#leave(zone);
    if (left.found) await this.#save(zone.path, zone.zoneId, left.position);
  }

  /** The client's zone has loaded (or the wait for it is over): the player is now in the world. */
  #zoned(how: string): void {
    const zone = this.#zone;
    const player = this.#player;
    if (this.#inWorld || zone === undefined || player === undefined) return;
    this.#inWorld = true;
    this.context.timers.cancel('zoned');
    zone.zone.tell({ type: 'zone.zoned', characterId: player.characterId });
    this.log.debug({ character: player.characterId, zone: zone.path, how }, 'player in the world');
  }

  /** Starts a zone change: a move within the zone at once, else the handshake with the client. */
  async #requestTransfer(requested: string, location: string, server: TransferTarget['server'], replyTo: ActorRef<TeleportResult> | undefined): Promise<TeleportResult> {
    const player = this.#player;
    const current = this.#zone;
    if (player === undefined || current === undefined) return { ok: false, detail: 'not in the game' };
    if (this.#pending !== undefined) return { ok: false, detail: 'a zone change is already under way' };
    const path = parseZonePath(requested);
    if (path === undefined) return { ok: false, detail: 'invalid zone path' };
    const game = this.#game;
    const now = this.context.system.scheduler.now();
    if (now - this.#changesWindowStart >= 10_000) {
      this.#changesWindowStart = now;
      this.#changesInWindow = 0;
    }
    if (++this.#changesInWindow > game.maxZoneChangesPer10s) return { ok: false, detail: 'too many zone changes' };
    if (path === current.path && server === undefined) {
      if (location === '') return { ok: false, detail: 'already in that zone' };
      const moved = await current.zone.ask<boolean>((r) => ({ type: 'zone.teleport', characterId: player.characterId, position: resolvePosition(location), replyTo: r }), game.timings.askTimeoutMs).catch(() => false);
      return moved ? { ok: true, zone: path } : { ok: false, detail: 'the player is not in its zone' };
    }
    // The destination is loaded (or found) first: a zone that cannot be entered leaves the player where it is.
    if (server === undefined) {
      let loaded: EnterResult;
      try {
        loaded = await game.world.ask<EnterResult>(
          (r) => ({ type: 'world.enter', path, owner: player.characterId, probe: true, entrant: this.#entrant(START_POSITION), preamble: [], replyTo: r }),
          game.timings.zoneLoadTimeoutMs + game.timings.askTimeoutMs,
        );
      } catch (error) {
        return { ok: false, detail: `the world did not answer: ${(error as Error).message}` };
      }
      if (!loaded.ok) {
        this.send(EXTENDEDBASE.MSG_SERVERMESSAGE, { Modal: 0, Message: `${path} cannot be entered right now.` });
        return { ok: false, detail: loaded.detail, zoneUnavailable: true };
      }
    }
    if (this.#pending !== undefined || this.#zone !== current) return { ok: false, detail: 'a zone change is already under way' };
    const serial = ++this.#serial;
    this.#pending = { serial, target: { path, location, server }, zoneId: zoneIdOf(path), from: current, replyTo };
    this.send(GAME.MSG_ZONETRANSFER_REQUEST, { ZoneName: path, SendAck: 1 });
    this.context.timers.startSingle('transfer-ack', { type: 'game.transfer-ack-timeout', serial }, game.timings.transferAckTimeoutMs);
    return { ok: true, zone: path };
  }

  #declined(reason: string): void {
    const pending = this.#pending;
    if (pending === undefined || pending.acked !== undefined) return;
    this.#pending = undefined;
    this.context.timers.cancel('transfer-ack');
    this.log.info({ character: this.#player?.characterId, to: pending.target.path, reason }, 'zone change cancelled');
    pending.replyTo?.tell({ ok: false, detail: reason });
  }

  /** ACK: leave the zone, save at the destination, create the keys; MSG_SERVERTRANSFER follows after the pause. */
  async #acknowledged(): Promise<void> {
    const pending = this.#pending;
    const player = this.#player;
    if (pending === undefined || pending.acked !== undefined || player === undefined) return;
    this.context.timers.cancel('transfer-ack');
    const game = this.#game;
    const here = await this.askServer<ServerEndpoint | undefined>((replyTo) => ({ type: 'game.endpoint', replyTo }), game.timings.askTimeoutMs).catch(() => undefined);
    if (here === undefined) return this.#failAcked(pending, 'this server does not listen yet');
    const targetServer = pending.target.server ?? here;
    const expiresAt = new Date(game.clock() + game.timings.transferReconnectTimeoutMs);
    const request = { accountId: player.accountId, characterId: player.characterId, expiresAt };
    const key = await createTransferKey(game.store, { ...request, server: targetServer.name });
    const fallbackKey = await createTransferKey(game.store, { ...request, server: here.name });
    if (typeof key !== 'number' || typeof fallbackKey !== 'number') {
      this.log.error({ err: typeof key === 'number' ? (fallbackKey as { error: unknown }).error : key.error }, 'cannot create the login key of a server transfer');
      return this.#failAcked(pending, 'cannot create a login key');
    }
    this.#zone = undefined;
    const left = await this.#leave(pending.from);
    const from = left.found ? left.position : START_POSITION;
    // Another server, same zone: the player keeps its place. Otherwise the named place, or the zone's start.
    const keepsPlace = pending.target.location === '' && pending.target.path === pending.from.path;
    const destination = keepsPlace ? from : resolvePosition(pending.target.location);
    await this.#save(pending.target.path, pending.zoneId, destination);
    pending.acked = { key, fallbackKey, from, here, location: keepsPlace ? formatLocation(toWorld(destination)) : pending.target.location };
    game.loginKeys.tell({
      type: 'keys.transfer', key: String(key), server: targetServer.name, fallbackKey: String(fallbackKey), characterId: player.characterId,
      from: { zone: pending.from.path, location: formatLocation(toWorld(from)) }, expiresAt: expiresAt.getTime(),
    });
    this.context.timers.startSingle('transfer-send', { type: 'game.transfer-send', serial: pending.serial }, game.timings.serverTransferDelayMs);
  }

  #failAcked(pending: PendingTransfer, detail: string): void {
    this.#pending = undefined;
    this.send(EXTENDEDBASE.MSG_SERVERMESSAGE, { Modal: 0, Message: 'The zone change failed.' });
    pending.replyTo?.tell({ ok: false, detail });
  }

  #sendServerTransfer(serial: number): void {
    const pending = this.#pending;
    const player = this.#player;
    const acked = pending?.acked;
    if (pending === undefined || pending.serial !== serial || acked === undefined || player === undefined) return;
    this.#pending = undefined;
    const here = acked.here;
    const target = pending.target.server ?? here;
    this.send(GAME.MSG_SERVERTRANSFER, {
      IP: target.address, TCPPort: target.port, UDPPort: 0, Key: acked.key, UserID: player.accountId, CharID: player.characterId,
      ZoneName: pending.target.path, ZoneID: pending.zoneId, Location: acked.location, Slot: 0, SessionID: 0n, SessionSlot: 0,
      TargetPlayerID: player.characterId, FallbackIP: here.address, FallbackTCPPort: here.port, FallbackUDPPort: 0, FallbackKey: acked.fallbackKey,
      FallbackZone: pending.from.path, FallbackZoneID: pending.from.zoneId, TransitionID: 1,
    });
    this.log.info({ character: player.characterId, from: pending.from.path, to: pending.target.path, server: target.name }, 'player sent to reconnect for a zone change');
    pending.replyTo?.tell({ ok: true, zone: pending.target.path });
    this.closeSession(`zone change to ${pending.target.path} on ${target.name}`);
  }

  #entrant(position: WirePosition) {
    const player = this.#player!;
    return { accountId: player.accountId, characterId: player.characterId, name: player.name, creationData: player.creationData, session: this.env.session, position };
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

  async #save(zoneName: string, zoneId: bigint, position: WirePosition): Promise<void> {
    const player = this.#player!;
    const characters = this.#game.store.characters;
    const save = { zoneName, zoneId, location: toWorld(position) };
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
        this.log.error({ err: error, character: player.characterId }, 'could not save the character');
        return;
      }
    }
  }
}

/** A compact "x,y,z,yaw" is that place; a name (no zone data to look it up in yet) or nothing is the start. */
function resolvePosition(location: string): WirePosition {
  const parsed = parseLocation(location);
  return parsed === undefined ? START_POSITION : toWire(parsed);
}
