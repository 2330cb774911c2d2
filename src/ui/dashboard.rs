//! The dashboard (`#/`): the portfolio's figures for senior management.
//! Every tile links to the register filtered to the projects it counts.

use super::register::{currency, rows_memo, RagBadge};
use super::routes::Route;
use super::state::{today, AppState};
use crate::domain::format;
use crate::domain::kpi::{active_query, kpis, Kpis};
use crate::domain::register::{HealthFilter, Query, SortKey};
use crate::domain::roadmap::fiscal_year_label;
use crate::domain::{ProjectStatus, Rag};
use leptos::prelude::*;

fn register_href(q: Query) -> String {
    Route::Projects(q.to_query_string()).href()
}

fn sorted(sort: SortKey) -> String {
    register_href(Query {
        sort,
        descending: true,
        ..active_query(None)
    })
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let rows = rows_memo(state);
    let k = Memo::new(move |_| rows.with(|r| kpis(&r.0)));
    let currency = currency(state);
    let total = move || rows.with(|r| r.0.len());
    let subtitle = move || {
        state.portfolio.with(|p| {
            format!(
                "{} \u{b7} as of {} \u{b7} {}",
                p.name,
                today(),
                fiscal_year_label(today(), p.settings.fiscal_year_start_month)
            )
        })
    };
    view! {
        <section class="dashboard" aria-labelledby="dashboard-title">
            <h1 id="dashboard-title">"Dashboard"</h1>
            <p class="hint">{subtitle}</p>
            <Show when=move || { total() > 0 } fallback=|| view! { <EmptyDashboard/> }>
                {move || {
                    let k = k.get();
                    let c = currency.get();
                    view! { <Tiles k c/> }
                }}
            </Show>
        </section>
    }
}

#[component]
fn EmptyDashboard() -> impl IntoView {
    view! {
        <div class="panel empty">
            <p>"No projects yet. Add projects in the "<a href="#/projects">"register"</a>
               ", or load the sample portfolio from "<a href="#/settings">"Settings"</a>" to see what the dashboard shows."</p>
        </div>
    }
}

#[component]
fn Tile(
    href: String,
    /// The tile's accessible name: what it counts, with the figure.
    label: String,
    title: &'static str,
    figure: String,
    #[prop(optional, into)] detail: Option<String>,
    #[prop(optional)] class: &'static str,
) -> impl IntoView {
    view! {
        <li class=format!("tile {class}")>
            <a href=href aria-label=label>
                <span class="tile-title">{title}</span>
                <span class="tile-figure">{figure}</span>
                {detail.map(|d| view! { <span class="tile-detail">{d}</span> })}
            </a>
        </li>
    }
}

#[component]
fn Tiles(k: Kpis, c: String) -> impl IntoView {
    let money = |v: f64| format::money_short(v, &c);
    let variance_text = match k.variance_text() {
        Some(text) => format!("{c} {text}"),
        None => "No budget set".into(),
    };
    let spent_pct = (k.total_budget > 0.0)
        .then(|| format::percent((k.total_actual / k.total_budget * 100.0).round()));
    let on_track = k
        .on_track_pct
        .map(|p| format::percent(p.round()))
        .unwrap_or_else(|| "\u{2014}".into());
    let assessed = k.rag.green + k.rag.amber + k.rag.red;
    let over_budget = if k.variance > 0.0 { "over" } else { "" };
    view! {
        <ul class="tiles" aria-label="Key figures">
            <Tile href=register_href(active_query(None)) title="Active projects"
                label=format!("Active projects: {}", k.active)
                figure=k.active.to_string()
                detail=format!("of {} in the portfolio", k.by_status.iter().map(|s| s.1).sum::<usize>())/>
            <Tile href=sorted(SortKey::Budget) title="Total budget"
                label=format!("Total budget of active projects: {}", format::money(k.total_budget, &c))
                figure=money(k.total_budget)
                detail="active projects"/>
            <Tile href=sorted(SortKey::ActualCost) title="Actual cost to date"
                label=format!("Actual cost to date: {}", format::money(k.total_actual, &c))
                figure=money(k.total_actual)
                detail=spent_pct.map(|p| format!("{p} of budget spent")).unwrap_or_default()/>
            <Tile href=sorted(SortKey::Variance) title="Forecast at completion"
                label=format!("Forecast at completion: {}, variance {variance_text}", format::money(k.total_forecast, &c))
                figure=money(k.total_forecast)
                detail=format!("Variance {variance_text} \u{b7} {} over budget", plural(k.over_budget, "project", "projects"))
                class=over_budget/>
            <Tile href=register_href(active_query(Some(HealthFilter::Is(Rag::Green)))) title="On track"
                label=format!("On track: {on_track} of assessed active projects are green")
                figure=on_track.clone()
                detail=format!("{} of {assessed} assessed are green", k.rag.green)/>
        </ul>
        <div class="dashboard-panels">
            <RagDistribution k=k.clone()/>
            <Attention k=k.clone()/>
            <ByStatus k/>
        </div>
    }
}

