// The client side of the login handshake, for tests, bots and load tools: what a game client does
// with its password and the server's SessionOffer (wire-protocol.md section 5).
import { LOGIN, clientKey1, decryptRec1, encryptRec1, passKey3, passwordHash, sessionSalt, type SessionTime } from '../../protocol/index.js';
import type { KiClient } from '../../net/index.js';

/** Rec1 of MSG_USER_AUTHEN_V3: "<sid> <username> <CK1>" encrypted with the offer's key. */
export function rec1For(offer: SessionTime, username: string, password: string): Buffer {
  const ck1 = clientKey1(passwordHash(password), sessionSalt(offer.sid, offer.secs, offer.millis));
  return encryptRec1(Buffer.from(`${offer.sid} ${username} ${ck1}`, 'utf8'), offer);
}

export interface AuthenticateOptions {
  readonly machineId?: bigint;
  readonly timeoutMs?: number;
}

export interface AuthenticateResult {
  /** MSG_USER_AUTHEN_RSP.Error (0 on success). */
  readonly error: number;
  readonly userId: bigint;
  readonly reason: string;
  /** The ClientKey2 the server sent (decrypted), empty on failure. */
  readonly clientKey2: string;
}

/** Sends MSG_USER_AUTHEN_V3 and waits for MSG_USER_AUTHEN_RSP. */
export async function authenticate(client: KiClient, username: string, password: string, options: AuthenticateOptions = {}): Promise<AuthenticateResult> {
  client.send(LOGIN.MSG_USER_AUTHEN_V3, {
    Rec1: rec1For(client.offer, username, password),
    Version: '', Revision: '', DataRevision: '', CRC: '',
    MachineID: options.machineId ?? 0n,
    Locale: 'English', PatchClientID: '', IsSteamPatcher: 0, ConsoleType: 0,
  });
  const rsp = await client.next(LOGIN.MSG_USER_AUTHEN_RSP, options.timeoutMs ?? 5000);
  return {
    error: rsp.Error,
    userId: rsp.UserID,
    reason: rsp.Reason.toString('utf8'),
    clientKey2: rsp.Error === 0 ? decryptRec1(rsp.Rec1, client.offer).toString('latin1') : '',
  };
}

/** Sends MSG_USER_VALIDATE with PassKey3 from a ClientKey2 and waits for MSG_USER_VALIDATE_RSP. */
export async function validate(
  client: KiClient,
  userId: bigint,
  clientKey2: string,
  options: AuthenticateOptions = {},
): Promise<{ error: number; userId: bigint; reason: string }> {
  const { sid, secs, millis } = client.offer;
  client.send(LOGIN.MSG_USER_VALIDATE, {
    UserID: userId,
    PassKey3: passKey3(clientKey2, sessionSalt(sid, secs, millis)),
    MachineID: options.machineId ?? 0n,
    Locale: 'English',
    PatchClientID: '',
  });
  const rsp = await client.next(LOGIN.MSG_USER_VALIDATE_RSP, options.timeoutMs ?? 5000);
  return { error: rsp.Error, userId: rsp.UserID, reason: rsp.Reason.toString('utf8') };
}
