// Two people, two browser profiles, one portfolio: Ada creates it and
// sends the full file; Ben opens it; both edit offline (different fields of
// one project, the same field of another, and Ben deletes a third); they exchange changes files both
// ways. Both end with the same portfolio; the conflict is shown in the
// merge review, decided in one click, and the decision reaches Ben with
// Ada's next file.

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
  setProjectField,
  projectField,
  exportFile,
  importFile,
  openPortfolioFile,
  tempDir,
} from './exchange-helpers.mjs';

let server;
let dir;
before(async () => {
  server = await serveDist();
  dir = await tempDir('pmo-exchange-');
});
after(async () => {
  await server?.close();
  await fsp.rm(dir, { recursive: true, force: true });
});

test('two people exchange files both ways and end with the same portfolio', async (t) => {
  await withProfile(
    t,
    async ({ page: ada }) => {
      await withProfile(
        t,
        async ({ page: ben }) => {
          const a = ui(ada);
          const b = ui(ben);

          const full = await step('Ada creates the portfolio and exports the full file', async () => {
            await openApp(ada, server.url);
            await createPortfolio(ada, { user: 'Ada', portfolio: 'Acme PMO' });
            await goToProjects(ada);
            for (const name of ['Alpha', 'Beta', 'Gamma']) await addProject(ada, name);
            const out = await exportFile(ada, 'Export full file', dir);
            assert.match(out.name, /^acme-pmo-\d{4}-\d{2}-\d{2}-ada\.pmo$/);
            return out.file;
          });

          await step('Ben opens the file as his portfolio', async () => {
            await openApp(ben, server.url);
            await openPortfolioFile(ben, { user: 'Ben', file: full });
            await expectText(b.banner, ['Acme PMO', 'Ben'], "Ben's header");
            await goToProjects(ben);
            assert.deepEqual(await projectNames(ben), ['Alpha', 'Beta', 'Gamma']);
          });

          await step('both edit offline', async () => {
            await goToProjects(ada);
            await renameProject(ada, 'Beta', 'Beta North');
            // Ada renames Gamma while Ben deletes it: the deletion wins in
            // Automerge, so the review must name Ada's hidden edit.
            await renameProject(ada, 'Gamma', 'Gamma Prime');
            await renameProject(ben, 'Beta', 'Beta South');
            await deleteProject(ben, 'Gamma');
            // Different fields of one project: both edits must survive.
            await setProjectField(ada, 'Alpha', 'Manager', 'Ada Lovelace');
            await setProjectField(ben, 'Alpha', 'Sponsor', 'Board of Ben');
          });

          const fromBen = await step('Ben exports only his changes for Ada', async () => {
            await goTo(ben, 'Exchange');
            await expectVisible(b.button('Export changes for Ada'), 'button "Export changes for Ada"');
            await expectVisible(ben.getByText(/Changes: .* \(full file: .*\)/), 'both sizes');
            const out = await exportFile(ben, 'Export changes for Ada', dir);
            assert.match(out.name, /^acme-pmo-\d{4}-\d{2}-\d{2}-ben-changes\.pmo$/);
            return out.file;
          });

          await step("Ada imports Ben's changes and sees the review", async () => {
            await importFile(ada, fromBen);
            await expectText(a.review, ['Ben', 'Deleted', 'Gamma', 'Board of Ben'], 'the merge review');
            await expectVisible(a.review.getByText('Conflicts to decide'), 'the conflicts heading');
            await expectVisible(a.button('Keep Beta North (Ada)'), 'button "Keep Beta North (Ada)"');
            await expectVisible(a.button('Keep Beta South (Ben)'), 'button "Keep Beta South (Ben)"');
            await expectVisible(a.review.getByText('Deleted while being edited'), 'the deleted-while-edited heading');
            await expectText(
              a.review.getByRole('listitem').filter({ hasText: 'Gamma Prime' }),
              ['Deleted by Ben while Ada changed Name'],
              'who deleted and whose edit it hid',
            );
          });

          await step('the conflict shows on the project until decided', async () => {
            await goToProjects(ada);
            const beta = a.table.getByRole('row').filter({ hasText: /Beta (North|South)/ });
            await expectVisible(beta.getByRole('link', { name: /^Conflict/ }), 'a "Conflict" badge on Beta');
            await expectGone(a.row('Gamma Prime'), 'Gamma Prime (deleted by Ben)');
          });

          await step('Ada decides in one click', async () => {
            await goTo(ada, 'Exchange');
            await a.button('Keep Beta South (Ben)').click();
            await expectGone(a.button('Keep Beta North (Ada)'), 'the conflict buttons');
            await expectVisible(a.review.getByText(/Decided/), 'the decision');
            await goToProjects(ada);
            assert.deepEqual(await projectNames(ada), ['Alpha', 'Beta South']);
            await expectGone(a.table.getByRole('link', { name: /^Conflict/ }), 'the Conflict badge');
          });

          await step('Ada brings Gamma back with her change', async () => {
            await goTo(ada, 'Exchange');
            await a.button('Restore Gamma Prime with the changes').click();
            await expectVisible(a.review.getByText('It is in the portfolio again.'), 'the restored note');
            await goToProjects(ada);
            assert.deepEqual(await projectNames(ada), ['Alpha', 'Beta South', 'Gamma Prime']);
          });

          const fromAda = await step('Ada exports her changes for Ben', async () => {
            const out = await exportFile(ada, 'Export changes for Ben', dir);
            return out.file;
          });

          await step("Ben imports Ada's changes: the decision reached him", async () => {
            await importFile(ben, fromAda);
            await expectText(b.review, ['Ada'], "the review names Ada");
            assert.equal(await b.review.getByRole('button', { name: /^Keep / }).count(), 0, 'no open conflict at Ben');
            await goToProjects(ben);
            assert.deepEqual(await projectNames(ben), ['Alpha', 'Beta South', 'Gamma Prime']);
          });

          await step('both keep the same portfolio after a reload', async () => {
            await reloadApp(ada);
            await reloadApp(ben);
            await goToProjects(ada);
            await goToProjects(ben);
            const [left, right] = [await projectNames(ada), await projectNames(ben)];
            assert.deepEqual(left, ['Alpha', 'Beta South', 'Gamma Prime']);
            assert.deepEqual(right, left);
            for (const page of [ada, ben]) {
              assert.equal(await projectField(page, 'Alpha', 'Manager'), 'Ada Lovelace', "Ada's edit of Alpha");
              assert.equal(await projectField(page, 'Alpha', 'Sponsor'), 'Board of Ben', "Ben's edit of Alpha");
            }
          });
        },
        { label: 'ben' },
      );
    },
    { label: 'ada' },
  );
});

test('the import worker also starts when the site is served under a sub-path', async (t) => {
  const sub = await serveDist({ subPath: '/pmo/' });
  try {
    await withProfile(t, async ({ page }) => {
      await openApp(page, sub.url);
      await openPortfolioFile(page, { user: 'Ada', file: new URL('./fixtures/base.pmo', import.meta.url).pathname });
      await expectText(ui(page).banner, ['Base PMO', 'Ada'], 'the opened portfolio', { timeout: 30_000 });
      const worker = sub.requests.filter((r) => r.url.includes('import_worker'));
      assert.ok(worker.length >= 3, `worker files fetched: ${JSON.stringify(worker)}`);
      assert.ok(worker.every((r) => r.url.startsWith('/pmo/') && r.status === 200), JSON.stringify(worker));
    });
  } finally {
    await sub.close();
  }
});
