//! Merge review: per entity and field old → new with authors and time,
//! added and deleted entities, conflicts as decisions and resolving them.

mod common;
use common::*;
use pmo_desk::doc::{ChangeKind, Conflict, EntityChange, FieldDiff, PortfolioDoc, Review, Version};
use pmo_desk::domain::{Command, Entity, FieldChange, Op};
use serde_json::json;

const T_BEN: i64 = T0 + 7_200;

fn edit_at(doc: &mut PortfolioDoc, id: &str, author: &str, time: i64, change: FieldChange) {
    let op = Op::Patch {
        collection: "projects".into(),
        id: id.into(),
        changes: vec![change],
    };
    doc.apply(&Command::new(format!("Edit {id}"), vec![op]), author, time)
        .unwrap();
}

fn entity<'a>(review: &'a Review, id: &str) -> &'a EntityChange {
    review
        .entities
        .iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("{id} not in review: {review:#?}"))
}

fn field<'a>(change: &'a EntityChange, path: &[&str]) -> &'a FieldDiff {
    change
        .fields
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path:?} not in {change:#?}"))
}

/// Ada and Ben share p1; each edits it; returns both after Ada imported
/// Ben's file, with the report.
fn two_editors() -> (PortfolioDoc, PortfolioDoc, pmo_desk::doc::ImportReport) {
    let mut ada = new_portfolio();
    add_project(&mut ada, "p1", "Website", "Ada");
    let mut ben = copy_for(&mut ada, BEN);
    edit_at(
        &mut ada,
        "p1",
        "Ada",
        T0 + 60,
        FieldChange::set(&["budget"], json!(900.0)),
    );
    edit_at(
        &mut ben,
        "p1",
        "Ben",
        T_BEN,
        FieldChange::set(&["manager"], json!("Ben Kim")),
    );
    edit_at(
        &mut ben,
        "p1",
        "Ben",
        T_BEN + 5,
        FieldChange::set(&["description"], json!("Relaunch the site.")),
    );
    let report = ada.import(&ben.export_full()).unwrap();
    (ada, ben, report)
}

#[test]
fn field_changes_show_old_new_author_and_time() {
    let (mut ada, mut ben, report) = two_editors();
    let p1 = entity(&report.review, "p1");
    assert_eq!(
        (p1.kind, p1.label.as_str()),
        (ChangeKind::Modified, "Website")
    );
    let manager = field(p1, &["manager"]);
    assert_eq!(manager.old, Some(json!("")));
    assert_eq!(manager.new, Some(json!("Ben Kim")));
    assert_eq!(manager.authors, [BEN]);
    assert_eq!(manager.time, Some(T_BEN));
    let description = field(p1, &["description"]);
    assert_eq!(description.new, Some(json!("Relaunch the site.")));
    assert_eq!(description.authors, [BEN]);
    assert_eq!(description.time, Some(T_BEN + 5));
    // Ada's own edit is not news to her.
    assert!(p1.fields.iter().all(|f| f.path != ["budget"]));
    assert_eq!(ada.snapshot().person(&manager.authors[0]), "Ben");

    // The other way round, Ben sees Ada's edit attributed to Ada.
    let report = ben.import(&ada.export_full()).unwrap();
    let budget = field(entity(&report.review, "p1"), &["budget"]);
    assert_eq!(
        (budget.old.clone(), budget.new.clone()),
        (Some(json!(0.0)), Some(json!(900.0)))
    );
    assert_eq!(budget.authors, [ADA]);
    assert_eq!(ben.snapshot().person(ADA), "Ada");
    assert_eq!(report.review.authors(), [ADA]);
}

#[test]
fn a_review_between_two_versions_names_both_people() {
    let (mut ada, _ben, report) = two_editors();
    let start = ada
        .history()
        .iter()
        .find(|h| h.summary == "Add project Website")
        .map(|h| pmo_desk::doc::Version::parse(&[&h.hash]).unwrap())
        .unwrap();
    let review = ada.review(&start, &report.outcome.after);
    let p1 = entity(&review, "p1");
    assert_eq!(field(p1, &["budget"]).authors, [ADA]);
    assert_eq!(field(p1, &["manager"]).authors, [BEN]);
    let mut authors = review.authors();
    authors.sort();
    assert_eq!(authors, [ADA, BEN]);
    // Reviewing a range that ends before Ben's edits leaves them out.
    let only_ada = ada.review(&start, &report.outcome.before);
    let p1 = entity(&only_ada, "p1");
    assert_eq!(p1.fields.len(), 1, "{p1:#?}");
    assert_eq!(p1.fields[0].path, ["budget"]);
}

