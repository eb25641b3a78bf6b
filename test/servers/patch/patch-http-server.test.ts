import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  LIST_BIN_NAME, PatchHttpServer, decodeFileListTables, decodeFileListXml, fileRecordsOf, type FileList,
} from '../../../src/servers/patch/index.js';
import { OLD_TIME, bytes, kiwad, tempDir, writeTree } from './fixtures.js';
import { referenceKiwadCrc } from './reference-crc.js';

const big = bytes(700_000, 5);
const TREE: Record<string, Buffer | string> = {
  'readme.txt': 'hello patch\n',
  'Data/GameData/Root.wad': kiwad({ 'a.txt': 'aaa', 'b.txt': 'bbb' }).bytes,
  'Data/big.bin': big,
  'Data/empty.dat': '',
  'with space/a%20b & c.txt': 'odd name',
  'packages/Zone_1/z.txt': 'zone',
};

/** Sends raw bytes, so that request-targets reach the server exactly as written. */
async function raw(port: number, request: string): Promise<{ status: number; head: string; body: Buffer }> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(request);
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  await once(socket, 'close');
  const all = Buffer.concat(chunks);
  const split = all.indexOf('\r\n\r\n');
  const head = all.subarray(0, split).toString('latin1');
  return { status: Number(head.split(' ')[1]), head, body: all.subarray(split + 4) };
}

const get = (port: number, target: string): Promise<{ status: number; head: string; body: Buffer }> =>
  raw(port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);

function urlOf(base: string, src: string): string {
  return base + src.split('/').map(encodeURIComponent).join('/');
}

