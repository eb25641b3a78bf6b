import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import type { MemberEvent } from '../../src/cluster/index.js';
import { DeadLetterError } from '../../src/runtime/index.js';
import { TestProbe } from '../../src/runtime/testkit/index.js';
import { NATS_URL, natsHarness, startNode, stopNode, uniqueName, waitForMember, type TestNode } from './support.js';

const harness = await natsHarness();
const fixture = fileURLToPath(new URL('./fixtures/remote-node.ts', import.meta.url));

describe('a cluster node in another OS process', { skip: harness.skip }, () => {
  let local: TestNode | undefined;
  after(async () => {
    if (local !== undefined) await stopNode(local);
  });

  it('answers asks, and its watched actor\'s Terminated arrives after the process is SIGKILLed', async () => {
    const cluster = uniqueName('kill');
    const remoteName = uniqueName('victim');
    local = await startNode(harness, uniqueName('watcher'), cluster);
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, cluster, remoteName, NATS_URL], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const ready = await new Promise<{ pid: number }>((resolve, reject) => {
        const lines = createInterface({ input: child.stdout! });
        lines.once('line', (line) => resolve(JSON.parse(line) as { pid: number }));
        child.once('exit', (code) => reject(new Error(`fixture exited with ${code} before it was ready`)));
      });
      assert.equal(ready.pid, child.pid);
      await waitForMember(local.node, remoteName, 'member-up', 20_000);
      const echo = local.node.refOn(remoteName, '/user/echo');
      const probe = new TestProbe(local.system);
      probe.watch(echo);
      const reply = await echo.ask<{ payload: unknown }>((replyTo) => ({ type: 'echo', payload: 'alive', replyTo }), 10_000);
      assert.equal(reply.payload, 'alive');
      const down = waitForMember(local.node, remoteName, 'member-down', 20_000);
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
      child.kill('SIGKILL');
      assert.equal(await exited, 'SIGKILL');
      await probe.expectTerminated(echo, 20_000);
      assert.equal(((await down) as Extract<MemberEvent, { type: 'member-down' }>).reason, 'silent');
      await assert.rejects(echo.ask(() => ({ type: 'echo', payload: 0 }), 30_000), DeadLetterError);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
