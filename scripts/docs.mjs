// `npm run docs`: builds the static, offline docs site in docs/site/ (or --out DIR): a landing page,
// one Redoc reference per API with its scripts inlined, and the guides rendered from docs/guides/.
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, posix, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Marked } from 'marked';
import { listApis, repoRoot } from './lib/apis.mjs';
import { withCodeSamples } from './lib/code-samples.mjs';
import { bundledSpec, expandIncludes, operations } from './lib/docs-includes.mjs';
import { css, escapeHtml, referenceBar, renderPage } from './lib/docs-layout.mjs';
import { guideSlugs } from './lib/guides.mjs';

process.env.REDOCLY_TELEMETRY = 'off';
const started = performance.now();
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const outDir = resolve(values.out ?? join(repoRoot, 'docs', 'site'));

/** Project documents rendered as pages of their own, when they exist. */
const PROJECT_PAGES = [
  {
    source: 'docs/decisions.md',
    slug: 'decisions',
    title: 'Decisions',
    summary: 'Where the published documents disagree or are silent: the decision taken each time, and why.',
  },
  {
    source: 'CHANGELOG.md',
    slug: 'changelog',
    title: 'Changelog',
    summary: 'Every released version of each API and what changed in it.',
  },
  {
    source: 'docs/benchmarks.md',
    slug: 'benchmarks',
    title: 'Benchmarks',
    summary: 'The speed targets of the project, as measured by npm run bench.',
  },
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

  const guides = guideSlugs().map((slug) => ({ source: `docs/guides/${slug}.md`, slug }));
  const projectPages = PROJECT_PAGES.filter((p) => existsSync(join(repoRoot, p.source)));

  /** Repository path of each Markdown source -> its page, so links between sources become links between pages. */
  const pageOf = new Map([...guides, ...projectPages].map((p) => [p.source, `guides/${p.slug}.html`]));
  const docs = await Promise.all([...guides, ...projectPages].map((p) => renderMarkdown(p, pageOf)));
  const guideDocs = docs.slice(0, guides.length);
  const projectDocs = docs.slice(guides.length);

  const nav = [
    { section: 'Start', items: [{ title: 'Home', path: 'index.html' }] },
    {
      section: 'API reference',
      items: apis.map((api) => ({ title: bundledSpec(api.name).info.title, path: `reference/${api.name}.html` })),
    },
    { section: 'Guides', items: guideDocs.map((d) => ({ title: d.title, path: d.path })) },
    { section: 'Project', items: projectDocs.map((d) => ({ title: d.title, path: d.path })) },
  ];

  mkdirSync(join(staging, 'assets'), { recursive: true });
  mkdirSync(join(staging, 'guides'), { recursive: true });
  writeFileSync(join(staging, 'assets', 'site.css'), css.trimStart());
  for (const doc of docs)
    writeFileSync(join(staging, doc.path), renderPage({ title: doc.title, body: doc.html, path: doc.path, nav }));
  writeFileSync(
    join(staging, 'index.html'),
    renderPage({ title: 'Home', body: landing(guideDocs, projectDocs), path: 'index.html', nav }),
  );
  for (const api of apis) {
    mkdirSync(join(staging, 'specs', api.name), { recursive: true });
    for (const file of ['openapi.json', 'openapi.yaml'])
      copyFileSync(join(api.dir, file), join(staging, 'specs', api.name, file));
  }
  await Promise.all(references);

  // Swap in whole, so a reader (or a server) never sees a half-written site.
  rmSync(outDir, { recursive: true, force: true });
  renameSync(staging, outDir);
  const pages = docs.length + apis.length + 1;
  console.log(
    `docs: ${pages} pages -> ${relative(process.cwd(), outDir) || '.'} in ${((performance.now() - started) / 1000).toFixed(2)} s`,
  );
}

