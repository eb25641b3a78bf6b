// The metric names a running Imlight process exports (one real start, default metrics on), and the metric names a
// PromQL expression uses: the dashboard and the alert rules may only name the first.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/cli/logging.js';
import { DEFAULT_PARTS, startImlight, type ImlightHandle } from '../../src/cli/start.js';
import { loadConfig } from '../../src/config/index.js';

export interface RunningImlight {
  readonly handle: ImlightHandle;
  readonly metricsUrl: string;
  stop(): Promise<void>;
}

/** All servers in one process on a temp folder, every port ephemeral, logs discarded. */
export async function startQuietImlight(extraEnv: Record<string, string> = {}): Promise<RunningImlight> {
  const cwd = mkdtempSync(join(tmpdir(), 'imlight-deploy-'));
  const env = {
    IMLIGHT_LOGIN_PORT: '0', IMLIGHT_GAME_PORT: '0', IMLIGHT_PATCH_PORT: '0', IMLIGHT_PATCH_HTTP_PORT: '0', IMLIGHT_ADMIN_PORT: '0',
    IMLIGHT_ADMIN_TOKEN: 'deploy-test-token-0123', ...extraEnv,
  };
  const { config } = loadConfig({ cwd, env });
  const logRoot = await createLogger(config.log, { stream: new Writable({ write(_chunk, _encoding, done) { done(); } }) });
  const handle = await startImlight(config, { logRoot, parts: DEFAULT_PARTS });
  return {
    handle,
    metricsUrl: handle.metricsUrl!,
    async stop() {
      await handle.stop('test');
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}

/** Metric names from `# TYPE` lines, with `_bucket`, `_count` and `_sum` added for histograms and summaries. */
export function exportedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    const match = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (match === null) continue;
    const [, name, type] = match as unknown as [string, string, string];
    names.add(name);
    if (type === 'histogram' || type === 'summary') for (const suffix of ['_bucket', '_count', '_sum']) names.add(`${name}${suffix}`);
  }
  return names;
}

/** Series names in a PromQL expression: identifiers directly followed by a selector `{` or a range `[`. */
export function metricNamesIn(expression: string): string[] {
  const names: string[] = [];
  for (const match of expression.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*[{[]/g)) names.push(match[1]!);
  return names;
}

/** Prometheus's own series, present for every scrape target. */
export const PROMETHEUS_SERIES: ReadonlySet<string> = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped']);
