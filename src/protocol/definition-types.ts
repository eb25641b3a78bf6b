// The shapes of loaded message definitions, shared by the parser, the registry and the code generator.
import type { ElementType } from './element-type.js';

export interface FieldDef {
  readonly name: string;
  readonly type: ElementType;
}

/** One message of a protocol, as read from a definition file (before the registry numbers it). */
export interface RecordSpec {
  /** The element's tag (e.g. MSG_CLIENTMOVE): messages are keyed on it, not on `_MsgName`. */
  readonly name: string;
  readonly order: number;
  readonly accessLevel: number;
  readonly description: string;
  readonly fields: readonly FieldDef[];
  /** Set when the record cannot be encoded or decoded (e.g. a field TYPE nobody recognises). */
  readonly unusable?: string;
}

/** One `*Messages.xml` file: its `_ProtocolInfo` and its records sorted by order. */
export interface ProtocolSpec {
  readonly serviceId: number;
  /** ProtocolType, e.g. "GAME": the name generated kinds use. */
  readonly name: string;
  readonly version: number;
  readonly description: string;
  /** Where it was loaded from (a path, or a path inside Root.wad). */
  readonly source: string;
  readonly records: readonly RecordSpec[];
  /** Problems tolerated while reading the file (misspelt attributes, duplicated tags, ...). */
  readonly warnings: readonly string[];
}

/** A record of a loaded registry: a RecordSpec placed in its protocol and given a dense index. */
export interface RecordDef extends RecordSpec {
  readonly protocol: string;
  readonly serviceId: number;
  /** Dense number (0..registry.records.length-1) for dispatch tables indexed by record. */
  readonly index: number;
}
