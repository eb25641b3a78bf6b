import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXTENDEDBASE, SYSTEM } from '../../src/protocol/index.js';
import { FatalServiceError, MessageService, service, type ServiceContext, type ServiceEnv } from '../../src/net/index.js';
import { eventually, logsMatching, startTestServer } from '../kit/net-server.js';
import { AskingService, CounterService, PingService, ShoutService, SlowService, TextService, TwiceService } from './test-services.js';

const text = (value: string) => ({ Message: value });

test('two services that handle the same message both receive it', async () => {
  const server = await startTestServer({ services: [service('text', TextService), service('shout', ShoutService)] });
  try {
    const client = await server.connect();
    client.send(EXTENDEDBASE.MSG_RAW_TEXT, text('hello'));
    assert.equal((await client.next(EXTENDEDBASE.MSG_RAW_TEXT, 2000)).Message.toString(), 'text:hello');
    assert.equal((await client.next(EXTENDEDBASE.MSG_SERVERMESSAGE, 2000)).Message, 'HELLO');
  } finally {
    await server.close();
  }
});

test('a service that throws is restarted and handles the next message; other services are untouched', async () => {
  const server = await startTestServer({ services: [service('text', TextService), service('counter', CounterService), service('asking', AskingService)] });
  try {
    const client = await server.connect();
    client.send(SYSTEM.MSG_PING_RSP, {});
    client.send(EXTENDEDBASE.MSG_RAW_TEXT, text('crash'));
    client.send(EXTENDEDBASE.MSG_RAW_TEXT, text('after'));
    assert.equal((await client.next(EXTENDEDBASE.MSG_RAW_TEXT, 2000)).Message.toString(), 'text:after');
    assert.equal(server.counters.snapshot().serviceRestarts['text'], 1);
    // The counter service kept its state: one MSG_PING_RSP counted, the ask adds one.
    client.send(SYSTEM.MSG_PING, {});
    assert.equal((await client.next(EXTENDEDBASE.MSG_RAW_TEXT, 2000)).Message.toString(), 'count:2');
    assert.equal(client.isClosed, false);
  } finally {
    await server.close();
  }
});

test('past the restart budget the session ends cleanly, and another session is not touched', async () => {
  const server = await startTestServer({ services: [service('text', TextService)], session: { maxServiceRestarts: 3, restartWindowMs: 30_000 } });
  try {
    const victim = await server.connect();
    const bystander = await server.connect();
    for (let i = 0; i < 3; i++) {
      victim.send(EXTENDEDBASE.MSG_RAW_TEXT, text('crash'));
      victim.send(EXTENDEDBASE.MSG_RAW_TEXT, text(`alive ${i}`));
      assert.equal((await victim.next(EXTENDEDBASE.MSG_RAW_TEXT, 2000)).Message.toString(), `text:alive ${i}`);
    }
    victim.send(EXTENDEDBASE.MSG_RAW_TEXT, text('crash'));
    assert.equal((await victim.closed).reason, 'remote');
    await eventually(() => server.counters.snapshot().sessionsClosed['service-failed'] === 1, 'service-failed counted');
    assert.equal(logsMatching(server, 'past its restart budget').length, 1);
    bystander.send(EXTENDEDBASE.MSG_RAW_TEXT, text('still here'));
    assert.equal((await bystander.next(EXTENDEDBASE.MSG_RAW_TEXT, 2000)).Message.toString(), 'text:still here');
  } finally {
    await server.close();
  }
});

test('a FatalServiceError ends the session at once, without a restart', async () => {
  const server = await startTestServer({ services: [service('text', TextService)] });
  try {
    const client = await server.connect();
    client.send(EXTENDEDBASE.MSG_RAW_TEXT, text('fatal'));
    await client.closed;
    await eventually(() => server.counters.snapshot().sessionsClosed['service-failed'] === 1, 'service-failed counted');
    assert.equal(server.counters.snapshot().serviceRestarts['text'], undefined);
  } finally {
    await server.close();
  }
});

test('asking another service gets the first answer', async () => {
  const server = await startTestServer({ services: [service('asking', AskingService), service('counter', CounterService)] });
  try {
    const client = await server.connect();
    client.send(SYSTEM.MSG_PING, {});
    assert.equal((await client.next(EXTENDEDBASE.MSG_RAW_TEXT, 2000)).Message.toString(), 'count:1');
  } finally {
    await server.close();
  }
});

