//! One read-only table component for the intake, selection and governance
//! pages. Tables are data (columns and rows of cells) rather than a view
//! tree each: every distinct Leptos view tree costs its own code in the
//! download, and these pages have many tables of the same shape.

use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    /// Right-aligned, tabular figures.
    Num(String),
    Strong(String),
    Link {
        href: String,
        text: String,
    },
    /// A value with an explanation shown on hover.
    Titled {
        text: String,
        title: String,
    },
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    pub fn num(s: impl Into<String>) -> Cell {
        Cell::Num(s.into())
    }

    pub fn link(href: impl Into<String>, text: impl Into<String>) -> Cell {
        Cell::Link {
            href: href.into(),
            text: text.into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub title: String,
    pub numeric: bool,
}

impl Column {
    pub fn text(title: impl Into<String>) -> Column {
        Column {
            title: title.into(),
            numeric: false,
        }
    }

    pub fn num(title: impl Into<String>) -> Column {
        Column {
            title: title.into(),
            numeric: true,
        }
    }
}

fn cell(header: bool, cell: Cell) -> AnyView {
    let (class, content) = match cell {
        Cell::Text(t) => ("", t.into_any()),
        Cell::Num(t) => ("num", t.into_any()),
        Cell::Strong(t) => ("num", view! { <strong>{t}</strong> }.into_any()),
        Cell::Link { href, text } => ("", view! { <a href=href>{text}</a> }.into_any()),
        Cell::Titled { text, title } => {
            ("num", view! { <span title=title>{text}</span> }.into_any())
        }
    };
    // The row header names the row for screen readers.
    if header {
        view! { <th scope="row" class=class>{content}</th> }.into_any()
    } else {
        view! { <td class=class>{content}</td> }.into_any()
    }
}

/// A table named `label` (its accessible name); `rows` is re-read
/// whenever it changes.
#[component]
pub fn DataTable(
    label: String,
    #[prop(into)] columns: Signal<Vec<Column>>,
    #[prop(into)] rows: Signal<Vec<Vec<Cell>>>,
    #[prop(optional)] footer: Option<Signal<Vec<Cell>>>,
    /// Which column names the rows (default: the first).
    #[prop(optional)]
    row_header: usize,
) -> impl IntoView {
    let head = move || {
        columns
            .get()
            .into_iter()
            .map(|c| {
                let class = if c.numeric { "num" } else { "" };
                view! { <th scope="col" class=class>{c.title}</th> }.into_any()
            })
            .collect_view()
    };
    let body = move || {
        rows.get()
            .into_iter()
            .map(|row| {
                let cells = row
                    .into_iter()
                    .enumerate()
                    .map(|(i, c)| cell(i == row_header, c))
                    .collect_view();
                view! { <tr>{cells}</tr> }.into_any()
            })
            .collect_view()
    };
    let foot = move || {
        footer.map(|f| {
            let cells = f
                .get()
                .into_iter()
                .enumerate()
                .map(|(i, c)| cell(i == row_header, c))
                .collect_view();
            view! { <tfoot><tr>{cells}</tr></tfoot> }.into_any()
        })
    };
    view! {
        <div class="table-wrap">
            <table aria-label=label>
                <thead><tr>{head}</tr></thead>
                <tbody>{body}</tbody>
                {foot}
            </table>
        </div>
    }
}
