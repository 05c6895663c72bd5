// ESLint: typescript-eslint's recommended rules and ordered imports. ESLint and its parser live in
// .lint/ (npm ci --prefix .lint): the project builds with TypeScript 7, whose native compiler has
// no JavaScript API, while typescript-eslint parses with TypeScript 5.
import { createRequire } from 'node:module';

const require = createRequire(new URL('./.lint/package.json', import.meta.url));
const tseslint = require('typescript-eslint');
const importX = require('eslint-plugin-import-x');

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.lint/**', 'faultline-*/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    rules: {
      // node: builtins, then packages, then the project's own modules
      'import-x/order': ['error', { groups: ['builtin', 'external', ['parent', 'sibling', 'index']] }],
      'import-x/first': 'error',
      'import-x/no-duplicates': 'error',
      // an underscore names what is there on purpose: an interface's unused parameter, a field
      // taken out of an object by destructuring
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
);
