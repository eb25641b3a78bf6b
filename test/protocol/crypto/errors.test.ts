import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CryptoErrorCode } from '../../../src/protocol/crypto/index.js';

test('every crypto error code is unique and documented in docs/crypto.md', () => {
  const codes = Object.values(CryptoErrorCode);
  assert.equal(new Set(codes).size, codes.length);
  const doc = readFileSync(new URL('../../../docs/crypto.md', import.meta.url), 'utf8');
  for (const code of codes) assert.ok(doc.includes(`\`${code}\``), `${code} is missing from docs/crypto.md`);
});
