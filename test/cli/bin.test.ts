// The `imlight` command as an operator runs it: bin/imlight.js in a real child process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand, startCommand } from '../kit/imlight-command.js';

const BIN = fileURLToPath(new URL('../../bin/imlight.js', import.meta.url));

function workDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'imlight-bin-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const run = (args: string[], options: { cwd: string; env?: Record<string, string> }) => runCommand(BIN, args, options);

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

const startServer = (cwd: string, args: string[]) => startCommand(BIN, args, { cwd, env: { IMLIGHT_METRICS_DEFAULT_METRICS: 'false' } });

test('imlight with no command starts, and SIGINT stops it gracefully with exit code 130', async (t) => {
  const cwd = workDir(t);
  const server = startServer(cwd, []);
  t.after(() => server.child.kill('SIGKILL'));
  await server.started;
    server.child.kill('SIGINT');
  assert.equal(await server.exited, 130, server.output());
  const lines = server.lines();
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
    server.child.kill('SIGTERM');
  assert.equal(await server.exited, 0, server.output());
});
