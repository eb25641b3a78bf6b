import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/index.js';
import { createLogger, levelFor, type LogRoot } from '../../src/cli/logging.js';
import { ActorSystem, props, Actor, type Handlers, type Logger, type Message } from '../../src/runtime/index.js';

function capture(): { stream: Writable; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _encoding, done) { chunks.push(String(chunk)); done(); } });
  return { stream, lines: () => chunks.join('').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

async function loggerFor(env: Record<string, string>): Promise<{ root: LogRoot; lines: () => Array<Record<string, unknown>> }> {
  const { config } = loadConfig({ cwd: process.cwd(), env, configFile: undefined });
  const { stream, lines } = capture();
  return { root: await createLogger(config.log, { stream }), lines };
}

test('component levels from log.levels apply to that component only', async () => {
  const { root, lines } = await loggerFor({ IMLIGHT_LOG_LEVEL: 'info', IMLIGHT_LOG_LEVELS: 'net=debug,store=error' });
  root.component('net').debug('net detail');
  root.component('store').warn('store warning');
  root.component('login').debug('login detail');
  root.logger.debug('root detail');
  root.component('login').info('login info');
  root.flush();
  assert.deepEqual(lines().map((l) => [l.component ?? null, l.msg]), [['net', 'net detail'], ['login', 'login info']]);
});

test('levelFor matches an actor subtree by path prefix and prefers the longest entry', () => {
  const levels = { '/user/login': 'debug', '/user/login/pool': 'warn', net: 'trace' } as const;
  assert.equal(levelFor(levels, { actor: 'imlight://imlight/user/login/session-3' }), 'debug');
  assert.equal(levelFor(levels, { actor: 'imlight://imlight/user/login/pool/Game1' }), 'warn');
  assert.equal(levelFor(levels, { actor: 'imlight://imlight/user/loginx' }), undefined);
  assert.equal(levelFor(levels, { component: 'net', actor: 'imlight://imlight/user/game' }), 'trace');
});

interface Hello extends Message { readonly type: 'hello'; readonly session: number }

let handled = 0;
let onHandled: () => void = () => {};

class SessionActor extends Actor<Hello> {
  readonly receive: Handlers<Hello> = {
    hello: (message) => {
      this.context.log.child({ session: message.session }).debug({ step: 'hello' }, 'session line');
      handled++;
      onHandled();
    },
  };
}

test('a pino logger serves as the runtime Logger: actor lines carry the actor path and the session id', async (t) => {
  const { root, lines } = await loggerFor({ IMLIGHT_LOG_LEVEL: 'info', IMLIGHT_LOG_LEVELS: '/user/login=debug' });
  const runtimeLogger: Logger = root.component('runtime');
  const system = ActorSystem.create('logtest', { logger: runtimeLogger });
  t.after(() => system.terminate());
  const login = system.spawn(props<Hello>((context) => new SessionActor(context)), 'login');
  const game = system.spawn(props<Hello>((context) => new SessionActor(context)), 'game');
  const bothHandled = new Promise<void>((resolve) => { onHandled = () => { if (handled === 2) resolve(); }; });
  login.tell({ type: 'hello', session: 42 });
  game.tell({ type: 'hello', session: 43 });
  await bothHandled;
  await system.terminate();
  root.flush();
  const sessionLines = lines().filter((l) => l.msg === 'session line');
  assert.equal(sessionLines.length, 1, `only the /user/login subtree logs at debug: ${JSON.stringify(lines())}`);
  assert.equal(sessionLines[0]!.actor, 'imlight://logtest/user/login');
  assert.equal(sessionLines[0]!.session, 42);
  assert.equal(sessionLines[0]!.component, 'runtime');
  assert.equal(sessionLines[0]!.step, 'hello');
});

test('bigint and error fields are written, not thrown on', async () => {
  const { root, lines } = await loggerFor({});
  root.logger.info({ account: 123456789012345678901234n, err: new Error('boom') }, 'with odd fields');
  root.flush();
  const line = lines().find((l) => l.msg === 'with odd fields')!;
  assert.equal((line.err as { message: string }).message, 'boom');
  assert.ok(line.account !== undefined);
});

test('log.file writes JSON lines to a file, creating its folder', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'imlight-log-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { config } = loadConfig({ cwd: dir, env: { IMLIGHT_LOG_FILE: 'logs/imlight.log' } });
  const root = await createLogger(config.log);
  root.component('store').info({ backend: 'sqlite' }, 'to the file');
  root.flush();
  const lines = readFileSync(join(dir, 'logs', 'imlight.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(lines.map((l) => [l.component, l.backend, l.msg]), [['store', 'sqlite', 'to the file']]);
});
