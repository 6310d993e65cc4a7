// Shared by the browser suites (page.test.js, lab_page.test.js): Debian's headless Chromium
// through playwright-core, and a page context that records console errors and every request
// that would leave this machine (which the browser cannot resolve).
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const artifacts = fileURLToPath(new URL('./artifacts/', import.meta.url));
mkdirSync(artifacts, { recursive: true });

// Requests that would leave this machine fail at name resolution (the resolver maps every
// host but localhost to nowhere); pageContext records them. (Intercepting every request
// with context.route instead round-trips each one through this process: it added 150-200 ms
// to the page's first chart, 32 requests, on a 2-core machine.)
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'];
export const DESKTOP = { width: 1400, height: 900 };
export const PHONE = { width: 390, height: 844 };

export const launch = () => chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });

/** { context, page, errors, offsite }: a fresh context; errors and offsite fill as the page runs. */
export async function pageContext(browser, { viewport = DESKTOP, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport, colorScheme, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [], offsite = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  context.on('request', (request) => {
    const { protocol, hostname } = new URL(request.url());
    if (protocol === 'data:' || protocol === 'blob:' || hostname === 'localhost' || hostname === '127.0.0.1') return;
    offsite.push(request.url());
  });
  return { context, page, errors, offsite };
}
