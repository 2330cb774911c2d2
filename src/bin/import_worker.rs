//! The import worker: a second wasm instance that opens untrusted files
//! away from the app (see `pmo_desk::worker`). Trunk builds it from
//! `index.html` (`data-type="worker"`).

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: pmo_desk::worker::runtime::CappedAlloc = pmo_desk::worker::runtime::CappedAlloc;

#[cfg(target_arch = "wasm32")]
fn main() {
    pmo_desk::worker::runtime::run();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("import_worker runs as a Web Worker inside the browser.");
}
