import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { timers as realTimers } from '@sinonjs/fake-timers';

/**
 * The staff console's build: Vite, into web/dist, whenever a source is newer than the last build
 * (the first `npm start`, after an edit, before `cdk synth` deploys it).
 */
export const webDir = import.meta.dirname;
export const consoleDist = join(webDir, 'dist');

function newestSourceMs(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(
    stat.mtimeMs,
    ...readdirSync(path)
      .filter((name) => name !== 'dist' && name !== '.build-lock')
      .map((name) => newestSourceMs(join(path, name))),
  );
}

const built = () => {
  const index = join(consoleDist, 'index.html');
  return existsSync(index) && statSync(index).mtimeMs >= newestSourceMs(webDir);
};

/**
 * Builds web/ into web/dist unless the build is newer than every source. Runtimes starting side by
 * side (test files) build once: the others wait on a lock directory (left by a crash: taken after 2 min).
 */
export async function ensureConsoleBuilt(): Promise<void> {
  if (built()) return;
  const lock = join(webDir, '.build-lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (built()) return;
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000)
        rmSync(lock, { force: true, recursive: true });
      await new Promise((done) => realTimers.setTimeout(done, 200));
    }
  }
  try {
    if (built()) return;
    const { build } = await import('vite');
    await build({ configFile: join(webDir, 'vite.config.ts'), logLevel: 'error' });
  } finally {
    rmSync(lock, { force: true, recursive: true });
  }
}
