// A game server's view of the game data (docs/world.md "Game data in"): Root.wad's templates, zone
// archives found by the zone-path rule and opened only when a zone loads, their files kept in a cache
// bounded by bytes, and zones decoded in worker threads.
import { openWad, type WadReader } from '../archive/index.js';
import type { TypeList } from '../objectproperty/index.js';
import type { ArchiveLocator } from './archive-locator.js';
import { ByteLru } from './byte-lru.js';
import { GameDataError, ZoneNotFoundError } from './errors.js';
import { TemplateStore } from './template-store.js';
import { loadWorldTypes, type TypeDumpSource } from './type-dump-source.js';
import { readZoneFiles } from './zone-archive-reader.js';
import { ROOT_WAD_PATH, zoneArchivePath } from './zone-archive-name.js';
import type { ZoneData } from './zone-data.js';
import { ZoneDecodePool } from './zone-decode-pool.js';

export interface WorldDataOptions {
  readonly locator: ArchiveLocator;
  readonly dump: TypeDumpSource;
  /** Bytes of zone files kept for reloads. Default 64 MiB. */
  readonly maxCachedBytes?: number;
  /** Decode worker threads (0: decode on the main thread). Default 1. */
  readonly workers?: number;
}

type ZoneFiles = Map<string, Buffer>;

export class WorldData {
  readonly types: TypeList;
  readonly templates: TemplateStore;
  readonly locator: ArchiveLocator;
  readonly #root: WadReader;
  readonly #pool: ZoneDecodePool;
  readonly #files: ByteLru<string, ZoneFiles>;
  readonly #reading = new Map<string, Promise<ZoneFiles>>();

  private constructor(options: WorldDataOptions, types: TypeList, root: WadReader, templates: TemplateStore) {
    this.types = types;
    this.templates = templates;
    this.locator = options.locator;
    this.#root = root;
    this.#pool = new ZoneDecodePool({ dump: options.dump, workers: options.workers ?? 1 });
    this.#files = new ByteLru(options.maxCachedBytes ?? 64 * 1024 * 1024, (files) => [...files.values()].reduce((n, b) => n + b.length, 0));
  }

  /** Loads the type dump, opens Root.wad and indexes its template manifest. */
  static async open(options: WorldDataOptions): Promise<WorldData> {
    let types: TypeList;
    try {
      types = await loadWorldTypes(options.dump);
    } catch (error) {
      throw new GameDataError(`the type dump cannot be loaded: ${(error as Error).message}`, { cause: error });
    }
    const rootPath = await options.locator.locate(ROOT_WAD_PATH);
    if (rootPath === undefined) throw new GameDataError(`${ROOT_WAD_PATH} not found in the game data`);
    const root = await openWad(rootPath);
    try {
      return new WorldData(options, types, root, await TemplateStore.open(root, types));
    } catch (error) {
      await root.close();
      throw error;
    }
  }

  /** Decodes a zone; rejects with ZoneNotFoundError or ZoneDecodeError (naming zone, file and property). */
  async loadZone(zone: string): Promise<ZoneData> {
    return this.#pool.decode(zone, await this.zoneFiles(zone));
  }

  /** The zone's files, from the cache or its archive. */
  zoneFiles(zone: string): Promise<ZoneFiles> {
    const cached = this.#files.get(zone);
    if (cached !== undefined) return Promise.resolve(cached);
    let p = this.#reading.get(zone);
    if (p === undefined) {
      p = this.#read(zone).finally(() => this.#reading.delete(zone));
      this.#reading.set(zone, p);
    }
    return p;
  }

  /** Forgets a zone's cached files (its archive changed). */
  invalidate(zone: string): void {
    this.#files.delete(zone);
    this.locator.invalidate?.(zoneArchivePath(zone));
  }

  get cachedBytes(): number { return this.#files.bytes; }

  async close(): Promise<void> {
    await this.#pool.close();
    await this.#root.close();
  }

  async #read(zone: string): Promise<ZoneFiles> {
    const relative = zoneArchivePath(zone);
    let local: string | undefined;
    try {
      local = await this.locator.locate(relative);
    } catch (error) {
      throw new ZoneNotFoundError(zone, `cannot obtain ${relative}: ${(error as Error).message}`, { cause: error });
    }
    if (local === undefined) throw new ZoneNotFoundError(zone, `no archive ${relative}`);
    let wad: WadReader;
    try {
      wad = await openWad(local);
    } catch (error) {
      throw new ZoneNotFoundError(zone, `${relative} is not a readable archive: ${(error as Error).message}`, { cause: error });
    }
    try {
      const files = await readZoneFiles(zone, wad);
      this.#files.set(zone, files);
      return files;
    } finally {
      await wad.close();
    }
  }
}
