// `imlight wad list|unpack|pack`: the KIWAD archive tools. `unpack --deser`
// writes BINd files as JSON through the ObjectProperty codec.
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { openWad, writeWad, WadPlaceholderError, type WadEntry, type WadInputFile } from '../../archive/index.js';
import { decodeBind, isBind, readTypeDump, stringifyOp, type TypeList } from '../../objectproperty/index.js';
import { ExitCode } from '../exit-codes.js';

/** Where the object tools write; tests pass their own. */
export interface ObjectToolsIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Whether to draw a progress bar (stderr is a terminal). */
  readonly isTTY: boolean;
  readonly setExitCode: (code: number) => void;
}

export const defaultObjectToolsIo: ObjectToolsIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  isTTY: process.stderr.isTTY === true,
  setExitCode: (code) => { process.exitCode = code; },
};

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
const mb = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1);
const describeError = (error: unknown): string => {
  const e = error as Error & { code?: unknown };
  return `${e.message ?? String(error)}${typeof e.code === 'string' ? ` [${e.code}]` : ''}`;
};

/** Reads a type dump and reports its warnings (the first ten, then a count). */
export async function loadTypesFor(path: string, io: ObjectToolsIo): Promise<TypeList> {
  const types = await readTypeDump(path);
  for (const w of types.warnings.slice(0, 10)) io.err(`warning: ${w}`);
  if (types.warnings.length > 10) io.err(`warning: ${types.warnings.length - 10} more type dump warnings`);
  return types;
}

/**
 * Where an entry goes under `root`, or undefined when its name would leave
 * `root` (absolute names, drive letters, `..` segments, backslash tricks).
 */
export function safeEntryPath(root: string, name: string): string | undefined {
  if (name.length === 0 || name.includes('\0')) return undefined;
  const segments = name.split(/[/\\]/);
  if (isAbsolute(name) || /^[A-Za-z]:/.test(name) || name.startsWith('/') || name.startsWith('\\')) return undefined;
  if (segments.some((s) => s === '..' || s === '.' || s === '')) return undefined;
  const target = resolve(root, ...segments);
  const rel = relative(root, target);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || !target.startsWith(root + sep)) return undefined;
  return target;
}

export interface UnpackOptions {
  out: string;
  /** Write BINd files as JSON decoded with these types. */
  types?: TypeList;
  /** Numeric enums as option names in that JSON. */
  enumNames?: boolean;
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

export interface UnpackResult {
  files: number;
  bytes: number;
  deserialized: number;
  skipped: string[];
  failed: string[];
}

/** Unpacks an archive into `options.out`; refuses the whole archive if any name would escape it. */
export async function unpackWad(archive: string, options: UnpackOptions): Promise<UnpackResult> {
  const root = resolve(options.out);
  const wad = await openWad(archive);
  try {
    const targets = new Map<WadEntry, string>();
    const escaping: string[] = [];
    for (const entry of wad.entries) {
      const target = safeEntryPath(root, entry.name);
      if (target === undefined) escaping.push(entry.name);
      else targets.set(entry, target);
    }
    if (escaping.length > 0) {
      throw new Error(`refusing to unpack: ${escaping.length} entry name(s) would leave the output folder: ${escaping.slice(0, 5).map((n) => JSON.stringify(n)).join(', ')}`);
    }
    const result: UnpackResult = { files: 0, bytes: 0, deserialized: 0, skipped: [], failed: [] };
    // Duplicate names: the last entry in the journal wins, as in the game's own reader.
    const lastForTarget = new Map<string, WadEntry>();
    for (const [entry, target] of targets) lastForTarget.set(target, entry);
    const toWrite: WadEntry[] = [];
    for (const e of wad.entries) {
      if (lastForTarget.get(targets.get(e)!) === e) toWrite.push(e);
      else result.skipped.push(`${e.name}: duplicate name, a later entry wins`);
    }
    const total = toWrite.reduce((n, e) => n + e.size, 0);
    const made = new Set<string>();
    let done = 0;
    const one = async (entry: WadEntry): Promise<void> => {
      const target = targets.get(entry)!;
      let data: Buffer;
      try {
        data = await wad.read(entry);
      } catch (error) {
        if (error instanceof WadPlaceholderError) result.skipped.push(`${entry.name}: unpatched placeholder`);
        else result.failed.push(`${entry.name}: ${describeError(error)}`);
        return;
      }
      try {
        const dir = resolve(target, '..');
        if (!made.has(dir)) {
          await mkdir(dir, { recursive: true });
          made.add(dir);
        }
        let written = false;
        if (options.types !== undefined && isBind(data)) {
          try {
            const file = decodeBind(options.types, data, { enumNames: options.enumNames === true });
            await writeFile(`${target}.json`, stringifyOp({ format: 'BINd', flags: file.flags, object: file.object }));
            result.deserialized++;
            written = true;
          } catch (error) {
            result.failed.push(`${entry.name}: not deserialized (${describeError(error)}); written raw`);
          }
        }
        if (!written) await writeFile(target, data);
      } catch (error) {
        // E.g. a file entry "a" and another entry "a/b": report it, keep going.
        result.failed.push(`${entry.name}: ${describeError(error)}`);
        return;
      }
      result.files++;
      result.bytes += data.length;
      done += entry.size;
      options.onProgress?.(done, total);
    };
    // A few reads in flight keep the disk busy without holding many entries in memory.
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < toWrite.length) await one(toWrite[next++]!);
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    return result;
  } finally {
    await wad.close();
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    const items = await readdir(d, { withFileTypes: true });
    for (const item of items) {
      const full = join(d, item.name);
      if (item.isDirectory()) await walk(full);
      else if (item.isFile()) out.push(full);
    }
  };
  await walk(dir);
  return out.sort();
}

