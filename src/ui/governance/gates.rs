//! One project's stage gates: where it is in its lifecycle, the next
//! gate's checklist and planned date, recording a decision (or an
//! override with its reason), the decision history with the version each
//! was made on and what changed since, and its change requests.

use super::super::intake::table::{Cell, Column, DataTable};
use super::super::intake::util::today;
use super::super::notices::NoticeKind;
use super::super::routes::Route;
use super::super::state::AppState;
use super::changes::{ApprovedChanges, ChangeRequests};
use crate::doc::Version;
use crate::domain::governance::project_changes;
use crate::domain::lifecycle::{
    self, checklist, current_stage, lifecycle_for, next_gate, overrides_for, parse_names,
    reviews_for, DecisionInput, GateDecision,
};
use crate::domain::{Date, Project};
use leptos::prelude::*;

#[component]
pub fn GatesPage(id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let exists = {
        let id = id.clone();
        move || state.portfolio.with(|p| p.projects.contains_key(&id))
    };
    let id = StoredValue::new(id);
    view! {
        <Show
            when=exists
            fallback=|| view! {
                <section class="panel">
                    <h1>"Project not found"</h1>
                    <p>"It may have been deleted, or the link is from another portfolio. "<a href=Route::Governance.href()>"Back to governance"</a></p>
                </section>
            }.into_any()
        >
            <GatesView id=id.get_value()/>
        </Show>
    }
}

#[component]
fn GatesView(id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let project = {
        let id = id.clone();
        Memo::new(move |_| {
            state
                .portfolio
                .with(|p| p.projects.get(&id).cloned().unwrap_or_default())
        })
    };
    let title = move || project.with(|p| p.name.clone());
    let status = move || {
        project.with(|p| {
            format!(
                "{} \u{b7} {} lifecycle ({})",
                p.status.label(),
                lifecycle_for(p.methodology).name,
                p.methodology.label()
            )
        })
    };
    let stages = move || {
        project.with(|p| {
            let current = current_stage(p).key;
            lifecycle_for(p.methodology)
                .stages
                .iter()
                .map(|s| (s.name, s.key == current))
                .collect::<Vec<_>>()
        })
    };
    let has_gate = move || project.with(|p| next_gate(p).is_some());
    view! {
        <article class="gates" aria-labelledby="gates-title">
            <p>
                <a href=Route::Governance.href()>"\u{2190} Governance"</a>
                " \u{b7} "<a href=Route::Proposal(id.clone()).href()>"Business case and scores"</a>
                // The register's project page (dates, manager, budget).
                " \u{b7} "<a href=format!("#/project/{id}")>"Project record"</a>
            </p>
            <h1 id="gates-title">{title}</h1>
            <p>{status}</p>
            <ol class="stage-track" aria-label="Lifecycle stages">
                {move || stages().into_iter().map(|(name, current)| view! {
                    <li class:current=current aria-current=current.then_some("step")>
                        {name}{current.then_some(" (current stage)")}
                    </li>
                }).map(|v| v.into_any()).collect_view()}
            </ol>
            <Show
                when=has_gate
                fallback=|| view! { <p class="empty">"No gates left: the project is closed or cancelled."</p> }.into_any()
            >
                <NextGate project/>
            </Show>
            <section aria-labelledby="history-title">
                <h2 id="history-title">"Gate history"</h2>
                <GateHistory project/>
            </section>
            <section aria-labelledby="changes-title">
                <h2 id="changes-title">"Change requests"</h2>
                <ChangeRequests project_id=id.clone()/>
            </section>
            <section aria-labelledby="approved-title">
                <h2 id="approved-title">"Approved changes"</h2>
                <ApprovedChanges project_id=id.clone()/>
            </section>
        </article>
    }
}

