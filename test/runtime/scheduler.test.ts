import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RealScheduler } from '../../src/runtime/index.js';
import { TimerHeap } from '../../src/runtime/timer-heap.js';

describe('RealScheduler', () => {
  it('runs callbacks in deadline order and skips cancelled ones', async () => {
    const scheduler = new RealScheduler();
    const order: string[] = [];
    const done = new Promise<void>((resolve) => scheduler.schedule(30, () => resolve()));
    scheduler.schedule(20, () => order.push('b'));
    scheduler.schedule(5, () => order.push('a'));
    scheduler.schedule(10, () => order.push('cancelled')).cancel();
    await done;
    assert.deepEqual(order, ['a', 'b']);
  });
});

describe('TimerHeap', () => {
  it('pops in time order, then insertion order, and compacts cancelled entries away', () => {
    const heap = new TimerHeap();
    const fired: number[] = [];
    const entries = [];
    for (let i = 0; i < 2000; i++) entries.push(heap.push((i * 7919) % 1000, () => fired.push(i)));
    for (let i = 0; i < 2000; i += 2) entries[i]!.cancel();
    assert.equal(heap.live, 1000);
    let previous = -1;
    let entry;
    while ((entry = heap.pop()) !== undefined) {
      assert.ok(entry.at >= previous);
      previous = entry.at;
      entry.fn();
    }
    assert.equal(fired.length, 1000);
    assert.ok(fired.every((i) => i % 2 === 1));
  });

  it('reports when the last live entry is cancelled, so the wall-clock timer can be released', () => {
    let empty = 0;
    const heap = new TimerHeap(() => empty++);
    const a = heap.push(10, () => {});
    const b = heap.push(20, () => {});
    a.cancel();
    assert.equal(empty, 0);
    b.cancel();
    b.cancel();
    assert.equal(empty, 1);
    assert.equal(heap.peek(), undefined);
  });
});
