// Intake, scoring, selection and stage gates, end to end.
//
// Accessible names this test relies on (the UI implements exactly these):
//   nav "Main" with links "Projects", "Intake", "Selection", "Governance"
//     (and "Exchange", built by the exchange UI);
//   Intake: heading "Intake"; fields "Proposal name", "Sponsor",
//     "Cost estimate", "Duration (months)", "Problem or opportunity";
//     button "Add proposal"; table "Ranking" (one row per proposal, best
//     first, a link per proposal, a "Scorers" column); table "Your scores"
//     with one select per cell labelled "<criterion> score for <proposal>"
//     (options "Not rated", "1 – …" … "5 – …");
//   Proposal page: table "Scores by scorer" (a column per scorer);
//   Selection: field "Budget", selects "Choice for <proposal>", button
//     "Find the best selection", tables "Chosen proposals" and "Left out",
//     an image "Efficient frontier: …", field "Scenario name", button
//     "Save scenario", table "Saved scenarios";
//   Governance: tables "Needs attention" and "Next gates" (links to each
//     project's gate page); gate page: select "Decision", field
//     "Decided by", field "Conditions", button "Record decision", table
//     "Gate decisions"; "Move on without a go (override)" with field
//     "Reason for the override" and button "Override the gate";
//     "Request a change" with fields "Change title", "Schedule impact
//     (days)", "Cost impact", button "Submit change request", table
//     "Change requests" with buttons "Approve <title>", table "Approved
//     changes";
//   Register: table "Projects" with the project's status ("Active").
//   Exchange (exchange UI): first-run file input "Portfolio file";
//     Exchange page button "Export full file" and file input "Import a
//     file"; region "Merge review" after an import.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { serveDist, withProfile, openApp, expectVisible, expectGone, expectText, step } from './harness.mjs';

let server;
let dir;
before(async () => {
  server = await serveDist();
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pmo-governance-'));
});
after(async () => {
  await server?.close();
  await fsp.rm(dir, { recursive: true, force: true });
});

const exact = { exact: true };
const CRITERIA = ['Strategic alignment', 'Financial value', 'Risk', 'Urgency', 'Feasibility'];

function ui(page) {
  const nav = page.getByRole('navigation', { name: 'Main', ...exact });
  return {
    nav,
    link: (name) => nav.getByRole('link', { name, ...exact }),
    button: (name) => page.getByRole('button', { name, ...exact }),
    field: (label) => page.getByLabel(label, exact),
    table: (name) => page.getByRole('table', { name, ...exact }),
    heading: (name) => page.getByRole('heading', { name, ...exact }),
    banner: page.getByRole('banner'),
  };
}

/** Rows of a table whose header cell (th scope=row) is exactly `name`. */
function rowOf(page, table, name) {
  return ui(page)
    .table(table)
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name, exact: true }) });
}

async function goTo(page, name, hash) {
  await ui(page).link(name).click();
  await page.waitForFunction((h) => location.hash.startsWith(h), hash);
}

async function createPortfolio(page, user) {
  const u = ui(page);
  await expectVisible(u.heading('Welcome to PMO Desk'), 'the welcome screen');
  await u.field('Your name').fill(user);
  await u.field('Portfolio name').fill('Acme PMO');
  await u.button('Create a new portfolio').click();
  await expectText(u.banner, ['Acme PMO', user], 'the header');
}

async function addProposal(page, { name, sponsor, cost, months, problem }) {
  const u = ui(page);
  await u.field('Proposal name').fill(name);
  await u.field('Sponsor').fill(sponsor);
  await u.field('Cost estimate').fill(cost);
  await u.field('Duration (months)').fill(months);
  await u.field('Problem or opportunity').fill(problem);
  await u.button('Add proposal').click();
  await expectVisible(rowOf(page, 'Ranking', name), `"${name}" in the ranking`);
}

/** Rates one proposal on every criterion, in CRITERIA order. */
async function score(page, proposal, ratings) {
  for (const [i, criterion] of CRITERIA.entries()) {
    const select = ui(page).field(`${criterion} score for ${proposal}`);
    await select.selectOption(String(ratings[i]));
    // Each rating is its own change; wait until it is applied.
    await page.waitForFunction(
      ([label, value]) => document.querySelector(`select[aria-label="${label}"]`)?.value === value,
      [`${criterion} score for ${proposal}`, String(ratings[i])],
    );
  }
}

