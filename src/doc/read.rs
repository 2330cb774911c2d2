//! Reading the document as JSON, at the current version or any past one.
//!
//! Two rules make reads lossless under concurrency:
//! - strings may be scalars or Text objects (JS Automerge writes Text);
//! - when peers created a map at the same key concurrently, Automerge keeps
//!   both objects as a conflict; the reader unions their contents (the
//!   winning map's entries take precedence) so no peer's entries vanish.

use automerge::{
    AutoCommit, ChangeHash, ObjId, ObjType, ReadDoc, ScalarValueRef, Value as AmValue, ValueRef,
};
use serde_json::{Map, Number, Value};

const ROOT_ID: ObjId = automerge::ROOT;

pub(crate) struct Reader<'a> {
    pub doc: &'a AutoCommit,
    pub heads: Option<&'a [ChangeHash]>,
}

impl Reader<'_> {
    pub fn map(&self, obj: &ObjId) -> Map<String, Value> {
        let items: Vec<_> = match self.heads {
            Some(h) => self.doc.map_range_at(obj, .., h).collect(),
            None => self.doc.map_range(obj, ..).collect(),
        };
        let mut out = Map::new();
        for item in items {
            let value = match item.value {
                ValueRef::Scalar(s) => scalar(&s),
                ValueRef::Object(ObjType::Map | ObjType::Table) if item.conflict => {
                    self.union_of_maps(obj, &item.key)
                }
                ValueRef::Object(t) => self.object(&item.id(), t),
            };
            out.insert(item.key.into_owned(), value);
        }
        out
    }

    fn object(&self, id: &ObjId, kind: ObjType) -> Value {
        match kind {
            ObjType::Map | ObjType::Table => Value::Object(self.map(id)),
            ObjType::List => Value::Array(self.list(id)),
            ObjType::Text => Value::String(self.text(id)),
        }
    }

    fn list(&self, obj: &ObjId) -> Vec<Value> {
        let items: Vec<_> = match self.heads {
            Some(h) => self.doc.list_range_at(obj, .., h).collect(),
            None => self.doc.list_range(obj, ..).collect(),
        };
        items
            .into_iter()
            .map(|item| match item.value {
                ValueRef::Scalar(s) => scalar(&s),
                ValueRef::Object(t) => self.object(&item.id(), t),
            })
            .collect()
    }

    pub fn text(&self, obj: &ObjId) -> String {
        let text = match self.heads {
            Some(h) => self.doc.text_at(obj, h),
            None => self.doc.text(obj),
        };
        text.unwrap_or_default()
    }

    /// The keys of a map.
    pub fn keys(&self, obj: &ObjId) -> Vec<String> {
        match self.heads {
            Some(h) => self.doc.keys_at(obj, h).collect(),
            None => self.doc.keys(obj).collect(),
        }
    }

    /// All values at `key`, the winning one last.
    pub fn all(&self, obj: &ObjId, key: &str) -> Vec<(AmValue<'static>, ObjId)> {
        let all = match self.heads {
            Some(h) => self.doc.get_all_at(obj, key, h),
            None => self.doc.get_all(obj, key),
        };
        let mut all: Vec<_> = all
            .unwrap_or_default()
            .into_iter()
            .map(|(v, id)| (v.into_owned(), id))
            .collect();
        // One value is its own winner; only a conflict needs the second
        // lookup (most keys, most of the time, hold one value).
        if all.len() < 2 {
            return all;
        }
        let winner = match self.heads {
            Some(h) => self.doc.get_at(obj, key, h),
            None => self.doc.get(obj, key),
        };
        if let Ok(Some((_, winner_id))) = winner {
            if let Some(pos) = all.iter().position(|(_, id)| *id == winner_id) {
                let w = all.remove(pos);
                all.push(w);
            }
        }
        all
    }

    /// The map objects stored at `key` (several when created concurrently),
    /// the winning one last.
    pub fn maps_at(&self, obj: &ObjId, key: &str) -> Vec<ObjId> {
        self.all(obj, key)
            .into_iter()
            .filter(|(v, _)| matches!(v, AmValue::Object(ObjType::Map | ObjType::Table)))
            .map(|(_, id)| id)
            .collect()
    }

    /// The value at one key, read exactly as [`Self::map`] would read it
    /// (concurrent maps unioned); `None` when the key is absent.
    pub fn key_json(&self, obj: &ObjId, key: &str) -> Option<Value> {
        let all = self.all(obj, key);
        let (winner, id) = all.last()?;
        let maps = all
            .iter()
            .filter(|(v, _)| matches!(v, AmValue::Object(ObjType::Map | ObjType::Table)))
            .count();
        if maps > 1 && matches!(winner, AmValue::Object(ObjType::Map | ObjType::Table)) {
            Some(self.union_of_maps(obj, key))
        } else {
            Some(value_to_json(self, winner, id))
        }
    }

    /// One record of a collection, read as it appears in the whole-root
    /// read (records in concurrently created collection maps merged), so
    /// a change can be examined without reading the whole document.
    pub fn record_json(&self, collection: &str, id: &str) -> Option<Value> {
        self.record_in(&self.maps_at(&ROOT_ID, collection), id)
    }

    /// [`Self::record_json`] given the collection's maps (from
    /// [`Self::maps_at`]), for reading many records of one collection.
    pub fn record_in(&self, copies: &[ObjId], id: &str) -> Option<Value> {
        let mut out: Option<Value> = None;
        for copy in copies {
            let Some(value) = self.key_json(copy, id) else {
                continue;
            };
            out = Some(match (out, value) {
                (Some(Value::Object(mut acc)), Value::Object(next)) => {
                    merge_into(&mut acc, next);
                    Value::Object(acc)
                }
                (_, value) => value,
            });
        }
        out
    }

    fn union_of_maps(&self, obj: &ObjId, key: &str) -> Value {
        let mut acc = Map::new();
        for id in self.maps_at(obj, key) {
            merge_into(&mut acc, self.map(&id));
        }
        Value::Object(acc)
    }
}

