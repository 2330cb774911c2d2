//! The first-run screen: who you are and which portfolio to start with.

use super::exchange::{self, Exchange};
use super::state::AppState;
use leptos::html::Input;
use leptos::prelude::*;

#[component]
pub fn FirstRun() -> impl IntoView {
    let state = expect_context::<AppState>();
    // Shared with the drop zone: a file dropped here opens under this name.
    let exchange_state = expect_context::<Exchange>();
    let user_name = exchange_state.draft_name;
    let file_input = NodeRef::<Input>::new();
    let portfolio_name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);

    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = portfolio_name.get_untracked();
        if name.trim().is_empty() {
            error.set(Some("Enter a name for the portfolio.".into()));
            return;
        }
        match state.create_portfolio(&name, &user_name.get_untracked()) {
            Ok(()) => error.set(None),
            Err(message) => error.set(Some(message)),
        }
    };
    // Opening a colleague's file is how a second person joins a portfolio.
    let choose_file = move |_| {
        if user_name.get_untracked().trim().is_empty() {
            error.set(Some(
                "Enter your name first: it is shown next to your changes.".into(),
            ));
            return;
        }
        error.set(None);
        if let Some(input) = file_input.get() {
            input.click();
        }
    };
    let file_chosen = move |_| {
        let Some(input) = file_input.get() else {
            return;
        };
        let file = input.files().and_then(|files| files.get(0));
        input.set_value("");
        if let Some(file) = file {
            if user_name.get_untracked().trim().is_empty() {
                error.set(Some(
                    "Enter your name first: it is shown next to your changes.".into(),
                ));
                return;
            }
            error.set(None);
            exchange::import(state, exchange_state, file);
        }
    };
    // Register feature: the sample is a real portfolio, made in one click.
    let try_sample = move |_| match state.create_sample_portfolio(&user_name.get_untracked()) {
        Ok(()) => {
            error.set(None);
            super::routes::navigate(&super::routes::Route::Dashboard);
        }
        Err(message) => error.set(Some(message)),
    };

    view! {
        <section class="panel first-run" aria-labelledby="welcome-title">
            <h1 id="welcome-title">"Welcome to PMO Desk"</h1>
            <p>"Your portfolio stays in this browser. Share it with colleagues by exchanging files; every import merges their changes with yours."</p>
            <form on:submit=create novalidate>
                <div class="field">
                    <label for="first-run-user">"Your name"</label>
                    <input id="first-run-user" type="text" autocomplete="name" required
                        prop:value=move || user_name.get()
                        on:input=move |ev| user_name.set(event_target_value(&ev))/>
                    <p class="hint">"Shown next to your changes in the history."</p>
                </div>
                <div class="field">
                    <label for="first-run-portfolio">"Portfolio name"</label>
                    <input id="first-run-portfolio" type="text" required
                        prop:value=move || portfolio_name.get()
                        on:input=move |ev| portfolio_name.set(event_target_value(&ev))/>
                </div>
                <Show when=move || error.get().is_some()>
                    <p class="field-error" role="alert">{move || error.get()}</p>
                </Show>
                <div class="actions">
                    <button type="submit" class="primary">"Create a new portfolio"</button>
                    <button type="button" on:click=choose_file>"Open a portfolio file"</button>
                    <button type="button" on:click=try_sample>"Try the sample portfolio"</button>
                </div>
                // Opened by the button above; out of the tab order, so
                // keyboards reach the chooser through that button.
                <div class="file-picker">
                    <label for="first-run-file" class="sr-only">"Portfolio file"</label>
                    <input id="first-run-file" class="sr-only" type="file" tabindex="-1"
                        accept=".pmo,application/octet-stream"
                        node_ref=file_input on:change=file_chosen/>
                </div>
                <p class="hint">"Got a portfolio file from a colleague? Open it (or drop it on this page) to work on the same portfolio."</p>
            </form>
        </section>
    }
}
