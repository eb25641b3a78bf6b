import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { WadErrorCode } from '../../src/archive/index.js';

test('every archive error code is unique and documented in docs/archive.md', () => {
  const codes = Object.values(WadErrorCode);
  assert.equal(new Set(codes).size, codes.length);
  const doc = readFileSync(new URL('../../docs/archive.md', import.meta.url), 'utf8');
  for (const code of codes) assert.ok(doc.includes(`\`${code}\``), `${code} is missing from docs/archive.md`);
});
