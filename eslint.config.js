import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.node-runtime/', 'test/artifacts/', 'coverage/', 'bluesky-dev-network/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Fastify plugins and hooks are async by contract, whether or not they await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Routes are thin adapters: they reach the database and the queues only through the use cases (src/use-cases/).
    files: ['src/routes/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/storage/*', '**/jobs/*'],
              allowTypeImports: true,
              message: 'Routes call a use case (src/use-cases/) instead of storage or jobs; only their types may be imported here.',
            },
          ],
        },
      ],
    },
  },
  {
    // Test helpers parse JSON answers into the shape each test expects.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unnecessary-type-parameters': 'off' },
  },
  {
    // Migrations are frozen: each stands alone, so editing shared code can never change what a fresh install gets.
    files: ['migrations/0*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['./*', '../*'], message: 'a migration imports nothing of ours' }] }],
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
  {
    // The pages' small browser scripts: plain ES5-style JavaScript, no build step.
    files: ['src/public/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      sourceType: 'script',
      parserOptions: { projectService: false, project: null },
      globals: Object.fromEntries(
        [
          'window',
          'document',
          'navigator',
          'Intl',
          'Node',
          'Event',
          'EventSource',
          'fetch',
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'JSON',
          'Date',
          'Math',
          'String',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
);
