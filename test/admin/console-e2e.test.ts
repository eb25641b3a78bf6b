// The console in a real headless Chromium, on a real login server: a bot logs in with KiClient, its session appears
// in the actor tree and the player list, the test kicks it from the page, and the bot is disconnected. Saves a
// screenshot to artifacts/admin-console.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { BROWSER_ARGS, CHROMIUM, skipWithoutChromium, WAIT_MS } from './chromium-kit.js';
import { Actor, props, type ActorContext } from '../../src/runtime/index.js';
import { ADMIN_PASSWORD, eventually, PLAYER_PASSWORD, startAdminKit } from './admin-kit.js';
import { startLoginServer, type LoginServerHandle } from '../../src/servers/login/index.js';
import { loginAdminProviders, loginBot } from './login-admin-providers.js';

const skip = skipWithoutChromium;
const HOSTILE = '<img src=x onerror="window.injected=1">';

type Idle = { readonly type: 'idle' };
class Idler extends Actor<Idle> {
  constructor(context: ActorContext<Idle>) {
    super(context);
  }
  readonly receive = { idle: () => {} };
}

test('in a real browser, a bot appears in the tree and the player list, is kicked from the page and disconnected', { skip, timeout: 120_000 }, async () => {
  let login!: LoginServerHandle;
  // No admin.token: the console generates one and logs the URL that signs in with it, as an operator would use it.
  const kit = await startAdminKit({
    token: undefined,
    liveIntervalMs: 250,
    providersFor: async ({ system, store }) => {
      login = await startLoginServer(system, { store, host: '127.0.0.1', port: 0 });
      return loginAdminProviders(system, store, login);
    },
  });
  let browser: Browser | undefined;
  try {
    assert.equal(kit.server.tokenGenerated, true);
    const announced = kit.logs.find((l) => typeof l['msg'] === 'string' && (l['msg'] as string).startsWith('admin console: admin.token is not set'));
    assert.equal(announced?.['url'], kit.server.consoleUrl);
    assert.match(kit.server.consoleUrl, /#token=[\w-]{32}$/);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
    const page = await browser.newPage({ viewport: { width: 1500, height: 1100 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(kit.server.consoleUrl);
    await page.locator('#console').waitFor({ state: 'visible', timeout: WAIT_MS });
    assert.equal(await page.locator('#who').textContent(), 'signed in as token');
    assert.equal(new URL(page.url()).hash, '', 'the token is dropped from the address bar');

    // Text from the server is shown as text: an actor kind that looks like markup is not parsed.
    const hostile = kit.system.spawn(props<Idle>((c) => new Idler(c), { kind: HOSTILE }), 'hostile');
    const hostileKind = page.locator(`#tree .node[data-path="${hostile.path}"] .kind`);
    await hostileKind.waitFor({ state: 'visible', timeout: WAIT_MS });
    assert.equal(await hostileKind.textContent(), HOSTILE);
    assert.equal(await page.evaluate(() => (globalThis as { injected?: number }).injected), undefined);
    assert.equal(await page.locator('#tree img').count(), 0);

    const bot = await loginBot(login, 'bob', PLAYER_PASSWORD);
    const sessionPath = `${login.ref.path}/session-${bot.offer.sid}`;
    const sessionRow = page.locator(`#tree .node[data-path="${sessionPath}"]`);
    await sessionRow.waitFor({ state: 'visible', timeout: WAIT_MS });
    assert.equal(await sessionRow.locator('.kind').textContent(), 'Session');
    const playerRow = page.locator(`#players tr[data-account="${kit.player.id}"]`);
    await playerRow.waitFor({ state: 'visible', timeout: WAIT_MS });
    assert.match((await playerRow.locator('.username').textContent()) ?? '', /^bob/);

    // Expanding the session shows its children (socket listener, sender, services); the choice survives refreshes.
    await sessionRow.locator('button.toggle').click();
    const child = page.locator(`#tree .node[data-path="${sessionPath}/authenticator"]`);
    await child.waitFor({ state: 'visible', timeout: WAIT_MS });
    const refreshedAt = await page.locator('#status').textContent();
    await eventually(async () => (await page.locator('#status').textContent()) !== refreshedAt, 'a refresh of the live feed', WAIT_MS);
    assert.ok(await child.isVisible(), 'the expanded session stays expanded after a refresh');

    mkdirSync('artifacts', { recursive: true });
    await page.screenshot({ path: 'artifacts/admin-console.png', fullPage: true });

    await playerRow.locator('button.kick').click();
    let timer: NodeJS.Timeout | undefined;
    const closed = await Promise.race([bot.closed, new Promise<undefined>((resolve) => { timer = setTimeout(resolve, WAIT_MS, undefined); })]);
    clearTimeout(timer);
    assert.equal(closed?.reason, 'remote', 'the server closed the bot\'s connection');

    await playerRow.waitFor({ state: 'detached', timeout: WAIT_MS });
    await sessionRow.waitFor({ state: 'detached', timeout: WAIT_MS });
    const action = page.locator('#actions tr[data-action="kick"]');
    await action.waitFor({ state: 'visible', timeout: WAIT_MS });
    assert.match((await action.textContent()) ?? '', /token.*kick.*bob.*disconnected/);
    assert.ok(kit.logs.some((l) => l['msg'] === 'admin action' && l['admin'] === 'token' && l['action'] === 'kick' && l['accountId'] === String(kit.player.id)));
    assert.deepEqual(await kit.store.onlinePlayers.findByAccount(kit.player.id), []);

    // Signing out shows the sign-in form only; a player account is refused there, an administrator gets in.
    await page.locator('#sign-out').click();
    await page.locator('#sign-in').waitFor({ state: 'visible', timeout: WAIT_MS });
    assert.equal(await page.locator('#identity').isVisible(), false);
    assert.equal(await page.locator('#console').isVisible(), false);
    await page.fill('#username', 'bob');
    await page.fill('#password', PLAYER_PASSWORD);
    await page.locator('#account-form button').click();
    await page.locator('#sign-in-error').waitFor({ state: 'visible', timeout: WAIT_MS });
    await page.fill('#username', 'alice');
    await page.fill('#password', ADMIN_PASSWORD);
    await page.locator('#account-form button').click();
    await page.locator('#console').waitFor({ state: 'visible', timeout: WAIT_MS });
    assert.equal(await page.locator('#who').textContent(), 'signed in as alice');
    assert.deepEqual(pageErrors, []);
  } finally {
    await browser?.close();
    await kit.close();
  }
});
