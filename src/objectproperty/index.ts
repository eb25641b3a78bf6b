// Public API of the ObjectProperty codec (docs/objectproperty.md).
export { BitReader } from './bit-reader.js';
export { BitWriter } from './bit-writer.js';
export { ObjectPropertyCodec, type CodecOptions, type DecodedBlob, type EncodeOverrides } from './codec.js';
export { decodeBind, encodeBind, isBind, type BindFile, type BindOptions } from './bind-file.js';
export {
  CharacterBlobError, CompressionError, DepthLimitError, EncodeValueError, EnumValueError, FramingError, LengthError,
  MissingDeltaError, ObjectPropertyError, SizeMismatchError, TruncatedError, TypeDumpError, UnknownClassError,
  UnknownPropertyError,
} from './errors.js';
export { NETWORK_PROPERTY_MASK, PropertyFlags, SerializerFlags } from './flags.js';
export { stringifyOp, toJsonValue } from './json.js';
export type { CoreHeader, OpObject } from './object-shape.js';
export { TypeList, loadTypeDump, readTypeDump, type ClassDef, type PropertyDef } from './type-list.js';
export { Kind, valueTypeOf, type ValueType } from './value-type.js';
export { defaultObject } from './default-object.js';
export { generateTypes, type GenerateTypesOptions } from './generate-types.js';
export {
  ImchCharacterCodec, ObjectPropertyCharacterCodec, type CharacterBlobCodec, type CharacterRecord,
  type ObjectPropertyCharacterCodecOptions,
} from './character-codec.js';
