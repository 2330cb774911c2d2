//! Generates portfolio files for benchmarks and end-to-end tests.
//!
//! ```text
//! cargo run --release --example gen_portfolio -- --projects 1000 --out big.pmo
//! cargo run --release --example gen_portfolio -- --base big.pmo --edits 5000 --out edits.pmo
//! ```
//!
//! Without `--base` it writes a new portfolio holding `--projects` projects
//! (one change per project, like people adding them one by one) as a full
//! file. With `--base` it opens that file as a colleague on another device,
//! makes `--edits` single-field edits (one change each, spread over the
//! projects) plus `--projects` new projects, and writes what the colleague
//! would send back: a changes packet (default) or, with `--full`, a full
//! file. `--actor` sets the colleague's device id (32 hex digits) when
//! several files are made from one base. Output is deterministic for a
//! given `--seed` (portfolio ids aside).

use pmo_desk::doc::{FileKind, PortfolioDoc, Version};
use pmo_desk::domain::{Command, Date, Entity, Priority, Project, ProjectStatus};
use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Instant;

const AUTHOR_ACTOR: &str = "0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a";
const COLLEAGUE_ACTOR: &str = "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b";
/// 2026-01-05 09:00 UTC: fixed, so the files are reproducible.
const T0: i64 = 1_767_603_600;

struct Args {
    projects: usize,
    edits: usize,
    base: Option<String>,
    out: String,
    full: bool,
    seed: u64,
    name: String,
    actor: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        projects: 0,
        edits: 0,
        base: None,
        out: String::new(),
        full: false,
        seed: 1,
        name: "Generated portfolio".into(),
        actor: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--projects" => args.projects = value()?.parse().map_err(|e| format!("{e}"))?,
            "--edits" => args.edits = value()?.parse().map_err(|e| format!("{e}"))?,
            "--base" => args.base = Some(value()?),
            "--out" => args.out = value()?,
            "--seed" => args.seed = value()?.parse().map_err(|e| format!("{e}"))?,
            "--name" => args.name = value()?,
            "--actor" => args.actor = Some(value()?),
            "--full" => args.full = true,
            "--help" | "-h" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    if args.out.is_empty() {
        return Err(format!("--out is required\n{USAGE}"));
    }
    Ok(args)
}

