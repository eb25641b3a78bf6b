// `imlight world ...`: the operator's tools for zone data (docs/world.md "Operator tools").
// `world sample --out DIR` writes the sample world made by Imlight.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { writeSampleWorld } from '../../world/index.js';
import { ExitCode } from '../exit-codes.js';
import { defaultObjectToolsIo, type ObjectToolsIo } from './wad.js';

const describeError = (error: unknown): string => {
  const e = error as Error & { code?: unknown };
  return `${e.message ?? String(error)}${typeof e.code === 'string' ? ` [${e.code}]` : ''}`;
};

export function registerWorldCommands(program: Command, io: ObjectToolsIo = defaultObjectToolsIo): Command {
  const world = program.command('world').description('zone data: the sample world, zones, doors');

  world.command('sample')
    .description('write the sample world (type dump, Root.wad, three zone archives, teleport table) into a folder')
    .requiredOption('--out <dir>', 'folder to write (created if missing; it becomes the client install folder)')
    .action(async (options: { out: string }) => {
      try {
        const written = await writeSampleWorld(resolve(options.out));
        for (const file of written.files) io.out(file);
        io.out(`sample world written: set game.clientDir = ${JSON.stringify(written.installDir)} and objectProperty.typeDump = ${JSON.stringify(written.typeDumpPath)}`);
      } catch (error) {
        io.err(`world sample: ${describeError(error)}`);
        io.setExitCode(ExitCode.failure);
      }
    });
  return world;
}
