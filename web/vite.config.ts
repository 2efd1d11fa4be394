import { defineConfig } from 'vite';

/**
 * The staff console (#15), built to `web/dist` and served under `/console/`: by the local runtime
 * (local/console.ts) and, on AWS, by CloudFront from a private S3 bucket (infra/constructs/console-site.ts).
 * Vite 8 compiles JSX itself (Oxc): no React plugin, as nothing here needs Fast Refresh.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  publicDir: false,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', development: false } },
  // React's production build whoever builds (Vite takes NODE_ENV from the environment, and a build
  // started under vitest would otherwise get React's development build, twice the size).
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // What is measured and budgeted (bench/console.ts) is the gzipped size of the first load.
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      onwarn(warning, warn) {
        // React Query marks its hooks "use client" for server components, which this app has none of.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
