//! Editable project fields. Each field saves on change as its own named
//! change ("Edit budget of DCX-101 …"), after validation: a value that
//! would make the project invalid is refused, its message is shown next
//! to the field (`aria-describedby`), and the stored portfolio is untouched.

use super::super::state::AppState;
use crate::domain::format;
use crate::domain::lifecycle::{check_project_edit, lifecycle_for};
use crate::domain::register::stage_label;
use crate::domain::validation::{message_for, parse_number, parse_tags, validate_project};
use crate::domain::{
    Command, Date, Entity, Methodology, Portfolio, Priority, Project, ProjectStatus,
};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The choices of a select, for one project in the portfolio.
pub type Options = fn(&Portfolio, &Project) -> Vec<(String, String)>;

#[derive(Clone, Copy)]
pub enum Kind {
    Text,
    LongText,
    Date,
    Number,
    Select(Options),
}

/// One editable field: how to show it and how to write it back.
pub struct Spec {
    /// The struct field's name (validation errors name it too).
    pub key: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub kind: Kind,
    pub read: fn(&Project) -> String,
    /// Parses the typed text into the project; the error is for the user.
    pub write: fn(&mut Project, &str) -> Result<(), String>,
}

fn date_text(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn parse_date(text: &str) -> Result<Option<Date>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    Date::parse(t)
        .map(Some)
        .ok_or_else(|| format!("{t:?} is not a date; use YYYY-MM-DD."))
}

fn money(text: &str) -> Result<f64, String> {
    Ok(parse_number(text)?.unwrap_or(0.0))
}

fn status_options(_: &Portfolio, _: &Project) -> Vec<(String, String)> {
    ProjectStatus::ALL
        .into_iter()
        .map(|s| {
            (
                crate::domain::register::status_key(s).to_string(),
                s.label().to_string(),
            )
        })
        .collect()
}

fn methodology_key(m: Methodology) -> &'static str {
    match m {
        Methodology::Waterfall => "waterfall",
        Methodology::Agile => "agile",
        Methodology::Hybrid => "hybrid",
        Methodology::Kanban => "kanban",
        Methodology::Other => "other",
    }
}

fn methodology_options(_: &Portfolio, _: &Project) -> Vec<(String, String)> {
    Methodology::ALL
        .into_iter()
        .map(|m| (methodology_key(m).to_string(), m.label().to_string()))
        .collect()
}

fn priority_key(p: Priority) -> &'static str {
    match p {
        Priority::Low => "low",
        Priority::Medium => "medium",
        Priority::High => "high",
        Priority::Critical => "critical",
    }
}

fn priority_options(_: &Portfolio, _: &Project) -> Vec<(String, String)> {
    Priority::ALL
        .into_iter()
        .map(|p| (priority_key(p).to_string(), p.label().to_string()))
        .collect()
}

fn program_options(p: &Portfolio, _: &Project) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = p
        .programs
        .values()
        .map(|pr| (pr.id.clone(), pr.name.clone()))
        .collect();
    list.sort_by_key(|a| a.1.to_lowercase());
    list.insert(0, (String::new(), "No program".into()));
    list
}

/// The stages of the project's own lifecycle (by its methodology).
fn stage_select_options(_: &Portfolio, project: &Project) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = lifecycle_for(project.methodology)
        .stages
        .iter()
        .map(|s| (s.key.to_string(), s.name.to_string()))
        .collect();
    list.insert(0, (String::new(), "No stage".into()));
    list
}

