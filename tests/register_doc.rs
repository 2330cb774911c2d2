//! The register's data in the document: the sample as one named change,
//! overrides and thresholds merging between people.

mod common;
use common::*;
use pmo_desk::doc::PortfolioDoc;
use pmo_desk::domain::{
    sample, Command, Date, Dimension, Entity, FieldChange, HealthOverride, Op, Rag,
};
use serde_json::json;

fn today() -> Date {
    Date::parse("2026-05-15").unwrap()
}

fn override_of(rag: Rag, reason: &str, by: &str) -> HealthOverride {
    HealthOverride {
        rag,
        reason: reason.into(),
        by: by.into(),
        at: Some(today()),
    }
}

#[test]
fn the_sample_loads_as_one_named_change_and_survives_save_and_load() {
    let mut doc = new_portfolio();
    let records = sample::sample(today());
    let cmd = records
        .command(sample::LOAD_SUMMARY, &doc.snapshot())
        .unwrap();
    doc.apply(&cmd, "Ada", T0).unwrap();
    let history = doc.history();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].summary, "Load sample portfolio");

    let reloaded = PortfolioDoc::load(&doc.save(), BEN).unwrap().snapshot();
    assert_eq!(reloaded.projects.len(), records.projects.len());
    assert_eq!(reloaded.programs.len(), 3);
    assert_eq!(reloaded.objectives.len(), 5);
    assert!(reloaded.problems.is_empty(), "{:?}", reloaded.problems);
    for p in &records.projects {
        assert_eq!(&reloaded.projects[&p.id], p, "{}", p.name);
    }
    // It is an ordinary portfolio: editable like any other.
    edit_project(&mut doc, &records.projects[0].id, "Ada", |p| {
        p.actual_cost = p.budget * 2.0
    });
    let p = &doc.snapshot().projects[&records.projects[0].id];
    assert_eq!(doc.snapshot().health_of(p, today()).overall, Rag::Red);
    // Loading again adds nothing.
    assert!(records
        .command(sample::LOAD_SUMMARY, &doc.snapshot())
        .is_none());
    // Removing it leaves an empty register, as one change.
    let remove = sample::remove_command(&doc.snapshot()).unwrap();
    doc.apply(&remove, "Ada", T0 + 5).unwrap();
    let after = doc.snapshot();
    assert!(after.projects.is_empty() && after.programs.is_empty() && after.objectives.is_empty());
}

#[test]
fn overrides_of_different_dimensions_by_two_people_both_survive() {
    let mut ada = new_portfolio();
    add_project(&mut ada, "p1", "Web", "Ada");
    let mut ben = copy_for(&mut ada, BEN);

    edit_project(&mut ada, "p1", "Ada", |p| {
        p.health_overrides.insert(
            "budget".into(),
            override_of(Rag::Amber, "Extra funds approved.", "Ada"),
        );
    });
    edit_project(&mut ben, "p1", "Ben", |p| {
        p.health_overrides.insert(
            "risks".into(),
            override_of(Rag::Red, "Supplier insolvency.", "Ben"),
        );
    });
    exchange(&mut ada, &mut ben);
    for doc in [&ada, &ben] {
        let p = &doc.snapshot().projects["p1"];
        assert_eq!(p.health_overrides.len(), 2);
        let report = doc.snapshot().health_of(p, today());
        assert_eq!(report.rag(Dimension::Budget), Rag::Amber);
        assert_eq!(report.rag(Dimension::Risks), Rag::Red);
        assert_eq!(report.overall, Rag::Red);
    }

    // Clearing an override removes just that dimension's entry.
    edit_project(&mut ada, "p1", "Ada", |p| {
        p.health_overrides.remove("budget");
    });
    let p = &ada.snapshot().projects["p1"];
    assert_eq!(p.health_overrides.keys().collect::<Vec<_>>(), ["risks"]);
}

