// `npm run docs`: builds the static, offline docs site in docs/site/ (or --out DIR): a landing page,
// one Redoc reference per API with its scripts inlined, and the guides rendered from docs/guides/.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, posix, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Marked } from 'marked';
import { listApis, repoRoot } from './lib/apis.mjs';
import { bundledSpec, expandIncludes, operations } from './lib/docs-includes.mjs';
import { css, escapeHtml, referenceBar, renderPage } from './lib/docs-layout.mjs';

process.env.REDOCLY_TELEMETRY = 'off';
const started = performance.now();
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const outDir = resolve(values.out ?? join(repoRoot, 'docs', 'site'));

/** The guides in reading order; any other docs/guides/*.md follows, so a new guide needs no change here. */
const GUIDE_ORDER = ['quick-start', 'authentication', 'errors', 'status-pool', 'handling-the-order-lifecycle', 'mock', 'conformance', 'versioning'];
/** Project documents rendered as pages of their own, when they exist. */
const PROJECT_PAGES = [
  { source: 'docs/decisions.md', slug: 'decisions', title: 'Decisions' },
  { source: 'CHANGELOG.md', slug: 'changelog', title: 'Changelog' },
  { source: 'docs/benchmarks.md', slug: 'benchmarks', title: 'Benchmarks' },
];

// The partner-facing APIs first; the sandbox's operator API is a tool, listed last.
const apis = listApis()
  .filter((api) => existsSync(join(api.dir, 'openapi.json')))
  .sort((a, b) => Number(a.name.startsWith('sandbox')) - Number(b.name.startsWith('sandbox')));
mkdirSync(dirname(outDir), { recursive: true });
const staging = mkdtempSync(join(dirname(outDir), `.${basename(outDir)}-`));

/** The Redoc builds under way; a failure elsewhere waits for them before removing their folder. */
const references = [];

async function main() {
  // Redoc is the slow part (~1.5 s a process): start every API at once and render the guides meanwhile.
  references.push(...apis.map((api) => buildReference(api)));

  const guideDir = join(repoRoot, 'docs', 'guides');
  const guideSlugs = existsSync(guideDir) ? readdirSync(guideDir).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3)) : [];
  const orderedSlugs = [...GUIDE_ORDER.filter((s) => guideSlugs.includes(s)), ...guideSlugs.filter((s) => !GUIDE_ORDER.includes(s)).sort()];
  const guides = orderedSlugs.map((slug) => ({ source: `docs/guides/${slug}.md`, slug }));
  const projectPages = PROJECT_PAGES.filter((p) => existsSync(join(repoRoot, p.source)));

  /** Repository path of each Markdown source -> its page, so links between sources become links between pages. */
  const pageOf = new Map([...guides, ...projectPages].map((p) => [p.source, `guides/${p.slug}.html`]));
  const docs = await Promise.all([...guides, ...projectPages].map((p) => renderMarkdown(p, pageOf)));
  const guideDocs = docs.slice(0, guides.length);
  const projectDocs = docs.slice(guides.length);

  const nav = [
    { section: 'Start', items: [{ title: 'Home', path: 'index.html' }] },
    { section: 'API reference', items: apis.map((api) => ({ title: bundledSpec(api.name).info.title, path: `reference/${api.name}.html` })) },
    { section: 'Guides', items: guideDocs.map((d) => ({ title: d.title, path: d.path })) },
    { section: 'Project', items: projectDocs.map((d) => ({ title: d.title, path: d.path })) },
  ];

  mkdirSync(join(staging, 'assets'), { recursive: true });
  mkdirSync(join(staging, 'guides'), { recursive: true });
  writeFileSync(join(staging, 'assets', 'site.css'), css.trimStart());
  for (const doc of docs) writeFileSync(join(staging, doc.path), renderPage({ title: doc.title, body: doc.html, path: doc.path, nav }));
  writeFileSync(join(staging, 'index.html'), renderPage({ title: 'Home', body: landing(guideDocs, projectDocs), path: 'index.html', nav }));
  for (const api of apis) {
    mkdirSync(join(staging, 'specs', api.name), { recursive: true });
    for (const file of ['openapi.json', 'openapi.yaml']) copyFileSync(join(api.dir, file), join(staging, 'specs', api.name, file));
  }
  await Promise.all(references);

  // Swap in whole, so a reader (or a server) never sees a half-written site.
  rmSync(outDir, { recursive: true, force: true });
  renameSync(staging, outDir);
  const pages = docs.length + apis.length + 1;
  console.log(`docs: ${pages} pages -> ${relative(process.cwd(), outDir) || '.'} in ${((performance.now() - started) / 1000).toFixed(2)} s`);
}

