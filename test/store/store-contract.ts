// The one contract suite every store back end must pass (run by sqlite-store.test.ts and
// postgres-store.test.ts). It talks to the public API only, plus raw SQL for what an outside
// reader of the database would see (encryption at rest).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { passwordHash, StoreLimits, type Store } from '../../src/store/index.js';
import type { FreshDatabase, Harness } from './store-harness.js';

const maxGid = 2n ** 63n - 1n;
const maxUnsignedGid = 2n ** 64n - 1n;
const t0 = new Date('2026-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.equal((error as { code?: string }).code, code, `expected ${code}, got ${String(error)}`);
    return true;
  });
}

export function defineStoreContract(harness: Harness): void {
  describe(`store contract on ${harness.name}`, { skip: harness.skip }, () => {
    let database: FreshDatabase;
    let store: Store;
    let account = 0;
    const newAccount = (prefix = 'player') => store.accounts.create({ username: `${prefix}${++account}`, password: 'correct horse battery' });

    const firstOpenLog: unknown[] = [];
    before(async () => {
      database = await harness.fresh();
      const note = (obj: object | string) => firstOpenLog.push(obj);
      store = await database.open({ logger: { info: note, warn: note, error: note, debug: note } });
    });
    after(async () => {
      await database?.dispose();
    });

    it('applies the migrations from empty and re-running them is a no-op', async () => {
      assert.deepEqual(await store.appliedMigrations(), ['0001-initial', '0003-social']);
      assert.deepEqual(firstOpenLog, ['0001-initial', '0003-social'].map((migration) => ({ migration, backend: store.backend })));
      const created = await newAccount();
      const logged: unknown[] = [];
      const note = (obj: object | string, msg?: string) => logged.push([obj, msg]);
      const again = await database.open({ logger: { info: note, warn: note, error: note, debug: note } });
      assert.deepEqual(logged, [], 'nothing migrated on re-open');
      assert.deepEqual(await again.appliedMigrations(), ['0001-initial', '0003-social']);
      assert.equal((await again.accounts.get(created.id))?.username, created.username);
      await again.close();
    });

    it('creates accounts with unique case-insensitive usernames', async () => {
      const created = await store.accounts.create({ username: 'Ariadne', password: 'labyrinth-1', accessLevel: 'moderator', now: t0 });
      assert.equal(typeof created.id, 'bigint');
      assert.deepEqual(await store.accounts.findByUsername('ARIADNE'), created);
      assert.equal(created.accessLevel, 'moderator');
      assert.equal(created.locked, false);
      assert.equal(created.createdAt.getTime(), t0.getTime());
      assert.equal(created.lastLoginAt, null);
      await rejectsWithCode(store.accounts.create({ username: 'ariadne', password: 'other-password' }), 'ERR_ACCOUNT_EXISTS');
      assert.equal(await store.accounts.findByUsername('nobody-here'), undefined);
    });

    it('keeps base64(SHA-512(password)) only behind credentialFor', async () => {
      const created = await store.accounts.create({ username: 'hash-holder', password: 'p@ssw0rd-ü' });
      const expected = createHash('sha512').update('p@ssw0rd-ü', 'utf8').digest('base64');
      assert.equal(await store.accounts.credentialFor(created.id), expected);
      assert.equal(passwordHash('p@ssw0rd-ü'), expected);
      const listed = JSON.stringify([await store.accounts.list(), await store.accounts.get(created.id), await store.accounts.findByUsername('hash-holder')],
        (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
      assert.ok(!listed.includes(expected), 'a listing API exposed the password hash');
      assert.ok(!listed.toLowerCase().includes('password'), 'a listing API exposed a password field');
      await store.accounts.setPassword(created.id, 'new password');
      assert.equal(await store.accounts.credentialFor(created.id), passwordHash('new password'));
      assert.equal(await store.accounts.credentialFor(maxGid), undefined);
      await rejectsWithCode(store.accounts.setPassword(maxGid, 'whatever1'), 'ERR_UNKNOWN_ACCOUNT');
      await rejectsWithCode(store.accounts.create({ username: 'empty-password', password: '' }), 'ERR_INVALID_VALUE');
    });

    it('locks, unlocks, changes access level and records logins', async () => {
      const created = await newAccount();
      await store.accounts.setLocked(created.id, true);
      assert.equal((await store.accounts.get(created.id))?.locked, true);
      await store.accounts.setLocked(created.id, false);
      assert.equal((await store.accounts.get(created.id))?.locked, false);
      await store.accounts.setAccessLevel(created.id, 'administrator');
      assert.equal((await store.accounts.get(created.id))?.accessLevel, 'administrator');
      await rejectsWithCode(store.accounts.setAccessLevel(created.id, 'god' as never), 'ERR_INVALID_VALUE');
      await store.accounts.recordLogin(created.id, at(42));
      assert.equal((await store.accounts.get(created.id))?.lastLoginAt?.getTime(), at(42).getTime());
      await rejectsWithCode(store.accounts.setLocked(maxGid, true), 'ERR_UNKNOWN_ACCOUNT');
      const count = await store.accounts.count();
      assert.equal((await store.accounts.list({ limit: 1000 })).length, count);
    });

    it('stores names with quotes, Unicode and maximum lengths exactly, and refuses longer ones', async () => {
      const tricky = ["O'Brien\"; DROP TABLE accounts;--", 'Zoë 🐉 名前', 'x'.repeat(StoreLimits.usernameChars), '🐉'.repeat(StoreLimits.usernameChars)];
      for (const username of tricky) {
        const created = await store.accounts.create({ username, password: 'long enough' });
        assert.equal((await store.accounts.get(created.id))?.username, username);
        assert.equal((await store.accounts.findByUsername(username))?.id, created.id);
      }
      await rejectsWithCode(store.accounts.create({ username: 'x'.repeat(StoreLimits.usernameChars + 1), password: 'long enough' }), 'ERR_VALUE_TOO_LONG');
      await rejectsWithCode(store.accounts.create({ username: 'nul\u0000name', password: 'long enough' }), 'ERR_INVALID_VALUE');
      await rejectsWithCode(store.accounts.create({ username: 'lone\uD800', password: 'long enough' }), 'ERR_INVALID_VALUE');
      const owner = await newAccount();
      for (const name of ["D'Artagnan \"the\" bold", 'Ællîñ 🌙', 'n'.repeat(StoreLimits.characterNameChars), '名'.repeat(StoreLimits.characterNameChars)]) {
        const character = await store.characters.create({ accountId: owner.id, name });
        assert.equal((await store.characters.get(character.id))?.name, name);
        await store.characters.delete(character.id);
      }
      await rejectsWithCode(store.characters.create({ accountId: owner.id, name: 'n'.repeat(StoreLimits.characterNameChars + 1) }), 'ERR_VALUE_TOO_LONG');
      await rejectsWithCode(store.bans.create({ accountId: owner.id, reason: 'r'.repeat(StoreLimits.banReasonChars + 1) }), 'ERR_VALUE_TOO_LONG');
      await rejectsWithCode(
        store.characters.create({ accountId: owner.id, name: 'big', creationData: Buffer.alloc(StoreLimits.creationDataBytes + 1) }),
        'ERR_VALUE_TOO_LONG',
      );
    });

    it('bans by account, machine and address with reasons and expiry', async () => {
      const banned = await newAccount();
      const other = await newAccount();
      const accountBan = await store.bans.create({ accountId: banned.id, reason: 'botting', now: at(0), expiresAt: at(3600) });
      await store.bans.create({ machineId: maxGid, reason: 'shared cheat machine', now: at(0) });
      await store.bans.create({ address: '2001:db8::1', reason: "spam 'n' abuse", now: at(0), expiresAt: at(60) });

      const forBanned = await store.bans.activeBansFor({ accountId: banned.id }, at(10));
      assert.deepEqual(forBanned.map((b) => b.id), [accountBan.id]);
      assert.equal(forBanned[0]?.reason, 'botting');
      assert.equal(forBanned[0]?.expiresAt?.getTime(), at(3600).getTime());
      assert.deepEqual(await store.bans.activeBansFor({ accountId: banned.id }, at(3600)), [], 'expired at its expiry');
      assert.deepEqual(await store.bans.activeBansFor({ accountId: other.id, machineId: 1n, address: '10.0.0.1' }, at(10)), []);

      const machine = await store.bans.activeBansFor({ accountId: other.id, machineId: maxGid }, at(10));
      assert.equal(machine.length, 1);
      assert.equal(machine[0]?.machineId, maxGid);
      assert.equal((await store.bans.activeBansFor({ address: '2001:db8::1' }, at(59))).length, 1);
      assert.equal((await store.bans.activeBansFor({ address: '2001:db8::1' }, at(61))).length, 0);
      assert.equal((await store.bans.activeBansFor({ accountId: banned.id, machineId: maxGid, address: '2001:db8::1' }, at(1))).length, 3);

      assert.equal(await store.bans.lift({ accountId: banned.id }, at(20)), 1);
      assert.deepEqual(await store.bans.activeBansFor({ accountId: banned.id }, at(21)), []);
      assert.equal(await store.bans.lift({ accountId: banned.id }, at(22)), 0);
      await rejectsWithCode(store.bans.create({ accountId: maxGid, reason: 'ghost' }), 'ERR_UNKNOWN_ACCOUNT');
      await store.bans.create({ machineId: maxUnsignedGid, reason: 'top of the GID range' });
      assert.deepEqual((await store.bans.activeBansFor({ machineId: maxUnsignedGid }, new Date())).map((b) => b.machineId), [maxUnsignedGid]);
      assert.deepEqual(await store.bans.activeBansFor({ machineId: 2n ** 63n }, new Date()), []);
      await rejectsWithCode(store.bans.create({ accountId: banned.id, machineId: 1n, reason: 'two targets' }), 'ERR_INVALID_VALUE');
    });

    it('creates, lists, saves and soft-deletes characters', async () => {
      const owner = await newAccount();
      const blob = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      const created = await store.characters.create({
        accountId: owner.id, name: 'Merle', creationData: blob, zoneName: 'WizardCity/WC_Ravenwood', zoneId: maxGid,
        location: { x: 1.5, y: -2.25, z: 1e10, yaw: Math.PI }, state: { gold: 10, quests: ['a', 'b'] }, now: at(0),
      });
      assert.equal(typeof created.id, 'bigint');
      assert.ok(created.id > 0n && created.id <= maxGid);
      const loaded = await store.characters.get(created.id);
      assert.deepEqual(loaded, created);
      assert.deepEqual(loaded?.creationData, blob);
      assert.equal(loaded?.zoneId, maxGid);
      assert.deepEqual(loaded?.location, { x: 1.5, y: -2.25, z: 1e10, yaw: Math.PI });
      assert.equal(loaded?.stateVersion, 1);

      const version = await store.characters.save(created.id, {
        expectedVersion: 1, state: { gold: 11, nested: { deep: [1, null, 'é'] } }, zoneName: 'Elsewhere', zoneId: 7n, location: { x: 0, y: 0, z: 0, yaw: 0 }, now: at(5),
      });
      assert.equal(version, 2);
      const saved = await store.characters.get(created.id);
      assert.deepEqual(saved?.state, { gold: 11, nested: { deep: [1, null, 'é'] } });
      assert.equal(saved?.zoneName, 'Elsewhere');
      assert.equal(saved?.updatedAt.getTime(), at(5).getTime());
      assert.equal(saved?.createdAt.getTime(), at(0).getTime());
      assert.deepEqual(saved?.creationData, blob);

      await rejectsWithCode(store.characters.save(created.id, { expectedVersion: 1, state: { gold: 0 } }), 'ERR_STALE_STATE');
      assert.deepEqual((await store.characters.get(created.id))?.state, { gold: 11, nested: { deep: [1, null, 'é'] } });
      await rejectsWithCode(store.characters.save(maxGid, { expectedVersion: 1 }), 'ERR_UNKNOWN_CHARACTER');

      const stranger = await newAccount();
      assert.equal(await store.characters.delete(created.id, { accountId: stranger.id }), false, 'only the owner deletes');
      assert.deepEqual((await store.characters.listByAccount(owner.id)).map((c) => c.id), [created.id]);
      assert.equal(await store.characters.delete(created.id, { accountId: owner.id, now: at(9) }), true);
      assert.deepEqual(await store.characters.listByAccount(owner.id), []);
      assert.equal(await store.characters.get(created.id), undefined);
      assert.equal((await store.characters.get(created.id, { includeDeleted: true }))?.deletedAt?.getTime(), at(9).getTime());
      await rejectsWithCode(store.characters.save(created.id, { expectedVersion: 2 }), 'ERR_UNKNOWN_CHARACTER');
      await rejectsWithCode(store.characters.create({ accountId: maxGid, name: 'orphan' }), 'ERR_UNKNOWN_ACCOUNT');
      assert.equal(await store.characters.get(maxUnsignedGid), undefined);
      await rejectsWithCode(store.characters.get(-1n), 'ERR_INVALID_VALUE');
      await rejectsWithCode(store.characters.get(2n ** 64n), 'ERR_INVALID_VALUE');
    });

    it('holds the per-account character limit and frees a slot on delete', async () => {
      const owner = await newAccount();
      const made = [];
      for (let i = 0; i < 6; i++) made.push(await store.characters.create({ accountId: owner.id, name: `slot${i}` }));
      await rejectsWithCode(store.characters.create({ accountId: owner.id, name: 'seventh' }), 'ERR_CHARACTER_LIMIT');
      await store.characters.delete(made[0]!.id);
      await store.characters.create({ accountId: owner.id, name: 'seventh' });
      assert.equal((await store.characters.listByAccount(owner.id)).length, 6);
    });

    it('holds the limit under 20 concurrent creates through two connections', async () => {
      const owner = await newAccount();
      const second = await database.open();
      try {
        const results = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? store : second).characters.create({ accountId: owner.id, name: `racer${i}` })),
        );
        const ok = results.filter((r) => r.status === 'fulfilled');
        const refused = results.filter((r) => r.status === 'rejected');
        assert.equal(ok.length, 6);
        assert.ok(refused.every((r) => (r.reason as { code?: string }).code === 'ERR_CHARACTER_LIMIT'), String(refused.map((r) => r.reason)));
        assert.equal((await store.characters.listByAccount(owner.id)).length, 6);
      } finally {
        await second.close();
      }
    });

    it('enforces unique character names only when configured', async () => {
      const a = await newAccount();
      const b = await newAccount();
      await store.characters.create({ accountId: a.id, name: 'Twin' });
      await store.characters.create({ accountId: b.id, name: 'twin' });

      const unique = await database.open({ uniqueCharacterNames: true, characterLimit: 20 });
      try {
        await rejectsWithCode(unique.characters.create({ accountId: a.id, name: 'TWIN' }), 'ERR_NAME_TAKEN');
        const accounts = await Promise.all(Array.from({ length: 10 }, () => newAccount('namer')));
        const results = await Promise.allSettled(accounts.map((acc) => unique.characters.create({ accountId: acc.id, name: 'Highlander' })));
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        assert.ok(results.filter((r) => r.status === 'rejected').every((r) => (r.reason as { code?: string }).code === 'ERR_NAME_TAKEN'));
        const holder = results.findIndex((r) => r.status === 'fulfilled');
        const held = (await unique.characters.listByAccount(accounts[holder]!.id))[0]!;
        await unique.characters.delete(held.id);
        await unique.characters.create({ accountId: a.id, name: 'highlander' });
      } finally {
        await unique.close();
      }
    });

    it('keeps one ClientKey2 per account and machine with expiry, consumed once', async () => {
      const owner = await newAccount();
      await store.sessionKeys.put({ accountId: owner.id, machineId: maxGid, key: 'first', expiresAt: at(100) });
      await store.sessionKeys.put({ accountId: owner.id, machineId: maxGid, key: 'second', expiresAt: at(200) });
      await store.sessionKeys.put({ accountId: owner.id, machineId: 5n, key: 'other machine', expiresAt: at(200) });
      await store.sessionKeys.put({ accountId: owner.id, machineId: maxUnsignedGid, key: 'top', expiresAt: at(200) });
      assert.equal((await store.sessionKeys.find(owner.id, maxUnsignedGid, at(1)))?.machineId, maxUnsignedGid);
      assert.deepEqual(await store.sessionKeys.find(owner.id, maxGid, at(150)), { accountId: owner.id, machineId: maxGid, key: 'second', expiresAt: at(200) });
      assert.equal(await store.sessionKeys.find(owner.id, maxGid, at(200)), undefined, 'expired at its expiry');
      assert.equal((await store.sessionKeys.consume(owner.id, maxGid, at(10)))?.key, 'second');
      assert.equal(await store.sessionKeys.consume(owner.id, maxGid, at(10)), undefined);
      assert.equal((await store.sessionKeys.find(owner.id, 5n, at(10)))?.key, 'other machine');
      assert.equal(await store.sessionKeys.purgeExpired(at(500)) >= 1, true);
      assert.equal(await store.sessionKeys.find(owner.id, 5n, at(10)), undefined);
    });

    it('consumes a one-time login key once, only at its server and before expiry, even under concurrency', async () => {
      const owner = await newAccount();
      const character = await store.characters.create({ accountId: owner.id, name: 'Keyholder' });
      const key = { key: 'k-one', accountId: owner.id, characterId: character.id, server: 'game-1', expiresAt: at(300) };
      await store.loginKeys.create(key);
      await rejectsWithCode(store.loginKeys.create(key), 'ERR_KEY_EXISTS');
      assert.equal(await store.loginKeys.consumeLoginKey('k-one', 'game-2', at(1)), undefined, 'wrong server');
      assert.equal(await store.loginKeys.consumeLoginKey('k-one', 'game-1', at(300)), undefined, 'expired');
      assert.deepEqual(await store.loginKeys.consumeLoginKey('k-one', 'game-1', at(1)), key);
      assert.equal(await store.loginKeys.consumeLoginKey('k-one', 'game-1', at(1)), undefined, 'used');

      const second = await database.open();
      try {
        await store.loginKeys.create({ ...key, key: 'k-race' });
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? store : second).loginKeys.consumeLoginKey('k-race', 'game-1', at(2))),
        );
        assert.equal(results.filter((r) => r !== undefined).length, 1);
      } finally {
        await second.close();
      }
      await store.loginKeys.create({ ...key, key: 'k-old', expiresAt: at(5) });
      assert.equal(await store.loginKeys.purgeExpired(at(10)), 1);
    });

    it('tracks online players and clears one server', async () => {
      const p1 = await newAccount();
      const p2 = await newAccount();
      await store.onlinePlayers.put({ server: 'login', sessionId: 1n, accountId: p1.id, characterId: null, since: at(0) });
      await store.onlinePlayers.put({ server: 'game-a', sessionId: 1n, accountId: p2.id, characterId: maxGid, since: at(1) });
      await store.onlinePlayers.put({ server: 'game-a', sessionId: 2n, accountId: p1.id, characterId: 3n, since: at(2) });
      await store.onlinePlayers.put({ server: 'game-b', sessionId: 9n, accountId: p1.id, characterId: null, since: at(3) });
      assert.deepEqual((await store.onlinePlayers.findByAccount(p1.id)).map((e) => e.server), ['login', 'game-a', 'game-b']);
      assert.equal((await store.onlinePlayers.list({ server: 'game-a' }))[0]?.characterId, maxGid);
      assert.equal(await store.onlinePlayers.count(), 4);
      await store.onlinePlayers.put({ server: 'game-a', sessionId: 2n, accountId: p2.id, characterId: null, since: at(4) });
      assert.equal(await store.onlinePlayers.count({ server: 'game-a' }), 2);
      assert.equal(await store.onlinePlayers.remove('login', 1n), true);
      assert.equal(await store.onlinePlayers.remove('login', 1n), false);
      assert.equal(await store.onlinePlayers.clearServer('game-a'), 2);
      assert.deepEqual((await store.onlinePlayers.list()).map((e) => [e.server, e.sessionId]), [['game-b', 9n]]);
      assert.equal(await store.onlinePlayers.clearServer('game-b'), 1);
    });

    it('encrypts stored password hashes at rest when a secret is configured', async () => {
      const secretStore = await database.open({ secret: 'operator secret 1' });
      const plainBefore = await store.accounts.create({ username: 'before-secret', password: 'old enough pw' });
      const sealed = await secretStore.accounts.create({ username: 'sealed', password: 'sealed password' });
      const rawSealed = (await database.raw('select password_hash from accounts where id = ?', [sealed.id]))[0]?.['password_hash'];
      assert.equal(typeof rawSealed, 'string');
      assert.notEqual(rawSealed, passwordHash('sealed password'));
      assert.ok(!String(rawSealed).includes(passwordHash('sealed password')));
      assert.equal(await secretStore.accounts.credentialFor(sealed.id), passwordHash('sealed password'));

      assert.equal(await secretStore.accounts.credentialFor(plainBefore.id), passwordHash('old enough pw'));
      const upgraded = (await database.raw('select password_hash from accounts where id = ?', [plainBefore.id]))[0]?.['password_hash'];
      assert.notEqual(upgraded, passwordHash('old enough pw'), 'a plain hash is sealed once a secret is configured');

      await rejectsWithCode(store.accounts.credentialFor(sealed.id), 'ERR_STORE_SECRET_REQUIRED');
      await rejectsWithCode(database.open({ secret: 'wrong secret' }), 'ERR_STORE_BAD_SECRET');
      await secretStore.close();
    });

    it('reports every operation to the onQuery hook', async () => {
      const seen: Array<[number, string, boolean]> = [];
      const observed = await database.open({ onQuery: (ms, op, failed) => seen.push([ms, op, failed]) });
      try {
        const created = await observed.accounts.create({ username: 'observed', password: 'watch me now' });
        await observed.accounts.findByUsername('observed');
        await assert.rejects(observed.accounts.create({ username: 'observed', password: 'watch me now' }));
        assert.deepEqual(seen.map(([, op, failed]) => [op, failed]), [['accounts.create', false], ['accounts.findByUsername', false], ['accounts.create', true]]);
        assert.ok(seen.every(([ms]) => typeof ms === 'number' && ms >= 0));
        assert.equal((await observed.accounts.get(created.id))?.username, 'observed');
      } finally {
        await observed.close();
      }
    });

    it('keeps each concurrent write to its own outcome: one failing write does not undo the others', async () => {
      const before = await store.accounts.count();
      const results = await Promise.allSettled([
        store.accounts.create({ username: 'batch-a', password: 'batch password' }),
        store.accounts.create({ username: 'BATCH-A', password: 'batch password' }),
        store.accounts.create({ username: 'batch-b', password: 'batch password' }),
        store.accounts.setLocked(maxGid, true),
        store.accounts.create({ username: 'batch-c', password: 'batch password' }),
      ]);
      const outcomes = results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as { code?: string }).code));
      // The two spellings of one name race on separate connections (PostgreSQL): either may win, exactly one does.
      assert.deepEqual([...outcomes.slice(0, 2)].sort(), ['ERR_ACCOUNT_EXISTS', 'ok']);
      assert.deepEqual(outcomes.slice(2), ['ok', 'ERR_UNKNOWN_ACCOUNT', 'ok']);
      const winner = outcomes[0] === 'ok' ? 'batch-a' : 'BATCH-A';
      assert.equal(await store.accounts.count(), before + 3);
      const rows = await database.raw('select username from accounts where username_key like ? order by username_key', ['batch-%']);
      assert.deepEqual(rows.map((r) => r['username']), [winner, 'batch-b', 'batch-c']);
    });

    it('has committed every write by the time it resolves, as another connection sees', async () => {
      const owner = await newAccount();
      const character = await store.characters.create({ accountId: owner.id, name: 'Durable' });
      await store.characters.save(character.id, { expectedVersion: 1, state: { step: 1 } });
      const rows = await database.raw('select state, state_version from characters where id = ?', [character.id]);
      assert.equal(rows[0]?.['state'], '{"step":1}');
      assert.equal(BigInt(rows[0]?.['state_version'] as bigint | string), 2n);
    });
  });
}
