#!/usr/bin/env node
// Register benchmark (figures, not a pass/fail test): a generated portfolio
// of N projects (default 1,000) in headless Chromium against the built
// dist/ (use a release build: `make dist`). Measures
//   1. navigation → interactive dashboard (portfolio stored in IndexedDB,
//      as for a returning user);
//   2. register render (click "Projects" → all rows in the table, and the
//      next frame);
//   3. search keystroke → updated table (typing and deleting a word).
// Prints the figures and writes benches/results/register-browser.md.
//
// Usage: node tests/e2e/bench-register.mjs [N] [--runs R] [--no-write]
//   The portfolio file comes from `cargo run --release --example
//   generate_portfolio -- N FILE` (run here unless PMO_BENCH_FILE is set).
//
// The portfolio is put in place the way the app stores it (see
// register-seed.mjs) from a same-origin page before the app starts, so the
// production UI needs no test hooks.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveDist, newProfile, waitForReady, ROOT, CHROMIUM_PATH } from './harness.mjs';
import { generatePortfolio, seedPortfolio } from './register-seed.mjs';

const args = process.argv.slice(2);
const N = Number(args.find((a) => /^\d+$/.test(a)) ?? 1000);
const RUNS = Number(args[args.indexOf('--runs') + 1] ?? 0) || 5;
const WRITE = !args.includes('--no-write');
const WORD = 'warehouse';

function generate() {
  return process.env.PMO_BENCH_FILE ?? generatePortfolio(N, { release: true });
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))];
  return { n: s.length, min: s[0], median: q(0.5), p95: q(0.95), max: s[s.length - 1] };
};
const ms = (x) => `${x.toFixed(1)} ms`;

/** Navigation start → dashboard tiles rendered and the app ready, then → next frame. */
async function dashboardLoad(page, url) {
  // A real navigation each time (going to another hash of the same page
  // would only change the route).
  await page.goto('about:blank');
  await page.goto(`${url}#/`, { waitUntil: 'commit' });
  await waitForReady(page);
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const check = () => {
          if (document.querySelector('.tiles a')) {
            const interactive = performance.now();
            requestAnimationFrame(() =>
              setTimeout(() => resolve({ interactive, frame: performance.now() })),
            );
          } else requestAnimationFrame(check);
        };
        check();
      }),
  );
}

/** Click "Projects" → the table shows its rows (DOM) → next frame. Large
 * views render the rows near the window; aria-rowcount tells the total. */
async function registerRender(page, n) {
  return page.evaluate(
    (n) =>
      new Promise((resolve) => {
        const link = [...document.querySelectorAll('nav[aria-label=Main] a')].find(
          (a) => a.textContent.trim() === 'Projects',
        );
        const t0 = performance.now();
        const done = () => {
          const dom = performance.now() - t0;
          requestAnimationFrame(() => setTimeout(() => resolve({ dom, frame: performance.now() - t0 })));
        };
        const observer = new MutationObserver(() => {
          const table = document.querySelector('table[aria-label=Projects]');
          const total = Number(table?.getAttribute('aria-rowcount') ?? 0) - 1;
          const shown = table?.querySelectorAll('tbody tr.data-row').length ?? 0;
          if (shown > 0 && (total === n || shown >= n)) {
            observer.disconnect();
            done();
          }
        });
        observer.observe(document.querySelector('main'), { childList: true, subtree: true });
        link.click();
      }),
    n,
  );
}

/** One keystroke in the search box → the table updated (DOM) → next frame. */
async function keystroke(page, value) {
  return page.evaluate(
    (value) =>
      new Promise((resolve) => {
        const input = document.getElementById('register-search');
        // Matching projects: aria-rowcount for windowed views, else rows.
        const rows = () => {
          const table = document.querySelector('table[aria-label=Projects]');
          const total = table.getAttribute('aria-rowcount');
          return total ? Number(total) - 1 : table.querySelectorAll('tbody tr.data-row').length;
        };
        const before = rows();
        const t0 = performance.now();
        input.value = value;
        input.dispatchEvent(new InputEvent('input', { bubbles: true, data: value.slice(-1) }));
        // Effects run in microtasks; a MessageChannel message runs after
        // them without a timer clamp.
        const channel = new MessageChannel();
        channel.port1.onmessage = () => {
          const dom = performance.now() - t0;
          requestAnimationFrame(() =>
            setTimeout(() => resolve({ dom, frame: performance.now() - t0, before, after: rows() })),
          );
        };
        channel.port2.postMessage(0);
      }),
    value,
  );
}

