//! Exchange files: full files and changes packets, inspect, import, and
//! every kind of bad file (one test per case, portfolio untouched).

mod common;
use common::*;
use pmo_desk::doc::exchange::{file_name, MAX_INFLATED_BYTES};
use pmo_desk::doc::{
    layout, ChangeKind, DocError, FileKind, ImportCheck, PortfolioDoc, Version, MAX_FILE_BYTES,
};
use pmo_desk::domain::{Command, Date, Entity, FieldChange, Op, Project, ProjectStatus};
use serde_json::{json, Value};
use std::io::Write;

/// Builds a packet by hand, following docs/file-format.md.
fn envelope(version: u8, header: &[u8], body: &[u8]) -> Vec<u8> {
    let mut out = b"\x89PMOX\r\n\x1a".to_vec();
    out.push(version);
    out.extend_from_slice(&(header.len() as u32).to_le_bytes());
    out.extend_from_slice(header);
    out.extend_from_slice(body);
    out
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(data).unwrap();
    z.finish().unwrap()
}

/// Splits a packet into (header JSON, unpacked changes).
fn open_packet(packet: &[u8]) -> (Value, Vec<u8>) {
    let len = u32::from_le_bytes(packet[9..13].try_into().unwrap()) as usize;
    let header: Value = serde_json::from_slice(&packet[13..13 + len]).unwrap();
    let mut changes = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::ZlibDecoder::new(&packet[13 + len..]),
        &mut changes,
    )
    .unwrap();
    (header, changes)
}

fn repack(header: &Value, changes: &[u8]) -> Vec<u8> {
    envelope(1, &serde_json::to_vec(header).unwrap(), &zlib(changes))
}

fn set_root(doc: &mut PortfolioDoc, key: &str, value: Value, author: &str) {
    doc.apply(
        &Command::new(
            format!("Set {key}"),
            vec![Op::SetRoot {
                change: FieldChange::set(&[key], value),
            }],
        ),
        author,
        T0,
    )
    .unwrap();
}

/// A portfolio with one project, and a function asserting it did not
/// change when `bytes` is imported.
fn assert_refused(bytes: &[u8], expected: impl Fn(&DocError) -> bool) -> DocError {
    let mut doc = new_portfolio();
    add_project(&mut doc, "p1", "Keep me", "Ada");
    assert_refused_by(&mut doc, bytes, expected)
}

/// Same, for a file that belongs to `doc`'s portfolio.
fn assert_refused_by(
    doc: &mut PortfolioDoc,
    bytes: &[u8],
    expected: impl Fn(&DocError) -> bool,
) -> DocError {
    let before = doc.save();
    let err = doc.import(bytes).expect_err("import must fail");
    assert!(expected(&err), "unexpected error {err:?}");
    assert_eq!(doc.save(), before, "portfolio untouched");
    assert!(!err.user_message().is_empty());
    err
}

#[test]
fn full_file_round_trip_opens_merges_and_names_the_sender() {
    let mut ada = new_portfolio();
    add_project(&mut ada, "p1", "Website", "Ada");
    let (mut ben, info) = PortfolioDoc::open_file(&ada.export_full(), BEN).unwrap();
    assert_eq!(info.kind, FileKind::Full);
    assert_eq!(info.sender_actor.as_deref(), Some(ADA));
    assert_eq!(info.sender_name.as_deref(), Some("Ada"));
    assert_eq!(ben.snapshot(), ada.snapshot());
    assert_eq!(ben.actor_hex(), BEN);

    add_project(&mut ben, "p2", "Data platform", "Ben");
    edit_project(&mut ben, "p1", "Ben", |p| p.budget = 5000.0);
    let file = ben.export_full();
    let report = ada.import(&file).unwrap();
    assert_eq!(report.info.kind, FileKind::Full);
    assert_eq!(report.info.sender_actor.as_deref(), Some(BEN));
    assert_eq!(report.info.sender_name.as_deref(), Some("Ben"));
    assert_eq!(report.info.size, file.len());
    assert_eq!(report.outcome.new_changes, 2);
    assert_eq!(report.outcome.after, ada.version());
    assert_eq!(ada.snapshot(), ben.snapshot());
    let kinds: Vec<_> = report
        .review
        .entities
        .iter()
        .map(|e| (e.id.as_str(), e.kind))
        .collect();
    assert_eq!(
        kinds,
        [("p2", ChangeKind::Added), ("p1", ChangeKind::Modified)]
    );
    // Importing the same file again brings nothing.
    let again = ada.import(&file).unwrap();
    assert_eq!(again.outcome.new_changes, 0);
    assert!(again.review.is_empty());
}