test('asking another service that never answers fails with a clear timeout error', async () => {
  const server = await startTestServer({ services: [service('asking', AskingService), service('counter', CounterService)] });
  try {
    const client = await server.connect();
    client.send(EXTENDEDBASE.MSG_RAW_TEXT, text('ask:silent'));
    const [code, message] = (await client.next(EXTENDEDBASE.MSG_RAW_TEXT, 3000)).Message.toString().split('|');
    assert.equal(code, 'ERR_SERVICE_ASK_TIMEOUT');
    assert.match(message!, /no service of .*session-\d+ answered 'test.never-answered' within 200 ms/);
  } finally {
    await server.close();
  }
});

test('asking a message type that no other service handles fails at once with ERR_SERVICE_NO_HANDLER', async () => {
  const server = await startTestServer({ services: [service('asking', AskingService), service('counter', CounterService)] });
  try {
    const client = await server.connect();
    client.send(EXTENDEDBASE.MSG_RAW_TEXT, text('ask:nobody'));
    const [code, message] = (await client.next(EXTENDEDBASE.MSG_RAW_TEXT, 3000)).Message.toString().split('|');
    assert.equal(code, 'ERR_SERVICE_NO_HANDLER');
    assert.match(message!, /handles 'test.nobody'/);
  } finally {
    await server.close();
  }
});

test('a service declaring two handlers for one message fails to construct, and its sessions end', async () => {
  const server = await startTestServer({ services: [service('twice', TwiceService)] });
  try {
    const client = await server.connect();
    await client.closed;
    const failure = server.logs.find((line) => JSON.stringify(line).includes('ERR_SERVICE_DUPLICATE_HANDLER') || JSON.stringify(line).includes('declares two handlers'));
    assert.ok(failure !== undefined, 'the duplicate handler is logged');
  } finally {
    await server.close();
  }
});

interface Saved {
  readonly reasons: string[];
}

class SavingService extends MessageService {
  readonly #saved: Saved;
  readonly #delayMs: number;
  constructor(context: ServiceContext, env: ServiceEnv, saved: Saved, delayMs: number) {
    super(context, env);
    this.#saved = saved;
    this.#delayMs = delayMs;
    this.onClient(SYSTEM.MSG_PING, () => this.closeSession('test says bye'));
  }

  protected override async onSessionEnd(reason: string): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, this.#delayMs));
    this.#saved.reasons.push(`${this.env.name}:${reason}`);
  }
}

/** Owns a counter it saves with saveState; "fatal" makes it fail for good. */
class OwningService extends MessageService {
  readonly #saved: Saved;
  #count = 0;
  constructor(context: ServiceContext, env: ServiceEnv, saved: Saved) {
    super(context, env);
    this.#saved = saved;
    this.onClient(EXTENDEDBASE.MSG_RAW_TEXT, ({ Message }) => {
      if (Message.toString('utf8') === 'fatal') throw new FatalServiceError('test fatal');
      this.#count++;
    });
  }

  protected override onSessionEnd(reason: string): void {
    this.#saved.reasons.push(`end:${reason}`);
  }

  protected override saveState(reason: string): Promise<void> {
    this.#saved.reasons.push(`saved ${this.#count}:${reason.split(':')[0]}`);
    return Promise.resolve();
  }
}

test('a service that fails still saves the state it owns (saveState), skipping onSessionEnd; a normal end runs both', async () => {
  const saved: Saved = { reasons: [] };
  const server = await startTestServer({ services: [{ name: 'owner', create: (c, e) => new OwningService(c, e, saved) }] });
  try {
    const client = await server.connect();
    client.send(EXTENDEDBASE.MSG_RAW_TEXT, text('one'));
    client.send(EXTENDEDBASE.MSG_RAW_TEXT, text('two'));
    client.send(EXTENDEDBASE.MSG_RAW_TEXT, text('fatal'));
    await client.closed;
    await eventually(() => server.counters.snapshot().sessionsClosed['service-failed'] === 1, 'service-failed counted');
    assert.deepEqual(saved.reasons, ['saved 2:failed']);
    const other = await server.connect();
    other.send(EXTENDEDBASE.MSG_RAW_TEXT, text('one'));
    await other.close();
    await eventually(() => saved.reasons.length === 3, 'the normal end');
    assert.deepEqual(saved.reasons.slice(1), ['end:client-closed', 'saved 1:client-closed']);
  } finally {
    await server.close();
  }
});

