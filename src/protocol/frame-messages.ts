// Reads which DML messages a pre-encoded frame carries, without decoding their fields: a zone broadcast is encoded
// once and sent to every player as bytes, and the metrics still count each message it delivers, by protocol.
import { DML_HEADER_LENGTH } from './dml.js';
import { FRAME_BODY_HEADER_LENGTH, FRAME_LONG_FORM_MARKER, FRAME_START_SIGNAL } from './frame-reader.js';
import type { MessageRegistry } from './message-registry.js';

/**
 * Calls `onMessage(protocol)` for each DML message in `frame`, a whole frame as the encoders build it (header, body
 * header, payload, trailing null). A control frame or bytes that are not a frame call nothing; a message of a
 * service the registry does not know is reported as protocol `unknown`.
 */
export function forEachFrameMessage(registry: MessageRegistry, frame: Buffer, onMessage: (protocol: string) => void): void {
  if (frame.length < 4 || (frame[0]! | (frame[1]! << 8)) !== FRAME_START_SIGNAL) return;
  let bodyLength = frame[2]! | (frame[3]! << 8);
  let o = 4;
  if (bodyLength >= FRAME_LONG_FORM_MARKER) {
    if (frame.length < 8) return;
    bodyLength = frame.readUInt32LE(4);
    o = 8;
  }
  if (frame[o] !== 0) return; // a control frame
  const end = Math.min(frame.length, o + bodyLength - 1); // the trailing null is no message
  o += FRAME_BODY_HEADER_LENGTH;
  const table = registry.wireTable;
  while (end - o >= DML_HEADER_LENGTH) {
    const length = frame[o + 2]! | (frame[o + 3]! << 8);
    if (length < DML_HEADER_LENGTH || length > end - o) return;
    onMessage(table[(frame[o]! << 8) | frame[o + 1]!]?.protocol ?? 'unknown');
    o += length;
  }
}
