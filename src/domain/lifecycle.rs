//! Stage gates: the lifecycle per methodology, the checklist at each gate,
//! gate reviews (go, hold, recycle, stop) and the rule that a project moves
//! to its next stage only on a recorded go — or an override whose reason is
//! kept and shown.
//!
//! A gate is named after the stage it leads into (the last one leads out
//! of the lifecycle and closes the project). Recording a decision applies
//! its effect to the project in the same change:
//! - go: the project enters the next stage; at the investment gate a
//!   proposal becomes an active project (its budget defaults to the cost
//!   estimate); at the last gate the project is closed;
//! - hold: an active project is put on hold (a proposal keeps waiting);
//! - recycle: the project stays in its stage to rework what the gate needs;
//! - stop: the project is cancelled.

use super::command::{Command, FieldChange, Op};
use super::date::Date;
use super::entity::Entity;
use super::portfolio::Portfolio;
use super::project::{Methodology, Project, ProjectStatus};
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stage {
    pub key: &'static str,
    pub name: &'static str,
}

/// Checks the app can make itself, from the project's data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AutoCheck {
    ProblemStated,
    BenefitsListed,
    CostEstimated,
    DurationEstimated,
    RisksListed,
    SponsorNamed,
    AlignedToObjective,
    Scored,
    ManagerNamed,
    PlannedDates,
    BudgetSet,
    NoOpenChangeRequests,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GateItem {
    /// Stable key of the item in the project's checklist map.
    pub id: &'static str,
    pub text: &'static str,
    /// `None`: someone ticks it by hand.
    pub auto: Option<AutoCheck>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gate {
    /// Stable key: the stage it leads into, or `closed` for the last gate.
    pub id: &'static str,
    pub name: &'static str,
    pub from: &'static str,
    /// `None`: passing the gate closes the project.
    pub to: Option<&'static str>,
    /// Passing it turns a proposal into an active project.
    pub activates: bool,
    pub items: &'static [GateItem],
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lifecycle {
    pub name: &'static str,
    pub stages: &'static [Stage],
    pub gates: &'static [Gate],
}

const fn auto(id: &'static str, text: &'static str, check: AutoCheck) -> GateItem {
    GateItem {
        id,
        text,
        auto: Some(check),
    }
}

const fn manual(id: &'static str, text: &'static str) -> GateItem {
    GateItem {
        id,
        text,
        auto: None,
    }
}

const SCREENING: &[GateItem] = &[
    auto(
        "problem",
        "Problem or opportunity described",
        AutoCheck::ProblemStated,
    ),
    auto("sponsor", "Sponsor named", AutoCheck::SponsorNamed),
    auto(
        "alignment",
        "Aligned to at least one strategic objective",
        AutoCheck::AlignedToObjective,
    ),
];

const INVESTMENT: &[GateItem] = &[
    auto(
        "problem",
        "Problem or opportunity described",
        AutoCheck::ProblemStated,
    ),
    auto(
        "benefits",
        "Expected benefits listed",
        AutoCheck::BenefitsListed,
    ),
    auto("cost", "Cost estimate given", AutoCheck::CostEstimated),
    auto(
        "duration",
        "Duration estimated",
        AutoCheck::DurationEstimated,
    ),
    auto("risks", "Key risks listed", AutoCheck::RisksListed),
    auto("sponsor", "Sponsor named", AutoCheck::SponsorNamed),
    auto(
        "alignment",
        "Aligned to at least one strategic objective",
        AutoCheck::AlignedToObjective,
    ),
    auto("scored", "Scored by at least one scorer", AutoCheck::Scored),
    manual("funding", "Funding source confirmed"),
];

const PLAN_APPROVAL: &[GateItem] = &[
    auto("manager", "Project manager named", AutoCheck::ManagerNamed),
    auto(
        "dates",
        "Planned start and end dates set",
        AutoCheck::PlannedDates,
    ),
    auto("budget", "Budget set", AutoCheck::BudgetSet),
    manual("plan", "Project plan and schedule baselined"),
    manual("resources", "Resources committed by their line managers"),
    manual("risk-register", "Risk register set up"),
];

const AGILE_READY: &[GateItem] = &[
    auto(
        "manager",
        "Product owner or project lead named",
        AutoCheck::ManagerNamed,
    ),
    auto(
        "dates",
        "Planned start and end dates set",
        AutoCheck::PlannedDates,
    ),
    auto("budget", "Budget set", AutoCheck::BudgetSet),
    manual("backlog", "Initial product backlog with a release goal"),
    manual("team", "Team formed and available"),
    manual("dod", "Definition of done agreed"),
];

const HANDOVER: &[GateItem] = &[
    manual("accepted", "Deliverables accepted by the sponsor"),
    manual("handover", "Handover to operations done"),
    auto(
        "changes",
        "No change requests waiting for a decision",
        AutoCheck::NoOpenChangeRequests,
    ),
];

const CLOSE_OUT: &[GateItem] = &[
    manual("lessons", "Lessons learned recorded"),
    manual("costs", "Final costs booked"),
    manual("benefits-review", "Benefits review scheduled"),
];

const STANDARD_STAGES: &[Stage] = &[
    Stage {
        key: "idea",
        name: "Idea",
    },
    Stage {
        key: "business_case",
        name: "Business case",
    },
    Stage {
        key: "planning",
        name: "Planning",
    },
    Stage {
        key: "execution",
        name: "Execution",
    },
    Stage {
        key: "closure",
        name: "Closure",
    },
];

const STANDARD: Lifecycle = Lifecycle {
    name: "Standard stage-gate",
    stages: STANDARD_STAGES,
    gates: &[
        Gate {
            id: "business_case",
            name: "Idea screening",
            from: "idea",
            to: Some("business_case"),
            activates: false,
            items: SCREENING,
        },
        Gate {
            id: "planning",
            name: "Investment decision",
            from: "business_case",
            to: Some("planning"),
            activates: true,
            items: INVESTMENT,
        },
        Gate {
            id: "execution",
            name: "Plan approval",
            from: "planning",
            to: Some("execution"),
            activates: false,
            items: PLAN_APPROVAL,
        },
        Gate {
            id: "closure",
            name: "Acceptance and handover",
            from: "execution",
            to: Some("closure"),
            activates: false,
            items: HANDOVER,
        },
        Gate {
            id: "closed",
            name: "Close-out",
            from: "closure",
            to: None,
            activates: false,
            items: CLOSE_OUT,
        },
    ],
};

const AGILE: Lifecycle = Lifecycle {
    name: "Agile stage-gate",
    stages: &[
        Stage {
            key: "idea",
            name: "Idea",
        },
        Stage {
            key: "business_case",
            name: "Business case",
        },
        Stage {
            key: "inception",
            name: "Inception",
        },
        Stage {
            key: "delivery",
            name: "Iterative delivery",
        },
        Stage {
            key: "closure",
            name: "Closure",
        },
    ],
    gates: &[
        Gate {
            id: "business_case",
            name: "Idea screening",
            from: "idea",
            to: Some("business_case"),
            activates: false,
            items: SCREENING,
        },
        Gate {
            id: "inception",
            name: "Investment decision",
            from: "business_case",
            to: Some("inception"),
            activates: true,
            items: INVESTMENT,
        },
        Gate {
            id: "delivery",
            name: "Ready to deliver",
            from: "inception",
            to: Some("delivery"),
            activates: false,
            items: AGILE_READY,
        },
        Gate {
            id: "closure",
            name: "Release accepted",
            from: "delivery",
            to: Some("closure"),
            activates: false,
            items: HANDOVER,
        },
        Gate {
            id: "closed",
            name: "Close-out",
            from: "closure",
            to: None,
            activates: false,
            items: CLOSE_OUT,
        },
    ],
};

/// Every lifecycle the app knows, the standard one first.
pub const LIFECYCLES: [&Lifecycle; 2] = [&STANDARD, &AGILE];

/// A stage key's position and stage in the first lifecycle that knows it
/// (lists and groupings that mix methodologies order stages by position).
pub fn known_stage(key: &str) -> Option<(usize, &'static Stage)> {
    LIFECYCLES
        .iter()
        .find_map(|life| life.stage_index(key).map(|i| (i, &life.stages[i])))
}

/// Checks an edit of a project's record against its lifecycle: moving it
/// forward by editing the stage needs the same go (or override) as the
/// gate page does, so the register cannot bypass the gates.
pub fn check_project_edit(
    portfolio: &Portfolio,
    old: &Project,
    new: &Project,
) -> Result<(), GateError> {
    check_activation(portfolio, old, new)?;
    if new.stage == old.stage || new.stage.is_empty() {
        return Ok(());
    }
    let mut before = old.clone();
    before.methodology = new.methodology;
    check_stage_change(portfolio, &before, &new.stage)
}

/// A proposal that came through intake (it has a business case) or is
/// under gate control becomes active only through its investment gate.
/// Projects simply registered as they are (no business case, no gate
/// history) may be set active directly: a PMO recording work already under
/// way need not invent gate decisions for it.
fn check_activation(portfolio: &Portfolio, old: &Project, new: &Project) -> Result<(), GateError> {
    let activating = old.status == ProjectStatus::Proposed
        && matches!(new.status, ProjectStatus::Active | ProjectStatus::OnHold);
    let gated = !old.business_case.is_empty()
        || !reviews_for(portfolio, &old.id).is_empty()
        || !overrides_for(portfolio, &old.id).is_empty();
    if !activating || !gated {
        return Ok(());
    }
    let Some(gate) = lifecycle_for(new.methodology)
        .gates
        .iter()
        .find(|g| g.activates)
    else {
        return Ok(());
    };
    gate_passed(portfolio, &old.id, gate)
}

pub fn lifecycle_for(methodology: Methodology) -> &'static Lifecycle {
    match methodology {
        Methodology::Agile | Methodology::Kanban => &AGILE,
        Methodology::Waterfall | Methodology::Hybrid | Methodology::Other => &STANDARD,
    }
}

impl Lifecycle {
    pub fn stage(&self, key: &str) -> Option<&'static Stage> {
        self.stages.iter().find(|s| s.key == key)
    }

    pub fn stage_index(&self, key: &str) -> Option<usize> {
        self.stages.iter().position(|s| s.key == key)
    }

    pub fn gate(&self, id: &str) -> Option<&'static Gate> {
        self.gates.iter().find(|g| g.id == id)
    }

    pub fn gate_from(&self, stage: &str) -> Option<&'static Gate> {
        self.gates.iter().find(|g| g.from == stage)
    }

    /// The stage name for a key, or the key itself when unknown.
    pub fn stage_name(&self, key: &str) -> String {
        self.stage(key)
            .map(|s| s.name.to_string())
            .unwrap_or_else(|| key.replace('_', " "))
    }
}

