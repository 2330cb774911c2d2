//! Change requests: a proposed change to a project's scope, schedule or
//! cost, and its decision. Approving one applies its impact to the
//! project's planned end and budget in the same change as the decision, and
//! keeps the before/after values so the approved-change history can show
//! exactly what moved.

use super::command::Command;
use super::date::Date;
use super::entity::Entity;
use super::portfolio::Portfolio;
use super::project::Project;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeStatus {
    #[default]
    Submitted,
    Approved,
    Rejected,
    Implemented,
}

impl ChangeStatus {
    pub fn label(self) -> &'static str {
        match self {
            ChangeStatus::Submitted => "Submitted",
            ChangeStatus::Approved => "Approved",
            ChangeStatus::Rejected => "Rejected",
            ChangeStatus::Implemented => "Implemented",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChangeRequest {
    pub id: String,
    pub project_id: String,
    pub title: String,
    /// What is to change (long text).
    pub description: String,
    pub reason: String,
    /// Impact on scope (long text).
    pub scope_impact: String,
    /// Days the planned end moves (negative: earlier).
    pub schedule_impact_days: i32,
    /// Change to the budget (negative: saving).
    pub cost_impact: f64,
    pub requester: String,
    pub status: ChangeStatus,
    pub submitted_on: Option<Date>,
    pub decided_by: String,
    pub decided_on: Option<Date>,
    pub decision_note: String,
    pub implemented_on: Option<Date>,
    /// What approval did to the project.
    pub applied: Option<AppliedImpact>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppliedImpact {
    pub budget_before: f64,
    pub budget_after: f64,
    pub end_before: Option<Date>,
    pub end_after: Option<Date>,
}

impl Entity for ChangeRequest {
    const COLLECTION: &'static str = "change_requests";
    const NOUN: &'static str = "change request";

    fn id(&self) -> &str {
        &self.id
    }

    fn set_id(&mut self, id: String) {
        self.id = id;
    }

    fn label(&self) -> String {
        self.title.clone()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ChangeError {
    NotFound,
    ProjectNotFound,
    MissingTitle,
    MissingRequester,
    MissingDecider,
    InvalidCost,
    /// A schedule impact needs a planned end to move.
    NoPlannedEnd,
    /// The request is not in a state that allows this step.
    WrongStatus {
        status: ChangeStatus,
        action: &'static str,
    },
}

impl std::fmt::Display for ChangeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChangeError::NotFound => write!(f, "That change request no longer exists."),
            ChangeError::ProjectNotFound => write!(f, "That project no longer exists."),
            ChangeError::MissingTitle => write!(f, "Give the change request a title."),
            ChangeError::MissingRequester => write!(f, "Name who requests the change."),
            ChangeError::MissingDecider => write!(f, "Name who made the decision."),
            ChangeError::InvalidCost => write!(f, "The cost impact must be a number."),
            ChangeError::NoPlannedEnd => write!(
                f,
                "The project has no planned end date to move; set one before approving a schedule change."
            ),
            ChangeError::WrongStatus { status, action } => write!(
                f,
                "A change request that is {} cannot be {action}.",
                status.label().to_lowercase()
            ),
        }
    }
}

impl ChangeRequest {
    pub fn validate(&self) -> Result<(), ChangeError> {
        if self.title.trim().is_empty() {
            return Err(ChangeError::MissingTitle);
        }
        if self.requester.trim().is_empty() {
            return Err(ChangeError::MissingRequester);
        }
        if !self.cost_impact.is_finite() {
            return Err(ChangeError::InvalidCost);
        }
        Ok(())
    }
}

/// Creates a submitted change request.
pub fn submit(portfolio: &Portfolio, mut request: ChangeRequest) -> Result<Command, ChangeError> {
    let project = portfolio
        .projects
        .get(&request.project_id)
        .ok_or(ChangeError::ProjectNotFound)?;
    request.validate()?;
    request.title = request.title.trim().to_string();
    request.status = ChangeStatus::Submitted;
    request.applied = None;
    Ok(Command::new(
        format!(
            "Submit change request \u{201c}{}\u{201d} for {}",
            request.title, project.name
        ),
        vec![request.create_op()],
    ))
}

fn find<'a>(portfolio: &'a Portfolio, id: &str) -> Result<&'a ChangeRequest, ChangeError> {
    portfolio
        .change_requests
        .get(id)
        .ok_or(ChangeError::NotFound)
}

