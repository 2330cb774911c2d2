//! The portfolio document in IndexedDB: one snapshot plus the change records appended since,
//! compacted together in one transaction. Stores opaque bytes; knows nothing about Automerge.
//!
//! Layout of database `db_name`, schema version 1:
//! - object store `snapshot`: key `"bytes"` → `Uint8Array`; key `"id"` → a random number that
//!   changes with every snapshot write, so a writer can tell another tab replaced it;
//! - object store `changes`: auto-increment keys → `Uint8Array`, one record per change.
//!
//! Compaction must never drop a change the new snapshot lacks. Three cases, three guards:
//! - *This tab, racing itself*: a change appended after the snapshot bytes were produced.
//!   [`DocStore::mark`] is taken just before producing them; only this store's appends *started*
//!   before the mark (and the records its last [`DocStore::load`] returned) are deleted.
//! - *Other tabs' changes*: their records were never loaded or appended here, so they are never
//!   deleted here, whatever their keys.
//! - *Other tabs' snapshots*: the write is refused with [`StorageError::SnapshotConflict`] when
//!   the stored snapshot id is not the one this store last loaded or wrote.
//!
//! Every write is one transaction, so a crash leaves either the old or the new state. Records
//! left behind by the conservative rules are duplicates, which a later compaction removes.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;

use js_sys::{Array, ArrayBuffer, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    IdbDatabase, IdbFactory, IdbObjectStore, IdbObjectStoreParameters, IdbOpenDbRequest,
    IdbTransaction, IdbTransactionMode, IdbVersionChangeEvent,
};

use super::events::{committed, request, request_error, FirstEvent};
use super::StorageError;

const SCHEMA_VERSION: u32 = 1;
const SNAPSHOT_STORE: &str = "snapshot";
const CHANGES_STORE: &str = "changes";
const SNAPSHOT_KEY: &str = "bytes";
const SNAPSHOT_ID_KEY: &str = "id";

/// Everything stored for one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredDoc {
    /// The last full save, if one was written.
    pub snapshot: Option<Vec<u8>>,
    /// Incremental changes not yet folded into the snapshot, in append order.
    pub changes: Vec<Vec<u8>>,
}

/// A point in this store's sequence of appends; see [`DocStore::mark`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct SnapshotMark(u64);

/// One document's bytes in one IndexedDB database. Dropping it closes the connection.
pub struct DocStore {
    db: IdbDatabase,
    /// Set once another connection asked to upgrade or delete the database; we closed ours.
    superseded: Rc<Cell<bool>>,
    _on_version_change: Closure<dyn FnMut()>,
    seen: RefCell<Seen>,
}

/// What this store knows the caller's document contains, for safe compaction.
#[derive(Default)]
struct Seen {
    /// Id of the snapshot last loaded or written here (`None`: no snapshot existed).
    snapshot_id: Option<u64>,
    /// Change keys returned by the last `load`.
    loaded: Vec<u64>,
    /// Appends started so far; the next one's place in order.
    started: u64,
    /// Committed appends not yet compacted: (place in order, record key).
    appended: Vec<(u64, u64)>,
}

impl DocStore {
    /// Opens (creating on first use) the database `db_name`.
    pub async fn open(db_name: &str) -> Result<DocStore, StorageError> {
        let db = open_database(db_name).await?;
        let superseded = Rc::new(Cell::new(false));
        let on_version_change = close_on_version_change(&db, Rc::clone(&superseded));
        Ok(DocStore {
            db,
            superseded,
            _on_version_change: on_version_change,
            seen: RefCell::default(),
        })
    }

    /// Reads the snapshot and pending changes; `None` when nothing is stored.
    ///
    /// The store then assumes the caller merges everything returned into its document, so the
    /// next [`write_snapshot`](Self::write_snapshot) may delete these change records.
    pub async fn load(&self) -> Result<Option<StoredDoc>, StorageError> {
        let tx = self.transaction(
            &[SNAPSHOT_STORE, CHANGES_STORE],
            IdbTransactionMode::Readonly,
        )?;
        let snapshots = object_store(&tx, SNAPSHOT_STORE)?;
        let changes = object_store(&tx, CHANGES_STORE)?;
        // All four requests are queued before the first await: one consistent read.
        let snapshot = request(&snapshots.get(&SNAPSHOT_KEY.into()).map_err(js)?);
        let id = request(&snapshots.get(&SNAPSHOT_ID_KEY.into()).map_err(js)?);
        let keys = request(&changes.get_all_keys().map_err(js)?);
        let values = request(&changes.get_all().map_err(js)?);
        let snapshot = optional_bytes(&snapshot.await?, "snapshot")?;
        let id = snapshot_id(&id.await?)?;
        let keys = record_keys(&keys.await?)?;
        let changes = change_bytes(&keys, &values.await?)?;
        self.remember_load(id, keys);
        let empty = snapshot.is_none() && changes.is_empty();
        Ok((!empty).then_some(StoredDoc { snapshot, changes }))
    }

