//! Settings (`#/settings`): the portfolio's name, currency, fiscal year
//! and health thresholds; programs and objectives; the sample data.

use super::notices::NoticeKind;
use super::register::objectives::ObjectivesSection;
use super::register::programs::ProgramsSection;
use super::state::{today, AppState};
use crate::domain::command::diff_fields;
use crate::domain::format::plain_number;
use crate::domain::validation::{parse_number, validate_settings};
use crate::domain::{sample, Command, FieldChange, Op, Settings};
use crate::ui::exchange::ConflictBadge;
use leptos::prelude::*;
use std::collections::BTreeMap;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <section class="settings" aria-labelledby="settings-title">
            <h1 id="settings-title">"Settings"</h1>
            <nav class="in-page no-print" aria-label="Settings sections">
                <a href="#/settings" on:click=|ev| scroll_to(ev, "portfolio-settings-title")>"Portfolio"</a>
                <a href="#/settings" on:click=|ev| scroll_to(ev, "programs-title")>"Programs"</a>
                <a href="#/settings" on:click=|ev| scroll_to(ev, "objectives-title")>"Objectives"</a>
                <a href="#/settings" on:click=|ev| scroll_to(ev, "sample-title")>"Sample data"</a>
            </nav>
            <PortfolioSettings/>
            <ProgramsSection/>
            <ObjectivesSection/>
            <SampleData/>
        </section>
    }
}

/// In-page links must not change the hash (it is the route).
fn scroll_to(ev: leptos::ev::MouseEvent, id: &str) {
    ev.prevent_default();
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    {
        el.scroll_into_view();
    }
}

/// The editable text of each settings field, by key.
type Texts = RwSignal<BTreeMap<&'static str, String>>;

fn texts_of(name: &str, s: &Settings) -> BTreeMap<&'static str, String> {
    let t = &s.health;
    BTreeMap::from([
        ("name", name.to_string()),
        ("currency", s.currency.clone()),
        (
            "fiscal_year_start_month",
            s.fiscal_year_start_month.to_string(),
        ),
        ("budget_amber_pct", plain_number(t.budget_amber_pct)),
        ("budget_red_pct", plain_number(t.budget_red_pct)),
        ("schedule_amber_days", t.schedule_amber_days.to_string()),
        ("schedule_red_days", t.schedule_red_days.to_string()),
        (
            "progress_amber_points",
            plain_number(t.progress_amber_points),
        ),
        ("progress_red_points", plain_number(t.progress_red_points)),
        ("scope_amber_changes", t.scope_amber_changes.to_string()),
        ("scope_red_changes", t.scope_red_changes.to_string()),
    ])
}

/// Reads the typed texts into settings; parse errors by field.
fn read_texts(
    texts: &BTreeMap<&'static str, String>,
    base: &Settings,
) -> (Settings, BTreeMap<&'static str, String>) {
    let mut s = base.clone();
    let mut errors = BTreeMap::new();
    let get = |k: &str| texts.get(k).cloned().unwrap_or_default();
    s.currency = get("currency").trim().to_uppercase();
    s.fiscal_year_start_month = get("fiscal_year_start_month").parse().unwrap_or(0);
    let number = |key: &'static str, errors: &mut BTreeMap<&'static str, String>| match parse_number(
        &get(key),
    ) {
        Ok(Some(v)) => Some(v),
        Ok(None) => {
            errors.insert(key, "Enter a number.".to_string());
            None
        }
        Err(e) => {
            errors.insert(key, e);
            None
        }
    };
    let t = &mut s.health;
    if let Some(v) = number("budget_amber_pct", &mut errors) {
        t.budget_amber_pct = v;
    }
    if let Some(v) = number("budget_red_pct", &mut errors) {
        t.budget_red_pct = v;
    }
    if let Some(v) = number("schedule_amber_days", &mut errors) {
        t.schedule_amber_days = v.round() as i32;
    }
    if let Some(v) = number("schedule_red_days", &mut errors) {
        t.schedule_red_days = v.round() as i32;
    }
    if let Some(v) = number("progress_amber_points", &mut errors) {
        t.progress_amber_points = v;
    }
    if let Some(v) = number("progress_red_points", &mut errors) {
        t.progress_red_points = v;
    }
    for (key, field) in [
        ("scope_amber_changes", &mut t.scope_amber_changes),
        ("scope_red_changes", &mut t.scope_red_changes),
    ] {
        match number(key, &mut errors) {
            Some(v) if v >= 0.0 && v.fract() == 0.0 && v <= f64::from(u32::MAX) => {
                *field = v as u32
            }
            Some(_) => {
                errors.insert(
                    key,
                    "Enter a whole number of changes, 0 or more.".to_string(),
                );
            }
            None => {}
        }
    }
    (s, errors)
}

