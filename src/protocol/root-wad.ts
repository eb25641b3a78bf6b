// Definitions straight from a client's Root.wad ("bring your own data"): the archive is opened in
// place (only its index is read up front) and only the `*Messages.xml` entries are inflated.
import { openWad, WadPlaceholderError } from '../archive/index.js';
import { DefinitionSourceError } from './errors.js';

function baseName(entryName: string): string {
  const slash = entryName.lastIndexOf('/');
  return slash === -1 ? entryName : entryName.slice(slash + 1);
}

/** The message definition files of a KIWAD archive, named `<archive>:<entry>` for error messages. */
export async function readMessageFilesFromWad(path: string): Promise<{ name: string; content: Buffer }[]> {
  let wad;
  try {
    wad = await openWad(path);
  } catch (error) {
    throw new DefinitionSourceError(path, `cannot open as a KIWAD archive: ${(error as Error).message}`, { cause: error });
  }
  try {
    const files: { name: string; content: Buffer }[] = [];
    // byName keeps the last journal entry of a duplicated name, which is the one the client uses.
    const names = [...wad.byName.keys()].filter((name) => /messages\.xml$/i.test(baseName(name))).sort();
    for (const name of names) {
      try {
        files.push({ name: `${path}:${name}`, content: await wad.read(name) });
      } catch (error) {
        if (error instanceof WadPlaceholderError) continue;
        throw new DefinitionSourceError(path, `cannot read entry ${name}: ${(error as Error).message}`, { cause: error });
      }
    }
    if (files.length === 0) throw new DefinitionSourceError(path, 'holds no *Messages.xml entry');
    return files;
  } finally {
    await wad.close();
  }
}
