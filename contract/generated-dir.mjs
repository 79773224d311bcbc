// Where the generated files are: the repository's generated/. The conformance suite's bundle replaces this module with
// conformance/src/packaged-generated-dir.ts, which points at the copies the package ships beside the bundle.
import { fileURLToPath } from 'node:url';

export const generatedDir = fileURLToPath(new URL('../generated/', import.meta.url));
