//! Quick add: a project by name, straight into the register.

use super::super::notices::NoticeKind;
use super::super::state::AppState;
use crate::domain::{new_id, Command, Entity, Project};
use leptos::prelude::*;

#[component]
pub fn QuickAdd(
    /// Called with the new project's id once it is stored.
    on_added: impl Fn(String) + 'static,
) -> impl IntoView {
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
            state.notify(
                NoticeKind::Info,
                format!("Added {value}. Open it to fill in its details."),
            );
            on_added(project.id);
        }
    };
    view! {
        <form class="inline-form quick-add" on:submit=add novalidate>
            <label for="new-project-name">"New project name"</label>
            <input id="new-project-name" type="text"
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=move || error.get().is_some().then_some("new-project-error")
                prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev))/>
            <button type="submit">"Add project"</button>
            <Show when=move || error.get().is_some()>
                <p id="new-project-error" class="field-error" role="alert">{move || error.get()}</p>
            </Show>
        </form>
    }
}
