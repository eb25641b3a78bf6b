// JSON form of decoded objects, for files and the command line. JSON has no
// bigint, bytes or NaN, so: bigint -> decimal string, Buffer -> {"$hex": "..."},
// NaN/Infinity -> "NaN"/"Infinity"/"-Infinity". The encoder accepts all three
// forms back, guided by the property types, so JSON round trips are exact.

export function toJsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (value instanceof Uint8Array) return { $hex: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex') };
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJsonValue(v);
    return out;
  }
  return value;
}

/** Pretty JSON text of a decoded value. */
export function stringifyOp(value: unknown): string {
  return `${JSON.stringify(toJsonValue(value), null, 2)}\n`;
}
