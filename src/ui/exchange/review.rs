//! The merge review (what the last import changed, per entity and field,
//! with authors and times) and conflicts as decisions: every value with
//! its author, one button each; the choice is an ordinary change that
//! travels with the next export.

use super::{local_time, Exchange, LastImport};
use crate::doc::{ChangeKind, Conflict, DeletedWhileEdited, EntityChange, FieldDiff};
use crate::domain::display::{collection_noun, field_label, shorten, value_text};
use crate::ui::state::AppState;
use leptos::prelude::*;
use std::sync::Arc;

/// Entities listed before "Show all" (an import can carry thousands).
const FIRST_ENTITIES: usize = 50;
/// Longest value text inside a button name.
const BUTTON_VALUE_CHARS: usize = 40;

#[component]
pub fn ReviewPanel() -> impl IntoView {
    let exchange = expect_context::<Exchange>();
    move || exchange.last.get().map(|last| view! { <Review last/> })
}

#[component]
fn Review(last: Arc<LastImport>) -> impl IntoView {
    let report = &last.report;
    let sender = report.info.sender_label();
    let new_changes = report.outcome.new_changes;
    let summary = match new_changes {
        0 => format!(
            "Nothing new: this browser already had everything in {sender}\u{2019}s file \u{201c}{}\u{201d}.",
            last.file_name
        ),
        n => format!(
            "{n} change{} from {sender}\u{2019}s file \u{201c}{}\u{201d}, merged with yours.",
            if n == 1 { "" } else { "s" },
            last.file_name
        ),
    };
    let conflicts = report.review.conflicts.clone();
    let hidden = report.review.deleted_while_edited.clone();
    let entities = report.review.entities.clone();
    let total = entities.len();
    let show_all = RwSignal::new(total <= FIRST_ENTITIES);
    let visible = move || {
        let n = if show_all.get() {
            total
        } else {
            FIRST_ENTITIES
        };
        entities.iter().take(n).cloned().collect::<Vec<_>>()
    };
    let nothing_visible =
        new_changes > 0 && total == 0 && conflicts.is_empty() && hidden.is_empty();
    let exchange = expect_context::<Exchange>();
    let dismiss = move |_| exchange.last.set(None);

    view! {
        <section class="panel review" aria-label="Merge review">
            <div class="review-head">
                <h2>"Merge review"</h2>
                <button type="button" class="link" on:click=dismiss>"Close review"</button>
            </div>
            <p class="review-summary">{summary}</p>
            {nothing_visible.then(|| view! {
                <p class="hint">"These changes touched no project or record shown here (for example names of people or settings)."</p>
            })}
            {(!conflicts.is_empty()).then(|| view! {
                <h3>"Conflicts to decide"</h3>
                <p class="hint">"You and a colleague set these fields at the same time. Both values are kept until you choose one; your choice goes to everyone with your next export."</p>
                <ul class="conflicts">
                    {conflicts.into_iter().map(|conflict| view! { <ConflictItem conflict/> }).collect_view()}
                </ul>
            })}
            {(!hidden.is_empty()).then(|| view! {
                <h3>"Deleted while being edited"</h3>
                <p class="hint">"One of you deleted these while the other was changing them. The deletion won, so those changes are not visible now. Bring a record back with the changes, or leave it deleted."</p>
                <ul class="conflicts">
                    {hidden.into_iter().map(|item| view! { <DeletedWhileEditedItem item/> }).collect_view()}
                </ul>
            })}
            {(total > 0).then(|| view! {
                <h3>"Changes"</h3>
                <div class="entity-changes">
                    {move || visible().into_iter().map(|change| view! { <EntityItem change/> }).collect_view()}
                </div>
                <Show when=move || !show_all.get()>
                    <button type="button" on:click=move |_| show_all.set(true)>
                        {format!("Show all {total} changed records")}
                    </button>
                </Show>
            })}
        </section>
    }
}

