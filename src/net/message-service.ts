// The base class of message services: the children of a session that handle its client messages
// (architecture.md section 4). A service declares its handlers in its constructor; the session
// routes each client message to every service that declared a handler for its kind.
import { Actor, AskTimeoutError, type ActorContext, type ActorRef, type Handlers, type Message } from '../runtime/index.js';
import { encodeDmlFrame, forEachFrameMessage, type EncodableData, type MessageKind, type MessageRegistry, type RecordDef, type SessionTime } from '../protocol/index.js';
import {
  DuplicateHandlerError,
  HandlerShapeError,
  NoServiceHandlerError,
  ServerAskTimeoutError,
  ServiceAskTimeoutError,
} from './errors.js';
import type { NoServiceHandles, SenderMessage, ServiceClientMessage, ServiceEndSession, ServiceMessage, SessionCommand, SessionMessage } from './messages.js';
import type { NetMetrics } from './net-metrics.js';

/** What a service knows of its session, handed to its constructor. */
export interface ServiceEnv {
  /** The service's name in the server's service list (its actor name). */
  readonly name: string;
  readonly sid: number;
  /** The SessionOffer's (sid, secs, millis): the salt of the login crypto. */
  readonly offer: SessionTime;
  readonly remoteAddress: string;
  readonly session: ActorRef<SessionCommand>;
  readonly server: ActorRef;
  readonly registry: MessageRegistry;
  readonly endHookTimeoutMs: number;
  readonly metrics: NetMetrics;
  /** Internal: the routing table this service's class fills once. */
  readonly table: ServiceTable;
  /** Internal: the session's socket sender; a service's sends skip the session's mailbox. */
  readonly writer: ActorRef<SenderMessage>;
}

export type ServiceContext<M extends Message = never> = ActorContext<ServiceMessage | M>;

/** One entry of a server's service list. */
export interface ServiceSpec {
  readonly name: string;
  readonly create: (context: ServiceContext<any>, env: ServiceEnv) => MessageService<any>;
  /** Mailbox cap; past it the service fails and the session ends (a client flooding a slow service). Default 1,000. */
  readonly mailboxCapacity?: number;
}

/** The list of services each session of a server gets, in order. */
export type ServiceFactory = readonly ServiceSpec[];

/** Shorthand for a ServiceSpec whose class takes only (context, env). */
export function service(name: string, Class: new (context: ServiceContext<any>, env: ServiceEnv) => MessageService<any>, options: { mailboxCapacity?: number } = {}): ServiceSpec {
  return { name, create: (context, env) => new Class(context, env), ...options };
}

type ClientHandler = (data: any, record: RecordDef) => void | Promise<void>;
type ServerHandler = (message: any) => void | Promise<void>;

/**
 * The handlers of one service of a server's list, in declaration order: filled by the first
 * instance, checked by every later one, read by the sessions to route messages.
 */
export class ServiceTable {
  kinds: MessageKind<unknown>[] = [];
  types: string[] = [];
  state: 'empty' | 'building' | 'complete' = 'empty';
  /** Whether the class overrides onSessionStart (else the session does not send it the event). */
  wantsStart = false;
}

export abstract class MessageService<M extends Message = never> extends Actor<ServiceMessage | M> {
  protected readonly env: ServiceEnv;
  readonly #table: ServiceTable;
  readonly #building: boolean;
  readonly #clientHandlers: ClientHandler[] = [];
  // Created on the first onServer(): most services have no internal messages.
  #serverHandlers: Map<string, ServerHandler> | undefined = undefined;
  #receive: Handlers<ServiceMessage | M> | undefined = undefined;
  #endHookRan = false;
  #failed = false;
  #failure = '';
  readonly #markFailed = this.#noteFailure.bind(this);

  constructor(context: ServiceContext<M>, env: ServiceEnv) {
    super(context);
    this.env = env;
    const table = env.table;
    // 'building' here means an earlier first instance threw in its constructor: start over.
    this.#building = table.state !== 'complete';
    if (this.#building) {
      table.kinds = [];
      table.types = [];
      table.state = 'building';
    }
    this.#table = table;
  }

  /**
   * Declares the handler of one client message kind. Call it in the constructor, unconditionally:
   * the routing is computed once per class from the first instance.
   */
  protected onClient<T>(kind: MessageKind<T>, handler: (data: T, record: RecordDef) => void | Promise<void>): void {
    const slot = this.#clientHandlers.length;
    const table = this.#table;
    if (this.#building) {
      if (table.kinds.some((k) => sameKind(k, kind))) throw new DuplicateHandlerError(this.constructor.name, `${kind.protocol}.${kind.name}`);
      table.kinds.push(kind);
    } else {
      const declared = table.kinds[slot];
      if (declared === undefined || !sameKind(declared, kind)) {
        if (table.kinds.slice(0, slot).some((k) => sameKind(k, kind))) throw new DuplicateHandlerError(this.constructor.name, `${kind.protocol}.${kind.name}`);
        throw new HandlerShapeError(this.constructor.name, `handler ${slot} is ${kind.protocol}.${kind.name}, the first instance declared ${declared === undefined ? 'fewer' : `${declared.protocol}.${declared.name}`}`);
      }
    }
    this.#clientHandlers.push(handler as ClientHandler);
  }

