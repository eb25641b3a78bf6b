// The `imlight` command as an operator runs it: bin/imlight.js in a real child process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/imlight.js', import.meta.url));

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('IMLIGHT_')) env[key] = value;
  return { ...env, ...extra };
}

function workDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'imlight-bin-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function run(args: string[], options: { cwd: string; env?: Record<string, string> }) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd, env: cleanEnv(options.env), encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('imlight --help lists the commands, the configuration flags and the exit codes', (t) => {
  const { code, stdout } = run(['--help'], { cwd: workDir(t) });
  assert.equal(code, 0);
  for (const word of ['start', 'login', 'game', 'patch', 'config', 'codegen', '--config', '--set', 'Exit codes:', '130']) {
    assert.ok(stdout.includes(word), `help mentions ${word}`);
  }
});

test('a subcommand has its own help', (t) => {
  const { code, stdout } = run(['config', 'check', '--help'], { cwd: workDir(t) });
  assert.equal(code, 0);
  assert.match(stdout, /Usage: imlight config check/);
  assert.match(stdout, /exit 0 when valid, 1/);
  assert.match(stdout, /Global Options:[\s\S]*--config <file>/);
});

test('config check exits 0 for a valid configuration and 1 with the errors for an invalid one', (t) => {
  const cwd = workDir(t);
  writeFileSync(join(cwd, 'imlight.config.toml'), '[login]\nport = 13000\n');
  const valid = run(['config', 'check'], { cwd });
  assert.equal(valid.code, 0, valid.stderr);
  assert.match(valid.stdout, /configuration is valid \(file: .*imlight\.config\.toml\)/);

  const invalid = run(['config', 'check'], { cwd, env: { IMLIGHT_LOGIN_PORT: 'abc' } });
  assert.equal(invalid.code, 1);
  assert.match(invalid.stderr, /login\.port: must be an integer 0\.\.65535, got "abc" \(from IMLIGHT_LOGIN_PORT\)/);

  const start = run([], { cwd, env: { IMLIGHT_LOGIN_PORT: 'abc' } });
  assert.equal(start.code, 1, 'a start with an invalid configuration fails before anything runs');
  assert.match(start.stderr, /login\.port: must be an integer/);

});

test('config print shows each value with its source and masks secrets', (t) => {
  const cwd = workDir(t);
  const { code, stdout } = run(['config', 'print', '--set', 'game.count=2', '--data-dir', 'srv'], {
    cwd, env: { IMLIGHT_ADMIN_TOKEN: 'token-that-stays-hidden', IMLIGHT_LOGIN_PORT: '12010' },
  });
  assert.equal(code, 0);
  assert.match(stdout, /^login\.port\s+12010\s+IMLIGHT_LOGIN_PORT$/m);
  assert.match(stdout, /^game\.count\s+2\s+--set game\.count$/m);
  assert.match(stdout, /^dataDir\s+\S+srv\s+--data-dir$/m);
  assert.match(stdout, /^admin\.token\s+\*{8}\s+IMLIGHT_ADMIN_TOKEN$/m);
  assert.ok(!stdout.includes('token-that-stays-hidden'));
});

test('usage errors exit 2', (t) => {
  const cwd = workDir(t);
  // More cases run in-process in main.test.ts; these two check the code reaches the shell.
  for (const args of [['no-such-command'], ['config']]) {
    const { code, stderr } = run(args, { cwd });
    assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
    assert.ok(stderr.length > 0, `${args.join(' ')} explains itself`);
  }
});

function startServer(cwd: string, args: string[]): { child: ChildProcess; started: Promise<void>; output: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    // Every listener on an ephemeral port, so the test never collides with a running network.
    env: cleanEnv({
      IMLIGHT_ADMIN_PORT: '0', IMLIGHT_LOGIN_PORT: '0', IMLIGHT_GAME_PORT: '0', IMLIGHT_PATCH_PORT: '0',
      IMLIGHT_PATCH_HTTP_PORT: '0', IMLIGHT_METRICS_DEFAULT_METRICS: 'false',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const started = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      out += String(chunk);
      if (out.includes('"msg":"imlight started"')) resolve();
    });
    child.stderr!.on('data', (chunk) => { out += String(chunk); });
    child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${out}`)));
  });
  return { child, started, output: () => out };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

test('imlight with no command starts, and SIGINT stops it gracefully with exit code 130', async (t) => {
  const cwd = workDir(t);
  const server = startServer(cwd, []);
  t.after(() => server.child.kill('SIGKILL'));
  await server.started;
  const exited = exitOf(server.child);
  server.child.kill('SIGINT');
  assert.equal(await exited, 130, server.output());
  const lines = server.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string; reason?: string });
  assert.ok(lines.some((l) => l.msg === 'configuration loaded'));
  assert.ok(lines.some((l) => l.msg === 'stopping' && l.reason === 'SIGINT'));
  assert.ok(lines.some((l) => l.msg === 'stopped'));
});

test('a role shortcut starts that role, and SIGTERM stops it with exit code 0', async (t) => {
  const cwd = workDir(t);
  const server = startServer(cwd, ['patch', '--port', '0']);
  t.after(() => server.child.kill('SIGKILL'));
  await server.started;
  assert.match(server.output(), /"role":"patch"/);
  const exited = exitOf(server.child);
  server.child.kill('SIGTERM');
  assert.equal(await exited, 0, server.output());
});
