import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

const NODE_MODULES = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'net', 'url', 'util']

export default tseslint.config(
  {
    ignores: [
      'out/**',
      '.e2e/**',
      'dist/**',
      'node_modules/**',
      'tests/e2e/artifacts/**',
      'test-results/**',
      'playwright-report/**',
      '.vitest/**'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'error'
    }
  },
  {
    // Shared code runs in the renderer and in sandboxed preloads: no Node, no database, no Electron.
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: NODE_MODULES, message: 'src-shared must stay free of Node APIs.' },
            {
              group: ['typeorm', 'sqlite3', 'electron', 'react', '@mantine/*'],
              message: 'src-shared holds pure logic and the contract only.'
            },
            {
              group: ['**/src-main/**', '@main/*', '**/src-renderer/**', '@renderer/*'],
              message: 'src-shared must not depend on either side.'
            }
          ]
        }
      ]
    }
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: NODE_MODULES, message: 'The renderer has no Node: ask the main process through the contract.' },
            {
              group: ['typeorm', 'sqlite3', 'electron'],
              message: 'The renderer reaches the main process only through src-renderer/src/api.'
            },
            {
              group: ['**/src-main/**', '@main/*'],
              message: 'The renderer reaches the main process only through the contract.'
            }
          ]
        }
      ]
    }
  },
  {
    // Only the preload and the Electron entry may touch Electron; the rest must run under plain Node.
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/index.ts', 'src-main/preload/**', 'src-main/window/security.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'Main-process services run under plain Node too (serve, CLI, tests).',
              allowTypeImports: true
            }
          ]
        }
      ]
    }
  },
  {
    files: ['src-main/cli.ts', 'scripts/**', 'tests/**'],
    rules: { 'no-console': 'off' }
  }
)
