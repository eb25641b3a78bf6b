// `imlight world sample`: a small world made entirely by Imlight, in the game's formats (docs/world.md
// "A world of our own"): a type dump, a Root.wad with the template manifest and templates, three zone
// archives and a teleport table, laid out like a client install:
//
//   DIR/types.json                 the sample's type dump (objectProperty.typeDump)
//   DIR/teleports.tsv              its teleport table
//   DIR/Data/GameData/Root.wad     TemplateManifest.xml + ObjectData/...
//   DIR/Data/GameData/Sample-Hub.wad, Sample-Meadow.wad, Sample-Cellar.wad
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeWad } from '../../archive/index.js';
import { encodeBind, loadTypeDump, type TypeList } from '../../objectproperty/index.js';
import { withServerClasses } from '../supplemental-schema.js';
import type { ZoneData } from '../zone-data.js';
import { zoneArchive } from '../zone-archive-writer.js';
import { GAME_DATA_DIR, ROOT_WAD, zoneArchiveName } from '../zone-archive-name.js';
import { BIND_ZONE_FLAGS, TEMPLATE_MANIFEST } from '../zone-files.js';
import { SAMPLE_TELEPORTS, SAMPLE_ZONES } from './sample-zones.js';
import { SAMPLE_TEMPLATES, type SampleTemplateFile } from './sample-templates.js';
import { sampleTypeDump } from './sample-types.js';

export const SAMPLE_TYPES_FILE = 'types.json';
export const SAMPLE_TELEPORTS_FILE = 'teleports.tsv';

export interface SampleWorldFiles {
  /** The type dump as written to types.json. */
  readonly typeDump: ReturnType<typeof sampleTypeDump>;
  readonly rootWad: Buffer;
  /** Archive file name (e.g. Sample-Hub.wad) -> bytes. */
  readonly zoneArchives: ReadonlyMap<string, Buffer>;
  readonly teleports: string;
}

export interface SampleWorldOptions {
  /** Zones instead of the sample's (tests make variations). */
  readonly zones?: readonly ZoneData[];
  readonly templates?: readonly SampleTemplateFile[];
}

/** The sample dump with the supplemental server classes, as the world layer reads it. */
export function sampleTypes(): TypeList {
  return withServerClasses(loadTypeDump(sampleTypeDump()));
}

/** Builds the sample world in memory. */
export function buildSampleWorld(options: SampleWorldOptions = {}): SampleWorldFiles {
  const typeDump = sampleTypeDump();
  const types = withServerClasses(loadTypeDump(typeDump));
  const templates = options.templates ?? SAMPLE_TEMPLATES;
  const manifest = encodeBind(types, {
    flags: BIND_ZONE_FLAGS,
    object: {
      $class: 'class TemplateManifest',
      m_serializedTemplates: templates.map((t) => ({ $class: 'class TemplateLocation', m_id: t.id, m_filename: t.filename })),
    },
  });
  const rootWad = writeWad([
    { name: TEMPLATE_MANIFEST, data: manifest, compress: true },
    ...templates.map((t) => ({ name: t.filename, data: encodeBind(types, { flags: BIND_ZONE_FLAGS, object: t.object }), compress: true })),
  ], { version: 2, flags: 1 });
  const zoneArchives = new Map<string, Buffer>();
  for (const zone of options.zones ?? SAMPLE_ZONES) zoneArchives.set(zoneArchiveName(zone.path), zoneArchive(types, zone));
  return { typeDump, rootWad, zoneArchives, teleports: SAMPLE_TELEPORTS };
}

export interface WrittenSampleWorld {
  /** The install folder (holds Data/GameData). */
  readonly installDir: string;
  readonly typeDumpPath: string;
  readonly teleportsPath: string;
  readonly files: readonly string[];
}

/** Writes the sample world under `dir` (created if missing). */
export async function writeSampleWorld(dir: string, options: SampleWorldOptions = {}): Promise<WrittenSampleWorld> {
  const world = buildSampleWorld(options);
  const gameData = join(dir, ...GAME_DATA_DIR.split('/'));
  await mkdir(gameData, { recursive: true });
  const files: string[] = [];
  const put = async (path: string, data: string | Buffer): Promise<void> => {
    await writeFile(path, data);
    files.push(path);
  };
  const typeDumpPath = join(dir, SAMPLE_TYPES_FILE);
  const teleportsPath = join(dir, SAMPLE_TELEPORTS_FILE);
  await put(typeDumpPath, `${JSON.stringify(world.typeDump, null, 1)}\n`);
  await put(teleportsPath, world.teleports);
  await put(join(gameData, ROOT_WAD), world.rootWad);
  for (const [name, bytes] of world.zoneArchives) await put(join(gameData, name), bytes);
  return { installDir: dir, typeDumpPath, teleportsPath, files };
}
