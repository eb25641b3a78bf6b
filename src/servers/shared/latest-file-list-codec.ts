// The binary codec of LatestFileList.bin (messages.md, "LatestFileList.bin"). It lives in servers/shared
// because both the patch server (writer) and the game servers' resource manager (reader) need it, and a
// server may not import another server.
//
// Layout of one table:
//   u32 record count
//   EXTENDEDBASE MSG_CUSTOMDICT: 02 01 | u16 length (header included) |
//     per field: u16 name length, name, u8 type code, u8 flag 0x28 |
//     field "_TargetTable" (type 9, flag 0x28) followed by the table name as a STR
//   count x EXTENDEDBASE MSG_CUSTOMRECORD: 02 02 | u16 length (header included) | values in dict order
// A UINT value is a u32 LE, a string is a STR (u16 byte length + UTF-8 bytes).

export const FieldTypeCode = { UINT: 3, STR: 9 } as const;
export type FieldType = keyof typeof FieldTypeCode;

export const EXTENDEDBASE_SERVICE = 2;
export const CUSTOMDICT_ORDER = 1;
export const CUSTOMRECORD_ORDER = 2;
const FIELD_FLAG = 0x28;
const TARGET_TABLE = '_TargetTable';
const MESSAGE_HEADER = 4;
const MAX_MESSAGE = 0xffff;

export interface TableField { readonly name: string; readonly type: FieldType }
export type FieldValue = number | string;
export interface FileListTable {
  readonly name: string;
  readonly fields: readonly TableField[];
  readonly records: ReadonlyArray<Readonly<Record<string, FieldValue>>>;
}

/** One file record of a package table, as the client reads it. */
export interface FileRecord {
  readonly SrcFileName: string;
  readonly TarFileName: string;
  readonly FileType: number;
  readonly Size: number;
  readonly HeaderSize: number;
  readonly CompressedHeaderSize: number;
  readonly CRC: number;
  readonly HeaderCRC: number;
}

export const FILE_RECORD_FIELDS: readonly TableField[] = [
  { name: 'SrcFileName', type: 'STR' },
  { name: 'TarFileName', type: 'STR' },
  { name: 'FileType', type: 'UINT' },
  { name: 'Size', type: 'UINT' },
  { name: 'HeaderSize', type: 'UINT' },
  { name: 'CompressedHeaderSize', type: 'UINT' },
  { name: 'CRC', type: 'UINT' },
  { name: 'HeaderCRC', type: 'UINT' },
];

/** Tables that are not packages of files. */
export const RESERVED_TABLES = ['_TableList', 'About', 'Base', 'PatchClient'] as const;
const NON_FILE_TABLES: ReadonlySet<string> = new Set(['_TableList', 'About']);

export interface DecodeLimits {
  /** Largest accepted input (bytes). */
  readonly maxBytes?: number;
  readonly maxTables?: number;
  readonly maxRecordsPerTable?: number;
  readonly maxFieldsPerTable?: number;
}
const DEFAULT_LIMITS: Required<DecodeLimits> = {
  maxBytes: 256 * 1024 * 1024, maxTables: 4096, maxRecordsPerTable: 1_000_000, maxFieldsPerTable: 256,
};

export class FileListDecodeError extends Error {
  readonly code = 'ERR_FILE_LIST_DECODE';
  constructor(message: string, readonly offset: number, options?: { cause?: unknown }) {
    super(`LatestFileList.bin at byte ${offset}: ${message}`, options);
    this.name = 'FileListDecodeError';
  }
}

export class FileListEncodeError extends Error {
  readonly code = 'ERR_FILE_LIST_ENCODE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FileListEncodeError';
  }
}

function strBytes(value: string, what: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > MAX_MESSAGE) throw new FileListEncodeError(`${what} is longer than 65535 bytes`);
  return bytes;
}

function messageHeader(order: number, length: number, what: string): Buffer {
  if (length > MAX_MESSAGE) throw new FileListEncodeError(`${what} needs ${length} bytes, more than a message holds (65535)`);
  const header = Buffer.allocUnsafe(MESSAGE_HEADER);
  header.writeUInt8(EXTENDEDBASE_SERVICE, 0);
  header.writeUInt8(order, 1);
  header.writeUInt16LE(length, 2);
  return header;
}

