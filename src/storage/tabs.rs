//! Keeps the app's open tabs in step: a BroadcastChannel carrying opaque bytes (the doc layer
//! sends its new changes). Messages that are not bytes are dropped with a console warning.

use std::cell::RefCell;
use std::fmt;

use js_sys::Uint8Array;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{BroadcastChannel, MessageEvent};

use super::StorageError;

type Listener = Closure<dyn FnMut(MessageEvent)>;

/// One end of a named channel shared by every tab (and every `TabChannel`) of this origin.
/// Dropping it removes the listener and closes the channel.
pub struct TabChannel {
    channel: BroadcastChannel,
    /// Owned here so the JS handler never outlives it: no leak per message or per subscribe.
    listener: RefCell<Option<Listener>>,
}

impl TabChannel {
    /// Joins the channel `name`.
    pub fn open(name: &str) -> Result<TabChannel, StorageError> {
        let channel = BroadcastChannel::new(name).map_err(|e| match StorageError::from_js(&e) {
            // Older browsers lack the constructor altogether.
            StorageError::Other(detail) => {
                StorageError::Other(format!("broadcastchannel: {detail}"))
            }
            other => other,
        })?;
        Ok(TabChannel {
            channel,
            listener: RefCell::new(None),
        })
    }

    /// Sends `bytes` (as a `Uint8Array`) to every other instance of the channel.
    pub fn post(&self, bytes: &[u8]) {
        // A copy, not a view into wasm memory: the message is cloned later than this call.
        let message = Uint8Array::from(bytes);
        if let Err(e) = self.channel.post_message(&message) {
            web_sys::console::warn_2(&"pmo-desk: posting to other tabs failed".into(), &e);
        }
    }

    /// Calls `on_message` with each message's bytes from OTHER tabs (a channel never hears its
    /// own posts). Replaces any earlier subscriber. Listener removed and channel closed when the
    /// `TabChannel` is dropped.
    pub fn subscribe(&self, on_message: impl Fn(Vec<u8>) + 'static) {
        let closure =
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                match event.data().dyn_into::<Uint8Array>() {
                    Ok(bytes) => on_message(bytes.to_vec()),
                    Err(other) => web_sys::console::warn_2(
                        &"pmo-desk: ignored a tab message that is not bytes".into(),
                        &other,
                    ),
                }
            });
        self.channel
            .set_onmessage(Some(closure.as_ref().unchecked_ref()));
        // The old closure is dropped only after the channel stopped pointing at it.
        self.listener.replace(Some(closure));
    }
}

impl Drop for TabChannel {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}

impl fmt::Debug for TabChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TabChannel")
            .field("name", &self.channel.name())
            .finish_non_exhaustive()
    }
}