    /// Appends one incremental change record (durable when the future resolves); returns how many
    /// change records are now pending since the last snapshot (all tabs' records included).
    pub async fn append_change(&self, bytes: &[u8]) -> Result<usize, StorageError> {
        let place = self.start_append();
        let tx = self.transaction(&[CHANGES_STORE], IdbTransactionMode::Readwrite)?;
        let changes = object_store(&tx, CHANGES_STORE)?;
        let done = committed(&tx);
        let added = request(&changes.add(&Uint8Array::from(bytes)).map_err(js)?);
        let count = request(&changes.count().map_err(js)?);
        let key = record_key(&added.await?)?;
        let pending = count.await?.as_f64().unwrap_or(0.0) as usize;
        done.await?;
        self.seen.borrow_mut().appended.push((place, key));
        Ok(pending)
    }

    /// Marks this point in the sequence of appends. Take it *just before* producing the snapshot
    /// bytes and pass it to [`write_snapshot`](Self::write_snapshot): appends started after it
    /// may be missing from those bytes, so they are kept.
    pub fn mark(&self) -> SnapshotMark {
        SnapshotMark(self.seen.borrow().started)
    }

    /// Replaces the snapshot AND removes the change records it covers in ONE IndexedDB
    /// transaction (compaction). Covered: the records returned by the last [`load`](Self::load)
    /// and this store's appends started before `covers`. Crash-safe: either the old snapshot and
    /// changes or the new snapshot remain. Fails with [`StorageError::SnapshotConflict`], writing
    /// nothing, if another connection wrote a snapshot since this one last loaded or wrote (so
    /// `load` before the first compaction). Run one compaction at a time per store.
    pub async fn write_snapshot(
        &self,
        full: &[u8],
        covers: SnapshotMark,
    ) -> Result<(), StorageError> {
        let (expected, covered) = self.covered(covers);
        let tx = self.transaction(
            &[SNAPSHOT_STORE, CHANGES_STORE],
            IdbTransactionMode::Readwrite,
        )?;
        let snapshots = object_store(&tx, SNAPSHOT_STORE)?;
        let done = committed(&tx);
        // Awaiting inside a transaction is fine: the future resumes in a microtask while the
        // success event is still being dispatched, and the transaction is still active.
        let stored =
            snapshot_id(&request(&snapshots.get(&SNAPSHOT_ID_KEY.into()).map_err(js)?).await?)?;
        if stored != expected {
            let _ = tx.abort();
            return Err(StorageError::SnapshotConflict);
        }
        let new_id = new_snapshot_id();
        if let Err(e) = put_snapshot(&tx, full, new_id, &covered) {
            // Never let half of the writes commit.
            let _ = tx.abort();
            return Err(e);
        }
        done.await?;
        self.forget_covered(new_id, &covered);
        Ok(())
    }

    /// Deletes the snapshot and every change record (all tabs' records).
    pub async fn clear(&self) -> Result<(), StorageError> {
        let tx = self.transaction(
            &[SNAPSHOT_STORE, CHANGES_STORE],
            IdbTransactionMode::Readwrite,
        )?;
        let done = committed(&tx);
        let cleared = object_store(&tx, SNAPSHOT_STORE)
            .and_then(|store| store.clear().map_err(js))
            .and_then(|_| object_store(&tx, CHANGES_STORE))
            .and_then(|store| store.clear().map_err(js));
        if let Err(e) = cleared {
            let _ = tx.abort();
            return Err(e);
        }
        done.await?;
        let mut seen = self.seen.borrow_mut();
        *seen = Seen {
            started: seen.started,
            ..Seen::default()
        };
        Ok(())
    }

