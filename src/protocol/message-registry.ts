// All loaded protocols: records numbered densely, compiled codecs, and the (service, order) table
// that the decoder dispatches on. A registry is immutable once built; merge() makes a new one.
import { readdir, readFile, stat } from 'node:fs/promises';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDefinitionXml } from './definition-parser.js';
import type { ProtocolSpec, RecordDef, RecordSpec } from './definition-types.js';
import { DefinitionSourceError, UnknownKindError } from './errors.js';
import type { MessageKind } from './message-kind.js';
import { compileRecordCodec, type RecordCodec } from './record-codec.js';
import { readMessageFilesFromWad } from './root-wad.js';

/** Service ids above this are the server's internal protocols, never accepted from the wire. */
export const MAX_WIRE_SERVICE_ID = 100;

/** A registry record: the public RecordDef plus its compiled codec (null when unusable). */
export interface RecordEntry extends RecordDef {
  readonly codec: RecordCodec | null;
}

/** Accepts file names like GameMessages.xml, in any case. */
export function isMessageFileName(name: string): boolean {
  return /messages\.xml$/i.test(name);
}

// Next to this module in the source tree; a compiled copy (dist/protocol) falls back to the sources,
// since tsc does not copy the XML files.
const DEFINITIONS_DIR = [new URL('./definitions/', import.meta.url), new URL('../../src/protocol/definitions/', import.meta.url)]
  .map((url) => fileURLToPath(url))
  .find((dir) => existsSync(dir)) ?? fileURLToPath(new URL('./definitions/', import.meta.url));
let defaultsCache: MessageRegistry | undefined;
const codecCache = new WeakMap<RecordSpec, RecordCodec | null>();

function codecFor(protocol: string, spec: RecordSpec): RecordCodec | null {
  let codec = codecCache.get(spec);
  if (codec === undefined) {
    codec = spec.unusable === undefined ? compileRecordCodec(protocol, spec.name, spec.fields) : null;
    codecCache.set(spec, codec);
  }
  return codec;
}

export class MessageRegistry {
  readonly protocols: readonly ProtocolSpec[];
  readonly records: readonly RecordEntry[];
  readonly #wire: (RecordEntry | undefined)[] = new Array(65536).fill(undefined);
  readonly #byName = new Map<string, RecordEntry>();
  readonly #byKind = new WeakMap<MessageKind<unknown>, RecordEntry>();
  readonly #byProtocol = new Map<string, ProtocolSpec>();

  /** Builds a registry from parsed files; a later file for the same service id or protocol name replaces an earlier one. */
  constructor(protocols: readonly ProtocolSpec[]) {
    let chosen: ProtocolSpec[] = [];
    for (const protocol of protocols) {
      chosen = chosen.filter((p) => p.serviceId !== protocol.serviceId && p.name !== protocol.name);
      chosen.push(protocol);
    }
    chosen.sort((a, b) => a.serviceId - b.serviceId);
    this.protocols = Object.freeze(chosen);
    const records: RecordEntry[] = [];
    for (const protocol of chosen) {
      this.#byProtocol.set(protocol.name, protocol);
      for (const spec of protocol.records) {
        const entry: RecordEntry = Object.freeze({
          ...spec,
          protocol: protocol.name,
          serviceId: protocol.serviceId,
          index: records.length,
          codec: codecFor(protocol.name, spec),
        });
        records.push(entry);
        this.#byName.set(`${protocol.name}.${spec.name}`, entry);
        if (protocol.serviceId <= MAX_WIRE_SERVICE_ID) this.#wire[(protocol.serviceId << 8) | spec.order] = entry;
      }
    }
    this.records = Object.freeze(records);
  }

  /** The project's shipped definitions (src/protocol/definitions/*.xml). Built once, then shared. */
  static defaults(): MessageRegistry {
    if (defaultsCache === undefined) {
      const files = readdirSync(DEFINITIONS_DIR).filter(isMessageFileName).sort();
      defaultsCache = new MessageRegistry(files.map((f) => parseDefinitionXml(readFileSync(join(DEFINITIONS_DIR, f)), `definitions/${f}`)));
    }
    return defaultsCache;
  }

  /** Definitions from XML texts already in memory (name is used in errors). */
  static fromXml(files: readonly { name: string; content: string | Buffer }[]): MessageRegistry {
    return new MessageRegistry(files.map((f) => parseDefinitionXml(f.content, f.name)));
  }

  /** Every `*Messages.xml` under `dir` (recursively, e.g. a client's GameData folder). */
  static async fromFolder(dir: string): Promise<MessageRegistry> {
    let names: string[];
    try {
      names = (await readdir(dir, { recursive: true })).map(String).filter(isMessageFileName).sort();
    } catch (error) {
      throw new DefinitionSourceError(dir, `cannot list the folder: ${(error as Error).message}`, { cause: error });
    }
    const files: { name: string; content: Buffer }[] = [];
    for (const name of names) {
      const path = join(dir, name);
      if (!(await stat(path)).isFile()) continue;
      files.push({ name: relative(process.cwd(), path) || path, content: await readFile(path) });
    }
    if (files.length === 0) throw new DefinitionSourceError(dir, 'holds no *Messages.xml file');
    return MessageRegistry.fromXml(files);
  }

  /** The `*Messages.xml` entries of a client's Root.wad (KIWAD archive), wherever they sit in it. */
  static async fromRootWad(path: string): Promise<MessageRegistry> {
    return MessageRegistry.fromXml(await readMessageFilesFromWad(path));
  }

  /** This registry with `other`'s protocols added; other's replace this one's for the same service. */
  merge(other: MessageRegistry): MessageRegistry {
    return new MessageRegistry([...this.protocols, ...other.protocols]);
  }

  /** Warnings from every loaded file (tolerated misspellings, duplicates, unusable records). */
  get warnings(): string[] {
    return this.protocols.flatMap((p) => p.warnings);
  }

  protocol(name: string): ProtocolSpec | undefined {
    return this.#byProtocol.get(name);
  }

  /** The loaded record for a kind; throws UnknownKindError when the definitions lack it. */
  record<T>(kind: MessageKind<T>): RecordEntry {
    let entry = this.#byKind.get(kind);
    if (entry === undefined) {
      entry = this.#byName.get(`${kind.protocol}.${kind.name}`);
      if (entry === undefined) throw new UnknownKindError(kind.protocol, kind.name);
      this.#byKind.set(kind, entry);
    }
    return entry;
  }

  /** The record by protocol and message name, or undefined. */
  byName(protocol: string, name: string): RecordEntry | undefined {
    return this.#byName.get(`${protocol}.${name}`);
  }

  /** The record a (service, order) header designates, or undefined (also for internal services > 100). */
  byWire(serviceId: number, order: number): RecordEntry | undefined {
    if (serviceId < 0 || serviceId > 255 || order < 0 || order > 255) return undefined;
    return this.#wire[(serviceId << 8) | order];
  }

  /** The dispatch table itself, indexed by (serviceId << 8) | order: for the decoder's hot loop. */
  get wireTable(): readonly (RecordEntry | undefined)[] {
    return this.#wire;
  }
}