describe('the patch HTTP server', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let outside: { path: string; cleanup: () => Promise<void> };
  let server: PatchHttpServer;
  let base: string;
  let port: number;

  before(async () => {
    outside = await tempDir('http-outside');
    dir = await tempDir('http');
    await writeTree(dir.path, TREE);
    await writeFile(join(outside.path, 'secret.txt'), 'top secret');
    server = new PatchHttpServer({ dir: dir.path });
    port = (await server.start({ host: '127.0.0.1', port: 0 })).port;
    base = server.url();
  });
  after(async () => {
    await server.stop();
    await dir.cleanup();
    await outside.cleanup();
  });

  test('a client downloads every file named by LatestFileList.bin and the CRCs match', async () => {
    const listResponse = await fetch(base + LIST_BIN_NAME, { headers: { 'User-Agent': 'KingsIsle Patcher' } });
    assert.equal(listResponse.status, 200);
    const bin = Buffer.from(await listResponse.arrayBuffer());
    assert.equal(Number(listResponse.headers.get('content-length')), bin.length);
    const records = fileRecordsOf(decodeFileListTables(bin));
    assert.equal(records.length, Object.keys(TREE).length);
    for (const r of records) {
      const headResponse = await fetch(urlOf(base, r.SrcFileName), { method: 'HEAD' });
      assert.equal(headResponse.status, 200, r.SrcFileName);
      assert.equal(Number(headResponse.headers.get('content-length')), r.Size, `HEAD Content-Length of ${r.SrcFileName}`);
      const response = await fetch(urlOf(base, r.SrcFileName));
      const body = Buffer.from(await response.arrayBuffer());
      assert.equal(response.status, 200);
      assert.equal(Number(response.headers.get('content-length')), r.Size);
      assert.equal(body.length, r.Size);
      assert.equal(referenceKiwadCrc(body), r.CRC, r.SrcFileName);
    }
    const xml = await fetch(`${base}LatestFileList.xml`);
    assert.match(xml.headers.get('content-type') ?? '', /xml/);
    const fromXml = decodeFileListXml(Buffer.from(await xml.arrayBuffer()));
    assert.deepEqual(fromXml.map((t) => t.name), decodeFileListTables(bin).map((t) => t.name));
  });

  test('a request for //Data/x (URLPrefix ending in "/" joined to "/Data/x") serves /Data/x', async () => {
    const r = await get(port, '//readme.txt');
    assert.equal(r.status, 200);
    assert.equal(r.body.toString('utf8'), 'hello patch\n');
    const range = await raw(port, 'GET //Data/big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9\r\nConnection: close\r\n\r\n');
    assert.equal(range.status, 206);
    assert.deepEqual(range.body, big.subarray(0, 10));
  });

  test('HEAD sends the headers of GET and no body', async () => {
    const r = await raw(port, 'HEAD /Data/big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal(r.status, 200);
    assert.match(r.head, new RegExp(`content-length: ${big.length}`, 'i'));
    assert.match(r.head, /accept-ranges: bytes/i);
    assert.match(r.head, /etag: "[0-9a-f-]+"/i);
    assert.equal(r.body.length, 0);
  });

  test('a single Range is answered 206 with Content-Range, a suffix range too', async () => {
    const r = await fetch(`${base}Data/big.bin`, { headers: { Range: 'bytes=100-1099' } });
    assert.equal(r.status, 206);
    assert.equal(r.headers.get('content-range'), `bytes 100-1099/${big.length}`);
    assert.equal(r.headers.get('content-length'), '1000');
    assert.deepEqual(Buffer.from(await r.arrayBuffer()), big.subarray(100, 1100));

    const suffix = await fetch(`${base}Data/big.bin`, { headers: { Range: 'bytes=-10' } });
    assert.equal(suffix.status, 206);
    assert.deepEqual(Buffer.from(await suffix.arrayBuffer()), big.subarray(big.length - 10));

    const open = await fetch(`${base}Data/big.bin`, { headers: { Range: `bytes=${big.length - 5}-` } });
    assert.equal(open.headers.get('content-range'), `bytes ${big.length - 5}-${big.length - 1}/${big.length}`);
    assert.deepEqual(Buffer.from(await open.arrayBuffer()), big.subarray(big.length - 5));

    const clamped = await fetch(`${base}readme.txt`, { headers: { Range: 'bytes=6-999999' } });
    assert.equal(clamped.status, 206);
    assert.equal(await clamped.text(), 'patch\n');
  });

  test('an unsatisfiable Range is 416 with bytes */size; several ranges get the whole file', async () => {
    const r = await fetch(`${base}Data/big.bin`, { headers: { Range: `bytes=${big.length}-` } });
    assert.equal(r.status, 416);
    assert.equal(r.headers.get('content-range'), `bytes */${big.length}`);
    await r.arrayBuffer();
    const empty = await fetch(`${base}Data/empty.dat`, { headers: { Range: 'bytes=0-0' } });
    assert.equal(empty.status, 416);
    assert.equal(empty.headers.get('content-range'), 'bytes */0');
    await empty.arrayBuffer();
    const multi = await fetch(`${base}readme.txt`, { headers: { Range: 'bytes=0-1,4-5' } });
    assert.equal(multi.status, 200);
    assert.equal(await multi.text(), 'hello patch\n');
  });

  test('ETag and Last-Modified make conditional requests answer 304, and If-Range guards ranges', async () => {
    const first = await fetch(`${base}readme.txt`);
    await first.arrayBuffer();
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    assert.ok(etag.startsWith('"'), 'a strong validator');
    assert.equal(new Date(lastModified).getTime(), Math.floor(OLD_TIME.getTime() / 1000) * 1000);

    const inm = await fetch(`${base}readme.txt`, { headers: { 'If-None-Match': etag } });
    assert.equal(inm.status, 304);
    const inmOther = await fetch(`${base}readme.txt`, { headers: { 'If-None-Match': '"other"' } });
    assert.equal(inmOther.status, 200);
    await inmOther.arrayBuffer();
    const ims = await fetch(`${base}readme.txt`, { headers: { 'If-Modified-Since': lastModified } });
    assert.equal(ims.status, 304);
    const imsOld = await fetch(`${base}readme.txt`, { headers: { 'If-Modified-Since': new Date(0).toUTCString() } });
    assert.equal(imsOld.status, 200);
    await imsOld.arrayBuffer();

    const rangeOk = await fetch(`${base}readme.txt`, { headers: { Range: 'bytes=0-4', 'If-Range': etag } });
    assert.equal(rangeOk.status, 206);
    assert.equal(await rangeOk.text(), 'hello');
    const rangeStale = await fetch(`${base}readme.txt`, { headers: { Range: 'bytes=0-4', 'If-Range': '"old"' } });
    assert.equal(rangeStale.status, 200);
    assert.equal(await rangeStale.text(), 'hello patch\n');

    const listEtag = (await fetch(base + LIST_BIN_NAME)).headers.get('etag')!;
    assert.equal((await fetch(base + LIST_BIN_NAME, { headers: { 'If-None-Match': listEtag } })).status, 304);
  });

  test('traversal attempts in any encoding are refused and files outside the list are not served', async () => {
    const refused = [
      '/../secret.txt', '/Data/../../secret.txt', '/%2e%2e/secret.txt', '/%2E%2E%2Fsecret.txt', '/Data/%2e%2e/%2e%2e/secret.txt',
      '/..%5csecret.txt', '/Data\\..\\..\\secret.txt', '/%5c..%5csecret.txt', '//%2fetc/passwd', '/%2fetc/passwd',
      '/C:/Windows/win.ini', '/readme.txt%00.png', '/./readme.txt', '/Data//big.bin', '/%E0%A4%A',
    ];
    for (const target of refused) {
      const r = await get(port, target);
      assert.equal(r.status, 400, `${target} -> ${r.status}`);
      assert.ok(!r.body.toString().includes('top secret'));
    }
    const rel = `/${'../'.repeat(3)}${outside.path.split('/').pop()}/secret.txt`;
    assert.equal((await get(port, rel)).status, 400);
    for (const target of ['/%252e%252e/secret.txt', '/.imlight-patch-cache.json', '/nope.txt', '/', '//etc/passwd']) {
      assert.equal((await get(port, target)).status, 404, target);
    }
    assert.equal((await raw(port, 'GET http://x/readme.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).status, 400);
    assert.equal((await raw(port, 'POST /readme.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')).status, 405);
    assert.equal((await get(port, '/with%20space/a%2520b%20%26%20c.txt')).body.toString(), 'odd name', 'percent-escapes decode once');
  });

  test('a file changed on disk is re-hashed by rebuild() and the new list is served', async () => {
    const before = server.list!;
    const path = join(dir.path, 'readme.txt');
    await writeFile(path, 'hello patch, version two\n');
    const t = new Date(OLD_TIME.getTime() + 7_200_000);
    await utimes(path, t, t);
    const stale = await fetch(`${base}readme.txt`);
    assert.equal(stale.status, 503, 'bytes the list does not describe are not served');
    await stale.arrayBuffer();
    const rebuilt: FileList = await server.rebuild();
    assert.equal(rebuilt.version, before.version + 1);
    assert.equal(server.list, rebuilt);
    const record = fileRecordsOf(decodeFileListTables(Buffer.from(await (await fetch(base + LIST_BIN_NAME)).arrayBuffer())))
      .find((r) => r.SrcFileName === 'readme.txt')!;
    const content = await readFile(path);
    assert.equal(record.CRC, referenceKiwadCrc(content));
    assert.equal(record.Size, content.length);
    const fresh = await fetch(`${base}readme.txt`);
    assert.equal(await fresh.text(), 'hello patch, version two\n');
  });
});

describe('limits and watching', () => {
  test('past the request cap the server answers 503, and a client that stops reading is cut off', async () => {
    const dir = await tempDir('http-limits');
    await writeTree(dir.path, { 'huge.bin': Buffer.alloc(32 * 1024 * 1024, 1), 'small.txt': 'small' });
    const server = new PatchHttpServer({ dir: dir.path, build: { cachePath: false }, maxConcurrentRequests: 1, idleTimeoutMs: 300 });
    try {
      const { port } = await server.start({ host: '127.0.0.1', port: 0 });
      const stuck = connect(port, '127.0.0.1');
      await once(stuck, 'connect');
      stuck.write('GET /huge.bin HTTP/1.1\r\nHost: x\r\n\r\n');
      await once(stuck, 'data');
      stuck.pause();
      assert.equal(server.stats.activeRequests, 1);
      const rejected = await get(port, '/small.txt');
      assert.equal(rejected.status, 503);
      assert.match(rejected.head, /retry-after: 1/i);
      // The paused client never reads the reset, so watch the server side let the request go.
      for (let i = 0; i < 200 && server.stats.activeRequests > 0; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(server.stats.activeRequests, 0, 'the idle timeout destroyed the stuck response');
      stuck.destroy();
      assert.equal((await get(port, '/small.txt')).body.toString(), 'small', 'served again once the slow client is gone');
    } finally {
      await server.stop();
      await dir.cleanup();
    }
  });

  test('with watching on, a change on disk triggers a rebuild', async () => {
    const dir = await tempDir('http-watch');
    await writeTree(dir.path, { 'a.txt': 'one' });
    let rebuilt: (list: FileList) => void = () => {};
    let rebuilds = 0;
    const server = new PatchHttpServer({
      dir: dir.path, watch: { debounceMs: 50 }, onRebuild: (list) => { rebuilds++; rebuilt(list); },
    });
    try {
      await server.start({ host: '127.0.0.1', port: 0 });
      const next = new Promise<FileList>((resolve) => { rebuilt = resolve; });
      await writeFile(join(dir.path, 'b.txt'), 'two');
      const list = await next;
      assert.deepEqual(list.entries.map((e) => e.path), ['a.txt', 'b.txt']);
      assert.equal(await (await fetch(`${server.url()}b.txt`)).text(), 'two');
      const settled = rebuilds;
      await new Promise((resolve) => setTimeout(resolve, 400));
      assert.equal(rebuilds, settled, 'writing the manifest cache in the directory does not trigger rebuilds by itself');
    } finally {
      await server.stop();
      await dir.cleanup();
    }
  });
});