function encodeDict(table: FileListTable): Buffer[] {
  const parts: Buffer[] = [];
  const field = (name: string, code: number): void => {
    const bytes = strBytes(name, `field name "${name}"`);
    const head = Buffer.allocUnsafe(2);
    head.writeUInt16LE(bytes.length, 0);
    parts.push(head, bytes, Buffer.from([code, FIELD_FLAG]));
  };
  for (const f of table.fields) field(f.name, FieldTypeCode[f.type]);
  field(TARGET_TABLE, FieldTypeCode.STR);
  const name = strBytes(table.name, `table name "${table.name}"`);
  const nameHead = Buffer.allocUnsafe(2);
  nameHead.writeUInt16LE(name.length, 0);
  parts.push(nameHead, name);
  const length = MESSAGE_HEADER + parts.reduce((n, p) => n + p.length, 0);
  return [messageHeader(CUSTOMDICT_ORDER, length, `the dictionary of table ${table.name}`), ...parts];
}

function encodeRecord(table: FileListTable, record: Readonly<Record<string, FieldValue>>, index: number): Buffer[] {
  const parts: Buffer[] = [];
  for (const f of table.fields) {
    const value = record[f.name];
    if (f.type === 'UINT') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffffffff) {
        throw new FileListEncodeError(`table ${table.name} record ${index}: ${f.name} must be a u32, got ${String(value)}`);
      }
      const b = Buffer.allocUnsafe(4);
      b.writeUInt32LE(value, 0);
      parts.push(b);
    } else {
      if (typeof value !== 'string') {
        throw new FileListEncodeError(`table ${table.name} record ${index}: ${f.name} must be a string`);
      }
      const bytes = strBytes(value, `table ${table.name} record ${index} ${f.name}`);
      const head = Buffer.allocUnsafe(2);
      head.writeUInt16LE(bytes.length, 0);
      parts.push(head, bytes);
    }
  }
  const length = MESSAGE_HEADER + parts.reduce((n, p) => n + p.length, 0);
  return [messageHeader(CUSTOMRECORD_ORDER, length, `table ${table.name} record ${index}`), ...parts];
}

/** Encodes tables in the order given (the caller sorts them). */
export function encodeFileListTables(tables: readonly FileListTable[]): Buffer {
  const parts: Buffer[] = [];
  for (const table of tables) {
    const count = Buffer.allocUnsafe(4);
    count.writeUInt32LE(table.records.length, 0);
    parts.push(count, ...encodeDict(table));
    table.records.forEach((record, i) => parts.push(...encodeRecord(table, record, i)));
  }
  return Buffer.concat(parts);
}

class Cursor {
  offset = 0;
  constructor(readonly buf: Buffer, readonly end: number) {}
  need(n: number, what: string): void {
    if (this.offset + n > this.end) throw new FileListDecodeError(`${what} runs past the end of its message`, this.offset);
  }
  u8(what: string): number { this.need(1, what); return this.buf.readUInt8(this.offset++); }
  u16(what: string): number { this.need(2, what); const v = this.buf.readUInt16LE(this.offset); this.offset += 2; return v; }
  u32(what: string): number { this.need(4, what); const v = this.buf.readUInt32LE(this.offset); this.offset += 4; return v; }
  str(what: string): string {
    const n = this.u16(what);
    this.need(n, what);
    const s = this.buf.toString('utf8', this.offset, this.offset + n);
    this.offset += n;
    return s;
  }
}

function readMessage(buf: Buffer, offset: number, order: number, what: string): Cursor {
  if (offset + MESSAGE_HEADER > buf.length) throw new FileListDecodeError(`${what} header runs past the end of the file`, offset);
  const service = buf.readUInt8(offset);
  const got = buf.readUInt8(offset + 1);
  const length = buf.readUInt16LE(offset + 2);
  if (service !== EXTENDEDBASE_SERVICE || got !== order) {
    throw new FileListDecodeError(`expected ${what} (02 ${order.toString(16).padStart(2, '0')}), found ${service.toString(16).padStart(2, '0')} ${got.toString(16).padStart(2, '0')}`, offset);
  }
  if (length < MESSAGE_HEADER) throw new FileListDecodeError(`${what} length ${length} is shorter than its header`, offset);
  if (offset + length > buf.length) throw new FileListDecodeError(`${what} of ${length} bytes runs past the end of the file`, offset);
  const cursor = new Cursor(buf, offset + length);
  cursor.offset = offset + MESSAGE_HEADER;
  return cursor;
}

