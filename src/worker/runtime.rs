//! The worker side: the `import_worker` binary's message loop, its memory
//! budget per request and its panic report. Runs in a `DedicatedWorkerGlobalScope`.
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
//! - worker → app, during a merge check, `{merged: true}`: the file is
//!   merged into the copy without crashing (validation follows), so the
//!   app may merge it into a copy of its own meanwhile;
//!   (the stages are recorded as `pmo.worker.*` performance measures in
//!   the worker's own scope);
//! - worker → app `{ok: true, kind, newChanges, check?, version?}` (`check`:
//!   for a merge, the `ImportCheck` as JSON, which the app's import reuses) or
//!   `{ok: false, message, detail, stale?, version?}` (`stale`: the copy is
//!   not at `version`; send it whole). A panic also answers `ok: false`
//!   before the instance traps.

use super::capped::CappedAlloc;
use super::validate::{validate, Accepted, Copy, Refusal, Update, Verdict};
use super::DAMAGED;
use crate::doc::exchange::FileKind;
use crate::perf::Timer;
use js_sys::{Array, Object, Reflect, Uint8Array};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

thread_local! {
    /// The worker binary's global allocator, handed over by [`run`].
    static ALLOCATOR: std::cell::Cell<Option<&'static CappedAlloc>> = const { std::cell::Cell::new(None) };
}

fn set_budget(input_bytes: usize) {
    if let Some(allocator) = ALLOCATOR.with(|a| a.get()) {
        allocator.set_budget(input_bytes);
    }
}

/// Starts the worker: installs the panic report and the message handler,
/// then tells the app it is ready. `allocator` is the binary's global
/// allocator, capped per request.
pub fn run(allocator: &'static CappedAlloc) {
    ALLOCATOR.with(|a| a.set(Some(allocator)));
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
        // The worker's own stages, read by the benchmark from this scope.
        let merging = Timer::start("pmo.worker.merge");
        let reviewing = RefCell::new(None);
        // Merged without crashing: the app may start its own merge while
        // this worker validates and reviews (two cores, half the wait).
        let merged = || {
            merging.stop();
            let note = Object::new();
            set(&note, "merged", &JsValue::TRUE);
            post(&note);
            *reviewing.borrow_mut() = Some(Timer::start("pmo.worker.review"));
        };
        let verdict = copy.check(&file, update, &expected, &actor, merged);
        if let Some(timer) = reviewing.take() {
            timer.stop();
        }
        let reply = match verdict {
            Verdict::Accepted(accepted) => {
                let encoding = Timer::start("pmo.worker.reply");
                let reply = acceptance(&accepted);
                encoding.stop();
                reply
            }
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
    // JSON text: one string crosses to the app faster than a tree of
    // objects would, and the app reads it back with the same types.
    if let Some(json) = accepted
        .check
        .as_ref()
        .and_then(|c| serde_json::to_string(c).ok())
    {
        set(&reply, "check", &json.into());
    }
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
