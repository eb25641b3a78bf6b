// The console's account browser through the API: search, view with characters and bans, lock, unlock and reset a
// password, each logged with who did it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { passwordHash } from '../../src/store/index.js';
import { startAdminKit } from './admin-kit.js';

const json = { 'content-type': 'application/json' };

test('search, view, lock, unlock and reset a password', async (t) => {
  const kit = await startAdminKit();
  t.after(() => kit.close());
  await kit.store.characters.create({ accountId: kit.player.id, name: 'Bobbin', creationData: Buffer.alloc(0) });
  await kit.store.bans.create({ accountId: kit.player.id, reason: 'spam', expiresAt: null });

  const search = (await (await kit.api('/api/accounts?q=BO')).json()) as { total: number; items: Array<{ username: string; banned: boolean; id: string }> };
  assert.equal(search.total, 1);
  assert.equal(search.items[0]!.username, 'bob');
  assert.equal(search.items[0]!.banned, true);
  assert.equal(typeof search.items[0]!.id, 'string');
  const all = (await (await kit.api('/api/accounts')).json()) as { total: number };
  assert.equal(all.total, 2);

  const view = (await (await kit.api(`/api/accounts/${kit.player.id}`)).json()) as { characters: Array<{ name: string }>; bans: Array<{ reason: string }>; locked: boolean };
  assert.deepEqual(view.characters.map((c) => c.name), ['Bobbin']);
  assert.deepEqual(view.bans.map((b) => b.reason), ['spam']);
  assert.equal(view.locked, false);

  assert.equal((await kit.api(`/api/accounts/${kit.player.id}/lock`, { method: 'POST', headers: json, body: '{}' })).status, 200);
  assert.equal((await kit.store.accounts.get(kit.player.id))!.locked, true);
  assert.equal((await kit.api(`/api/accounts/${kit.player.id}/unlock`, { method: 'POST', headers: json, body: '{}' })).status, 200);
  assert.equal((await kit.store.accounts.get(kit.player.id))!.locked, false);

  const reset = (await (await kit.api(`/api/accounts/${kit.player.id}/reset-password`, { method: 'POST', headers: json, body: '{}' })).json()) as { password: string };
  assert.ok(reset.password.length >= 16);
  assert.equal(await kit.store.accounts.credentialFor(kit.player.id), passwordHash(reset.password));
  assert.ok(!JSON.stringify(kit.logs).includes(reset.password), 'the new password is never logged');
  const actions = kit.logs.filter((l) => l.msg === 'admin action').map((l) => l.action);
  assert.deepEqual(actions, ['lock', 'unlock', 'reset-password']);

  assert.equal((await kit.api('/api/accounts/999')).status, 404);
  assert.equal((await kit.api('/api/accounts/abc')).status, 400);
  assert.equal((await kit.api(`/api/accounts?q=${'x'.repeat(65)}`)).status, 400);
  assert.equal((await kit.api('/api/accounts', { auth: null })).status, 401);
});
