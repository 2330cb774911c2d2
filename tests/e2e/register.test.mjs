// Register journey: load the sample, use the dashboard, filter/sort/export
// the register, edit a project until it turns red (and see validation
// refuse bad input), see the dashboard change, reload, still there.
// Also: overrides, the roadmap's keyboard use, settings and programs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import {
  serveDist,
  withProfile,
  openApp,
  reloadApp,
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
    nav,
    link: (name) => nav.getByRole('link', { name, ...exact }),
    table,
    rows: table.locator('tbody tr:not(.group-row)'),
    // The row whose name cell is exactly `name`.
    row: (name) => table.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) }),
    count: page.locator('.register-summary [role=status]'),
    field: (label) => page.getByLabel(label, exact),
    button: (name) => page.getByRole('button', { name, ...exact }),
    tile: (name) => page.getByRole('link', { name, ...exact }),
    heading: (name) => page.getByRole('heading', { name, ...exact }),
  };
}

async function startWithSample(page) {
  const u = ui(page);
  await openApp(page, server.url);
  await u.field('Your name').fill('Ada');
  await u.button('Try the sample portfolio').click();
  await expectVisible(u.heading('Dashboard'), 'the dashboard after loading the sample');
  await expectText(page.getByRole('banner'), ['Northwind Logistics (sample)', 'Ada'], 'the header');
}

/** Commits a field edit the way a person does: type, then leave the field. */
async function edit(page, label, value) {
  const field = ui(page).field(label);
  await field.fill(value);
  await field.press('Tab');
}