async function main() {
  const loadBefore = os.loadavg()[0];
  const file = generate();
  const bytes = fs.readFileSync(file);
  const server = await serveDist();
  const profile = await newProfile({ viewport: { width: 1400, height: 900 } });
  const { page } = profile;
  const results = { dashboard: [], dashboardFrame: [], register: [], registerFrame: [], key: [], keyFrame: [] };
  let rowsAfter = [];
  try {
    await seedPortfolio(page, server.origin, bytes);
    // A first, uncounted load warms the HTTP and wasm compile caches, as
    // for anyone who used the app before.
    await dashboardLoad(page, server.url);
    for (let run = 0; run < RUNS; run++) {
      const d = await dashboardLoad(page, server.url);
      results.dashboard.push(d.interactive);
      results.dashboardFrame.push(d.frame);
      const tiles = await page.locator('.tiles a').first().getAttribute('aria-label');
      if (!tiles?.startsWith('Active projects:')) throw new Error(`dashboard not shown: ${tiles}`);

      const r = await registerRender(page, N);
      results.register.push(r.dom);
      results.registerFrame.push(r.frame);

      let typed = '';
      for (const ch of WORD) {
        typed += ch;
        const k = await keystroke(page, typed);
        results.key.push(k.dom);
        results.keyFrame.push(k.frame);
        if (run === 0) rowsAfter.push(k.after);
        if (process.env.BENCH_VERBOSE) console.log(JSON.stringify({ typed, ...k }));
      }
      while (typed.length) {
        typed = typed.slice(0, -1);
        const k = await keystroke(page, typed);
        results.key.push(k.dom);
        results.keyFrame.push(k.frame);
        if (run === 0) rowsAfter.push(k.after);
        if (process.env.BENCH_VERBOSE) console.log(JSON.stringify({ typed, ...k }));
      }
    }
    profile.assertNoErrors();
  } finally {
    await profile.close();
    await server.close();
  }

  const loadAfter = os.loadavg()[0];
  const chromium = spawnSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  // The app's own wasm (the import worker has its own, loaded only on import).
  const distWasm = fs.readdirSync(path.join(ROOT, 'dist')).find((f) => /^pmo-desk-.*_bg\.wasm$/.test(f));
  const wasmKb = distWasm ? (fs.statSync(path.join(ROOT, 'dist', distWasm)).size / 1024).toFixed(0) : '?';
  const s = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, stats(v)]));
  const row = (label, x, goal) =>
    `| ${label} | ${ms(x.median)} | ${ms(x.min)} | ${ms(x.p95)} | ${ms(x.max)} | ${x.n} | ${goal} |`;
  const lines = [
    '# Register benchmark (headless Chromium)',
    '',
    `Written by \`node tests/e2e/bench-register.mjs\` (\`make bench\`) on ${new Date().toISOString().slice(0, 10)}.`,
    `Portfolio: ${N} generated projects (${(bytes.length / 1024).toFixed(0)} KB saved file), 8 programs, 6 objectives.`,
    `Machine: ${os.cpus().length} × ${cpu}; ${chromium}; app wasm ${wasmKb} KB (release build).`,
    `Load average (1 min) before/after: ${loadBefore.toFixed(1)} / ${loadAfter.toFixed(1)} — other work on the machine inflates the slow end.`,
    '',
    '| measure | median | min | p95 | max | samples | goal |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    row('navigation → interactive dashboard', s.dashboard, '< 1 s'),
    row('… and its next frame', s.dashboardFrame, ''),
    row(`register render (${N} projects)`, s.register, ''),
    row('… and its next frame', s.registerFrame, ''),
    row('search keystroke → table updated', s.key, '< 50 ms'),
    row('… and its next frame', s.keyFrame, ''),
    '',
    `Keystrokes: typing "${WORD}" letter by letter, then deleting it (rows shown after each: ${rowsAfter.join(', ')}).`,
    'Dashboard: from navigation start (the portfolio is loaded from IndexedDB, as for a returning user; HTTP and wasm caches warm) until the tiles exist and the app reports ready.',
    '"Next frame" adds the wait for the following animation frame (style, layout, paint).',
    '',
  ];
  const text = lines.join('\n');
  console.log(text);
  if (WRITE) {
    const out = path.join(ROOT, 'benches', 'results', 'register-browser.md');
    fs.writeFileSync(out, text);
    console.log(`wrote ${path.relative(ROOT, out)}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
