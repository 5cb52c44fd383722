import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The fault suite runs apart: `npm run test:faults`.
    exclude: ['test/faults/**', 'node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    // Browser tests poll for what a page shows after a navigation; on a loaded shared machine that can take seconds.
    expect: { poll: { timeout: 10_000 } },
  },
});
