//! Untrusted files are opened away from the app: a Web Worker runs its own
//! wasm instance of this crate (the `import_worker` binary), opens the file,
//! merges it into a copy of the portfolio and checks the result against the
//! schema and size limits. Automerge can panic on crafted files (which
//! aborts the whole wasm instance) and can inflate them without bound, so
//! only when the worker answers "ok" does the app's own instance import the
//! same bytes; a worker that dies or stays silent means the file is refused.
//!
//! - [`validate`]: what the worker runs (plain Rust, tested natively);
//!   the limits themselves live in the document layer (`doc::exchange`).
//! - [`capped`]: the worker's allocator with a memory cap.
//! - `runtime` (wasm): the worker side: message loop, panic reporting.
//! - `client` (wasm): the app side: spawn, post, wait with a timeout.

pub mod capped;
pub mod validate;

#[cfg(target_arch = "wasm32")]
pub mod client;
#[cfg(target_arch = "wasm32")]
pub mod runtime;

pub use validate::{validate, Accepted, Refusal};

/// The one sentence shown when the worker dies or does not answer.
pub const DAMAGED: &str = "This file is damaged or too large to open safely.";

/// The actor of the worker's throw-away copies. A check never writes a
/// change, so it needs no real device id (and asking for one would store
/// one before the file was accepted).
pub const CHECK_ACTOR: &str = "00000000000000000000000000000c4e";
