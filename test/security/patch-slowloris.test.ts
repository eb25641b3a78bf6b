// Attack: 300 slow connections from one address, each sending a header byte now and then (slowloris), used to hold
// every slot of the patch HTTP server so that nobody else could download. Defence: a per-address connection cap
// (the 17th connection of an address is closed at once), a total cap, and the header time limit checked twice a
// second, also for connections that send nothing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PatchHttpServer } from '../../src/servers/patch/index.js';
import { httpRequest, slowClient, waitFor, type SlowClient } from './attack-kit.js';

const dir = mkdtempSync(join(tmpdir(), 'imlight-slowloris-'));
const payload = Buffer.alloc(256 * 1024, 7);
let server: PatchHttpServer;
let port: number;
const warnings: string[] = [];

before(async () => {
  writeFileSync(join(dir, 'Game.bin'), payload);
  server = new PatchHttpServer({
    dir,
    maxConnections: 256,
    maxConnectionsPerAddress: 16,
    headersTimeoutMs: 2_000,
    log: { debug() {}, info() {}, error() {}, warn: (_obj: object | string, msg?: string) => warnings.push(String(msg)) },
  });
  ({ port } = await server.start({ host: '127.0.0.1', port: 0 }));
});
after(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('300 slow connections from one address do not stop another address from downloading', { timeout: 60_000 }, async () => {
  const attackers: SlowClient[] = [];
  for (let i = 0; i < 300; i++) attackers.push(slowClient(port, { localAddress: '127.0.0.1' }));
  try {
    // All but the per-address cap are closed by the server as they arrive.
    let closedCount = 0;
    for (const a of attackers) void a.closed.then(() => closedCount++);
    await waitFor(() => closedCount >= 300 - 16, 'the connections past the per-address cap are closed');
    assert.ok(warnings.some((w) => /too many open from this address/.test(w)), 'the refusal is logged');

    // Another client downloads the whole file meanwhile.
    const list = await httpRequest({ port, path: '/LatestFileList.bin', localAddress: '127.0.0.2' });
    assert.equal(list.status, 200);
    const file = await httpRequest({ port, path: '/Game.bin', localAddress: '127.0.0.2' });
    assert.equal(file.status, 200);
    assert.ok(file.body.equals(payload), 'the other address got the file intact');

    // The slow ones never finish their headers: the server drops them once the header limit passes.
    await Promise.all(attackers.map((a) => a.closed));
  } finally {
    for (const a of attackers) a.stop();
  }
});

test('a connection that sends nothing is closed at the header limit too', { timeout: 20_000 }, async () => {
  const silent = slowClient(port, { localAddress: '127.0.0.3', silent: true });
  try {
    await silent.closed;
    assert.equal(silent.socket.destroyed, true);
  } finally {
    silent.stop();
  }
});
