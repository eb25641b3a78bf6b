import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Metrics, handleMetricsRequest, mailboxFigures, startMetricsServer } from '../../src/admin/index.js';
import { Actor, ActorSystem, props, silentLogger, type Handlers, type Message } from '../../src/runtime/index.js';

/** The value of one series in the text exposition, e.g. sample(body, 'imlight_logins_failed_total{reason="banned"}'). */
function sample(body: string, series: string): number | undefined {
  for (const line of body.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

test('counts fed through the typed methods appear in a scrape of /metrics', async (t) => {
  const metrics = new Metrics({ defaultMetrics: false });
  t.after(() => metrics.close());
  const server = await startMetricsServer(metrics, { host: '127.0.0.1', port: 0 });
  t.after(() => server.close());

  const before = await (await fetch(server.url)).text();
  assert.equal(sample(before, 'imlight_logins_succeeded_total'), 0);

  metrics.loginSucceeded();
  metrics.loginSucceeded();
  metrics.loginFailed('bad-password');
  metrics.sessionOpened('login');
  metrics.sessionOpened('login');
  metrics.sessionOpened('Game');
  metrics.sessionClosed('login');
  metrics.sessionDropped('Game', 'slow-reader');
  metrics.messageIn('LOGIN', 3);
  metrics.messageOut('GAME');
  metrics.setOnlinePlayers('Game', 7);
  metrics.setZones('Game', 2);
  metrics.setInstances('Game', 1);
  metrics.setClusterConnected(false);
  metrics.databaseQuery(3, 'characters.save', false);
  metrics.databaseQuery(40, 'characters.save', true);

  const response = await fetch(server.url);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
  const body = await response.text();
  assert.equal(sample(body, 'imlight_logins_succeeded_total'), 2);
  assert.equal(sample(body, 'imlight_logins_failed_total{reason="bad-password"}'), 1);
  assert.equal(sample(body, 'imlight_sessions{server="login"}'), 1);
  assert.equal(sample(body, 'imlight_sessions{server="Game"}'), 1);
  assert.equal(sample(body, 'imlight_sessions_opened_total{server="login"}'), 2);
  assert.equal(sample(body, 'imlight_sessions_dropped_total{server="Game",reason="slow-reader"}'), 1);
  assert.equal(sample(body, 'imlight_messages_in_total{protocol="LOGIN"}'), 3);
  assert.equal(sample(body, 'imlight_messages_out_total{protocol="GAME"}'), 1);
  assert.equal(sample(body, 'imlight_online_players{server="Game"}'), 7);
  assert.equal(sample(body, 'imlight_zones{server="Game"}'), 2);
  assert.equal(sample(body, 'imlight_instances{server="Game"}'), 1);
  assert.equal(sample(body, 'imlight_cluster_connected'), 0);
  assert.equal(sample(body, 'imlight_database_query_seconds_count{operation="characters.save",outcome="ok"}'), 1);
  assert.equal(sample(body, 'imlight_database_query_seconds_count{operation="characters.save",outcome="error"}'), 1);
  assert.equal(sample(body, 'imlight_database_query_seconds_bucket{le="0.005",operation="characters.save",outcome="ok"}'), 1);
  assert.equal(sample(body, 'imlight_database_query_seconds_bucket{le="0.025",operation="characters.save",outcome="error"}'), 0);

  assert.equal((await fetch(server.url.replace('/metrics', '/other'))).status, 404);
  assert.equal((await fetch(server.url, { method: 'POST' })).status, 405);
});

test('prom-client\'s event-loop collector is there with or without the other default metrics', async (t) => {
  const withDefaults = new Metrics();
  const without = new Metrics({ defaultMetrics: false });
  t.after(() => { withDefaults.close(); without.close(); });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const defaults = (await withDefaults.render()).body;
  assert.match(defaults, /^nodejs_eventloop_lag_seconds [\d.e+-]+$/m, defaults.split('\n').filter((l) => l.includes('eventloop')).join('\n'));
  const own = (await without.render()).body;
  for (const name of ['nodejs_eventloop_lag_seconds', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_eventloop_lag_max_seconds']) {
    const value = sample(own, name);
    assert.ok(value !== undefined && value >= 0 && value < 60, `${name}: ${value}`);
  }
  assert.doesNotMatch(own, /process_cpu|nodejs_heap/, 'the other default metrics stay off');
  assert.doesNotMatch(own, /imlight_event_loop_delay/, 'no second, home-made event-loop figure');
});

interface Work extends Message { readonly type: 'work'; readonly ms: number }
interface Fail extends Message { readonly type: 'fail' }
type Msg = Work | Fail;

class Worker extends Actor<Msg> {
  readonly receive: Handlers<Msg> = {
    work: (message) => new Promise<void>((resolve) => setTimeout(resolve, message.ms)),
    fail: () => { throw new Error('planned failure'); },
  };
}

test('actor-system figures come from the snapshot and the event stream at scrape time', async (t) => {
  const system = ActorSystem.create('metrics-test', { logger: silentLogger });
  t.after(() => system.terminate());
  const metrics = new Metrics({ defaultMetrics: false });
  t.after(() => metrics.close());
  const stop = metrics.observeActorSystem(system);

  const busy = system.spawn(props<Msg>((context) => new Worker(context)), 'busy');
  system.spawn(props<Msg>((context) => new Worker(context)), 'idle');
  for (let i = 0; i < 5; i++) busy.tell({ type: 'work', ms: 50 });

  const expected = mailboxFigures(system.snapshot());
  assert.ok(expected.max >= 3, `the busy mailbox holds messages (max ${expected.max})`);
  let body = (await metrics.render()).body;
  assert.equal(sample(body, 'imlight_mailbox_depth_max{system="metrics-test"}'), expected.max);
  assert.equal(sample(body, 'imlight_mailbox_messages{system="metrics-test"}'), expected.total);
  assert.equal(sample(body, 'imlight_actors{system="metrics-test"}'), expected.actors);

  const ghost = system.spawn(props<Msg>((context) => new Worker(context)), 'ghost');
  await system.terminate();
  ghost.tell({ type: 'work', ms: 0 });
  ghost.tell({ type: 'work', ms: 0 });
  body = (await metrics.render()).body;
  assert.ok((sample(body, 'imlight_dead_letters_total{system="metrics-test"}') ?? 0) >= 2, 'dead letters counted');

  stop();
  ghost.tell({ type: 'work', ms: 0 });
  assert.equal(sample((await metrics.render()).body, 'imlight_dead_letters_total{system="metrics-test"}'),
    sample(body, 'imlight_dead_letters_total{system="metrics-test"}'));
});

test('supervised restarts are counted from lifecycle events', async (t) => {
  const system = ActorSystem.create('restart-test', { logger: silentLogger });
  t.after(() => system.terminate());
  const metrics = new Metrics({ defaultMetrics: false });
  t.after(() => metrics.close());
  metrics.observeActorSystem(system);
  let restarts = 0;
  const twoRestarts = new Promise<void>((resolve) => {
    system.eventStream.subscribe('lifecycle', (event) => {
      if (event.event === 'restarted' && ++restarts === 2) resolve();
    });
  });
  const worker = system.spawn(props<Msg>((context) => new Worker(context)), 'worker');
  worker.tell({ type: 'fail' });
  worker.tell({ type: 'fail' });
  await twoRestarts;
  const body = (await metrics.render()).body;
  assert.equal(sample(body, 'imlight_actor_restarts_total{system="restart-test"}'), 2);
  assert.equal(sample(body, 'imlight_actor_failures_total{system="restart-test"}'), 2);
});

test('handleMetricsRequest leaves other paths to the hosting server', async (t) => {
  const metrics = new Metrics({ defaultMetrics: false });
  t.after(() => metrics.close());
  metrics.loginFailed('banned');
  const server = createServer((request, response) => {
    if (!handleMetricsRequest(metrics, request, response)) response.end('console');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  assert.equal(await (await fetch(`${base}/`)).text(), 'console');
  assert.equal(sample(await (await fetch(`${base}/metrics?x=1`)).text(), 'imlight_logins_failed_total{reason="banned"}'), 1);
});

test('every series exists from the start, and no gauge is named like a counter', async (t) => {
  const metrics = new Metrics({ defaultMetrics: false });
  t.after(() => metrics.close());
  metrics.declareServer('Login');
  const body = (await metrics.render()).body;
  for (const series of [
    'imlight_logins_succeeded_total', 'imlight_sessions{server="Login"}', 'imlight_sessions_opened_total{server="Login"}', 'imlight_online_players{server="Login"}',
    'imlight_messages_out_total{protocol="GAME"}', 'imlight_messages_in_total{protocol="LOGIN"}',
    'imlight_login_step_seconds_count{step="authenticate"}', 'imlight_login_step_seconds_count{step="character_list"}', 'imlight_login_step_seconds_count{step="select"}',
    'imlight_attach_seconds_count', 'imlight_zone_tick_seconds_count', 'imlight_world_load_seconds_count{outcome="ok"}',
  ]) assert.equal(sample(body, series), 0, series);
  const gauges = body.split('\n').filter((l) => l.startsWith('# TYPE ') && l.endsWith(' gauge')).map((l) => l.split(' ')[2]!);
  assert.ok(gauges.length > 3);
  for (const gauge of gauges) assert.ok(!gauge.endsWith('_total'), `gauge ${gauge} is named like a counter`);
});
