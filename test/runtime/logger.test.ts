import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Actor, createJsonLogger, props } from '../../src/runtime/index.js';
import { TestProbe } from '../../src/runtime/testkit/index.js';
import { testSystem } from './support.js';

describe('logger', () => {
  it('writes one JSON line per entry with pino field names, filtered by level', () => {
    const lines: string[] = [];
    const log = createJsonLogger({ level: 'info', write: (l) => lines.push(l) }).child({ a: 1 });
    log.debug('hidden');
    log.info({ n: 2n }, 'shown');
    log.error(new Error('bad'));
    assert.equal(lines.length, 2);
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.equal(first.level, 30);
    assert.equal(first.a, 1);
    assert.equal(first.n, '2');
    assert.equal(first.msg, 'shown');
    const second = JSON.parse(lines[1]!) as { err: { message: string } };
    assert.equal(second.err.message, 'bad');
  });

  it('gives each actor a logger that carries its path', async () => {
    const { system, logs } = testSystem('logs');
    type M = { type: 'say' };
    class Talker extends Actor<M> {
      readonly receive = { say: () => this.context.log.info({ extra: true }, 'hello') };
    }
    system.spawn(props<M>((ctx) => new Talker(ctx)), 'talker').tell({ type: 'say' });
    await new TestProbe(system).expectNoMessage(1);
    const line = logs.find((l) => l.msg === 'hello');
    assert.equal(line?.actor, 'imlight://logs/user/talker');
    assert.equal(line?.system, 'logs');
    assert.equal(line?.extra, true);
    await system.terminate();
  });
});
