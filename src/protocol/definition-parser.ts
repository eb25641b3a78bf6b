// Reads the client's message definition XML (wire-protocol.md section 4). The game's authors do not
// lint these files, so the reader tolerates what it can recognise (misspelt TYPE attributes, type
// aliases, stray spaces, duplicated tags) and records a warning; what it cannot use it reports as a
// DefinitionError naming the file and element, or marks the one record unusable.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseElementType } from './element-type.js';
import type { FieldDef, ProtocolSpec, RecordSpec } from './definition-types.js';
import { DefinitionError } from './errors.js';

type XmlNode = Record<string, unknown>;

const PROTOCOL_INFO = '_ProtocolInfo';
const METADATA_FIELDS = new Set(['_MsgOrder', '_MsgName', '_MsgDescription', '_MsgHandler', '_MsgAccessLvl']);
/** A field name that would set the decoded object's prototype instead of becoming a property. */
const FORBIDDEN_FIELD_NAMES = new Set(['__proto__']);
/** Wraps the document so that files without a single root element still parse. */
const WRAPPER_OPEN = '<_ImlightRoot>';
const WRAPPER_CLOSE = '</_ImlightRoot>';

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
});

function tagOf(node: XmlNode): string | undefined {
  for (const key of Object.keys(node)) if (key !== ':@' && key !== '#text') return key;
  return undefined;
}
function childrenOf(node: XmlNode, tag: string): XmlNode[] {
  const value = node[tag];
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}
function elementsOf(nodes: XmlNode[]): { tag: string; node: XmlNode }[] {
  const out: { tag: string; node: XmlNode }[] = [];
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag !== undefined) out.push({ tag, node });
  }
  return out;
}
function textOf(node: XmlNode, tag: string): string {
  let text = '';
  for (const child of childrenOf(node, tag)) if (typeof child['#text'] === 'string' || typeof child['#text'] === 'number') text += String(child['#text']);
  return text.trim();
}
function attributesOf(node: XmlNode): Record<string, string> {
  const attrs = node[':@'];
  return attrs !== null && typeof attrs === 'object' ? (attrs as Record<string, string>) : {};
}

/** TYPE as written, or a recognisable misspelling: any case, a permutation of its letters, or one edit away. */
function isTypeAttribute(name: string): boolean {
  const key = name.trim().toUpperCase();
  if (key === 'TYPE') return true;
  if (key.length === 4 && [...key].sort().join('') === 'EPTY') return true;
  return key.length >= 3 && key.length <= 5 && editDistance(key, 'TYPE') === 1;
}
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

function isNoXfer(attrs: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(attrs)) {
    if (key.trim().toUpperCase() === 'NOXFER') return /^\s*(true|1|yes)\s*$/i.test(String(value));
  }
  return false;
}
function typeAttribute(attrs: Record<string, string>): { attribute: string; value: string } | undefined {
  for (const [key, value] of Object.entries(attrs)) if (isTypeAttribute(key)) return { attribute: key, value: String(value) };
  return undefined;
}

function findRecord(file: string, tag: string, node: XmlNode): XmlNode[] {
  const record = elementsOf(childrenOf(node, tag)).find((e) => e.tag.trim().toUpperCase() === 'RECORD');
  if (record === undefined) throw new DefinitionError(file, tag, 'has no <RECORD> child');
  return childrenOf(record.node, record.tag);
}

function parseInteger(text: string): number | undefined {
  const t = text.trim();
  if (!/^[+-]?(\d+|0x[0-9a-f]+)$/i.test(t)) return undefined;
  const value = Number(t.replace(/^\+/, ''));
  return Number.isSafeInteger(value) ? value : undefined;
}

function readProtocolInfo(file: string, node: XmlNode): { serviceId: number; name: string; version: number; description: string } {
  const values = new Map<string, string>();
  for (const field of elementsOf(findRecord(file, PROTOCOL_INFO, node))) values.set(field.tag.trim().toLowerCase(), textOf(field.node, field.tag));
  const serviceId = parseInteger(values.get('serviceid') ?? '');
  if (serviceId === undefined || serviceId < 0 || serviceId > 255) {
    throw new DefinitionError(file, `${PROTOCOL_INFO}/ServiceID`, `missing or not a service id 0..255 (got ${JSON.stringify(values.get('serviceid') ?? null)})`);
  }
  const name = (values.get('protocoltype') ?? '').trim();
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new DefinitionError(file, `${PROTOCOL_INFO}/ProtocolType`, `missing or not a name (got ${JSON.stringify(values.get('protocoltype') ?? null)})`);
  }
  return {
    serviceId,
    name: name.toUpperCase(),
    version: parseInteger(values.get('protocolversion') ?? '') ?? 0,
    description: values.get('protocoldescription') ?? '',
  };
}

interface RawRecord {
  tag: string;
  explicitOrder: number | undefined;
  accessLevel: number;
  description: string;
  fields: FieldDef[];
  unusable: string | undefined;
}

