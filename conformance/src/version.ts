// What a run is measured with: the suite's version (its package's) and each spec it checks against, with its version
// and the sha256 of its bundled file; --version prints them, every report names them.
import { createHash } from 'node:crypto';
import { type ApiName, loadSpec, specBytes } from '../../contract/index.ts';
import manifest from '../package.json' with { type: 'json' };

/** The command the package installs. */
export const SUITE_NAME = Object.keys(manifest.bin)[0]!;

/**
 * Bumped when a rule's check changes what it accepts (a new rule is a minor version); reports name it so results stay
 * comparable.
 */
export const SUITE_VERSION = manifest.version;

export interface SpecIdentity {
  title: string;
  version: string;
  sha256: string;
}

export function specIdentity(api: ApiName): SpecIdentity {
  const info = loadSpec(api).info as { title: string; version: string };
  return {
    title: info.title,
    version: info.version,
    sha256: createHash('sha256').update(specBytes(api)).digest('hex'),
  };
}
