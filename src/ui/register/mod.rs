//! The register's UI parts: the projects table with its filters and CSV
//! export, quick add, and the small components the dashboard, project
//! page, roadmap and settings share (RAG badge, field with its error,
//! program and objective management).

mod badge;
mod download;
pub mod fields;
mod filters;
pub mod health_panel;
pub mod objectives;
mod page;
pub mod programs;
mod quick_add;
mod table;

pub use badge::RagBadge;
pub use download::download_text;
pub use page::RegisterPage;

use super::state::{today, AppState};
use crate::domain::register::{rows, Row};
use leptos::prelude::*;
use std::sync::Arc;

/// The register rows of the current portfolio, rebuilt only when the
/// portfolio changes. Rows are shared (`Arc`) so views clone them cheaply.
#[derive(Clone, Debug)]
pub struct SharedRows(pub Arc<Vec<Arc<Row>>>);

impl PartialEq for SharedRows {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

pub fn rows_memo(state: AppState) -> Memo<SharedRows> {
    Memo::new(move |_| {
        let rows = state
            .portfolio
            .with(|p| rows(p, today()).into_iter().map(Arc::new).collect());
        SharedRows(Arc::new(rows))
    })
}

/// The portfolio's currency code, for money shown in views.
pub fn currency(state: AppState) -> Memo<String> {
    Memo::new(move |_| state.portfolio.with(|p| p.settings.currency.clone()))
}
