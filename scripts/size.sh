#!/usr/bin/env bash
# Prints the download size of the release build in dist/ (wasm raw, gzip -9,
# brotli q11; plus JS/CSS/HTML) and records one row per commit in
# benches/results/size.md (re-running on the same commit replaces its row).
# Usage: scripts/size.sh [note]     (build first: make dist)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DIST="${PMO_DIST:-dist}"
OUT="benches/results/size.md"
ls "$DIST"/*.wasm >/dev/null 2>&1 || { echo "size: no .wasm in $DIST/; run \`make dist\` first" >&2; exit 1; }

commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain -- src Cargo.toml Cargo.lock index.html style Trunk.toml 2>/dev/null)" ]; then
  commit="${commit}-dirty"
fi

DIST="$DIST" OUT="$OUT" COMMIT="$commit" NOTE="${1:-}" node --input-type=module - <<'JS'
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const { DIST, OUT, COMMIT, NOTE } = process.env;
const kinds = { '.wasm': 'wasm', '.js': 'js', '.css': 'css', '.html': 'html' };
const sum = {};
// Per wasm file: the app and the import worker (fetched on the first import).
const wasmFiles = [];
for (const f of fs.readdirSync(DIST)) {
  const kind = kinds[path.extname(f)];
  if (!kind) continue;
  const buf = fs.readFileSync(path.join(DIST, f));
  const s = (sum[kind] ??= { raw: 0, gzip: 0, brotli: 0, files: [] });
  s.raw += buf.length;
  s.gzip += zlib.gzipSync(buf, { level: 9 }).length;
  s.brotli += zlib.brotliCompressSync(buf, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
    },
  }).length;
  s.files.push(f);
  if (kind === 'wasm') {
    wasmFiles.push({ f, raw: buf.length, gzip: zlib.gzipSync(buf, { level: 9 }).length,
      brotli: zlib.brotliCompressSync(buf, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length });
  }
}
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const total = Object.values(sum).reduce(
  (a, s) => ({ raw: a.raw + s.raw, gzip: a.gzip + s.gzip, brotli: a.brotli + s.brotli }),
  { raw: 0, gzip: 0, brotli: 0 },
);

console.log(`Release build in ${DIST}/ (commit ${COMMIT})`);
console.log(`  ${'kind'.padEnd(6)} ${'raw'.padStart(12)} ${'gzip -9'.padStart(12)} ${'brotli 11'.padStart(12)}`);
for (const [k, s] of Object.entries(sum).sort()) {
  console.log(`  ${k.padEnd(6)} ${kb(s.raw).padStart(12)} ${kb(s.gzip).padStart(12)} ${kb(s.brotli).padStart(12)}`);
}
console.log(`  ${'total'.padEnd(6)} ${kb(total.raw).padStart(12)} ${kb(total.gzip).padStart(12)} ${kb(total.brotli).padStart(12)}`);

const header = [
  '# Release download size',
  '',
  'Recorded by `make size` (scripts/size.sh) from `make dist` output. Sizes in KiB;',
  'gzip level 9, brotli quality 11. One row per commit (`-dirty`: uncommitted',
  'changes to the app); re-running on the same commit replaces its row.',
  '',
  '| Date (UTC) | Commit | wasm raw | wasm gzip | wasm brotli | JS brotli | CSS brotli | total brotli | Note |',
  '|---|---|---:|---:|---:|---:|---:|---:|---|',
];
const n = (v) => (v / 1024).toFixed(1);
const w = sum.wasm ?? { raw: 0, gzip: 0, brotli: 0 };
const row = `| ${new Date().toISOString().slice(0, 16).replace('T', ' ')} | ${COMMIT} | ${n(w.raw)} | ${n(w.gzip)} | ${n(w.brotli)} | ${n(sum.js?.brotli ?? 0)} | ${n(sum.css?.brotli ?? 0)} | ${n(total.brotli)} | ${NOTE ?? ''} |`;

let rows = [];
if (fs.existsSync(OUT)) {
  rows = fs.readFileSync(OUT, 'utf8').split('\n').filter((l) => /^\| \d{4}-/.test(l));
}
rows = rows.filter((l) => l.split('|')[2].trim() !== COMMIT);
rows.push(row);
fs.mkdirSync(path.dirname(OUT), { recursive: true });
const role = (f) => (f.startsWith('import_worker') ? 'import worker' : 'app');
const split = wasmFiles
  .sort((a, b) => b.raw - a.raw)
  .map((x) => `${role(x.f)} ${n(x.raw)} / ${n(x.gzip)} / ${n(x.brotli)}`)
  .join('; ');
console.log(`  wasm by file (raw / gzip / brotli KiB): ${split}`);
const footer = ['', `Latest wasm by file at ${COMMIT} (raw / gzip / brotli, KiB): ${split}.`, ''];
fs.writeFileSync(OUT, [...header, ...rows, ...footer].join('\n'));
console.log(`recorded in ${OUT}`);
JS
