// `npm run conformance`: rebuilds the suite's bundle when a source changed since the last build, then runs it: the same
// dist/cli.js the package ships as `starmile-conformance`, so the repository runs what implementers install.
import { ensureBuilt } from './build.mjs';

await ensureBuilt();
await import('../dist/cli.js');
