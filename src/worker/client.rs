//! The app side of the import worker.
//!
//! Merging a colleague's file is checked by a *warm* worker: it keeps its
//! own copy of the portfolio, brought up to date before each check with
//! just the changes made since the previous one, so a check costs about
//! one import instead of one import plus loading the whole portfolio.
//! Every check states the version the worker's copy must have; a copy
//! that differs is replaced by a full one, so a check always runs against
//! exactly the portfolio the app holds. A refused file leaves the copy
//! untouched (the import works on a fork); a worker that dies or stays
//! silent is terminated and replaced. Opening a file as this browser's
//! portfolio uses a one-off worker.

use super::validate::Refusal;
use super::DAMAGED;
use crate::doc::ImportCheck;
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// The loader Trunk writes next to `index.html` for the `import_worker`
/// binary (`data-loader-shim`); resolved against the page, so the app also
/// works from a sub-path.
pub const WORKER_SCRIPT: &str = "import_worker_loader.js";
/// A worker that has not answered by then is stopped and the file refused.
/// A 5,000-project portfolio checks in seconds (benches/results/
/// exchange-browser.md); this leaves room for slow machines while a stuck
/// check does not keep the person waiting long.
pub const TIMEOUT_MS: i32 = 60_000;

/// What the worker concluded about an accepted file.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    pub new_changes: usize,
    /// For a merge: the worker's conclusion, which the app's import reuses
    /// when it lands on the same version (`PortfolioDoc::import_checked`).
    pub check: Option<ImportCheck>,
}

/// What the warm worker needs to bring its copy to the app's version.
pub enum Update {
    /// The whole portfolio, saved (the worker has no usable copy).
    Full(Vec<u8>),
    /// The changes made after the worker's version (`PortfolioDoc::save_after`).
    Since(Vec<u8>),
}

thread_local! {
    static WARM: RefCell<Option<Rc<Channel>>> = const { RefCell::new(None) };
}

/// Checks a file that would become this browser's portfolio, in a one-off
/// worker.
pub async fn check_new(file: &[u8], actor_hex: &str) -> Result<Checked, Refusal> {
    let channel = Channel::spawn()?;
    let request = request(file, actor_hex);
    let answer = channel.ask(request.0, request.1).await;
    channel.close();
    conclude(&answer)
}

/// Checks merging `file` into the app's portfolio, whose version is
/// `version` (change hashes). `update(known)` returns what brings a copy at
/// version `known` (none: no copy) up to `version`.
///
/// `on_merged` runs when the worker reports that the file merged into its
/// copy without crashing, while it goes on validating: the app can merge
/// the file into a copy of its own meanwhile (the worker runs on another
/// core). The verdict still decides whether that copy may be used.
pub async fn check_merge(
    file: &[u8],
    actor_hex: &str,
    version: &[String],
    update: impl Fn(Option<&[String]>) -> Option<Update>,
    on_merged: Rc<dyn Fn()>,
) -> Result<Checked, Refusal> {
    let channel = warm()?;
    let mut answer = JsValue::NULL;
    // Second round only when the copy turned out to differ: send it whole.
    for round in 0..2 {
        let known = if round == 0 {
            channel.version.borrow().clone()
        } else {
            None
        };
        let Some(update) = update(known.as_deref()) else {
            return Err(Refusal::new(
                "Open a portfolio before importing changes into it.",
                "no live portfolio to check against",
            ));
        };
        let (request, transfer) = request(file, actor_hex);
        set(&request, "version", &strings(version));
        let (key, bytes) = match &update {
            Update::Full(bytes) => ("current", bytes),
            Update::Since(bytes) => ("changes", bytes),
        };
        let bytes = Uint8Array::from(bytes.as_slice());
        transfer.push(&bytes.buffer());
        set(&request, key, &bytes);
        channel.on_merged.replace(Some(on_merged.clone()));
        answer = channel.ask(request, transfer).await;
        channel.on_merged.replace(None);
        if channel.dead.get() {
            release_warm();
            break;
        }
        *channel.version.borrow_mut() = Reflect::get(&answer, &"version".into())
            .ok()
            .and_then(|v| v.dyn_into::<Array>().ok())
            .map(|a| a.iter().filter_map(|s| s.as_string()).collect());
        if !flag(&answer, "stale") {
            break;
        }
    }
    conclude(&answer)
}

