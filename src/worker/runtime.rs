//! The worker side: the `import_worker` binary's message loop, its memory
//! cap and its panic report. Runs in a `DedicatedWorkerGlobalScope`.
//!
//! Protocol (structured-clone messages; one request at a time):
//! - worker → app `{ready: true}` once its wasm is running (messages sent
//!   before that are lost, so the app waits for it);
//! - app → worker `{op: "load", current, actor}`: keep a copy of the app's
//!   portfolio (saved whole);
//! - app → worker `{op: "check", file, actor, version?, current?, changes?}`:
//!   with `version`, bring the copy to it (`current`: whole, `changes`: the
//!   changes since the copy's version) and check merging `file` into it;
//!   without, check opening `file` as a new portfolio;
//! - worker → app `{ok: true, kind, newChanges, version?}` or
//!   `{ok: false, message, detail, stale?, version?}` (`stale`: the copy is
//!   not at `version`; send it whole). A panic also answers `ok: false`
//!   before the instance traps.

use super::validate::{validate, Accepted, Copy, Refusal, Update, Verdict};
use super::DAMAGED;
use crate::doc::exchange::FileKind;
use js_sys::{Array, Object, Reflect, Uint8Array};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// Memory every check may use whatever the input (the wasm runtime, a
/// small portfolio and its copy fit in a fraction of it).
pub const BASE_BUDGET: usize = 512 * 1024 * 1024;
/// Extra memory per byte of input. Measured: an Automerge document takes
/// 100–250 bytes of memory per byte saved while loading and merging.
pub const BUDGET_PER_INPUT_BYTE: usize = 256;
/// Never more than this, whatever the input: wasm32 ends at 4 GiB.
pub const MAX_BUDGET: usize = 3 * 1024 * 1024 * 1024;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static CAP: AtomicUsize = AtomicUsize::new(usize::MAX);

/// The worker's global allocator: the system allocator with a cap, so a
/// file that unpacks into gigabytes makes the worker fail (and the app
/// refuse the file) instead of exhausting the browser's memory. A refused
/// allocation aborts the instance, which the app sees as a dead worker.
pub struct CappedAlloc;

impl CappedAlloc {
    fn reserve(size: usize) -> bool {
        let now = IN_USE.fetch_add(size, Relaxed).saturating_add(size);
        if now > CAP.load(Relaxed) {
            IN_USE.fetch_sub(size, Relaxed);
            return false;
        }
        true
    }
}

// SAFETY: every method forwards to `System` with the caller's layout and
// pointer unchanged; the counter only decides whether to forward.
unsafe impl GlobalAlloc for CappedAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !Self::reserve(layout.size()) {
            return std::ptr::null_mut();
        }
        let ptr = unsafe { System.alloc(layout) };
        if ptr.is_null() {
            IN_USE.fetch_sub(layout.size(), Relaxed);
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !Self::reserve(layout.size()) {
            return std::ptr::null_mut();
        }
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if ptr.is_null() {
            IN_USE.fetch_sub(layout.size(), Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        IN_USE.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old = layout.size();
        if new_size > old && !Self::reserve(new_size - old) {
            return std::ptr::null_mut();
        }
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if new.is_null() {
            if new_size > old {
                IN_USE.fetch_sub(new_size - old, Relaxed);
            }
        } else if new_size < old {
            IN_USE.fetch_sub(old - new_size, Relaxed);
        }
        new
    }
}

/// Sets the memory cap for checking `input_bytes` of input.
fn set_budget(input_bytes: usize) {
    let budget = BASE_BUDGET
        .saturating_add(input_bytes.saturating_mul(BUDGET_PER_INPUT_BYTE))
        .min(MAX_BUDGET);
    CAP.store(IN_USE.load(Relaxed).saturating_add(budget), Relaxed);
}

/// Starts the worker: installs the panic report and the message handler,
/// then tells the app it is ready.
pub fn run() {
    std::panic::set_hook(Box::new(|info| {
        post(&refusal(&Refusal::new(DAMAGED, format!("panic: {info}"))));
    }));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        let reply = handle(&event.data());
        post(&reply);
    });
    let scope = scope();
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    let ready = Object::new();
    set(&ready, "ready", &JsValue::TRUE);
    post(&ready);
}

