export { nodeAddress, nodeOfPath, SCHEME, Subjects } from './address.js';
export { ClusterNode } from './cluster-node.js';
export type { ClusterNodeOptions, ClusterStats } from './node-options.js';
export {
  BatchDecodeError,
  ClusterConfigError,
  ClusterError,
  InvalidMessageError,
  InvalidRemotePathError,
  MessageEncodeError,
  TransportClosedError,
  TransportConnectError,
  UnregisteredMessageError,
} from './errors.js';
export { InProcessBus, InProcessTransport } from './in-process-transport.js';
export type { Member, MemberDownReason, MemberEvent, MemberStatus } from './membership.js';
export { MessageTypes, type MessageSchema } from './message-types.js';
export { joinNatsCluster, type JoinNatsClusterOptions } from './nats/join-nats-cluster.js';
export { NatsTransport, type NatsTransportOptions } from './nats/nats-transport.js';
export { RemoteActorRef } from './remote-ref.js';
export type { Transport, TransportStatus } from './transport.js';
