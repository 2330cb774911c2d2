//! The import worker: a second wasm instance that opens untrusted files
//! away from the app (see `pmo_desk::worker`). Trunk builds it from
//! `index.html` (`data-type="worker"`).

/// Capped, so a file that unpacks into gigabytes kills this worker only.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: pmo_desk::worker::capped::CappedAlloc =
    pmo_desk::worker::capped::CappedAlloc::new();

#[cfg(target_arch = "wasm32")]
fn main() {
    pmo_desk::worker::runtime::run(&ALLOCATOR);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("import_worker runs as a Web Worker inside the browser.");
}
