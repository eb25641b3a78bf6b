// One client connection (architecture.md section 4, flows.md section 1): the handshake, keep-alives,
// the idle limit, routing client messages to the services, and one clean end whatever the cause.
import type { Socket } from 'node:net';
import { Actor, props, type ActorContext, type ActorRef, type Handlers, type SupervisorStrategy } from '../runtime/index.js';
import {
  ControlOpcode,
  decodeSessionAccept,
  encodeDmlFrame,
  encodeKeepAliveRsp,
  encodeServerKeepAlive,
  encodeSessionOffer,
  type SessionTime,
} from '../protocol/index.js';
import type {
  AskServices,
  ClientControl,
  ClientDml,
  ClientProtocolError,
  CloseSession,
  GetSessionInfo,
  SendFrameToClient,
  SendFramePartsToClient,
  SendToClient,
  ServiceFailed,
  SocketClosed,
  ListenerMessage,
  SenderMessage,
  ServiceMessage,
  SessionEnded,
  SessionMessage,
  TellServices,
} from './messages.js';
import type { ServiceEnv } from './message-service.js';
import type { NetMetrics } from './net-metrics.js';
import type { ServiceCatalog } from './service-catalog.js';
import type { SessionOptions } from './session-options.js';
import { SocketListener } from './socket-listener.js';
import { SocketSender } from './socket-sender.js';

/** Why a session ended: the label of the sessionClosed counter and of the log line. */
export const SessionEndReason = {
  clientClosed: 'client-closed',
  acceptTimeout: 'accept-timeout',
  wrongSid: 'wrong-sid',
  idle: 'idle',
  protocolError: 'protocol-error',
  accessBeforeHandshake: 'access-before-handshake',
  backpressure: 'backpressure',
  serviceFailed: 'service-failed',
  /** Asked for (CloseSession) by a service or any other actor. */
  closed: 'closed',
  /** Stopped from outside (server or system shutdown). */
  stopped: 'stopped',
} as const;
export type SessionEndReason = (typeof SessionEndReason)[keyof typeof SessionEndReason];

export interface SessionInit {
  readonly socket: Socket;
  readonly sid: number;
  readonly server: ActorRef<SessionEnded>;
  readonly catalog: ServiceCatalog;
  readonly options: SessionOptions;
  readonly metrics: NetMetrics;
  readonly serviceStrategy: SupervisorStrategy;
}

const ACCEPT_TIMEOUT = Object.freeze({ type: 'net.accept-timeout' as const });
const KEEP_ALIVE_TICK = Object.freeze({ type: 'net.keep-alive-tick' as const });
const IDLE_CHECK = Object.freeze({ type: 'net.idle-check' as const });
const KEEP_ALIVE_RSP = encodeKeepAliveRsp();

export class Session extends Actor<SessionMessage> {
  override readonly supervisorStrategy: SupervisorStrategy;
  readonly #init: SessionInit;
  readonly #options: SessionOptions;
  readonly #metrics: NetMetrics;
  readonly #remoteAddress: string;
  readonly #startedAt: number;
  #offer: SessionTime = { sid: 0, secs: 0, millis: 0 };
  #sender!: ActorRef<SenderMessage>;
  #services: (ActorRef<ServiceMessage> | undefined)[] = [];
  #handshaken = false;
  #ending: string | undefined = undefined;
  #lastInboundAt: number;

  constructor(context: ActorContext<SessionMessage>, init: SessionInit) {
    super(context);
    this.#init = init;
    this.#options = init.options;
    this.#metrics = init.metrics;
    this.supervisorStrategy = init.serviceStrategy;
    this.#remoteAddress = `${init.socket.remoteAddress ?? '?'}:${init.socket.remotePort ?? 0}`;
    this.#startedAt = context.system.scheduler.now();
    this.#lastInboundAt = this.#startedAt;
  }

