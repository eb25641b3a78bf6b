// Authenticator (flows.md section 2, Authenticate and Validate): checks MSG_USER_AUTHEN_V3 and
// MSG_USER_VALIDATE, answers each with exactly one reply, then takes the session through the
// duplicate-login policy and the admission queue.
//
// One session authenticates once. Requests are handled one at a time (the service's mailbox), so a
// second AUTHEN or VALIDATE sent while the first is in flight is answered after it: with a failure
// ("already authenticated") if the first succeeded, or on its own merits if it failed.
import { randomBytes } from 'node:crypto';
import { LOGIN, clientKey1, constantTimeEqual, createClientKey2, decryptRec1, encryptRec1, passKey3, passwordHash, sessionSalt } from '../../protocol/index.js';
import { MessageService, type ServiceContext, type ServiceEnv } from '../../net/index.js';
import { StoreError, StoreErrorCode, type Account, type Ban } from '../../store/index.js';
import { Rec1FormatError } from './errors.js';
import { AuthenError, ValidateError } from './login-codes.js';
import type { LoginDepsHolder, LoginDeps } from './login-deps.js';
import type { ClaimReply, EnterReply, SessionAuthenticated, ThrottleVerdict } from './login-messages.js';
import { DuplicateLoginPolicy } from './login-settings.js';

/** Longest Rec1 accepted: "<sid> <username 64> <CK1 88>" is far below. */
const MAX_REC1_BYTES = 512;
const MAX_USERNAME_CHARS = 64;
const UNKNOWN_ACCOUNT_HASH = passwordHash(randomBytes(16).toString('hex'));

export interface Rec1Text {
  readonly sid: string;
  readonly username: string;
  readonly ck1: string;
}

/** Splits the decrypted Rec1 text; the username may contain spaces, the sid and CK1 never do. */
export function parseRec1(text: string): Rec1Text {
  const first = text.indexOf(' ');
  const last = text.lastIndexOf(' ');
  if (first <= 0 || last <= first + 1 || last === text.length - 1) throw new Rec1FormatError('Rec1 is not "<sid> <username> <CK1>"');
  const username = text.slice(first + 1, last);
  if (username.length > MAX_USERNAME_CHARS) throw new Rec1FormatError(`username longer than ${MAX_USERNAME_CHARS} characters`);
  return { sid: text.slice(0, first), username, ck1: text.slice(last + 1) };
}

/** The address part of "host:port" (IPv6 hosts keep their colons). */
export function hostOf(remoteAddress: string): string {
  const at = remoteAddress.lastIndexOf(':');
  return at <= 0 ? remoteAddress : remoteAddress.slice(0, at);
}

type Outcome = { readonly error: number; readonly reason: string; readonly log?: string; readonly countsAsFailure: boolean };

interface Reply {
  kind: 'authen' | 'validate';
  error: number;
  reason: string;
  userId: bigint;
  rec1?: Buffer;
}

export class AuthenticatorService extends MessageService {
  readonly #holder: LoginDepsHolder;
  readonly #address: string;
  #accountId: bigint | undefined = undefined;
  #claimed = false;

