//! Managing strategic objectives: list, add, edit (name, weight,
//! description) and delete (which removes the objective from projects and
//! programs in the same change).

use super::super::routes::Route;
use super::super::state::AppState;
use crate::domain::format::plain_number;
use crate::domain::register::Query;
use crate::domain::validation::{message_for, parse_number, validate_objective};
use crate::domain::{new_id, Command, Entity, Objective};
use crate::ui::exchange::ConflictBadge;
use leptos::prelude::*;

fn objective_href(id: &str) -> String {
    Route::Projects(
        Query {
            objective: Some(id.to_string()),
            ..Query::default()
        }
        .to_query_string(),
    )
    .href()
}

#[component]
pub fn ObjectivesSection() -> impl IntoView {
    let state = expect_context::<AppState>();
    let objectives = Memo::new(move |_| {
        state.portfolio.with(|p| {
            let total_weight: f64 = p.objectives.values().map(|o| o.weight.max(0.0)).sum();
            let mut list: Vec<(Objective, usize, String)> = p
                .objectives
                .values()
                .map(|o| {
                    let projects = p
                        .projects
                        .values()
                        .filter(|x| x.objectives.contains_key(&o.id))
                        .count();
                    let share = if total_weight > 0.0 {
                        format!("{}%", (o.weight.max(0.0) / total_weight * 100.0).round())
                    } else {
                        "\u{2014}".into()
                    };
                    (o.clone(), projects, share)
                })
                .collect();
            list.sort_by(|a, b| {
                b.0.weight
                    .total_cmp(&a.0.weight)
                    .then_with(|| a.0.name.cmp(&b.0.name))
            });
            list
        })
    });
    view! {
        <section class="panel" aria-labelledby="objectives-title">
            <h2 id="objectives-title">"Strategic objectives"</h2>
            <AddObjective/>
            <Show when=move || !objectives.with(Vec::is_empty)
                fallback=|| view! { <p class="empty">"No objectives yet."</p> }>
                <div class="table-wrap">
                    <table aria-label="Objectives">
                        <thead><tr>
                            <th scope="col">"Name"</th><th scope="col" class="num">"Weight"</th>
                            <th scope="col" class="num">"Share"</th><th scope="col">"Description"</th>
                            <th scope="col" class="num">"Projects"</th><th scope="col">"Actions"</th>
                        </tr></thead>
                        <tbody>
                            <For each=move || objectives.get() key=|(o, n, s)| (o.id.clone(), o.name.clone(), o.description.clone(), o.weight.to_bits(), *n, s.clone()) let:item>
                                <ObjectiveRow objective=item.0 projects=item.1 share=item.2/>
                            </For>
                        </tbody>
                    </table>
                </div>
            </Show>
        </section>
    }
}

#[component]
fn AddObjective() -> impl IntoView {
    let state = expect_context::<AppState>();
    let name = RwSignal::new(String::new());
    let weight = RwSignal::new("1".to_string());
    let error = RwSignal::new(None::<(&'static str, String)>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let w = match parse_number(&weight.get_untracked()) {
            Ok(w) => w.unwrap_or(1.0),
            Err(e) => {
                error.set(Some(("weight", e)));
                return;
            }
        };
        let objective = Objective {
            id: new_id(),
            name: name.get_untracked().trim().to_string(),
            weight: w,
            ..Objective::default()
        };
        let errors = state
            .portfolio
            .with_untracked(|p| validate_objective(&objective, p.objectives.values()));
        if let Some(e) = errors.first() {
            error.set(Some((e.field, e.message.clone())));
            return;
        }
        if state.dispatch(Command::new(
            format!("Add objective {}", objective.name),
            vec![objective.create_op()],
        )) {
            name.set(String::new());
            weight.set("1".into());
            error.set(None);
        }
    };
    let error_on = move |field: &'static str| {
        move || {
            error
                .with(|e| e.as_ref().is_some_and(|(f, _)| *f == field))
                .then_some("true")
        }
    };
    view! {
        <form class="inline-form" on:submit=add novalidate>
            <div class="field">
                <label for="new-objective-name">"Objective name"</label>
                <input id="new-objective-name" type="text" aria-invalid=error_on("name")
                    aria-describedby="new-objective-error"
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="new-objective-weight">"Weight"</label>
                <input id="new-objective-weight" type="text" inputmode="decimal" aria-invalid=error_on("weight")
                    aria-describedby="new-objective-error"
                    prop:value=move || weight.get() on:input=move |ev| weight.set(event_target_value(&ev))/>
            </div>
            <button type="submit">"Add objective"</button>
            <p id="new-objective-error" class="field-error" role="alert" hidden=move || error.with(Option::is_none)>
                {move || error.get().map(|e| e.1)}
            </p>
        </form>
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    View,
    Edit,
    ConfirmDelete,
}

