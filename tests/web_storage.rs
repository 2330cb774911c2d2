//! The storage layer in headless Chromium: the document store's round trip and compaction
//! rules, corrupt records, clearing, version changes, preferences, the tab channel and the
//! persistence request. Each document-store test uses its own database name.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Array, Function, Promise, Uint8Array};
use pmo_desk::storage::{
    request_persistence, DocStore, Prefs, StorageError, StoredDoc, TabChannel, PREFS_NAMESPACE,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{IdbDatabase, IdbRequest, IdbTransaction, IdbTransactionMode};

wasm_bindgen_test_configure!(run_in_browser);

// ---------------------------------------------------------------- helpers

/// A store on an emptied database, so reruns in one browser profile start clean.
async fn fresh_store(name: &str) -> DocStore {
    let store = DocStore::open(name).await.expect("open");
    store.clear().await.expect("clear");
    store
}

fn stored(snapshot: Option<&[u8]>, changes: &[&[u8]]) -> Option<StoredDoc> {
    Some(StoredDoc {
        snapshot: snapshot.map(<[u8]>::to_vec),
        changes: changes.iter().map(|c| c.to_vec()).collect(),
    })
}

fn window() -> web_sys::Window {
    web_sys::window().expect("window")
}

/// A promise resolved by `resolve`'s holder, e.g. a callback under test.
fn pending_promise() -> (Promise, Function) {
    let mut slot = None;
    let promise = Promise::new(&mut |resolve, _reject| slot = Some(resolve));
    (promise, slot.expect("executor ran"))
}

/// The promise's value, or `None` when `ms` milliseconds pass first.
async fn within(ms: i32, promise: &Promise) -> Option<JsValue> {
    let sentinel = JsValue::from_str("timed out");
    let timeout = Promise::new(&mut |resolve, _reject| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_1(&resolve, ms, &sentinel)
            .expect("set_timeout");
    });
    let winner = JsFuture::from(Promise::race(&Array::of2(promise, &timeout)))
        .await
        .expect("race");
    (winner != sentinel).then_some(winner)
}

async fn sleep(ms: i32) {
    let (never, _keep) = pending_promise();
    assert_eq!(within(ms, &never).await, None);
}

/// Raw IndexedDB: waits for a request (or open request) to succeed.
async fn settle(req: &IdbRequest) -> JsValue {
    let done = Promise::new(&mut |resolve, reject| {
        req.set_onsuccess(Some(&resolve));
        req.set_onerror(Some(&reject));
    });
    JsFuture::from(done).await.expect("raw idb request");
    req.result().expect("result")
}

async fn settle_tx(tx: &IdbTransaction) {
    let done = Promise::new(&mut |resolve, reject| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onabort(Some(&reject));
    });
    JsFuture::from(done).await.expect("raw idb transaction");
}

async fn raw_open(name: &str, version: Option<u32>) -> IdbDatabase {
    let factory = window()
        .indexed_db()
        .expect("indexedDB")
        .expect("indexedDB");
    let req = match version {
        Some(version) => factory.open_with_u32(name, version),
        None => factory.open(name),
    }
    .expect("open");
    settle(&req).await.unchecked_into()
}

/// Writes `value` into an object store of `db_name` behind the store's back; returns its key.
async fn raw_put(db_name: &str, store: &str, value: &JsValue, key: Option<&str>) -> JsValue {
    let db = raw_open(db_name, None).await;
    let tx = db
        .transaction_with_str_and_mode(store, IdbTransactionMode::Readwrite)
        .expect("tx");
    let object_store = tx.object_store(store).expect("store");
    let req = match key {
        Some(key) => object_store.put_with_key(value, &key.into()),
        None => object_store.add(value),
    }
    .expect("write");
    let key = settle(&req).await;
    settle_tx(&tx).await;
    db.close();
    key
}

async fn raw_delete(db_name: &str, store: &str, key: &JsValue) {
    let db = raw_open(db_name, None).await;
    let tx = db
        .transaction_with_str_and_mode(store, IdbTransactionMode::Readwrite)
        .expect("tx");
    settle(&tx.object_store(store).unwrap().delete(key).unwrap()).await;
    settle_tx(&tx).await;
    db.close();
}

