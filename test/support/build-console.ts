import { ensureConsoleBuilt } from '#web/build.ts';

/** The synthesized stack deploys the console's build (web/dist): built first, once, if stale. */
export default async function setup(): Promise<void> {
  await ensureConsoleBuilt();
}
