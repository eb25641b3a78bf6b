// Every error code of the codec is documented, and codes are unique.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

describe('objectproperty error codes', () => {
  it('each code in errors.ts appears once there and in docs/objectproperty.md', () => {
    const source = readFileSync('src/objectproperty/errors.ts', 'utf8');
    const docs = readFileSync('docs/objectproperty.md', 'utf8');
    const codes = [...source.matchAll(/'(ERR_OP_[A-Z_]+)'/g)].map((m) => m[1]!);
    assert.ok(codes.length >= 10);
    assert.equal(new Set(codes).size, codes.length, 'codes are not reused');
    for (const code of codes) assert.ok(docs.includes(code), `${code} is documented`);
  });
});
