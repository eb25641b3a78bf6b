import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from '../../../src/cli/logging.js';
import { DEFAULT_PARTS, startImlight } from '../../../src/cli/start.js';
import { loadConfig } from '../../../src/config/index.js';
import { KiClient, type ServerInfo } from '../../../src/net/index.js';
import { PATCH } from '../../../src/protocol/index.js';
import { ActorSystem } from '../../../src/runtime/index.js';
import { decodeFileListTables, fileRecordsOf, startPatchPart } from '../../../src/servers/patch/index.js';
import { referenceKiwadCrc, referenceStandardCrc } from './reference-crc.js';

const REQUEST = Buffer.concat([Buffer.from([0x0d, 0xf0, 0x27, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x02, 0x22, 0x00]), Buffer.alloc(30), Buffer.from([0x00])]);

/** A configuration rooted in a temp folder, every listener on 127.0.0.1 port 0, and a log that can be read back. */
async function setup(t: { after(fn: () => void): void }) {
  const cwd = mkdtempSync(join(tmpdir(), 'imlight-patch-part-'));
  t.after(() => rmSync(cwd, { recursive: true, force: true }));
  const { config } = loadConfig({
    cwd,
    env: {
      IMLIGHT_ADMIN_ENABLED: 'false', IMLIGHT_METRICS_DEFAULT_METRICS: 'false',
      IMLIGHT_PATCH_HOST: '127.0.0.1', IMLIGHT_PATCH_PORT: '0', IMLIGHT_PATCH_HTTP_PORT: '0',
      IMLIGHT_LOGIN_PORT: '0', IMLIGHT_SESSION_PORT: '0',
    },
  });
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _encoding, done) { chunks.push(String(chunk)); done(); } });
  const logRoot = await createLogger(config.log, { stream });
  const lines = () => chunks.join('').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, any>);
  return { cwd, config, logRoot, lines };
}

/** The exact request bytes, sent before the SessionAccept; the reply checked against the HTTP side. */
async function askFileList(kinpPort: number): Promise<{ size: number; crc: number; url: string; bin: Buffer }> {
  const client = await KiClient.connect({ port: kinpPort, keepAliveMs: 0, handshake: 'manual' });
  try {
    client.writeRaw(REQUEST);
    const reply = await client.next(PATCH.MSG_LATEST_FILE_LIST_V2, 5000);
    const url = reply.ListFileURL.toString();
    const bin = Buffer.from(await (await fetch(url)).arrayBuffer());
    assert.equal(reply.ListFileSize, bin.length);
    assert.equal(reply.ListFileCRC, referenceStandardCrc(bin));
    return { size: reply.ListFileSize, crc: reply.ListFileCRC, url, bin };
  } finally {
    await client.close();
  }
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(false); });
    socket.once('error', () => resolve(true));
  });
}

test('the patch part creates the default directory empty, says so, serves it, and stops cleanly', async (t) => {
  const { config, logRoot, lines } = await setup(t);
  assert.equal(existsSync(config.patch.dir), false);
  const system = ActorSystem.create('imlight', { logger: logRoot.component('runtime') });
  try {
    const running = await startPatchPart({ config, system, logs: logRoot });
    assert.ok(statSync(config.patch.dir).isDirectory(), 'the directory is created');
    assert.equal(running.dir, config.patch.dir);
    assert.deepEqual(readdirSync(config.patch.dir).filter((n) => !n.startsWith('.')), [], 'and holds no file to serve');
    const created = lines().filter((l) => String(l.msg).startsWith('created an empty patch directory'));
    assert.equal(created.length, 1);
    assert.equal(created[0]!.dir, config.patch.dir, 'the log line carries the path');
    assert.equal(created[0]!.component, 'patch');

    assert.equal(running.baseUrl, `http://127.0.0.1:${running.httpAddress.port}/`);
    const answer = await askFileList(running.kinp.address.port);
    assert.equal(answer.url, `${running.baseUrl}LatestFileList.bin`);
    const tables = decodeFileListTables(answer.bin);
    assert.deepEqual(fileRecordsOf(tables), [], 'the list of an empty directory has no file');
    assert.deepEqual(tables.map((table) => table.name), ['_TableList', 'About', 'Base', 'PatchClient']);

    await running.stop();
    assert.equal(system.lookup(running.kinp.ref.path), undefined, 'the KiNP server actor is gone');
    assert.equal(await refused(running.kinp.address.port), true, 'the KiNP port is closed');
    assert.equal(await refused(running.httpAddress.port), true, 'the HTTP port is closed');
    assert.ok(lines().some((l) => l.msg === 'patch server stopped'));

    // The directory now exists: a second start serves it without creating anything.
    const again = await startPatchPart({ config, system, logs: logRoot });
    await again.stop();
    assert.equal(lines().filter((l) => String(l.msg).startsWith('created an empty patch directory')).length, 1);
  } finally {
    await system.terminate();
  }
});

