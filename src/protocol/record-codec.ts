// Per-record DML field codecs, compiled once when a registry is built. Each record gets a decoder
// and an encoder generated as straight-line JavaScript (new Function): no per-field loop, no type
// switch, and a decoded object created by one literal so every message of a record shares a shape.
// Field names reach the generated code only as JSON string literals, so a hostile definition file
// cannot inject code; names that would touch the prototype are refused by the parser.
import { ELEMENT_FIXED_SIZE, type ElementType } from './element-type.js';
import type { FieldDef } from './definition-types.js';
import { DmlEncodeError } from './errors.js';

export type DecodedFields = Record<string, unknown>;

export interface RecordCodec {
  /** Fields of b[start..end); undefined when the message is too short (bytes past the record are ignored). */
  decode(b: Buffer, start: number, end: number): DecodedFields | undefined;
  /** Encoded size of the fields; throws DmlEncodeError for a value of the wrong kind or too long. */
  size(data: object): number;
  /** Writes the fields at `offset` (size() must have been called on the same data); returns the end offset. */
  write(data: object, b: Buffer, offset: number): number;
  /** Name of the first field that does not fit in b[start..end), for error messages. */
  truncatedField(b: Buffer, start: number, end: number): string;
  /** Smallest encoded size (all strings empty). */
  readonly minSize: number;
}

const MAX_GID = 0xffffffffffffffffn;
const MAX_STRING = 0xffff;

function readExpression(type: ElementType, p: string): string {
  switch (type) {
    case 'BYT': return `(b[${p}] << 24 >> 24)`;
    case 'UBYT': return `b[${p}]`;
    case 'BOOL': return `(b[${p}] !== 0)`;
    case 'SHRT': return `((b[${p}] | b[${p} + 1] << 8) << 16 >> 16)`;
    case 'USHRT': return `(b[${p}] | b[${p} + 1] << 8)`;
    case 'INT': return `(b[${p}] | b[${p} + 1] << 8 | b[${p} + 2] << 16 | b[${p} + 3] << 24)`;
    case 'UINT': return `((b[${p}] | b[${p} + 1] << 8 | b[${p} + 2] << 16 | b[${p} + 3] << 24) >>> 0)`;
    case 'FLT': return `b.readFloatLE(${p})`;
    case 'DBL': return `b.readDoubleLE(${p})`;
    case 'GID': return `b.readBigUInt64LE(${p})`;
    case 'STR':
    case 'WSTR': throw new Error('variable-size types have no fixed read expression');
  }
}

function writeStatements(type: ElementType, v: string, p: string, field: number): string {
  const fail = (detail: string) => `h.fail(${field}, ${v}, ${JSON.stringify(detail)})`;
  switch (type) {
    case 'BYT': return `if ((${v} << 24 >> 24) !== ${v}) ${fail('not an integer -128..127')}; b[${p}] = ${v};`;
    case 'UBYT': return `if ((${v} & 0xff) !== ${v}) ${fail('not an integer 0..255')}; b[${p}] = ${v};`;
    case 'BOOL': return `b[${p}] = h.bool(${v}, ${field});`;
    case 'SHRT': return `if ((${v} << 16 >> 16) !== ${v}) ${fail('not an integer -32768..32767')}; b[${p}] = ${v}; b[${p} + 1] = ${v} >> 8;`;
    case 'USHRT': return `if ((${v} & 0xffff) !== ${v}) ${fail('not an integer 0..65535')}; b[${p}] = ${v}; b[${p} + 1] = ${v} >>> 8;`;
    case 'INT': return `if ((${v} | 0) !== ${v}) ${fail('not a 32-bit signed integer')}; b[${p}] = ${v}; b[${p} + 1] = ${v} >> 8; b[${p} + 2] = ${v} >> 16; b[${p} + 3] = ${v} >> 24;`;
    case 'UINT': return `if ((${v} >>> 0) !== ${v}) ${fail('not a 32-bit unsigned integer')}; b[${p}] = ${v}; b[${p} + 1] = ${v} >>> 8; b[${p} + 2] = ${v} >>> 16; b[${p} + 3] = ${v} >>> 24;`;
    case 'FLT': return `if (typeof ${v} !== 'number') ${fail('not a number')}; b.writeFloatLE(${v}, ${p});`;
    case 'DBL': return `if (typeof ${v} !== 'number') ${fail('not a number')}; b.writeDoubleLE(${v}, ${p});`;
    case 'GID': return `b.writeBigUInt64LE(h.gid(${v}, ${field}), ${p});`;
    case 'STR':
    case 'WSTR': throw new Error('variable-size types have no fixed write statement');
  }
}

