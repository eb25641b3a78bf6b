// The deployment files (deploy/, docs/deploy.md): the compose file parses and matches the page, the Dockerfile is
// multi-stage and non-root with a health check and a volume, the systemd units pass `systemd-analyze verify`, the
// Prometheus files pass `promtool`, and the dashboard and the alert rules name only metrics a running server exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { exportedNames, metricNamesIn, PROMETHEUS_SERIES, startQuietImlight } from './exported-metrics.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string): string => readFileSync(join(REPO, path), 'utf8');

function tool(name: string, t: { skip(message: string): void }): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  if (found !== '') return found;
  if (process.env.CI === 'true' && name === 'promtool') assert.fail(`${name} is required under CI=true (.ci/run installs Debian's prometheus)`);
  t.skip(`${name} is not installed`);
  return undefined;
}

interface ComposeService { image?: string; ports?: string[]; command?: string[]; environment?: Record<string, string>; volumes?: string[]; healthcheck?: unknown }

/** The rows of the compose table in docs/deploy.md: service name and published ports. */
function documentedServices(): Map<string, number[]> {
  const section = read('docs/deploy.md').split('## The compose cluster')[1]!.split('\n## ')[0]!;
  const rows = new Map<string, number[]>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const name = /^`([a-z0-9-]+)`$/.exec(cells[1] ?? '')?.[1];
    if (name === undefined) continue;
    rows.set(name, [...(cells[3] ?? '').matchAll(/\b(\d{2,5})\b/g)].map((m) => Number(m[1])));
  }
  return rows;
}

test('the compose file parses and runs the services and ports docs/deploy.md names', () => {
  const compose = parse(read('deploy/docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };
  const services = compose.services;
  const documented = documentedServices();
  assert.deepEqual(Object.keys(services).sort(), [...documented.keys()].sort());
  assert.deepEqual(Object.keys(services).sort(), ['game-1', 'game-2', 'login', 'nats', 'patch', 'postgres', 'prometheus']);
  for (const [name, service] of Object.entries(services)) {
    const published = (service.ports ?? []).map((p) => Number(p.split(':').at(-2)));
    assert.deepEqual(published.sort(), [...documented.get(name)!].sort(), `published ports of ${name}`);
  }
  // The merged anchors reach every Imlight service: cluster wiring, secrets, a role command, a data volume.
  for (const [name, role] of [['login', 'login'], ['game-1', 'game'], ['game-2', 'game'], ['patch', 'patch']] as const) {
    const service = services[name]!;
    assert.equal(service.image, 'imlight:latest');
    assert.deepEqual(service.command, [role]);
    assert.equal(service.environment?.IMLIGHT_NATS_URL, 'nats://nats:4222');
    assert.match(service.environment?.IMLIGHT_DATABASE_URL ?? '', /^postgres:\/\/imlight:\$\{POSTGRES_PASSWORD/);
    assert.equal(service.environment?.IMLIGHT_CLUSTER_NODE_NAME, name);
    assert.ok(service.volumes?.some((v) => v.endsWith(':/var/lib/imlight')), `${name} keeps its data in a volume`);
  }
  assert.notEqual(services['game-1']!.environment?.IMLIGHT_GAME_PORT, services['game-2']!.environment?.IMLIGHT_GAME_PORT);
  // Prometheus scrapes every Imlight process of the file.
  const prometheus = parse(read('deploy/prometheus/prometheus.yml')) as { scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }> };
  const targets = prometheus.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets));
  assert.deepEqual(targets.sort(), ['game-1:12600', 'game-2:12600', 'login:12600', 'patch:12600']);
});

test('the Dockerfile is multi-stage, runs as a non-root user, has a health check and a data volume', () => {
  const dockerfile = read('deploy/Dockerfile');
  const stages = dockerfile.split('\n').filter((l) => l.startsWith('FROM '));
  assert.ok(stages.length >= 2, 'multi-stage');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  assert.match(runtime, /^USER imlight$/m);
  assert.match(runtime, /^HEALTHCHECK .*\n?.*\/metrics/m);
  assert.match(runtime, /^VOLUME \["\/var\/lib\/imlight"\]$/m);
  assert.doesNotMatch(runtime, /tsx|typescript/, 'no TypeScript in the runtime image');
  assert.match(dockerfile, /npm install --omit=dev/);
});