async fn raw_count(db_name: &str, store: &str) -> f64 {
    let db = raw_open(db_name, None).await;
    let tx = db.transaction_with_str(store).expect("tx");
    let count = settle(&tx.object_store(store).unwrap().count().unwrap()).await;
    db.close();
    count.as_f64().expect("count")
}

// ---------------------------------------------------------------- document store

#[wasm_bindgen_test]
async fn empty_store_loads_as_none() {
    let store = fresh_store("test-empty").await;
    assert_eq!(store.load().await.unwrap(), None);
}

#[wasm_bindgen_test]
async fn snapshot_and_changes_survive_reopening() {
    let name = "test-roundtrip";
    // Every byte value, and large enough to span many wasm pages.
    let snapshot: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    {
        let store = fresh_store(name).await;
        assert_eq!(store.append_change(b"before snapshot").await.unwrap(), 1);
        let mark = store.mark();
        store.write_snapshot(&snapshot, mark).await.unwrap();
        assert_eq!(store.append_change(b"change 1").await.unwrap(), 1);
        assert_eq!(store.append_change(&[0, 255, 0, 7]).await.unwrap(), 2);
        assert_eq!(store.append_change(b"").await.unwrap(), 3);
    }
    let reopened = DocStore::open(name).await.unwrap();
    let loaded = reopened.load().await.unwrap();
    assert_eq!(
        loaded,
        stored(Some(&snapshot), &[b"change 1", &[0, 255, 0, 7], b""])
    );
}

#[wasm_bindgen_test]
async fn changes_alone_load_without_snapshot() {
    let store = fresh_store("test-changes-only").await;
    store.append_change(b"one").await.unwrap();
    store.append_change(b"two").await.unwrap();
    assert_eq!(store.load().await.unwrap(), stored(None, &[b"one", b"two"]));
}

/// The compaction race: a change appended after the snapshot bytes were produced must survive.
#[wasm_bindgen_test]
async fn change_appended_after_mark_survives_compaction() {
    let store = fresh_store("test-race").await;
    store.append_change(b"a").await.unwrap();
    let mark = store.mark();
    let full = b"doc with a".to_vec();
    store.append_change(b"b").await.unwrap(); // after the bytes, before the write
    store.write_snapshot(&full, mark).await.unwrap();
    assert_eq!(
        store.load().await.unwrap(),
        stored(Some(b"doc with a"), &[b"b"])
    );

    // The next compaction covers it.
    let mark = store.mark();
    store.write_snapshot(b"doc with a b", mark).await.unwrap();
    assert_eq!(
        store.load().await.unwrap(),
        stored(Some(b"doc with a b"), &[])
    );
}

/// Same race with an append started before the mark but still in flight while the snapshot
/// transaction runs: its key is not known yet, so it is kept (a harmless duplicate).
#[wasm_bindgen_test]
async fn change_in_flight_during_compaction_survives() {
    let store = Rc::new(fresh_store("test-race-in-flight").await);
    store.append_change(b"a").await.unwrap();
    let before = store.mark();
    let (appended, resolve) = pending_promise();
    let appender = Rc::clone(&store);
    wasm_bindgen_futures::spawn_local(async move {
        appender.append_change(b"late").await.unwrap();
        resolve.call0(&JsValue::NULL).unwrap();
    });
    JsFuture::from(Promise::resolve(&JsValue::NULL))
        .await
        .unwrap();
    let mark = store.mark();
    assert!(mark > before, "the append should have started");
    store
        .write_snapshot(b"doc with a, late", mark)
        .await
        .unwrap();
    JsFuture::from(appended).await.unwrap();
    assert_eq!(
        store.load().await.unwrap(),
        stored(Some(b"doc with a, late"), &[b"late"])
    );
}

