#!/usr/bin/env node
// The `imlight` command. It runs the compiled JavaScript in dist/ (built by `npm run build`; `npm start` and
// `npm pack` build it when stale). In a source checkout whose dist/ is missing or older than src/, it runs the
// TypeScript sources through tsx instead, when tsx (a development dependency) is installed.
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { buildState } from './build-state.js';

// Piped into `head`, the reader goes away early: that is the end of the output, not an error worth a stack.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

async function loadMain() {
  const state = buildState(fileURLToPath(new URL('..', import.meta.url)));
  if (state === 'current') return import('../dist/cli/main.js');
  try {
    const { register } = await import('tsx/esm/api');
    register();
  } catch {
    process.stderr.write(`imlight: the compiled JavaScript (dist/) is ${state}; run "npm run build"\n`);
    process.exit(1);
  }
  return import('../src/cli/main.ts');
}

const { main } = await loadMain();
const code = await main(process.argv);
process.exitCode = code;
// Anything a command forgot to close must not keep the process alive; a clean exit happens before this fires.
setTimeout(() => process.exit(code), 2000).unref();