test('the systemd units pass systemd-analyze verify', (t) => {
  const analyze = tool('systemd-analyze', t);
  if (analyze === undefined) return;
  const dir = mkdtempSync(join(tmpdir(), 'imlight-units-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // The units name the installed command; here it is a stand-in at a path of the test's own.
  const command = join(dir, 'imlight');
  writeFileSync(command, '#!/bin/sh\nexit 0\n');
  chmodSync(command, 0o755);
  const units: string[] = [];
  for (const file of readdirSync(join(REPO, 'deploy/systemd'))) {
    writeFileSync(join(dir, file), read(`deploy/systemd/${file}`).replaceAll('/usr/local/bin/imlight', command));
    units.push(file.endsWith('@.service') ? file.replace('@.service', '@1.service') : file);
  }
  assert.deepEqual(units.sort(), ['imlight-game@1.service', 'imlight-login.service', 'imlight-patch.service', 'imlight.service']);
  const result = spawnSync(analyze, ['verify', ...units], { cwd: dir, encoding: 'utf8' });
  // Warnings about the machine (no running systemd, other units on it) are not about these files.
  const ours = `${result.stdout}${result.stderr}`.split('\n').filter((l) => /imlight/.test(l));
  assert.deepEqual(ours, []);
  if (result.status !== 0) assert.fail(`systemd-analyze verify failed:\n${result.stdout}${result.stderr}`);
});

test('the Prometheus configuration and alert rules pass promtool', (t) => {
  const promtool = tool('promtool', t);
  if (promtool === undefined) return;
  const rules = spawnSync(promtool, ['check', 'rules', join(REPO, 'deploy/prometheus/alerts.yml')], { encoding: 'utf8' });
  assert.equal(rules.status, 0, `${rules.stdout}${rules.stderr}`);
  assert.match(rules.stdout, /SUCCESS: 5 rules found/);
  const dir = mkdtempSync(join(tmpdir(), 'imlight-promtool-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  copyFileSync(join(REPO, 'deploy/prometheus/alerts.yml'), join(dir, 'alerts.yml'));
  writeFileSync(join(dir, 'prometheus.yml'), read('deploy/prometheus/prometheus.yml').replace('/etc/prometheus/alerts.yml', join(dir, 'alerts.yml')));
  const config = spawnSync(promtool, ['check', 'config', join(dir, 'prometheus.yml')], { encoding: 'utf8' });
  assert.equal(config.status, 0, `${config.stdout}${config.stderr}`);
});

test('every dashboard query and alert rule names a metric the server exports', async (t) => {
  const imlight = await startQuietImlight();
  t.after(() => imlight.stop());
  const exported = exportedNames(await (await fetch(imlight.metricsUrl)).text());
  const known = (name: string): boolean => exported.has(name) || PROMETHEUS_SERIES.has(name);

  const dashboard = JSON.parse(read('deploy/grafana/imlight-dashboard.json')) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
  let queries = 0;
  for (const panel of dashboard.panels) {
    for (const { expr } of panel.targets) {
      const names = metricNamesIn(expr);
      assert.ok(names.length > 0, `${panel.title}: ${expr} names a metric`);
      for (const name of names) assert.ok(known(name), `${panel.title}: ${name} is not exported`);
      queries++;
    }
  }
  assert.ok(queries >= 15);

  const alerts = parse(read('deploy/prometheus/alerts.yml')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
  const rules = alerts.groups.flatMap((g) => g.rules);
  assert.deepEqual(rules.map((r) => r.alert), ['ImlightDown', 'ImlightLoginSlow', 'ImlightEventLoopLag', 'ImlightDatabaseErrors', 'ImlightZoneLoadFailures']);
  for (const rule of rules) for (const name of metricNamesIn(rule.expr)) assert.ok(known(name), `${rule.alert}: ${name} is not exported`);
  assert.ok(existsSync(join(REPO, 'deploy/compose.env.example')));
});