/// The stage a project is in. A stage the lifecycle does not know (empty,
/// or from another methodology) is read from the status instead.
pub fn current_stage(project: &Project) -> &'static Stage {
    let life = lifecycle_for(project.methodology);
    if let Some(stage) = life.stage(&project.stage) {
        return stage;
    }
    let index = match project.status {
        ProjectStatus::Proposed => 0,
        ProjectStatus::Active | ProjectStatus::OnHold => 3,
        ProjectStatus::Closed | ProjectStatus::Cancelled => 4,
    };
    &life.stages[index]
}

/// The gate the project has to pass next; `None` once it is closed or
/// cancelled.
pub fn next_gate(project: &Project) -> Option<&'static Gate> {
    if matches!(
        project.status,
        ProjectStatus::Closed | ProjectStatus::Cancelled
    ) {
        return None;
    }
    lifecycle_for(project.methodology).gate_from(current_stage(project).key)
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GateDecision {
    #[default]
    Go,
    Hold,
    Recycle,
    Stop,
}

impl GateDecision {
    pub const ALL: [GateDecision; 4] = [
        GateDecision::Go,
        GateDecision::Hold,
        GateDecision::Recycle,
        GateDecision::Stop,
    ];

    pub fn label(self) -> &'static str {
        match self {
            GateDecision::Go => "Go",
            GateDecision::Hold => "Hold",
            GateDecision::Recycle => "Recycle",
            GateDecision::Stop => "Stop",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            GateDecision::Go => "go",
            GateDecision::Hold => "hold",
            GateDecision::Recycle => "recycle",
            GateDecision::Stop => "stop",
        }
    }

    pub fn from_key(key: &str) -> Option<GateDecision> {
        GateDecision::ALL.into_iter().find(|d| d.key() == key)
    }

    pub fn meaning(self) -> &'static str {
        match self {
            GateDecision::Go => "Passes the gate: the project enters the next stage.",
            GateDecision::Hold => {
                "Paused: an active project is put on hold; a proposal keeps waiting."
            }
            GateDecision::Recycle => "Rework: stays in its stage until the gate is met.",
            GateDecision::Stop => "Stopped: the project is cancelled.",
        }
    }
}