pub const IDENTITY: &[Spec] = &[
    Spec {
        key: "code",
        label: "Code",
        hint: "Short unique reference, e.g. DCX-101.",
        kind: Kind::Text,
        read: |p| p.code.clone(),
        write: |p, t| {
            p.code = t.trim().to_string();
            Ok(())
        },
    },
    Spec {
        key: "name",
        label: "Name",
        hint: "",
        kind: Kind::Text,
        read: |p| p.name.clone(),
        write: |p, t| {
            p.name = t.trim().to_string();
            Ok(())
        },
    },
    Spec {
        key: "description",
        label: "Description",
        hint: "Edits by several people merge.",
        kind: Kind::LongText,
        read: |p| p.description.clone(),
        write: |p, t| {
            p.description = t.to_string();
            Ok(())
        },
    },
    Spec {
        key: "sponsor",
        label: "Sponsor",
        hint: "",
        kind: Kind::Text,
        read: |p| p.sponsor.clone(),
        write: |p, t| {
            p.sponsor = t.trim().to_string();
            Ok(())
        },
    },
    Spec {
        key: "manager",
        label: "Manager",
        hint: "",
        kind: Kind::Text,
        read: |p| p.manager.clone(),
        write: |p, t| {
            p.manager = t.trim().to_string();
            Ok(())
        },
    },
    Spec {
        key: "program_id",
        label: "Program",
        hint: "",
        kind: Kind::Select(program_options),
        read: |p| p.program_id.clone().unwrap_or_default(),
        write: |p, t| {
            p.program_id = (!t.is_empty()).then(|| t.to_string());
            Ok(())
        },
    },
    Spec {
        key: "methodology",
        label: "Methodology",
        hint: "",
        kind: Kind::Select(methodology_options),
        read: |p| methodology_key(p.methodology).to_string(),
        write: |p, t| {
            p.methodology = Methodology::ALL
                .into_iter()
                .find(|m| methodology_key(*m) == t)
                .ok_or("Choose a methodology.")?;
            Ok(())
        },
    },
    Spec {
        key: "stage",
        label: "Lifecycle stage",
        hint: "",
        kind: Kind::Select(stage_select_options),
        read: |p| p.stage.clone(),
        write: |p, t| {
            p.stage = t.to_string();
            Ok(())
        },
    },
    Spec {
        key: "status",
        label: "Status",
        hint: "",
        kind: Kind::Select(status_options),
        read: |p| crate::domain::register::status_key(p.status).to_string(),
        write: |p, t| {
            p.status = crate::domain::register::parse_status(t).ok_or("Choose a status.")?;
            Ok(())
        },
    },
    Spec {
        key: "priority",
        label: "Priority",
        hint: "",
        kind: Kind::Select(priority_options),
        read: |p| priority_key(p.priority).to_string(),
        write: |p, t| {
            p.priority = Priority::ALL
                .into_iter()
                .find(|x| priority_key(*x) == t)
                .ok_or("Choose a priority.")?;
            Ok(())
        },
    },
    Spec {
        key: "tags",
        label: "Tags",
        hint: "Separate tags with commas.",
        kind: Kind::Text,
        read: |p| p.tags.join(", "),
        write: |p, t| {
            p.tags = parse_tags(t);
            Ok(())
        },
    },
];

pub const DATES: &[Spec] = &[
    Spec {
        key: "planned_start",
        label: "Planned start",
        hint: "",
        kind: Kind::Date,
        read: |p| date_text(p.planned_start),
        write: |p, t| {
            p.planned_start = parse_date(t)?;
            Ok(())
        },
    },
    Spec {
        key: "planned_end",
        label: "Planned end",
        hint: "",
        kind: Kind::Date,
        read: |p| date_text(p.planned_end),
        write: |p, t| {
            p.planned_end = parse_date(t)?;
            Ok(())
        },
    },
    Spec {
        key: "forecast_end",
        label: "Forecast end",
        hint: "When the project now expects to finish.",
        kind: Kind::Date,
        read: |p| date_text(p.forecast_end),
        write: |p, t| {
            p.forecast_end = parse_date(t)?;
            Ok(())
        },
    },
    Spec {
        key: "actual_start",
        label: "Actual start",
        hint: "",
        kind: Kind::Date,
        read: |p| date_text(p.actual_start),
        write: |p, t| {
            p.actual_start = parse_date(t)?;
            Ok(())
        },
    },
    Spec {
        key: "actual_end",
        label: "Actual end",
        hint: "",
        kind: Kind::Date,
        read: |p| date_text(p.actual_end),
        write: |p, t| {
            p.actual_end = parse_date(t)?;
            Ok(())
        },
    },
];

pub const MONEY: &[Spec] = &[
    Spec {
        key: "budget",
        label: "Budget",
        hint: "",
        kind: Kind::Number,
        read: |p| format::plain_number(p.budget),
        write: |p, t| {
            p.budget = money(t)?;
            Ok(())
        },
    },
    Spec {
        key: "actual_cost",
        label: "Actual cost to date",
        hint: "",
        kind: Kind::Number,
        read: |p| format::plain_number(p.actual_cost),
        write: |p, t| {
            p.actual_cost = money(t)?;
            Ok(())
        },
    },
    Spec {
        key: "forecast_at_completion",
        label: "Forecast at completion",
        hint: "Leave empty to assume the budget.",
        kind: Kind::Number,
        read: |p| {
            p.forecast_at_completion
                .map(format::plain_number)
                .unwrap_or_default()
        },
        write: |p, t| {
            p.forecast_at_completion = parse_number(t)?;
            Ok(())
        },
    },
    Spec {
        key: "percent_complete",
        label: "Percent complete",
        hint: "0 to 100.",
        kind: Kind::Number,
        read: |p| format::plain_number(p.percent_complete),
        write: |p, t| {
            p.percent_complete = parse_number(t)?.unwrap_or(0.0);
            Ok(())
        },
    },
];

