//! Browser persistence: where the portfolio's bytes live in this browser. The document in
//! IndexedDB (a snapshot plus incremental changes, compacted now and then), small preferences
//! in localStorage, and the channel keeping other open tabs in step. Knows nothing about
//! Automerge; every browser failure becomes a [`StorageError`].

mod error;
mod events;
mod idb;
mod prefs;
mod tabs;

pub use error::StorageError;
pub use idb::{DocStore, SnapshotMark, StoredDoc};
pub use prefs::{Prefs, NAMESPACE as PREFS_NAMESPACE};
pub use tabs::TabChannel;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::StorageManager;

/// Asks the browser not to evict this site's storage under pressure
/// (`navigator.storage.persist()`). `false` when refused or unsupported; never fails.
pub async fn request_persistence() -> bool {
    let Some(manager) = storage_manager() else {
        return false;
    };
    let Ok(promise) = manager.persist() else {
        return false;
    };
    JsFuture::from(promise)
        .await
        .ok()
        .and_then(|granted| granted.as_bool())
        .unwrap_or(false)
}

/// `navigator.storage` of the window or worker; missing on old browsers and insecure origins.
fn storage_manager() -> Option<StorageManager> {
    let navigator = js_sys::Reflect::get(&js_sys::global(), &"navigator".into()).ok()?;
    let storage = js_sys::Reflect::get(&navigator, &"storage".into()).ok()?;
    storage.dyn_into::<StorageManager>().ok()
}