/// A recorded gate decision.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GateReview {
    pub id: String,
    pub project_id: String,
    /// The gate's id (see [`Gate::id`]).
    pub gate: String,
    pub gate_name: String,
    pub from_stage: String,
    /// Empty for the last gate (closing the project).
    pub to_stage: String,
    pub decision: GateDecision,
    pub deciders: Vec<String>,
    pub date: Option<Date>,
    /// Conditions attached to the decision (long text).
    pub conditions: String,
    /// The document version (change hashes) the decision was made on.
    pub version: Vec<String>,
    /// Checklist items that were open when the decision was recorded.
    pub open_items: Vec<String>,
    pub recorded_by: String,
    /// Seconds since the epoch, to order decisions made on one day.
    pub recorded_at: i64,
}

impl Entity for GateReview {
    const COLLECTION: &'static str = "gate_reviews";
    const NOUN: &'static str = "gate review";

    fn id(&self) -> &str {
        &self.id
    }

    fn set_id(&mut self, id: String) {
        self.id = id;
    }

    fn label(&self) -> String {
        format!("{} {}", self.gate_name, self.decision.label())
    }
}

/// A stage move without a go, with the reason someone gave for it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StageOverride {
    pub id: String,
    pub project_id: String,
    pub gate: String,
    pub gate_name: String,
    pub from_stage: String,
    pub to_stage: String,
    pub reason: String,
    pub by: String,
    pub date: Option<Date>,
    pub version: Vec<String>,
    pub recorded_at: i64,
}