#[test]
fn inspect_tells_full_files_and_packets_apart() {
    let mut ada = new_portfolio();
    let base = ada.version();
    add_project(&mut ada, "p1", "Website", "Ada");
    let full = ada.export_full();
    let info = PortfolioDoc::inspect(&full).unwrap();
    assert_eq!(info.kind, FileKind::Full);
    assert_eq!(info.portfolio_id, ada.snapshot().id);
    assert_eq!(info.portfolio_name, "Acme PMO");
    assert_eq!(info.version, ada.version());
    assert!(info.base.is_empty());
    assert_eq!(
        (info.size, info.schema),
        (full.len(), layout::SCHEMA_VERSION)
    );

    let packet = ada.export_packet(&base, "Ada Lovelace").unwrap();
    let info = PortfolioDoc::inspect(&packet).unwrap();
    assert_eq!(info.kind, FileKind::Packet);
    assert_eq!(info.sender_actor.as_deref(), Some(ADA));
    assert_eq!(info.sender_name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(info.base, base);
    assert_eq!(info.version, ada.version());
    assert_eq!(info.size, packet.len());
}

#[test]
fn a_packet_applies_and_carries_only_what_is_new() {
    let mut ada = new_portfolio();
    add_project(&mut ada, "p1", "Website", "Ada");
    let mut ben = copy_for(&mut ada, BEN);
    let ben_has = ben.version();
    assert!(ada.has_version(&ben_has));
    edit_project(&mut ada, "p1", "Ada", |p| p.manager = "Ada".into());
    add_project(&mut ada, "p2", "Data", "Ada");
    let packet = ada.export_packet(&ben_has, "Ada").unwrap();
    let (header, changes) = open_packet(&packet);
    assert_eq!(header["changes"], 2);
    assert_eq!(header["type"], "pmo-desk-changes");
    assert_eq!(header["bytes"], changes.len());

    let report = ben.import(&packet).unwrap();
    assert_eq!(report.outcome.new_changes, 2);
    assert_eq!(ben.snapshot(), ada.snapshot());
    assert!(!ben.has_version(&Version::parse(&["ab".repeat(32)]).unwrap()));
    // Nothing new: an empty packet is valid and brings nothing.
    let now = ada.version();
    let empty = ada.export_packet(&now, "Ada").unwrap();
    assert_eq!(ben.import(&empty).unwrap().outcome.new_changes, 0);
}

/// A project as people fill them in: most of its ~25 fields set.
fn rich_project(i: usize) -> Project {
    Project {
        id: format!("p{i}"),
        code: format!("PRJ-{i:04}"),
        name: format!("Customer portal relaunch phase {i}"),
        description: format!(
            "Replace the legacy portal for region {i}; consolidate logins, move billing \
             self-service online and retire the old CRM integration."
        ),
        sponsor: format!("Sponsor {}", i % 17),
        manager: format!("Manager {}", i % 23),
        stage: "planning".into(),
        status: ProjectStatus::Active,
        planned_start: Date::from_ymd(2026, 1 + (i % 12) as u32, 1),
        planned_end: Date::from_ymd(2027, 1 + (i % 12) as u32, 28),
        budget: 100_000.0 + (i * 1250) as f64,
        actual_cost: (i * 310) as f64,
        percent_complete: (i % 100) as f64,
        objectives: [(format!("o{}", i % 5), 2), (format!("o{}", i % 7), 3)].into(),
        tags: vec!["digital".into(), format!("region-{}", i % 9)],
        ..Project::default()
    }
}

/// The app reuses the import worker's check (made on an identical copy)
/// instead of reviewing and validating a second time.
#[test]
fn a_check_made_on_an_identical_copy_gives_the_same_import() {
    let mut ada = new_portfolio();
    add_project(&mut ada, "p1", "Website", "Ada");
    let mut ben = copy_for(&mut ada, BEN);
    let since = ben.version();
    edit_project(&mut ben, "p1", "Ben", |p| p.budget = 1_000.0);
    add_project(&mut ben, "p2", "Data", "Ben");
    let packet = ben.export_packet(&since, "Ben").unwrap();

    let mut worker_copy = copy_for(&mut ada, CYD);
    let check = worker_copy.import(&packet).unwrap().check();
    let mut plain = copy_for(&mut ada, ADA);
    let expected = plain.import(&packet).unwrap();

    let report = ada.import_checked(&packet, &check).unwrap();
    assert_eq!(report, expected);
    assert_eq!(ada.snapshot(), ben.snapshot());
    assert_eq!(ada.version(), ben.version());
    // It also crosses the worker boundary as JSON unchanged.
    let json = serde_json::to_string(&check).unwrap();
    assert_eq!(serde_json::from_str::<ImportCheck>(&json).unwrap(), check);
}

/// The app merges into a copy while the worker validates; if the person
/// edits meanwhile, finishing starts the import again on the new version.
#[test]
fn a_prepared_import_finishes_also_after_an_edit_meanwhile() {
    let mut ada = new_portfolio();
    let mut ben = copy_for(&mut ada, BEN);
    let since = ben.version();
    add_project(&mut ben, "p1", "Website", "Ben");
    let packet = ben.export_packet(&since, "Ben").unwrap();
    let check = copy_for(&mut ada, CYD).import(&packet).unwrap().check();

    let prepared = ada.prepare_import(&packet).unwrap();
    assert!(
        !ada.snapshot().projects.contains_key("p1"),
        "prepare changed the portfolio"
    );
    add_project(&mut ada, "p0", "Own", "Ada");
    let report = ada.finish_import(prepared, &packet, &check).unwrap();
    assert_eq!(report.outcome.new_changes, 1);
    let projects = ada.snapshot().projects;
    assert!(projects.contains_key("p0") && projects.contains_key("p1"));
}

/// A check that does not describe this very import (made on a copy at
/// another version, or tampered with) is not trusted: the import runs
/// every check itself, so it cannot let a bad file through.
#[test]
fn a_check_for_another_version_is_not_trusted() {
    let mut ada = new_portfolio();
    let mut ben = copy_for(&mut ada, BEN);
    let since = ben.version();
    add_project(&mut ben, "p1", "Website", "Ben");
    let good = ben.export_packet(&since, "Ben").unwrap();
    let good_check = copy_for(&mut ada, CYD).import(&good).unwrap().check();

    // Ada edited meanwhile: the stale check's review is not reused.
    add_project(&mut ada, "p0", "Own", "Ada");
    let report = ada.import_checked(&good, &good_check).unwrap();
    assert!(report.outcome.before != Version::parse(&good_check.before).unwrap());
    assert_eq!(report.review.entities.len(), 1);
    assert!(ada.snapshot().projects.contains_key("p1"));

    // A bad record with a check borrowed from a good file is refused.
    let mut cyd = copy_for(&mut ada, CYD);
    let since = cyd.version();
    let before = ada.save();
    let bad = Op::Create {
        collection: "projects".into(),
        id: "p9".into(),
        fields: json!({"name": "Broken", "budget": "a lot"})
            .as_object()
            .unwrap()
            .clone(),
    };
    cyd.apply(&Command::new("Add broken", vec![bad]), "Cyd", T0)
        .unwrap();
    let bad_packet = cyd.export_packet(&since, "Cyd").unwrap();
    let mut forged = copy_for(&mut ada, BEN).import(&good).unwrap().check();
    forged.before = ada.version().to_strings();
    let err = ada.import_checked(&bad_packet, &forged).unwrap_err();
    assert!(matches!(err, DocError::Invalid(_)), "{err}");
    assert_eq!(ada.save(), before, "a refused file changed the portfolio");
}

#[test]
fn a_week_of_edits_travels_in_a_packet_much_smaller_than_the_full_file() {
    let mut ada = new_portfolio();
    for i in 0..200 {
        let p = rich_project(i);
        ada.apply(&Command::new("Add project", vec![p.create_op()]), "Ada", T0)
            .unwrap();
    }
    let mut ben = copy_for(&mut ada, BEN);
    let last_exchanged = ben.version();
    // A week: 5 days × 12 edits of budgets, managers, progress and text.
    let mut projects: Vec<Project> = (0..200).map(rich_project).collect();
    for day in 0..5 {
        for k in 0..12 {
            let old = projects[(day * 37 + k * 11) % 200].clone();
            let mut p = old.clone();
            p.budget += 1000.0;
            p.manager = format!("Manager {k}");
            p.percent_complete = (day * 10 + k) as f64;
            p.description
                .push_str(" Weekly note: on track, next milestone agreed.");
            let op = p.update_op(&old).unwrap();
            ada.apply(&Command::new("Edit", vec![op]), "Ada", T0 + 3600)
                .unwrap();
            projects[(day * 37 + k * 11) % 200] = p;
        }
    }
    let (full, packet) = ada.export_sizes(&last_exchanged);
    assert_eq!(full, ada.export_full().len());
    assert!(
        packet * 2 < full,
        "packet {packet} bytes should be far smaller than the full file {full} bytes"
    );
    ben.import(&ada.export_packet(&last_exchanged, "Ada").unwrap())
        .unwrap();
    assert_eq!(ben.snapshot(), ada.snapshot());
}

#[test]
fn a_packet_whose_base_is_missing_names_count_and_sender_and_applies_nothing() {
    let mut ada = new_portfolio();
    let mut ben = copy_for(&mut ada, BEN);
    add_project(&mut ada, "p1", "One", "Ada");
    let sent_before = ada.version();
    add_project(&mut ada, "p2", "Two", "Ada");
    // Ben never received the file with p1; this packet builds on it.
    let packet = ada.export_packet(&sent_before, "Ada").unwrap();
    let before = ben.save();
    let err = ben.import(&packet).unwrap_err();
    assert_eq!(
        err,
        DocError::MissingChanges {
            count: 1,
            sender: "Ada".into()
        }
    );
    assert!(err.user_message().contains("Ada"), "{}", err.user_message());
    assert!(err.user_message().contains('1'));
    assert_eq!(ben.save(), before);
    // It cannot open as a new portfolio either.
    assert!(matches!(
        PortfolioDoc::open_file(&packet, CYD),
        Err(DocError::MissingChanges { .. })
    ));
    // After the missing file, the same packet applies.
    ben.import(&ada.export_full()).unwrap();
    ben.import(&packet).unwrap();
    assert_eq!(ben.snapshot(), ada.snapshot());
}

#[test]
fn a_packet_since_the_very_start_opens_as_a_new_portfolio() {
    let mut ada = new_portfolio();
    add_project(&mut ada, "p1", "One", "Ada");
    let packet = ada.export_packet(&Version::default(), "Ada").unwrap();
    let (doc, info) = PortfolioDoc::open_file(&packet, BEN).unwrap();
    assert_eq!(info.kind, FileKind::Packet);
    assert_eq!(doc.snapshot(), ada.snapshot());
}

#[test]
fn export_ignores_unknown_hashes_in_the_colleagues_version() {
    let mut ada = new_portfolio();
    let mut ben = copy_for(&mut ada, BEN);
    add_project(&mut ada, "p1", "One", "Ada");
    let mut since = ben.version().to_strings();
    since.push("cd".repeat(32));
    let packet = ada
        .export_packet(&Version::parse(&since).unwrap(), "Ada")
        .unwrap();
    ben.import(&packet).unwrap();
    assert_eq!(ben.snapshot(), ada.snapshot());
}

#[test]
fn file_names_follow_the_pattern() {
    let date = Date::from_ymd(2026, 5, 4).unwrap();
    assert_eq!(
        file_name("Acme PMO", &date, "Ada", FileKind::Full),
        "acme-pmo-2026-05-04-ada.pmo"
    );
    assert_eq!(
        file_name("Acme PMO", &date, "Ada", FileKind::Packet),
        "acme-pmo-2026-05-04-ada-changes.pmo"
    );
}

mod refused {
    use super::*;

    #[test]
    fn a_different_portfolio_names_both() {
        let mut theirs = PortfolioDoc::create("Beta Office", BEN, "Ben", T0).unwrap();
        for file in [
            theirs.export_full(),
            theirs.export_packet(&Version::default(), "Ben").unwrap(),
        ] {
            let err = assert_refused(&file, |e| matches!(e, DocError::DifferentPortfolio { .. }));
            let msg = err.user_message();
            assert!(
                msg.contains("Beta Office") && msg.contains("Acme PMO"),
                "{msg}"
            );
        }
    }

    #[test]
    fn a_newer_schema_full_file() {
        let mut doc = new_portfolio();
        set_root(&mut doc, "schema", json!(99), "Ada");
        let file = doc.export_full();
        let newer = |e: &DocError| matches!(e, DocError::NewerSchema { found: 99, .. });
        assert!(newer(&PortfolioDoc::inspect(&file).unwrap_err()));
        assert_refused(&file, newer);
    }

    #[test]
    fn a_newer_schema_packet_by_header_or_by_content() {
        let mut ada = new_portfolio();
        let mut ben = copy_for(&mut ada, BEN);
        let since = ben.version();
        set_root(&mut ben, "schema", json!(2), "Ben");
        let packet = ben.export_packet(&since, "Ben").unwrap();
        assert_eq!(
            ada.import(&packet).unwrap_err(),
            DocError::NewerSchema {
                found: 2,
                supported: layout::SCHEMA_VERSION
            }
        );
        // A header that claims an older schema does not get the content past.
        let (mut header, changes) = open_packet(&packet);
        header["schema"] = json!(1);
        let before = ada.save();
        assert!(matches!(
            ada.import(&repack(&header, &changes)),
            Err(DocError::NewerSchema { found: 2, .. })
        ));
        assert_eq!(ada.save(), before);
    }

    #[test]
    fn empty_bytes() {
        assert_refused(&[], |e| *e == DocError::Empty);
        assert_eq!(PortfolioDoc::inspect(&[]), Err(DocError::Empty));
    }

    #[test]
    fn random_bytes() {
        let bytes: Vec<u8> = (0..10_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
            .collect();
        assert_refused(&bytes, |e| *e == DocError::NotAutomerge);
    }

    #[test]
    fn a_truncated_full_file() {
        let mut doc = new_portfolio();
        add_project(&mut doc, "p2", "Other", "Ada");
        let file = doc.export_full();
        for cut in [3, 12, file.len() / 2, file.len() - 1] {
            assert_refused(&file[..cut], |e| {
                matches!(e, DocError::Corrupt(_) | DocError::NotAutomerge)
            });
        }
    }

    #[test]
    fn a_truncated_packet() {
        let mut ada = new_portfolio();
        let mut ben = copy_for(&mut ada, BEN);
        let since = ben.version();
        add_project(&mut ben, "p2", "Other", "Ben");
        let packet = ben.export_packet(&since, "Ben").unwrap();
        for cut in [10, 20, packet.len() / 2, packet.len() - 1] {
            assert_refused(&packet[..cut], |e| matches!(e, DocError::Corrupt(_)));
        }
    }

    #[test]
    fn a_renamed_png_image() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0".to_vec();
        png.extend(std::iter::repeat_n(0x42, 500));
        assert_refused(&png, |e| *e == DocError::NotAutomerge);
    }

    #[test]
    fn a_renamed_zip_archive() {
        let mut zip = b"PK\x03\x04\x14\0\0\0\x08\0".to_vec();
        zip.extend(zlib(b"a spreadsheet, perhaps"));
        zip.extend(b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0");
        assert_refused(&zip, |e| *e == DocError::NotAutomerge);
    }

    #[test]
    fn a_file_over_the_size_limit() {
        let mut big = vec![0u8; MAX_FILE_BYTES + 1];
        big[..4].copy_from_slice(&layout::AUTOMERGE_MAGIC);
        let err = assert_refused(&big, |e| matches!(e, DocError::TooLarge { .. }));
        assert!(
            err.user_message().contains("50 MB"),
            "{}",
            err.user_message()
        );
    }

    /// A raw DEFLATE stream unpacking to at least `size` zero bytes, built
    /// by hand (one fixed-Huffman block of length-258 copies, 160:1) so the
    /// test does not spend seconds compressing.
    fn deflate_bomb(size: usize) -> Vec<u8> {
        let mut bits = BitWriter::default();
        bits.put(1, 1); // final block
        bits.put(1, 2); // fixed Huffman codes
        bits.code(0b0011_0000, 8); // literal 0
        for _ in 0..size / 258 + 1 {
            bits.code(0b1100_0101, 8); // length 258
            bits.code(0, 5); // distance 1
        }
        bits.code(0, 7); // end of block
        bits.finish()
    }

    #[derive(Default)]
    struct BitWriter {
        out: Vec<u8>,
        acc: u32,
        n: u32,
    }

    impl BitWriter {
        fn put(&mut self, value: u32, len: u32) {
            for i in 0..len {
                self.acc |= ((value >> i) & 1) << self.n;
                self.n += 1;
                if self.n == 8 {
                    self.out.push(self.acc as u8);
                    (self.acc, self.n) = (0, 0);
                }
            }
        }
        /// Huffman codes go most significant bit first.
        fn code(&mut self, code: u32, len: u32) {
            for i in (0..len).rev() {
                self.put((code >> i) & 1, 1);
            }
        }
        fn finish(mut self) -> Vec<u8> {
            if self.n > 0 {
                self.out.push(self.acc as u8);
            }
            self.out
        }
    }

    #[test]
    fn the_hand_made_bomb_really_unpacks() {
        let bomb = deflate_bomb(1 << 20);
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::DeflateDecoder::new(&bomb[..]), &mut out)
            .unwrap();
        assert!(out.len() > 1 << 20 && out.iter().all(|b| *b == 0));
    }

    #[test]
    fn a_decompression_bomb_packet() {
        let mut ada = new_portfolio();
        let mut header = open_packet(&ada.export_packet(&Version::default(), "Ada").unwrap()).0;
        // zlib header, then the DEFLATE bomb (the checksum is never reached).
        let mut body = vec![0x78, 0x01];
        body.extend(deflate_bomb(300 << 20));
        assert!(body.len() < 2 << 20, "the bomb is small: {}", body.len());
        // Honest about its size: refused before unpacking anything.
        header["bytes"] = json!(300usize << 20);
        assert_refused(
            &envelope(1, &serde_json::to_vec(&header).unwrap(), &body),
            |e| {
                *e == DocError::Overinflated {
                    limit: MAX_INFLATED_BYTES,
                }
            },
        );
        // Lying about it: unpacking stops right after the claimed size.
        header["bytes"] = json!(5000);
        assert_refused(
            &envelope(1, &serde_json::to_vec(&header).unwrap(), &body),
            |e| matches!(e, DocError::Overinflated { .. }),
        );
    }

    /// An Automerge document chunk whose one column is a DEFLATE bomb: the
    /// guard must refuse it before Automerge inflates it without limit.
    #[test]
    fn a_decompression_bomb_inside_an_automerge_file() {
        let column = deflate_bomb(MAX_INFLATED_BYTES + (1 << 20));
        let mut data = vec![0u8, 0u8]; // no actors, no heads
        uleb(&mut data, 1); // one change column…
        uleb(&mut data, (1 << 4) | 0b1000); // …id 1, deflated
        uleb(&mut data, column.len() as u64);
        uleb(&mut data, 0); // no op columns
        data.extend_from_slice(&column);
        let mut file = layout::AUTOMERGE_MAGIC.to_vec();
        file.extend_from_slice(&[0, 0, 0, 0, 0]); // checksum, type document
        uleb(&mut file, data.len() as u64);
        file.extend_from_slice(&data);
        assert_refused(&file, |e| matches!(e, DocError::Overinflated { .. }));
    }

    fn uleb(out: &mut Vec<u8>, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }

    fn good_header() -> (Value, Vec<u8>) {
        let mut ada = new_portfolio();
        open_packet(&ada.export_packet(&Version::default(), "Ada").unwrap())
    }

    #[test]
    fn a_packet_header_that_is_not_json() {
        let (_, changes) = good_header();
        let err = assert_refused(
            &envelope(1, b"{\"type\": \"pmo-desk-ch", &zlib(&changes)),
            |e| matches!(e, DocError::Corrupt(m) if m.contains("header")),
        );
        assert!(err.user_message().contains("damaged"));
    }

    #[test]
    fn a_packet_from_a_newer_envelope_version() {
        let (header, changes) = good_header();
        let json = serde_json::to_vec(&header).unwrap();
        assert_refused(&envelope(2, &json, &zlib(&changes)), |e| {
            *e == DocError::NewerFormat {
                found: 2,
                supported: 1,
            }
        });
        assert_refused(&envelope(0, &json, &zlib(&changes)), |e| {
            matches!(e, DocError::Corrupt(_))
        });
    }

    #[test]
    fn a_packet_header_whose_length_runs_past_the_end() {
        let (header, _) = good_header();
        let mut bytes = envelope(1, &serde_json::to_vec(&header).unwrap(), b"");
        bytes[9..13].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_refused(&bytes, |e| matches!(e, DocError::Corrupt(_)));
    }

    #[test]
    fn a_packet_header_of_another_type_or_with_wrong_claims() {
        let (header, changes) = good_header();
        let mut other = header.clone();
        other["type"] = json!("something-else");
        assert_refused(&repack(&other, &changes), |e| *e == DocError::NotPortfolio);
        let mut count = header.clone();
        count["changes"] = json!(7);
        assert_refused(&repack(&count, &changes), |e| {
            matches!(e, DocError::Corrupt(_))
        });
        let mut actor = header.clone();
        actor["sender_actor"] = json!("not hex");
        assert_refused(&repack(&actor, &changes), |e| {
            matches!(e, DocError::Corrupt(_))
        });
        let mut missing = header.clone();
        missing.as_object_mut().unwrap().remove("base");
        assert_refused(&repack(&missing, &changes), |e| {
            matches!(e, DocError::Corrupt(_))
        });
        let garbage_body = envelope(1, &serde_json::to_vec(&header).unwrap(), b"not zlib at all");
        assert_refused(&garbage_body, |e| matches!(e, DocError::Corrupt(_)));
        let not_changes = repack(&header, b"\x85\x6f\x4a\x83 nope");
        assert_refused(&not_changes, |e| matches!(e, DocError::Corrupt(_)));
    }

    #[test]
    fn a_packet_that_would_change_the_portfolio_id() {
        let mut ada = new_portfolio();
        let mut ben = copy_for(&mut ada, BEN);
        let since = ben.version();
        let real_id = ben.snapshot().id;
        set_root(&mut ben, "portfolio_id", json!("hijacked"), "Ben");
        let (mut header, changes) = open_packet(&ben.export_packet(&since, "Ben").unwrap());
        header["portfolio_id"] = json!(real_id);
        let err = assert_refused_by(&mut ada, &repack(&header, &changes), |e| {
            matches!(e, DocError::Invalid(_))
        });
        assert!(err.to_string().contains("portfolio id"), "{err}");
    }

    #[test]
    fn a_file_with_an_unreadable_record() {
        let mut ada = new_portfolio();
        let mut ben = copy_for(&mut ada, BEN);
        let bad = Op::Create {
            collection: "projects".into(),
            id: "p9".into(),
            fields: json!({"name": "Broken", "budget": "a lot"})
                .as_object()
                .unwrap()
                .clone(),
        };
        ben.apply(&Command::new("Add broken", vec![bad]), "Ben", T0)
            .unwrap();
        let err = assert_refused_by(&mut ada, &ben.export_full(), |e| {
            matches!(e, DocError::Invalid(_))
        });
        assert!(err.to_string().contains("project p9"), "{err}");
    }
}
