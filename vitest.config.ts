// Unit and self tests of every part; the conformance rules themselves run through `npm run conformance`.
import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

const ALL = [
  'scripts/test/**/*.test.ts',
  'client/test/**/*.test.ts',
  'sandbox/test/**/*.test.ts',
  'conformance/test/**/*.test.ts',
];
/**
 * Tests that share one module graph: one worker runs them one after another without reloading the sandbox, its specs and
 * compiled validators, the suite's registry (about 17 s of CPU on this machine). Kept out, with a fresh graph each:
 * scripts/test/packed-client.test.ts (it builds and installs the client package), conformance/test/reports.test.ts (it
 * needs the suite's process-wide secret masking fresh: an earlier file registers the same client's secret under another
 * name), and every file not listed here.
 */
const SHARED = [
  'sandbox/test/**/*.test.ts',
  'client/test/*.test.ts',
  'conformance/test/!(reports).test.ts',
  'scripts/test/starship-*.test.ts',
  'scripts/test/spec.test.ts',
  'scripts/test/rule-quotes.test.ts',
  'scripts/test/packed-conformance.test.ts',
  'scripts/test/ci-recipe.test.ts',
];

export default defineConfig({
  test: {
    // One Chromium for the tests that drive a browser (scripts/test/support/chromium.ts).
    globalSetup: ['scripts/test/support/chromium.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // vitest's default on 2 cores is one worker, one file at a time, though most files mostly wait (on Chromium,
    // servers, child processes): two let that waiting overlap.
    maxWorkers: Math.max(2, availableParallelism()),
    projects: [
      { extends: true, test: { name: 'shared', include: SHARED, isolate: false } },
      { extends: true, test: { name: 'isolated', include: ALL, exclude: [...configDefaults.exclude, ...SHARED] } },
    ],
  },
});
