//! Writes the bad-file fixtures of the end-to-end tests to
//! `tests/e2e/fixtures/` (they are committed; rerun only to change them):
//!
//! ```text
//! cargo run --example bad_files    # not --release: it needs panic = "unwind"
//! ```
//!
//! | file                   | what it is                                            |
//! |------------------------|-------------------------------------------------------|
//! | empty.pmo              | zero bytes                                            |
//! | random.pmo             | 4 KB of random bytes                                  |
//! | truncated.pmo          | the first half of a real portfolio file               |
//! | renamed-image.pmo      | a PNG image with a .pmo name                          |
//! | renamed-archive.pmo    | a ZIP archive with a .pmo name                        |
//! | newer-schema.pmo       | a portfolio saved with schema 99                      |
//! | bomb-document.pmo      | a portfolio whose compressed column unpacks to 300 MB |
//! | bomb-packet.pmo        | a changes packet whose body unpacks to 300 MB         |
//! | panic.pmo              | a damaged portfolio with valid checksums that makes Automerge panic |
//! | other-portfolio.pmo    | a valid portfolio, but not the one the test holds     |
//! | base.pmo               | a valid portfolio (the tests open it first) …         |
//! | orphan-packet.pmo      | … and a packet built on changes base.pmo lacks        |
//!
//! The panic file is found by mutating a real file and fixing its checksum
//! until Automerge panics while loading it (NOTES.md: about 3% do).

use flate2::write::{DeflateEncoder, ZlibEncoder};
use flate2::Compression;
use pmo_desk::doc::{FileKind, PortfolioDoc};
use pmo_desk::domain::{Command, Entity, FieldChange, Op, Project};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

const ADA: &str = "0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a";
const ZED: &str = "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f";
const T0: i64 = 1_767_603_600;
const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
const BOMB_BYTES: usize = 300 * 1024 * 1024;

