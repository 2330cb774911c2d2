//! Saved selection scenarios: list, load, delete, and compare side by side
//! (as saved, and re-run on today's scores and costs).

use super::super::intake::table::{Cell, Column, DataTable};
use super::super::intake::util::{money, number_text, points};
use super::super::state::AppState;
use super::{error_text, run, Outcome};
use crate::domain::scenario::{scenarios_by_name, Scenario};
use crate::domain::{Command, Entity, Portfolio};
use crate::ui::exchange::ConflictBadge;
use leptos::prelude::*;
use std::collections::BTreeSet;

fn project_name(p: &Portfolio, id: &str) -> String {
    p.projects
        .get(id)
        .map(|pr| pr.name.clone())
        .unwrap_or_else(|| "(deleted proposal)".into())
}

fn names(p: &Portfolio, ids: &std::collections::BTreeMap<String, bool>) -> String {
    let list: Vec<String> = ids
        .iter()
        .filter(|(_, on)| **on)
        .map(|(id, _)| project_name(p, id))
        .collect();
    if list.is_empty() {
        "\u{2014}".into()
    } else {
        list.join(", ")
    }
}

fn other_limits(p: &Portfolio, s: &Scenario) -> String {
    let mut parts: Vec<String> = s
        .role_capacity
        .iter()
        .map(|(r, v)| format!("{r} {} person-days", number_text(*v)))
        .collect();
    parts.extend(s.program_cap.iter().map(|(id, v)| {
        let name = p
            .programs
            .get(id)
            .map(|pr| pr.name.as_str())
            .unwrap_or("(deleted program)");
        format!("{name} at most {}", money(p, *v))
    }));
    if parts.is_empty() {
        "\u{2014}".into()
    } else {
        parts.join("; ")
    }
}