#[test]
fn added_and_deleted_entities_are_listed_with_their_fields_and_author() {
    let mut ada = new_portfolio();
    add_project(&mut ada, "p1", "Old site", "Ada");
    let mut ben = copy_for(&mut ada, BEN);
    let mut new = pmo_desk::domain::Project::named("p2", "Data platform");
    new.code = "DP".into();
    new.budget = 120.0;
    ben.apply(&Command::new("Add", vec![new.create_op()]), "Ben", T_BEN)
        .unwrap();
    let old = ben.snapshot().projects["p1"].clone();
    ben.apply(
        &Command::new("Delete", vec![old.delete_op()]),
        "Ben",
        T_BEN + 1,
    )
    .unwrap();

    let review = ada.import(&ben.export_full()).unwrap().review;
    assert_eq!(review.entities.len(), 2, "{review:#?}");
    let added = entity(&review, "p2");
    assert_eq!(
        (added.kind, added.label.as_str()),
        (ChangeKind::Added, "DP Data platform")
    );
    let budget = field(added, &["budget"]);
    assert_eq!(
        (budget.old.clone(), budget.new.clone()),
        (None, Some(json!(120.0)))
    );
    assert_eq!(budget.authors, [BEN]);
    assert_eq!(budget.time, Some(T_BEN));
    let deleted = entity(&review, "p1");
    assert_eq!(
        (deleted.kind, deleted.label.as_str()),
        (ChangeKind::Deleted, "Old site")
    );
    let name = field(deleted, &["name"]);
    assert_eq!(
        (name.old.clone(), name.new.clone()),
        (Some(json!("Old site")), None)
    );
    assert_eq!(name.authors, [BEN]);
    assert_eq!(name.time, Some(T_BEN + 1));
}

#[test]
fn portfolio_name_and_settings_changes_appear_as_the_portfolio() {
    let mut ada = new_portfolio();
    let mut ben = copy_for(&mut ada, BEN);
    for (path, value) in [
        (vec!["name"], json!("Acme Group PMO")),
        (vec!["settings", "currency"], json!("USD")),
    ] {
        ben.apply(
            &Command::new(
                "Settings",
                vec![Op::SetRoot {
                    change: FieldChange::set(&path, value),
                }],
            ),
            "Ben",
            T_BEN,
        )
        .unwrap();
    }
    let review = ada.import(&ben.export_full()).unwrap().review;
    let root = entity(&review, "");
    assert_eq!(
        (root.collection.as_str(), root.label.as_str()),
        ("", "Acme Group PMO")
    );
    assert_eq!(field(root, &["name"]).authors, [BEN]);
    let currency = field(root, &["settings", "currency"]);
    assert_eq!(
        (currency.old.clone(), currency.new.clone()),
        (Some(json!("EUR")), Some(json!("USD")))
    );
    assert_eq!(currency.authors, [BEN]);
}

/// Ada and Ben set p1's budget at the same time; both copies merged.
fn concurrent_budgets() -> (PortfolioDoc, PortfolioDoc, pmo_desk::doc::ImportReport) {
    let mut ada = new_portfolio();
    add_project(&mut ada, "p1", "Website", "Ada");
    let mut ben = copy_for(&mut ada, BEN);
    edit_at(
        &mut ada,
        "p1",
        "Ada",
        T0 + 60,
        FieldChange::set(&["budget"], json!(100.0)),
    );
    edit_at(
        &mut ben,
        "p1",
        "Ben",
        T_BEN,
        FieldChange::set(&["budget"], json!(200.0)),
    );
    let ben_file = ben.export_full();
    ben.import(&ada.export_full()).unwrap();
    let report = ada.import(&ben_file).unwrap();
    (ada, ben, report)
}

