// Errors of the world layer. Each has a stable `code`; decoding errors name the zone, the file and the
// property, so an operator can find the broken data.

export class WorldError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A supplemental schema entry whose declared hash does not recompute from its name and type. */
export class SchemaHashError extends WorldError {
  constructor(message: string) {
    super('ERR_WORLD_SCHEMA_HASH', message);
  }
}

/** A zone file that cannot be decoded into zone data. */
export class ZoneDecodeError extends WorldError {
  constructor(
    readonly zone: string,
    readonly file: string,
    readonly property: string | undefined,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super('ERR_WORLD_ZONE_DECODE', `zone ${zone}, file ${file}${property === undefined ? '' : `, property ${property}`}: ${detail}`, options);
  }
}

/** A zone whose archive (or its gamedata.bin) is missing, or whose archive cannot be read. */
export class ZoneNotFoundError extends WorldError {
  constructor(readonly zone: string, detail: string, options?: { cause?: unknown }) {
    super('ERR_WORLD_ZONE_NOT_FOUND', `zone ${zone}: ${detail}`, options);
  }
}

/** A template id not in the manifest, or a template file that does not decode. */
export class TemplateError extends WorldError {
  constructor(readonly templateId: number, detail: string, options?: { cause?: unknown }) {
    super('ERR_WORLD_TEMPLATE', `template ${templateId}: ${detail}`, options);
  }
}

/** A malformed teleport table line (names file and line). */
export class TeleportTableError extends WorldError {
  constructor(readonly file: string, readonly line: number, detail: string) {
    super('ERR_WORLD_TELEPORT_TABLE', `${file}:${line}: ${detail}`);
  }
}

/** Game data settings that cannot work (missing folder, unreadable dump). */
export class GameDataError extends WorldError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_WORLD_GAME_DATA', message, options);
  }
}
