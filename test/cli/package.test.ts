// The package as an operator installs it: `npm pack`, then the tarball installed with production dependencies only
// into an empty folder (no TypeScript, no tsx), then `imlight --help`, `imlight account create` and a full start
// stopped by SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand, startCommand } from '../kit/imlight-command.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
// What `npm pack` reads: the package's files and the build inputs. The copy keeps this test from rebuilding the
// worktree's own dist/ under other tests.
const PACK_INPUTS = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'bin', 'src', 'scripts', 'config', 'deploy', 'docs'];

function npm(args: readonly string[], cwd: string): { status: number | null; output: string } {
  const result = spawnSync('npm', [...args], { cwd, encoding: 'utf8', timeout: 600_000, env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' } });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

test('the npm pack tarball installs with production dependencies only and runs', { timeout: 900_000 }, async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'imlight-package-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const source = join(work, 'source');
  for (const entry of PACK_INPUTS) if (existsSync(join(REPO, entry))) cpSync(join(REPO, entry), join(source, entry), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(source, 'node_modules'));

  const packed = npm(['pack', '--pack-destination', work], source);
  assert.equal(packed.status, 0, packed.output);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  assert.ok(tarball !== undefined, packed.output);
  for (const needed of ['dist/cli/main.js', 'bin/imlight.js', 'src/admin/console/index.html', 'src/protocol/definitions/LoginMessages.xml', 'config/imlight.example.toml']) {
    assert.ok(packed.output.includes(needed), `the tarball holds ${needed}`);
  }
  assert.ok(!/\bsrc\/cli\/main\.ts\b/.test(packed.output), 'the tarball ships no TypeScript sources');

  const install = join(work, 'install');
  mkdirSync(install);
  writeFileSync(join(install, 'package.json'), '{ "name": "imlight-install-test", "private": true }\n');
  const installed = npm(['install', '--omit=dev', '--prefer-offline', join(work, tarball)], install);
  if (installed.status !== 0 && process.env.CI !== 'true' && /ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN/.test(installed.output)) {
    t.skip(`the npm registry is not reachable: ${installed.output.split('\n').find((l) => /ENOTFOUND|ECONN|ETIMEDOUT|EAI_AGAIN/.test(l))}`);
    return;
  }
  assert.equal(installed.status, 0, installed.output);
  for (const dev of ['tsx', 'typescript', 'pino-pretty']) assert.ok(!existsSync(join(install, 'node_modules', dev)), `${dev} is not installed`);

  const bin = join(install, 'node_modules', 'imlight', 'bin', 'imlight.js');
  const cwd = join(work, 'run');
  mkdirSync(cwd);
  const help = runCommand(bin, ['--help'], { cwd });
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /Usage: imlight/);

  const created = runCommand(bin, ['account', 'create', 'alice', '--password', 'a good password'], { cwd });
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /created account alice/);

  const server = startCommand(bin, [], { cwd, env: { IMLIGHT_METRICS_DEFAULT_METRICS: 'false' } });
  t.after(() => server.child.kill('SIGKILL'));
  await server.started;
  assert.ok(server.lines().some((l) => l.msg === 'login server listening'), server.output());
  server.child.kill('SIGTERM');
  assert.equal(await server.exited, 0, server.output());
  assert.ok(server.lines().some((l) => l.msg === 'stopped'), server.output());
});