impl Entity for StageOverride {
    const COLLECTION: &'static str = "stage_overrides";
    const NOUN: &'static str = "stage override";

    fn id(&self) -> &str {
        &self.id
    }

    fn set_id(&mut self, id: String) {
        self.id = id;
    }

    fn label(&self) -> String {
        format!("override of {}", self.gate_name)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum GateError {
    ProjectNotFound,
    Finished(ProjectStatus),
    NoNextGate,
    NoDeciders,
    ReasonTooShort,
    /// Moving forward needs a recorded go (or an override) for this gate.
    NoGo {
        gate: String,
    },
    /// Stages can only be passed one at a time.
    SkipsStages,
    UnknownStage(String),
}

impl std::fmt::Display for GateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GateError::ProjectNotFound => write!(f, "That project no longer exists."),
            GateError::Finished(s) => write!(
                f,
                "The project is {}; it has no more gates.",
                s.label().to_lowercase()
            ),
            GateError::NoNextGate => write!(f, "The project has passed its last gate."),
            GateError::NoDeciders => write!(f, "Name who made the decision."),
            GateError::ReasonTooShort => write!(
                f,
                "Give a reason for the override (at least 10 characters); it is kept and shown with the project."
            ),
            GateError::NoGo { gate } => write!(
                f,
                "The project cannot move on without a recorded go at the gate \u{201c}{gate}\u{201d}; record a go or override with a reason."
            ),
            GateError::SkipsStages => write!(f, "Stages are passed one gate at a time."),
            GateError::UnknownStage(s) => write!(f, "There is no stage \u{201c}{s}\u{201d} in this lifecycle."),
        }
    }
}

