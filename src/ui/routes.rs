//! Hash-based routes (`#/projects`): they work from any static host and
//! sub-path, and a reload stays on the same page. A page's own state that
//! should survive a reload (register filters) lives in the hash's query
//! part and is updated with `history.replaceState`, which neither adds a
//! history entry per keystroke nor re-renders the page.

use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast};

#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    Dashboard,
    /// The register; carries its query string (filters, sort, grouping).
    Projects(String),
    /// One project's page, by id.
    Project(String),
    Roadmap,
    // Intake, selection and governance.
    Intake,
    Criteria,
    Proposal(String),
    Selection,
    Governance,
    Gates(String),
    // Exchange with colleagues and the document's history.
    Exchange,
    History,
    Settings,
}

impl Route {
    /// Pages in the main navigation, in order.
    pub const NAV: &'static [Route] = &[
        Route::Dashboard,
        Route::Projects(String::new()),
        Route::Roadmap,
        Route::Intake,
        Route::Selection,
        Route::Governance,
        Route::Exchange,
        Route::History,
        Route::Settings,
    ];

    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let mut parts = path.split('/');
        match (parts.next().unwrap_or(""), parts.next()) {
            ("projects", _) => Route::Projects(query.to_string()),
            ("project", Some(id)) if !id.is_empty() => {
                Route::Project(crate::domain::register::percent_decode(id))
            }
            ("roadmap", _) => Route::Roadmap,
            ("intake", Some("criteria")) => Route::Criteria,
            ("intake", _) => Route::Intake,
            ("proposal", Some(id)) if !id.is_empty() => {
                Route::Proposal(crate::domain::register::percent_decode(id))
            }
            ("selection", _) => Route::Selection,
            ("governance", _) => Route::Governance,
            ("gates", Some(id)) if !id.is_empty() => {
                Route::Gates(crate::domain::register::percent_decode(id))
            }
            ("exchange", _) => Route::Exchange,
            ("history", _) => Route::History,
            ("settings", _) => Route::Settings,
            // `#/`, unknown and stale links land on the dashboard.
            _ => Route::Dashboard,
        }
    }

    pub fn href(&self) -> String {
        match self {
            Route::Dashboard => "#/".into(),
            Route::Projects(q) if q.is_empty() => "#/projects".into(),
            Route::Projects(q) => format!("#/projects?{q}"),
            Route::Project(id) => {
                format!("#/project/{}", crate::domain::register::percent_encode(id))
            }
            Route::Roadmap => "#/roadmap".into(),
            Route::Intake => "#/intake".into(),
            Route::Criteria => "#/intake/criteria".into(),
            Route::Proposal(id) => {
                format!("#/proposal/{}", crate::domain::register::percent_encode(id))
            }
            Route::Selection => "#/selection".into(),
            Route::Governance => "#/governance".into(),
            Route::Gates(id) => {
                format!("#/gates/{}", crate::domain::register::percent_encode(id))
            }
            Route::Exchange => "#/exchange".into(),
            Route::History => "#/history".into(),
            Route::Settings => "#/settings".into(),
        }
    }

    pub fn title(&self) -> &'static str {
        match self {
            Route::Dashboard => "Dashboard",
            Route::Projects(_) | Route::Project(_) => "Projects",
            Route::Roadmap => "Roadmap",
            Route::Intake | Route::Criteria | Route::Proposal(_) => "Intake",
            Route::Selection => "Selection",
            Route::Governance | Route::Gates(_) => "Governance",
            Route::Exchange => "Exchange",
            Route::History => "History",
            Route::Settings => "Settings",
        }
    }

    /// Whether `self` (a navigation entry) is the section `current` is in.
    pub fn contains(&self, current: &Route) -> bool {
        // Sub-pages (a project, a proposal, a project's gates) are titled
        // after their section.
        self.title() == current.title()
    }
}

/// The address's hash as the browser shows it now.
pub fn current_hash() -> String {
    read_hash()
}

fn read_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

thread_local! {
    /// The address the page shows, as last seen or written by [`replace`].
    static SHOWN_HASH: std::cell::RefCell<String> = std::cell::RefCell::new(read_hash());
}

/// The current route, following `hashchange` events. Only a change of
/// address the page does not already show notifies, so pages are not
/// rebuilt for nothing (and not for their own [`replace`]).
pub fn current_route() -> ReadSignal<Route> {
    let (route, set_route) = signal(Route::parse(&read_hash()));
    SHOWN_HASH.with(|h| *h.borrow_mut() = read_hash());
    let on_change = Closure::<dyn Fn()>::new(move || {
        let hash = read_hash();
        let changed = SHOWN_HASH.with(|h| {
            let mut shown = h.borrow_mut();
            let changed = *shown != hash;
            *shown = hash.clone();
            changed
        });
        if changed {
            set_route.set(Route::parse(&hash));
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

/// Goes to `route` (adds a history entry, like following a link).
pub fn navigate(route: &Route) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_hash(&route.href());
    }
}

/// Rewrites the address to `route` without a history entry and without
/// a `hashchange` (the page already shows it).
pub fn replace(route: &Route) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let href = route.href();
    if read_hash() == href {
        return;
    }
    if let Ok(history) = window.history() {
        if history
            .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&href))
            .is_ok()
        {
            SHOWN_HASH.with(|h| *h.borrow_mut() = read_hash());
        }
    }
}
