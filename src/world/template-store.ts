// Templates from Root.wad (docs/world.md "Templates"): the manifest is indexed when the store opens;
// a template is read and decoded on first use and cached (concurrent callers share one decode).
import type { WadReader } from '../archive/index.js';
import { ObjectPropertyCodec, decodeBind, isBind, type TypeList } from '../objectproperty/index.js';
import { TemplateError, WorldError } from './errors.js';
import { itemsOf, num, str } from './op-values.js';
import { templateOf } from './template-reader.js';
import type { ObjectTemplate, TemplateLocation } from './template-types.js';
import { TEMPLATE_MANIFEST } from './zone-files.js';

export class TemplateStore {
  readonly #root: WadReader;
  readonly #types: TypeList;
  readonly #index: ReadonlyMap<number, TemplateLocation>;
  readonly #cache = new Map<number, Promise<ObjectTemplate>>();
  readonly #loaded = new Map<number, ObjectTemplate>();

  private constructor(root: WadReader, types: TypeList, index: ReadonlyMap<number, TemplateLocation>) {
    this.#root = root;
    this.#types = types;
    this.#index = index;
  }

  /** Reads the manifest of `root` (Root.wad). The store reads templates from `root` later: keep it open. */
  static async open(root: WadReader, types: TypeList): Promise<TemplateStore> {
    let bytes: Buffer;
    try {
      bytes = await root.read(TEMPLATE_MANIFEST);
    } catch (error) {
      throw new WorldError('ERR_WORLD_MANIFEST', `${root.path}: cannot read ${TEMPLATE_MANIFEST}: ${(error as Error).message}`, { cause: error });
    }
    let manifest;
    try {
      manifest = decodeFile(types, bytes);
    } catch (error) {
      throw new WorldError('ERR_WORLD_MANIFEST', `${root.path}: ${TEMPLATE_MANIFEST} does not decode: ${(error as Error).message}`, { cause: error });
    }
    const index = new Map<number, TemplateLocation>();
    for (const entry of itemsOf(types, manifest, 'class TemplateLocation')) {
      const location = { id: num(entry, 'm_id'), filename: str(entry, 'm_filename') };
      index.set(location.id, location);
    }
    return new TemplateStore(root, types, index);
  }

  /** Template ids listed by the manifest. */
  get size(): number { return this.#index.size; }
  ids(): IterableIterator<number> { return this.#index.keys(); }
  location(id: number): TemplateLocation | undefined { return this.#index.get(id); }
  has(id: number): boolean { return this.#index.has(id); }

  /** The template if it has been decoded already (the synchronous path of the zone runtime). */
  loaded(id: number): ObjectTemplate | undefined { return this.#loaded.get(id); }

  /** The template, decoded on first use. Rejects with TemplateError for an unknown id or a bad file. */
  get(id: number): Promise<ObjectTemplate> {
    let p = this.#cache.get(id);
    if (p === undefined) {
      p = this.#decode(id);
      this.#cache.set(id, p);
      // A failed decode is not cached: the file may be fixed (or patched) later.
      p.catch(() => this.#cache.delete(id));
    }
    return p;
  }

  /** Decodes every listed template among `ids` (e.g. a zone's placements before it opens). */
  async getAll(ids: Iterable<number>): Promise<Map<number, ObjectTemplate>> {
    const unique = [...new Set(ids)];
    const out = new Map<number, ObjectTemplate>();
    for (const t of await Promise.all(unique.map((id) => this.get(id)))) out.set(t.id, t);
    return out;
  }

  async #decode(id: number): Promise<ObjectTemplate> {
    const location = this.#index.get(id);
    if (location === undefined) throw new TemplateError(id, 'not in the template manifest');
    let bytes: Buffer;
    try {
      bytes = await this.#root.read(location.filename);
    } catch (error) {
      throw new TemplateError(id, `cannot read ${location.filename}: ${(error as Error).message}`, { cause: error });
    }
    try {
      const template = templateOf(this.#types, id, decodeFile(this.#types, bytes));
      this.#loaded.set(id, template);
      return template;
    } catch (error) {
      throw new TemplateError(id, `${location.filename} does not decode: ${(error as Error).message}`, { cause: error });
    }
  }
}

function decodeFile(types: TypeList, bytes: Buffer) {
  return isBind(bytes) ? decodeBind(types, bytes, { enumNames: true }).object : new ObjectPropertyCodec(types, { verbose: true, enumNames: true }).decode(bytes);
}
