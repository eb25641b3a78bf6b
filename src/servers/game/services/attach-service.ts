// The Attach service (flows.md section 3, "Attach"): MSG_ATTACH with the one-time login key, consumed
// in the store (the authority) for this server, account and character; then the character is
// loaded, the player registered with the server and recorded online, and it enters its zone (the
// LOGINCOMPLETE goes out through the zone, ahead of what the zone shows). Any failure:
// MSG_ATTACHFAILED and the session closes. No attach within the limit: the session closes.
import { GAME, encodeDmlFrame } from '../../../protocol/index.js';
import { MessageService, type ServiceContext, type ServiceEnv } from '../../../net/index.js';
import { AccessLevel } from '../../../store/index.js';
import { GameErrorCode } from '../errors.js';
import type { GameContext } from '../game-context.js';
import { START_POSITION, toWire } from '../location.js';
import type { EnterResult, PlayerReady, RegisterPlayerReply } from '../messages.js';
import { playerBlob, wrapRawBlob } from '../player-blob.js';
import { parseZonePath, zoneIdOf } from '../zone-path.js';
import { rankOf } from './feedback.js';

type EnterReply = { readonly ok: true; readonly value: EnterResult } | { readonly ok: false; readonly error: unknown };
type AttachMessage = { readonly type: 'game.attach-timeout' } | { readonly type: 'game.entered'; readonly reply: EnterReply };

interface Attaching {
  readonly accountId: bigint;
  readonly characterId: bigint;
  readonly name: string;
  readonly username: string;
  readonly accessLevel: AccessLevel;
  readonly creationData: Buffer;
  readonly stateVersion: number;
  readonly mutedUntil: number;
}

const ATTACH_TIMEOUT: AttachMessage = Object.freeze({ type: 'game.attach-timeout' });
const MAX_KEY_BYTES = 256;

class AttachRefused extends Error {
  constructor(readonly errorCode: number, message: string) {
    super(message);
  }
}

export class AttachService extends MessageService<AttachMessage> {
  readonly #game: GameContext;
  #state: 'waiting' | 'attaching' | 'attached' | 'failed' = 'waiting';
  #attaching: Attaching | undefined = undefined;
  #timed: (() => void) | undefined;

