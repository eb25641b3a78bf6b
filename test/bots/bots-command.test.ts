// `imlight bots` in-process through main(), against a network sharing its SQLite file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { SwarmReport } from '../../src/bots/index.js';
import { gameServersReady, makeAccounts, startPlayNetwork } from '../faults/support.js';

function capture() {
  let out = '';
  let err = '';
  return { io: { out: (text: string) => { out += text; }, err: (text: string) => { err += text; } }, out: () => out, err: () => err };
}

const argv = (...args: string[]) => ['node', 'imlight', ...args];

test('imlight bots creates its accounts in the configured store, plays, and writes the report', async (t) => {
  const net = await startPlayNetwork(t);
  await gameServersReady(net);
  const json = join(net.dir, 'report.json');
  const run = capture();
  const code = await main(argv(
    '--set', `database.sqliteFile=${join(net.dir, 'imlight.db')}`,
    'bots', '--login', `127.0.0.1:${net.port}`, '--count', '3', '--create-accounts', '--password', 'pw',
    '--actions', '6', '--rate', '50', '--mix', 'move=60,chat=20,zone=20', '--journeys', '2', '--progress', '100ms', '--json', json,
  ), run.io);
  assert.equal(code, 0, run.err());
  assert.match(run.err(), /accounts: 3 created, 0 already there/);
  assert.match(run.out(), /journeys completed 6, failed 0/);
  // One attach per journey, and one more after each zone change (the client reconnects where the server sends it).
  const zones = Number(/zone (\d+)/.exec(run.out())?.[1] ?? -1);
  assert.match(run.out(), new RegExp(`^game\\.attach\\s+${6 + zones}\\s+0\\s`, 'm'));
  const report = JSON.parse(readFileSync(json, 'utf8')) as SwarmReport;
  assert.equal(report.journeysCompleted, 6);
  assert.equal(report.bots, 3);
  assert.ok((await net.store.accounts.findByUsername('bot0003')) !== undefined);

  const again = capture();
  assert.equal(await main(argv('--set', `database.sqliteFile=${join(net.dir, 'imlight.db')}`, 'bots', '--login', `127.0.0.1:${net.port}`,
    '--count', '3', '--create-accounts', '--password', 'pw', '--actions', '0'), again.io), 0, again.err());
  assert.match(again.err(), /accounts: 0 created, 3 already there/);
});

test('imlight bots with an accounts file reports failed journeys with exit code 1', async (t) => {
  const net = await startPlayNetwork(t);
  await makeAccounts(net.store, 'file', 1);
  const file = join(net.dir, 'accounts.txt');
  writeFileSync(file, 'file1:not-the-password\n');
  const run = capture();
  const code = await main(argv('bots', '--login', `127.0.0.1:${net.port}`, '--count', '1', '--accounts', file, '--actions', '0'), run.io);
  assert.equal(code, 1);
  assert.match(run.out(), /login\.authenticate authen-rejected:0x3b689180/);
  assert.match(run.err(), /journeys failed/);
});

test('imlight bots refuses a command line without accounts, or with too few', async (t) => {
  const net = await startPlayNetwork(t);
  const none = capture();
  assert.equal(await main(argv('bots', '--login', `127.0.0.1:${net.port}`), none.io), 2);
  assert.match(none.err(), /either --accounts FILE or --create-accounts/);
  const file = join(net.dir, 'one.txt');
  writeFileSync(file, 'a:b\n');
  const few = capture();
  assert.equal(await main(argv('bots', '--login', `127.0.0.1:${net.port}`, '--count', '2', '--accounts', file), few.io), 1);
  assert.match(few.err(), /2 bots need 2 accounts/);
  const mix = capture();
  assert.equal(await main(argv('bots', '--login', 'x:1', '--mix', 'fly=2', '--accounts', file), mix.io), 2);
});
