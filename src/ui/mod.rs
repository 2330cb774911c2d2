//! Leptos user interface: the app shell, pages and small components.
//! Pages read the portfolio snapshot from [`AppState`]; every edit goes
//! through [`AppState::dispatch`].

mod dashboard;
mod exchange;
mod first_run;
pub mod governance;
mod history;
mod intake;
mod notices;
mod project_page;
mod register;
mod roadmap;
mod routes;
mod scoring;
mod selection;
mod settings;
mod shell;
mod state;

pub use routes::Route;
pub use state::{AppState, Phase};

use leptos::prelude::*;

/// Mounts the app into `<body>`.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    state.start();
    exchange::provide(state);
    let route = routes::current_route();
    view! {
        <shell::Header/>
        <notices::Notices/>
        <exchange::DropZone/>
        <main id="main">
            {move || match state.phase.get() {
                Phase::Loading => view! { <p class="loading">"Opening your portfolio\u{2026}"</p> }.into_any(),
                Phase::FirstRun => view! { <first_run::FirstRun/> }.into_any(),
                Phase::Unreadable(message) => view! { <shell::Unreadable message/> }.into_any(),
                Phase::Ready => view! { <shell::Page route/> }.into_any(),
            }}
        </main>
    }
}
