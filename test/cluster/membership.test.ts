import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Membership, type MemberEvent } from '../../src/cluster/membership.js';

function setup() {
  let now = 0;
  const events: MemberEvent[] = [];
  const downs: string[] = [];
  const membership = new Membership(() => now, { unreachableAfterMs: 300, downAfterMs: 1000 }, (node, reason) => downs.push(`${node}:${reason}`), (error) => {
    throw error;
  });
  membership.subscribe((event) => events.push(event));
  return { membership, events, downs, advance: (ms: number) => (now += ms) };
}

describe('membership', () => {
  it('reports a node up when first heard, unreachable when silent, reachable when heard again', () => {
    const { membership, events, advance } = setup();
    membership.seen('b', 'i1');
    advance(301);
    membership.check();
    assert.equal(membership.status('b'), 'unreachable');
    membership.seen('b', 'i1');
    assert.deepEqual(events.map((e) => e.type), ['member-up', 'member-unreachable', 'member-reachable']);
  });

  it('declares a node silent past the bound down once, and calls back before the event', () => {
    const { membership, events, downs, advance } = setup();
    membership.seen('b', 'i1');
    advance(1001);
    membership.check();
    membership.check();
    assert.deepEqual(downs, ['b:silent']);
    assert.deepEqual(events.map((e) => e.type), ['member-up', 'member-down']);
  });

  it('treats a new incarnation under the same name as the old node down and the new one up', () => {
    const { membership, events, downs } = setup();
    membership.seen('b', 'i1');
    membership.seen('b', 'i2');
    assert.deepEqual(downs, ['b:restarted']);
    assert.deepEqual(events.map((e) => `${e.type}:${e.incarnation}`), ['member-up:i1', 'member-down:i1', 'member-up:i2']);
  });

  it('brings a node that was down up again when it is heard from, as a new episode', () => {
    const { membership, events, advance } = setup();
    membership.seen('b', 'i1');
    advance(2000);
    membership.check();
    membership.seen('b', 'i1');
    assert.equal(membership.status('b'), 'up');
    assert.deepEqual(events.map((e) => e.type), ['member-up', 'member-down', 'member-up']);
  });

  it('declares an expected node that never speaks down after the bound', () => {
    const { membership, downs, advance } = setup();
    membership.expect('ghost');
    assert.equal(membership.status('ghost'), 'joining');
    advance(999);
    membership.check();
    assert.deepEqual(downs, []);
    advance(2);
    membership.check();
    assert.deepEqual(downs, ['ghost:silent']);
  });

  it('takes a goodbye only from the incarnation it knows', () => {
    const { membership, downs } = setup();
    membership.seen('b', 'i2');
    membership.left('b', 'i1');
    assert.equal(membership.status('b'), 'up');
    membership.left('b', 'i2');
    assert.deepEqual(downs, ['b:left']);
  });
});
