// How each element type string is laid out in the bit stream (the values table
// of objectproperty.md). Resolved once per property when the dump is loaded.

export const Kind = {
  Bool: 0,
  UBits: 1,
  SBits: 2,
  U8: 3,
  I8: 4,
  U16: 5,
  I16: 6,
  U32: 7,
  I32: 8,
  F32: 9,
  F64: 10,
  U64: 11,
  I64: 12,
  String: 13,
  WString: 14,
  /** A fixed record of same-typed fields (Color, Vector3D, Point, ...). */
  Record: 15,
  /** A fixed array of floats (Matrix3x3). */
  FloatArray: 16,
  Object: 17,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

export type ElementKind = typeof Kind.U8 | typeof Kind.I32 | typeof Kind.U32 | typeof Kind.F32;

export interface ValueType {
  readonly kind: Kind;
  /** Width of UBits/SBits. */
  readonly bits: number;
  /** Field names of a Record, in stream order. */
  readonly fields: readonly string[];
  /** Element of a Record or FloatArray. */
  readonly element: ElementKind;
  /** Length of a FloatArray. */
  readonly count: number;
}

const simple = (kind: Kind, bits = 0): ValueType => ({ kind, bits, fields: [], element: Kind.U8, count: 0 });
const record = (fields: string[], element: ElementKind): ValueType => ({ kind: Kind.Record, bits: 0, fields, element, count: 0 });

const TABLE: Record<string, ValueType> = {
  'bool': simple(Kind.Bool),
  'char': simple(Kind.I8),
  'unsigned char': simple(Kind.U8),
  'short': simple(Kind.I16),
  'unsigned short': simple(Kind.U16),
  'wchar_t': simple(Kind.U16),
  'int': simple(Kind.I32),
  'unsigned int': simple(Kind.U32),
  'long': simple(Kind.I32),
  'unsigned long': simple(Kind.U32),
  'float': simple(Kind.F32),
  'double': simple(Kind.F64),
  '__int64': simple(Kind.I64),
  'unsigned __int64': simple(Kind.U64),
  'gid': simple(Kind.U64),
  'union gid': simple(Kind.U64),
  's24': simple(Kind.SBits, 24),
  'u24': simple(Kind.UBits, 24),
  'std::string': simple(Kind.String),
  'std::wstring': simple(Kind.WString),
  'class Color': record(['b', 'g', 'r', 'a'], Kind.U8),
  'class Vector3D': record(['x', 'y', 'z'], Kind.F32),
  'class Euler': record(['pitch', 'yaw', 'roll'], Kind.F32),
  // Stream order as read by katsuba (w first); the spec only says "4 floats".
  'class Quaternion': record(['w', 'x', 'y', 'z'], Kind.F32),
  'class Matrix3x3': { kind: Kind.FloatArray, bits: 0, fields: [], element: Kind.F32, count: 9 },
};
for (let n = 2; n <= 7; n++) {
  TABLE[`bi${n}`] = simple(Kind.SBits, n);
  TABLE[`bui${n}`] = simple(Kind.UBits, n);
}
const ELEMENTS: Record<string, ElementKind> = { 'int': Kind.I32, 'float': Kind.F32, 'unsigned int': Kind.U32, 'unsigned': Kind.U32 };
for (const [element, kind] of Object.entries(ELEMENTS)) {
  TABLE[`class Point<${element}>`] = record(['x', 'y'], kind);
  TABLE[`class Size<${element}>`] = record(['width', 'height'], kind);
  TABLE[`class Rect<${element}>`] = record(['left', 'top', 'right', 'bottom'], kind);
}

const OBJECT = simple(Kind.Object);

/** The layout of a type string; anything not in the table is a nested object. */
export function valueTypeOf(type: string): ValueType {
  return TABLE[type] ?? OBJECT;
}

const ELEMENT_BITS: Record<ElementKind, number> = { [Kind.U8]: 8, [Kind.I32]: 32, [Kind.U32]: 32, [Kind.F32]: 32 };

/** The fewest bits one value of this type can take: bounds list counts by the bits left. */
export function minBits(t: ValueType, isEnum: boolean, enumsAsStrings: boolean, compactPrefixes: boolean): number {
  const stringMin = compactPrefixes ? 8 : 16;
  if (isEnum) return enumsAsStrings ? stringMin : 32;
  switch (t.kind) {
    case Kind.Bool: return 1;
    case Kind.UBits: case Kind.SBits: return t.bits;
    case Kind.U8: case Kind.I8: return 8;
    case Kind.U16: case Kind.I16: return 16;
    case Kind.U32: case Kind.I32: case Kind.F32: return 32;
    case Kind.F64: case Kind.U64: case Kind.I64: return 64;
    case Kind.String: case Kind.WString: return stringMin;
    case Kind.Record: return t.fields.length * ELEMENT_BITS[t.element];
    case Kind.FloatArray: return t.count * 32;
    default: return 32;
  }
}
