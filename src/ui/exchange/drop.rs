//! Drag and drop anywhere: while a file is dragged over the window a full
//! page overlay says what dropping it will do; dropping it imports it (or,
//! on the first-run screen, opens it as this browser's portfolio).

use super::super::notices::NoticeKind;
use super::super::state::{AppState, Phase};
use leptos::ev;
use leptos::prelude::*;
use web_sys::DragEvent;

#[component]
pub fn DropZone() -> impl IntoView {
    let state = expect_context::<AppState>();
    let exchange = expect_context::<super::Exchange>();
    let dragging = RwSignal::new(false);
    // dragenter/dragleave fire for every child element crossed; counting
    // them tells when the pointer really left the window.
    let depth = StoredValue::new(0i32);
    let accepts = move || matches!(state.phase.get_untracked(), Phase::Ready | Phase::FirstRun);

    let _ = window_event_listener(ev::dragenter, move |e: DragEvent| {
        if !carries_files(&e) || !accepts() {
            return;
        }
        e.prevent_default();
        depth.update_value(|d| *d += 1);
        dragging.set(true);
    });
    let _ = window_event_listener(ev::dragover, move |e: DragEvent| {
        if !carries_files(&e) || !accepts() {
            return;
        }
        // Without this the browser would open the file itself.
        e.prevent_default();
        if let Some(dt) = e.data_transfer() {
            dt.set_drop_effect("copy");
        }
    });
    let _ = window_event_listener(ev::dragleave, move |e: DragEvent| {
        if !carries_files(&e) {
            return;
        }
        depth.update_value(|d| *d = (*d - 1).max(0));
        if depth.get_value() == 0 {
            dragging.set(false);
        }
    });
    let _ = window_event_listener(ev::drop, move |e: DragEvent| {
        depth.set_value(0);
        dragging.set(false);
        if !carries_files(&e) || !accepts() {
            return;
        }
        e.prevent_default();
        let Some(files) = e.data_transfer().and_then(|dt| dt.files()) else {
            return;
        };
        if files.length() > 1 {
            // Each import is reviewed on its own; several at once would
            // hide all reviews but the last.
            state.notify(
                NoticeKind::Info,
                "Drop one file at a time: each import gets its own review.",
            );
            return;
        }
        if let Some(file) = files.get(0) {
            super::import(state, exchange, file);
        }
    });

    let label = move || match state.phase.get() {
        Phase::FirstRun => "Drop the file to open it as your portfolio",
        _ => "Drop the file to merge it into your portfolio",
    };
    view! {
        <Show when=move || dragging.get()>
            <div class="drop-overlay" role="status" aria-live="assertive">
                <p class="drop-message">{label}</p>
            </div>
        </Show>
    }
}

fn carries_files(e: &DragEvent) -> bool {
    e.data_transfer()
        .map(|dt| dt.types().includes(&"Files".into(), 0))
        .unwrap_or(false)
}
