// The SocialDirectory as the game servers of a game-role process see it (docs/social.md): a local actor that
// finds the login node of the cluster (the node hosting the pool, on the same database schema, as the PoolLink
// does) and forwards every directory message there. It remembers who is online through it, so a login node that
// comes (back) up learns this process's players at once. While no login node is known, requests get their
// failure answer at once instead of waiting.
import { Actor, props, type ActorContext, type ActorRef, type Handlers, type Props } from '../../runtime/index.js';
import type { IdentifyNode, NodeIdentity } from '../shared/cluster-messages.js';
import { PartyError } from './social-settings.js';
import type { DirectoryMessage, PlayerPresence } from './social-messages.js';

export interface SocialRelayInit {
  readonly databaseSchema: string | null;
  /** The ClusterDirectory of a node (answers `cluster.identify`). */
  readonly identityOf: (node: string) => ActorRef<IdentifyNode>;
  /** The SocialDirectory on a login node. */
  readonly directoryOn: (node: string) => ActorRef<DirectoryMessage>;
  readonly nodesUp: () => readonly string[];
  readonly askTimeoutMs: number;
}

export type SocialRelayMessage =
  | DirectoryMessage
  | { readonly type: 'relay.member-up'; readonly node: string }
  | { readonly type: 'relay.member-down'; readonly node: string }
  | { readonly type: 'relay.identified'; readonly node: string; readonly identity: NodeIdentity | undefined };

export class SocialRelay extends Actor<SocialRelayMessage> {
  readonly #init: SocialRelayInit;
  #loginNode: string | undefined = undefined;
  #directory: ActorRef<DirectoryMessage> | undefined = undefined;
  /** The players online through this relay, with their friend lists: replayed to a login node that comes up. */
  readonly #online = new Map<bigint, { presence: PlayerPresence; friendIds: readonly bigint[] }>();

  constructor(context: ActorContext<SocialRelayMessage>, init: SocialRelayInit) {
    super(context);
    this.#init = init;
  }

  override preStart(): void {
    for (const node of this.#init.nodesUp()) this.#probe(node);
  }

  readonly receive: Handlers<SocialRelayMessage> = {
    'relay.member-up': ({ node }) => this.#probe(node),
    'relay.member-down': ({ node }) => {
      if (node !== this.#loginNode) return;
      this.context.log.warn({ node }, 'the login node is down: the social directory is unreachable until it is back');
      this.#loginNode = undefined;
      this.#directory = undefined;
    },
    'relay.identified': ({ node, identity }) => {
      if (identity === undefined || !identity.hosts.includes('pool') || identity.databaseSchema !== this.#init.databaseSchema) return;
      this.#loginNode = node;
      this.#directory = this.#init.directoryOn(node);
      this.context.log.info({ node, players: this.#online.size }, 'social directory found on the login node');
      for (const { presence, friendIds } of this.#online.values()) this.#directory.tell({ type: 'social.online', presence, friendIds });
    },
    'social.online': (m) => this.#forward(m, () => this.#online.set(m.presence.characterId, { presence: m.presence, friendIds: m.friendIds })),
    'social.moved': (m) =>
      this.#forward(m, () => {
        const known = this.#online.get(m.characterId);
        if (known !== undefined && known.presence.inbox.path === m.inbox.path) known.presence = { ...known.presence, zone: m.zone };
      }),
    'social.offline': (m) =>
      this.#forward(m, () => {
        if (this.#online.get(m.characterId)?.presence.inbox.path === m.inbox.path) this.#online.delete(m.characterId);
      }),
    'social.lookup': (m) => this.#forward(m, undefined, () => m.replyTo.tell({ type: 'social.presences', online: [] })),
    'social.route': (m) => this.#forward(m, undefined, () => m.failTo.tell(m.failEvent)),
    'social.friends-changed': (m) =>
      this.#forward(m, () => {
        for (const [owner, other] of [[m.a, m.b], [m.b, m.a]] as const) {
          const known = this.#online.get(owner);
          if (known === undefined) continue;
          known.friendIds = m.friends ? [...known.friendIds.filter((id) => id !== other), other] : known.friendIds.filter((id) => id !== other);
        }
      }),
    'social.group-invite': (m) =>
      this.#forward(m, undefined, () => m.inviterInbox.tell({ type: 'social.group-invite-result', targetId: m.targetId ?? 0n, targetName: m.targetName ?? '', errorCode: PartyError.Offline })),
    'social.group-answer': (m) => this.#forward(m),
    'social.group-leave': (m) => this.#forward(m),
    'social.group-leader': (m) => this.#forward(m),
    'social.group-chat': (m) => this.#forward(m),
    'social.group-of': (m) => this.#forward(m, undefined, () => m.replyTo.tell({ type: 'social.group-of-reply', player: undefined, group: undefined })),
    // The directory's own internal messages never come through a relay.
    'social.member-left': () => {},
    'social.join-refused': () => {},
    'social.group-ended': () => {},
    'social.inbox-gone': () => {},
  };

  #forward(message: DirectoryMessage, track?: () => void, unavailable?: () => void): void {
    track?.();
    if (this.#directory !== undefined) this.#directory.tell(message);
    else unavailable?.();
  }

  #probe(node: string): void {
    if (node === this.context.system.name) return;
    const identity = this.#init.identityOf(node);
    this.context.pipeToSelf(identity.ask<NodeIdentity>((replyTo) => ({ type: 'cluster.identify', replyTo }), this.#init.askTimeoutMs), (result) => ({
      type: 'relay.identified', node, identity: result.ok ? result.value : undefined,
    }));
  }
}

export function socialRelayProps(init: SocialRelayInit): Props<SocialRelayMessage> {
  return props((context) => new SocialRelay(context, init), { kind: 'SocialRelay' });
}
