//! Exchange benchmark: export time, file sizes (full, packet, gzip'd JSON),
//! import+merge of a colleague's file with 5,000 new changes, and snapshot
//! time, for portfolios of 100 / 1,000 / 5,000 projects of ~25 fields.
//!
//! `cargo bench --bench exchange` prints a table and writes it to
//! benches/results/exchange.md. Times are medians of several runs, native,
//! release profile; the browser figures come from the Chromium benchmark.

use pmo_desk::doc::{PortfolioDoc, Version};
use pmo_desk::domain::{
    Command, Date, Entity, FieldChange, Methodology, Op, Priority, Project, ProjectStatus,
};
use serde_json::json;
use std::fmt::Write as _;
use std::io::Write as _;
use std::time::{Duration, Instant};

const ADA: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const BEN: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const CYD: &str = "cccccccccccccccccccccccccccccccc";
const T0: i64 = 1_795_000_000;
const SIZES: [usize; 3] = [100, 1_000, 5_000];
/// Field edits in the "week of work" packet.
const WEEK_EDITS: usize = 300;
/// Changes in the colleague's file that is imported.
const COLLEAGUE_CHANGES: usize = 5_000;

/// A project with its ~25 values filled in, as people keep them.
fn project(i: usize) -> Project {
    let date = |y, m, d| Date::from_ymd(y, m, d);
    Project {
        id: format!("prj{i:06}"),
        code: format!("PRJ-{i:05}"),
        name: format!("Customer portal relaunch wave {i}"),
        description: format!(
            "Replace the legacy portal for business unit {}; consolidate logins, move billing \
             self-service online, retire the old CRM integration and train {} agents.",
            i % 40,
            20 + i % 300
        ),
        sponsor: format!("Sponsor {}", i % 37),
        manager: format!("Manager {}", i % 113),
        program_id: Some(format!("prog{:03}", i % 25)),
        methodology: [
            Methodology::Agile,
            Methodology::Waterfall,
            Methodology::Hybrid,
        ][i % 3],
        stage: ["idea", "planning", "execution", "closing"][i % 4].into(),
        status: [
            ProjectStatus::Active,
            ProjectStatus::Proposed,
            ProjectStatus::OnHold,
        ][i % 3],
        priority: [Priority::High, Priority::Medium, Priority::Low][i % 3],
        planned_start: date(
            2025 + (i % 3) as i32,
            1 + (i % 12) as u32,
            1 + (i % 28) as u32,
        ),
        planned_end: date(
            2027 + (i % 3) as i32,
            1 + (i % 12) as u32,
            1 + (i % 28) as u32,
        ),
        forecast_end: date(2027 + (i % 3) as i32, 1 + ((i + 1) % 12) as u32, 15),
        actual_start: date(2025 + (i % 3) as i32, 1 + (i % 12) as u32, 3),
        actual_end: None,
        budget: 50_000.0 + (i * 977 % 2_000_000) as f64,
        actual_cost: (i * 313 % 900_000) as f64,
        forecast_at_completion: Some(60_000.0 + (i * 977 % 2_100_000) as f64),
        percent_complete: (i * 7 % 100) as f64,
        objectives: [
            (format!("obj{}", i % 8), 3),
            (format!("obj{}", (i + 3) % 8), 1),
        ]
        .into(),
        tags: vec![format!("unit-{}", i % 40), "digital".into()],
        ..Project::default()
    }
}

fn portfolio(n: usize) -> PortfolioDoc {
    let mut doc = PortfolioDoc::create("Benchmark PMO", ADA, "Ada", T0).unwrap();
    for i in 0..n {
        let p = project(i);
        let cmd = Command::new(format!("Add project {}", p.name), vec![p.create_op()]);
        doc.apply(&cmd, "Ada", T0 + i as i64).unwrap();
    }
    doc
}