/** Proposal names in table "Ranking", best first. */
async function ranking(page) {
  const heads = ui(page).table('Ranking').locator('tbody th[scope="row"]');
  return (await heads.allInnerTexts()).map((s) => s.trim());
}

/** Waits (the page renders after navigation) until the ranking lists `expected`. */
async function expectRanking(page, expected, what) {
  const deadline = Date.now() + 10_000;
  let seen = await ranking(page);
  while (JSON.stringify(seen) !== JSON.stringify(expected) && Date.now() < deadline) {
    await page.waitForTimeout(100);
    seen = await ranking(page);
  }
  assert.deepEqual(seen, expected, what);
}

async function exportFull(page) {
  await goTo(page, 'Exchange', '#/exchange');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    ui(page).button('Export full file').click(),
  ]);
  const file = path.join(dir, `${Date.now()}-${download.suggestedFilename()}`);
  await download.saveAs(file);
  return file;
}

async function importInto(page, file) {
  await goTo(page, 'Exchange', '#/exchange');
  await ui(page).field('Import a file').setInputFiles(file);
  await expectVisible(page.getByRole('region', { name: 'Merge review', ...exact }), 'the merge review', {
    timeout: 30_000,
  });
}

const PROPOSALS = [
  { name: 'CRM renewal', sponsor: 'Sales', cost: '400000', months: '12', problem: 'The CRM is out of support.' },
  { name: 'Data platform', sponsor: 'Finance', cost: '250k', months: '9', problem: 'Reports take days.' },
  { name: 'Mobile app', sponsor: 'Marketing', cost: '200000', months: '6', problem: 'Customers ask for an app.' },
];

// Weighted totals (weights 30/25/15/15/15, risk inverse) — Ada: CRM 100,
// Data 75, Mobile 63.75; Ben: CRM 82.5, Data 81.25, Mobile 78.75. Means:
// CRM 91.25 > Data 78.1 > Mobile 71.25. Ada and Ben rate CRM's risk 1 and
// 3: two points apart on 1–5, flagged as disagreement.
const ADA = { 'CRM renewal': [5, 5, 1, 5, 5], 'Data platform': [4, 4, 2, 4, 4], 'Mobile app': [3, 4, 2, 4, 3] };
const BEN = { 'CRM renewal': [5, 4, 3, 5, 4], 'Data platform': [4, 5, 2, 4, 4], 'Mobile app': [4, 4, 2, 5, 4] };

