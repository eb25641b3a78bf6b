// Cluster mode of a process (docs/cluster.md): with `cluster.natsUrl` set, the actor system is named after the node,
// joins the others over NATS, and the role's link actors are spawned: the ClusterDirectory on every node, and on a
// game-role node the PoolLink its game servers register through. Without a NATS URL none of this runs.
import type { Metrics } from '../admin/index.js';
import { joinNatsCluster, type ClusterNode, type MemberEvent } from '../cluster/index.js';
import type { ImlightConfig, Role } from '../config/index.js';
import type { ActorRef, ActorSnapshot, ActorSystem, Logger } from '../runtime/index.js';
import {
  CLUSTER_DIRECTORY_NAME,
  clusterDirectoryProps,
  POOL_KIND,
  POOL_LINK_NAME,
  poolLinkProps,
  type PoolLinkMessage,
} from '../servers/shared/cluster-game-link.js';
import { clusterMessageTypes } from '../servers/shared/cluster-messages.js';
import { socialRelayProps, type SocialRelayMessage } from '../servers/social/index.js';
import type { ImlightLogger } from './logging.js';

// Cluster-level asks (identify, registration, health relay) are small and answered at once when the peer is up.
const CLUSTER_ASK_TIMEOUT_MS = 5000;

export interface ClusterWiring {
  readonly node: ClusterNode;
  /** On a game-role node: the "pool" its game servers register with (it finds the login server's pool). */
  readonly poolLink: ActorRef<PoolLinkMessage> | undefined;
  /** Leaves the cluster; call after the actor system has terminated. */
  stop(): Promise<void>;
}

/**
 * A node name made of the characters NATS subjects allow: `cluster.nodeName` defaults to `<hostname>-<pid>`, and
 * a host name often holds dots (`game1.example.org-4242` becomes `game1-example-org-4242`).
 */
export function clusterNodeName(raw: string): string {
  let name = raw.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[-_]+/, '');
  if (name.length === 0) name = 'node';
  return name.slice(0, 64);
}

/** The ActorSystem name of this process: the node name in a cluster, `fallback` alone. */
export function systemNameFor(config: ImlightConfig, fallback: string): string {
  return config.cluster.natsUrl === undefined ? fallback : clusterNodeName(config.cluster.nodeName);
}


function findByKind(snapshot: ActorSnapshot, kind: string): string | undefined {
  if (snapshot.kind === kind) return snapshot.path;
  for (const child of snapshot.children) {
    const found = findByKind(child, kind);
    if (found !== undefined) return found;
  }
  return undefined;
}

export interface ClusterRolesOptions {
  readonly role: Role;
  /** `database.schema`: a game node joins only a login node on the same schema. */
  readonly databaseSchema: string | null;
  /** Retry interval of a game server's registration across the cluster (`game.registerRetry`). */
  readonly retryMs: number;
  readonly log: Logger;
}

export interface ClusterRoles {
  /** On a game-role node: the local face of the login server's pool (see cluster-game-link.ts). */
  readonly poolLink: ActorRef<PoolLinkMessage> | undefined;
  /** Stops feeding membership events to the actors (they stop with the actor system). */
  detach(): void;
}

/**
 * Spawns the role's cluster actors on a node that joined: the ClusterDirectory everywhere, the PoolLink on a game
 * node (fed with membership events), and logs the membership changes.
 */