#[test]
fn concurrent_edits_of_one_field_are_listed_with_both_values_and_authors() {
    let (ada, ben, report) = concurrent_budgets();
    let conflicts = ada.conflicts();
    assert_eq!(conflicts, ben.conflicts());
    assert_eq!(conflicts.len(), 1, "{conflicts:#?}");
    let c = &conflicts[0];
    assert_eq!(
        (
            c.collection.as_str(),
            c.id.as_str(),
            c.label.as_str(),
            c.path.clone()
        ),
        ("projects", "p1", "Website", vec!["budget".to_string()])
    );
    let mut seen: Vec<_> = c
        .values
        .iter()
        .map(|v| (v.actor.clone(), v.value.clone()))
        .collect();
    seen.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        seen,
        [
            (ADA.to_string(), json!(100.0)),
            (BEN.to_string(), json!(200.0))
        ]
    );
    // The winner (what the register shows) comes first.
    assert_eq!(
        json!(ada.snapshot().projects["p1"].budget),
        c.values[0].value
    );
    // The import that created the conflict reports it, whichever side won.
    assert_eq!(report.review.conflicts, conflicts);
}

#[test]
fn resolving_is_one_change_that_settles_the_conflict_everywhere() {
    let (mut ada, mut ben, _) = concurrent_budgets();
    let conflict = ada.conflicts().remove(0);
    let loser = conflict.values.len() - 1;
    let chosen = conflict.values[loser].value.clone();
    let changes_before = ada.history().len();
    ada.apply(&conflict.resolve(loser), "Ada", T0 + 9_000)
        .unwrap();
    assert_eq!(ada.history().len(), changes_before + 1);
    assert!(ada.conflicts().is_empty());
    assert_eq!(json!(ada.snapshot().projects["p1"].budget), chosen);

    let since = ben.version();
    let report = ben
        .import(&ada.export_packet(&since, "Ada").unwrap())
        .unwrap();
    assert!(ben.conflicts().is_empty());
    assert_eq!(ben.snapshot(), ada.snapshot());
    let budget = field(entity(&report.review, "p1"), &["budget"]);
    assert_eq!(budget.authors, [ADA]);
}

#[test]
fn conflicts_on_lists_nested_keys_and_the_portfolio_name_resolve_too() {
    let mut ada = new_portfolio();
    add_project(&mut ada, "p1", "Website", "Ada");
    let mut ben = copy_for(&mut ada, BEN);
    for (doc, who, n) in [(&mut ada, "Ada", 1), (&mut ben, "Ben", 2)] {
        edit_at(
            doc,
            "p1",
            who,
            T0,
            FieldChange::set(&["tags"], json!([format!("t{n}")])),
        );
        edit_at(
            doc,
            "p1",
            who,
            T0,
            FieldChange::set(&["objectives", "o1"], json!(n)),
        );
        doc.apply(
            &Command::new(
                "Rename",
                vec![Op::SetRoot {
                    change: FieldChange::set(&["name"], json!(format!("Name {n}"))),
                }],
            ),
            who,
            T0,
        )
        .unwrap();
    }
    exchange(&mut ada, &mut ben);
    let mut paths: Vec<_> = ada
        .conflicts()
        .iter()
        .map(|c| (c.collection.clone(), c.path.join(".")))
        .collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            ("".to_string(), "name".to_string()),
            ("projects".into(), "objectives.o1".into()),
            ("projects".into(), "tags".into())
        ]
    );
    let resolutions: Vec<Command> = ada
        .conflicts()
        .iter()
        .map(|c: &Conflict| c.resolve(1))
        .collect();
    for cmd in &resolutions {
        ada.apply(cmd, "Ada", T0 + 100).unwrap();
    }
    assert!(ada.conflicts().is_empty(), "{:#?}", ada.conflicts());
    exchange(&mut ada, &mut ben);
    assert!(ben.conflicts().is_empty());
    assert_eq!(ada.snapshot(), ben.snapshot());
}

#[test]
fn concurrently_created_maps_and_equal_values_are_not_decisions() {
    let mut ada = new_portfolio();
    add_project(&mut ada, "p1", "Website", "Ada");
    let mut ben = copy_for(&mut ada, BEN);
    // Both create the nested map `scores` and set the same status.
    for (doc, who) in [(&mut ada, "Ada"), (&mut ben, "Ben")] {
        edit_at(
            doc,
            "p1",
            who,
            T0,
            FieldChange::set(&["scores", who, "value"], json!(3)),
        );
        edit_at(
            doc,
            "p1",
            who,
            T0,
            FieldChange::set(&["status"], json!("active")),
        );
    }
    exchange(&mut ada, &mut ben);
    assert!(ada.conflicts().is_empty(), "{:#?}", ada.conflicts());
}

