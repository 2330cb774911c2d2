//! One proposal's business case: what it is for, what it costs and brings
//! (with NPV, ROI and payback), its alignment to objectives, the people it
//! needs, and how it has been scored.

use super::util::{
    money, number_text, optional_number_text, parse_optional_amount, parse_optional_positive,
};
use crate::domain::intake::{format_years, parse_amount, Benefit, CashFlow};
use crate::domain::lifecycle::{current_stage, next_gate};
use crate::domain::{new_id, Command, Entity, FieldChange, Op, Project};
use crate::ui::exchange::ConflictBadge;
use crate::ui::routes::Route;
use crate::ui::scoring::ScorerBreakdown;
use crate::ui::state::AppState;
use leptos::prelude::*;
use serde_json::{json, Value};

fn patch(project_id: &str, changes: Vec<FieldChange>) -> Op {
    Op::Patch {
        collection: Project::COLLECTION.into(),
        id: project_id.to_string(),
        changes,
    }
}

#[component]
pub fn ProposalPage(id: String) -> impl IntoView {
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
                    <h1>"Proposal not found"</h1>
                    <p>"It may have been deleted, or the link is from another portfolio. "<a href=Route::Intake.href()>"Back to intake"</a></p>
                </section>
            }.into_any()
        >
            <ProposalView id=id.get_value()/>
        </Show>
    }
}

#[component]
fn ProposalView(id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let project = {
        let id = id.clone();
        Memo::new(move |_| {
            state
                .portfolio
                .with(|p| p.projects.get(&id).cloned().unwrap_or_default())
        })
    };
    let heading = move || project.with(|p| p.name.clone());
    let status_line = move || {
        project.with(|p| {
            let gate = next_gate(p)
                .map(|g| format!("; next gate: {}", g.name))
                .unwrap_or_default();
            format!(
                "Status {}, stage {}{gate}",
                p.status.label().to_lowercase(),
                current_stage(p).name
            )
        })
    };
    let gaps = move || {
        project.with(|p| {
            let gaps = p.business_case.gaps(p);
            if gaps.is_empty() {
                "The business case is complete.".to_string()
            } else {
                format!("Still missing: {}.", gaps.join(", "))
            }
        })
    };
    let gates_href = Route::Gates(id.clone()).href();
    view! {
        <article class="proposal" aria-labelledby="proposal-title">
            <p><a href=Route::Intake.href()>"\u{2190} Intake"</a></p>
            <h1 id="proposal-title">{heading}" "<ConflictBadge collection="projects" id=id.clone()/></h1>
            <p>{status_line}" \u{b7} "<a href=gates_href>"Gate decisions and change requests"</a></p>
            <p class="hint" role="status">{gaps}</p>
            <section aria-labelledby="bc-title">
                <h2 id="bc-title">"Business case"</h2>
                <CaseForm project/>
            </section>
            <section aria-labelledby="benefits-title">
                <h2 id="benefits-title">"Expected benefits"</h2>
                <Benefits project/>
            </section>
            <section aria-labelledby="cash-title">
                <h2 id="cash-title">"Cash flows and return"</h2>
                <CashFlows project/>
            </section>
            <section aria-labelledby="alignment-title">
                <h2 id="alignment-title">"Alignment to strategic objectives"</h2>
                <Alignment project/>
            </section>
            <section aria-labelledby="needs-title">
                <h2 id="needs-title">"People needed"</h2>
                <ResourceNeeds project/>
            </section>
            <section aria-labelledby="scores-title">
                <h2 id="scores-title">"Scores"</h2>
                <ScorerBreakdown project_id=id.clone()/>
            </section>
        </article>
    }
}