export function attachClusterRoles(system: ActorSystem, node: ClusterNode, options: ClusterRolesOptions): ClusterRoles {
  const { role, databaseSchema, log } = options;
  system.spawn(
    clusterDirectoryProps({
      role,
      databaseSchema,
      findPool: () => {
        // On a game node the PoolLink has the pool's kind: it is no pool to register with.
        if (role !== 'login' && role !== 'all') return undefined;
        const path = findByKind(system.snapshot(), POOL_KIND);
        return path === undefined ? undefined : system.lookup(path);
      },
      isNodeUp: (name) => node.memberStatus(name) === 'up',
      askTimeoutMs: CLUSTER_ASK_TIMEOUT_MS,
    }),
    CLUSTER_DIRECTORY_NAME,
  );
  const unsubscribes: Array<() => void> = [];
  let poolLink: ActorRef<PoolLinkMessage> | undefined;
  if (role === 'game') {
    const link = system.spawn(
      poolLinkProps({
        databaseSchema,
        directoryOf: (name) => node.refOn(name, `/user/${CLUSTER_DIRECTORY_NAME}`),
        nodesUp: () => node.members().filter((member) => member.status === 'up').map((member) => member.node),
        retryMs: options.retryMs,
        askTimeoutMs: CLUSTER_ASK_TIMEOUT_MS,
      }),
      POOL_LINK_NAME,
    );
    poolLink = link;
    unsubscribes.push(node.onMembership((event: MemberEvent) => {
      if (event.type === 'member-up') link.tell({ type: 'link.member-up', node: event.node });
      else if (event.type === 'member-down') link.tell({ type: 'link.member-down', node: event.node });
    }));
    // The game servers' way to the SocialDirectory of the login node (docs/social.md).
    const relay: ActorRef<SocialRelayMessage> = system.spawn(
      socialRelayProps({
        databaseSchema,
        identityOf: (name) => node.refOn(name, `/user/${CLUSTER_DIRECTORY_NAME}`),
        directoryOn: (name) => node.refOn(name, '/user/login/social'),
        nodesUp: () => node.members().filter((member) => member.status === 'up').map((member) => member.node),
        askTimeoutMs: CLUSTER_ASK_TIMEOUT_MS,
      }),
      'social-relay',
    );
    unsubscribes.push(node.onMembership((event: MemberEvent) => {
      if (event.type === 'member-up') relay.tell({ type: 'relay.member-up', node: event.node });
      else if (event.type === 'member-down') relay.tell({ type: 'relay.member-down', node: event.node });
    }));
  }
  unsubscribes.push(node.onMembership((event: MemberEvent) => {
    const line = { member: event.node, incarnation: event.incarnation, ...(event.type === 'member-down' ? { reason: event.reason } : {}) };
    if (event.type === 'member-up' || event.type === 'member-reachable') log.info(line, event.type === 'member-up' ? 'node joined' : 'node reachable again');
    else log.warn(line, event.type === 'member-down' ? 'node left or declared down' : 'node unreachable');
  }));
  return {
    poolLink,
    detach() {
      for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
    },
  };
}

export interface JoinOptions {
  readonly role: Role;
  readonly metrics: Metrics;
  readonly log: ImlightLogger;
}

/**
 * Joins the cluster the configuration names, or returns undefined when `cluster.natsUrl` is unset. The system must
 * be named with `systemNameFor`. Fails with the cluster's TransportConnectError when NATS is unreachable at start.
 */
export async function joinConfiguredCluster(system: ActorSystem, config: ImlightConfig, options: JoinOptions): Promise<ClusterWiring | undefined> {
  const natsUrl = config.cluster.natsUrl;
  if (natsUrl === undefined) return undefined;
  const { role, metrics, log } = options;
  const node = await joinNatsCluster(system, {
    nats: { servers: natsUrl },
    messages: clusterMessageTypes(),
    // `cluster.name` is the NATS subject namespace: clusters sharing one NATS server never see each other.
    cluster: config.cluster.name,
    heartbeatIntervalMs: config.cluster.heartbeatInterval,
    downAfterMs: config.cluster.deathTimeout,
    logger: log,
  });
  let roles: ClusterRoles;
  try {
    roles = attachClusterRoles(system, node, { role, databaseSchema: config.database.schema ?? null, retryMs: config.game.registerRetry, log });
  } catch (error) {
    await node.stop();
    throw error;
  }
  metrics.setClusterConnected(node.status === 'connected');
  // The node itself logs the loss and the return of NATS; the gauge shows it on the dashboards.
  const unwatchStatus = node.onStatus((status) => metrics.setClusterConnected(status === 'connected'));

  log.info({ node: node.name, cluster: node.cluster, role, heartbeatIntervalMs: node.heartbeatIntervalMs, downAfterMs: node.downAfterMs }, 'cluster mode: joined over NATS');
  let stopping: Promise<void> | undefined;
  return {
    node,
    poolLink: roles.poolLink,
    stop() {
      stopping ??= (async () => {
        unwatchStatus();
        roles.detach();
        await node.stop();
        metrics.setClusterConnected(false);
      })();
      return stopping;
    },
  };
}
