import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Dispatcher } from '../../src/runtime/dispatcher.js';

describe('Dispatcher', () => {
  it('yields to setImmediate callbacks while a mailbox keeps itself busy', async () => {
    const dispatcher = new Dispatcher(100);
    let runs = 0;
    let immediateRanAfter = -1;
    const flood = {
      run(): number {
        runs++;
        if (runs < 1000) dispatcher.schedule(flood);
        return 10;
      },
    };
    setImmediate(() => (immediateRanAfter = runs));
    dispatcher.schedule(flood);
    await new Promise<void>((resolve) => {
      const check = (): void => (runs >= 1000 ? resolve() : void setImmediate(check));
      check();
    });
    assert.ok(immediateRanAfter > 0 && immediateRanAfter < 1000, `I/O turn ran after ${immediateRanAfter} runs`);
  });

  it('runs mailboxes scheduled from inside a run in the same turn', async () => {
    const dispatcher = new Dispatcher();
    const order: string[] = [];
    const b = { run: () => (order.push('b'), 1) };
    const a = { run: () => (order.push('a'), dispatcher.schedule(b), 1) };
    dispatcher.schedule(a);
    await Promise.resolve();
    await Promise.resolve();
    assert.deepEqual(order, ['a', 'b']);
  });
});
