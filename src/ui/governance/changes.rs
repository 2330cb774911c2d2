//! Change requests of one project (submit, approve, reject, mark
//! implemented) and its approved-change history.

use super::super::intake::table::{Cell, Column, DataTable};
use super::super::intake::util::{money, today};
use super::super::state::AppState;
use crate::domain::change_request::{
    self, approved_history, for_project, ChangeRequest, ChangeStatus,
};
use crate::domain::intake::parse_amount;
use crate::domain::{new_id, Portfolio};
use crate::ui::exchange::ConflictBadge;
use leptos::prelude::*;

fn impact_text(p: &Portfolio, c: &ChangeRequest) -> String {
    let mut parts = Vec::new();
    if c.schedule_impact_days != 0 {
        parts.push(format!(
            "planned end {}{} days",
            if c.schedule_impact_days > 0 { "+" } else { "" },
            c.schedule_impact_days
        ));
    }
    if c.cost_impact != 0.0 {
        parts.push(format!(
            "budget {}{}",
            if c.cost_impact > 0.0 { "+" } else { "" },
            money(p, c.cost_impact)
        ));
    }
    if !c.scope_impact.trim().is_empty() {
        parts.push(format!("scope: {}", c.scope_impact.trim()));
    }
    if parts.is_empty() {
        "none stated".into()
    } else {
        parts.join("; ")
    }
}

#[component]
pub fn ChangeRequests(project_id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let pid = StoredValue::new(project_id);
    let rows = move || {
        state.portfolio.with(|p| {
            for_project(p, &pid.get_value())
                .into_iter()
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <Show when=move || !rows().is_empty() fallback=|| view! { <p class="empty">"No change requests."</p> }.into_any()>
            <div class="table-wrap">
                <table aria-label="Change requests">
                    <thead><tr>
                        <th scope="col">"Change"</th><th scope="col">"Status"</th><th scope="col">"Impact"</th>
                        <th scope="col">"Requested"</th><th scope="col">"Decision"</th><th scope="col">"Actions"</th>
                    </tr></thead>
                    <tbody>
                        <For each=rows key=|c| (c.id.clone(), serde_json::to_string(c).unwrap_or_default()) let:change>
                            <ChangeRow change/>
                        </For>
                    </tbody>
                </table>
            </div>
        </Show>
        <NewChangeRequest project_id=pid.get_value()/>
    }
}

#[component]
fn ChangeRow(change: ChangeRequest) -> impl IntoView {
    let state = expect_context::<AppState>();
    let impact = state.portfolio.with(|p| impact_text(p, &change));
    let requested = format!(
        "{} {}",
        change.requester,
        change
            .submitted_on
            .map(|d| d.to_string())
            .unwrap_or_default()
    );
    let decision = match change.status {
        ChangeStatus::Submitted => "Waiting".to_string(),
        _ => {
            let mut s = format!(
                "{} by {} on {}",
                change.status.label(),
                change.decided_by,
                change.decided_on.map(|d| d.to_string()).unwrap_or_default()
            );
            if !change.decision_note.is_empty() {
                s.push_str(&format!(": {}", change.decision_note));
            }
            if let Some(d) = change.implemented_on {
                s.push_str(&format!("; implemented {d}"));
            }
            s
        }
    };
    let decider = RwSignal::new(state.user_name.get_untracked());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let id = StoredValue::new(change.id.clone());
    let act = move |kind: &'static str| {
        let cmd = state.portfolio.with_untracked(|p| match kind {
            "approve" => change_request::approve(
                p,
                &id.get_value(),
                &decider.get_untracked(),
                today(),
                &note.get_untracked(),
            ),
            "reject" => change_request::reject(
                p,
                &id.get_value(),
                &decider.get_untracked(),
                today(),
                &note.get_untracked(),
            ),
            _ => change_request::mark_implemented(p, &id.get_value(), today()),
        });
        match cmd {
            Ok(cmd) => {
                if state.dispatch(cmd) {
                    error.set(None);
                }
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    let title = change.title.clone();
    let actions = match change.status {
        ChangeStatus::Submitted => view! {
            <div class="cr-decide">
                <label>
                    {format!("Decided by (for {title})")}
                    <input type="text"
                        prop:value=move || decider.get()
                        on:input=move |ev| decider.set(event_target_value(&ev))/>
                </label>
                <label>
                    {format!("Decision note (for {title})")}
                    <input type="text"
                        prop:value=move || note.get()
                        on:input=move |ev| note.set(event_target_value(&ev))/>
                </label>
                <button type="button" class="small" aria-label=format!("Approve {title}") on:click=move |_| act("approve")>"Approve"</button>
                <button type="button" class="secondary small" aria-label=format!("Reject {title}") on:click=move |_| act("reject")>"Reject"</button>
            </div>
        }
        .into_any(),
        ChangeStatus::Approved => view! {
            <button type="button" class="secondary small" aria-label=format!("Mark {title} implemented")
                on:click=move |_| act("implemented")>"Mark implemented"</button>
        }
        .into_any(),
        _ => ().into_any(),
    };
    view! {
        <tr>
            <th scope="row">
                {change.title.clone()}" "<ConflictBadge collection="change_requests" id=change.id.clone()/>
                {(!change.description.is_empty()).then(|| view! { <p class="hint pre-line">{change.description.clone()}</p> }.into_any())}
                {(!change.reason.is_empty()).then(|| view! { <p class="hint">{format!("Reason: {}", change.reason)}</p> }.into_any())}
            </th>
            <td>{change.status.label()}</td>
            <td>{impact}</td>
            <td>{requested}</td>
            <td>{decision}</td>
            <td>
                {actions}
                <Show when=move || error.get().is_some()>
                    <p class="field-error" role="alert">{move || error.get()}</p>
                </Show>
            </td>
        </tr>
    }
}

#[component]
fn NewChangeRequest(project_id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let scope = RwSignal::new(String::new());
    let days = RwSignal::new(String::new());
    let cost = RwSignal::new(String::new());
    let requester = RwSignal::new(state.user_name.get_untracked());
    let error = RwSignal::new(None::<String>);
    let pid = StoredValue::new(project_id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let schedule_impact_days =
            match days.get_untracked().trim() {
                "" => 0,
                text => match text.trim_start_matches('+').parse::<i32>() {
                    Ok(d) if d.abs() <= 3650 => d,
                    _ => return error.set(Some(
                        "Schedule impact: a whole number of days (negative moves the end earlier)."
                            .into(),
                    )),
                },
            };
        let cost_impact = match cost.get_untracked().trim() {
            "" => 0.0,
            text => match parse_amount(text.trim_start_matches('+')) {
                Ok(v) => v,
                Err(e) => return error.set(Some(format!("Cost impact: {e}"))),
            },
        };
        let request = ChangeRequest {
            id: new_id(),
            project_id: pid.get_value(),
            title: title.get_untracked(),
            description: description.get_untracked().trim().to_string(),
            reason: reason.get_untracked().trim().to_string(),
            scope_impact: scope.get_untracked().trim().to_string(),
            schedule_impact_days,
            cost_impact,
            requester: requester.get_untracked().trim().to_string(),
            submitted_on: Some(today()),
            ..ChangeRequest::default()
        };
        match state
            .portfolio
            .with_untracked(|p| change_request::submit(p, request))
        {
            Ok(cmd) => {
                if state.dispatch(cmd) {
                    for s in [title, description, reason, scope, days, cost] {
                        s.set(String::new());
                    }
                    error.set(None);
                }
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    let input =
        |id: &'static str, label: &'static str, value: RwSignal<String>, hint: &'static str| {
            view! {
                <div class="field">
                    <label for=id>{label}</label>
                    <input id=id type="text"
                        prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev))/>
                    {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> }.into_any())}
                </div>
            }
        };
    let area = |id: &'static str, label: &'static str, value: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <textarea id=id
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))></textarea>
            </div>
        }
    };
    view! {
        <details class="panel new-change">
            <summary>"Request a change"</summary>
            <form on:submit=submit novalidate aria-label="Request a change">
                <div class="form-grid">
                    {input("cr-title", "Change title", title, "")}
                    {input("cr-requester", "Requested by", requester, "")}
                    {input("cr-days", "Schedule impact (days)", days, "Days the planned end moves; negative for earlier.")}
                    {input("cr-cost", "Cost impact", cost, "Change to the budget; negative for a saving.")}
                </div>
                {area("cr-description", "What changes", description)}
                {input("cr-reason", "Reason", reason, "")}
                {area("cr-scope", "Impact on scope", scope)}
                <Show when=move || error.get().is_some()>
                    <p class="field-error" role="alert">{move || error.get()}</p>
                </Show>
                <button type="submit">"Submit change request"</button>
            </form>
        </details>
    }
}

