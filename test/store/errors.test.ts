import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { StoreErrorCode } from '../../src/store/index.js';

it('documents every store error code in docs/store.md', () => {
  const docs = readFileSync(new URL('../../docs/store.md', import.meta.url), 'utf8');
  const codes = Object.values(StoreErrorCode);
  assert.equal(new Set(codes).size, codes.length, 'codes are unique');
  for (const code of codes) assert.ok(docs.includes(`\`${code}\``), `${code} is undocumented`);
});
