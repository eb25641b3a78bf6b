// Where archives come from (docs/world.md "Game data in"): the user's client install folder, or (in a
// game server) the patch server through the resource cache, which hands back a verified local copy.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GAME_DATA_DIR } from './zone-archive-name.js';

export interface ArchiveLocator {
  /** A readable local path of `relativePath` (e.g. `Data/GameData/A-B.wad`); undefined when it does not exist. */
  locate(relativePath: string): Promise<string | undefined>;
  /** The zone archives present (name and size), when the source can list them (a folder can). */
  list?(): Promise<Array<{ readonly name: string; readonly size: number }>>;
  /** Drops anything cached for `relativePath` (the patch list says it changed). */
  invalidate?(relativePath: string): void;
}

/** A client install folder: `<dir>/Data/GameData/*.wad`. */
export class FolderLocator implements ArchiveLocator {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  async locate(relativePath: string): Promise<string | undefined> {
    const full = join(this.dir, ...relativePath.split('/'));
    try {
      return (await stat(full)).isFile() ? full : undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async list(): Promise<Array<{ name: string; size: number }>> {
    const folder = join(this.dir, ...GAME_DATA_DIR.split('/'));
    const names = (await readdir(folder)).filter((n) => n.toLowerCase().endsWith('.wad')).sort();
    const out: Array<{ name: string; size: number }> = [];
    for (const name of names) out.push({ name, size: (await stat(join(folder, name))).size });
    return out;
  }
}
