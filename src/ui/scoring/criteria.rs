//! The criteria editor: name, weight, scale, direction, source and the
//! meaning of each level; plus the portfolio's discount rate for NPV.

use super::super::intake::util::number_text;
use super::super::routes::Route;
use super::super::state::AppState;
use crate::domain::intake::parse_amount;
use crate::domain::scoring::{criteria_in_order, Criterion, CriterionSource, Scale};
use crate::domain::{new_id, Command, Entity, FieldChange, Op};
use crate::ui::exchange::ConflictBadge;
use leptos::prelude::*;
use serde_json::json;

#[component]
pub fn CriteriaPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let list = move || {
        state.portfolio.with(|p| {
            criteria_in_order(p)
                .into_iter()
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let total_weight = move || {
        state
            .portfolio
            .with(|p| p.criteria.values().map(|c| c.weight.max(0.0)).sum::<f64>())
    };
    view! {
        <section aria-labelledby="criteria-title" class="criteria">
            <p><a href=Route::Intake.href()>"\u{2190} Intake"</a></p>
            <h1 id="criteria-title">"Scoring criteria"</h1>
            <p class="hint">
                "Weights are relative: each criterion counts for its weight divided by the sum of all weights. A criterion derived from objectives uses the objective weights and each proposal's alignment (1\u{2013}3) whenever objectives have weights; otherwise scorers rate it."
            </p>
            <For each=list key=|c| (c.id.clone(), serde_json::to_string(c).unwrap_or_default()) let:criterion>
                <CriterionEditor criterion total_weight=Signal::derive(total_weight)/>
            </For>
            <AddCriterion/>
            <DiscountRate/>
        </section>
    }
}

#[component]
fn CriterionEditor(criterion: Criterion, total_weight: Signal<f64>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let original = StoredValue::new(criterion.clone());
    let name = RwSignal::new(criterion.name.clone());
    let description = RwSignal::new(criterion.description.clone());
    let weight = RwSignal::new(number_text(criterion.weight));
    let scale = RwSignal::new(criterion.scale);
    let inverse = RwSignal::new(criterion.inverse);
    let source = RwSignal::new(criterion.source);
    let levels: Vec<(u8, RwSignal<String>)> = Scale::ZeroToTen
        .levels()
        .map(|l| (l, RwSignal::new(criterion.meaning(l).to_string())))
        .collect();
    let levels = StoredValue::new(levels);
    let error = RwSignal::new(None::<String>);
    let confirm_delete = RwSignal::new(false);
    let id = criterion.id.clone();
    let title = criterion.name.clone();
    let share = move || {
        let total = total_weight.get();
        let w = original.with_value(|c| c.weight.max(0.0));
        if total > 0.0 {
            format!("{:.0} % of the total", w / total * 100.0)
        } else {
            "no weight".into()
        }
    };

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let old = original.get_value();
        let w = match parse_amount(&weight.get_untracked()) {
            Ok(w) => w,
            Err(e) => return error.set(Some(format!("Weight: {e}"))),
        };
        let mut new = old.clone();
        new.name = name.get_untracked().trim().to_string();
        new.description = description.get_untracked().trim().to_string();
        new.weight = w;
        new.scale = scale.get_untracked();
        new.inverse = inverse.get_untracked();
        new.source = source.get_untracked();
        new.levels = levels.with_value(|ls| {
            ls.iter()
                .filter(|(l, _)| new.scale.levels().contains(l))
                .filter_map(|(l, text)| {
                    let t = text.get_untracked().trim().to_string();
                    (!t.is_empty()).then_some((*l, t))
                })
                .collect()
        });
        if let Err(e) = new.validate() {
            return error.set(Some(e));
        }
        error.set(None);
        if let Some(op) = new.update_op(&old) {
            state.dispatch(Command::new(
                format!("Edit scoring criterion {}", new.name),
                vec![op],
            ));
        }
    };
    let delete = move |_| {
        let c = original.get_value();
        state.dispatch(Command::new(
            format!("Delete scoring criterion {}", c.name),
            vec![c.delete_op()],
        ));
    };

    let field_id = |suffix: &str| format!("crit-{id}-{suffix}");
    let for_name = title.clone();
    let level_inputs = move || {
        let for_name = for_name.clone();
        let current = scale.get();
        levels.with_value(|ls| {
            ls.iter()
                .filter(|(l, _)| current.levels().contains(l))
                .map(|(l, text)| {
                    let text = *text;
                    let label = format!("Meaning of level {l} for {for_name}");
                    view! {
                        <div class="level">
                            <span class="level-number" aria-hidden="true">{*l}</span>
                            <input type="text" aria-label=label
                                prop:value=move || text.get()
                                on:input=move |ev| text.set(event_target_value(&ev))/>
                        </div>
                    }
                })
                .map(|v| v.into_any())
                .collect_view()
        })
    };

    view! {
        <form class="panel criterion" on:submit=save novalidate aria-label=format!("Criterion {title}")>
            <ConflictBadge collection="criteria" id=id.clone()/>
            <div class="form-grid">
                <div class="field">
                    <label for=field_id("name")>"Name"</label>
                    <input id=field_id("name") type="text"
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for=field_id("weight")>"Weight"</label>
                    <input id=field_id("weight") type="text" inputmode="decimal"
                        prop:value=move || weight.get()
                        on:input=move |ev| weight.set(event_target_value(&ev))/>
                    <p class="hint">{share}</p>
                </div>
                <div class="field">
                    <label for=field_id("scale")>"Scale"</label>
                    <select id=field_id("scale") on:change=move |ev| {
                        if let Some(s) = Scale::from_key(&event_target_value(&ev)) {
                            scale.set(s);
                        }
                    }>
                        {Scale::ALL.iter().map(|s| {
                            let s = *s;
                            view! { <option value=s.key() prop:selected=move || scale.get() == s>{s.label()}</option> }
                        }).map(|v| v.into_any()).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=field_id("source")>"Source"</label>
                    <select id=field_id("source") on:change=move |ev| {
                        source.set(if event_target_value(&ev) == "objectives" {
                            CriterionSource::Objectives
                        } else {
                            CriterionSource::Scorers
                        });
                    }>
                        <option value="scorers" prop:selected=move || source.get() == CriterionSource::Scorers>"Rated by scorers"</option>
                        <option value="objectives" prop:selected=move || source.get() == CriterionSource::Objectives>"Derived from objectives"</option>
                    </select>
                </div>
            </div>
            <div class="field checkbox">
                <label>
                    <input type="checkbox"
                        prop:checked=move || inverse.get()
                        on:change=move |ev| inverse.set(event_target_checked(&ev))/>
                    " High rating is bad (inverse, e.g. risk)"
                </label>
            </div>
            <div class="field">
                <label for=field_id("description")>"Description"</label>
                <textarea id=field_id("description")
                    prop:value=move || description.get()
                    on:input=move |ev| description.set(event_target_value(&ev))></textarea>
            </div>
            <fieldset class="levels">
                <legend>"What each level means"</legend>
                {level_inputs}
            </fieldset>
            <Show when=move || error.get().is_some()>
                <p class="field-error" role="alert">{move || error.get()}</p>
            </Show>
            <div class="actions">
                <button type="submit">{format!("Save {title}")}</button>
                <Show
                    when=move || confirm_delete.get()
                    fallback=move || view! {
                        <button type="button" class="secondary" on:click=move |_| confirm_delete.set(true)>
                            {format!("Delete {}", original.with_value(|c| c.name.clone()))}
                        </button>
                    }.into_any()
                >
                    <span class="confirm">
                        "Delete this criterion? Ratings given for it stay in the file but no longer count."
                        <button type="button" class="danger" on:click=delete>"Confirm delete"</button>
                        <button type="button" class="secondary" on:click=move |_| confirm_delete.set(false)>"Cancel"</button>
                    </span>
                </Show>
            </div>
        </form>
    }
}

#[component]
fn AddCriterion() -> impl IntoView {
    let state = expect_context::<AppState>();
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let order = state
            .portfolio
            .with_untracked(|p| p.criteria.values().map(|c| c.order).max().unwrap_or(0) + 1);
        let c = Criterion {
            id: new_id(),
            name: name.get_untracked().trim().to_string(),
            weight: 10.0,
            order,
            ..Criterion::default()
        };
        if let Err(e) = c.validate() {
            return error.set(Some(e));
        }
        if state.dispatch(Command::new(
            format!("Add scoring criterion {}", c.name),
            vec![c.create_op()],
        )) {
            name.set(String::new());
            error.set(None);
        }
    };
    view! {
        <form class="inline-form" on:submit=add novalidate>
            <label for="new-criterion-name">"New criterion name"</label>
            <input id="new-criterion-name" type="text"
                prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev))/>
            <button type="submit">"Add criterion"</button>
            <Show when=move || error.get().is_some()>
                <p class="field-error" role="alert">{move || error.get()}</p>
            </Show>
        </form>
    }
}

