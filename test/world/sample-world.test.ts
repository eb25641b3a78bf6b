// The sample world: `imlight world sample` writes real-format archives that the zone decoder (in a
// worker thread) reads back into exactly the zone data they were made from.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openWad } from '../../src/archive/index.js';
import { decodeBind, loadTypeDump, readTypeDump } from '../../src/objectproperty/index.js';
import {
  SAMPLE_TEMPLATES, SAMPLE_ZONES, ZoneDecoder, ZoneDecodePool, readZoneFiles, withServerClasses, writeSampleWorld, zoneArchivePath,
  type WrittenSampleWorld, type ZoneData,
} from '../../src/world/index.js';

/** Zone data as it comes back from 32-bit floats. */
export function asStored(zone: ZoneData): ZoneData {
  return JSON.parse(JSON.stringify(zone, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'number' ? Math.fround(v) : v)));
}
const normal = (zone: ZoneData): ZoneData => asStored(zone);

describe('sample world', () => {
  let dir: string;
  let written: WrittenSampleWorld;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imlight-sample-'));
    written = await writeSampleWorld(dir);
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('writes a type dump, Root.wad, three zone archives and a teleport table', () => {
    assert.equal(written.files.length, 6);
    assert.ok(written.files.some((f) => f.endsWith(join('Data', 'GameData', 'Root.wad'))));
    assert.ok(written.files.some((f) => f.endsWith('teleports.tsv')));
  });

  it('decodes every zone in a worker thread back to the data it was made from', async () => {
    const pool = new ZoneDecodePool({ dump: { file: written.typeDumpPath }, workers: 1 });
    try {
      for (const zone of SAMPLE_ZONES) {
        const wad = await openWad(join(dir, zoneArchivePath(zone.path)));
        const files = await readZoneFiles(zone.path, wad);
        await wad.close();
        assert.equal(files.size, 6);
        const decoded = await pool.decode(zone.path, files);
        assert.deepEqual(normal(decoded), normal(zone));
      }
    } finally {
      await pool.close();
    }
  });

  it('the type dump lacks the server classes: the supplemental schema supplies them', async () => {
    const dump = await readTypeDump(written.typeDumpPath);
    assert.equal(dump.byName('class TriggerVolume'), undefined);
    const types = withServerClasses(dump);
    const volume = types.byName('class TriggerVolume')!;
    assert.ok(volume.byName.has('m_zoneTag'), 'inherits CoreObjectInfo from the dump');
    assert.ok(volume.byName.has('m_enterEvents'));
  });

  it('Root.wad holds the manifest and every template', async () => {
    const types = withServerClasses(loadTypeDump(JSON.parse(JSON.stringify((await import('../../src/world/index.js')).sampleTypeDump()))));
    const root = await openWad(join(written.installDir, 'Data', 'GameData', 'Root.wad'));
    try {
      const manifest = decodeBind(types, await root.read('TemplateManifest.xml')).object;
      const listed = (manifest['m_serializedTemplates'] as Array<{ m_id: number; m_filename: string }>).map((t) => [t.m_id, t.m_filename]);
      assert.deepEqual(listed, SAMPLE_TEMPLATES.map((t) => [t.id, t.filename]));
      const player = decodeBind(types, await root.read('ObjectData/PlayerObject.xml')).object;
      assert.equal(player['m_templateID'], 1);
      assert.ok((player['m_behaviors'] as unknown[]).length >= 3);
    } finally {
      await root.close();
    }
  });

  it('decodes inline too (no worker)', async () => {
    const types = withServerClasses(await readTypeDump(written.typeDumpPath));
    const wad = await openWad(join(dir, zoneArchivePath('Sample/Meadow')));
    const zone = new ZoneDecoder(types).decode('Sample/Meadow', await readZoneFiles('Sample/Meadow', wad));
    await wad.close();
    assert.equal(zone.spawners[0]!.choices[0]!.startNodeType, 'SNT_RANDOM_UNIQUE');
    assert.equal(zone.objects[2]!.isSigil, true);
    assert.deepEqual(zone.triggers[0]!.results, [{ kind: 'wait', seconds: 0.5 }, { kind: 'teleport' }]);
  });
});
