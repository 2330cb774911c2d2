//! The governance attention list: what the PMO should look at now.
//!
//! Definitions (shown on the governance page):
//! - **Gate overdue**: the planned date of the project's next gate has
//!   passed; or, when no date is planned, the project has been in its
//!   current stage longer than the portfolio's limit (Settings,
//!   `stage_overdue_days`, default 90 days). Projects on hold are paused
//!   and not counted; closed and cancelled ones have no gates left.
//! - **Missing for gate**: checklist items of the next gate that are not
//!   met yet — the artefacts (business case parts, plan dates, budget…)
//!   and confirmations the gate needs.
//! - **Waiting for a decision**: proposals whose investment decision is
//!   still open (never reviewed, or last put on hold or sent back).
//! - **Stage without a go**: a project under gate control whose stage was
//!   changed without a go or an override.
//! - **Change request waiting**: submitted and not decided yet.

use super::change_request::ChangeStatus;
use super::date::Date;
use super::intake::format_money;
use super::lifecycle::{
    checklist, current_stage, latest_review, next_gate, stage_unexplained, GateDecision,
};
use super::portfolio::Portfolio;
use super::project::{Project, ProjectStatus};

#[derive(Clone, Debug, PartialEq)]
pub enum Attention {
    GateOverdue {
        gate: String,
        /// The planned gate date, when one was set.
        planned: Option<Date>,
        days_over: i32,
    },
    MissingForGate {
        gate: String,
        missing: Vec<String>,
    },
    AwaitingDecision {
        gate: String,
        since: Option<Date>,
        /// Hold or recycle, when the gate has been reviewed before.
        last: Option<GateDecision>,
    },
    StageWithoutGo {
        stage: String,
    },
    ChangeWaiting {
        change_id: String,
        title: String,
        since: Option<Date>,
    },
}

impl Attention {
    pub fn kind_label(&self) -> &'static str {
        match self {
            Attention::GateOverdue { .. } => "Gate overdue",
            Attention::MissingForGate { .. } => "Missing for gate",
            Attention::AwaitingDecision { .. } => "Waiting for a decision",
            Attention::StageWithoutGo { .. } => "Stage without a go",
            Attention::ChangeWaiting { .. } => "Change request waiting",
        }
    }

    /// One sentence about the item.
    pub fn describe(&self, today: Date) -> String {
        match self {
            Attention::GateOverdue {
                gate,
                planned: Some(date),
                days_over,
            } => format!(
                "Gate \u{201c}{gate}\u{201d} was planned for {date}: {} overdue.",
                days(*days_over)
            ),
            Attention::GateOverdue {
                gate,
                planned: None,
                days_over,
            } => format!(
                "In this stage {} longer than the limit; gate \u{201c}{gate}\u{201d} has no planned date.",
                days(*days_over)
            ),
            Attention::MissingForGate { gate, missing } => {
                format!("Gate \u{201c}{gate}\u{201d} still needs: {}.", missing.join("; "))
            }
            Attention::AwaitingDecision { gate, since, last } => {
                let waiting = match since.map(|d| d.days_until(today).max(0)) {
                    Some(0) => "Waiting since today".to_string(),
                    Some(n) => format!("Waiting {}", days(n)),
                    None => "Waiting".to_string(),
                };
                let last = match last {
                    Some(d) => format!(" (last decision: {})", d.label().to_lowercase()),
                    None => String::new(),
                };
                format!("{waiting} for a decision at gate \u{201c}{gate}\u{201d}{last}.")
            }
            Attention::StageWithoutGo { stage } => format!(
                "In stage {stage} without a recorded go or override at its gate."
            ),
            Attention::ChangeWaiting { title, since, .. } => {
                let since = since.map(|d| format!(" since {d}")).unwrap_or_default();
                format!("Change request \u{201c}{title}\u{201d} waiting for a decision{since}.")
            }
        }
    }
}

fn days(n: i32) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct AttentionItem {
    pub project_id: String,
    pub project_name: String,
    pub item: Attention,
}

