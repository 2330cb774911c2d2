// End-to-end test harness for PMO Desk: static server over dist/, isolated
// Chromium profiles (playwright-core, system Chromium), readiness waits,
// console-error capture and failure screenshots.
//
// Usage in a test file (node:test):
//
//   import { test, after } from 'node:test';
//   import { serveDist, withProfile, waitForReady } from './harness.mjs';
//   const server = await serveDist();
//   after(() => server.close());
//   test('loads', async (t) => {
//     await withProfile(t, async ({ page }) => {
//       await page.goto(server.url);
//       await waitForReady(page);
//     });
//   });

import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = path.resolve(process.env.PMO_DIST ?? path.join(ROOT, 'dist'));
export const ARTIFACTS = path.join(ROOT, 'tests', 'e2e', 'artifacts');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
/** Time for the app to mount and load its document (wasm compile included). */
export const READY_TIMEOUT = Number(process.env.E2E_READY_TIMEOUT ?? 30_000);
/** Default time for a single Playwright action or wait. */
export const ACTION_TIMEOUT = Number(process.env.E2E_ACTION_TIMEOUT ?? 10_000);

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

function normalizeSubPath(subPath) {
  let p = subPath ?? '/';
  if (!p.startsWith('/')) p = `/${p}`;
  if (!p.endsWith('/')) p = `${p}/`;
  return p;
}

/**
 * Serve dist/ like a plain static host: no SPA fallback, unknown paths are 404.
 * @param {{subPath?: string, root?: string}} [opts] subPath such as "/pmo/"
 * @returns {Promise<{url: string, origin: string, port: number,
 *   requests: {method: string, url: string, status: number}[], close: () => Promise<void>}>}
 */
