// The source documents (seeds) and the one way quotes are matched against them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './apis.mjs';

/** The authoritative copy lives in ../shared/seeds; docs/sources is the copy shipped with the repo. */
export const sharedSeedsDir = process.env.STARMILE_SEEDS_DIR ?? join(repoRoot, '..', 'shared', 'seeds');
export const vendoredSeedsDir = join(repoRoot, 'docs', 'sources');

/** Whitespace differences (line breaks in the rendered documents) never decide whether a quote occurs. */
export const normalize = (text) => text.replace(/\s+/g, ' ').trim();

let cache;
/** @returns {Map<string, string>} seed file name -> normalized text */
export function loadSeeds() {
  if (cache) return cache;
  const dir = existsSync(sharedSeedsDir) ? sharedSeedsDir : vendoredSeedsDir;
  cache = new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.txt'))
      .map((f) => [f, normalize(readFileSync(join(dir, f), 'utf8'))]),
  );
  return cache;
}

/** @returns {string | null} why the quote does not occur, or null when it does */
export function checkQuote(seed, quote) {
  const text = loadSeeds().get(seed);
  if (text === undefined) return `unknown seed file ${seed}`;
  if (typeof quote !== 'string' || normalize(quote).length < 8) return 'quote missing or too short';
  return text.includes(normalize(quote)) ? null : `quote not found in ${seed}: "${quote}"`;
}

/** Differences between the shipped copy and the authoritative one (empty when shared/ is absent). */
export function vendoredSeedDrift() {
  if (!existsSync(sharedSeedsDir)) return [];
  return readdirSync(sharedSeedsDir)
    .filter((f) => f.endsWith('.txt') || f === 'README.md')
    .filter((f) => {
      const copy = join(vendoredSeedsDir, f);
      return !existsSync(copy) || readFileSync(copy, 'utf8') !== readFileSync(join(sharedSeedsDir, f), 'utf8');
    });
}
