//! The projects table: sortable headers, optional group headings and one
//! row per project. Rows are keyed by id and content fingerprint, so an
//! edit only rebuilds the row that changed. Large views render only the
//! rows in and near the window (plus spacers standing in for the rest),
//! so a keystroke in the search box touches a few dozen rows whatever the
//! portfolio's size; printing renders them all.

use super::super::routes::Route;
use super::super::state::AppState;
use super::badge::RagBadge;
use super::SharedRows;
use crate::domain::format;
use crate::domain::register::{stage_label, Group, Query, Row, SortKey};
use crate::domain::{Command, Entity};
use crate::ui::exchange::ConflictBadge;
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

/// Views up to this many lines render completely (and stay findable with
/// the browser's own search); larger ones render a window.
const RENDER_ALL_UP_TO: usize = 150;
/// Lines rendered beyond each edge of the window.
const OVERSCAN: usize = 6;
/// A line's height before one could be measured (CSS keeps lines equal).
const DEFAULT_LINE_PX: f64 = 41.0;

/// One line of the table body.
#[derive(Clone)]
enum Line {
    Group {
        key: String,
        label: String,
        count: usize,
    },
    Project {
        group: String,
        row: Arc<Row>,
    },
}

impl Line {
    fn key(&self) -> (String, String, u64) {
        match self {
            Line::Group { key, count, .. } => ("#".into(), key.clone(), *count as u64),
            Line::Project { group, row } => (group.clone(), row.id.clone(), row.fingerprint),
        }
    }
}

fn lines(rows: &SharedRows, groups: &[Group], grouped: bool) -> Vec<Line> {
    let mut out = Vec::with_capacity(rows.0.len() + groups.len());
    for g in groups {
        if grouped {
            out.push(Line::Group {
                key: g.key.clone(),
                label: g.label.clone(),
                count: g.rows.len(),
            });
        }
        out.extend(g.rows.iter().map(|&i| Line::Project {
            group: g.key.clone(),
            row: rows.0[i].clone(),
        }));
    }
    out
}

