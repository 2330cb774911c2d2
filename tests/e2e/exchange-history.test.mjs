// History and time travel: changes listed with author, time and summary,
// grouped by session; a point in history shows the portfolio as it was,
// read-only; a project deleted since is restored with one click (as a new
// change that survives a reload); imported changes form their own group.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import { serveDist, withProfile, openApp, reloadApp, expectVisible, expectGone, expectText, step } from './harness.mjs';
import {
  ui,
  createPortfolio,
  goTo,
  goToProjects,
  addProject,
  renameProject,
  deleteProject,
  projectNames,
  exportFile,
  importFile,
  openPortfolioFile,
  tempDir,
} from './exchange-helpers.mjs';

let server;
let dir;
before(async () => {
  server = await serveDist();
  dir = await tempDir('pmo-history-');
});
after(async () => {
  await server?.close();
  await fsp.rm(dir, { recursive: true, force: true });
});

test('time travel shows the past read-only and restores a deleted project', async (t) => {
  await withProfile(t, async ({ page }) => {
    const u = ui(page);
    const entry = (summary) => page.getByRole('button', { name: new RegExp(`${summary}$`) });
    const then = page.getByRole('table', { name: 'Projects then (read-only)', exact: true });

    await step('make some history', async () => {
      await openApp(page, server.url);
      await createPortfolio(page, { user: 'Ada', portfolio: 'Acme PMO' });
      await goToProjects(page);
      for (const name of ['Alpha', 'Beta', 'Gamma']) await addProject(page, name);
      await deleteProject(page, 'Gamma');
      await renameProject(page, 'Alpha', 'Alpha Prime');
    });

    await step('the history lists every change with its author', async () => {
      await goTo(page, 'History');
      const timeline = page.getByRole('region', { name: 'Changes, newest first' });
      // Creation, the default scoring criteria and the five edits.
      await expectText(timeline, ['Ada', '7 changes'], 'the session heading');
      for (const summary of ['Create portfolio Acme PMO', 'Add project Gamma', 'Delete project Gamma', 'Rename project Alpha to Alpha Prime']) {
        await expectVisible(entry(summary), `history entry "${summary}"`);
      }
    });

    await step('choosing a point shows the portfolio as it was, read-only', async () => {
      await entry('Add project Gamma').click();
      await expectVisible(page.getByText('Read-only.', { exact: true }), 'the read-only banner');
      await expectVisible(then, 'table "Projects then (read-only)"');
      const names = (await then.locator('tbody tr td:first-child').allInnerTexts()).map((s) => s.trim()).sort();
      assert.deepEqual(names, ['Alpha', 'Beta', 'Gamma']);
      // The dashboard's key figures as they were then.
      await expectText(page.getByRole('definition').first(), ['3'], 'the number of projects then');
      // Nothing in the past view edits: only Restore for what is gone now.
      assert.equal(await then.getByRole('button', { name: /^(Rename|Delete) / }).count(), 0);
      await expectVisible(u.button('Restore Gamma'), 'button "Restore Gamma"');
      assert.equal(await u.button('Restore Beta').count(), 0, 'Beta still exists: nothing to restore');
    });

    await step('restore the deleted project', async () => {
      await u.button('Restore Gamma').click();
      await expectGone(u.button('Restore Gamma'), 'the Restore button once Gamma is back');
      await expectVisible(entry('Restore project Gamma'), 'the restore in the history');
    });

    await step('back to now', async () => {
      await u.button('Back to now').click();
      await expectGone(then, 'the read-only view');
      await reloadApp(page);
      await goToProjects(page);
      assert.deepEqual(await projectNames(page), ['Alpha Prime', 'Beta', 'Gamma']);
    });
  });
});

test("a colleague's imported changes appear in the history under their name", async (t) => {
  await withProfile(t, async ({ page: ada }) => {
    await withProfile(
      t,
      async ({ page: ben }) => {
        await openApp(ada, server.url);
        await createPortfolio(ada, { user: 'Ada', portfolio: 'Acme PMO' });
        await goToProjects(ada);
        await addProject(ada, 'Alpha');
        const full = await exportFile(ada, 'Export full file', dir);

        await openApp(ben, server.url);
        await openPortfolioFile(ben, { user: 'Ben', file: full.file });
        await expectText(ui(ben).banner, ['Acme PMO'], "Ben's header");
        await goToProjects(ben);
        await addProject(ben, 'From Ben');
        const packet = await exportFile(ben, 'Export changes for Ada', dir);

        await importFile(ada, packet.file);
        await goTo(ada, 'History');
        const timeline = ada.getByRole('region', { name: 'Changes, newest first' });
        const sessions = timeline.getByRole('heading', { level: 3 });
        await expectText(sessions.first(), ['Ben', '1 change'], 'the newest session, by Ben');
        await expectVisible(ada.getByRole('button', { name: /Add project From Ben$/ }), "Ben's change");
      },
      { label: 'ben' },
    );
  });
});
