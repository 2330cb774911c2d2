// Interop with the official JS Automerge (@automerge/automerge), following
// docs/file-format.md only:
//   1. Rust writes app files            (cargo test … write_app_files)
//   2. JS reads them and edits one       (this script)
//   3. Rust imports and merges the edit  (cargo test … import_js_file)
// Run from the repository root: `node tests/interop/run.mjs`.
import * as A from "@automerge/automerge";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { deflateSync, inflateSync } from "node:zlib";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
const dir = join(root, "target/interop");

function cargo(test) {
  const args = ["test", "--test", "exchange_interop", "--", "--ignored", "--exact", test];
  console.log(`$ cargo ${args.join(" ")}`);
  const r = spawnSync("cargo", args, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// Strings the app writes are plain scalars: JS hands them over as
// ImmutableString objects. Strings JS writes are Text: plain JS strings.
const str = (v) => (v === undefined || v === null ? v : String(v));

/** Reads a changes packet: signature, version, header length, JSON header, zlib body. */
function readPacket(bytes) {
  const signature = [0x89, 0x50, 0x4d, 0x4f, 0x58, 0x0d, 0x0a, 0x1a];
  assert.deepEqual([...bytes.subarray(0, 8)], signature, "packet signature");
  assert.equal(bytes[8], 1, "envelope version");
  const len = new DataView(bytes.buffer, bytes.byteOffset + 9, 4).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(13, 13 + len)));
  const changes = inflateSync(bytes.subarray(13 + len));
  assert.equal(changes.length, header.bytes);
  return { header, changes: new Uint8Array(changes) };
}

cargo("write_app_files");
const expect = JSON.parse(readFileSync(join(dir, "expect.json"), "utf8"));

// (1) Load the app's full file and read it by the documented layout.
let doc = A.load(new Uint8Array(readFileSync(join(dir, "app.pmo"))), { actor: expect.js_actor });
assert.equal(str(doc.format), "pmo-desk");
// `schema` is an unsigned integer: JS reads it as a BigInt.
assert.equal(Number(doc.schema), 1);
assert.equal(str(doc.portfolio_id), expect.portfolio_id);
assert.equal(str(doc.name), expect.name);
const names = Object.fromEntries(Object.entries(doc.projects).map(([id, p]) => [id, str(p.name)]));
assert.deepEqual(names, expect.projects);
const web = doc.projects.p1;
assert.equal(str(web.code), "WEB");
assert.equal(str(web.description), "Replace the old site.");
assert.deepEqual([...web.tags].map(str), ["web", "cx"]);
assert.equal(web.objectives.o1, 3);
assert.equal(web.budget, 120000);
assert.equal(str(doc.actors["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]), "Ada");
console.log(`read "${str(doc.name)}" with ${Object.keys(doc.projects).length} projects`);

// (1b) A changes packet applies onto the earlier full file.
const { header, changes } = readPacket(new Uint8Array(readFileSync(join(dir, "app-changes.pmo"))));
assert.equal(header.type, "pmo-desk-changes");
assert.equal(header.portfolio_id, expect.portfolio_id);
let older = A.load(new Uint8Array(readFileSync(join(dir, "app-base.pmo"))));
assert.deepEqual([...A.getHeads(older)].sort(), [...header.base].sort(), "packet builds on the base file");
older = A.loadIncremental(older, changes);
assert.deepEqual([...A.getHeads(older)].sort(), [...header.version].sort());
assert.equal(str(older.projects.p2.name), "Data platform");
console.log(`applied a packet of ${header.changes} change(s) from ${header.sender_name}`);

/** Writes a changes packet: the documented envelope around zlib(saveSince). */
function writePacket(doc, base, senderActor, senderName) {
  const changes = A.saveSince(doc, base);
  const header = new TextEncoder().encode(
    JSON.stringify({
      type: "pmo-desk-changes",
      portfolio_id: String(doc.portfolio_id),
      portfolio_name: String(doc.name),
      schema: Number(doc.schema),
      sender_actor: senderActor,
      sender_name: senderName,
      base,
      version: A.getHeads(doc),
      changes: A.getChanges(A.view(doc, base), doc).length,
      bytes: changes.length,
    }),
  );
  const out = new Uint8Array(13 + header.length);
  out.set([0x89, 0x50, 0x4d, 0x4f, 0x58, 0x0d, 0x0a, 0x1a, 1]);
  new DataView(out.buffer).setUint32(9, header.length, true);
  out.set(header, 13);
  return Buffer.concat([out, deflateSync(changes)]);
}

const appHeads = A.getHeads(doc);

// (2) Edit per the layout: add a project, change a field, splice text,
// record our name in `actors`; message and time (seconds) on the change.
doc = A.change(doc, { message: "Add project Added by a script", time: Math.floor(Date.now() / 1000) }, (d) => {
  d.actors[expect.js_actor] = "Script Robot";
  d.projects.js1 = {
    code: "JS-1",
    name: "Added by a script",
    description: "Written with @automerge/automerge.",
    status: "active",
    priority: "high",
    methodology: "agile",
    budget: 250000,
    planned_start: "2026-06-01",
    objectives: { o1: 2 },
    tags: ["script"],
  };
  d.projects.p1.budget = 135000;
  A.splice(d, ["projects", "p1", "description"], "Replace the old site".length, 0, " by June");
});
writeFileSync(join(dir, "js.pmo"), A.save(doc));
writeFileSync(join(dir, "js-changes.pmo"), writePacket(doc, appHeads, expect.js_actor, "Script Robot"));
console.log("wrote target/interop/js.pmo and js-changes.pmo");

// (3) The app imports and merges it.
cargo("import_js_file");
console.log("interop ok");