    fn transaction(
        &self,
        stores: &[&str],
        mode: IdbTransactionMode,
    ) -> Result<IdbTransaction, StorageError> {
        if self.superseded.get() {
            return Err(StorageError::NewerVersion);
        }
        let names: Array = stores.iter().map(|name| JsValue::from_str(name)).collect();
        self.db
            .transaction_with_str_sequence_and_mode(&names, mode)
            .map_err(js)
    }

    fn start_append(&self) -> u64 {
        let mut seen = self.seen.borrow_mut();
        seen.started += 1;
        seen.started - 1
    }

    fn remember_load(&self, snapshot_id: Option<u64>, keys: Vec<u64>) {
        let mut seen = self.seen.borrow_mut();
        seen.snapshot_id = snapshot_id;
        seen.loaded = keys;
    }

    /// The snapshot id we expect to replace, and the sorted keys the new snapshot covers.
    fn covered(&self, covers: SnapshotMark) -> (Option<u64>, Vec<u64>) {
        let seen = self.seen.borrow();
        let appended = seen
            .appended
            .iter()
            .filter(|(place, _)| *place < covers.0)
            .map(|(_, key)| *key);
        let mut keys: Vec<u64> = seen.loaded.iter().copied().chain(appended).collect();
        keys.sort_unstable();
        keys.dedup();
        (seen.snapshot_id, keys)
    }

    fn forget_covered(&self, new_id: u64, covered: &[u64]) {
        let mut seen = self.seen.borrow_mut();
        seen.snapshot_id = Some(new_id);
        seen.loaded
            .retain(|key| covered.binary_search(key).is_err());
        seen.appended
            .retain(|(_, key)| covered.binary_search(key).is_err());
    }
}

impl Drop for DocStore {
    fn drop(&mut self) {
        self.db.set_onversionchange(None);
        self.db.close();
    }
}

impl fmt::Debug for DocStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DocStore")
            .field("db", &self.db.name())
            .finish_non_exhaustive()
    }
}

fn js(value: JsValue) -> StorageError {
    StorageError::from_js(&value)
}

/// `indexedDB` of the window or worker; reading it throws where storage is blocked.
fn factory() -> Result<IdbFactory, StorageError> {
    let value = js_sys::Reflect::get(&js_sys::global(), &"indexedDB".into())
        .map_err(|_| StorageError::Unavailable)?;
    value
        .dyn_into::<IdbFactory>()
        .map_err(|_| StorageError::Unavailable)
}

async fn open_database(name: &str) -> Result<IdbDatabase, StorageError> {
    let req = factory()?.open_with_u32(name, SCHEMA_VERSION).map_err(js)?;
    let _upgrade = UpgradeHandler::attach(&req);
    match FirstEvent::new(&req, &["success", "error", "blocked"]).await {
        "success" => req.result().map(JsCast::unchecked_into).map_err(js),
        // Another connection refuses to close for an upgrade; waiting could hang the app.
        "blocked" => Err(StorageError::Unavailable),
        _ => Err(request_error(&req)),
    }
}

/// Creates the object stores on first open; detached when dropped so it never outlives `open`.
struct UpgradeHandler {
    req: IdbOpenDbRequest,
    _closure: Closure<dyn FnMut(IdbVersionChangeEvent)>,
}

impl UpgradeHandler {
    fn attach(req: &IdbOpenDbRequest) -> Self {
        let target = req.clone();
        // Must run synchronously inside the event: the upgrade transaction ends after it.
        let closure = Closure::<dyn FnMut(IdbVersionChangeEvent)>::new(move |event| {
            create_stores(&target, &event);
        });
        req.set_onupgradeneeded(Some(closure.as_ref().unchecked_ref()));
        Self {
            req: req.clone(),
            _closure: closure,
        }
    }
}

impl Drop for UpgradeHandler {
    fn drop(&mut self) {
        self.req.set_onupgradeneeded(None);
    }
}

fn create_stores(req: &IdbOpenDbRequest, event: &IdbVersionChangeEvent) {
    if event.old_version() >= 1.0 {
        return;
    }
    let created = req
        .result()
        .map(JsCast::unchecked_into::<IdbDatabase>)
        .and_then(|db| {
            let params = IdbObjectStoreParameters::new();
            params.set_auto_increment(true);
            db.create_object_store(SNAPSHOT_STORE)?;
            db.create_object_store_with_optional_parameters(CHANGES_STORE, &params)
        });
    if let Err(e) = created {
        // Aborting the upgrade makes `open` fail with the reason instead of a half-made database.
        web_sys::console::error_2(&"pmo-desk: creating object stores failed".into(), &e);
        if let Some(tx) = req.transaction() {
            let _ = tx.abort();
        }
    }
}

