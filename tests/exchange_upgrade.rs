//! Schema upgrades (NOTES.md hazard): a newer app opening an older
//! document that lacks a container creates it lazily when someone first
//! writes into it. Peers upgrading independently create competing copies;
//! nothing written into any copy may be lost after exchanging files.

mod common;
use automerge::{transaction::Transactable, AutoCommit, ObjType, ROOT};
use common::*;
use pmo_desk::doc::{layout, PortfolioDoc};
use pmo_desk::domain::{Command, Entity, FieldChange, Objective, Op};
use serde_json::json;

fn objective(id: &str, name: &str) -> Objective {
    Objective {
        id: id.into(),
        name: name.into(),
        weight: 1.0,
        ..Objective::default()
    }
}

fn add(doc: &mut PortfolioDoc, o: &Objective, author: &str) {
    doc.apply(
        &Command::new(format!("Add objective {}", o.name), vec![o.create_op()]),
        author,
        T0,
    )
    .unwrap();
}

/// What an app of an older schema would have written: no `objectives`
/// map at all (and no `programs` either).
fn older_document() -> Vec<u8> {
    let mut doc = AutoCommit::new().with_actor(automerge::ActorId::try_from(ADA).unwrap());
    doc.put(ROOT, layout::KEY_FORMAT, layout::FORMAT).unwrap();
    doc.put(ROOT, layout::KEY_SCHEMA, 1u64).unwrap();
    doc.put(ROOT, layout::KEY_PORTFOLIO_ID, "oldportfolio0001")
        .unwrap();
    doc.put(ROOT, layout::KEY_NAME, "Legacy PMO").unwrap();
    let actors = doc
        .put_object(ROOT, layout::KEY_ACTORS, ObjType::Map)
        .unwrap();
    doc.put(&actors, ADA, "Ada").unwrap();
    let projects = doc.put_object(ROOT, "projects", ObjType::Map).unwrap();
    let p1 = doc.put_object(&projects, "p1", ObjType::Map).unwrap();
    doc.put(&p1, "name", "Website").unwrap();
    doc.commit();
    doc.save()
}

/// Three peers on the older document each add objectives (and Ben edits
/// one of Ada's after a first exchange); files travel as packets and full
/// files in both directions.
#[test]
fn peers_upgrading_independently_lose_nothing() {
    let file = older_document();
    let (mut ada, _) = PortfolioDoc::open_file(&file, ADA).unwrap();
    let (mut ben, _) = PortfolioDoc::open_file(&file, BEN).unwrap();
    let (mut cyd, _) = PortfolioDoc::open_file(&file, CYD).unwrap();
    assert!(ada.snapshot().objectives.is_empty());
    let base = ada.version();

    add(&mut ada, &objective("o-ada", "Grow revenue"), "Ada");
    add(&mut ben, &objective("o-ben", "Cut costs"), "Ben");
    add(&mut cyd, &objective("o-cyd", "Happier customers"), "Cyd");
    // Programs too: another container the older document lacks.
    let program = |id: &str| Op::Create {
        collection: "programs".into(),
        id: id.into(),
        fields: json!({"name": id, "objectives": {}})
            .as_object()
            .unwrap()
            .clone(),
    };
    ada.apply(
        &Command::new("Add program", vec![program("g-ada")]),
        "Ada",
        T0,
    )
    .unwrap();
    ben.apply(
        &Command::new("Add program", vec![program("g-ben")]),
        "Ben",
        T0,
    )
    .unwrap();

    // Ada → Ben as a packet, Ben → Ada as a full file, Cyd gets Ben's full.
    ben.import(&ada.export_packet(&base, "Ada").unwrap())
        .unwrap();
    ada.import(&ben.export_full()).unwrap();
    edit(&mut ben, "o-ada", "Grow revenue 10%", "Ben");
    cyd.import(&ben.export_full()).unwrap();
    let cyd_base = base.clone();
    ada.import(&cyd.export_packet(&cyd_base, "Cyd").unwrap())
        .unwrap();
    ben.import(&ada.export_full()).unwrap();
    cyd.import(&ada.export_full()).unwrap();

    for doc in [&ada, &ben, &cyd] {
        let s = doc.snapshot();
        let mut names: Vec<_> = s.objectives.values().map(|o| o.name.as_str()).collect();
        names.sort();
        assert_eq!(
            names,
            ["Cut costs", "Grow revenue 10%", "Happier customers"]
        );
        let mut programs: Vec<_> = s.programs.keys().map(String::as_str).collect();
        programs.sort();
        assert_eq!(programs, ["g-ada", "g-ben"]);
        assert!(doc.conflicts().is_empty(), "{:#?}", doc.conflicts());
        assert!(s.problems.is_empty());
    }
    assert_eq!(ada.snapshot(), ben.snapshot());
    assert_eq!(ben.snapshot(), cyd.snapshot());

    // Every entity stays editable and deletable wherever its copy lives.
    for id in ["o-ada", "o-ben", "o-cyd"] {
        edit(&mut cyd, id, &format!("{id} renamed"), "Cyd");
    }
    let o = cyd.snapshot().objectives["o-ben"].clone();
    cyd.apply(&Command::new("Delete", vec![o.delete_op()]), "Cyd", T0)
        .unwrap();
    ada.import(&cyd.export_full()).unwrap();
    let names: Vec<_> = ada
        .snapshot()
        .objectives
        .values()
        .map(|o| o.name.clone())
        .collect();
    assert_eq!(names, ["o-ada renamed", "o-cyd renamed"]);
}

#[test]
fn a_container_removed_from_a_current_document_is_recreated_safely() {
    let mut ada = new_portfolio();
    ada.apply(
        &Command::new(
            "Drop objectives",
            vec![Op::SetRoot {
                change: FieldChange::remove(&["objectives"]),
            }],
        ),
        "Ada",
        T0,
    )
    .unwrap();
    let mut ben = copy_for(&mut ada, BEN);
    add(&mut ada, &objective("o1", "A"), "Ada");
    add(&mut ben, &objective("o2", "B"), "Ben");
    let ben_file = ben.export_full();
    ben.import(&ada.export_full()).unwrap();
    ada.import(&ben_file).unwrap();
    assert_eq!(ada.snapshot().objectives.len(), 2);
    assert_eq!(ada.snapshot(), ben.snapshot());
    assert!(ada.conflicts().is_empty());
}

fn edit(doc: &mut PortfolioDoc, id: &str, name: &str, author: &str) {
    let op = Op::Patch {
        collection: "objectives".into(),
        id: id.into(),
        changes: vec![FieldChange::set(&["name"], json!(name))],
    };
    doc.apply(&Command::new("Rename objective", vec![op]), author, T0)
        .unwrap();
}
