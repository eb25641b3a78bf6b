import type { ActorSystem } from '../../runtime/index.js';
import { ClusterNode } from '../cluster-node.js';
import type { ClusterNodeOptions } from '../node-options.js';
import { NatsTransport, type NatsTransportOptions } from './nats-transport.js';

export interface JoinNatsClusterOptions extends Omit<ClusterNodeOptions, 'transport'> {
  readonly nats?: NatsTransportOptions;
}

// Connects to NATS (the connection named after the node) and joins the cluster; the returned node owns the
// connection and closes it on stop().
export async function joinNatsCluster(system: ActorSystem, options: JoinNatsClusterOptions): Promise<ClusterNode> {
  const transport = await NatsTransport.connect({ name: system.name, ...options.nats });
  try {
    return await ClusterNode.start(system, { ...options, transport });
  } catch (error) {
    await transport.close();
    throw error;
  }
}
