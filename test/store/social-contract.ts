// The social lists' contract (friends, friend requests, ignore lists), run on both back ends by
// sqlite-social.test.ts and postgres-social.test.ts; the lists must survive closing and reopening.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Store } from '../../src/store/index.js';
import type { FreshDatabase, Harness } from './store-harness.js';

const t0 = new Date('2026-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const week = (from: Date) => new Date(from.getTime() + 7 * 86_400_000);

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.equal((error as { code?: string }).code, code, `expected ${code}, got ${String(error)}`);
    return true;
  });
}

export function defineSocialContract(harness: Harness): void {
  describe(`social lists on ${harness.name}`, { skip: harness.skip }, () => {
    let database: FreshDatabase;
    let store: Store;
    let n = 0;
    const newCharacter = async (name = `Char${++n}`) => {
      const account = await store.accounts.create({ username: `social${++n}`, password: 'correct horse battery' });
      return store.characters.create({ accountId: account.id, name });
    };

    before(async () => {
      database = await harness.fresh();
      store = await database.open();
    });
    after(async () => {
      await database?.dispose();
    });

    it('a request accepted makes both sides friends, once, in one step', async () => {
      const a = await newCharacter('Alda');
      const b = await newCharacter('Brin');
      await store.friends.addRequest(a.id, b.id, { now: t0, expiresAt: week(t0) });
      assert.equal((await store.friends.findRequest(a.id, b.id, at(1)))?.requesterId, a.id);
      assert.equal(await store.friends.findRequest(b.id, a.id, at(1)), undefined, 'a request has a direction');
      assert.equal(await store.friends.acceptRequest(a.id, b.id, { now: at(2), max: 10 }), true);
      assert.equal(await store.friends.acceptRequest(a.id, b.id, { now: at(3), max: 10 }), false, 'the request was used');
      assert.equal(await store.friends.areFriends(a.id, b.id), true);
      assert.equal(await store.friends.areFriends(b.id, a.id), true);
      const listed = await store.friends.list(a.id);
      assert.deepEqual(listed.map((f) => [f.friendId, f.name, f.symbol, f.addedAt.getTime()]), [[b.id, 'Brin', 0, at(2).getTime()]]);
      assert.equal(await store.friends.count(b.id), 1);
    });

    it('expired and dropped requests cannot be accepted', async () => {
      const a = await newCharacter();
      const b = await newCharacter();
      await store.friends.addRequest(a.id, b.id, { now: t0, expiresAt: at(10) });
      assert.equal(await store.friends.acceptRequest(a.id, b.id, { now: at(11), max: 10 }), false);
      assert.equal(await store.friends.purgeExpiredRequests(at(11)) >= 1, true);
      await store.friends.addRequest(a.id, b.id, { now: t0, expiresAt: week(t0) });
      assert.equal(await store.friends.dropRequest(a.id, b.id), true);
      assert.equal(await store.friends.dropRequest(a.id, b.id), false);
      assert.equal(await store.friends.acceptRequest(a.id, b.id, { now: at(1), max: 10 }), false);
      assert.equal(await store.friends.areFriends(a.id, b.id), false);
    });

    it('refuses requests to oneself, unknown characters, and full lists', async () => {
      const a = await newCharacter();
      await rejectsWithCode(store.friends.addRequest(a.id, a.id, { now: t0, expiresAt: week(t0) }), 'ERR_INVALID_VALUE');
      await rejectsWithCode(store.friends.addRequest(a.id, 2n ** 62n, { now: t0, expiresAt: week(t0) }), 'ERR_UNKNOWN_CHARACTER');
      const b = await newCharacter();
      const c = await newCharacter();
      await store.friends.addRequest(b.id, a.id, { now: t0, expiresAt: week(t0) });
      assert.equal(await store.friends.acceptRequest(b.id, a.id, { now: t0, max: 1 }), true);
      await store.friends.addRequest(c.id, a.id, { now: t0, expiresAt: week(t0) });
      await rejectsWithCode(store.friends.acceptRequest(c.id, a.id, { now: t0, max: 1 }), 'ERR_LIST_FULL');
      assert.equal(await store.friends.areFriends(c.id, a.id), false, 'a refused accept changes nothing');
      assert.ok(await store.friends.findRequest(c.id, a.id, at(1)), 'the refused request is still pending');
    });

    it('best-friend symbols are per side and unfriending removes both sides', async () => {
      const a = await newCharacter();
      const b = await newCharacter();
      await store.friends.addRequest(a.id, b.id, { now: t0, expiresAt: week(t0) });
      await store.friends.acceptRequest(a.id, b.id, { now: t0, max: 10 });
      assert.equal(await store.friends.setSymbol(a.id, b.id, 3), true);
      assert.equal((await store.friends.list(a.id))[0]?.symbol, 3);
      assert.equal((await store.friends.list(b.id))[0]?.symbol, 0);
      await rejectsWithCode(store.friends.setSymbol(a.id, b.id, 256), 'ERR_INVALID_VALUE');
      assert.equal(await store.friends.unfriend(b.id, a.id), true);
      assert.deepEqual(await store.friends.list(a.id), []);
      assert.deepEqual(await store.friends.list(b.id), []);
      assert.equal(await store.friends.unfriend(a.id, b.id), false);
      assert.equal(await store.friends.setSymbol(a.id, b.id, 1), false);
    });

    it('a deleted character leaves its friends\' lists', async () => {
      const a = await newCharacter();
      const b = await newCharacter();
      await store.friends.addRequest(a.id, b.id, { now: t0, expiresAt: week(t0) });
      await store.friends.acceptRequest(a.id, b.id, { now: t0, max: 10 });
      await store.characters.delete(b.id);
      assert.deepEqual(await store.friends.list(a.id), []);
    });

    it('ignore lists: add, keep the name, limit, remove', async () => {
      const a = await newCharacter();
      const b = await newCharacter('Bothersome');
      const c = await newCharacter();
      await store.ignores.add(a.id, b.id, 'Bothersome', { now: t0, max: 1 });
      await store.ignores.add(a.id, b.id, 'Bothersome', { now: t0, max: 1 });
      assert.equal(await store.ignores.ignores(a.id, b.id), true);
      assert.equal(await store.ignores.ignores(b.id, a.id), false, 'ignoring has a direction');
      await rejectsWithCode(store.ignores.add(a.id, c.id, 'Other', { now: t0, max: 1 }), 'ERR_LIST_FULL');
      await rejectsWithCode(store.ignores.add(a.id, a.id, 'Self', { now: t0, max: 5 }), 'ERR_INVALID_VALUE');
      await rejectsWithCode(store.ignores.add(a.id, c.id, 'x'.repeat(33), { now: t0, max: 5 }), 'ERR_VALUE_TOO_LONG');
      assert.deepEqual((await store.ignores.list(a.id)).map((e) => [e.ignoredId, e.name]), [[b.id, 'Bothersome']]);
      assert.equal(await store.ignores.remove(a.id, b.id), true);
      assert.equal(await store.ignores.remove(a.id, b.id), false);
      assert.equal(await store.ignores.ignores(a.id, b.id), false);
    });

    it('lists survive closing and reopening the store', async () => {
      const a = await newCharacter();
      const b = await newCharacter();
      await store.friends.addRequest(a.id, b.id, { now: t0, expiresAt: week(t0) });
      await store.friends.acceptRequest(a.id, b.id, { now: t0, max: 10 });
      await store.friends.setSymbol(b.id, a.id, 2);
      await store.ignores.add(a.id, b.id, b.name, { now: t0, max: 10 });
      await store.close();
      store = await database.open();
      assert.deepEqual((await store.friends.list(b.id)).map((f) => [f.friendId, f.symbol]), [[a.id, 2]]);
      assert.deepEqual((await store.ignores.list(a.id)).map((e) => e.ignoredId), [b.id]);
    });
  });
}
