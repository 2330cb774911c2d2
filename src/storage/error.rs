//! The storage layer's one error type: every browser failure (IndexedDB, localStorage,
//! BroadcastChannel) becomes a `StorageError` with a precise lower-case message for the console
//! and a friendly sentence for the UI. No error path deletes stored data.

use wasm_bindgen::{JsCast, JsValue};

/// What went wrong while keeping data in this browser.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    /// No IndexedDB / localStorage here, access denied (private mode, blocked site data,
    /// sandboxed frame) or the database open was blocked.
    #[error("browser storage is unavailable (private browsing or blocked by settings)")]
    Unavailable,
    /// The browser refused to store more for this site.
    #[error("browser storage quota exceeded")]
    QuotaExceeded,
    /// A stored record is not what this layer writes (e.g. a string where bytes belong).
    #[error("corrupt stored record: {0}")]
    CorruptRecord(String),
    /// The database was created, upgraded or deleted by a newer copy of the app (maybe in
    /// another tab); this connection can no longer be used.
    #[error("stored data belongs to a newer version of the app or was changed by another tab")]
    NewerVersion,
    /// Another connection (usually another tab) replaced the snapshot since this store last
    /// loaded it. Nothing was written; `load()`, merge, and write the snapshot again.
    #[error("the stored snapshot was replaced by another tab since it was loaded")]
    SnapshotConflict,
    /// Anything else the browser reported, with its name and message.
    #[error("browser storage error: {0}")]
    Other(String),
}

impl StorageError {
    /// One friendly sentence for the UI; the `Display` text goes to the console.
    pub fn user_message(&self) -> String {
        let text = match self {
            Self::Unavailable => {
                "This browser is not letting PMO Desk save data (private browsing or blocked \
                 site data), so changes will be lost when the tab closes."
            }
            Self::QuotaExceeded => {
                "This browser's storage for PMO Desk is full; export a copy of your portfolio \
                 and free some space."
            }
            Self::CorruptRecord(_) => {
                "Part of the data saved in this browser is damaged; export what you can and \
                 report the problem."
            }
            Self::NewerVersion => {
                "PMO Desk was updated in another tab; reload this page to continue."
            }
            Self::SnapshotConflict => {
                "Another open tab saved the portfolio at the same moment; your changes are kept \
                 and will be merged."
            }
            Self::Other(_) => {
                "Saving in this browser failed unexpectedly; what was saved before is kept."
            }
        };
        text.to_owned()
    }

    /// Maps anything a browser API threw or reported (DOMException, JS Error, other value).
    pub(crate) fn from_js(value: &JsValue) -> Self {
        if let Some(exception) = value.dyn_ref::<web_sys::DomException>() {
            return Self::from_name(&exception.name(), &exception.message());
        }
        if let Some(error) = value.dyn_ref::<js_sys::Error>() {
            return Self::from_name(&String::from(error.name()), &String::from(error.message()));
        }
        Self::Other(format!("{value:?}"))
    }

    /// Maps a DOMException / Error by its `name`, the stable part across browsers.
    pub(crate) fn from_name(name: &str, message: &str) -> Self {
        match name {
            "QuotaExceededError" => Self::QuotaExceeded,
            // SecurityError: file://, sandboxed frames, blocked cookies. InvalidStateError:
            // what older Firefox threw for IndexedDB in private windows. NotAllowedError:
            // permission policies.
            "SecurityError" | "InvalidStateError" | "NotAllowedError" => Self::Unavailable,
            // The stored database has a higher version than this build asks for.
            "VersionError" => Self::NewerVersion,
            _ => Self::Other(format!("{name}: {message}")),
        }
    }
}
