// The login server's side of a player's journey, as a client does it (flows.md section 2): the
// authentication with the session-salted crypto, admission, the character list, creation, selection.
// Each function sends one request and awaits its answer; a refusal is a BotStepError whose kind
// carries the server's error code.
import type { KiClient } from '../net/index.js';
import { LOGIN, clientKey1, decryptRec1, encryptRec1, passwordHash, sessionSalt } from '../protocol/index.js';
import { decodeCharacterInfo, encodeCreationInfo, type CharacterInfo } from './character-blob.js';
import { BotStepError } from './errors.js';

export interface BotAccount {
  readonly username: string;
  readonly password: string;
}

export interface Authenticated {
  readonly userId: bigint;
  /** ClientKey2, decrypted: what a launcher would hand the client for MSG_USER_VALIDATE. */
  readonly clientKey2: string;
}

export interface Selected {
  readonly host: string;
  readonly port: number;
  readonly key: Buffer;
  readonly userId: bigint;
  readonly characterId: bigint;
  readonly zoneId: bigint;
  readonly zoneName: string;
  readonly location: string;
}

const hex = (code: number): string => `0x${(code >>> 0).toString(16).padStart(8, '0')}`;

/** Wraps the client library's failures (timeout, closed) into a step error named after the step. */
export async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BotStepError) throw error;
    const code = (error as { code?: unknown }).code;
    throw new BotStepError(name, typeof code === 'string' ? code : 'error', (error as Error).message, { cause: error });
  }
}

/** The text Rec1 carries: "<sid> <username> <CK1>", with CK1 salted by this session's offer. */
export function authenticationRec1(client: KiClient, account: BotAccount): Buffer {
  const { sid, secs, millis } = client.offer;
  const ck1 = clientKey1(passwordHash(account.password), sessionSalt(sid, secs, millis));
  return encryptRec1(Buffer.from(`${sid} ${account.username} ${ck1}`, 'utf8'), client.offer);
}

/** MSG_USER_AUTHEN_V3 -> MSG_USER_AUTHEN_RSP. */
export async function authenticate(client: KiClient, account: BotAccount, machineId: bigint, timeoutMs: number): Promise<Authenticated> {
  return step('login.authenticate', async () => {
    client.send(LOGIN.MSG_USER_AUTHEN_V3, {
      Rec1: authenticationRec1(client, account),
      Version: '', Revision: '', DataRevision: '', CRC: '',
      MachineID: machineId, Locale: 'English', PatchClientID: '', IsSteamPatcher: 0, ConsoleType: 0,
    });
    const reply = await client.next(LOGIN.MSG_USER_AUTHEN_RSP, timeoutMs);
    if (reply.Error !== 0) {
      throw new BotStepError('login.authenticate', `authen-rejected:${hex(reply.Error)}`, `refused with ${hex(reply.Error)} (${reply.Reason.toString('utf8')})`);
    }
    return { userId: reply.UserID, clientKey2: decryptRec1(reply.Rec1, client.offer).toString('latin1') };
  });
}

/**
 * Waits for MSG_USER_ADMIT_IND with Status 1, through any number of queue updates (Status 0).
 * `timeoutMs` bounds the wait for each indication, not the whole queue.
 */
export async function awaitAdmission(client: KiClient, timeoutMs: number, onQueued?: (position: number) => void): Promise<void> {
  return step('login.admit', async () => {
    for (;;) {
      const ind = await client.next(LOGIN.MSG_USER_ADMIT_IND, timeoutMs);
      if (ind.Status === 1) return;
      onQueued?.(ind.PositionInQueue);
    }
  });
}

/** MSG_REQUESTCHARACTERLIST -> STARTCHARACTERLIST, CHARACTERINFO..., CHARACTERLIST. */
export async function listCharacters(client: KiClient, timeoutMs: number): Promise<CharacterInfo[]> {
  return step('login.list', async () => {
    client.send(LOGIN.MSG_REQUESTCHARACTERLIST, {});
    await client.next(LOGIN.MSG_STARTCHARACTERLIST, timeoutMs);
    const end = await client.next(LOGIN.MSG_CHARACTERLIST, timeoutMs);
    if (end.Error !== 0) throw new BotStepError('login.list', `list-error:${end.Error}`, `character list ended with Error ${end.Error}`);
    // The terminator arrives after every CHARACTERINFO, so all of them are queued by now.
    const characters: CharacterInfo[] = [];
    while (client.queued(LOGIN.MSG_CHARACTERINFO) > 0) {
      const info = await client.next(LOGIN.MSG_CHARACTERINFO, timeoutMs);
      try {
        characters.push(decodeCharacterInfo(info.CharacterInfo));
      } catch (error) {
        throw new BotStepError('login.list', 'bad-character-blob', (error as Error).message, { cause: error });
      }
    }
    return characters;
  });
}

/** MSG_CREATECHARACTER -> MSG_CREATECHARACTERRESPONSE. The new id is learned from the next list. */
export async function createCharacter(client: KiClient, name: string, timeoutMs: number): Promise<void> {
  return step('login.create', async () => {
    client.send(LOGIN.MSG_CREATECHARACTER, { CreationInfo: encodeCreationInfo(name) });
    const reply = await client.next(LOGIN.MSG_CREATECHARACTERRESPONSE, timeoutMs);
    if (reply.ErrorCode !== 0) throw new BotStepError('login.create', `create-error:${reply.ErrorCode}`, `creation refused with ErrorCode ${reply.ErrorCode}`);
  });
}

/** MSG_SELECTCHARACTER -> MSG_CHARACTERSELECTED (the game server and the one-time key). */
export async function selectCharacter(client: KiClient, characterId: bigint, timeoutMs: number, serverName = ''): Promise<Selected> {
  return step('login.select', async () => {
    client.send(LOGIN.MSG_SELECTCHARACTER, { CharID: characterId, ServerName: serverName });
    const reply = await client.next(LOGIN.MSG_CHARACTERSELECTED, timeoutMs);
    if (reply.Error !== 0) throw new BotStepError('login.select', `select-error:${reply.Error}`, `selection refused with Error ${reply.Error}`);
    return {
      host: reply.IP.toString('utf8'),
      port: reply.TCPPort,
      key: Buffer.from(reply.Key),
      userId: reply.UserID,
      characterId: reply.CharID,
      zoneId: reply.ZoneID,
      zoneName: reply.ZoneName.toString('utf8'),
      location: reply.Location.toString('utf8'),
    };
  });
}
