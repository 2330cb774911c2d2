//! The [`Entity`] trait: how a domain type lives in a keyed collection, and
//! how changes to it become [`Op`]s.

use super::command::{diff_fields, without_nulls, Op};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{Map, Value};

/// A record kept in a document collection (a map keyed by id).
///
/// The id is the map key; it is not stored inside the record.
pub trait Entity: Serialize + DeserializeOwned + Clone {
    /// The document key of the collection, e.g. `"projects"`.
    const COLLECTION: &'static str;
    /// Singular noun for messages and history, e.g. `"project"`.
    const NOUN: &'static str;

    fn id(&self) -> &str;
    fn set_id(&mut self, id: String);
    /// The name a person would recognise it by in history and reviews.
    fn label(&self) -> String;

    /// The record as stored: its fields without the id and without nulls.
    fn to_fields(&self) -> Map<String, Value> {
        let mut map = match serde_json::to_value(self) {
            Ok(Value::Object(map)) => map,
            // Entities are structs; anything else is a programming error we
            // surface as an empty record rather than a panic in the UI.
            _ => Map::new(),
        };
        map.remove("id");
        without_nulls(map)
    }

    /// Reads a stored record; the error names what was wrong.
    fn from_fields(id: &str, fields: &Map<String, Value>) -> Result<Self, String> {
        let mut entity: Self = serde_json::from_value(Value::Object(fields.clone()))
            .map_err(|e| format!("{} {id}: {e}", Self::NOUN))?;
        entity.set_id(id.to_string());
        Ok(entity)
    }

    fn create_op(&self) -> Op {
        Op::Create {
            collection: Self::COLLECTION.to_string(),
            id: self.id().to_string(),
            fields: self.to_fields(),
        }
    }

    /// The op that turns `old` into `self`; `None` when nothing changed.
    fn update_op(&self, old: &Self) -> Option<Op> {
        let changes = diff_fields(&old.to_fields(), &self.to_fields());
        (!changes.is_empty()).then(|| Op::Patch {
            collection: Self::COLLECTION.to_string(),
            id: self.id().to_string(),
            changes,
        })
    }

    fn delete_op(&self) -> Op {
        Op::Delete {
            collection: Self::COLLECTION.to_string(),
            id: self.id().to_string(),
        }
    }
}
