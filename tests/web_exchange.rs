//! Exchange pieces in headless Chromium that need no import worker: the
//! colleague memory in preferences, the per-tab actor lease, and the app
//! state's import path (a refused file leaves IndexedDB byte-identical; an
//! accepted one is stored and reads back).
#![cfg(target_arch = "wasm32")]

use js_sys::{Function, Object, Promise, Reflect};
use leptos::prelude::*;
use pmo_desk::doc::{DocError, PortfolioDoc};
use pmo_desk::domain::{Command, Entity, Project};
use pmo_desk::storage::{
    lease_actor, own_actor_ids, Colleague, Colleagues, DocStore, Prefs, StoredDoc,
};
use pmo_desk::ui::{AppState, Phase};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// The app's database (`ui::state::STORE_NAME`).
const STORE: &str = "pmo-desk";
const COLLEAGUE: &str = "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b";

// ---------------------------------------------------------------- helpers

async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("set_timeout");
    });
    JsFuture::from(promise).await.expect("sleep");
}

/// Waits until `ready` holds, checking every 20 ms, at most `ms`.
async fn until(ms: i32, what: &str, ready: impl Fn() -> bool) {
    let mut waited = 0;
    while !ready() {
        assert!(waited < ms, "timed out waiting for {what}");
        sleep(20).await;
        waited += 20;
    }
}

fn colleague(actor: &str, name: &str, version: &[&str], at: i64) -> Colleague {
    Colleague {
        actor: actor.into(),
        name: name.into(),
        version: version.iter().map(|s| s.to_string()).collect(),
        exchanged_at: at,
    }
}

/// The app's state on an emptied store, started and showing the first-run
/// screen, with a portfolio created by "Ada" holding one project.
async fn app_with_portfolio() -> AppState {
    let store = DocStore::open(STORE).await.expect("open store");
    store.clear().await.expect("clear store");
    drop(store);
    // Created the way the app is: inside a mounted root, which sets up the
    // reactive owner and the task executor.
    let slot: Rc<RefCell<Option<AppState>>> = Rc::default();
    let host: web_sys::HtmlElement = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .create_element("div")
        .unwrap()
        .unchecked_into();
    let handle = leptos::mount::mount_to(host, {
        let slot = slot.clone();
        move || {
            let state = AppState::new();
            state.start();
            slot.replace(Some(state));
        }
    });
    // Kept mounted: the app state lives as long as the test page.
    std::mem::forget(handle);
    let state = slot.borrow().expect("mounted");
    until(5_000, "first run", || {
        state.phase.get_untracked() == Phase::FirstRun
    })
    .await;
    state
        .create_portfolio("Acme PMO", "Ada")
        .expect("create portfolio");
    let alpha = Project::named("p-alpha", "Alpha");
    assert!(state.dispatch(Command::new("Add project Alpha", vec![alpha.create_op()])));
    state
}

/// What the store holds once every write in flight has landed.
async fn stored() -> StoredDoc {
    sleep(300).await;
    let store = DocStore::open(STORE).await.expect("open store");
    store.load().await.expect("load").expect("something stored")
}

fn read_back(stored: &StoredDoc) -> PortfolioDoc {
    let mut doc = PortfolioDoc::load(
        stored.snapshot.as_deref().expect("snapshot"),
        "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c",
    )
    .expect("stored snapshot loads");
    doc.apply_changes(&stored.changes.concat())
        .expect("stored records apply");
    doc
}

// ------------------------------------------------------ colleague memory

#[wasm_bindgen_test]
fn colleague_memory_is_per_portfolio_sorted_and_one_entry_per_person() {
    Colleagues::forget_all("pf-a").unwrap();
    Colleagues::forget_all("pf-b").unwrap();
    Colleagues::remember("pf-a", colleague("bb", "ben", &["h1"], 10)).unwrap();
    Colleagues::remember("pf-a", colleague("cc", "Cleo", &["h2"], 20)).unwrap();
    Colleagues::remember("pf-b", colleague("dd", "Dev", &["h3"], 30)).unwrap();

    let names: Vec<String> = Colleagues::list("pf-a")
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["ben", "Cleo"], "sorted by name, case-insensitively");
    assert_eq!(Colleagues::list("pf-b").len(), 1);
    assert_eq!(
        Colleagues::get("pf-a", "dd"),
        None,
        "other portfolios stay apart"
    );

    // A newer file from Ben (another tab of his: another actor) replaces
    // what was remembered about him.
    Colleagues::remember("pf-a", colleague("be", "Ben", &["h4", "h5"], 40)).unwrap();
    let list = Colleagues::list("pf-a");
    assert_eq!(list.len(), 2);
    let ben = Colleagues::get("pf-a", "be").expect("Ben remembered");
    assert_eq!(ben.version, ["h4", "h5"]);
    assert_eq!(ben.exchanged_at, 40);
    assert_eq!(Colleagues::get("pf-a", "bb"), None);
}

#[wasm_bindgen_test]
fn colleague_memory_lives_in_local_storage() {
    Colleagues::forget_all("pf-ls").unwrap();
    Colleagues::remember("pf-ls", colleague(COLLEAGUE, "Ben", &["abc"], 1)).unwrap();
    let raw = Prefs::get("colleagues.pf-ls").expect("stored under pmo-desk.colleagues.<id>");
    let direct = web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item("pmo-desk.colleagues.pf-ls")
        .unwrap();
    assert!(direct.is_some(), "in localStorage itself");
    let parsed: serde_json::Value = serde_json::from_str(&raw).expect("JSON");
    assert_eq!(parsed[0]["name"], "Ben");
    assert_eq!(parsed[0]["version"][0], "abc");
}