export function registerWadCommands(program: Command, io: ObjectToolsIo = defaultObjectToolsIo): void {
  const wad = program.command('wad').description('KIWAD archives (Root.wad and zone packages)');

  wad.command('list')
    .description('list the entries of an archive')
    .argument('<archive>', 'the .wad file')
    .action(async (archive: string) => {
      try {
        const reader = await openWad(archive);
        try {
          let bytes = 0;
          for (const e of reader.entries) {
            io.out(`${String(e.size).padStart(10)} ${String(e.storedSize).padStart(10)} ${e.compressed ? 'zlib  ' : 'stored'} ${hex8(e.crc)} ${e.name}`);
            bytes += e.size;
          }
          io.out(`${reader.entries.length} entries, ${mb(bytes)} MB uncompressed, version ${reader.header.version}`);
        } finally {
          await reader.close();
        }
      } catch (error) {
        io.err(`wad list failed: ${describeError(error)}`);
        io.setExitCode(ExitCode.failure);
      }
    });

  wad.command('unpack')
    .description('extract every entry of an archive (with --deser, BINd files become JSON)')
    .argument('<archive>', 'the .wad file')
    .option('--out <dir>', 'output folder (default: the archive name without .wad, in the current folder)')
    .option('--deser', 'write BINd files as <name>.json decoded with --types')
    .option('--types <dump>', 'type dump JSON for --deser')
    .option('--enum-names', 'with --deser: numeric enums as option names')
    .action(async (archive: string, options: { out?: string; deser?: boolean; types?: string; enumNames?: boolean }) => {
      if (options.deser === true && options.types === undefined) {
        io.err('wad unpack: --deser needs --types <dump.json>');
        io.setExitCode(ExitCode.usage);
        return;
      }
      const out = options.out ?? basename(archive, extname(archive));
      const bar = io.isTTY
        ? new cliProgress.SingleBar({ format: 'unpacking [{bar}] {percentage}% | {value}/{total} bytes | eta {eta_formatted}', hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic)
        : undefined;
      let barStarted = false;
      try {
        const types = options.deser === true ? await loadTypesFor(options.types!, io) : undefined;
        const started = Date.now();
        const result = await unpackWad(archive, {
          out, types, enumNames: options.enumNames === true,
          onProgress: (doneBytes, total) => {
            if (bar === undefined) return;
            if (!barStarted) { bar.start(Math.max(1, total), doneBytes); barStarted = true; } else bar.update(doneBytes);
          },
        });
        if (barStarted) bar?.stop();
        for (const s of result.skipped) io.err(`skipped ${s}`);
        for (const f of result.failed) io.err(`failed ${f}`);
        const secs = (Date.now() - started) / 1000;
        io.out(`${result.files} files, ${mb(result.bytes)} MB written to ${resolve(out)}${types === undefined ? '' : `, ${result.deserialized} BINd files as JSON`}; ${secs.toFixed(1)} s`);
        if (result.failed.length > 0) io.setExitCode(ExitCode.failure);
      } catch (error) {
        if (barStarted) bar?.stop();
        io.err(`wad unpack failed: ${describeError(error)}`);
        io.setExitCode(ExitCode.failure);
      }
    });

  wad.command('pack')
    .description('build an archive from a folder (names relative to it, "/"-separated)')
    .argument('<dir>', 'folder to pack')
    .argument('<archive>', 'the .wad file to write')
    .option('--store', 'store every file uncompressed (default: zlib)')
    .option('--wad-version <n>', 'archive version, 1 or 2', '1')
    .option('--flags <n>', 'header flags byte (version 2)', '0')
    .action(async (dir: string, archive: string, options: { store?: boolean; wadVersion: string; flags: string }) => {
      const version = Number(options.wadVersion);
      const flags = Number(options.flags);
      if ((version !== 1 && version !== 2) || !Number.isInteger(flags)) {
        io.err('wad pack: --wad-version must be 1 or 2 and --flags an integer');
        io.setExitCode(ExitCode.usage);
        return;
      }
      try {
        const root = resolve(dir);
        if (!(await stat(root)).isDirectory()) throw new Error(`${dir} is not a folder`);
        const paths = await listFiles(root);
        const files: WadInputFile[] = [];
        let bytes = 0;
        for (const p of paths) {
          const data = await readFile(p);
          bytes += data.length;
          files.push({ name: relative(root, p).split(sep).join('/'), data, compress: options.store !== true });
        }
        const out = writeWad(files, { version: version as 1 | 2, flags });
        await writeFile(archive, out);
        io.out(`${files.length} files, ${mb(bytes)} MB packed into ${archive} (${mb(out.length)} MB)`);
      } catch (error) {
        io.err(`wad pack failed: ${describeError(error)}`);
        io.setExitCode(ExitCode.failure);
      }
    });
}