  constructor(context: ServiceContext<AttachMessage>, env: ServiceEnv, game: GameContext) {
    super(context, env);
    this.#game = game;
    this.onClient(GAME.MSG_ATTACH, (data) => this.#attach(data));
    this.onServer('game.attach-timeout', () => {
      if (this.#state !== 'waiting') return;
      this.log.info({ limitMs: game.timings.attachTimeoutMs, remote: env.remoteAddress }, 'no MSG_ATTACH in time; closing');
      this.#state = 'failed';
      this.closeSession('attach timeout');
    });
    this.onServer('game.entered', ({ reply }) => this.#entered(reply));
  }

  protected override onSessionStart(): void {
    this.context.timers.startSingle('attach', ATTACH_TIMEOUT, this.#game.timings.attachTimeoutMs);
  }

  async #attach(data: { LoginKey: Buffer; UserID: bigint; CharID: bigint }): Promise<void> {
    if (this.#state !== 'waiting') {
      this.log.debug({ state: this.#state }, 'ignored a MSG_ATTACH: this session already attached or is attaching');
      return;
    }
    this.#state = 'attaching';
    this.#timed = this.timeStep('attach');
    this.context.timers.cancel('attach');
    try {
      await this.#run(data.LoginKey, data.UserID, data.CharID);
    } catch (error) {
      this.#fail(error, data.UserID, data.CharID);
    }
  }

  #fail(error: unknown, accountId: bigint, characterId: bigint): void {
    this.#state = 'failed';
    this.#timed?.();
    const refused = error instanceof AttachRefused ? error : new AttachRefused(GameErrorCode.Internal, `internal failure: ${(error as Error)?.message ?? String(error)}`);
    const ids = { accountId: String(accountId), characterId: String(characterId), username: this.#attaching?.username, character: this.#attaching?.name };
    if (error instanceof AttachRefused) this.log.info({ ...ids, reason: refused.message }, 'attach refused');
    else this.log.error({ err: error, ...ids }, 'attach failed');
    this.send(GAME.MSG_ATTACHFAILED, { Error: refused.errorCode, Rejected: 1, NoDisconnect: 0 });
    this.closeSession(`attach failed: ${refused.message}`);
  }

  async #run(keyBytes: Buffer, accountId: bigint, characterId: bigint): Promise<void> {
    const game = this.#game;
    const { store } = game;
    if (keyBytes.length === 0 || keyBytes.length > MAX_KEY_BYTES) throw new AttachRefused(GameErrorCode.BadLoginKey, `login key of ${keyBytes.length} bytes`);
    const key = keyBytes.toString('utf8');
    const consumed = await store.loginKeys.consumeLoginKey(key, game.name, new Date());
    if (consumed === undefined) throw new AttachRefused(GameErrorCode.BadLoginKey, 'unknown, used, expired or foreign login key');
    game.loginKeys.tell({ type: 'keys.used', key });
    if (consumed.accountId !== accountId || consumed.characterId !== characterId) throw new AttachRefused(GameErrorCode.BadLoginKey, 'the login key is for another account or character');
    const [character, account] = await Promise.all([store.characters.get(characterId), store.accounts.get(accountId)]);
    if (character === undefined || character.accountId !== accountId) throw new AttachRefused(GameErrorCode.UnknownCharacter, 'no such character for this account');
    if (account === undefined || account.locked) throw new AttachRefused(GameErrorCode.UnknownCharacter, 'the account is unknown or locked');

    const session = this.env.session;
    const registered = await this.askServer<RegisterPlayerReply>(
      (replyTo) => ({ type: 'game.register-player', entry: { sid: this.env.sid, accountId, characterId, name: character.name, accessLevel: account.accessLevel, session }, replyTo }),
      game.timings.askTimeoutMs,
    );
    if (!registered.ok) throw new AttachRefused(registered.code, registered.detail);

    try {
      await store.onlinePlayers.put({ server: game.name, sessionId: BigInt(this.env.sid), accountId, characterId, since: new Date() });
    } catch (error) {
      this.log.error({ err: error, accountId: String(accountId) }, 'could not record the player online; attaching anyway');
    }

    const path = (character.zoneName === null ? undefined : parseZonePath(character.zoneName)) ?? game.startZone;
    const position = character.location === null ? START_POSITION : toWire(character.location);
    const blob = wrapRawBlob(playerBlob(game.codec, { characterId, name: character.name, zone: path, creationData: character.creationData }, position));
    const rank = rankOf(account.accessLevel);
    const loginComplete = encodeDmlFrame(game.registry, GAME.MSG_LOGINCOMPLETE, {
      ZoneName: path, Data: blob, ServerTime: Math.floor(Date.now() / 1000) >>> 0, ZoneID: zoneIdOf(path), DynamicZoneID: 0, DynamicServerProcID: 0,
      Permissions: rank, IsCSR: account.accessLevel === AccessLevel.Player ? 0 : 1, ZoneServer: game.name, TestServer: 0, AltMusicFile: 0,
      ShowSubscriberIcon: 0, SubscriberCrownsPricePercent: 0, UseFriendFinder: 0, RealmName: game.realm, IsBossMarkZone: 0, CriticalObjects: '',
      ZoneHasFriendlyPlayers: 0, HourOffset: 0, DisableBeastmoonGroups: 0, PickUpAllEnabled: 0, SegmentedMessage: 0, LastSegment: 1,
    });
    this.#attaching = {
      accountId, characterId, name: character.name, username: account.username, accessLevel: account.accessLevel, creationData: character.creationData,
      stateVersion: character.stateVersion, mutedUntil: registered.mutedUntil,
    };
    // The zone may take a while to load: the answer comes back as a message, so this service stays
    // free to end with its session meanwhile (the zone watches the session, and drops a player whose
    // session ended before it was admitted).
    this.context.pipeToSelf(
      game.world.ask<EnterResult>(
        (replyTo) => ({ type: 'world.enter', path, owner: characterId, entrant: { accountId, characterId, name: character.name, creationData: character.creationData, session, position }, preamble: [loginComplete], replyTo }),
        game.timings.zoneLoadTimeoutMs + game.timings.askTimeoutMs,
      ),
      (reply): AttachMessage => ({ type: 'game.entered', reply }),
    );
  }

  #entered(reply: EnterReply): void {
    const attaching = this.#attaching;
    if (attaching === undefined || this.#state !== 'attaching') return;
    this.#attaching = undefined;
    const { accountId, characterId } = attaching;
    if (!reply.ok) return this.#fail(reply.error, accountId, characterId);
    const entered = reply.value;
    if (!entered.ok) return this.#fail(new AttachRefused(GameErrorCode.ZoneUnavailable, entered.detail), accountId, characterId);
    this.#state = 'attached';
    this.#timed?.();
    const ready: PlayerReady = {
      type: 'game.player-ready', accountId, characterId, name: attaching.name, accessLevel: attaching.accessLevel,
      creationData: attaching.creationData, stateVersion: attaching.stateVersion, mutedUntil: attaching.mutedUntil, zone: entered,
    };
    this.tellServices(ready);
    this.#game.server.tell({ type: 'game.player-zone', sid: this.env.sid, zone: entered.path });
    this.log.info({
      accountId: String(accountId), characterId: String(characterId), username: attaching.username, character: attaching.name, zone: entered.path, instance: entered.instance,
    }, 'player attached');
  }
}
