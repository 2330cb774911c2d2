//! Checks a merged copy of the document against the schema before it may
//! replace the real portfolio: the header keys keep their values, known
//! keys keep their types, every record that the file added or changed is
//! readable by this app, and nothing is absurdly large.
//!
//! Only what differs from the document before the merge is checked, so a
//! problem already present locally never blocks later imports.

use super::error::DocError;
use super::layout::*;
use super::review::Delta;
use crate::domain::Portfolio;
use serde_json::{Map, Value};

/// Longest string accepted in one field (descriptions included).
pub const MAX_STRING_BYTES: usize = 1_000_000;
/// Longest list accepted in one field.
pub const MAX_LIST_ITEMS: usize = 10_000;
/// Deepest nesting of maps and lists inside a record.
pub const MAX_DEPTH: usize = 16;
/// Most records one collection may hold.
pub const MAX_RECORDS: usize = 200_000;

pub(crate) fn check(delta: &Delta, portfolio_id: &str) -> Result<(), DocError> {
    let invalid = |msg: String| Err(DocError::Invalid(msg));
    let after = &delta.root_after;
    if after.get(KEY_FORMAT).and_then(Value::as_str) != Some(FORMAT) {
        return invalid("the portfolio marker would change".into());
    }
    if after.get(KEY_PORTFOLIO_ID).and_then(Value::as_str) != Some(portfolio_id) {
        return invalid("the portfolio id would change".into());
    }
    match after.get(KEY_SCHEMA).and_then(Value::as_u64) {
        Some(found) if found > SCHEMA_VERSION => {
            return Err(DocError::NewerSchema {
                found,
                supported: SCHEMA_VERSION,
            })
        }
        Some(_) => {}
        None => return invalid("the schema version would be lost".into()),
    }
    if after.get(KEY_NAME).is_some_and(|v| !v.is_string()) {
        return invalid("the portfolio name would not be text".into());
    }
    if let Some(actors) = after.get(KEY_ACTORS) {
        let ok = actors
            .as_object()
            .is_some_and(|m| m.values().all(Value::is_string));
        if !ok {
            return invalid("the list of people would not be names".into());
        }
    }
    let mut changed_root = Map::new();
    for (key, value) in after {
        if delta.root_before.get(key) == Some(value) {
            continue;
        }
        if INITIAL_COLLECTIONS.contains(&key.as_str()) {
            return invalid(format!("\"{key}\" would not be a collection"));
        }
        if key == KEY_SETTINGS {
            if !value.is_object() {
                return invalid("settings would not be a record".into());
            }
            changed_root.insert(key.clone(), value.clone());
        }
        check_size(key, value, 0)?;
    }
    for (key, len) in &delta.collections {
        if *len > MAX_RECORDS {
            return invalid(format!(
                "\"{key}\" would hold {len} records (limit {MAX_RECORDS})"
            ));
        }
    }
    for record in &delta.records {
        let Some(value) = &record.after else { continue };
        if !value.is_object() {
            return invalid(format!(
                "{} {} would not be a record",
                record.collection, record.id
            ));
        }
        check_size(&record.id, value, 0)?;
        let collection = changed_root
            .entry(record.collection.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(records) = collection {
            records.insert(record.id.clone(), value.clone());
        }
    }
    // The domain reader decides readability; given only what changed, its
    // problems are exactly the ones this file would introduce.
    let problems = Portfolio::from_root(&changed_root).problems;
    match problems.as_slice() {
        [] => Ok(()),
        [one] => invalid(one.clone()),
        [first, rest @ ..] => invalid(format!("{first} (and {} more)", rest.len())),
    }
}

fn check_size(name: &str, value: &Value, depth: usize) -> Result<(), DocError> {
    let too = |what: String| Err(DocError::Invalid(format!("\"{name}\" {what}")));
    if depth > MAX_DEPTH {
        return too(format!("is nested deeper than {MAX_DEPTH} levels"));
    }
    match value {
        Value::String(s) if s.len() > MAX_STRING_BYTES => {
            too(format!("holds text longer than {MAX_STRING_BYTES} bytes"))
        }
        Value::Array(items) => {
            if items.len() > MAX_LIST_ITEMS {
                return too(format!("holds a list longer than {MAX_LIST_ITEMS} items"));
            }
            items
                .iter()
                .try_for_each(|v| check_size(name, v, depth + 1))
        }
        Value::Object(map) => map.iter().try_for_each(|(k, v)| {
            if k.len() > MAX_STRING_BYTES {
                return too("has an absurdly long key".into());
            }
            check_size(name, v, depth + 1)
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::review::RecordDelta;
    use serde_json::json;

    fn root(extra: Value) -> Map<String, Value> {
        let mut base = json!({
            "format": "pmo-desk", "schema": 1, "portfolio_id": "pf", "name": "Acme",
            "settings": {"currency": "EUR"}, "actors": {"aa": "Ada"},
            "projects": {"p1": {"name": "One", "status": "active"}}, "programs": {}, "objectives": {}
        });
        for (k, v) in extra.as_object().unwrap() {
            base[k] = v.clone();
        }
        base.as_object().unwrap().clone()
    }

    /// The delta between two whole roots, as a merge would produce it.
    fn between(before: &Map<String, Value>, after: &Map<String, Value>) -> Delta {
        let (old, new) = (Delta::whole(before), Delta::whole(after));
        let mut records = Vec::new();
        for r in &new.records {
            let prev = old
                .records
                .iter()
                .find(|o| o.collection == r.collection && o.id == r.id)
                .and_then(|o| o.after.clone());
            if prev != r.after {
                records.push(RecordDelta {
                    collection: r.collection.clone(),
                    id: r.id.clone(),
                    before: prev,
                    after: r.after.clone(),
                });
            }
        }
        Delta {
            root_before: old.root_after,
            root_after: new.root_after,
            collections: new.collections,
            records,
        }
    }

    fn check2(before: &Map<String, Value>, after: &Map<String, Value>) -> Result<(), DocError> {
        check(&between(before, after), "pf")
    }

    #[test]
    fn an_unchanged_or_sane_result_passes() {
        let before = root(json!({}));
        check2(&before, &before).unwrap();
        let after = root(
            json!({"projects": {"p1": {"name": "One"}, "p2": {"name": "Two", "tags": ["a"]}}}),
        );
        check2(&before, &after).unwrap();
        // Collections this version does not know yet are fine.
        check2(&before, &root(json!({"risks": {"r1": {"title": "x"}}}))).unwrap();
        check(&Delta::whole(&after), "pf").unwrap();
    }

    #[test]
    fn header_changes_are_refused() {
        let before = root(json!({}));
        for (extra, expect) in [
            (json!({"portfolio_id": "other"}), "portfolio id"),
            (json!({"format": "x"}), "marker"),
            (json!({"name": 5}), "name"),
            (json!({"actors": {"aa": 1}}), "people"),
            (json!({"settings": "x"}), "settings"),
            (json!({"projects": "x"}), "collection"),
            (json!({"projects": {"p1": 3}}), "record"),
        ] {
            let err = check2(&before, &root(extra.clone())).unwrap_err();
            assert!(err.to_string().contains(expect), "{extra}: {err}");
        }
        assert_eq!(
            check2(&before, &root(json!({"schema": 9}))),
            Err(DocError::NewerSchema {
                found: 9,
                supported: SCHEMA_VERSION
            })
        );
    }

    #[test]
    fn unreadable_new_records_are_refused_but_old_ones_do_not_block() {
        let before = root(json!({}));
        let bad = root(
            json!({"projects": {"p1": {"name": "One"}, "p9": {"name": "X", "budget": "lots"}}}),
        );
        let err = check2(&before, &bad).unwrap_err();
        assert!(err.to_string().contains("project p9"), "{err}");
        // Already present before: not this file's fault.
        check2(&bad, &bad).unwrap();
    }

    #[test]
    fn absurd_sizes_are_refused() {
        let before = root(json!({}));
        let long = "x".repeat(MAX_STRING_BYTES + 1);
        let mut deep = json!(1);
        for _ in 0..=MAX_DEPTH + 1 {
            deep = json!({ "a": deep });
        }
        for extra in [
            json!({"projects": {"p2": {"description": long}}}),
            json!({"projects": {"p2": {"tags": vec![0; MAX_LIST_ITEMS + 1]}}}),
            json!({"projects": {"p2": {"nested": deep}}}),
            json!({"name": "x".repeat(MAX_STRING_BYTES + 1)}),
        ] {
            assert!(matches!(
                check2(&before, &root(extra)),
                Err(DocError::Invalid(_))
            ));
        }
    }
}
