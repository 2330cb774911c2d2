//! The history page: every change with its author, time and summary,
//! grouped into sessions; choosing one shows the portfolio as it was right
//! after it, read-only, and a project deleted since can be restored from
//! there (as an ordinary new change).

use super::exchange::local_time;
use super::register::RagBadge;
use super::state::AppState;
use crate::doc::{HistoryEntry, Version};
use crate::domain::format;
use crate::domain::kpi::kpis;
use crate::domain::register::{self, stage_label, Row};
use crate::domain::timeline::{sessions, Session, SESSION_GAP_SECS};
use crate::domain::{Command, Date, Entity, Portfolio, Project};
use leptos::prelude::*;
use std::sync::Arc;

/// Sessions listed before "Show older changes".
const SESSIONS_PER_PAGE: usize = 30;
/// Changes listed per session before "Show all".
const ENTRIES_PER_SESSION: usize = 20;

/// A point in history being looked at.
#[derive(Clone, Debug, PartialEq)]
struct Moment {
    entry: HistoryEntry,
    portfolio: Arc<Portfolio>,
}

#[component]
pub fn HistoryPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let moment = RwSignal::new(None::<Moment>);
    let select = Callback::new(move |entry: HistoryEntry| {
        let portfolio = Version::parse(std::slice::from_ref(&entry.hash))
            .ok()
            .and_then(|version| state.with_doc(|doc| doc.snapshot_at(&version)));
        if let Some(portfolio) = portfolio {
            moment.set(Some(Moment {
                entry,
                portfolio: Arc::new(portfolio),
            }));
            scroll_to_top();
        }
    });
    view! {
        <section class="history" aria-labelledby="history-title">
            <h1 id="history-title">"History"</h1>
            {move || moment.get().map(|m| view! { <TimeTravel moment=m on_back=move || moment.set(None)/> })}
            <Timeline select selected=Signal::derive(move || moment.with(|m| m.as_ref().map(|m| m.entry.hash.clone())))/>
        </section>
    }
}

#[component]
fn Timeline(select: Callback<HistoryEntry>, selected: Signal<Option<String>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let groups = Memo::new(move |_| {
        state.portfolio.track();
        let history = state.with_doc(|doc| doc.history()).unwrap_or_default();
        Arc::new(sessions(
            history,
            |e| (e.actor.as_str(), e.time),
            SESSION_GAP_SECS,
        ))
    });
    let shown = RwSignal::new(SESSIONS_PER_PAGE);
    let total = move || groups.with(|g| g.len());
    view! {
        <section class="panel" aria-labelledby="timeline-title">
            <h2 id="timeline-title">"Changes, newest first"</h2>
            <p class="hint">"Choose a change to see the portfolio as it was right after it."</p>
            <ol class="timeline">
                {move || {
                    groups
                        .get()
                        .iter()
                        .take(shown.get())
                        .cloned()
                        .map(|session| view! { <SessionItem session select selected/> })
                        .collect_view()
                }}
            </ol>
            <Show when=move || { shown.get() < total() }>
                <button type="button" on:click=move |_| shown.update(|n| *n += SESSIONS_PER_PAGE)>
                    "Show older changes"
                </button>
            </Show>
        </section>
    }
}

#[component]
fn SessionItem(
    session: Session<HistoryEntry>,
    select: Callback<HistoryEntry>,
    selected: Signal<Option<String>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let who = state.portfolio.with_untracked(|p| p.person(&session.actor));
    let count = session.items.len();
    let when = if session.start / 60 == session.end / 60 {
        local_time(session.end)
    } else {
        format!(
            "{} \u{2013} {}",
            local_time(session.start),
            local_time(session.end)
        )
    };
    let heading = format!(
        "{who} \u{00b7} {when} \u{00b7} {count} change{}",
        if count == 1 { "" } else { "s" }
    );
    let all = RwSignal::new(count <= ENTRIES_PER_SESSION);
    let items = Arc::new(session.items);
    let list = {
        let items = items.clone();
        move || {
            let n = if all.get() {
                items.len()
            } else {
                ENTRIES_PER_SESSION
            };
            items
                .iter()
                .take(n)
                .cloned()
                .map(|entry| {
                    let hash = entry.hash.clone();
                    let pressed = move || selected.with(|s| s.as_deref() == Some(hash.as_str()));
                    let time = local_time(entry.time);
                    let summary = if entry.summary.trim().is_empty() {
                        "(change without a description)".to_string()
                    } else {
                        entry.summary.clone()
                    };
                    view! {
                        <li>
                            <button type="button" class="history-entry" aria-pressed=move || pressed().to_string()
                                on:click=move |_| select.run(entry.clone())>
                                <span class="time">{time}</span>
                                " "
                                <span class="summary">{summary}</span>
                            </button>
                        </li>
                    }
                })
                .collect_view()
        }
    };
    view! {
        <li class="session">
            <h3>{heading}</h3>
            <ul>{list}</ul>
            <Show when=move || !all.get()>
                <button type="button" class="link" on:click=move |_| all.set(true)>
                    {format!("Show all {count} changes of this session")}
                </button>
            </Show>
        </li>
    }
}

