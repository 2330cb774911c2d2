// Self-test of the e2e harness (app-agnostic): static server behaviour,
// profile persistence and isolation, and that browser errors fail a test.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, newProfile, withProfile } from './harness.mjs';

let server;
before(async () => {
  server = await serveDist({ subPath: '/pmo/' });
});
after(async () => {
  await server?.close();
});

test('static server: MIME types, sub-path, redirects, 404s, no traversal', async () => {
  const get = (p) => fetch(new URL(p, server.origin), { redirect: 'manual' });
  const index = await get('/pmo/');
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type'), /^text\/html/);
  const html = await index.text();
  const wasm = html.match(/[\w.-]+\.wasm/)?.[0];
  assert.ok(wasm, 'index.html references a .wasm file');
  const w = await get(`/pmo/${wasm}`);
  assert.equal(w.status, 200);
  assert.equal(w.headers.get('content-type'), 'application/wasm');
  const js = html.match(/[\w.-]+\.js/)?.[0];
  assert.match((await get(`/pmo/${js}`)).headers.get('content-type'), /^text\/javascript/);
  assert.equal((await get('/pmo')).status, 301);
  assert.equal((await get('/pmo')).headers.get('location'), '/pmo/');
  assert.equal((await get('/')).status, 404, 'nothing outside the sub-path');
  assert.equal((await get(`/${wasm}`)).status, 404);
  assert.equal((await get('/pmo/no-such-file.js')).status, 404);
  assert.notEqual((await get('/pmo/..%2f..%2fetc%2fpasswd')).status, 200);
});

async function idbPut(page, value) {
  return page.evaluate(
    (v) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('pmo-e2e-harness-selftest', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('kv');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('kv', 'readwrite');
          tx.objectStore('kv').put(v, 'k');
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      }),
    value,
  );
}

async function idbGet(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('pmo-e2e-harness-selftest', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('kv');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('kv').objectStore('kv').get('k');
          req.onsuccess = () => (open.result.close(), resolve(req.result ?? null));
          req.onerror = () => reject(req.error);
        };
      }),
  );
}

test('profiles: IndexedDB survives a reload, two profiles are isolated', async (t) => {
  const probe = server.url;
  await withProfile(t, async ({ page }) => {
    await page.goto(probe);
    await idbPut(page, 'hello');
    await page.reload();
    assert.equal(await idbGet(page), 'hello');
    await withProfile(
      t,
      async ({ page: other }) => {
        await other.goto(probe);
        assert.equal(await idbGet(other), null);
      },
      { label: 'second' },
    );
  });
});

test('withProfile fails on console errors and uncaught exceptions', async (t) => {
  const probe = server.url;
  const prev = process.env.E2E_NO_ARTIFACTS;
  process.env.E2E_NO_ARTIFACTS = '1';
  try {
    await assert.rejects(
      withProfile(t, async ({ page }) => {
        await page.goto(probe);
        await page.evaluate(() => console.error('boom from console'));
        await page.waitForTimeout(200);
      }),
      /boom from console/,
    );
    await assert.rejects(
      withProfile(t, async ({ page }) => {
        await page.goto(probe);
        await page.evaluate(() => setTimeout(() => { throw new Error('uncaught boom'); }, 0));
        await page.waitForTimeout(200);
      }),
      /uncaught boom/,
    );
  } finally {
    if (prev === undefined) delete process.env.E2E_NO_ARTIFACTS;
    else process.env.E2E_NO_ARTIFACTS = prev;
  }
  const p = await newProfile({ allowConsole: [/expected noise/] });
  try {
    await p.page.goto(probe);
    await p.page.evaluate(() => console.error('expected noise'));
    await p.page.waitForTimeout(200);
    p.assertNoErrors();
  } finally {
    await p.close();
  }
});
