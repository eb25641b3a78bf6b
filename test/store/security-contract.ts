// What issue 19 asks of the store, on every back end: credentials sealed at rest (client keys too,
// plain rows sealed at open), the secret rotated in one step, look-alike names refused, machines that
// logged in remembered, and the admin console's scrypt verifier.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { passwordHash, type Store } from '../../src/store/index.js';
import type { FreshDatabase, Harness } from './store-harness.js';

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.equal((error as { code?: string }).code, code, `expected ${code}, got ${String(error)}`);
    return true;
  });
}

const later = () => new Date(Date.now() + 3_600_000);

export function defineSecurityContract(harness: Harness): void {
  describe(`store security on ${harness.name}`, { skip: harness.skip }, () => {
    let database: FreshDatabase;
    before(async () => {
      database = await harness.fresh();
    });
    after(async () => {
      await database?.dispose();
    });

    const rawOne = async (query: string, params: unknown[]) => (await database.raw(query, params))[0] ?? {};

    it('seals at open the password hashes and client keys an unsealed database holds, and seals new client keys', async () => {
      const plain = await database.open();
      const account = await plain.accounts.create({ username: 'upgrader', password: 'plain before upgrade' });
      await plain.sessionKeys.put({ accountId: account.id, machineId: 77n, key: 'client-key-two', expiresAt: later() });
      assert.equal((await rawOne('select session_key from session_keys where account_id = ?', [account.id]))['session_key'], 'client-key-two');
      await plain.close();

      const logged: unknown[] = [];
      const note = (obj: object | string, msg?: string) => logged.push([obj, msg]);
      const sealed = await database.open({ secret: 'generated secret one', logger: { info: note, warn: note, error: note, debug: note } });
      assert.ok(logged.some((l) => (l as unknown[])[1] === 'sealed credentials stored without encryption'));
      const rawHash = String((await rawOne('select password_hash from accounts where id = ?', [account.id]))['password_hash']);
      const rawKey = String((await rawOne('select session_key from session_keys where account_id = ?', [account.id]))['session_key']);
      assert.match(rawHash, /^enc1:/);
      assert.match(rawKey, /^enc1:/);
      assert.ok(!rawKey.includes('client-key-two'));
      assert.equal(await sealed.accounts.credentialFor(account.id), passwordHash('plain before upgrade'));
      assert.equal((await sealed.sessionKeys.find(account.id, 77n, new Date()))?.key, 'client-key-two');

      // New client keys are sealed as written, bound to their row, for ids over 2^63 too.
      const machine = 2n ** 64n - 5n;
      await sealed.sessionKeys.put({ accountId: account.id, machineId: machine, key: 'fresh-key', expiresAt: later() });
      const rows = await database.raw('select session_key from session_keys where account_id = ?', [account.id]);
      assert.ok(rows.every((r) => String(r['session_key']).startsWith('enc1:')));
      assert.equal((await sealed.sessionKeys.consume(account.id, machine, new Date()))?.key, 'fresh-key');
      await sealed.close();
    });

    it('rotates the secret: everything is re-sealed at once, the old secret no longer opens the store', async () => {
      const store = await database.open({ secret: 'generated secret one' });
      const account = await store.accounts.create({ username: 'rotated', password: 'rotate me please' });
      await store.sessionKeys.put({ accountId: account.id, machineId: 5n, key: 'key-before-rotation', expiresAt: later() });
      const before = String((await rawOne('select password_hash from accounts where id = ?', [account.id]))['password_hash']);
      await rejectsWithCode(store.rotateSecret('short'), 'ERR_INVALID_VALUE');
      const counts = await store.rotateSecret('the second secret value');
      assert.ok(counts.accounts >= 2 && counts.sessionKeys >= 1, JSON.stringify(counts));
      assert.notEqual(String((await rawOne('select password_hash from accounts where id = ?', [account.id]))['password_hash']), before);
      assert.equal(await store.accounts.credentialFor(account.id), passwordHash('rotate me please'));
      const created = await store.accounts.create({ username: 'after-rotation', password: 'sealed with the new one' });
      await store.close();

      await rejectsWithCode(database.open({ secret: 'generated secret one' }), 'ERR_STORE_BAD_SECRET');
      const reopened = await database.open({ secret: 'the second secret value' });
      assert.equal(await reopened.accounts.credentialFor(account.id), passwordHash('rotate me please'));
      assert.equal(await reopened.accounts.credentialFor(created.id), passwordHash('sealed with the new one'));
      assert.equal((await reopened.sessionKeys.find(account.id, 5n, new Date()))?.key, 'key-before-rotation');
      await reopened.close();
    });

    describe('names', () => {
      let store: Store;
      before(async () => {
        store = await database.open({ secret: 'the second secret value' });
      });

      it('refuses a username confusable with an existing one (NFKC, case folding, look-alike letters)', async () => {
        await store.accounts.create({ username: 'admin1', password: 'administrator' });
        await rejectsWithCode(store.accounts.create({ username: 'Admin1', password: 'another one' }), 'ERR_ACCOUNT_EXISTS');
        for (const lookalike of ['ＡＤＭＩＮ1', 'аdmin1' /* Cyrillic а */, 'admi\u200Dn1', 'ADMİN1'.normalize('NFD').replace('İ', 'I'), 'ádmin1']) {
          await rejectsWithCode(store.accounts.create({ username: lookalike, password: 'impersonator' }), 'ERR_NAME_CONFUSABLE');
        }
        assert.equal((await store.accounts.create({ username: 'admin2', password: 'different name' })).username, 'admin2');
        assert.equal(await store.accounts.findByUsername('ＡＤＭＩＮ1'), undefined);
      });

      it('refuses a character name confusable with a live one; the same spelling only when names are unique', async () => {
        const owner = await store.accounts.create({ username: 'name-owner', password: 'characters!' });
        const other = await store.accounts.create({ username: 'name-other', password: 'characters!' });
        await store.characters.create({ accountId: owner.id, name: 'Merle' });
        await rejectsWithCode(store.characters.create({ accountId: other.id, name: 'Мerle' /* Cyrillic М */ }), 'ERR_NAME_CONFUSABLE');
        await rejectsWithCode(store.characters.create({ accountId: other.id, name: 'ＭＥＲＬＥ' }), 'ERR_NAME_CONFUSABLE');
        assert.equal((await store.characters.create({ accountId: other.id, name: 'Merle' })).name, 'Merle', 'names are not unique here');
        const unique = await database.open({ secret: 'the second secret value', uniqueCharacterNames: true });
        await rejectsWithCode(unique.characters.create({ accountId: other.id, name: 'merle' }), 'ERR_NAME_TAKEN');
        await rejectsWithCode(unique.characters.create({ accountId: other.id, name: 'Мerle' }), 'ERR_NAME_CONFUSABLE');
        await unique.close();
      });

      it('remembers the machines that logged in to an account', async () => {
        const account = await store.accounts.create({ username: 'traveller', password: 'many machines' });
        const machine = 2n ** 64n - 1n;
        assert.equal(await store.accounts.knowsMachine(account.id, machine), false);
        await store.accounts.recordLogin(account.id, new Date(), machine);
        await store.accounts.recordLogin(account.id, new Date(), machine);
        assert.equal(await store.accounts.knowsMachine(account.id, machine), true);
        assert.equal(await store.accounts.knowsMachine(account.id, 1n), false);
        await rejectsWithCode(store.accounts.recordLogin(2n ** 62n, new Date(), 3n), 'ERR_UNKNOWN_ACCOUNT');
      });

      it('checks administrators\' console passwords against a scrypt verifier, made on first use for promoted accounts', async () => {
        const admin = await store.accounts.create({ username: 'root-admin', password: 'console password', accessLevel: 'administrator' });
        assert.match(String((await rawOne('select console_verifier from accounts where id = ?', [admin.id]))['console_verifier']), /^scrypt\$15\$8\$1\$/);
        assert.equal(await store.accounts.checkConsolePassword(admin.id, 'console password'), true);
        assert.equal(await store.accounts.checkConsolePassword(admin.id, 'wrong password'), false);

        const promoted = await store.accounts.create({ username: 'promoted', password: 'was a player' });
        assert.equal((await rawOne('select console_verifier from accounts where id = ?', [promoted.id]))['console_verifier'], null);
        await store.accounts.setAccessLevel(promoted.id, 'administrator');
        assert.equal(await store.accounts.checkConsolePassword(promoted.id, 'not it'), false);
        assert.equal(await store.accounts.checkConsolePassword(promoted.id, 'was a player'), true);
        assert.match(String((await rawOne('select console_verifier from accounts where id = ?', [promoted.id]))['console_verifier']), /^scrypt\$/);
        await store.accounts.setPassword(promoted.id, 'a new password');
        assert.equal(await store.accounts.checkConsolePassword(promoted.id, 'was a player'), false);
        assert.equal(await store.accounts.checkConsolePassword(promoted.id, 'a new password'), true);
        await store.close();
      });
    });
  });
}
