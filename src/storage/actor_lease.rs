//! One Automerge actor per open tab. All tabs of a browser write to the same
//! portfolio; two writers sharing an actor id make different changes with
//! the same sequence number, which Automerge refuses ("duplicate seq"), so
//! one tab's edits would never reach the others. Each tab therefore leases
//! one of this browser's actor ids through the Web Locks API (a lock is
//! released when its tab closes): a lone tab always gets the first id, a
//! second tab open at the same time the second, and so on. Ids stay few
//! and stable, and each is still used by one writer at a time.

use super::prefs::{is_actor_id, new_actor_id};
use super::Prefs;
use js_sys::{Function, Object, Promise, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Most tabs that get a stored id; more tabs than this get a fresh one.
const SLOTS: usize = 16;

thread_local! {
    static LEASED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The actor id this tab leased, once [`lease_actor`] ran.
pub(crate) fn leased() -> Option<String> {
    LEASED.with(|l| l.borrow().clone())
}

/// Leases an actor id for this tab (idempotent) and returns it; from then
/// on [`Prefs::actor_id`] returns it too. Where Web Locks are missing
/// (old browsers) this is the browser's first id, as before.
pub async fn lease_actor() -> String {
    if let Some(id) = leased() {
        return id;
    }
    let mut chosen = None;
    for slot in 0..SLOTS {
        match try_lock(&format!("pmo-desk.actor.{slot}")).await {
            Some(true) => {
                chosen = Some(slot_id(slot));
                break;
            }
            Some(false) => continue,
            None => {
                chosen = Some(slot_id(0));
                break;
            }
        }
    }
    // Every slot taken: a fresh id, used by this tab only.
    let id = chosen.unwrap_or_else(new_actor_id);
    LEASED.with(|l| *l.borrow_mut() = Some(id.clone()));
    id
}

/// Every actor id this browser keeps (its own changes carry one of them).
pub fn own_actor_ids() -> Vec<String> {
    let mut ids: Vec<String> = (0..SLOTS)
        .filter_map(|slot| Prefs::get(&slot_key(slot)).filter(|id| is_actor_id(id)))
        .collect();
    if let Some(id) = leased() {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

fn slot_key(slot: usize) -> String {
    // Slot 0 is the key browsers used before tabs leased ids.
    if slot == 0 {
        super::prefs::ACTOR_ID.to_string()
    } else {
        format!("{}.{slot}", super::prefs::ACTOR_ID)
    }
}

/// The id stored for `slot`, created on first use.
fn slot_id(slot: usize) -> String {
    let key = slot_key(slot);
    if let Some(id) = Prefs::get(&key).filter(|id| is_actor_id(id)) {
        return id;
    }
    let id = new_actor_id();
    // On error the id is still kept in memory for this page.
    let _ = Prefs::set(&key, &id);
    id
}

/// Takes the lock `name` for the lifetime of this page if it is free:
/// `Some(true)` taken, `Some(false)` held by another tab, `None` when the
/// browser has no Web Locks.
async fn try_lock(name: &str) -> Option<bool> {
    let navigator = Reflect::get(&js_sys::global(), &"navigator".into()).ok()?;
    let locks = Reflect::get(&navigator, &"locks".into()).ok()?;
    if locks.is_undefined() || locks.is_null() {
        return None;
    }
    let request: Function = Reflect::get(&locks, &"request".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let options = Object::new();
    Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE).ok()?;
    let mut resolve_slot = None::<Function>;
    let answered = Promise::new(&mut |resolve, _| resolve_slot = Some(resolve));
    let resolve = resolve_slot?;
    let callback = Closure::once_into_js(move |lock: JsValue| -> JsValue {
        let taken = !lock.is_null() && !lock.is_undefined();
        let _ = resolve.call1(&JsValue::NULL, &JsValue::from_bool(taken));
        if taken {
            // A promise that never settles keeps the lock until the tab closes.
            Promise::new(&mut |_, _| {}).into()
        } else {
            JsValue::UNDEFINED
        }
    });
    request
        .call3(&locks, &name.into(), &options, &callback)
        .ok()?;
    JsFuture::from(answered).await.ok()?.as_bool()
}
