import { ClusterConfigError, InvalidRemotePathError } from './errors.js';

// The address form: a node's ActorSystem is named after the node, so an actor's path is the same string in every
// process: "imlight://<node>/user/...". No rewriting at the boundary, and death watch (keyed by path) just works.
export const SCHEME = 'imlight://';

// Node and cluster names are NATS subject tokens, so no '.', '*', '>' or spaces.
const TOKEN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function assertToken(kind: string, value: string): void {
  if (typeof value !== 'string' || !TOKEN.test(value)) {
    throw new ClusterConfigError(`invalid ${kind} ${JSON.stringify(value)}: use 1 to 64 letters, digits, '_' or '-' (no '.': it is a NATS subject token)`);
  }
}

export function isValidNodeName(value: string): boolean {
  return TOKEN.test(value);
}

// The node an actor path belongs to, or undefined when the path is not of the form imlight://<node>[/...].
export function nodeOfPath(path: string): string | undefined {
  if (typeof path !== 'string' || !path.startsWith(SCHEME)) return undefined;
  const end = path.indexOf('/', SCHEME.length);
  const node = end < 0 ? path.slice(SCHEME.length) : path.slice(SCHEME.length, end);
  return TOKEN.test(node) ? node : undefined;
}

export function requireNodeOfPath(path: string): string {
  const node = nodeOfPath(path);
  if (node === undefined) throw new InvalidRemotePathError(path);
  return node;
}

export function nodeAddress(node: string): string {
  return `${SCHEME}${node}`;
}

export const Subjects = {
  node: (cluster: string, node: string): string => `imlight.${cluster}.node.${node}`,
  heartbeat: (cluster: string): string => `imlight.${cluster}.heartbeat`,
} as const;
