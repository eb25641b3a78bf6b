// Runs the `imlight` command as an operator does: a real child process of a given bin (the repository's, or one
// installed from the package), with a clean environment and every listener on an ephemeral port.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

/** The process environment without any IMLIGHT_* variable, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('IMLIGHT_')) env[key] = value;
  return { ...env, ...extra };
}

/** Every listener of a start on port 0, so a test never collides with a running network. */
export const EPHEMERAL_PORTS: Readonly<Record<string, string>> = {
  IMLIGHT_ADMIN_PORT: '0', IMLIGHT_LOGIN_PORT: '0', IMLIGHT_GAME_PORT: '0', IMLIGHT_PATCH_PORT: '0', IMLIGHT_PATCH_HTTP_PORT: '0',
};

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCommand(bin: string, args: readonly string[], options: { cwd: string; env?: Record<string, string>; input?: string }): CommandResult {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd, env: cleanEnv(options.env), encoding: 'utf8', timeout: 60_000, ...(options.input === undefined ? {} : { input: options.input }),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface RunningCommand {
  readonly child: ChildProcess;
  /** Resolves once the process logged its `imlight started` line (JSON logs); rejects if it exits first. */
  readonly started: Promise<void>;
  /** Resolves with the exit code once the process is gone. */
  readonly exited: Promise<number | null>;
  output(): string;
  /** The JSON log lines written so far. */
  lines(): Array<Record<string, unknown>>;
}

export function startCommand(bin: string, args: readonly string[], options: { cwd: string; env?: Record<string, string> }): RunningCommand {
  const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd, env: cleanEnv({ ...EPHEMERAL_PORTS, ...options.env }), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      out += String(chunk);
      if (out.includes('"msg":"imlight started"')) resolve();
    });
    child.stderr!.on('data', (chunk) => { out += String(chunk); });
    void exited.then((code) => reject(new Error(`exited early with ${code}: ${out}`)));
  });
  started.catch(() => {});
  return {
    child, started, exited, output: () => out,
    lines: () => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
