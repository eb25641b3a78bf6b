import type { Selectable } from 'kysely';
import {
  CharacterLimitError, ConfusableNameError, InvalidValueError, NameTakenError, StaleStateError, UnknownAccountError, UnknownCharacterError, ValueTooLongError,
} from './errors.js';
import {
  checkBytes, checkDate, checkFinite, checkId, checkName, checkText, fromStoredId, fromStoredIdOrNull, nameKey, StoreLimits,
} from './limits.js';
import { nameSkeleton } from './name-skeleton.js';
import type { CharactersTable } from './schema.js';
import { PreparedQuery, slot } from './prepared-query.js';
import { toDate, toDateOrNull, toMs, type StoreContext } from './store-context.js';
import type { Character, CharacterRepository, CharacterSave, Location, NewCharacter, StateDocument } from './types.js';

function toCharacter(row: Selectable<CharactersTable>): Character {
  const hasLocation = row.location_x !== null && row.location_y !== null && row.location_z !== null && row.location_yaw !== null;
  return {
    id: fromStoredId(row.id),
    accountId: fromStoredId(row.account_id),
    name: row.name,
    creationData: Buffer.from(row.creation_data),
    zoneName: row.zone_name,
    zoneId: fromStoredIdOrNull(row.zone_id),
    location: hasLocation
      ? { x: Number(row.location_x), y: Number(row.location_y), z: Number(row.location_z), yaw: Number(row.location_yaw) }
      : null,
    state: JSON.parse(row.state) as StateDocument,
    stateVersion: Number(row.state_version),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    deletedAt: toDateOrNull(row.deleted_at),
  };
}

function serializeState(state: unknown): string {
  if (state === null || typeof state !== 'object' || Array.isArray(state)) throw new InvalidValueError('state', 'not a JSON object');
  let text: string;
  try {
    text = JSON.stringify(state);
  } catch (error) {
    throw new InvalidValueError('state', `not serializable as JSON (${(error as Error).message})`);
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > StoreLimits.stateBytes) throw new ValueTooLongError('state', StoreLimits.stateBytes, bytes);
  return text;
}

type LocationColumns = { location_x: number | null; location_y: number | null; location_z: number | null; location_yaw: number | null };

function locationColumns(location: Location | null): LocationColumns {
  if (location === null) return { location_x: null, location_y: null, location_z: null, location_yaw: null };
  if (typeof location !== 'object') throw new InvalidValueError('location', 'not an object');
  return {
    location_x: checkFinite('location.x', location.x),
    location_y: checkFinite('location.y', location.y),
    location_z: checkFinite('location.z', location.z),
    location_yaw: checkFinite('location.yaw', location.yaw),
  };
}

const checkZoneName = (zone: string | null): string | null =>
  zone === null ? null : checkText('zoneName', zone, StoreLimits.zoneNameChars);
const checkZoneId = (zone: bigint | null): bigint | null => (zone === null ? null : checkId('zoneId', zone));

