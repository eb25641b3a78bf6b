// A NATS server of a test's own, on a free port, that the test may kill and restart: the shared one at 4222 stays up
// for every other test running alongside.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { probeTcp } from '../cluster/support.js';

export const NATS_SERVER = process.env['IMLIGHT_NATS_SERVER_BIN'] ?? 'nats-server';
export const natsServerAvailable = spawnSync(NATS_SERVER, ['--version'], { encoding: 'utf8' }).status === 0;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts nats-server on 127.0.0.1:port and resolves once it accepts connections. */
export async function startNatsServer(port: number): Promise<ChildProcess> {
  const child = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const started = Date.now();
  while ((await probeTcp(`nats://127.0.0.1:${port}`)) !== undefined) {
    if (Date.now() - started > 10_000 || child.exitCode !== null) throw new Error(`nats-server did not start on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return child;
}

/** SIGKILL, resolved once the process is gone. */
export function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
