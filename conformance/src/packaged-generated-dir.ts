// In the suite's bundle (dist/), where the generated files are: the copies the build puts beside the bundle
// (dist/generated/), standing in for contract/generated-dir.mjs, which points at the repository's generated/.
import { fileURLToPath } from 'node:url';

export const generatedDir = fileURLToPath(new URL('./generated/', import.meta.url));
