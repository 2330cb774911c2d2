//! Refreshing a portfolio snapshot after changes by reading again only the
//! records those changes touched.
//!
//! A full snapshot reads every record (about 100 ms natively for 5,000
//! projects, several times that in the browser), and the app needs a new
//! snapshot after every edit, import and edit in another tab. The changes
//! since the previous snapshot say which records they reached; the rest of
//! the previous snapshot is still right.

use super::layout::{KEY_ACTORS, KEY_NAME, KEY_PORTFOLIO_ID, KEY_SCHEMA, KEY_SETTINGS};
use super::read::Reader;
use super::review::Touches;
use super::{PortfolioDoc, Version};
use crate::domain::{Entity, Portfolio};
use automerge::ROOT;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The root keys a snapshot reads besides the collections; small, so they
/// are always read again.
const ROOT_FIELDS: [&str; 5] = [
    KEY_PORTFOLIO_ID,
    KEY_NAME,
    KEY_SCHEMA,
    KEY_SETTINGS,
    KEY_ACTORS,
];

/// Up to this many changes are always followed: cheap whatever they touch.
const FEW_CHANGES: usize = 64;

/// A record that cannot be read the quick way: the full read reports it.
struct Unreadable;

impl PortfolioDoc {
    /// The portfolio as it is now, given `previous`, the snapshot taken at
    /// `since` (a version of this document). Equal to [`Self::snapshot`];
    /// falls back to it whenever the quick way cannot be sure: a previous
    /// snapshot with unreadable records, a change whose target cannot be
    /// placed, a record that does not read.
    pub fn snapshot_since(&mut self, previous: &Portfolio, since: &Version) -> Portfolio {
        if !previous.problems.is_empty() {
            return self.snapshot();
        }
        // Counting is cheap; decoding the changes is not. Changes that reach
        // most records (a large import) cost more to follow than to read all.
        let count = self.doc.get_changes_meta(&since.0).len();
        if count == 0 {
            return previous.clone();
        }
        if count > FEW_CHANGES && count * 2 >= records(previous) {
            return self.snapshot();
        }
        let changes = self.doc.get_changes(&since.0);
        let touches = Touches::of_changes(&self.doc, &changes);
        let reader = Reader {
            doc: &self.doc,
            heads: None,
        };
        match refreshed(previous, &reader, &touches) {
            Ok(next) => next,
            Err(Unreadable) => self.snapshot(),
        }
    }
}

fn records(portfolio: &Portfolio) -> usize {
    portfolio.projects.len()
        + portfolio.programs.len()
        + portfolio.objectives.len()
        + portfolio.criteria.len()
        + portfolio.scenarios.len()
        + portfolio.gate_reviews.len()
        + portfolio.stage_overrides.len()
        + portfolio.change_requests.len()
}

fn refreshed(
    previous: &Portfolio,
    reader: &Reader<'_>,
    touches: &Touches,
) -> Result<Portfolio, Unreadable> {
    if !touches.all_placed() {
        return Err(Unreadable);
    }
    // The root's own fields go through the same reading as a full
    // snapshot, on a root without collections.
    let mut root = Map::new();
    for key in ROOT_FIELDS {
        if let Some(value) = reader.key_json(&ROOT, key) {
            root.insert(key.to_string(), value);
        }
    }
    let head = Portfolio::from_root(&root);
    if !head.problems.is_empty() {
        return Err(Unreadable);
    }
    let mut next = previous.clone();
    next.id = head.id;
    next.name = head.name;
    next.schema = head.schema;
    next.settings = head.settings;
    next.people_by_actor = head.people_by_actor;
    refresh(&mut next.projects, reader, touches)?;
    refresh(&mut next.programs, reader, touches)?;
    refresh(&mut next.objectives, reader, touches)?;
    refresh(&mut next.criteria, reader, touches)?;
    refresh(&mut next.scenarios, reader, touches)?;
    refresh(&mut next.gate_reviews, reader, touches)?;
    refresh(&mut next.stage_overrides, reader, touches)?;
    refresh(&mut next.change_requests, reader, touches)?;
    Ok(next)
}

/// Re-reads the records of `T`'s collection that `touches` reached, or
/// the whole collection when its map itself was created or replaced.
fn refresh<T: Entity>(
    records: &mut BTreeMap<String, T>,
    reader: &Reader<'_>,
    touches: &Touches,
) -> Result<(), Unreadable> {
    let copies = reader.maps_at(&ROOT, T::COLLECTION);
    let ids = match touches.ids_under(T::COLLECTION) {
        Some(ids) => ids,
        None => {
            records.clear();
            let mut ids: Vec<String> = copies.iter().flat_map(|copy| reader.keys(copy)).collect();
            ids.sort();
            ids.dedup();
            ids
        }
    };
    for id in ids {
        match reader.record_in(&copies, &id) {
            None => {
                records.remove(&id);
            }
            Some(Value::Object(fields)) => {
                let record = T::from_fields(&id, &fields).map_err(|_| Unreadable)?;
                records.insert(id, record);
            }
            Some(_) => return Err(Unreadable),
        }
    }
    Ok(())
}
