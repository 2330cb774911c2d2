// Bad files, one test each: importing any of them shows one clear
// sentence and leaves the stored portfolio untouched (storage compared
// byte for byte before and after); the app then carries on (an edit is
// stored and survives a reload).
// Fixtures: tests/e2e/fixtures/ (examples/bad_files.rs writes them).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { serveDist, withProfile, openApp, reloadApp, expectVisible, expectText, step, ROOT } from './harness.mjs';
import {
  ui,
  createPortfolio,
  goTo,
  goToProjects,
  addProject,
  projectNames,
  dumpStorage,
  openPortfolioFile,
  tempDir,
} from './exchange-helpers.mjs';

const FIXTURES = path.join(ROOT, 'tests', 'e2e', 'fixtures');
const fixture = (name) => path.join(FIXTURES, name);
/** doc::exchange::MAX_FILE_BYTES */
const MAX_FILE_BYTES = 50 * 1024 * 1024;

const DAMAGED = 'This file is damaged or too large to open safely.';
const NOT_OURS = 'That file is not a PMO Desk portfolio.';
const BROKEN = 'That file is damaged or incomplete; ask for a new copy.';
const BOMB = 'That file is damaged or malicious (it unpacks to an enormous size); nothing was changed.';

let server;
let dir;
before(async () => {
  server = await serveDist();
  dir = await tempDir('pmo-bad-files-');
});
after(async () => {
  await server?.close();
  await fsp.rm(dir, { recursive: true, force: true });
});

/**
 * Ada's portfolio with one project; import `file`, expect `message` as an
 * alert, and the stored portfolio unchanged.
 */
async function refusedImport(t, file, message) {
  await withProfile(t, async ({ page }) => {
    const u = ui(page);
    await step('a portfolio with one project', async () => {
      await openApp(page, server.url);
      await createPortfolio(page, { user: 'Ada', portfolio: 'Acme PMO' });
      await goToProjects(page);
      await addProject(page, 'Alpha');
    });
    await goTo(page, 'Exchange');
    // Let pending writes (the project above) settle before the snapshot.
    await page.waitForTimeout(300);
    const before = await dumpStorage(page);
    await step('import the bad file', async () => {
      await u.importFile.setInputFiles(file);
      await expectVisible(u.alert(message), `the alert "${message}"`, { timeout: 30_000 });
      assert.equal(await u.review.count(), 0, 'no merge review for a refused file');
    });
    await step('nothing was stored', async () => {
      await page.waitForTimeout(300);
      assert.equal(await dumpStorage(page), before, 'storage changed');
    });
    await step('the app carries on', async () => {
      await goToProjects(page);
      await addProject(page, 'Beta');
    });
    await step('after a reload the portfolio holds exactly what was added', async () => {
      await reloadApp(page);
      await expectText(u.banner, ['Acme PMO', 'Ada'], 'the header');
      await goToProjects(page);
      assert.deepEqual(await projectNames(page), ['Alpha', 'Beta']);
    });
  });
}

test('an empty file', (t) => refusedImport(t, fixture('empty.pmo'), 'That file is empty.'));

test('random bytes', (t) => refusedImport(t, fixture('random.pmo'), NOT_OURS));

test('a truncated portfolio file', (t) => refusedImport(t, fixture('truncated.pmo'), BROKEN));

test('a PNG image renamed to .pmo', (t) => refusedImport(t, fixture('renamed-image.pmo'), NOT_OURS));

test('a ZIP archive renamed to .pmo', (t) => refusedImport(t, fixture('renamed-archive.pmo'), NOT_OURS));

test('a portfolio saved by a newer app (schema 99)', (t) =>
  refusedImport(t, fixture('newer-schema.pmo'), 'That file was saved by a newer PMO Desk; update the app to open it.'));

test('a file over the size limit', async (t) => {
  const big = path.join(dir, 'huge.pmo');
  const handle = await fsp.open(big, 'w');
  // Automerge's magic bytes first, so only the size can refuse it.
  await handle.write(Buffer.from([0x85, 0x6f, 0x4a, 0x83]));
  await handle.truncate(MAX_FILE_BYTES + 1);
  await handle.close();
  await refusedImport(t, big, 'That file is too large to open (the limit is 50 MB).');
});

test('a decompression bomb inside a portfolio file', (t) => refusedImport(t, fixture('bomb-document.pmo'), BOMB));

test('a decompression bomb inside a changes file', (t) => refusedImport(t, fixture('bomb-packet.pmo'), BOMB));

test('a damaged file with valid checksums that crashes Automerge', (t) =>
  refusedImport(t, fixture('panic.pmo'), DAMAGED));

test('a file of another portfolio is refused naming both', (t) =>
  refusedImport(
    t,
    fixture('other-portfolio.pmo'),
    'That file belongs to the portfolio \u201cZed Holdings\u201d, not \u201cAcme PMO\u201d; nothing was changed.',
  ));

test('a changes file whose base is missing names what is missing and whom it came from', async (t) => {
  await withProfile(t, async ({ page }) => {
    const u = ui(page);
    await openApp(page, server.url);
    await openPortfolioFile(page, { user: 'Ada', file: fixture('base.pmo') });
    await expectText(u.banner, ['Base PMO'], 'the header of the opened portfolio');
    await goTo(page, 'Exchange');
    await page.waitForTimeout(300);
    const before = await dumpStorage(page);
    await u.importFile.setInputFiles(fixture('orphan-packet.pmo'));
    await expectVisible(
      u.alert(/builds on 1 change\(s\) this browser has not received yet; ask Cleo for a full file/),
      'the missing-changes alert naming Cleo',
      { timeout: 30_000 },
    );
    await page.waitForTimeout(300);
    assert.equal(await dumpStorage(page), before, 'storage changed');
  });
});

test('a bad file on the first-run screen stores nothing', async (t) => {
  await withProfile(t, async ({ page }) => {
    const u = ui(page);
    await openApp(page, server.url);
    const before = await dumpStorage(page);
    for (const [file, message] of [
      ['random.pmo', NOT_OURS],
      ['panic.pmo', DAMAGED],
      ['orphan-packet.pmo', /not a whole portfolio|builds on/],
    ]) {
      await openPortfolioFile(page, { user: 'Ben', file: fixture(file) });
      await expectVisible(u.alert(message), `the alert for ${file}`, { timeout: 30_000 });
      await expectVisible(u.welcome, 'still the first-run screen');
    }
    assert.equal(await dumpStorage(page), before, 'storage changed');
    await reloadApp(page);
    await expectVisible(u.welcome, 'the first-run screen after a reload');
  });
});