thread_local! {
    /// The warm worker's copy of the app's portfolio.
    static COPY: RefCell<Copy> = RefCell::new(Copy::default());
}

fn handle(data: &JsValue) -> Object {
    let bytes = |key: &str| {
        Reflect::get(data, &key.into())
            .ok()
            .and_then(|v| v.dyn_into::<Uint8Array>().ok())
    };
    let text = |key: &str| {
        Reflect::get(data, &key.into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    let actor = text("actor");
    let current = bytes("current");
    let changes = bytes("changes");
    let file = bytes("file");
    let input = [&file, &current, &changes]
        .iter()
        .map(|b| b.as_ref().map_or(0, |b| b.length() as usize))
        .sum();
    set_budget(input);
    let (file, current, changes) = (
        file.map(|b| b.to_vec()),
        current.map(|b| b.to_vec()),
        changes.map(|b| b.to_vec()),
    );
    let expected: Option<Vec<String>> = Reflect::get(data, &"version".into())
        .ok()
        .and_then(|v| v.dyn_into::<Array>().ok())
        .map(|a| a.iter().filter_map(|s| s.as_string()).collect());

    if text("op") == "load" {
        let Some(current) = current else {
            return refusal(&Refusal::new(DAMAGED, "load without a portfolio"));
        };
        return COPY.with(|copy| {
            let mut copy = copy.borrow_mut();
            let reply = match copy.load(&current, &actor) {
                Ok(()) => {
                    let reply = Object::new();
                    set(&reply, "ok", &JsValue::TRUE);
                    reply
                }
                Err(refused) => refusal(&refused),
            };
            with_version(reply, &mut copy)
        });
    }
    let Some(file) = file else {
        return refusal(&Refusal::new(DAMAGED, "request without file bytes"));
    };
    let Some(expected) = expected else {
        // No version: the file would become the app's portfolio.
        return match validate(&file, None, &actor) {
            Ok(accepted) => acceptance(&accepted),
            Err(refused) => refusal(&refused),
        };
    };
    let update = match (&current, &changes) {
        (Some(c), _) => Some(Update::Full(c)),
        (None, Some(c)) => Some(Update::Since(c)),
        (None, None) => None,
    };
    COPY.with(|copy| {
        let mut copy = copy.borrow_mut();
        let reply = match copy.check(&file, update, &expected, &actor) {
            Verdict::Accepted(accepted) => acceptance(&accepted),
            Verdict::Refused(refused) => refusal(&refused),
            Verdict::Stale => {
                let reply = refusal(&Refusal::new(DAMAGED, "the worker's copy is out of date"));
                set(&reply, "stale", &JsValue::TRUE);
                reply
            }
        };
        with_version(reply, &mut copy)
    })
}

/// Adds the copy's version to a reply, so the app knows what to send next.
fn with_version(reply: Object, copy: &mut Copy) -> Object {
    if let Some(version) = copy.version() {
        let list: Array = version.iter().map(|s| JsValue::from_str(s)).collect();
        set(&reply, "version", &list);
    }
    reply
}

fn acceptance(accepted: &Accepted) -> Object {
    let reply = Object::new();
    set(&reply, "ok", &JsValue::TRUE);
    let kind = match accepted.kind {
        FileKind::Full => "full",
        FileKind::Packet => "packet",
    };
    set(&reply, "kind", &kind.into());
    set(&reply, "newChanges", &(accepted.new_changes as f64).into());
    reply
}

fn refusal(refused: &Refusal) -> Object {
    let reply = Object::new();
    set(&reply, "ok", &JsValue::FALSE);
    set(&reply, "message", &refused.message.as_str().into());
    set(&reply, "detail", &refused.detail.as_str().into());
    reply
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(target, &key.into(), value);
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(message: &Object) {
    let _ = scope().post_message(message);
}
