// The console's operator tools in a real headless Chromium: the last-hour charts from the server's own samples, the
// account browser (search, view, lock, ban) and the bans list. Saves artifacts/admin-accounts.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { BROWSER_ARGS, CHROMIUM, skipWithoutChromium, WAIT_MS } from './chromium-kit.js';
import { Metrics } from '../../src/admin/index.js';
import { eventually, startAdminKit, TOKEN } from './admin-kit.js';

const skip = skipWithoutChromium;

test('in a real browser, an operator sees the charts, finds an account, locks and bans it', { skip, timeout: 120_000 }, async (t) => {
  const metrics = new Metrics({ defaultMetrics: false });
  const kit = await startAdminKit({ metrics, historyIntervalMs: 100 });
  t.after(async () => { await kit.close(); metrics.close(); });
  await kit.store.characters.create({ accountId: kit.player.id, name: 'Bobbin', creationData: Buffer.alloc(0) });
  metrics.setOnlinePlayers('Game', 3);
  metrics.loginSucceeded();
  await eventually(async () => ((await (await kit.api('/api/history')).json()) as { items: unknown[] }).items.length >= 3, 'history samples');

  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
    const page = await browser.newPage({ viewport: { width: 1500, height: 1400 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Confirmations are accepted; prompts get their default (an empty ban length: permanent).
    page.on('dialog', (dialog) => void dialog.accept(dialog.defaultValue()));
    await page.goto(`${kit.server.url}#token=${TOKEN}`);
    await page.locator('#console').waitFor({ state: 'visible', timeout: WAIT_MS });

    await page.locator('#charts figure').nth(4).waitFor({ timeout: WAIT_MS });
    assert.equal(await page.locator('#charts figure').count(), 5);
    assert.match((await page.locator('#charts figcaption').first().textContent()) ?? '', /players online: 3/);
    assert.ok(await page.locator('#charts polyline').count() >= 1, 'a line is drawn');

    await page.locator('#accounts-search').fill('BO');
    await page.locator('#accounts-form button').click();
    await page.locator('#accounts tr', { hasText: 'bob' }).waitFor({ timeout: WAIT_MS });
    assert.equal(await page.locator('#accounts tr').count(), 1, 'only bob matches');
    await page.locator('#accounts tr', { hasText: 'bob' }).locator('button.view').click();
    await page.locator('#account-detail li', { hasText: 'Bobbin' }).waitFor({ timeout: WAIT_MS });

    await page.locator('#account-detail button.lock').click();
    await eventually(async () => (await kit.store.accounts.get(kit.player.id))!.locked, 'the account is locked');
    await page.locator('#account-detail button.unlock').waitFor({ timeout: WAIT_MS });

    await page.locator('#account-detail button.ban').click();
    await eventually(async () => (await kit.store.bans.list({ activeAt: new Date() })).some((b) => b.accountId === kit.player.id), 'the account is banned');
    await page.locator('#bans tr', { hasText: `account ${kit.player.id}` }).waitFor({ timeout: WAIT_MS });
    await page.locator('#account-detail button.unban').waitFor({ timeout: WAIT_MS });

    assert.deepEqual(pageErrors, []);
    mkdirSync('artifacts', { recursive: true });
    await page.screenshot({ path: 'artifacts/admin-accounts.png', fullPage: true });
  } finally {
    await browser?.close();
  }
});
