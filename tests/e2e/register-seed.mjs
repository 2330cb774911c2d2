// Helpers for register tests and the benchmark: a generated portfolio file
// (Rust example `generate_portfolio`) put where the app stores its
// portfolio, so large portfolios can be opened without test hooks in the
// production UI.

import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './harness.mjs';

/** Writes a generated portfolio of `n` projects; returns the file path. */
export function generatePortfolio(n, { release = false } = {}) {
  const file = path.join(os.tmpdir(), `pmo-generated-${n}-${process.pid}.pmo`);
  const args = ['run', '--quiet', ...(release ? ['--release'] : []), '--example', 'generate_portfolio', '--', String(n), file];
  const r = spawnSync('cargo', args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`cargo ${args.join(' ')} failed`);
  return file;
}

/**
 * Stores portfolio bytes as the app does (IndexedDB database "pmo-desk",
 * store "snapshot", keys "bytes" and "id"; see src/storage/idb.rs), from a
 * same-origin page that does not run the app, and sets the user's name.
 */
export async function seedPortfolio(page, origin, bytes, userName = 'Benchmark') {
  // The browser asks for /favicon.ico on the bare SVG page; not an error.
  await page.route('**/favicon.ico', (route) => route.fulfill({ status: 204 }));
  await page.goto(`${origin}/public/favicon.svg`);
  await page.evaluate(
    async ([data, name]) => {
      await new Promise((resolve, reject) => {
        const req = indexedDB.open('pmo-desk', 1);
        req.onupgradeneeded = () => {
          req.result.createObjectStore('snapshot');
          req.result.createObjectStore('changes', { autoIncrement: true });
        };
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const tx = db.transaction(['snapshot'], 'readwrite');
          tx.objectStore('snapshot').put(new Uint8Array(data), 'bytes');
          tx.objectStore('snapshot').put(1, 'id');
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      });
      localStorage.setItem('pmo-desk.user-name', JSON.stringify(name));
    },
    [[...bytes], userName],
  );
}
