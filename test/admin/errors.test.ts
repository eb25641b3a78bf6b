import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

test('every error code of the admin console is documented in docs/admin.md', () => {
  const docs = readFileSync('docs/admin.md', 'utf8');
  const codes = new Set<string>();
  for (const file of readdirSync('src/admin').filter((f) => f.endsWith('.ts'))) {
    for (const match of readFileSync(join('src/admin', file), 'utf8').matchAll(/'(ERR_ADMIN_[A-Z_]+)'/g)) codes.add(match[1]!);
  }
  assert.ok(codes.size >= 10, `found ${codes.size} codes`);
  for (const code of codes) assert.ok(docs.includes(`| \`${code}\` |`), `${code} is missing from the error table of docs/admin.md`);
});
