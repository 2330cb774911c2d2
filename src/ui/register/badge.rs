//! The RAG badge: colour, glyph and the word, never colour alone.

use crate::domain::Rag;
use leptos::prelude::*;

#[component]
pub fn RagBadge(
    rag: Rag,
    /// Why, shown as a tooltip (the page also shows it in text).
    #[prop(optional, into)]
    title: Option<String>,
) -> impl IntoView {
    let class = match rag {
        Rag::Green => "rag rag-green",
        Rag::Amber => "rag rag-amber",
        Rag::Red => "rag rag-red",
        Rag::NotAssessed => "rag rag-grey",
    };
    view! { <span class=class title=title>{rag.label()}</span> }
}
