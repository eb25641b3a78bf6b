// The player's own client object for MSG_LOGINCOMPLETE.Data when a type dump is configured (docs/game-server.md,
// "The player object"): template 1's object in CoreObject form, its behaviors taken from the template, the live
// ones filled from the character, serialized compact with the owner's mask and compressed (u32 inflated size,
// then a zlib stream). Without a type dump the IMCH stand-in stays (player-blob.ts).
import { ObjectPropertyCodec, defaultObject, type ClassDef, type OpObject, type TypeList } from '../../objectproperty/index.js';
import { stringId } from '../../protocol/index.js';
import { CORE_BLOCKS, DEFAULT_CLIENT_CLASS, clientClassOf as worldClientClassOf, templateOf } from '../../world/index.js';
import type { Location } from '../../store/index.js';

/** The template of every player (the manifest's id 1). */
export const PLAYER_TEMPLATE_ID = 1;

/** The owner sees TRANSMIT | PRIVILEGED_TRANSMIT properties; others also need PUBLIC. */
export const OWNER_PROPERTY_MASK = 0x18;
export const PUBLIC_PROPERTY_MASK = 0x1c;

/** Behaviors never sent to the client (a data table, not code: docs/game-server.md). */
export const UNSENT_BEHAVIORS: ReadonlySet<string> = new Set(['PathMovementBehavior', 'GamebryoClientLeashBehavior', 'ClientInfractionBehavior']);

/** What the player object is built from besides the template. */
export interface PlayerObjectState {
  readonly characterId: bigint;
  readonly name: string;
  readonly mobileId: number;
  /** World units and yaw (radians). */
  readonly location: Location;
  readonly creationData: Buffer;
  readonly level?: number;
  readonly school?: string;
}

/** The client object class (and CoreObject block/type) of a template: the world layer's rules (docs/world.md). */
export function clientClassOf(types: TypeList, template: OpObject): { readonly name: string; readonly block: number; readonly type: number } {
  const name = worldClientClassOf(types, templateOf(types, PLAYER_TEMPLATE_ID, template));
  const [block, type] = CORE_BLOCKS[name] ?? CORE_BLOCKS[DEFAULT_CLIENT_CLASS]!;
  return { name, block, type };
}

/** Builds and serializes player objects from one type dump and template 1. */
export class PlayerObjectBuilder {
  readonly #types: TypeList;
  readonly #template: OpObject;
  readonly #client: { readonly name: string; readonly block: number; readonly type: number };
  readonly #owner: ObjectPropertyCodec;
  readonly #public: ObjectPropertyCodec;
  /** Behavior templates whose client class is missing from the dump: sent as null slots, each logged once by the caller. */
  readonly unmappedBehaviors: readonly string[];

  constructor(types: TypeList, template: OpObject) {
    this.#types = types;
    this.#template = template;
    this.#client = clientClassOf(types, template);
    if (types.byName(this.#client.name) === undefined) throw new RangeError(`the type dump has no ${this.#client.name}`);
    this.#owner = new ObjectPropertyCodec(types, { coreObject: true, manualCompression: true, propertyMask: OWNER_PROPERTY_MASK });
    this.#public = new ObjectPropertyCodec(types, { coreObject: true, propertyMask: PUBLIC_PROPERTY_MASK });
    this.unmappedBehaviors = this.#behaviorTemplates()
      .map((b) => String(b['m_behaviorName'] ?? ''))
      .filter((name) => !UNSENT_BEHAVIORS.has(name) && types.byName(`class ${name}`) === undefined);
  }

  /** The object, as the codec encodes it. */
  build(state: PlayerObjectState): OpObject {
    const types = this.#types;
    const client = types.byName(this.#client.name)!;
    const object: OpObject = { ...defaultObject(types, client.name, OWNER_PROPERTY_MASK), $core: { objectId: this.#client.block, namespaceId: this.#client.type, templateId: PLAYER_TEMPLATE_ID } };
    const values: Record<string, unknown> = {
      m_globalID: state.characterId,
      m_permID: state.characterId,
      m_characterId: state.characterId,
      m_nMobileID: state.mobileId & 0xffff,
      m_location: { x: state.location.x, y: state.location.y, z: state.location.z },
      m_orientation: { x: 0, y: 0, z: state.location.yaw },
      m_fScale: 1,
      m_templateID: BigInt(PLAYER_TEMPLATE_ID),
      m_debugName: state.name,
      m_displayKey: String(this.#template['m_displayName'] ?? ''),
      m_inactiveBehaviors: this.#behaviors(state),
      m_gameStats: this.#gameStats(state),
    };
    for (const property of client.properties) {
      if (property.name in values) object[property.name] = values[property.name];
    }
    return object;
  }

  /** LOGINCOMPLETE.Data: compact with the owner's mask, CoreObject header, u32 inflated size + zlib. */
  loginCompleteData(state: PlayerObjectState): Buffer {
    return this.#owner.encode(this.build(state));
  }

  /** The uncompressed public form (what others are shown), before any wrapper. */
  publicBlob(state: PlayerObjectState): Buffer {
    return this.#public.encode(this.build(state));
  }

  #behaviorTemplates(): OpObject[] {
    const list = this.#template['m_behaviors'];
    return Array.isArray(list) ? list.filter((b): b is OpObject => b !== null && typeof b === 'object') : [];
  }

  #behaviors(state: PlayerObjectState): (OpObject | null)[] {
    const out: (OpObject | null)[] = [];
    for (const template of this.#behaviorTemplates()) {
      const name = String(template['m_behaviorName'] ?? '');
      if (UNSENT_BEHAVIORS.has(name)) continue;
      const c = this.#types.byName(`class ${name}`);
      if (c === undefined) {
        out.push(null);
        continue;
      }
      const behavior: OpObject = { ...defaultObject(this.#types, c.name, OWNER_PROPERTY_MASK), m_behaviorTemplateNameID: stringId(name) };
      this.#fillLive(c, behavior, template, state);
      out.push(behavior);
    }
    return out;
  }

  /** The live behaviors: what the character is (name, school, level, appearance); the rest copies the template. */
  #fillLive(c: ClassDef, behavior: OpObject, template: OpObject, state: PlayerObjectState): void {
    const live: Record<string, unknown> = {
      m_characterName: state.name,
      m_schoolOfFocus: state.school ?? '',
      m_level: state.level ?? Number(template['m_startLevel'] ?? 1),
      m_appearance: state.creationData,
    };
    for (const property of c.properties) {
      if (property.name === 'm_behaviorTemplateNameID') continue;
      if (property.name in live) behavior[property.name] = live[property.name];
      else if (property.name in template) behavior[property.name] = template[property.name];
    }
  }

  #gameStats(state: PlayerObjectState): OpObject | null {
    const stats = this.#types.byName('class WizGameStats');
    if (stats === undefined) return null;
    const values: Record<string, unknown> = { m_level: state.level ?? 1, m_schoolOfFocus: state.school ?? '', m_maxHealth: 500, m_currentHealth: 500, m_experience: 0 };
    const object: OpObject = defaultObject(this.#types, stats.name, OWNER_PROPERTY_MASK);
    for (const property of stats.properties) if (property.name in values) object[property.name] = values[property.name];
    return object;
  }
}
