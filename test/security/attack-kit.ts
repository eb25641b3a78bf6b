// What the attacks of test/security need from outside the server: HTTP requests from a chosen loopback address (the
// whole 127.0.0.0/8 block reaches a server bound to 127.0.0.1, so each address is another client), and slow clients.
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

export function httpRequest(options: {
  port: number;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  localAddress?: string;
  timeoutMs?: number;
}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port: options.port,
      path: options.path,
      method: options.method ?? 'GET',
      headers: { connection: 'close', ...options.headers },
      agent: false,
      ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.setTimeout(options.timeoutMs ?? 10_000, () => req.destroy(new Error(`no answer to ${options.path} within ${options.timeoutMs ?? 10_000} ms`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * A slowloris client: it opens a connection, starts a request and then sends one header byte every `intervalMs`,
 * never finishing the headers. `closed` resolves when the server drops it.
 */
export interface SlowClient {
  readonly socket: Socket;
  readonly closed: Promise<void>;
  stop(): void;
}

export function slowClient(port: number, options: { localAddress?: string; intervalMs?: number; silent?: boolean } = {}): SlowClient {
  const socket = connect({ host: '127.0.0.1', port, ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }) });
  let timer: NodeJS.Timeout | undefined;
  socket.on('error', () => {});
  socket.on('connect', () => {
    if (options.silent === true) return;
    socket.write('GET /LatestFileList.bin HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    timer = setInterval(() => {
      if (!socket.destroyed) socket.write('a');
    }, options.intervalMs ?? 500);
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => {
    clearInterval(timer);
    resolve();
  }));
  return {
    socket,
    closed,
    stop() {
      clearInterval(timer);
      socket.destroy();
    },
  };
}

export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
