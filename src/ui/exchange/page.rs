//! The Exchange page: send the portfolio (full file, or only the changes a
//! colleague lacks), receive a file, review what the last import brought
//! and decide open conflicts.

use super::review::{OpenConflicts, ReviewPanel};
use super::Exchange;
use crate::doc::exchange::file_name;
use crate::doc::{FileKind, Version};
use crate::domain::display::byte_size;
use crate::domain::Date;
use crate::storage::{Colleague, Colleagues};
use crate::ui::notices::NoticeKind;
use crate::ui::state::{log_error, AppState};
use leptos::html::Input;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[component]
pub fn ExchangePage() -> impl IntoView {
    let exchange = expect_context::<Exchange>();
    let state = expect_context::<AppState>();
    // Imports mostly start here: get the import worker and its copy of the
    // portfolio ready once the page has settled, and free them on leaving.
    let mounted = StoredValue::new(true);
    set_timeout(
        move || {
            if mounted.try_get_value() == Some(true) {
                if let Some(current) = state.with_doc(|doc| doc.save()) {
                    super::prewarm(current, crate::worker::CHECK_ACTOR);
                }
            }
        },
        PREWARM_DELAY,
    );
    on_cleanup(move || {
        mounted.try_set_value(false);
        super::release_warm();
    });
    view! {
        <section class="exchange" aria-labelledby="exchange-title">
            <h1 id="exchange-title">"Exchange"</h1>
            <p class="lead">"Share your portfolio by sending files. Every file you import is merged with your own changes: nothing is overwritten."</p>
            <Show when=move || exchange.busy.get().is_some()>
                <p class="busy" role="status">{move || exchange.busy.get()}</p>
            </Show>
            <div class="exchange-grid">
                <ExportPanel/>
                <ImportPanel/>
            </div>
            <ReviewPanel/>
            <OpenConflicts/>
        </section>
    }
}

/// Sizes of what could be sent, worked out once the page has drawn.
#[derive(Clone, Debug, PartialEq)]
struct Sizes {
    full: usize,
    /// Per colleague actor: the size of a changes file for them, or `None`
    /// when this browser lacks the version their last file carried (then
    /// only the full file will do).
    packets: Vec<(String, Option<usize>)>,
}

/// The import worker starts this long after the page opens.
const PREWARM_DELAY: std::time::Duration = std::time::Duration::from_millis(800);

/// Sizes mean saving the whole document; they wait until edits pause so
/// that typing and imports are not slowed down by them.
const SIZES_DELAY: std::time::Duration = std::time::Duration::from_millis(250);

#[component]
fn ExportPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let exchange = expect_context::<Exchange>();
    let colleagues = Memo::new(move |_| {
        exchange.colleagues_changed.track();
        Colleagues::list(&state.portfolio.with(|p| p.id.clone()))
    });
    let sizes = RwSignal::new(None::<Sizes>);
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        state.portfolio.track();
        let colleagues = colleagues.get();
        let this = generation.get_value() + 1;
        generation.set_value(this);
        set_timeout(
            move || {
                // Only the latest request counts, and only while the page is shown.
                if generation.try_get_value() == Some(this) {
                    if let Some(computed) = work_out_sizes(state, &colleagues) {
                        let _ = sizes.try_set(Some(computed));
                    }
                }
            },
            SIZES_DELAY,
        );
    });
    let export_full = move |_| {
        let timer = crate::perf::Timer::start("pmo.export.full");
        let Some(bytes) = state.with_doc(|doc| doc.export_full()) else {
            return;
        };
        save_file(state, &bytes, FileKind::Full);
        timer.stop();
    };
    let full_size = move || match sizes.get() {
        Some(s) => format!("Full file: {}", byte_size(s.full)),
        None => "Working out the size\u{2026}".into(),
    };

    view! {
        <section class="panel" aria-labelledby="export-title">
            <h2 id="export-title">"Send your portfolio"</h2>
            <p>"The full file holds the whole portfolio with its history: anyone can open it, and anyone who has the portfolio can merge it."</p>
            <div class="actions">
                <button type="button" class="primary" on:click=export_full>"Export full file"</button>
                <span class="hint">{full_size}</span>
            </div>
            <Show when=move || !colleagues.with(Vec::is_empty)>
                <h3>"Only what a colleague lacks"</h3>
                <p class="hint">"A changes file holds only what happened since the last file you received from that colleague."</p>
                <ul class="offers">
                    <For each=move || colleagues.get() key=|c| (c.actor.clone(), c.version.clone(), c.exchanged_at) let:colleague>
                        <OfferItem colleague sizes/>
                    </For>
                </ul>
            </Show>
        </section>
    }
}

