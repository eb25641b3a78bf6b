// What the world and an instance share: the zones they hold, one per path, created on first demand
// and forgotten when their load failed (so the next demand tries again).
import { Directive, oneForOne, type ActorContext, type ActorRef, type SupervisorStrategy } from '../../runtime/index.js';
import type { EnterRequest, ZoneMessage } from './messages.js';
import { zoneProps, type ZoneInit } from './zone.js';

export type ZoneSettings = Omit<ZoneInit, 'path' | 'instance' | 'generation'>;

// A zone whose handler throws keeps its players and state: the failing message is dropped.
export const ZONE_STRATEGY: SupervisorStrategy = oneForOne({ maxRetries: 100, withinMs: 60_000, decide: () => Directive.resume });

interface Hosted {
  readonly ref: ActorRef<ZoneMessage>;
  readonly generation: number;
  players: number;
}

export class ZoneHost {
  readonly #context: ActorContext<any>;
  readonly #settings: ZoneSettings;
  readonly #instance: string | undefined;
  readonly #maxZones: number;
  readonly #zones = new Map<string, Hosted>();
  #generation = 0;

  constructor(context: ActorContext<any>, settings: ZoneSettings, instance: string | undefined, maxZones: number) {
    this.#context = context;
    this.#settings = settings;
    this.#instance = instance;
    this.#maxZones = maxZones;
  }

  get paths(): string[] {
    return [...this.#zones.keys()];
  }

  get populations(): { path: string; players: number }[] {
    return [...this.#zones].map(([path, zone]) => ({ path, players: zone.players }));
  }

  get players(): number {
    let total = 0;
    for (const zone of this.#zones.values()) total += zone.players;
    return total;
  }

  forward({ path, entrant, preamble, probe, replyTo }: EnterRequest): void {
    let zone = this.#zones.get(path);
    if (zone === undefined) {
      // Any valid path is a zone when no data is configured: a client naming new paths must not grow the world without bound.
      if (this.#zones.size >= this.#maxZones) {
        replyTo.tell({ ok: false, code: 'ERR_GAME_WORLD_FULL', detail: `no room for zone ${path}: ${this.#maxZones} zones are loaded` });
        return;
      }
      const generation = ++this.#generation;
      const ref = this.#context.spawn(zoneProps({ ...this.#settings, path, instance: this.#instance, generation }), `zone-${path.replaceAll('/', ':')}-${generation}`);
      zone = { ref, generation, players: 0 };
      this.#zones.set(path, zone);
    }
    if (probe === true) zone.ref.tell({ type: 'zone.await-loaded', replyTo });
    else zone.ref.tell({ type: 'zone.enter', entrant, preamble, replyTo });
  }

  population(path: string, players: number): void {
    const zone = this.#zones.get(path);
    if (zone !== undefined) zone.players = players;
  }

  failed(path: string, generation: number): void {
    const zone = this.#zones.get(path);
    if (zone !== undefined && zone.generation === generation) this.#zones.delete(path);
  }
}
