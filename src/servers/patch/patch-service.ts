// The message service of a patch session (flows.md section 5): answers PATCH MSG_LATEST_FILE_LIST_V2 (and
// the older MSG_LATEST_FILE_LIST) with the list being served right now. The PATCH records have access
// level 0, so the session routes them before the SessionAccept, which is when a real client sends them.
import { MessageService, type ServiceContext, type ServiceEnv } from '../../net/index.js';
import { PATCH, type MessageKind, type RecordDef } from '../../protocol/index.js';
import type { FileList } from './file-list.js';
import { latestFileListReply, type LatestFileListReplyOptions } from './latest-file-list-reply.js';

export interface PatchServiceSettings {
  /** The list served now; read on every request, so a rebuild shows in the next reply. */
  readonly currentList: () => FileList | undefined;
  /** ListFileURL, URLPrefix and URLSuffix of every reply. */
  readonly urls: LatestFileListReplyOptions;
  /** Longest Locale (in bytes) echoed back; a longer one ends the session. Default 256. */
  readonly maxLocaleBytes?: number;
}

export const DEFAULT_MAX_LOCALE_BYTES = 256;

const EMPTY = Buffer.alloc(0);

export class PatchService extends MessageService {
  readonly #settings: PatchServiceSettings;
  readonly #maxLocaleBytes: number;

  constructor(context: ServiceContext, env: ServiceEnv, settings: PatchServiceSettings) {
    super(context, env);
    this.#settings = settings;
    this.#maxLocaleBytes = settings.maxLocaleBytes ?? DEFAULT_MAX_LOCALE_BYTES;
    this.onClient(PATCH.MSG_LATEST_FILE_LIST_V2, (request) => this.#answer(PATCH.MSG_LATEST_FILE_LIST_V2, request.Locale));
    this.onClient(PATCH.MSG_LATEST_FILE_LIST, () => this.#answer(PATCH.MSG_LATEST_FILE_LIST, EMPTY));
  }

  #answer(kind: MessageKind<unknown>, locale: Buffer | string): void {
    // A client's own definitions may declare Locale as WSTR, which decodes to a string of UTF-16 units.
    const localeBytes = typeof locale === 'string' ? locale.length * 2 : locale.length;
    if (localeBytes > this.#maxLocaleBytes) {
      this.log.warn({ session: String(this.env.sid), remote: this.env.remoteAddress, localeBytes, limit: this.#maxLocaleBytes }, 'file list request with an oversized Locale; closing');
      this.closeSession('oversized Locale');
      return;
    }
    const list = this.#settings.currentList();
    if (list === undefined) {
      this.log.warn({ session: String(this.env.sid) }, 'file list requested before the first list was built; not answered');
      return;
    }
    const reply = latestFileListReply(list, { Locale: locale }, this.#settings.urls);
    const record = this.env.registry.record(kind);
    this.send(kind, fitToRecord(record, reply as unknown as Record<string, unknown>) as never);
    this.log.debug({ session: String(this.env.sid), message: record.name, version: list.version, size: list.bin.length, crc: list.binCrc }, 'file list described');
  }
}

/**
 * The reply's values in the types the loaded record declares: the shipped definitions say STR, a
 * client's own may say WSTR or INT, or drop or add a field (absent values go out as zero or empty).
 */
export function fitToRecord(record: Pick<RecordDef, 'fields'>, data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of record.fields) {
    const value = data[field.name];
    switch (field.type) {
      case 'STR':
        out[field.name] = Buffer.isBuffer(value) || typeof value === 'string' ? value : EMPTY;
        break;
      case 'WSTR':
        out[field.name] = Buffer.isBuffer(value) ? value.toString('utf8') : typeof value === 'string' ? value : '';
        break;
      case 'GID':
        out[field.name] = typeof value === 'bigint' ? value : typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : 0n;
        break;
      case 'INT':
        out[field.name] = typeof value === 'number' ? value | 0 : 0;
        break;
      case 'UINT':
        out[field.name] = typeof value === 'number' ? value >>> 0 : 0;
        break;
      default:
        out[field.name] = typeof value === 'number' ? value : 0;
    }
  }
  return out;
}