  // Bound methods, not arrow functions: under tsx (esbuild keepNames) every named arrow gets its
  // own property table, which costs hundreds of bytes per handler per session.
  readonly receive: Handlers<SessionMessage> = {
    'net.client-control': this.#control.bind(this),
    'net.client-dml': this.#dml.bind(this),
    'net.send': this.#send.bind(this),
    'net.send-frame': this.#sendFrame.bind(this),
    'net.send-frame-parts': this.#sendFrame.bind(this),
    'net.close': this.#close.bind(this),
    'net.tell-services': this.#tellServices.bind(this),
    'net.ask-services': this.#askServices.bind(this),
    'net.session-info': this.#sessionInfo.bind(this),
    'net.protocol-error': this.#protocolError.bind(this),
    'net.socket-closed': this.#socketClosed.bind(this),
    'net.outbound-overflow': this.#outboundOverflow.bind(this),
    'net.accept-timeout': this.#acceptTimeout.bind(this),
    'net.keep-alive-tick': this.#keepAliveTick.bind(this),
    'net.idle-check': this.#idleCheck.bind(this),
    'net.service-failed': this.#serviceFailed.bind(this),
  };

  override preStart(): void {
    const { socket, sid, options, metrics, catalog } = this.#init;
    const context = this.context;
    const now = options.clock();
    this.#offer = Object.freeze({ sid, secs: Math.floor(now / 1000) >>> 0, millis: Math.floor(now % 1000) });
    this.#sender = context.spawn(
      props((c) => new SocketSender(c, { socket, capBytes: options.outboundCapBytes, flushBytes: options.flushBytes, lingerMs: options.lingerMs, metrics }), { kind: 'SocketSender' }),
      'socket-sender',
    );
    context.spawn<ListenerMessage>(
      props((c) => new SocketListener(c, { socket, registry: catalog.registry, maxFrameBytes: options.maxFrameBytes, metrics }), { kind: 'SocketListener' }),
      'socket-listener',
    );
    const self = context.self;
    catalog.specs.forEach((spec, position) => {
      const env: ServiceEnv = {
        name: spec.name,
        sid,
        offer: this.#offer,
        remoteAddress: this.#remoteAddress,
        session: self,
        server: this.#init.server,
        registry: catalog.registry,
        endHookTimeoutMs: options.endHookTimeoutMs,
        metrics,
        table: catalog.tables[position]!,
        writer: this.#sender,
      };
      // No death watch per service: a service stopped by a failure says so itself (see MessageService).
      this.#services[position] = context.spawn<ServiceMessage>(props((c) => spec.create(c, env), catalog.propsOptions[position]), spec.name);
    });
    this.#sender.tell({ type: 'net.write', frame: encodeSessionOffer(this.#offer) });
    context.timers.startSingle('accept', ACCEPT_TIMEOUT, options.acceptTimeoutMs);
    if (options.idleTimeoutMs > 0) context.timers.startSingle('idle', IDLE_CHECK, options.idleTimeoutMs);
    metrics.sessionOpened();
  }

  override postStop(): void {
    // Stopped from outside (server shutdown): the children, services included, have already run their end.
    if (this.#ending === undefined) {
      this.#ending = SessionEndReason.stopped;
      this.#metrics.sessionClosed(SessionEndReason.stopped);
    }
    // Told from here, the last step: once the server has it, the sid and the actor name are free.
    this.#init.server.tell({ type: 'net.session-ended', sid: this.#init.sid, reason: this.#ending });
  }

  #send({ kind, data }: SendToClient): void {
    if (this.#ending !== undefined) return;
    let frame: Buffer;
    try {
      frame = encodeDmlFrame(this.#init.catalog.registry, kind, data as never);
    } catch (error) {
      // A server bug, not the client's doing: the message is lost, the session goes on.
      this.context.log.error({ err: error, kind: `${kind.protocol}.${kind.name}` }, 'cannot encode a message for the client');
      return;
    }
    this.#metrics.messageOut(kind.protocol);
    this.#sender.tell({ type: 'net.write', frame });
  }

  #sendFrame(message: SendFrameToClient | SendFramePartsToClient): void {
    if (this.#ending === undefined) this.#sender.tell(message);
  }

  #close({ reason }: CloseSession): Promise<void> {
    return this.#end(SessionEndReason.closed, { detail: reason });
  }

  #sessionInfo({ replyTo }: GetSessionInfo): void {
    replyTo.tell({
      sid: this.#init.sid,
      remoteAddress: this.#remoteAddress,
      handshaken: this.#handshaken,
      services: this.#init.catalog.specs.filter((_s, i) => this.#services[i] !== undefined).map((s) => s.name),
    });
  }

  #protocolError({ code, detail }: ClientProtocolError): Promise<void> {
    this.context.log.warn({ code, detail, remote: this.#remoteAddress }, 'protocol error from the client; closing its session');
    return this.#end(SessionEndReason.protocolError, { detail: code, graceful: false });
  }

  #socketClosed({ error }: SocketClosed): Promise<void> {
    return this.#end(SessionEndReason.clientClosed, { detail: error });
  }

  #outboundOverflow(): Promise<void> {
    return this.#end(SessionEndReason.backpressure, { graceful: false });
  }

  #acceptTimeout(): void | Promise<void> {
    if (this.#handshaken) return;
    this.context.log.info({ limitMs: this.#options.acceptTimeoutMs, remote: this.#remoteAddress }, 'no SessionAccept in time; closing');
    return this.#end(SessionEndReason.acceptTimeout);
  }

  #keepAliveTick(): void {
    const uptimeMs = this.context.system.scheduler.now() - this.#startedAt;
    this.#sender.tell({ type: 'net.write', frame: encodeServerKeepAlive({ uptimeMs }) });
  }

  #idleCheck(): void | Promise<void> {
    const limit = this.#options.idleTimeoutMs;
    const idle = this.context.system.scheduler.now() - this.#lastInboundAt;
    if (idle < limit) {
      this.context.timers.startSingle('idle', IDLE_CHECK, limit - idle);
      return;
    }
    this.context.log.info({ idleMs: Math.round(idle), limitMs: limit, remote: this.#remoteAddress }, 'client silent past the idle limit; closing');
    return this.#end(SessionEndReason.idle);
  }

  #serviceFailed({ name, error }: ServiceFailed): void | Promise<void> {
    const position = this.#init.catalog.specs.findIndex((s) => s.name === name);
    if (position >= 0) this.#services[position] = undefined;
    if (this.#ending !== undefined) return;
    this.context.log.error({ service: name, error }, 'a service stopped after a fatal error or past its restart budget; ending the session');
    return this.#end(SessionEndReason.serviceFailed, { detail: name });
  }

  #control({ opcode, payload }: ClientControl): void | Promise<void> {
    this.#lastInboundAt = this.context.system.scheduler.now();
    switch (opcode) {
      case ControlOpcode.KeepAlive:
        this.#sender.tell({ type: 'net.write', frame: KEEP_ALIVE_RSP });
        return;
      case ControlOpcode.KeepAliveRsp:
        return;
      case ControlOpcode.SessionAccept:
        return this.#accept(payload);
      default:
        this.#metrics.protocolError('ERR_CONTROL_OPCODE');
        this.context.log.debug({ opcode }, 'skipped a control frame with an unknown opcode');
    }
  }

  #accept(payload: Buffer): void | Promise<void> {
    if (this.#handshaken || this.#ending !== undefined) return;
    let accept: SessionTime;
    try {
      accept = decodeSessionAccept(payload);
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'ERR_CONTROL_MESSAGE';
      this.#metrics.protocolError(code);
      this.context.log.warn({ code, detail: (error as Error).message, remote: this.#remoteAddress }, 'malformed SessionAccept; closing');
      return this.#end(SessionEndReason.protocolError, { detail: code, graceful: false });
    }
    if (accept.sid !== this.#init.sid) {
      this.context.log.warn({ expected: this.#init.sid, got: accept.sid, remote: this.#remoteAddress }, 'SessionAccept with a wrong sid; closing');
      return this.#end(SessionEndReason.wrongSid);
    }
    this.#handshaken = true;
    const timers = this.context.timers;
    timers.cancel('accept');
    if (this.#options.keepAliveIntervalMs > 0) timers.startPeriodic('keep-alive', KEEP_ALIVE_TICK, this.#options.keepAliveIntervalMs);
    const tables = this.#init.catalog.tables;
    this.#services.forEach((ref, position) => {
      if (tables[position]!.wantsStart) ref?.tell({ type: 'net.session-started' });
    });
  }

  #dml({ record, data }: ClientDml): void | Promise<void> {
    this.#lastInboundAt = this.context.system.scheduler.now();
    if (this.#ending !== undefined) return;
    if (!this.#handshaken && record.accessLevel >= 1) {
      this.context.log.warn({ message: `${record.protocol}.${record.name}`, remote: this.#remoteAddress }, 'access-level-1 message before the SessionAccept; closing');
      return this.#end(SessionEndReason.accessBeforeHandshake, { detail: `${record.protocol}.${record.name}`, graceful: false });
    }
    const route = this.#init.catalog.routes().client[record.index];
    if (route === undefined) {
      this.context.log.debug({ message: `${record.protocol}.${record.name}` }, 'no service handles this client message');
      return;
    }
    const services = this.#services;
    for (let i = 0; i < route.length; i += 2) services[route[i]!]?.tell({ type: 'net.client', slot: route[i + 1]!, record, data });
  }

  #targets(type: string, except: string | undefined): ActorRef[] {
    const positions = this.#init.catalog.routes().types.get(type);
    const targets: ActorRef[] = [];
    if (positions === undefined) return targets;
    const specs = this.#init.catalog.specs;
    for (const position of positions) {
      const ref = this.#services[position];
      if (ref !== undefined && specs[position]!.name !== except) targets.push(ref);
    }
    return targets;
  }

  #tellServices({ message, except }: TellServices): void {
    const targets = this.#targets(message.type, except);
    if (targets.length === 0) this.context.log.debug({ messageType: message.type }, 'no service handles this internal message');
    for (const ref of targets) ref.tell(message);
  }

  #askServices({ message, except, replyTo }: AskServices): void {
    const targets = this.#targets(message.type, except);
    if (targets.length === 0) {
      replyTo.tell({ type: 'net.no-service-handles', messageType: message.type });
      return;
    }
    for (const ref of targets) ref.tell(message, replyTo);
  }

  /** The one way a session ends: services' end hooks (bounded), the socket, the server told, stop. */
  async #end(reason: SessionEndReason, how: { detail?: string | undefined; graceful?: boolean } = {}): Promise<void> {
    if (this.#ending !== undefined) return;
    this.#ending = reason;
    const context = this.context;
    context.timers.cancelAll();
    const listener = context.child('socket-listener');
    if (listener !== undefined) context.stop(listener);
    const limit = this.#options.endHookTimeoutMs;
    const live = this.#services.filter((ref): ref is ActorRef<ServiceMessage> => ref !== undefined);
    if (live.length > 0) {
      await Promise.all(
        live.map((ref) =>
          // The service bounds its own hook; the margin only covers a service stuck on another message.
          ref.ask<true>((replyTo) => ({ type: 'net.end-session', reason, replyTo }), limit + 1000).catch((error: unknown) => {
            context.log.warn({ service: ref.path, err: error }, 'a service did not finish its session end in time');
          }),
        ),
      );
    }
    this.#sender.tell({ type: 'net.end', graceful: how.graceful ?? true });
    this.#metrics.sessionClosed(reason);
    if (how.detail !== undefined) this.#ending = `${reason}: ${how.detail}`;
    context.log.debug({ reason, detail: how.detail, remote: this.#remoteAddress }, 'session ended');
    context.stop();
  }
}
