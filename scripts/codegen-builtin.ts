// Regenerates src/protocol/generated from the shipped definitions (npm run codegen:builtin).
// test/protocol/codegen.test.ts fails when the committed files differ from this output.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageRegistry } from '../src/protocol/message-registry.js';
import { generateProtocolSources } from '../src/protocol/codegen.js';

const outDir = fileURLToPath(new URL('../src/protocol/generated/', import.meta.url));
const files = generateProtocolSources(MessageRegistry.defaults());
await mkdir(outDir, { recursive: true });
for (const name of await readdir(outDir)) if (name.endsWith('.ts') && !files.has(name)) await rm(join(outDir, name));
for (const [name, text] of files) await writeFile(join(outDir, name), text);
console.log(`wrote ${[...files.keys()].join(', ')} to ${outDir}`);
