//! The projects register page (`#/projects?…`): quick add, search,
//! filters, grouping, sorting, the table and CSV export of what is shown.
//! The query lives in the address, so a reload or a shared link shows the
//! same view.

use super::super::notices::NoticeKind;
use super::super::routes::{self, Route};
use super::super::state::{today, AppState};
use super::filters::Filters;
use super::quick_add::QuickAdd;
use super::table::RegisterTable;
use super::{download_text, rows_memo};
use crate::domain::csv::register_csv;
use crate::domain::register::{Group, Query};
use leptos::prelude::*;
use std::time::Duration;

#[component]
pub fn RegisterPage(
    /// The query string of the address (filters, sort, grouping).
    query_string: String,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let query = RwSignal::new(Query::from_query_string(&query_string));
    let rows = rows_memo(state);
    let selected: Memo<Vec<usize>> =
        Memo::new(move |_| rows.with(|r| query.with(|q| q.select(&r.0))));
    let groups: Memo<Vec<Group>> =
        Memo::new(move |_| rows.with(|r| query.with(|q| q.group_selected(selected.get(), &r.0))));
    let shown = Memo::new(move |_| selected.with(Vec::len));
    let total = move || rows.with(|r| r.0.len());

    // Keep the address in step without adding history entries. Chrome's
    // replaceState costs ~20 ms, so it waits until typing pauses (and is
    // written at once if the page is closed meanwhile).
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let write_address = move || {
        pending.set_value(None);
        // Only while the register is what the address shows.
        if routes::current_hash().starts_with("#/projects") {
            let qs = query.with_untracked(Query::to_query_string);
            routes::replace(&Route::Projects(qs));
        }
    };
    Effect::new(move |previous: Option<()>| {
        query.track();
        if previous.is_none() {
            return;
        }
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(write_address, Duration::from_millis(400)).ok();
        pending.set_value(handle);
    });
    let on_hide = window_event_listener(leptos::ev::pagehide, move |_| {
        if pending.get_value().is_some() {
            write_address();
        }
    });
    on_cleanup(move || {
        on_hide.remove();
        if let Some(handle) = pending.try_get_value().flatten() {
            handle.clear();
        }
    });

    let export = move |_| {
        let csv = rows.with_untracked(|r| {
            selected.with_untracked(|selected| {
                state.portfolio.with_untracked(|p| {
                    register_csv(selected.iter().map(|&i| r.0[i].as_ref()), &p.settings)
                })
            })
        });
        let filename = format!("projects-register-{}.csv", today());
        // The byte-order mark makes spreadsheet programs read UTF-8.
        if let Err(message) = download_text(
            &filename,
            "text/csv;charset=utf-8",
            &format!("\u{feff}{csv}"),
        ) {
            state.notify(NoticeKind::Error, message);
        }
    };
    let added = move |id: String| {
        let visible = rows
            .with_untracked(|r| selected.with_untracked(|s| s.iter().any(|&i| r.0[i].id == id)));
        if !visible {
            state.notify(
                NoticeKind::Info,
                "The new project is hidden by the current filters; clear them to see it.",
            );
        }
    };
    let currency = super::currency(state);

    view! {
        <section class="register" aria-labelledby="projects-title">
            <h1 id="projects-title">"Projects register"</h1>
            <QuickAdd on_added=added/>
            <Filters query/>
            <div class="toolbar register-summary">
                <p role="status" class="count">
                    {move || {
                        let (n, t) = (shown.get(), total());
                        if n == t {
                            format!("{t} {}", if t == 1 { "project" } else { "projects" })
                        } else {
                            format!("Showing {n} of {t} projects")
                        }
                    }}
                    <span class="hint">{move || format!(" \u{b7} amounts in {}", currency.get())}</span>
                </p>
                <Show when=move || query.with(Query::is_filtered)>
                    <button type="button" class="secondary"
                        on:click=move |_| query.update(|q| *q = q.cleared())>"Clear filters"</button>
                </Show>
                <button type="button" class="secondary" on:click=export
                    disabled=move || shown.get() == 0>"Export CSV"</button>
            </div>
            <RegisterTable query rows groups/>
            <Show when=move || { total() == 0 }>
                <p class="empty">"No projects yet. Add the first one above, or load the sample portfolio from "
                    <a href="#/settings">"Settings"</a>"."</p>
            </Show>
            <Show when=move || { total() > 0 && shown.get() == 0 }>
                <p class="empty">"No project matches these filters."</p>
            </Show>
        </section>
    }
}
