// Pure parts of the HTTP side: request-target validation, Range and conditional headers (RFC 9110).

export type TargetResult = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly reason: string };

/**
 * Turns a request-target into a relative path with forward slashes, or refuses it. Decodes percent-escapes
 * once, then refuses NUL, backslashes, `.` and `..` segments, empty segments, absolute and drive paths, so
 * that no encoding of a traversal reaches the file system. The result is only ever used as a key into the
 * file list; it is never joined to the root unchecked.
 */
export function parseTarget(url: string | undefined): TargetResult {
  if (url === undefined || !url.startsWith('/')) return { ok: false, reason: 'request-target must be an absolute path' };
  let end = url.length;
  const q = url.indexOf('?');
  if (q >= 0) end = q;
  // The patcher joins URLPrefix (ending in "/") with a name that may start with "/" itself: "//Bin/x" is "/Bin/x".
  const raw = url.slice(0, end).replace(/^\/{2,}/, '/');
  if (raw.includes('\\')) return { ok: false, reason: 'backslash in path' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return { ok: false, reason: 'malformed percent-encoding' };
  }
  if (decoded.includes('\0')) return { ok: false, reason: 'NUL in path' };
  if (decoded.includes('\\')) return { ok: false, reason: 'backslash in path' };
  const rel = decoded.slice(1);
  if (rel.startsWith('/')) return { ok: false, reason: 'absolute path' };
  if (/^[A-Za-z]:/.test(rel)) return { ok: false, reason: 'drive path' };
  if (rel === '') return { ok: true, path: '' };
  for (const segment of rel.split('/')) {
    if (segment === '..' || segment === '.') return { ok: false, reason: 'dot segment' };
    if (segment === '') return { ok: false, reason: 'empty segment' };
  }
  return { ok: true, path: rel };
}

export type RangeResult =
  | { readonly kind: 'full' }
  | { readonly kind: 'unsatisfiable' }
  | { readonly kind: 'partial'; readonly start: number; readonly end: number };

/**
 * Evaluates a Range header against a representation of `size` bytes. Only a single byte range is honoured;
 * several ranges, other units and malformed values fall back to the full representation, as RFC 9110 allows.
 */
export function parseRange(header: string | undefined, size: number): RangeResult {
  if (header === undefined) return { kind: 'full' };
  const m = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (m === null) return { kind: 'full' };
  const specs = m[1]!.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (specs.length !== 1) return { kind: 'full' };
  const r = /^(\d*)\s*-\s*(\d*)$/.exec(specs[0]!);
  if (r === null) return { kind: 'full' };
  const [, first, last] = r as unknown as [string, string, string];
  if (first === '' && last === '') return { kind: 'full' };
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return { kind: 'full' };
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return { kind: 'partial', start, end };
}

function etagList(header: string): string[] {
  return header.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

const opaque = (tag: string): string => (tag.startsWith('W/') ? tag.slice(2) : tag);

/** If-None-Match uses the weak comparison. */
export function noneMatch(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  return etagList(header).some((t) => opaque(t) === opaque(etag));
}

/** True when a conditional GET may answer 304 (RFC 9110 section 13.2.2: If-None-Match wins over If-Modified-Since). */
export function notModified(headers: { 'if-none-match'?: string; 'if-modified-since'?: string }, etag: string, lastModifiedSecs: number): boolean {
  const inm = headers['if-none-match'];
  if (inm !== undefined) return noneMatch(inm, etag);
  const ims = headers['if-modified-since'];
  if (ims === undefined) return false;
  const t = Date.parse(ims);
  if (Number.isNaN(t)) return false;
  return lastModifiedSecs <= Math.floor(t / 1000);
}

/** If-Range: an entity tag must match strongly, a date must equal Last-Modified exactly. */
export function ifRangeHolds(header: string | undefined, etag: string, lastModifiedSecs: number): boolean {
  if (header === undefined) return true;
  const v = header.trim();
  if (v.startsWith('W/')) return false;
  if (v.startsWith('"')) return v === etag;
  const t = Date.parse(v);
  return !Number.isNaN(t) && Math.floor(t / 1000) === lastModifiedSecs;
}

/** A strong validator that changes whenever the bytes can have changed. */
export function strongEtag(size: number, mtimeMs: number, crc: number): string {
  return `"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}-${(crc >>> 0).toString(16).padStart(8, '0')}"`;
}
