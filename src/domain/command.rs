//! Commands: what a user action asks the document to do, as plain data.
//!
//! A [`Command`] is one user action (one entry in history) made of
//! primitive [`Op`]s. Ops address entities by collection and id and carry
//! JSON values, so the document layer stays generic and every entity type
//! gets field-level merging, history and conflict reporting for free.

use serde_json::{Map, Value};

/// One user action: becomes exactly one Automerge change.
#[derive(Clone, Debug, PartialEq)]
pub struct Command {
    /// One line for history, e.g. "Rename project Web relaunch".
    pub summary: String,
    pub ops: Vec<Op>,
}

impl Command {
    pub fn new(summary: impl Into<String>, ops: Vec<Op>) -> Command {
        Command {
            summary: summary.into(),
            ops,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// Add a new entity; its fields become a map of its own.
    Create {
        collection: String,
        id: String,
        fields: Map<String, Value>,
    },
    /// Set or remove individual fields of an existing entity.
    Patch {
        collection: String,
        id: String,
        changes: Vec<FieldChange>,
    },
    Delete {
        collection: String,
        id: String,
    },
    /// Set or remove a value addressed from the document root (portfolio
    /// name, settings).
    SetRoot {
        change: FieldChange,
    },
}

/// A value at a path of map keys; `None` removes the key.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldChange {
    pub path: Vec<String>,
    pub value: Option<Value>,
}

impl FieldChange {
    pub fn set(path: &[&str], value: Value) -> FieldChange {
        FieldChange {
            path: path.iter().map(|s| s.to_string()).collect(),
            value: Some(value),
        }
    }

    pub fn remove(path: &[&str]) -> FieldChange {
        FieldChange {
            path: path.iter().map(|s| s.to_string()).collect(),
            value: None,
        }
    }
}

/// The field changes that turn `old` into `new`.
///
/// Objects are compared key by key (so two people editing different keys of
/// one nested map both win); anything else, arrays included, is replaced
/// whole, so concurrent list edits surface as a conflict instead of an
/// interleaved mix. `null` means "absent".
pub fn diff_fields(old: &Map<String, Value>, new: &Map<String, Value>) -> Vec<FieldChange> {
    let mut out = Vec::new();
    diff_into(&mut Vec::new(), old, new, &mut out);
    out
}

fn diff_into(
    prefix: &mut Vec<String>,
    old: &Map<String, Value>,
    new: &Map<String, Value>,
    out: &mut Vec<FieldChange>,
) {
    for (key, new_value) in new {
        prefix.push(key.clone());
        match (old.get(key), new_value) {
            (_, Value::Null) => {
                if old.get(key).is_some_and(|v| !v.is_null()) {
                    out.push(FieldChange {
                        path: prefix.clone(),
                        value: None,
                    });
                }
            }
            (Some(Value::Object(o)), Value::Object(n)) => diff_into(prefix, o, n, out),
            (Some(o), n) if o == n => {}
            (_, n) => out.push(FieldChange {
                path: prefix.clone(),
                value: Some(n.clone()),
            }),
        }
        prefix.pop();
    }
    for (key, old_value) in old {
        if !new.contains_key(key) && !old_value.is_null() {
            let mut path = prefix.clone();
            path.push(key.clone());
            out.push(FieldChange { path, value: None });
        }
    }
}

/// Drops `null`s recursively: absent and null are the same in the document.
pub fn without_nulls(map: Map<String, Value>) -> Map<String, Value> {
    map.into_iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| match v {
            Value::Object(inner) => (k, Value::Object(without_nulls(inner))),
            other => (k, other),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn diff_reports_only_what_changed_down_to_nested_keys() {
        let old =
            obj(json!({"name": "A", "budget": 10, "align": {"o1": 3, "o2": 1}, "tags": ["x"]}));
        let new = obj(
            json!({"name": "A", "budget": 12, "align": {"o1": 3, "o3": 2}, "tags": ["x", "y"]}),
        );
        let changes = diff_fields(&old, &new);
        assert_eq!(
            changes,
            vec![
                FieldChange::set(&["align", "o3"], json!(2)),
                FieldChange::remove(&["align", "o2"]),
                FieldChange::set(&["budget"], json!(12)),
                FieldChange::set(&["tags"], json!(["x", "y"])),
            ]
        );
    }

    #[test]
    fn null_and_missing_are_the_same() {
        let old = obj(json!({"a": null, "b": 1}));
        let new = obj(json!({"a": null, "b": null}));
        assert_eq!(diff_fields(&old, &new), vec![FieldChange::remove(&["b"])]);
        assert!(diff_fields(&obj(json!({})), &obj(json!({"a": null}))).is_empty());
        assert_eq!(
            without_nulls(obj(json!({"a": null, "b": {"c": null}}))),
            obj(json!({"b": {}}))
        );
    }
}
