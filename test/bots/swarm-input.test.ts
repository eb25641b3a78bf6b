import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountsFileError, BotConfigError, botUsernames, parseAccounts, parseMix, parseTarget, readAccountsFile } from '../../src/bots/index.js';

test('a mix string gives weights per action and zero for the ones it leaves out', () => {
  assert.deepEqual(parseMix('move=70, chat=20,zone=10'), { move: 70, chat: 20, zone: 10 });
  assert.deepEqual(parseMix('chat:1'), { move: 0, chat: 1, zone: 0 });
  assert.throws(() => parseMix('jump=3'), BotConfigError);
  assert.throws(() => parseMix('move=0'), /no positive weight/);
  assert.throws(() => parseMix('move=-1'), BotConfigError);
});

test('a target is HOST:PORT, and a bare port means the local host', () => {
  assert.deepEqual(parseTarget('login.example.org:12000'), { host: 'login.example.org', port: 12000 });
  assert.deepEqual(parseTarget('12000'), { host: '127.0.0.1', port: 12000 });
  assert.deepEqual(parseTarget('[::1]:7'), { host: '::1', port: 7 });
  for (const bad of ['host:', 'host:0', 'host:70000', 'host:1x']) assert.throws(() => parseTarget(bad), BotConfigError, bad);
});

test('an accounts file holds one username:password a line, with comments, and refuses duplicates', (t) => {
  assert.deepEqual(parseAccounts('# bots\nalice:pw:with:colons\n\n  bob   two words\n'), [
    { username: 'alice', password: 'pw:with:colons' },
    { username: 'bob', password: 'two words' },
  ]);
  assert.throws(() => parseAccounts('alice:1\nALICE:2', 'f'), /f:2: account ALICE is listed twice/);
  assert.throws(() => parseAccounts('lonely', 'f'), AccountsFileError);
  const dir = mkdtempSync(join(tmpdir(), 'imlight-bots-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'a.txt'), 'carol:x\n');
  assert.deepEqual(readAccountsFile(join(dir, 'a.txt')), [{ username: 'carol', password: 'x' }]);
  assert.throws(() => readAccountsFile(join(dir, 'missing.txt')), AccountsFileError);
});

test('created bot usernames are numbered with at least four digits', () => {
  assert.deepEqual(botUsernames('bot', 2), ['bot0001', 'bot0002']);
  assert.equal(botUsernames('b', 12_345)[12_344], 'b12345');
});