/// The portfolio at one point in history, read-only: the dashboard's key
/// figures and the register as they were then (health judged on that day).
#[component]
fn TimeTravel(moment: Moment, on_back: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    let state = expect_context::<AppState>();
    let then = moment.portfolio.clone();
    let who = state
        .portfolio
        .with_untracked(|p| p.person(&moment.entry.actor));
    let when = local_time(moment.entry.time);
    let day = Date::from_unix_ms(moment.entry.time as f64 * 1000.0);
    let currency = then.settings.currency.clone();
    let mut rows = register::rows(&then, day);
    rows.sort_by_cached_key(|r| (r.name.to_lowercase(), r.id.clone()));
    let k = kpis(&rows);
    let money = |v: f64| format::money(v, &currency);
    let variance = k.variance_text().unwrap_or_else(|| "\u{2014}".into());
    let on_track = k
        .on_track_pct
        .map(|p| format::percent(p.round()))
        .unwrap_or_else(|| "\u{2014}".into());
    let health = format!(
        "Red {} \u{b7} Amber {} \u{b7} Green {} \u{b7} Not assessed {}",
        k.rag.red, k.rag.amber, k.rag.green, k.rag.not_assessed
    );
    let figures = vec![
        ("Projects", rows.len().to_string()),
        ("Active", k.active.to_string()),
        ("Budget (active)", money(k.total_budget)),
        ("Actual cost", money(k.total_actual)),
        ("Forecast at completion", money(k.total_forecast)),
        ("Variance", variance),
        ("On track", on_track),
        ("Health of active projects", health),
    ];
    let title = format!("The portfolio on {when}");
    let projects = then.projects.clone();
    view! {
        <section class="panel time-travel" aria-labelledby="then-title">
            <div class="read-only-banner" role="status">
                <strong>"Read-only. "</strong>
                {format!(
                    "You are looking at the portfolio as it was on {when}, right after \u{201c}{}\u{201d} by {who}.",
                    moment.entry.summary
                )}
                " "
                <button type="button" class="primary" on:click=move |_| on_back()>"Back to now"</button>
            </div>
            <h2 id="then-title">{title}</h2>
            <dl class="then-summary" aria-label="Key figures then">
                {figures.into_iter().map(|(term, value)| view! {
                    <div><dt>{term}</dt><dd>{value}</dd></div>
                }).collect_view()}
            </dl>
            {if rows.is_empty() {
                view! { <p class="empty">"No projects at that time."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table aria-label="Projects then (read-only)">
                            <thead>
                                <tr>
                                    <th scope="col">"Name"</th>
                                    <th scope="col">"Code"</th>
                                    <th scope="col">"Health"</th>
                                    <th scope="col">"Status"</th>
                                    <th scope="col">"Stage"</th>
                                    <th scope="col">"Manager"</th>
                                    <th scope="col">{format!("Budget ({currency})")}</th>
                                    <th scope="col">{format!("Forecast ({currency})")}</th>
                                    <th scope="col">"Now"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows.into_iter().filter_map(|row| {
                                    let project = projects.get(&row.id)?.clone();
                                    Some(view! { <ThenRow row project/> })
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn ThenRow(row: Row, project: Project) -> impl IntoView {
    let state = expect_context::<AppState>();
    let id = project.id.clone();
    let exists_now = move || state.portfolio.with(|p| p.projects.contains_key(&id));
    let name = project.name.clone();
    let project = Arc::new(project);
    let restore = move |_| {
        state.dispatch(Command::new(
            format!("Restore project {}", project.label()),
            vec![project.create_op()],
        ));
    };
    let stage = if row.stage.is_empty() {
        String::new()
    } else {
        stage_label(&row.stage)
    };
    view! {
        <tr>
            <td>{row.name.clone()}</td>
            <td>{row.code.clone()}</td>
            <td><RagBadge rag=row.health.overall title=row.health.overall_reason.clone()/></td>
            <td>{row.status.label()}</td>
            <td>{stage}</td>
            <td>{row.manager.clone()}</td>
            <td class="number">{format::amount(row.budget)}</td>
            <td class="number">{format::amount(row.forecast)}</td>
            <td>
                <Show when=exists_now.clone() fallback=move || view! {
                    <span class="tag tag-deleted">"Deleted since"</span>
                    " "
                    <button type="button" on:click=restore.clone()>{format!("Restore {name}")}</button>
                }>
                    <span class="hint">"Still there"</span>
                </Show>
            </td>
        </tr>
    }
}

fn scroll_to_top() {
    if let Some(window) = web_sys::window() {
        window.scroll_to_with_x_and_y(0.0, 0.0);
    }
}