/// Starts the warm worker ahead of an import, with a copy of the portfolio
/// (e.g. when the Exchange page opens), so the first check is fast too.
pub fn prewarm(current: Vec<u8>, actor_hex: &str) {
    let Ok(channel) = warm() else {
        return;
    };
    if channel.version.borrow().is_some() || channel.busy.get() {
        return;
    }
    let actor = actor_hex.to_string();
    // For the browser's performance tools (and the benchmark, which waits
    // for it): how long getting the worker ready takes.
    let timer = crate::perf::Timer::start("pmo.import.prewarm");
    wasm_bindgen_futures::spawn_local(async move {
        let request = Object::new();
        set(&request, "op", &"load".into());
        set(&request, "actor", &actor.as_str().into());
        let bytes = Uint8Array::from(current.as_slice());
        set(&request, "current", &bytes);
        let answer = channel.ask(request, Array::of1(&bytes.buffer())).await;
        if channel.dead.get() {
            release_warm();
            return;
        }
        *channel.version.borrow_mut() = Reflect::get(&answer, &"version".into())
            .ok()
            .and_then(|v| v.dyn_into::<Array>().ok())
            .map(|a| a.iter().filter_map(|s| s.as_string()).collect());
        timer.stop();
    });
}

/// Stops the warm worker (it holds a copy of the portfolio in memory).
pub fn release_warm() {
    if let Some(channel) = WARM.with(|w| w.borrow_mut().take()) {
        channel.close();
    }
}

fn warm() -> Result<Rc<Channel>, Refusal> {
    if let Some(channel) = WARM.with(|w| w.borrow().clone()) {
        if !channel.dead.get() {
            return Ok(channel);
        }
    }
    let channel = Channel::spawn()?;
    WARM.with(|w| *w.borrow_mut() = Some(channel.clone()));
    Ok(channel)
}

fn request(file: &[u8], actor_hex: &str) -> (Object, Array) {
    let request = Object::new();
    let file = Uint8Array::from(file);
    set(&request, "op", &"check".into());
    set(&request, "file", &file);
    set(&request, "actor", &actor_hex.into());
    (request, Array::of1(&file.buffer()))
}

fn conclude(answer: &JsValue) -> Result<Checked, Refusal> {
    if flag(answer, "ok") {
        let new_changes = Reflect::get(answer, &"newChanges".into())
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0) as usize;
        let check = Reflect::get(answer, &"check".into())
            .ok()
            .and_then(|v| v.as_string())
            .and_then(|json| serde_json::from_str(&json).ok());
        return Ok(Checked { new_changes, check });
    }
    let text = |key: &str| {
        Reflect::get(answer, &key.into())
            .ok()
            .and_then(|v| v.as_string())
    };
    Err(Refusal::new(
        text("message").unwrap_or_else(|| DAMAGED.into()),
        text("detail").unwrap_or_else(|| "the worker's answer was not understood".into()),
    ))
}

/// One worker and its conversation: one request at a time.
struct Channel {
    worker: Worker,
    /// The worker announced it runs (messages sent earlier would be lost).
    ready: Cell<bool>,
    /// A request waiting for `ready`.
    queued: RefCell<Option<(Object, Array)>>,
    /// Resolves the request in flight.
    pending: RefCell<Option<Function>>,
    busy: Cell<bool>,
    /// Died, timed out or could not take a request: never used again.
    dead: Cell<bool>,
    /// Version of the worker's copy of the portfolio (warm worker).
    version: RefCell<Option<Vec<String>>>,
    handlers: RefCell<Vec<JsValue>>,
    /// Called when the worker reports `{merged: true}` during a check.
    on_merged: RefCell<Option<Rc<dyn Fn()>>>,
}

