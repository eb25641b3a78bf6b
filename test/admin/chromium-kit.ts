// Debian's Chromium for the console's browser tests, through playwright-core: skipped with a reason when missing,
// required under CI=true (.ci/run installs it).
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';
export const skipWithoutChromium: string | false = !existsSync(CHROMIUM) && process.env['CI'] !== 'true'
  ? `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to run the console's browser test`
  : false;
export const BROWSER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const WAIT_MS = 15_000;
