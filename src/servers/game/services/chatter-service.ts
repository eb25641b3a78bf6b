// The Client chatter service (docs/game-server.md, "Login chatter"): what a client sends around entering
// the world and while it stands there, answered the way the client expects and never with a disconnect.
// The answers carry nothing (empty Data, zero crowns): there is no shop or subscription here. SYSTEM
// MSG_PING is answered; MSG_QUERYLOGOUT (the client asking whether it may log out) is answered yes.
import { GAME, SYSTEM, WIZARD, type RecordDef } from '../../../protocol/index.js';
import { MessageService, type ServiceContext, type ServiceEnv } from '../../../net/index.js';
import type { PlayerReady } from '../messages.js';

const EMPTY = Buffer.alloc(0);

export class ChatterService extends MessageService<PlayerReady> {
  #characterId = 0n;

  constructor(context: ServiceContext<PlayerReady>, env: ServiceEnv) {
    super(context, env);
    this.onServer('game.player-ready', ({ characterId }) => {
      this.#characterId = characterId;
    });
    this.onClient(SYSTEM.MSG_PING, () => this.send(SYSTEM.MSG_PING_RSP, {}));
    this.onClient(WIZARD.MSG_GETTIMEDACCESSPASSES, () => this.send(WIZARD.MSG_TIMEDACCESSPASSES, { Data: EMPTY }));
    this.onClient(WIZARD.MSG_GETSUBSCRIBERONLYITEMS, () => this.send(WIZARD.MSG_SUBSCRIBERONLYITEMS, { Data: EMPTY }));
    this.onClient(WIZARD.MSG_CROWNBALANCE, () =>
      this.send(WIZARD.MSG_CROWNBALANCE, { Failure: 0, TotalCrowns: 0, CharacterID: this.#characterId, CacheBalanceForCSSegmentation: 0 }),
    );
    this.onClient(GAME.MSG_QUERYLOGOUT, () => this.send(GAME.MSG_QUERYLOGOUT, { IsInstance: 0 }));
    const noted = (data: unknown, record: RecordDef): void => this.log.debug({ message: record.name, data }, 'client report noted');
    this.onClient(WIZARD.MSG_LOGCLIENTRESOLUTION, noted);
    this.onClient(WIZARD.MSG_LOGPATCHCLIENTPATCHTIME, noted);
    this.onClient(WIZARD.MSG_DONESHOPPING, noted);
    this.onClient(WIZARD.MSG_QUESTFINDEROPTION, noted);
  }
}
