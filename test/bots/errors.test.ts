import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as bots from '../../src/bots/index.js';

test('every bot error code is unique and documented in docs/bots.md', () => {
  const docs = readFileSync(new URL('../../docs/bots.md', import.meta.url), 'utf8');
  type ErrorClass = new (...args: string[]) => bots.BotError;
  const classes = (Object.values(bots) as unknown[]).filter((value): value is ErrorClass =>
    typeof value === 'function' && (value as { prototype: unknown }).prototype instanceof bots.BotError);
  const codes = classes.map((Class) => new Class('step', 'kind', 'message').code);
  assert.ok(codes.length >= 4);
  assert.equal(new Set(codes).size, codes.length, 'codes are unique');
  for (const code of codes) assert.ok(docs.includes(`\`${code}\``), `${code} is undocumented`);
});
