import { defineConfig } from 'vitest/config';

// `npm run test:faults`: the fault suite, which runs the real API and worker processes and kills them.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
