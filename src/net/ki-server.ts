// The base of every KiNP server actor (login, game, patch): owns a TcpListener, allocates session
// ids, creates and tracks one Session per connection, and answers queries. A concrete server
// passes its service list in the config and, if it has server-level messages, extends this class
// and returns their handlers from serverHandlers().
import type { Socket } from 'node:net';
import {
  Actor,
  ActorInitializationError,
  Directive,
  MailboxOverflowError,
  oneForOne,
  props,
  stopGracefully,
  type ActorContext,
  type ActorRef,
  type ActorSystem,
  type Handlers,
  type Message,
  type Props,
  type SupervisorStrategy,
} from '../runtime/index.js';
import { MessageRegistry } from '../protocol/index.js';
import { FatalServiceError, ListenError, NetConfigError } from './errors.js';
import type { ServiceFactory } from './message-service.js';
import type { ListenResult, ServerAddress, ServerInfo, ServerMessage, SessionCommand } from './messages.js';
import { LogThrottle } from './log-throttle.js';
import { NetCounters, type NetMetrics } from './net-metrics.js';
import { ServiceCatalog } from './service-catalog.js';
import { DEFAULT_SESSION_ID_RANGE, SessionIds, type SessionIdRange } from './session-ids.js';
import { resolveSessionOptions, type SessionOptions } from './session-options.js';
import { Session } from './session.js';
import { TcpListener, type TcpListenerMessage } from './tcp-listener.js';

export interface ServerConfig {
  /** For logs and ServerInfo, e.g. "login". */
  readonly name: string;
  /** Default 0.0.0.0. */
  readonly host?: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** Open connections past which new ones are refused. Default 10,000. */
  readonly maxConnections?: number;
  /** Session ids handed out. Default 1..65535. */
  readonly sessionIds?: SessionIdRange;
  /** Message definitions. Default: the shipped ones. */
  readonly registry?: MessageRegistry;
  /** The services every session gets, in order; a server whose services need its children passes them to serve(). */
  readonly services?: ServiceFactory;
  readonly session?: Partial<SessionOptions>;
  /** Where counters go. Default: a NetCounters of this server. */
  readonly metrics?: NetMetrics;
}

const DEFAULT_MAX_CONNECTIONS = 10_000;

// A session that throws is a bug in it: stop it (its postStop still ends it cleanly), never restart
// it, which would re-run the handshake on a live socket. The listener never throws.
const CHILD_STRATEGY: SupervisorStrategy = oneForOne({ maxRetries: 0, decide: () => Directive.stop });

const noop = (): void => {};

/**
 * What a session does with a service that failed: a fatal error, an overflowing mailbox or a constructor that throws
 * (it would throw again) stop it; anything else restarts it within the restart budget. Only decides: the session's
 * failure hook tells the session about the services that can no longer report their own end.
 */
function decideServiceFailure(error: unknown): Directive {
  if (error instanceof FatalServiceError || error instanceof MailboxOverflowError || error instanceof ActorInitializationError) return Directive.stop;
  return Directive.restart;
}

/** A dual-stack listener sees IPv4 clients as ::ffff:a.b.c.d: one address either way. */
function addressKey(remoteAddress: string | undefined): string {
  if (remoteAddress === undefined) return '';
  return remoteAddress.startsWith('::ffff:') && remoteAddress.includes('.') ? remoteAddress.slice(7) : remoteAddress;
}

export class KiServer<M extends Message = never> extends Actor<ServerMessage | M> {
  override readonly supervisorStrategy = CHILD_STRATEGY;
  protected readonly config: ServerConfig;
  protected readonly metrics: NetMetrics;
  readonly #ids: SessionIds;
  readonly #sessions = new Map<number, ActorRef<SessionCommand>>();
  #catalog: ServiceCatalog | undefined = undefined;
  readonly #sessionOptions: SessionOptions;
  readonly #serviceStrategy: SupervisorStrategy;
  #address: ServerAddress | undefined = undefined;
  #listenError: string | undefined = undefined;
  #listenWaiters: ActorRef<ListenResult>[] = [];
  readonly #refusalLog: LogThrottle;
  readonly #perAddressLog: LogThrottle;
  /** Open sessions per remote address, and each session's address, for maxConnectionsPerAddress. */
  readonly #openByAddress = new Map<string, number>();
  readonly #addressBySid = new Map<number, string>();
  #receive: Handlers<ServerMessage | M> | undefined = undefined;

