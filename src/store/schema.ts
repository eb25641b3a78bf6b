// Table shapes as Kysely sees them. Times are epoch milliseconds in BIGINT columns and flags
// are 0/1 integers, so both back ends store and return the same values. Integer columns come
// back as bigint from both drivers (safeIntegers on SQLite, an int8 parser on PostgreSQL).
import type { ColumnType, Generated } from 'kysely';

type Int = ColumnType<bigint, bigint | number, bigint | number>;
type NullableInt = ColumnType<bigint | null, bigint | number | null, bigint | number | null>;

export interface AccountsTable {
  id: Generated<bigint>;
  username: string;
  username_key: string;
  password_hash: string;
  access_level: string;
  locked: Int;
  created_at: Int;
  last_login_at: NullableInt;
}

export interface BansTable {
  id: Generated<bigint>;
  account_id: NullableInt;
  machine_id: NullableInt;
  address: string | null;
  reason: string;
  created_at: Int;
  expires_at: NullableInt;
  lifted_at: NullableInt;
}

export interface CharactersTable {
  id: Generated<bigint>;
  account_id: Int;
  name: string;
  name_key: string;
  creation_data: Buffer;
  zone_name: string | null;
  zone_id: NullableInt;
  location_x: number | null;
  location_y: number | null;
  location_z: number | null;
  location_yaw: number | null;
  state: string;
  state_version: Int;
  created_at: Int;
  updated_at: Int;
  deleted_at: NullableInt;
}

export interface SessionKeysTable {
  account_id: Int;
  machine_id: Int;
  session_key: string;
  expires_at: Int;
}

export interface LoginKeysTable {
  login_key: string;
  account_id: Int;
  character_id: Int;
  server: string;
  expires_at: Int;
}

export interface OnlinePlayersTable {
  server: string;
  session_id: Int;
  account_id: Int;
  character_id: NullableInt;
  since: Int;
}

export interface StoreMetaTable {
  name: string;
  value: string;
}

export interface FriendsTable {
  owner_id: Int;
  friend_id: Int;
  symbol: Int;
  added_at: Int;
}

export interface IgnoresTable {
  owner_id: Int;
  ignored_id: Int;
  ignored_name: string;
  added_at: Int;
}

export interface FriendRequestsTable {
  requester_id: Int;
  target_id: Int;
  created_at: Int;
  expires_at: Int;
}

export interface Database {
  accounts: AccountsTable;
  bans: BansTable;
  characters: CharactersTable;
  session_keys: SessionKeysTable;
  login_keys: LoginKeysTable;
  online_players: OnlinePlayersTable;
  store_meta: StoreMetaTable;
  friends: FriendsTable;
  ignores: IgnoresTable;
  friend_requests: FriendRequestsTable;
}
