//! The governance view: what needs attention (overdue gates, missing gate
//! items, open decisions, changes waiting) and every open project's next
//! gate; each project's gate page (`#/gates/<id>`) records decisions,
//! overrides and change requests.
//!
//! [`ApprovedChanges`] is the approved-change history of one project, for
//! any page that shows a project (the register's project page mounts it).

mod changes;
mod gates;

pub use changes::ApprovedChanges;
pub use gates::GatesPage;

use super::intake::table::{Cell, Column, DataTable};
use super::intake::util::{number_text, today};
use super::routes::Route;
use super::state::AppState;
use crate::domain::governance::attention;
use crate::domain::lifecycle::{checklist, current_stage, next_gate, reviews_for};
use crate::domain::{Command, FieldChange, Op, ProjectStatus};
use leptos::prelude::*;
use serde_json::json;

#[component]
pub fn GovernancePage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let items = move || state.portfolio.with(|p| attention(p, today()));
    let limit = move || state.portfolio.with(|p| p.settings.stage_overdue_days);
    view! {
        <section aria-labelledby="governance-title" class="governance">
            <h1 id="governance-title">"Governance"</h1>
            <section aria-labelledby="attention-title">
                <h2 id="attention-title">"Needs attention"</h2>
                <Show
                    when=move || !items().is_empty()
                    fallback=|| view! { <p class="empty">"Nothing needs attention: no overdue gates, open decisions or waiting change requests."</p> }.into_any()
                >
                    <DataTable label="Needs attention".to_string()
                        columns=vec![Column::text("Project"), Column::text("What"), Column::text("Details")]
                        rows=Signal::derive(move || items().into_iter().map(|item| vec![
                            Cell::link(Route::Gates(item.project_id.clone()).href(), item.project_name.clone()),
                            Cell::text(item.item.kind_label()),
                            Cell::text(item.item.describe(today())),
                        ]).collect::<Vec<_>>())/>
                </Show>
                <p class="hint">
                    {move || format!("A gate is overdue when its planned date has passed or, without a planned date, when the project has been in its stage more than {} days. \u{201c}Missing for gate\u{201d} lists the next gate's checklist items not met yet. Proposals wait for their investment decision until it is a go or a stop.", limit())}
                </p>
                <OverdueLimit/>
            </section>
            <section aria-labelledby="gates-title">
                <h2 id="gates-title">"Next gates"</h2>
                <GateOverview/>
            </section>
        </section>
    }
}

#[component]
fn GateOverview() -> impl IntoView {
    let state = expect_context::<AppState>();
    let rows = move || {
        state.portfolio.with(|p| {
            p.projects_by_name()
                .into_iter()
                .filter(|pr| {
                    matches!(
                        pr.status,
                        ProjectStatus::Proposed | ProjectStatus::Active | ProjectStatus::OnHold
                    )
                })
                .map(|pr| {
                    let gate = next_gate(pr);
                    let (gate_name, progress, planned) = match gate {
                        Some(g) => {
                            let list = checklist(p, pr, g);
                            let met = list.iter().filter(|i| i.done).count();
                            (
                                g.name.to_string(),
                                format!("{met} of {} met", list.len()),
                                pr.gate_dates
                                    .get(g.id)
                                    .map(|d| d.to_string())
                                    .unwrap_or_default(),
                            )
                        }
                        None => ("\u{2014}".into(), String::new(), String::new()),
                    };
                    let last = reviews_for(p, &pr.id)
                        .last()
                        .map(|r| {
                            format!(
                                "{} ({})",
                                r.decision.label(),
                                r.date.map(|d| d.to_string()).unwrap_or_default()
                            )
                        })
                        .unwrap_or_else(|| "none".into());
                    (
                        pr.id.clone(),
                        pr.name.clone(),
                        pr.status.label(),
                        current_stage(pr).name,
                        gate_name,
                        progress,
                        planned,
                        last,
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <Show when=move || !rows().is_empty() fallback=|| view! { <p class="empty">"No open projects or proposals."</p> }.into_any()>
            <DataTable label="Next gates".to_string()
                columns=vec![
                    Column::text("Project"), Column::text("Status"), Column::text("Stage"),
                    Column::text("Next gate"), Column::text("Checklist"),
                    Column::text("Planned gate date"), Column::text("Last decision"),
                ]
                rows=Signal::derive(move || rows().into_iter().map(|(id, name, status, stage, gate, progress, planned, last)| vec![
                    Cell::link(Route::Gates(id).href(), name),
                    Cell::text(status), Cell::text(stage), Cell::text(gate), Cell::text(progress),
                    Cell::text(planned), Cell::text(last),
                ]).collect::<Vec<_>>())/>
        </Show>
    }
}

#[component]
fn OverdueLimit() -> impl IntoView {
    let state = expect_context::<AppState>();
    let days = RwSignal::new(
        state
            .portfolio
            .with_untracked(|p| number_text(f64::from(p.settings.stage_overdue_days))),
    );
    let error = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = match days.get_untracked().trim().parse::<u32>() {
            Ok(v) if (1..=3650).contains(&v) => v,
            _ => return error.set(Some("Enter a whole number of days from 1 to 3650.".into())),
        };
        error.set(None);
        state.dispatch(Command::new(
            format!("Count a gate as overdue after {value} days in a stage"),
            vec![Op::SetRoot {
                change: FieldChange::set(&["settings", "stage_overdue_days"], json!(value)),
            }],
        ));
    };
    view! {
        <form class="inline-form" on:submit=save novalidate>
            <label for="overdue-days">"Gate overdue after (days in a stage)"</label>
            <input id="overdue-days" type="text" inputmode="numeric" size="5"
                prop:value=move || days.get()
                on:input=move |ev| days.set(event_target_value(&ev))/>
            <button type="submit" class="secondary">"Save limit"</button>
            <Show when=move || error.get().is_some()>
                <p class="field-error" role="alert">{move || error.get()}</p>
            </Show>
        </form>
    }
}