/// An append started after the mark, in flight during compaction.
#[wasm_bindgen_test]
async fn change_started_after_mark_survives_compaction() {
    let store = Rc::new(fresh_store("test-race-after-mark").await);
    store.append_change(b"a").await.unwrap();
    let mark = store.mark();
    let (appended, resolve) = pending_promise();
    let appender = Rc::clone(&store);
    wasm_bindgen_futures::spawn_local(async move {
        appender.append_change(b"late").await.unwrap();
        resolve.call0(&JsValue::NULL).unwrap();
    });
    store.write_snapshot(b"doc with a", mark).await.unwrap();
    JsFuture::from(appended).await.unwrap();
    assert_eq!(
        store.load().await.unwrap(),
        stored(Some(b"doc with a"), &[b"late"])
    );
}

/// Two connections (two tabs): neither may delete what the other's snapshot lacks.
#[wasm_bindgen_test]
async fn other_tabs_changes_and_snapshots_are_kept() {
    let name = "test-two-tabs";
    let tab_a = fresh_store(name).await;
    let tab_b = DocStore::open(name).await.unwrap();
    assert_eq!(tab_a.load().await.unwrap(), None);
    assert_eq!(tab_b.load().await.unwrap(), None);

    tab_b.append_change(b"from b").await.unwrap();
    tab_a.append_change(b"from a").await.unwrap();
    let mark = tab_a.mark();
    tab_a.write_snapshot(b"A", mark).await.unwrap();
    // A never saw B's change, so it is still pending.
    assert_eq!(
        tab_a.load().await.unwrap(),
        stored(Some(b"A"), &[b"from b"])
    );

    // B has not seen A's snapshot: overwriting it would lose "from a".
    let mark = tab_b.mark();
    assert_eq!(
        tab_b.write_snapshot(b"B", mark).await,
        Err(StorageError::SnapshotConflict)
    );
    assert_eq!(
        tab_b.load().await.unwrap(),
        stored(Some(b"A"), &[b"from b"])
    );

    // After loading (and, in the app, merging), B may compact everything.
    let mark = tab_b.mark();
    tab_b.write_snapshot(b"A+B", mark).await.unwrap();
    assert_eq!(tab_a.load().await.unwrap(), stored(Some(b"A+B"), &[]));
}

#[wasm_bindgen_test]
async fn corrupt_change_record_is_reported_and_nothing_is_lost() {
    let name = "test-corrupt-change";
    let store = fresh_store(name).await;
    store.append_change(b"good 1").await.unwrap();
    let bad_key = raw_put(name, "changes", &"not bytes".into(), None).await;
    store.append_change(b"good 2").await.unwrap();

    match store.load().await {
        Err(StorageError::CorruptRecord(detail)) => {
            let key = bad_key.as_f64().unwrap();
            assert!(detail.contains(&format!("change record {key}")), "{detail}");
            assert!(detail.contains("string"), "{detail}");
        }
        other => panic!("expected CorruptRecord, got {other:?}"),
    }
    // The failed load destroyed nothing.
    assert_eq!(raw_count(name, "changes").await, 3.0);

    // Another connection whose load failed compacts: it must delete nothing it never returned.
    let other = DocStore::open(name).await.unwrap();
    assert!(other.load().await.is_err());
    let mark = other.mark();
    other.write_snapshot(b"snap", mark).await.unwrap();
    assert_eq!(raw_count(name, "changes").await, 3.0);

    // Once the bad record is gone, the good ones load in order.
    raw_delete(name, "changes", &bad_key).await;
    assert_eq!(
        DocStore::open(name).await.unwrap().load().await.unwrap(),
        stored(Some(b"snap"), &[b"good 1", b"good 2"])
    );
}

#[wasm_bindgen_test]
async fn corrupt_snapshot_is_reported_and_changes_kept() {
    let name = "test-corrupt-snapshot";
    let store = fresh_store(name).await;
    store.append_change(b"kept").await.unwrap();
    raw_put(name, "snapshot", &JsValue::from_f64(42.0), Some("bytes")).await;
    match store.load().await {
        Err(StorageError::CorruptRecord(detail)) => {
            assert!(detail.contains("snapshot"), "{detail}")
        }
        other => panic!("expected CorruptRecord, got {other:?}"),
    }
    assert_eq!(raw_count(name, "changes").await, 1.0);
}

