// `imlight patch build <dir>` and `imlight patch verify <dir> <url>`.
import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { buildFileList, verifyAgainstServer, writeFileList, type BuildProgress } from '../../servers/patch/index.js';

/** Where the commands write; tests pass their own. */
export interface PatchCommandIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Whether to draw a progress bar (stderr is a terminal). */
  readonly isTTY: boolean;
  readonly setExitCode: (code: number) => void;
}

const defaultIo: PatchCommandIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  isTTY: process.stderr.isTTY === true,
  setExitCode: (code) => { process.exitCode = code; },
};

const mb = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1);
const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

export function registerPatchCommands(program: Command, io: PatchCommandIo = defaultIo): void {
  const patch = program.command('patch').description('patch server file lists');

  patch.command('build')
    .description('build LatestFileList.bin and LatestFileList.xml for a directory (only changed files are re-hashed)')
    .argument('<dir>', 'directory of the files to serve')
    .option('--out <dir>', 'where to write the two list files (default: <dir>)')
    .option('--cache <file>', 'manifest cache file (default: <dir>/.imlight-patch-cache.json)')
    .option('--no-cache', 'hash every file and write no manifest')
    .action(async (dir: string, options: { out?: string; cache?: string | boolean }) => {
      const started = Date.now();
      const bar = io.isTTY
        ? new cliProgress.SingleBar({
          format: 'hashing [{bar}] {percentage}% | {mbDone}/{mbTotal} MB | {filesDone}/{filesTotal} files | eta {eta_formatted}',
          hideCursor: true, clearOnComplete: true,
        }, cliProgress.Presets.shades_classic)
        : undefined;
      let barStarted = false;
      const onProgress = (p: BuildProgress): void => {
        if (bar === undefined) return;
        const payload = { mbDone: mb(p.bytesDone), mbTotal: mb(p.bytesTotal), filesDone: p.filesDone, filesTotal: p.filesTotal };
        if (!barStarted) { bar.start(Math.max(1, p.bytesTotal), p.bytesDone, payload); barStarted = true; } else bar.update(p.bytesDone, payload);
      };
      const cachePath = options.cache === false ? false : typeof options.cache === 'string' ? resolve(options.cache) : undefined;
      try {
        const { list, stats } = await buildFileList(dir, { cachePath, onProgress });
        const written = await writeFileList(list, options.out ?? dir);
        if (barStarted) bar?.stop();
        for (const w of stats.warnings) io.err(`warning: ${w}`);
        for (const s of stats.skipped) io.err(`skipped ${s.path}: ${s.reason}`);
        const secs = (Date.now() - started) / 1000;
        io.out(`${stats.files} files, ${mb(stats.bytes)} MB in ${list.tables.length - 2} file tables; hashed ${stats.hashed} (${mb(stats.hashedBytes)} MB), reused ${stats.reused} from the cache; ${secs.toFixed(1)} s`);
        io.out(`version ${list.version}, ${list.bin.length} bytes, CRC ${hex(list.binCrc)}`);
        io.out(`wrote ${written.bin}`);
        io.out(`wrote ${written.xml}`);
      } catch (error) {
        if (barStarted) bar?.stop();
        io.err(`patch build failed: ${(error as Error).message}${(error as Error).cause ? ` (${String((error as { cause: unknown }).cause)})` : ''}`);
        io.setExitCode(1);
      }
    });

  patch.command('verify')
    .description("check a local copy of the files against a patch server's LatestFileList.bin")
    .argument('<dir>', 'local copy to check')
    .argument('<url>', "the server's base URL, or the URL of its LatestFileList.bin")
    .option('--target', 'check the install layout (TarFileName) instead of the server layout (SrcFileName)')
    .action(async (dir: string, url: string, options: { target?: boolean }) => {
      try {
        const result = await verifyAgainstServer(dir, url, { target: options.target === true });
        for (const p of result.problems) {
          if (p.kind === 'missing') io.out(`missing  ${p.path}`);
          else if (p.kind === 'size') io.out(`size     ${p.path}: expected ${p.expected} bytes, found ${p.actual}`);
          else io.out(`crc      ${p.path}: expected ${hex(p.expected)}, found ${hex(p.actual)}`);
        }
        const counts = { missing: 0, size: 0, crc: 0 };
        for (const p of result.problems) counts[p.kind]++;
        io.out(`${result.checked} files checked against ${result.listUrl}: ${counts.missing} missing, ${counts.size} size mismatches, ${counts.crc} CRC mismatches`);
        io.setExitCode(result.problems.length > 0 ? 1 : 0);
      } catch (error) {
        io.err(`patch verify failed: ${(error as Error).message}`);
        io.setExitCode(1);
      }
    });
}
