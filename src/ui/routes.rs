//! Hash-based routes (`#/projects`): they work from any static host and
//! sub-path, and a reload stays on the same page.

use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast};

#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    Projects,
    // Intake, selection and governance.
    Intake,
    Criteria,
    Proposal(String),
    Selection,
    Governance,
    Gates(String),
    Exchange,
    History,
}

impl Route {
    /// Pages in the main navigation, in order.
    pub const NAV: &'static [Route] = &[
        Route::Projects,
        Route::Intake,
        Route::Selection,
        Route::Governance,
        Route::Exchange,
        Route::History,
    ];

    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let path = path.split('?').next().unwrap_or_default();
        let mut parts = path.split('/');
        match (parts.next().unwrap_or_default(), parts.next()) {
            ("intake", Some("criteria")) => Route::Criteria,
            ("intake", _) => Route::Intake,
            ("proposal", Some(id)) if !id.is_empty() => Route::Proposal(id.to_string()),
            ("selection", _) => Route::Selection,
            ("governance", _) => Route::Governance,
            ("gates", Some(id)) if !id.is_empty() => Route::Gates(id.to_string()),
            ("exchange", _) => Route::Exchange,
            ("history", _) => Route::History,
            // Unknown paths land on the projects page rather than an error.
            _ => Route::Projects,
        }
    }

    pub fn href(&self) -> String {
        match self {
            Route::Projects => "#/projects".into(),
            Route::Intake => "#/intake".into(),
            Route::Criteria => "#/intake/criteria".into(),
            Route::Proposal(id) => format!("#/proposal/{id}"),
            Route::Selection => "#/selection".into(),
            Route::Governance => "#/governance".into(),
            Route::Gates(id) => format!("#/gates/{id}"),
            Route::Exchange => "#/exchange".into(),
            Route::History => "#/history".into(),
        }
    }

    pub fn title(&self) -> &'static str {
        match self {
            Route::Projects => "Projects",
            Route::Intake | Route::Criteria | Route::Proposal(_) => "Intake",
            Route::Selection => "Selection",
            Route::Governance | Route::Gates(_) => "Governance",
            Route::Exchange => "Exchange",
            Route::History => "History",
        }
    }
}

/// The current route, following `hashchange` events.
pub fn current_route() -> ReadSignal<Route> {
    let read_hash = || {
        web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default()
    };
    let (route, set_route) = signal(Route::parse(&read_hash()));
    let on_change = Closure::<dyn Fn()>::new(move || {
        // Re-rendering the same page would drop what the user is typing.
        let next = Route::parse(&read_hash());
        if route.get_untracked() != next {
            set_route.set(next);
        }
    });
    if let Some(window) = web_sys::window() {
        let _ = window
            .add_event_listener_with_callback("hashchange", on_change.as_ref().unchecked_ref());
    }
    // The listener lives as long as the page (the app is never unmounted).
    on_change.forget();
    route
}