/// The approved-change history of one project: what each approved change
/// did to its budget and planned end, who decided and when. Mount it on
/// any page that shows a project.
#[component]
pub fn ApprovedChanges(project_id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let pid = StoredValue::new(project_id);
    let rows = move || {
        state.portfolio.with(|p| {
            approved_history(p, &pid.get_value())
                .into_iter()
                .map(|c| {
                    let (budget, end) = match &c.applied {
                        Some(a) => (
                            if a.budget_before == a.budget_after {
                                "unchanged".to_string()
                            } else {
                                format!(
                                    "{} \u{2192} {}",
                                    money(p, a.budget_before),
                                    money(p, a.budget_after)
                                )
                            },
                            if a.end_before == a.end_after {
                                "unchanged".to_string()
                            } else {
                                format!(
                                    "{} \u{2192} {}",
                                    a.end_before
                                        .map(|d| d.to_string())
                                        .unwrap_or_else(|| "none".into()),
                                    a.end_after
                                        .map(|d| d.to_string())
                                        .unwrap_or_else(|| "none".into())
                                )
                            },
                        ),
                        None => ("\u{2014}".into(), "\u{2014}".into()),
                    };
                    (
                        c.id.clone(),
                        c.decided_on.map(|d| d.to_string()).unwrap_or_default(),
                        c.title.clone(),
                        budget,
                        end,
                        c.decided_by.clone(),
                        c.status.label(),
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <Show when=move || !rows().is_empty() fallback=|| view! { <p class="empty">"No approved changes."</p> }.into_any()>
            <DataTable label="Approved changes".to_string()
                columns=vec![
                    Column::text("Change"), Column::text("Approved"), Column::text("Budget"),
                    Column::text("Planned end"), Column::text("Decided by"), Column::text("Status"),
                ]
                rows=Signal::derive(move || rows().into_iter().map(|(_, date, title, budget, end, by, status)| vec![
                    Cell::text(title), Cell::text(date), Cell::text(budget), Cell::text(end),
                    Cell::text(by), Cell::text(status),
                ]).collect::<Vec<_>>())/>
        </Show>
    }
}