  constructor(context: ActorContext<ServerMessage | M>, config: ServerConfig) {
    super(context);
    const maxConnections = config.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    if (!Number.isInteger(maxConnections) || maxConnections < 1) throw new NetConfigError(`maxConnections must be a positive integer, got ${maxConnections}`);
    if (!Number.isInteger(config.port) || config.port < 0 || config.port > 0xffff) throw new NetConfigError(`port must be 0..65535, got ${config.port}`);
    this.config = config;
    this.metrics = config.metrics ?? new NetCounters();
    this.#ids = new SessionIds(config.sessionIds ?? DEFAULT_SESSION_ID_RANGE);
    this.#sessionOptions = resolveSessionOptions(config.session);
    const scheduler = context.system.scheduler;
    this.#refusalLog = new LogThrottle(1000, () => scheduler.now());
    this.#perAddressLog = new LogThrottle(1000, () => scheduler.now());
    this.#serviceStrategy = oneForOne({
      maxRetries: this.#sessionOptions.maxServiceRestarts,
      withinMs: this.#sessionOptions.restartWindowMs,
      decide: decideServiceFailure,
    });
  }

  /** The handlers of the server's own messages (M). Override in a subclass that has some. */
  protected serverHandlers(): Handlers<M> {
    return {} as Handlers<M>;
  }

  /** Called when a session has ended (its id is free again). */
  protected onSessionEnded(_sid: number, _reason: string): void {}

  /** The live sessions by id, e.g. to broadcast. */
  protected get sessions(): ReadonlyMap<number, ActorRef<SessionCommand>> {
    return this.#sessions;
  }

  get receive(): Handlers<ServerMessage | M> {
    if (this.#receive === undefined) {
      const own: Handlers<ServerMessage> = {
        'net.connection': ({ socket }) => this.#connection(socket),
        'net.listening': ({ address }) => {
          this.#address = address;
          this.#answerListenWaiters();
        },
        'net.listen-failed': ({ error }) => {
          this.#listenError = error;
          this.#answerListenWaiters();
        },
        'net.session-ended': ({ sid, reason }) => {
          this.context.log.debug({ sid, reason }, 'session ended');
          this.#sessions.delete(sid);
          this.#ids.release(sid);
          this.#forgetAddress(sid);
          this.onSessionEnded(sid, reason);
        },
        'net.server-info': ({ replyTo }) => replyTo.tell(this.#info()),
        'net.when-listening': ({ replyTo }) => {
          this.#listenWaiters.push(replyTo);
          this.#answerListenWaiters();
        },
      };
      this.#receive = { ...own, ...this.serverHandlers() } as Handlers<ServerMessage | M>;
    }
    return this.#receive;
  }

  /** A server whose services need its own children overrides this: it spawns them, then calls serve(). */
  override preStart(): void | Promise<void> {
    if (this.config.services !== undefined) this.serve(this.config.services);
  }

  /**
   * Fixes the services every session gets and starts listening. A concrete server calls it from its preStart, once
   * the children its services talk to exist, with services built on a frozen object of their refs.
   */
  protected serve(services: ServiceFactory): void {
    if (this.#catalog !== undefined) throw new NetConfigError(`server ${this.config.name} serves already`);
    this.#catalog = new ServiceCatalog(services, this.config.registry ?? MessageRegistry.defaults(), this.context.log);
    const { host, port } = this.config;
    this.context.spawn(
      props<TcpListenerMessage>((c) => new TcpListener(c, { host: host ?? '0.0.0.0', port, maxConnections: this.config.maxConnections ?? DEFAULT_MAX_CONNECTIONS, metrics: this.metrics }), { kind: 'TcpListener' }),
      'tcp-listener',
    );
  }

  #connection(socket: Socket): void {
    // Until the session's listener is attached, an error on this socket must not crash the process.
    socket.on('error', noop);
    const address = addressKey(socket.remoteAddress);
    const cap = this.#sessionOptions.maxConnectionsPerAddress;
    if (cap > 0 && (this.#openByAddress.get(address) ?? 0) >= cap) {
      this.metrics.connectionRefused('max-connections-per-address');
      const suppressed = this.#perAddressLog.take();
      if (suppressed !== undefined) {
        this.context.log.warn({ remote: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`, maxConnectionsPerAddress: cap, alsoRefusedSinceLastLine: suppressed }, 'connection refused: the address is at its connection cap');
      }
      socket.destroy();
      return;
    }
    const catalog = this.#catalog;
    if (catalog === undefined) {
      socket.destroy();
      return;
    }
    let sid = this.#ids.allocate();
    // A session tells its end from its postStop, as the runtime frees its name; should the name
    // still be taken, use the next id (ids go round robin, so this is rare).
    if (sid !== undefined && this.context.child(`session-${sid}`) !== undefined) {
      const busy = sid;
      sid = this.#ids.allocate();
      this.#ids.release(busy);
      if (sid !== undefined && this.context.child(`session-${sid}`) !== undefined) {
        this.#ids.release(sid);
        sid = undefined;
      }
    }
    if (sid === undefined) {
      this.metrics.connectionRefused('session-ids-exhausted');
      const suppressed = this.#refusalLog.take();
      if (suppressed !== undefined) {
        this.context.log.warn({ remote: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`, capacity: this.#ids.capacity, alsoRefusedSinceLastLine: suppressed }, 'connection refused: no free session id');
      }
      socket.destroy();
      return;
    }
    const ref = this.context.spawn<SessionCommand>(
      props(
        (c) =>
          new Session(c as never, {
            socket,
            sid,
            server: this.context.self as ActorRef,
            catalog,
            options: this.#sessionOptions,
            metrics: this.metrics,
            serviceStrategy: this.#serviceStrategy,
          }),
        { kind: 'Session', mailbox: { capacity: this.#sessionOptions.maxPendingMessages, overflow: 'fail' } },
      ) as Props<SessionCommand>,
      `session-${sid}`,
    );
    this.#sessions.set(sid, ref);
    this.#addressBySid.set(sid, address);
    this.#openByAddress.set(address, (this.#openByAddress.get(address) ?? 0) + 1);
  }

  #forgetAddress(sid: number): void {
    const address = this.#addressBySid.get(sid);
    if (address === undefined) return;
    this.#addressBySid.delete(sid);
    const open = (this.#openByAddress.get(address) ?? 1) - 1;
    if (open > 0) this.#openByAddress.set(address, open);
    else this.#openByAddress.delete(address);
  }

  #info(): ServerInfo {
    return { name: this.config.name, address: this.#address, sessions: this.#sessions.size, sessionIdsFree: this.#ids.capacity - this.#ids.inUse };
  }

  #answerListenWaiters(): void {
    let result: ListenResult;
    if (this.#address !== undefined) result = { ok: true, address: this.#address };
    else if (this.#listenError !== undefined) result = { ok: false, error: this.#listenError };
    else return;
    for (const waiter of this.#listenWaiters) waiter.tell(result);
    this.#listenWaiters = [];
  }
}

/** Props of a KiServer with no server-level messages of its own. */
export function kiServerProps(config: ServerConfig): Props<ServerMessage> {
  return props((context) => new KiServer(context, config), { kind: `KiServer(${config.name})` });
}

/** Spawns a server and resolves once it listens (rejects with ListenError if it cannot bind). */
export async function startServer<M extends Message>(
  system: ActorSystem,
  serverProps: Props<M>,
  name: string,
  timeoutMs = 10_000,
): Promise<{ ref: ActorRef<M>; address: ServerAddress }> {
  const ref = system.spawn(serverProps, name);
  const query = ref as unknown as ActorRef<ServerMessage>;
  const result = await query.ask<ListenResult>((replyTo) => ({ type: 'net.when-listening', replyTo }), timeoutMs);
  if (!result.ok) {
    stopGracefully(ref);
    throw new ListenError(name, result.error);
  }
  return { ref, address: result.address };
}
