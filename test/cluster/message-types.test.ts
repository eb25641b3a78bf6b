import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterConfigError, MessageTypes } from '../../src/cluster/index.js';
import { POISON_PILL_TYPE } from '../../src/runtime/index.js';

describe('message types', () => {
  it('accepts registered types and refuses others and non-messages', () => {
    const types = new MessageTypes().register('a');
    assert.equal(types.check({ type: 'a' }), 'ok');
    assert.equal(types.check({ type: 'b' }), 'unregistered');
    for (const value of [null, 1, 'a', [], { type: 1 }, new Uint8Array(2)]) assert.equal(types.check(value), 'not-an-object');
  });

  it('runs a predicate or a safeParse schema and refuses on false or a throw', () => {
    const types = new MessageTypes()
      .register('p', (m) => typeof m['x'] === 'number')
      .register('z', { safeParse: (v: unknown) => ({ success: typeof (v as { y?: unknown }).y === 'string' }) })
      .register('t', () => {
        throw new Error('boom');
      });
    assert.equal(types.check({ type: 'p', x: 1 }), 'ok');
    assert.equal(types.check({ type: 'p', x: '1' }), 'schema');
    assert.equal(types.check({ type: 'z', y: 's' }), 'ok');
    assert.equal(types.check({ type: 'z' }), 'schema');
    assert.equal(types.check({ type: 't' }), 'schema');
  });

  it('always allows the poison pill and refuses a type registered twice or badly named', () => {
    const types = new MessageTypes();
    assert.equal(types.check({ type: POISON_PILL_TYPE }), 'ok');
    types.register('x');
    assert.throws(() => types.register('x'), ClusterConfigError);
    assert.throws(() => types.register(''), ClusterConfigError);
    assert.throws(() => types.register('has space'), ClusterConfigError);
  });
});
