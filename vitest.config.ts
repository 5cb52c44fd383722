import { defineConfig } from 'vitest/config';

// The tiers, by folder. `npm test` runs the fast ones (unit, networks, database, routes), files side by side;
// `npm run test:e2e` the browser journeys and the end-to-end launches, `npm run test:faults` the fault suite.
// Every tier that touches Postgres migrates one template database in its global setup, and each of its test
// files runs on a copy of it (test/support/file-database.setup.ts).
const database = { globalSetup: ['test/global-setup.ts'], setupFiles: ['test/support/file-database.setup.ts'] };

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Most files wait on sockets and Postgres rather than the CPU, so more files run at once than there are cores.
    maxWorkers: 4,
    // Browser tests poll for what a page shows after a navigation; on a loaded shared machine that can take seconds.
    expect: { poll: { timeout: 10_000 } },
    projects: [
      {
        extends: true,
        // Decision logic and domain rules: no database, no sockets (the networks are scripted in memory).
        test: {
          name: 'unit',
          include: [
            'test/domain/**/*.test.ts',
            'test/config/**/*.test.ts',
            'test/delivery/**/*.test.ts',
            'test/deployment/container-files.test.ts',
            'test/outbound/address-class.test.ts',
          ],
        },
      },
      {
        extends: true,
        // Each network module against its sandbox (or a local server) in this process: no database. The mail
        // transport against the sandbox mail server too.
        test: {
          name: 'networks',
          include: ['test/networks/**/*.test.ts', 'test/outbound/outbound-guard.test.ts', 'test/mail/**/*.test.ts'],
          exclude: ['test/networks/bluesky/bluesky-network.test.ts'],
        },
      },
      {
        extends: true,
        // Repositories, jobs and use cases on a real database.
        test: {
          name: 'database',
          include: [
            'test/storage/**/*.test.ts',
            'test/jobs/**/*.test.ts',
            'test/security/**/*.test.ts',
            'test/use-cases/**/*.test.ts',
            'test/campaigns/**/*.test.ts',
            'test/deployment/worker-health.test.ts',
          ],
          exclude: ['test/storage/delivery-tallies.test.ts'],
          ...database,
        },
      },
      {
        extends: true,
        // Counts HOT updates, which need Postgres to prune old row versions as it goes: another file's open
        // snapshot holds them, so this file runs after the other tiers of its run, on its own.
        test: { name: 'database-alone', include: ['test/storage/delivery-tallies.test.ts'], sequence: { groupOrder: 1 }, ...database },
      },
      {
        extends: true,
        // HTTP routes, plugins and what they log.
        test: {
          name: 'routes',
          include: ['test/routes/**/*.test.ts', 'test/plugins/**/*.test.ts', 'test/logging/**/*.test.ts'],
          ...database,
        },
      },
      {
        extends: true,
        // Browser journeys: Chromium driving the pages (one file at a time: each runs a browser).
        test: { name: 'journeys', include: ['test/pages/**/*.test.ts'], fileParallelism: false, ...database },
      },
      {
        extends: true,
        // Whole launches through every network, the AT Protocol reference servers, and the processes as npm start runs them.
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts', 'test/networks/bluesky/bluesky-network.test.ts'],
          fileParallelism: false,
          ...database,
        },
      },
      {
        extends: true,
        // The real API and worker processes, killed and faulted (docs/reliability.md).
        test: {
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          testTimeout: 240_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          ...database,
        },
      },
    ],
  },
});
