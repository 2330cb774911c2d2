//! Reviewing what changed between two versions — per entity and field,
//! old → new, with authors and time — and listing open conflicts as
//! decisions a person can take with one click.
//!
//! The changes in between are decoded and every op is mapped to the
//! document path it touched (object ids resolve to paths through
//! `parents`). Those paths say which records to read in both versions
//! (so the cost follows the changes, not the portfolio) and who wrote
//! each field — edits inside text, replaced lists and deletions included,
//! not only surviving values. Values are then diffed per field as JSON.

use super::layout::*;
use super::read::{self, Reader};
use super::{PortfolioDoc, Version};
use crate::domain::command::diff_fields;
use crate::domain::{Command, FieldChange, Op};
use automerge::{
    ActorId, AutoCommit, ChangeHash, ObjId, ObjType, Prop, ReadDoc, Value as AmValue, ValueRef,
    ROOT,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// What happened to one entity between two versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ChangeKind {
    Added,
    Deleted,
    Modified,
}

/// Everything that changed between two versions.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Review {
    pub entities: Vec<EntityChange>,
    /// Open conflicts this range of changes took part in.
    pub conflicts: Vec<Conflict>,
    /// Records one side deleted while the other edited them (imports
    /// only): the edits are in the history but no longer visible.
    pub deleted_while_edited: Vec<DeletedWhileEdited>,
}

impl Review {
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
            && self.conflicts.is_empty()
            && self.deleted_while_edited.is_empty()
    }

    /// Every author (actor hex) named anywhere in the review, in order of
    /// first appearance.
    pub fn authors(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let fields = self.entities.iter().flat_map(|e| &e.fields);
        for author in fields.flat_map(|f| &f.authors) {
            if !out.contains(author) {
                out.push(author.clone());
            }
        }
        out
    }
}

/// One entity's change. The portfolio itself (name, settings) appears with
/// `collection == ""` and `id == ""`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntityChange {
    pub collection: String,
    pub id: String,
    /// Name (or code and name) of the entity, from its fields.
    pub label: String,
    pub kind: ChangeKind,
    pub fields: Vec<FieldDiff>,
}

/// One field's change. `None` means absent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldDiff {
    /// Map keys from the entity down to the field, e.g. `["budget"]` or
    /// `["objectives", "o1"]`.
    pub path: Vec<String>,
    pub old: Option<Value>,
    pub new: Option<Value>,
    /// Actors (hex) whose changes in the range wrote this field.
    pub authors: Vec<String>,
    /// Seconds since the epoch of the latest of those changes.
    pub time: Option<i64>,
}

/// A record deleted on one side while the other side edited it. Automerge
/// lets the deletion win, so the edits would vanish without a word; the
/// review names them and offers the record back, edits included.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeletedWhileEdited {
    pub collection: String,
    pub id: String,
    pub label: String,
    /// Actors (hex) who deleted the record.
    pub deleted_by: Vec<String>,
    /// Actors (hex) whose edits the deletion hid.
    pub edited_by: Vec<String>,
    /// The edited fields (first-level keys), sorted.
    pub fields: Vec<String>,
    /// The record as the editing side last had it, edits included.
    pub record: Map<String, Value>,
}

impl DeletedWhileEdited {
    /// The command that brings the record back as the editors left it.
    pub fn restore(&self) -> Command {
        Command::new(
            format!("Restore {} (deleted while edited)", self.label),
            vec![Op::Create {
                collection: self.collection.clone(),
                id: self.id.clone(),
                fields: self.record.clone(),
            }],
        )
    }
}

/// A field with several concurrent values, waiting for a decision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    /// `""` for the portfolio itself (name, settings).
    pub collection: String,
    pub id: String,
    pub label: String,
    pub path: Vec<String>,
    /// The value shown now (the winner) first.
    pub values: Vec<ConflictValue>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConflictValue {
    pub value: Value,
    /// Actor (hex) whose op wrote this value.
    pub actor: String,
}