/// Field errors shown on the page, by field key.
pub type Errors = RwSignal<BTreeMap<&'static str, String>>;

/// Applies `edit` to the stored project after validating it. Errors the
/// edit would introduce are shown on `field` and nothing is stored.
/// Returns whether the portfolio now holds the edit.
pub fn commit(
    state: AppState,
    id: &str,
    field: &'static str,
    what: &str,
    errors: Errors,
    edit: impl FnOnce(&mut Project) -> Result<(), String>,
) -> bool {
    let Some((old, others)) = state.portfolio.with_untracked(|p| {
        p.projects
            .get(id)
            .cloned()
            .map(|old| (old, p.projects.values().cloned().collect::<Vec<_>>()))
    }) else {
        errors.update(|e| {
            e.insert(field, "This project no longer exists.".into());
        });
        return false;
    };
    let mut new = old.clone();
    if let Err(message) = edit(&mut new) {
        errors.update(|e| {
            e.insert(field, message);
        });
        return false;
    }
    // Stage moves follow the gates (see the project's gates page).
    if let Err(gate) = state
        .portfolio
        .with_untracked(|p| check_project_edit(p, &old, &new))
    {
        errors.update(|e| {
            e.insert(field, gate.to_string());
        });
        return false;
    }
    let before = validate_project(&old, &others);
    let introduced: Vec<String> = validate_project(&new, &others)
        .into_iter()
        .filter(|e| !before.contains(e))
        .map(|e| e.message)
        .collect();
    if !introduced.is_empty() {
        errors.update(|e| {
            e.insert(field, introduced.join(" "));
        });
        return false;
    }
    errors.update(|e| {
        e.remove(field);
    });
    match new.update_op(&old) {
        Some(op) => state.dispatch(Command::new(
            format!("Edit {what} of {}", old.label()),
            vec![op],
        )),
        None => true,
    }
}

/// One editable field of a project.
#[component]
pub fn ProjectField(id: String, spec: &'static Spec, errors: Errors) -> impl IntoView {
    let state = expect_context::<AppState>();
    let key = spec.key;
    let project_id = id.clone();
    let stored = Memo::new(move |_| {
        state.portfolio.with(|p| {
            p.projects
                .get(&project_id)
                .map(spec.read)
                .unwrap_or_default()
        })
    });
    let text = RwSignal::new(stored.get_untracked());
    // A change stored by anyone (this field, another tab, an import)
    // replaces what the field shows.
    Effect::new(move |prev: Option<()>| {
        let value = stored.get();
        if prev.is_some() {
            text.set(value);
            errors.update(|e| {
                e.remove(key);
            });
        }
    });
    let project_id = id.clone();
    // Problems already in the stored record (e.g. a duplicate code that
    // arrived with a colleague's file) are shown too.
    let stored_error = Memo::new(move |_| {
        state.portfolio.with(|p| {
            p.projects.get(&project_id).and_then(|project| {
                message_for(&validate_project(project, p.projects.values()), key)
            })
        })
    });
    let error = move || {
        errors
            .with(|e| e.get(key).cloned())
            .or_else(|| stored_error.get())
    };
    let input_id = format!("field-{key}");
    let error_id = format!("field-{key}-error");
    let hint_id = format!("field-{key}-hint");
    let described = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if !spec.hint.is_empty() {
                ids.push(hint_id.clone());
            }
            if error().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let invalid = move || error().is_some().then_some("true");
    let options_id = id.clone();
    let on_change = move |value: String| {
        text.set(value.clone());
        commit(state, &id, key, &spec.label.to_lowercase(), errors, |p| {
            (spec.write)(p, &value)
        });
    };
    let control = match spec.kind {
        Kind::Text | Kind::Number | Kind::Date => {
            let (kind, mode) = match spec.kind {
                Kind::Date => ("date", None),
                Kind::Number => ("text", Some("decimal")),
                _ => ("text", None),
            };
            view! {
                <input id=input_id.clone() type=kind inputmode=mode
                    aria-invalid=invalid aria-describedby=described.clone()
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                    on:change=move |ev| on_change(event_target_value(&ev))/>
            }
            .into_any()
        }
        Kind::LongText => view! {
            <textarea id=input_id.clone() rows="4"
                aria-invalid=invalid aria-describedby=described.clone()
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
                on:change=move |ev| on_change(event_target_value(&ev))></textarea>
        }
        .into_any(),
        Kind::Select(options) => {
            let project_id = options_id.clone();
            let options = Memo::new(move |_| {
                state.portfolio.with(|p| {
                    p.projects
                        .get(&project_id)
                        .map(|project| options(p, project))
                        .unwrap_or_default()
                })
            });
            view! {
                <select id=input_id.clone()
                    aria-invalid=invalid aria-describedby=described.clone()
                    prop:value=move || text.get()
                    on:change=move |ev| on_change(event_target_value(&ev))>
                    {move || {
                        let current = text.get();
                        let mut list = options.get();
                        // Keep a value the list does not know (e.g. a
                        // stage from a newer app) selectable.
                        if !list.iter().any(|(v, _)| *v == current) {
                            list.push((current.clone(), stage_label(&current)));
                        }
                        list.into_iter().map(|(value, label)| {
                            let selected = value == current;
                            view! { <option value=value selected=selected>{label}</option> }
                        }).collect_view()
                    }}
                </select>
            }
            .into_any()
        }
    };
    let wide = matches!(spec.kind, Kind::LongText);
    view! {
        <div class="field" class:wide=wide>
            <label for=input_id>{spec.label}</label>
            {control}
            {(!spec.hint.is_empty()).then(|| view! { <p id=hint_id.clone() class="hint">{spec.hint}</p> })}
            <Show when=move || error().is_some()>
                <p id=error_id.clone() class="field-error">{error}</p>
            </Show>
        </div>
    }
}