/// Closes our connection when another one needs to upgrade or delete the database, so we never
/// block a newer copy of the app in another tab.
fn close_on_version_change(db: &IdbDatabase, superseded: Rc<Cell<bool>>) -> Closure<dyn FnMut()> {
    let target = db.clone();
    let closure = Closure::<dyn FnMut()>::new(move || {
        superseded.set(true);
        target.close();
    });
    db.set_onversionchange(Some(closure.as_ref().unchecked_ref()));
    closure
}

fn object_store(tx: &IdbTransaction, name: &str) -> Result<IdbObjectStore, StorageError> {
    tx.object_store(name).map_err(js)
}

/// Queues the snapshot, its new id and the deletions; the caller aborts on error.
fn put_snapshot(
    tx: &IdbTransaction,
    full: &[u8],
    id: u64,
    covered: &[u64],
) -> Result<(), StorageError> {
    let snapshots = object_store(tx, SNAPSHOT_STORE)?;
    let changes = object_store(tx, CHANGES_STORE)?;
    snapshots
        .put_with_key(&Uint8Array::from(full), &SNAPSHOT_KEY.into())
        .map_err(js)?;
    snapshots
        .put_with_key(&JsValue::from_f64(id as f64), &SNAPSHOT_ID_KEY.into())
        .map_err(js)?;
    for key in covered {
        changes
            .delete(&JsValue::from_f64(*key as f64))
            .map_err(js)?;
    }
    Ok(())
}

/// A fresh snapshot id: 53 random bits, so it survives the trip through a JS number. Random
/// rather than counted, so clearing the store cannot bring an old id back.
fn new_snapshot_id() -> u64 {
    match getrandom::u64() {
        Ok(bits) => bits >> 11,
        // Ids only need to differ, not be secret.
        Err(_) => (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64,
    }
}

fn snapshot_id(value: &JsValue) -> Result<Option<u64>, StorageError> {
    if value.is_undefined() {
        return Ok(None);
    }
    whole_number(value)
        .map(Some)
        .ok_or_else(|| corrupt("snapshot id", value, "a whole number"))
}

fn record_key(value: &JsValue) -> Result<u64, StorageError> {
    whole_number(value).ok_or_else(|| corrupt("change record key", value, "a whole number"))
}

fn record_keys(value: &JsValue) -> Result<Vec<u64>, StorageError> {
    let keys: &Array = value
        .dyn_ref()
        .ok_or_else(|| corrupt("change key list", value, "an array"))?;
    keys.iter().map(|key| record_key(&key)).collect()
}

fn change_bytes(keys: &[u64], values: &JsValue) -> Result<Vec<Vec<u8>>, StorageError> {
    let values: &Array = values
        .dyn_ref()
        .ok_or_else(|| corrupt("change list", values, "an array"))?;
    keys.iter()
        .zip(values.iter())
        .map(|(key, value)| bytes(&value, &format!("change record {key}")))
        .collect()
}

fn optional_bytes(value: &JsValue, what: &str) -> Result<Option<Vec<u8>>, StorageError> {
    if value.is_undefined() {
        return Ok(None);
    }
    bytes(value, what).map(Some)
}

fn bytes(value: &JsValue, what: &str) -> Result<Vec<u8>, StorageError> {
    if let Some(array) = value.dyn_ref::<Uint8Array>() {
        return Ok(array.to_vec());
    }
    if let Some(buffer) = value.dyn_ref::<ArrayBuffer>() {
        return Ok(Uint8Array::new(buffer).to_vec());
    }
    Err(corrupt(what, value, "bytes"))
}

fn whole_number(value: &JsValue) -> Option<u64> {
    let number = value.as_f64()?;
    (number >= 0.0 && number.fract() == 0.0 && number <= 9_007_199_254_740_992.0)
        .then_some(number as u64)
}

fn corrupt(what: &str, value: &JsValue, expected: &str) -> StorageError {
    let kind = value.js_typeof().as_string().unwrap_or_default();
    StorageError::CorruptRecord(format!("{what} is of type {kind}, not {expected}"))
}