/// What a person enters to record a gate decision.
#[derive(Clone, Debug, PartialEq)]
pub struct DecisionInput {
    pub decision: GateDecision,
    pub deciders: Vec<String>,
    pub date: Date,
    pub conditions: String,
    /// The current document version (change hashes).
    pub version: Vec<String>,
    pub recorded_by: String,
    pub recorded_at: i64,
}

/// Splits "Ada, Ben; Cyd" into names.
pub fn parse_names(text: &str) -> Vec<String> {
    text.split([',', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn open_gate(
    portfolio: &Portfolio,
    project_id: &str,
) -> Result<(Project, &'static Gate), GateError> {
    let project = portfolio
        .projects
        .get(project_id)
        .ok_or(GateError::ProjectNotFound)?;
    if matches!(
        project.status,
        ProjectStatus::Closed | ProjectStatus::Cancelled
    ) {
        return Err(GateError::Finished(project.status));
    }
    let gate = next_gate(project).ok_or(GateError::NoNextGate)?;
    Ok((project.clone(), gate))
}

/// The project after passing `gate` on `date`.
fn passed(project: &Project, gate: &Gate, date: Date) -> Project {
    let mut next = project.clone();
    match gate.to {
        Some(stage) => {
            next.stage = stage.to_string();
            next.stage_entered = Some(date);
            if gate.activates || project.status == ProjectStatus::OnHold {
                next.status = ProjectStatus::Active;
            }
            if gate.activates {
                if next.budget == 0.0 {
                    if let Some(cost) = project.business_case.cost_estimate {
                        next.budget = cost;
                    }
                }
                if next.planned_start.is_none() {
                    next.planned_start = Some(date);
                }
            }
        }
        None => {
            next.status = ProjectStatus::Closed;
            next.actual_end = next.actual_end.or(Some(date));
            next.stage_entered = Some(date);
        }
    }
    next
}

/// Records a gate decision and applies its effect, as one command.
pub fn record_decision(
    portfolio: &Portfolio,
    project_id: &str,
    input: DecisionInput,
) -> Result<Command, GateError> {
    let (project, gate) = open_gate(portfolio, project_id)?;
    let deciders: Vec<String> = input
        .deciders
        .iter()
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty())
        .collect();
    if deciders.is_empty() {
        return Err(GateError::NoDeciders);
    }
    let open_items = checklist(portfolio, &project, gate)
        .into_iter()
        .filter(|i| !i.done)
        .map(|i| i.item.text.to_string())
        .collect();
    let review = GateReview {
        id: super::id::new_id(),
        project_id: project.id.clone(),
        gate: gate.id.to_string(),
        gate_name: gate.name.to_string(),
        from_stage: gate.from.to_string(),
        to_stage: gate.to.unwrap_or_default().to_string(),
        decision: input.decision,
        deciders,
        date: Some(input.date),
        conditions: input.conditions.trim().to_string(),
        version: input.version,
        open_items,
        recorded_by: input.recorded_by,
        recorded_at: input.recorded_at,
    };
    let mut next = project.clone();
    match input.decision {
        GateDecision::Go => next = passed(&project, gate, input.date),
        GateDecision::Hold => {
            if project.status == ProjectStatus::Active {
                next.status = ProjectStatus::OnHold;
            }
        }
        GateDecision::Recycle => {}
        GateDecision::Stop => next.status = ProjectStatus::Cancelled,
    }
    let mut ops = vec![review.create_op()];
    ops.extend(next.update_op(&project));
    Ok(Command::new(
        format!(
            "Gate \u{201c}{}\u{201d} for {}: {}",
            gate.name,
            project.name,
            input.decision.label().to_lowercase()
        ),
        ops,
    ))
}

/// Moves the project through its next gate without a go. The reason is
/// kept (as a [`StageOverride`]) and shown wherever the gate history is.
pub fn override_gate(
    portfolio: &Portfolio,
    project_id: &str,
    reason: &str,
    by: &str,
    date: Date,
    version: Vec<String>,
    recorded_at: i64,
) -> Result<Command, GateError> {
    let (project, gate) = open_gate(portfolio, project_id)?;
    let reason = reason.trim();
    if reason.chars().count() < 10 {
        return Err(GateError::ReasonTooShort);
    }
    let record = StageOverride {
        id: super::id::new_id(),
        project_id: project.id.clone(),
        gate: gate.id.to_string(),
        gate_name: gate.name.to_string(),
        from_stage: gate.from.to_string(),
        to_stage: gate.to.unwrap_or_default().to_string(),
        reason: reason.to_string(),
        by: by.trim().to_string(),
        date: Some(date),
        version,
        recorded_at,
    };
    let next = passed(&project, gate, date);
    let mut ops = vec![record.create_op()];
    ops.extend(next.update_op(&project));
    Ok(Command::new(
        format!(
            "Override gate \u{201c}{}\u{201d} for {}",
            gate.name, project.name
        ),
        ops,
    ))
}

/// Whether a project may be set to stage `to` (for any editor that changes
/// stages directly): going back or staying is fine; going forward needs
/// the latest decision at the next gate to be a go, or an override.
pub fn check_stage_change(
    portfolio: &Portfolio,
    project: &Project,
    to: &str,
) -> Result<(), GateError> {
    let life = lifecycle_for(project.methodology);
    let target = life
        .stage_index(to)
        .ok_or_else(|| GateError::UnknownStage(to.to_string()))?;
    let here = life
        .stage_index(current_stage(project).key)
        .unwrap_or_default();
    if target <= here {
        return Ok(());
    }
    if target > here + 1 {
        return Err(GateError::SkipsStages);
    }
    let gate = life
        .gate_from(life.stages[here].key)
        .ok_or(GateError::NoNextGate)?;
    gate_passed(portfolio, &project.id, gate)
}

/// Whether the project passed `gate`: its latest decision there is a go,
/// or someone overrode the gate with a reason.
fn gate_passed(portfolio: &Portfolio, project_id: &str, gate: &Gate) -> Result<(), GateError> {
    let go = matches!(
        latest_review(portfolio, project_id, gate.id).map(|r| r.decision),
        Some(GateDecision::Go)
    );
    let overridden = overrides_for(portfolio, project_id)
        .iter()
        .any(|o| o.gate == gate.id);
    if go || overridden {
        Ok(())
    } else {
        Err(GateError::NoGo {
            gate: gate.name.to_string(),
        })
    }
}

/// Gate reviews of a project, oldest first.
pub fn reviews_for<'a>(portfolio: &'a Portfolio, project_id: &str) -> Vec<&'a GateReview> {
    let mut list: Vec<&GateReview> = portfolio
        .gate_reviews
        .values()
        .filter(|r| r.project_id == project_id)
        .collect();
    list.sort_by(|a, b| {
        a.date
            .cmp(&b.date)
            .then(a.recorded_at.cmp(&b.recorded_at))
            .then(a.id.cmp(&b.id))
    });
    list
}

