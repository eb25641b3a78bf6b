// The login server's side of the admin console, built on its public API only: the pool's server list and drain,
// and a kick that closes the account's login sessions (the sessions are the login server's `session-<sid>`
// children; their end removes the online-player entry). The composition root needs the same when it wires the
// login part's `admin` providers.
import { LOGIN } from '../../src/protocol/index.js';
import { KiClient, type SessionCommand } from '../../src/net/index.js';
import { authenticate, type GameServerView as PoolServerView, type LoginServerHandle } from '../../src/servers/login/index.js';
import type { ActorRef, ActorSystem } from '../../src/runtime/index.js';
import type { Store } from '../../src/store/index.js';
import type { AdminProviders, GameServerView } from '../../src/admin/index.js';

export function loginAdminProviders(system: ActorSystem, store: Store, login: LoginServerHandle): AdminProviders {
  const loginName = login.settings.name;
  return {
    async gameServers() {
      const servers = await login.pool.ask<readonly PoolServerView[]>((replyTo) => ({ type: 'pool.list', replyTo }), 2000);
      return servers.map((s): GameServerView => ({
        name: s.name,
        address: `${s.address}:${s.port}`,
        players: s.players,
        capacity: s.capacity,
        status: s.missed > 0 ? 'unreachable' : s.status,
      }));
    },
    async drain(server) {
      const reply = await login.pool.ask<{ found: boolean }>((replyTo) => ({ type: 'pool.drain-server', name: server, replyTo }), 2000);
      return reply.found;
    },
    async kick(accountId, _by, reason) {
      let found = false;
      for (const entry of await store.onlinePlayers.findByAccount(accountId)) {
        if (entry.server === loginName) {
          const session = system.lookup(`${login.ref.path}/session-${entry.sessionId}`) as ActorRef<SessionCommand> | undefined;
          if (session !== undefined) {
            session.tell({ type: 'net.close', reason });
            found = true;
          }
        } else {
          login.pool.tell({ type: 'pool.kick-on-server', server: entry.server, accountId, reason });
          found = true;
        }
      }
      return found;
    },
  };
}

/** A bot: connects to the login server, logs in with the real protocol, and waits until it is admitted. */
export async function loginBot(login: LoginServerHandle, username: string, password: string): Promise<KiClient> {
  const client = await KiClient.connect({ host: '127.0.0.1', port: login.address.port, keepAliveMs: 0 });
  const result = await authenticate(client, username, password);
  if (result.error !== 0) throw new Error(`the bot's login was refused: ${result.error} ${result.reason}`);
  await client.next(LOGIN.MSG_USER_ADMIT_IND, 5000);
  return client;
}
