// A KiNP test server on 127.0.0.1 with a port of its own, plus helpers to connect clients to it.
import { ActorSystem, createJsonLogger, type ActorRef, type Logger, type Scheduler } from '../../src/runtime/index.js';
import {
  KiClient,
  NetCounters,
  kiServerProps,
  startServer,
  type KiClientOptions,
  type ServerConfig,
  type ServerInfo,
  type ServerMessage,
} from '../../src/net/index.js';

export interface TestServer {
  readonly system: ActorSystem;
  readonly ref: ActorRef<ServerMessage>;
  readonly port: number;
  readonly counters: NetCounters;
  /** Log lines the server wrote (parsed JSON). */
  readonly logs: Record<string, unknown>[];
  connect(options?: Partial<KiClientOptions>): Promise<KiClient>;
  info(): Promise<ServerInfo>;
  close(): Promise<void>;
}

export interface TestServerOptions extends Partial<Omit<ServerConfig, 'metrics'>> {
  readonly scheduler?: Scheduler;
  /** Print log lines (debugging a test). */
  readonly printLogs?: boolean;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const logs: Record<string, unknown>[] = [];
  const logger: Logger = createJsonLogger({
    level: 'debug',
    write: (line) => {
      logs.push(JSON.parse(line) as Record<string, unknown>);
      if (options.printLogs === true) process.stderr.write(`${line}\n`);
    },
  });
  const system = ActorSystem.create('test', { logger, ...(options.scheduler === undefined ? {} : { scheduler: options.scheduler }) });
  const counters = new NetCounters();
  const { scheduler: _s, printLogs: _p, ...config } = options;
  const { ref, address } = await startServer(system, kiServerProps({ name: 'test', host: '127.0.0.1', port: 0, services: [], ...config, metrics: counters }), 'server');
  const clients: KiClient[] = [];
  return {
    system,
    ref,
    port: address.port,
    counters,
    logs,
    async connect(clientOptions = {}) {
      const client = await KiClient.connect({ port: address.port, keepAliveMs: 0, ...clientOptions });
      clients.push(client);
      return client;
    },
    info: () => ref.ask<ServerInfo>((replyTo) => ({ type: 'net.server-info', replyTo }), 2000),
    async close() {
      for (const client of clients) client.destroy();
      await system.terminate();
    },
  };
}

/** Polls `condition` (on real time) until it holds; fails after `timeoutMs` with `what`. */
export async function eventually(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Log lines whose msg contains `text`. */
export function logsMatching(server: TestServer, text: string): Record<string, unknown>[] {
  return server.logs.filter((line) => typeof line['msg'] === 'string' && (line['msg'] as string).includes(text));
}
