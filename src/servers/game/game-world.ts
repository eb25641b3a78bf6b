// The GameWorld: public zones (one per path, created on first demand, kept) and private instances
// keyed by instance group and owner, removed once they have been empty for the grace period.
import { Actor, props, type ActorContext, type ActorRef, type Handlers } from '../../runtime/index.js';
import { instanceProps } from './instance.js';
import type { EnterRequest, InstanceMessage, WorldInfo, WorldMessage, ZonePopulation } from './messages.js';
import { ZONE_STRATEGY, ZoneHost, type ZoneSettings } from './zone-host.js';
import type { ZoneRules } from './zone-path.js';

export interface GameWorldInit {
  readonly zones: ZoneSettings;
  readonly rules: ZoneRules;
  readonly instanceGraceMs: number;
  /** Public zones at most; instances hold at most maxInstanceZones each. */
  readonly maxZones: number;
  readonly maxInstanceZones: number;
}

interface HostedInstance {
  readonly ref: ActorRef<InstanceMessage>;
  readonly generation: number;
  forwarded: number;
}

export class GameWorld extends Actor<WorldMessage> {
  override readonly supervisorStrategy = ZONE_STRATEGY;
  readonly #init: GameWorldInit;
  readonly #zones: ZoneHost;
  readonly #instances = new Map<string, HostedInstance>();
  #generation = 0;

  constructor(context: ActorContext<WorldMessage>, init: GameWorldInit) {
    super(context);
    this.#init = init;
    this.#zones = new ZoneHost(context, init.zones, undefined, init.maxZones);
  }

  readonly receive: Handlers<WorldMessage> = {
    'world.enter': (request) => this.#enter(request),
    'zone.population': ({ path, players }) => this.#zones.population(path, players),
    'zone.failed': ({ path, generation }) => this.#zones.failed(path, generation),
    'world.instance-idle': ({ key, generation, entersSeen }) => {
      const instance = this.#instances.get(key);
      // An enter forwarded after the instance reported idle keeps it: it reports again once empty.
      if (instance === undefined || instance.generation !== generation || instance.forwarded !== entersSeen) return;
      this.#instances.delete(key);
      this.context.stop(instance.ref);
      this.context.log.info({ instance: key }, 'empty private instance removed');
    },
    'world.info': async ({ replyTo }) => {
      const instances = await Promise.all(
        [...this.#instances].map(async ([key, { ref }]) => {
          const zones = await ref.ask<readonly ZonePopulation[]>((r) => ({ type: 'instance.zones', replyTo: r }), 2000).catch(() => [] as readonly ZonePopulation[]);
          return { key, zones: zones.map((z) => z.path), zonePlayers: zones.map((z) => z.players) };
        }),
      );
      const zones = this.#zones.populations;
      replyTo.tell({ zones: zones.map((z) => z.path), zonePlayers: zones.map((z) => z.players), instances } satisfies WorldInfo);
    },
  };

  #enter(request: EnterRequest): void {
    const group = this.#init.rules.instanceGroupOf(request.path);
    if (group === undefined) {
      this.#zones.forward(request);
      return;
    }
    const key = `${group}:${request.owner}`;
    let instance = this.#instances.get(key);
    if (instance === undefined) {
      const generation = ++this.#generation;
      const ref = this.context.spawn(instanceProps({ key, generation, graceMs: this.#init.instanceGraceMs, zones: this.#init.zones, maxZones: this.#init.maxInstanceZones }), `instance-${key}-${generation}`);
      instance = { ref, generation, forwarded: 0 };
      this.#instances.set(key, instance);
      this.context.log.info({ instance: key }, 'private instance created');
    }
    instance.forwarded++;
    instance.ref.tell(request);
  }
}

export function gameWorldProps(init: GameWorldInit) {
  return props<WorldMessage>((context) => new GameWorld(context, init), { kind: 'GameWorld' });
}
