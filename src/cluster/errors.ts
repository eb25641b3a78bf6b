// Every error the cluster layer raises: one class per failure, each with a stable `code` (never reused) and a `cause`.

export abstract class ClusterError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ClusterConfigError extends ClusterError {
  readonly code = 'ERR_CLUSTER_CONFIG';
  constructor(message: string) {
    super(message);
  }
}

export class InvalidRemotePathError extends ClusterError {
  readonly code = 'ERR_CLUSTER_PATH';
  constructor(readonly path: string) {
    super(`${JSON.stringify(path.slice(0, 200))} is not an actor path of the form imlight://<node>/<path>`);
  }
}

export class UnregisteredMessageError extends ClusterError {
  readonly code = 'ERR_CLUSTER_UNREGISTERED_TYPE';
  constructor(readonly messageType: string) {
    super(`message type ${JSON.stringify(messageType.slice(0, 200))} is not registered for the cluster`);
  }
}

export class InvalidMessageError extends ClusterError {
  readonly code = 'ERR_CLUSTER_INVALID_MESSAGE';
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`invalid message: ${reason}`, options);
  }
}

export class MessageEncodeError extends ClusterError {
  readonly code = 'ERR_CLUSTER_ENCODE';
  constructor(readonly messageType: string, cause: unknown) {
    super(`message of type ${JSON.stringify(messageType)} cannot be serialized`, { cause });
  }
}

export class BatchDecodeError extends ClusterError {
  readonly code = 'ERR_CLUSTER_DECODE';
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`undecodable batch: ${reason}`, options);
  }
}

export class TransportClosedError extends ClusterError {
  readonly code = 'ERR_CLUSTER_TRANSPORT_CLOSED';
  constructor(operation: string) {
    super(`${operation} refused: the transport is closed`);
  }
}

export class TransportConnectError extends ClusterError {
  readonly code = 'ERR_CLUSTER_CONNECT';
  constructor(servers: string, cause: unknown) {
    super(`cannot connect to NATS at ${servers}`, { cause });
  }
}
