// The docs site (`npm run docs`) works with no network: every page opens in headless Chromium with all
// non-local requests blocked, every operation of every API is reachable in its Redoc page, no link is broken.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listApis, repoRoot } from '../lib/apis.mjs';
import { parseCurls } from '../lib/docs-curl.mjs';
import { startSandbox, type RunningSandbox } from '../../sandbox/src/server.ts';
import { loadSpec, type ApiName } from '../lib/contract.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const reports = join(repoRoot, 'reports', 'docs');
const apis = listApis().filter((api) => existsSync(join(api.dir, 'openapi.json')));
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.json': 'application/json', '.yaml': 'text/yaml', '.svg': 'image/svg+xml', '.png': 'image/png' };

let site: string;
let server: Server;
let origin: string;
let browser: Browser;
/** Every request that tried to leave the machine, by the page that made it. */
const external: string[] = [];

function pagesOf(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.html'))
    .map((f) => f.split(sep).join('/'))
    .sort();
}

/** A fresh page whose every request outside the local site (or the file:// tree) is aborted and recorded. */
async function openPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith('file://')) return route.continue();
    external.push(`${page.url()} -> ${url}`);
    return route.abort();
  });
  return page;
}

describe('docs site', () => {
  beforeAll(async () => {
    // Fail, never skip: a docs site that was not opened in a browser has not been shown to work.
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it with "apt-get install -y chromium" (or set CHROMIUM_PATH)`);
    site = mkdtempSync(join(tmpdir(), 'starmile-docs-'));
    const build = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'docs.mjs'), '--out', site], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    if (build.status !== 0) throw new Error(`npm run docs failed:\n${build.stdout}\n${build.stderr}`);

    server = createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://local').pathname);
      const file = join(site, path.endsWith('/') ? `${path}index.html` : path);
      if (!file.startsWith(site) || !existsSync(file)) return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    // launch() gives Chromium a fresh temporary profile of its own and removes it on close.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, timeout: 30_000 });
    mkdirSync(reports, { recursive: true });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (site) rmSync(site, { recursive: true, force: true });
  });

  test('the build holds the landing page, a reference per API and the required guides', () => {
    const pages = pagesOf(site);
    expect(pages).toEqual(expect.arrayContaining(['index.html', ...apis.map((a) => `reference/${a.name}.html`)]));
    for (const guide of ['quick-start', 'authentication', 'errors', 'status-pool', 'decisions', 'conformance', 'mock', 'versioning', 'changelog'])
      expect(pages, guide).toContain(`guides/${guide}.html`);
    if (existsSync(join(repoRoot, 'docs', 'guides', 'handling-the-order-lifecycle.md'))) {
      expect(pages).toContain('guides/handling-the-order-lifecycle.html');
      if (existsSync(join(repoRoot, 'scripts', 'lib', 'lifecycle-diagram.mjs')))
        expect(readFileSync(join(site, 'guides', 'handling-the-order-lifecycle.html'), 'utf8')).toMatch(/<figure class="diagram"><svg[\s\S]*<\/svg><\/figure>/);
    }
    if (existsSync(join(repoRoot, 'docs', 'benchmarks.md'))) expect(pages).toContain('guides/benchmarks.html');
    const mock = readFileSync(join(site, 'guides', 'mock.html'), 'utf8');
    if (existsSync(join(repoRoot, 'conformance', 'baselines', 'prism.json'))) expect(mock).toMatch(/<th>rule<\/th>/);
    else expect(mock).toContain('No Prism baseline yet');
  });

  test('no built page names a remote script, stylesheet, font or image', () => {
    for (const file of pagesOf(site)) {
      const html = readFileSync(join(site, file), 'utf8');
      const remote = [...html.matchAll(/<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="(https?:)?\/\/[^"]*"/g)].map((m) => m[0]);
      remote.push(...[...html.matchAll(/url\((['"]?)(https?:)?\/\/[^)]*\)/g)].map((m) => m[0]));
      remote.push(...[...html.matchAll(/https:\/\/(?:cdn\.redoc(?:ly)?\.(?:ly|com)|fonts\.(?:googleapis|gstatic)\.com)[^\s"'`]*/g)].map((m) => m[0]));
      expect(remote, file).toEqual([]);
    }
  });

  test('every page of our own opens, has the site navigation, and every local link resolves', async () => {
    const own = pagesOf(site).filter((p) => !p.startsWith('reference/'));
    const page = await openPage();
    // The navigation repeats on every page; each distinct link is fetched once.
    const checked = new Set<string>();
    for (const path of own) {
      const response = await page.goto(`${origin}/${path}`, { waitUntil: 'load' });
      expect(response?.status(), path).toBe(200);
      await expect(page.locator('nav.site a.brand').count(), path).resolves.toBe(1);
      expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily), `${path}: stylesheet applied`).toContain('system-ui');
      const links = await page.evaluate(() => [...document.querySelectorAll('a[href]')].map((a) => (a as HTMLAnchorElement).href));
      for (const link of links.filter((l) => l.startsWith(origin) && !checked.has(l))) {
        checked.add(link);
        const target = new URL(link);
        const res = await fetch(`${origin}${target.pathname}`);
        expect(res.status, `${path} links to ${target.pathname}`).toBe(200);
        if (target.hash.length > 1 && target.pathname.endsWith('.html') && !target.pathname.includes('/reference/')) {
          const html = await res.text();
          expect(html, `${path} links to a missing anchor ${target.pathname}${target.hash}`).toContain(`id="${decodeURIComponent(target.hash.slice(1))}"`);
        }
      }
    }
    await page.goto(`${origin}/guides/quick-start.html`);
    await page.screenshot({ path: join(reports, 'quick-start.png') });
    await page.goto(`${origin}/index.html`);
    for (const api of apis) await expect(page.locator(`a[href="reference/${api.name}.html"]`).count()).resolves.toBeGreaterThan(0);
    await page.screenshot({ path: join(reports, 'index.png'), fullPage: true });
    await page.close();
  });

  test.each(apis.map((api) => [api.name, api] as const))('%s reference: every operation is reachable by clicking the menu and renders', async (name, api) => {
    const spec = loadSpec(api.name as ApiName);
    // Webhooks are operations too (Starship's notifications): Redoc lists them under their tag, by name.
    const ops = [...Object.entries((spec.paths ?? {}) as Record<string, Record<string, any>>), ...Object.entries((spec.webhooks ?? {}) as Record<string, Record<string, any>>)].flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, op]) => ({ path, method, op })),
    );
    expect(ops.length).toBeGreaterThan(0);
    const page = await openPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${origin}/reference/${name}.html`, { waitUntil: 'load' });
    await page.getByRole('heading', { name: new RegExp(spec.info.title) }).first().waitFor({ timeout: 15_000 });

    const seen: string[] = [];
    for (const tag of spec.tags as { name: string }[]) {
      const tagged = ops.filter((o) => (o.op.tags ?? [])[0] === tag.name);
      if (!tagged.length) continue;
      // Clicking a group in Redoc's side menu opens it; only a running script (no CDN needed) can do that.
      const before = await page.evaluate(() => location.hash);
      await page.locator('a[href^="/"]').filter({ hasText: new RegExp(`^${tag.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).first().click();
      await page.waitForFunction((h) => location.hash !== h && location.hash.length > 2, before, { timeout: 10_000 });
      for (const { path, method, op } of tagged) {
        const anchor = op.operationId.toLowerCase();
        await page.locator(`a[href^="#/"][href$="/${anchor}"]`).first().click();
        await page.waitForFunction((a) => location.hash.endsWith(`/${a}`), anchor, { timeout: 10_000 });
        const id = decodeURIComponent(await page.evaluate(() => location.hash.slice(2)));
        const section = page.locator(`[id="${id}"]`);
        await section.waitFor({ state: 'visible', timeout: 10_000 });
        const text = await section.innerText();
        if (op.summary) expect(text, `${op.operationId}: summary`).toContain(op.summary);
        expect(await page.locator('body').innerText(), `${op.operationId}: method and path`).toMatch(new RegExp(`${method}\\s*${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'i'));
        seen.push(op.operationId);
      }
    }
    expect(seen.sort()).toEqual(ops.map((o) => o.op.operationId).sort());

    // The samples panel is rendered by the script from the spec's examples.
    const first = ops.find((o) => o.op.requestBody) ?? ops[0]!;
    await page.locator(`a[href^="#/"][href$="/${first.op.operationId.toLowerCase()}"]`).first().click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(reports, `${name}.png`) });
    expect(errors).toEqual([]);
    await page.close();
  });

  test('the reference also works opened from disk (file://)', async () => {
    const api = apis[0]!;
    const spec = loadSpec(api.name as ApiName);
    const page = await openPage();
    await page.goto(pathToFileURL(join(site, 'reference', `${api.name}.html`)).href, { waitUntil: 'load' });
    await page.getByRole('heading', { name: new RegExp(spec.info.title) }).first().waitFor({ timeout: 15_000 });
    const firstOp = Object.values(Object.values(spec.paths as Record<string, Record<string, any>>)[0]!).find((op) => op?.operationId);
    const tag = firstOp.tags[0] as string;
    await page.locator('a[href^="/"]').filter({ hasText: new RegExp(`^${tag}$`) }).first().click();
    await page.locator(`a[href^="#/"][href$="/${firstOp.operationId.toLowerCase()}"]`).first().click();
    await page.waitForFunction((a) => location.hash.endsWith(`/${a}`), firstOp.operationId.toLowerCase(), { timeout: 10_000 });
    const index = await openPage();
    await index.goto(pathToFileURL(join(site, 'index.html')).href);
    expect(await index.evaluate(() => getComputedStyle(document.body).fontFamily)).toContain('system-ui');
    await page.close();
    await index.close();
  });

  test('no request left the machine', () => {
    // Runs last: the pages above recorded every blocked request.
    expect(external).toEqual([]);
    expect(existsSync(join(reports, 'index.png'))).toBe(true);
  });
});

/** The guides whose curls a reader runs in order against a fresh sandbox; each must succeed as written. */
const REPLAYED_GUIDES = ['quick-start', 'authentication', 'status-pool'];

type Answers = { url: string; body: Record<string, any> }[];
/** What a guide says its samples show: a history made before them, and a check of the answers they got (beyond each being a 2xx). */
const SHOWN: Record<string, { before: (sandbox: RunningSandbox) => Promise<void>; check: (answers: Answers) => void }> = {
  'status-pool': {
    before: async (sandbox) => {
      const res = await fetch(`${sandbox.url}/_sandbox/orders/preload`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"client_id":"sm_test_full","count":3}' });
      expect(res.status).toBe(201);
    },
    check: (answers) => {
      const fromNow = answers.findIndex((a) => a.url.includes('since=now'));
      expect(answers[fromNow]?.body, 'since=now answers an empty page').toMatchObject({ data: [], has_more: false });
      // The next page read from its cursor holds the order created after it, and none of the history made before it.
      const next = answers.slice(fromNow + 1).find((a) => Array.isArray(a.body.data));
      expect(next?.body.data.map((e: { external_parent_id: string }) => e.external_parent_id)).toEqual(['PO-NOW-1']);
    },
  },
};

describe('the guides\' curls work against the sandbox, as written', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  test.each(REPLAYED_GUIDES)('%s', async (guide) => {
    const curls = parseCurls(readFileSync(join(repoRoot, 'docs', 'guides', `${guide}.md`), 'utf8'));
    expect(curls.length, `${guide} has curl examples`).toBeGreaterThan(0);
    // Placeholders a reader fills from an earlier answer: the token, the cursor of the previous page.
    const filled: Record<string, string> = {};
    const answers: Answers = [];
    await SHOWN[guide]?.before(sandbox);
    for (const curl of curls) {
      expect(curl.url, 'guides point at the sandbox').toMatch(/^http:\/\/localhost:4020\//);
      const fill = (text: string) =>
        text.replace(/<(access_token|next_cursor)>/g, (whole, name: string) => {
          if (!filled[name]) throw new Error(`${guide}: ${whole} is used before any answer gave it`);
          return encodeURIComponent(filled[name]!);
        });
      const url = fill(curl.url).replace('http://localhost:4020', sandbox.url);
      const headers = Object.fromEntries(Object.entries(curl.headers).map(([k, v]) => [k, fill(v)]));
      const response = await fetch(url, { method: curl.method, headers, ...(curl.body === undefined ? {} : { body: curl.body }) });
      const body = (await response.json()) as Record<string, any>;
      expect(response.status, `${guide}: ${curl.method} ${curl.url} -> ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(200);
      expect(response.status, `${guide}: ${curl.method} ${curl.url} -> ${JSON.stringify(body)}`).toBeLessThan(300);
      if (typeof body.access_token === 'string') filled.access_token = body.access_token;
      if (typeof body.next_cursor === 'string') filled.next_cursor = body.next_cursor;
      answers.push({ url: curl.url, body });
    }
    SHOWN[guide]?.check(answers);
  });
});