impl Conflict {
    /// The command that keeps `values[index]` (the winner if out of range).
    /// It is a normal change: once exchanged, it resolves the conflict
    /// everywhere, because it supersedes every value it saw.
    pub fn resolve(&self, index: usize) -> Command {
        let Some(chosen) = self.values.get(index).or(self.values.first()) else {
            return Command::new("Resolve conflict", Vec::new());
        };
        let change = FieldChange {
            path: self.path.clone(),
            value: Some(chosen.value.clone()),
        };
        let field = self.path.join(".");
        let summary = if self.collection.is_empty() {
            format!("Keep {} for {field}", short(&chosen.value))
        } else {
            format!(
                "Keep {} for {field} of {}",
                short(&chosen.value),
                self.label
            )
        };
        let op = if self.collection.is_empty() {
            Op::SetRoot { change }
        } else {
            Op::Patch {
                collection: self.collection.clone(),
                id: self.id.clone(),
                changes: vec![change],
            }
        };
        Command::new(summary, vec![op])
    }
}

fn short(value: &Value) -> String {
    const MAX: usize = 40;
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if text.chars().count() > MAX {
        let cut: String = text.chars().take(MAX - 1).collect();
        format!("\u{201c}{cut}\u{2026}\u{201d}")
    } else {
        format!("\u{201c}{text}\u{201d}")
    }
}

impl PortfolioDoc {
    /// What changed between two versions, per entity and field, with
    /// authors. Hashes this document does not know are ignored.
    ///
    /// Only what the changes in between touched is read, so reviewing a
    /// few edits costs little however large the portfolio is.
    pub fn review(&mut self, before: &Version, after: &Version) -> Review {
        let before = self.known(before);
        let after = self.known(after);
        let current = self.doc.get_heads();
        let at = (after.0 != current).then(|| after.0.clone());
        let touches = Touches::collect(&mut self.doc, &before.0, &after.0);
        // Changes `before` has and `after` lacks change values too (when
        // `before` is not an ancestor of `after`).
        let undone = Touches::collect(&mut self.doc, &after.0, &before.0);
        let old = Reader {
            doc: &self.doc,
            heads: Some(&before.0),
        };
        let new = Reader {
            doc: &self.doc,
            heads: at.as_deref(),
        };
        let delta = Delta::between(&old, &new, &[&touches, &undone]);
        self.review_delta(&delta, &touches, at.as_deref())
    }

    fn known(&mut self, version: &Version) -> Version {
        Version(
            version
                .0
                .iter()
                .copied()
                .filter(|h| self.doc.get_change_meta_by_hash(h).is_some())
                .collect(),
        )
    }

    /// The review of `delta`, authored by `touches`; `after` as in
    /// [`Delta::between`] (`None`: the current version).
    pub(crate) fn review_delta(
        &self,
        delta: &Delta,
        touches: &Touches,
        after: Option<&[ChangeHash]>,
    ) -> Review {
        let mut entities = entity_changes(delta);
        for entity in &mut entities {
            let base: Vec<String> = if entity.collection.is_empty() {
                Vec::new()
            } else {
                vec![entity.collection.clone(), entity.id.clone()]
            };
            for field in &mut entity.fields {
                let (authors, time) = touches.authors(&base, &field.path, entity.kind);
                field.authors = authors;
                field.time = time;
            }
        }
        let conflicts = self
            .conflicts_at(after, Some(touches))
            .into_iter()
            .filter(|(_, ops)| ops.iter().any(|(actor, ctr)| touches.wrote(actor, *ctr)))
            .map(|(c, _)| c)
            .collect();
        Review {
            entities,
            conflicts,
            deleted_while_edited: Vec::new(),
        }
    }

    /// Every open conflict in the current document.
    pub fn conflicts(&self) -> Vec<Conflict> {
        self.conflicts_at(None, None)
            .into_iter()
            .map(|(c, _)| c)
            .collect()
    }

