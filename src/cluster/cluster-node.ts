// One process's membership in a cluster (docs/cluster.md): a small coordinator of the parts in their own files,
// outbound batching (outbound.ts), the ref table (ref-table.ts), remote death watch (remote-watch.ts) and inbound
// dispatch (inbound.ts). It owns the transport, the heartbeat and the failure detector (membership.ts), and is the
// RemoteHost every RemoteActorRef sends through.
import { randomBytes } from 'node:crypto';
import type { ActorRef, ActorSystem, Cancellable, DeadLetterEvent, Logger, SystemMessage } from '../runtime/index.js';
import { assertToken, isValidNodeName, nodeAddress, nodeOfPath, SCHEME, Subjects } from './address.js';
import { FrameKind, WIRE_VERSION, WireCodec } from './codec.js';
import { BatchDecodeError, ClusterConfigError, InvalidRemotePathError, MessageEncodeError, UnregisteredMessageError } from './errors.js';
import { Inbound } from './inbound.js';
import { Membership, type Member, type MemberDownReason, type MemberEvent, type MemberStatus } from './membership.js';
import type { MessageTypes } from './message-types.js';
import { Outbound } from './outbound.js';
import { RefTable } from './ref-table.js';
import { RemoteActorRef, type RemoteHost } from './remote-ref.js';
import { RemoteWatches } from './remote-watch.js';
import { ThrottledWarnings } from './throttled-warnings.js';
import type { TransportStatus } from './transport.js';
import { positive, withTimeout, type ClusterNodeOptions, type ClusterStats } from './node-options.js';

const MAX_HEARTBEAT_BYTES = 512;
const STOP_FLUSH_MS = 2000;
/** One warning line per kind of bad input (or refused send) per this many ms. */
const WARN_INTERVAL_MS = 10_000;
const started = new WeakSet<ActorSystem>();

export class ClusterNode implements RemoteHost {
  readonly name: string;
  readonly cluster: string;
  // Changes with every start, so a restarted process under the same node name is told apart from the old one.
  readonly incarnation: string;
  readonly system: ActorSystem;
  readonly heartbeatIntervalMs: number;
  readonly downAfterMs: number;
  readonly #transport: ClusterNodeOptions['transport'];
  readonly #messages: MessageTypes;
  readonly #log: Logger;
  readonly #codec: WireCodec;
  readonly #membership: Membership;
  readonly #maxBatchBytes: number;
  readonly #bufferCap: number;
  readonly #heartbeatSubject: string;
  readonly #warnings: ThrottledWarnings;
  readonly #refs: RefTable;
  readonly #outbound: Outbound;
  readonly #watches: RemoteWatches;
  readonly #inbound: Inbound;
  readonly #cleanups: Array<() => void> = [];
  #statusListeners: Array<(status: TransportStatus) => void> = [];
  #tick: Cancellable | undefined = undefined;
  #status: TransportStatus;
  #stopping = false;
  #messagesSent = 0;
  #droppedOutbound = 0;

