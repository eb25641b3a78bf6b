// Generated interfaces type-check against objects in the codec's decoded shape,
// and reject objects of the wrong shape.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { ObjectPropertyCodec, generateTypes, loadTypeDump, type OpObject } from '../../src/objectproperty/index.js';
import { kindsDump, kindsObject } from './fixtures.js';

function typeErrors(dir: string, files: string[]): string[] {
  const program = ts.createProgram(files.map((f) => join(dir, f)), {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext, types: ['node'], typeRoots: [join(process.cwd(), 'node_modules/@types')],
    skipLibCheck: true,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/** TypeScript source of a value, bigint and Buffer included. */
function literal(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (Buffer.isBuffer(v)) return `Buffer.from('${v.toString('hex')}', 'hex')`;
  if (Array.isArray(v)) return `[${v.map(literal).join(', ')}]`;
  if (typeof v === 'object' && v !== null) return `{ ${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${literal(x)}`).join(', ')} }`;
  return JSON.stringify(v);
}

describe('generateTypes', () => {
  it('emits interfaces that a decoded object satisfies and a wrong one does not', async () => {
    const types = loadTypeDump(kindsDump);
    const text = generateTypes(types, ['class Kinds']);
    const decoded = new ObjectPropertyCodec(types).decode(new ObjectPropertyCodec(types).encode(kindsObject() as OpObject));
    const dir = await mkdtemp(join(tmpdir(), 'imlight-op-types-'));
    try {
      await writeFile(join(dir, 'object-types.ts'), text);
      await writeFile(join(dir, 'good.ts'), `import type { Kinds } from './object-types.js';\nexport const k: Kinds = ${literal(decoded)};\n`);
      await writeFile(join(dir, 'bad.ts'), `import type { Kinds } from './object-types.js';\nexport const k: Kinds = ${literal({ ...decoded, m_gid: 5, m_bool: 'yes' })};\n`);
      assert.deepEqual(typeErrors(dir, ['object-types.ts', 'good.ts']), []);
      const bad = typeErrors(dir, ['object-types.ts', 'bad.ts']);
      assert.ok(bad.some((m) => /number.*bigint/.test(m)), bad.join('\n'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    assert.match(text, /m_deltaAbsent\?: number;/);
    assert.match(text, /m_enum: "RED" \| "GREEN" \| "BLUE" \| number;/);
    assert.match(text, /m_children: Array<KindsChildLike \| null>;/);
    assert.match(text, /"class Kinds": 1,/);
  });

  it('emits every class without a selection and refuses an unknown one', () => {
    const text = generateTypes(kindsDump);
    assert.equal((text.match(/^ {2}\$class: /gm) ?? []).length, 3);
    assert.throws(() => generateTypes(kindsDump, ['class Missing']), { code: 'ERR_OP_TYPE_DUMP' });
  });
});
