// Messages between the decode pool and its workers, and errors carried across the thread boundary
// (structured clone keeps plain fields but not classes, so a ZoneDecodeError is rebuilt on arrival).
import { WorldError, ZoneDecodeError } from './errors.js';
import type { ZoneData } from './zone-data.js';

export interface DecodeRequest {
  readonly id: number;
  readonly zone: string;
  readonly files: ReadonlyArray<readonly [string, Uint8Array]>;
}

export interface WireError {
  readonly name: string;
  readonly code: string | undefined;
  readonly message: string;
  readonly zone?: string;
  readonly file?: string;
  readonly property?: string;
}

export type DecodeReply =
  | { readonly id: number; readonly ok: true; readonly zone: ZoneData }
  | { readonly id: number; readonly ok: false; readonly error: WireError };

export function errorToWire(error: unknown): WireError {
  const e = error as Partial<ZoneDecodeError> & { code?: unknown };
  const base = { name: e.name ?? 'Error', code: typeof e.code === 'string' ? e.code : undefined, message: e.message ?? String(error) };
  if (error instanceof ZoneDecodeError) return { ...base, zone: error.zone, file: error.file, property: error.property };
  return base;
}

export function errorFromWire(zone: string, wire: WireError): Error {
  if (wire.file !== undefined) {
    const detail = wire.message.replace(/^zone .*?, file .*?(, property .*?)?: /, '');
    return new ZoneDecodeError(wire.zone ?? zone, wire.file, wire.property, detail);
  }
  return new WorldError(wire.code ?? 'ERR_WORLD_DECODE', `zone ${zone}: ${wire.message}`);
}