test('three proposals scored by two people in two browsers, exchanged, ranked, selected and approved', async (t) => {
  await withProfile(
    t,
    async ({ page: ada }) => {
      await withProfile(
        t,
        async ({ page: ben }) => {
          const a = ui(ada);
          const b = ui(ben);

          await step('Ada enters three proposals and scores them', async () => {
            await openApp(ada, server.url);
            await createPortfolio(ada, 'Ada');
            await goTo(ada, 'Intake', '#/intake');
            await expectVisible(a.heading('Intake'), 'heading "Intake"');
            for (const p of PROPOSALS) await addProposal(ada, p);
            for (const [name, ratings] of Object.entries(ADA)) await score(ada, name, ratings);
            await expectRanking(ada, ['CRM renewal', 'Data platform', 'Mobile app'], 'the ranking');
          });

          const full = await step('Ada exports the full file', () => exportFull(ada));

          await step('Ben opens it in his browser and scores the same proposals', async () => {
            await openApp(ben, server.url);
            await expectVisible(b.heading('Welcome to PMO Desk'), 'the welcome screen');
            await b.field('Your name').fill('Ben');
            await b.field('Portfolio file').setInputFiles(full);
            await expectText(b.banner, ['Acme PMO', 'Ben'], "Ben's header");
            await goTo(ben, 'Intake', '#/intake');
            // Ben sees Ada's ratings next to his own empty ones.
            await expectText(rowOf(ben, 'Your scores', 'CRM renewal'), ['Ada: 5'], "Ada's ratings at Ben");
            for (const [name, ratings] of Object.entries(BEN)) await score(ben, name, ratings);
          });

          const fromBen = await step('Ben exports his file', () => exportFull(ben));

          await step('Ada imports it and sees both scorers and the ranking', async () => {
            await importInto(ada, fromBen);
            await goTo(ada, 'Intake', '#/intake');
            await expectRanking(ada, ['CRM renewal', 'Data platform', 'Mobile app'], 'the ranking');
            const crm = rowOf(ada, 'Ranking', 'CRM renewal');
            await expectText(crm, ['Ada, Ben', 'Scorers disagree on Risk'], 'the CRM row of the ranking');
            await expectText(rowOf(ada, 'Your scores', 'Data platform'), ['Ben: 5'], "Ben's ratings at Ada");
            await a.table('Ranking').getByRole('link', { name: 'CRM renewal', ...exact }).click();
            const byScorer = a.table('Scores by scorer');
            await expectVisible(byScorer, 'table "Scores by scorer"');
            await expectText(byScorer, ['Ada', 'Ben'], 'both scorers as columns');
            await expectText(rowOf(ada, 'Scores by scorer', 'Risk'), ['1', '3', 'Scorers disagree'], 'the risk row');
          });

          await step('Ada runs selection under a budget of 500,000', async () => {
            await goTo(ada, 'Selection', '#/selection');
            await a.field('Budget').fill('500000');
            await a.button('Find the best selection').click();
            const chosen = a.table('Chosen proposals');
            await expectVisible(chosen, 'table "Chosen proposals"');
            // The best set is not the ranking's top: two smaller ones score more.
            await expectVisible(rowOf(ada, 'Chosen proposals', 'Data platform'), 'Data platform chosen');
            await expectVisible(rowOf(ada, 'Chosen proposals', 'Mobile app'), 'Mobile app chosen');
            await expectText(rowOf(ada, 'Left out', 'CRM renewal'), ['Does not fit the remaining budget'], 'why CRM is left out');
            await expectVisible(ada.getByRole('img', { name: /^Efficient frontier/ }), 'the frontier chart');
            await a.field('Scenario name').fill('Half a million');
            await a.button('Save scenario').click();
            await expectVisible(rowOf(ada, 'Saved scenarios', 'Half a million'), 'the saved scenario');
          });

          await step('a second scenario with more budget, compared side by side', async () => {
            await a.field('Budget').fill('1000000');
            await a.button('Find the best selection').click();
            await expectVisible(rowOf(ada, 'Chosen proposals', 'CRM renewal'), 'CRM chosen with more budget');
            await a.field('Scenario name').fill('One million');
            await a.button('Save scenario').click();
            await expectVisible(rowOf(ada, 'Saved scenarios', 'One million'), 'the second scenario');
            await ada.getByLabel('Compare Half a million').check();
            await ada.getByLabel('Compare One million').check();
            const comparison = a.table('Scenario comparison');
            await expectVisible(comparison, 'table "Scenario comparison"');
            const heads = await comparison.locator('thead th').allInnerTexts();
            assert.deepEqual(heads.map((h) => h.trim()), ['Scenario', 'Half a million', 'One million']);
            await expectText(rowOf(ada, 'Scenario comparison', 'Proposals chosen'), ['2', '3'], 'how many each chose');
            await expectText(rowOf(ada, 'Scenario comparison', 'CRM renewal'), ['\u2014', 'Chosen'], 'CRM only in the larger one');
            await expectText(rowOf(ada, 'Scenario comparison', 'Data platform'), ['Chosen'], 'Data platform in both');
          });

          await step('Ada approves the top chosen proposal at its investment gate', async () => {
            await goTo(ada, 'Governance', '#/governance');
            await expectText(rowOf(ada, 'Needs attention', 'Data platform'), ['Waiting for a decision'], 'the open decision');
            await a.table('Next gates').getByRole('link', { name: 'Data platform', ...exact }).click();
            await expectVisible(a.heading('Next gate: Investment decision (Business case → Planning)'), 'the next gate');
            await a.field('Decision').selectOption('go');
            await a.field('Decided by').fill('Investment board');
            await a.field('Conditions').fill('Report progress monthly.');
            await a.button('Record decision').click();
            const decisions = a.table('Gate decisions');
            await expectText(decisions, ['Investment decision', 'Go', 'Investment board', 'Report progress monthly.'], 'the gate history');
            await expectVisible(ada.getByRole('listitem').filter({ hasText: 'Planning (current stage)' }), 'stage Planning');
          });

          await step('it is an active project in the register', async () => {
            await goTo(ada, 'Projects', '#/projects');
            const row = ada
              .getByRole('table', { name: 'Projects', exact: true })
              .getByRole('row')
              .filter({ hasText: 'Data platform' });
            await expectText(row, ['Active'], 'the register row of Data platform');
            await goTo(ada, 'Intake', '#/intake');
            await expectRanking(ada, ['CRM renewal', 'Mobile app'], 'it left the proposals');
          });
        },
        { label: 'ben' },
      );
    },
    { label: 'ada' },
  );
});

