// The zone-path rule (docs/world.md "Zone archives"): `World/Sub/Zone` lives in
// `Data/GameData/World-Sub-Zone.wad`; global data is in `Data/GameData/Root.wad`.

export const GAME_DATA_DIR = 'Data/GameData';
export const ROOT_WAD = 'Root.wad';

/** The archive file name of a zone path: every `/` becomes `-`, then `.wad`. */
export function zoneArchiveName(zonePath: string): string {
  return `${zonePath.split('/').join('-')}.wad`;
}

/** The archive's path relative to the client install folder (also its name in a patch list). */
export function zoneArchivePath(zonePath: string): string {
  return `${GAME_DATA_DIR}/${zoneArchiveName(zonePath)}`;
}

export const ROOT_WAD_PATH = `${GAME_DATA_DIR}/${ROOT_WAD}`;
