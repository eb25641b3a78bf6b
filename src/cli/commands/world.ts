// `imlight world ...`: the operator's tools for zone data (docs/world.md "Operator tools").
//   world sample --out DIR        the sample world made by Imlight
//   world zones [--json]          the zone archives found, with sizes
//   world show ZONE [--json]      one zone: locations, objects by template, spawners, paths, volumes, triggers, doors
//   world doors check             doors and teleport triggers without a rule, and rules naming what does not exist
//   world doors propose           proposed rules (commented out) from the names in the user's own archives
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { stringifyOp } from '../../objectproperty/index.js';
import {
  FolderLocator, SAMPLE_TELEPORTS_FILE, SAMPLE_TYPES_FILE, TeleportTable, WorldData, checkTeleports, doorFactsOf, formatZoneReport,
  parseTeleportTable, proposeTeleports, writeSampleWorld, zoneArchiveName, zoneReport, type ZoneData, type ZoneNames,
} from '../../world/index.js';
import { ExitCode } from '../exit-codes.js';
import { defaultObjectToolsIo, type ObjectToolsIo } from './wad.js';

/** Values from the configuration used when a flag is absent. */
export interface WorldDefaults {
  readonly clientDir?: string;
  readonly typeDump?: string;
  readonly teleports?: string;
}

interface SourceFlags { clientDir?: string; types?: string; teleports?: string; json?: boolean }

const describeError = (error: unknown): string => {
  const e = error as Error & { code?: unknown };
  return `${e.message ?? String(error)}${typeof e.code === 'string' ? ` [${e.code}]` : ''}`;
};

const sourceFlags = (c: Command): Command => c
  .option('--client-dir <dir>', 'client install folder (default: game.clientDir)')
  .option('--types <dump>', 'type dump JSON (default: objectProperty.typeDump, else <client-dir>/types.json)')
  .option('--teleports <file>', 'teleport table (default: game.teleports, else <client-dir>/teleports.tsv)');

function resolveSources(flags: SourceFlags, defaults: WorldDefaults): { clientDir: string; types: string; teleports: string | undefined } {
  const clientDir = flags.clientDir ?? defaults.clientDir;
  if (clientDir === undefined) throw new Error('no client folder: pass --client-dir or set game.clientDir');
  const dir = resolve(clientDir);
  const types = flags.types ?? defaults.typeDump ?? (existsSync(join(dir, SAMPLE_TYPES_FILE)) ? join(dir, SAMPLE_TYPES_FILE) : undefined);
  if (types === undefined) throw new Error('no type dump: pass --types or set objectProperty.typeDump');
  const teleports = flags.teleports ?? defaults.teleports ?? (existsSync(join(dir, SAMPLE_TELEPORTS_FILE)) ? join(dir, SAMPLE_TELEPORTS_FILE) : undefined);
  return { clientDir: dir, types: resolve(types), teleports: teleports === undefined ? undefined : resolve(teleports) };
}

async function readTable(path: string | undefined): Promise<TeleportTable> {
  return path === undefined ? TeleportTable.empty : parseTeleportTable(await readFile(path, 'utf8'), path);
}

/** A zone path guessed from an archive name (the rule's `/` -> `-` cannot be undone exactly), checked against m_zoneName. */
function zoneOfArchive(name: string): string {
  return name.replace(/\.wad$/i, '').split('-').join('/');
}

async function loadEveryZone(world: WorldData, io: ObjectToolsIo): Promise<ZoneData[]> {
  const archives = (await world.locator.list?.()) ?? [];
  const zones: ZoneData[] = [];
  for (const { name } of archives) {
    if (name.toLowerCase() === 'root.wad') continue;
    const guess = zoneOfArchive(name);
    try {
      const zone = await world.loadZone(guess);
      // m_zoneName names the path exactly when it maps to the same archive.
      zones.push(zone.zoneName !== '' && zoneArchiveName(zone.zoneName) === name ? { ...zone, path: zone.zoneName } : zone);
    } catch (error) {
      io.err(`${name}: ${describeError(error)}`);
    }
    world.invalidate(guess);
  }
  return zones;
}

