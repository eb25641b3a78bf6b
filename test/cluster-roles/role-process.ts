// One `imlight <role>` OS process for the cluster tests, its JSON log lines collected as they come; and the skip
// reason when NATS or PostgreSQL is missing (never a skip under CI).
import { spawn, type ChildProcess } from 'node:child_process';
import { NATS_URL, probeTcp } from '../cluster/support.js';
import { postgresReachable } from '../store/store-harness.js';

export const PASSWORD = 'correct horse battery';
// A short bound for a killed process (the default is 10 s); the test waits "eventually", far longer than this.
export const DEATH_TIMEOUT = '3s';
export const WAIT_MS = 30_000;

export async function skipReason(): Promise<string | false> {
  const nats = await probeTcp(NATS_URL);
  const postgres = await postgresReachable();
  const reason = [nats === undefined ? undefined : `NATS not reachable at ${NATS_URL}: ${nats}`, postgres].filter((r) => r !== undefined).join('; ');
  // Under CI both must be there: an unreachable one fails the run instead of skipping it.
  return reason === '' || process.env['CI'] === 'true' ? false : reason;
}

export type LogLine = Record<string, unknown>;

// One `imlight <role>` process, its JSON log lines collected as they come.
export class RoleProcess {
  readonly lines: LogLine[] = [];
  readonly exited: Promise<number | null>;
  readonly #child: ChildProcess;
  #waiters: Array<() => void> = [];

  constructor(readonly label: string, role: string, args: readonly string[]) {
    this.#child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', role, ...args], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'], env: cleanEnv() });
    let pending = '';
    const onData = (chunk: Buffer): void => {
      pending += chunk.toString('utf8');
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const text = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        try {
          this.lines.push(JSON.parse(text) as LogLine);
        } catch {
          this.lines.push({ msg: text });
        }
      }
      for (const wake of this.#waiters.splice(0)) wake();
    };
    this.#child.stdout!.on('data', onData);
    this.#child.stderr!.on('data', onData);
    this.exited = new Promise((resolve) => this.#child.once('exit', (code) => {
      for (const wake of this.#waiters.splice(0)) wake();
      resolve(code);
    }));
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  matching(msg: string, fields: LogLine = {}): LogLine[] {
    return this.lines.filter((line) => line['msg'] === msg && Object.entries(fields).every(([key, value]) => line[key] === value));
  }

  /** Resolves with the `count`-th line with this msg (and fields). */
  async waitFor(msg: string, fields: LogLine = {}, count = 1, timeoutMs = WAIT_MS): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.matching(msg, fields);
      if (found.length >= count) return found[count - 1]!;
      if (!this.running) throw new Error(`${this.label} exited before logging "${msg}" ${JSON.stringify(fields)}:\n${this.tail()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.label}: no "${msg}" ${JSON.stringify(fields)} within ${timeoutMs} ms:\n${this.tail()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 500));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  tail(n = 15): string {
    return this.lines.slice(-n).map((line) => JSON.stringify(line).slice(0, 300)).join('\n');
  }

  kill(signal: NodeJS.Signals): void {
    if (this.running) this.#child.kill(signal);
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.kill('SIGTERM');
    const timer = setTimeout(() => this.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}

// The child processes get their configuration from flags only: no IMLIGHT_* variable of the test's environment.
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('IMLIGHT_')) env[key] = value;
  return env;
}

export async function waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
