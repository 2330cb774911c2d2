//! Managing programs: list, add, edit (name, owner, description, the
//! objectives it serves) and delete (which unlinks its projects in the
//! same change).

use super::super::routes::Route;
use super::super::state::AppState;
use crate::domain::register::Query;
use crate::domain::validation::{message_for, validate_program};
use crate::domain::{new_id, Command, Entity, Program};
use crate::ui::exchange::ConflictBadge;
use leptos::prelude::*;

fn program_href(id: &str) -> String {
    Route::Projects(
        Query {
            program: Some(id.to_string()),
            ..Query::default()
        }
        .to_query_string(),
    )
    .href()
}

#[component]
pub fn ProgramsSection() -> impl IntoView {
    let state = expect_context::<AppState>();
    let programs = Memo::new(move |_| {
        state.portfolio.with(|p| {
            let mut list: Vec<(Program, usize, Vec<String>)> = p
                .programs
                .values()
                .map(|pr| {
                    let projects = p
                        .projects
                        .values()
                        .filter(|x| x.program_id.as_deref() == Some(pr.id.as_str()))
                        .count();
                    let objectives = pr
                        .objectives
                        .keys()
                        .filter_map(|o| p.objectives.get(o).map(|o| o.name.clone()))
                        .collect();
                    (pr.clone(), projects, objectives)
                })
                .collect();
            list.sort_by_key(|a| a.0.name.to_lowercase());
            list
        })
    });
    view! {
        <section class="panel" aria-labelledby="programs-title">
            <h2 id="programs-title">"Programs"</h2>
            <AddProgram/>
            <Show when=move || !programs.with(Vec::is_empty)
                fallback=|| view! { <p class="empty">"No programs yet."</p> }>
                <div class="table-wrap">
                    <table aria-label="Programs">
                        <thead><tr>
                            <th scope="col">"Name"</th><th scope="col">"Owner"</th>
                            <th scope="col">"Objectives"</th><th scope="col" class="num">"Projects"</th>
                            <th scope="col">"Actions"</th>
                        </tr></thead>
                        <tbody>
                            <For each=move || programs.get() key=|(p, n, o)| (p.id.clone(), serde_json::to_string(p).unwrap_or_default(), *n, o.clone()) let:item>
                                <ProgramRow program=item.0 projects=item.1 objectives=item.2/>
                            </For>
                        </tbody>
                    </table>
                </div>
            </Show>
        </section>
    }
}