#[wasm_bindgen_test]
async fn clear_removes_snapshot_and_changes() {
    let name = "test-clear";
    let store = fresh_store(name).await;
    store.append_change(b"x").await.unwrap();
    let mark = store.mark();
    store.write_snapshot(b"snap", mark).await.unwrap();
    store.append_change(b"y").await.unwrap();
    store.clear().await.unwrap();
    assert_eq!(store.load().await.unwrap(), None);
    assert_eq!(
        DocStore::open(name).await.unwrap().load().await.unwrap(),
        None
    );

    // Still usable afterwards.
    assert_eq!(store.append_change(b"z").await.unwrap(), 1);
    assert_eq!(store.load().await.unwrap(), stored(None, &[b"z"]));
}

/// A newer app version upgrading the database (another tab) must not be blocked by us, and
/// this version must then refuse politely instead of failing obscurely.
#[wasm_bindgen_test]
async fn newer_version_in_another_tab_is_reported() {
    let name = "test-newer-version";
    let store = fresh_store(name).await;
    store.append_change(b"x").await.unwrap();
    let newer = raw_open(name, Some(2)).await; // would hang if we did not close on versionchange
    assert_eq!(store.load().await, Err(StorageError::NewerVersion));
    assert_eq!(
        DocStore::open(name).await.map(|_| ()),
        Err(StorageError::NewerVersion)
    );
    newer.close();
    let factory = window().indexed_db().unwrap().unwrap();
    settle(&factory.delete_database(name).unwrap()).await;
}

// ---------------------------------------------------------------- preferences

fn is_lower_hex_32(id: &str) -> bool {
    id.len() == 32 && id.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f'))
}

fn local_storage() -> web_sys::Storage {
    window().local_storage().unwrap().unwrap()
}

#[wasm_bindgen_test]
fn actor_id_is_32_hex_chars_stable_and_persisted() {
    Prefs::clear();
    let id = Prefs::actor_id();
    assert!(is_lower_hex_32(&id), "{id}");
    assert_eq!(Prefs::actor_id(), id);
    let raw = local_storage()
        .get_item(&format!("{PREFS_NAMESPACE}actor-id"))
        .unwrap();
    assert!(raw.unwrap().contains(&id));

    Prefs::clear();
    let second = Prefs::actor_id();
    assert!(is_lower_hex_32(&second));
    assert_ne!(second, id, "clear must forget the old id");
}

#[wasm_bindgen_test]
fn garbage_actor_id_is_replaced_not_fatal() {
    Prefs::clear();
    let key = format!("{PREFS_NAMESPACE}actor-id");
    for garbage in [
        "not json",
        "\"XYZ\"",
        "\"0123456789ABCDEF0123456789ABCDEF\"",
        "42",
    ] {
        local_storage().set_item(&key, garbage).unwrap();
        let id = Prefs::actor_id();
        assert!(is_lower_hex_32(&id), "{garbage} gave {id}");
        assert_eq!(Prefs::actor_id(), id);
    }
    Prefs::clear();
}

#[wasm_bindgen_test]
fn user_name_and_values_round_trip_and_clear() {
    Prefs::clear();
    assert_eq!(Prefs::user_name(), None);
    Prefs::set_user_name("Ada Lovelace").unwrap();
    assert_eq!(Prefs::user_name().as_deref(), Some("Ada Lovelace"));
    Prefs::set("theme", "dark \"high contrast\"").unwrap();
    assert_eq!(
        Prefs::get("theme").as_deref(),
        Some("dark \"high contrast\"")
    );
    assert_eq!(Prefs::get("missing"), None);

    // Keys outside the namespace are not ours to clear.
    local_storage().set_item("someone-else", "keep").unwrap();
    Prefs::clear();
    assert_eq!(Prefs::user_name(), None);
    assert_eq!(Prefs::get("theme"), None);
    assert_eq!(
        local_storage().get_item("someone-else").unwrap().as_deref(),
        Some("keep")
    );
    local_storage().remove_item("someone-else").unwrap();
}

