// The example of docs/net.md, run as written (on port 0), plus its server subclass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ActorSystem, props, silentLogger, type ActorRef, type Handlers } from '../../src/runtime/index.js';
import { EXTENDEDBASE, SYSTEM } from '../../src/protocol/index.js';
import { KiClient, KiServer, MessageService, kiServerProps, service, startServer, type ServerMessage, type ServiceContext, type ServiceEnv } from '../../src/net/index.js';

type StatsMessage = { readonly type: 'stats.count'; readonly replyTo: ActorRef<number> };

class PingService extends MessageService<StatsMessage> {
  #pings = 0;

  constructor(context: ServiceContext<StatsMessage>, env: ServiceEnv) {
    super(context, env);
    this.onClient(SYSTEM.MSG_PING, () => {
      this.#pings++;
      this.send(SYSTEM.MSG_PING_RSP, {});
    });
    this.onServer('stats.count', ({ replyTo }) => replyTo.tell(this.#pings));
  }

  protected override async onSessionEnd(reason: string): Promise<void> {
    this.log.info({ pings: this.#pings, reason }, 'session over');
  }
}

class StatsService extends MessageService {
  constructor(context: ServiceContext, env: ServiceEnv) {
    super(context, env);
    this.onClient(EXTENDEDBASE.MSG_RAW_TEXT, async ({ Message }) => {
      if (Message.toString() === 'bye') return this.closeSession('client said bye');
      const pings = await this.askService<number>((replyTo) => ({ type: 'stats.count', replyTo }), 1000);
      this.send(EXTENDEDBASE.MSG_RAW_TEXT, { Message: `pings: ${pings}` });
    });
  }
}

test('the docs example serves pings and stats, and ends on bye', async () => {
  const system = ActorSystem.create('imlight', { logger: silentLogger });
  try {
    const { address } = await startServer(
      system,
      kiServerProps({ name: 'demo', host: '127.0.0.1', port: 0, services: [service('ping', PingService), service('stats', StatsService)] }),
      'demo',
    );
    const client = await KiClient.connect({ port: address.port });
    client.send(SYSTEM.MSG_PING, {});
    await client.next(SYSTEM.MSG_PING_RSP, 2000);
    client.send(EXTENDEDBASE.MSG_RAW_TEXT, { Message: 'stats' });
    assert.equal((await client.next(EXTENDEDBASE.MSG_RAW_TEXT, 2000)).Message.toString(), 'pings: 1');
    client.send(EXTENDEDBASE.MSG_RAW_TEXT, { Message: 'bye' });
    assert.equal((await client.closed).reason, 'remote');
  } finally {
    await system.terminate();
  }
});

type LoginServerMessage = { readonly type: 'login.online-count'; readonly replyTo: ActorRef<number> };

class LoginServer extends KiServer<LoginServerMessage> {
  protected override serverHandlers(): Handlers<LoginServerMessage> {
    return { 'login.online-count': ({ replyTo }) => replyTo.tell(this.sessions.size) };
  }
}

test('a KiServer subclass handles its own messages next to the base ones', async () => {
  const system = ActorSystem.create('imlight', { logger: silentLogger });
  try {
    const config = { name: 'login', host: '127.0.0.1', port: 0, services: [service('ping', PingService)] };
    const { ref, address } = await startServer(system, props<ServerMessage | LoginServerMessage>((c) => new LoginServer(c, config)), 'login');
    const clients = [await KiClient.connect({ port: address.port, keepAliveMs: 0 }), await KiClient.connect({ port: address.port, keepAliveMs: 0 })];
    assert.equal(await ref.ask<number>((replyTo) => ({ type: 'login.online-count', replyTo }), 1000), 2);
    for (const client of clients) client.destroy();
  } finally {
    await system.terminate();
  }
});