const USAGE: &str = "usage: gen_portfolio --out FILE [--projects N] [--name NAME] [--seed S]\n       gen_portfolio --base FILE --out FILE [--edits M] [--projects N] [--full] [--seed S] [--actor HEX]";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_portfolio: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let mut rng = Rng(args.seed.max(1));
    let started = Instant::now();
    let bytes = match &args.base {
        None => {
            let mut doc = PortfolioDoc::create(&args.name, AUTHOR_ACTOR, "Ada Author", T0)
                .map_err(|e| e.to_string())?;
            add_projects(&mut doc, args.projects, "Ada Author", &mut rng)?;
            doc.export_full()
        }
        Some(base) => {
            let base_bytes = std::fs::read(base).map_err(|e| format!("{base}: {e}"))?;
            // Two files made from one base need two actors, like two people.
            let actor = args.actor.as_deref().unwrap_or(COLLEAGUE_ACTOR);
            let mut doc = open_file(&base_bytes, actor).map_err(|e| format!("{base}: {e}"))?;
            let since = doc.version();
            add_projects(&mut doc, args.projects, "Cleo Colleague", &mut rng)?;
            edit_projects(&mut doc, args.edits, &mut rng)?;
            if args.full {
                doc.export_full()
            } else {
                export_packet(&mut doc, &since)?
            }
        }
    };
    std::fs::write(&args.out, &bytes).map_err(|e| format!("{}: {e}", args.out))?;
    eprintln!(
        "wrote {} ({} bytes) in {:.1} s",
        args.out,
        bytes.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn export_packet(doc: &mut PortfolioDoc, since: &Version) -> Result<Vec<u8>, String> {
    doc.export_packet(since, "Cleo Colleague")
        .map_err(|e| e.to_string())
}

/// Opens a full file the way a colleague's browser does.
fn open_file(bytes: &[u8], actor: &str) -> Result<PortfolioDoc, String> {
    let (doc, info) = PortfolioDoc::open_file(bytes, actor).map_err(|e| e.to_string())?;
    if info.kind != FileKind::Full {
        return Err("--base must be a full portfolio file".into());
    }
    Ok(doc)
}

fn add_projects(
    doc: &mut PortfolioDoc,
    count: usize,
    author: &str,
    rng: &mut Rng,
) -> Result<(), String> {
    let start = doc.snapshot().projects.len();
    for i in 0..count {
        let project = sample_project(start + i, rng);
        let command = Command::new(
            format!("Add project {}", project.name),
            vec![project.create_op()],
        );
        doc.apply(&command, author, T0 + (start + i) as i64 * 60)
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn edit_projects(doc: &mut PortfolioDoc, edits: usize, rng: &mut Rng) -> Result<(), String> {
    let mut projects: BTreeMap<String, Project> = doc.snapshot().projects;
    let ids: Vec<String> = projects.keys().cloned().collect();
    if ids.is_empty() && edits > 0 {
        return Err("the base portfolio has no projects to edit".into());
    }
    for i in 0..edits {
        let id = &ids[rng.below(ids.len())];
        let old = projects[id].clone();
        let mut new = old.clone();
        match i % 4 {
            0 => new.percent_complete = (rng.below(101)) as f64,
            1 => new.actual_cost = (rng.below(5_000) * 100) as f64,
            2 => new.status = ProjectStatus::ALL[rng.below(ProjectStatus::ALL.len())],
            _ => new.manager = PEOPLE[rng.below(PEOPLE.len())].to_string(),
        }
        if let Some(op) = new.update_op(&old) {
            let command = Command::new(format!("Edit project {}", old.name), vec![op]);
            doc.apply(&command, "Cleo Colleague", T0 + 86_400 + i as i64)
                .map_err(|e| e.to_string())?;
        }
        projects.insert(id.clone(), new);
    }
    Ok(())
}

const PEOPLE: [&str; 8] = [
    "Ada Author",
    "Ben Baker",
    "Cleo Colleague",
    "Dev Dutta",
    "Eve Evans",
    "Fay Fischer",
    "Gus Garcia",
    "Hana Hayashi",
];
const WORDS: [&str; 16] = [
    "Billing",
    "Cloud",
    "Customer",
    "Data",
    "Digital",
    "Finance",
    "Logistics",
    "Mobile",
    "Network",
    "Payroll",
    "Portal",
    "Procurement",
    "Reporting",
    "Security",
    "Supply",
    "Warehouse",
];
const KINDS: [&str; 6] = [
    "migration",
    "relaunch",
    "upgrade",
    "rollout",
    "consolidation",
    "programme",
];

fn sample_project(n: usize, rng: &mut Rng) -> Project {
    let name = format!(
        "{} {} {}",
        WORDS[rng.below(WORDS.len())],
        KINDS[rng.below(KINDS.len())],
        n + 1
    );
    let start = Date::from_ymd(2026, 1, 5).unwrap_or(Date::from_days(20_458));
    let planned_start = Date::from_days(start.days() + rng.below(365) as i32);
    let planned_end = Date::from_days(planned_start.days() + 30 + rng.below(700) as i32);
    let mut project = Project::named(format!("gen-{:06}", n + 1), name.clone());
    project.code = format!("P-{:05}", n + 1);
    project.description = format!(
        "{name}: replaces the current process, reduces manual work and gives the business one source of truth."
    );
    project.sponsor = PEOPLE[rng.below(PEOPLE.len())].into();
    project.manager = PEOPLE[rng.below(PEOPLE.len())].into();
    project.status = ProjectStatus::ALL[rng.below(ProjectStatus::ALL.len())];
    project.priority = Priority::ALL[rng.below(Priority::ALL.len())];
    project.planned_start = Some(planned_start);
    project.planned_end = Some(planned_end);
    project.budget = (50 + rng.below(2_000)) as f64 * 1_000.0;
    project.actual_cost = project.budget * rng.below(80) as f64 / 100.0;
    project.percent_complete = rng.below(100) as f64;
    project.tags = vec![WORDS[rng.below(WORDS.len())].to_lowercase()];
    project
}

/// xorshift64: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}
