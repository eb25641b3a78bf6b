// Where the player object builder comes from: the type dump and template 1 of the user's Root.wad (its
// TemplateManifest names the file of every template id). Anything missing keeps the IMCH stand-in, which the
// caller logs once at start.
import { readFile } from 'node:fs/promises';
import { readWad } from '../../archive/index.js';
import { decodeBind, type OpObject, type TypeList } from '../../objectproperty/index.js';
import { PLAYER_TEMPLATE_ID, PlayerObjectBuilder } from './player-object.js';

const TEMPLATE_MANIFEST = 'TemplateManifest.xml';

/** Template `id` of a Root.wad's bytes, or a reason why there is none. */
export function templateFromRootWad(types: TypeList, rootWad: Buffer, id = PLAYER_TEMPLATE_ID): OpObject | string {
  const wad = readWad(rootWad);
  const manifestFile = wad.byName.get(TEMPLATE_MANIFEST);
  if (manifestFile === undefined) return `the Root.wad has no ${TEMPLATE_MANIFEST}`;
  const manifest = decodeBind(types, manifestFile.data()).object;
  const locations = Array.isArray(manifest['m_serializedTemplates']) ? (manifest['m_serializedTemplates'] as (OpObject | null)[]) : [];
  const location = locations.find((l) => l !== null && Number(l['m_id']) === id);
  if (location === undefined || location === null) return `the template manifest has no template ${id}`;
  const filename = String(location['m_filename'] ?? '');
  const file = wad.byName.get(filename);
  if (file === undefined) return `the Root.wad has no ${filename} (template ${id})`;
  return decodeBind(types, file.data()).object;
}

/** The builder for a type dump and a Root.wad path, or the reason the stand-in stays. */
export async function playerObjectsFrom(types: TypeList | undefined, rootWadPath: string | undefined): Promise<PlayerObjectBuilder | string> {
  if (types === undefined) return 'no type dump configured (objectProperty.typeDump)';
  if (rootWadPath === undefined) return 'no Root.wad configured';
  let bytes: Buffer;
  try {
    bytes = await readFile(rootWadPath);
  } catch (error) {
    return `cannot read ${rootWadPath}: ${(error as Error).message}`;
  }
  try {
    const template = templateFromRootWad(types, bytes);
    return typeof template === 'string' ? template : new PlayerObjectBuilder(types, template);
  } catch (error) {
    return `cannot build the player object from ${rootWadPath}: ${(error as Error).message}`;
  }
}
