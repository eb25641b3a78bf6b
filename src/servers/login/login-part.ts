// The login server as a part of a running Imlight process (roles `all` and `login`), configured from `login.*`.
// It returns the GameServerPool's ref: the composition root hands it to the game part and the cluster wiring.
import type { Store } from '../../store/index.js';
import { loadConfiguredRegistry, sessionOptionsFrom, type Part, type PartAdmin, type PartContext } from '../shared/index.js';
import { LoginStartError } from './errors.js';
import { startLoginServer, type LocalGameServer, type LoginServerHandle } from './login-server.js';
import type { GameServerView } from './pool-messages.js';

/**
 * The login server as a part. `localGameServers` lists game servers the login server's pool spawns as its children
 * at start (the fault tests' process layout); the `imlight start` command has none: its game part spawns them.
 */
export function createLoginPart(localGameServers?: (context: PartContext) => readonly LocalGameServer[]): Part {
  return {
    name: 'login',
    roles: ['all', 'login'],
    async start(context) {
      const { config, system, store } = context;
      if (store === undefined) throw new LoginStartError('the login server needs the store');
      const login = config.login;
      const handle = await startLoginServer(system, {
        store,
        host: login.host,
        port: login.port,
        maxConnections: config.session.maxConnections,
        session: sessionOptionsFrom(config.session),
        registry: await loadConfiguredRegistry(config.protocol.definitions, context.logs.component('login')),
        codec: context.characterCodec,
        metrics: context.netMetrics(login.name),
        logins: context.logins,
        clock: context.clock,
        settings: {
          name: login.name,
          capacity: login.capacity,
          queueLimit: login.queueLimit,
          queueRecountMs: login.queueRecount,
          afkTimeoutMs: login.afkTimeout,
          afkCheckIntervalMs: login.afkCheckInterval,
          clientKeyExpiryMs: login.clientKeyExpiry,
          loginKeyExpiryMs: login.loginKeyExpiry,
          characterLimit: login.characterLimit,
          startZone: login.startZone,
          duplicateLogin: login.duplicateLogin,
          requestTimeoutMs: login.requestTimeout,
          throttle: { maxFailures: login.throttle.maxFailures, windowMs: login.throttle.window, delayStepMs: login.throttle.delayStep, lockoutMs: login.throttle.lockout },
          pool: {
            healthIntervalMs: login.pool.healthInterval,
            healthTimeoutMs: login.pool.healthTimeout,
            maxMissedHealth: login.pool.maxMissedHealth,
            maxServers: login.pool.maxServers,
            selection: login.pool.selection,
          },
        },
        ...(localGameServers === undefined ? {} : { localGameServers: localGameServers(context) }),
      });
      context.logs.component('login').info({ host: handle.address.host, port: handle.address.port }, 'login server listening');
      return { stop: () => handle.stop(config.shutdown.timeout), admin: loginAdmin(store, handle), pool: handle.pool };
    },
  };
}

/** The login part of the `imlight start` command. */
export const loginPart: Part = createLoginPart();

/** The admin console's view of the login server: the pool's servers, drain, and a kick that reaches any server. */
function loginAdmin(store: Store, login: LoginServerHandle): PartAdmin {
  const askMs = login.settings.requestTimeoutMs;
  return {
    async gameServers() {
      const servers = await login.pool.ask<readonly GameServerView[]>((replyTo) => ({ type: 'pool.list', replyTo }), askMs);
      return servers.map((s) => ({ name: s.name, address: `${s.address}:${s.port}`, players: s.players, capacity: s.capacity, status: s.missed > 0 ? 'unreachable' : s.status }));
    },
    async drain(server) {
      const reply = await login.pool.ask<{ found: boolean }>((replyTo) => ({ type: 'pool.drain-server', name: server, replyTo }), askMs);
      return reply.found;
    },
    async kick(accountId, _by, reason) {
      let found = false;
      for (const entry of await store.onlinePlayers.findByAccount(accountId)) {
        if (entry.server === login.settings.name) {
          // A login session ends through its server; its end removes the entry.
          const closed = await login.ref.ask<boolean>((replyTo) => ({ type: 'login.close-session', sid: Number(entry.sessionId), reason, replyTo }), askMs);
          if (!closed) continue;
        } else {
          login.pool.tell({ type: 'pool.kick-on-server', server: entry.server, accountId, reason });
        }
        found = true;
      }
      return found;
    },
  };
}
