//! The app frame: header, main navigation and the page outlet.

use super::dashboard::DashboardPage;
use super::project_page::ProjectPage;
use super::register::RegisterPage;
use super::roadmap::RoadmapPage;
use super::routes::Route;
use super::settings::SettingsPage;
use super::state::AppState;
use leptos::prelude::*;

#[component]
pub fn Header() -> impl IntoView {
    let state = expect_context::<AppState>();
    let portfolio_name = move || state.portfolio.with(|p| p.name.clone());
    let ready = move || state.phase.get() == super::Phase::Ready;
    view! {
        <header class="app-header">
            <a class="skip-link" href="#main">"Skip to content"</a>
            <span class="brand">"PMO Desk"</span>
            <Show when=ready>
                <span class="portfolio-name" title="Portfolio">{portfolio_name}</span>
            </Show>
            <Show when=move || !state.user_name.get().is_empty()>
                <span class="user-name">
                    <span class="sr-only">"Signed in as "</span>
                    {move || state.user_name.get()}
                </span>
            </Show>
        </header>
    }
}

#[component]
pub fn Page(route: ReadSignal<Route>) -> impl IntoView {
    view! {
        <Nav route/>
        {move || match route.get() {
            Route::Intake => view! { <super::intake::IntakePage/> }.into_any(),
            Route::Criteria => view! { <super::scoring::CriteriaPage/> }.into_any(),
            Route::Proposal(id) => view! { <super::intake::ProposalPage id/> }.into_any(),
            Route::Selection => view! { <super::selection::SelectionPage/> }.into_any(),
            Route::Governance => view! { <super::governance::GovernancePage/> }.into_any(),
            Route::Gates(id) => view! { <super::governance::GatesPage id/> }.into_any(),
            Route::Exchange => view! { <super::exchange::ExchangePage/> }.into_any(),
            Route::History => view! { <super::history::HistoryPage/> }.into_any(),
            Route::Dashboard => view! { <DashboardPage/> }.into_any(),
            Route::Projects(query_string) => view! { <RegisterPage query_string/> }.into_any(),
            Route::Project(id) => view! { <ProjectPage id/> }.into_any(),
            Route::Roadmap => view! { <RoadmapPage/> }.into_any(),
            Route::Settings => view! { <SettingsPage/> }.into_any(),
        }}
    }
}

#[component]
fn Nav(route: ReadSignal<Route>) -> impl IntoView {
    let links = Route::NAV
        .iter()
        .map(|r| {
            let target = r.clone();
            let current = move || route.with(|now| target.contains(now)).then_some("page");
            view! { <li><a href=r.href() aria-current=current>{r.title()}</a></li> }
        })
        .collect_view();
    view! {
        <nav class="main-nav" aria-label="Main">
            <ul>{links}</ul>
        </nav>
    }
}

/// Shown when storage holds a portfolio this app cannot read: explain, and
/// leave the data alone.
#[component]
pub fn Unreadable(message: String) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="unreadable-title">
            <h1 id="unreadable-title">"Your stored portfolio could not be opened"</h1>
            <p role="alert">{message}</p>
            <p>"Nothing has been changed or deleted. Try reloading the page; if this keeps happening, open the app in the newest version or ask a colleague for a copy of the portfolio file."</p>
        </section>
    }
}
