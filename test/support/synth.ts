import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';

/**
 * Context for a synth whose test reads the template, not the functions' code: no stack's assets
 * are bundled (17 s of esbuild a synth). test/infra/stack.test.ts synthesizes once with bundling,
 * as `npx cdk synth` does, and reads each function's code bundled on its own.
 */
export const withoutBundling = { [BUNDLING_STACKS]: [] as string[] };