export async function serveDist({ subPath = '/', root = DIST } = {}) {
  const prefix = normalizeSubPath(subPath);
  const rootDir = path.resolve(root);
  if (!fs.existsSync(path.join(rootDir, 'index.html'))) {
    throw new Error(`${rootDir}/index.html not found: build the site first (make dist)`);
  }
  const requests = [];
  const server = http.createServer(async (req, res) => {
    const entry = { method: req.method, url: req.url, status: 0 };
    requests.push(entry);
    const send = (status, headers, body) => {
      entry.status = status;
      res.writeHead(status, { 'Cache-Control': 'no-store', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return send(405, { Allow: 'GET, HEAD' }, 'method not allowed');
      }
      const { pathname } = new URL(req.url, 'http://localhost');
      if (`${pathname}/` === prefix) return send(301, { Location: prefix }, '');
      if (!pathname.startsWith(prefix)) return send(404, { 'Content-Type': MIME['.txt'] }, 'not found');
      let rel = decodeURIComponent(pathname.slice(prefix.length));
      let file = path.resolve(rootDir, rel);
      if (file !== rootDir && !file.startsWith(rootDir + path.sep)) {
        return send(403, { 'Content-Type': MIME['.txt'] }, 'forbidden');
      }
      let stat = await fsp.stat(file).catch(() => null);
      if (stat?.isDirectory()) {
        if (rel !== '' && !rel.endsWith('/')) {
          return send(301, { Location: `${pathname}/` }, '');
        }
        file = path.join(file, 'index.html');
        stat = await fsp.stat(file).catch(() => null);
      }
      if (!stat?.isFile()) return send(404, { 'Content-Type': MIME['.txt'] }, 'not found');
      const type = MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
      const body = await fsp.readFile(file);
      return send(200, { 'Content-Type': type, 'Content-Length': body.length }, body);
    } catch (err) {
      return send(500, { 'Content-Type': MIME['.txt'] }, String(err));
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}${prefix}`,
    origin,
    port,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

const pageErrors = new WeakMap();

/** Errors captured so far for a page: console errors, uncaught exceptions, crashes. */
export function errorsOf(page) {
  return pageErrors.get(page)?.errors ?? [];
}

function watchPage(page, state) {
  const record = (kind, text) => {
    if (state.allow.some((re) => re.test(text))) return;
    const item = { kind, text, url: page.url() };
    state.errors.push(item);
    for (const fn of state.listeners) fn(item);
  };
  pageErrors.set(page, state);
  page.setDefaultTimeout(ACTION_TIMEOUT);
  page.on('console', (msg) => {
    const line = `[${msg.type()}] ${msg.text()}`;
    state.log.push(line);
    if (msg.type() === 'error') record('console.error', msg.text());
  });
  page.on('pageerror', (err) => {
    state.log.push(`[pageerror] ${err.stack ?? err.message}`);
    record('uncaught exception', err.stack ?? err.message);
  });
  page.on('crash', () => record('crash', 'page crashed'));
}

/** How many times a browser that dies while starting is started again. */
const LAUNCH_ATTEMPTS = 3;

/**
 * Starts Chromium on a new user-data-dir. Debian's Chromium occasionally dies
 * with SIGSEGV while starting on a loaded CI machine, before any page exists;
 * that says nothing about the app, so such a start is retried on a fresh
 * directory. Anything that goes wrong after the start is the test's business.
 */
async function launchProfile(viewport) {
  let lastError;
  for (let attempt = 1; attempt <= LAUNCH_ATTEMPTS; attempt += 1) {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pmo-e2e-profile-'));
    try {
      const context = await chromium.launchPersistentContext(dir, {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport,
        locale: 'en-GB',
        timezoneId: 'UTC',
      });
      return { dir, context };
    } catch (err) {
      lastError = err;
      await fsp.rm(dir, { recursive: true, force: true }).catch(() => {});
      const firstLine = String(err?.message ?? err).split('\n')[0];
      console.warn(`e2e: Chromium failed to start (attempt ${attempt}/${LAUNCH_ATTEMPTS}): ${firstLine}`);
    }
  }
  throw lastError;
}

/**
 * A fresh browser profile (own temporary user-data-dir): IndexedDB and
 * localStorage survive reloads within it, and two profiles share nothing.
 * @param {{allowConsole?: RegExp[], viewport?: {width: number, height: number}}} [opts]
 *   allowConsole: console-error texts that should not fail the test.
 */
export async function newProfile({ allowConsole = [], viewport = { width: 1280, height: 900 } } = {}) {
  const { dir, context } = await launchProfile(viewport);
  const state = { errors: [], log: [], listeners: new Set(), allow: allowConsole };
  context.on('page', (p) => watchPage(p, state));
  for (const p of context.pages()) watchPage(p, state);
  const page = context.pages()[0] ?? (await context.newPage());
  if (!pageErrors.has(page)) watchPage(page, state);
  let closed = false;
  return {
    context,
    page,
    dir,
    errors: state.errors,
    log: state.log,
    /** Throws if any console error or uncaught exception was seen. */
    assertNoErrors() {
      if (state.errors.length) {
        throw new Error(`browser reported errors:\n${formatErrors(state.errors)}`);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await context.close().catch(() => {});
      await fsp.rm(dir, { recursive: true, force: true }).catch(() => {});
    },
  };
}

function formatErrors(errors) {
  return errors.map((e) => `  - ${e.kind}: ${e.text}${e.url ? ` (at ${e.url})` : ''}`).join('\n');
}

/**
 * Wait until the app has mounted and loaded its portfolio
 * (it sets document.body.dataset.ready = "true"). Fails early when the page
 * reports an uncaught exception or console error meanwhile.
 */
export async function waitForReady(page, { timeout = READY_TIMEOUT } = {}) {
  const state = pageErrors.get(page);
  let onError;
  const failed = new Promise((_, reject) => {
    onError = (e) => reject(new Error(`page reported an error before ready: ${e.kind}: ${e.text}`));
    if (state?.errors.length) onError(state.errors[0]);
    state?.listeners.add(onError);
  });
  try {
    await Promise.race([
      page.waitForFunction(() => document.body?.dataset.ready === 'true', null, {
        timeout,
        polling: 100,
      }),
      failed,
    ]);
  } catch (err) {
    const current = await page
      .evaluate(() => ({ ready: document.body?.dataset.ready, title: document.title }))
      .catch(() => ({}));
    err.message = `app did not become ready at ${page.url()} (body.dataset.ready=${current.ready}): ${err.message}`;
    throw err;
  } finally {
    state?.listeners.delete(onError);
    failed.catch(() => {});
  }
}

/** Go to url and wait until the app is ready. */
export async function openApp(page, url, opts) {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await waitForReady(page, opts);
}

/** Reload and wait until the app is ready again. */
export async function reloadApp(page, opts) {
  await page.reload({ waitUntil: 'domcontentloaded' });
  await waitForReady(page, opts);
}

/** Wait until the locator (first match) is visible; clearer error than Playwright's. */
export async function expectVisible(locator, what, { timeout = ACTION_TIMEOUT } = {}) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout });
  } catch (err) {
    throw new Error(`expected to see ${what ?? locator}: ${err.message.split('\n')[0]}`);
  }
}

/** Wait until no element matches the locator. */
export async function expectGone(locator, what, { timeout = ACTION_TIMEOUT } = {}) {
  try {
    await locator.first().waitFor({ state: 'detached', timeout });
  } catch (err) {
    throw new Error(`expected ${what ?? locator} to be gone: ${err.message.split('\n')[0]}`);
  }
}

/** Wait until the locator's text contains every given string. */
export async function expectText(locator, texts, what, { timeout = ACTION_TIMEOUT } = {}) {
  for (const text of [].concat(texts)) {
    await expectVisible(locator.filter({ hasText: text }), `${what ?? locator} containing "${text}"`, {
      timeout,
    });
  }
}

function slug(s) {
  return String(s)
    .replace(/[^a-zA-Z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

/** Save a screenshot (and the page's console log) under tests/e2e/artifacts/. */
export async function saveArtifacts(profile, name) {
  await fsp.mkdir(ARTIFACTS, { recursive: true });
  const base = path.join(ARTIFACTS, `${slug(name)}-${Date.now()}`);
  const saved = [];
  for (const [i, p] of profile.context.pages().entries()) {
    const file = `${base}${i ? `-${i}` : ''}.png`;
    if (await p.screenshot({ path: file, fullPage: true }).then(() => true, () => false)) {
      saved.push(file);
    }
  }
  const log = [
    `url: ${profile.page.url()}`,
    'errors:',
    formatErrors(profile.errors) || '  (none)',
    'console:',
    ...profile.log.map((l) => `  ${l}`),
  ].join('\n');
  await fsp.writeFile(`${base}.log`, `${log}\n`);
  saved.push(`${base}.log`);
  return saved;
}

/**
 * Run fn with a fresh profile; afterwards fail on captured console errors.
 * On failure, a screenshot and console log are saved under tests/e2e/artifacts/.
 * @param {import('node:test').TestContext} t
 * @param {(profile: Awaited<ReturnType<typeof newProfile>>) => Promise<void>} fn
 */
export async function withProfile(t, fn, opts = {}) {
  const profile = await newProfile(opts);
  const name = `${t?.name ?? 'test'}${opts.label ? `-${opts.label}` : ''}`;
  try {
    await fn(profile);
    profile.assertNoErrors();
  } catch (err) {
    const files = process.env.E2E_NO_ARTIFACTS
      ? []
      : await saveArtifacts(profile, name).catch(() => []);
    if (profile.errors.length && !String(err.message).includes('browser reported errors')) {
      err.message += `\nbrowser errors seen:\n${formatErrors(profile.errors)}`;
    }
    if (files.length) err.message += `\nartifacts: ${files.map((f) => path.relative(ROOT, f)).join(', ')}`;
    throw err;
  } finally {
    await profile.close();
  }
}

/** Label a step so a failure says which step of a journey broke. */
export async function step(name, fn) {
  try {
    return await fn();
  } catch (err) {
    err.message = `step "${name}" failed: ${err.message}`;
    throw err;
  }
}
