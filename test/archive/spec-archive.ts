// The four files of the small test archive of archives.md.
import type { WadInputFile } from '../../src/archive/index.js';
import { fixedHuffmanDeflate } from './fixed-huffman-deflate.js';

export const SPEC_FILES = [
  { name: 'text2.txt', data: Buffer.from('this is text2\n'), compress: true },
  { name: 'uncompressed.mp3', data: Buffer.from('uncompressed data\n'), compress: false },
  { name: 'subdir/subdir_text1.txt', data: Buffer.from('this is subdir text1\n'), compress: true },
  { name: 'text1.txt', data: Buffer.from('this is text1\n'), compress: true },
] as const satisfies readonly WadInputFile[];

/** The spec's files with their zlib streams made by a deflater that takes 3-byte matches. */
export function specFilesWithMatchingDeflater(): WadInputFile[] {
  return SPEC_FILES.map((f) => (f.compress ? { name: f.name, data: f.data, deflated: fixedHuffmanDeflate(f.data) } : f));
}