#[component]
pub fn Scenarios(load: Callback<Scenario>, outcome: Signal<Option<Outcome>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let _ = outcome;
    let compare = RwSignal::new(BTreeSet::<String>::new());
    let confirm = RwSignal::new(None::<String>);
    let list = move || {
        state.portfolio.with(|p| {
            scenarios_by_name(p)
                .into_iter()
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let delete = move |s: Scenario| {
        if state.dispatch(Command::new(
            format!("Delete selection scenario {}", s.name),
            vec![s.delete_op()],
        )) {
            compare.update(|c| {
                c.remove(&s.id);
            });
            confirm.set(None);
        }
    };
    view! {
        <section aria-labelledby="scenarios-title" class="scenarios">
            <h2 id="scenarios-title">"Saved scenarios"</h2>
            <Show
                when=move || !list().is_empty()
                fallback=|| view! { <p class="empty">"No scenarios saved yet. Run a selection and save it under a name to compare it with others."</p> }.into_any()
            >
                <div class="table-wrap">
                    <table aria-label="Saved scenarios">
                        <thead><tr>
                            <th scope="col">"Scenario"</th><th scope="col" class="num">"Budget"</th>
                            <th scope="col" class="num">"Chosen"</th><th scope="col" class="num">"Total score"</th>
                            <th scope="col" class="num">"Total cost"</th><th scope="col">"Saved"</th>
                            <th scope="col">"Actions"</th>
                        </tr></thead>
                        <tbody>
                            {move || list().into_iter().map(|s| {
                                let (budget, cost) = state.portfolio.with(|p| (money(p, s.budget), money(p, s.result.total_cost)));
                                let saved = format!("{} {}", s.created_by, s.created_on.map(|d| d.to_string()).unwrap_or_default());
                                let id = s.id.clone();
                                let checked = {
                                    let id = id.clone();
                                    move || compare.with(|c| c.contains(&id))
                                };
                                let (for_load, for_delete) = (s.clone(), s.clone());
                                let confirming = {
                                    let id = id.clone();
                                    move || confirm.get().as_deref() == Some(id.as_str())
                                };
                                let name = s.name.clone();
                                view! {
                                    <tr>
                                        <th scope="row">{s.name.clone()}" "<ConflictBadge collection="scenarios" id=id.clone()/></th>
                                        <td class="num">{budget}</td>
                                        <td class="num">{s.result.chosen.len()}</td>
                                        <td class="num">{points(s.result.total_score)}</td>
                                        <td class="num">{cost}</td>
                                        <td>{saved}</td>
                                        <td class="row-actions">
                                            <label class="checkbox">
                                                <input type="checkbox" prop:checked=checked
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        compare.update(|c| {
                                                            if on { c.insert(id.clone()); } else { c.remove(&id); }
                                                        });
                                                    }/>
                                                {format!(" Compare {}", s.name)}
                                            </label>
                                            <button type="button" class="secondary small"
                                                aria-label=format!("Load {}", s.name)
                                                on:click=move |_| load.run(for_load.clone())>"Load"</button>
                                            <Show
                                                when=confirming
                                                fallback={
                                                    let (id, name) = (s.id.clone(), name.clone());
                                                    move || {
                                                        let id = id.clone();
                                                        view! {
                                                            <button type="button" class="secondary small"
                                                                aria-label=format!("Delete {name}")
                                                                on:click=move |_| confirm.set(Some(id.clone()))>"Delete"</button>
                                                        }
                                                    }
                                                }
                                            >
                                                {
                                                    let s = for_delete.clone();
                                                    view! {
                                                        <button type="button" class="danger small" on:click=move |_| delete(s.clone())>"Confirm delete"</button>
                                                        <button type="button" class="secondary small" on:click=move |_| confirm.set(None)>"Cancel"</button>
                                                    }
                                                }
                                            </Show>
                                        </td>
                                    </tr>
                                }
                            }).map(|v| v.into_any()).collect_view()}
                        </tbody>
                    </table>
                </div>
                <Comparison compare/>
            </Show>
        </section>
    }
}

#[component]
fn Comparison(compare: RwSignal<BTreeSet<String>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let chosen = move || {
        state.portfolio.with(|p| {
            scenarios_by_name(p)
                .into_iter()
                .filter(|s| compare.with(|c| c.contains(&s.id)))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    move || {
        let scenarios = chosen();
        if scenarios.is_empty() {
            return view! { <p class="hint">"Tick \u{201c}Compare\u{201d} on two or more scenarios to see them side by side."</p> }.into_any();
        }
        state.portfolio.with(|p| {
            let rerun: Vec<Outcome> = scenarios.iter().map(|s| run(p, &s.constraints())).collect();
            // Every proposal chosen in any compared scenario, then or now.
            let mut ids: Vec<String> = scenarios
                .iter()
                .flat_map(|s| s.result.chosen.iter().cloned())
                .chain(
                    rerun
                        .iter()
                        .filter_map(|o| o.result.as_ref().ok())
                        .flat_map(|r| r.chosen.iter().cloned()),
                )
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            ids.sort_by_key(|id| project_name(p, id).to_lowercase());
            let row = |label: &str, cells: Vec<String>| {
                let mut row = vec![Cell::text(label)];
                row.extend(cells.into_iter().map(Cell::Text));
                row
            };
            let now = rerun
                .iter()
                .map(|o| match &o.result {
                    Ok(r) => format!("{} for {}", points(r.total_value), money(p, r.total_cost)),
                    Err(e) => error_text(e),
                })
                .collect();
            let mut rows = vec![
                row(
                    "Budget",
                    scenarios.iter().map(|s| money(p, s.budget)).collect(),
                ),
                row(
                    "Other limits",
                    scenarios.iter().map(|s| other_limits(p, s)).collect(),
                ),
                row(
                    "Forced in",
                    scenarios.iter().map(|s| names(p, &s.forced_in)).collect(),
                ),
                row(
                    "Forced out",
                    scenarios.iter().map(|s| names(p, &s.forced_out)).collect(),
                ),
                row(
                    "Proposals chosen",
                    scenarios
                        .iter()
                        .map(|s| s.result.chosen.len().to_string())
                        .collect(),
                ),
                row(
                    "Total score (when saved)",
                    scenarios
                        .iter()
                        .map(|s| points(s.result.total_score))
                        .collect(),
                ),
                row(
                    "Total cost (when saved)",
                    scenarios
                        .iter()
                        .map(|s| money(p, s.result.total_cost))
                        .collect(),
                ),
                row("Best now (today's scores and costs)", now),
            ];
            rows.extend(ids.iter().map(|id| {
                let cells = scenarios
                    .iter()
                    .map(|s| {
                        if s.result.chosen.contains(id) {
                            "Chosen".to_string()
                        } else {
                            "\u{2014}".to_string()
                        }
                    })
                    .collect();
                row(&project_name(p, id), cells)
            }));
            let mut columns = vec![Column::text("Scenario")];
            columns.extend(scenarios.iter().map(|s| Column::text(s.name.clone())));
            view! {
                <DataTable label="Scenario comparison".to_string() columns=columns rows=rows/>
            }
            .into_any()
        })
    }
}
