// Bit constants of the format (objectproperty.md "Property flags" and
// "Serializer flags").

export const PropertyFlags = {
  SAVE: 1 << 0,
  COPY: 1 << 1,
  PUBLIC: 1 << 2,
  TRANSMIT: 1 << 3,
  PRIVILEGED_TRANSMIT: 1 << 4,
  PERSIST: 1 << 5,
  DEPRECATED: 1 << 6,
  NOSCRIPT: 1 << 7,
  DELTA_ENCODE: 1 << 8,
  BLOB: 1 << 9,
  NOEDIT: 1 << 16,
  FILENAME: 1 << 17,
  COLOR: 1 << 18,
  CONSTRAINED_VALUE: 1 << 19,
  BITS: 1 << 20,
  ENUM: 1 << 21,
  LOCALIZED: 1 << 22,
  STRING_KEY: 1 << 23,
  OBJECT_ID: 1 << 24,
  REFERENCE_ID: 1 << 25,
  RADIANS: 1 << 26,
  OBJECT_NAME: 1 << 27,
  HAS_BASECLASS: 1 << 28,
  IS_BEHAVIOR: 1 << 29,
  ASSET: 1 << 30,
} as const;

export const SerializerFlags = {
  /** The flags word is stored at the start of the data and replaces the configured flags. */
  STATEFUL_FLAGS: 1 << 0,
  /** Length prefixes are 1 bit + 7 or 31 bits, unaligned. */
  COMPACT_LENGTH_PREFIXES: 1 << 1,
  /** Enums are written as their option names. */
  HUMAN_READABLE_ENUMS: 1 << 2,
  /** A compression header (u8 toggle, then u32 length + zlib) follows the flags. */
  WITH_COMPRESSION: 1 << 3,
  /** Every delta-encoded property must be present. */
  FORBID_DELTA_ENCODE: 1 << 4,
} as const;

/** The network property mask: TRANSMIT | PRIVILEGED_TRANSMIT. */
export const NETWORK_PROPERTY_MASK = PropertyFlags.TRANSMIT | PropertyFlags.PRIVILEGED_TRANSMIT;
