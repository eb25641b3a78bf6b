#!/usr/bin/env node
// Makes `npm start` run compiled JavaScript: builds dist/ (tsc -p tsconfig.build.json) when it is missing or older
// than src/. With --force (npm run build, npm pack) it always rebuilds, from an empty dist/ so no removed file
// lingers.
import { rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildState } from '../bin/build-state.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const force = process.argv.includes('--force');
const state = buildState(root);
if (force || state !== 'current') {
  if (!force) console.error(`imlight: the compiled JavaScript is ${state}; building (tsc)...`);
  rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
  const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
