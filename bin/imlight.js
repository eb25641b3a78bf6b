#!/usr/bin/env node
// The `imlight` command. It runs the TypeScript sources through tsx's loader, so no build step is needed.
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv);
process.exitCode = code;
// Anything a command forgot to close must not keep the process alive; a clean exit happens before this fires.
setTimeout(() => process.exit(code), 2000).unref();