test('a file dropped into the served directory shows in the next reply without a restart', async (t) => {
  const { config, logRoot } = await setup(t);
  const system = ActorSystem.create('imlight', { logger: logRoot.component('runtime') });
  try {
    const running = await startPatchPart({ config, system, logs: logRoot });
    try {
      const before = await askFileList(running.kinp.address.port);
      writeFileSync(join(running.dir, 'Readme.txt'), 'new content');
      // The watcher rebuilds after its debounce; poll the KiNP side until the reply describes the new list.
      const deadline = Date.now() + 15_000;
      let after = before;
      while (after.crc === before.crc) {
        assert.ok(Date.now() < deadline, 'the reply never changed after a file was added');
        await new Promise((resolve) => setTimeout(resolve, 200));
        after = await askFileList(running.kinp.address.port);
      }
      const records = fileRecordsOf(decodeFileListTables(after.bin));
      assert.deepEqual(records.map((r) => [r.SrcFileName, r.CRC]), [['Readme.txt', referenceKiwadCrc(Buffer.from('new content'))]]);
    } finally {
      await running.stop();
    }
  } finally {
    await system.terminate();
  }
});

test('a patch part whose KiNP port is taken fails to start and releases its HTTP port', async (t) => {
  const { config, logRoot, lines } = await setup(t);
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.after(() => blocker.close());
  const taken = (blocker.address() as { port: number }).port;
  const system = ActorSystem.create('imlight', { logger: logRoot.component('runtime') });
  try {
    await assert.rejects(
      startPatchPart({ config: { ...config, patch: { ...config.patch, port: taken } }, system, logs: logRoot }),
      (error: unknown) => (error as { code?: string }).code === 'ERR_LISTEN',
    );
    const httpLine = lines().find((l) => l.msg === 'patch HTTP server listening');
    assert.ok(httpLine !== undefined, 'the HTTP side had started');
    assert.equal(await refused(httpLine.port as number), true, 'and is closed again');
  } finally {
    await system.terminate();
  }
});

for (const role of ['patch', 'all'] as const) {
  test(`the default start with role ${role} brings up the patch server, KiNP and HTTP`, async (t) => {
    const { config, logRoot, lines } = await setup(t);
    const handle = await startImlight(config, { role, logRoot, parts: DEFAULT_PARTS });
    try {
      const started = lines().find((l) => l.msg === 'patch server started');
      assert.ok(started !== undefined, 'the patch part logged its start');
      const ref = handle.system.lookup(`imlight://imlight/user/patch`);
      assert.ok(ref !== undefined, 'the patch server actor runs under /user/patch');
      const info = await ref.ask<ServerInfo>((replyTo) => ({ type: 'net.server-info', replyTo }), 2000);
      assert.equal(info.name, 'patch');
      assert.equal(info.address?.port, started.kinp.port);
      assert.notEqual(info.address?.port, 0);

      const answer = await askFileList(info.address!.port);
      assert.equal(answer.url, `http://127.0.0.1:${started.http.port}/LatestFileList.bin`);
      assert.ok(statSync(config.patch.dir).isDirectory());
    } finally {
      await handle.stop();
    }
    assert.ok(lines().some((l) => l.msg === 'patch server stopped'));
  });
}
