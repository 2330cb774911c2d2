//! Turns IndexedDB's event callbacks into Rust futures: the result of one request, and the
//! commit of one transaction. Nothing else in the crate touches IDB event handlers.
//!
//! The listeners are attached when the future is *created* (not when first polled), so a caller
//! may queue several requests in one transaction and await them in turn without missing an
//! event. They are removed when the future is dropped, so no closure outlives its future.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Event, EventTarget, IdbRequest, IdbTransaction};

use super::StorageError;

type Listener = Closure<dyn FnMut(Event)>;

/// Resolves to the name of the first of the watched events that fires on a target.
pub(crate) struct FirstEvent {
    target: EventTarget,
    fired: Rc<RefCell<Fired>>,
    listeners: Vec<(&'static str, Listener)>,
}

#[derive(Default)]
struct Fired {
    name: Option<&'static str>,
    waker: Option<Waker>,
}

impl FirstEvent {
    pub(crate) fn new(target: &EventTarget, names: &[&'static str]) -> Self {
        let fired = Rc::new(RefCell::new(Fired::default()));
        let listeners = names
            .iter()
            .map(|&name| {
                let closure = Self::listener(name, Rc::clone(&fired));
                // Cannot fail: the callback is a real function.
                let _ =
                    target.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
                (name, closure)
            })
            .collect();
        Self {
            target: target.clone(),
            fired,
            listeners,
        }
    }

    fn listener(name: &'static str, fired: Rc<RefCell<Fired>>) -> Listener {
        Closure::new(move |_event: Event| {
            let waker = {
                let mut fired = fired.borrow_mut();
                fired.name.get_or_insert(name);
                fired.waker.take()
            };
            // Wake outside the borrow: the executor may poll re-entrantly.
            if let Some(waker) = waker {
                waker.wake();
            }
        })
    }
}

impl Future for FirstEvent {
    type Output = &'static str;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut fired = self.fired.borrow_mut();
        match fired.name {
            Some(name) => Poll::Ready(name),
            None => {
                fired.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

impl Drop for FirstEvent {
    fn drop(&mut self) {
        for (name, closure) in &self.listeners {
            let _ = self
                .target
                .remove_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
        }
    }
}

/// The outcome of one request. Create it right after issuing the request.
pub(crate) fn request(req: &IdbRequest) -> impl Future<Output = Result<JsValue, StorageError>> {
    let event = FirstEvent::new(req, &["success", "error"]);
    let req = req.clone();
    async move {
        match event.await {
            "success" => req.result().map_err(|e| StorageError::from_js(&e)),
            _ => Err(request_error(&req)),
        }
    }
}

/// Resolves when the transaction has committed (durable), or with why it aborted.
/// A failed request aborts its transaction, so this also reports request failures.
pub(crate) fn committed(tx: &IdbTransaction) -> impl Future<Output = Result<(), StorageError>> {
    let event = FirstEvent::new(tx, &["complete", "abort"]);
    let tx = tx.clone();
    async move {
        match event.await {
            "complete" => Ok(()),
            _ => Err(match tx.error() {
                Some(exception) => StorageError::from_js(&exception),
                None => StorageError::Other("transaction aborted".into()),
            }),
        }
    }
}

pub(crate) fn request_error(req: &IdbRequest) -> StorageError {
    match req.error() {
        Ok(Some(exception)) => StorageError::from_js(&exception),
        Ok(None) => StorageError::Other("request failed without an error".into()),
        Err(e) => StorageError::from_js(&e),
    }
}
