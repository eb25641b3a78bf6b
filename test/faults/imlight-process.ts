// An `imlight` process of its own (the real CLI, through tsx), for the cases that kill one: started on a
// data folder with fixed free ports, so a restart on the same folder serves the same addresses.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { sleep } from './support.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise<import('node:net').Server>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  })));
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

export interface ImlightProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code or signal when the process is gone. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What the process wrote to stderr and stdout (the last 64 KiB). */
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Runs `imlight <args>` and resolves once every port in `waitFor` accepts connections. A process that exits
 * first, or is not up within `timeoutMs`, rejects (with its output).
 */
export async function startImlightProcess(args: readonly string[], waitFor: readonly number[], timeoutMs = 30_000, env: NodeJS.ProcessEnv = {}): Promise<ImlightProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, IMLIGHT_CONFIG: '', ...env },
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    if (output.length > 65_536) output = output.slice(-65_536);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let gone = false;
  void exited.then(() => { gone = true; });
  const handle: ImlightProcess = {
    child,
    exited,
    output: () => output,
    async kill(signal = 'SIGKILL') {
      if (!gone) child.kill(signal);
      await exited;
    },
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (gone) throw new Error(`imlight ${args.join(' ')} exited before it was up:\n${output}`);
    const open = await Promise.all(waitFor.map(portOpen));
    if (open.every(Boolean)) return handle;
    if (Date.now() > deadline) {
      await handle.kill();
      throw new Error(`imlight ${args.join(' ')} not up within ${timeoutMs} ms:\n${output}`);
    }
    await sleep(100);
  }
}
