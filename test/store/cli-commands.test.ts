// The account and character commands, run in-process through a commander program on a temp
// SQLite file, checking output, store effects and exit codes (1 user error, 2 bad usage).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Command, CommanderError } from 'commander';
import { registerAccountCommands } from '../../src/cli/commands/account.js';
import { registerCharacterCommands } from '../../src/cli/commands/character.js';
import { openStore, passwordHash, type Store } from '../../src/store/index.js';

describe('account and character commands', () => {
  let dir: string;
  let sqlitePath: string;
  const open = () => openStore({ databaseUrl: null, sqlitePath });

  async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const program = new Command('imlight').exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
    registerAccountCommands(program, open);
    registerCharacterCommands(program, open);
    try {
      await program.parseAsync(args, { from: 'user' });
      return { code: 0, out, err };
    } catch (error) {
      if (error instanceof CommanderError) return { code: error.exitCode, out, err };
      throw error;
    }
  }

  async function inspect<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    const store = await open();
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  }

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'imlight-cli-'));
    sqlitePath = join(dir, 'imlight.db');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates an account and refuses a duplicate name in any case', async () => {
    const created = await run('account', 'create', 'Morgana', '--password', 'secret-spell', '--access-level', 'moderator');
    assert.equal(created.code, 0, created.err);
    assert.match(created.out, /created account Morgana \(id \d+, moderator\)/);
    const account = await inspect((s) => s.accounts.findByUsername('morgana'));
    assert.equal(account?.accessLevel, 'moderator');
    assert.equal(await inspect((s) => s.accounts.credentialFor(account!.id)), passwordHash('secret-spell'));

    const duplicate = await run('account', 'create', 'MORGANA', '--password', 'another-one');
    assert.equal(duplicate.code, 1);
    assert.match(duplicate.err, /already exists/);
  });

  it('refuses weak or missing passwords and bad usage with the right exit codes', async () => {
    const short = await run('account', 'create', 'shorty', '--password', 'seven77');
    assert.equal(short.code, 1);
    assert.match(short.err, /too short/);
    const empty = await run('account', 'create', 'empty', '--password', '');
    assert.equal(empty.code, 1);
    assert.match(empty.err, /empty/);
    // Test runs have no terminal on stdin, so there is nothing to prompt on.
    const missing = await run('account', 'create', 'nopass');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /--password is required/);
    assert.equal((await run('account', 'create')).code, 2, 'missing name');
    assert.equal((await run('account', 'create', 'x1', '--password', 'long enough', '--access-level', 'god')).code, 2);
    assert.equal((await run('account', 'create', 'x2', '--password', 'long enough', '--bogus')).code, 2);
    assert.equal((await run('account', 'lock')).code, 2);
    assert.equal(await inspect((s) => s.accounts.findByUsername('shorty')), undefined);
    const tooLong = await run('account', 'create', 'n'.repeat(65), '--password', 'long enough');
    assert.equal(tooLong.code, 1);
    assert.match(tooLong.err, /too long/);
  });

  it('changes passwords, locks and unlocks, and names unknown accounts', async () => {
    assert.equal((await run('account', 'create', 'Percival', '--password', 'grail-quest')).code, 0);
    assert.equal((await run('account', 'passwd', 'percival', '--password', 'new-grail-quest')).code, 0);
    const id = (await inspect((s) => s.accounts.findByUsername('Percival')))!.id;
    assert.equal(await inspect((s) => s.accounts.credentialFor(id)), passwordHash('new-grail-quest'));
    assert.equal((await run('account', 'lock', 'Percival')).code, 0);
    assert.equal((await inspect((s) => s.accounts.get(id)))?.locked, true);
    assert.equal((await run('account', 'unlock', 'Percival')).code, 0);
    assert.equal((await inspect((s) => s.accounts.get(id)))?.locked, false);
    for (const args of [['passwd', 'ghost', '--password', 'long enough'], ['lock', 'ghost'], ['unlock', 'ghost'], ['ban', 'ghost', '--reason', 'r']]) {
      const result = await run('account', ...args);
      assert.equal(result.code, 1, args.join(' '));
      assert.match(result.err, /unknown account "ghost"/);
    }
  });

  it('bans and unbans accounts, machines and addresses, with expiry', async () => {
    assert.equal((await run('account', 'create', 'Mordred', '--password', 'treachery!')).code, 0);
    const banned = await run('account', 'ban', 'Mordred', '--reason', 'treason', '--expires', '7d');
    assert.equal(banned.code, 0, banned.err);
    const id = (await inspect((s) => s.accounts.findByUsername('Mordred')))!.id;
    const bans = await inspect((s) => s.bans.activeBansFor({ accountId: id }, new Date()));
    assert.equal(bans.length, 1);
    assert.equal(bans[0]?.reason, 'treason');
    const days = (bans[0]!.expiresAt!.getTime() - Date.now()) / 86_400_000;
    assert.ok(days > 6.9 && days <= 7, `expiry ${days} days`);

    assert.equal((await run('account', 'ban', '--machine', '18446744073709551615', '--reason', 'cheat engine', '--expires', '2999-01-01')).code, 0);
    assert.equal((await run('account', 'ban', '--address', '192.0.2.7', '--reason', 'flood')).code, 0);
    const all = await inspect((s) => s.bans.activeBansFor({ machineId: 2n ** 64n - 1n, address: '192.0.2.7' }, new Date()));
    assert.equal(all.length, 2);
    assert.equal(all.find((b) => b.machineId !== null)?.expiresAt?.toISOString(), '2999-01-01T00:00:00.000Z');

    const listed = await run('account', 'list');
    assert.match(listed.out, /Mordred\tplayer\tbanned/);
    assert.match(listed.out, /machine 18446744073709551615: "cheat engine"/);

    assert.equal((await run('account', 'ban', 'Mordred', '--machine', '1', '--reason', 'two targets')).code, 2);
    assert.equal((await run('account', 'ban', 'Mordred')).code, 2, 'reason required');
    assert.equal((await run('account', 'ban', 'Mordred', '--reason', 'r', '--expires', 'tomorrow')).code, 2);
    assert.equal((await run('account', 'ban', '--machine', 'abc', '--reason', 'r')).code, 2);

    assert.equal((await run('account', 'unban', 'Mordred')).code, 0);
    assert.deepEqual(await inspect((s) => s.bans.activeBansFor({ accountId: id }, new Date())), []);
    assert.equal((await run('account', 'unban', 'Mordred')).code, 1, 'nothing left to lift');
    assert.equal((await run('account', 'unban', '--address', '192.0.2.7')).code, 0);
  });

  it('lists accounts as text and JSON', async () => {
    const text = await run('account', 'list');
    assert.equal(text.code, 0);
    assert.match(text.out, /\tMorgana\tmoderator/);
    const json = await run('account', 'list', '--json');
    const rows = json.out.trim().split('\n').map((line) => JSON.parse(line) as { username: string; locked: boolean });
    assert.ok(rows.some((r) => r.username === 'Percival' && r.locked === false));
    assert.ok(!json.out.includes(passwordHash('new-grail-quest')));
  });

  it("lists an account's characters", async () => {
    const id = (await inspect((s) => s.accounts.findByUsername('Morgana')))!.id;
    await inspect(async (s) => {
      await s.characters.create({ accountId: id, name: 'Fay', zoneName: 'Avalon', location: { x: 1, y: 2, z: 3, yaw: 0.5 } });
      await s.characters.create({ accountId: id, name: "Le Fay's Shadow" });
    });
    const listed = await run('character', 'list', 'morgana');
    assert.equal(listed.code, 0, listed.err);
    assert.match(listed.out, /\tFay\tAvalon @ 1,2,3,0.5\tv1/);
    assert.match(listed.out, /Le Fay's Shadow\t\(start zone\)/);
    const json = await run('character', 'list', 'Morgana', '--json');
    assert.deepEqual(json.out.trim().split('\n').map((l) => (JSON.parse(l) as { name: string }).name), ['Fay', "Le Fay's Shadow"]);
    const none = await run('character', 'list', 'Percival');
    assert.match(none.out, /Percival has no characters/);
    assert.equal((await run('character', 'list', 'ghost')).code, 1);
    assert.equal((await run('character', 'list')).code, 2);
  });

  it('reports an unusable database as a user error', async () => {
    let err = '';
    const program = new Command('imlight').exitOverride().configureOutput({ writeOut: () => {}, writeErr: (s) => (err += s) });
    registerAccountCommands(program, () => openStore({ databaseUrl: 'mysql://nowhere/db' }));
    await assert.rejects(program.parseAsync(['account', 'list'], { from: 'user' }), (error: unknown) => {
      assert.ok(error instanceof CommanderError);
      assert.equal(error.exitCode, 1);
      return true;
    });
    assert.match(err, /database URL must start with postgres:\/\//);
  });
});
