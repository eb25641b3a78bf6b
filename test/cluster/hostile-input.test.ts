import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encode, ExtData } from '@msgpack/msgpack';
import fc from 'fast-check';
import { Subjects } from '../../src/cluster/index.js';
import { TestProbe } from '../../src/runtime/testkit/index.js';
import { echoProps, inProcessHarness, startNode, stopNode, uniqueName } from './support.js';

const RUNS = Number(process.env['IMLIGHT_FUZZ_COUNT'] ?? 300);

describe('hostile bytes on a node\'s subject', () => {
  it('never crash the node: random bytes, random frames after a valid header, and crafted frames are dropped', async () => {
    const harness = inProcessHarness();
    const cluster = uniqueName('fuzz');
    const b = await startNode(harness, 'victim', cluster);
    const a = await startNode(harness, 'sender', cluster);
    const raw = await harness.transport();
    const subject = Subjects.node(cluster, 'victim');
    const probe = new TestProbe(b.system);
    b.system.spawn(echoProps(probe.ref), 'sink');
    try {
      const header = encode([1, 'evil', 'x1']);
      const withHeader = (...values: unknown[]): Uint8Array => Buffer.concat([header, ...values.map((v) => encode(v))]);
      const target = 'imlight://victim/user/sink';
      const crafted: Uint8Array[] = [
        withHeader([0, target, null, { type: 'seq', n: new ExtData(0, Buffer.from('not a path')) }]),
        withHeader([0, target, null, { type: 'seq', n: new ExtData(0, Buffer.from([0xff, 0xfe])) }]),
        withHeader([0, target, null, { type: 'seq', n: new ExtData(1, Buffer.from('12x')) }]),
        withHeader([0, target, 'imlight://', { type: 'seq', n: 1 }]),
        withHeader([0, 'imlight://someone-else/user/x', null, { type: 'seq', n: 1 }]),
        withHeader([0, target, null, { type: 'constructor' }]),
        withHeader([0, target, null, [1, 2]]),
        withHeader([1, target, 'imlight://victim/user/self-watch']),
        withHeader([4, 5, 6]),
        withHeader([99]),
        withHeader('not a frame'),
        Buffer.concat([header, Buffer.from([0x82, 0xa9]), Buffer.from('__proto__'), Buffer.from([0x01, 0xa1, 0x78, 0x02])]),
        Buffer.concat([header, Buffer.from([0xdd, 0xff, 0xff, 0xff, 0xff])]),
        Buffer.concat([header, Buffer.alloc(100_000, 0x91)]),
        encode([2, 'evil', 'x1']),
        encode([1, 'bad.name', 'x1']),
      ];
      for (const data of crafted) raw.publish(subject, data);
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 256 }), fc.anything().map((v) => withHeader(v)), fc.array(fc.anything(), { maxLength: 5 }).map((v) => withHeader([0, target, null, v]))), async (data) => {
          raw.publish(subject, data);
        }),
        { numRuns: RUNS },
      );
      raw.publish(Subjects.heartbeat(cluster), Buffer.alloc(4096, 0xc1));
      await raw.flush();
      a.node.ref(target).tell({ type: 'seq', n: 42 });
      assert.deepEqual(await probe.expectMessage(10_000), { type: 'seq', n: 42 });
      assert.ok(b.node.stats().droppedInbound >= crafted.length - 2, `drops counted: ${b.node.stats().droppedInbound}`);
      assert.equal(probe.received, 0, 'nothing hostile reached the actor');
    } finally {
      await raw.close();
      await stopNode(a);
      await stopNode(b);
    }
  });
});