test('on every end each service runs its end hook, bounded by the time limit', async () => {
  const saved: Saved = { reasons: [] };
  const server = await startTestServer({
    services: [
      { name: 'quick', create: (c, e) => new SavingService(c, e, saved, 1) },
      { name: 'slow', create: (c, e) => new SavingService(c, e, saved, 1_000) },
    ],
    session: { endHookTimeoutMs: 100 },
  });
  try {
    const client = await server.connect();
    client.send(SYSTEM.MSG_PING, {});
    await client.closed;
    await eventually(() => saved.reasons.length >= 1, 'the quick hook ran');
    assert.deepEqual(saved.reasons, ['quick:closed']);
    assert.equal(logsMatching(server, 'onSessionEnd did not finish in time').length >= 1, true);
    const ended = server.logs.find((line) => line['msg'] === 'session ended' && typeof line['sid'] === 'number');
    assert.equal(ended?.['reason'], 'closed: test says bye');

    // A client that disconnects runs the hooks too.
    const other = await server.connect();
    await other.close();
    await eventually(() => saved.reasons.includes('quick:client-closed'), 'hook on client close');
  } finally {
    await server.close();
  }
});

test('stopping the server ends every session and runs the end hooks', async () => {
  const saved: Saved = { reasons: [] };
  const server = await startTestServer({ services: [{ name: 'quick', create: (c, e) => new SavingService(c, e, saved, 1) }, service('ping', PingService)] });
  const clients = [await server.connect(), await server.connect()];
  await server.system.terminate();
  for (const client of clients) await client.closed;
  assert.deepEqual(saved.reasons, ['quick:stopped', 'quick:stopped']);
  await server.close();
});

test('a client flooding a slow service past its mailbox cap loses its session; memory stays bounded', async () => {
  const server = await startTestServer({ services: [service('slow', SlowService, { mailboxCapacity: 50 }), service('text', TextService)] });
  try {
    const flooder = await server.connect();
    const calm = await server.connect();
    const ping = Buffer.from([0x0d, 0xf0, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 1, 1, 4, 0, 0]);
    flooder.writeRaw(Buffer.concat(Array.from({ length: 500 }, () => ping)));
    await flooder.closed;
    await eventually(() => server.counters.snapshot().sessionsClosed['service-failed'] === 1, 'the session of the flooder ended');
    assert.ok(flooder.stats.messagesIn < 500, `answered ${flooder.stats.messagesIn} of 500`);
    calm.send(EXTENDEDBASE.MSG_RAW_TEXT, text('fine'));
    assert.equal((await calm.next(EXTENDEDBASE.MSG_RAW_TEXT, 2000)).Message.toString(), 'text:fine');
  } finally {
    await server.close();
  }
});

let shapeInstances = 0;
class ShapeShifter extends MessageService {
  constructor(context: ServiceContext, env: ServiceEnv) {
    super(context, env);
    // The second instance declares another kind: routing computed from the first would be wrong.
    this.onClient(shapeInstances++ === 0 ? SYSTEM.MSG_PING : SYSTEM.MSG_PING_RSP, () => this.send(SYSTEM.MSG_PING_RSP, {}));
  }
}

test('a service whose instances declare different handlers fails to construct after the first', async () => {
  shapeInstances = 0;
  const server = await startTestServer({ services: [{ name: 'shape', create: (c, e) => new ShapeShifter(c, e) }] });
  try {
    const first = await server.connect();
    first.send(SYSTEM.MSG_PING, {});
    await first.next(SYSTEM.MSG_PING_RSP, 2000);
    const second = await server.connect();
    await second.closed;
    assert.ok(server.logs.some((line) => JSON.stringify(line).includes('declare every handler unconditionally')), 'the shape error is logged');
    first.send(SYSTEM.MSG_PING, {});
    await first.next(SYSTEM.MSG_PING_RSP, 2000);
  } finally {
    await server.close();
  }
});
