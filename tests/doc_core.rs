//! The document core: create, apply commands, save/load, merge, history.

mod common;
use common::*;
use pmo_desk::doc::{layout, DocError, PortfolioDoc};
use pmo_desk::domain::{Command, Entity, FieldChange, Op};
use serde_json::json;

#[test]
fn a_new_portfolio_has_id_name_schema_and_its_creator() {
    let doc = new_portfolio();
    let p = doc.snapshot();
    assert_eq!(p.name, "Acme PMO");
    assert_eq!(p.schema, layout::SCHEMA_VERSION);
    assert_eq!(p.id.len(), 16);
    assert_eq!(p.person(ADA), "Ada");
    assert_eq!(p.settings.currency, "EUR");
    assert_ne!(new_portfolio().snapshot().id, p.id, "ids are unique");
}

#[test]
fn add_rename_delete_project_each_one_named_change() {
    let mut doc = new_portfolio();
    add_project(&mut doc, "p1", "Website relaunch", "Ada");
    edit_project(&mut doc, "p1", "Ada", |p| p.name = "Web relaunch".into());
    assert_eq!(doc.snapshot().projects["p1"].name, "Web relaunch");

    let p = doc.snapshot().projects["p1"].clone();
    doc.apply(
        &Command::new("Delete project Web relaunch", vec![p.delete_op()]),
        "Ada",
        T0 + 120,
    )
    .unwrap();
    assert!(doc.snapshot().projects.is_empty());

    let history = doc.history();
    let summaries: Vec<_> = history.iter().map(|h| h.summary.as_str()).collect();
    assert_eq!(
        summaries,
        [
            "Create portfolio Acme PMO",
            "Add project Website relaunch",
            "Edit Website relaunch",
            "Delete project Web relaunch"
        ]
    );
    assert!(history.iter().all(|h| h.actor == ADA));
    assert_eq!(history[3].time, T0 + 120);
}

#[test]
fn a_failing_command_changes_nothing() {
    let mut doc = new_portfolio();
    add_project(&mut doc, "p1", "One", "Ada");
    let before = doc.save();
    let bad = Command::new(
        "Rename two",
        vec![
            Op::Patch {
                collection: "projects".into(),
                id: "p1".into(),
                changes: vec![FieldChange::set(&["name"], json!("Changed"))],
            },
            Op::Patch {
                collection: "projects".into(),
                id: "missing".into(),
                changes: vec![FieldChange::set(&["name"], json!("X"))],
            },
        ],
    );
    let err = doc.apply(&bad, "Ada", T0).unwrap_err();
    assert_eq!(
        err,
        DocError::NotFound {
            noun: "project".into(),
            id: "missing".into()
        }
    );
    assert_eq!(doc.snapshot().projects["p1"].name, "One");
    assert_eq!(doc.save(), before);
}

#[test]
fn creating_an_existing_id_is_refused() {
    let mut doc = new_portfolio();
    add_project(&mut doc, "p1", "One", "Ada");
    let again = pmo_desk::domain::Project::named("p1", "Two").create_op();
    let err = doc
        .apply(&Command::new("Add", vec![again]), "Ada", T0)
        .unwrap_err();
    assert!(matches!(err, DocError::AlreadyExists { .. }));
}

#[test]
fn save_and_load_round_trip_keeps_everything() {
    let mut doc = new_portfolio();
    add_project(&mut doc, "p1", "One", "Ada");
    edit_project(&mut doc, "p1", "Ada", |p| {
        p.description = "Long text".into();
        p.objectives.insert("o1".into(), 3);
        p.tags = vec!["web".into(), "cx".into()];
        p.budget = 1500.5;
    });
    let mut loaded = PortfolioDoc::load(&doc.save(), BEN).unwrap();
    assert_eq!(loaded.snapshot(), doc.snapshot());
    assert_eq!(loaded.history().len(), doc.history().len());
    assert_eq!(loaded.actor_hex(), BEN);
}

#[test]
fn changes_after_a_version_replay_onto_an_older_copy() {
    let mut doc = new_portfolio();
    let mut stored = PortfolioDoc::load(&doc.save(), ADA).unwrap();
    let since = doc.version();
    add_project(&mut doc, "p1", "One", "Ada");
    edit_project(&mut doc, "p1", "Ada", |p| p.budget = 10.0);
    let record = doc.save_after(&since);
    assert_eq!(stored.apply_changes(&record).unwrap(), 2);
    assert_eq!(stored.snapshot(), doc.snapshot());
    assert_eq!(
        stored.apply_changes(&record).unwrap(),
        0,
        "re-applying is harmless"
    );
}

