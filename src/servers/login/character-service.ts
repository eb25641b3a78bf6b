// Character (flows.md section 2, Characters): list, create and delete the characters of the
// admitted account. Blobs go through the configured CharacterBlobCodec (the IMCH stand-in until the
// client's type dump is configured).
import { randomInt } from 'node:crypto';
import { LOGIN } from '../../protocol/index.js';
import { MessageService, type ServiceContext, type ServiceEnv } from '../../net/index.js';
import { CharacterBlobError, toJsonValue } from '../../objectproperty/index.js';
import { StoreError, StoreErrorCode, type Character, type JsonValue } from '../../store/index.js';
import { CharacterError } from './login-codes.js';
import type { LoginDeps, LoginDepsHolder } from './login-deps.js';
import type { SessionAdmitted } from './login-messages.js';

/** "x,y,z,yaw" in the invariant format, or undefined for a character without a saved position. */
export function locationText(character: Pick<Character, 'location'>): string | undefined {
  const l = character.location;
  return l === null ? undefined : `${l.x},${l.y},${l.z},${l.yaw}`;
}

const STORE_ERRORS: Partial<Record<StoreErrorCode, number>> = {
  [StoreErrorCode.CharacterLimit]: CharacterError.LimitReached,
  [StoreErrorCode.NameTaken]: CharacterError.NameTaken,
  [StoreErrorCode.InvalidValue]: CharacterError.InvalidName,
  [StoreErrorCode.ValueTooLong]: CharacterError.InvalidName,
};

export class CharacterService extends MessageService<SessionAdmitted> {
  readonly #holder: LoginDepsHolder;
  #accountId: bigint | undefined = undefined;

  constructor(context: ServiceContext<SessionAdmitted>, env: ServiceEnv, holder: LoginDepsHolder) {
    super(context, env);
    this.#holder = holder;
    this.onServer('login.admitted', ({ accountId }) => {
      this.#accountId = accountId;
    });
    this.onClient(LOGIN.MSG_REQUESTCHARACTERLIST, () => this.#list());
    this.onClient(LOGIN.MSG_CREATECHARACTER, ({ CreationInfo }) => this.#create(CreationInfo));
    this.onClient(LOGIN.MSG_DELETECHARACTER, ({ CharID }) => this.#delete(CharID));
  }

  get #deps(): LoginDeps {
    return this.#holder.deps!;
  }

  async #list(): Promise<void> {
    const timed = this.timeStep('character_list');
    try {
      await this.#listCharacters();
    } finally {
      timed();
    }
  }

  async #listCharacters(): Promise<void> {
    const accountId = this.#accountId;
    if (accountId === undefined) {
      this.send(LOGIN.MSG_CHARACTERLIST, { Error: CharacterError.NotAdmitted });
      return;
    }
    const { store, settings, codec } = this.#deps;
    let characters: Character[];
    try {
      characters = await store.characters.listByAccount(accountId);
    } catch (error) {
      this.log.error({ err: error, accountId: String(accountId) }, 'cannot list characters');
      this.send(LOGIN.MSG_CHARACTERLIST, { Error: CharacterError.ServerError });
      return;
    }
    this.send(LOGIN.MSG_STARTCHARACTERLIST, { LoginServer: settings.name, PurchasedCharacterSlots: settings.characterLimit });
    for (const character of characters) {
      let blob: Buffer;
      try {
        blob = codec.encodeInfo({
          id: character.id,
          name: character.name,
          zone: character.zoneName ?? settings.startZone,
          location: locationText(character) ?? 'Start',
          creationData: character.creationData,
        });
      } catch (error) {
        // One character that cannot be shown must not hide the others.
        this.log.error({ err: error, characterId: String(character.id) }, 'cannot encode a character for the list; skipped');
        continue;
      }
      this.send(LOGIN.MSG_CHARACTERINFO, { CharacterInfo: blob });
    }
    this.send(LOGIN.MSG_CHARACTERLIST, { Error: CharacterError.Ok });
  }

  async #create(creationInfo: Buffer): Promise<void> {
    const accountId = this.#accountId;
    if (accountId === undefined) {
      this.send(LOGIN.MSG_CREATECHARACTERRESPONSE, { ErrorCode: CharacterError.NotAdmitted });
      return;
    }
    const { store, codec } = this.#deps;
    let name: string | undefined;
    let fields: unknown;
    try {
      ({ name, fields } = codec.decodeCreation(creationInfo));
    } catch (error) {
      if (!(error instanceof CharacterBlobError)) throw error;
      this.log.warn({ accountId: String(accountId), reason: error.message }, 'character creation refused: malformed CreationInfo');
      this.send(LOGIN.MSG_CREATECHARACTERRESPONSE, { ErrorCode: CharacterError.Malformed });
      return;
    }
    // A blob that names no one (opaque client data) gets a name from the server.
    name ??= `Wizard${randomInt(100_000, 1_000_000)}`;
    try {
      // The decoded fields are kept beside the opaque bytes, so tools and game services can read them as JSON.
      const state = fields === undefined ? undefined : { creation: toJsonValue(fields) as JsonValue };
      const character = await store.characters.create({ accountId, name, creationData: creationInfo, ...(state === undefined ? {} : { state }) });
      this.log.info({ accountId: String(accountId), characterId: String(character.id), name }, 'character created');
      this.send(LOGIN.MSG_CREATECHARACTERRESPONSE, { ErrorCode: CharacterError.Ok });
    } catch (error) {
      const code = error instanceof StoreError ? STORE_ERRORS[error.code] : undefined;
      if (code === undefined) this.log.error({ err: error, accountId: String(accountId) }, 'cannot create a character');
      else this.log.info({ accountId: String(accountId), reason: (error as Error).message }, 'character creation refused');
      this.send(LOGIN.MSG_CREATECHARACTERRESPONSE, { ErrorCode: code ?? CharacterError.ServerError });
    }
  }

  async #delete(characterId: bigint): Promise<void> {
    const accountId = this.#accountId;
    if (accountId === undefined) {
      this.send(LOGIN.MSG_DELETECHARACTERRESPONSE, { ErrorCode: CharacterError.NotAdmitted });
      return;
    }
    try {
      const deleted = await this.#deps.store.characters.delete(characterId, { accountId });
      if (deleted) this.log.info({ accountId: String(accountId), characterId: String(characterId) }, 'character deleted');
      this.send(LOGIN.MSG_DELETECHARACTERRESPONSE, { ErrorCode: deleted ? CharacterError.Ok : CharacterError.NotFound });
    } catch (error) {
      this.log.error({ err: error, accountId: String(accountId) }, 'cannot delete a character');
      this.send(LOGIN.MSG_DELETECHARACTERRESPONSE, { ErrorCode: CharacterError.ServerError });
    }
  }
}
