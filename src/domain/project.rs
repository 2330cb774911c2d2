//! Projects: the records of the portfolio register.

use super::date::Date;
use super::entity::Entity;
use super::intake::BusinessCase;
use super::scoring::ScorerRatings;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    #[default]
    Proposed,
    Active,
    OnHold,
    Closed,
    Cancelled,
}

impl ProjectStatus {
    pub const ALL: [ProjectStatus; 5] = [
        ProjectStatus::Proposed,
        ProjectStatus::Active,
        ProjectStatus::OnHold,
        ProjectStatus::Closed,
        ProjectStatus::Cancelled,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ProjectStatus::Proposed => "Proposed",
            ProjectStatus::Active => "Active",
            ProjectStatus::OnHold => "On hold",
            ProjectStatus::Closed => "Closed",
            ProjectStatus::Cancelled => "Cancelled",
        }
    }
}

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Methodology {
    #[default]
    Waterfall,
    Agile,
    Hybrid,
    Kanban,
    Other,
}

impl Methodology {
    pub const ALL: [Methodology; 5] = [
        Methodology::Waterfall,
        Methodology::Agile,
        Methodology::Hybrid,
        Methodology::Kanban,
        Methodology::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Methodology::Waterfall => "Waterfall",
            Methodology::Agile => "Agile/Scrum",
            Methodology::Hybrid => "Hybrid",
            Methodology::Kanban => "Kanban",
            Methodology::Other => "Other",
        }
    }
}

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    #[default]
    Medium,
    High,
    Critical,
}

impl Priority {
    pub const ALL: [Priority; 4] = [
        Priority::Low,
        Priority::Medium,
        Priority::High,
        Priority::Critical,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Priority::Low => "Low",
            Priority::Medium => "Medium",
            Priority::High => "High",
            Priority::Critical => "Critical",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Project {
    pub id: String,
    pub code: String,
    pub name: String,
    /// Long free text: stored as Automerge text so concurrent edits merge.
    pub description: String,
    pub sponsor: String,
    pub manager: String,
    pub program_id: Option<String>,
    pub methodology: Methodology,
    /// Lifecycle stage key (see the governance lifecycle), e.g. "planning".
    pub stage: String,
    pub status: ProjectStatus,
    pub priority: Priority,
    pub planned_start: Option<Date>,
    pub planned_end: Option<Date>,
    pub forecast_end: Option<Date>,
    pub actual_start: Option<Date>,
    pub actual_end: Option<Date>,
    pub budget: f64,
    pub actual_cost: f64,
    pub forecast_at_completion: Option<f64>,
    pub percent_complete: f64,
    /// Objective id → alignment strength (1 low … 3 high). A map, so two
    /// people aligning a project to different objectives both keep theirs.
    pub objectives: BTreeMap<String, u8>,
    pub tags: Vec<String>,

    // --- Intake and stage-gate governance (domain/intake.rs, scoring.rs,
    // lifecycle.rs). Nested maps keyed by id, so people editing different
    // keys offline merge cleanly. Left out while empty (most projects
    // never use them, and every map costs load time); created by the
    // first write, which is safe when two peers do it concurrently: the
    // reader unions the copies and removals reach every copy.
    /// The proposal's business case.
    #[serde(skip_serializing_if = "BusinessCase::is_empty")]
    pub business_case: BusinessCase,
    /// Scorer id (one per browser) → that scorer's name and ratings. Keyed
    /// by scorer so people scoring offline never write the same key.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub scores: BTreeMap<String, ScorerRatings>,
    /// Gate id → manual checklist item id → ticked.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub gate_checklists: BTreeMap<String, BTreeMap<String, bool>>,
    /// Gate id → planned date of that gate review.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub gate_dates: BTreeMap<String, Date>,
    /// When the project entered its current stage.
    pub stage_entered: Option<Date>,
    // --- end of intake and governance fields
    // --- Register feature: health overrides ---
    /// A manager's override of computed health, keyed by dimension key
    /// ("schedule", "budget", …): a map, so two people overriding different
    /// dimensions concurrently both keep theirs.
    pub health_overrides: BTreeMap<String, super::health::HealthOverride>,
    // --- end register feature ---
}

impl Project {
    pub fn named(id: impl Into<String>, name: impl Into<String>) -> Project {
        Project {
            id: id.into(),
            name: name.into(),
            ..Project::default()
        }
    }
}

impl Entity for Project {
    const COLLECTION: &'static str = "projects";
    const NOUN: &'static str = "project";

    fn id(&self) -> &str {
        &self.id
    }

    fn set_id(&mut self, id: String) {
        self.id = id;
    }

    fn label(&self) -> String {
        if self.code.is_empty() {
            self.name.clone()
        } else {
            format!("{} {}", self.code, self.name)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::command::{FieldChange, Op};
    use serde_json::json;

    #[test]
    fn stored_fields_leave_out_id_and_empty_options() {
        let p = Project::named("p1", "Web");
        let fields = p.to_fields();
        assert!(!fields.contains_key("id"));
        assert!(!fields.contains_key("planned_start"));
        assert_eq!(fields["name"], json!("Web"));
        assert_eq!(fields["status"], json!("proposed"));
        assert_eq!(Project::from_fields("p1", &fields).unwrap(), p);
    }

    #[test]
    fn update_op_carries_only_changed_fields() {
        let old = Project::named("p1", "Web");
        let mut new = old.clone();
        new.budget = 1000.0;
        new.planned_start = Date::parse("2026-01-05");
        let Some(Op::Patch { id, changes, .. }) = new.update_op(&old) else {
            panic!("expected a patch");
        };
        assert_eq!(id, "p1");
        assert_eq!(
            changes,
            vec![
                FieldChange::set(&["budget"], json!(1000.0)),
                FieldChange::set(&["planned_start"], json!("2026-01-05")),
            ]
        );
        assert!(old.update_op(&old).is_none());
    }

    #[test]
    fn unreadable_record_names_the_problem() {
        let fields = json!({"name": "X", "status": "exploded"});
        let err = Project::from_fields("p9", fields.as_object().unwrap()).unwrap_err();
        assert!(err.starts_with("project p9:"), "{err}");
    }
}
