//! The Rust half of the interop test with the official JS Automerge
//! (`@automerge/automerge`). Driven by `node tests/interop/run.mjs`, which
//! runs `write_app_files`, lets JS read and edit the files, then runs
//! `import_js_file`. Ignored in a plain `cargo test` (they need the JS
//! step in between); the files live in `target/interop/`.

mod common;
use common::*;
use pmo_desk::doc::{ChangeKind, PortfolioDoc};
use pmo_desk::domain::{Command, Entity};
use serde_json::json;
use std::path::PathBuf;

/// The JS side edits as this actor and records this name.
const JS_ACTOR: &str = "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/interop")
}

#[test]
#[ignore = "run by tests/interop/run.mjs"]
fn write_app_files() {
    std::fs::create_dir_all(dir()).unwrap();
    let mut ada = new_portfolio();
    add_project(&mut ada, "p1", "Website relaunch", "Ada");
    edit_project(&mut ada, "p1", "Ada", |p| {
        p.code = "WEB".into();
        p.description = "Replace the old site.".into();
        p.tags = vec!["web".into(), "cx".into()];
        p.objectives.insert("o1".into(), 3);
        p.budget = 120_000.0;
    });
    std::fs::write(dir().join("app-base.pmo"), ada.export_full()).unwrap();
    let base = ada.version();
    add_project(&mut ada, "p2", "Data platform", "Ada");
    // A packet the JS side applies onto app-base.pmo (envelope per docs).
    std::fs::write(
        dir().join("app-changes.pmo"),
        ada.export_packet(&base, "Ada").unwrap(),
    )
    .unwrap();
    std::fs::write(dir().join("app.pmo"), ada.export_full()).unwrap();
    let s = ada.snapshot();
    let expect = json!({
        "portfolio_id": s.id,
        "name": s.name,
        "projects": s.projects.values().map(|p| (p.id.clone(), p.name.clone())).collect::<std::collections::BTreeMap<_, _>>(),
        "js_actor": JS_ACTOR,
    });
    std::fs::write(dir().join("expect.json"), expect.to_string()).unwrap();
}

#[test]
#[ignore = "run by tests/interop/run.mjs"]
fn import_js_file() {
    let app = std::fs::read(dir().join("app.pmo")).expect("run write_app_files first");
    let js = std::fs::read(dir().join("js.pmo")).expect("the JS step writes js.pmo");
    let mut ada = PortfolioDoc::load(&app, ADA).unwrap();
    let report = ada.import(&js).unwrap();
    assert!(report.outcome.new_changes >= 1);
    assert_eq!(report.info.sender_actor.as_deref(), Some(JS_ACTOR));
    assert_eq!(report.info.sender_name.as_deref(), Some("Script Robot"));

    let s = ada.snapshot();
    assert!(s.problems.is_empty(), "{:?}", s.problems);
    // The project JS added, strings written as JS Text objects.
    let p = &s.projects["js1"];
    assert_eq!(p.name, "Added by a script");
    assert_eq!(p.code, "JS-1");
    assert_eq!(p.description, "Written with @automerge/automerge.");
    assert_eq!(p.status, pmo_desk::domain::ProjectStatus::Active);
    assert_eq!(p.budget, 250_000.0);
    assert_eq!(p.tags, ["script"]);
    assert_eq!(p.objectives.get("o1"), Some(&2));
    assert_eq!(
        p.planned_start.map(|d| d.to_string()).as_deref(),
        Some("2026-06-01")
    );
    // JS's edit of an existing project, and a text splice into its description.
    let web = &s.projects["p1"];
    assert_eq!(web.budget, 135_000.0);
    assert_eq!(web.description, "Replace the old site by June.");
    assert_eq!(s.person(JS_ACTOR), "Script Robot");

    let added = report
        .review
        .entities
        .iter()
        .find(|e| e.id == "js1")
        .unwrap();
    assert_eq!(added.kind, ChangeKind::Added);
    assert!(added.fields.iter().all(|f| f.authors == [JS_ACTOR]));
    let budget = report
        .review
        .entities
        .iter()
        .find(|e| e.id == "p1")
        .and_then(|e| e.fields.iter().find(|f| f.path == ["budget"]))
        .unwrap();
    assert_eq!(budget.authors, [JS_ACTOR]);
    assert_eq!(budget.old, Some(json!(120_000.0)));

    // The same edit as a packet written by JS, following the docs.
    let packet = std::fs::read(dir().join("js-changes.pmo")).expect("the JS step writes it");
    let mut other = PortfolioDoc::load(&app, CYD).unwrap();
    let via_packet = other.import(&packet).unwrap();
    assert_eq!(via_packet.info.kind, pmo_desk::doc::FileKind::Packet);
    assert_eq!(via_packet.info.sender_name.as_deref(), Some("Script Robot"));
    assert_eq!(other.snapshot(), s);

    // And the app keeps working on what JS wrote: edit it and round-trip.
    let mut js_project = p.clone();
    let old = js_project.clone();
    js_project.name = "Renamed in the app".into();
    ada.apply(
        &Command::new("Rename", vec![js_project.update_op(&old).unwrap()]),
        "Ada",
        T0,
    )
    .unwrap();
    let again = PortfolioDoc::load(&ada.export_full(), BEN).unwrap();
    assert_eq!(again.snapshot().projects["js1"].name, "Renamed in the app");
}
