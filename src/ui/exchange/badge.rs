//! A small "Conflict" marker for an entity with open conflicts, for any
//! page's rows and headings; it links to the Exchange page, where the
//! conflicts are decided.

use super::Exchange;
use crate::domain::display::field_label;
use leptos::prelude::*;

/// Shows "Conflict" while `collection`/`id` has an open conflict.
#[component]
pub fn ConflictBadge(#[prop(into)] collection: String, #[prop(into)] id: String) -> impl IntoView {
    let exchange = use_context::<Exchange>();
    let fields = move || {
        exchange
            .map(|x| {
                x.conflicts.with(|all| {
                    all.iter()
                        .filter(|c| c.collection == collection && c.id == id)
                        .map(|c| field_label(&c.path))
                        .collect::<Vec<_>>()
                })
            })
            .unwrap_or_default()
    };
    move || {
        let fields = fields();
        (!fields.is_empty()).then(|| {
            let title = format!(
                "Open conflict on {}: decide on the Exchange page",
                fields.join(", ")
            );
            view! {
                <a class="badge badge-conflict" href="#/exchange" title=title.clone()>
                    "Conflict"
                    <span class="sr-only">{format!(" ({})", fields.join(", "))}</span>
                </a>
            }
        })
    }
}
