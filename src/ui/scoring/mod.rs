//! Scoring: the ranking of proposals, the scoring matrix (your own ratings,
//! next to your colleagues'), a proposal's per-scorer breakdown and the
//! criteria editor.

mod criteria;

pub use criteria::CriteriaPage;

use super::intake::table::{Cell, Column, DataTable};
use super::intake::util::{money, points, scorer_id};
use super::notices::NoticeKind;
use super::routes::Route;
use super::state::AppState;
use crate::domain::intake::{format_years, proposal_cost, proposals};
use crate::domain::scoring::{
    alignment_fraction, criteria_in_order, ranking, rate, score_project, Criterion,
    CriterionSource, ProposalScore,
};
use crate::domain::Portfolio;
use leptos::prelude::*;

/// Proposals by weighted score, with the points per criterion.
#[component]
pub fn RankingTable() -> impl IntoView {
    let state = expect_context::<AppState>();
    let columns = move || {
        state.portfolio.with(|p| {
            let mut cols = vec![
                Column::num("Rank"),
                Column::text("Proposal"),
                Column::num("Score (0\u{2013}100)"),
            ];
            cols.extend(
                criteria_in_order(p)
                    .into_iter()
                    .map(|c| Column::num(c.name.clone())),
            );
            cols.extend([
                Column::text("Scorers"),
                Column::text("Notes"),
                Column::num("Cost"),
                Column::num("NPV"),
                Column::num("Payback"),
            ]);
            cols
        })
    };
    let rows = move || {
        state.portfolio.with(|p| {
            ranking(p)
                .into_iter()
                .enumerate()
                .map(|(i, score)| ranking_row(p, i + 1, score))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <DataTable label="Ranking".to_string() columns=Signal::derive(columns) rows=Signal::derive(rows) row_header=1/>
        <p class="hint">
            "Score = weighted mean of the scorers' ratings (0 = lowest level of every criterion, 100 = highest). Scorers disagree when their ratings for one criterion are at least half the scale apart."
        </p>
    }
}

fn ranking_row(p: &Portfolio, rank: usize, score: ProposalScore) -> Vec<Cell> {
    let project = p.projects.get(&score.project_id);
    let cost = project
        .map(|pr| money(p, proposal_cost(pr)))
        .unwrap_or_default();
    let fin = project.map(|pr| {
        pr.business_case
            .financials(p.settings.discount_rate_percent)
    });
    let npv = fin
        .and_then(|f| f.npv)
        .map(|v| money(p, v))
        .unwrap_or_else(|| "\u{2014}".into());
    let payback = match fin {
        Some(f) if f.total_cost.is_some() => f
            .payback_years
            .map(format_years)
            .unwrap_or_else(|| "never".into()),
        _ => "\u{2014}".into(),
    };
    let mut notes = Vec::new();
    if !score.complete {
        notes.push("Not fully scored".to_string());
    }
    let disagree = score.disagreements();
    if !disagree.is_empty() {
        notes.push(format!("Scorers disagree on {}", disagree.join(", ")));
    }
    let scorers = if score.scorers.is_empty() {
        "none yet".to_string()
    } else {
        score
            .scorers
            .iter()
            .map(|(_, n)| n.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut row = vec![
        Cell::num(rank.to_string()),
        Cell::link(
            Route::Proposal(score.project_id.clone()).href(),
            score.name.clone(),
        ),
        Cell::Strong(points(score.total)),
    ];
    row.extend(score.breakdown.iter().map(|c| {
        let title = match c.value {
            Some(v) if c.derived => format!("{}: {v:.1} derived from objectives", c.name),
            Some(v) => format!("{}: mean rating {v:.2}", c.name),
            None => format!("{}: not rated", c.name),
        };
        let mut text = if c.value.is_some() {
            points(c.points)
        } else {
            "\u{2014}".into()
        };
        if c.disagreement {
            text.push_str(" \u{26a0}");
        }
        Cell::Titled { text, title }
    }));
    row.extend([
        Cell::text(scorers),
        Cell::text(notes.join("; ")),
        Cell::num(cost),
        Cell::num(npv),
        Cell::num(payback),
    ]);
    row
}

/// Your own rating of every proposal on every criterion, with your
/// colleagues' ratings beside it. Rows and cells stay in place while
/// ratings change, so keyboard focus is not lost after each choice.
#[component]
pub fn ScoringMatrix() -> impl IntoView {
    let state = expect_context::<AppState>();
    let columns = Memo::new(move |_| {
        state.portfolio.with(|p| {
            let derives = p.objectives.values().any(|o| o.weight > 0.0);
            criteria_in_order(p)
                .into_iter()
                .map(|c| {
                    (
                        c.clone(),
                        derives && c.source == CriterionSource::Objectives,
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    let rows = move || {
        state.portfolio.with(|p| {
            proposals(p)
                .into_iter()
                .map(|pr| (pr.id.clone(), pr.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <p class="hint">
            {move || format!("You score as {}. Your ratings are kept apart from everyone else's, so scoring offline and exchanging files never overwrites anyone.",
                state.user_name.get())}
        </p>
        <div class="table-wrap">
            <table aria-label="Your scores" class="scoring-matrix">
                <thead>
                    <tr>
                        <th scope="col">"Proposal"</th>
                        {move || columns.get().into_iter().map(|(c, _)| {
                            let scale = c.scale.label();
                            view! { <th scope="col">{c.name.clone()}<span class="hint">" ("{scale}{c.inverse.then_some(", high = bad")}")"</span></th> }
                        }).map(|v| v.into_any()).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    <For each=rows key=|row| row.clone() let:row>
                        <tr>
                            <th scope="row"><a href=Route::Proposal(row.0.clone()).href()>{row.1.clone()}</a></th>
                            {
                                let (id, name) = row.clone();
                                move || columns.get().into_iter().map(|(criterion, derived)| view! {
                                    <td><RatingCell project_id=id.clone() project_name=name.clone() criterion derived/></td>
                                }).map(|v| v.into_any()).collect_view()
                            }
                        </tr>
                    </For>
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn RatingCell(
    project_id: String,
    project_name: String,
    criterion: Criterion,
    derived: bool,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let me = scorer_id();
    let project_id = StoredValue::new(project_id);
    if derived {
        let (lo, hi) = (
            f64::from(criterion.scale.min()),
            f64::from(criterion.scale.max()),
        );
        let text = move || {
            state.portfolio.with(|p| {
                p.projects
                    .get(&project_id.get_value())
                    .and_then(|pr| alignment_fraction(pr, &p.objectives))
                    .map(|a| format!("{:.1}", lo + a * (hi - lo)))
                    .unwrap_or_else(|| "\u{2014}".into())
            })
        };
        return view! {
            <span title="Derived from the objective weights and this proposal's alignment">
                {text}<span class="hint">" (from objectives)"</span>
            </span>
        }
        .into_any();
    }
    let criterion_id = criterion.id.clone();
    let me_for_mine = me.clone();
    let mine = Memo::new(move |_| {
        state.portfolio.with(|p| {
            p.projects
                .get(&project_id.get_value())?
                .scores
                .get(&me_for_mine)?
                .ratings
                .get(&criterion_id)
                .copied()
        })
    });
    let criterion_id = criterion.id.clone();
    let others = move || {
        state.portfolio.with(|p| {
            let Some(project) = p.projects.get(&project_id.get_value()) else {
                return String::new();
            };
            project
                .scores
                .iter()
                .filter(|(id, _)| **id != me)
                .filter_map(|(_, s)| {
                    let r = s.ratings.get(&criterion_id)?;
                    let name = if s.name.is_empty() {
                        "Unnamed"
                    } else {
                        s.name.as_str()
                    };
                    Some(format!("{name}: {r}"))
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    let label = format!("{} score for {}", criterion.name, project_name);
    let options = criterion
        .scale
        .levels()
        .map(|level| {
            let meaning = criterion.meaning(level);
            let text = if meaning.is_empty() {
                level.to_string()
            } else {
                format!("{level} \u{2013} {meaning}")
            };
            view! {
                <option value=level.to_string() prop:selected=move || mine.get() == Some(f64::from(level))>
                    {text}
                </option>
            }
        })
        .map(|v| v.into_any()).collect_view();
    let criterion = StoredValue::new(criterion);
    let on_change = move |ev: leptos::ev::Event| {
        let raw = event_target_value(&ev);
        let rating = if raw.is_empty() {
            None
        } else {
            raw.parse::<f64>().ok()
        };
        let Some(project) = state
            .portfolio
            .with_untracked(|p| p.projects.get(&project_id.get_value()).cloned())
        else {
            return state.notify(NoticeKind::Error, "That proposal no longer exists.");
        };
        match rate(
            &project,
            &criterion.get_value(),
            &scorer_id(),
            &state.user_name.get_untracked(),
            rating,
        ) {
            Ok(cmd) => {
                state.dispatch(cmd);
            }
            Err(message) => state.notify(NoticeKind::Error, message),
        }
    };
    view! {
        <select aria-label=label on:change=on_change>
            <option value="" prop:selected=move || mine.get().is_none()>"Not rated"</option>
            {options}
        </select>
        <span class="others">{others}</span>
    }
    .into_any()
}

/// Every scorer's ratings of one proposal, criterion by criterion.
#[component]
pub fn ScorerBreakdown(project_id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let score = Memo::new(move |_| {
        state.portfolio.with(|p| {
            let project = p.projects.get(&project_id)?;
            let criteria = criteria_in_order(p);
            Some(score_project(project, &criteria, &p.objectives))
        })
    });
    let columns = move || {
        let mut cols = vec![Column::text("Criterion"), Column::num("Weight")];
        if let Some(s) = score.get() {
            cols.extend(s.scorers.iter().map(|(_, name)| Column::num(name.clone())));
        }
        cols.extend([
            Column::num("Used"),
            Column::num("Points"),
            Column::text("Notes"),
        ]);
        cols
    };
    let rows = move || {
        let Some(score) = score.get() else {
            return Vec::new();
        };
        score
            .breakdown
            .iter()
            .map(|c| {
                let mut row = vec![
                    Cell::text(c.name.clone()),
                    Cell::num(format!("{:.0} %", c.weight_share * 100.0)),
                ];
                row.extend(score.scorers.iter().map(|(id, _)| {
                    Cell::num(
                        c.ratings
                            .get(id)
                            .map(|r| r.to_string())
                            .unwrap_or_else(|| "\u{2014}".into()),
                    )
                }));
                let used = match c.value {
                    Some(v) if c.derived => format!("{v:.1} (from objectives)"),
                    Some(v) => format!("{v:.2}"),
                    None => "\u{2014}".into(),
                };
                row.extend([
                    Cell::num(used),
                    Cell::num(points(c.points)),
                    Cell::text(if c.disagreement {
                        "Scorers disagree"
                    } else {
                        ""
                    }),
                ]);
                row
            })
            .collect()
    };
    let footer = move || {
        let Some(score) = score.get() else {
            return Vec::new();
        };
        let mut row = vec![Cell::text("Total"), Cell::text("")];
        row.extend(score.scorers.iter().map(|_| Cell::text("")));
        row.extend([
            Cell::text(""),
            Cell::Strong(points(score.total)),
            Cell::text(if score.complete {
                ""
            } else {
                "Not fully scored"
            }),
        ]);
        row
    };
    let scored = move || {
        score
            .get()
            .is_some_and(|s| !s.scorers.is_empty() || s.breakdown.iter().any(|c| c.derived))
    };
    view! {
        <Show
            when=scored
            fallback=|| view! { <p class="empty">"Nobody has scored this proposal yet. Score it on the "<a href=Route::Intake.href()>"intake page"</a>"."</p> }.into_any()
        >
            <DataTable label="Scores by scorer".to_string() columns=Signal::derive(columns)
                rows=Signal::derive(rows) footer=Signal::derive(footer)/>
        </Show>
    }
}
