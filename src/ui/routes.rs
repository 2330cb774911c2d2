//! Hash-based routes (`#/projects`): they work from any static host and
//! sub-path, and a reload stays on the same page.

use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast};

#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    Projects,
    Exchange,
    History,
}

impl Route {
    /// Pages in the main navigation, in order.
    pub const NAV: &'static [Route] = &[Route::Projects, Route::Exchange, Route::History];

    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        match path.split('/').next().unwrap_or_default() {
            "exchange" => Route::Exchange,
            "history" => Route::History,
            // Unknown paths land on the projects page rather than an error.
            _ => Route::Projects,
        }
    }

    pub fn href(&self) -> &'static str {
        match self {
            Route::Projects => "#/projects",
            Route::Exchange => "#/exchange",
            Route::History => "#/history",
        }
    }

    pub fn title(&self) -> &'static str {
        match self {
            Route::Projects => "Projects",
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
