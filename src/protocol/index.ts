// Public entry point of the wire protocol library: frames, control messages, message definitions,
// the DML codec, generated typed kinds, code generation, crypto and hashes. Pure code, no sockets.
export {
  FrameReader, FRAME_START_SIGNAL, type FrameVisitor, FRAME_LONG_FORM_MARKER, FRAME_BODY_HEADER_LENGTH, DEFAULT_MAX_BODY_LENGTH,
  type Frame, type FrameReaderOptions,
} from './frame-reader.js';
export { encodeFrame, frameLength, writeFrameHeader } from './frame-writer.js';
export { forEachFrameMessage } from './frame-messages.js';
export {
  ControlOpcode, encodeSessionOffer, decodeSessionOffer, encodeSessionAccept, decodeSessionAccept,
  encodeClientKeepAlive, encodeServerKeepAlive, encodeKeepAliveRsp, decodeKeepAlive, decodeClientKeepAlive, decodeServerKeepAlive,
  type SessionOffer, type SessionTime, type ClientKeepAlive, type ServerKeepAlive,
} from './control-messages.js';
export { ElementType, ELEMENT_FIXED_SIZE, parseElementType } from './element-type.js';
export type { FieldDef, RecordSpec, ProtocolSpec, RecordDef } from './definition-types.js';
export { parseDefinitionXml } from './definition-parser.js';
export { MessageRegistry, MAX_WIRE_SERVICE_ID, isMessageFileName, type RecordEntry } from './message-registry.js';
export { kind, type MessageKind, type DataOf, type EncodableData } from './message-kind.js';
export {
  decodeDml, visitDml, encodeDml, encodeDmlInto, encodeDmlFrame, encodeDmlFrameOf, dmlLength, DML_HEADER_LENGTH,
  type DmlResult, type DmlVisitor,
} from './dml.js';
export { generateProtocolSources, runCodegen, loadDefinitions, type CodegenOptions } from './codegen.js';
export * from './generated/index.js';
export * from './errors.js';
export * from './hashes.js';
export * from './crypto/index.js';
