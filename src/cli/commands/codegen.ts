// `imlight codegen <xml folder | Root.wad> --out <dir>`: typed message kinds from the user's client data.
// Subcommands (e.g. `codegen types`) are added to the returned command by their owners.
import type { Command } from 'commander';
import { runCodegen } from '../../protocol/index.js';
import type { CliContext } from '../io.js';

export function registerCodegenCommand(program: Command, context: CliContext): Command {
  return program.command('codegen')
    .description('generate TypeScript message kinds from protocol XML (a folder) or a Root.wad')
    .argument('<source>', 'folder of protocol XML files, or the client\'s Root.wad')
    .requiredOption('-o, --out <dir>', 'output folder (created if missing)')
    .option('--import-path <path>', 'module the generated files import `kind` from (default: this library, by relative path)')
    .action(async (source: string, options: { out: string; importPath?: string }) => {
      const { files } = await runCodegen({ source, outDir: options.out, ...(options.importPath === undefined ? {} : { importPath: options.importPath }) });
      for (const file of files) context.io.out(`wrote ${file}`);
      context.io.out(`${files.length} files generated from ${source}`);
    });
}
