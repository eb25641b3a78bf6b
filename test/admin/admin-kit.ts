// A running admin console for the tests: a real actor system, a real SQLite store in a temp folder, the admin
// listener on 127.0.0.1 port 0, and the log lines it wrote.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAdminServer, type AdminProviders, type AdminServer, type AdminServerOptions } from '../../src/admin/index.js';
import { ActorSystem, createJsonLogger } from '../../src/runtime/index.js';
import { AccessLevel, openStore, type Account, type Store } from '../../src/store/index.js';

export const TOKEN = 'test-admin-token-0123456789';
export const ADMIN_PASSWORD = 'correct horse battery staple';
export const PLAYER_PASSWORD = 'player-password';

export interface AdminKit {
  readonly system: ActorSystem;
  readonly store: Store;
  readonly server: AdminServer;
  readonly admin: Account;
  readonly player: Account;
  /** Parsed JSON log lines of the system and the console. */
  readonly logs: Record<string, unknown>[];
  /** fetch() against the console with its bearer token unless `auth` says otherwise. */
  api(path: string, init?: RequestInit & { auth?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

export interface AdminKitOptions extends Partial<Omit<AdminServerOptions, 'sources' | 'log' | 'port'>> {
  readonly providers?: AdminProviders;
  /** Builds providers that need the kit's store or system. */
  readonly providersFor?: (parts: { system: ActorSystem; store: Store }) => AdminProviders | Promise<AdminProviders>;
}

export async function startAdminKit(options: AdminKitOptions = {}): Promise<AdminKit> {
  const dir = mkdtempSync(join(tmpdir(), 'imlight-admin-'));
  const logs: Record<string, unknown>[] = [];
  const log = createJsonLogger({ level: 'debug', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) });
  const system = ActorSystem.create('imlight', { logger: log });
  const store = await openStore({ databaseUrl: null, sqlitePath: join(dir, 'imlight.db') });
  const admin = await store.accounts.create({ username: 'alice', password: ADMIN_PASSWORD, accessLevel: AccessLevel.Administrator });
  const player = await store.accounts.create({ username: 'bob', password: PLAYER_PASSWORD });
  const { providers, providersFor, ...serverOptions } = options;
  const server = await startAdminServer({
    token: TOKEN,
    ...serverOptions,
    port: 0,
    sources: { system, store, ...providers, ...(await providersFor?.({ system, store })) },
    log: log.child({ component: 'admin' }),
  });
  return {
    system,
    store,
    server,
    admin,
    player,
    logs,
    api(path, init = {}) {
      const { auth, headers, ...rest } = init;
      const authorization = auth === undefined ? `Bearer ${server.token ?? ''}` : auth;
      return fetch(new URL(path, server.url), {
        ...rest,
        headers: { ...(authorization === null ? {} : { authorization }), ...(headers as Record<string, string> | undefined) },
      });
    },
    async close() {
      await server.close();
      await system.terminate();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** Polls `condition` on real time until it holds; fails after `timeoutMs` with `what`. */
export async function eventually(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
