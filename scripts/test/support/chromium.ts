// One headless Chromium (Debian's, never a downloaded one) for the tests that drive a browser: vitest starts it once per
// project (globalSetup in vitest.config.ts) and each test connects to it with `chromium.connect(inject('chromium'))`,
// so the path, the flags and the "install it" message are stated here only.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

declare module 'vitest' {
  export interface ProvidedContext {
    /** The browser server's WebSocket endpoint, or why there is none (a test that needs it fails with that). */
    chromium: { wsEndpoint: string } | { error: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Fail, never skip: a test that needs a browser fails with this, since what was never opened in one is not shown to
  // work there. Tests that need no browser run as usual.
  if (!existsSync(CHROMIUM)) {
    project.provide('chromium', {
      error: `Chromium not found at ${CHROMIUM}: install it with "apt-get install -y chromium" (or set CHROMIUM_PATH)`,
    });
    return async () => {};
  }
  // Each connection gets contexts of its own; the server's temporary profile is removed when it closes. A browser that
  // does not start fails the tests that need it, not every test of the run.
  try {
    const server = await chromium.launchServer({ executablePath: CHROMIUM, args: FLAGS, timeout: 30_000 });
    project.provide('chromium', { wsEndpoint: server.wsEndpoint() });
    return () => server.close();
  } catch (error) {
    project.provide('chromium', { error: `Chromium at ${CHROMIUM} did not start: ${String(error)}` });
    return async () => {};
  }
}
