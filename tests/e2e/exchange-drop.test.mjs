// Drag and drop anywhere: a dragged file shows the drop overlay; dropping
// it on any page imports it (and on the first-run screen opens it as this
// browser's portfolio). Dropping a file already merged says nothing is new.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import { serveDist, withProfile, openApp, expectVisible, expectGone, expectText, step } from './harness.mjs';
import {
  ui,
  createPortfolio,
  goTo,
  goToProjects,
  addProject,
  projectNames,
  exportFile,
  tempDir,
} from './exchange-helpers.mjs';

let server;
let dir;
before(async () => {
  server = await serveDist();
  dir = await tempDir('pmo-drop-');
});
after(async () => {
  await server?.close();
  await fsp.rm(dir, { recursive: true, force: true });
});

/** Drags a file (its bytes and name) over the page, optionally dropping it. */
async function drag(page, file, name, { drop }) {
  const bytes = [...(await fsp.readFile(file))];
  await page.evaluate(
    async ({ bytes, name, drop }) => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(bytes)], name, { type: 'application/octet-stream' }));
      const target = document.querySelector('main') ?? document.body;
      const fire = (type) =>
        target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
      fire('dragenter');
      fire('dragover');
      if (drop) fire('drop');
    },
    { bytes, name, drop },
  );
}

test('a file dropped anywhere opens or merges, with a visible drop overlay', async (t) => {
  await withProfile(t, async ({ page: ada }) => {
    await withProfile(
      t,
      async ({ page: ben }) => {
        const overlay = (page) => page.getByText(/^Drop the file to (open|merge) it/);
        const full = await step('Ada makes a portfolio file', async () => {
          await openApp(ada, server.url);
          await createPortfolio(ada, { user: 'Ada', portfolio: 'Acme PMO' });
          await goToProjects(ada);
          await addProject(ada, 'Alpha');
          return (await exportFile(ada, 'Export full file', dir)).file;
        });

        await step('Ben drops it on his first-run screen', async () => {
          await openApp(ben, server.url);
          await ui(ben).yourName.fill('Ben');
          await drag(ben, full, 'acme.pmo', { drop: false });
          await expectVisible(overlay(ben), 'the drop overlay');
          await drag(ben, full, 'acme.pmo', { drop: true });
          await expectGone(overlay(ben), 'the drop overlay after the drop');
          await expectText(ui(ben).banner, ['Acme PMO', 'Ben'], "Ben's header", { timeout: 30_000 });
          await goToProjects(ben);
          assert.deepEqual(await projectNames(ben), ['Alpha']);
        });

        const packet = await step('Ben adds a project and sends his changes', async () => {
          await addProject(ben, 'From Ben');
          return (await exportFile(ben, 'Export changes for Ada', dir)).file;
        });

        await step("Ada drops Ben's file on her projects page", async () => {
          await goToProjects(ada);
          await drag(ada, packet, 'from-ben.pmo', { drop: true });
          // The review opens on the Exchange page.
          await expectVisible(ui(ada).review, 'region "Merge review"', { timeout: 30_000 });
          await expectText(ui(ada).review, ['From Ben', 'Added'], 'the review');
          await goToProjects(ada);
          assert.deepEqual(await projectNames(ada), ['Alpha', 'From Ben']);
        });

        await step('dropping the same file again: nothing new', async () => {
          await drag(ada, packet, 'from-ben.pmo', { drop: true });
          await expectVisible(
            ui(ada).review.getByText(/^Nothing new: this browser already had everything in Ben’s file/),
            'the "nothing new" review',
            { timeout: 30_000 },
          );
        });
      },
      { label: 'ben' },
    );
  });
});
