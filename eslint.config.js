// Lint rules for Imlight. The import restrictions hold the layer table of docs/layers.md:
// a lower layer never imports a higher one.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (from, forbidden) => ({
  files: [`src/${from}/**/*.ts`],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: forbidden.map((name) => ({ group: [`**/${name}/**`, `**/${name}/index.js`], message: `src/${from} may not import src/${name} (see docs/layers.md)` })),
    }],
  },
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'artifacts/**', 'src/protocol/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-empty-function': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Plain JavaScript run by Node (scripts, the bin, the console page's server-side helpers): Node's globals.
    files: ['**/*.mjs', 'bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
  },
  layer('runtime', ['protocol', 'net', 'servers', 'store', 'cluster', 'admin', 'cli', 'archive', 'objectproperty', 'world']),
  layer('archive', ['runtime', 'protocol', 'net', 'servers', 'store', 'cluster', 'admin', 'cli', 'objectproperty', 'world']),
  layer('protocol', ['runtime', 'net', 'servers', 'store', 'cluster', 'admin', 'cli', 'objectproperty', 'world']),
  layer('objectproperty', ['runtime', 'net', 'servers', 'store', 'cluster', 'admin', 'cli', 'world']),
  layer('world', ['runtime', 'net', 'servers', 'store', 'cluster', 'admin', 'cli', 'bots', 'config']),
  layer('store', ['runtime', 'protocol', 'net', 'servers', 'cluster', 'admin', 'cli', 'archive', 'objectproperty', 'world']),
  layer('net', ['servers', 'store', 'cluster', 'admin', 'cli', 'world']),
  layer('cluster', ['servers', 'store', 'net', 'admin', 'cli', 'world']),
  layer('admin', ['cli']),
  layer('bots', ['servers', 'store', 'cluster', 'admin', 'cli', 'objectproperty', 'archive']),
);
