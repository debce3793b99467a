import { defineConfig } from 'vitest/config'

// Each test file runs in its own forked process: chDB binds one data directory per process.
// The global setup builds dist/ first when it is stale, so tests that spawn `highway` run the compiled CLI.
export default defineConfig({
  test: {
    pool: 'forks',
    isolate: true,
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    globalSetup: ['test/support/build-cli.ts'],
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'data/**', 'artifacts/**', 'dist/**'],
  },
})
