// Shared steps of the exchange end-to-end tests (exchange*.test.mjs and
// tabs*.test.mjs): first run, projects, export (downloads), import (file
// inputs), the merge review. Controls are found by their accessible names.

import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expectVisible, expectGone, expectText } from './harness.mjs';

const exact = { exact: true };

export function ui(page) {
  const nav = page.getByRole('navigation', { name: 'Main', ...exact });
  const table = page.getByRole('table', { name: 'Projects', ...exact });
  return {
    page,
    welcome: page.getByRole('heading', { name: 'Welcome to PMO Desk', ...exact }),
    yourName: page.getByLabel('Your name', exact),
    portfolioName: page.getByLabel('Portfolio name', exact),
    portfolioFile: page.getByLabel('Portfolio file', exact),
    importFile: page.getByLabel('Import a file', exact),
    banner: page.getByRole('banner'),
    nav,
    link: (name) => nav.getByRole('link', { name, ...exact }),
    table,
    // A project's row: the one with its "Rename <name>" button (the same in
    // every version of the projects table, whatever its columns).
    row: (name) =>
      table.getByRole('row').filter({ has: page.getByRole('button', { name: `Rename ${name}`, exact: true }) }),
    review: page.getByRole('region', { name: 'Merge review', ...exact }),
    button: (name) => page.getByRole('button', { name, ...exact }),
    field: (label) => page.getByLabel(label, exact),
    alert: (text) => page.getByRole('alert').filter({ hasText: text }),
    status: (text) => page.getByRole('status').filter({ hasText: text }),
  };
}

export async function createPortfolio(page, { user, portfolio }) {
  const u = ui(page);
  await expectVisible(u.welcome, 'heading "Welcome to PMO Desk"');
  await u.yourName.fill(user);
  await u.portfolioName.fill(portfolio);
  await u.button('Create a new portfolio').click();
  await expectText(u.banner, [portfolio, user], 'the header (banner)');
}

export async function goTo(page, name) {
  const u = ui(page);
  await u.link(name).click();
  await page.waitForFunction((n) => location.hash === `#/${n.toLowerCase()}`, name);
}

export async function goToProjects(page) {
  const u = ui(page);
  await goTo(page, 'Projects');
  await u.table.or(page.getByText('No projects yet')).first().waitFor();
}

export async function addProject(page, name) {
  const u = ui(page);
  await u.field('New project name').fill(name);
  await u.button('Add project').click();
  await expectVisible(u.row(name), `a row "${name}" in table "Projects"`);
}

export async function renameProject(page, from, to) {
  const u = ui(page);
  await u.button(`Rename ${from}`).click();
  await u.field(`New name for ${from}`).fill(to);
  await u.button('Save name').click();
  await expectVisible(u.row(to), `row "${to}"`);
}

/** Opens a project's page from the register. */
export async function openProject(page, name) {
  const u = ui(page);
  await goToProjects(page);
  await u.row(name).getByRole('link', { name, ...exact }).click();
  await expectVisible(u.field('Manager'), `the project page of "${name}"`);
}

/** Edits one field on a project's page the way a person does: type, leave. */
export async function setProjectField(page, name, label, value) {
  await openProject(page, name);
  const field = ui(page).field(label);
  await field.fill(value);
  await field.press('Tab');
  await page.waitForFunction(
    ([l, v]) => [...document.querySelectorAll('label')].some((el) => el.textContent.trim() === l && el.control?.value === v && el.control !== document.activeElement),
    [label, value],
  );
}

/** A project's field as its page shows it. */
export async function projectField(page, name, label) {
  await openProject(page, name);
  return ui(page).field(label).inputValue();
}

export async function deleteProject(page, name) {
  const u = ui(page);
  await u.button(`Delete ${name}`).click();
  await u.button('Confirm delete').click();
  await expectGone(u.row(name), `row "${name}"`);
}

/** Names of the projects in table "Projects" (from their Rename buttons), sorted. */
export async function projectNames(page) {
  const u = ui(page);
  if (!(await u.table.count())) return [];
  const labels = await u.table
    .getByRole('button', { name: /^Rename / })
    .evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label') ?? b.textContent));
  return labels.map((l) => l.replace(/^Rename /, '').trim()).sort();
}

/** Clicks an export button on the Exchange page; returns the saved file. */
export async function exportFile(page, buttonName, dir) {
  const u = ui(page);
  await goTo(page, 'Exchange');
  const [download] = await Promise.all([page.waitForEvent('download'), u.button(buttonName).click()]);
  const file = path.join(dir, download.suggestedFilename());
  await download.saveAs(file);
  return { file, name: download.suggestedFilename() };
}

/** Imports a file through "Import a file" and waits for the review. */
export async function importFile(page, file) {
  const u = ui(page);
  await goTo(page, 'Exchange');
  await u.importFile.setInputFiles(file);
  await expectVisible(u.review, 'region "Merge review"', { timeout: 30_000 });
}

/** Opens a file from the first-run screen as this browser's portfolio. */
export async function openPortfolioFile(page, { user, file }) {
  const u = ui(page);
  await expectVisible(u.welcome, 'heading "Welcome to PMO Desk"');
  await u.yourName.fill(user);
  await u.portfolioFile.setInputFiles(file);
}

export async function tempDir(prefix) {
  return fsp.mkdtemp(path.join(os.tmpdir(), prefix));
}

/**
 * Everything this origin keeps: every IndexedDB database and store (keys
 * and values, bytes as hex) and every localStorage entry, as one string.
 * Two equal dumps mean nothing was written in between.
 */
export async function dumpStorage(page) {
  return page.evaluate(async () => {
    const hex = (v) => {
      if (v instanceof ArrayBuffer) v = new Uint8Array(v);
      if (ArrayBuffer.isView(v)) {
        return { bytes: Array.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), (b) => b.toString(16).padStart(2, '0')).join('') };
      }
      if (Array.isArray(v)) return v.map(hex);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, hex(x)]));
      return v;
    };
    const out = { idb: {}, local: {} };
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise((ok, fail) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      const stores = {};
      for (const store of db.objectStoreNames) {
        const tx = db.transaction(store, 'readonly');
        const os = tx.objectStore(store);
        const [keys, values] = await Promise.all(
          [os.getAllKeys(), os.getAll()].map((r) => new Promise((ok, fail) => {
            r.onsuccess = () => ok(r.result);
            r.onerror = () => fail(r.error);
          })),
        );
        stores[store] = keys.map((k, i) => [hex(k), hex(values[i])]);
      }
      db.close();
      out.idb[name] = stores;
    }
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      out.local[k] = localStorage.getItem(k);
    }
    return JSON.stringify(out);
  });
}
