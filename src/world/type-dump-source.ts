// Where a type dump comes from: a JSON file (the user's dump) or a parsed object (the sample's). Given as
// data, not as a TypeList, so a worker thread can load its own copy.
import { loadTypeDump, readTypeDump, type TypeList } from '../objectproperty/index.js';
import { withServerClasses } from './supplemental-schema.js';

export type TypeDumpSource = { readonly file: string } | { readonly json: unknown };

/** The dump with the supplemental server classes merged under it. */
export async function loadWorldTypes(source: TypeDumpSource): Promise<TypeList> {
  const dump = 'file' in source ? await readTypeDump(source.file) : loadTypeDump(source.json);
  return withServerClasses(dump);
}
