import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'artifacts/**', 'bench/out/**', 'dist/**', 'web/build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use a literal union (STYLE rule 8).' },
        { selector: 'TSModuleDeclaration', message: 'No namespaces (STYLE rule 8).' },
        { selector: 'ExportAllDeclaration', message: 'Re-export by name (STYLE rule 2).' },
        { selector: 'TSParameterProperty', message: 'No parameter properties (STYLE rule 8).' },
      ],
    },
  },
  {
    // process.env is read in one place (STYLE rule 4).
    files: ['**/*.ts'],
    ignores: ['config/env/index.ts', '**/*.test.ts', 'test/**', 'bench/**'],
    rules: { 'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read the environment in config/env/index.ts.' }] },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
)