fn main() -> ExitCode {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/fixtures");
    match run(&dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bad_files: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let write = |name: &str, bytes: &[u8]| {
        std::fs::write(dir.join(name), bytes).map_err(|e| format!("{name}: {e}"))?;
        eprintln!("{name}: {} bytes", bytes.len());
        Ok::<(), String>(())
    };

    let mut other = portfolio("Zed Holdings", ZED, "Zed", 3)?;
    let full = other.export_full();
    write("empty.pmo", &[])?;
    write("random.pmo", &random_bytes(4096, 7))?;
    write("truncated.pmo", &full[..full.len() / 2])?;
    write("renamed-image.pmo", &png())?;
    write(
        "renamed-archive.pmo",
        &zip("notes.txt", b"Quarterly notes\n"),
    )?;
    write("other-portfolio.pmo", &full)?;

    let mut newer = portfolio("Future PMO", ADA, "Ada", 1)?;
    let schema = Command::new(
        "Upgrade to schema 99",
        vec![Op::SetRoot {
            change: FieldChange::set(&["schema"], 99.into()),
        }],
    );
    newer.apply(&schema, "Ada", T0).map_err(|e| e.to_string())?;
    write("newer-schema.pmo", &newer.export_full())?;

    write("bomb-document.pmo", &document_bomb(&full)?)?;
    write("bomb-packet.pmo", &packet_bomb(&mut other)?)?;

    // base.pmo, and a packet from a colleague two steps ahead of it whose
    // first step never reached whoever holds only base.pmo.
    let mut base = portfolio("Base PMO", ADA, "Ada", 2)?;
    let base_file = base.export_full();
    write("base.pmo", &base_file)?;
    let (mut cleo, _) = PortfolioDoc::open_file(&base_file, ZED).map_err(|e| e.to_string())?;
    add(&mut cleo, "p-late-1", "Step one", "Cleo")?;
    let step_one = cleo.version();
    add(&mut cleo, "p-late-2", "Step two", "Cleo")?;
    let orphan = cleo
        .export_packet(&step_one, "Cleo")
        .map_err(|e| e.to_string())?;
    write("orphan-packet.pmo", &orphan)?;

    write("panic.pmo", &find_panicking(&full)?)?;
    Ok(())
}

fn portfolio(
    name: &str,
    actor: &str,
    author: &str,
    projects: usize,
) -> Result<PortfolioDoc, String> {
    let mut doc = PortfolioDoc::create(name, actor, author, T0).map_err(|e| e.to_string())?;
    for i in 0..projects {
        add(
            &mut doc,
            &format!("p{i}"),
            &format!("Project {}", i + 1),
            author,
        )?;
    }
    Ok(doc)
}

fn add(doc: &mut PortfolioDoc, id: &str, name: &str, author: &str) -> Result<(), String> {
    let mut p = Project::named(id, name);
    p.description = format!("{name}: a sample description long enough to be compressed.");
    p.budget = 100_000.0;
    doc.apply(
        &Command::new(format!("Add project {name}"), vec![p.create_op()]),
        author,
        T0 + 60,
    )
    .map_err(|e| e.to_string())
}

/// A full file whose first column becomes a DEFLATE stream of zeros far
/// beyond the unpacking limit; lengths and checksum are rewritten so the
/// file is well-formed up to the unpacking.
fn document_bomb(full: &[u8]) -> Result<Vec<u8>, String> {
    let (kind, data) = single_chunk(full)?;
    let mut r = Reader(data);
    let start = r.0;
    for _ in 0..r.uleb()? {
        let n = r.uleb()? as usize;
        r.take(n)?;
    }
    let heads = r.uleb()? as usize;
    r.take(heads * 32)?;
    let prefix = &start[..start.len() - r.0.len()];
    let change_cols = r.columns()?;
    let op_cols = r.columns()?;
    let mut bodies = Vec::new();
    for (_, len) in change_cols.iter().chain(&op_cols) {
        bodies.push(r.take(*len)?.to_vec());
    }
    let rest = r.0.to_vec();

    let mut zeros = DeflateEncoder::new(Vec::new(), Compression::best());
    let block = vec![0u8; 1024 * 1024];
    for _ in 0..BOMB_BYTES / block.len() {
        zeros.write_all(&block).map_err(|e| e.to_string())?;
    }
    let bomb = zeros.finish().map_err(|e| e.to_string())?;

    let mut specs: Vec<(u64, usize)> = change_cols.iter().chain(&op_cols).copied().collect();
    specs[0] = (specs[0].0 | 0b1000, bomb.len());
    bodies[0] = bomb;
    let mut out = prefix.to_vec();
    let (changes, ops) = specs.split_at(change_cols.len());
    for group in [changes, ops] {
        uleb(&mut out, group.len() as u64);
        for (spec, len) in group {
            uleb(&mut out, *spec);
            uleb(&mut out, *len as u64);
        }
    }
    for body in bodies {
        out.extend_from_slice(&body);
    }
    out.extend_from_slice(&rest);
    Ok(chunk(kind, &out))
}

/// A changes packet that claims 1 MB of changes but whose zlib body
/// unpacks to 300 MB.
fn packet_bomb(doc: &mut PortfolioDoc) -> Result<Vec<u8>, String> {
    let real = doc
        .export_packet(&Default::default(), "Zed")
        .map_err(|e| e.to_string())?;
    // Reuse the real header, with another claimed size.
    let header_len = u32::from_le_bytes([real[9], real[10], real[11], real[12]]) as usize;
    let mut header: serde_json::Value =
        serde_json::from_slice(&real[13..13 + header_len]).map_err(|e| e.to_string())?;
    header["bytes"] = 1_000_000.into();
    let json = serde_json::to_vec(&header).map_err(|e| e.to_string())?;
    let mut out = real[..9].to_vec();
    out.extend_from_slice(&(json.len() as u32).to_le_bytes());
    out.extend_from_slice(&json);
    let mut z = ZlibEncoder::new(out, Compression::best());
    let block = vec![0u8; 1024 * 1024];
    for _ in 0..BOMB_BYTES / block.len() {
        z.write_all(&block).map_err(|e| e.to_string())?;
    }
    z.finish().map_err(|e| e.to_string())
}

static PANICKED: AtomicBool = AtomicBool::new(false);

/// Mutates `full` (one to three bytes inside the chunk, checksum fixed)
/// until loading it panics; the panic is caught here and in the document
/// layer (natively), so the search itself survives.
fn find_panicking(full: &[u8]) -> Result<Vec<u8>, String> {
    let (kind, data) = single_chunk(full)?;
    std::panic::set_hook(Box::new(|_| PANICKED.store(true, Ordering::SeqCst)));
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    for attempt in 0..50_000 {
        let mut mutated = data.to_vec();
        for _ in 0..1 + next(&mut seed) % 3 {
            let i = (next(&mut seed) as usize) % mutated.len();
            mutated[i] = next(&mut seed) as u8;
        }
        let candidate = chunk(kind, &mutated);
        PANICKED.store(false, Ordering::SeqCst);
        let result = std::panic::catch_unwind(|| PortfolioDoc::inspect(&candidate));
        if PANICKED.load(Ordering::SeqCst) && inspect_panics_again(&candidate) {
            let _ = std::panic::take_hook();
            eprintln!("panic.pmo: attempt {attempt} ({result:?})");
            return Ok(candidate);
        }
    }
    Err("no panicking file found in 50,000 attempts".into())
}

/// A second run must panic too: the fixture has to be deterministic.
fn inspect_panics_again(bytes: &[u8]) -> bool {
    PANICKED.store(false, Ordering::SeqCst);
    let _ =
        std::panic::catch_unwind(|| PortfolioDoc::inspect(bytes).map(|i| i.kind == FileKind::Full));
    PANICKED.load(Ordering::SeqCst)
}

fn single_chunk(file: &[u8]) -> Result<(u8, &[u8]), String> {
    let mut r = Reader(file);
    if r.take(4)? != MAGIC {
        return Err("not an automerge file".into());
    }
    r.take(4)?;
    let kind = r.take(1)?[0];
    let len = r.uleb()? as usize;
    let data = r.take(len)?;
    if !r.0.is_empty() {
        return Err("expected a single chunk".into());
    }
    Ok((kind, data))
}

/// An Automerge chunk: magic, checksum (first 4 bytes of the SHA-256 of
/// type, length and data), type, length, data.
fn chunk(kind: u8, data: &[u8]) -> Vec<u8> {
    let mut header = vec![kind];
    uleb(&mut header, data.len() as u64);
    let mut hasher = Sha256::new();
    hasher.update(&header);
    hasher.update(data);
    let hash = hasher.finalize();
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&hash[..4]);
    out.extend_from_slice(&header);
    out.extend_from_slice(data);
    out
}