  constructor(context: ServiceContext, env: ServiceEnv, holder: LoginDepsHolder) {
    super(context, env);
    this.#holder = holder;
    this.#address = hostOf(env.remoteAddress);
    this.onClient(LOGIN.MSG_USER_AUTHEN_V3, (data) => this.#authenticate(data));
    this.onClient(LOGIN.MSG_USER_VALIDATE, (data) => this.#validate(data));
  }

  get #deps(): LoginDeps {
    return this.#holder.deps!;
  }

  protected override onSessionEnd(): void {
    if (!this.#claimed) return;
    this.#deps.online.tell({ type: 'online.release', sid: this.env.sid });
    this.#deps.admission.tell({ type: 'admission.leave', sid: this.env.sid });
  }

  // ---- MSG_USER_AUTHEN_V3 -----------------------------------------------------------------------

  async #authenticate(data: { Rec1: Buffer; MachineID: bigint }): Promise<void> {
    const timed = this.timeStep('authenticate');
    const reply: Reply = { kind: 'authen', error: AuthenError.AuthenFailed, reason: '', userId: 0n };
    try {
      if (this.#accountId !== undefined) {
        reply.reason = 'this session is already authenticated';
        return;
      }
      let rec1: Rec1Text;
      try {
        rec1 = this.#decrypt(data.Rec1);
      } catch (error) {
        this.log.warn({ remote: this.env.remoteAddress, reason: (error as Error).message }, 'authentication refused: unreadable Rec1');
        this.#deps.throttle.tell({ type: 'throttle.report', account: '', address: this.#address, success: false });
        reply.reason = 'malformed credentials';
        return;
      }
      const throttleKey = rec1.username.toLowerCase();
      const outcome = await this.#checkAuthen(rec1, data.MachineID, reply);
      if (outcome !== undefined) {
        reply.error = outcome.error;
        reply.reason = outcome.reason;
        this.log.warn({ username: rec1.username, remote: this.env.remoteAddress, machineId: String(data.MachineID), reason: outcome.log ?? outcome.reason }, 'authentication refused');
        if (outcome.countsAsFailure) this.#deps.throttle.tell({ type: 'throttle.report', account: throttleKey, address: this.#address, success: false });
        return;
      }
      this.#deps.throttle.tell({ type: 'throttle.report', account: throttleKey, address: this.#address, success: true });
      await this.#succeed(reply, data.MachineID, rec1.username);
    } catch (error) {
      this.log.error({ err: error, remote: this.env.remoteAddress }, 'authentication failed on a server error');
      reply.error = AuthenError.Timeout;
      reply.reason = 'server error, try again';
    } finally {
      this.#reply(reply);
      timed();
    }
    if (reply.error === AuthenError.Ok) await this.#admit();
  }

  #decrypt(rec1: Buffer): Rec1Text {
    if (rec1.length === 0 || rec1.length > MAX_REC1_BYTES) throw new Rec1FormatError(`Rec1 of ${rec1.length} bytes`);
    const parsed = parseRec1(decryptRec1(rec1, this.env.offer).toString('utf8'));
    if (parsed.sid !== String(this.env.sid)) throw new Rec1FormatError(`Rec1 names session ${parsed.sid.slice(0, 8)}, not ${this.env.sid}`);
    return parsed;
  }

