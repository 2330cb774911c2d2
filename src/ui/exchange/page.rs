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

/// What can be sent to one remembered colleague.
#[derive(Clone, Debug, PartialEq)]
struct Offer {
    colleague: Colleague,
    /// (full, packet) sizes; `None` when this browser lacks the version
    /// their last file carried (then only the full file will do).
    sizes: Option<(usize, usize)>,
}

#[component]
fn ExportPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let exchange = expect_context::<Exchange>();
    let full_size = Memo::new(move |_| {
        state.portfolio.track();
        state.with_doc(|doc| doc.export_full().len()).unwrap_or(0)
    });
    let offers = Memo::new(move |_| {
        exchange.colleagues_changed.track();
        let id = state.portfolio.with(|p| p.id.clone());
        Colleagues::list(&id)
            .into_iter()
            .map(|colleague| {
                let sizes = Version::parse(&colleague.version).ok().and_then(|since| {
                    state
                        .with_doc(|doc| doc.has_version(&since).then(|| doc.export_sizes(&since)))
                        .flatten()
                });
                Offer { colleague, sizes }
            })
            .collect::<Vec<_>>()
    });
    let export_full = move |_| {
        let Some(bytes) = state.with_doc(|doc| doc.export_full()) else {
            return;
        };
        save_file(state, &bytes, FileKind::Full);
    };

    view! {
        <section class="panel" aria-labelledby="export-title">
            <h2 id="export-title">"Send your portfolio"</h2>
            <p>"The full file holds the whole portfolio with its history: anyone can open it, and anyone who has the portfolio can merge it."</p>
            <div class="actions">
                <button type="button" class="primary" on:click=export_full>"Export full file"</button>
                <span class="hint">{move || format!("Full file: {}", byte_size(full_size.get()))}</span>
            </div>
            <Show when=move || !offers.with(Vec::is_empty)>
                <h3>"Only what a colleague lacks"</h3>
                <p class="hint">"A changes file holds only what happened since the last file you received from that colleague."</p>
                <ul class="offers">
                    <For each=move || offers.get() key=|o| (o.colleague.actor.clone(), o.colleague.version.clone(), o.colleague.exchanged_at, o.sizes) let:offer>
                        <OfferItem offer/>
                    </For>
                </ul>
            </Show>
        </section>
    }
}

#[component]
fn OfferItem(offer: Offer) -> impl IntoView {
    let state = expect_context::<AppState>();
    let name = offer.colleague.name.clone();
    let since = format!(
        "last file from {name}: {}",
        super::local_time(offer.colleague.exchanged_at)
    );
    let body = match offer.sizes {
        Some((full, packet)) if packet < full => {
            let version = offer.colleague.version.clone();
            let export = move |_| {
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
            };
            view! {
                <button type="button" on:click=export>{format!("Export changes for {name}")}</button>
                <span class="hint">{format!("Changes: {} (full file: {})", byte_size(packet), byte_size(full))}</span>
            }
            .into_any()
        }
        Some((full, packet)) => view! {
            <span class="hint">{format!(
                "The changes for {name} ({}) are not smaller than the full file ({}); send the full file.",
                byte_size(packet),
                byte_size(full)
            )}</span>
        }
        .into_any(),
        None => view! {
            <span class="hint">{format!(
                "This browser does not have the version of {name}\u{2019}s last file; send {name} the full file."
            )}</span>
        }
        .into_any(),
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
    let input = NodeRef::<Input>::new();
    let on_change = move |_| {
        let Some(el) = input.get() else {
            return;
        };
        let file = el.files().and_then(|files| files.get(0));
        // Cleared so that choosing the same file again imports it again.
        el.set_value("");
        if let Some(file) = file {
            super::import(file);
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