fn uleb(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if n > self.0.len() {
            return Err("unexpected end".into());
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn uleb(&mut self) -> Result<u64, String> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.take(1)?[0];
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("uleb too long".into())
    }

    fn columns(&mut self) -> Result<Vec<(u64, usize)>, String> {
        let count = self.uleb()? as usize;
        (0..count)
            .map(|_| Ok((self.uleb()?, self.uleb()? as usize)))
            .collect()
    }
}

fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

fn random_bytes(n: usize, mut seed: u64) -> Vec<u8> {
    (0..n).map(|_| next(&mut seed) as u8).collect()
}

/// A 1×1 PNG image.
fn png() -> Vec<u8> {
    let mut out = vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];
    let mut png_chunk = |kind: &[u8; 4], data: &[u8]| {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    };
    png_chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
    let mut z = ZlibEncoder::new(Vec::new(), Compression::best());
    let _ = z.write_all(&[0, 0x1f, 0x6f, 0xb4]);
    let idat = z.finish().unwrap_or_default();
    png_chunk(b"IDAT", &idat);
    png_chunk(b"IEND", &[]);
    out
}

/// A ZIP archive holding one stored file.
fn zip(name: &str, content: &[u8]) -> Vec<u8> {
    let mut crc = flate2::Crc::new();
    crc.update(content);
    let crc = crc.sum();
    let (n, len) = (name.len() as u16, content.len() as u32);
    let mut out = Vec::new();
    out.extend_from_slice(&[0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(content);
    let central = out.len() as u32;
    out.extend_from_slice(&[
        0x50, 0x4b, 0x01, 0x02, 20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0,
    ]);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&[0; 12]);
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    let central_len = out.len() as u32 - central;
    out.extend_from_slice(&[0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 1, 0, 1, 0]);
    out.extend_from_slice(&central_len.to_le_bytes());
    out.extend_from_slice(&central.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}
