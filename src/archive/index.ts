export { readWad, type ReadWadOptions, type Wad, type WadFile } from './read-wad.js';
export { openWad, type OpenWadOptions, type WadReader } from './open-wad.js';
export { writeWad, type WadInputFile, type WriteWadOptions } from './write-wad.js';
export { kiwadCrc, kiwadCrcUpdate } from './kiwad-crc.js';
export type { WadEntry, WadHeader } from './wad-format.js';
export {
  WadClosedError, WadCountError, WadCrcError, WadEntryTooLargeError, WadError, WadErrorCode, WadInflateError,
  WadMagicError, WadNameError, WadNotFoundError, WadPlaceholderError, WadRangeError, WadSizeError, WadTruncatedError,
  WadVersionError, WadWriteInputError,
} from './errors.js';
