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
