// LatestFileList.xml, the text twin of the .bin: <LatestFileList> with one element per table holding
// <RECORD> entries whose fields carry a TYPE attribute (UINT or STR). Built and read with fast-xml-parser
// so names holding & < > are escaped and unescaped correctly.
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import type { FieldType, FileListTable, TableField } from '../shared/latest-file-list-codec.js';
import { PatchError } from './errors.js';

export class FileListXmlError extends PatchError {
  constructor(message: string, options?: { cause?: unknown }) { super('ERR_FILE_LIST_XML', message, options); }
}

type Node = Record<string, unknown>;

export function encodeFileListXml(tables: readonly FileListTable[]): Buffer {
  const builder = new XMLBuilder({
    preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '@_', format: true, indentBy: '  ',
    suppressEmptyNode: false, processEntities: true,
  });
  const tableNodes: Node[] = tables.map((table) => ({
    [table.name]: table.records.map((record) => ({
      RECORD: table.fields.map((f) => ({
        [f.name]: [{ '#text': String(record[f.name] ?? (f.type === 'UINT' ? 0 : '')) }],
        ':@': { '@_TYPE': f.type },
      })),
    })),
  }));
  const xml = builder.build([{ '?xml': [{ '#text': '' }], ':@': { '@_version': '1.0', '@_encoding': 'UTF-8' } },
    { LatestFileList: tableNodes }]) as string;
  return Buffer.from(xml, 'utf8');
}

/** Reads LatestFileList.xml back into tables; field order and types come from the first record of each table. */
export function decodeFileListXml(xml: Buffer | string): FileListTable[] {
  const parser = new XMLParser({
    preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false,
    trimValues: false, processEntities: true, ignoreDeclaration: true,
  });
  let doc: Node[];
  try {
    doc = parser.parse(typeof xml === 'string' ? xml : xml.toString('utf8')) as Node[];
  } catch (error) {
    throw new FileListXmlError('LatestFileList.xml is not well-formed XML', { cause: error });
  }
  const root = doc.find((n) => 'LatestFileList' in n);
  if (root === undefined) throw new FileListXmlError('no <LatestFileList> element');
  const tables: FileListTable[] = [];
  for (const tableNode of root.LatestFileList as Node[]) {
    const name = Object.keys(tableNode).find((k) => k !== ':@' && k !== '#text');
    if (name === undefined) continue;
    let fields: TableField[] | undefined;
    const records: Record<string, number | string>[] = [];
    for (const recordNode of tableNode[name] as Node[]) {
      if (!('RECORD' in recordNode)) continue;
      const record: Record<string, number | string> = {};
      const seen: TableField[] = [];
      for (const fieldNode of recordNode.RECORD as Node[]) {
        const fieldName = Object.keys(fieldNode).find((k) => k !== ':@' && k !== '#text');
        if (fieldName === undefined) continue;
        if (fieldName === '__proto__') throw new FileListXmlError(`table ${name} has a field named __proto__`);
        const type = (fieldNode[':@'] as Node | undefined)?.['@_TYPE'];
        if (type !== 'UINT' && type !== 'STR') throw new FileListXmlError(`table ${name} field ${fieldName} has TYPE ${String(type)}`);
        const text = (fieldNode[fieldName] as Node[]).map((t) => String(t['#text'] ?? '')).join('');
        if (type === 'UINT') {
          const n = Number(text.trim());
          if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new FileListXmlError(`table ${name} field ${fieldName}: ${text} is not a u32`);
          record[fieldName] = n;
        } else {
          record[fieldName] = text;
        }
        seen.push({ name: fieldName, type: type as FieldType });
      }
      fields ??= seen;
      records.push(record);
    }
    tables.push({ name, fields: fields ?? [], records });
  }
  return tables;
}