#[component]
fn AddProgram() -> impl IntoView {
    let state = expect_context::<AppState>();
    let name = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let program = Program {
            id: new_id(),
            name: name.get_untracked().trim().to_string(),
            owner: owner.get_untracked().trim().to_string(),
            ..Program::default()
        };
        let errors = state
            .portfolio
            .with_untracked(|p| validate_program(&program, p.programs.values()));
        if let Some(message) = message_for(&errors, "name") {
            error.set(Some(message));
            return;
        }
        if state.dispatch(Command::new(
            format!("Add program {}", program.name),
            vec![program.create_op()],
        )) {
            name.set(String::new());
            owner.set(String::new());
            error.set(None);
        }
    };
    view! {
        <form class="inline-form" on:submit=add novalidate>
            <div class="field">
                <label for="new-program-name">"Program name"</label>
                <input id="new-program-name" type="text"
                    aria-invalid=move || error.get().is_some().then_some("true")
                    aria-describedby=move || error.get().is_some().then_some("new-program-error")
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="new-program-owner">"Owner"</label>
                <input id="new-program-owner" type="text"
                    prop:value=move || owner.get() on:input=move |ev| owner.set(event_target_value(&ev))/>
            </div>
            <button type="submit">"Add program"</button>
            <Show when=move || error.get().is_some()>
                <p id="new-program-error" class="field-error" role="alert">{move || error.get()}</p>
            </Show>
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
fn ProgramRow(program: Program, projects: usize, objectives: Vec<String>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let mode = RwSignal::new(Mode::View);
    let name = program.name.clone();
    let stored = StoredValue::new(program.clone());
    let delete = move |_| {
        let program = stored.get_value();
        let ops = state.portfolio.with_untracked(|p| {
            let mut ops = vec![program.delete_op()];
            for x in p
                .projects
                .values()
                .filter(|x| x.program_id.as_deref() == Some(program.id.as_str()))
            {
                let mut unlinked = x.clone();
                unlinked.program_id = None;
                ops.extend(unlinked.update_op(x));
            }
            ops
        });
        if state.dispatch(Command::new(
            format!("Delete program {}", program.name),
            ops,
        )) {
            mode.set(Mode::View);
        }
    };
    let (edit_label, delete_label) = (format!("Edit {name}"), format!("Delete {name}"));
    view! {
        <tr>
            <td>{program.name.clone()}" "<ConflictBadge collection="programs" id=program.id.clone()/></td>
            <td>{program.owner.clone()}</td>
            <td>{objectives.join(", ")}</td>
            <td class="num"><a href=program_href(&program.id)
                aria-label=format!("{projects} projects in {name}")>{projects}</a></td>
            <td class="row-actions">
                <Show when=move || mode.get() == Mode::View>
                    <button type="button" class="small secondary" aria-label=edit_label.clone()
                        on:click=move |_| mode.set(Mode::Edit)>"Edit"</button>
                    <button type="button" class="small secondary" aria-label=delete_label.clone()
                        on:click=move |_| mode.set(Mode::ConfirmDelete)>"Delete"</button>
                </Show>
                <Show when=move || mode.get() == Mode::ConfirmDelete>
                    <span class="confirm">
                        <span>{if projects == 0 { "Delete this program?".to_string() } else {
                            format!("Delete this program? {projects} project(s) will no longer belong to a program.")
                        }}</span>
                        <button type="button" class="small danger" on:click=delete>"Confirm delete"</button>
                        <button type="button" class="small secondary" on:click=move |_| mode.set(Mode::View)>"Cancel"</button>
                    </span>
                </Show>
            </td>
        </tr>
        <Show when=move || mode.get() == Mode::Edit>
            <tr class="edit-row"><td colspan="5"><EditProgram program=stored mode/></td></tr>
        </Show>
    }
}

#[component]
fn EditProgram(program: StoredValue<Program>, mode: RwSignal<Mode>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let draft = RwSignal::new(program.get_value());
    let error = RwSignal::new(None::<String>);
    let prefix = format!("program-{}", program.with_value(|p| p.id.clone()));
    let all_objectives = Memo::new(move |_| {
        state.portfolio.with(|p| {
            let mut list: Vec<(String, String)> = p
                .objectives
                .values()
                .map(|o| (o.id.clone(), o.name.clone()))
                .collect();
            list.sort_by_key(|a| a.1.to_lowercase());
            list
        })
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut new = draft.get_untracked();
        new.name = new.name.trim().to_string();
        new.owner = new.owner.trim().to_string();
        let id = new.id.clone();
        let Some(old) = state
            .portfolio
            .with_untracked(|p| p.programs.get(&id).cloned())
        else {
            error.set(Some("This program no longer exists.".into()));
            return;
        };
        let errors = state
            .portfolio
            .with_untracked(|p| validate_program(&new, p.programs.values()));
        if let Some(message) = message_for(&errors, "name") {
            error.set(Some(message));
            return;
        }
        let applied = match new.update_op(&old) {
            Some(op) => {
                state.dispatch(Command::new(format!("Edit program {}", old.name), vec![op]))
            }
            None => true,
        };
        if applied {
            mode.set(Mode::View);
        }
    };
    let (name_id, owner_id, desc_id, err_id) = (
        format!("{prefix}-name"),
        format!("{prefix}-owner"),
        format!("{prefix}-description"),
        format!("{prefix}-error"),
    );
    let described = err_id.clone();
    view! {
        <form class="edit-form" on:submit=save novalidate>
            <div class="field-grid">
                <div class="field">
                    <label for=name_id.clone()>"Name"</label>
                    <input id=name_id type="text"
                        aria-invalid=move || error.get().is_some().then_some("true")
                        aria-describedby=move || error.get().is_some().then(|| described.clone())
                        prop:value=move || draft.with(|d| d.name.clone())
                        on:input=move |ev| draft.update(|d| d.name = event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for=owner_id.clone()>"Owner"</label>
                    <input id=owner_id type="text" prop:value=move || draft.with(|d| d.owner.clone())
                        on:input=move |ev| draft.update(|d| d.owner = event_target_value(&ev))/>
                </div>
                <div class="field wide">
                    <label for=desc_id.clone()>"Description"</label>
                    <textarea id=desc_id rows="2" prop:value=move || draft.with(|d| d.description.clone())
                        on:input=move |ev| draft.update(|d| d.description = event_target_value(&ev))></textarea>
                </div>
            </div>
            <fieldset>
                <legend>"Objectives it serves"</legend>
                <For each=move || all_objectives.get() key=|o| o.clone() let:objective>
                    {
                        let (oid, oname) = objective;
                        let check_id = oid.clone();
                        let toggle_id = oid.clone();
                        view! {
                            <label class="checkbox">
                                <input type="checkbox"
                                    prop:checked=move || draft.with(|d| d.objectives.contains_key(&check_id))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        draft.update(|d| {
                                            if on { d.objectives.insert(toggle_id.clone(), true); } else { d.objectives.remove(&toggle_id); }
                                        });
                                    }/>
                                {format!(" {oname}")}
                            </label>
                        }
                    }
                </For>
            </fieldset>
            <Show when=move || error.get().is_some()>
                <p id=err_id.clone() class="field-error" role="alert">{move || error.get()}</p>
            </Show>
            <div class="actions">
                <button type="submit">"Save program"</button>
                <button type="button" class="secondary" on:click=move |_| mode.set(Mode::View)>"Cancel"</button>
            </div>
        </form>
    }
}
