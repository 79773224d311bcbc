// The HTML report in a real browser (Debian's Chromium, never a downloaded one), offline: the verdicts and tags at the
// top, the filters, the links from the table to each failure and from a blocked rule to its blocker, the placeholders
// explained; screenshots of a passing and of a failing run go to reports/conformance-report/.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { startSandbox } from '../../sandbox/src/server.ts';
import { ruleById } from '../registry/index.ts';
import { runConformance } from '../src/conformance.ts';
import { json } from '../src/fault-kit.ts';
import { resolveProfile } from '../src/profile.ts';
import { documentsOnly, documentsOnlyProfile } from './support/documents-only.ts';
import { faultCredentials } from './support/faults.ts';
import { type FaultyProxy, startFaultyProxy } from './support/faulty-proxy.ts';
import { sandboxProfile } from './support/sandbox-profile.ts';

const screens = fileURLToPath(new URL('../../reports/conformance-report/', import.meta.url));

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let proxy: FaultyProxy;
let browser: Browser;
let dir: string;
const external: string[] = [];

/** The report of a run written to its own folder. */
async function report(name: string, options: Parameters<typeof runConformance>[0]): Promise<string> {
  const reportDir = join(dir, name);
  await runConformance({ ...options, reportDir, write: null });
  return pathToFileURL(join(reportDir, 'index.html')).href;
}

/** A page whose every request leaving the file is aborted and recorded: the report must need none. */
async function open(url: string, width = 1280): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 1000 } });
  await page.route('**/*', (route) => {
    if (route.request().url().startsWith('file://')) return route.continue();
    external.push(route.request().url());
    return route.abort();
  });
  await page.goto(url);
  return page;
}

const visibleRows = (page: Page) =>
  page.locator('table.rules tbody tr:not(.hidden)').evaluateAll((rows) => rows.map((r) => r.id));

let passing: string;
let failing: string;
let blocked: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'conformance-report-page-'));
  mkdirSync(screens, { recursive: true });
  sandbox = await startSandbox({ port: 0 });
  proxy = await startFaultyProxy(sandbox.url, faultCredentials);
  passing = await report('passing', { profile: resolveProfile(sandboxProfile(proxy.url)) });
  // A failing run a developer meets: a server written from the documents (contract failures, each resting on a designed
  // part) that also loses the partner's order_id in its status pool (a documented failure).
  const documents = documentsOnly();
  const feed = ruleById.get('FEED-CREATED')!.fault;
  proxy.setFault((req, ctx) => feed(req, { ...ctx, upstream: (r) => documents(r, ctx) }));
  const profile = resolveProfile(documentsOnlyProfile(proxy.url));
  profile.timing.feedTimeoutMs = 300;
  failing = await report('failing', { profile });
  // Orders cannot be created: the rules that need one are blocked by ORD-CREATE.
  proxy.setFault(async (req, ctx) =>
    req.method === 'POST' && req.path === '/api/v1/orders'
      ? json(500, { message: 'Internal error.' })
      : ctx.upstream(req),
  );
  blocked = await report('blocked', {
    profile: resolveProfile(sandboxProfile(proxy.url)),
    filters: ['ORD-CREATE', 'CAN-CANCEL'],
  });
  proxy.setFault(undefined);
  // Fail, never skip (scripts/test/support/chromium.ts says why).
  const browserAt = inject('chromium');
  if ('error' in browserAt) throw new Error(browserAt.error);
  browser = await chromium.connect(browserAt.wsEndpoint);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await sandbox?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a passing run: OK at the top, both verdicts, every rule listed, nothing loaded from elsewhere', async () => {
  const page = await open(passing);
  expect(await page.locator('.banner').innerText()).toContain('OK');
  expect(await page.locator('.card.deciding').innerText()).toContain('Contract');
  expect(await page.locator('#f-failing').isChecked()).toBe(false);
  expect((await visibleRows(page)).length).toBe(await page.locator('table.rules tbody tr').count());
  expect(await page.locator('section.failure-rule').count()).toBe(0);
  await page.screenshot({ path: join(screens, 'passing.png') });
  await page.close();
  expect(external).toEqual([]);
});

test('a failing run: the failures only at first, filters by class, tag and level, each FAIL linking to its failure in words', async () => {
  const page = await open(failing);
  expect(await page.locator('.banner').innerText()).toContain('NOT OK');
  expect(await page.locator('#f-failing').isChecked()).toBe(true);
  const failingRows = await visibleRows(page);
  expect(failingRows).toContain('FEED-CREATED');
  expect(failingRows).not.toContain('ORD-NOT-FOUND');
  await page.screenshot({ path: join(screens, 'failing.png') });

  await page.selectOption('#f-class', 'documented');
  expect(await visibleRows(page)).toEqual(['LIFECYCLE-SCENARIO', 'FEED-CREATED']);
  await page.selectOption('#f-class', '');
  await page.locator('button.tagchip[data-tag="feed"]').click();
  expect(
    (await visibleRows(page)).every(
      (id) => id.startsWith('FEED-') || id.startsWith('TENANT') || id === 'LIFECYCLE-SCENARIO',
    ),
  ).toBe(true);
  await page.selectOption('#f-tag', '');
  await page.selectOption('#f-level', 'SHOULD');
  expect(await visibleRows(page)).toEqual([]);
  await page.selectOption('#f-level', '');
  await page.locator('#f-failing').uncheck();
  expect((await visibleRows(page)).length).toBe(await page.locator('table.rules tbody tr').count());

  await page.locator('#FEED-CREATED a.fail').first().click();
  expect(new URL(page.url()).hash).toBe('#fail-FEED-CREATED');
  const section = page.locator('#fail-FEED-CREATED');
  const box = await section.boundingBox();
  expect(box!.y >= 0 && box!.y < 1000, `the failure is in view (top at ${box?.y})`).toBe(true);
  expect(await section.locator('summary').first().innerText()).toMatch(
    /echoes the order_id: expected "[^"]+", got "SM\d+"/,
  );
  expect(await section.locator('blockquote').first().innerText()).toContain(
    'echoed back on the order and in the status pool',
  );
  // The response body pretty-printed, the curl command beside it, its placeholders explained further down.
  expect(await section.locator('.exchange pre').nth(1).innerText()).toContain('{\n  "data": [');
  expect(await section.locator('.repro pre').innerText()).toContain('curl -i -X GET');
  expect(await page.locator('.legend').innerText()).toContain('$STARMILE_TOKEN_SM_TEST_FULL');
  await page.screenshot({ path: join(screens, 'failure.png') });
  await page.close();
  expect(external).toEqual([]);
});

test('a blocked rule points at the rule that blocked it', async () => {
  const page = await open(blocked);
  // A blocked rule is no failure of its own: "failures only" leaves it out.
  expect(await visibleRows(page)).toEqual(['ORD-CREATE']);
  await page.locator('#f-failing').uncheck();
  const cell = page.locator('#CAN-CANCEL td').nth(3);
  expect(await cell.innerText()).toBe('blocked by ORD-CREATE');
  await cell.locator('a').click();
  expect(new URL(page.url()).hash).toBe('#ORD-CREATE');
  await page.close();
});

test('on a phone the page fits its width', async () => {
  const page = await open(failing, 390);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.close();
});