#[component]
fn CaseForm(project: Memo<Project>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let p = project.get_untracked();
    let name = RwSignal::new(p.name.clone());
    let sponsor = RwSignal::new(p.sponsor.clone());
    let problem = RwSignal::new(p.business_case.problem_statement.clone());
    let risks = RwSignal::new(p.business_case.key_risks.clone());
    let cost = RwSignal::new(optional_number_text(p.business_case.cost_estimate));
    let duration = RwSignal::new(optional_number_text(p.business_case.duration_months));
    let error = RwSignal::new(None::<String>);
    // What the form started from: only fields the user changed are
    // written, so a colleague's edit of another field (merged meanwhile)
    // is never overwritten by this form's older copy.
    let base = StoredValue::new(p);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let cost_value = match parse_optional_positive(&cost.get_untracked(), "Cost estimate") {
            Ok(v) => v,
            Err(e) => return error.set(Some(e)),
        };
        let duration_value = match parse_optional_positive(&duration.get_untracked(), "Duration") {
            Ok(v) => v,
            Err(e) => return error.set(Some(e)),
        };
        let name_value = name.get_untracked().trim().to_string();
        if name_value.is_empty() {
            return error.set(Some("A proposal needs a name.".into()));
        }
        let was = base.get_value();
        let old = project.get_untracked();
        let mut new = old.clone();
        let text = |s: RwSignal<String>| s.get_untracked().trim().to_string();
        if name_value != was.name {
            new.name = name_value;
        }
        if text(sponsor) != was.sponsor {
            new.sponsor = text(sponsor);
        }
        if text(problem) != was.business_case.problem_statement.trim() {
            new.business_case.problem_statement = text(problem);
        }
        if text(risks) != was.business_case.key_risks.trim() {
            new.business_case.key_risks = text(risks);
        }
        if cost_value != was.business_case.cost_estimate {
            new.business_case.cost_estimate = cost_value;
        }
        if duration_value != was.business_case.duration_months {
            new.business_case.duration_months = duration_value;
        }
        error.set(None);
        if let Some(op) = new.update_op(&old) {
            state.dispatch(Command::new(
                format!("Edit the business case of {}", new.name),
                vec![op],
            ));
        }
    };
    // When the project changes (this form's save, an import, another tab),
    // fields the user has not touched follow it.
    Effect::new(move |_| {
        let now = project.get();
        let was = base.get_value();
        let follow = |field: RwSignal<String>, then: String, now: String| {
            if field.get_untracked().trim() == then.trim() {
                field.set(now);
            }
        };
        follow(name, was.name.clone(), now.name.clone());
        follow(sponsor, was.sponsor.clone(), now.sponsor.clone());
        follow(
            problem,
            was.business_case.problem_statement.clone(),
            now.business_case.problem_statement.clone(),
        );
        follow(
            risks,
            was.business_case.key_risks.clone(),
            now.business_case.key_risks.clone(),
        );
        follow(
            cost,
            optional_number_text(was.business_case.cost_estimate),
            optional_number_text(now.business_case.cost_estimate),
        );
        follow(
            duration,
            optional_number_text(was.business_case.duration_months),
            optional_number_text(now.business_case.duration_months),
        );
        base.set_value(now);
    });
    let input = |id: &'static str, label: &'static str, value: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id type="text"
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))/>
            </div>
        }
    };
    let area = |id: &'static str, label: &'static str, value: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <textarea id=id
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))></textarea>
            </div>
        }
    };
    view! {
        <form on:submit=save novalidate aria-label="Business case">
            <div class="form-grid">
                {input("bc-name", "Proposal name", name)}
                {input("bc-sponsor", "Sponsor", sponsor)}
                {input("bc-cost", "Cost estimate", cost)}
                {input("bc-duration", "Duration (months)", duration)}
            </div>
            {area("bc-problem", "Problem or opportunity", problem)}
            {area("bc-risks", "Key risks", risks)}
            <Show when=move || error.get().is_some()>
                <p class="field-error" role="alert">{move || error.get()}</p>
            </Show>
            <button type="submit">"Save business case"</button>
        </form>
    }
}

