//! Browser entry point; everything else lives in the library.

#[cfg(target_arch = "wasm32")]
fn main() {
    pmo_desk::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("PMO Desk runs in the browser: use `make run`.");
}
