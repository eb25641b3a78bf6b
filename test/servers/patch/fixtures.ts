// Shared test fixtures: temp directories, file trees and a small KIWAD writer.
import { mkdtemp, mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

export async function tempDir(prefix: string): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `imlight-${prefix}-`));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/** An mtime well in the past, so the builder's racy-mtime rule does not force a re-hash. */
export const OLD_TIME = new Date('2024-01-02T03:04:05Z');

export async function writeTree(root: string, files: Record<string, Buffer | string>, mtime: Date = OLD_TIME): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const abs = join(root, ...rel.split('/'));
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, content);
    await utimes(abs, mtime, mtime);
  }
}

/** A version-1 KIWAD (archives.md layout); returns the archive and where its index ends. */
export function kiwad(files: Record<string, string>, compress = true): { bytes: Buffer; indexEnd: number } {
  const names = Object.keys(files).sort();
  const stored = names.map((n) => {
    const raw = Buffer.from(files[n]!, 'utf8');
    return { name: n, raw, data: compress ? deflateSync(raw) : raw };
  });
  const indexEnd = 13 + stored.reduce((s, f) => s + 21 + Buffer.byteLength(f.name) + 1, 0);
  const header = Buffer.alloc(13);
  header.write('KIWAD', 0, 'ascii');
  header.writeUInt32LE(1, 5);
  header.writeUInt32LE(stored.length, 9);
  let offset = indexEnd;
  const index: Buffer[] = [];
  for (const f of stored) {
    const name = Buffer.from(`${f.name}\0`, 'utf8');
    const e = Buffer.alloc(21);
    e.writeUInt32LE(offset, 0);
    e.writeUInt32LE(f.raw.length, 4);
    e.writeUInt32LE(compress ? f.data.length : 0xffffffff, 8);
    e.writeUInt8(compress ? 1 : 0, 12);
    e.writeUInt32LE((crc32(f.data, 0xffffffff) ^ 0xffffffff) >>> 0, 13);
    e.writeUInt32LE(name.length, 17);
    index.push(e, name);
    offset += f.data.length;
  }
  return { bytes: Buffer.concat([header, ...index, ...stored.map((f) => f.data)]), indexEnd };
}

/** Deterministic pseudo-random bytes (so a failing test can be reproduced). */
export function bytes(length: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
