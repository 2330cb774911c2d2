// Smoke: the built site loads at the root, reaches ready, and reports no
// console errors, failed requests or uncaught exceptions. App-agnostic.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, withProfile, openApp } from './harness.mjs';

let server;
before(async () => {
  server = await serveDist();
});
after(async () => {
  await server?.close();
});

test('built site loads and reaches ready without errors', async (t) => {
  await withProfile(t, async ({ page }) => {
    const responses = [];
    page.on('response', (r) => responses.push(r));
    await openApp(page, server.url);

    assert.equal(await page.title(), 'PMO Desk');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');

    const wasm = responses.find((r) => new URL(r.url()).pathname.endsWith('.wasm'));
    assert.ok(wasm, 'a .wasm module was requested');
    assert.equal(wasm.status(), 200);
    assert.equal(wasm.headers()['content-type'], 'application/wasm');

    const failed = server.requests.filter((r) => r.status >= 400);
    assert.deepEqual(failed, [], 'no request to the static server failed');
  });
});
