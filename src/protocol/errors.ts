// Every failure the protocol library can report. Each class carries a stable `code` (never reused)
// so callers and logs can tell failures apart without parsing messages. Bytes from a peer only ever
// produce these errors; anything else escaping a decoder is a bug.

export abstract class ProtocolError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

// ---- frames ---------------------------------------------------------------------------------

export abstract class FrameError extends ProtocolError {}

/** The two bytes where a frame must start are not 0D F0. The stream cannot be resynchronised. */
export class BadStartSignalError extends FrameError {
  readonly code = 'ERR_FRAME_START';
  constructor(readonly found: number, readonly streamOffset: number) {
    super(`bad frame start signal 0x${found.toString(16).padStart(4, '0')} at stream offset ${streamOffset} (expected 0xf00d)`);
  }
}

/** The declared body length is above the reader's cap. */
export class FrameTooLargeError extends FrameError {
  readonly code = 'ERR_FRAME_TOO_LARGE';
  constructor(readonly bodyLength: number, readonly maxBodyLength: number) {
    super(`frame body of ${bodyLength} bytes exceeds the limit of ${maxBodyLength} bytes`);
  }
}

/** The declared body length cannot even hold the 4-byte body header. */
export class FrameTooShortError extends FrameError {
  readonly code = 'ERR_FRAME_SHORT';
  constructor(readonly bodyLength: number) {
    super(`frame body of ${bodyLength} bytes is shorter than its 4-byte header`);
  }
}

// ---- control messages -----------------------------------------------------------------------

/** A control message payload too short for its layout, or with an inconsistent inner length. */
export class ControlMessageError extends ProtocolError {
  readonly code = 'ERR_CONTROL_MESSAGE';
  constructor(readonly messageName: string, detail: string) {
    super(`malformed ${messageName}: ${detail}`);
  }
}

// ---- DML ------------------------------------------------------------------------------------

export abstract class DmlError extends ProtocolError {}

/** A DML message header is cut off or declares a length that is impossible for the payload. */
export class DmlHeaderError extends DmlError {
  readonly code = 'ERR_DML_HEADER';
  constructor(readonly offset: number, detail: string) {
    super(`bad DML message header at payload offset ${offset}: ${detail}`);
  }
}

/** No loaded definition for this (service, order): the message is skipped, the session goes on. */
export class DmlUnknownMessageError extends DmlError {
  readonly code = 'ERR_DML_UNKNOWN_MESSAGE';
  constructor(readonly serviceId: number, readonly order: number) {
    super(`no message definition for service ${serviceId} order ${order}`);
  }
}

/** The message is shorter than its record: names the first field that did not fit. */
export class DmlTruncatedError extends DmlError {
  readonly code = 'ERR_DML_TRUNCATED';
  constructor(readonly protocol: string, readonly messageName: string, readonly field: string, readonly messageLength: number) {
    super(`${protocol}.${messageName} of ${messageLength} bytes is too short for field ${field}`);
  }
}

/** The record exists but its definition could not be compiled (e.g. an unknown field TYPE). */
export class DmlUnusableRecordError extends DmlError {
  readonly code = 'ERR_DML_UNUSABLE_RECORD';
  constructor(readonly protocol: string, readonly messageName: string, readonly reason: string) {
    super(`${protocol}.${messageName} cannot be encoded or decoded: ${reason}`);
  }
}

/** A value handed to the encoder does not fit its field type. */
export class DmlEncodeError extends DmlError {
  readonly code = 'ERR_DML_ENCODE';
  constructor(readonly protocol: string, readonly messageName: string, readonly field: string, detail: string) {
    super(`cannot encode ${protocol}.${messageName}.${field}: ${detail}`);
  }
}

/** encodeDml/record() was given a kind that the loaded definitions lack. */
export class UnknownKindError extends ProtocolError {
  readonly code = 'ERR_UNKNOWN_KIND';
  constructor(readonly protocol: string, readonly messageName: string) {
    super(`the loaded definitions have no message ${protocol}.${messageName}`);
  }
}

// ---- definitions ----------------------------------------------------------------------------

/** A definition file that cannot be used at all: names the file and, when known, the element. */
export class DefinitionError extends ProtocolError {
  readonly code = 'ERR_DEFINITION';
  constructor(readonly file: string, readonly element: string | undefined, detail: string, options?: { cause?: unknown }) {
    super(`${file}${element === undefined ? '' : ` <${element}>`}: ${detail}`, options);
  }
}

/** The definition source (folder, Root.wad) cannot be read or holds no message files. */
export class DefinitionSourceError extends ProtocolError {
  readonly code = 'ERR_DEFINITION_SOURCE';
  constructor(readonly source: string, detail: string, options?: { cause?: unknown }) {
    super(`${source}: ${detail}`, options);
  }
}
