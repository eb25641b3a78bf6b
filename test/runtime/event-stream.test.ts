import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventStream } from '../../src/runtime/event-stream.js';

describe('EventStream', () => {
  it('delivers events of a kind to its subscribers until they unsubscribe', () => {
    const stream = new EventStream();
    const seen: string[] = [];
    const off = stream.subscribe('unhandled', (e) => seen.push(e.recipient));
    stream.subscribe('failure', () => seen.push('wrong kind'));
    stream.publish('unhandled', { recipient: 'a', message: 1 });
    off();
    stream.publish('unhandled', { recipient: 'b', message: 2 });
    assert.deepEqual(seen, ['a']);
    assert.equal(stream.hasSubscribers('unhandled'), false);
  });

  it('keeps publishing to the others when a subscriber throws', () => {
    const errors: unknown[] = [];
    const stream = new EventStream((error) => errors.push(error));
    const seen: string[] = [];
    stream.subscribe('lifecycle', () => {
      throw new Error('bad subscriber');
    });
    stream.subscribe('lifecycle', (e) => seen.push(e.path));
    stream.publish('lifecycle', { path: 'p', kind: 'k', event: 'started' });
    assert.deepEqual(seen, ['p']);
    assert.equal(errors.length, 1);
  });
});