/// `count` one-field edits spread over the projects, each its own change
/// (as a person editing the register makes them).
fn edit(doc: &mut PortfolioDoc, n: usize, count: usize, author: &str, salt: usize) {
    for k in 0..count {
        let i = (k * 7919 + salt) % n;
        let change = match k % 4 {
            0 => FieldChange::set(&["budget"], json!((k * 1000 + salt) as f64)),
            1 => FieldChange::set(&["manager"], json!(format!("{author} {k}"))),
            2 => FieldChange::set(&["percent_complete"], json!(k as f64 / 100.0)),
            _ => FieldChange::set(&["sponsor"], json!(format!("Sponsor {k}"))),
        };
        let op = Op::Patch {
            collection: "projects".into(),
            id: format!("prj{i:06}"),
            changes: vec![change],
        };
        doc.apply(&Command::new("Edit project", vec![op]), author, T0 + 86_400)
            .unwrap();
    }
}

fn median(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..runs).map(|_| f()).collect();
    times.sort();
    times[runs / 2]
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

fn gzip(data: &[u8]) -> usize {
    let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(data).unwrap();
    z.finish().unwrap().len()
}

fn kb(bytes: usize) -> String {
    if bytes >= 1_000_000 {
        format!("{:.2} MB", bytes as f64 / 1_000_000.0)
    } else {
        format!("{:.1} KB", bytes as f64 / 1_000.0)
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

struct Row {
    n: usize,
    sizes: Vec<String>,
    times: Vec<String>,
}

fn measure(n: usize) -> Row {
    let runs = if n >= 5_000 { 3 } else { 5 };
    let (mut ada, build) = timed(|| portfolio(n));
    eprintln!("{n} projects built in {}", ms(build));

    let full = ada.export_full();
    let export = median(runs, || timed(|| ada.export_full()).1);
    let json = serde_json::to_vec(&ada.root_json(None)).unwrap();
    let load = median(runs, || timed(|| PortfolioDoc::load(&full, BEN).unwrap()).1);
    let snapshot = median(runs, || timed(|| ada.snapshot()).1);
    let conflicts = median(runs, || timed(|| ada.conflicts()).1);

    // A week of work: 300 field edits the colleague does not have yet.
    let colleague = PortfolioDoc::load(&full, BEN).unwrap().version();
    edit(&mut ada, n, WEEK_EDITS, "Ada", 1);
    let week_packet = ada.export_packet(&colleague, "Ada").unwrap();
    let week_full = ada.export_full().len();
    let export_packet = median(runs, || {
        timed(|| ada.export_packet(&colleague, "Ada").unwrap()).1
    });
    let import_week = median(runs, || {
        let mut theirs = PortfolioDoc::load(&full, BEN).unwrap();
        timed(|| theirs.import(&week_packet).unwrap()).1
    });

    // The app after every edit: one field changed, the snapshot brought up
    // to date by re-reading only what the change touched.
    let edit_snapshot = median(runs, || {
        let shown = ada.snapshot();
        let since = ada.version();
        edit(&mut ada, n, 1, "Ada", 5);
        timed(|| ada.snapshot_since(&shown, &since)).1
    });

    // A colleague's file with 5,000 changes this copy has not seen.
    let mut cyd = PortfolioDoc::load(&full, CYD).unwrap();
    let base: Version = cyd.version();
    edit(&mut cyd, n, COLLEAGUE_CHANGES, "Cyd", 3);
    let cyd_full = cyd.export_full();
    let cyd_packet = cyd.export_packet(&base, "Cyd").unwrap();
    let import = |file: &[u8]| {
        median(runs, || {
            let mut mine = PortfolioDoc::load(&full, ADA).unwrap();
            let (report, t) = timed(|| mine.import(file).unwrap());
            assert_eq!(report.outcome.new_changes, COLLEAGUE_CHANGES);
            t
        })
    };
    let import_full = import(&cyd_full);
    let import_packet = import(&cyd_packet);
    // The app's side in the browser: the import worker checked the file
    // on its copy; the app merges and reuses that check.
    let check = PortfolioDoc::load(&full, BEN)
        .unwrap()
        .import(&cyd_packet)
        .unwrap()
        .check();
    let import_checked = median(runs, || {
        let mut mine = PortfolioDoc::load(&full, ADA).unwrap();
        let (report, t) = timed(|| mine.import_checked(&cyd_packet, &check).unwrap());
        assert_eq!(report.review, check.review);
        t
    });
    let changes = cyd.save_after(&base);
    let plain_merge = median(runs, || {
        let mut mine = automerge::AutoCommit::load(&full).unwrap();
        timed(|| mine.load_incremental(&changes).unwrap()).1
    });

    Row {
        n,
        sizes: vec![
            kb(full.len()),
            kb(json.len()),
            kb(gzip(&json)),
            kb(week_packet.len()),
            kb(week_full),
            kb(cyd_packet.len()),
            kb(cyd_full.len()),
        ],
        times: vec![
            ms(export),
            ms(export_packet),
            ms(load),
            ms(snapshot),
            ms(edit_snapshot),
            ms(conflicts),
            ms(import_week),
            ms(import_packet),
            ms(import_checked),
            ms(import_full),
            ms(plain_merge),
        ],
    }
}

fn table(headers: &[&str], rows: &[(usize, &Vec<String>)]) -> String {
    let mut out = String::new();
    writeln!(out, "| projects | {} |", headers.join(" | ")).unwrap();
    writeln!(out, "|---|{}", "---|".repeat(headers.len())).unwrap();
    for (n, cells) in rows {
        writeln!(out, "| {n} | {} |", cells.join(" | ")).unwrap();
    }
    out
}

fn main() {
    // `cargo bench` passes `--bench`; numbers pick sizes, e.g. `-- 100`.
    let filter: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let rows: Vec<Row> = SIZES
        .iter()
        .filter(|n| filter.is_empty() || filter.contains(n))
        .map(|&n| measure(n))
        .collect();
    let sizes = table(
        &[
            "full file",
            "same data as JSON",
            "JSON gzip",
            "packet: 300 edits",
            "full file after them",
            "packet: 5,000 changes",
            "full file with them",
        ],
        &rows.iter().map(|r| (r.n, &r.sizes)).collect::<Vec<_>>(),
    );
    let times = table(
        &[
            "export full",
            "export packet (300 edits)",
            "load full",
            "snapshot",
            "snapshot after one edit",
            "conflicts()",
            "import packet, 300 edits",
            "import packet, 5,000 changes",
            "same, reusing the worker's check",
            "import full, 5,000 changes",
            "Automerge alone: apply 5,000 changes",
        ],
        &rows.iter().map(|r| (r.n, &r.times)).collect::<Vec<_>>(),
    );
    println!("Sizes\n\n{sizes}\nTimes (median)\n\n{times}");
    if filter.is_empty() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/results/exchange.md");
        let text = format!(
            "# Exchange benchmark (native)\n\n\
             Written by `cargo bench --bench exchange` (release profile, {} cores, median of 3–5 \
             runs). Projects carry ~25 values each; every edit is its own change, as in the app. \
             \"Import\" is the whole checked path: parse with limits, merge into a copy, validate, \
             review with authors, conflicts touched (what the import worker runs); \
             \"reusing the worker's check\" is the app's side after it (parse, merge into a copy, \
             compare versions); the last column is Automerge applying the \
             same changes with no checks, for comparison.\n\n## Sizes\n\n{sizes}\n## Times\n\n{times}",
            std::thread::available_parallelism().map_or(1, |n| n.get()),
        ) + &format!(
            "\nLoad average while measuring (other builds share the machine): {}\n",
            std::fs::read_to_string("/proc/loadavg")
                .map(|l| l.split(' ').take(3).collect::<Vec<_>>().join(" "))
                .unwrap_or_else(|_| "unknown".into())
        );
        std::fs::write(path, text).unwrap();
        eprintln!("wrote {path}");
    }
}
