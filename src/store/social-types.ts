// The store's contract for the social layer's persisted lists (docs/social.md). Ids are character ids.

export interface Friend {
  readonly ownerId: bigint;
  readonly friendId: bigint;
  /** The friend's current name (the live character's). */
  readonly name: string;
  /** The owner's best-friend symbol for this friend (0: none). */
  readonly symbol: number;
  readonly addedAt: Date;
}

export interface FriendRequest {
  readonly requesterId: bigint;
  readonly targetId: bigint;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export interface FriendRepository {
  /** The owner's friends that still exist, oldest first. */
  list(ownerId: bigint): Promise<Friend[]>;
  count(ownerId: bigint): Promise<number>;
  areFriends(a: bigint, b: bigint): Promise<boolean>;
  /**
   * Records (or renews) a pending request. Fails with ERR_INVALID_VALUE for a request to oneself, ERR_UNKNOWN_CHARACTER
   * when either character does not exist.
   */
  addRequest(requesterId: bigint, targetId: bigint, options: { now: Date; expiresAt: Date }): Promise<void>;
  /** The unexpired pending request, if any. */
  findRequest(requesterId: bigint, targetId: bigint, now: Date): Promise<FriendRequest | undefined>;
  /** Removes a pending request; false when there was none. */
  dropRequest(requesterId: bigint, targetId: bigint): Promise<boolean>;
  /**
   * Accepts the unexpired request of `requesterId` to `targetId`: in one transaction, removes it and adds the
   * friendship on both sides. False when no such request is pending. ERR_LIST_FULL when either list holds `max`.
   */
  acceptRequest(requesterId: bigint, targetId: bigint, options: { now: Date; max: number }): Promise<boolean>;
  /** Removes the friendship on both sides; false when they were not friends. */
  unfriend(a: bigint, b: bigint): Promise<boolean>;
  /** Sets the owner's best-friend symbol for a friend; false when they are not friends. */
  setSymbol(ownerId: bigint, friendId: bigint, symbol: number): Promise<boolean>;
  purgeExpiredRequests(now: Date): Promise<number>;
}

export interface IgnoreEntry {
  readonly ownerId: bigint;
  readonly ignoredId: bigint;
  /** The name when it was added. */
  readonly name: string;
  readonly addedAt: Date;
}

export interface IgnoreRepository {
  list(ownerId: bigint): Promise<IgnoreEntry[]>;
  /** Adds (or keeps) an entry; ERR_LIST_FULL past `max`, ERR_INVALID_VALUE for oneself, ERR_UNKNOWN_CHARACTER. */
  add(ownerId: bigint, ignoredId: bigint, name: string, options: { now: Date; max: number }): Promise<void>;
  remove(ownerId: bigint, ignoredId: bigint): Promise<boolean>;
  /** Whether `ownerId` ignores `otherId`. */
  ignores(ownerId: bigint, otherId: bigint): Promise<boolean>;
}
