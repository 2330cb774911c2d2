//! The projects page: add, rename and delete projects.

use super::exchange::ConflictBadge;
use super::state::AppState;
use crate::domain::{new_id, Command, Entity, Project};
use leptos::prelude::*;

#[component]
pub fn ProjectsPage() -> impl IntoView {
    view! {
        <section aria-labelledby="projects-title">
            <h1 id="projects-title">"Projects"</h1>
            <AddProject/>
            <ProjectTable/>
        </section>
    }
}

#[component]
fn AddProject() -> impl IntoView {
    let state = expect_context::<AppState>();
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = name.get_untracked().trim().to_string();
        if value.is_empty() {
            error.set(Some("Enter a project name.".into()));
            return;
        }
        let project = Project::named(new_id(), value.clone());
        if state.dispatch(Command::new(
            format!("Add project {value}"),
            vec![project.create_op()],
        )) {
            name.set(String::new());
            error.set(None);
        }
    };
    view! {
        <form class="inline-form" on:submit=add novalidate>
            <label for="new-project-name">"New project name"</label>
            <input id="new-project-name" type="text"
                prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev))/>
            <button type="submit" class="primary">"Add project"</button>
            <Show when=move || error.get().is_some()>
                <p class="field-error" role="alert">{move || error.get()}</p>
            </Show>
        </form>
    }
}

#[component]
fn ProjectTable() -> impl IntoView {
    let state = expect_context::<AppState>();
    let projects = move || {
        state.portfolio.with(|p| {
            p.projects_by_name()
                .into_iter()
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let empty = move || state.portfolio.with(|p| p.projects.is_empty());
    view! {
        <table aria-label="Projects">
            <thead>
                <tr><th scope="col">"Name"</th><th scope="col">"Status"</th><th scope="col">"Actions"</th></tr>
            </thead>
            <tbody>
                <Show when=empty>
                    <tr><td colspan="3" class="empty">"No projects yet. Add the first one above."</td></tr>
                </Show>
                <For each=projects key=|p| (p.id.clone(), p.name.clone(), p.status) let:project>
                    <ProjectRow project/>
                </For>
            </tbody>
        </table>
    }
}

#[derive(Clone, Copy, PartialEq)]
enum RowMode {
    View,
    Rename,
    ConfirmDelete,
}

#[component]
fn ProjectRow(project: Project) -> impl IntoView {
    let mode = RwSignal::new(RowMode::View);
    let name = project.name.clone();
    let project = StoredValue::new(project);
    view! {
        <tr>
            <td>
                {move || match mode.get() {
                    RowMode::Rename => view! { <RenameForm project mode/> }.into_any(),
                    _ => view! {
                        <span>{project.with_value(|p| p.name.clone())}</span>
                        " "
                        <ConflictBadge collection="projects" id=project.with_value(|p| p.id.clone())/>
                    }.into_any(),
                }}
            </td>
            <td>{project.with_value(|p| p.status.label())}</td>
            <td class="row-actions">
                {move || match mode.get() {
                    RowMode::View => view! {
                        <button type="button" aria-label=format!("Rename {name}") on:click=move |_| mode.set(RowMode::Rename)>"Rename"</button>
                        <button type="button" aria-label=format!("Delete {name}") on:click=move |_| mode.set(RowMode::ConfirmDelete)>"Delete"</button>
                    }.into_any(),
                    RowMode::ConfirmDelete => view! { <ConfirmDelete project mode/> }.into_any(),
                    RowMode::Rename => ().into_any(),
                }}
            </td>
        </tr>
    }
}

#[component]
fn RenameForm(project: StoredValue<Project>, mode: RwSignal<RowMode>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let old = project.get_value();
    let label = format!("New name for {}", old.name);
    let value = RwSignal::new(old.name.clone());
    let error = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let old = project.get_value();
        let new_name = value.get_untracked().trim().to_string();
        if new_name.is_empty() {
            error.set(Some("A project needs a name.".into()));
            return;
        }
        let mut renamed = old.clone();
        renamed.name = new_name.clone();
        let applied = match renamed.update_op(&old) {
            Some(op) => state.dispatch(Command::new(
                format!("Rename project {} to {new_name}", old.name),
                vec![op],
            )),
            None => true,
        };
        if applied {
            mode.set(RowMode::View);
        }
    };
    view! {
        <form class="inline-form" on:submit=save novalidate>
            <input type="text" aria-label=label
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))/>
            <button type="submit" class="primary">"Save name"</button>
            <button type="button" on:click=move |_| mode.set(RowMode::View)>"Cancel"</button>
            <Show when=move || error.get().is_some()>
                <p class="field-error" role="alert">{move || error.get()}</p>
            </Show>
        </form>
    }
}

#[component]
fn ConfirmDelete(project: StoredValue<Project>, mode: RwSignal<RowMode>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let delete = move |_| {
        let p = project.get_value();
        if state.dispatch(Command::new(
            format!("Delete project {}", p.label()),
            vec![p.delete_op()],
        )) {
            mode.set(RowMode::View);
        }
    };
    view! {
        <span class="confirm">
            <span>"Delete this project?"</span>
            <button type="button" class="danger" on:click=delete>"Confirm delete"</button>
            <button type="button" on:click=move |_| mode.set(RowMode::View)>"Cancel"</button>
        </span>
    }
}