#[test]
fn changes_whose_base_is_missing_are_refused_whole() {
    let mut doc = new_portfolio();
    let mut stale = PortfolioDoc::load(&doc.save(), BEN).unwrap();
    add_project(&mut doc, "p1", "One", "Ada");
    let v = doc.version();
    add_project(&mut doc, "p2", "Two", "Ada");
    let before = stale.save();
    let err = stale.apply_changes(&doc.save_after(&v)).unwrap_err();
    assert_eq!(
        err,
        DocError::MissingChanges {
            count: 1,
            sender: String::new()
        }
    );
    assert_eq!(stale.save(), before);
}

#[test]
fn two_people_editing_different_fields_both_keep_their_edit() {
    let mut ada = new_portfolio();
    add_project(&mut ada, "p1", "One", "Ada");
    let mut ben = copy_for(&mut ada, BEN);
    edit_project(&mut ada, "p1", "Ada", |p| p.budget = 100.0);
    edit_project(&mut ben, "p1", "Ben", |p| p.manager = "Ben".into());
    exchange(&mut ada, &mut ben);
    assert_eq!(ada.snapshot(), ben.snapshot());
    let p = &ada.snapshot().projects["p1"];
    assert_eq!((p.budget, p.manager.as_str()), (100.0, "Ben"));
    assert_eq!(ada.snapshot().person(BEN), "Ben");
}

#[test]
fn concurrent_description_edits_merge_as_text() {
    let mut ada = new_portfolio();
    add_project(&mut ada, "p1", "One", "Ada");
    edit_project(&mut ada, "p1", "Ada", |p| {
        p.description = "Build the site.".into()
    });
    let mut ben = copy_for(&mut ada, BEN);
    edit_project(&mut ada, "p1", "Ada", |p| {
        p.description = "Plan and build the site.".into()
    });
    edit_project(&mut ben, "p1", "Ben", |p| {
        p.description = "Build the site. Then launch.".into()
    });
    exchange(&mut ada, &mut ben);
    assert_eq!(
        ada.snapshot().projects["p1"].description,
        "Plan and build the site. Then launch."
    );
}

#[test]
fn merge_reports_new_changes_and_is_idempotent() {
    let mut ada = new_portfolio();
    let mut ben = copy_for(&mut ada, BEN);
    add_project(&mut ben, "p1", "One", "Ben");
    let file = ben.save();
    let outcome = ada.merge(&file).unwrap();
    assert_eq!(outcome.new_changes, 1);
    assert_ne!(outcome.before, outcome.after);
    assert_eq!(ada.merge(&file).unwrap().new_changes, 0);
}

/// See NOTES.md: containers created lazily by two peers at once conflict,
/// and a naive reader shows only one of them.
#[test]
fn a_collection_created_concurrently_by_two_peers_loses_nothing() {
    let mut ada = new_portfolio();
    let mut ben = copy_for(&mut ada, BEN);
    let program = |id: &str, name: &str| Op::Create {
        collection: "programs".into(),
        id: id.into(),
        fields: json!({"name": name, "scores": {}})
            .as_object()
            .unwrap()
            .clone(),
    };
    ada.apply(
        &Command::new("Add program A", vec![program("g1", "Growth")]),
        "Ada",
        T0,
    )
    .unwrap();
    ben.apply(
        &Command::new("Add program B", vec![program("g2", "Savings")]),
        "Ben",
        T0,
    )
    .unwrap();
    exchange(&mut ada, &mut ben);
    let programs = ada.root_json(None)["programs"].clone();
    assert_eq!(programs, ben.root_json(None)["programs"]);
    assert_eq!(programs["g1"]["name"], "Growth");
    assert_eq!(programs["g2"]["name"], "Savings");

    // Both entities stay editable and deletable wherever they live.
    let rename = |id: &str| Op::Patch {
        collection: "programs".into(),
        id: id.into(),
        changes: vec![FieldChange::set(&["name"], json!(format!("{id} renamed")))],
    };
    ada.apply(
        &Command::new("Rename", vec![rename("g1"), rename("g2")]),
        "Ada",
        T0,
    )
    .unwrap();
    let programs = ada.root_json(None)["programs"].clone();
    assert_eq!(programs["g1"]["name"], "g1 renamed");
    assert_eq!(programs["g2"]["name"], "g2 renamed");
    let delete = Op::Delete {
        collection: "programs".into(),
        id: "g2".into(),
    };
    ada.apply(&Command::new("Delete", vec![delete]), "Ada", T0)
        .unwrap();
    assert!(ada.root_json(None)["programs"].get("g2").is_none());
}

