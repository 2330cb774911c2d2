// A large register (400 generated projects): the table renders only the
// rows near the window but tells assistive tools the total, scrolling
// brings the other rows in, and search narrows it to a complete small view.
// Speed is measured by bench-register.mjs, not here.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { serveDist, withProfile, waitForReady, expectVisible, expectText, step } from './harness.mjs';
import { generatePortfolio, seedPortfolio } from './register-seed.mjs';

const N = 400;
let server;
let bytes;
// Generating compiles the example on a cold build (or waits for another
// cargo build to release the target directory): allow it time.
before(
  async () => {
    server = await serveDist();
    const file = generatePortfolio(N);
    bytes = fs.readFileSync(file);
    fs.rmSync(file, { force: true });
  },
  { timeout: 900_000 },
);
after(async () => {
  await server?.close();
});

const exact = { exact: true };

const tableState = (page) =>
  page.evaluate(() => {
    const table = document.querySelector('table[aria-label=Projects]');
    const rows = [...table.querySelectorAll('tbody tr.data-row')];
    return {
      rowcount: table.getAttribute('aria-rowcount'),
      rendered: rows.length,
      indices: rows.map((r) => Number(r.getAttribute('aria-rowindex'))),
      codes: rows.map((r) => r.querySelector('td.code').textContent),
    };
  });

test('a 400-project register renders a window of rows and searches all', async (t) => {
  await withProfile(
    t,
    async ({ page }) => {
      await step('open the stored portfolio on the register', async () => {
        await seedPortfolio(page, server.origin, bytes, 'Ada');
        await page.goto(`${server.url}#/projects`);
        await waitForReady(page);
        const table = page.getByRole('table', { name: 'Projects', ...exact });
        await expectVisible(table, 'table "Projects"');
        await expectText(page.locator('.register-summary [role=status]'), `${N} projects`, 'the count');
      });

      await step('only rows near the window are in the page; the total is announced', async () => {
        await page.waitForFunction(() => document.querySelectorAll('tbody tr.data-row').length > 0);
        const s = await tableState(page);
        assert.equal(s.rowcount, String(N + 1));
        assert.ok(s.rendered > 10 && s.rendered < 120, `rendered ${s.rendered} rows`);
        assert.deepEqual(s.indices.slice(0, 3), [2, 3, 4]);
      });

      await step('scrolling to the end brings the last rows in', async () => {
        await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
        await page.waitForFunction(
          (last) => [...document.querySelectorAll('tbody tr.data-row')].some((r) => r.getAttribute('aria-rowindex') === last),
          String(N + 1),
        );
        const s = await tableState(page);
        assert.ok(s.rendered < 120, `rendered ${s.rendered} rows`);
        // Consecutive rows, none missing inside the window.
        assert.ok(s.indices.every((v, i) => i === 0 || v === s.indices[i - 1] + 1), s.indices.join(','));
      });

      await step('search narrows the whole register, not just the window', async () => {
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.getByLabel('Search projects', exact).fill('GEN-0042');
        await expectText(page.locator('.register-summary [role=status]'), `Showing 1 of ${N} projects`, 'the count');
        const s = await tableState(page);
        assert.deepEqual(s.codes, ['GEN-0042']);
        assert.equal(s.rowcount, null, 'a small view is rendered completely');
      });

      await step('the dashboard sums the whole portfolio', async () => {
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard', ...exact }).click();
        await expectVisible(page.getByRole('link', { name: /^Active projects: \d+$/ }), 'the active projects tile');
        const label = await page.getByRole('link', { name: /^Active projects: \d+$/ }).getAttribute('aria-label');
        assert.ok(Number(label.split(': ')[1]) > N / 2, label);
      });
    },
    { viewport: { width: 1280, height: 800 } },
  );
});
