// The KiNP answer to PATCH MSG_LATEST_FILE_LIST_V2 (flows.md section 5), as a pure function of the list, so
// the session service only decodes the request and sends what this returns. String fields are STR on the
// wire (Buffer in the protocol library); the client's Locale is echoed byte for byte.
import type { DataOf, PATCH } from '../../protocol/index.js';
import { LIST_BIN_NAME, type FileList } from './file-list.js';

/** Fields of PATCH MSG_LATEST_FILE_LIST_V2 in wire order (messages.md), as the protocol library types them. */
export type LatestFileListV2Fields = DataOf<typeof PATCH.MSG_LATEST_FILE_LIST_V2>;

export interface LatestFileListReplyOptions {
  /** Base URL files are fetched from: the client requests URLPrefix + SrcFileName (+ URLSuffix). */
  readonly urlPrefix: string;
  /** Full URL of LatestFileList.bin. */
  readonly listFileUrl: string;
  /** Appended to every file URL (e.g. a query string); usually empty. */
  readonly urlSuffix?: string;
}

export const LIST_FILE_TYPE = 1;

export function latestFileListReply(
  list: Pick<FileList, 'version' | 'timeSecs' | 'bin' | 'binCrc'>,
  request: { readonly Locale: Buffer | string },
  options: LatestFileListReplyOptions,
): LatestFileListV2Fields {
  return {
    LatestVersion: list.version >>> 0,
    ListFileName: Buffer.from(LIST_BIN_NAME, 'latin1'),
    ListFileType: LIST_FILE_TYPE,
    ListFileTime: list.timeSecs >>> 0,
    ListFileSize: list.bin.length >>> 0,
    ListFileCRC: list.binCrc >>> 0,
    ListFileURL: Buffer.from(options.listFileUrl, 'utf8'),
    URLPrefix: Buffer.from(options.urlPrefix, 'utf8'),
    URLSuffix: Buffer.from(options.urlSuffix ?? '', 'utf8'),
    Locale: typeof request.Locale === 'string' ? Buffer.from(request.Locale, 'utf8') : Buffer.from(request.Locale),
  };
}