/// Later maps win per key; nested maps are merged recursively.
fn merge_into(acc: &mut Map<String, Value>, next: Map<String, Value>) {
    for (k, v) in next {
        match (acc.get_mut(&k), v) {
            (Some(Value::Object(a)), Value::Object(n)) => merge_into(a, n),
            (_, v) => {
                acc.insert(k, v);
            }
        }
    }
}

pub(crate) fn scalar(s: &ScalarValueRef<'_>) -> Value {
    match s {
        ScalarValueRef::Str(s) => Value::String(s.to_string()),
        ScalarValueRef::Int(i) | ScalarValueRef::Counter(i) | ScalarValueRef::Timestamp(i) => {
            Value::Number((*i).into())
        }
        ScalarValueRef::Uint(u) => Value::Number((*u).into()),
        ScalarValueRef::F64(f) => Number::from_f64(*f)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        ScalarValueRef::Boolean(b) => Value::Bool(*b),
        ScalarValueRef::Bytes(_) | ScalarValueRef::Unknown { .. } | ScalarValueRef::Null => {
            Value::Null
        }
    }
}

/// Converts an owned Automerge value (from `get_all`) to JSON, reading
/// objects through `reader`.
pub(crate) fn value_to_json(reader: &Reader<'_>, value: &AmValue<'_>, id: &ObjId) -> Value {
    match value {
        AmValue::Scalar(s) => scalar(&owned_scalar_ref(s)),
        AmValue::Object(t) => reader.object(id, *t),
    }
}

fn owned_scalar_ref(s: &automerge::ScalarValue) -> ScalarValueRef<'_> {
    use automerge::ScalarValue as S;
    match s {
        S::Str(s) => ScalarValueRef::Str(s.as_str().into()),
        S::Int(i) => ScalarValueRef::Int(*i),
        S::Uint(u) => ScalarValueRef::Uint(*u),
        S::F64(f) => ScalarValueRef::F64(*f),
        S::Counter(c) => ScalarValueRef::Int(i64::from(c)),
        S::Timestamp(t) => ScalarValueRef::Timestamp(*t),
        S::Boolean(b) => ScalarValueRef::Boolean(*b),
        _ => ScalarValueRef::Null,
    }
}
