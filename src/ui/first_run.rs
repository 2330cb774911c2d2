//! The first-run screen: who you are and which portfolio to start with.

use super::notices::NoticeKind;
use super::state::AppState;
use leptos::prelude::*;

#[component]
pub fn FirstRun() -> impl IntoView {
    let state = expect_context::<AppState>();
    let user_name = RwSignal::new(state.user_name.get_untracked());
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
    // Register feature: the sample is a real portfolio, made in one click.
    let try_sample = move |_| match state.create_sample_portfolio(&user_name.get_untracked()) {
        Ok(()) => {
            error.set(None);
            super::routes::navigate(&super::routes::Route::Dashboard);
        }
        Err(message) => error.set(Some(message)),
    };
    let not_yet = move |what: &'static str| {
        move |_| {
            state.notify(
                NoticeKind::Info,
                format!("{what} is not available in this version yet."),
            )
        }
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
                    <button type="button" on:click=not_yet("Opening a portfolio file")>"Open a portfolio file"</button>
                    <button type="button" on:click=try_sample>"Try the sample portfolio"</button>
                </div>
            </form>
        </section>
    }
}
