//! The projects table: sortable headers, optional group sections and one
//! row per project. Rows are keyed by id and content fingerprint, so a
//! keystroke in the search box only adds or removes rows and an edit only
//! rebuilds the row that changed.

use super::super::routes::Route;
use super::super::state::AppState;
use super::badge::RagBadge;
use super::SharedRows;
use crate::domain::format;
use crate::domain::register::{stage_label, Group, Query, Row, SortKey};
use crate::domain::{Command, Entity};
use leptos::prelude::*;
use std::sync::Arc;

/// (sort key, numeric column)
const COLUMNS: &[(SortKey, bool)] = &[
    (SortKey::Code, false),
    (SortKey::Name, false),
    (SortKey::Health, false),
    (SortKey::Program, false),
    (SortKey::Manager, false),
    (SortKey::Stage, false),
    (SortKey::Status, false),
    (SortKey::PlannedEnd, false),
    (SortKey::ForecastEnd, false),
    (SortKey::Budget, true),
    (SortKey::ActualCost, true),
    (SortKey::Forecast, true),
    (SortKey::Variance, true),
    (SortKey::PercentComplete, true),
];

/// Columns plus the actions column.
const COLUMN_COUNT: usize = COLUMNS.len() + 1;

#[component]
pub fn RegisterTable(
    query: RwSignal<Query>,
    rows: Memo<SharedRows>,
    groups: Memo<Vec<Group>>,
) -> impl IntoView {
    let grouped = move || query.with(|q| q.group.is_some());
    view! {
        <div class="table-wrap register-table">
            <table aria-label="Projects">
                <thead>
                    <tr>
                        {COLUMNS.iter().map(|&(key, numeric)| view! { <SortHeader key numeric query/> }).collect_view()}
                        <th scope="col">"Actions"</th>
                    </tr>
                </thead>
                <For each=move || groups.get() key=|g| g.key.clone() let:group>
                    <GroupBody group_key=group.key.clone() label=group.label.clone()
                        rows groups grouped=Signal::derive(grouped)/>
                </For>
            </table>
        </div>
    }
}

#[component]
fn SortHeader(key: SortKey, numeric: bool, query: RwSignal<Query>) -> impl IntoView {
    let sort = move || {
        query.with(|q| {
            if q.sort != key {
                "none"
            } else if q.descending {
                "descending"
            } else {
                "ascending"
            }
        })
    };
    let click = move |_| {
        query.update(|q| {
            if q.sort == key {
                q.descending = !q.descending;
            } else {
                q.sort = key;
                q.descending = key.descending_first();
            }
        })
    };
    let class = if numeric { "num" } else { "" };
    let arrow = move || match sort() {
        "ascending" => "\u{25b2}",
        "descending" => "\u{25bc}",
        _ => "",
    };
    view! {
        <th scope="col" class=class aria-sort=sort>
            <button type="button" class="sort" on:click=click
                title=format!("Sort by {}", key.label().to_lowercase())>
                {key.label()}<span class="sort-arrow" aria-hidden="true">{arrow}</span>
            </button>
        </th>
    }
}

#[component]
fn GroupBody(
    group_key: String,
    label: String,
    rows: Memo<SharedRows>,
    groups: Memo<Vec<Group>>,
    grouped: Signal<bool>,
) -> impl IntoView {
    let key = group_key.clone();
    let members = Memo::new(move |_| {
        groups.with(|gs| {
            gs.iter()
                .find(|g| g.key == key)
                .map(|g| g.rows.clone())
                .unwrap_or_default()
        })
    });
    let items = move || {
        let all = rows.get();
        members.with(|m| {
            m.iter()
                .map(|&i| all.0[i].clone())
                .collect::<Vec<Arc<Row>>>()
        })
    };
    let count = move || members.with(Vec::len);
    view! {
        <tbody>
            <Show when=move || grouped.get()>
                <tr class="group-row">
                    <th scope="colgroup" colspan=COLUMN_COUNT>
                        {label.clone()}
                        <span class="group-count">{move || format!(" ({} {})", count(), if count() == 1 { "project" } else { "projects" })}</span>
                    </th>
                </tr>
            </Show>
            <For each=items key=|r| (r.id.clone(), r.fingerprint) let:row>
                <RegisterRow row/>
            </For>
        </tbody>
    }
}

#[derive(Clone, Copy, PartialEq)]
enum RowMode {
    View,
    Rename,
    ConfirmDelete,
}

