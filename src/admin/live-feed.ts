// The console's live feed: one Server-Sent Events stream per open page. The state is built once per tick and sent to
// every client, and the ticker runs only while a page is connected. A client that stops reading is dropped rather
// than buffered without bound.
import type { ServerResponse } from 'node:http';
import type { Logger } from '../runtime/index.js';
import type { ConsoleStateBuilder } from './console-state.js';
import { SECURITY_HEADERS } from './http-io.js';

const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export class LiveFeed {
  readonly #builder: ConsoleStateBuilder;
  readonly #log: Logger;
  readonly #intervalMs: number;
  readonly #maxClients: number;
  readonly #clients = new Set<ServerResponse>();
  #timer: NodeJS.Timeout | undefined = undefined;
  #building = false;
  #again = false;

  constructor(builder: ConsoleStateBuilder, log: Logger, options: { intervalMs?: number; maxClients?: number } = {}) {
    this.#builder = builder;
    this.#log = log;
    this.#intervalMs = options.intervalMs ?? 1000;
    this.#maxClients = options.maxClients ?? 16;
  }

  get clients(): number {
    return this.#clients.size;
  }

  /** Starts streaming to `response`; false (nothing written) when the client limit is reached. */
  add(response: ServerResponse): boolean {
    if (this.#clients.size >= this.#maxClients) return false;
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    response.write('retry: 2000\n\n');
    this.#clients.add(response);
    response.on('close', () => {
      this.#clients.delete(response);
      if (this.#clients.size === 0) this.#stopTimer();
    });
    this.#timer ??= setInterval(() => this.push(), this.#intervalMs);
    this.push();
    return true;
  }

  /** Builds the state and sends it now (also after an action, so the page shows its effect at once). */
  push(): void {
    if (this.#clients.size === 0) return;
    if (this.#building) {
      this.#again = true;
      return;
    }
    this.#building = true;
    this.#builder.state().then((state) => {
      const frame = `event: state\ndata: ${JSON.stringify(state)}\n\n`;
      for (const client of this.#clients) {
        if (client.writableLength > MAX_BUFFERED_BYTES) {
          this.#log.warn({ bufferedBytes: client.writableLength }, 'admin console: live feed client is not reading; dropped');
          client.destroy();
          continue;
        }
        client.write(frame);
      }
    }, (error: unknown) => {
      this.#log.error({ err: error }, 'admin console: building the live state failed');
    }).finally(() => {
      this.#building = false;
      if (this.#again) {
        this.#again = false;
        this.push();
      }
    });
  }

  close(): void {
    this.#stopTimer();
    for (const client of this.#clients) client.end();
    this.#clients.clear();
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