#[test]
fn overrides_on_projects_from_before_the_field_existed_still_merge() {
    // A project stored without the `health_overrides` map: both people
    // create it lazily at once, and the reader must keep both entries.
    let mut ada = new_portfolio();
    ada.apply(
        &Command::new(
            "Add project Old",
            vec![Op::Create {
                collection: "projects".into(),
                id: "p1".into(),
                fields: json!({"name": "Old"}).as_object().unwrap().clone(),
            }],
        ),
        "Ada",
        T0,
    )
    .unwrap();
    let mut ben = copy_for(&mut ada, BEN);
    edit_project(&mut ada, "p1", "Ada", |p| {
        p.health_overrides.insert(
            "scope".into(),
            override_of(Rag::Amber, "Scope grew.", "Ada"),
        );
    });
    edit_project(&mut ben, "p1", "Ben", |p| {
        p.health_overrides.insert(
            "resources".into(),
            override_of(Rag::Red, "Two people left.", "Ben"),
        );
    });
    exchange(&mut ada, &mut ben);
    let p = &ada.snapshot().projects["p1"];
    assert_eq!(
        p.health_overrides.keys().collect::<Vec<_>>(),
        ["resources", "scope"]
    );
    assert_eq!(ada.snapshot().projects, ben.snapshot().projects);
}

#[test]
fn threshold_changes_by_two_people_merge_key_by_key() {
    let mut ada = new_portfolio();
    assert_eq!(ada.snapshot().settings.health.budget_red_pct, 10.0);
    let mut ben = copy_for(&mut ada, BEN);
    let set = |doc: &mut PortfolioDoc, key: &str, value: serde_json::Value, who: &str| {
        doc.apply(
            &Command::new(
                format!("Change {key}"),
                vec![Op::SetRoot {
                    change: FieldChange::set(&["settings", "health", key], value),
                }],
            ),
            who,
            T0,
        )
        .unwrap();
    };
    set(&mut ada, "budget_red_pct", json!(15.0), "Ada");
    set(&mut ben, "schedule_red_days", json!(45), "Ben");
    exchange(&mut ada, &mut ben);
    let s = ada.snapshot().settings;
    assert_eq!(s.health.budget_red_pct, 15.0);
    assert_eq!(s.health.schedule_red_days, 45);
    assert_eq!(s.health.budget_amber_pct, 5.0);
    assert_eq!(s, ben.snapshot().settings);
}

#[test]
fn settings_without_thresholds_read_as_defaults() {
    let mut doc = new_portfolio();
    doc.apply(
        &Command::new(
            "Simulate an older document",
            vec![Op::SetRoot {
                change: FieldChange::remove(&["settings", "health"]),
            }],
        ),
        "Ada",
        T0,
    )
    .unwrap();
    let s = doc.snapshot();
    assert!(s.problems.is_empty(), "{:?}", s.problems);
    assert_eq!(s.settings.health, Default::default());
}

#[test]
fn program_and_objective_deletes_can_unlink_projects_in_the_same_change() {
    let mut doc = new_portfolio();
    let records = sample::sample(today());
    doc.apply(
        &records
            .command(sample::LOAD_SUMMARY, &doc.snapshot())
            .unwrap(),
        "Ada",
        T0,
    )
    .unwrap();
    let snap = doc.snapshot();
    let program = &records.programs[0];
    let mut ops = vec![program.delete_op()];
    for p in snap
        .projects
        .values()
        .filter(|p| p.program_id.as_deref() == Some(program.id.as_str()))
    {
        let mut q = p.clone();
        q.program_id = None;
        ops.extend(q.update_op(p));
    }
    doc.apply(&Command::new("Delete program", ops), "Ada", T0)
        .unwrap();
    let after = doc.snapshot();
    assert!(!after.programs.contains_key(&program.id));
    assert!(after
        .projects
        .values()
        .all(|p| p.program_id.as_deref() != Some(program.id.as_str())));
}
