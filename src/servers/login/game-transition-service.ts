// GameTransition (flows.md section 2, Select): MSG_SELECTCHARACTER -> a game server from the pool,
// a one-time login key in the store handed to that server, MSG_CHARACTERSELECTED, and the end of
// the login session. No server available: an error reply and the session stays.
import { randomBytes } from 'node:crypto';
import { LOGIN } from '../../protocol/index.js';
import { MessageService, type ServiceContext, type ServiceEnv } from '../../net/index.js';
import { SelectError } from './login-codes.js';
import type { LoginDeps, LoginDepsHolder } from './login-deps.js';
import type { SessionAdmitted } from './login-messages.js';
import type { SelectReply } from './pool-messages.js';
import { locationText } from './character-service.js';

/** A one-time key: 24 random bytes, base64url (32 characters, no padding). */
export function createLoginKey(): string {
  return randomBytes(24).toString('base64url');
}

export class GameTransitionService extends MessageService<SessionAdmitted> {
  readonly #holder: LoginDepsHolder;
  #accountId: bigint | undefined = undefined;
  #selected = false;

  constructor(context: ServiceContext<SessionAdmitted>, env: ServiceEnv, holder: LoginDepsHolder) {
    super(context, env);
    this.#holder = holder;
    this.onServer('login.admitted', ({ accountId }) => {
      this.#accountId = accountId;
    });
    this.onClient(LOGIN.MSG_SELECTCHARACTER, ({ CharID, ServerName }) => this.#select(CharID, ServerName.toString('utf8')));
  }

  get #deps(): LoginDeps {
    return this.#holder.deps!;
  }

  async #select(characterId: bigint, serverName: string): Promise<void> {
    const timed = this.timeStep('select');
    try {
      await this.#selectCharacter(characterId, serverName);
    } finally {
      timed();
    }
  }

  async #selectCharacter(characterId: bigint, serverName: string): Promise<void> {
    const accountId = this.#accountId;
    if (accountId === undefined) return this.#fail(SelectError.NotAdmitted, characterId);
    // The session is closing after a selection: a second one must not create a second key.
    if (this.#selected) return this.#fail(SelectError.Busy, characterId);
    const { store, pool, settings, clock } = this.#deps;
    try {
      const character = await store.characters.get(characterId);
      if (character === undefined || character.accountId !== accountId) return this.#fail(SelectError.NotFound, characterId);
      const choice = await pool.ask<SelectReply>((replyTo) => ({ type: 'pool.select', preferred: serverName.slice(0, 64), replyTo }), settings.requestTimeoutMs);
      if (choice.type === 'pool.no-server') {
        this.log.warn({ accountId: String(accountId), characterId: String(characterId), reason: choice.reason }, 'character selection: no game server');
        return this.#fail(SelectError.NoServer, characterId);
      }
      const key = createLoginKey();
      const expiresAt = clock() + settings.loginKeyExpiryMs;
      await store.loginKeys.create({ key, accountId, characterId, server: choice.name, expiresAt: new Date(expiresAt) });
      pool.tell({ type: 'pool.forward-login-key', server: choice.name, grant: { type: 'pool.grant-login-key', key, accountId, characterId, expiresAt } });
      this.#selected = true;
      this.send(LOGIN.MSG_CHARACTERSELECTED, {
        IP: choice.address,
        TCPPort: choice.port,
        UDPPort: choice.port,
        Key: key,
        UserID: accountId,
        CharID: characterId,
        ZoneID: character.zoneId ?? 0n,
        ZoneName: character.zoneName ?? settings.startZone,
        Location: locationText(character) ?? 'Start',
        Slot: 0,
        PrepPhase: 0,
        Error: SelectError.Ok,
        LoginServer: settings.name,
      });
      this.log.info({ accountId: String(accountId), characterId: String(characterId), character: character.name, server: choice.name }, 'character selected');
      this.closeSession('character selected');
    } catch (error) {
      this.log.error({ err: error, accountId: String(accountId), characterId: String(characterId) }, 'character selection failed');
      this.#fail(SelectError.ServerError, characterId);
    }
  }

  #fail(error: number, characterId: bigint): void {
    this.send(LOGIN.MSG_CHARACTERSELECTED, {
      IP: '', TCPPort: 0, UDPPort: 0, Key: '', UserID: this.#accountId ?? 0n, CharID: characterId, ZoneID: 0n,
      ZoneName: '', Location: '', Slot: 0, PrepPhase: 0, Error: error, LoginServer: this.#deps.settings.name,
    });
  }
}
