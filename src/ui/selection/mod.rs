//! The selection page: limits and forced choices in, the best set of
//! proposals out (with why each other one was left out), the efficient
//! frontier, and saved scenarios compared side by side.

mod chart;
mod scenarios;

use super::intake::table::{Cell, Column, DataTable};
use super::intake::util::{money, number_text, parse_optional_positive, points, today};
use super::routes::Route;
use super::state::AppState;
use crate::domain::intake::parse_amount;
use crate::domain::scenario::{candidates, roles, Scenario};
use crate::domain::selection::{
    frontier_within, optimise_within, Candidate, Constraints, LeftOut, LeftOutReason, Resource,
    Selection, SelectionError,
};
use crate::domain::{new_id, Command, Entity, Portfolio};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Search steps before the page stops proving optimality (a realistic
/// portfolio needs a few thousand; see `benches/results/selection.md`).
const NODE_LIMIT: u64 = 3_000_000;
/// Per budget level of the frontier chart.
const FRONTIER_NODE_LIMIT: u64 = 300_000;
const FRONTIER_LEVELS: usize = 12;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Choice {
    Open,
    In,
    Out,
}

/// The result the page shows: for the limits applied and the portfolio
/// as it is now (scores or costs changing re-run it).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Outcome {
    pub limits: Constraints,
    pub candidates: Vec<Candidate>,
    pub result: Result<Selection, SelectionError>,
}

pub(crate) fn run(portfolio: &Portfolio, limits: &Constraints) -> Outcome {
    let candidates = candidates(portfolio);
    // Choices for proposals that are gone (approved, deleted) are dropped.
    let known = |id: &String| candidates.iter().any(|c| &c.id == id);
    let limits = Constraints {
        forced_in: limits
            .forced_in
            .iter()
            .filter(|id| known(id))
            .cloned()
            .collect(),
        forced_out: limits
            .forced_out
            .iter()
            .filter(|id| known(id))
            .cloned()
            .collect(),
        ..limits.clone()
    };
    let result = optimise_within(&candidates, &limits, NODE_LIMIT);
    Outcome {
        limits,
        candidates,
        result,
    }
}

pub(crate) fn resource_name(portfolio: &Portfolio, resource: &Resource) -> String {
    match resource {
        Resource::Budget => "budget".into(),
        Resource::Role(r) => format!("{r} capacity"),
        Resource::Program(p) => format!(
            "cap of program {}",
            portfolio
                .programs
                .get(p)
                .map(|p| p.name.as_str())
                .unwrap_or(p)
        ),
    }
}

fn amount(portfolio: &Portfolio, resource: &Resource, x: f64) -> String {
    match resource {
        Resource::Role(_) => format!("{} person-days", number_text((x * 10.0).round() / 10.0)),
        _ => money(portfolio, x),
    }
}

pub(crate) fn why(portfolio: &Portfolio, left: &LeftOut) -> String {
    let mut text = match &left.reason {
        LeftOutReason::ForcedOut => "Forced out".to_string(),
        LeftOutReason::NoScore => "Has no score yet, so it cannot raise the total".to_string(),
        LeftOutReason::ExceedsLimit {
            resource,
            needs,
            available,
        } => format!(
            "Needs {} but the whole {} is {}",
            amount(portfolio, resource, *needs),
            resource_name(portfolio, resource),
            amount(portfolio, resource, *available)
        ),
        LeftOutReason::DoesNotFitRemaining {
            resource,
            needs,
            remaining,
        } => format!(
            "Does not fit the remaining {} ({} left, needs {}); making room for it would lower the total score",
            resource_name(portfolio, resource),
            amount(portfolio, resource, *remaining),
            amount(portfolio, resource, *needs)
        ),
    };
    if left.lower_value_per_cost {
        text.push_str("; lower value per cost than every chosen proposal");
    }
    text
}

pub(crate) fn error_text(e: &SelectionError) -> String {
    let mut s = e.to_string();
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s + "."
}