#[test]
fn a_nested_map_created_concurrently_keeps_both_peers_entries() {
    let mut ada = new_portfolio();
    add_project(&mut ada, "p1", "One", "Ada");
    let mut ben = copy_for(&mut ada, BEN);
    let score = |who: &str| Op::Patch {
        collection: "projects".into(),
        id: "p1".into(),
        changes: vec![FieldChange::set(&["scores", who, "value"], json!(4))],
    };
    ada.apply(&Command::new("Score", vec![score("ada")]), "Ada", T0)
        .unwrap();
    ben.apply(&Command::new("Score", vec![score("ben")]), "Ben", T0)
        .unwrap();
    exchange(&mut ada, &mut ben);
    let scores = ada.root_json(None)["projects"]["p1"]["scores"].clone();
    assert_eq!(scores, json!({"ada": {"value": 4}, "ben": {"value": 4}}));
}

mod bad_input {
    use super::*;

    fn assert_load_error(bytes: &[u8], expected: impl Fn(&DocError) -> bool) {
        let err = PortfolioDoc::load(bytes, ADA)
            .err()
            .expect("load must fail");
        assert!(expected(&err), "unexpected error {err:?}");
        // Merging the same bytes into a real portfolio leaves it untouched.
        let mut doc = new_portfolio();
        add_project(&mut doc, "p1", "Keep me", "Ada");
        let before = doc.save();
        assert!(doc.merge(bytes).is_err());
        assert_eq!(doc.save(), before);
    }

    #[test]
    fn empty() {
        assert_load_error(&[], |e| *e == DocError::Empty);
    }

    #[test]
    fn random_bytes() {
        let bytes: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        assert_load_error(&bytes, |e| *e == DocError::NotAutomerge);
    }

    #[test]
    fn a_png_image() {
        let png =
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
        assert_load_error(png, |e| *e == DocError::NotAutomerge);
    }

    #[test]
    fn truncated_file() {
        let mut doc = new_portfolio();
        add_project(&mut doc, "p1", "One", "Ada");
        let bytes = doc.save();
        for cut in [5, bytes.len() / 2, bytes.len() - 1] {
            assert_load_error(&bytes[..cut], |e| matches!(e, DocError::Corrupt(_)));
        }
    }

    #[test]
    fn flipped_byte() {
        let mut doc = new_portfolio();
        let mut bytes = doc.save();
        let mid = bytes.len() / 2;
        bytes[mid] ^= 0xff;
        assert_load_error(&bytes, |e| {
            matches!(e, DocError::Corrupt(_) | DocError::NotPortfolio)
        });
    }

    #[test]
    fn another_apps_automerge_document() {
        use automerge::{transaction::Transactable, AutoCommit, ROOT};
        let mut other = AutoCommit::new();
        other.put(ROOT, "title", "Shopping list").unwrap();
        other.commit();
        assert_load_error(&other.save(), |e| *e == DocError::NotPortfolio);
        assert_load_error(&AutoCommit::new().save(), |e| *e == DocError::NotPortfolio);
    }

    #[test]
    fn a_newer_schema() {
        let mut doc = new_portfolio();
        doc.apply(
            &Command::new(
                "Future",
                vec![Op::SetRoot {
                    change: FieldChange::set(&["schema"], json!(99)),
                }],
            ),
            "Ada",
            T0,
        )
        .unwrap();
        let bytes = doc.save();
        assert_load_error(&bytes, |e| {
            *e == DocError::NewerSchema {
                found: 99,
                supported: layout::SCHEMA_VERSION,
            }
        });
    }

    #[test]
    fn a_different_portfolio_names_both() {
        let mut ours = new_portfolio();
        let mut theirs = PortfolioDoc::create("Beta Office", BEN, "Ben", T0).unwrap();
        let before = ours.save();
        let err = ours.merge(&theirs.save()).unwrap_err();
        let DocError::DifferentPortfolio {
            ours_name,
            theirs_name,
            ..
        } = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!(
            (ours_name.as_str(), theirs_name.as_str()),
            ("Acme PMO", "Beta Office")
        );
        assert!(err.user_message().contains("Beta Office"));
        assert_eq!(ours.save(), before);
    }

    #[test]
    fn invalid_actor_ids_are_refused() {
        assert!(matches!(
            PortfolioDoc::create("X", "zz", "Ada", T0),
            Err(DocError::InvalidActor(_))
        ));
        assert!(matches!(
            PortfolioDoc::create("X", "", "Ada", T0),
            Err(DocError::InvalidActor(_))
        ));
    }
}
