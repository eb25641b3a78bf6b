// Errors of the ObjectProperty codec. Every failure caused by input bytes or a
// type dump is one of these, with a stable `code`, so callers can reply with an
// error instead of crashing.

export class ObjectPropertyError extends Error {
  readonly code: string;
  /**
   * Verbose mode: where the failure happened, outermost first
   * (`class WizZoneData.m_objectList > class ClientObjectInfo.m_zoneTag`); undefined elsewhere.
   */
  propertyPath: string | undefined;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The type dump JSON is malformed; the message names the class and property. */
export class TypeDumpError extends ObjectPropertyError {
  readonly className: string | undefined;
  readonly propertyName: string | undefined;
  constructor(message: string, where: { className?: string; propertyName?: string } = {}, options?: { cause?: unknown }) {
    const place = where.className === undefined ? '' :
      where.propertyName === undefined ? ` (class ${JSON.stringify(where.className)})` :
        ` (class ${JSON.stringify(where.className)}, property ${JSON.stringify(where.propertyName)})`;
    super('ERR_OP_TYPE_DUMP', `${message}${place}`, options);
    this.className = where.className;
    this.propertyName = where.propertyName;
  }
}

/** The data ended before a value was complete. */
export class TruncatedError extends ObjectPropertyError {
  constructor(readonly bitPosition: number, readonly neededBits: number, readonly availableBits: number) {
    super('ERR_OP_TRUNCATED', `data truncated at bit ${bitPosition}: need ${neededBits} bits, ${availableBits} left`);
  }
}

/** A length prefix, list count or size field asks for more than the data can hold or a limit allows. */
export class LengthError extends ObjectPropertyError {
  constructor(message: string) {
    super('ERR_OP_LENGTH', message);
  }
}

/** A class hash that the type dump does not know. */
export class UnknownClassError extends ObjectPropertyError {
  constructor(readonly hash: number, context: string) {
    super('ERR_OP_UNKNOWN_CLASS', `unknown class hash ${hash} (0x${hash.toString(16).padStart(8, '0')}) ${context}`);
  }
}

/** A property hash (verbose mode) or field name (encoding) that the class does not have. */
export class UnknownPropertyError extends ObjectPropertyError {
  constructor(readonly className: string, readonly property: string) {
    super('ERR_OP_UNKNOWN_PROPERTY', `class ${JSON.stringify(className)} has no property ${property}`);
  }
}

/** Nesting deeper than the configured limit. */
export class DepthLimitError extends ObjectPropertyError {
  constructor(readonly limit: number) {
    super('ERR_OP_DEPTH', `objects nested deeper than ${limit}`);
  }
}

/** The sizes recorded in verbose mode disagree with the data. */
export class SizeMismatchError extends ObjectPropertyError {
  constructor(message: string) {
    super('ERR_OP_SIZE_MISMATCH', message);
  }
}

/** A zlib stream is corrupt, too large or inflates to the wrong size. */
export class CompressionError extends ObjectPropertyError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_OP_COMPRESSION', message, options);
  }
}

/** The root object is null, or a blob lacks its magic. */
export class FramingError extends ObjectPropertyError {
  constructor(message: string) {
    super('ERR_OP_FRAMING', message);
  }
}

/** An enum value that matches no option of its property. */
export class EnumValueError extends ObjectPropertyError {
  constructor(readonly className: string, readonly property: string, value: unknown) {
    super('ERR_OP_ENUM', `property ${JSON.stringify(property)} of ${JSON.stringify(className)}: no enum option for ${JSON.stringify(String(value))}`);
  }
}

/** A delta-encoded property is missing although flag bit 4 requires every one. */
export class MissingDeltaError extends ObjectPropertyError {
  constructor(readonly className: string, readonly property: string) {
    super('ERR_OP_MISSING_DELTA', `property ${JSON.stringify(property)} of ${JSON.stringify(className)} is absent but serializer flag bit 4 requires it`);
  }
}

/** The value given to the encoder does not fit the property's type. */
export class EncodeValueError extends ObjectPropertyError {
  constructor(readonly path: string, message: string) {
    super('ERR_OP_ENCODE_VALUE', `${path}: ${message}`);
  }
}

/** The character stand-in blob ("IMCH") is malformed. */
export class CharacterBlobError extends ObjectPropertyError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_OP_CHARACTER_BLOB', message, options);
  }
}