fn work_out_sizes(state: AppState, colleagues: &[Colleague]) -> Option<Sizes> {
    let user = state.user_name.get_untracked();
    state.with_doc(|doc| {
        let full = doc.export_full().len();
        let packets = colleagues
            .iter()
            .map(|c| {
                let size = Version::parse(&c.version)
                    .ok()
                    .filter(|since| doc.has_version(since))
                    .and_then(|since| doc.export_packet(&since, &user).ok())
                    .map(|p| p.len());
                (c.actor.clone(), size)
            })
            .collect();
        Sizes { full, packets }
    })
}

#[component]
fn OfferItem(colleague: Colleague, sizes: RwSignal<Option<Sizes>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let name = colleague.name.clone();
    let since = format!(
        "last file from {name}: {}",
        super::local_time(colleague.exchanged_at)
    );
    let version = colleague.version.clone();
    let actor = colleague.actor.clone();
    let export = move |_| {
        let timer = crate::perf::Timer::start("pmo.export.changes");
        let Ok(since) = Version::parse(&version) else {
            return;
        };
        let user = state.user_name.get_untracked();
        match state.with_doc(|doc| doc.export_packet(&since, &user)) {
            Some(Ok(bytes)) => save_file(state, &bytes, FileKind::Packet),
            Some(Err(e)) => {
                log_error(&format!("export packet: {e}"));
                state.notify(NoticeKind::Error, e.user_message());
            }
            None => {}
        }
        timer.stop();
    };
    let body = {
        let name = name.clone();
        move || {
            let Some(sizes) = sizes.get() else {
                return view! { <span class="hint">"Working out the sizes\u{2026}"</span> }
                    .into_any();
            };
            let packet = sizes
                .packets
                .iter()
                .find(|(a, _)| *a == actor)
                .and_then(|(_, size)| *size);
            match packet {
                Some(packet) if packet < sizes.full => view! {
                    <button type="button" on:click=export.clone()>{format!("Export changes for {name}")}</button>
                    <span class="hint">{format!("Changes: {} (full file: {})", byte_size(packet), byte_size(sizes.full))}</span>
                }
                .into_any(),
                Some(packet) => view! {
                    <span class="hint">{format!(
                        "The changes for {name} ({}) are not smaller than the full file ({}); send the full file.",
                        byte_size(packet),
                        byte_size(sizes.full)
                    )}</span>
                }
                .into_any(),
                None => view! {
                    <span class="hint">{format!(
                        "This browser does not have the version of {name}\u{2019}s last file; send {name} the full file."
                    )}</span>
                }
                .into_any(),
            }
        }
    };
    view! {
        <li>
            <strong>{name.clone()}</strong>
            <span class="hint">{format!(" ({since})")}</span>
            <div class="actions">{body}</div>
        </li>
    }
}

/// Offers `bytes` as a download named `<portfolio>-<date>-<user>.pmo`.
fn save_file(state: AppState, bytes: &[u8], kind: FileKind) {
    let portfolio = state.portfolio.with_untracked(|p| p.name.clone());
    let today = Date::from_unix_ms(js_sys::Date::now());
    let name = file_name(&portfolio, &today, &state.user_name.get_untracked(), kind);
    if let Err(e) = download(bytes, &name) {
        log_error(&format!("download of {name}: {e:?}"));
        state.notify(
            NoticeKind::Error,
            "The file could not be saved; check that downloads are allowed for this page.",
        );
    }
}

fn download(bytes: &[u8], name: &str) -> Result<(), wasm_bindgen::JsValue> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/octet-stream");
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.set_hidden(true);
    document.body().ok_or("no body")?.append_child(&link)?;
    link.click();
    link.remove();
    // The browser reads the blob asynchronously; free it once it surely has.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    window.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000)?;
    Ok(())
}

#[component]
fn ImportPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let exchange = expect_context::<Exchange>();
    let input = NodeRef::<Input>::new();
    let on_change = move |_| {
        let Some(el) = input.get() else {
            return;
        };
        let file = el.files().and_then(|files| files.get(0));
        // Cleared so that choosing the same file again imports it again.
        el.set_value("");
        if let Some(file) = file {
            super::import(state, exchange, file);
        }
    };
    view! {
        <section class="panel" aria-labelledby="import-title">
            <h2 id="import-title">"Receive a file"</h2>
            <p>"Import a full file or a changes file from a colleague. You will see what changed, who changed it, and any conflicts to decide."</p>
            <div class="field">
                <label for="import-file">"Import a file"</label>
                <input id="import-file" type="file" accept=".pmo,application/octet-stream" node_ref=input on:change=on_change/>
                <p class="hint">"Or drop a file anywhere on this page."</p>
            </div>
        </section>
    }
}