#[component]
pub fn SelectionPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let budget = RwSignal::new(String::new());
    let role_caps = RwSignal::new(BTreeMap::<String, String>::new());
    let program_caps = RwSignal::new(BTreeMap::<String, String>::new());
    let choices = RwSignal::new(BTreeMap::<String, Choice>::new());
    let applied = RwSignal::new(None::<Constraints>);
    let error = RwSignal::new(None::<String>);

    let cands = Memo::new(move |_| state.portfolio.with(|p| candidates(p)));
    let outcome = Memo::new(move |_| {
        let limits = applied.get()?;
        Some(state.portfolio.with(|p| run(p, &limits)))
    });

    let find = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let b = match parse_amount(&budget.get_untracked()) {
            Ok(b) if b >= 0.0 => b,
            Ok(_) => return error.set(Some("The budget cannot be negative.".into())),
            Err(_) if budget.get_untracked().trim().is_empty() => {
                return error.set(Some("Enter a budget.".into()))
            }
            Err(e) => return error.set(Some(format!("Budget: {e}"))),
        };
        let mut limits = Constraints {
            budget: b,
            ..Constraints::default()
        };
        for (role, text) in role_caps.get_untracked() {
            match parse_optional_positive(&text, &format!("{role} capacity")) {
                Ok(Some(v)) => {
                    limits.role_capacity.insert(role, v);
                }
                Ok(None) => {}
                Err(e) => return error.set(Some(e)),
            }
        }
        for (program, text) in program_caps.get_untracked() {
            let name = state.portfolio.with_untracked(|p| {
                p.programs
                    .get(&program)
                    .map(|p| p.name.clone())
                    .unwrap_or_default()
            });
            match parse_optional_positive(&text, &format!("Cap for {name}")) {
                Ok(Some(v)) => {
                    limits.program_cap.insert(program, v);
                }
                Ok(None) => {}
                Err(e) => return error.set(Some(e)),
            }
        }
        for (id, choice) in choices.get_untracked() {
            match choice {
                Choice::In => {
                    limits.forced_in.insert(id);
                }
                Choice::Out => {
                    limits.forced_out.insert(id);
                }
                Choice::Open => {}
            }
        }
        error.set(None);
        applied.set(Some(limits));
    };

    let load = Callback::new(move |scenario: Scenario| {
        budget.set(number_text(scenario.budget));
        role_caps.set(
            scenario
                .role_capacity
                .iter()
                .map(|(r, v)| (r.clone(), number_text(*v)))
                .collect(),
        );
        program_caps.set(
            scenario
                .program_cap
                .iter()
                .map(|(p, v)| (p.clone(), number_text(*v)))
                .collect(),
        );
        let limits = scenario.constraints();
        choices.set(
            limits
                .forced_in
                .iter()
                .map(|id| (id.clone(), Choice::In))
                .chain(limits.forced_out.iter().map(|id| (id.clone(), Choice::Out)))
                .collect(),
        );
        error.set(None);
        applied.set(Some(limits));
    });

    let program_rows = move || {
        state.portfolio.with(|p| {
            let mut ids: Vec<String> = cands
                .get()
                .iter()
                .filter_map(|c| c.program.clone())
                .filter(|id| p.programs.contains_key(id))
                .collect();
            ids.sort();
            ids.dedup();
            ids.into_iter()
                .map(|id| {
                    let name = p.programs[&id].name.clone();
                    (id, name)
                })
                .collect::<Vec<_>>()
        })
    };

    view! {
        <section aria-labelledby="selection-title" class="selection">
            <h1 id="selection-title">"Selection"</h1>
            <p class="hint">
                "Finds the set of proposals with the highest total weighted score that fits the budget (and any capacity or program limits), with the proposals you force in or out. It is an exact optimum, not a cut-off of the ranking. Proposals are the projects in status proposed; their cost is the business case estimate."
            </p>
            <Show
                when=move || !cands.get().is_empty()
                fallback=|| view! { <p class="empty">"There are no proposals to choose from. Add some on the "<a href=Route::Intake.href()>"intake page"</a>"."</p> }.into_any()
            >
                <form class="panel" on:submit=find novalidate aria-labelledby="limits-title">
                    <h2 id="limits-title">"Limits"</h2>
                    <div class="form-grid">
                        <div class="field">
                            <label for="selection-budget">"Budget"</label>
                            <input id="selection-budget" type="text" inputmode="decimal"
                                prop:value=move || budget.get()
                                on:input=move |ev| budget.set(event_target_value(&ev))/>
                            <p class="hint">{move || state.portfolio.with(|p| {
                                let total: f64 = cands.get().iter().map(|c| c.cost).sum();
                                format!("All proposals together cost {}.", money(p, total))
                            })}</p>
                        </div>
                        {move || roles(&cands.get()).into_iter().map(|role| {
                            let label = format!("{role} capacity (person-days)");
                            let key = role.clone();
                            let value = move || role_caps.with(|m| m.get(&key).cloned().unwrap_or_default());
                            let key = role.clone();
                            view! {
                                <div class="field">
                                    <label>
                                        {label}
                                        <input type="text" inputmode="decimal" placeholder="no limit"
                                            prop:value=value
                                            on:input=move |ev| {
                                                let v = event_target_value(&ev);
                                                role_caps.update(|m| { m.insert(key.clone(), v); });
                                            }/>
                                    </label>
                                </div>
                            }
                        }).map(|v| v.into_any()).collect_view()}
                        {move || program_rows().into_iter().map(|(id, name)| {
                            let label = format!("Cap for {name}");
                            let key = id.clone();
                            let value = move || program_caps.with(|m| m.get(&key).cloned().unwrap_or_default());
                            view! {
                                <div class="field">
                                    <label>
                                        {label}
                                        <input type="text" inputmode="decimal" placeholder="no cap"
                                            prop:value=value
                                            on:input=move |ev| {
                                                let v = event_target_value(&ev);
                                                program_caps.update(|m| { m.insert(id.clone(), v); });
                                            }/>
                                    </label>
                                </div>
                            }
                        }).map(|v| v.into_any()).collect_view()}
                    </div>
                    <CandidateTable cands choices/>
                    <Show when=move || error.get().is_some()>
                        <p class="field-error" role="alert">{move || error.get()}</p>
                    </Show>
                    <button type="submit">"Find the best selection"</button>
                </form>
                {move || outcome.get().map(|o| view! { <OutcomeView outcome=o/> })}
            </Show>
            <scenarios::Scenarios load outcome=Signal::derive(move || outcome.get())/>
        </section>
    }
}

