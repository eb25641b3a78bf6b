import assert from 'node:assert/strict';
import { readFile, readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PatchHttpServer } from '../../../src/servers/patch/index.js';
import {
  ResourceCrcMismatchError, ResourceDownloadError, ResourceManager, ResourceNotInListError, ResourcePathError,
} from '../../../src/servers/shared/resource-manager.js';
import { OLD_TIME, bytes, kiwad, tempDir, writeTree } from '../patch/fixtures.js';

const zone = kiwad({ 'zone.xml': '<zone name="Z"/>' }).bytes;
const big = bytes(400_000, 9);

describe('the resource manager', () => {
  let served: { path: string; cleanup: () => Promise<void> };
  let server: PatchHttpServer;
  before(async () => {
    served = await tempDir('rm-served');
    await writeTree(served.path, { 'Data/GameData/Zone_1.wad': zone, 'Data/big.bin': big, 'a b.txt': 'spaced' });
    server = new PatchHttpServer({ dir: served.path, build: { cachePath: false } });
    await server.start({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server.stop();
    await served.cleanup();
  });

  test('downloads a file once, then serves it from the cache', async () => {
    const cache = await tempDir('rm-cache');
    try {
      const rm = new ResourceManager({ cacheDir: cache.path, baseUrl: server.url() });
      const path = await rm.get('Data/GameData/Zone_1.wad');
      assert.equal(path, join(cache.path, 'Data', 'GameData', 'Zone_1.wad'));
      assert.deepEqual(await readFile(path), zone);
      assert.equal(rm.downloads, 1);
      assert.equal(await rm.get('Data/GameData/Zone_1.wad'), path);
      assert.equal(rm.downloads, 1, 'the second get comes from the cache');
      const other = new ResourceManager({ cacheDir: cache.path, baseUrl: server.url() });
      await other.get('Data/GameData/Zone_1.wad');
      assert.equal(other.downloads, 0, 'a new manager trusts a cached copy whose CRC matches');
      assert.equal(await readFile(await rm.get('a b.txt'), 'utf8'), 'spaced');
    } finally {
      await cache.cleanup();
    }
  });

  test('a corrupt cached file is rejected and fetched again', async () => {
    const cache = await tempDir('rm-corrupt');
    try {
      const rm = new ResourceManager({ cacheDir: cache.path, baseUrl: server.url() });
      const path = await rm.get('Data/big.bin');
      const corrupt = Buffer.from(big);
      corrupt[1234] ^= 0xff;
      await writeFile(path, corrupt);
      const later = new Date(Date.now() + 5000);
      await utimes(path, later, later);
      assert.equal(await rm.get('Data/big.bin'), path);
      assert.equal(rm.downloads, 2, 'the corrupt copy was downloaded again');
      assert.deepEqual(await readFile(path), big);
      await writeFile(path, 'short');
      await rm.get('Data/big.bin');
      assert.equal(rm.downloads, 3, 'a copy of the wrong size is downloaded again');
      assert.deepEqual(await readFile(path), big);
      assert.deepEqual((await readdir(join(cache.path, 'Data'))).sort(), ['big.bin'], 'no temp files are left behind');
    } finally {
      await cache.cleanup();
    }
  });

  test('concurrent gets of one path share a single download', async () => {
    const cache = await tempDir('rm-concurrent');
    try {
      const rm = new ResourceManager({ cacheDir: cache.path, baseUrl: server.url() });
      const paths = await Promise.all(Array.from({ length: 8 }, () => rm.get('Data/big.bin')));
      assert.equal(new Set(paths).size, 1);
      assert.equal(rm.downloads, 1);
    } finally {
      await cache.cleanup();
    }
  });

  test('a file updated on the server replaces the stale cached copy after the list is refreshed', async () => {
    const cache = await tempDir('rm-stale');
    const file = join(served.path, 'Data/GameData/Zone_1.wad');
    try {
      const rm = new ResourceManager({ cacheDir: cache.path, baseUrl: server.url() });
      await rm.get('Data/GameData/Zone_1.wad');
      const updated = kiwad({ 'zone.xml': '<zone name="Z" v="2"/>' }).bytes;
      await writeFile(file, updated);
      const t = new Date(OLD_TIME.getTime() + 1000_000);
      await utimes(file, t, t);
      await server.rebuild();
      await rm.refreshList();
      assert.deepEqual(await readFile(await rm.get('Data/GameData/Zone_1.wad')), updated);
      assert.equal(rm.downloads, 2);
    } finally {
      await writeFile(file, zone);
      await utimes(file, OLD_TIME, OLD_TIME);
      await server.rebuild();
      await cache.cleanup();
    }
  });

  test('typed errors: unsafe path, not in the list, failed download, CRC mismatch after a retry', async () => {
    const cache = await tempDir('rm-errors');
    try {
      const rm = new ResourceManager({ cacheDir: cache.path, baseUrl: server.url() });
      await assert.rejects(rm.get('../etc/passwd'), ResourcePathError);
      await assert.rejects(rm.get('nope.wad'), (e: unknown) => e instanceof ResourceNotInListError && e.code === 'ERR_RESOURCE_NOT_IN_LIST');

      let fileFetches = 0;
      const corrupting: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        if (String(input).endsWith('LatestFileList.bin')) return response;
        fileFetches++;
        const body = Buffer.from(await response.arrayBuffer());
        body[0] ^= 0xff;
        return new Response(body, { status: response.status, headers: response.headers });
      };
      const bad = new ResourceManager({ cacheDir: cache.path, baseUrl: server.url(), fetch: corrupting });
      await assert.rejects(bad.get('Data/big.bin'), (e: unknown) => e instanceof ResourceCrcMismatchError && e.code === 'ERR_RESOURCE_CRC_MISMATCH');
      assert.equal(fileFetches, 2, 'one retry after refreshing the list');
      assert.deepEqual(await readdir(join(cache.path, 'Data')), [], 'nothing corrupt is left in the cache');

      const failing: typeof fetch = async (input, init) =>
        String(input).endsWith('LatestFileList.bin') ? fetch(input, init) : new Response('no', { status: 500 });
      const down = new ResourceManager({ cacheDir: cache.path, baseUrl: server.url(), fetch: failing });
      await assert.rejects(down.get('Data/big.bin'), (e: unknown) => e instanceof ResourceDownloadError && /HTTP 500/.test(e.message));
    } finally {
      await cache.cleanup();
    }
  });
});
