// Durable commits without blocking the event loop. With synchronous=FULL, SQLite fsyncs the WAL
// inside COMMIT, and better-sqlite3 runs COMMIT on the main thread: every fsync (milliseconds on
// a busy disk) stops the whole server. Instead the connection runs synchronous=NORMAL (COMMIT
// only writes the WAL frames to the OS) and this class fsyncs the WAL file on libuv's thread
// pool; a write is acknowledged only after a sync that started after its COMMIT has finished.
// The bytes on disk are then exactly those FULL would have synced, so the guarantee is FULL's.
//
// One sync runs at a time. Callers that arrive while one runs share the next one: the running
// sync may have started before their COMMIT, the queued one starts after it. So a burst of
// commits costs two fsyncs, not one each.
import { close, fdatasync, fsync, open } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';

const openFile = promisify(open);
const closeFile = promisify(close);
const datasync = promisify(fdatasync);
const syncFile = promisify(fsync);

export class WalSync {
  readonly #walPath: string;
  #running: Promise<void> | undefined = undefined;
  #queued: Promise<void> | undefined = undefined;
  #directorySynced = false;
  #fd: number | undefined = undefined;

  constructor(databasePath: string) {
    this.#walPath = `${databasePath}-wal`;
  }

  /** Resolves once everything committed before this call is on stable storage. */
  sync(): Promise<void> {
    if (this.#queued !== undefined) return this.#queued;
    if (this.#running === undefined) return this.#start();
    const after = (): Promise<void> => {
      this.#queued = undefined;
      return this.#start();
    };
    const queued = this.#running.then(after, after);
    this.#queued = queued;
    return queued;
  }

  #start(): Promise<void> {
    const run: Promise<void> = this.#fsync().finally(() => {
      if (this.#running === run) this.#running = undefined;
    });
    this.#running = run;
    return run;
  }

  async #fsync(): Promise<void> {
    // The descriptor is kept: SQLite deletes or replaces the WAL file only when the last
    // connection closes or leaves WAL mode, and ours stays open (holding its shared lock) until
    // close(), after which nothing is synced.
    this.#fd ??= await openFile(this.#walPath, 'r+');
    await datasync(this.#fd);
    if (!this.#directorySynced) {
      // A new WAL file's directory entry must be durable too (SQLite's FULL does the same once).
      await syncDirectory(dirname(this.#walPath));
      this.#directorySynced = true;
    }
  }

  /** Waits for the running sync, then releases the descriptor. */
  async close(): Promise<void> {
    await Promise.allSettled([this.#running, this.#queued]);
    const fd = this.#fd;
    this.#fd = undefined;
    if (fd !== undefined) await closeFile(fd);
  }
}

async function syncDirectory(path: string): Promise<void> {
  // Windows cannot open a directory for syncing (NTFS keeps its metadata journaled anyway).
  if (process.platform === 'win32') return;
  const fd = await openFile(path, 'r');
  try {
    await syncFile(fd);
  } finally {
    await closeFile(fd);
  }
}
