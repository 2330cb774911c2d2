//! Spans of work recorded as `performance.measure` entries, in the page and
//! in the import worker alike: visible in the browser's performance tools
//! and read by the benchmarks (`tests/e2e/bench-exchange.mjs`).

use wasm_bindgen::JsCast;

/// A span from [`Timer::start`] to [`Timer::stop`]; a timer dropped
/// without stopping records nothing (e.g. a refused file).
pub struct Timer(&'static str);

impl Timer {
    pub fn start(name: &'static str) -> Timer {
        if let Some(p) = performance() {
            let _ = p.mark(&format!("{name}:start"));
        }
        Timer(name)
    }

    pub fn stop(self) {
        if let Some(p) = performance() {
            let start = format!("{}:start", self.0);
            let _ = p.measure_with_start_mark(self.0, &start);
            p.clear_marks_with_mark_name(&start);
        }
    }
}

/// The global scope's `performance`: a window's or a worker's.
fn performance() -> Option<web_sys::Performance> {
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()?
        .dyn_into()
        .ok()
}