/// The discount rate NPV uses, for the whole portfolio.
#[component]
fn DiscountRate() -> impl IntoView {
    let state = expect_context::<AppState>();
    let rate = RwSignal::new(
        state
            .portfolio
            .with_untracked(|p| number_text(p.settings.discount_rate_percent)),
    );
    let error = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = match parse_amount(&rate.get_untracked()) {
            Ok(v) if (-99.0..=1000.0).contains(&v) => v,
            Ok(_) => return error.set(Some("Enter a rate between \u{2212}99 and 1000 %.".into())),
            Err(e) => return error.set(Some(e)),
        };
        error.set(None);
        state.dispatch(Command::new(
            format!("Set the discount rate to {value} %"),
            vec![Op::SetRoot {
                change: FieldChange::set(&["settings", "discount_rate_percent"], json!(value)),
            }],
        ));
    };
    view! {
        <section aria-labelledby="finance-title" class="panel">
            <h2 id="finance-title">"Finance"</h2>
            <form class="inline-form" on:submit=save novalidate>
                <label for="discount-rate">"Discount rate (% per year)"</label>
                <input id="discount-rate" type="text" inputmode="decimal"
                    prop:value=move || rate.get()
                    on:input=move |ev| rate.set(event_target_value(&ev))/>
                <button type="submit">"Save discount rate"</button>
                <Show when=move || error.get().is_some()>
                    <p class="field-error" role="alert">{move || error.get()}</p>
                </Show>
            </form>
            <p class="hint">"Used for the net present value of every proposal's cash flows."</p>
        </section>
    }
}
