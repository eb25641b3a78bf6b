export { FileListBuildError, PatchError, PatchServerStateError, PatchVerifyError } from './errors.js';
export {
  DEFAULT_CACHE_NAME, FileType, LIST_BIN_NAME, LIST_FILE_CRCS, LIST_XML_NAME, PACKAGES_FOLDER, PATCH_CLIENT_FOLDER,
  buildFileList, writeFileList,
  type BuildOptions, type BuildProgress, type BuildStats, type FileList, type FileListEntry, type FileTypeValue, type ListFileCrc,
} from './file-list.js';
export { FileListXmlError, decodeFileListXml, encodeFileListXml } from './file-list-xml.js';
export { readKiwadHeader, type KiwadHeader } from './kiwad-header.js';
export { PatchHttpServer, type PatchHttpServerOptions, type PatchLogger } from './patch-http-server.js';
export { LIST_FILE_TYPE, latestFileListReply, type LatestFileListReplyOptions, type LatestFileListV2Fields } from './latest-file-list-reply.js';
export { listUrlOf, verifyAgainstServer, type VerifyOptions, type VerifyProblem, type VerifyResult } from './verify.js';
export {
  FILE_RECORD_FIELDS, FileListDecodeError, FileListEncodeError, FieldTypeCode, decodeFileListTables, encodeFileListTables,
  fileRecordsOf, type FieldType, type FileListTable, type FileRecord, type TableField,
} from '../shared/latest-file-list-codec.js';
export { DEFAULT_MAX_LOCALE_BYTES, PatchService, fitToRecord, type PatchServiceSettings } from './patch-service.js';
export { PATCH_SERVICE_NAME, PatchServer, patchServerConfig, patchServerProps, startPatchServer, type PatchServerOptions } from './patch-server.js';
export { patchPart, publicBaseUrl, startPatchPart, type PatchPartContext, type RunningPatchPart } from './patch-part.js';
