//! A project's health, explained: each dimension with its rating and the
//! rule behind it, and a manager's override (with a mandatory reason).

use super::super::state::{today, AppState};
use super::badge::RagBadge;
use crate::domain::health::DimensionHealth;
use crate::domain::{Command, Dimension, Entity, HealthOverride, Rag};
use leptos::prelude::*;

#[component]
pub fn HealthPanel(id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let project_id = StoredValue::new(id);
    let report = Memo::new(move |_| {
        state.portfolio.with(|p| {
            project_id.with_value(|id| {
                p.projects
                    .get(id)
                    .map(|project| p.health_of(project, today()))
            })
        })
    });
    view! {
        {move || report.get().map(|r| view! {
            <p class="overall">
                <span>"Overall: "</span><RagBadge rag=r.overall/>
                <span class="reason">{format!(" {}", r.overall_reason)}</span>
            </p>
        })}
        <table class="health-table" aria-label="Health by dimension">
            <thead>
                <tr><th scope="col">"Dimension"</th><th scope="col">"Rating"</th><th scope="col">"Why"</th><th scope="col">"Override"</th></tr>
            </thead>
            <tbody>
                {Dimension::ALL.into_iter().map(|dimension| {
                    let row = Signal::derive(move || report.with(|r| r.as_ref().map(|r| r.get(dimension).clone())));
                    view! { <DimensionRow dimension row project_id/> }
                }).collect_view()}
            </tbody>
        </table>
        <p class="hint">"Schedule and budget are computed from the dates, costs and progress, scope from the approved change requests that change it, with the thresholds in "
            <a href="#/settings">"Settings"</a>
            ". Resources and risks have no data yet: a manager assesses them with an override."</p>
    }
}

#[component]
fn DimensionRow(
    dimension: Dimension,
    row: Signal<Option<DimensionHealth>>,
    project_id: StoredValue<String>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let editing = RwSignal::new(false);
    let label = dimension.label();
    let clear = move |_| {
        let id = project_id.get_value();
        let Some(old) = state
            .portfolio
            .with_untracked(|p| p.projects.get(&id).cloned())
        else {
            return;
        };
        let mut new = old.clone();
        new.health_overrides.remove(dimension.key());
        if let Some(op) = new.update_op(&old) {
            state.dispatch(Command::new(
                format!(
                    "Clear {} health override of {}",
                    dimension.key(),
                    old.label()
                ),
                vec![op],
            ));
        }
    };
    view! {
        <tr>
            <th scope="row">{label}</th>
            <td>{move || row.get().map(|r| view! { <RagBadge rag=r.rag/> })}</td>
            <td class="reason">
                {move || row.get().map(|r| match &r.overridden {
                    Some(_) => view! {
                        <p><strong>"Overridden. "</strong>{r.reason.clone()}</p>
                        <p class="hint">{format!("Computed: {} \u{2014} {}", r.computed.label(), r.computed_reason)}</p>
                    }.into_any(),
                    None => view! { <p>{r.reason.clone()}</p> }.into_any(),
                })}
            </td>
            <td class="row-actions">
                <Show when=move || !editing.get()>
                    <button type="button" class="small secondary" aria-label=format!("Override {label} health")
                        on:click=move |_| editing.set(true)>"Override"</button>
                    <Show when=move || row.with(|r| r.as_ref().is_some_and(|r| r.overridden.is_some()))>
                        <button type="button" class="small secondary" aria-label=format!("Clear {label} override")
                            on:click=clear>"Clear"</button>
                    </Show>
                </Show>
            </td>
        </tr>
        <Show when=move || editing.get()>
            <tr class="override-row">
                <td colspan="4">
                    <OverrideForm dimension project_id editing
                        current=row.get_untracked().map(|r| r.rag).unwrap_or_default()/>
                </td>
            </tr>
        </Show>
    }
}

#[component]
fn OverrideForm(
    dimension: Dimension,
    project_id: StoredValue<String>,
    editing: RwSignal<bool>,
    current: Rag,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let label = dimension.label();
    let rag = RwSignal::new(current);
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let key = dimension.key();
    let rating_id = format!("override-{key}-rag");
    let reason_id = format!("override-{key}-reason");
    let error_id = format!("override-{key}-error");
    let described = error_id.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = reason.get_untracked().trim().to_string();
        if text.is_empty() {
            error.set(Some(
                "Give a reason: it is shown to everyone next to the rating.".into(),
            ));
            return;
        }
        let id = project_id.get_value();
        let Some(old) = state
            .portfolio
            .with_untracked(|p| p.projects.get(&id).cloned())
        else {
            error.set(Some("This project no longer exists.".into()));
            return;
        };
        let mut new = old.clone();
        let value = rag.get_untracked();
        new.health_overrides.insert(
            key.to_string(),
            HealthOverride {
                rag: value,
                reason: text,
                by: state.user_name.get_untracked(),
                at: Some(today()),
            },
        );
        let applied = match new.update_op(&old) {
            Some(op) => state.dispatch(Command::new(
                format!(
                    "Override {key} health of {} to {}",
                    old.label(),
                    value.label().to_lowercase()
                ),
                vec![op],
            )),
            None => true,
        };
        if applied {
            editing.set(false);
        }
    };
    view! {
        <form class="override-form" on:submit=save novalidate>
            <div class="field">
                <label for=rating_id.clone()>{format!("Rating for {label}")}</label>
                <select id=rating_id on:change=move |ev| rag.set(Rag::parse(&event_target_value(&ev)).unwrap_or_default())>
                    {Rag::ALL.into_iter().map(|r| view! {
                        <option value=r.key() selected=r == current>{r.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field wide">
                <label for=reason_id.clone()>{format!("Reason for the {} override", label.to_lowercase())}</label>
                <textarea id=reason_id rows="2" required
                    aria-invalid=move || error.get().is_some().then_some("true")
                    aria-describedby=move || error.get().is_some().then(|| described.clone())
                    prop:value=move || reason.get()
                    on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
            </div>
            <Show when=move || error.get().is_some()>
                <p id=error_id.clone() class="field-error" role="alert">{move || error.get()}</p>
            </Show>
            <div class="actions">
                <button type="submit">"Save override"</button>
                <button type="button" class="secondary" on:click=move |_| editing.set(false)>"Cancel"</button>
            </div>
        </form>
    }
}