/// Everything that needs attention on `today`: the most pressing kinds
/// first (overdue gates, unexplained stages, open decisions, waiting
/// changes, missing gate items), by project name within a kind.
pub fn attention(portfolio: &Portfolio, today: Date) -> Vec<AttentionItem> {
    let limit = i32::try_from(portfolio.settings.stage_overdue_days).unwrap_or(i32::MAX);
    let mut items = Vec::new();
    for project in portfolio.projects_by_name() {
        let push = |items: &mut Vec<AttentionItem>, item| {
            items.push(AttentionItem {
                project_id: project.id.clone(),
                project_name: project.name.clone(),
                item,
            })
        };
        let open = matches!(
            project.status,
            ProjectStatus::Proposed | ProjectStatus::Active
        );
        if let (true, Some(gate)) = (open, next_gate(project)) {
            match project.gate_dates.get(gate.id) {
                Some(planned) if *planned < today => push(
                    &mut items,
                    Attention::GateOverdue {
                        gate: gate.name.into(),
                        planned: Some(*planned),
                        days_over: planned.days_until(today),
                    },
                ),
                Some(_) => {}
                None => {
                    if let Some(entered) = project.stage_entered {
                        let over = entered.days_until(today) - limit;
                        if over > 0 {
                            push(
                                &mut items,
                                Attention::GateOverdue {
                                    gate: gate.name.into(),
                                    planned: None,
                                    days_over: over,
                                },
                            );
                        }
                    }
                }
            }
            let missing: Vec<String> = checklist(portfolio, project, gate)
                .into_iter()
                .filter(|i| !i.done)
                .map(|i| i.item.text.to_string())
                .collect();
            if !missing.is_empty() {
                push(
                    &mut items,
                    Attention::MissingForGate {
                        gate: gate.name.into(),
                        missing,
                    },
                );
            }
            if project.status == ProjectStatus::Proposed {
                let last = latest_review(portfolio, &project.id, gate.id).map(|r| r.decision);
                push(
                    &mut items,
                    Attention::AwaitingDecision {
                        gate: gate.name.into(),
                        since: project.business_case.submitted_on.or(project.stage_entered),
                        last,
                    },
                );
            }
        }
        if project.status != ProjectStatus::Cancelled && stage_unexplained(portfolio, project) {
            push(
                &mut items,
                Attention::StageWithoutGo {
                    stage: current_stage(project).name.into(),
                },
            );
        }
    }
    let mut changes: Vec<_> = portfolio
        .change_requests
        .values()
        .filter(|c| c.status == ChangeStatus::Submitted)
        .filter_map(|c| Some((portfolio.projects.get(&c.project_id)?, c)))
        .collect();
    changes.sort_by(|a, b| {
        a.0.name
            .to_lowercase()
            .cmp(&b.0.name.to_lowercase())
            .then(a.1.submitted_on.cmp(&b.1.submitted_on))
    });
    for (project, change) in changes {
        items.push(AttentionItem {
            project_id: project.id.clone(),
            project_name: project.name.clone(),
            item: Attention::ChangeWaiting {
                change_id: change.id.clone(),
                title: change.title.clone(),
                since: change.submitted_on,
            },
        });
    }
    items.sort_by_key(|i| match i.item {
        Attention::GateOverdue { .. } => 0,
        Attention::StageWithoutGo { .. } => 1,
        Attention::AwaitingDecision { .. } => 2,
        Attention::ChangeWaiting { .. } => 3,
        Attention::MissingForGate { .. } => 4,
    });
    items
}

/// One field of a project that differs between two versions.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldDelta {
    pub field: &'static str,
    pub before: String,
    pub after: String,
}

/// What changed in a project between an approved version (`before`) and
/// now (`after`), in the terms a gate board cares about.
pub fn project_changes(before: &Project, after: &Project, currency: &str) -> Vec<FieldDelta> {
    let money = |v: f64| format_money(v, currency);
    let opt_money = |v: Option<f64>| v.map(money).unwrap_or_else(|| "none".into());
    let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_else(|| "none".into());
    let text_changed = |a: &str, b: &str| {
        (a.trim() != b.trim()).then(|| ("earlier text".to_string(), "edited".to_string()))
    };
    let mut out = Vec::new();
    let mut push = |field: &'static str, b: String, a: String| {
        if b != a {
            out.push(FieldDelta {
                field,
                before: b,
                after: a,
            });
        }
    };
    push("Name", before.name.clone(), after.name.clone());
    push(
        "Status",
        before.status.label().into(),
        after.status.label().into(),
    );
    push(
        "Stage",
        current_stage(before).name.into(),
        current_stage(after).name.into(),
    );
    push("Budget", money(before.budget), money(after.budget));
    push(
        "Cost estimate",
        opt_money(before.business_case.cost_estimate),
        opt_money(after.business_case.cost_estimate),
    );
    push(
        "Duration",
        before
            .business_case
            .duration_months
            .map(|m| format!("{m} months"))
            .unwrap_or_else(|| "none".into()),
        after
            .business_case
            .duration_months
            .map(|m| format!("{m} months"))
            .unwrap_or_else(|| "none".into()),
    );
    push(
        "Planned start",
        date(before.planned_start),
        date(after.planned_start),
    );
    push(
        "Planned end",
        date(before.planned_end),
        date(after.planned_end),
    );
    push("Sponsor", before.sponsor.clone(), after.sponsor.clone());
    push("Manager", before.manager.clone(), after.manager.clone());
    let benefits = |p: &Project| {
        let count = p.business_case.benefits.len();
        match p.business_case.benefits_value() {
            Some(v) => format!("{count} worth {}", money(v)),
            None => format!("{count}"),
        }
    };
    push("Benefits", benefits(before), benefits(after));
    if before.business_case.cash_flows != after.business_case.cash_flows {
        push("Cash flows", "earlier figures".into(), "changed".into());
    }
    if before.objectives != after.objectives {
        push(
            "Alignment to objectives",
            "earlier".into(),
            "changed".into(),
        );
    }
    for (field, b, a) in [
        (
            "Problem or opportunity",
            &before.business_case.problem_statement,
            &after.business_case.problem_statement,
        ),
        (
            "Key risks",
            &before.business_case.key_risks,
            &after.business_case.key_risks,
        ),
        ("Description", &before.description, &after.description),
    ] {
        if let Some((b, a)) = text_changed(b, a) {
            push(field, b, a);
        }
    }
    out
}