    /// Conflicts with the op ids (actor, counter) of their values. With
    /// `only`, entities no op of that range touched are skipped (a
    /// conflict that range took part in lies where it wrote).
    fn conflicts_at(
        &self,
        heads: Option<&[ChangeHash]>,
        only: Option<&Touches>,
    ) -> Vec<(Conflict, Vec<(ActorId, u64)>)> {
        let reader = Reader {
            doc: &self.doc,
            heads,
        };
        let mut walk = ConflictWalk {
            reader: &reader,
            out: Vec::new(),
        };
        for (key, is_map) in walk.items(&ROOT) {
            if key == KEY_ACTORS {
                continue;
            }
            if is_map && key != KEY_SETTINGS {
                for coll in reader.maps_at(&ROOT, &key) {
                    walk.collection(&key, &coll, only);
                }
            } else {
                let at = Place {
                    collection: "",
                    id: "",
                    entity: None,
                };
                walk.key(&at, &ROOT, &key, &mut Vec::new());
            }
        }
        walk.out
    }
}

/// Where a conflict lives: the portfolio itself or one entity.
struct Place<'a> {
    collection: &'a str,
    id: &'a str,
    /// The entity's map, read for its label only when a conflict is found.
    entity: Option<&'a ObjId>,
}

struct ConflictWalk<'r, 'd> {
    reader: &'r Reader<'d>,
    out: Vec<(Conflict, Vec<(ActorId, u64)>)>,
}

impl ConflictWalk<'_, '_> {
    fn label(&self, at: &Place<'_>) -> String {
        match at.entity {
            Some(obj) => label_of(&self.reader.map(obj), at.id),
            None => self
                .reader
                .all(&ROOT, KEY_NAME)
                .last()
                .map(|(v, id)| read::value_to_json(self.reader, v, id))
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
        }
    }

    /// Keys of a map, each with whether any of its values is a map.
    fn items(&self, obj: &ObjId) -> Vec<(String, bool)> {
        self.entries(obj)
            .into_iter()
            .map(|(key, conflict, child)| {
                let is_map =
                    child.is_some() || (conflict && !self.reader.maps_at(obj, &key).is_empty());
                (key, is_map)
            })
            .collect()
    }

    /// (key, conflicted, the winning value's id when it is a map).
    fn entries(&self, obj: &ObjId) -> Vec<(String, bool, Option<ObjId>)> {
        let items: Vec<_> = match self.reader.heads {
            Some(h) => self.reader.doc.map_range_at(obj, .., h).collect(),
            None => self.reader.doc.map_range(obj, ..).collect(),
        };
        items
            .into_iter()
            .map(|item| {
                let child = matches!(item.value, ValueRef::Object(ObjType::Map | ObjType::Table))
                    .then(|| item.id());
                (item.key.into_owned(), item.conflict, child)
            })
            .collect()
    }

    fn collection(&mut self, collection: &str, coll: &ObjId, only: Option<&Touches>) {
        // Visiting only the touched records keeps an import's conflict
        // check proportional to the file, not to the portfolio.
        let ids = match only.and_then(|t| t.ids_under(collection)) {
            Some(ids) => ids,
            None => self
                .items(coll)
                .into_iter()
                .filter_map(|(id, is_map)| is_map.then_some(id))
                .collect(),
        };
        for id in ids {
            for entity in self.reader.maps_at(coll, &id) {
                let at = Place {
                    collection,
                    id: &id,
                    entity: Some(&entity),
                };
                self.fields(&at, &entity, &mut Vec::new());
            }
        }
    }

    fn fields(&mut self, at: &Place<'_>, obj: &ObjId, path: &mut Vec<String>) {
        for (key, conflict, child) in self.entries(obj) {
            if conflict {
                self.key(at, obj, &key, path);
            } else if let Some(child) = child {
                path.push(key);
                self.fields(at, &child, path);
                path.pop();
            }
        }
    }

    /// Reports a conflict at `key`, or descends into the map(s) there.
    /// Concurrently created maps are not a decision (the reader unions
    /// them), and neither are values that are all equal.
    fn key(&mut self, at: &Place<'_>, obj: &ObjId, key: &str, path: &mut Vec<String>) {
        let all = self.reader.all(obj, key);
        path.push(key.to_string());
        let all_maps = all
            .iter()
            .all(|(v, _)| matches!(v, AmValue::Object(ObjType::Map | ObjType::Table)));
        if all_maps {
            for (_, id) in &all {
                self.fields(at, id, path);
            }
        } else if all.len() > 1 {
            let mut values = Vec::new();
            let mut ops = Vec::new();
            // `all` has the winner last; decisions list it first.
            for (value, id) in all.iter().rev() {
                let json = read::value_to_json(self.reader, value, id);
                let actor = match id {
                    ObjId::Id(ctr, actor, _) => {
                        ops.push((actor.clone(), *ctr));
                        actor.to_hex_string()
                    }
                    ObjId::Root => String::new(),
                };
                values.push(ConflictValue { value: json, actor });
            }
            if values.iter().any(|v| v.value != values[0].value) {
                let conflict = Conflict {
                    collection: at.collection.to_string(),
                    id: at.id.to_string(),
                    label: self.label(at),
                    path: path.clone(),
                    values,
                };
                self.out.push((conflict, ops));
            }
        }
        path.pop();
    }
}