pub fn latest_review<'a>(
    portfolio: &'a Portfolio,
    project_id: &str,
    gate: &str,
) -> Option<&'a GateReview> {
    reviews_for(portfolio, project_id)
        .into_iter()
        .rfind(|r| r.gate == gate)
}

/// Overrides of a project, oldest first.
pub fn overrides_for<'a>(portfolio: &'a Portfolio, project_id: &str) -> Vec<&'a StageOverride> {
    let mut list: Vec<&StageOverride> = portfolio
        .stage_overrides
        .values()
        .filter(|o| o.project_id == project_id)
        .collect();
    list.sort_by(|a, b| {
        a.date
            .cmp(&b.date)
            .then(a.recorded_at.cmp(&b.recorded_at))
            .then(a.id.cmp(&b.id))
    });
    list
}

/// A project under gate control (it has a review or an override) whose
/// current stage beyond the business case is explained by neither a go
/// nor an override into it — e.g. someone edited the stage directly.
pub fn stage_unexplained(portfolio: &Portfolio, project: &Project) -> bool {
    let reviews = reviews_for(portfolio, &project.id);
    let overrides = overrides_for(portfolio, &project.id);
    if reviews.is_empty() && overrides.is_empty() {
        return false;
    }
    let life = lifecycle_for(project.methodology);
    let stage = current_stage(project);
    if life.stage_index(stage.key).unwrap_or_default() <= 1 {
        return false;
    }
    let by_go = reviews
        .iter()
        .any(|r| r.decision == GateDecision::Go && r.to_stage == stage.key);
    let by_override = overrides.iter().any(|o| o.to_stage == stage.key);
    !(by_go || by_override)
}

