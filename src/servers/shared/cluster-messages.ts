// The server-to-server messages that may cross processes in a cluster, with the check each one passes on
// arrival. Everything from another process is untrusted input: a message that fails its schema is logged and
// dropped by the cluster layer before any actor sees it.
import { z } from 'zod';
import { MessageTypes } from '../../cluster/index.js';
import type { ActorRef } from '../../runtime/index.js';
import { GameServerStatus, RegisterRefusal, type GameServerHealth, type GameServerInfo } from './pool-protocol.js';
import { SOCIAL_MESSAGE_TYPES } from '../social/social-messages.js';
import { checkSocialMessage } from '../social/social-wire-check.js';

// ---- the cluster's own messages (src/servers/shared/cluster-game-link.ts) ------------------------------------

/** Any node: "what do you run?" (discovery of the login server by the game processes). */
export interface IdentifyNode {
  readonly type: 'cluster.identify';
  readonly replyTo: ActorRef<NodeIdentity>;
}

export interface NodeIdentity {
  readonly type: 'cluster.identity';
  readonly node: string;
  /** The process's role: `login`, `game`, `patch` or `all`. */
  readonly role: string;
  /** Which servers this node hosts; `pool` when a GameServerPool takes remote game servers. */
  readonly hosts: readonly string[];
  /** `database.schema` of the process (unset: null): a game server only joins a login on the same schema. */
  readonly databaseSchema: string | null;
}

/** Game process -> login process: register a game server that runs in the sender's process. */
export interface RegisterRemoteGameServer {
  readonly type: 'cluster.game-register';
  readonly info: GameServerInfo;
  /** The game process's actor that stands for the server toward the login (health, keys, drain, kick). */
  readonly link: ActorRef;
  readonly replyTo: ActorRef<RemoteRegisterReply>;
}

export type RemoteRegisterReply =
  | { readonly type: 'cluster.game-registered'; readonly name: string; readonly proxy: ActorRef }
  | { readonly type: 'pool.register-refused'; readonly reason: RegisterRefusal; readonly detail: string }
  /** Nothing wrong with the request, but it cannot be taken now (no pool yet, the old proxy still stopping). */
  | { readonly type: 'cluster.game-register-later'; readonly reason: string };

/** The health reply, wrapped: the pool protocol's bare GameServerHealth has no `type` to cross a process. */
export interface RemoteHealthReply {
  readonly type: 'cluster.game-health';
  readonly health: GameServerHealth;
}

// ---- schemas -----------------------------------------------------------------------------------------------

function noControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return false;
  }
  return true;
}

const MAX_TEXT = 64;
const printable = (max: number) => z.string().min(1).max(max).refine(noControlCharacters, 'control characters');
// Refs arrive revived by the cluster layer; anything else in a ref slot is a forged message.
const ref = z.custom<ActorRef>((value) => typeof value === 'object' && value !== null && typeof (value as ActorRef).path === 'string' && typeof (value as ActorRef).tell === 'function');
const count = z.number().int().min(0).max(1_000_000_000);
const status = z.enum(Object.values(GameServerStatus) as [GameServerStatus, ...GameServerStatus[]]);
const refusal = z.enum(Object.values(RegisterRefusal) as [RegisterRefusal, ...RegisterRefusal[]]);
// The server name becomes an actor name (`game-<name>`): no '/', no leading '$'.
const serverName = printable(MAX_TEXT).regex(/^[^/$][^/]*$/);

export const GameServerInfoSchema = z.object({
  name: serverName,
  realm: printable(MAX_TEXT),
  address: printable(255),
  port: z.number().int().min(1).max(0xffff),
  capacity: z.number().int().min(1).max(1_000_000),
});

export const GameServerHealthSchema = z.object({
  name: printable(MAX_TEXT),
  players: count,
  capacity: z.number().int().min(1).max(1_000_000),
  status,
});

const schemas = {
  // pool-protocol.ts, as a game server and the pool speak it directly
  'pool.register': z.object({ type: z.literal('pool.register'), info: GameServerInfoSchema, server: ref, replyTo: ref }),
  'pool.registered': z.object({ type: z.literal('pool.registered'), name: printable(MAX_TEXT) }),
  'pool.register-refused': z.object({ type: z.literal('pool.register-refused'), reason: refusal, detail: z.string().max(1024) }),
  'pool.unregister': z.object({ type: z.literal('pool.unregister'), name: printable(MAX_TEXT) }),
  'pool.health': z.object({ type: z.literal('pool.health'), replyTo: ref }),
  'pool.grant-login-key': z.object({
    type: z.literal('pool.grant-login-key'),
    key: z.string().min(1).max(256),
    accountId: z.bigint(),
    characterId: z.bigint(),
    expiresAt: z.number().finite(),
  }),
  'pool.drain': z.object({ type: z.literal('pool.drain') }),
  'pool.kick': z.object({ type: z.literal('pool.kick'), accountId: z.bigint(), reason: z.string().max(256), replyTo: ref.optional() }),
  'pool.kicked': z.object({ type: z.literal('pool.kicked'), found: z.boolean() }),
  // the cluster's own
  'cluster.identify': z.object({ type: z.literal('cluster.identify'), replyTo: ref }),
  'cluster.identity': z.object({
    type: z.literal('cluster.identity'),
    node: z.string().min(1).max(64),
    role: z.string().min(1).max(16),
    hosts: z.array(z.string().max(32)).max(16),
    databaseSchema: z.string().max(63).nullable(),
  }),
  'cluster.game-register': z.object({ type: z.literal('cluster.game-register'), info: GameServerInfoSchema, link: ref, replyTo: ref }),
  'cluster.game-registered': z.object({ type: z.literal('cluster.game-registered'), name: printable(MAX_TEXT), proxy: ref }),
  'cluster.game-register-later': z.object({ type: z.literal('cluster.game-register-later'), reason: z.string().max(1024) }),
  'cluster.game-health': z.object({ type: z.literal('cluster.game-health'), health: GameServerHealthSchema }),
} as const;

/** Every type in the registry (the tests check each one has a schema that refuses junk). */
export const CLUSTER_MESSAGE_TYPES = Object.keys(schemas) as ReadonlyArray<keyof typeof schemas>;

/** The registry a process joins the cluster with: every server-to-server message, each with its schema. */
export function clusterMessageTypes(): MessageTypes {
  const types = new MessageTypes();
  for (const [type, schema] of Object.entries(schemas)) types.register(type, schema);
  // The social layer's messages (docs/social.md): presence, routing, groups, and the events to players.
  for (const type of SOCIAL_MESSAGE_TYPES) types.register(type, checkSocialMessage);
  return types;
}