#[component]
fn Benefits(project: Memo<Project>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let description = RwSignal::new(String::new());
    let value = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let rows = move || {
        project.with(|p| {
            p.business_case
                .benefits_in_order()
                .into_iter()
                .map(|(id, b)| (id.clone(), b.clone()))
                .collect::<Vec<_>>()
        })
    };
    let total = move || {
        let sum = project.with(|p| p.business_case.benefits_value());
        state.portfolio.with(|pf| {
            sum.map(|v| format!("Money value of the benefits: {}", money(pf, v)))
                .unwrap_or_default()
        })
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = description.get_untracked().trim().to_string();
        if text.is_empty() {
            return error.set(Some("Describe the benefit.".into()));
        }
        let amount = match parse_optional_amount(&value.get_untracked(), "Money value") {
            Ok(v) => v,
            Err(e) => return error.set(Some(e)),
        };
        let p = project.get_untracked();
        let benefit = Benefit {
            description: text.clone(),
            value: amount,
            order: js_sys::Date::now() as i64,
        };
        let fields = serde_json::to_value(&benefit).unwrap_or(Value::Null);
        if state.dispatch(Command::new(
            format!("Add benefit \u{201c}{text}\u{201d} to {}", p.name),
            vec![patch(
                &p.id,
                vec![FieldChange::set(
                    &["business_case", "benefits", &new_id()],
                    crate::domain::command::without_nulls(
                        fields.as_object().cloned().unwrap_or_default(),
                    )
                    .into(),
                )],
            )],
        )) {
            description.set(String::new());
            value.set(String::new());
            error.set(None);
        }
    };
    let remove = move |benefit_id: String, text: String| {
        let p = project.get_untracked();
        state.dispatch(Command::new(
            format!("Remove benefit \u{201c}{text}\u{201d} from {}", p.name),
            vec![patch(
                &p.id,
                vec![FieldChange::remove(&[
                    "business_case",
                    "benefits",
                    &benefit_id,
                ])],
            )],
        ));
    };
    view! {
        <Show when=move || !rows().is_empty() fallback=|| view! { <p class="empty">"No benefits listed yet."</p> }.into_any()>
            <table aria-label="Expected benefits">
                <thead><tr><th scope="col">"Benefit"</th><th scope="col" class="num">"Money value"</th><th scope="col">"Actions"</th></tr></thead>
                <tbody>
                    {move || rows().into_iter().map(|(bid, b)| {
                        let label = format!("Remove benefit {}", b.description);
                        let text = b.description.clone();
                        let amount = b.value.map(|v| state.portfolio.with(|pf| money(pf, v))).unwrap_or_else(|| "\u{2014}".into());
                        view! {
                            <tr>
                                <td>{b.description.clone()}</td>
                                <td class="num">{amount}</td>
                                <td><button type="button" class="secondary small" aria-label=label
                                    on:click=move |_| remove(bid.clone(), text.clone())>"Remove"</button></td>
                            </tr>
                        }
                    }).map(|v| v.into_any()).collect_view()}
                </tbody>
            </table>
        </Show>
        <p class="hint">{total}</p>
        <form class="inline-form" on:submit=add novalidate aria-label="Add a benefit">
            <label for="benefit-text">"Benefit"</label>
            <input id="benefit-text" type="text"
                prop:value=move || description.get()
                on:input=move |ev| description.set(event_target_value(&ev))/>
            <label for="benefit-value">"Money value (optional)"</label>
            <input id="benefit-value" type="text" inputmode="decimal"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))/>
            <button type="submit">"Add benefit"</button>
            <Show when=move || error.get().is_some()>
                <p class="field-error" role="alert">{move || error.get()}</p>
            </Show>
        </form>
    }
}