fn strength_label(s: u8) -> &'static str {
    match s {
        1 => "Low",
        2 => "Medium",
        3 => "High",
        _ => "Not aligned",
    }
}

/// Which objectives the project serves and how strongly.
#[component]
pub fn AlignmentFields(id: String, errors: Errors) -> impl IntoView {
    let state = expect_context::<AppState>();
    let objectives = Memo::new(move |_| {
        state.portfolio.with(|p| {
            let mut list: Vec<(String, String)> = p
                .objectives
                .values()
                .map(|o| (o.id.clone(), o.name.clone()))
                .collect();
            list.sort_by_key(|a| a.1.to_lowercase());
            list
        })
    });
    let project_id = StoredValue::new(id);
    view! {
        <Show when=move || !objectives.with(Vec::is_empty)
            fallback=|| view! { <p class="hint">"No strategic objectives yet: add them in "<a href="#/settings">"Settings"</a>"."</p> }>
            <div class="field-grid">
                <For each=move || objectives.get() key=|o| o.clone() let:objective>
                    {
                        let (oid, name) = objective;
                        let input_id = format!("align-{oid}");
                        let oid2 = oid.clone();
                        let current = Memo::new(move |_| {
                            state.portfolio.with(|p| {
                                project_id.with_value(|id| {
                                    p.projects.get(id).and_then(|x| x.objectives.get(&oid2).copied()).unwrap_or(0)
                                })
                            })
                        });
                        let change = move |ev| {
                            let value: u8 = event_target_value(&ev).parse().unwrap_or(0);
                            let oid = oid.clone();
                            let id = project_id.get_value();
                            commit(state, &id, "objectives", "alignment", errors, move |p| {
                                if value == 0 {
                                    p.objectives.remove(&oid);
                                } else {
                                    p.objectives.insert(oid, value);
                                }
                                Ok(())
                            });
                        };
                        view! {
                            <div class="field">
                                <label for=input_id.clone()>{format!("Alignment with {name}")}</label>
                                <select id=input_id prop:value=move || current.get().to_string() on:change=change>
                                    {(0..=3u8).map(|s| view! {
                                        <option value=s.to_string() selected=move || current.get() == s>{strength_label(s)}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                        }
                    }
                </For>
            </div>
            <Show when=move || errors.with(|e| e.contains_key("objectives"))>
                <p class="field-error" role="alert">{move || errors.with(|e| e.get("objectives").cloned())}</p>
            </Show>
        </Show>
    }
}
