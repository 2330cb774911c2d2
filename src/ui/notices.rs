//! Notices: one-sentence messages about what just happened or went wrong.

use super::state::AppState;
use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Error,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub id: u64,
    pub kind: NoticeKind,
    pub text: String,
}

#[component]
pub fn Notices() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <section class="notices" aria-label="Notices" aria-live="polite">
            <For each=move || state.notices.get() key=|n| n.id let:notice>
                <NoticeItem notice/>
            </For>
        </section>
    }
}

#[component]
fn NoticeItem(notice: Notice) -> impl IntoView {
    let state = expect_context::<AppState>();
    let (class, role) = match notice.kind {
        NoticeKind::Info => ("notice notice-info", "status"),
        NoticeKind::Error => ("notice notice-error", "alert"),
    };
    let id = notice.id;
    view! {
        <div class=class role=role>
            <span>{notice.text}</span>
            <button type="button" class="link" aria-label="Dismiss notice" on:click=move |_| state.dismiss(id)>
                "\u{00d7}"
            </button>
        </div>
    }
}