test('sample → filter → edit until red → dashboard changes → reload keeps it', async (t) => {
  await withProfile(t, async ({ page }) => {
    const u = ui(page);

    await step('load the sample from the first-run screen', () => startWithSample(page));

    await step('dashboard tiles show the sample figures', async () => {
      await expectVisible(u.tile('Active projects: 19'), 'tile "Active projects: 19"');
      await expectVisible(u.tile('Red: 3 active projects'), 'tile "Red: 3 active projects"');
      await expectVisible(u.tile('Projects needing attention: 10'), 'attention tile');
    });

    await step('a tile opens the register filtered to what it counts', async () => {
      await u.tile('Red: 3 active projects').click();
      await expectVisible(u.table, 'table "Projects"');
      await expectText(u.count, 'Showing 3 of 27 projects', 'the row count');
      assert.equal(await u.rows.count(), 3);
      assert.equal(await u.field('Health').inputValue(), 'red');
      assert.equal(await u.field('Status').inputValue(), 'active');
      assert.match(page.url(), /#\/projects\?status=active&health=red$/);
    });

    await step('free-text search, filters and grouping narrow the register', async () => {
      await u.button('Clear filters').click();
      await expectText(u.count, '27 projects', 'the row count after clearing');
      await u.field('Search projects').fill('cloud');
      await expectText(u.count, 'Showing 2 of 27 projects', 'rows matching "cloud"');
      await expectVisible(u.row('ERP cloud migration'), 'row "ERP cloud migration"');
      await u.field('Search projects').fill('');
      await u.field('Program').selectOption({ label: 'Operational Excellence' });
      await expectText(u.count, 'Showing 9 of 27 projects', 'rows in Operational Excellence');
      await u.field('Manager').selectOption('Hannah Schmidt');
      await expectText(u.count, 'Showing 2 of 27 projects', 'rows managed by Hannah Schmidt');
      // The address follows once typing pauses.
      await page.waitForURL(/program=sample-prg-opx&manager=Hannah%20Schmidt/);
      await u.button('Clear filters').click();
      await u.field('Group by').selectOption('program');
      await expectVisible(
        u.table.getByRole('columnheader', { name: /Platform and Security \(8 projects\)/ }),
        'group header "Platform and Security (8 projects)"',
      );
      await u.field('Group by').selectOption('');
    });

    await step('sorting by a column header', async () => {
      const budget = u.table.getByRole('columnheader', { name: 'Budget' });
      await budget.getByRole('button').click();
      assert.equal(await budget.getAttribute('aria-sort'), 'descending');
      await expectText(u.rows.first(), 'ERP cloud migration', 'the largest budget first');
      await budget.getByRole('button').click();
      assert.equal(await budget.getAttribute('aria-sort'), 'ascending');
      await expectText(u.rows.first(), 'Customer service knowledge base', 'the smallest budget first');
    });

    await step('open a green project', async () => {
      await u.field('Search projects').fill('route optimisation');
      await u.row('Route optimisation').getByRole('link', { name: 'Route optimisation' }).click();
      await expectVisible(u.heading('OPX-202 Route optimisation'), 'the project page');
      await expectText(page.locator('.overall'), 'Green', 'overall health before the edit');
    });

    await step('invalid input is refused next to its field and not stored', async () => {
      await edit(page, 'Percent complete', '150');
      const percent = u.field('Percent complete');
      await expectText(page.locator('#field-percent_complete-error'), 'Percent complete must be between 0 and 100.', 'the percent error');
      assert.equal(await percent.getAttribute('aria-invalid'), 'true');
      assert.match(await percent.getAttribute('aria-describedby'), /field-percent_complete-error/);
      await edit(page, 'Actual cost to date', '-5');
      await expectText(page.locator('#field-actual_cost-error'), 'Actual cost cannot be negative.', 'the negative money error');
      await edit(page, 'Planned end', '2020-01-01');
      await expectText(page.locator('#field-planned_end-error'), 'Planned end is before the planned start', 'the date order error');
      await edit(page, 'Code', 'DCX-101');
      await expectText(page.locator('#field-code-error'), 'Code DCX-101 is already used by Customer portal redesign', 'the duplicate code error');
      await edit(page, 'Name', '  ');
      await expectText(page.locator('#field-name-error'), 'Enter a project name.', 'the missing name error');
      await reloadApp(page);
      await expectVisible(u.heading('OPX-202 Route optimisation'), 'the project page after reload');
      assert.notEqual(await u.field('Percent complete').inputValue(), '150');
      assert.equal(await u.field('Actual cost to date').inputValue(), '210000');
      assert.equal(await u.field('Code').inputValue(), 'OPX-202');
    });

    await step('cut the budget below the forecast: the project turns red, explained', async () => {
      await edit(page, 'Budget', '376,000');
      await expectText(page.locator('.overall'), 'Red', 'overall health after the edit');
      await expectText(
        page.getByRole('table', { name: 'Health by dimension' }),
        'Forecast at completion EUR 470,000 is 25% over budget EUR 376,000 (red above 10%).',
        'the budget explanation',
      );
    });

    await step('the dashboard tile changes', async () => {
      await u.link('Dashboard').click();
      await expectVisible(u.tile('Red: 4 active projects'), 'tile "Red: 4 active projects"');
    });

    await step('reload: still there', async () => {
      await reloadApp(page);
      await expectVisible(u.tile('Red: 4 active projects'), 'tile "Red: 4 active projects" after reload');
      await u.tile('Red: 4 active projects').click();
      await expectVisible(u.row('Route optimisation'), 'row "Route optimisation" among red projects');
      await reloadApp(page);
      await expectText(u.count, 'Showing 4 of 27 projects', 'the filtered register after reload');
    });

    await step('export the current view as CSV', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), u.button('Export CSV').click()]);
      assert.match(download.suggestedFilename(), /^projects-register-\d{4}-\d{2}-\d{2}\.csv$/);
      const text = await fs.readFile(await download.path(), 'utf8');
      const lines = text.replace(/^\ufeff/, '').trimEnd().split('\r\n');
      assert.equal(lines.length, 5, `header and 4 rows:\n${text}`);
      assert.match(lines[0], /^Code,Name,Program,Objectives,Manager,/);
      assert.ok(lines.some((l) => l.startsWith('OPX-202,Route optimisation,Operational Excellence,')), text);
      assert.ok(lines.slice(1).every((l) => l.includes(',Red,')), text);
    });
  });
});

