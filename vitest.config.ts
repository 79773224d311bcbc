// Unit and self tests of every part; the conformance rules themselves run through `npm run conformance`.
import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

const ALL = ['scripts/test/**/*.test.ts', 'client/test/**/*.test.ts', 'sandbox/test/**/*.test.ts', 'conformance/test/**/*.test.ts'];
/**
 * In-process tests of modules without global state: one worker runs them one after another on one module graph, so the
 * sandbox, its spec and its compiled validators load once instead of once per file (about 9 s of CPU on this machine).
 * Everything else (and every new file until it is added here) gets a fresh module graph of its own.
 */
const SHARED = ['sandbox/test/**/*.test.ts', 'client/test/!(packed).test.ts', 'scripts/test/starship-*.test.ts', 'scripts/test/spec.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // vitest's default on 2 cores is one worker, one file at a time, though most files mostly wait (on Chromium, servers,
    // child processes). Two overlap that waiting; a third starved Chromium on the shared machine (its 30 s clicks timed out).
    maxWorkers: Math.max(2, availableParallelism()),
    projects: [
      { extends: true, test: { name: 'shared', include: SHARED, isolate: false } },
      { extends: true, test: { name: 'isolated', include: ALL, exclude: [...configDefaults.exclude, ...SHARED] } },
    ],
  },
});
