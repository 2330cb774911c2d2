//! The register's search box, filters and grouping. Each control edits
//! the [`Query`]; the page keeps it in the address.

use super::super::state::AppState;
use crate::domain::register::{
    parse_status, stage_label, stage_options, status_key, GroupBy, HealthFilter, Query, NONE_KEY,
};
use crate::domain::{ProjectStatus, Rag};
use leptos::prelude::*;

/// One `<select>` of a filter: "" means "all".
#[component]
fn FilterSelect(
    id: &'static str,
    label: &'static str,
    all_label: &'static str,
    options: Signal<Vec<(String, String)>>,
    value: Signal<String>,
    on_change: impl Fn(String) + 'static,
) -> impl IntoView {
    view! {
        <div class="field filter">
            <label for=id>{label}</label>
            <select id=id on:change=move |ev| on_change(event_target_value(&ev))
                prop:value=move || value.get()>
                <option value="">{all_label}</option>
                {move || options.get().into_iter().map(|(value_key, text)| {
                    let selected = value.get_untracked() == value_key;
                    view! { <option value=value_key selected=selected>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
pub fn Filters(query: RwSignal<Query>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let portfolio = state.portfolio;

    let programs = Signal::derive(move || {
        portfolio.with(|p| {
            let mut list: Vec<(String, String)> = p
                .programs
                .values()
                .map(|pr| (pr.id.clone(), pr.name.clone()))
                .collect();
            list.sort_by_key(|a| a.1.to_lowercase());
            list.push((NONE_KEY.into(), "No program".into()));
            list
        })
    });
    let objectives = Signal::derive(move || {
        portfolio.with(|p| {
            let mut list: Vec<(String, String)> = p
                .objectives
                .values()
                .map(|o| (o.id.clone(), o.name.clone()))
                .collect();
            list.sort_by_key(|a| a.1.to_lowercase());
            list.push((NONE_KEY.into(), "No objective".into()));
            list
        })
    });
    let stages = Signal::derive(move || {
        portfolio.with(|p| {
            let mut list: Vec<(String, String)> = stage_options(p)
                .into_iter()
                .map(|s| {
                    let label = stage_label(&s);
                    (s, label)
                })
                .collect();
            list.push((NONE_KEY.into(), "No stage".into()));
            list
        })
    });
    let managers = Signal::derive(move || {
        portfolio.with(|p| {
            let mut names: Vec<String> = p
                .projects
                .values()
                .map(|x| x.manager.trim().to_string())
                .filter(|m| !m.is_empty())
                .collect();
            names.sort_by_key(|a| a.to_lowercase());
            names.dedup();
            let mut list: Vec<(String, String)> =
                names.into_iter().map(|n| (n.clone(), n)).collect();
            list.push((NONE_KEY.into(), "No manager".into()));
            list
        })
    });
    let statuses = Signal::derive(|| {
        ProjectStatus::ALL
            .into_iter()
            .map(|s| (status_key(s).to_string(), s.label().to_string()))
            .collect::<Vec<_>>()
    });
    let healths = Signal::derive(|| {
        let mut list = vec![(
            HealthFilter::NeedsAttention.key().to_string(),
            HealthFilter::NeedsAttention.label().to_string(),
        )];
        list.extend(
            [Rag::Red, Rag::Amber, Rag::Green, Rag::NotAssessed]
                .into_iter()
                .map(|r| (r.key().to_string(), r.label().to_string())),
        );
        list
    });
    let groupings = Signal::derive(|| {
        GroupBy::ALL
            .into_iter()
            .map(|g| (g.key().to_string(), g.label().to_string()))
            .collect::<Vec<_>>()
    });

    let text = |f: fn(&Query) -> String| Signal::derive(move || query.with(f));
    let some = |v: String| (!v.is_empty()).then_some(v);

    view! {
        <div class="register-filters" role="search" aria-label="Filter projects">
            <div class="field filter search">
                <label for="register-search">"Search projects"</label>
                <input id="register-search" type="search" autocomplete="off"
                    placeholder="Code, name, manager, tag\u{2026}"
                    prop:value=move || query.with(|q| q.search.clone())
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        query.update(|q| q.search = value);
                    }/>
            </div>
            <FilterSelect id="filter-program" label="Program" all_label="All programs"
                options=programs value=text(|q| q.program.clone().unwrap_or_default())
                on_change=move |v| query.update(|q| q.program = some(v))/>
            <FilterSelect id="filter-objective" label="Objective" all_label="All objectives"
                options=objectives value=text(|q| q.objective.clone().unwrap_or_default())
                on_change=move |v| query.update(|q| q.objective = some(v))/>
            <FilterSelect id="filter-stage" label="Stage" all_label="All stages"
                options=stages value=text(|q| q.stage.clone().unwrap_or_default())
                on_change=move |v| query.update(|q| q.stage = some(v))/>
            <FilterSelect id="filter-status" label="Status" all_label="All statuses"
                options=statuses value=text(|q| q.status.map(|s| status_key(s).to_string()).unwrap_or_default())
                on_change=move |v| query.update(|q| q.status = parse_status(&v))/>
            <FilterSelect id="filter-manager" label="Manager" all_label="All managers"
                options=managers value=text(|q| q.manager.clone().unwrap_or_default())
                on_change=move |v| query.update(|q| q.manager = some(v))/>
            <FilterSelect id="filter-health" label="Health" all_label="Any health"
                options=healths value=text(|q| q.health.map(|h| h.key().to_string()).unwrap_or_default())
                on_change=move |v| query.update(|q| q.health = HealthFilter::parse(&v))/>
            <FilterSelect id="register-group" label="Group by" all_label="No grouping"
                options=groupings value=text(|q| q.group.map(|g| g.key().to_string()).unwrap_or_default())
                on_change=move |v| query.update(|q| q.group = GroupBy::parse(&v))/>
        </div>
    }
}