#[component]
fn NextGate(project: Memo<Project>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let heading = move || {
        project.with(|p| {
            let life = lifecycle_for(p.methodology);
            next_gate(p)
                .map(|g| {
                    let to =
                        g.to.map(|t| life.stage_name(t))
                            .unwrap_or_else(|| "closed".into());
                    format!(
                        "Next gate: {} ({} \u{2192} {to})",
                        g.name,
                        life.stage_name(g.from)
                    )
                })
                .unwrap_or_default()
        })
    };
    let items = move || {
        state.portfolio.with(|pf| {
            project.with(|p| {
                next_gate(p)
                    .map(|g| {
                        checklist(pf, p, g)
                            .into_iter()
                            .map(|i| (g, i.item, i.done))
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
            })
        })
    };
    let tick = move |item_id: &'static str, done: bool| {
        let p = project.get_untracked();
        let Some(gate) = next_gate(&p) else { return };
        if let Some(item) = gate.items.iter().find(|i| i.id == item_id) {
            state.dispatch(lifecycle::tick(&p, gate, item, done));
        }
    };
    view! {
        <section aria-labelledby="next-gate-title" class="panel">
            <h2 id="next-gate-title">{heading}</h2>
            <h3>"Checklist"</h3>
            <ul class="checklist" aria-label="Gate checklist">
                {move || items().into_iter().map(|(_, item, done)| {
                    match item.auto {
                        Some(_) => view! {
                            <li class:met=done>
                                <span class="check-state">{if done { "\u{2713} Met" } else { "\u{2717} Not met" }}</span>
                                " "{item.text}<span class="hint">" (from the project data)"</span>
                            </li>
                        }.into_any(),
                        None => view! {
                            <li class:met=done>
                                <label>
                                    <input type="checkbox" prop:checked=done
                                        on:change=move |ev| tick(item.id, event_target_checked(&ev))/>
                                    " "{item.text}
                                </label>
                            </li>
                        }.into_any(),
                    }
                }).map(|v| v.into_any()).collect_view()}
            </ul>
            <PlannedDate project/>
            <DecisionForm project/>
            <OverrideForm project/>
        </section>
    }
}

#[component]
fn PlannedDate(project: Memo<Project>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let initial = project.with_untracked(|p| {
        next_gate(p)
            .and_then(|g| p.gate_dates.get(g.id))
            .map(|d| d.to_string())
            .unwrap_or_default()
    });
    let value = RwSignal::new(initial);
    let error = RwSignal::new(None::<String>);
    let label = move || {
        project.with(|p| {
            next_gate(p)
                .map(|g| format!("Planned date for {}", g.name))
                .unwrap_or_default()
        })
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let p = project.get_untracked();
        let Some(gate) = next_gate(&p) else { return };
        let text = value.get_untracked();
        let date = if text.trim().is_empty() {
            None
        } else {
            match Date::parse(&text) {
                Some(d) => Some(d),
                None => return error.set(Some("Enter the date as YYYY-MM-DD.".into())),
            }
        };
        error.set(None);
        state.dispatch(lifecycle::plan_gate(&p, gate, date));
    };
    view! {
        <form class="inline-form" on:submit=save novalidate>
            <label for="gate-date">{label}</label>
            <input id="gate-date" type="date"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))/>
            <button type="submit" class="secondary">"Save gate date"</button>
            <Show when=move || error.get().is_some()>
                <p class="field-error" role="alert">{move || error.get()}</p>
            </Show>
        </form>
    }
}