export class KyselyCharacterRepository implements CharacterRepository {
  readonly #context: StoreContext;
  // The character list of every login and the game server's loads, built once (prepared-query.ts).
  readonly #byAccount = new PreparedQuery((db) =>
    db.selectFrom('characters').selectAll().where('account_id', '=', slot<bigint>(0)).where('deleted_at', 'is', null).orderBy('id'));
  readonly #live = new PreparedQuery((db) => db.selectFrom('characters').selectAll().where('id', '=', slot<bigint>(0)).where('deleted_at', 'is', null));
  readonly #any = new PreparedQuery((db) => db.selectFrom('characters').selectAll().where('id', '=', slot<bigint>(0)));
  readonly #saves = new Map<number, PreparedQuery<{ state_version: bigint | number }>>();

  constructor(context: StoreContext) {
    this.#context = context;
  }

  async create(character: NewCharacter): Promise<Character> {
    const accountId = checkId('accountId', character.accountId);
    const name = checkName('name', character.name, StoreLimits.characterNameChars);
    const key = nameKey(name);
    const skeleton = nameSkeleton(name);
    const creationData = checkBytes('creationData', character.creationData ?? Buffer.alloc(0), StoreLimits.creationDataBytes);
    const state = serializeState(character.state ?? {});
    const location = locationColumns(character.location ?? null);
    const zoneName = checkZoneName(character.zoneName ?? null);
    const zoneId = checkZoneId(character.zoneId ?? null);
    const now = toMs(checkDate('now', character.now ?? new Date()));
    const { backend, characterLimit, uniqueCharacterNames } = this.#context;
    return this.#context.timed('characters.create', () =>
      backend.writeTransaction(async (trx) => {
        // The account lock makes count-then-insert atomic per account: concurrent creates for
        // one account queue here, so the limit holds.
        if (!(await backend.lockAccount(trx, accountId))) throw new UnknownAccountError(accountId);
        const { n } = await trx
          .selectFrom('characters')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('account_id', '=', accountId)
          .where('deleted_at', 'is', null)
          .executeTakeFirstOrThrow();
        if (Number(n) >= characterLimit) throw new CharacterLimitError(accountId, characterLimit);
        // Look-alike names (docs/store.md, "Confusable names") are refused whatever the uniqueness
        // setting; the same spelling is refused only with unique names.
        await backend.lockName(trx, skeleton);
        let lookAlikes = trx.selectFrom('characters').select('name_key').where('name_skeleton', '=', skeleton).where('deleted_at', 'is', null);
        if (!uniqueCharacterNames) lookAlikes = lookAlikes.where('name_key', '!=', key);
        const similar = await lookAlikes.executeTakeFirst();
        if (similar !== undefined) throw similar.name_key === key ? new NameTakenError(name) : new ConfusableNameError('name', name);
        const row = await trx
          .insertInto('characters')
          .values({
            account_id: accountId,
            name,
            name_key: key,
            name_skeleton: skeleton,
            creation_data: creationData,
            zone_name: zoneName,
            zone_id: zoneId,
            ...location,
            state,
            state_version: 1,
            created_at: now,
            updated_at: now,
            deleted_at: null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toCharacter(row);
      }),
    );
  }

  async get(id: bigint, options: { includeDeleted?: boolean } = {}): Promise<Character | undefined> {
    id = checkId('characterId', id);
    return this.#context.timed('characters.get', async () => {
      const row = await (options.includeDeleted === true ? this.#any : this.#live).first(this.#context.backend.db, [id]);
      return row === undefined ? undefined : toCharacter(row);
    });
  }

  async listByAccount(accountId: bigint): Promise<Character[]> {
    accountId = checkId('accountId', accountId);
    return this.#context.timed('characters.listByAccount', async () => {
      const rows = await this.#byAccount.all(this.#context.backend.db, [accountId]);
      return rows.map(toCharacter);
    });
  }

  async save(id: bigint, save: CharacterSave): Promise<number> {
    id = checkId('characterId', id);
    const expected = save.expectedVersion;
    if (!Number.isSafeInteger(expected) || expected < 1) throw new InvalidValueError('expectedVersion', 'not a positive integer');
    // Slots: 0 id, 1 expected version, 2 updated_at, 3 state, 4-7 location, 8 zone name, 9 zone id.
    const location = save.location === undefined ? undefined : locationColumns(save.location);
    const values = [
      id,
      BigInt(expected),
      toMs(checkDate('now', save.now ?? new Date())),
      save.state === undefined ? undefined : serializeState(save.state),
      location?.location_x, location?.location_y, location?.location_z, location?.location_yaw,
      save.zoneName === undefined ? undefined : checkZoneName(save.zoneName),
      save.zoneId === undefined ? undefined : checkZoneId(save.zoneId),
    ];
    const shape = (save.state === undefined ? 0 : 1) | (location === undefined ? 0 : 2) | (save.zoneName === undefined ? 0 : 4) | (save.zoneId === undefined ? 0 : 8);
    return this.#context.timed('characters.save', async () => {
      const { backend } = this.#context;
      // One conditional UPDATE: the version check and the write are atomic.
      const row = await backend.write((db) => this.#saveQuery(shape).first(db, values));
      if (row !== undefined) return Number(row.state_version);
      const current = await this.#live.first(backend.db, [id]);
      if (current === undefined) throw new UnknownCharacterError(id);
      throw new StaleStateError(id, expected, Number(current.state_version));
    });
  }

  /** The save's UPDATE for one combination of given fields (bits: state, location, zone name, zone id). */
  #saveQuery(shape: number): PreparedQuery<{ state_version: bigint | number }> {
    let query = this.#saves.get(shape);
    if (query === undefined) {
      query = new PreparedQuery((db) =>
        db
          .updateTable('characters')
          .set((eb) => ({
            ...((shape & 1) === 0 ? {} : { state: slot<string>(3) }),
            ...((shape & 2) === 0
              ? {}
              : { location_x: slot<number>(4), location_y: slot<number>(5), location_z: slot<number>(6), location_yaw: slot<number>(7) }),
            ...((shape & 4) === 0 ? {} : { zone_name: slot<string | null>(8) }),
            ...((shape & 8) === 0 ? {} : { zone_id: slot<bigint | null>(9) }),
            updated_at: slot<bigint>(2),
            state_version: eb('state_version', '+', 1n),
          }))
          .where('id', '=', slot<bigint>(0))
          .where('state_version', '=', slot<bigint>(1))
          .where('deleted_at', 'is', null)
          .returning('state_version'),
      );
      this.#saves.set(shape, query);
    }
    return query;
  }

  async delete(id: bigint, options: { accountId?: bigint; now?: Date } = {}): Promise<boolean> {
    id = checkId('characterId', id);
    const owner = options.accountId === undefined ? undefined : checkId('accountId', options.accountId);
    const now = toMs(checkDate('now', options.now ?? new Date()));
    return this.#context.timed('characters.delete', async () => {
      const result = await this.#context.backend.write((db) => {
        let query = db
          .updateTable('characters')
          .set({ deleted_at: now, updated_at: now })
          .where('id', '=', id)
          .where('deleted_at', 'is', null);
        if (owner !== undefined) query = query.where('account_id', '=', owner);
        return query.executeTakeFirst();
      });
      return result.numUpdatedRows > 0n;
    });
  }
}