#[wasm_bindgen_test]
fn unreadable_colleague_memory_reads_as_empty() {
    Prefs::set("colleagues.pf-junk", "{not json").unwrap();
    assert!(Colleagues::list("pf-junk").is_empty());
    Colleagues::remember("pf-junk", colleague("aa", "Ada", &[], 1)).unwrap();
    assert_eq!(Colleagues::list("pf-junk").len(), 1, "replaced, not fatal");
}

// ------------------------------------------------------------ actor lease

#[wasm_bindgen_test]
async fn a_tab_leases_its_actor_and_holds_the_lock() {
    let id = lease_actor().await;
    assert_eq!(lease_actor().await, id, "one lease per page");
    assert_eq!(Prefs::actor_id(), id, "the app writes with the leased id");
    assert!(own_actor_ids().contains(&id));

    // Another tab asking for this page's lock would not get it.
    let slot = (0..16)
        .find(|slot| {
            let key = if *slot == 0 {
                "actor-id".to_string()
            } else {
                format!("actor-id.{slot}")
            };
            Prefs::get(&key).as_deref() == Some(id.as_str())
        })
        .expect("the leased id is one of the stored slots");
    let navigator = Reflect::get(&js_sys::global(), &"navigator".into()).unwrap();
    let locks = Reflect::get(&navigator, &"locks".into()).unwrap();
    let request: Function = Reflect::get(&locks, &"request".into())
        .unwrap()
        .unchecked_into();
    let options = Object::new();
    Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE).unwrap();
    let callback = Closure::once_into_js(|lock: JsValue| JsValue::from_bool(!lock.is_null()));
    let promise: Promise = request
        .call3(
            &locks,
            &format!("pmo-desk.actor.{slot}").into(),
            &options,
            &callback,
        )
        .unwrap()
        .unchecked_into();
    let granted = JsFuture::from(promise).await.unwrap();
    assert_eq!(granted, JsValue::FALSE, "the lock is held by this page");
}

// ----------------------------------------------------- import via the app

#[wasm_bindgen_test]
async fn refused_imports_leave_indexeddb_byte_identical() {
    let state = app_with_portfolio().await;
    let before = stored().await;

    let mut other = PortfolioDoc::create("Zed Holdings", COLLEAGUE, "Zed", 1).unwrap();
    let mut orphan_source = {
        let own = state.with_doc(|d| d.export_full()).unwrap();
        PortfolioDoc::open_file(&own, COLLEAGUE).unwrap().0
    };
    let alpha = Project::named("p-late", "Late");
    orphan_source
        .apply(&Command::new("Add Late", vec![alpha.create_op()]), "Ben", 2)
        .unwrap();
    let base = orphan_source.version();
    let beta = Project::named("p-later", "Later");
    orphan_source
        .apply(&Command::new("Add Later", vec![beta.create_op()]), "Ben", 3)
        .unwrap();
    let orphan = orphan_source.export_packet(&base, "Ben").unwrap();

    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        (
            "random",
            (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect(),
        ),
        ("another portfolio", other.export_full()),
        ("missing base", orphan),
    ];
    for (what, bytes) in cases {
        let version = state.current_version();
        let result = state.import_file(&bytes, None, None);
        assert!(result.is_err(), "{what} was accepted");
        assert_eq!(
            state.current_version(),
            version,
            "{what} changed the document"
        );
    }
    assert!(matches!(
        state.import_file(&other.export_full(), None, None),
        Err(DocError::DifferentPortfolio { .. })
    ));
    assert_eq!(stored().await, before, "IndexedDB changed");
}

#[wasm_bindgen_test]
async fn an_accepted_import_is_stored_and_reads_back() {
    let state = app_with_portfolio().await;
    let own = state.with_doc(|d| d.export_full()).unwrap();
    let (mut ben, _) = PortfolioDoc::open_file(&own, COLLEAGUE).unwrap();
    let since = ben.version();
    let gamma = Project::named("p-gamma", "Gamma");
    ben.apply(
        &Command::new("Add Gamma", vec![gamma.create_op()]),
        "Ben",
        5,
    )
    .unwrap();
    let packet = ben.export_packet(&since, "Ben").unwrap();

    // As the import worker does: check on a copy, then the app reuses
    // that check's review.
    let mut copy = PortfolioDoc::load(&own, COLLEAGUE).unwrap();
    let check = copy.import(&packet).unwrap().check();
    // ... and the app merged into a copy of its own meanwhile.
    let prepared = state
        .with_doc(|d| d.prepare_import(&packet))
        .unwrap()
        .unwrap();
    let report = state
        .import_file(&packet, Some(&check), Some(prepared))
        .expect("accepted");
    assert_eq!(report.outcome.new_changes, 1);
    assert_eq!(report.review, check.review);
    assert_eq!(report.info.sender_name.as_deref(), Some("Ben"));
    assert!(state
        .portfolio
        .with_untracked(|p| p.projects.contains_key("p-gamma")));

    let doc = read_back(&stored().await);
    let projects = doc.snapshot().projects;
    assert!(projects.contains_key("p-alpha") && projects.contains_key("p-gamma"));

    // Importing the same file again brings nothing and writes nothing.
    let before = stored().await;
    let again = state
        .import_file(&packet, None, None)
        .expect("accepted again");
    assert_eq!(again.outcome.new_changes, 0);
    assert_eq!(stored().await, before);
}