#[component]
fn DecisionForm(project: Memo<Project>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let decision = RwSignal::new(GateDecision::Go);
    let deciders = RwSignal::new(state.user_name.get_untracked());
    let date = RwSignal::new(today().to_string());
    let conditions = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let open_items = move || {
        state.portfolio.with(|pf| {
            project.with(|p| {
                next_gate(p)
                    .map(|g| checklist(pf, p, g).iter().filter(|i| !i.done).count())
                    .unwrap_or(0)
            })
        })
    };
    let record = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(day) = Date::parse(&date.get_untracked()) else {
            return error.set(Some("Enter the decision date as YYYY-MM-DD.".into()));
        };
        let version = state
            .current_version()
            .map(|v| v.to_strings())
            .unwrap_or_default();
        let input = DecisionInput {
            decision: decision.get_untracked(),
            deciders: parse_names(&deciders.get_untracked()),
            date: day,
            conditions: conditions.get_untracked(),
            version,
            recorded_by: state.user_name.get_untracked(),
            recorded_at: (js_sys::Date::now() / 1000.0) as i64,
        };
        let id = project.with_untracked(|p| p.id.clone());
        let cmd = state
            .portfolio
            .with_untracked(|p| lifecycle::record_decision(p, &id, input));
        match cmd {
            Ok(cmd) => {
                let summary = cmd.summary.clone();
                if state.dispatch(cmd) {
                    error.set(None);
                    conditions.set(String::new());
                    state.notify(NoticeKind::Info, format!("Recorded: {summary}."));
                }
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    view! {
        <form class="decision" on:submit=record novalidate aria-labelledby="decision-title">
            <h3 id="decision-title">"Record the gate decision"</h3>
            <div class="form-grid">
                <div class="field">
                    <label for="gate-decision">"Decision"</label>
                    <select id="gate-decision" on:change=move |ev| {
                        if let Some(d) = GateDecision::from_key(&event_target_value(&ev)) {
                            decision.set(d);
                        }
                    }>
                        {GateDecision::ALL.iter().map(|d| {
                            let d = *d;
                            view! { <option value=d.key() prop:selected=move || decision.get() == d>{d.label()}</option> }
                        }).map(|v| v.into_any()).collect_view()}
                    </select>
                    <p class="hint">{move || decision.get().meaning()}</p>
                </div>
                <div class="field">
                    <label for="gate-deciders">"Decided by"</label>
                    <input id="gate-deciders" type="text"
                        prop:value=move || deciders.get()
                        on:input=move |ev| deciders.set(event_target_value(&ev))/>
                    <p class="hint">"Names separated by commas."</p>
                </div>
                <div class="field">
                    <label for="gate-decision-date">"Decision date"</label>
                    <input id="gate-decision-date" type="date"
                        prop:value=move || date.get()
                        on:input=move |ev| date.set(event_target_value(&ev))/>
                </div>
            </div>
            <div class="field">
                <label for="gate-conditions">"Conditions"</label>
                <textarea id="gate-conditions"
                    prop:value=move || conditions.get()
                    on:input=move |ev| conditions.set(event_target_value(&ev))></textarea>
            </div>
            <Show when=move || { open_items() > 0 }>
                <p class="notice notice-warning">
                    {move || format!("{} checklist item(s) are not met. You can still record the decision; the open items are kept with it.", open_items())}
                </p>
            </Show>
            <Show when=move || error.get().is_some()>
                <p class="field-error" role="alert">{move || error.get()}</p>
            </Show>
            <button type="submit">"Record decision"</button>
            <p class="hint">"The decision is stored with the current version of the portfolio, so what changed after it can be shown later."</p>
        </form>
    }
}

#[component]
fn OverrideForm(project: Memo<Project>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let version = state
            .current_version()
            .map(|v| v.to_strings())
            .unwrap_or_default();
        let id = project.with_untracked(|p| p.id.clone());
        let cmd = state.portfolio.with_untracked(|p| {
            lifecycle::override_gate(
                p,
                &id,
                &reason.get_untracked(),
                &state.user_name.get_untracked(),
                today(),
                version,
                (js_sys::Date::now() / 1000.0) as i64,
            )
        });
        match cmd {
            Ok(cmd) => {
                if state.dispatch(cmd) {
                    reason.set(String::new());
                    error.set(None);
                }
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    view! {
        <details class="override">
            <summary>"Move on without a go (override)"</summary>
            <form on:submit=submit novalidate>
                <p class="hint">"A project moves to its next stage only on a recorded go. If it must move anyway, give the reason: it is kept and shown in the gate history."</p>
                <div class="field">
                    <label for="override-reason">"Reason for the override"</label>
                    <textarea id="override-reason"
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                </div>
                <Show when=move || error.get().is_some()>
                    <p class="field-error" role="alert">{move || error.get()}</p>
                </Show>
                <button type="submit" class="danger">"Override the gate"</button>
            </form>
        </details>
    }
}

/// One entry of the gate history: a decision or an override.
#[derive(Clone, Debug, PartialEq)]
struct HistoryRow {
    key: String,
    date: String,
    gate: String,
    decision: String,
    by: String,
    note: String,
    version: Vec<String>,
    sort: (Option<Date>, i64),
}

#[component]
fn GateHistory(project: Memo<Project>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let rows = move || {
        let id = project.with(|p| p.id.clone());
        state.portfolio.with(|p| {
            let mut rows: Vec<HistoryRow> = reviews_for(p, &id)
                .into_iter()
                .map(|r| {
                    let mut note = r.conditions.clone();
                    if !r.open_items.is_empty() {
                        if !note.is_empty() {
                            note.push_str(" \u{b7} ");
                        }
                        note.push_str(&format!("Open items then: {}", r.open_items.join("; ")));
                    }
                    HistoryRow {
                        key: r.id.clone(),
                        date: r.date.map(|d| d.to_string()).unwrap_or_default(),
                        gate: r.gate_name.clone(),
                        decision: r.decision.label().into(),
                        by: r.deciders.join(", "),
                        note,
                        version: r.version.clone(),
                        sort: (r.date, r.recorded_at),
                    }
                })
                .collect();
            rows.extend(overrides_for(p, &id).into_iter().map(|o| HistoryRow {
                key: o.id.clone(),
                date: o.date.map(|d| d.to_string()).unwrap_or_default(),
                gate: o.gate_name.clone(),
                decision: "Override (no go)".into(),
                by: o.by.clone(),
                note: format!("Reason: {}", o.reason),
                version: o.version.clone(),
                sort: (o.date, o.recorded_at),
            }));
            rows.sort_by_key(|r| r.sort);
            rows
        })
    };
    view! {
        <Show when=move || !rows().is_empty() fallback=|| view! { <p class="empty">"No gate decisions recorded yet."</p> }.into_any()>
            <div class="table-wrap">
                <table aria-label="Gate decisions">
                    <thead><tr>
                        <th scope="col">"Date"</th><th scope="col">"Gate"</th><th scope="col">"Decision"</th>
                        <th scope="col">"By"</th><th scope="col">"Conditions and notes"</th>
                        <th scope="col">"Decided on version"</th>
                    </tr></thead>
                    <tbody>
                        <For each=rows key=|r| r.key.clone() let:row>
                            <tr>
                                <td>{row.date.clone()}</td>
                                <td>{row.gate.clone()}</td>
                                <td><strong>{row.decision.clone()}</strong></td>
                                <td>{row.by.clone()}</td>
                                <td class="pre-line">{row.note.clone()}</td>
                                <td><SinceVersion project row=row.clone()/></td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
        </Show>
    }
}

/// "Approved version X" with, on request, what changed since: the
/// project's fields then and now, and the changes made after it.
#[component]
fn SinceVersion(project: Memo<Project>, row: HistoryRow) -> impl IntoView {
    let state = expect_context::<AppState>();
    let short = row
        .version
        .iter()
        .map(|h| h.chars().take(8).collect::<String>())
        .collect::<Vec<_>>()
        .join("+");
    let open = RwSignal::new(false);
    let version = StoredValue::new(row.version.clone());
    let label = format!(
        "What changed since the {} decision of {}",
        row.gate, row.date
    );
    let details = move || {
        if !open.get() {
            return ().into_any();
        }
        // Re-read when the portfolio changes while open.
        state.portfolio.track();
        let project_now = project.get();
        let currency = state.portfolio.with(|p| p.settings.currency.clone());
        let Ok(parsed) = Version::parse(&version.get_value()) else {
            return view! { <p class="hint">"This decision carries no readable version."</p> }
                .into_any();
        };
        let found = state.with_doc(|doc| {
            let then = doc.snapshot_at(&parsed);
            let history = doc.history();
            let hashes = version.get_value();
            let last = history.iter().rposition(|h| hashes.contains(&h.hash));
            let after: Vec<_> = match last {
                Some(i) => history[i + 1..].to_vec(),
                None => Vec::new(),
            };
            (
                then.projects.get(&project_now.id).cloned(),
                after,
                last.is_some(),
            )
        });
        let Some((then, after, known)) = found else {
            return ().into_any();
        };
        if !known {
            return view! { <p class="hint">"That version is not in this copy of the portfolio yet (import the file it came from)."</p> }.into_any();
        }
        let fields = then
            .map(|t| project_changes(&t, &project_now, &currency))
            .unwrap_or_default();
        let names = state.portfolio.with(|p| {
            after
                .iter()
                .rev()
                .take(20)
                .map(|h| format!("{} ({})", h.summary, p.person(&h.actor)))
                .collect::<Vec<_>>()
        });
        view! {
            <div class="since">
                {if fields.is_empty() {
                    view! { <p>"This project has not changed since."</p> }.into_any()
                } else {
                    let rows: Vec<Vec<Cell>> = fields
                        .into_iter()
                        .map(|f| vec![Cell::text(f.field), Cell::text(f.before), Cell::text(f.after)])
                        .collect();
                    view! {
                        <DataTable label="Project changes since this decision".to_string()
                            columns=vec![Column::text("Field"), Column::text("Then"), Column::text("Now")]
                            rows=rows/>
                    }.into_any()
                }}
                <p>{format!("{} change(s) to the portfolio since this version.", after.len())}</p>
                {(!names.is_empty()).then(|| view! {
                    <ul class="since-list" aria-label="Latest changes since this decision">
                        {names.into_iter().map(|n| view! { <li>{n}</li> }).map(|v| v.into_any()).collect_view()}
                    </ul>
                }.into_any())}
            </div>
        }
        .into_any()
    };
    view! {
        <code title=row.version.join(", ")>{if short.is_empty() { "\u{2014}".to_string() } else { short }}</code>
        " "
        <button type="button" class="secondary small" aria-expanded=move || open.get().to_string()
            aria-label=label on:click=move |_| open.update(|o| *o = !*o)>
            {move || if open.get() { "Hide changes" } else { "Changes since" }}
        </button>
        {details}
    }
}