/** Decodes every table of a LatestFileList.bin. Throws FileListDecodeError on malformed or oversized input. */
export function decodeFileListTables(buf: Buffer, limits: DecodeLimits = {}): FileListTable[] {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  if (buf.length > lim.maxBytes) throw new FileListDecodeError(`file of ${buf.length} bytes exceeds the limit of ${lim.maxBytes}`, 0);
  const tables: FileListTable[] = [];
  let offset = 0;
  while (offset < buf.length) {
    if (tables.length >= lim.maxTables) throw new FileListDecodeError(`more than ${lim.maxTables} tables`, offset);
    if (offset + 4 > buf.length) throw new FileListDecodeError('truncated record count', offset);
    const count = buf.readUInt32LE(offset);
    if (count > lim.maxRecordsPerTable) throw new FileListDecodeError(`record count ${count} exceeds the limit of ${lim.maxRecordsPerTable}`, offset);
    offset += 4;
    const dict = readMessage(buf, offset, CUSTOMDICT_ORDER, 'MSG_CUSTOMDICT');
    const fields: TableField[] = [];
    let name: string | undefined;
    while (dict.offset < dict.end) {
      const fieldName = dict.str('field name');
      const code = dict.u8('field type');
      dict.u8('field flag');
      if (fieldName === TARGET_TABLE) {
        name = dict.str('table name');
        break;
      }
      const type = code === FieldTypeCode.UINT ? 'UINT' : code === FieldTypeCode.STR ? 'STR' : undefined;
      if (type === undefined) throw new FileListDecodeError(`field ${fieldName} has unknown type code ${code}`, dict.offset - 2);
      if (fields.length >= lim.maxFieldsPerTable) throw new FileListDecodeError(`more than ${lim.maxFieldsPerTable} fields`, dict.offset);
      if (fieldName === '__proto__') throw new FileListDecodeError('field named __proto__', dict.offset);
      if (fields.some((f) => f.name === fieldName)) throw new FileListDecodeError(`duplicate field ${fieldName}`, dict.offset);
      fields.push({ name: fieldName, type });
    }
    if (name === undefined) throw new FileListDecodeError('dictionary without _TargetTable', dict.offset);
    if (dict.offset !== dict.end) throw new FileListDecodeError(`${dict.end - dict.offset} unexpected bytes after _TargetTable`, dict.offset);
    offset = dict.end;
    const records: Record<string, FieldValue>[] = [];
    for (let i = 0; i < count; i++) {
      const rec = readMessage(buf, offset, CUSTOMRECORD_ORDER, `MSG_CUSTOMRECORD ${i} of table ${name}`);
      const record: Record<string, FieldValue> = {};
      for (const f of fields) record[f.name] = f.type === 'UINT' ? rec.u32(f.name) : rec.str(f.name);
      if (rec.offset !== rec.end) throw new FileListDecodeError(`record ${i} of table ${name} has ${rec.end - rec.offset} extra bytes`, rec.offset);
      records.push(record);
      offset = rec.end;
    }
    tables.push({ name, fields, records });
  }
  return tables;
}

/** The file records of every package table (everything but _TableList and About), each with its table name. */
export function fileRecordsOf(tables: readonly FileListTable[]): Array<FileRecord & { readonly table: string }> {
  const out: Array<FileRecord & { readonly table: string }> = [];
  for (const table of tables) {
    if (NON_FILE_TABLES.has(table.name)) continue;
    const has = new Map(table.fields.map((f) => [f.name, f.type]));
    if (has.get('SrcFileName') !== 'STR' || has.get('CRC') !== 'UINT' || has.get('Size') !== 'UINT') continue;
    for (const r of table.records) {
      const num = (k: string): number => (typeof r[k] === 'number' ? (r[k] as number) : 0);
      const str = (k: string): string => (typeof r[k] === 'string' ? (r[k] as string) : '');
      out.push({
        table: table.name, SrcFileName: str('SrcFileName'), TarFileName: str('TarFileName'), FileType: num('FileType'),
        Size: num('Size'), HeaderSize: num('HeaderSize'), CompressedHeaderSize: num('CompressedHeaderSize'),
        CRC: num('CRC'), HeaderCRC: num('HeaderCRC'),
      });
    }
  }
  return out;
}
