// A zone's data, loaded before the zone admits anyone. The source is pluggable: with no game data
// configured every zone loads empty; with a folder, a zone must exist there (a file or a folder
// named after its path) and an unknown zone fails to load.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Actor, props, type ActorContext, type ActorRef, type Handlers } from '../../runtime/index.js';
import { ZoneLoadError } from './errors.js';
import type { ZoneMessage } from './messages.js';

export interface ZoneData {
  /** How many data objects the zone holds (what later systems will spawn from). */
  readonly objects: number;
}

export interface ZoneDataSource {
  /** Resolves with the zone's data; rejects (ZoneLoadError) when the zone cannot be loaded. */
  load(path: string): Promise<ZoneData>;
}

/** No game data configured: every zone exists and is empty. */
export const emptyZoneSource: ZoneDataSource = Object.freeze({ load: () => Promise.resolve({ objects: 0 }) });

/** Zones found in a folder: `<dir>/<path>` as a folder (its entries are the objects) or `<dir>/<path>.*` as a file. */
export class FolderZoneSource implements ZoneDataSource {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  async load(path: string): Promise<ZoneData> {
    const full = join(this.#dir, path);
    try {
      const info = await stat(full);
      if (info.isDirectory()) return { objects: (await readdir(full)).length };
      return { objects: 1 };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new ZoneLoadError(path, `cannot read ${full}`, { cause: error });
    }
    const parent = join(full, '..');
    const base = full.slice(parent.length + 1);
    let entries: string[];
    try {
      entries = await readdir(parent);
    } catch (error) {
      throw new ZoneLoadError(path, 'no such zone in the zone data', { cause: error });
    }
    if (entries.some((entry) => entry.startsWith(`${base}.`))) return { objects: 1 };
    throw new ZoneLoadError(path, 'no such zone in the zone data');
  }
}

export type LoaderMessage = { readonly type: 'loader.done'; readonly ok: true; readonly objects: number } | { readonly type: 'loader.done'; readonly ok: false; readonly detail: string };

/** The ZoneLoader child of a zone: runs the source once and reports to the zone, then stops. */
export class ZoneLoader extends Actor<LoaderMessage> {
  readonly #path: string;
  readonly #source: ZoneDataSource;
  readonly #zone: ActorRef<ZoneMessage>;

  constructor(context: ActorContext<LoaderMessage>, path: string, source: ZoneDataSource) {
    super(context);
    this.#path = path;
    this.#source = source;
    this.#zone = context.parent as ActorRef<ZoneMessage>;
  }

  readonly receive: Handlers<LoaderMessage> = {
    'loader.done': (result) => {
      if (result.ok) this.#zone.tell({ type: 'zone.loaded', objects: result.objects });
      else this.#zone.tell({ type: 'zone.load-failed', detail: result.detail });
      this.context.stop();
    },
  };

  override preStart(): void {
    let loading: Promise<ZoneData>;
    try {
      loading = this.#source.load(this.#path);
    } catch (error) {
      loading = Promise.reject(error);
    }
    this.context.pipeToSelf(loading, (result) =>
      result.ok ? { type: 'loader.done', ok: true, objects: result.value.objects } : { type: 'loader.done', ok: false, detail: (result.error as Error)?.message ?? String(result.error) },
    );
  }
}

export function zoneLoaderProps(path: string, source: ZoneDataSource) {
  return props<LoaderMessage>((context) => new ZoneLoader(context, path, source), { kind: 'ZoneLoader' });
}
