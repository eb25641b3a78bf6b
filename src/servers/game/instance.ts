// A private instance (a house, a dungeon) of one owner: it holds the zones of its group for that
// owner and asks the world to remove it once it has been empty for the grace period.
import { Actor, props, type ActorContext, type ActorRef, type Handlers } from '../../runtime/index.js';
import type { InstanceMessage, WorldMessage } from './messages.js';
import { ZONE_STRATEGY, ZoneHost, type ZoneSettings } from './zone-host.js';

export interface InstanceInit {
  readonly key: string;
  readonly generation: number;
  readonly graceMs: number;
  readonly zones: ZoneSettings;
  readonly maxZones: number;
}

const GRACE_OVER: InstanceMessage = Object.freeze({ type: 'instance.grace-over' });

export class Instance extends Actor<InstanceMessage> {
  override readonly supervisorStrategy = ZONE_STRATEGY;
  readonly #init: InstanceInit;
  readonly #world: ActorRef<WorldMessage>;
  readonly #zones: ZoneHost;
  #entersSeen = 0;

  constructor(context: ActorContext<InstanceMessage>, init: InstanceInit) {
    super(context);
    this.#init = init;
    this.#world = context.parent as ActorRef<WorldMessage>;
    this.#zones = new ZoneHost(context, init.zones, init.key, init.maxZones);
  }

  readonly receive: Handlers<InstanceMessage> = {
    'world.enter': (request) => {
      this.#entersSeen++;
      this.context.timers.cancel('grace');
      this.#zones.forward(request);
    },
    'zone.population': ({ path, players }) => {
      this.#zones.population(path, players);
      this.#checkEmpty();
    },
    'zone.failed': ({ path, generation }) => {
      this.#zones.failed(path, generation);
      this.#checkEmpty();
    },
    'instance.grace-over': () => {
      if (this.#zones.players > 0) return;
      this.#world.tell({ type: 'world.instance-idle', key: this.#init.key, generation: this.#init.generation, entersSeen: this.#entersSeen });
    },
    'instance.zones': ({ replyTo }) => replyTo.tell(this.#zones.populations),
  };

  #checkEmpty(): void {
    if (this.#zones.players === 0) this.context.timers.startSingle('grace', GRACE_OVER, this.#init.graceMs);
    else this.context.timers.cancel('grace');
  }
}

export function instanceProps(init: InstanceInit) {
  return props<InstanceMessage>((context) => new Instance(context, init), { kind: 'Instance' });
}
