// The samples a reader meets in the README and the guides, in reading order: each curl command, each TypeScript
// block, and each answer shown for the request before it (a ```json block whose info string says `response`).
// scripts/test/samples.test.ts replays them all against one fresh sandbox.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './apis.mjs';
import { parseCurls } from './docs-curl.mjs';
import { guideSlugs } from './guides.mjs';

/**
 * @typedef {{ source: string, line: number } & (
 *   { kind: 'curl', curl: import('./docs-curl.mjs').Curl } |
 *   { kind: 'ts', code: string } |
 *   { kind: 'response', json: unknown })} DocSample
 */

const SHELL = ['sh', 'bash', 'shell'];
const TYPESCRIPT = ['ts', 'typescript'];

/** @returns {DocSample[]} the samples of one Markdown document, in order */
function documentSamples(text, source) {
  const lineAt = (offset) => text.slice(0, offset).split('\n').length;
  const samples = [];
  for (const block of text.matchAll(/^```(\S*)([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm)) {
    const [, lang, info, body] = block;
    const bodyStart = block.index + block[0].indexOf('\n') + 1;
    if (SHELL.includes(lang))
      for (const curl of parseCurls(body))
        samples.push({ source, line: lineAt(bodyStart + curl.offset), kind: 'curl', curl });
    else if (TYPESCRIPT.includes(lang)) samples.push({ source, line: lineAt(bodyStart), kind: 'ts', code: body });
    else if (lang === 'json' && /\bresponse\b/.test(info)) {
      let json;
      try {
        json = JSON.parse(body);
      } catch (error) {
        throw new Error(`${source}:${lineAt(bodyStart)}: a shown response that is not JSON: ${error.message}`);
      }
      samples.push({ source, line: lineAt(bodyStart), kind: 'response', json });
    }
  }
  return samples;
}

/** The README, then every guide in the docs site's order. */
const readingOrder = () => ['README.md', ...guideSlugs().map((slug) => `docs/guides/${slug}.md`)];

/** @returns {DocSample[]} every sample of the README and the guides, in reading order */
export const allDocumentSamples = () =>
  readingOrder().flatMap((source) => documentSamples(readFileSync(join(repoRoot, source), 'utf8'), source));
