// The plain-object shape the codec decodes to and encodes from.

/** CoreObject header of a root object (CoreObject blobs only). */
export interface CoreHeader {
  objectId: number;
  namespaceId: number;
  /** The template id, or the class hash when both ids are 0. */
  templateId: number;
}

/**
 * A decoded object: `$class` is the full class name as dumped ("class Foo"),
 * then one key per property present in the data, in stream order.
 * Values: boolean; number (integers up to 32 bits, floats, enums as numbers);
 * bigint (64-bit integers and gids); string (std::string when valid UTF-8,
 * std::wstring, enums as option names); Buffer (std::string bytes that are not
 * UTF-8); `{x, y, z}`-style records (Color, Vector3D, Euler, Quaternion,
 * Point/Size/Rect); number[] (Matrix3x3); nested OpObject or null; arrays of
 * these for dynamic (list) properties.
 */
export interface OpObject {
  $class: string;
  $core?: CoreHeader;
  [field: string]: unknown;
}
