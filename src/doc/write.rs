//! Applying domain [`Op`]s to the document inside the open transaction.

use super::error::DocError;
use super::layout::is_text_field;
use super::read::Reader;
use crate::domain::{FieldChange, Op};
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ReadDoc, ScalarValue, Value as AmValue, ROOT};
use serde_json::{Map, Value};

pub(crate) fn apply_op(doc: &mut AutoCommit, op: &Op) -> Result<(), DocError> {
    match op {
        Op::Create {
            collection,
            id,
            fields,
        } => {
            let coll = collection_obj(doc, collection)?;
            if find_entity(doc, collection, id).is_some() {
                return Err(DocError::AlreadyExists {
                    noun: noun(collection),
                    id: id.clone(),
                });
            }
            let entity = doc.put_object(&coll, id.as_str(), ObjType::Map)?;
            write_fields(doc, &entity, fields)
        }
        Op::Patch {
            collection,
            id,
            changes,
        } => {
            let entity = find_entity(doc, collection, id).ok_or_else(|| DocError::NotFound {
                noun: noun(collection),
                id: id.clone(),
            })?;
            for change in changes {
                apply_change(doc, &entity, change)?;
            }
            Ok(())
        }
        Op::Delete { collection, id } => {
            let holders = holders_of(doc, collection, id);
            if holders.is_empty() {
                return Err(DocError::NotFound {
                    noun: noun(collection),
                    id: id.clone(),
                });
            }
            for holder in holders {
                doc.delete(&holder, id.as_str())?;
            }
            Ok(())
        }
        Op::SetRoot { change } => apply_change(doc, &ROOT, change),
    }
}

fn noun(collection: &str) -> String {
    collection.trim_end_matches('s').replace('_', " ")
}

/// The collection map to add entities to, created if this document has
/// none yet (older schema).
fn collection_obj(doc: &mut AutoCommit, collection: &str) -> Result<ObjId, DocError> {
    let maps = Reader { doc, heads: None }.maps_at(&ROOT, collection);
    match maps.last() {
        Some(winner) => Ok(winner.clone()),
        None => Ok(doc.put_object(ROOT, collection, ObjType::Map)?),
    }
}

/// Every collection map (there may be several after concurrent creation)
/// that holds `id`.
fn holders_of(doc: &AutoCommit, collection: &str, id: &str) -> Vec<ObjId> {
    let reader = Reader { doc, heads: None };
    reader
        .maps_at(&ROOT, collection)
        .into_iter()
        .filter(|coll| {
            matches!(
                doc.get(coll, id),
                Ok(Some((AmValue::Object(ObjType::Map), _)))
            )
        })
        .collect()
}

pub(crate) fn find_entity(doc: &AutoCommit, collection: &str, id: &str) -> Option<ObjId> {
    let holder = holders_of(doc, collection, id).pop()?;
    match doc.get(&holder, id) {
        Ok(Some((AmValue::Object(ObjType::Map), obj))) => Some(obj),
        _ => None,
    }
}

fn apply_change(doc: &mut AutoCommit, base: &ObjId, change: &FieldChange) -> Result<(), DocError> {
    let Some((last, parents)) = change.path.split_last() else {
        return Ok(());
    };
    let mut obj = base.clone();
    for key in parents {
        obj = child_map(doc, &obj, key)?;
    }
    match &change.value {
        None | Some(Value::Null) => {
            if doc.get(&obj, last.as_str())?.is_some() {
                doc.delete(&obj, last.as_str())?;
            }
            Ok(())
        }
        Some(value) => write_value(doc, &obj, last, value),
    }
}

/// The map at `key` inside `obj`, created when absent. With concurrent
/// copies, the winning copy receives new keys; the reader unions them.
fn child_map(doc: &mut AutoCommit, obj: &ObjId, key: &str) -> Result<ObjId, DocError> {
    let maps = Reader { doc, heads: None }.maps_at(obj, key);
    match maps.last() {
        Some(m) => Ok(m.clone()),
        None => Ok(doc.put_object(obj, key, ObjType::Map)?),
    }
}

pub(crate) fn write_fields(
    doc: &mut AutoCommit,
    obj: &ObjId,
    fields: &Map<String, Value>,
) -> Result<(), DocError> {
    for (key, value) in fields {
        if !value.is_null() {
            write_value(doc, obj, key, value)?;
        }
    }
    Ok(())
}

fn write_value(
    doc: &mut AutoCommit,
    obj: &ObjId,
    key: &str,
    value: &Value,
) -> Result<(), DocError> {
    match value {
        Value::Null => {
            doc.delete(obj, key)?;
        }
        Value::String(s) if is_text_field(key) => write_text(doc, obj, key, s)?,
        Value::Array(items) => {
            // Lists are replaced whole: concurrent edits then conflict at
            // the key (and are reported) instead of interleaving.
            let list = doc.put_object(obj, key, ObjType::List)?;
            for (i, item) in items.iter().enumerate() {
                insert_value(doc, &list, i, item)?;
            }
        }
        Value::Object(fields) => {
            let map = match doc.get(obj, key)? {
                Some((AmValue::Object(ObjType::Map), existing))
                    if !holds_non_map(doc, obj, key)? =>
                {
                    existing
                }
                _ => doc.put_object(obj, key, ObjType::Map)?,
            };
            write_fields(doc, &map, fields)?;
        }
        scalar => {
            doc.put(obj, key, to_scalar(scalar))?;
        }
    }
    Ok(())
}

fn write_text(doc: &mut AutoCommit, obj: &ObjId, key: &str, s: &str) -> Result<(), DocError> {
    // Editing the winning text of a conflict would leave the conflict
    // open; a fresh object supersedes every value (resolving it).
    let text = match doc.get(obj, key)? {
        Some((AmValue::Object(ObjType::Text), existing)) if doc.get_all(obj, key)?.len() == 1 => {
            existing
        }
        _ => doc.put_object(obj, key, ObjType::Text)?,
    };
    doc.update_text(&text, s)?;
    Ok(())
}

/// True when `key` holds a conflict in which some value is not a map:
/// writing into the winning map would not resolve it. (Conflicts between
/// maps only are merged by the reader and need no resolving.)
fn holds_non_map(doc: &AutoCommit, obj: &ObjId, key: &str) -> Result<bool, DocError> {
    let all = doc.get_all(obj, key)?;
    Ok(all.len() > 1
        && all
            .iter()
            .any(|(v, _)| !matches!(v, AmValue::Object(ObjType::Map | ObjType::Table))))
}

fn insert_value(
    doc: &mut AutoCommit,
    list: &ObjId,
    index: usize,
    value: &Value,
) -> Result<(), DocError> {
    match value {
        Value::Array(items) => {
            let inner = doc.insert_object(list, index, ObjType::List)?;
            for (i, item) in items.iter().enumerate() {
                insert_value(doc, &inner, i, item)?;
            }
        }
        Value::Object(fields) => {
            let map = doc.insert_object(list, index, ObjType::Map)?;
            write_fields(doc, &map, fields)?;
        }
        scalar => {
            doc.insert(list, index, to_scalar(scalar))?;
        }
    }
    Ok(())
}

fn to_scalar(value: &Value) -> ScalarValue {
    match value {
        Value::Bool(b) => ScalarValue::Boolean(*b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                ScalarValue::Int(i)
            } else if let Some(u) = n.as_u64() {
                ScalarValue::Uint(u)
            } else {
                ScalarValue::F64(n.as_f64().unwrap_or(0.0))
            }
        }
        Value::String(s) => ScalarValue::Str(s.as_str().into()),
        _ => ScalarValue::Null,
    }
}
