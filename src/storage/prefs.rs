//! Small per-browser preferences in localStorage (through gloo-storage), under keys starting
//! with `pmo-desk.`: the user's name and this browser's own Automerge actor id. Every access is
//! wrapped: where localStorage is missing, blocked or full, values live in memory for the
//! page's lifetime instead. Never a panic.

use std::cell::RefCell;
use std::collections::HashMap;

use gloo_storage::{LocalStorage, Storage};

use super::StorageError;

/// Prefix of every key this app writes to localStorage.
pub const NAMESPACE: &str = "pmo-desk.";
const USER_NAME: &str = "user-name";
const ACTOR_ID: &str = "actor-id";

thread_local! {
    /// Values that could not be persisted, so they stay stable for this page at least.
    static UNSAVED: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
}

/// Preferences of this browser (not of the portfolio: they are never exported or shared).
#[derive(Debug)]
pub struct Prefs;

impl Prefs {
    /// The name this browser's user gave, if any.
    pub fn user_name() -> Option<String> {
        Self::get(USER_NAME)
    }

    /// Remembers the user's name; on error it is still used until the page closes.
    pub fn set_user_name(name: &str) -> Result<(), StorageError> {
        Self::set(USER_NAME, name)
    }

    /// This browser's own Automerge actor id: 32 lower-case hex chars from 16 random bytes
    /// (getrandom), generated once, persisted, never shared. A missing or malformed stored
    /// value is replaced by a new id; if it cannot be persisted it is still stable for this page.
    pub fn actor_id() -> String {
        if let Some(id) = Self::get(ACTOR_ID).filter(|id| is_actor_id(id)) {
            return id;
        }
        let id = new_actor_id();
        // An error is already handled: the id is kept in memory.
        let _ = Self::set(ACTOR_ID, &id);
        id
    }

    /// The value stored under `pmo-desk.{key}`; `None` if absent or unreadable.
    pub fn get(key: &str) -> Option<String> {
        let key = namespaced(key);
        if let Some(value) = UNSAVED.with(|unsaved| unsaved.borrow().get(&key).cloned()) {
            return Some(value);
        }
        // gloo's accessors throw when localStorage is unavailable, so check first.
        local_storage()?;
        LocalStorage::get::<String>(&key).ok()
    }

    /// Stores `value` under `pmo-desk.{key}`. On error (blocked, full) the value is kept in
    /// memory, so `get` still returns it until the page closes.
    pub fn set(key: &str, value: &str) -> Result<(), StorageError> {
        let key = namespaced(key);
        let saved = match local_storage() {
            Some(_) => LocalStorage::set(&key, value).map_err(from_gloo),
            None => Err(StorageError::Unavailable),
        };
        UNSAVED.with(|unsaved| {
            let mut unsaved = unsaved.borrow_mut();
            match saved {
                Ok(()) => unsaved.remove(&key),
                Err(_) => unsaved.insert(key, value.to_owned()),
            }
        });
        saved
    }

    /// Forgets every `pmo-desk.` preference, the actor id included (a new one is made on next
    /// use). For "forget this browser" and for tests.
    pub fn clear() {
        UNSAVED.with(|unsaved| unsaved.borrow_mut().clear());
        let Some(storage) = local_storage() else {
            return;
        };
        // Collect first: removing while walking by index would skip keys.
        let length = storage.length().unwrap_or(0);
        let ours: Vec<String> = (0..length)
            .filter_map(|index| storage.key(index).ok().flatten())
            .filter(|key| key.starts_with(NAMESPACE))
            .collect();
        for key in ours {
            let _ = storage.remove_item(&key);
        }
    }
}

fn namespaced(key: &str) -> String {
    format!("{NAMESPACE}{key}")
}

/// localStorage if this page may use it; reading the property throws where it is blocked.
fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn from_gloo(error: gloo_storage::errors::StorageError) -> StorageError {
    match error {
        gloo_storage::errors::StorageError::JsError(e) => {
            StorageError::from_name(&e.name, &e.message)
        }
        other => StorageError::Other(other.to_string()),
    }
}

fn is_actor_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn new_actor_id() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        // Only reachable without crypto.getRandomValues; an actor id must be unique, not secret.
        for byte in &mut bytes {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
