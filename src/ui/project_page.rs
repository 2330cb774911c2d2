//! One project's page (`#/project/<id>`): every field editable with
//! validation, its health explained with overrides, and delete.

use super::exchange::ConflictBadge;
use super::governance::ApprovedChanges;
use super::register::fields::{self, AlignmentFields, Errors, ProjectField, Spec};
use super::register::health_panel::HealthPanel;
use super::register::RagBadge;
use super::routes::{navigate, Route};
use super::state::{today, AppState};
use crate::domain::{Command, Entity};
use leptos::prelude::*;
use std::collections::BTreeMap;

#[component]
pub fn ProjectPage(id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let project_id = StoredValue::new(id.clone());
    let exists = Memo::new(move |_| {
        state
            .portfolio
            .with(|p| project_id.with_value(|id| p.projects.contains_key(id)))
    });
    view! {
        <Show when=move || exists.get()
            fallback=|| view! {
                <section class="panel" aria-labelledby="missing-title">
                    <h1 id="missing-title">"Project not found"</h1>
                    <p>"This project does not exist in this portfolio; it may have been deleted."</p>
                    <p><a href="#/projects">"Back to the register"</a></p>
                </section>
            }>
            <ProjectDetails id=id.clone()/>
        </Show>
    }
}

#[component]
fn ProjectDetails(id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let errors: Errors = RwSignal::new(BTreeMap::new());
    let project_id = StoredValue::new(id.clone());
    let title = Memo::new(move |_| {
        state.portfolio.with(|p| {
            project_id.with_value(|id| {
                p.projects
                    .get(id)
                    .map(|x| (x.label(), x.status.label(), p.health_of(x, today()).overall))
            })
        })
    });
    let currency = super::register::currency(state);
    let section = move |heading: &'static str, specs: &'static [Spec]| {
        let slug = heading.to_lowercase().replace(' ', "-");
        let heading_id = format!("section-{slug}");
        let id = id.clone();
        view! {
            <section class="project-section" aria-labelledby=heading_id.clone()>
                <h2 id=heading_id.clone()>{heading}</h2>
                <div class="field-grid">
                    {specs.iter().map(|spec| view! { <ProjectField id=id.clone() spec errors/> }).collect_view()}
                </div>
            </section>
        }
    };
    let confirming = RwSignal::new(false);
    let delete = move |_| {
        let id = project_id.get_value();
        let Some(p) = state
            .portfolio
            .with_untracked(|p| p.projects.get(&id).cloned())
        else {
            return;
        };
        if state.dispatch(Command::new(
            format!("Delete project {}", p.label()),
            vec![p.delete_op()],
        )) {
            navigate(&Route::Projects(String::new()));
        }
    };
    view! {
        <article class="project-page" aria-labelledby="project-title">
            <p class="breadcrumb no-print"><a href="#/projects">"\u{2190} Projects register"</a></p>
            <header class="project-header">
                <h1 id="project-title">{move || title.get().map(|t| t.0).unwrap_or_default()}</h1>
                {move || title.get().map(|(_, status, rag)| view! {
                    <p class="project-status"><span>{status}</span>" \u{b7} "<RagBadge rag/>
                        " "<ConflictBadge collection="projects" id=project_id.get_value()/></p>
                })}
            </header>
            <section class="project-section" aria-labelledby="section-health">
                <h2 id="section-health">"Health"</h2>
                <HealthPanel id=project_id.get_value()/>
            </section>
            {section("Details", fields::IDENTITY)}
            {section("Dates", fields::DATES)}
            <section class="project-section" aria-labelledby="section-money">
                <h2 id="section-money">{move || format!("Money and progress ({})", currency.get())}</h2>
                <div class="field-grid">
                    {fields::MONEY.iter().map(|spec| view! { <ProjectField id=project_id.get_value() spec errors/> }).collect_view()}
                </div>
            </section>
            <section class="project-section" aria-labelledby="section-alignment">
                <h2 id="section-alignment">"Strategic alignment"</h2>
                <AlignmentFields id=project_id.get_value() errors/>
            </section>
            <section class="project-section" aria-labelledby="section-governance">
                <h2 id="section-governance">"Gates and approved changes"</h2>
                <p class="no-print">
                    <a href=Route::Gates(project_id.get_value()).href()>"Gate reviews and change requests"</a>
                    " \u{2014} stages move forward through a recorded go at their gate."
                </p>
                <ApprovedChanges project_id=project_id.get_value()/>
            </section>
            <section class="project-section danger-zone no-print" aria-labelledby="section-delete">
                <h2 id="section-delete">"Delete"</h2>
                <Show when=move || confirming.get()
                    fallback=move || view! {
                        <button type="button" class="danger" on:click=move |_| confirming.set(true)>"Delete project"</button>
                    }>
                    <p>"Delete this project for everyone who shares this portfolio? It stays in the history."</p>
                    <button type="button" class="danger" on:click=delete>"Confirm delete"</button>
                    <button type="button" class="secondary" on:click=move |_| confirming.set(false)>"Cancel"</button>
                </Show>
            </section>
        </article>
    }
}
