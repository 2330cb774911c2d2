// Two tabs of one browser profile stay in step: an edit in one shows in
// the other within a second, edits made in both at the same time all
// survive, and an import in one tab reaches the other.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serveDist, withProfile, openApp, reloadApp, waitForReady, expectVisible, expectGone, expectText, step, ROOT } from './harness.mjs';
import {
  ui,
  createPortfolio,
  goTo,
  goToProjects,
  addProject,
  renameProject,
  deleteProject,
  projectNames,
  openPortfolioFile,
} from './exchange-helpers.mjs';

/** The promise: other tabs follow within a second. */
const IN_STEP_MS = 1000;

let server;
before(async () => {
  server = await serveDist();
});
after(async () => {
  await server?.close();
});

async function secondTab(context) {
  const page = await context.newPage();
  await openApp(page, server.url);
  return page;
}

test('an edit in one tab shows in the other within a second', async (t) => {
  await withProfile(t, async ({ context, page: one }) => {
    await openApp(one, server.url);
    await createPortfolio(one, { user: 'Ada', portfolio: 'Acme PMO' });
    await goToProjects(one);
    await addProject(one, 'Alpha');

    const two = await secondTab(context);
    await goToProjects(two);
    assert.deepEqual(await projectNames(two), ['Alpha']);

    await step('add in tab one, see it in tab two', async () => {
      await addProject(one, 'Beta');
      await expectVisible(ui(two).row('Beta'), 'Beta in tab two', { timeout: IN_STEP_MS });
    });
    await step('rename in tab two, see it in tab one', async () => {
      await renameProject(two, 'Alpha', 'Alpha Prime');
      await expectVisible(ui(one).row('Alpha Prime'), 'Alpha Prime in tab one', { timeout: IN_STEP_MS });
    });
    await step('delete in tab one, gone in tab two', async () => {
      await deleteProject(one, 'Beta');
      await expectGone(ui(two).row('Beta'), 'Beta in tab two', { timeout: IN_STEP_MS });
    });
  });
});

test('edits made in both tabs at the same time all survive', async (t) => {
  await withProfile(t, async ({ context, page: one }) => {
    await openApp(one, server.url);
    await createPortfolio(one, { user: 'Ada', portfolio: 'Acme PMO' });
    await goToProjects(one);
    await addProject(one, 'Shared');
    const two = await secondTab(context);
    await goToProjects(two);

    await step('both tabs edit at once', async () => {
      // Fired together: neither tab has seen the other's change yet.
      await Promise.all([
        (async () => {
          for (const name of ['One A', 'One B', 'One C']) await addProject(one, name);
        })(),
        (async () => {
          for (const name of ['Two A', 'Two B', 'Two C']) await addProject(two, name);
          await renameProject(two, 'Shared', 'Shared renamed');
        })(),
      ]);
    });
    const expected = ['One A', 'One B', 'One C', 'Shared renamed', 'Two A', 'Two B', 'Two C'];
    await step('both tabs converge', async () => {
      for (const page of [one, two]) {
        await page.waitForFunction(
          (n) => document.querySelectorAll('table[aria-label="Projects"] button[aria-label^="Rename "]').length === n,
          expected.length,
          { timeout: IN_STEP_MS * 2 },
        );
        assert.deepEqual(await projectNames(page), expected);
      }
    });
    await step('and storage holds all of it', async () => {
      await two.close();
      await reloadApp(one);
      await goToProjects(one);
      assert.deepEqual(await projectNames(one), expected);
    });
  });
});

test('a portfolio opened or merged in one tab reaches the other', async (t) => {
  await withProfile(t, async ({ context, page: one }) => {
    await openApp(one, server.url);
    const two = await secondTab(context);
    await step('open a file in tab one; tab two leaves its first-run screen', async () => {
      await openPortfolioFile(one, { user: 'Ada', file: path.join(ROOT, 'tests/e2e/fixtures/base.pmo') });
      await expectText(ui(one).banner, ['Base PMO'], 'the header in tab one', { timeout: 30_000 });
      await expectText(ui(two).banner, ['Base PMO'], 'the header in tab two', { timeout: IN_STEP_MS * 2 });
    });
    await step('an edit after that still travels', async () => {
      await goToProjects(one);
      await goToProjects(two);
      await addProject(two, 'Late addition');
      await expectVisible(ui(one).row('Late addition'), 'the project in tab one', { timeout: IN_STEP_MS });
    });
  });
});
