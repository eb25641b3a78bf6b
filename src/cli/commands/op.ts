// `imlight op decode|encode`: ObjectProperty blobs to JSON and back, driven by
// a type dump. BINd files are recognised by their magic.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  ObjectPropertyCodec, decodeBind, encodeBind, isBind, stringifyOp, type CodecOptions, type OpObject,
} from '../../objectproperty/index.js';
import { ExitCode } from '../exit-codes.js';
import { defaultObjectToolsIo, loadTypesFor, type ObjectToolsIo } from './wad.js';

interface BlobOptions {
  types: string;
  verbose?: boolean;
  flags?: string;
  mask?: string;
  manualCompression?: boolean;
  coreObject?: boolean;
  enumNames?: boolean;
}

const describeError = (error: unknown): string => {
  const e = error as Error & { code?: unknown };
  return `${e.message ?? String(error)}${typeof e.code === 'string' ? ` [${e.code}]` : ''}`;
};

function parseU32(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`${what} must be an unsigned 32-bit integer, not ${JSON.stringify(text)}`);
  return n;
}

function codecOptions(o: BlobOptions): CodecOptions {
  return {
    flags: parseU32(o.flags, '--flags'),
    propertyMask: parseU32(o.mask, '--mask'),
    verbose: o.verbose === true,
    manualCompression: o.manualCompression === true,
    coreObject: o.coreObject === true,
    enumNames: o.enumNames === true,
  };
}

/** A file's bytes, or the argument read as hex (spaces allowed). */
async function readInput(arg: string): Promise<Buffer> {
  if (existsSync(arg)) return readFile(arg);
  const compact = arg.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(compact)) {
    throw new RangeError(`${JSON.stringify(arg.length > 60 ? `${arg.slice(0, 60)}...` : arg)} is neither a file nor hex`);
  }
  return Buffer.from(compact, 'hex');
}

const blobOptions = (c: Command): Command => c
  .requiredOption('--types <dump>', 'type dump JSON')
  .option('--verbose', 'verbose mode (files: sized records by hash); default compact')
  .option('--flags <n>', 'serializer flags (bit 0: the data carries its own)', undefined)
  .option('--mask <n>', 'property mask for compact mode (default 0x18 = 24)', undefined)
  .option('--manual-compression', 'the blob is u32 length + zlib stream')
  .option('--core-object', 'CoreObject header (u8 object id, u8 namespace id, u32 template id)')
  .option('--enum-names', 'decode numeric enums as option names (encoding turns them back into the same numbers)');

export function registerOpCommands(program: Command, io: ObjectToolsIo = defaultObjectToolsIo): void {
  const op = program.command('op').description('ObjectProperty blobs (the client\'s object serialization)');

  blobOptions(op.command('decode')
    .description('decode a blob (hex or a file; BINd files detected) to JSON')
    .argument('<input>', 'hex string or file'))
    .action(async (input: string, options: BlobOptions) => {
      try {
        const types = await loadTypesFor(options.types, io);
        const bytes = await readInput(input);
        if (isBind(bytes)) {
          const file = decodeBind(types, bytes, { enumNames: options.enumNames === true });
          io.out(stringifyOp({ format: 'BINd', flags: file.flags, object: file.object }).trimEnd());
          return;
        }
        const codec = new ObjectPropertyCodec(types, codecOptions(options));
        const blob = codec.decodeDetailed(bytes);
        io.out(stringifyOp({ flags: blob.flags, object: blob.object }).trimEnd());
      } catch (error) {
        io.err(`op decode failed: ${describeError(error)}`);
        io.setExitCode(ExitCode.failure);
      }
    });

  blobOptions(op.command('encode')
    .description('encode JSON (as op decode prints it, or a bare object with $class) to a blob')
    .argument('<json>', 'JSON text or a JSON file')
    .option('--out <file>', 'write the bytes to a file instead of printing hex'))
    .action(async (input: string, options: BlobOptions & { out?: string }) => {
      try {
        const types = await loadTypesFor(options.types, io);
        const text = existsSync(input) ? await readFile(input, 'utf8') : input;
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch (error) {
          throw new RangeError(`input is not JSON: ${(error as Error).message}`, { cause: error });
        }
        if (typeof json !== 'object' || json === null) throw new RangeError('input must be a JSON object');
        const doc = json as { format?: unknown; flags?: unknown; object?: unknown; $class?: unknown };
        const object = (doc.$class !== undefined ? doc : doc.object) as OpObject;
        if (typeof object !== 'object' || object === null) throw new RangeError('input has no object (expected {"object": {...}} or {"$class": ...})');
        const storedFlags = typeof doc.flags === 'number' && doc.$class === undefined ? doc.flags : undefined;
        let bytes: Buffer;
        if (doc.format === 'BINd') {
          bytes = encodeBind(types, { flags: storedFlags ?? 0, object });
        } else {
          const o = codecOptions(options);
          const codec = new ObjectPropertyCodec(types, o);
          // Stored flags replace the configured ones only when the data carries its own (bit 0).
          const flags = storedFlags !== undefined && ((o.flags ?? 0) & 1) !== 0 ? storedFlags : undefined;
          bytes = codec.encode(object, flags === undefined ? {} : { flags });
        }
        if (options.out !== undefined) {
          await writeFile(options.out, bytes);
          io.out(`wrote ${bytes.length} bytes to ${options.out}`);
        } else {
          io.out(bytes.toString('hex'));
        }
      } catch (error) {
        io.err(`op encode failed: ${describeError(error)}`);
        io.setExitCode(ExitCode.failure);
      }
    });
}
