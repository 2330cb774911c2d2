//! The quick snapshot refresh (`snapshot_since`) reads exactly what a full
//! snapshot reads, for every kind of change the app makes or receives.
//! (The convergence property checks it after every random edit and import.)

mod common;
use common::*;
use pmo_desk::doc::{PortfolioDoc, Version};
use pmo_desk::domain::{Command, Entity, FieldChange, Op, Portfolio, Program};
use serde_json::json;

/// Applies `op` and returns the refreshed snapshot, checked against a
/// full read.
fn refreshed_after(doc: &mut PortfolioDoc, op: Op, author: &str) -> Portfolio {
    let (previous, since) = (doc.snapshot(), doc.version());
    doc.apply(&Command::new("Edit", vec![op]), author, T0 + 5)
        .unwrap();
    same_as_full_read(doc, &previous, &since)
}

fn same_as_full_read(doc: &mut PortfolioDoc, previous: &Portfolio, since: &Version) -> Portfolio {
    let quick = doc.snapshot_since(previous, since);
    assert_eq!(quick, doc.snapshot());
    quick
}

fn program(id: &str, name: &str) -> Program {
    Program {
        id: id.into(),
        name: name.into(),
        ..Program::default()
    }
}

#[test]
fn edits_of_every_kind_refresh_like_a_full_read() {
    let mut doc = new_portfolio();
    add_project(&mut doc, "p1", "Web relaunch", "Ada");
    add_project(&mut doc, "p2", "CRM", "Ada");

    let created = refreshed_after(&mut doc, program("g1", "Digital").create_op(), "Ada");
    assert_eq!(created.programs["g1"].name, "Digital");

    let patch = Op::Patch {
        collection: "projects".into(),
        id: "p1".into(),
        changes: vec![
            FieldChange::set(&["budget"], json!(1200.0)),
            FieldChange::set(&["objectives", "o1"], json!(3)),
        ],
    };
    let patched = refreshed_after(&mut doc, patch, "Ada");
    assert_eq!(patched.projects["p1"].budget, 1200.0);
    assert_eq!(patched.projects["p2"], doc.snapshot().projects["p2"]);

    let removed = Op::Patch {
        collection: "projects".into(),
        id: "p1".into(),
        changes: vec![FieldChange::remove(&["objectives", "o1"])],
    };
    refreshed_after(&mut doc, removed, "Ada");

    let deleted = Op::Delete {
        collection: "projects".into(),
        id: "p2".into(),
    };
    assert!(!refreshed_after(&mut doc, deleted, "Ada")
        .projects
        .contains_key("p2"));

    let renamed = Op::SetRoot {
        change: FieldChange::set(&["name"], json!("Acme Group PMO")),
    };
    assert_eq!(
        refreshed_after(&mut doc, renamed, "Ada").name,
        "Acme Group PMO"
    );

    let setting = Op::SetRoot {
        change: FieldChange::set(&["settings", "currency"], json!("CHF")),
    };
    assert_eq!(
        refreshed_after(&mut doc, setting, "Ada").settings.currency,
        "CHF"
    );

    // The name recorded for the device travels with the change.
    let by_ben = Op::Patch {
        collection: "projects".into(),
        id: "p1".into(),
        changes: vec![FieldChange::set(&["manager"], json!("Ben"))],
    };
    let people = refreshed_after(&mut doc, by_ben, "Ben").people_by_actor;
    assert_eq!(people.get(ADA).map(String::as_str), Some("Ben"));
}

#[test]
fn a_removed_or_recreated_collection_is_read_again_whole() {
    let mut doc = new_portfolio();
    add_project(&mut doc, "p1", "Web relaunch", "Ada");
    let removed = Op::SetRoot {
        change: FieldChange::remove(&["projects"]),
    };
    assert!(refreshed_after(&mut doc, removed, "Ada")
        .projects
        .is_empty());
    let (previous, since) = (doc.snapshot(), doc.version());
    add_project(&mut doc, "p9", "Fresh", "Ada");
    let quick = same_as_full_read(&mut doc, &previous, &since);
    assert_eq!(quick.projects.keys().collect::<Vec<_>>(), ["p9"]);
}

#[test]
fn a_merge_with_concurrent_edits_and_conflicts_refreshes_like_a_full_read() {
    let mut ada = new_portfolio();
    add_project(&mut ada, "p1", "Web relaunch", "Ada");
    add_project(&mut ada, "p2", "CRM", "Ada");
    let mut ben = copy_for(&mut ada, BEN);
    edit_project(&mut ada, "p1", "Ada", |p| p.budget = 100.0);
    edit_project(&mut ben, "p1", "Ben", |p| p.budget = 200.0);
    edit_project(&mut ben, "p2", "Ben", |p| p.manager = "Ben".into());
    ben.apply(
        &Command::new("Add program", vec![program("g1", "Ops").create_op()]),
        "Ben",
        T0,
    )
    .unwrap();
    let (previous, since) = (ada.snapshot(), ada.version());
    let packet = ben.export_packet(&since, "Ben").unwrap();
    ada.import(&packet).unwrap();
    let quick = same_as_full_read(&mut ada, &previous, &since);
    assert_eq!(quick.programs["g1"].name, "Ops");
    assert_eq!(quick.people_by_actor[BEN], "Ben");
    assert!(!ada.conflicts().is_empty());
}

#[test]
fn unreadable_records_fall_back_to_the_full_read_and_its_report() {
    let mut doc = new_portfolio();
    add_project(&mut doc, "p1", "Web relaunch", "Ada");
    let broken = Op::Patch {
        collection: "projects".into(),
        id: "p1".into(),
        changes: vec![FieldChange::set(&["budget"], json!("a lot"))],
    };
    let quick = refreshed_after(&mut doc, broken, "Ada");
    assert!(!quick.problems.is_empty(), "the broken record is reported");
    // From a snapshot with problems, the next refresh reads everything.
    let fixed = Op::Patch {
        collection: "projects".into(),
        id: "p1".into(),
        changes: vec![FieldChange::set(&["budget"], json!(10.0))],
    };
    assert!(refreshed_after(&mut doc, fixed, "Ada").problems.is_empty());
}

#[test]
fn no_changes_since_gives_the_previous_snapshot() {
    let mut doc = new_portfolio();
    add_project(&mut doc, "p1", "Web relaunch", "Ada");
    let (previous, since) = (doc.snapshot(), doc.version());
    assert_eq!(doc.snapshot_since(&previous, &since), previous);
}
