// Game data in: Root.wad's templates and zone archives from a client folder or from the patch server
// (through the resource cache, which refetches a copy whose CRC no longer matches), zone files cached,
// a corrupted zone failing alone with an error naming zone, file and property, and the supplemental
// schema refusing a wrong hash.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readWad, writeWad } from '../../src/archive/index.js';
import { loadTypeDump } from '../../src/objectproperty/index.js';
import { PatchHttpServer } from '../../src/servers/patch/index.js';
import { ResourceManager, resourceLocator } from '../../src/servers/shared/resource-manager.js';
import {
  FolderLocator, SERVER_CLASSES, SampleZone, SchemaHashError, WorldData, ZoneDecodeError, ZoneNotFoundError, sampleTypeDump,
  withServerClasses, writeSampleWorld, zoneArchivePath, type WrittenSampleWorld,
} from '../../src/world/index.js';

/** Rewrites one file of a zone archive on disk. */
async function patchZoneFile(install: string, zone: string, file: string, change: (bytes: Buffer) => Buffer): Promise<void> {
  const path = join(install, zoneArchivePath(zone));
  const wad = readWad(await readFile(path));
  await writeFile(path, writeWad(wad.entries.map((e) => ({ name: e.name, data: e.name === file ? change(Buffer.from(e.data())) : e.data(), compress: true }))));
}

describe('game data', () => {
  let dir: string;
  let sample: WrittenSampleWorld;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imlight-gamedata-'));
    sample = await writeSampleWorld(join(dir, 'install'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('loads zones from a client folder lazily and keeps their files in a bounded cache', async () => {
    const world = await WorldData.open({ locator: new FolderLocator(sample.installDir), dump: { file: sample.typeDumpPath }, workers: 1 });
    try {
      assert.equal(world.templates.size, 12);
      assert.equal(world.cachedBytes, 0, 'nothing read before a zone is asked for');
      const hub = await world.loadZone(SampleZone.hub);
      assert.equal(hub.objects.length, 5);
      assert.ok(world.cachedBytes > 0);
      await assert.rejects(world.loadZone('Sample/Nowhere'), (e: unknown) => e instanceof ZoneNotFoundError && /Sample-Nowhere\.wad/.test(e.message));
    } finally {
      await world.close();
    }
    const tiny = await WorldData.open({ locator: new FolderLocator(sample.installDir), dump: { file: sample.typeDumpPath }, workers: 0, maxCachedBytes: 100 });
    try {
      await tiny.loadZone(SampleZone.meadow);
      assert.equal(tiny.cachedBytes, 0, 'files larger than the bound are not kept');
    } finally {
      await tiny.close();
    }
  });

  it('a corrupted zone file fails that zone, naming zone, file and property; other zones still load', async () => {
    const install = join(dir, 'corrupt');
    const written = await writeSampleWorld(install);
    await patchZoneFile(install, SampleZone.cellar, 'gamedata.bin', (bytes) => {
      const at = bytes.indexOf(Buffer.from('SampleZone_Cellar'));
      bytes.writeUInt16LE(0xffff, at - 2); // the display name's length now runs past its record
      return bytes;
    });
    const world = await WorldData.open({ locator: new FolderLocator(install), dump: { file: written.typeDumpPath }, workers: 1 });
    try {
      await assert.rejects(world.loadZone(SampleZone.cellar), (e: unknown) => {
        assert.ok(e instanceof ZoneDecodeError, String(e));
        assert.equal(e.zone, SampleZone.cellar);
        assert.equal(e.file, 'gamedata.bin');
        assert.equal(e.property, 'class WizZoneData.m_zoneDisplayName');
        assert.match(e.message, /zone Sample\/Cellar, file gamedata\.bin, property class WizZoneData\.m_zoneDisplayName/);
        return true;
      });
      assert.equal((await world.loadZone(SampleZone.meadow)).spawners.length, 2);
    } finally {
      await world.close();
    }
  });

  it('the supplemental schema fails loudly when a hash does not match', () => {
    const wrong = SERVER_CLASSES.map((c) => (c.name === 'class Trigger'
      ? { ...c, properties: c.properties.map((p) => (p.name === 'm_cooldown' ? { ...p, type: 'double' } : p)) }
      : c));
    assert.throws(() => withServerClasses(loadTypeDump(sampleTypeDump()), wrong),
      (e: unknown) => e instanceof SchemaHashError && /class Trigger\.m_cooldown \(double\) declares hash 0x767aac3c/.test(e.message));
    const renamed = SERVER_CLASSES.map((c) => (c.name === 'class TriggerVolume' ? { ...c, name: 'class Volume' } : c));
    assert.throws(() => withServerClasses(loadTypeDump(sampleTypeDump()), renamed), (e: unknown) => e instanceof SchemaHashError && /class Volume/.test(e.message));
  });

  describe('from the patch server', () => {
    let server: PatchHttpServer;
    before(async () => {
      server = new PatchHttpServer({ dir: sample.installDir, build: { cachePath: false } });
      await server.start({ host: '127.0.0.1', port: 0 });
    });
    after(async () => server.stop());

    it('downloads archives into the cache and refetches one whose CRC no longer matches', async () => {
      const cacheDir = join(dir, 'cache');
      const manager = new ResourceManager({ cacheDir, baseUrl: server.url() });
      const open = () => WorldData.open({ locator: resourceLocator(manager), dump: { file: sample.typeDumpPath }, workers: 0 });
      const first = await open();
      try {
        assert.equal((await first.loadZone(SampleZone.meadow)).paths[0]!.name, 'MeadowLoop');
        await assert.rejects(first.loadZone('Sample/Nowhere'), ZoneNotFoundError);
      } finally {
        await first.close();
      }
      const downloads = manager.downloads;
      const cached = join(cacheDir, ...zoneArchivePath(SampleZone.meadow).split('/'));
      const bytes = await readFile(cached);
      bytes[bytes.length - 1] ^= 0xff; // same size, different CRC
      await writeFile(cached, bytes);
      const second = await open();
      try {
        assert.equal((await second.loadZone(SampleZone.meadow)).paths[0]!.name, 'MeadowLoop');
        assert.equal(manager.downloads, downloads + 1, 'the stale copy was fetched again');
      } finally {
        await second.close();
      }
    });
  });
});
