// Chooses the character blob codec from the configuration: the client's own object format when the operator gives
// a type dump (bring your own data), the documented IMCH stand-in otherwise.
import type { ImlightConfig } from '../config/index.js';
import { ImchCharacterCodec, ObjectPropertyCharacterCodec, readTypeDump, type CharacterBlobCodec } from '../objectproperty/index.js';
import type { Logger } from '../runtime/index.js';
import { StartError } from './errors.js';

export async function characterCodecFrom(config: Pick<ImlightConfig, 'objectProperty'>, log: Logger): Promise<CharacterBlobCodec> {
  const { typeDump, characterClass } = config.objectProperty;
  if (typeDump === undefined) return new ImchCharacterCodec();
  if (characterClass === undefined) {
    throw new StartError('objectProperty.characterClass is required with objectProperty.typeDump: name the class CHARACTERINFO is built from');
  }
  let codec: CharacterBlobCodec;
  try {
    const types = await readTypeDump(typeDump);
    for (const warning of types.warnings) log.warn({ typeDump, warning }, 'type dump warning');
    codec = new ObjectPropertyCharacterCodec({ types, className: characterClass });
  } catch (error) {
    throw new StartError(`cannot use the type dump ${typeDump}: ${(error as Error).message}`, { cause: error });
  }
  log.info({ typeDump, characterClass }, 'character blobs use the client\'s object format');
  return codec;
}