export function registerWorldCommands(program: Command, io: ObjectToolsIo = defaultObjectToolsIo, defaults: () => WorldDefaults = () => ({})): Command {
  const world = program.command('world').description('zone data: the sample world, zones, doors');
  const guarded = (what: string, action: () => Promise<void>): Promise<void> => action().catch((error: unknown) => {
    io.err(`world ${what}: ${describeError(error)}`);
    io.setExitCode(ExitCode.failure);
  });
  const open = async (flags: SourceFlags) => {
    const sources = resolveSources(flags, defaults());
    const data = await WorldData.open({ locator: new FolderLocator(sources.clientDir), dump: { file: sources.types }, workers: 0 });
    return { data, table: await readTable(sources.teleports) };
  };

  world.command('sample')
    .description('write the sample world (type dump, Root.wad, three zone archives, teleport table) into a folder')
    .requiredOption('--out <dir>', 'folder to write (created if missing; it becomes the client install folder)')
    .action((options: { out: string }) => guarded('sample', async () => {
      const written = await writeSampleWorld(resolve(options.out));
      for (const file of written.files) io.out(file);
      io.out(`sample world written: set game.clientDir = ${JSON.stringify(written.installDir)} and objectProperty.typeDump = ${JSON.stringify(written.typeDumpPath)}`);
    }));

  world.command('zones')
    .description('list the zone archives of the client folder, with sizes')
    .option('--client-dir <dir>', 'client install folder (default: game.clientDir)')
    .option('--json', 'one JSON array')
    .action((options: SourceFlags) => guarded('zones', async () => {
      const dir = options.clientDir ?? defaults().clientDir;
      if (dir === undefined) throw new Error('no client folder: pass --client-dir or set game.clientDir');
      const archives = (await new FolderLocator(resolve(dir)).list()).filter((a) => a.name.toLowerCase() !== 'root.wad');
      const rows = archives.map((a) => ({ zone: zoneOfArchive(a.name), archive: a.name, size: a.size }));
      if (options.json === true) {
        io.out(JSON.stringify(rows));
        return;
      }
      for (const r of rows) io.out(`${r.zone}\t${r.archive}\t${r.size}`);
      io.out(`${rows.length} zones, ${rows.reduce((s, r) => s + r.size, 0)} bytes`);
    }));

  sourceFlags(world.command('show')
    .description('show one zone: locations, objects by template, spawners, paths, volumes, triggers, doors and destinations')
    .argument('<zone>', 'zone path, e.g. Sample/Hub'))
    .option('--json', 'one JSON object')
    .action((zone: string, options: SourceFlags) => guarded('show', async () => {
      const { data, table } = await open(options);
      try {
        const loaded = await data.loadZone(zone);
        const ids = [...new Set(loaded.objects.map((o) => o.templateId))].filter((id) => data.templates.has(id));
        const report = zoneReport(loaded, await data.templates.getAll(ids), table);
        if (options.json === true) io.out(stringifyOp(report as never).replace(/\n\s*/g, ''));
        else for (const line of formatZoneReport(report)) io.out(line);
      } finally {
        await data.close();
      }
    }));

  const doors = world.command('doors').description('the teleport table against the zones of the client folder');
  const factsOf = async (data: WorldData, zones: readonly ZoneData[]): Promise<ZoneNames[]> => {
    const ids = new Set(zones.flatMap((z) => z.objects.map((o) => o.templateId)));
    const templates = await data.templates.getAll([...ids].filter((id) => data.templates.has(id)));
    const doorName = (id: number): string | undefined => {
      const t = templates.get(id);
      return t?.interactable === true ? t.objectName : undefined;
    };
    return zones.map((z) => ({ ...doorFactsOf(z, doorName), displayName: z.displayName }));
  };

  sourceFlags(doors.command('check')
    .description('list doors and teleport triggers with no destination, and rules naming zones, keys or locations that do not exist'))
    .action((options: SourceFlags) => guarded('doors check', async () => {
      const { data, table } = await open(options);
      try {
        const check = checkTeleports(table, await factsOf(data, await loadEveryZone(data, io)));
        for (const m of check.missing) io.out(`no destination: ${m.zone} ${m.kind} ${m.key}`);
        for (const p of check.problems) io.out(`line ${p.line}: ${p.message}`);
        io.out(`${check.missing.length} without destination, ${check.problems.length} rule problems`);
        if (check.problems.length > 0) io.setExitCode(ExitCode.failure);
      } finally {
        await data.close();
      }
    }));

  sourceFlags(doors.command('propose')
    .description('propose rules (commented out, for review) for TeleportTo<X> triggers from the names in your own archives'))
    .action((options: SourceFlags) => guarded('doors propose', async () => {
      const { data, table } = await open(options);
      try {
        const lines = proposeTeleports(table, await factsOf(data, await loadEveryZone(data, io)));
        io.out('# Proposed teleport rules: review, then uncomment the ones to use.');
        for (const line of lines) io.out(line);
      } finally {
        await data.close();
      }
    }));
  return world;
}
