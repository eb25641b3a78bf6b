// DML element types (wire-protocol.md section 3) and the spellings of them found in client files.

export const ElementType = {
  BYT: 'BYT',
  UBYT: 'UBYT',
  BOOL: 'BOOL',
  SHRT: 'SHRT',
  USHRT: 'USHRT',
  INT: 'INT',
  UINT: 'UINT',
  FLT: 'FLT',
  DBL: 'DBL',
  GID: 'GID',
  STR: 'STR',
  WSTR: 'WSTR',
} as const;
export type ElementType = (typeof ElementType)[keyof typeof ElementType];

/** Wire size of fixed-size types; 0 for the length-prefixed STR and WSTR. */
export const ELEMENT_FIXED_SIZE: Readonly<Record<ElementType, number>> = {
  BYT: 1, UBYT: 1, BOOL: 1, SHRT: 2, USHRT: 2, INT: 4, UINT: 4, FLT: 4, DBL: 8, GID: 8, STR: 0, WSTR: 0,
};

const ALIASES: Readonly<Record<string, ElementType>> = {
  UBYTE: 'UBYT', BYTE: 'BYT', CHAR: 'BYT', UCHAR: 'UBYT', BOOLEAN: 'BOOL',
  SHORT: 'SHRT', USHORT: 'USHRT', UNSIGNED_SHORT: 'USHRT', INT32: 'INT', UINT32: 'UINT', UNSIGNED_INT: 'UINT',
  FLOAT: 'FLT', DOUBLE: 'DBL', GUID: 'GID', STRING: 'STR', WSTRING: 'WSTR',
};

/** The element type a TYPE attribute value means, tolerating case, spaces and known aliases. */
export function parseElementType(raw: string): ElementType | undefined {
  const key = raw.trim().toUpperCase().replace(/\s+/g, '_');
  if (Object.hasOwn(ElementType, key)) return key as ElementType;
  return Object.hasOwn(ALIASES, key) ? ALIASES[key] : undefined;
}