/// The name a person recognises a record by: "code name", the name, a
/// title, else its id.
pub(crate) fn label_of(fields: &Map<String, Value>, id: &str) -> String {
    let text = |k: &str| {
        fields
            .get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    match (text("code"), text("name").or(text("title"))) {
        (Some(code), Some(name)) => format!("{code} {name}"),
        (None, Some(name)) => name.to_string(),
        (Some(code), None) => code.to_string(),
        (None, None) => id.to_string(),
    }
}

/// Root keys holding a map are collections, except these two.
fn is_collection_key(key: &str) -> bool {
    key != KEY_SETTINGS && key != KEY_ACTORS
}

fn collection_rank(key: &str) -> (usize, String) {
    let pos = INITIAL_COLLECTIONS
        .iter()
        .position(|c| *c == key)
        .unwrap_or(INITIAL_COLLECTIONS.len());
    (pos, key.to_string())
}

/// What differs between two versions: the root's own fields, and the
/// records whose value differs.
#[derive(Debug, Default)]
pub(crate) struct Delta {
    /// Root keys that are not collections (name, schema, settings, actors…).
    pub root_before: Map<String, Value>,
    pub root_after: Map<String, Value>,
    /// Collections in the later version, with how many records they hold.
    pub collections: Vec<(String, usize)>,
    pub records: Vec<RecordDelta>,
}

#[derive(Debug)]
pub(crate) struct RecordDelta {
    pub collection: String,
    pub id: String,
    /// `None`: the record does not exist in that version.
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl Delta {
    /// Everything in `root` as new (a file opened as a portfolio).
    pub fn whole(root: &Map<String, Value>) -> Delta {
        let mut delta = Delta::default();
        for (key, value) in root {
            match value.as_object() {
                Some(records) if is_collection_key(key) => {
                    delta.collections.push((key.clone(), records.len()));
                    delta
                        .records
                        .extend(records.iter().map(|(id, record)| RecordDelta {
                            collection: key.clone(),
                            id: id.clone(),
                            before: None,
                            after: Some(record.clone()),
                        }));
                }
                _ => {
                    delta.root_after.insert(key.clone(), value.clone());
                }
            }
        }
        delta
    }

    /// Reads only what the ops in `touched` reached: records under a
    /// touched path, or every record of a collection whose map itself was
    /// created or replaced. `after == None` reads the current version.
    ///
    /// Reading at past heads costs a clock computation per read, so the
    /// import reads the earlier version from the untouched original
    /// document instead (both readers then read "now").
    pub fn between(old: &Reader<'_>, new: &Reader<'_>, touched: &[&Touches]) -> Delta {
        let (root_before, colls_before) = shallow_root(old);
        let (root_after, colls_after) = shallow_root(new);
        let is_coll = |k: &str| colls_before.iter().chain(&colls_after).any(|c| c == k);
        let mut candidates: BTreeSet<(String, String)> = BTreeSet::new();
        for path in touched.iter().flat_map(|t| t.paths.keys()) {
            match path.as_slice() {
                [coll, id, ..] if is_coll(coll) => {
                    candidates.insert((coll.clone(), id.clone()));
                }
                [coll] if is_coll(coll) => {
                    for reader in [old, new] {
                        for copy in reader.maps_at(&ROOT, coll) {
                            for id in reader.keys(&copy) {
                                candidates.insert((coll.clone(), id));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        // Each collection's maps are looked up once, not once per record.
        let mut copies: HashMap<String, (Vec<ObjId>, Vec<ObjId>)> = HashMap::new();
        let records = candidates
            .into_iter()
            .filter_map(|(collection, id)| {
                let (old_maps, new_maps) = copies.entry(collection.clone()).or_insert_with(|| {
                    (
                        old.maps_at(&ROOT, &collection),
                        new.maps_at(&ROOT, &collection),
                    )
                });
                let before = old.record_in(old_maps, &id);
                let after = new.record_in(new_maps, &id);
                (before != after).then_some(RecordDelta {
                    collection,
                    id,
                    before,
                    after,
                })
            })
            .collect();
        let collections = colls_after
            .into_iter()
            .map(|c| {
                let len = new
                    .maps_at(&ROOT, &c)
                    .iter()
                    .map(|copy| match new.heads {
                        Some(h) => new.doc.length_at(copy, h),
                        None => new.doc.length(copy),
                    })
                    .sum();
                (c, len)
            })
            .collect();
        Delta {
            root_before,
            root_after,
            collections,
            records,
        }
    }
}

/// Records that one side of an import deleted while the other edited
/// them: deleted by the file while this document's own changes (those the
/// sender did not have) edited them, or deleted here while the file's
/// changes edited them. `theirs` is the file's version, `ours` this
/// document's version before the import, `merged` the document after it.
pub(crate) fn deleted_while_edited(
    merged: &mut AutoCommit,
    theirs: &[ChangeHash],
    ours: &[ChangeHash],
    incoming: &Touches,
    delta: &Delta,
) -> Vec<DeletedWhileEdited> {
    if incoming.changes() == 0 {
        return Vec::new();
    }
    let local = Touches::collect(merged, theirs, ours);
    let local_edits = local.edited_records();
    let mut out = Vec::new();
    let item = |collection: &str,
                id: &str,
                deleted_by: Vec<String>,
                (fields, edited_by): &(BTreeSet<String>, Vec<String>),
                record: &Map<String, Value>| DeletedWhileEdited {
        collection: collection.to_string(),
        id: id.to_string(),
        label: label_of(record, id),
        deleted_by,
        edited_by: edited_by.clone(),
        fields: fields.iter().cloned().collect(),
        record: record.clone(),
    };
    // Deleted by the file, edited here.
    for r in &delta.records {
        let (Some(Value::Object(before)), None) = (&r.before, &r.after) else {
            continue;
        };
        let key = (r.collection.clone(), r.id.clone());
        if let Some(edits) = local_edits.get(&key) {
            let deleted_by = incoming.actors_at(&[key.0.clone(), key.1.clone()]);
            out.push(item(&r.collection, &r.id, deleted_by, edits, before));
        }
    }
    // Deleted here, edited in the file.
    let now = Reader {
        doc: merged,
        heads: None,
    };
    let sent = Reader {
        doc: merged,
        heads: Some(theirs),
    };
    for ((collection, id), edits) in incoming.edited_records() {
        let deleted_by = local.actors_at(&[collection.clone(), id.clone()]);
        if deleted_by.is_empty() || now.record_json(&collection, &id).is_some() {
            continue;
        }
        if let Some(Value::Object(record)) = sent.record_json(&collection, &id) {
            out.push(item(&collection, &id, deleted_by, &edits, &record));
        }
    }
    out.sort_by_cached_key(|d| (collection_rank(&d.collection), d.label.to_lowercase()));
    out
}

/// The root's non-collection keys with their values, and the names of
/// the collections.
fn shallow_root(reader: &Reader<'_>) -> (Map<String, Value>, Vec<String>) {
    let mut fields = Map::new();
    let mut collections = Vec::new();
    for (key, is_map) in entries(reader, &ROOT) {
        if is_map && is_collection_key(&key) {
            collections.push(key);
        } else if let Some(value) = reader.key_json(&ROOT, &key) {
            fields.insert(key, value);
        }
    }
    (fields, collections)
}

/// Keys of a map, each with whether its winning value is a map.
fn entries(reader: &Reader<'_>, obj: &ObjId) -> Vec<(String, bool)> {
    let items: Vec<_> = match reader.heads {
        Some(h) => reader.doc.map_range_at(obj, .., h).collect(),
        None => reader.doc.map_range(obj, ..).collect(),
    };
    items
        .into_iter()
        .map(|item| {
            let is_map = matches!(item.value, ValueRef::Object(ObjType::Map | ObjType::Table));
            (item.key.into_owned(), is_map)
        })
        .collect()
}

fn entity_changes(delta: &Delta) -> Vec<EntityChange> {
    let mut out = Vec::new();
    let root_fields = |m: &Map<String, Value>| -> Map<String, Value> {
        m.iter()
            .filter(|(k, _)| *k != KEY_ACTORS)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let fields = modified_fields(
        &root_fields(&delta.root_before),
        &root_fields(&delta.root_after),
    );
    if !fields.is_empty() {
        let label = delta
            .root_after
            .get(KEY_NAME)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        out.push(EntityChange {
            collection: String::new(),
            id: String::new(),
            label,
            kind: ChangeKind::Modified,
            fields,
        });
    }
    let empty = Map::new();
    let mut records: Vec<EntityChange> = delta
        .records
        .iter()
        .map(|r| {
            let old = r.before.as_ref().map(|v| v.as_object().unwrap_or(&empty));
            let new = r.after.as_ref().map(|v| v.as_object().unwrap_or(&empty));
            let (kind, label, fields) = match (old, new) {
                (Some(old), Some(new)) => (
                    ChangeKind::Modified,
                    label_of(new, &r.id),
                    modified_fields(old, new),
                ),
                (None, new) => {
                    let new = new.unwrap_or(&empty);
                    (
                        ChangeKind::Added,
                        label_of(new, &r.id),
                        whole_fields(new, false),
                    )
                }
                (Some(old), None) => (
                    ChangeKind::Deleted,
                    label_of(old, &r.id),
                    whole_fields(old, true),
                ),
            };
            EntityChange {
                collection: r.collection.clone(),
                id: r.id.clone(),
                label,
                kind,
                fields,
            }
        })
        .collect();
    records.sort_by_cached_key(|e| {
        (
            collection_rank(&e.collection),
            e.label.to_lowercase(),
            e.id.clone(),
        )
    });
    out.extend(records);
    out
}

fn modified_fields(old: &Map<String, Value>, new: &Map<String, Value>) -> Vec<FieldDiff> {
    let mut fields: Vec<FieldDiff> = diff_fields(old, new)
        .into_iter()
        .map(|change| FieldDiff {
            old: lookup(old, &change.path),
            new: change.value.filter(|v| !v.is_null()),
            path: change.path,
            authors: Vec::new(),
            time: None,
        })
        .collect();
    fields.sort_by(|a, b| a.path.cmp(&b.path));
    fields
}

fn whole_fields(fields: &Map<String, Value>, deleted: bool) -> Vec<FieldDiff> {
    fields
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| FieldDiff {
            path: vec![k.clone()],
            old: deleted.then(|| v.clone()),
            new: (!deleted).then(|| v.clone()),
            authors: Vec::new(),
            time: None,
        })
        .collect()
}

fn lookup(map: &Map<String, Value>, path: &[String]) -> Option<Value> {
    let (last, parents) = path.split_last()?;
    let mut current = map;
    for key in parents {
        current = current.get(key)?.as_object()?;
    }
    current.get(last).filter(|v| !v.is_null()).cloned()
}

/// Who touched which document path in a range of changes.
pub(crate) struct Touches {
    /// Path from the root → (actors in order of first touch, latest time).
    paths: BTreeMap<Vec<String>, (Vec<String>, i64)>,
    /// Op counter ranges of the changes in the range, per actor.
    ops: HashMap<ActorId, Vec<(u64, u64)>>,
    changes: usize,
    /// Ops on objects whose place in the document could not be found.
    unplaced: usize,
}

impl Touches {
    /// The changes in `after`'s history that `before` lacks, decoded.
    pub(crate) fn collect(
        doc: &mut AutoCommit,
        before: &[ChangeHash],
        after: &[ChangeHash],
    ) -> Touches {
        let mut changes = doc.get_changes(before);
        if after != doc.get_heads().as_slice() {
            let ancestors = ancestors_within(&changes, after);
            changes.retain(|c| ancestors.contains(&c.hash()));
        }
        Touches::of_changes(doc, &changes)
    }

    /// What `changes`, all of them in `doc`, touched. An import passes the
    /// file's own changes: asking the document for them again would
    /// re-encode every one (the costliest part of collecting them).
    pub(crate) fn of_changes(doc: &AutoCommit, changes: &[automerge::Change]) -> Touches {
        let mut touches = Touches {
            paths: BTreeMap::new(),
            ops: HashMap::new(),
            changes: changes.len(),
            unplaced: 0,
        };
        let mut paths: HashMap<(u64, ActorId), Option<Vec<String>>> = HashMap::new();
        for change in changes {
            let actor = change.actor_id().clone();
            let actor_hex = actor.to_hex_string();
            touches
                .ops
                .entry(actor.clone())
                .or_default()
                .push((change.start_op().get(), change.max_op()));
            let time = change.timestamp();
            for op in change.decode().operations {
                let obj_path = match &op.obj {
                    automerge::legacy::ObjectId::Root => Some(Vec::new()),
                    automerge::legacy::ObjectId::Id(id) => paths
                        .entry((id.counter(), id.actor().clone()))
                        .or_insert_with(|| path_of(doc, id.counter(), id.actor()))
                        .clone(),
                };
                let Some(mut path) = obj_path else {
                    touches.unplaced += 1;
                    continue;
                };
                if let automerge::legacy::Key::Map(key) = &op.key {
                    path.push(key.to_string());
                }
                // Recording a name in `actors` is bookkeeping, not an edit.
                if path.first().map(String::as_str) == Some(KEY_ACTORS) {
                    continue;
                }
                let entry = touches.paths.entry(path).or_insert((Vec::new(), time));
                if !entry.0.contains(&actor_hex) {
                    entry.0.push(actor_hex.clone());
                }
                entry.1 = entry.1.max(time);
            }
        }
        touches
    }

    /// How many changes the range holds.
    pub(crate) fn changes(&self) -> usize {
        self.changes
    }

    /// True if every op's target was found in the document, so the paths
    /// cover everything the changes touched.
    pub(crate) fn all_placed(&self) -> bool {
        self.unplaced == 0
    }

    /// The ids of the records of `collection` some op touched, or `None`
    /// if an op replaced the collection's map itself (then every record
    /// may have changed).
    pub(crate) fn ids_under(&self, collection: &str) -> Option<Vec<String>> {
        let start = vec![collection.to_string()];
        let mut ids: Vec<String> = Vec::new();
        for (path, _) in self.paths.range(start..) {
            match path.as_slice() {
                [coll] if coll == collection => return None,
                [coll, id, ..] if coll == collection => {
                    if ids.last() != Some(id) {
                        ids.push(id.clone());
                    }
                }
                _ => break,
            }
        }
        Some(ids)
    }

    /// Actors whose ops hit exactly `path` (for an entity: created,
    /// replaced or deleted it).
    pub(crate) fn actors_at(&self, path: &[String]) -> Vec<String> {
        self.paths
            .get(path)
            .map(|(actors, _)| actors.clone())
            .unwrap_or_default()
    }

    /// Records (collection, id) some op edited a field of, each with the
    /// first-level fields and the actors that edited them.
    pub(crate) fn edited_records(
        &self,
    ) -> BTreeMap<(String, String), (BTreeSet<String>, Vec<String>)> {
        let mut out: BTreeMap<(String, String), (BTreeSet<String>, Vec<String>)> = BTreeMap::new();
        for (path, (actors, _)) in &self.paths {
            if let [coll, id, field, ..] = path.as_slice() {
                if !is_collection_key(coll) {
                    continue;
                }
                let entry = out.entry((coll.clone(), id.clone())).or_default();
                entry.0.insert(field.clone());
                for a in actors {
                    if !entry.1.contains(a) {
                        entry.1.push(a.clone());
                    }
                }
            }
        }
        out
    }

    fn wrote(&self, actor: &ActorId, counter: u64) -> bool {
        self.ops
            .get(actor)
            .is_some_and(|ranges| ranges.iter().any(|(s, e)| (*s..=*e).contains(&counter)))
    }

    /// Authors and time of the field at `base + path`: who wrote it or
    /// anything inside it, or replaced a container it lives in (below the
    /// entity itself). For added and deleted entities, whoever created or
    /// deleted the entity counts too.
    fn authors(
        &self,
        base: &[String],
        path: &[String],
        kind: ChangeKind,
    ) -> (Vec<String>, Option<i64>) {
        let full: Vec<String> = base.iter().chain(path).cloned().collect();
        let mut authors: Vec<String> = Vec::new();
        let mut time = None::<i64>;
        let mut add = |(actors, t): &(Vec<String>, i64)| {
            for a in actors {
                if !authors.contains(a) {
                    authors.push(a.clone());
                }
            }
            time = Some(time.map_or(*t, |x| x.max(*t)));
        };
        if kind != ChangeKind::Deleted {
            for (p, touch) in self.paths.range(full.clone()..) {
                if !p.starts_with(&full) {
                    break;
                }
                add(touch);
            }
            for len in base.len() + 1..full.len() {
                if let Some(touch) = self.paths.get(&full[..len]) {
                    add(touch);
                }
            }
        }
        if kind != ChangeKind::Modified && !base.is_empty() {
            if let Some(touch) = self.paths.get(base) {
                add(touch);
            }
        }
        (authors, time)
    }
}

/// The hashes among `changes` that `heads` (transitively) depend on.
fn ancestors_within(changes: &[automerge::Change], heads: &[ChangeHash]) -> HashSet<ChangeHash> {
    let deps: HashMap<ChangeHash, &[ChangeHash]> =
        changes.iter().map(|c| (c.hash(), c.deps())).collect();
    let mut seen = HashSet::new();
    let mut stack: Vec<ChangeHash> = heads.to_vec();
    while let Some(h) = stack.pop() {
        if let Some(ds) = deps.get(&h) {
            if seen.insert(h) {
                stack.extend_from_slice(ds);
            }
        }
    }
    seen
}

/// Map keys from the root to the object `counter@actor`. A path through a
/// list stops at the list: lists are replaced whole, so the list field is
/// what changed.
fn path_of(doc: &AutoCommit, counter: u64, actor: &ActorId) -> Option<Vec<String>> {
    let id = doc
        .import_obj(&format!("{counter}@{}", actor.to_hex_string()))
        .ok()?;
    let parents = doc.parents(&id).ok()?;
    let mut path = Vec::new();
    for (_, prop) in parents.path() {
        match prop {
            Prop::Map(key) => path.push(key),
            Prop::Seq(_) => break,
        }
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn labels_prefer_code_and_name() {
        let f = |v: Value| v.as_object().unwrap().clone();
        assert_eq!(
            label_of(&f(json!({"code": "P-1", "name": "Web"})), "p1"),
            "P-1 Web"
        );
        assert_eq!(label_of(&f(json!({"name": " Web "})), "p1"), "Web");
        assert_eq!(label_of(&f(json!({"title": "Risk"})), "r1"), "Risk");
        assert_eq!(label_of(&f(json!({"name": ""})), "p1"), "p1");
    }

    #[test]
    fn resolve_builds_one_patch_or_root_change() {
        let conflict = Conflict {
            collection: "projects".into(),
            id: "p1".into(),
            label: "Web".into(),
            path: vec!["budget".into()],
            values: vec![
                ConflictValue {
                    value: json!(10.0),
                    actor: "aa".into(),
                },
                ConflictValue {
                    value: json!(20.0),
                    actor: "bb".into(),
                },
            ],
        };
        let cmd = conflict.resolve(1);
        assert_eq!(cmd.summary, "Keep \u{201c}20.0\u{201d} for budget of Web");
        assert_eq!(
            cmd.ops,
            vec![Op::Patch {
                collection: "projects".into(),
                id: "p1".into(),
                changes: vec![FieldChange::set(&["budget"], json!(20.0))],
            }]
        );
        let root = Conflict {
            collection: String::new(),
            id: String::new(),
            ..conflict
        };
        assert!(matches!(root.resolve(7).ops[0], Op::SetRoot { .. }));
    }
}