  /** Declares the handler of one internal (server) message type of this service's union M. */
  protected onServer<K extends M['type']>(type: K, handler: (message: Extract<M, { type: K }>) => void | Promise<void>): void {
    if (type.startsWith('net.')) throw new HandlerShapeError(this.constructor.name, `type ${type} uses the reserved prefix 'net.'`);
    const handlers = (this.#serverHandlers ??= new Map());
    if (handlers.has(type)) throw new DuplicateHandlerError(this.constructor.name, type);
    if (this.#building) this.#table.types.push(type);
    else if (!this.#table.types.includes(type)) throw new HandlerShapeError(this.constructor.name, `type ${type} was not declared by the first instance`);
    handlers.set(type, handler as ServerHandler);
  }

  get receive(): Handlers<ServiceMessage | M> {
    if (this.#receive === undefined) {
      this.#finishTable();
      // Bound methods rather than arrow functions: under tsx each named arrow costs a property table.
      const handlers: Record<string, (message: any) => unknown> = {
        'net.client': this.#client.bind(this),
        'net.session-started': this.onSessionStart.bind(this),
        'net.end-session': this.#endSession.bind(this),
      };
      for (const [type, handler] of this.#serverHandlers ?? []) handlers[type] = this.#guard.bind(this, handler) as (message: unknown) => unknown;
      this.#receive = handlers as unknown as Handlers<ServiceMessage | M>;
    }
    return this.#receive;
  }

  // ---- hooks ----------------------------------------------------------------------------------

  /** Runs once the session handshake is done. */
  protected onSessionStart(): void | Promise<void> {}

  /**
   * Runs once when the session ends, whatever the cause (client gone, error, server shutdown):
   * save state here. It gets `endHookTimeoutMs`; past it the session goes on ending without it.
   */
  protected onSessionEnd(_reason: string): void | Promise<void> {}

  // ---- helpers --------------------------------------------------------------------------------

  protected get log(): ActorContext<ServiceMessage | M>['log'] {
    return this.context.log;
  }

  /** Sends one DML message to this session's client. */
  protected send<T>(kind: MessageKind<T>, data: EncodableData<T>): void {
    // Encoded here, so a value that does not fit its field fails the handler that sent it.
    const frame = encodeDmlFrame(this.env.registry, kind, data);
    this.env.metrics.messageOut(kind.protocol);
    this.env.writer.tell({ type: 'net.write', frame });
  }

  /** Sends pre-encoded frames to this session's client. */
  protected sendFrame(frame: Buffer): void {
    forEachFrameMessage(this.env.registry, frame, (protocol) => this.env.metrics.messageOut(protocol));
    this.env.writer.tell({ type: 'net.write', frame });
  }

  /** Tells the session's other services (those that handle the type). */
  protected tellServices(message: Message): void {
    this.env.session.tell({ type: 'net.tell-services', message, except: this.env.name });
  }

  /** Tells every service of the session that handles the type, this one included. */
  protected tellAllServices(message: Message): void {
    this.env.session.tell({ type: 'net.tell-services', message });
  }

  /**
   * Asks the session's other services: the message goes to each one that handles its type, and the
   * first answer wins. While awaiting, this service handles nothing else: never ask a service that
   * may be asking this one.
   */
  protected async askService<R>(build: (replyTo: ActorRef<R>) => Message, timeoutMs: number): Promise<R> {
    let messageType = '?';
    const session = this.env.session as unknown as ActorRef<SessionMessage>;
    try {
      const reply = await session.ask<R | NoServiceHandles>((replyTo) => {
        const message = build(replyTo as ActorRef<R>);
        messageType = message.type;
        return { type: 'net.ask-services', message, except: this.env.name, replyTo };
      }, timeoutMs);
      if (isNoServiceHandles(reply)) throw new NoServiceHandlerError(reply.messageType, session.path);
      return reply as R;
    } catch (error) {
      if (error instanceof AskTimeoutError) throw new ServiceAskTimeoutError(messageType, session.path, timeoutMs, { cause: error });
      throw error;
    }
  }

  /** Asks the server actor (with a timeout). */
  protected async askServer<R>(build: (replyTo: ActorRef<R>) => Message, timeoutMs: number): Promise<R> {
    let messageType = '?';
    try {
      return await this.env.server.ask<R>((replyTo) => {
        const message = build(replyTo);
        messageType = message.type;
        return message;
      }, timeoutMs);
    } catch (error) {
      if (error instanceof AskTimeoutError) throw new ServerAskTimeoutError(messageType, this.env.server.path, timeoutMs, { cause: error });
      throw error;
    }
  }

  /** Ends the session cleanly (every service's onSessionEnd, then the socket). */
  protected closeSession(reason: string): void {
    this.env.session.tell({ type: 'net.close', reason });
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  // A restart is not the end of the session: the end hook must not run for the failed instance.
  override preRestart(_error: unknown, _message: unknown): void {
    this.#endHookRan = true;
  }

  override postRestart(error: unknown): void | Promise<void> {
    this.env.metrics.serviceRestarted(this.env.name);
    this.log.warn({ service: this.env.name, err: error }, 'service restarted after a failure');
    return this.preStart();
  }

  override postStop(): void | Promise<void> {
    // Stopped by its own failure (a fatal error, or past its restart budget): its state is suspect,
    // so it does not save it, and it tells the session, which then ends.
    if (this.#failed) {
      (this.env.session as unknown as ActorRef<SessionMessage>).tell({ type: 'net.service-failed', name: this.env.name, error: this.#failure });
      return;
    }
    return this.#runEndHook('stopped');
  }

  // Notes a failure of a handler (a throw or a rejection) before the runtime's supervision sees it.
  #guard(handler: (a: any, b: any) => void | Promise<void>, a: unknown, b: unknown): void | Promise<void> {
    let result: void | Promise<void>;
    try {
      result = handler(a, b);
    } catch (error) {
      this.#failed = true;
      this.#failure = describeError(error);
      throw error;
    }
    if (result !== undefined && typeof (result as Promise<void>).then === 'function') return (result as Promise<void>).then(undefined, this.#markFailed);
    return result;
  }

  #finishTable(): void {
    const table = this.#table;
    if (this.#building) {
      table.wantsStart = this.onSessionStart !== MessageService.prototype.onSessionStart;
      table.state = 'complete';
    } else if (this.#clientHandlers.length !== table.kinds.length || (this.#serverHandlers?.size ?? 0) !== table.types.length) {
      throw new HandlerShapeError(this.constructor.name, 'this instance declared a different number of handlers than the first one');
    }
  }

  #client(message: ServiceClientMessage): void | Promise<void> {
    const observe = this.env.metrics.messageHandled;
    if (observe === undefined) return this.#guard(this.#clientHandlers[message.slot]!, message.data, message.record);
    const started = performance.now();
    const done = (): void => observe.call(this.env.metrics, this.env.name, (performance.now() - started) / 1000);
    const result = this.#guard(this.#clientHandlers[message.slot]!, message.data, message.record);
    if (result !== undefined && typeof (result as Promise<void>).then === 'function') return (result as Promise<void>).finally(done);
    done();
    return result;
  }

  /** Starts timing a step a player waits on; call the result when it is over (see NetMetrics.stepTimed). */
  protected timeStep(step: string): () => void {
    const started = performance.now();
    return () => this.env.metrics.stepTimed?.(step, (performance.now() - started) / 1000);
  }

  #noteFailure(error: unknown): never {
    this.#failed = true;
    this.#failure = describeError(error);
    throw error;
  }

  async #endSession({ reason, replyTo }: ServiceEndSession): Promise<void> {
    await this.#runEndHook(reason);
    replyTo.tell(true);
  }

  #runEndHook(reason: string): void | Promise<void> {
    if (this.#endHookRan) return;
    this.#endHookRan = true;
    let result: void | Promise<void>;
    try {
      result = this.onSessionEnd(reason);
    } catch (error) {
      this.log.error({ service: this.env.name, err: error }, 'onSessionEnd failed');
      return;
    }
    if (result === undefined || typeof (result as Promise<void>).then !== 'function') return;
    const limit = this.env.endHookTimeoutMs;
    return new Promise<void>((resolve) => {
      const timer = this.context.system.scheduler.schedule(limit, () => {
        this.log.warn({ service: this.env.name, limitMs: limit }, 'onSessionEnd did not finish in time; the session ends without it');
        resolve();
      });
      (result as Promise<void>).then(
        () => {
          timer.cancel();
          resolve();
        },
        (error: unknown) => {
          timer.cancel();
          this.log.error({ service: this.env.name, err: error }, 'onSessionEnd failed');
          resolve();
        },
      );
    });
  }
}

function describeError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.name : String(error);
}

function isNoServiceHandles(value: unknown): value is NoServiceHandles {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'net.no-service-handles';
}

function sameKind(a: MessageKind<unknown>, b: MessageKind<unknown>): boolean {
  return a === b || (a.protocol === b.protocol && a.name === b.name);
}
