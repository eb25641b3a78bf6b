// `imlight patch verify`: compares a local copy of the files with the list a patch server publishes.
import { join } from 'node:path';
import { decodeFileListTables, fileRecordsOf } from '../shared/latest-file-list-codec.js';
import { crcOfFile } from '../shared/file-crc.js';
import { PatchVerifyError } from './errors.js';
import { LIST_BIN_NAME } from './file-list.js';

export type VerifyProblem =
  | { readonly kind: 'missing'; readonly path: string }
  | { readonly kind: 'size'; readonly path: string; readonly expected: number; readonly actual: number }
  | { readonly kind: 'crc'; readonly path: string; readonly expected: number; readonly actual: number };

export interface VerifyResult {
  readonly listUrl: string;
  readonly checked: number;
  readonly problems: readonly VerifyProblem[];
}

export interface VerifyOptions {
  /** Check the install layout (TarFileName when set) instead of the server's layout (SrcFileName). */
  readonly target?: boolean;
  readonly fetch?: typeof globalThis.fetch;
  /** Largest list accepted from the server. Default 64 MiB. */
  readonly maxListBytes?: number;
  readonly onFile?: (path: string) => void;
}

/** `url` is the server's base URL, or the full URL of its LatestFileList.bin. */
export function listUrlOf(url: string): string {
  if (url.endsWith(`/${LIST_BIN_NAME}`)) return url;
  return new URL(LIST_BIN_NAME, url.endsWith('/') ? url : `${url}/`).toString();
}

async function fetchList(listUrl: string, fetchImpl: typeof globalThis.fetch, maxBytes: number): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetchImpl(listUrl, { headers: { 'User-Agent': 'KingsIsle Patcher' } });
  } catch (error) {
    throw new PatchVerifyError(`cannot fetch ${listUrl}`, { cause: error });
  }
  if (!response.ok) throw new PatchVerifyError(`${listUrl} answered HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw new PatchVerifyError(`${listUrl} is ${declared} bytes, more than the limit of ${maxBytes}`);
  const body = Buffer.from(await response.arrayBuffer());
  if (body.length > maxBytes) throw new PatchVerifyError(`${listUrl} is ${body.length} bytes, more than the limit of ${maxBytes}`);
  return body;
}

export async function verifyAgainstServer(dir: string, url: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const listUrl = listUrlOf(url);
  const bin = await fetchList(listUrl, options.fetch ?? globalThis.fetch, options.maxListBytes ?? 64 * 1024 * 1024);
  let records;
  try {
    records = fileRecordsOf(decodeFileListTables(bin));
  } catch (error) {
    throw new PatchVerifyError(`${listUrl} is not a valid LatestFileList.bin`, { cause: error });
  }
  const problems: VerifyProblem[] = [];
  const buffer = Buffer.allocUnsafe(1024 * 1024);
  for (const r of records) {
    const path = options.target && r.TarFileName !== '' ? r.TarFileName : r.SrcFileName;
    if (path.split('/').some((s) => s === '..' || s === '') || path.startsWith('/') || path.includes('\\')) {
      throw new PatchVerifyError(`${listUrl} names an unsafe path: ${JSON.stringify(path)}`);
    }
    options.onFile?.(path);
    const local = await crcOfFile(join(dir, ...path.split('/')), buffer);
    if (local === undefined) problems.push({ kind: 'missing', path });
    else if (local.size !== r.Size) problems.push({ kind: 'size', path, expected: r.Size, actual: local.size });
    else if (local.crc !== r.CRC) problems.push({ kind: 'crc', path, expected: r.CRC, actual: local.crc });
  }
  return { listUrl, checked: records.length, problems };
}