#[component]
pub fn RegisterTable(
    query: RwSignal<Query>,
    rows: Memo<SharedRows>,
    groups: Memo<Vec<Group>>,
) -> impl IntoView {
    let all_lines = Memo::new_with_compare(
        move |_| {
            let grouped = query.with(|q| q.group.is_some());
            rows.with(|r| groups.with(|g| Arc::new(lines(r, g, grouped))))
        },
        // Rebuilt only when rows, grouping or the selection changed.
        |_, _| true,
    );
    let first = RwSignal::new(0usize);
    let window = RwSignal::new(60usize);
    let line_px = StoredValue::new(DEFAULT_LINE_PX);
    let printing = RwSignal::new(false);
    let body = NodeRef::<leptos::html::Tbody>::new();

    let windowed = move || !printing.get() && all_lines.with(|l| l.len() > RENDER_ALL_UP_TO);
    // Which lines the window covers, from where the body sits on screen.
    let measure = move || {
        // A frame requested just before the page was left runs after its
        // signals are gone.
        let Some(Some(body)) = body.try_get_untracked() else {
            return;
        };
        if let Ok(list) = body.query_selector_all("tr.data-row") {
            let heights = (0..list.length().min(5)).filter_map(|i| {
                list.item(i)
                    .and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
                    .map(|e| e.get_bounding_client_rect().height())
            });
            if let Some(h) = heights.filter(|h| *h > 10.0).reduce(f64::min) {
                line_px.set_value(h);
            }
        }
        let px = line_px.get_value();
        let viewport = web_sys::window()
            .and_then(|w| w.inner_height().ok())
            .and_then(|h| h.as_f64())
            .unwrap_or(900.0);
        let top = body.get_bounding_client_rect().top();
        let start = ((-top / px).floor().max(0.0) as usize).saturating_sub(OVERSCAN);
        let count = (viewport / px).ceil() as usize + 2 * OVERSCAN;
        if first.get_untracked() != start {
            first.set(start);
        }
        if window.get_untracked() != count {
            window.set(count);
        }
    };
    let on_scroll = window_event_listener(leptos::ev::scroll, move |_| measure());
    let on_resize = window_event_listener(leptos::ev::resize, move |_| measure());
    let before_print = window_event_listener(
        leptos::ev::Custom::<web_sys::Event>::new("beforeprint"),
        move |_| printing.set(true),
    );
    let after_print = window_event_listener(
        leptos::ev::Custom::<web_sys::Event>::new("afterprint"),
        move |_| printing.set(false),
    );
    on_cleanup(move || {
        on_scroll.remove();
        on_resize.remove();
        before_print.remove();
        after_print.remove();
    });
    // The body may have moved (filters, notices) or the lines changed.
    Effect::new(move |_| {
        all_lines.track();
        request_animation_frame(measure);
    });

    let range = move || {
        let n = all_lines.with(|l| l.len());
        if windowed() {
            let start = first.get().min(n);
            (start, (start + window.get()).min(n), n)
        } else {
            (0, n, n)
        }
    };
    let visible = move || {
        let (start, end, _) = range();
        all_lines.with(|l| l[start..end].to_vec())
    };
    let spacer = move |before: bool| {
        move || {
            let (start, end, n) = range();
            let hidden = if before { start } else { n - end };
            (hidden > 0).then(|| {
                let height = hidden as f64 * line_px.get_value();
                view! {
                    <tr class="spacer" aria-hidden="true">
                        <td colspan=COLUMN_COUNT style=format!("height: {height:.0}px")></td>
                    </tr>
                }
            })
        }
    };
    let row_count = move || windowed().then(|| (all_lines.with(|l| l.len()) + 1).to_string());
    view! {
        <div class="table-wrap register-table">
            <table aria-label="Projects" aria-rowcount=row_count>
                <thead>
                    <tr>
                        {COLUMNS.iter().map(|&(key, numeric)| view! { <SortHeader key numeric query/> }).collect_view()}
                        <th scope="col" class="col-actions">"Actions"</th>
                    </tr>
                </thead>
                <tbody node_ref=body>
                    {spacer(true)}
                    <ForEnumerate each=visible key=Line::key let(index, line)>
                        {
                            // Position among all lines, for assistive tools
                            // (the header row is row 1).
                            let row_index = Signal::derive(move || {
                                windowed().then(|| first.get() + index.get() + 2)
                            });
                            match line {
                                Line::Group { label, count, .. } => view! {
                                    <tr class="group-row" aria-rowindex=row_index>
                                        <th scope="colgroup" colspan=COLUMN_COUNT>
                                            {label}
                                            <span class="group-count">{format!(" ({count} {})", if count == 1 { "project" } else { "projects" })}</span>
                                        </th>
                                    </tr>
                                }.into_any(),
                                Line::Project { row, .. } => view! { <RegisterRow row row_index/> }.into_any(),
                            }
                        }
                    </ForEnumerate>
                    {spacer(false)}
                </tbody>
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
    let class = format!("col-{}{}", key.key(), if numeric { " num" } else { "" });
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
fn RegisterRow(row: Arc<Row>, row_index: Signal<Option<usize>>) -> impl IntoView {
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
    view! {
        <tr class="data-row" aria-rowindex=row_index>
            <td class="code">{row.code.clone()}</td>
            <td class="name">
                {move || match mode.get() {
                    RowMode::Rename => view! { <RenameForm row=stored mode/> }.into_any(),
                    _ => {
                        let (name, title) = stored.with_value(|r| (r.name.clone(), r.name.clone()));
                        view! { <a href=href.clone() title=title>{name}</a> }.into_any()
                    }
                }}
                " "<ConflictBadge collection="projects" id=row.id.clone()/>
            </td>
            <td><RagBadge rag=row.health.overall title=health_title/></td>
            <td>{row.program.clone()}</td>
            <td>{row.manager.clone()}</td>
            <td>{if row.stage.is_empty() { String::new() } else { stage_label(&row.stage) }}</td>
            <td>{row.status.label()}</td>
            <td class="date">{date_cell(row.planned_end)}</td>
            <td class="date">{forecast_end}</td>
            <td class="num">{format::amount(row.budget)}</td>
            <td class="num">{format::amount(row.actual_cost)}</td>
            <td class="num">{format::amount(row.forecast)}</td>
            <td class=variance_class>{format::signed_amount(row.variance)}</td>
            <td class="num">{format::percent(row.percent_complete)}</td>
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
            <span>"Delete?"</span>
            <button type="button" class="small danger" on:click=delete>"Confirm delete"</button>
            <button type="button" class="small secondary" on:click=move |_| mode.set(RowMode::View)>"Cancel"</button>
        </span>
    }
}