interface Helpers {
  fail(field: number, value: unknown, detail: string): never;
  bool(value: unknown, field: number): number;
  gid(value: unknown, field: number): bigint;
  strLength(value: unknown, field: number): number;
  wstrLength(value: unknown, field: number): number;
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (Buffer.isBuffer(value)) return `Buffer(${value.length})`;
  return String(value);
}

function makeHelpers(protocol: string, message: string, fields: readonly FieldDef[]): Helpers {
  const fail = (field: number, value: unknown, detail: string): never => {
    throw new DmlEncodeError(protocol, message, fields[field]!.name, `${describe(value)}: ${detail}`);
  };
  return {
    fail,
    bool(value, field) {
      if (value === true || value === 1) return 1;
      if (value === false || value === 0) return 0;
      return fail(field, value, 'not a boolean');
    },
    gid(value, field) {
      if (typeof value === 'bigint') {
        if (value >= 0n && value <= MAX_GID) return value;
      } else if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) {
        return BigInt(value);
      }
      return fail(field, value, 'not a GID (bigint 0..2^64-1)');
    },
    strLength(value, field) {
      const length = Buffer.isBuffer(value) ? value.length : typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : fail(field, value, 'not a Buffer or string');
      if (length > MAX_STRING) fail(field, value, `${length} bytes, at most ${MAX_STRING}`);
      return length;
    },
    wstrLength(value, field) {
      if (typeof value !== 'string') return fail(field, value, 'not a string');
      if (value.length > MAX_STRING) fail(field, value, `${value.length} UTF-16 units, at most ${MAX_STRING}`);
      return value.length * 2;
    },
  };
}

/** Runs of fixed-size fields between variable-size ones, so bounds are checked once per run. */
function groupsOf(fields: readonly FieldDef[]): { start: number; end: number; size: number; variable: boolean }[] {
  const groups: { start: number; end: number; size: number; variable: boolean }[] = [];
  let i = 0;
  while (i < fields.length) {
    const type = fields[i]!.type;
    if (ELEMENT_FIXED_SIZE[type] === 0) {
      groups.push({ start: i, end: i + 1, size: 2, variable: true });
      i++;
      continue;
    }
    let size = 0;
    const start = i;
    while (i < fields.length && ELEMENT_FIXED_SIZE[fields[i]!.type] !== 0) size += ELEMENT_FIXED_SIZE[fields[i++]!.type];
    groups.push({ start, end: i, size, variable: false });
  }
  return groups;
}

function decoderSource(fields: readonly FieldDef[]): string {
  const lines: string[] = ['let n = 0;'];
  for (const group of groupsOf(fields)) {
    if (group.variable) {
      const field = fields[group.start]!;
      lines.push('if (o + 2 > e) return undefined;');
      lines.push(field.type === 'WSTR' ? 'n = (b[o] | b[o + 1] << 8) * 2; o += 2;' : 'n = b[o] | b[o + 1] << 8; o += 2;');
      lines.push('if (o + n > e) return undefined;');
      lines.push(field.type === 'WSTR' ? `const v${group.start} = b.toString('utf16le', o, o + n); o += n;` : `const v${group.start} = b.subarray(o, o + n); o += n;`);
      continue;
    }
    lines.push(`if (o + ${group.size} > e) return undefined;`);
    let at = 0;
    for (let i = group.start; i < group.end; i++) {
      const type = fields[i]!.type;
      lines.push(`const v${i} = ${readExpression(type, at === 0 ? 'o' : `o + ${at}`)};`);
      at += ELEMENT_FIXED_SIZE[type];
    }
    lines.push(`o += ${group.size};`);
  }
  lines.push(`return { ${fields.map((f, i) => `${JSON.stringify(f.name)}: v${i}`).join(', ')} };`);
  return `return function decode(b, o, e) {\n${lines.join('\n')}\n};`;
}

