// The guides of the docs site in reading order, shared by the site build and the test that replays their samples.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './apis.mjs';

/** The guides in reading order; any other docs/guides/*.md follows, so a new guide needs no change here. */
const GUIDE_ORDER = [
  'quick-start',
  'authentication',
  'errors',
  'status-pool',
  'handling-the-order-lifecycle',
  'mock',
  'conformance',
  'versioning',
];

/** @returns {string[]} the slugs of docs/guides/*.md in reading order */
export function guideSlugs() {
  const dir = join(repoRoot, 'docs', 'guides');
  const slugs = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.md'))
        .map((f) => f.slice(0, -3))
    : [];
  return [...GUIDE_ORDER.filter((s) => slugs.includes(s)), ...slugs.filter((s) => !GUIDE_ORDER.includes(s)).sort()];
}
