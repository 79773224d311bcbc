// Repository only: the sandbox `npm run conformance` starts when no --base-url is given, and the fixture file behind
// `--profile fixtures`. The package is built without this entry, so the suite it ships never loads the sandbox.

export { loadFixtures } from '../../sandbox/src/fixtures.ts';
export { startSandbox } from '../../sandbox/src/server.ts';