#[component]
fn CashFlows(project: Memo<Project>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let year = RwSignal::new(String::new());
    let cost = RwSignal::new(String::new());
    let benefit = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let rows = move || {
        project.with(|p| {
            p.business_case
                .cash_flows
                .iter()
                .map(|(y, f)| (*y, *f))
                .collect::<Vec<_>>()
        })
    };
    let next_year = move || {
        project.with(|p| {
            p.business_case
                .cash_flows
                .keys()
                .next_back()
                .map(|y| y + 1)
                .unwrap_or(0)
        })
    };
    let figures = move || {
        let rate = state.portfolio.with(|p| p.settings.discount_rate_percent);
        let f = project.with(|p| p.business_case.financials(rate));
        state.portfolio.with(|pf| {
            let dash = || "\u{2014}".to_string();
            vec![
                (
                    format!("NPV at {} %", number_text(rate)),
                    f.npv.map(|v| money(pf, v)).unwrap_or_else(dash),
                ),
                (
                    "ROI".to_string(),
                    f.roi
                        .map(|r| format!("{:.1} %", r * 100.0))
                        .unwrap_or_else(dash),
                ),
                (
                    "Payback".to_string(),
                    match (f.payback_years, f.total_cost) {
                        (Some(y), _) => format_years(y),
                        (None, Some(_)) => "not paid back within these years".into(),
                        (None, None) => dash(),
                    },
                ),
                (
                    "Discounted payback".to_string(),
                    match (f.discounted_payback_years, f.total_cost) {
                        (Some(y), _) => format_years(y),
                        (None, Some(_)) => "not paid back within these years".into(),
                        (None, None) => dash(),
                    },
                ),
            ]
        })
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let y: u32 = match year.get_untracked().trim() {
            "" => next_year(),
            text => match text.parse() {
                Ok(y) if y <= 50 => y,
                _ => return error.set(Some("Year must be a whole number from 0 to 50.".into())),
            },
        };
        let parse = |text: &str, field: &str| -> Result<f64, String> {
            if text.trim().is_empty() {
                return Ok(0.0);
            }
            match parse_amount(text) {
                Ok(v) if v >= 0.0 => Ok(v),
                Ok(_) => Err(format!(
                    "{field} cannot be negative; enter costs and benefits separately."
                )),
                Err(e) => Err(format!("{field}: {e}")),
            }
        };
        let flow = match (
            parse(&cost.get_untracked(), "Cost"),
            parse(&benefit.get_untracked(), "Benefit"),
        ) {
            (Ok(cost), Ok(benefit)) => CashFlow { cost, benefit },
            (Err(e), _) | (_, Err(e)) => return error.set(Some(e)),
        };
        let p = project.get_untracked();
        if state.dispatch(Command::new(
            format!("Set year {y} cash flow of {}", p.name),
            vec![patch(
                &p.id,
                vec![FieldChange::set(
                    &["business_case", "cash_flows", &y.to_string()],
                    json!({"cost": flow.cost, "benefit": flow.benefit}),
                )],
            )],
        )) {
            for s in [year, cost, benefit] {
                s.set(String::new());
            }
            error.set(None);
        }
    };
    let remove = move |y: u32| {
        let p = project.get_untracked();
        state.dispatch(Command::new(
            format!("Remove year {y} cash flow of {}", p.name),
            vec![patch(
                &p.id,
                vec![FieldChange::remove(&[
                    "business_case",
                    "cash_flows",
                    &y.to_string(),
                ])],
            )],
        ));
    };
    view! {
        <Show when=move || !rows().is_empty() fallback=|| view! { <p class="empty">"No cash flows yet: add year 0 (the start) and the years after it."</p> }.into_any()>
            <table aria-label="Cash flows">
                <thead><tr>
                    <th scope="col" class="num">"Year"</th><th scope="col" class="num">"Cost"</th>
                    <th scope="col" class="num">"Benefit"</th><th scope="col" class="num">"Net"</th>
                    <th scope="col">"Actions"</th>
                </tr></thead>
                <tbody>
                    {move || rows().into_iter().map(|(y, f)| {
                        let (c, b, n) = state.portfolio.with(|pf| (money(pf, f.cost), money(pf, f.benefit), money(pf, f.net())));
                        view! {
                            <tr>
                                <td class="num">{y}</td><td class="num">{c}</td><td class="num">{b}</td><td class="num">{n}</td>
                                <td><button type="button" class="secondary small" aria-label=format!("Remove year {y}")
                                    on:click=move |_| remove(y)>"Remove"</button></td>
                            </tr>
                        }
                    }).map(|v| v.into_any()).collect_view()}
                </tbody>
            </table>
        </Show>
        <form class="inline-form" on:submit=save novalidate aria-label="Add or change a year">
            <label for="cf-year">"Year"</label>
            <input id="cf-year" type="text" inputmode="numeric" size="4"
                placeholder=move || next_year().to_string()
                prop:value=move || year.get()
                on:input=move |ev| year.set(event_target_value(&ev))/>
            <label for="cf-cost">"Cost in that year"</label>
            <input id="cf-cost" type="text" inputmode="decimal"
                prop:value=move || cost.get()
                on:input=move |ev| cost.set(event_target_value(&ev))/>
            <label for="cf-benefit">"Benefit in that year"</label>
            <input id="cf-benefit" type="text" inputmode="decimal"
                prop:value=move || benefit.get()
                on:input=move |ev| benefit.set(event_target_value(&ev))/>
            <button type="submit">"Save year"</button>
            <Show when=move || error.get().is_some()>
                <p class="field-error" role="alert">{move || error.get()}</p>
            </Show>
        </form>
        <dl class="figures" aria-label="Financial figures">
            {move || figures().into_iter().map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> }).map(|v| v.into_any()).collect_view()}
        </dl>
        <p class="hint">
            "Year 0 is the start and is not discounted; later years are discounted at the portfolio rate (set it on the "
            <a href=Route::Criteria.href()>"criteria page"</a>
            "). ROI compares total benefits with total costs (without cash flows: the benefits' money value against the cost estimate). Payback counts years until the cumulative net flow turns positive, assuming a year's flows arrive evenly."
        </p>
    }
}