#[test]
fn concurrent_text_edits_merge_and_are_not_conflicts() {
    let mut ada = new_portfolio();
    add_project(&mut ada, "p1", "Website", "Ada");
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
    let since = ada.version();
    exchange(&mut ada, &mut ben);
    assert!(ada.conflicts().is_empty());
    let now = ada.version();
    let review = ada.review(&since, &now);
    let text = field(entity(&review, "p1"), &["description"]);
    assert_eq!(
        text.new,
        Some(json!("Plan and build the site. Then launch."))
    );
    assert_eq!(text.authors, [BEN]);
}

fn delete_alpha(ben: &mut PortfolioDoc) {
    let op = ben.snapshot().projects["a"].delete_op();
    ben.apply(
        &Command::new("Delete project Alpha", vec![op]),
        "Ben",
        T_BEN,
    )
    .unwrap();
}

/// Ada and Ben share Alpha and Beta; offline, Ada edits Alpha's budget and
/// manager while Ben deletes Alpha (and renames Beta, which is ordinary).
fn delete_versus_edit() -> (PortfolioDoc, PortfolioDoc, Version) {
    let mut ada = new_portfolio();
    add_project(&mut ada, "a", "Alpha", "Ada");
    add_project(&mut ada, "b", "Beta", "Ada");
    let mut ben = copy_for(&mut ada, BEN);
    let shared = ben.version();
    edit_project(&mut ada, "a", "Ada", |p| {
        p.budget = 90_000.0;
        p.manager = "Ada".into();
    });
    delete_alpha(&mut ben);
    edit_project(&mut ben, "b", "Ben", |p| p.name = "Beta 2".into());
    (ada, ben, shared)
}

#[test]
fn a_record_deleted_by_the_file_while_edited_here_is_named_and_restorable() {
    let (mut ada, mut ben, _) = delete_versus_edit();
    let report = ada.import(&ben.export_full()).unwrap();
    assert!(
        !ada.snapshot().projects.contains_key("a"),
        "the deletion wins in Automerge"
    );
    let hidden = &report.review.deleted_while_edited;
    assert_eq!(hidden.len(), 1, "{hidden:?}");
    let alpha = &hidden[0];
    assert_eq!(
        (alpha.collection.as_str(), alpha.id.as_str()),
        ("projects", "a")
    );
    assert_eq!(alpha.label, "Alpha");
    assert_eq!(alpha.deleted_by, vec![BEN.to_string()]);
    assert_eq!(alpha.edited_by, vec![ADA.to_string()]);
    assert_eq!(
        alpha.fields,
        vec!["budget".to_string(), "manager".to_string()]
    );
    assert_eq!(alpha.record["budget"], json!(90_000.0));
    // Beta was only renamed: nothing hidden there.
    assert_eq!(entity(&report.review, "b").kind, ChangeKind::Modified);

    // One click brings Alpha back with Ada's edits, and it travels.
    ada.apply(&alpha.restore(), "Ada", T_BEN + 60).unwrap();
    let restored = &ada.snapshot().projects["a"];
    assert_eq!(
        (restored.budget, restored.manager.as_str()),
        (90_000.0, "Ada")
    );
    assert_eq!(restored.name, "Alpha");
    let ben_has = ben.version();
    let back = ben.import(&ada.export_packet(&ben_has, "Ada").unwrap());
    let back = back.unwrap();
    assert!(back.review.deleted_while_edited.is_empty(), "{back:?}");
    assert_eq!(ben.snapshot().projects["a"].budget, 90_000.0);
    assert_eq!(ben.snapshot(), ada.snapshot());
}

