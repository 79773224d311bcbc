// The docs site (`npm run docs`) works with no network: every page opens in headless Chromium with all
// non-local requests blocked, every operation of every API is reachable in its Redoc page, no link is broken.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { type ApiName, loadSpec } from '../../contract/index.ts';
import { listApis, repoRoot } from '../lib/apis.mjs';

const reports = join(repoRoot, 'reports', 'docs');
const apis = listApis().filter((api) => existsSync(join(api.dir, 'openapi.json')));
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.json': 'application/json',
  '.yaml': 'text/yaml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

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
async function openPage(viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
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
    site = mkdtempSync(join(tmpdir(), 'starmile-docs-'));
    const build = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'docs.mjs'), '--out', site], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (build.status !== 0) throw new Error(`npm run docs failed:\n${build.stdout}\n${build.stderr}`);

    server = createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://local').pathname);
      const file = join(site, path.endsWith('/') ? `${path}index.html` : path);
      if (!file.startsWith(site) || !existsSync(file)) return res.writeHead(404).end();
      res
        .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
        .end(readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    // Fail, never skip: a docs site that was not opened in a browser has not been shown to work.
    const browserAt = inject('chromium');
    if ('error' in browserAt) throw new Error(browserAt.error);
    browser = await chromium.connect(browserAt.wsEndpoint);
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
    for (const guide of [
      'quick-start',
      'authentication',
      'errors',
      'status-pool',
      'decisions',
      'conformance',
      'mock',
      'versioning',
      'changelog',
    ])
      expect(pages, guide).toContain(`guides/${guide}.html`);
    if (existsSync(join(repoRoot, 'docs', 'guides', 'handling-the-order-lifecycle.md'))) {
      expect(pages).toContain('guides/handling-the-order-lifecycle.html');
      if (existsSync(join(repoRoot, 'scripts', 'lib', 'lifecycle-diagram.mjs')))
        expect(readFileSync(join(site, 'guides', 'handling-the-order-lifecycle.html'), 'utf8')).toMatch(
          /<figure class="diagram"><svg[\s\S]*<\/svg><\/figure>/,
        );
    }
    if (existsSync(join(repoRoot, 'docs', 'benchmarks.md'))) expect(pages).toContain('guides/benchmarks.html');
    const mock = readFileSync(join(site, 'guides', 'mock.html'), 'utf8');
    if (existsSync(join(repoRoot, 'conformance', 'baselines', 'prism.json'))) expect(mock).toMatch(/<th>rule<\/th>/);
    else expect(mock).toContain('No Prism baseline yet');
  });

  test('no built page names a remote script, stylesheet, font or image', () => {
    for (const file of pagesOf(site)) {
      const html = readFileSync(join(site, file), 'utf8');
      const remote = [...html.matchAll(/<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="(https?:)?\/\/[^"]*"/g)].map(
        (m) => m[0],
      );
      remote.push(...[...html.matchAll(/url\((['"]?)(https?:)?\/\/[^)]*\)/g)].map((m) => m[0]));
      remote.push(
        ...[
          ...html.matchAll(/https:\/\/(?:cdn\.redoc(?:ly)?\.(?:ly|com)|fonts\.(?:googleapis|gstatic)\.com)[^\s"'`]*/g),
        ].map((m) => m[0]),
      );
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
      expect(
        await page.evaluate(() => getComputedStyle(document.body).fontFamily),
        `${path}: stylesheet applied`,
      ).toContain('system-ui');
      // Every image shown (the conformance report's screenshots) is in the site and loads.
      const broken = await page.evaluate(() =>
        [...document.querySelectorAll('img')].filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src),
      );
      expect(broken, `${path}: images that do not load`).toEqual([]);
      const links = await page.evaluate(() =>
        [...document.querySelectorAll('a[href]')].map((a) => (a as HTMLAnchorElement).href),
      );
      for (const link of links.filter((l) => l.startsWith(origin) && !checked.has(l))) {
        checked.add(link);
        const target = new URL(link);
        const res = await fetch(`${origin}${target.pathname}`);
        expect(res.status, `${path} links to ${target.pathname}`).toBe(200);
        if (target.hash.length > 1 && target.pathname.endsWith('.html') && !target.pathname.includes('/reference/')) {
          const html = await res.text();
          expect(html, `${path} links to a missing anchor ${target.pathname}${target.hash}`).toContain(
            `id="${decodeURIComponent(target.hash.slice(1))}"`,
          );
        }
      }
    }
    await page.goto(`${origin}/guides/quick-start.html`);
    await page.screenshot({ path: join(reports, 'quick-start.png') });
    await page.goto(`${origin}/index.html`);
    for (const api of apis)
      await expect(page.locator(`a[href="reference/${api.name}.html"]`).count()).resolves.toBeGreaterThan(0);
    await page.screenshot({ path: join(reports, 'index.png'), fullPage: true });
    await page.close();
  });

  test.each(apis.map((api) => [api.name, api] as const))(
    '%s reference: opens with every tag expanded and a one-line credit; every operation is reachable by clicking the menu and renders',
    async (name, api) => {
      const spec = loadSpec(api.name as ApiName);
      // Webhooks are operations too (Starship's notifications): Redoc lists them under their tag, by name.
      const ops = [
        ...Object.entries((spec.paths ?? {}) as Record<string, Record<string, any>>),
        ...Object.entries((spec.webhooks ?? {}) as Record<string, Record<string, any>>),
      ].flatMap(([path, item]) =>
        Object.entries(item)
          .filter(([method]) => METHODS.includes(method))
          .map(([method, op]) => ({ path, method, op })),
      );
      expect(ops.length).toBeGreaterThan(0);
      const page = await openPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${origin}/reference/${name}.html`, { waitUntil: 'load' });
      await page
        .getByRole('heading', { name: new RegExp(spec.info.title) })
        .first()
        .waitFor({ timeout: 15_000 });

      // It opens with every tag expanded: every operation's link is in the menu before any click.
      await page.waitForFunction((n) => document.querySelectorAll('a[href^="#/"]').length >= n, ops.length, {
        timeout: 10_000,
      });
      const closed = await page.evaluate(() =>
        [...document.querySelectorAll('[data-component-name="Menu/MenuItem"].menu-item-type-group > a')]
          .filter((a) => (a.nextElementSibling as HTMLElement | null)?.style.display === 'none')
          .map((a) => a.textContent),
      );
      expect(closed, 'tags left closed').toEqual([]);
      // The credit box holds "API docs by" and a small wordmark on one line (an unsized logo used to squeeze it into a
      // column).
      const credit = page.locator('a[href="https://redocly.com/redoc/"]').first();
      const box = await credit.boundingBox();
      expect(box, 'the credit is shown').not.toBeNull();
      expect(box!.height, 'the credit fits one line').toBeLessThan(32);
      expect(
        await credit.locator('img').evaluate((img: HTMLImageElement) => img.getBoundingClientRect().width),
      ).toBeLessThan(80);

      const seen: string[] = [];
      for (const tag of spec.tags as { name: string }[]) {
        const tagged = ops.filter((o) => (o.op.tags ?? [])[0] === tag.name);
        if (!tagged.length) continue;
        // Clicking a group in Redoc's side menu opens it; only a running script (no CDN needed) can do that.
        const before = await page.evaluate(() => location.hash);
        await page
          .locator('a[href^="/"]')
          .filter({ hasText: new RegExp(`^${tag.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) })
          .first()
          .click();
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
          expect(await page.locator('body').innerText(), `${op.operationId}: method and path`).toMatch(
            new RegExp(`${method}\\s*${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'i'),
          );
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
    },
  );

  test('the reference also works opened from disk (file://)', async () => {
    const api = apis[0]!;
    const spec = loadSpec(api.name as ApiName);
    const page = await openPage();
    await page.goto(pathToFileURL(join(site, 'reference', `${api.name}.html`)).href, { waitUntil: 'load' });
    await page
      .getByRole('heading', { name: new RegExp(spec.info.title) })
      .first()
      .waitFor({ timeout: 15_000 });
    const firstOp = Object.values(Object.values(spec.paths as Record<string, Record<string, any>>)[0]!).find(
      (op) => op?.operationId,
    );
    const tag = firstOp.tags[0] as string;
    await page
      .locator('a[href^="/"]')
      .filter({ hasText: new RegExp(`^${tag}$`) })
      .first()
      .click();
    await page.locator(`a[href^="#/"][href$="/${firstOp.operationId.toLowerCase()}"]`).first().click();
    await page.waitForFunction((a) => location.hash.endsWith(`/${a}`), firstOp.operationId.toLowerCase(), {
      timeout: 10_000,
    });
    const index = await openPage();
    await index.goto(pathToFileURL(join(site, 'index.html')).href);
    expect(await index.evaluate(() => getComputedStyle(document.body).fontFamily)).toContain('system-ui');
    await page.close();
    await index.close();
  });

  /** Opens a reference page and waits until Redoc has drawn its menu. */
  async function openReference(page: Page, name: string, hash = '') {
    await page.goto(`${origin}/reference/${name}.html${hash}`, { waitUntil: 'load' });
    await page.locator('[data-component-name="Menu/MenuItem"]').first().waitFor({ state: 'attached', timeout: 15_000 });
  }
  const operationCount = (name: string) =>
    Object.values(loadSpec(name as ApiName).paths as Record<string, Record<string, any>>).flatMap((item) =>
      METHODS.filter((m) => item[m]),
    ).length + Object.keys(loadSpec(name as ApiName).webhooks ?? {}).length;

  test('every page fits a 390 px phone: nothing scrolls sideways', async () => {
    const phone = await openPage({ width: 390, height: 844 });
    const wide: string[] = [];
    const measure = async (what: string) => {
      const width = await phone.evaluate(() =>
        Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
      );
      if (width > 390) wide.push(`${what}: ${width} px`);
    };
    for (const path of pagesOf(site).filter((p) => !p.startsWith('reference/'))) {
      await phone.goto(`${origin}/${path}`, { waitUntil: 'load' });
      await measure(path);
    }
    // A reference is one page per operation: each route the (expanded) menu links to is measured too.
    for (const api of apis) {
      await openReference(phone, api.name);
      await phone.waitForFunction(
        (n) => document.querySelectorAll('a[href^="#/"]').length >= n,
        operationCount(api.name),
        { timeout: 10_000 },
      );
      await measure(`reference/${api.name}.html`);
      for (const hash of await phone.evaluate(() => [
        ...new Set([...document.querySelectorAll('a[href^="#/"]')].map((a) => a.getAttribute('href')!)),
      ])) {
        await phone.evaluate((h) => (location.hash = h), hash);
        await phone.waitForTimeout(100);
        await measure(`reference/${api.name}.html${hash}`);
      }
    }
    expect(wide).toEqual([]);
    await phone.close();
  }, 120_000);

  test('screenshots at 1400 and 390 px: the landing page, a guide, a reference page (its TypeScript sample)', async () => {
    for (const width of [1400, 390]) {
      const page = await openPage({ width, height: 900 });
      await page.goto(`${origin}/index.html`, { waitUntil: 'load' });
      await page.screenshot({ path: join(reports, `landing-${width}.png`) });
      await page.goto(`${origin}/guides/quick-start.html`, { waitUntil: 'load' });
      await page.screenshot({ path: join(reports, `guide-quick-start-${width}.png`) });
      await openReference(page, 'starmile-partner', '#/orders/createorder');
      await page.getByRole('heading', { name: 'Create an order' }).first().waitFor({ timeout: 10_000 });
      // The code samples made from the spec's examples: curl first, then the TypeScript client. At 390 px the languages
      // are a drop-down under "curl"; where Redoc's late layout leaves the page, its TypeScript entry can open below
      // the fold, where a click cannot scroll to it ("outside of the viewport" until the timeout, one run in four on
      // the loaded machine). A dispatched click picks it wherever it is; the next line proves it took.
      await page.getByText('curl', { exact: true }).first().click();
      await page.getByText('TypeScript', { exact: true }).first().dispatchEvent('click');
      await expect(page.locator('body').innerText()).resolves.toContain('starmile.createOrder(');
      await page.getByText('createStarmileClient', { exact: false }).last().scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(reports, `reference-create-order-${width}.png`) });
      await page.close();
    }
  }, 60_000);

  test('no request left the machine', () => {
    // Runs last: the pages above recorded every blocked request.
    expect(external).toEqual([]);
    expect(existsSync(join(reports, 'index.png'))).toBe(true);
  });
});