#[component]
fn Alignment(project: Memo<Project>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let objectives = move || {
        state.portfolio.with(|p| {
            let mut list: Vec<_> = p.objectives.values().cloned().collect();
            list.sort_by_key(|a| a.name.to_lowercase());
            list
        })
    };
    let set = move |objective_id: String, objective: String, strength: Option<u8>| {
        let p = project.get_untracked();
        let path = ["objectives", objective_id.as_str()];
        let change = match strength {
            Some(s) => FieldChange::set(&path, json!(s)),
            None => FieldChange::remove(&path),
        };
        state.dispatch(Command::new(
            format!("Align {} to {objective}", p.name),
            vec![patch(&p.id, vec![change])],
        ));
    };
    view! {
        <Show
            when=move || !objectives().is_empty()
            fallback=|| view! { <p class="empty">"The portfolio has no strategic objectives yet; strategic alignment is then rated by the scorers."</p> }.into_any()
        >
            <div class="form-grid">
                {move || objectives().into_iter().map(|o| {
                    let label = format!("Alignment to {}", o.name);
                    let oid = o.id.clone();
                    let current = move || project.with(|p| p.objectives.get(&oid).copied());
                    let (oid, name) = (o.id.clone(), o.name.clone());
                    view! {
                        <div class="field">
                            <label>
                                {label}
                                <select on:change=move |ev| {
                                    let v = event_target_value(&ev).parse::<u8>().ok();
                                    set(oid.clone(), name.clone(), v);
                                }>
                                    {[(None, "Not aligned"), (Some(1u8), "1 \u{2013} low"), (Some(2), "2 \u{2013} medium"), (Some(3), "3 \u{2013} high")]
                                        .into_iter()
                                        .map(|(v, text)| {
                                            let current = current.clone();
                                            view! {
                                                <option value=v.map(|v| v.to_string()).unwrap_or_default()
                                                    prop:selected=move || current() == v>{text}</option>
                                            }
                                        })
                                        .map(|v| v.into_any()).collect_view()}
                                </select>
                            </label>
                            <p class="hint">{format!("Objective weight {}", number_text(o.weight))}</p>
                        </div>
                    }
                }).map(|v| v.into_any()).collect_view()}
            </div>
        </Show>
    }
}

#[component]
fn ResourceNeeds(project: Memo<Project>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let role = RwSignal::new(String::new());
    let days = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let rows = move || {
        project.with(|p| {
            p.business_case
                .resource_needs
                .iter()
                .map(|(r, d)| (r.clone(), *d))
                .collect::<Vec<_>>()
        })
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = role.get_untracked().trim().to_string();
        if name.is_empty() {
            return error.set(Some("Name the role, e.g. Developer.".into()));
        }
        let amount = match parse_amount(&days.get_untracked()) {
            Ok(v) if v > 0.0 => v,
            Ok(_) => return error.set(Some("Person-days must be more than zero.".into())),
            Err(e) => return error.set(Some(format!("Person-days: {e}"))),
        };
        let p = project.get_untracked();
        if state.dispatch(Command::new(
            format!("{} needs {amount} person-days of {name}", p.name),
            vec![patch(
                &p.id,
                vec![FieldChange::set(
                    &["business_case", "resource_needs", &name],
                    json!(amount),
                )],
            )],
        )) {
            role.set(String::new());
            days.set(String::new());
            error.set(None);
        }
    };
    let remove = move |name: String| {
        let p = project.get_untracked();
        state.dispatch(Command::new(
            format!("{} no longer needs {name}", p.name),
            vec![patch(
                &p.id,
                vec![FieldChange::remove(&[
                    "business_case",
                    "resource_needs",
                    &name,
                ])],
            )],
        ));
    };
    view! {
        <Show when=move || !rows().is_empty() fallback=|| view! { <p class="empty">"No roles listed. Add them to use capacity limits in selection."</p> }.into_any()>
            <table aria-label="People needed">
                <thead><tr><th scope="col">"Role"</th><th scope="col" class="num">"Person-days"</th><th scope="col">"Actions"</th></tr></thead>
                <tbody>
                    {move || rows().into_iter().map(|(r, d)| {
                        let label = format!("Remove role {r}");
                        let name = r.clone();
                        view! {
                            <tr>
                                <td>{r}</td><td class="num">{number_text(d)}</td>
                                <td><button type="button" class="secondary small" aria-label=label
                                    on:click=move |_| remove(name.clone())>"Remove"</button></td>
                            </tr>
                        }
                    }).map(|v| v.into_any()).collect_view()}
                </tbody>
            </table>
        </Show>
        <form class="inline-form" on:submit=add novalidate aria-label="Add a role">
            <label for="need-role">"Role"</label>
            <input id="need-role" type="text"
                prop:value=move || role.get()
                on:input=move |ev| role.set(event_target_value(&ev))/>
            <label for="need-days">"Person-days"</label>
            <input id="need-days" type="text" inputmode="decimal"
                prop:value=move || days.get()
                on:input=move |ev| days.set(event_target_value(&ev))/>
            <button type="submit">"Add role"</button>
            <Show when=move || error.get().is_some()>
                <p class="field-error" role="alert">{move || error.get()}</p>
            </Show>
        </form>
    }
}