impl Channel {
    fn spawn() -> Result<Rc<Channel>, Refusal> {
        let url = worker_url().ok_or_else(|| not_started("no page address"))?;
        let worker = Worker::new(&url).map_err(|e| not_started(format!("{e:?}")))?;
        let channel = Rc::new(Channel {
            worker,
            ready: Cell::new(false),
            queued: RefCell::new(None),
            pending: RefCell::new(None),
            busy: Cell::new(false),
            dead: Cell::new(false),
            version: RefCell::new(None),
            handlers: RefCell::new(Vec::new()),
            on_merged: RefCell::new(None),
        });
        let weak = Rc::downgrade(&channel);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(channel) = weak.upgrade() {
                channel.on_message(event.data());
            }
        });
        let weak: Weak<Channel> = Rc::downgrade(&channel);
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            // Handled here: the browser need not report it as uncaught.
            event.prevent_default();
            if let Some(channel) = weak.upgrade() {
                let detail = format!("worker died: {}", event.message());
                let answer = if channel.ready.get() {
                    refused(DAMAGED, &detail)
                } else {
                    let r = not_started(detail);
                    refused(&r.message, &r.detail)
                };
                channel.dead.set(true);
                channel.settle(answer);
            }
        });
        channel
            .worker
            .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        channel
            .worker
            .set_onerror(Some(on_error.as_ref().unchecked_ref()));
        channel
            .worker
            .set_onmessageerror(Some(on_error.as_ref().unchecked_ref()));
        channel
            .handlers
            .borrow_mut()
            .extend([on_message.into_js_value(), on_error.into_js_value()]);
        Ok(channel)
    }

    fn on_message(&self, data: JsValue) {
        if flag(&data, "ready") {
            self.ready.set(true);
            if let Some((request, transfer)) = self.queued.borrow_mut().take() {
                self.post(&request, &transfer);
            }
        } else if flag(&data, "merged") {
            // Taken out first: the callback may take a while and must not
            // find the cell borrowed.
            let on_merged = self.on_merged.borrow_mut().take();
            if let Some(on_merged) = on_merged {
                on_merged();
            }
        } else {
            self.settle(data);
        }
    }

    fn post(&self, request: &Object, transfer: &Array) {
        if let Err(e) = self.worker.post_message_with_transfer(request, transfer) {
            self.dead.set(true);
            self.settle(refused(
                DAMAGED,
                &format!("could not hand the file over: {e:?}"),
            ));
        }
    }

    fn settle(&self, answer: JsValue) {
        if let Some(resolve) = self.pending.borrow_mut().take() {
            let _ = resolve.call1(&JsValue::NULL, &answer);
        }
    }

    /// Sends one request and waits for its answer (or the worker's death,
    /// or the timeout, after which the worker is dead).
    async fn ask(&self, request: Object, transfer: Array) -> JsValue {
        // One request at a time (a pre-warm may still be loading).
        while self.busy.get() && !self.dead.get() {
            sleep(20).await;
        }
        if self.dead.get() {
            return refused(DAMAGED, "the worker is gone");
        }
        self.busy.set(true);
        let promise = Promise::new(&mut |resolve, _| {
            self.pending.replace(Some(resolve));
        });
        if self.ready.get() {
            self.post(&request, &transfer);
        } else {
            self.queued.replace(Some((request, transfer)));
        }
        let timeout = Promise::new(&mut |resolve, _| {
            let answer = refused(DAMAGED, &format!("no answer within {TIMEOUT_MS} ms"));
            if let Some(w) = web_sys::window() {
                let _ = w.set_timeout_with_callback_and_timeout_and_arguments_1(
                    &resolve, TIMEOUT_MS, &answer,
                );
            }
        });
        let answer = JsFuture::from(Promise::race(&Array::of2(&promise, &timeout)))
            .await
            .unwrap_or(JsValue::NULL);
        self.pending.replace(None);
        if flag(&answer, "timedOut") {
            self.dead.set(true);
        }
        self.busy.set(false);
        if self.dead.get() {
            self.close();
        }
        answer
    }

    fn close(&self) {
        self.worker.set_onmessage(None);
        // A dying worker's error event may still be queued after its last
        // answer (its panic hook answers, then the instance traps):
        // swallow it rather than let the browser report it as uncaught.
        let swallow = Closure::<dyn FnMut(web_sys::Event)>::new(|event: web_sys::Event| {
            event.prevent_default();
        });
        self.worker
            .set_onerror(Some(swallow.as_ref().unchecked_ref()));
        self.worker.set_onmessageerror(None);
        self.worker.terminate();
        self.handlers.borrow_mut().push(swallow.into_js_value());
        self.dead.set(true);
    }
}

async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

fn worker_url() -> Option<String> {
    let document = web_sys::window()?.document()?;
    let base = document.base_uri().ok().flatten()?;
    web_sys::Url::new_with_base(WORKER_SCRIPT, &base)
        .ok()
        .map(|u| u.href())
}

fn not_started(detail: impl Into<String>) -> Refusal {
    Refusal::new(
        "Files cannot be checked right now because the file checker did not start; reload the page and try again.",
        format!("import worker did not start: {}", detail.into()),
    )
}

fn refused(message: &str, detail: &str) -> JsValue {
    let reply = Object::new();
    set(&reply, "ok", &JsValue::FALSE);
    set(&reply, "message", &message.into());
    set(&reply, "detail", &detail.into());
    if detail.starts_with("no answer within") {
        set(&reply, "timedOut", &JsValue::TRUE);
    }
    reply.into()
}

fn strings(items: &[String]) -> Array {
    items.iter().map(|s| JsValue::from_str(s)).collect()
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(target, &key.into(), value);
}

fn flag(data: &JsValue, key: &str) -> bool {
    Reflect::get(data, &key.into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}
