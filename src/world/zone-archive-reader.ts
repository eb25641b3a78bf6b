// Reads a zone's files out of its archive (docs/world.md "Zone archives"). An archive that cannot be
// read, or a file whose bytes fail their CRC or inflate, is an error naming the zone and the file.
import { WadPlaceholderError, type WadReader } from '../archive/index.js';
import { ZoneDecodeError } from './errors.js';
import { ZONE_FILES, ZoneFile } from './zone-files.js';

/** The zone files present in the archive, by name (placeholders count as absent). */
export async function readZoneFiles(zone: string, wad: WadReader): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const name of ZONE_FILES) {
    if (wad.get(name) === undefined) continue;
    try {
      files.set(name, await wad.read(name));
    } catch (error) {
      if (error instanceof WadPlaceholderError && name !== ZoneFile.gameData) continue;
      throw new ZoneDecodeError(zone, name, undefined, `cannot read it from ${wad.path}: ${(error as Error).message}`, { cause: error });
    }
  }
  if (!files.has(ZoneFile.gameData)) throw new ZoneDecodeError(zone, ZoneFile.gameData, undefined, `${wad.path} has no ${ZoneFile.gameData}`);
  return files;
}