test('health override with a mandatory reason; roadmap by keyboard', async (t) => {
  await withProfile(t, async ({ page }) => {
    const u = ui(page);
    await startWithSample(page);

    await step('an override needs a reason and shows as overridden', async () => {
      await page.goto(`${server.url}#/project/sample-prj-opx-202`);
      await expectVisible(u.heading('OPX-202 Route optimisation'), 'the project page');
      await u.button('Override Risks health').click();
      await u.field('Rating for Risks').selectOption('red');
      await u.button('Save override').click();
      await expectText(page.getByRole('alert'), 'Give a reason', 'the missing reason message');
      await u.field('Reason for the risks override').fill('Key supplier in insolvency proceedings.');
      await u.button('Save override').click();
      const health = page.getByRole('table', { name: 'Health by dimension' });
      await expectText(health, ['Overridden.', 'Set by Ada on', 'Key supplier in insolvency proceedings.'], 'the override');
      await expectText(page.locator('.overall'), 'Red', 'overall follows the override');
      await reloadApp(page);
      await expectText(health, 'Key supplier in insolvency proceedings.', 'the override after reload');
      await u.button('Clear Risks override').click();
      await expectGone(health.getByText('Key supplier in insolvency proceedings.'), 'the cleared override');
    });

    await step('roadmap: focus a bar, see its details, move with arrows, Enter opens it', async () => {
      await u.link('Roadmap').click();
      await expectVisible(u.heading('Roadmap'), 'the roadmap');
      const bars = page.locator('svg [role=link]');
      assert.ok((await bars.count()) >= 20, 'a bar per scheduled project');
      const first = bars.first();
      await first.focus();
      const name = await first.getAttribute('aria-label');
      assert.match(name, /planned \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}/);
      assert.match(name, /health (Green|Amber|Red)/);
      await expectVisible(page.getByRole('tooltip'), 'the details tooltip');
      await page.keyboard.press('ArrowDown');
      const second = await page.evaluate(() => document.activeElement.getAttribute('aria-label'));
      assert.equal(second, await bars.nth(1).getAttribute('aria-label'));
      await expectText(page.getByRole('tooltip'), second.split(';')[0], 'the tooltip of the second bar');
      await page.keyboard.press('Enter');
      await expectVisible(u.heading(second.split(';')[0]), 'the project page opened with Enter');
    });
  });
});

test('settings: thresholds change health; programs and objectives are managed', async (t) => {
  await withProfile(t, async ({ page }) => {
    const u = ui(page);
    await startWithSample(page);

    await step('a stricter budget threshold turns more projects red', async () => {
      await u.link('Settings').click();
      await expectVisible(u.heading('Settings'), 'the settings page');
      await u.field('Budget overrun red (%)').fill('2');
      await u.button('Save settings').click();
      await expectText(page.locator('#setting-budget_red_pct-error'), 'must not be below the amber threshold', 'the threshold order error');
      await u.field('Budget overrun amber (%)').fill('1');
      await u.field('Currency').fill('usd');
      await u.button('Save settings').click();
      await expectText(page.getByRole('status'), 'Settings saved.', 'the saved notice');
      await u.link('Dashboard').click();
      await expectVisible(u.tile('Red: 9 active projects'), 'more red projects under the stricter threshold');
      await expectText(page.locator('.tiles'), 'USD', 'money in the new currency');
    });

    await step('add, rename and delete a program; projects follow', async () => {
      await u.link('Settings').click();
      await u.field('Program name').fill('Sustainability');
      await u.field('Owner').fill('Ruth Adler');
      await u.button('Add program').click();
      const programs = page.getByRole('table', { name: 'Programs' });
      await expectVisible(programs.getByRole('row').filter({ hasText: 'Sustainability' }), 'the new program');
      await u.field('Program name').fill('sustainability');
      await u.button('Add program').click();
      await expectText(page.locator('#new-program-error'), 'A program called sustainability already exists.', 'the duplicate name error');
      await u.button('Delete Platform and Security').click();
      await expectText(programs, '8 project(s) will no longer belong to a program', 'the delete warning');
      await u.button('Confirm delete').click();
      await expectGone(programs.getByRole('row').filter({ hasText: 'Platform and Security' }), 'the deleted program');
      await page.goto(`${server.url}#/projects?program=none`);
      await expectText(u.count, 'Showing 8 of 27 projects', 'projects now without a program');
    });

    await step('objectives: add with a weight, reject a negative weight', async () => {
      await u.link('Settings').click();
      await u.field('Objective name').fill('Reduce emissions');
      await u.field('Weight').fill('-3');
      await u.button('Add objective').click();
      await expectText(page.locator('#new-objective-error'), 'Weight must be zero or a positive number.', 'the weight error');
      await u.field('Weight').fill('12');
      await u.button('Add objective').click();
      await expectVisible(
        page.getByRole('table', { name: 'Objectives' }).getByRole('row').filter({ hasText: 'Reduce emissions' }),
        'the new objective',
      );
    });

    await step('remove and re-add the sample data', async () => {
      await u.button('Remove sample data').click();
      await u.button('Confirm removal').click();
      await u.link('Projects').click();
      await expectText(u.count, '0 projects', 'an empty register');
      await u.link('Settings').click();
      await u.button('Load sample portfolio').click();
      await u.button('Add sample data').click();
      await u.link('Projects').click();
      await expectText(u.count, '27 projects', 'the sample back');
    });
  });
});