  private constructor(system: ActorSystem, options: ClusterNodeOptions) {
    this.system = system;
    this.name = system.name;
    this.cluster = options.cluster ?? 'imlight';
    assertToken('node name (the ActorSystem name)', this.name);
    assertToken('cluster name', this.cluster);
    this.heartbeatIntervalMs = positive('heartbeatIntervalMs', options.heartbeatIntervalMs ?? 1000);
    this.downAfterMs = positive('downAfterMs', options.downAfterMs ?? 10_000);
    const unreachableAfterMs = positive('unreachableAfterMs', options.unreachableAfterMs ?? Math.min(3 * this.heartbeatIntervalMs, this.downAfterMs));
    if (this.downAfterMs <= this.heartbeatIntervalMs) throw new ClusterConfigError(`downAfterMs (${this.downAfterMs}) must exceed heartbeatIntervalMs (${this.heartbeatIntervalMs})`);
    this.#transport = options.transport;
    this.#messages = options.messages;
    this.#log = (options.logger ?? system.log).child({ component: 'cluster', node: this.name });
    this.#maxBatchBytes = Math.min(positive('maxBatchBytes', options.maxBatchBytes ?? 256 * 1024), options.transport.maxPayload);
    this.#bufferCap = positive('disconnectedBufferBytes', options.disconnectedBufferBytes ?? 8 * 1024 * 1024);
    this.incarnation = randomBytes(8).toString('hex');
    this.#heartbeatSubject = Subjects.heartbeat(this.cluster);
    this.#warnings = new ThrottledWarnings(this.#log, () => system.scheduler.now(), WARN_INTERVAL_MS);
    const refs = new RefTable(system, this);
    this.#refs = refs;
    this.#codec = new WireCodec({ exportRef: (ref) => refs.export(ref), reviveRef: (path) => refs.revive(path) }, options.transport.maxPayload);
    this.#outbound = new Outbound(options.transport, this.cluster, this.#codec.encode([WIRE_VERSION, this.name, this.incarnation]), this.#maxBatchBytes, this.#log);
    this.#status = options.transport.status;
    this.#membership = new Membership(
      () => system.scheduler.now(),
      { unreachableAfterMs, downAfterMs: this.downAfterMs },
      (node, reason) => this.#nodeDown(node, reason),
      (error) => this.#log.error({ err: error }, 'membership listener threw'),
    );
    this.#watches = new RemoteWatches({
      refs,
      sendFrame: (node, frame) => this.#sendFrame(node, frame),
      isDown: (node) => this.#membership.status(node) === 'down',
      expect: (node) => this.#membership.expect(node),
      localTarget: (path) => this.#inbound.localTarget(path),
    });
    this.#inbound = new Inbound({
      name: this.name,
      system,
      warnings: this.#warnings,
      codec: this.#codec,
      messages: this.#messages,
      refs,
      watches: this.#watches,
      heardFrom: (from, incarnation) => {
        this.#membership.seen(from, incarnation);
        if (this.#outbound.isHolding) this.#outbound.releaseHeld(from);
      },
    });
  }

  // Joins the cluster: subscribes to this node's subject and the heartbeats, and makes every path of another node
  // resolvable through system.lookup. The ActorSystem's name is the node name, unique in the cluster.
  static async start(system: ActorSystem, options: ClusterNodeOptions): Promise<ClusterNode> {
    if (started.has(system)) throw new ClusterConfigError(`actor system ${system.name} already joined a cluster`);
    const node = new ClusterNode(system, options);
    started.add(system);
    node.#join();
    await node.#transport.flush().catch((error: unknown) => node.#log.warn({ err: error }, 'first flush to the transport failed'));
    return node;
  }

  get status(): TransportStatus {
    return this.#status;
  }

  // Transport status changes (for metrics: connected or not); the listener gets each new status.
  onStatus(listener: (status: TransportStatus) => void): () => void {
    this.#statusListeners = [...this.#statusListeners, listener];
    return () => {
      this.#statusListeners = this.#statusListeners.filter((l) => l !== listener);
    };
  }

  members(): Member[] {
    return this.#membership.list();
  }

  memberStatus(node: string): MemberStatus | undefined {
    return node === this.name ? 'up' : this.#membership.status(node);
  }

  // Membership events (member-up / -unreachable / -reachable / -down). To feed an actor, tell it from the listener.
  onMembership(listener: (event: MemberEvent) => void): () => void {
    return this.#membership.subscribe(listener);
  }

  // The ref for any actor path: a local actor, or a proxy for another node's actor.
  ref<M = any>(path: string): ActorRef<M> {
    const node = nodeOfPath(path);
    if (node === undefined) throw new InvalidRemotePathError(path);
    if (node !== this.name) return this.#refs.remote(path, node);
    return this.#refs.local(path);
  }

  // The ref of `path` ("/user/...") on `node`.
  refOn<M = any>(node: string, path: string): ActorRef<M> {
    if (!isValidNodeName(node)) throw new InvalidRemotePathError(`${SCHEME}${node}${path}`);
    return this.ref(`${nodeAddress(node)}${path.startsWith('/') ? path : `/${path}`}`);
  }

  stats(): ClusterStats {
    const members: Record<MemberStatus, number> = { joining: 0, up: 0, unreachable: 0, down: 0 };
    for (const member of this.#membership.list()) members[member.status]++;
    return {
      status: this.#status,
      members,
      messagesSent: this.#messagesSent,
      messagesReceived: this.#inbound.messagesReceived,
      batchesSent: this.#outbound.batchesSent,
      batchesReceived: this.#inbound.batchesReceived,
      droppedInbound: this.#inbound.dropped,
      droppedOutbound: this.#droppedOutbound + this.#outbound.droppedFrames,
      heldBytes: this.#outbound.heldBytes,
      exportedRefs: this.#refs.exportedCount,
    };
  }

  // Leaves the cluster: sends what is queued, tells the others this node is gone (their watches fire at once), fires
  // this node's watches on remote actors, and closes the transport. Terminate the ActorSystem first, so its actors'
  // Terminated reach remote watchers before the link closes.
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#tick?.cancel();
    this.#tick = undefined;
    this.#outbound.flushAll();
    if (this.#transport.status === 'connected') {
      for (const node of this.#outbound.heldNodes()) this.#outbound.releaseHeld(node);
      this.#publishHeartbeat(true);
      await withTimeout(this.#transport.flush(), STOP_FLUSH_MS).catch((error: unknown) => this.#log.warn({ err: error }, 'final flush failed'));
    }
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    this.#membership.downAll('local-stop');
    started.delete(this.system);
    await this.#transport.close();
    this.#log.info('left the cluster');
  }

  // ---- RemoteHost: what remote refs call ---------------------------------------------------------------------

  sendUser(ref: RemoteActorRef, message: unknown, sender: ActorRef | undefined): void {
    if (this.#stopping || this.#status === 'closed' || this.#membership.status(ref.node) === 'down') {
      this.#undeliverable(ref.path, message, sender);
      return;
    }
    const type = (message as { type?: unknown } | null)?.type;
    if (typeof type !== 'string' || !this.#messages.has(type)) {
      this.#warnings.warn('unregistered-out', { err: new UnregisteredMessageError(String(type)), target: ref.path }, 'message not sent: its type is not registered');
      this.#undeliverable(ref.path, message, sender);
      return;
    }
    if (this.#outbound.heldBytes >= this.#bufferCap) {
      this.#warnings.warn('buffer-full', { target: ref.path, heldBytes: this.#outbound.heldBytes }, 'messages wait for the transport and the buffer is full: message is a dead letter');
      this.#undeliverable(ref.path, message, sender);
      return;
    }
    let frame: Uint8Array;
    try {
      frame = this.#codec.encodeShared([FrameKind.User, ref.path, sender === undefined ? null : this.#refs.export(sender), message]);
    } catch (error) {
      this.#log.error({ err: new MessageEncodeError(type, error), target: ref.path }, 'message not sent');
      this.#undeliverable(ref.path, message, sender);
      return;
    }
    const link = this.#outbound.link(ref.node);
    if (!link.fits(frame.byteLength)) {
      this.#log.error({ err: new MessageEncodeError(type, new RangeError(`${frame.byteLength} bytes exceed the batch limit of ${this.#maxBatchBytes}`)), target: ref.path }, 'message not sent');
      this.#undeliverable(ref.path, message, sender);
      return;
    }
    link.append(frame);
    this.#messagesSent++;
  }

  sendSystem(ref: RemoteActorRef, message: SystemMessage): void {
    switch (message.type) {
      case 'watch':
        return this.#watches.watch(ref, message.watcher, this.#stopping);
      case 'unwatch':
        return this.#watches.unwatch(ref, message.watcher);
      case 'stop':
        if (this.#membership.status(ref.node) !== 'down') this.#sendFrame(ref.node, [FrameKind.Stop, ref.path]);
        return;
      case 'terminated':
        // `ref` is a remote watcher of one of our actors, which has stopped.
        return this.#watches.targetTerminated(ref, message.ref);
      default:
        // Parent/child messages never cross processes: a remote actor is nobody's child here.
        this.#log.warn({ target: ref.path, systemMessage: message.type }, 'local system message sent to a remote ref; ignored');
    }
  }

  ask<R>(ref: RemoteActorRef, build: (replyTo: ActorRef<R>) => unknown, timeoutMs: number): Promise<R> {
    return this.system.ask(ref, build, timeoutMs);
  }

  // ---- start, links, heartbeat ---------------------------------------------------------------------------------

  #join(): void {
    const transport = this.#transport;
    this.#cleanups.push(transport.subscribe(Subjects.node(this.cluster, this.name), (data) => this.#inbound.onBatch(data)));
    this.#cleanups.push(transport.subscribe(this.#heartbeatSubject, (data) => this.#onHeartbeat(data)));
    this.#cleanups.push(transport.onStatus((status) => this.#onStatus(status)));
    this.#cleanups.push(this.system.registerRefProvider(SCHEME, { resolve: (path) => this.#refs.provide(path) }));
    this.#cleanups.push(this.system.eventStream.subscribe('dead-letter', (event) => this.#onDeadLetter(event)));
    this.#publishHeartbeat(false);
    this.#scheduleTick();
    this.#log.info({ cluster: this.cluster, incarnation: this.incarnation, heartbeatIntervalMs: this.heartbeatIntervalMs, downAfterMs: this.downAfterMs }, 'joined the cluster');
  }

  #scheduleTick(): void {
    this.#tick = this.system.scheduler.schedule(this.heartbeatIntervalMs, () => {
      if (this.#stopping) return;
      this.#publishHeartbeat(false);
      this.#membership.check();
      this.#scheduleTick();
    });
  }

  #publishHeartbeat(leaving: boolean): void {
    if (this.#transport.status !== 'connected') return;
    try {
      this.#transport.publish(this.#heartbeatSubject, this.#codec.encode([WIRE_VERSION, this.name, this.incarnation, leaving]));
    } catch (error) {
      this.#log.warn({ err: error }, 'heartbeat not sent');
    }
  }

  #onHeartbeat(data: Uint8Array): void {
    try {
      if (data.byteLength > MAX_HEARTBEAT_BYTES) throw new BatchDecodeError(`heartbeat of ${data.byteLength} bytes`);
      const [value] = this.#codec.decodeStream(data);
      if (!Array.isArray(value) || value[0] !== WIRE_VERSION || typeof value[1] !== 'string' || typeof value[2] !== 'string' || !isValidNodeName(value[1])) {
        throw new BatchDecodeError('not a heartbeat');
      }
      const [, node, incarnation, leaving] = value as [number, string, string, unknown];
      if (node === this.name) {
        if (incarnation !== this.incarnation) this.#warnings.warn('duplicate-node', { incarnation }, `another process uses the node name ${node}: node names must be unique in a cluster`);
        return;
      }
      if (leaving === true) this.#membership.left(node, incarnation);
      else {
        this.#membership.seen(node, incarnation);
        if (this.#outbound.isHolding) this.#outbound.releaseHeld(node);
      }
    } catch (error) {
      this.#inbound.drop('bad-heartbeat', { err: error }, 'heartbeat dropped');
    }
  }

  #onStatus(status: TransportStatus): void {
    const previous = this.#status;
    this.#status = status;
    if (status === previous) return;
    for (const listener of this.#statusListeners) {
      try {
        listener(status);
      } catch (error) {
        this.#log.error({ err: error }, 'status listener threw');
      }
    }
    if (status === 'reconnecting') {
      this.#log.warn({ bufferCap: this.#bufferCap }, 'transport disconnected; local actors keep running, messages for other nodes wait (up to the buffer cap) until it reconnects');
    } else if (status === 'connected') {
      this.#log.info({ heldBytes: this.#outbound.heldBytes, waitingFor: this.#outbound.heldNodes() }, 'transport reconnected; held messages go out as each node is heard from');
      this.#publishHeartbeat(false);
    } else if (!this.#stopping) {
      this.#log.error('transport closed; other nodes will be declared down when their heartbeats stop');
    }
  }

  #sendFrame(node: string, frame: unknown[]): void {
    if (this.#stopping && this.#transport.status === 'closed') return;
    this.#outbound.link(node).append(this.#codec.encodeShared(frame));
  }

  #undeliverable(recipient: string, message: unknown, sender: ActorRef | undefined): void {
    this.#droppedOutbound++;
    this.system.recordDeadLetter(recipient, message, sender);
  }

  // A message from another node's ask (or probe) found no actor here: tell that node, so the ask fails at once
  // with DeadLetterError instead of timing out. Senders under /user need no notice.
  #onDeadLetter(event: DeadLetterEvent): void {
    const sender = event.sender;
    if (!(sender instanceof RemoteActorRef) || sender.path.startsWith(`${nodeAddress(sender.node)}/user/`)) return;
    if (this.#membership.status(sender.node) === 'down' || this.#stopping) return;
    const type = (event.message as { type?: unknown } | null)?.type;
    this.#sendFrame(sender.node, [FrameKind.DeadLetter, sender.path, event.recipient, typeof type === 'string' ? type : '']);
  }

  #nodeDown(node: string, reason: MemberDownReason): void {
    this.#log.warn({ member: node, reason }, 'node down');
    this.#outbound.nodeDown(node);
    this.#watches.nodeDown(node);
  }
}
