#!/usr/bin/env node
// Runs the end-to-end suite (tests/e2e/*.test.mjs) against the built dist/.
// Usage: node tests/e2e/run.mjs [name-filter ...]
//   E2E_TEST_TIMEOUT (ms, default 120000) per test; PMO_DIST overrides dist/.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const dist = path.resolve(process.env.PMO_DIST ?? path.join(root, 'dist'));
if (!fs.existsSync(path.join(dist, 'index.html'))) {
  console.error(`e2e: ${path.relative(root, dist) || dist}/index.html not found; run \`make dist\` first`);
  process.exit(2);
}
const filters = process.argv.slice(2);
const files = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.test.mjs'))
  .filter((f) => !filters.length || filters.some((x) => f.includes(x)))
  .sort()
  .map((f) => path.join(here, f));
if (!files.length) {
  console.error('e2e: no test files matched');
  process.exit(2);
}
const timeout = process.env.E2E_TEST_TIMEOUT ?? '120000';
const args = ['--test', `--test-timeout=${timeout}`, '--test-concurrency=1', '--test-reporter=spec', ...files];
const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
