import { randomBytes } from 'node:crypto';
import type { ActorRef, ActorSystem, Cancellable, DeadLetterEvent, Logger, SystemMessage } from '../runtime/index.js';
import { assertToken, isValidNodeName, nodeAddress, nodeOfPath, SCHEME, Subjects } from './address.js';
import { FrameKind, WIRE_VERSION, WireCodec } from './codec.js';
import {
  BatchDecodeError,
  ClusterConfigError,
  InvalidMessageError,
  InvalidRemotePathError,
  MessageEncodeError,
  UnregisteredMessageError,
} from './errors.js';
import { Membership, type Member, type MemberDownReason, type MemberEvent, type MemberStatus } from './membership.js';
import type { MessageTypes } from './message-types.js';
import { OutboundLink } from './outbound-link.js';
import { RemoteActorRef, type RemoteHost } from './remote-ref.js';
import type { Transport, TransportStatus } from './transport.js';

export interface ClusterNodeOptions {
  readonly transport: Transport;
  // The message types allowed across processes (both directions).
  readonly messages: MessageTypes;
  // Namespace of the subjects, so several clusters can share one NATS. Default 'imlight'.
  readonly cluster?: string;
  // Default 1000 ms.
  readonly heartbeatIntervalMs?: number;
  // Silence after which a node is reported unreachable. Default 3 heartbeats.
  readonly unreachableAfterMs?: number;
  // Silence after which a node is declared down and every watch on its actors fires. Default 10 000 ms.
  readonly downAfterMs?: number;
  // Largest batch per publish. Default 256 KiB, never above the transport's maxPayload.
  readonly maxBatchBytes?: number;
  // While the transport is reconnecting, batches wait up to this many bytes; past it, messages are dead letters.
  // Default 8 MiB.
  readonly disconnectedBufferBytes?: number;
  readonly logger?: Logger;
}

export interface ClusterStats {
  readonly status: TransportStatus;
  readonly members: Readonly<Record<MemberStatus, number>>;
  readonly messagesSent: number;
  readonly messagesReceived: number;
  readonly batchesSent: number;
  readonly batchesReceived: number;
  // Inbound messages refused: unregistered type, schema failure, malformed frame or batch.
  readonly droppedInbound: number;
  // Outbound messages that became dead letters (node down, not serializable, buffer full) or were discarded
  // while waiting for the transport.
  readonly droppedOutbound: number;
  readonly heldBytes: number;
  readonly exportedRefs: number;
}

interface OutWatch {
  readonly ref: RemoteActorRef;
  readonly watcher: ActorRef;
}

interface InWatch {
  readonly target: ActorRef;
  readonly watcher: RemoteActorRef;
}

interface HeldBatch {
  readonly node: string;
  readonly subject: string;
  readonly data: Uint8Array;
  readonly frames: number;
}

const REMOTE_DEAD_LETTER = '@imlight/remote-dead-letter';
const REF_CACHE_LIMIT = 10_000;
const MAX_HEARTBEAT_BYTES = 512;
const STOP_FLUSH_MS = 2000;
const started = new WeakSet<ActorSystem>();

