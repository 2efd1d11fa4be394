import { availableParallelism, cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { defineConfig } from 'vitest/config';

/**
 * Six projects: `unit` (pure domain, no network), `local` (the local runtime's components),
 * `workflow` (full lifecycles on the local runtime with a virtual clock), `faults` (faults
 * injected into the runtime's components, and crashes of the runtime itself), `browser` (pages
 * in headless Chromium) and `infra` (the synthesized CDK template). Tests that start a runtime run in forks: each file gets its own
 * process, so its environment variables and virtual clock are its own.
 */
/** How many cores other processes keep busy now: the machine's CPU time over half a second. */
async function coresBusyElsewhere(): Promise<number> {
  const sample = () =>
    cpus().reduce(
      (sum, cpu) => {
        const { idle, ...working } = cpu.times;
        return {
          idle: sum.idle + idle,
          total: sum.total + idle + Object.values(working).reduce((a, b) => a + b, 0),
        };
      },
      { idle: 0, total: 0 },
    );
  const before = sample();
  await sleep(500);
  const after = sample();
  const busy = 1 - (after.idle - before.idle) / Math.max(1, after.total - before.total);
  return busy * cpus().length;
}

const busyElsewhere = await coresBusyElsewhere();

export default defineConfig({
  test: {
    // Most of a file's time is waiting (on its runtime's components, a child process, a browser):
    // one file more than there are cores keeps them busy (Vitest's default on 2 cores is 1 file).
    // On a machine already busy (measured as the suite starts), as many fewer: files that share a
    // starved core each take longer than their timeouts allow, and the suite is not faster.
    maxWorkers: Math.max(1, Math.min(8, Math.round(availableParallelism() + 1 - busyElsewhere))),
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