#[component]
fn CandidateTable(
    cands: Memo<Vec<Candidate>>,
    choices: RwSignal<BTreeMap<String, Choice>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <div class="table-wrap">
            <table aria-label="Candidates">
                <thead><tr>
                    <th scope="col">"Proposal"</th><th scope="col" class="num">"Score"</th>
                    <th scope="col" class="num">"Cost"</th><th scope="col">"Choice"</th>
                </tr></thead>
                <tbody>
                    {move || cands.get().into_iter().map(|c| {
                        let label = format!("Choice for {}", c.name);
                        let id = c.id.clone();
                        let current = move || choices.with(|m| m.get(&id).copied().unwrap_or(Choice::Open));
                        let id = c.id.clone();
                        let cost = state.portfolio.with(|p| money(p, c.cost));
                        view! {
                            <tr>
                                <th scope="row"><a href=Route::Proposal(c.id.clone()).href()>{c.name.clone()}</a></th>
                                <td class="num">{points(c.value)}</td>
                                <td class="num">{cost}</td>
                                <td>
                                    <select aria-label=label on:change=move |ev| {
                                        let choice = match event_target_value(&ev).as_str() {
                                            "in" => Choice::In,
                                            "out" => Choice::Out,
                                            _ => Choice::Open,
                                        };
                                        choices.update(|m| { m.insert(id.clone(), choice); });
                                    }>
                                        {[(Choice::Open, "open", "Optimiser decides"), (Choice::In, "in", "Force in"), (Choice::Out, "out", "Force out")]
                                            .into_iter()
                                            .map(|(choice, value, text)| {
                                                let current = current.clone();
                                                view! { <option value=value prop:selected=move || current() == choice>{text}</option> }
                                            })
                                            .map(|v| v.into_any()).collect_view()}
                                    </select>
                                </td>
                            </tr>
                        }
                    }).map(|v| v.into_any()).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn OutcomeView(outcome: Outcome) -> impl IntoView {
    let state = expect_context::<AppState>();
    let selection = match &outcome.result {
        Ok(s) => s.clone(),
        Err(e) => {
            return view! {
                <section class="panel" aria-labelledby="result-title">
                    <h2 id="result-title">"Best selection"</h2>
                    <p class="field-error" role="alert">{error_text(e)}</p>
                </section>
            }
            .into_any()
        }
    };
    let by_id: BTreeMap<String, Candidate> = outcome
        .candidates
        .iter()
        .map(|c| (c.id.clone(), c.clone()))
        .collect();
    let (summary, chosen_rows, left_rows) = state.portfolio.with(|p| {
        let summary = format!(
            "{} of {} proposals chosen: total score {}, cost {} of the {} budget ({} left).",
            selection.chosen.len(),
            outcome.candidates.len(),
            points(selection.total_value),
            money(p, selection.total_cost),
            money(p, outcome.limits.budget),
            money(p, selection.remaining_budget)
        );
        let chosen: Vec<Vec<Cell>> = selection
            .chosen
            .iter()
            .filter_map(|id| by_id.get(id))
            .map(|c| {
                let note = if outcome.limits.forced_in.contains(&c.id) {
                    "Forced in"
                } else {
                    ""
                };
                vec![
                    Cell::link(Route::Proposal(c.id.clone()).href(), c.name.clone()),
                    Cell::num(points(c.value)),
                    Cell::num(money(p, c.cost)),
                    Cell::text(note),
                ]
            })
            .collect();
        let left: Vec<Vec<Cell>> = selection
            .left_out
            .iter()
            .filter_map(|l| {
                let c = by_id.get(&l.id)?;
                Some(vec![
                    Cell::link(Route::Proposal(c.id.clone()).href(), c.name.clone()),
                    Cell::num(points(c.value)),
                    Cell::num(money(p, c.cost)),
                    Cell::text(why(p, l)),
                ])
            })
            .collect();
        (summary, chosen, left)
    });
    let unproven = !selection.proven_optimal;
    view! {
        <section class="panel result" aria-labelledby="result-title">
            <h2 id="result-title">"Best selection"</h2>
            <p role="status">{summary}</p>
            {unproven.then(|| view! {
                <p class="notice notice-warning" role="alert">
                    "The search stopped before proving this is the best set (the limits leave very many near-equal combinations). It is the best found and fits every limit. Force proposals in or out to narrow the choice."
                </p>
            }.into_any())}
            <DataTable label="Chosen proposals".to_string()
                columns=vec![Column::text("Proposal"), Column::num("Score"), Column::num("Cost"), Column::text("Note")]
                rows=chosen_rows/>
            <h3>"Left out"</h3>
            {if left_rows.is_empty() {
                view! { <p class="empty">"Nothing was left out: every proposal fits."</p> }.into_any()
            } else {
                view! {
                    <DataTable label="Left out".to_string()
                        columns=vec![Column::text("Proposal"), Column::num("Score"), Column::num("Cost"), Column::text("Why")]
                        rows=left_rows/>
                }.into_any()
            }}
            <Frontier outcome=outcome.clone()/>
            <SaveScenario outcome/>
        </section>
    }
    .into_any()
}

#[component]
fn Frontier(outcome: Outcome) -> impl IntoView {
    let state = expect_context::<AppState>();
    let points = frontier_within(
        &outcome.candidates,
        &outcome.limits,
        FRONTIER_LEVELS,
        &[outcome.limits.budget],
        FRONTIER_NODE_LIMIT,
    );
    let Ok(points) = points else {
        return ().into_any();
    };
    let currency = state.portfolio.with(|p| p.settings.currency.clone());
    view! {
        <h3 id="frontier-title">"Efficient frontier"</h3>
        <p class="hint">"The best total score for each budget level, with the other limits and forced choices as set. The ringed point is the budget above; a flat stretch means more money buys nothing better."</p>
        <chart::FrontierChart points=points.clone() current=outcome.limits.budget currency/>
    }
    .into_any()
}

#[component]
fn SaveScenario(outcome: Outcome) -> impl IntoView {
    let state = expect_context::<AppState>();
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let outcome = StoredValue::new(outcome);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let o = outcome.get_value();
        let Ok(selection) = &o.result else {
            return;
        };
        let mut scenario = Scenario::from_constraints(&o.limits);
        scenario.id = new_id();
        scenario.name = name.get_untracked().trim().to_string();
        scenario.created_by = state.user_name.get_untracked();
        scenario.created_on = Some(today());
        scenario.record(selection);
        if let Err(e) = scenario.validate() {
            return error.set(Some(e));
        }
        if state.dispatch(Command::new(
            format!("Save selection scenario {}", scenario.name),
            vec![scenario.create_op()],
        )) {
            name.set(String::new());
            error.set(None);
        }
    };
    view! {
        <form class="inline-form" on:submit=save novalidate aria-label="Save as a scenario">
            <label for="scenario-name">"Scenario name"</label>
            <input id="scenario-name" type="text"
                prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev))/>
            <button type="submit">"Save scenario"</button>
            <Show when=move || error.get().is_some()>
                <p class="field-error" role="alert">{move || error.get()}</p>
            </Show>
        </form>
    }
}