// One process's membership in a cluster: it turns refs to other nodes into frames on the transport, delivers the
// frames other nodes send here, runs death watch across processes and the heartbeat failure detector.
export class ClusterNode implements RemoteHost {
  readonly name: string;
  readonly cluster: string;
  // Changes with every start, so a restarted process under the same node name is told apart from the old one.
  readonly incarnation: string;
  readonly system: ActorSystem;
  readonly heartbeatIntervalMs: number;
  readonly downAfterMs: number;
  readonly #transport: Transport;
  readonly #messages: MessageTypes;
  readonly #log: Logger;
  readonly #codec: WireCodec;
  readonly #membership: Membership;
  readonly #maxBatchBytes: number;
  readonly #bufferCap: number;
  readonly #header: Uint8Array;
  readonly #ownPrefix: string;
  readonly #userPrefix: string;
  readonly #deadLettersPath: string;
  readonly #heartbeatSubject: string;
  readonly #links = new Map<string, OutboundLink>();
  readonly #remoteRefs = new Map<string, RemoteActorRef>();
  readonly #exports = new Map<string, WeakRef<ActorRef>>();
  readonly #finalizer = new FinalizationRegistry<string>((path) => {
    if (this.#exports.get(path)?.deref() === undefined) this.#exports.delete(path);
  });
  readonly #outWatches = new Map<string, Map<string, Map<string, OutWatch>>>();
  readonly #inWatches = new Map<string, Map<string, InWatch>>();
  readonly #lookupMemo = new Map<string, ActorRef | undefined>();
  readonly #cleanups: Array<() => void> = [];
  readonly #warned = new Map<string, { at: number; suppressed: number }>();
  #statusListeners: Array<(status: TransportStatus) => void> = [];
  #inBatch = false;
  // Batches waiting per node: while the transport is down, and after it is back until that node is heard from
  // (then its subscription is surely back on the server too: NATS drops what has no subscriber).
  readonly #held = new Map<string, HeldBatch[]>();
  #heldBytes = 0;
  #tick: Cancellable | undefined = undefined;
  #status: TransportStatus;
  #stopping = false;
  #messagesSent = 0;
  #messagesReceived = 0;
  #batchesSent = 0;
  #batchesReceived = 0;
  #droppedInbound = 0;
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
    this.#ownPrefix = `${nodeAddress(this.name)}/`;
    this.#userPrefix = `${this.#ownPrefix}user/`;
    this.#deadLettersPath = `${this.#ownPrefix}deadLetters`;
    this.#heartbeatSubject = Subjects.heartbeat(this.cluster);
    this.#codec = new WireCodec({ exportRef: (ref) => this.#exportRef(ref), reviveRef: (path) => this.#reviveRef(path) }, options.transport.maxPayload);
    this.#header = this.#codec.encode([WIRE_VERSION, this.name, this.incarnation]);
    this.#status = options.transport.status;
    this.#membership = new Membership(
      () => system.scheduler.now(),
      { unreachableAfterMs, downAfterMs: this.downAfterMs },
      (node, reason) => this.#nodeDown(node, reason),
      (error) => this.#log.error({ err: error }, 'membership listener threw'),
    );
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
    if (node !== this.name) return this.#remoteRef(path, node);
    return this.#resolveLocal(path) ?? new UnresolvedLocalRef(path, this, this.system);
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
      messagesReceived: this.#messagesReceived,
      batchesSent: this.#batchesSent,
      batchesReceived: this.#batchesReceived,
      droppedInbound: this.#droppedInbound,
      droppedOutbound: this.#droppedOutbound,
      heldBytes: this.#heldBytes,
      exportedRefs: this.#exports.size,
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
    for (const link of this.#links.values()) link.flush();
    if (this.#transport.status === 'connected') {
      for (const node of [...this.#held.keys()]) this.#releaseHeld(node);
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
      this.#warn('unregistered-out', { err: new UnregisteredMessageError(String(type)), target: ref.path }, 'message not sent: its type is not registered');
      this.#undeliverable(ref.path, message, sender);
      return;
    }
    if (this.#heldBytes >= this.#bufferCap) {
      this.#warn('buffer-full', { target: ref.path, heldBytes: this.#heldBytes }, 'messages wait for the transport and the buffer is full: message is a dead letter');
      this.#undeliverable(ref.path, message, sender);
      return;
    }
    let frame: Uint8Array;
    try {
      frame = this.#codec.encodeShared([FrameKind.User, ref.path, sender === undefined ? null : this.#exportRef(sender), message]);
    } catch (error) {
      this.#log.error({ err: new MessageEncodeError(type, error), target: ref.path }, 'message not sent');
      this.#undeliverable(ref.path, message, sender);
      return;
    }
    const link = this.#link(ref.node);
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
        return this.#watchRemote(ref, message.watcher);
      case 'unwatch': {
        const removed = this.#removeOutWatch(ref.node, ref.path, message.watcher.path);
        if (removed && this.#membership.status(ref.node) !== 'down') this.#sendFrame(ref.node, [FrameKind.Unwatch, ref.path, this.#exportRef(message.watcher)]);
        return;
      }
      case 'stop':
        if (this.#membership.status(ref.node) !== 'down') this.#sendFrame(ref.node, [FrameKind.Stop, ref.path]);
        return;
      case 'terminated':
        // `ref` is a remote watcher of one of our actors, which has stopped.
        this.#inWatches.get(ref.node)?.delete(inWatchKey(message.ref.path, ref.path));
        if (this.#membership.status(ref.node) !== 'down') this.#sendFrame(ref.node, [FrameKind.Terminated, ref.path, this.#exportRef(message.ref)]);
        return;
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
    this.#cleanups.push(transport.subscribe(Subjects.node(this.cluster, this.name), (data) => this.#onBatch(data)));
    this.#cleanups.push(transport.subscribe(this.#heartbeatSubject, (data) => this.#onHeartbeat(data)));
    this.#cleanups.push(transport.onStatus((status) => this.#onStatus(status)));
    this.#cleanups.push(this.system.registerRefProvider(SCHEME, { resolve: (path) => this.#provide(path) }));
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
        if (incarnation !== this.incarnation) this.#warn('duplicate-node', { incarnation }, `another process uses the node name ${node}: node names must be unique in a cluster`);
        return;
      }
      if (leaving === true) this.#membership.left(node, incarnation);
      else {
        this.#membership.seen(node, incarnation);
        if (this.#held.size > 0) this.#releaseHeld(node);
      }
    } catch (error) {
      this.#droppedInbound++;
      this.#warn('bad-heartbeat', { err: error }, 'heartbeat dropped');
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
      this.#log.info({ heldBytes: this.#heldBytes, waitingFor: [...this.#held.keys()] }, 'transport reconnected; held messages go out as each node is heard from');
      this.#publishHeartbeat(false);
    } else if (!this.#stopping) {
      this.#log.error('transport closed; other nodes will be declared down when their heartbeats stop');
    }
  }

  #link(node: string): OutboundLink {
    let link = this.#links.get(node);
    if (link === undefined) {
      link = new OutboundLink(node, Subjects.node(this.cluster, node), this.#header, this.#maxBatchBytes, (from, data, frames) => this.#publishBatch(from, data, frames));
      this.#links.set(node, link);
    }
    return link;
  }

  #sendFrame(node: string, frame: unknown[]): void {
    if (this.#stopping && this.#transport.status === 'closed') return;
    this.#link(node).append(this.#codec.encodeShared(frame));
  }

  #publishBatch(link: OutboundLink, data: Uint8Array, frames: number): void {
    if (this.#transport.status === 'connected' && !this.#held.has(link.node)) {
      try {
        this.#transport.publish(link.subject, data);
        this.#batchesSent++;
        return;
      } catch (error) {
        this.#log.warn({ err: error, node: link.node }, 'publish failed; holding the batch');
      }
    }
    if (this.#transport.status === 'closed') {
      this.#droppedOutbound += frames;
      return;
    }
    let held = this.#held.get(link.node);
    if (held === undefined) this.#held.set(link.node, (held = []));
    held.push({ node: link.node, subject: link.subject, data, frames });
    this.#heldBytes += data.byteLength;
  }

  // Sends what waits for `node`, in order, once the transport is up.
  #releaseHeld(node: string): void {
    const held = this.#held.get(node);
    if (held === undefined || this.#transport.status !== 'connected') return;
    let sent = 0;
    try {
      for (; sent < held.length; sent++) {
        this.#transport.publish(held[sent]!.subject, held[sent]!.data);
        this.#heldBytes -= held[sent]!.data.byteLength;
        this.#batchesSent++;
      }
      this.#held.delete(node);
    } catch (error) {
      held.splice(0, sent);
      this.#log.warn({ err: error, member: node }, 'publish of held batches failed; holding the rest');
    }
  }

  // ---- refs ------------------------------------------------------------------------------------------------------

  #remoteRef(path: string, node: string): RemoteActorRef {
    let ref = this.#remoteRefs.get(path);
    if (ref === undefined) {
      if (this.#remoteRefs.size >= REF_CACHE_LIMIT) this.#remoteRefs.clear();
      ref = new RemoteActorRef(path, node, this);
      this.#remoteRefs.set(path, ref);
    }
    return ref;
  }

  #provide(path: string): ActorRef | undefined {
    const node = nodeOfPath(path);
    return node === undefined || node === this.name ? undefined : this.#remoteRef(path, node);
  }

  // Refs of this node that cannot be found by path (an ask's reply slot, a probe) are kept weakly by path until
  // garbage-collected, so a remote reply finds them while anything can still answer them.
  #exportRef(ref: ActorRef): string {
    const path = ref.path;
    if (!path.startsWith(this.#ownPrefix) || path.startsWith(this.#userPrefix) || path === this.#deadLettersPath) return path;
    if (this.#exports.get(path)?.deref() !== ref) {
      this.#exports.set(path, new WeakRef(ref));
      this.#finalizer.register(ref, path);
    }
    return path;
  }

  #reviveRef(path: string): ActorRef | undefined {
    const node = nodeOfPath(path);
    if (node === undefined) return undefined;
    if (node !== this.name) return this.#remoteRef(path, node);
    return this.#resolveLocal(path) ?? new UnresolvedLocalRef(path, this, this.system);
  }

  // Internal: used by refs read from the wire. Outside a batch there is no memo, so a new actor is found.
  resolveLocal(path: string): ActorRef | undefined {
    return this.#resolveLocal(path);
  }

  #resolveLocal(path: string): ActorRef | undefined {
    if (path.startsWith(this.#userPrefix)) {
      if (!this.#inBatch) return this.system.lookup(path);
      // One tree walk per target per batch: a burst to one actor costs one lookup.
      const memo = this.#lookupMemo;
      if (memo.has(path)) return memo.get(path);
      const ref = this.system.lookup(path);
      memo.set(path, ref);
      return ref;
    }
    if (path === this.#deadLettersPath) return this.system.deadLetters;
    return this.#exports.get(path)?.deref();
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

  // ---- death watch -----------------------------------------------------------------------------------------------

  #watchRemote(ref: RemoteActorRef, watcher: ActorRef): void {
    if (this.#stopping || this.#membership.status(ref.node) === 'down') {
      watcher.sendSystem({ type: 'terminated', ref });
      return;
    }
    let byRef = this.#outWatches.get(ref.node);
    if (byRef === undefined) this.#outWatches.set(ref.node, (byRef = new Map()));
    let watchers = byRef.get(ref.path);
    if (watchers === undefined) byRef.set(ref.path, (watchers = new Map()));
    watchers.set(watcher.path, { ref, watcher });
    this.#membership.expect(ref.node);
    this.#sendFrame(ref.node, [FrameKind.Watch, ref.path, this.#exportRef(watcher)]);
  }

  #removeOutWatch(node: string, refPath: string, watcherPath: string): OutWatch | undefined {
    const byRef = this.#outWatches.get(node);
    const watchers = byRef?.get(refPath);
    const entry = watchers?.get(watcherPath);
    if (entry === undefined) return undefined;
    watchers!.delete(watcherPath);
    if (watchers!.size === 0) byRef!.delete(refPath);
    if (byRef!.size === 0) this.#outWatches.delete(node);
    return entry;
  }

  #nodeDown(node: string, reason: MemberDownReason): void {
    this.#log.warn({ member: node, reason }, 'node down');
    this.#link(node).flush();
    const held = this.#held.get(node);
    if (held !== undefined) {
      this.#held.delete(node);
      const frames = held.reduce((sum, batch) => sum + batch.frames, 0);
      this.#heldBytes -= held.reduce((sum, batch) => sum + batch.data.byteLength, 0);
      this.#droppedOutbound += frames;
      this.#log.warn({ member: node, frames }, 'discarded held messages for a node that is down');
    }
    const byRef = this.#outWatches.get(node);
    this.#outWatches.delete(node);
    if (byRef !== undefined) for (const watchers of byRef.values()) for (const { ref, watcher } of watchers.values()) watcher.sendSystem({ type: 'terminated', ref });
    // Its actors watched ours: nobody will read those Terminated, so release the watches.
    const inbound = this.#inWatches.get(node);
    this.#inWatches.delete(node);
    if (inbound !== undefined) for (const { target, watcher } of inbound.values()) target.sendSystem({ type: 'unwatch', watcher });
  }

  // ---- inbound ---------------------------------------------------------------------------------------------------

  #onBatch(data: Uint8Array): void {
    this.#batchesReceived++;
    let frames: Generator<unknown, void, unknown> | undefined;
    let from: string;
    try {
      frames = this.#codec.decodeStream(data);
      const first = frames.next();
      const header = first.done ? undefined : first.value;
      if (!Array.isArray(header) || header[0] !== WIRE_VERSION || typeof header[1] !== 'string' || typeof header[2] !== 'string' || !isValidNodeName(header[1])) {
        throw new BatchDecodeError('missing or unknown header');
      }
      from = header[1];
      if (from !== this.name) {
        this.#membership.seen(from, header[2]);
        if (this.#held.size > 0) this.#releaseHeld(from);
      }
    } catch (error) {
      // Ends the generator, so the shared decoder is free again (a suspended one makes every later batch clone it).
      frames?.return();
      this.#droppedInbound++;
      this.#warn('bad-batch', { err: error, bytes: data.byteLength }, 'batch dropped');
      return;
    }
    this.#codec.takeInvalid();
    this.#inBatch = true;
    try {
      for (const frame of frames) {
        const invalid = this.#codec.takeInvalid();
        try {
          if (invalid > 0) throw new InvalidMessageError(`${invalid} invalid actor path(s) or bigint(s)`);
          this.#onFrame(from, frame);
        } catch (error) {
          this.#droppedInbound++;
          this.#warn('bad-frame', { err: error, from }, 'frame dropped');
        }
      }
    } catch (error) {
      this.#droppedInbound++;
      this.#warn('bad-batch', { err: new BatchDecodeError('malformed MessagePack', { cause: error }), from }, 'rest of the batch dropped');
    } finally {
      this.#inBatch = false;
      this.#lookupMemo.clear();
    }
  }

  #onFrame(from: string, frame: unknown): void {
    if (!Array.isArray(frame)) throw new InvalidMessageError('a frame is not an array');
    switch (frame[0]) {
      case FrameKind.User:
        return this.#onUser(frame);
      case FrameKind.Watch:
      case FrameKind.Unwatch:
        return this.#onWatch(from, frame, frame[0] === FrameKind.Watch);
      case FrameKind.Stop:
        this.#localTarget(frame[1])?.sendSystem({ type: 'stop' });
        return;
      case FrameKind.Terminated:
        return this.#onTerminated(from, frame);
      case FrameKind.DeadLetter:
        return this.#onDeadLetterNotice(frame);
      default:
        throw new InvalidMessageError(`unknown frame kind ${String(frame[0])}`);
    }
  }

  #onUser(frame: unknown[]): void {
    const [, target, sender, message] = frame;
    if (typeof target !== 'string' || !(sender === null || typeof sender === 'string')) throw new InvalidMessageError('user frame fields');
    const verdict = this.#messages.check(message);
    if (verdict !== 'ok') {
      const type = (message as { type?: unknown } | null)?.type;
      throw new InvalidMessageError(`${verdict === 'unregistered' ? 'unregistered type' : verdict === 'schema' ? 'schema check failed for' : 'not a message:'} ${JSON.stringify(String(type).slice(0, 100))}`);
    }
    this.#messagesReceived++;
    const ref = this.#localTarget(target);
    let senderRef: ActorRef | undefined;
    if (sender !== null) {
      senderRef = this.#reviveRef(sender);
      if (senderRef === undefined) throw new InvalidMessageError('sender is not an actor path');
    }
    if (ref === undefined) this.system.recordDeadLetter(target, message, senderRef);
    else ref.tell(message, senderRef);
  }

  #onWatch(from: string, frame: unknown[], watch: boolean): void {
    const [, target, watcherPath] = frame;
    if (typeof target !== 'string' || typeof watcherPath !== 'string' || nodeOfPath(watcherPath) !== from) throw new InvalidMessageError('watch frame fields');
    const watcher = this.#remoteRef(watcherPath, from);
    const key = inWatchKey(target, watcher.path);
    const ref = this.#localTarget(target);
    if (!watch) {
      this.#inWatches.get(from)?.delete(key);
      ref?.sendSystem({ type: 'unwatch', watcher });
      return;
    }
    if (ref === undefined) {
      this.#sendFrame(from, [FrameKind.Terminated, watcher.path, target]);
      return;
    }
    let inbound = this.#inWatches.get(from);
    if (inbound === undefined) this.#inWatches.set(from, (inbound = new Map()));
    inbound.set(key, { target: ref, watcher });
    ref.sendSystem({ type: 'watch', watcher });
  }

  #onTerminated(from: string, frame: unknown[]): void {
    const [, watcherPath, refPath] = frame;
    if (typeof watcherPath !== 'string' || typeof refPath !== 'string' || nodeOfPath(refPath) !== from) throw new InvalidMessageError('terminated frame fields');
    // Only a watch still registered fires, so a Terminated already given by the failure detector is not repeated.
    const entry = this.#removeOutWatch(from, refPath, watcherPath);
    entry?.watcher.sendSystem({ type: 'terminated', ref: entry.ref });
  }

  #onDeadLetterNotice(frame: unknown[]): void {
    const [, replyTo, recipient, messageType] = frame;
    if (typeof replyTo !== 'string' || typeof recipient !== 'string' || typeof messageType !== 'string') throw new InvalidMessageError('dead-letter notice fields');
    if (!replyTo.startsWith(this.#ownPrefix) || replyTo.startsWith(this.#userPrefix)) return;
    const ref = this.#exports.get(replyTo)?.deref();
    if (ref !== undefined) this.system.recordDeadLetter(recipient, { type: REMOTE_DEAD_LETTER, messageType: messageType.slice(0, 128) }, ref);
  }

  #localTarget(path: unknown): ActorRef | undefined {
    if (typeof path !== 'string') throw new InvalidMessageError('target is not a path');
    if (!path.startsWith(this.#ownPrefix)) throw new InvalidMessageError(`target ${JSON.stringify(path.slice(0, 100))} is not on this node`);
    return this.#resolveLocal(path);
  }

  // Hostile or broken peers must not flood the log: one line per kind per 10 s, with the count of the rest.
  #warn(kind: string, fields: object, msg: string): void {
    const now = this.system.scheduler.now();
    const entry = this.#warned.get(kind);
    if (entry !== undefined && now - entry.at < 10_000) {
      entry.suppressed++;
      return;
    }
    this.#warned.set(kind, { at: now, suppressed: 0 });
    this.#log.warn({ ...fields, suppressedSinceLast: entry?.suppressed ?? 0 }, msg);
  }
}

