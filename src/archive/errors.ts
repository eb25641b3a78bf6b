// Every failure of the KIWAD reader and writer, each with a stable code.
// Codes are never reused; docs/archive.md lists them (a test checks it).

export const WadErrorCode = {
  BadMagic: 'ERR_WAD_MAGIC',
  BadVersion: 'ERR_WAD_VERSION',
  Truncated: 'ERR_WAD_TRUNCATED',
  BadCount: 'ERR_WAD_COUNT',
  BadName: 'ERR_WAD_NAME',
  OutOfRange: 'ERR_WAD_RANGE',
  WrongSize: 'ERR_WAD_SIZE',
  Inflate: 'ERR_WAD_INFLATE',
  CrcMismatch: 'ERR_WAD_CRC',
  Placeholder: 'ERR_WAD_PLACEHOLDER',
  EntryTooLarge: 'ERR_WAD_ENTRY_TOO_LARGE',
  NotFound: 'ERR_WAD_NOT_FOUND',
  Closed: 'ERR_WAD_CLOSED',
  BadInput: 'ERR_WAD_WRITE_INPUT',
} as const;
export type WadErrorCode = (typeof WadErrorCode)[keyof typeof WadErrorCode];

export class WadError extends Error {
  override readonly name: string = 'WadError';
  readonly code: WadErrorCode;
  /** The entry concerned, when the error is about one entry. */
  readonly entryName: string | undefined;

  constructor(code: WadErrorCode, message: string, options: { entryName?: string; cause?: unknown } = {}) {
    super(options.entryName === undefined ? message : `${message} (entry "${options.entryName}")`, { cause: options.cause });
    this.code = code;
    this.entryName = options.entryName;
  }
}

/** Not a KIWAD file: the first five bytes are not "KIWAD". */
export class WadMagicError extends WadError {
  override readonly name = 'WadMagicError';
  constructor() {
    super(WadErrorCode.BadMagic, 'not a KIWAD archive: bad magic');
  }
}

export class WadVersionError extends WadError {
  override readonly name = 'WadVersionError';
  constructor(readonly version: number) {
    super(WadErrorCode.BadVersion, `unsupported KIWAD version ${version} (expected 1 or 2)`);
  }
}

/** The header or the index ends before the file does. */
export class WadTruncatedError extends WadError {
  override readonly name = 'WadTruncatedError';
  constructor(message: string, entryName?: string) {
    super(WadErrorCode.Truncated, message, entryName === undefined ? {} : { entryName });
  }
}

/** An entry count that the file is too small to hold. */
export class WadCountError extends WadError {
  override readonly name = 'WadCountError';
  constructor(readonly count: number, readonly limit: number) {
    super(WadErrorCode.BadCount, `entry count ${count} is impossible for this file (at most ${limit})`);
  }
}

export class WadNameError extends WadError {
  override readonly name = 'WadNameError';
  constructor(message: string, entryName?: string) {
    super(WadErrorCode.BadName, message, entryName === undefined ? {} : { entryName });
  }
}

/** The stored bytes of an entry run past the end of the file. */
export class WadRangeError extends WadError {
  override readonly name = 'WadRangeError';
  constructor(entryName: string, readonly offset: number, readonly storedSize: number, readonly fileSize: number) {
    super(WadErrorCode.OutOfRange, `data range ${offset}+${storedSize} runs past the end of the file (${fileSize} bytes)`, { entryName });
  }
}

/** A compressed entry that inflates to another size than its index says. */
export class WadSizeError extends WadError {
  override readonly name = 'WadSizeError';
  constructor(entryName: string, readonly expected: number, readonly actual: string) {
    super(WadErrorCode.WrongSize, `inflated size ${actual} differs from the declared ${expected}`, { entryName });
  }
}

/** A compressed entry that is not a valid zlib stream. */
export class WadInflateError extends WadError {
  override readonly name = 'WadInflateError';
  constructor(entryName: string, cause: unknown) {
    super(WadErrorCode.Inflate, `corrupt zlib stream: ${cause instanceof Error ? cause.message : String(cause)}`, { entryName, cause });
  }
}

export class WadCrcError extends WadError {
  override readonly name = 'WadCrcError';
  constructor(entryName: string, readonly expected: number, readonly actual: number) {
    super(WadErrorCode.CrcMismatch, `CRC mismatch: index says 0x${hex(expected)}, data gives 0x${hex(actual)}`, { entryName });
  }
}

/** An unpatched placeholder (all-zero stored bytes, CRC mismatch): not corruption, but no data either. */
export class WadPlaceholderError extends WadError {
  override readonly name = 'WadPlaceholderError';
  constructor(entryName: string) {
    super(WadErrorCode.Placeholder, 'entry is an unpatched placeholder (all-zero data)', { entryName });
  }
}

export class WadEntryTooLargeError extends WadError {
  override readonly name = 'WadEntryTooLargeError';
  constructor(entryName: string, readonly size: number, readonly limit: number) {
    super(WadErrorCode.EntryTooLarge, `declared size ${size} exceeds the limit of ${limit} bytes`, { entryName });
  }
}

export class WadNotFoundError extends WadError {
  override readonly name = 'WadNotFoundError';
  constructor(entryName: string) {
    super(WadErrorCode.NotFound, 'no such entry', { entryName });
  }
}

export class WadClosedError extends WadError {
  override readonly name = 'WadClosedError';
  constructor() {
    super(WadErrorCode.Closed, 'the archive is closed');
  }
}

/** Input the writer cannot put in a KIWAD archive. */
export class WadWriteInputError extends WadError {
  override readonly name = 'WadWriteInputError';
  constructor(message: string, entryName?: string, cause?: unknown) {
    super(WadErrorCode.BadInput, message, { ...(entryName === undefined ? {} : { entryName }), cause });
  }
}

function hex(n: number): string {
  return n.toString(16).toUpperCase().padStart(8, '0');
}
