// `imlight codegen types <dump.json> --out <dir> [--class NAME...]`: TypeScript
// interfaces for classes of a type dump.
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { generateTypes } from '../../objectproperty/index.js';
import { ExitCode } from '../exit-codes.js';
import { defaultObjectToolsIo, loadTypesFor, type ObjectToolsIo } from './wad.js';

export function registerTypesCodegenCommand(codegenCommand: Command, io: ObjectToolsIo = defaultObjectToolsIo): void {
  codegenCommand.command('types')
    .description('emit TypeScript interfaces for classes of a type dump (and the classes they reference)')
    .argument('<dump>', 'type dump JSON (version 1 or 2)')
    .option('-o, --out <dir>', 'folder to write into (required)')
    .option('--class <names...>', 'classes to emit, e.g. "class CharacterInfo" (default: all)')
    .option('--file <name>', 'file name', 'object-types.ts')
    .option('--mask <n>', 'properties outside this mask are optional fields (default 24 = network)')
    .action(async (dump: string, options: { out?: string; class?: string[]; file: string; mask?: string }, command: Command) => {
      // `codegen` itself has an --out option, and commander gives a parent's options to the parent
      // wherever they appear, so the folder may have landed there.
      const out = options.out ?? (command.parent?.opts() as { out?: unknown } | undefined)?.out;
      if (typeof out !== 'string') {
        io.err('codegen types: --out <dir> is required');
        io.setExitCode(ExitCode.usage);
        return;
      }
      try {
        const mask = options.mask === undefined ? undefined : Number(options.mask);
        if (mask !== undefined && (!Number.isInteger(mask) || mask < 0 || mask > 0xffffffff)) {
          io.err('codegen types: --mask must be an unsigned 32-bit integer');
          io.setExitCode(ExitCode.usage);
          return;
        }
        const types = await loadTypesFor(dump, io);
        const text = generateTypes(types, options.class, { source: basename(dump), mask });
        await mkdir(out, { recursive: true });
        const path = join(out, options.file);
        await writeFile(path, text);
        const count = (text.match(/^ {2}\$class: /gm) ?? []).length;
        io.out(`wrote ${path} (${count} classes)`);
      } catch (error) {
        io.err(`codegen types failed: ${(error as Error).message}`);
        io.setExitCode(ExitCode.failure);
      }
    });
}