  /** Undefined when the credentials are good and nothing bars the account; the refusal otherwise. */
  async #checkAuthen(rec1: Rec1Text, machineId: bigint, reply: Reply): Promise<Outcome | undefined> {
    const { store } = this.#deps;
    const locked = await this.#throttle(rec1.username.toLowerCase());
    if (locked !== undefined) return locked;
    const account = await this.#findAccount(rec1.username);
    const bans = await store.bans.activeBansFor({ machineId, address: this.#address, ...(account === undefined ? {} : { accountId: account.id }) }, new Date(this.#deps.clock()));
    const machineBan = bans.find((b) => b.accountId === null);
    if (machineBan !== undefined) return { error: AuthenError.MachineBanned, reason: 'this machine is banned', log: banLog(machineBan), countsAsFailure: false };
    if (account === undefined) {
      // The same hashing as for a real account, so the reply time does not tell which names exist.
      constantTimeEqual(rec1.ck1, clientKey1(UNKNOWN_ACCOUNT_HASH, this.#salt()));
      return { error: AuthenError.AuthenFailed, reason: 'invalid username or password', log: 'unknown username', countsAsFailure: true };
    }
    const stored = await store.accounts.credentialFor(account.id);
    const expected = stored === undefined ? undefined : clientKey1(stored, this.#salt());
    // The comparison runs even without a stored hash, so a missing credential costs the same time.
    const good = constantTimeEqual(rec1.ck1, expected ?? '') && expected !== undefined;
    if (!good) return { error: AuthenError.AuthenFailed, reason: 'invalid username or password', log: 'wrong password', countsAsFailure: true };
    // Bans and locks are revealed only to whoever knows the password.
    const refusal = accountRefusal(account, bans, AuthenError.AccountBanned);
    if (refusal !== undefined) return refusal;
    reply.userId = account.id;
    return this.#duplicatePolicy(account.id, AuthenError.AuthenFailed);
  }

  /** A username the store refuses as a value (control characters, too long) names no account. */
  async #findAccount(username: string): Promise<Account | undefined> {
    try {
      return await this.#deps.store.accounts.findByUsername(username);
    } catch (error) {
      if (error instanceof StoreError && (error.code === StoreErrorCode.InvalidValue || error.code === StoreErrorCode.ValueTooLong)) return undefined;
      throw error;
    }
  }

  async #succeed(reply: Reply, machineId: bigint, username: string): Promise<void> {
    const { store, settings, clock } = this.#deps;
    const ck2 = createClientKey2();
    const now = clock();
    // Both in one group commit: the key must be stored before the client can use it.
    await Promise.all([
      store.sessionKeys.put({ accountId: reply.userId, machineId, key: ck2, expiresAt: new Date(now + settings.clientKeyExpiryMs) }),
      store.accounts.recordLogin(reply.userId, new Date(now)),
    ]);
    reply.error = AuthenError.Ok;
    reply.rec1 = encryptRec1(Buffer.from(ck2, 'latin1'), this.env.offer);
    this.#accountId = reply.userId;
    this.log.info({ accountId: String(reply.userId), username, remote: this.env.remoteAddress }, 'authenticated');
  }

  // ---- MSG_USER_VALIDATE ------------------------------------------------------------------------

  async #validate(data: { UserID: bigint; PassKey3: Buffer; MachineID: bigint }): Promise<void> {
    const reply: Reply = { kind: 'validate', error: ValidateError.ValidateFailed, reason: '', userId: data.UserID };
    try {
      if (this.#accountId !== undefined) {
        reply.reason = 'this session is already authenticated';
        return;
      }
      const throttleKey = `#${data.UserID}`;
      const outcome = await this.#checkValidate(data);
      if (outcome !== undefined) {
        reply.error = outcome.error;
        reply.reason = outcome.reason;
        this.log.warn({ userId: String(data.UserID), remote: this.env.remoteAddress, machineId: String(data.MachineID), reason: outcome.log ?? outcome.reason }, 'validation refused');
        if (outcome.countsAsFailure) this.#deps.throttle.tell({ type: 'throttle.report', account: throttleKey, address: this.#address, success: false });
        return;
      }
      this.#deps.throttle.tell({ type: 'throttle.report', account: throttleKey, address: this.#address, success: true });
      await this.#deps.store.accounts.recordLogin(data.UserID, new Date(this.#deps.clock()));
      reply.error = ValidateError.Ok;
      this.#accountId = data.UserID;
      this.log.info({ accountId: String(data.UserID), remote: this.env.remoteAddress }, 'validated');
    } catch (error) {
      this.log.error({ err: error, remote: this.env.remoteAddress }, 'validation failed on a server error');
      reply.error = ValidateError.Timeout;
      reply.reason = 'server error, try again';
    } finally {
      this.#reply(reply);
    }
    if (reply.error === ValidateError.Ok) await this.#admit();
  }

  async #checkValidate(data: { UserID: bigint; PassKey3: Buffer; MachineID: bigint }): Promise<Outcome | undefined> {
    const { store, clock } = this.#deps;
    const locked = await this.#throttle(`#${data.UserID}`);
    if (locked !== undefined) return { ...locked, error: ValidateError.ValidateFailed };
    const now = new Date(clock());
    const account = await store.accounts.get(data.UserID);
    const bans = await store.bans.activeBansFor({ machineId: data.MachineID, address: this.#address, ...(account === undefined ? {} : { accountId: account.id }) }, now);
    const machineBan = bans.find((b) => b.accountId === null);
    if (machineBan !== undefined) return { error: ValidateError.MachineBanned, reason: 'this machine is banned', log: banLog(machineBan), countsAsFailure: false };
    const failed: Outcome = { error: ValidateError.ValidateFailed, reason: 'validation failed', countsAsFailure: true };
    if (account === undefined) return { ...failed, log: 'unknown user id' };
    const key = await store.sessionKeys.find(account.id, data.MachineID, now);
    const expected = key === undefined ? '' : passKey3(key.key, this.#salt());
    if (!(constantTimeEqual(data.PassKey3, Buffer.from(expected, 'latin1')) && key !== undefined)) {
      return { ...failed, log: key === undefined ? 'no unexpired ClientKey2 for this account and machine' : 'wrong PassKey3' };
    }
    const refusal = accountRefusal(account, bans, ValidateError.AccountBanned);
    if (refusal !== undefined) return refusal;
    const duplicate = await this.#duplicatePolicy(account.id, ValidateError.ValidateFailed);
    if (duplicate !== undefined) return duplicate;
    // Single use: of two sessions validating with one key, one wins.
    if ((await store.sessionKeys.consume(account.id, data.MachineID, now)) === undefined) return { ...failed, log: 'ClientKey2 used by another session' };
    return undefined;
  }

  // ---- shared steps -----------------------------------------------------------------------------

  async #throttle(account: string): Promise<Outcome | undefined> {
    const { throttle, settings } = this.#deps;
    const verdict = await throttle.ask<ThrottleVerdict>((replyTo) => ({ type: 'throttle.check', account, address: this.#address, replyTo }), settings.requestTimeoutMs);
    if (verdict.lockedForMs > 0) {
      return { error: AuthenError.AuthenFailed, reason: 'too many failed attempts, try again later', log: `locked out for ${Math.ceil(verdict.lockedForMs / 1000)} s after repeated failures`, countsAsFailure: false };
    }
    if (verdict.delayMs > 0) await new Promise<void>((resolve) => this.context.system.scheduler.schedule(verdict.delayMs, resolve));
    return undefined;
  }

  async #duplicatePolicy(accountId: bigint, error: number): Promise<Outcome | undefined> {
    const { online, settings } = this.#deps;
    if (settings.duplicateLogin !== DuplicateLoginPolicy.RefuseNew) return undefined;
    const isOnline = await online.ask<boolean>((replyTo) => ({ type: 'online.is-online', accountId, replyTo }), settings.requestTimeoutMs);
    return isOnline ? { error, reason: 'this account is already online', countsAsFailure: false } : undefined;
  }

  #salt(): string {
    const { sid, secs, millis } = this.env.offer;
    return sessionSalt(sid, secs, millis);
  }

  #reply(reply: Reply): void {
    const timeStamp = String(Math.floor(this.#deps.clock() / 1000));
    const logins = this.#deps.logins;
    if (logins !== undefined) {
      if (reply.error === 0) logins.succeeded();
      else logins.failed(`${reply.kind}-${errorName(reply.kind === 'authen' ? AuthenError : ValidateError, reply.error)}`);
    }
    if (reply.kind === 'authen') {
      this.send(LOGIN.MSG_USER_AUTHEN_RSP, {
        Error: reply.error,
        UserID: reply.error === 0 ? reply.userId : 0n,
        Rec1: reply.rec1 ?? Buffer.alloc(0),
        Reason: reply.reason,
        TimeStamp: timeStamp,
        PayingUser: reply.error === 0 ? 1 : 0,
        Flags: 0,
      });
    } else {
      this.send(LOGIN.MSG_USER_VALIDATE_RSP, {
        Error: reply.error,
        Reason: reply.reason,
        UserID: reply.error === 0 ? reply.userId : 0n,
        TimeStamp: timeStamp,
        PayingUser: reply.error === 0 ? 1 : 0,
        Flags: 0,
      });
    }
  }

  /** Duplicate-login policy, then the admission queue (which speaks to the client itself). */
  async #admit(): Promise<void> {
    const accountId = this.#accountId!;
    const { online, admission, settings } = this.#deps;
    const session = this.env.session;
    const sid = this.env.sid;
    // Set before asking: even if the ask times out, the actors may know this session and must hear of its end.
    this.#claimed = true;
    try {
      const claim = await online.ask<ClaimReply>((replyTo) => ({ type: 'online.claim', accountId, sid, session, replyTo }), settings.requestTimeoutMs);
      if (claim.type === 'online.claim-refused') {
        this.log.warn({ accountId: String(accountId), reason: claim.reason }, 'login refused at admission');
        this.closeSession(`admission refused: ${claim.reason}`);
        return;
      }
      const authenticated: SessionAuthenticated = { type: 'login.authenticated', accountId };
      this.tellServices(authenticated);
      const entered = await admission.ask<EnterReply>((replyTo) => ({ type: 'admission.enter', accountId, sid, session, replyTo }), settings.requestTimeoutMs);
      if (entered.type === 'admission.refused') {
        this.log.warn({ accountId: String(accountId), reason: entered.reason }, 'login refused at admission');
        this.closeSession(`admission refused: ${entered.reason}`);
      }
    } catch (error) {
      this.log.error({ err: error, accountId: String(accountId) }, 'admission failed; closing the session');
      this.closeSession('admission failed');
    }
  }
}

function banLog(ban: Ban): string {
  const target = ban.machineId !== null ? `machine ${ban.machineId}` : ban.address !== null ? `address ${ban.address}` : `account ${String(ban.accountId)}`;
  return `banned (${target}): ${ban.reason}`;
}

function accountRefusal(account: Account, bans: readonly Ban[], error: number): Outcome | undefined {
  const ban = bans.find((b) => b.accountId !== null);
  if (ban !== undefined) return { error, reason: 'this account is banned', log: banLog(ban), countsAsFailure: false };
  if (account.locked) return { error, reason: 'this account is locked', log: 'account locked', countsAsFailure: false };
  return undefined;
}

function errorName(codes: Readonly<Record<string, number>>, error: number): string {
  for (const [name, value] of Object.entries(codes)) if (value === error) return name;
  return 'other';
}