/** One Redoc page per API, built offline: scripts inlined, remote assets removed, a bar back to the site. */
async function buildReference(api) {
  const spec = bundledSpec(api.name);
  mkdirSync(join(staging, 'reference'), { recursive: true });
  const out = join(staging, 'reference', `${api.name}.html`);
  // Redoc shows each operation's code samples (curl, TypeScript) made from its examples; the downloadable spec stays as
  // built.
  const input = join(staging, `.${api.name}.samples.json`);
  writeFileSync(input, JSON.stringify(withCodeSamples(api.name, spec)));
  const cli = realpathSync(join(repoRoot, 'node_modules', '.bin', 'redocly'));
  const args = [
    cli,
    'build-docs',
    input,
    '--inlineBundle',
    '--output',
    out,
    '--title',
    `${spec.info.title} · reference`,
  ];
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
    child.on('exit', (code) =>
      code === 0 ? done() : fail(new Error(`redocly build-docs ${api.name} exited ${code}:\n${log}`)),
    );
  });
  rmSync(input);
  const page = offline(readFileSync(out, 'utf8')).replace(/<body>/, (body) => `${body}\n${referenceBar(spec.info)}`);
  // The inlined bundle holds "</body>" in its strings: the script goes before the document's own, the last one.
  const end = page.lastIndexOf('</body>');
  writeFileSync(out, `${page.slice(0, end)}${EXPAND_TAGS}\n${page.slice(end)}`);
}

/**
 * Redoc's bundle still names a few remote assets (the "API docs by" logo, icon sets); a page that is meant to work
 * offline must never ask for them. The logo becomes a small inline wordmark of the same size (an SVG without a size
 * is drawn 300 px wide and squeezes the credit into a column), the icons empty images of no size.
 */
