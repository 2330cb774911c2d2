//! The intake page: enter proposals, score them, see the ranking. A
//! proposal's business case has its own page (`#/proposal/<id>`).

mod proposal;
pub mod table;
pub mod util;

pub use proposal::ProposalPage;

use super::notices::NoticeKind;
use super::routes::Route;
use super::scoring::{RankingTable, ScoringMatrix};
use super::state::AppState;
use crate::domain::intake::proposals;
use crate::domain::scoring::ensure_default_criteria;
use crate::domain::{new_id, Command, Entity, Project, ProjectStatus};
use leptos::prelude::*;
use util::{parse_optional_positive, today};

#[component]
pub fn IntakePage() -> impl IntoView {
    let state = expect_context::<AppState>();
    // Portfolios made before scoring existed get the default criteria the
    // first time someone opens intake (deterministic ids: no duplicates
    // even if two people do this offline).
    Effect::new(move |_| {
        if let Some(cmd) = state.portfolio.with(|p| ensure_default_criteria(p)) {
            state.dispatch(cmd);
        }
    });
    let has_proposals = move || state.portfolio.with(|p| !proposals(p).is_empty());
    view! {
        <section aria-labelledby="intake-title" class="intake">
            <h1 id="intake-title">"Intake"</h1>
            <p class="hint">
                "Proposals are projects in status proposed. Enter one below, complete its business case, score it, then take it to "
                <a href=Route::Selection.href()>"selection"</a>" and its "<a href=Route::Governance.href()>"investment gate"</a>"."
            </p>
            <AddProposal/>
            <Show
                when=has_proposals
                fallback=|| view! { <p class="empty">"No proposals yet. Add the first one above."</p> }.into_any()
            >
                <section aria-labelledby="ranking-title">
                    <h2 id="ranking-title">"Ranking"</h2>
                    <RankingTable/>
                </section>
                <section aria-labelledby="your-scores-title">
                    <h2 id="your-scores-title">"Your scores"</h2>
                    <ScoringMatrix/>
                </section>
            </Show>
            <p><a href=Route::Criteria.href()>"Scoring criteria and weights"</a></p>
        </section>
    }
}

#[component]
fn AddProposal() -> impl IntoView {
    let state = expect_context::<AppState>();
    let name = RwSignal::new(String::new());
    let sponsor = RwSignal::new(String::new());
    let cost = RwSignal::new(String::new());
    let duration = RwSignal::new(String::new());
    let problem = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);

    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let title = name.get_untracked().trim().to_string();
        if title.is_empty() {
            error.set(Some("Enter a name for the proposal.".into()));
            return;
        }
        let cost_estimate = match parse_optional_positive(&cost.get_untracked(), "Cost estimate") {
            Ok(v) => v,
            Err(e) => return error.set(Some(e)),
        };
        let duration_months = match parse_optional_positive(&duration.get_untracked(), "Duration") {
            Ok(v) => v,
            Err(e) => return error.set(Some(e)),
        };
        let mut p = Project::named(new_id(), title.clone());
        p.status = ProjectStatus::Proposed;
        p.stage = "business_case".into();
        p.stage_entered = Some(today());
        p.sponsor = sponsor.get_untracked().trim().to_string();
        p.business_case.cost_estimate = cost_estimate;
        p.business_case.duration_months = duration_months;
        p.business_case.problem_statement = problem.get_untracked().trim().to_string();
        p.business_case.submitted_on = Some(today());
        p.business_case.submitted_by = state.user_name.get_untracked();
        if state.dispatch(Command::new(
            format!("Propose {title}"),
            vec![p.create_op()],
        )) {
            for field in [name, sponsor, cost, duration, problem] {
                field.set(String::new());
            }
            error.set(None);
            state.notify(
                NoticeKind::Info,
                format!("Proposal \u{201c}{title}\u{201d} added. Complete its business case and score it."),
            );
        }
    };

    let text_field =
        |id: &'static str, label: &'static str, value: RwSignal<String>, hint: &'static str| {
            view! {
                <div class="field">
                    <label for=id>{label}</label>
                    <input id=id type="text"
                        prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev))/>
                    {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> }.into_any())}
                </div>
            }
        };

    view! {
        <section class="panel add-proposal" aria-labelledby="add-proposal-title">
            <h2 id="add-proposal-title">"Add a proposal"</h2>
            <form on:submit=add novalidate aria-labelledby="add-proposal-title">
                <div class="form-grid">
                    {text_field("proposal-name", "Proposal name", name, "")}
                    {text_field("proposal-sponsor", "Sponsor", sponsor, "")}
                    {text_field("proposal-cost", "Cost estimate", cost, "One-off cost in portfolio currency, e.g. 120000 or 120k.")}
                    {text_field("proposal-duration", "Duration (months)", duration, "")}
                </div>
                <div class="field">
                    <label for="proposal-problem">"Problem or opportunity"</label>
                    <textarea id="proposal-problem"
                        prop:value=move || problem.get()
                        on:input=move |ev| problem.set(event_target_value(&ev))></textarea>
                </div>
                <Show when=move || error.get().is_some()>
                    <p class="field-error" role="alert">{move || error.get()}</p>
                </Show>
                <button type="submit">"Add proposal"</button>
            </form>
        </section>
    }
}