#[test]
fn edits_in_the_file_to_a_record_deleted_here_are_named_and_restorable() {
    let (mut ada, mut ben, _) = delete_versus_edit();
    let report = ben.import(&ada.export_full()).unwrap();
    let hidden = &report.review.deleted_while_edited;
    assert_eq!(hidden.len(), 1, "{hidden:?}");
    let alpha = &hidden[0];
    assert_eq!(alpha.deleted_by, vec![BEN.to_string()]);
    assert_eq!(alpha.edited_by, vec![ADA.to_string()]);
    assert_eq!(
        alpha.fields,
        vec!["budget".to_string(), "manager".to_string()]
    );
    assert_eq!(alpha.record["manager"], json!("Ada"));
    ben.apply(&alpha.restore(), "Ben", T_BEN + 60).unwrap();
    assert_eq!(ben.snapshot().projects["a"].budget, 90_000.0);
    // The same through a packet.
    let (mut ada, mut ben, shared) = delete_versus_edit();
    let packet = ada.export_packet(&shared, "Ada").unwrap();
    let report = ben.import(&packet).unwrap();
    assert_eq!(report.review.deleted_while_edited.len(), 1);
}

#[test]
fn deleting_what_you_edited_yourself_or_an_edit_after_seeing_the_delete_is_not_flagged() {
    // Ben edits Alpha, then deletes it himself: nothing hidden for Ada.
    let mut ada = new_portfolio();
    add_project(&mut ada, "a", "Alpha", "Ada");
    let mut ben = copy_for(&mut ada, BEN);
    edit_project(&mut ben, "a", "Ben", |p| p.budget = 5.0);
    delete_alpha(&mut ben);
    let report = ada.import(&ben.export_full()).unwrap();
    assert!(report.review.deleted_while_edited.is_empty());
    assert_eq!(entity(&report.review, "a").kind, ChangeKind::Deleted);
    // Ada's edits that Ben had seen before deleting are not hidden edits.
    let mut ada = new_portfolio();
    add_project(&mut ada, "a", "Alpha", "Ada");
    edit_project(&mut ada, "a", "Ada", |p| p.budget = 7.0);
    let mut ben = copy_for(&mut ada, BEN);
    delete_alpha(&mut ben);
    let report = ada.import(&ben.export_full()).unwrap();
    assert!(report.review.deleted_while_edited.is_empty());
}

/// The import reads what a packet touched from the packet's own changes,
/// a full file's from the document: both must tell the same story, also
/// when the packet repeats changes this copy already has.
#[test]
fn a_packet_and_the_full_file_with_the_same_changes_review_alike() {
    let mut ada = new_portfolio();
    add_project(&mut ada, "p1", "Website", "Ada");
    add_project(&mut ada, "p2", "Intranet", "Ada");
    let mut ben = copy_for(&mut ada, BEN);
    let base = ben.version();
    edit_at(
        &mut ben,
        "p1",
        "Ben",
        T_BEN,
        FieldChange::set(&["manager"], json!("Ben Kim")),
    );
    let early = ben.export_packet(&base, "Ben").unwrap();
    ada.import(&early).unwrap();
    edit_at(
        &mut ada,
        "p1",
        "Ada",
        T0 + 60,
        FieldChange::set(&["budget"], json!(100.0)),
    );
    edit_at(
        &mut ben,
        "p1",
        "Ben",
        T_BEN + 1,
        FieldChange::set(&["budget"], json!(200.0)),
    );
    add_project(&mut ben, "p3", "Data platform", "Ben");
    let delete = ben.snapshot().projects["p2"].delete_op();
    ben.apply(
        &Command::new("Delete Intranet", vec![delete]),
        "Ben",
        T_BEN + 2,
    )
    .unwrap();
    edit_at(
        &mut ada,
        "p2",
        "Ada",
        T0 + 90,
        FieldChange::set(&["sponsor"], json!("Cyd")),
    );
    // Since `base`: it repeats the manager edit Ada already imported.
    let packet = ben.export_packet(&base, "Ben").unwrap();
    let full = ben.export_full();
    let mut by_packet = copy_for(&mut ada, ADA);
    let mut by_full = copy_for(&mut ada, ADA);
    let from_packet = by_packet.import(&packet).unwrap();
    let from_full = by_full.import(&full).unwrap();
    assert_eq!(from_packet.review, from_full.review);
    assert_eq!(from_packet.outcome.new_changes, 3);
    assert_eq!(from_full.outcome.new_changes, 3);
    assert_eq!(from_packet.review.conflicts.len(), 1);
    assert_eq!(from_packet.review.deleted_while_edited.len(), 1);
    let added = entity(&from_packet.review, "p3");
    assert_eq!(added.kind, ChangeKind::Added);
    assert_eq!(field(added, &["name"]).authors, [BEN]);
}
