import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Six projects: `unit` (pure domain, no network), `local` (the local runtime's components),
 * `workflow` (full lifecycles on the local runtime with a virtual clock), `faults` (faults
 * injected into the runtime's components, and crashes of the runtime itself), `browser` (pages
 * in headless Chromium) and `infra` (the synthesized CDK template). Tests that start a runtime run in forks: each file gets its own
 * process, so its environment variables and virtual clock are its own.
 */
export default defineConfig({
  test: {
    // Most of a file's time is waiting (on its runtime's components, a child process, a browser):
    // one file more than there are cores keeps them busy. Vitest's default on 2 cores is 1 file.
    maxWorkers: Math.min(8, availableParallelism() + 1),
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'local',
          include: ['test/local/**/*.test.ts', 'test/handler/**/*.test.ts'],
          pool: 'forks',
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'workflow',
          include: ['test/workflow/**/*.test.ts'],
          pool: 'forks',
          testTimeout: 60_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          pool: 'forks',
          globalSetup: ['test/faults/report-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          pool: 'forks',
          globalSetup: ['test/browser/ensure-chromium.ts', 'test/support/build-console.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          pool: 'forks',
          globalSetup: ['test/support/build-console.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
