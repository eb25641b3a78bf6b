// A real Prometheus (Debian's binary) scrapes a running Imlight: the target is up, Imlight's series are queryable,
// and the alert rules of deploy/prometheus/alerts.yml load and evaluate against them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../kit/private-nats.js';
import { startQuietImlight } from './exported-metrics.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

async function poll<T>(what: string, read: () => Promise<T | undefined>, output: () => string, limitMs = 60_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`${what} did not happen within ${limitMs} ms:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test('a real Prometheus scrapes a running server and evaluates the alert rules', { timeout: 180_000 }, async (t) => {
  const binary = spawnSync('sh', ['-c', 'command -v prometheus'], { encoding: 'utf8' }).stdout.trim();
  if (binary === '') {
    if (process.env.CI === 'true') assert.fail('prometheus is required under CI=true (.ci/run installs Debian\'s prometheus)');
    t.skip('prometheus is not installed (apt-get install prometheus)');
    return;
  }
  const imlight = await startQuietImlight();
  t.after(() => imlight.stop());
  const target = new URL(imlight.metricsUrl).host;

  const dir = mkdtempSync(join(tmpdir(), 'imlight-prometheus-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  copyFileSync(join(REPO, 'deploy/prometheus/alerts.yml'), join(dir, 'alerts.yml'));
  writeFileSync(join(dir, 'prometheus.yml'), [
    'global: { scrape_interval: 1s, evaluation_interval: 1s }',
    `rule_files: ["${join(dir, 'alerts.yml')}"]`,
    'scrape_configs:',
    '  - job_name: imlight',
    `    static_configs: [{ targets: ["${target}"] }]`,
    '',
  ].join('\n'));
  const port = await freePort();
  const web = `http://127.0.0.1:${port}`;
  const prometheus = spawn(binary, [
    `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  prometheus.stdout.on('data', (chunk) => { output += String(chunk); });
  prometheus.stderr.on('data', (chunk) => { output += String(chunk); });
  const exited = new Promise((resolve) => prometheus.once('exit', resolve));
  t.after(async () => {
    prometheus.kill('SIGTERM');
    await exited;
  });
  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${web}${path}`);
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return ((await response.json()) as { data: T }).data;
  };

  await poll('the target is up', async () => {
    const targets = await api<{ activeTargets: Array<{ health: string; scrapeUrl: string }> }>('/api/v1/targets');
    return targets.activeTargets.find((x) => x.health === 'up' && x.scrapeUrl === imlight.metricsUrl);
  }, () => output);

  type Vector = Array<{ metric: Record<string, string>; value: [number, string] }>;
  const query = (q: string): Promise<Vector> => api<{ result: Vector }>(`/api/v1/query?query=${encodeURIComponent(q)}`).then((d) => d.result);
  for (const series of ['imlight_logins_succeeded_total', 'imlight_messages_out_total{protocol="GAME"}', 'imlight_login_step_seconds_count{step="authenticate"}', 'nodejs_eventloop_lag_p99_seconds', 'imlight_online_players']) {
    const result = await poll(`${series} is stored`, async () => ((await query(series)).length > 0 ? query(series) : undefined), () => output);
    assert.ok(result.length >= 1, series);
  }
  const up = await query('up{job="imlight"}');
  assert.equal(up[0]?.value[1], '1');

  const rules = await poll('the rules are evaluated', async () => {
    const groups = (await api<{ groups: Array<{ rules: Array<{ name: string; health: string; state?: string; lastEvaluation: string }> }> }>('/api/v1/rules')).groups;
    const all = groups.flatMap((g) => g.rules);
    return all.length === 5 && all.every((r) => r.health === 'ok' && !r.lastEvaluation.startsWith('0001')) ? all : undefined;
  }, () => output);
  // Every rule evaluates without error against the real series; the target is up, so the down alert stays quiet.
  // (The others depend on the machine's load, e.g. event-loop lag on a busy test machine.)
  assert.equal(rules.find((r) => r.name === 'ImlightDown')?.state, 'inactive');
});