#[component]
fn RagDistribution(k: Kpis) -> impl IntoView {
    let total = k.rag.total().max(1) as f64;
    let bar = [Rag::Red, Rag::Amber, Rag::Green, Rag::NotAssessed]
        .into_iter()
        .filter(|r| k.rag.get(*r) > 0)
        .map(|r| {
            let width = k.rag.get(r) as f64 / total * 100.0;
            view! { <span class=format!("rag-bar-part rag-bg-{}", r.key()) style=format!("width: {width:.2}%")></span> }
        })
        .collect_view();
    view! {
        <section class="panel rag-distribution" aria-labelledby="rag-title">
            <h2 id="rag-title">"Health of active projects"</h2>
            <div class="rag-bar" aria-hidden="true">{bar}</div>
            <ul class="rag-counts">
                {[Rag::Red, Rag::Amber, Rag::Green, Rag::NotAssessed].into_iter().map(|r| {
                    let n = k.rag.get(r);
                    let href = register_href(active_query(Some(HealthFilter::Is(r))));
                    view! {
                        <li>
                            <a href=href aria-label=format!("{}: {}", r.label(), plural(n, "active project", "active projects"))>
                                <RagBadge rag=r/>
                                <span class="count">{n}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Attention(k: Kpis) -> impl IntoView {
    let n = k.attention.len();
    let shown: Vec<_> = k.attention.iter().take(8).cloned().collect();
    let more = n.saturating_sub(shown.len());
    let href = register_href(active_query(Some(HealthFilter::NeedsAttention)));
    view! {
        <section class="panel attention" aria-labelledby="attention-title">
            <h2 id="attention-title">
                <a href=href.clone() aria-label=format!("Projects needing attention: {n}")>
                    "Projects needing attention "<span class="count">{format!("({n})")}</span>
                </a>
            </h2>
            {if n == 0 {
                view! { <p>"No active project is amber or red."</p> }.into_any()
            } else {
                view! {
                    <ul class="attention-list">
                        {shown.into_iter().map(|a| {
                            let label = if a.code.is_empty() { a.name.clone() } else { format!("{} {}", a.code, a.name) };
                            view! {
                                <li>
                                    <RagBadge rag=a.rag/>
                                    " "
                                    <a href=Route::Project(a.id.clone()).href()>{label}</a>
                                    <p class="hint">{a.reason}</p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {(more > 0).then(|| view! { <p><a href=href>{format!("and {more} more\u{2026}")}</a></p> })}
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn ByStatus(k: Kpis) -> impl IntoView {
    view! {
        <section class="panel by-status" aria-labelledby="status-title">
            <h2 id="status-title">"Projects by status"</h2>
            <ul>
                {k.by_status.into_iter().map(|(s, n): (ProjectStatus, usize)| {
                    let href = register_href(Query { status: Some(s), ..Query::default() });
                    view! {
                        <li><a href=href aria-label=format!("{}: {}", s.label(), plural(n, "project", "projects"))>
                            <span>{s.label()}</span>" "<span class="count">{n}</span>
                        </a></li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
