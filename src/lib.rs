//! PMO Desk: a local-first project portfolio office. The crate is layered:
//! `domain` (plain Rust rules), `doc` (the only Automerge user), `storage`
//! (browser persistence) and `ui` (Leptos components).

pub mod doc;
pub mod domain;
#[cfg(target_arch = "wasm32")]
pub mod perf;
#[cfg(target_arch = "wasm32")]
pub mod storage;
#[cfg(target_arch = "wasm32")]
pub mod ui;
pub mod worker;