/** One Redoc page per API, built offline: scripts inlined, remote assets removed, a bar back to the site. */
async function buildReference(api) {
  const spec = bundledSpec(api.name);
  mkdirSync(join(staging, 'reference'), { recursive: true });
  const out = join(staging, 'reference', `${api.name}.html`);
  const cli = realpathSync(join(repoRoot, 'node_modules', '.bin', 'redocly'));
  const args = [cli, 'build-docs', join(api.dir, 'openapi.json'), '--inlineBundle', '--output', out, '--title', `${spec.info.title} · reference`];
  await new Promise((done, fail) => {
    const child = spawn(process.execPath, args, {
      cwd: repoRoot,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_NOTIFICATIONS: 'true', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`redocly build-docs ${api.name} exited ${code}:\n${log}`))));
  });
  writeFileSync(out, offline(readFileSync(out, 'utf8')).replace(/<body>/, (body) => `${body}\n${referenceBar(spec.info)}`));
}

/**
 * Redoc's bundle still names a few remote assets (the "powered by" logo, icon sets); a page that is
 * meant to work offline must never ask for them, so each is replaced by an empty inline image.
 */
function offline(html) {
  const empty = 'data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E';
  const out = html.replace(/https:\/\/cdn\.redoc(?:ly)?\.(?:ly|com)\/(?:redoc\/logo|icons\/)[^\s`'"\\)]*/g, empty);
  const left = out.match(/https:\/\/cdn\.redoc(?:ly)?\.(?:ly|com)\/[^\s`'"\\)]*/);
  if (left) throw new Error(`the Redoc page still loads ${left[0]}; is --inlineBundle still honoured?`);
  return out;
}

const slugify = (text) =>
  text
    .toLowerCase()
    .replace(/<[^>]+>/g, '')
    .replace(/&[a-z]+;|&#\d+;/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** Renders one Markdown source to a page: includes expanded, heading ids added, links between sources rewritten. */
async function renderMarkdown({ source, slug, title: fixedTitle }, pageOf) {
  const path = `guides/${slug}.html`;
  let text = readFileSync(join(repoRoot, source), 'utf8');
  // The lifecycle guide shows the diagram drawn from the model; placed before its first section unless the guide places it.
  if (slug === 'handling-the-order-lifecycle' && !/include:\s*lifecycle-diagram/.test(text))
    text = /^## /m.test(text) ? text.replace(/^## /m, '<!-- include: lifecycle-diagram -->\n\n## ') : `${text}\n\n<!-- include: lifecycle-diagram -->\n`;
  const { markdown, html: rawBlocks } = await expandIncludes(text, source);
  const used = new Set();
  const marked = new Marked({
    gfm: true,
    renderer: {
      heading({ tokens, depth }) {
        const inner = this.parser.parseInline(tokens);
        // Decision ids (D4, X4, S5, SX2) get their own short anchor, so the spec's `decision: D4` can be linked to.
        const short = inner.match(/^([A-Z]{1,3}\d+)\./)?.[1]?.toLowerCase();
        let id = short ?? (slugify(inner) || 'section');
        while (used.has(id)) id += '-';
        used.add(id);
        return `<h${depth} id="${id}">${inner}</h${depth}>\n`;
      },
      link({ href, title, tokens }) {
        const inner = this.parser.parseInline(tokens);
        const target = rewriteLink(href, source, path, pageOf);
        if (target === null) return inner;
        return `<a href="${escapeHtml(target)}"${title ? ` title="${escapeHtml(title)}"` : ''}>${inner}</a>`;
      },
    },
  });
  let html = marked.parse(markdown);
  html = html.replace(/<!--html:(\d+)-->/g, (_, i) => rawBlocks[Number(i)]);
  const title = fixedTitle ?? text.match(/^#\s+(.+)$/m)?.[1]?.replace(/`/g, '') ?? slug;
  const summary = markdown.replace(/^#.*$/m, '').trim().split(/\n\s*\n/).find((p) => !p.startsWith('<') && !p.startsWith('|') && !p.startsWith('#')) ?? '';
  // The landing page shows the first sentence only; a full paragraph makes the list hard to scan.
  // A sentence that ends in a colon introduces a list or code: show the paragraph up to its first full stop instead.
  const firstSentence = summary.replace(/\s+/g, ' ').match(/^.*?\.(?=\s|$)/)?.[0] ?? summary;
  return { source, slug, path, title, html, summary: firstSentence };
}

/** @returns {string | null} the href to emit, or null to keep the text without a link (a repo file the site does not hold) */
function rewriteLink(href, source, pagePath, pageOf) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#')) return href;
  const [file, anchor] = href.split('#');
  const repoPath = posix.normalize(posix.join(posix.dirname(source), file));
  const page = pageOf.get(repoPath);
  if (!page) {
    console.warn(`docs: ${source} links to ${href}, which is not part of the site; kept as text`);
    return null;
  }
  const fromDir = posix.dirname(pagePath);
  return posix.relative(fromDir, page) + (anchor ? `#${anchor}` : '');
}

function landing(guideDocs, projectDocs) {
  const apiCards = apis
    .map((api) => {
      const { info } = bundledSpec(api.name);
      const count = operations(bundledSpec(api.name)).length;
      return `<div class="card"><h3><a href="reference/${api.name}.html">${escapeHtml(info.title)}</a></h3>
<p>${escapeHtml(info.summary ?? '')}</p>
<p>version <code>${escapeHtml(info.version)}</code> · ${count} operations</p>
<p><a href="reference/${api.name}.html">Reference</a> · <a href="specs/${api.name}/openapi.json">openapi.json</a> · <a href="specs/${api.name}/openapi.yaml">openapi.yaml</a></p></div>`;
    })
    .join('\n');
  const list = (docs) => `<ul>${docs.map((d) => `<li><a href="${d.path}">${escapeHtml(d.title)}</a>${d.summary ? ` — ${inline(d.summary)}` : ''}</li>`).join('')}</ul>`;
  return `<h1>Starmile contracts</h1>
<p>The hand-written OpenAPI 3.1 contracts of the Starmile Partner API and Starship Rewards, with their
reference, guides and the decisions behind them. This site works offline: open <code>index.html</code>
from disk or serve the folder with any static server.</p>
<h2>API reference</h2>
<div class="cards">${apiCards}</div>
<h2>Guides</h2>
${list(guideDocs)}
<h2>Project</h2>
${list(projectDocs)}`;
}

/** A one-line summary with its inline Markdown (code, emphasis) rendered and its links dropped. */
function inline(text) {
  const short = text.length > 220 ? `${text.slice(0, 217).replace(/\s+\S*$/, '')}…` : text;
  return new Marked().parseInline(short.replace(/\[([^\]]+)\]\([^)]+\)/g, '$1'));
}

try {
  await main();
} catch (error) {
  await Promise.allSettled(references);
  rmSync(staging, { recursive: true, force: true });
  console.error(`docs: ${error.stack ?? error}`);
  process.exitCode = 1;
}