fn date_cell(d: Option<crate::domain::Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

#[component]
fn RegisterRow(row: Arc<Row>) -> impl IntoView {
    let mode = RwSignal::new(RowMode::View);
    let name = row.name.clone();
    let href = Route::Project(row.id.clone()).href();
    let variance_class = if row.variance > 0.0 {
        "num over"
    } else {
        "num"
    };
    let health_title = row.health.overall_reason.clone();
    let forecast_end = row
        .forecast_end
        .filter(|f| Some(*f) != row.planned_end)
        .map(|f| f.to_string())
        .unwrap_or_default();
    let stored = StoredValue::new(row.clone());
    // The spaces between cells keep cell texts apart in the row's text
    // (what search-by-text and some assistive tools read).
    view! {
        <tr>
            <td class="code">{row.code.clone()}</td> " "
            <td class="name">
                {move || match mode.get() {
                    RowMode::Rename => view! { <RenameForm row=stored mode/> }.into_any(),
                    _ => view! { <a href=href.clone()>{stored.with_value(|r| r.name.clone())}</a> }.into_any(),
                }}
            </td> " "
            <td><RagBadge rag=row.health.overall title=health_title/></td> " "
            <td>{row.program.clone()}</td> " "
            <td>{row.manager.clone()}</td> " "
            <td>{if row.stage.is_empty() { String::new() } else { stage_label(&row.stage) }}</td> " "
            <td>{row.status.label()}</td> " "
            <td class="date">{date_cell(row.planned_end)}</td> " "
            <td class="date">{forecast_end}</td> " "
            <td class="num">{format::amount(row.budget)}</td> " "
            <td class="num">{format::amount(row.actual_cost)}</td> " "
            <td class="num">{format::amount(row.forecast)}</td> " "
            <td class=variance_class>{format::signed_amount(row.variance)}</td> " "
            <td class="num">{format::percent(row.percent_complete)}</td> " "
            <td class="row-actions">
                {move || match mode.get() {
                    RowMode::View => {
                        let name = name.clone();
                        view! {
                            <button type="button" class="small secondary" aria-label=format!("Rename {name}")
                                on:click=move |_| mode.set(RowMode::Rename)>"Rename"</button>
                            <button type="button" class="small secondary" aria-label=format!("Delete {name}")
                                on:click=move |_| mode.set(RowMode::ConfirmDelete)>"Delete"</button>
                        }.into_any()
                    }
                    RowMode::ConfirmDelete => view! { <ConfirmDelete row=stored mode/> }.into_any(),
                    RowMode::Rename => ().into_any(),
                }}
            </td>
        </tr>
    }
}

#[component]
fn RenameForm(row: StoredValue<Arc<Row>>, mode: RwSignal<RowMode>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let old_name = row.with_value(|r| r.name.clone());
    let label = format!("New name for {old_name}");
    let value = RwSignal::new(old_name.clone());
    let error = RwSignal::new(None::<String>);
    let error_id = format!("rename-error-{}", row.with_value(|r| r.id.clone()));
    let described = error_id.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = row.with_value(|r| r.id.clone());
        let Some(old) = state
            .portfolio
            .with_untracked(|p| p.projects.get(&id).cloned())
        else {
            mode.set(RowMode::View);
            return;
        };
        let new_name = value.get_untracked().trim().to_string();
        if new_name.is_empty() {
            error.set(Some("A project needs a name.".into()));
            return;
        }
        let mut renamed = old.clone();
        renamed.name = new_name.clone();
        let applied = match renamed.update_op(&old) {
            Some(op) => state.dispatch(Command::new(
                format!("Rename project {} to {new_name}", old.name),
                vec![op],
            )),
            None => true,
        };
        if applied {
            mode.set(RowMode::View);
        }
    };
    view! {
        <form class="inline-form" on:submit=save novalidate>
            <input type="text" aria-label=label
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=move || error.get().is_some().then(|| described.clone())
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))/>
            <button type="submit" class="small">"Save name"</button>
            <button type="button" class="small secondary" on:click=move |_| mode.set(RowMode::View)>"Cancel"</button>
            <Show when=move || error.get().is_some()>
                <p id=error_id.clone() class="field-error" role="alert">{move || error.get()}</p>
            </Show>
        </form>
    }
}

#[component]
fn ConfirmDelete(row: StoredValue<Arc<Row>>, mode: RwSignal<RowMode>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let delete = move |_| {
        let id = row.with_value(|r| r.id.clone());
        let Some(p) = state
            .portfolio
            .with_untracked(|p| p.projects.get(&id).cloned())
        else {
            mode.set(RowMode::View);
            return;
        };
        if state.dispatch(Command::new(
            format!("Delete project {}", p.label()),
            vec![p.delete_op()],
        )) {
            mode.set(RowMode::View);
        }
    };
    view! {
        <span class="confirm">
            <span>"Delete this project?"</span>
            <button type="button" class="small danger" on:click=delete>"Confirm delete"</button>
            <button type="button" class="small secondary" on:click=move |_| mode.set(RowMode::View)>"Cancel"</button>
        </span>
    }
}