test('gate rules: no move without a go unless overridden with a reason; change requests update the plan', async (t) => {
  await withProfile(t, async ({ page }) => {
    const u = ui(page);
    await step('a proposal waiting at its investment gate', async () => {
      await openApp(page, server.url);
      await createPortfolio(page, 'Ada');
      await goTo(page, 'Intake', '#/intake');
      await addProposal(page, PROPOSALS[2]);
      await goTo(page, 'Governance', '#/governance');
      await page.getByRole('table', { name: 'Next gates', exact: true }).getByRole('link', { name: 'Mobile app', exact: true }).click();
      await expectText(page.getByRole('list', { name: 'Gate checklist' }), ['Not met', 'Expected benefits listed'], 'the checklist');
    });

    await step('a hold keeps it waiting', async () => {
      await u.field('Decision').selectOption('hold');
      await u.button('Record decision').click();
      await expectText(u.table('Gate decisions'), ['Hold'], 'the hold');
      await expectVisible(page.getByRole('listitem').filter({ hasText: 'Business case (current stage)' }), 'still in Business case');
    });

    await step('an override needs a real reason, which is kept and shown', async () => {
      await page.getByText('Move on without a go (override)').click();
      await u.field('Reason for the override').fill('asap');
      await u.button('Override the gate').click();
      await expectText(page.getByRole('alert'), ['Give a reason for the override'], 'the refusal');
      await expectVisible(page.getByRole('listitem').filter({ hasText: 'Business case (current stage)' }), 'not moved');
      await u.field('Reason for the override').fill('Board meets in May; the CEO approved the start.');
      await u.button('Override the gate').click();
      await expectText(u.table('Gate decisions'), ['Override (no go)', 'Reason: Board meets in May; the CEO approved the start.'], 'the kept reason');
      await expectVisible(page.getByRole('listitem').filter({ hasText: 'Planning (current stage)' }), 'moved to Planning');
    });

    await step('change requests: bad input is refused, an approval updates the budget', async () => {
      await page.getByText('Request a change', exact).click();
      await u.field('Change title').fill('Add offline mode');
      await u.field('Schedule impact (days)').fill('30');
      await u.field('Cost impact').fill('abc');
      await u.button('Submit change request').click();
      await expectText(page.getByRole('alert'), ['Cost impact'], 'the bad amount');
      await u.field('Cost impact').fill('20000');
      await u.button('Submit change request').click();
      await expectText(rowOf(page, 'Change requests', 'Add offline mode'), ['Submitted', 'planned end +30 days'], 'the request');
      // The project has no planned end yet: a schedule change cannot apply.
      await u.button('Approve Add offline mode').click();
      await expectText(page.getByRole('alert'), ['no planned end date'], 'the refusal');
      await u.button('Reject Add offline mode').click();
      await expectText(rowOf(page, 'Change requests', 'Add offline mode'), ['Rejected by Ada'], 'the rejection');

      await u.field('Change title').fill('Extra tester');
      await u.field('Schedule impact (days)').fill('');
      await u.field('Cost impact').fill('15k');
      await u.button('Submit change request').click();
      await u.button('Approve Extra tester').click();
      await expectText(rowOf(page, 'Change requests', 'Extra tester'), ['Approved by Ada'], 'the approval');
      // The override activated the proposal with its estimate as budget.
      await expectText(rowOf(page, 'Approved changes', 'Extra tester'), ['200,000 EUR → 215,000 EUR', 'Ada'], 'the approved-change history');
    });

    await step('the project page shows the approved change and keeps stages behind their gates', async () => {
      await page.getByRole('link', { name: 'Project record' }).click();
      await expectVisible(u.heading('Gates and approved changes'), 'the gates section of the project page');
      await expectText(rowOf(page, 'Approved changes', 'Extra tester'), ['200,000 EUR → 215,000 EUR'], 'the approved change on the project page');
      // Planning → Execution needs a go at the plan approval gate.
      await u.field('Lifecycle stage').selectOption('execution');
      await expectText(page.locator('#field-stage-error'), ['cannot move on without a recorded go'], 'the refused stage move');
      await u.field('Lifecycle stage').selectOption('planning');
      await expectGone(page.locator('#field-stage-error'), 'the error once the stage is left as it was');
    });
  });
});