/// A record deleted on one side while edited on the other, with the one
/// click that restores it as the editors left it.
#[component]
fn DeletedWhileEditedItem(item: DeletedWhileEdited) -> impl IntoView {
    let state = expect_context::<AppState>();
    let names = |actors: &[String]| {
        state.portfolio.with_untracked(|p| {
            actors
                .iter()
                .map(|a| p.person(a))
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    let title = format!("{} {}", collection_noun(&item.collection), item.label);
    let deleted_by = match names(&item.deleted_by) {
        who if who.is_empty() => "Deleted".to_string(),
        who => format!("Deleted by {who}"),
    };
    let fields: Vec<String> = item
        .fields
        .iter()
        .map(|f| field_label(std::slice::from_ref(f)))
        .collect();
    let detail = format!(
        "{deleted_by} while {} changed {}.",
        names(&item.edited_by),
        fields.join(", ")
    );
    let (collection, id) = (item.collection.clone(), item.id.clone());
    let exists = move || state.portfolio.with(|p| p.contains(&collection, &id));
    let button = format!("Restore {} with the changes", item.label);
    let command = item.restore();
    let restore = move |_| {
        state.dispatch(command.clone());
    };
    view! {
        <li class="conflict">
            <p><strong>{title}</strong>" \u{2014} "{detail}</p>
            <Show when=exists.clone() fallback=move || view! {
                <div class="actions">
                    <button type="button" on:click=restore.clone()>{button.clone()}</button>
                </div>
            }>
                <p class="hint">"It is in the portfolio again."</p>
            </Show>
        </li>
    }
}

#[component]
fn EntityItem(change: EntityChange) -> impl IntoView {
    let state = expect_context::<AppState>();
    let person = move |actor: &String| state.portfolio.with_untracked(|p| p.person(actor));
    let noun = collection_noun(&change.collection);
    let title = if change.collection.is_empty() {
        "Portfolio".to_string()
    } else {
        format!("{noun} {}", change.label)
    };
    let (tag, tag_class) = match change.kind {
        ChangeKind::Added => ("Added", "tag tag-added"),
        ChangeKind::Deleted => ("Deleted", "tag tag-deleted"),
        ChangeKind::Modified => ("Changed", "tag tag-modified"),
    };
    let mut authors: Vec<String> = Vec::new();
    for author in change.fields.iter().flat_map(|f| &f.authors) {
        let name = person(author);
        if !authors.contains(&name) {
            authors.push(name);
        }
    }
    let time = change.fields.iter().filter_map(|f| f.time).max();
    let by = match (authors.is_empty(), time) {
        (false, Some(t)) => format!("by {} on {}", authors.join(", "), local_time(t)),
        (false, None) => format!("by {}", authors.join(", ")),
        (true, Some(t)) => format!("on {}", local_time(t)),
        (true, None) => String::new(),
    };
    let table_label = format!("Changes to {title}");
    let fields = change.fields.clone();
    let rows = move || {
        fields
            .iter()
            .cloned()
            .map(|field| view! { <FieldRow field/> })
            .collect_view()
    };
    let body = match change.kind {
        // A new or deleted record: one line, with its fields on request.
        ChangeKind::Added | ChangeKind::Deleted => view! {
            <details>
                <summary>{format!("{} fields", change.fields.len())}</summary>
                <FieldTable label=table_label rows=rows/>
            </details>
        }
        .into_any(),
        ChangeKind::Modified => view! { <FieldTable label=table_label rows=rows/> }.into_any(),
    };
    view! {
        <article class="entity-change">
            <h4>
                <span class=tag_class>{tag}</span>
                " "
                {title}
                " "
                <span class="hint">{by}</span>
            </h4>
            {body}
        </article>
    }
}

#[component]
fn FieldTable<R, V>(label: String, rows: R) -> impl IntoView
where
    R: Fn() -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <table class="field-changes" aria-label=label>
            <thead>
                <tr>
                    <th scope="col">"Field"</th>
                    <th scope="col">"Before"</th>
                    <th scope="col">"After"</th>
                    <th scope="col">"By"</th>
                    <th scope="col">"When"</th>
                </tr>
            </thead>
            <tbody>{rows()}</tbody>
        </table>
    }
}

#[component]
fn FieldRow(field: FieldDiff) -> impl IntoView {
    let state = expect_context::<AppState>();
    let authors = state.portfolio.with_untracked(|p| {
        field
            .authors
            .iter()
            .map(|a| p.person(a))
            .collect::<Vec<_>>()
            .join(", ")
    });
    view! {
        <tr>
            <th scope="row">{field_label(&field.path)}</th>
            <td class="old">{value_text(field.old.as_ref())}</td>
            <td class="new">{value_text(field.new.as_ref())}</td>
            <td>{authors}</td>
            <td>{field.time.map(local_time).unwrap_or_default()}</td>
        </tr>
    }
}

/// Conflicts open in the portfolio that the review above does not list
/// (from earlier imports, or reached through another tab).
#[component]
pub fn OpenConflicts() -> impl IntoView {
    let exchange = expect_context::<Exchange>();
    let others = move || {
        let in_review: Vec<Conflict> = exchange
            .last
            .with(|l| l.as_ref().map(|l| l.report.review.conflicts.clone()))
            .unwrap_or_default();
        exchange.conflicts.with(|all| {
            all.iter()
                .filter(|c| !in_review.iter().any(|r| same_field(r, c)))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    move || {
        let others = others();
        (!others.is_empty()).then(|| {
            view! {
                <section class="panel" aria-labelledby="open-conflicts-title">
                    <h2 id="open-conflicts-title">"Open conflicts"</h2>
                    <p class="hint">"Fields that two people set at the same time. Choose the value to keep."</p>
                    <ul class="conflicts">
                        {others.into_iter().map(|conflict| view! { <ConflictItem conflict/> }).collect_view()}
                    </ul>
                </section>
            }
        })
    }
}

fn same_field(a: &Conflict, b: &Conflict) -> bool {
    a.collection == b.collection && a.id == b.id && a.path == b.path
}

/// One conflict as a decision: every value with its author, one button
/// each. Once decided (here, in another tab, or by a colleague's file) the
/// buttons give way to what was kept.
#[component]
fn ConflictItem(conflict: Conflict) -> impl IntoView {
    let state = expect_context::<AppState>();
    let exchange = expect_context::<Exchange>();
    let conflict = Arc::new(conflict);
    let what = if conflict.collection.is_empty() {
        format!("Portfolio \u{2014} {}", field_label(&conflict.path))
    } else {
        format!(
            "{} {} \u{2014} {}",
            collection_noun(&conflict.collection),
            conflict.label,
            field_label(&conflict.path)
        )
    };
    let open = {
        let conflict = conflict.clone();
        move || {
            exchange
                .conflicts
                .with(|all| all.iter().any(|c| same_field(c, &conflict)))
        }
    };
    let buttons = {
        let conflict = conflict.clone();
        move || {
            conflict
                .values
                .iter()
                .enumerate()
                .map(|(index, value)| {
                    let author = state.portfolio.with_untracked(|p| p.person(&value.actor));
                    let text = shorten(&value_text(Some(&value.value)), BUTTON_VALUE_CHARS);
                    let conflict = conflict.clone();
                    let keep = move |_| {
                        state.dispatch(conflict.resolve(index));
                    };
                    view! {
                        <button type="button" on:click=keep>{format!("Keep {text} ({author})")}</button>
                    }
                })
                .collect_view()
        }
    };
    let shown = value_text(conflict.values.first().map(|v| &v.value));
    let people = state.portfolio.with_untracked(|p| {
        let mut names: Vec<String> = Vec::new();
        for value in &conflict.values {
            let name = p.person(&value.actor);
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names.join(" and ")
    });
    let explain = format!(
        "Set at the same time by {people}; \u{201c}{}\u{201d} is shown until you choose.",
        shorten(&shown, BUTTON_VALUE_CHARS)
    );
    let decided = format!(
        "Decided: {} has a single value again.",
        field_label(&conflict.path)
    );
    view! {
        <li class="conflict">
            <p><strong>{what}</strong></p>
            <Show when=open.clone() fallback=|| ()>
                <p class="hint">{explain.clone()}</p>
            </Show>
            <Show when=open.clone() fallback=move || view! { <p class="decided" role="status">{decided.clone()}</p> }>
                <div class="actions">{buttons.clone()}</div>
            </Show>
        </li>
    }
}