#[component]
fn SettingField(
    key: &'static str,
    label: &'static str,
    #[prop(optional)] hint: &'static str,
    texts: Texts,
    errors: Texts,
    #[prop(optional)] months: bool,
) -> impl IntoView {
    let id = format!("setting-{key}");
    let error_id = format!("setting-{key}-error");
    let hint_id = format!("setting-{key}-hint");
    let error = move || errors.with(|e| e.get(key).cloned());
    let described = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if !hint.is_empty() {
                ids.push(hint_id.clone());
            }
            if error().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let value = move || texts.with(|t| t.get(key).cloned().unwrap_or_default());
    let set = move |v: String| {
        texts.update(|t| {
            t.insert(key, v);
        })
    };
    let control = if months {
        view! {
            <select id=id.clone() aria-describedby=described.clone()
                aria-invalid=move || error().is_some().then_some("true")
                prop:value=value on:change=move |ev| set(event_target_value(&ev))>
                {MONTHS.iter().enumerate().map(|(i, m)| {
                    let v = (i + 1).to_string();
                    let selected = value() == v;
                    view! { <option value=v selected=selected>{*m}</option> }
                }).collect_view()}
            </select>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() type="text" aria-describedby=described.clone()
                aria-invalid=move || error().is_some().then_some("true")
                prop:value=value on:input=move |ev| set(event_target_value(&ev))/>
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {control}
            {(!hint.is_empty()).then(|| view! { <p id=hint_id.clone() class="hint">{hint}</p> })}
            <Show when=move || error().is_some()>
                <p id=error_id.clone() class="field-error">{error}</p>
            </Show>
        </div>
    }
}

#[component]
fn PortfolioSettings() -> impl IntoView {
    let state = expect_context::<AppState>();
    let stored = Memo::new(move |_| state.portfolio.with(|p| texts_of(&p.name, &p.settings)));
    let texts: Texts = RwSignal::new(stored.get_untracked());
    let errors: Texts = RwSignal::new(BTreeMap::new());
    // Settings changed elsewhere (another tab, an import) show up here.
    Effect::new(move |prev: Option<()>| {
        let value = stored.get();
        if prev.is_some() {
            texts.set(value);
            errors.set(BTreeMap::new());
        }
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (old_name, old) = state
            .portfolio
            .with_untracked(|p| (p.name.clone(), p.settings.clone()));
        let typed = texts.get_untracked();
        let (new, mut found) = read_texts(&typed, &old);
        let name = typed
            .get("name")
            .cloned()
            .unwrap_or_default()
            .trim()
            .to_string();
        if name.is_empty() {
            found.insert("name", "Enter a name for the portfolio.".into());
        }
        for e in validate_settings(&new) {
            found.entry(e.field).or_insert(e.message);
        }
        if !found.is_empty() {
            errors.set(found);
            return;
        }
        errors.set(BTreeMap::new());
        let mut ops: Vec<Op> = diff_fields(&old.to_map(), &new.to_map())
            .into_iter()
            .map(|c| {
                let mut path = vec!["settings".to_string()];
                path.extend(c.path);
                Op::SetRoot {
                    change: FieldChange {
                        path,
                        value: c.value,
                    },
                }
            })
            .collect();
        if name != old_name {
            ops.push(Op::SetRoot {
                change: FieldChange::set(&["name"], serde_json::Value::String(name)),
            });
        }
        if ops.is_empty() {
            state.notify(
                NoticeKind::Info,
                "Nothing to save: the settings are unchanged.",
            );
        } else if state.dispatch(Command::new("Change portfolio settings", ops)) {
            state.notify(NoticeKind::Info, "Settings saved.");
        }
    };
    view! {
        <section class="panel" aria-labelledby="portfolio-settings-title">
            <h2 id="portfolio-settings-title">"Portfolio"" "<ConflictBadge collection="" id=""/></h2>
            <form on:submit=save novalidate>
                <div class="field-grid">
                    <SettingField key="name" label="Portfolio name" texts errors/>
                    <SettingField key="currency" label="Currency" hint="Three-letter code, e.g. EUR, USD, GBP." texts errors/>
                    <SettingField key="fiscal_year_start_month" label="Fiscal year starts in" texts errors months=true/>
                </div>
                <fieldset>
                    <legend>"Health thresholds"</legend>
                    <p class="hint">"A dimension turns amber above the first value and red above the second."</p>
                    <div class="field-grid">
                        <SettingField key="budget_amber_pct" label="Budget overrun amber (%)" texts errors/>
                        <SettingField key="budget_red_pct" label="Budget overrun red (%)" texts errors/>
                        <SettingField key="schedule_amber_days" label="Schedule slip amber (days)" texts errors/>
                        <SettingField key="schedule_red_days" label="Schedule slip red (days)" texts errors/>
                        <SettingField key="progress_amber_points" label="Progress behind plan amber (points)"
                            hint="Percent complete behind the share of planned time elapsed." texts errors/>
                        <SettingField key="progress_red_points" label="Progress behind plan red (points)" texts errors/>
                        <SettingField key="scope_amber_changes" label="Scope changes amber (approved changes)"
                            hint="Approved change requests that change the scope." texts errors/>
                        <SettingField key="scope_red_changes" label="Scope changes red (approved changes)" texts errors/>
                    </div>
                </fieldset>
                <div class="actions">
                    <button type="submit">"Save settings"</button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn SampleData() -> impl IntoView {
    let state = expect_context::<AppState>();
    let has_sample = Memo::new(move |_| {
        state.portfolio.with(|p| {
            p.projects
                .keys()
                .chain(p.programs.keys())
                .chain(p.objectives.keys())
                .any(|id| sample::is_sample_id(id))
        })
    });
    let confirm = RwSignal::new(None::<&'static str>);
    let add = move |_| {
        let command = state
            .portfolio
            .with_untracked(|p| sample::sample(today()).command(sample::LOAD_SUMMARY, p));
        match command {
            Some(c) => {
                if state.dispatch(c) {
                    state.notify(
                        NoticeKind::Info,
                        "Sample portfolio loaded: see the dashboard.",
                    );
                }
            }
            None => state.notify(NoticeKind::Info, "The sample is already in this portfolio."),
        }
        confirm.set(None);
    };
    let remove = move |_| {
        if let Some(c) = state
            .portfolio
            .with_untracked(|p| sample::remove_command(p))
        {
            if state.dispatch(c) {
                state.notify(NoticeKind::Info, "Sample data removed.");
            }
        }
        confirm.set(None);
    };
    view! {
        <section class="panel" aria-labelledby="sample-title">
            <h2 id="sample-title">"Sample data"</h2>
            <p>"The sample portfolio has 25 projects in 3 programs serving 5 objectives, with mixed health and dates around today. It is ordinary data: edit it, share it, or remove it again."</p>
            <Show when=move || confirm.get().is_none()>
                <div class="actions">
                    <button type="button" on:click=move |_| confirm.set(Some("add"))>"Load sample portfolio"</button>
                    <Show when=move || has_sample.get()>
                        <button type="button" class="secondary" on:click=move |_| confirm.set(Some("remove"))>"Remove sample data"</button>
                    </Show>
                </div>
            </Show>
            <Show when=move || confirm.get() == Some("add")>
                <p>"Add the sample's programs, objectives and projects to this portfolio? Your own data stays as it is."</p>
                <div class="actions">
                    <button type="button" on:click=add>"Add sample data"</button>
                    <button type="button" class="secondary" on:click=move |_| confirm.set(None)>"Cancel"</button>
                </div>
            </Show>
            <Show when=move || confirm.get() == Some("remove")>
                <p>"Remove every sample program, objective and project, including your edits to them? Your own projects stay; links from them to sample programs and objectives are removed."</p>
                <div class="actions">
                    <button type="button" class="danger" on:click=remove>"Confirm removal"</button>
                    <button type="button" class="secondary" on:click=move |_| confirm.set(None)>"Cancel"</button>
                </div>
            </Show>
        </section>
    }
}
