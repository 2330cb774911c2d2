// Foundation journey: first run, create a portfolio, add / rename / delete
// projects, persistence across reloads, profile isolation, sub-path hosting.
// The UI implements exactly these accessible names (roles and labels).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  serveDist,
  withProfile,
  openApp,
  reloadApp,
  waitForReady,
  expectVisible,
  expectGone,
  expectText,
  step,
} from './harness.mjs';

let server;
before(async () => {
  server = await serveDist();
});
after(async () => {
  await server?.close();
});

const exact = { exact: true };

function ui(page) {
  const nav = page.getByRole('navigation', { name: 'Main', ...exact });
  const table = page.getByRole('table', { name: 'Projects', ...exact });
  return {
    welcome: page.getByRole('heading', { name: 'Welcome to PMO Desk', ...exact }),
    yourName: page.getByLabel('Your name', exact),
    portfolioName: page.getByLabel('Portfolio name', exact),
    createButton: page.getByRole('button', { name: 'Create a new portfolio', ...exact }),
    openButton: page.getByRole('button', { name: 'Open a portfolio file', ...exact }),
    sampleButton: page.getByRole('button', { name: 'Try the sample portfolio', ...exact }),
    banner: page.getByRole('banner'),
    nav,
    projectsLink: nav.getByRole('link', { name: 'Projects', ...exact }),
    table,
    // A row whose name cell is exactly `name` (row text runs cells together,
    // so word-boundary matching on it is unreliable).
    row: (name) => table.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) }),
    newProjectName: page.getByLabel('New project name', exact),
    addProject: page.getByRole('button', { name: 'Add project', ...exact }),
    button: (name) => page.getByRole('button', { name, ...exact }),
    field: (label) => page.getByLabel(label, exact),
  };
}

async function createPortfolio(page, { user = 'Ada', portfolio = 'Acme PMO' } = {}) {
  const u = ui(page);
  await expectVisible(u.welcome, 'heading "Welcome to PMO Desk"');
  await u.yourName.fill(user);
  await u.portfolioName.fill(portfolio);
  await u.createButton.click();
  await expectText(u.banner, [portfolio, user], 'the header (banner)');
}

async function goToProjects(page) {
  const u = ui(page);
  if (await u.table.isVisible()) return;
  await u.projectsLink.click();
  await expectVisible(u.table, 'table "Projects"');
}

async function addProject(page, name) {
  const u = ui(page);
  await u.newProjectName.fill(name);
  await u.addProject.click();
  await expectVisible(u.row(name), `a row "${name}" in table "Projects"`);
}

test('first run: create a portfolio, add, rename, reload, delete projects', async (t) => {
  await withProfile(t, async ({ page }) => {
    const u = ui(page);

    await step('open the app', () => openApp(page, server.url));

    await step('first-run screen', async () => {
      await expectVisible(u.welcome, 'heading "Welcome to PMO Desk"');
      await expectVisible(u.yourName, 'text field "Your name"');
      await expectVisible(u.portfolioName, 'text field "Portfolio name"');
      await expectVisible(u.createButton, 'button "Create a new portfolio"');
      await expectVisible(u.openButton, 'button "Open a portfolio file"');
      await expectVisible(u.sampleButton, 'button "Try the sample portfolio"');
    });

    await step('create a portfolio', async () => {
      await createPortfolio(page, { user: 'Ada', portfolio: 'Acme PMO' });
      await expectVisible(u.projectsLink, 'link "Projects" in navigation "Main"');
    });

    await step('add a project', async () => {
      await u.projectsLink.click();
      await expectVisible(u.table, 'table "Projects"');
      await addProject(page, 'Website relaunch');
    });

    await step('rename the project', async () => {
      await u.button('Rename Website relaunch').click();
      await u.field('New name for Website relaunch').fill('Web relaunch');
      await u.button('Save name').click();
      await expectVisible(u.row('Web relaunch'), 'row "Web relaunch"');
      await expectGone(u.row('Website relaunch'), 'row "Website relaunch"');
    });

    await step('reload keeps the data', async () => {
      await reloadApp(page);
      await goToProjects(page);
      await expectVisible(u.row('Web relaunch'), 'row "Web relaunch" after reload');
      await expectText(u.banner, ['Acme PMO', 'Ada'], 'the header after reload');
    });

    await step('delete a project', async () => {
      await addProject(page, 'Temp');
      await u.button('Delete Temp').click();
      await u.button('Confirm delete').click();
      await expectGone(u.row('Temp'), 'row "Temp"');
      await expectVisible(u.row('Web relaunch'), 'row "Web relaunch" after deleting "Temp"');
    });
  });
});

test('a second, fresh browser profile sees the first-run screen, not the first one\'s project', async (t) => {
  await withProfile(
    t,
    async ({ page }) => {
      await openApp(page, server.url);
      await createPortfolio(page, { user: 'Ada', portfolio: 'Acme PMO' });
      await goToProjects(page);
      await addProject(page, 'Secret merger');
    },
    { label: 'first' },
  );
  await withProfile(
    t,
    async ({ page }) => {
      await openApp(page, server.url);
      const u = ui(page);
      await expectVisible(u.welcome, 'heading "Welcome to PMO Desk" in a fresh profile');
      const bannerText = (await u.banner.count()) ? await u.banner.first().innerText() : '';
      assert.ok(!bannerText.includes('Acme PMO'), `fresh profile shows another profile's portfolio: ${bannerText}`);
      // Its own new portfolio starts empty: nothing leaks from the first.
      await createPortfolio(page, { user: 'Ben', portfolio: 'Ben PMO' });
      await goToProjects(page);
      assert.equal(await u.row('Secret merger').count(), 0, 'the first profile\'s project shows in the second');
    },
    { label: 'second' },
  );
});

test('the built site works under a sub-path (/pmo/)', async (t) => {
  const sub = await serveDist({ subPath: '/pmo/' });
  try {
    await withProfile(t, async ({ page }) => {
      await page.goto(sub.url, { waitUntil: 'domcontentloaded' });
      await waitForReady(page);
      const outside = sub.requests.filter((r) => !r.url.startsWith('/pmo/'));
      assert.deepEqual(outside, [], 'every request stays under /pmo/');
      const failed = sub.requests.filter((r) => r.status >= 400);
      assert.deepEqual(failed, [], 'no request failed');
      assert.ok(
        sub.requests.some((r) => r.url.endsWith('.wasm') && r.status === 200),
        'the wasm module was loaded from under /pmo/',
      );
    });
  } finally {
    await sub.close();
  }
});