// ---------------------------------------------------------------- tab channel

/// A promise resolved with the first message `channel` delivers.
fn first_message(channel: &TabChannel) -> Promise {
    let (promise, resolve) = pending_promise();
    channel.subscribe(move |bytes| {
        let _ = resolve.call1(&JsValue::NULL, &Uint8Array::from(&bytes[..]));
    });
    promise
}

fn as_bytes(value: Option<JsValue>) -> Option<Vec<u8>> {
    value.map(|v| v.dyn_into::<Uint8Array>().expect("bytes").to_vec())
}

#[wasm_bindgen_test]
async fn tab_channels_deliver_to_each_other_not_to_themselves() {
    let tab_a = TabChannel::open("test-tabs").unwrap();
    let tab_b = TabChannel::open("test-tabs").unwrap();
    let heard_by_a = first_message(&tab_a);
    let heard_by_b = first_message(&tab_b);

    tab_a.post(&[1, 2, 3, 255]);
    assert_eq!(
        as_bytes(within(2000, &heard_by_b).await),
        Some(vec![1, 2, 3, 255])
    );
    assert_eq!(
        within(300, &heard_by_a).await,
        None,
        "a tab must not hear itself"
    );

    tab_b.post(b"reply");
    assert_eq!(
        as_bytes(within(2000, &heard_by_a).await),
        Some(b"reply".to_vec())
    );
}

#[wasm_bindgen_test]
async fn tab_messages_that_are_not_bytes_are_ignored() {
    let tab = TabChannel::open("test-tabs-foreign").unwrap();
    let heard = first_message(&tab);
    let foreign = web_sys::BroadcastChannel::new("test-tabs-foreign").unwrap();
    foreign.post_message(&"a string".into()).unwrap();
    foreign
        .post_message(&Uint8Array::from(&b"bytes"[..]))
        .unwrap();
    assert_eq!(
        as_bytes(within(2000, &heard).await),
        Some(b"bytes".to_vec())
    );
    foreign.close();
}

#[wasm_bindgen_test]
async fn dropped_tab_channel_stops_listening() {
    let sender = TabChannel::open("test-tabs-drop").unwrap();
    let receiver = TabChannel::open("test-tabs-drop").unwrap();
    let calls = Rc::new(Cell::new(0));
    let counter = Rc::clone(&calls);
    receiver.subscribe(move |_| counter.set(counter.get() + 1));
    drop(receiver);
    sender.post(b"anyone?");
    sleep(300).await;
    assert_eq!(calls.get(), 0);
}

// ---------------------------------------------------------------- persistence and errors

#[wasm_bindgen_test]
async fn request_persistence_agrees_with_the_browser() {
    let granted = request_persistence().await;
    let manager = window().navigator().storage();
    let persisted = JsFuture::from(manager.persisted().unwrap()).await.unwrap();
    assert_eq!(persisted.as_bool(), Some(granted));
}

#[wasm_bindgen_test]
fn errors_have_lower_case_messages_and_friendly_sentences() {
    let all = [
        StorageError::Unavailable,
        StorageError::QuotaExceeded,
        StorageError::CorruptRecord("change record 3 is of type string, not bytes".into()),
        StorageError::NewerVersion,
        StorageError::SnapshotConflict,
        StorageError::Other("UnknownError: disk".into()),
    ];
    assert_eq!(
        StorageError::Unavailable.to_string(),
        "browser storage is unavailable (private browsing or blocked by settings)"
    );
    let mut sentences = Vec::new();
    for error in &all {
        let text = error.to_string();
        assert!(text.starts_with(|c: char| c.is_lowercase()), "{text}");
        let sentence = error.user_message();
        assert!(sentence.starts_with(|c: char| c.is_uppercase()) && sentence.ends_with('.'));
        sentences.push(sentence);
    }
    sentences.sort();
    sentences.dedup();
    assert_eq!(
        sentences.len(),
        all.len(),
        "each error needs its own sentence"
    );
}
