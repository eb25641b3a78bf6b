import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RingQueue } from '../../src/runtime/ring-queue.js';

describe('RingQueue', () => {
  it('keeps FIFO order and the parallel slot across growth and wrap-around', () => {
    const q = new RingQueue<number, string>();
    const out: Array<[number, string]> = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 7; i++) q.push(next, `s${next++}`);
      for (let i = 0; i < 5; i++) {
        const s = q.peekSecond();
        out.push([q.shift(), s]);
      }
    }
    while (q.size > 0) {
      const s = q.peekSecond();
      out.push([q.shift(), s]);
    }
    assert.equal(out.length, next);
    out.forEach(([n, s], i) => {
      assert.equal(n, i);
      assert.equal(s, `s${i}`);
    });
  });

  it('puts unshifted and prepended elements in front, in their order', () => {
    const q = new RingQueue<string>();
    q.push('c', undefined);
    q.push('d', undefined);
    const stash = new RingQueue<string>();
    stash.push('a', undefined);
    stash.push('b', undefined);
    q.prependAll(stash);
    q.unshift('first', undefined);
    const out: string[] = [];
    q.drain((x) => out.push(x));
    assert.deepEqual(out, ['first', 'a', 'b', 'c', 'd']);
    assert.equal(stash.size, 0);
  });

  it('stays usable after a large burst released its storage', () => {
    const q = new RingQueue<number>();
    for (let i = 0; i < 5000; i++) q.push(i, undefined);
    let sum = 0;
    while (q.size > 0) sum += q.shift();
    assert.equal(sum, (4999 * 5000) / 2);
    q.push(42, undefined);
    assert.equal(q.shift(), 42);
  });
});
