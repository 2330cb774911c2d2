//! The app side of the import worker: one fresh worker per file (a worker
//! that has read a hostile file is never trusted again), the request, and
//! the three ways it can end: an answer, a dead worker, or silence.

use super::validate::Refusal;
use super::DAMAGED;
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// The loader Trunk writes next to `index.html` for the `import_worker`
/// binary (`data-loader-shim`); resolved against the page, so the app also
/// works from a sub-path.
pub const WORKER_SCRIPT: &str = "import_worker_loader.js";
/// A worker that has not answered by then is stopped and the file refused.
/// A 5,000-project portfolio checks in a few seconds; this leaves room for
/// slow machines while a stuck check does not keep the person waiting long.
pub const TIMEOUT_MS: i32 = 30_000;

/// What the worker concluded.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    pub new_changes: usize,
}

/// Runs the check of `file` against `current` (the live portfolio saved;
/// none when the file would become this browser's portfolio) in a new
/// worker, and stops the worker afterwards.
pub async fn check_file(
    file: &[u8],
    current: Option<&[u8]>,
    actor_hex: &str,
) -> Result<Checked, Refusal> {
    let url = worker_url().ok_or_else(not_started("no page address"))?;
    let worker = Worker::new(&url).map_err(|e| not_started(format!("{e:?}"))())?;
    let request = Object::new();
    let file = Uint8Array::from(file);
    let current = current.map(Uint8Array::from);
    let _ = Reflect::set(&request, &"file".into(), &file);
    let _ = Reflect::set(
        &request,
        &"current".into(),
        current.as_ref().map_or(&JsValue::NULL, |c| c.as_ref()),
    );
    let _ = Reflect::set(&request, &"actor".into(), &actor_hex.into());
    let transfer = Array::of1(&file.buffer());
    if let Some(c) = &current {
        transfer.push(&c.buffer());
    }

    let resolve_slot: Rc<RefCell<Option<Function>>> = Rc::default();
    let promise = Promise::new(&mut |resolve, _reject| {
        resolve_slot.replace(Some(resolve));
    });
    let settle: Rc<dyn Fn(JsValue)> = {
        let slot = resolve_slot.clone();
        Rc::new(move |value: JsValue| {
            if let Some(resolve) = slot.borrow_mut().take() {
                let _ = resolve.call1(&JsValue::NULL, &value);
            }
        })
    };
    let started = Rc::new(RefCell::new(false));

    let on_message = {
        let (settle, worker, started) = (settle.clone(), worker.clone(), started.clone());
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            if flag(&data, "ready") {
                *started.borrow_mut() = true;
                if let Err(e) = worker.post_message_with_transfer(&request, &transfer) {
                    settle(outcome_refused(
                        DAMAGED,
                        &format!("could not hand the file over: {e:?}"),
                    ));
                }
            } else {
                settle(data);
            }
        })
    };
    let on_error = {
        let (settle, started) = (settle.clone(), started.clone());
        Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            // Handled here: the browser need not report it as uncaught.
            event.prevent_default();
            let detail = format!("worker died: {}", event.message());
            if *started.borrow() {
                settle(outcome_refused(DAMAGED, &detail));
            } else {
                let refusal = not_started(detail)();
                settle(outcome_refused(&refusal.message, &refusal.detail));
            }
        })
    };
    let on_timeout = {
        let settle = settle.clone();
        Closure::<dyn FnMut()>::new(move || {
            settle(outcome_refused(
                DAMAGED,
                &format!("no answer within {TIMEOUT_MS} ms"),
            ))
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    worker.set_onmessageerror(Some(on_error.as_ref().unchecked_ref()));
    let window = web_sys::window();
    let timer = window.as_ref().and_then(|w| {
        w.set_timeout_with_callback_and_timeout_and_arguments_0(
            on_timeout.as_ref().unchecked_ref(),
            TIMEOUT_MS,
        )
        .ok()
    });

    let answer = JsFuture::from(promise).await.unwrap_or(JsValue::NULL);

    worker.set_onmessage(None);
    // A dying worker's error event may still be queued after the answer
    // (its panic hook answers, then the instance traps): swallow it rather
    // than let the browser report it as uncaught.
    let swallow = Closure::<dyn FnMut(web_sys::Event)>::once_into_js(|event: web_sys::Event| {
        event.prevent_default();
    });
    worker.set_onerror(Some(swallow.unchecked_ref()));
    worker.set_onmessageerror(None);
    worker.terminate();
    if let (Some(w), Some(t)) = (window, timer) {
        w.clear_timeout_with_handle(t);
    }
    drop((on_message, on_error, on_timeout));

    if flag(&answer, "ok") {
        let new_changes = Reflect::get(&answer, &"newChanges".into())
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0) as usize;
        return Ok(Checked { new_changes });
    }
    let text = |key: &str| {
        Reflect::get(&answer, &key.into())
            .ok()
            .and_then(|v| v.as_string())
    };
    Err(Refusal::new(
        text("message").unwrap_or_else(|| DAMAGED.into()),
        text("detail").unwrap_or_else(|| "the worker's answer was not understood".into()),
    ))
}

fn worker_url() -> Option<String> {
    let document = web_sys::window()?.document()?;
    let base = document.base_uri().ok().flatten()?;
    web_sys::Url::new_with_base(WORKER_SCRIPT, &base)
        .ok()
        .map(|u| u.href())
}

fn not_started(detail: impl Into<String>) -> impl FnOnce() -> Refusal {
    let detail = detail.into();
    move || {
        Refusal::new(
            "Files cannot be checked right now because the file checker did not start; reload the page and try again.",
            format!("import worker did not start: {detail}"),
        )
    }
}

fn outcome_refused(message: &str, detail: &str) -> JsValue {
    let reply = Object::new();
    let _ = Reflect::set(&reply, &"ok".into(), &JsValue::FALSE);
    let _ = Reflect::set(&reply, &"message".into(), &message.into());
    let _ = Reflect::set(&reply, &"detail".into(), &detail.into());
    reply.into()
}

fn flag(data: &JsValue, key: &str) -> bool {
    Reflect::get(data, &key.into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}
