import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answers, startChildRuntime } from '../support/child-runtime.ts';

/** `npm start` as a user runs it, stopped as a process manager or a terminal stops it. */
const dataDir = mkdtempSync(join(tmpdir(), 'aftersales-process-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start', () => {
  it('stops the whole runtime on SIGTERM to npm, releasing its ports', async () => {
    const runtime = await startChildRuntime({ dataDir, viaNpm: true });
    expect(await answers(runtime.urls.api)).toBe(true);
    expect(await answers(runtime.urls.ses)).toBe(true);

    runtime.process.kill('SIGTERM');
    await runtime.exited;
    // Nothing left behind holding the ports (the node under npm used to keep running).
    for (let i = 0; i < 100 && ((await answers(runtime.urls.api)) || (await answers(runtime.urls.ses))); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await answers(runtime.urls.api)).toBe(false);
    expect(await answers(runtime.urls.ses)).toBe(false);
  }, 90_000);
});