function readRecord(file: string, tag: string, node: XmlNode, warnings: string[]): RawRecord {
  const raw: RawRecord = { tag, explicitOrder: undefined, accessLevel: 0, description: '', fields: [], unusable: undefined };
  const seen = new Set<string>();
  for (const field of elementsOf(findRecord(file, tag, node))) {
    const attrs = attributesOf(field.node);
    const where = `${tag}/${field.tag}`;
    if (METADATA_FIELDS.has(field.tag)) {
      const text = textOf(field.node, field.tag);
      if (field.tag === '_MsgOrder') {
        const order = parseInteger(text);
        if (order === undefined || order < 1 || order > 255) warnings.push(`${file} <${where}>: order ${JSON.stringify(text)} is not 1..255; the sorted-tag rule applies`);
        else raw.explicitOrder = order;
      } else if (field.tag === '_MsgAccessLvl') {
        const level = parseInteger(text);
        if (level === undefined || level < 0 || level > 255) warnings.push(`${file} <${where}>: access level ${JSON.stringify(text)} is not 0..255; 0 applies`);
        else raw.accessLevel = level;
      } else if (field.tag === '_MsgDescription') {
        raw.description = text;
      }
      continue;
    }
    if (isNoXfer(attrs)) continue;
    const typeAttr = typeAttribute(attrs);
    if (typeAttr !== undefined && typeAttr.attribute !== 'TYPE') warnings.push(`${file} <${where}>: attribute ${JSON.stringify(typeAttr.attribute)} read as TYPE`);
    const type = typeAttr === undefined ? undefined : parseElementType(typeAttr.value);
    if (type === undefined) {
      const reason = typeAttr === undefined ? `field ${field.tag} has no TYPE attribute` : `field ${field.tag} has unknown TYPE ${JSON.stringify(typeAttr.value)}`;
      warnings.push(`${file} <${where}>: ${reason}; the record is unusable`);
      raw.unusable ??= reason;
      continue;
    }
    let name = field.tag;
    if (FORBIDDEN_FIELD_NAMES.has(name)) {
      throw new DefinitionError(file, where, `field name ${JSON.stringify(name)} is not allowed`);
    }
    if (seen.has(name)) {
      let n = 2;
      while (seen.has(`${field.tag}_${n}`)) n++;
      name = `${field.tag}_${n}`;
      warnings.push(`${file} <${where}>: duplicated field name, the later one is named ${name}`);
    }
    seen.add(name);
    raw.fields.push({ name, type });
  }
  return raw;
}

function ordinalCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Parses one definition file. `file` is only used to name it in errors and warnings.
 * Throws DefinitionError for malformed XML or a missing/invalid `_ProtocolInfo`.
 */
export function parseDefinitionXml(xml: string | Buffer, file: string): ProtocolSpec {
  let text = typeof xml === 'string' ? xml : xml.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // The declaration must stay first, so it is blanked (same length keeps line and column numbers right).
  text = text.replace(/^\s*<\?xml[^>]*\?>/, (decl) => ' '.repeat(decl.length));
  const wrap = !/<!DOCTYPE/i.test(text);
  if (wrap) text = `${WRAPPER_OPEN}${text}${WRAPPER_CLOSE}`;
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const column = wrap && valid.err.line === 1 ? Math.max(1, valid.err.col - WRAPPER_OPEN.length) : valid.err.col;
    throw new DefinitionError(file, undefined, `malformed XML at line ${valid.err.line}, column ${column}: ${valid.err.msg}`);
  }
  let tree: XmlNode[];
  try {
    tree = parser.parse(text) as XmlNode[];
  } catch (error) {
    throw new DefinitionError(file, undefined, `cannot parse XML: ${(error as Error).message}`, { cause: error });
  }
  if (wrap) tree = childrenOf(tree.find((n) => WRAPPER_OPEN.slice(1, -1) in n) ?? {}, WRAPPER_OPEN.slice(1, -1));
  let top = elementsOf(tree);
  // Client files wrap everything in one root element (e.g. <GameMessages>); accept files without it too.
  if (!top.some((e) => e.tag === PROTOCOL_INFO) && top.length === 1) top = elementsOf(childrenOf(top[0]!.node, top[0]!.tag));
  const infoElement = top.find((e) => e.tag === PROTOCOL_INFO);
  if (infoElement === undefined) throw new DefinitionError(file, PROTOCOL_INFO, 'missing: a definition file must begin with _ProtocolInfo');
  const info = readProtocolInfo(file, infoElement.node);

  const warnings: string[] = [];
  // Duplicated tags collapse into one message; the later definition wins, as in a keyed table.
  const byTag = new Map<string, RawRecord>();
  for (const element of top) {
    if (element.tag === PROTOCOL_INFO) continue;
    if (byTag.has(element.tag)) warnings.push(`${file} <${element.tag}>: tag appears more than once; the later definition is used`);
    byTag.set(element.tag, readRecord(file, element.tag, element.node, warnings));
  }
  const sortedTags = [...byTag.keys()].sort(ordinalCompare);
  const byOrder = new Map<number, RecordSpec>();
  for (const [i, tag] of sortedTags.entries()) {
    const raw = byTag.get(tag)!;
    const order = raw.explicitOrder ?? i + 1;
    if (order > 255) {
      warnings.push(`${file} <${tag}>: sorted position ${order} does not fit a message order byte; the message is skipped`);
      continue;
    }
    const previous = byOrder.get(order);
    if (previous !== undefined) warnings.push(`${file} <${tag}>: order ${order} already used by ${previous.name}; ${tag} replaces it`);
    const record: RecordSpec = {
      name: tag,
      order,
      accessLevel: raw.accessLevel,
      description: raw.description,
      fields: raw.fields,
      ...(raw.unusable === undefined ? {} : { unusable: raw.unusable }),
    };
    byOrder.set(order, record);
  }
  const records = [...byOrder.values()].sort((a, b) => a.order - b.order);
  return { ...info, source: file, records, warnings };
}