#[derive(Clone, Debug, PartialEq)]
pub struct ItemState {
    pub item: &'static GateItem,
    pub done: bool,
}

/// The gate's checklist for a project: automatic items from its data,
/// manual ones from what people ticked (`gate_checklists[gate][item]`).
pub fn checklist(portfolio: &Portfolio, project: &Project, gate: &Gate) -> Vec<ItemState> {
    gate.items
        .iter()
        .map(|item| {
            let done = match item.auto {
                Some(check) => auto_check(portfolio, project, check),
                None => project
                    .gate_checklists
                    .get(gate.id)
                    .and_then(|m| m.get(item.id))
                    .copied()
                    .unwrap_or(false),
            };
            ItemState { item, done }
        })
        .collect()
}

fn auto_check(portfolio: &Portfolio, project: &Project, check: AutoCheck) -> bool {
    let bc = &project.business_case;
    match check {
        AutoCheck::ProblemStated => !bc.problem_statement.trim().is_empty(),
        AutoCheck::BenefitsListed => bc
            .benefits
            .values()
            .any(|b| !b.description.trim().is_empty()),
        AutoCheck::CostEstimated => bc.cost_estimate.is_some(),
        AutoCheck::DurationEstimated => bc.duration_months.is_some(),
        AutoCheck::RisksListed => !bc.key_risks.trim().is_empty(),
        AutoCheck::SponsorNamed => !project.sponsor.trim().is_empty(),
        AutoCheck::AlignedToObjective => project
            .objectives
            .keys()
            .any(|id| portfolio.objectives.contains_key(id)),
        AutoCheck::Scored => project.scores.values().any(|m| !m.ratings.is_empty()),
        AutoCheck::ManagerNamed => !project.manager.trim().is_empty(),
        AutoCheck::PlannedDates => project.planned_start.is_some() && project.planned_end.is_some(),
        AutoCheck::BudgetSet => project.budget > 0.0,
        AutoCheck::NoOpenChangeRequests => !portfolio.change_requests.values().any(|c| {
            c.project_id == project.id && c.status == super::change_request::ChangeStatus::Submitted
        }),
    }
}

/// Ticks or unticks a manual checklist item.
pub fn tick(project: &Project, gate: &Gate, item: &GateItem, done: bool) -> Command {
    let path = ["gate_checklists", gate.id, item.id];
    Command::new(
        format!(
            "{} \u{201c}{}\u{201d} for {}",
            if done { "Tick" } else { "Untick" },
            item.text,
            project.name
        ),
        vec![Op::Patch {
            collection: Project::COLLECTION.into(),
            id: project.id.clone(),
            changes: vec![if done {
                FieldChange::set(&path, json!(true))
            } else {
                FieldChange::remove(&path)
            }],
        }],
    )
}

/// Sets or clears the planned date of a gate review.
pub fn plan_gate(project: &Project, gate: &Gate, date: Option<Date>) -> Command {
    let path = ["gate_dates", gate.id];
    let (change, summary) = match date {
        Some(d) => (
            FieldChange::set(&path, json!(d.to_string())),
            format!(
                "Plan gate \u{201c}{}\u{201d} of {} for {d}",
                gate.name, project.name
            ),
        ),
        None => (
            FieldChange::remove(&path),
            format!(
                "Clear the planned date of gate \u{201c}{}\u{201d} of {}",
                gate.name, project.name
            ),
        ),
    };
    Command::new(
        summary,
        vec![Op::Patch {
            collection: Project::COLLECTION.into(),
            id: project.id.clone(),
            changes: vec![change],
        }],
    )
}