/// Approves a submitted request and applies its impact to the project's
/// planned end and budget — one command, so history shows one step.
pub fn approve(
    portfolio: &Portfolio,
    id: &str,
    decider: &str,
    date: Date,
    note: &str,
) -> Result<Command, ChangeError> {
    let old = find(portfolio, id)?;
    if old.status != ChangeStatus::Submitted {
        return Err(ChangeError::WrongStatus {
            status: old.status,
            action: "approved",
        });
    }
    if decider.trim().is_empty() {
        return Err(ChangeError::MissingDecider);
    }
    let project = portfolio
        .projects
        .get(&old.project_id)
        .ok_or(ChangeError::ProjectNotFound)?;
    let mut moved: Project = project.clone();
    if old.schedule_impact_days != 0 {
        let end = project.planned_end.ok_or(ChangeError::NoPlannedEnd)?;
        moved.planned_end = Some(end.add_days(old.schedule_impact_days));
    }
    moved.budget = project.budget + old.cost_impact;
    let mut new = old.clone();
    new.status = ChangeStatus::Approved;
    new.decided_by = decider.trim().to_string();
    new.decided_on = Some(date);
    new.decision_note = note.trim().to_string();
    new.applied = Some(AppliedImpact {
        budget_before: project.budget,
        budget_after: moved.budget,
        end_before: project.planned_end,
        end_after: moved.planned_end,
    });
    let mut ops = Vec::new();
    ops.extend(new.update_op(old));
    ops.extend(moved.update_op(project));
    Ok(Command::new(
        format!(
            "Approve change request \u{201c}{}\u{201d} for {}",
            old.title, project.name
        ),
        ops,
    ))
}

pub fn reject(
    portfolio: &Portfolio,
    id: &str,
    decider: &str,
    date: Date,
    note: &str,
) -> Result<Command, ChangeError> {
    let old = find(portfolio, id)?;
    if old.status != ChangeStatus::Submitted {
        return Err(ChangeError::WrongStatus {
            status: old.status,
            action: "rejected",
        });
    }
    if decider.trim().is_empty() {
        return Err(ChangeError::MissingDecider);
    }
    let mut new = old.clone();
    new.status = ChangeStatus::Rejected;
    new.decided_by = decider.trim().to_string();
    new.decided_on = Some(date);
    new.decision_note = note.trim().to_string();
    Ok(Command::new(
        format!("Reject change request \u{201c}{}\u{201d}", old.title),
        new.update_op(old).into_iter().collect(),
    ))
}

pub fn mark_implemented(
    portfolio: &Portfolio,
    id: &str,
    date: Date,
) -> Result<Command, ChangeError> {
    let old = find(portfolio, id)?;
    if old.status != ChangeStatus::Approved {
        return Err(ChangeError::WrongStatus {
            status: old.status,
            action: "marked implemented",
        });
    }
    let mut new = old.clone();
    new.status = ChangeStatus::Implemented;
    new.implemented_on = Some(date);
    Ok(Command::new(
        format!("Change request \u{201c}{}\u{201d} implemented", old.title),
        new.update_op(old).into_iter().collect(),
    ))
}

/// A project's change requests, newest first.
pub fn for_project<'a>(portfolio: &'a Portfolio, project_id: &str) -> Vec<&'a ChangeRequest> {
    let mut list: Vec<&ChangeRequest> = portfolio
        .change_requests
        .values()
        .filter(|c| c.project_id == project_id)
        .collect();
    list.sort_by(|a, b| {
        b.submitted_on
            .cmp(&a.submitted_on)
            .then(b.title.cmp(&a.title))
            .then(a.id.cmp(&b.id))
    });
    list
}

/// Approved (and implemented) changes of a project in decision order:
/// the approved-change history.
pub fn approved_history<'a>(portfolio: &'a Portfolio, project_id: &str) -> Vec<&'a ChangeRequest> {
    let mut list: Vec<&ChangeRequest> = for_project(portfolio, project_id)
        .into_iter()
        .filter(|c| matches!(c.status, ChangeStatus::Approved | ChangeStatus::Implemented))
        .collect();
    list.sort_by(|a, b| a.decided_on.cmp(&b.decided_on).then(a.id.cmp(&b.id)));
    list
}