// A path of this node whose actor was not alive when the ref was read (e.g. inside a message): it looks the actor
// up again on each use, and dead-letters when there is none.
class UnresolvedLocalRef implements ActorRef {
  constructor(readonly path: string, private readonly node: ClusterNode, private readonly system: ActorSystem) {}

  tell(message: unknown, sender?: ActorRef): void {
    const ref = this.node.resolveLocal(this.path);
    if (ref !== undefined) ref.tell(message, sender);
    else this.system.recordDeadLetter(this.path, message, sender);
  }

  ask<R>(build: (replyTo: ActorRef<R>) => unknown, timeoutMs: number): Promise<R> {
    return this.system.ask(this, build, timeoutMs);
  }

  sendSystem(message: SystemMessage): void {
    const ref = this.node.resolveLocal(this.path);
    if (ref !== undefined) ref.sendSystem(message);
    else if (message.type === 'watch') message.watcher.sendSystem({ type: 'terminated', ref: this });
  }
}

function inWatchKey(target: string, watcher: string): string {
  return `${target}\n${watcher}`;
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function positive(name: string, value: number): number {
  if (!(typeof value === 'number' && value > 0 && Number.isFinite(value))) throw new ClusterConfigError(`${name} must be a number above 0, got ${String(value)}`);
  return value;
}