function offline(html) {
  const svg = (body) => `data:image/svg+xml,${encodeURIComponent(body).replace(/'/g, '%27')}`;
  const wordmark = svg(
    `<svg xmlns='http://www.w3.org/2000/svg' width='62' height='16' viewBox='0 0 62 16'><text x='0' y='12.5' font-family='system-ui,sans-serif' font-size='13' font-weight='600' fill='%23e8434e'>Redocly</text></svg>`.replace(
      '%23',
      '#',
    ),
  );
  const nothing = svg(`<svg xmlns='http://www.w3.org/2000/svg' width='0' height='0'/>`);
  const out = html
    .replace(/https:\/\/cdn\.redoc(?:ly)?\.(?:ly|com)\/redoc\/logo[^\s`'"\\)]*/g, wordmark)
    .replace(/https:\/\/cdn\.redoc(?:ly)?\.(?:ly|com)\/icons\/[^\s`'"\\)]*/g, nothing);
  const left = out.match(/https:\/\/cdn\.redoc(?:ly)?\.(?:ly|com)\/[^\s`'"\\)]*/);
  if (left) throw new Error(`the Redoc page still loads ${left[0]}; is --inlineBundle still honoured?`);
  return out;
}

/**
 * Redoc's sidebar shows one tag open at a time and has no option to open them all; the reference opens with every
 * tag expanded. Each closed tag's toggle is clicked once the menu is drawn, with the link's navigation cancelled.
 */
const EXPAND_TAGS = `<script>
(() => {
  const expand = () => {
    for (const link of document.querySelectorAll('[data-component-name="Menu/MenuItem"].menu-item-type-group > a')) {
      const closed = link.nextElementSibling && link.nextElementSibling.style.display === 'none';
      const toggle = link.querySelector('[data-component-name="icons/ChevronRightIcon/ChevronRightIcon"]');
      if (!closed || !toggle) continue;
      const stay = (event) => event.preventDefault();
      link.addEventListener('click', stay, { capture: true });
      toggle.parentElement.click();
      link.removeEventListener('click', stay, { capture: true });
    }
  };
  // Redoc draws the menu, then redraws it once the page's route is known: keep the tags open while it settles.
  const watch = new MutationObserver(expand);
  watch.observe(document.body, { childList: true, subtree: true });
  expand();
  setTimeout(() => watch.disconnect(), 3000);
})();
</script>`;

const slugify = (text) =>
  text
    .toLowerCase()
    .replace(/<[^>]+>/g, '')
    .replace(/&[a-z]+;|&#\d+;/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** Renders one Markdown source to a page: includes expanded, heading ids added, links between sources rewritten. */
async function renderMarkdown({ source, slug, title: fixedTitle, summary: fixedSummary }, pageOf) {
  const path = `guides/${slug}.html`;
  let text = readFileSync(join(repoRoot, source), 'utf8');
  // The landing page lists each guide with a sentence written for it: `<!-- summary: ... -->` under its title.
  const summary = fixedSummary ?? text.match(/<!--\s*summary:\s*([\s\S]*?)\s*-->/)?.[1]?.replace(/\s+/g, ' ');
  if (!summary) throw new Error(`${source} has no <!-- summary: ... --> for the landing page`);
  text = text.replace(/<!--\s*summary:[\s\S]*?-->\n?/, '');
  // The lifecycle guide shows the diagram drawn from the model; placed before its first section unless the guide places
  // it.
  if (slug === 'handling-the-order-lifecycle' && !/include:\s*lifecycle-diagram/.test(text))
    text = /^## /m.test(text)
      ? text.replace(/^## /m, '<!-- include: lifecycle-diagram -->\n\n## ')
      : `${text}\n\n<!-- include: lifecycle-diagram -->\n`;
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
      // An image of the repository (docs/images/) is copied into the site; nothing is shown from elsewhere (the site
      // works offline).
      image({ href, title, text }) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(href))
          throw new Error(`docs: ${source} shows ${href}: a page shows only images of the repository`);
        const repoPath = posix.normalize(posix.join(posix.dirname(source), href));
        if (!existsSync(join(repoRoot, repoPath)))
          throw new Error(`docs: ${source} shows ${href}, which does not exist`);
        const target = posix.join('images', posix.basename(repoPath));
        mkdirSync(join(staging, 'images'), { recursive: true });
        copyFileSync(join(repoRoot, repoPath), join(staging, target));
        return `<img src="${escapeHtml(posix.relative(posix.dirname(path), target))}" alt="${escapeHtml(text)}"${title ? ` title="${escapeHtml(title)}"` : ''}>`;
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
  return { source, slug, path, title, html, summary };
}

/**
 * @returns {string | null} the href to emit, or null to keep the text without a link (a repo file the site does not
 * hold)
 */
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
      const webhooks = Object.keys(bundledSpec(api.name).webhooks ?? {}).length;
      return `<div class="card"><h3><a href="reference/${api.name}.html">${escapeHtml(info.title)}</a></h3>
<p>${escapeHtml(info.summary ?? '')}</p>
<p>version <code>${escapeHtml(info.version)}</code> · ${count} operations${webhooks ? ` · ${webhooks} webhooks` : ''}</p>
<p><a href="reference/${api.name}.html">Reference</a> · <a href="specs/${api.name}/openapi.json">openapi.json</a> · <a href="specs/${api.name}/openapi.yaml">openapi.yaml</a></p></div>`;
    })
    .join('\n');
  const list = (docs) =>
    `<ul>${docs.map((d) => `<li><a href="${d.path}">${escapeHtml(d.title)}</a>${d.summary ? ` — ${inline(d.summary)}` : ''}</li>`).join('')}</ul>`;
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

/** A summary with its inline Markdown (code, emphasis) rendered and its links dropped. */
const inline = (text) => new Marked().parseInline(text.replace(/\[([^\]]+)\]\([^)]+\)/g, '$1'));

try {
  await main();
} catch (error) {
  await Promise.allSettled(references);
  rmSync(staging, { recursive: true, force: true });
  console.error(`docs: ${error.stack ?? error}`);
  process.exitCode = 1;
}
