// Typed handles on records. Generated code (src/protocol/generated) declares one per record, so a
// handler for LOGIN.MSG_USER_AUTHEN_V3 gets its fields typed; the registry resolves a kind to the
// loaded definition by protocol and name, which lets a user's own XML renumber orders freely.

export interface MessageKind<T> {
  readonly protocol: string;
  readonly name: string;
  /** Phantom: carries the data type only at compile time. */
  readonly _type?: T;
}

/** The decoded data type of a kind. */
export type DataOf<K> = K extends MessageKind<infer T> ? T : never;

/** What the encoder accepts for a record's data: STR fields may also be given as strings (UTF-8). */
export type EncodableData<T> = { readonly [K in keyof T]: T[K] extends Buffer ? Buffer | string : T[K] extends bigint ? bigint | number : T[K] };

export function kind<T>(protocol: string, name: string): MessageKind<T> {
  return Object.freeze({ protocol, name });
}