function encoderSources(fields: readonly FieldDef[]): { size: string; write: string } {
  let fixed = 0;
  const variable: string[] = [];
  fields.forEach((f, i) => {
    const key = JSON.stringify(f.name);
    if (f.type === 'STR') variable.push(`2 + h.strLength(d[${key}], ${i})`);
    else if (f.type === 'WSTR') variable.push(`2 + h.wstrLength(d[${key}], ${i})`);
    else fixed += ELEMENT_FIXED_SIZE[f.type];
  });
  const size = `return function size(d) { return ${[String(fixed), ...variable].join(' + ')}; };`;
  const lines: string[] = ['let n = 0;'];
  for (const group of groupsOf(fields)) {
    if (group.variable) {
      const i = group.start;
      const v = `v${i}`;
      lines.push(`const ${v} = d[${JSON.stringify(fields[i]!.name)}];`);
      if (fields[i]!.type === 'WSTR') {
        lines.push(`n = ${v}.length; b[o] = n; b[o + 1] = n >>> 8; o += 2; if (n !== 0) b.write(${v}, o, n * 2, 'utf16le'); o += n * 2;`);
      } else {
        lines.push(`if (typeof ${v} === 'string') { n = b.write(${v}, o + 2, 'utf8'); } else { n = ${v}.length; ${v}.copy(b, o + 2); }`);
        lines.push('b[o] = n; b[o + 1] = n >>> 8; o += 2 + n;');
      }
      continue;
    }
    let at = 0;
    for (let i = group.start; i < group.end; i++) {
      const type = fields[i]!.type;
      const v = `v${i}`;
      lines.push(`const ${v} = d[${JSON.stringify(fields[i]!.name)}];`);
      lines.push(writeStatements(type, v, at === 0 ? 'o' : `o + ${at}`, i));
      at += ELEMENT_FIXED_SIZE[type];
    }
    lines.push(`o += ${group.size};`);
  }
  lines.push('return o;');
  return { size, write: `return function write(d, b, o) {\n${lines.join('\n')}\n};` };
}

function truncatedFieldOf(fields: readonly FieldDef[]) {
  return (b: Buffer, start: number, end: number): string => {
    let o = start;
    for (const field of fields) {
      const fixed = ELEMENT_FIXED_SIZE[field.type];
      if (fixed !== 0) {
        if (o + fixed > end) return field.name;
        o += fixed;
        continue;
      }
      if (o + 2 > end) return field.name;
      const n = (b[o]! | (b[o + 1]! << 8)) * (field.type === 'WSTR' ? 2 : 1);
      o += 2;
      if (o + n > end) return field.name;
      o += n;
    }
    return '(none)';
  };
}

export function compileRecordCodec(protocol: string, message: string, fields: readonly FieldDef[]): RecordCodec {
  const h = makeHelpers(protocol, message, fields);
  const build = <T>(source: string): T => new Function('h', source)(h) as T;
  const { size, write } = encoderSources(fields);
  let minSize = 0;
  for (const f of fields) minSize += ELEMENT_FIXED_SIZE[f.type] === 0 ? 2 : ELEMENT_FIXED_SIZE[f.type];
  return {
    decode: build(decoderSource(fields)),
    size: build(size),
    write: build(write),
    truncatedField: truncatedFieldOf(fields),
    minSize,
  };
}

/** Source of the generated functions, for tests and for reading what the compiler produced. */
export function recordCodecSource(fields: readonly FieldDef[]): { decode: string; size: string; write: string } {
  return { decode: decoderSource(fields), ...encoderSources(fields) };
}
