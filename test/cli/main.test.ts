// main() in-process: the exit code it returns and where the commands registered from other files get their store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';

function capture() {
  let out = '';
  let err = '';
  return { io: { out: (text: string) => { out += text; }, err: (text: string) => { err += text; } }, out: () => out, err: () => err };
}

const argv = (...args: string[]) => ['node', 'imlight', ...args];

test('config check returns 1 with the error for a bad flag value and 0 when it is fixed', async () => {
  const bad = capture();
  assert.equal(await main(argv('config', 'check', '--set', 'game.capacity=many'), bad.io), 1);
  assert.match(bad.err(), /game\.capacity: must be an integer 1\.\.100000, got "many" \(from --set game\.capacity\)/);
  const good = capture();
  assert.equal(await main(argv('config', 'check', '--set', 'game.capacity=40'), good.io), 0);
  assert.match(good.out(), /configuration is valid/);
});

test('config print --json and a named file with a bad value', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'imlight-main-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const json = capture();
  assert.equal(await main(argv('config', 'print', '--json', '--set', 'login.port=12345'), json.io), 0);
  const parsed = JSON.parse(json.out()) as { config: { login: { port: number } }; sources: Record<string, string> };
  assert.equal(parsed.config.login.port, 12345);
  assert.equal(parsed.sources['login.port'], '--set login.port');
  assert.equal(parsed.sources['game.port'], 'default');

  writeFileSync(join(dir, 'bad.toml'), '[game]\ncapacity = "lots"\n');
  const bad = capture();
  assert.equal(await main(argv('--config', join(dir, 'bad.toml'), 'config', 'check'), bad.io), 1);
  assert.match(bad.err(), /game\.capacity: must be an integer 1\.\.100000, got "lots" \(from file .*bad\.toml\)/);
});

test('account commands use the database of the configuration, and a refused operation exits 1', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'imlight-main-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const created = capture();
  assert.equal(await main(argv('account', 'create', 'alice', '--password', 'correct horse 42', '--data-dir', dir), created.io), 0, created.err());
  assert.ok(existsSync(join(dir, 'imlight.db')), 'the account went to <dataDir>/imlight.db');
  const listed = capture();
  assert.equal(await main(argv('--data-dir', dir, 'account', 'list'), listed.io), 0, listed.err());
  assert.match(listed.out(), /alice/);
  const again = capture();
  assert.equal(await main(argv('account', 'create', 'alice', '--password', 'correct horse 42', '--data-dir', dir), again.io), 1);
  assert.match(again.err(), /already exists/);
});

test('usage errors return 2 and help returns 0', async () => {
  for (const args of [['config', 'frobnicate'], ['start', '--role', 'nope'], ['config', 'check', '--bogus'], ['--set', 'login.nope=1', 'config', 'check'], ['codegen', 'x']]) {
    const usage = capture();
    assert.equal(await main(argv(...args), usage.io), 2, args.join(' '));
    assert.ok(usage.err().length > 0, `${args.join(' ')} explains itself`);
  }
  const help = capture();
  assert.equal(await main(argv('account', '--help'), help.io), 0);
  assert.equal(await main(argv('--version'), capture().io), 0);
  assert.match(help.out(), /Usage: imlight account/);
});
