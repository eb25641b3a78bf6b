// The Move service: MSG_CLIENTMOVE to the player's zone, which batches the broadcast. A move whose
// ZoneCounter is not the current one belongs to a zone the player has left and is dropped.
import { GAME } from '../../../protocol/index.js';
import { MessageService, type ServiceContext, type ServiceEnv } from '../../../net/index.js';
import type { ActorRef } from '../../../runtime/index.js';
import type { PlayerReady, ZoneChanged, ZoneMessage } from '../messages.js';

type MoveServiceMessage = PlayerReady | ZoneChanged;

export class MoveService extends MessageService<MoveServiceMessage> {
  #zone: ActorRef<ZoneMessage> | undefined = undefined;
  #mobileId = 0;
  #characterId = 0n;
  #zoneCounter = 0;

  constructor(context: ServiceContext<MoveServiceMessage>, env: ServiceEnv) {
    super(context, env);
    this.onClient(GAME.MSG_CLIENTMOVE, (move) => {
      const zone = this.#zone;
      if (zone === undefined || move.ZoneCounter !== this.#zoneCounter) return;
      zone.tell({ type: 'zone.move', mobileId: this.#mobileId, characterId: this.#characterId, x: move.LocationX, y: move.LocationY, z: move.LocationZ, direction: move.Direction });
    });
    this.onServer('game.player-ready', ({ characterId, zone }) => {
      this.#characterId = characterId;
      this.#zone = zone.zone;
      this.#mobileId = zone.mobileId;
      this.#zoneCounter = 0;
    });
    this.onServer('game.zone-changed', ({ zone, mobileId, zoneCounter }) => {
      this.#zone = zone;
      this.#mobileId = mobileId;
      this.#zoneCounter = zoneCounter;
    });
  }
}