#[component]
fn ObjectiveRow(objective: Objective, projects: usize, share: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let mode = RwSignal::new(Mode::View);
    let name = objective.name.clone();
    let stored = StoredValue::new(objective.clone());
    let delete = move |_| {
        let objective = stored.get_value();
        let ops = state.portfolio.with_untracked(|p| {
            let mut ops = vec![objective.delete_op()];
            for x in p
                .projects
                .values()
                .filter(|x| x.objectives.contains_key(&objective.id))
            {
                let mut unlinked = x.clone();
                unlinked.objectives.remove(&objective.id);
                ops.extend(unlinked.update_op(x));
            }
            for x in p
                .programs
                .values()
                .filter(|x| x.objectives.contains_key(&objective.id))
            {
                let mut unlinked = x.clone();
                unlinked.objectives.remove(&objective.id);
                ops.extend(unlinked.update_op(x));
            }
            ops
        });
        if state.dispatch(Command::new(
            format!("Delete objective {}", objective.name),
            ops,
        )) {
            mode.set(Mode::View);
        }
    };
    let (edit_label, delete_label) = (format!("Edit {name}"), format!("Delete {name}"));
    view! {
        <tr>
            <td>{objective.name.clone()}" "<ConflictBadge collection="objectives" id=objective.id.clone()/></td>
            <td class="num">{plain_number(objective.weight)}</td>
            <td class="num">{share}</td>
            <td>{objective.description.clone()}</td>
            <td class="num"><a href=objective_href(&objective.id)
                aria-label=format!("{projects} projects serving {name}")>{projects}</a></td>
            <td class="row-actions">
                <Show when=move || mode.get() == Mode::View>
                    <button type="button" class="small secondary" aria-label=edit_label.clone()
                        on:click=move |_| mode.set(Mode::Edit)>"Edit"</button>
                    <button type="button" class="small secondary" aria-label=delete_label.clone()
                        on:click=move |_| mode.set(Mode::ConfirmDelete)>"Delete"</button>
                </Show>
                <Show when=move || mode.get() == Mode::ConfirmDelete>
                    <span class="confirm">
                        <span>{if projects == 0 { "Delete this objective?".to_string() } else {
                            format!("Delete this objective? {projects} project(s) will no longer be aligned to it.")
                        }}</span>
                        <button type="button" class="small danger" on:click=delete>"Confirm delete"</button>
                        <button type="button" class="small secondary" on:click=move |_| mode.set(Mode::View)>"Cancel"</button>
                    </span>
                </Show>
            </td>
        </tr>
        <Show when=move || mode.get() == Mode::Edit>
            <tr class="edit-row"><td colspan="6"><EditObjective objective=stored mode/></td></tr>
        </Show>
    }
}

#[component]
fn EditObjective(objective: StoredValue<Objective>, mode: RwSignal<Mode>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let original = objective.get_value();
    let name = RwSignal::new(original.name.clone());
    let weight = RwSignal::new(plain_number(original.weight));
    let description = RwSignal::new(original.description.clone());
    let error = RwSignal::new(None::<String>);
    let prefix = format!("objective-{}", original.id);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = objective.with_value(|o| o.id.clone());
        let Some(old) = state
            .portfolio
            .with_untracked(|p| p.objectives.get(&id).cloned())
        else {
            error.set(Some("This objective no longer exists.".into()));
            return;
        };
        let w = match parse_number(&weight.get_untracked()) {
            Ok(w) => w.unwrap_or(0.0),
            Err(e) => {
                error.set(Some(e));
                return;
            }
        };
        let new = Objective {
            name: name.get_untracked().trim().to_string(),
            weight: w,
            description: description.get_untracked(),
            ..old.clone()
        };
        let errors = state
            .portfolio
            .with_untracked(|p| validate_objective(&new, p.objectives.values()));
        if let Some(message) =
            message_for(&errors, "name").or_else(|| message_for(&errors, "weight"))
        {
            error.set(Some(message));
            return;
        }
        let applied = match new.update_op(&old) {
            Some(op) => state.dispatch(Command::new(
                format!("Edit objective {}", old.name),
                vec![op],
            )),
            None => true,
        };
        if applied {
            mode.set(Mode::View);
        }
    };
    let (name_id, weight_id, desc_id, err_id) = (
        format!("{prefix}-name"),
        format!("{prefix}-weight"),
        format!("{prefix}-description"),
        format!("{prefix}-error"),
    );
    let (d1, d2) = (err_id.clone(), err_id.clone());
    view! {
        <form class="edit-form" on:submit=save novalidate>
            <div class="field-grid">
                <div class="field">
                    <label for=name_id.clone()>"Name"</label>
                    <input id=name_id type="text" aria-describedby=move || error.get().is_some().then(|| d1.clone())
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for=weight_id.clone()>"Weight"</label>
                    <input id=weight_id type="text" inputmode="decimal" aria-describedby=move || error.get().is_some().then(|| d2.clone())
                        prop:value=move || weight.get() on:input=move |ev| weight.set(event_target_value(&ev))/>
                </div>
                <div class="field wide">
                    <label for=desc_id.clone()>"Description"</label>
                    <textarea id=desc_id rows="2" prop:value=move || description.get()
                        on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                </div>
            </div>
            <Show when=move || error.get().is_some()>
                <p id=err_id.clone() class="field-error" role="alert">{move || error.get()}</p>
            </Show>
            <div class="actions">
                <button type="submit">"Save objective"</button>
                <button type="button" class="secondary" on:click=move |_| mode.set(Mode::View)>"Cancel"</button>
            </div>
        </form>
    }
}
