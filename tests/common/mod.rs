//! Shared helpers for native document tests.
#![allow(dead_code)]

use pmo_desk::doc::PortfolioDoc;
use pmo_desk::domain::{Command, Entity, Project};

pub const ADA: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
pub const BEN: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
pub const CYD: &str = "cccccccccccccccccccccccccccccccc";
pub const T0: i64 = 1_795_000_000;

pub fn new_portfolio() -> PortfolioDoc {
    PortfolioDoc::create("Acme PMO", ADA, "Ada", T0).unwrap()
}

/// A colleague's copy: loaded from the first person's file.
pub fn copy_for(doc: &mut PortfolioDoc, actor: &str) -> PortfolioDoc {
    PortfolioDoc::load(&doc.save(), actor).unwrap()
}

pub fn add_project(doc: &mut PortfolioDoc, id: &str, name: &str, author: &str) -> Project {
    let p = Project::named(id, name);
    doc.apply(
        &Command::new(format!("Add project {name}"), vec![p.create_op()]),
        author,
        T0,
    )
    .unwrap();
    p
}

pub fn edit_project(
    doc: &mut PortfolioDoc,
    id: &str,
    author: &str,
    edit: impl FnOnce(&mut Project),
) {
    let old = doc.snapshot().projects[id].clone();
    let mut new = old.clone();
    edit(&mut new);
    if let Some(op) = new.update_op(&old) {
        doc.apply(
            &Command::new(format!("Edit {}", old.name), vec![op]),
            author,
            T0 + 60,
        )
        .unwrap();
    }
}

pub fn exchange(a: &mut PortfolioDoc, b: &mut PortfolioDoc) {
    let a_bytes = a.save();
    let b_bytes = b.save();
    a.merge(&b_bytes).unwrap();
    b.merge(&a_bytes).unwrap();
}
