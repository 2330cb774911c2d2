//! Project health: a RAG rating per dimension and overall, computed from the
//! project's data and the portfolio's thresholds, each with the sentence
//! that explains which rule decided it. A manager may override a dimension
//! (with a mandatory reason); the override wins and is shown as such.
//!
//! Data sources: schedule and budget are computed from dates, costs and
//! progress; scope from the project's change requests (approved changes of
//! scope since the investment decision). Resources and risks have no data
//! in the portfolio yet, so they are "not assessed" until a manager sets
//! them (an override).

use super::change_request::{ChangeRequest, ChangeStatus};
use super::date::Date;
use super::format;
use super::portfolio::Settings;
use super::project::{Project, ProjectStatus};
use serde::{Deserialize, Serialize};

/// A health rating. Ordered by severity: `NotAssessed < Green < Amber < Red`.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Rag {
    #[default]
    NotAssessed,
    Green,
    Amber,
    Red,
}

impl Rag {
    pub const ALL: [Rag; 4] = [Rag::Green, Rag::Amber, Rag::Red, Rag::NotAssessed];

    /// The word shown on badges: colour is never the only signal.
    pub fn label(self) -> &'static str {
        match self {
            Rag::NotAssessed => "Not assessed",
            Rag::Green => "Green",
            Rag::Amber => "Amber",
            Rag::Red => "Red",
        }
    }

    /// Stable key for URLs, CSS classes and storage.
    pub fn key(self) -> &'static str {
        match self {
            Rag::NotAssessed => "not_assessed",
            Rag::Green => "green",
            Rag::Amber => "amber",
            Rag::Red => "red",
        }
    }

    pub fn parse(key: &str) -> Option<Rag> {
        Rag::ALL.into_iter().find(|r| r.key() == key)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dimension {
    Schedule,
    Budget,
    Scope,
    Resources,
    Risks,
}

impl Dimension {
    pub const ALL: [Dimension; 5] = [
        Dimension::Schedule,
        Dimension::Budget,
        Dimension::Scope,
        Dimension::Resources,
        Dimension::Risks,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Dimension::Schedule => "schedule",
            Dimension::Budget => "budget",
            Dimension::Scope => "scope",
            Dimension::Resources => "resources",
            Dimension::Risks => "risks",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Dimension::Schedule => "Schedule",
            Dimension::Budget => "Budget",
            Dimension::Scope => "Scope",
            Dimension::Resources => "Resources",
            Dimension::Risks => "Risks",
        }
    }

    pub fn parse(key: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.key() == key)
    }
}

/// Where a dimension turns amber and red. Stored in the settings map
/// (key `health`), so two people changing different thresholds both win.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HealthThresholds {
    /// Forecast (or actual cost) over budget by more than this % → amber.
    pub budget_amber_pct: f64,
    pub budget_red_pct: f64,
    /// Forecast end later than planned end by more than this many days → amber.
    pub schedule_amber_days: i32,
    pub schedule_red_days: i32,
    /// Percent complete behind the share of planned time elapsed by more
    /// than this many points → amber.
    pub progress_amber_points: f64,
    pub progress_red_points: f64,
    /// More approved changes of scope than this → amber.
    pub scope_amber_changes: u32,
    pub scope_red_changes: u32,
}

impl Default for HealthThresholds {
    fn default() -> HealthThresholds {
        HealthThresholds {
            budget_amber_pct: 5.0,
            budget_red_pct: 10.0,
            schedule_amber_days: 14,
            schedule_red_days: 30,
            progress_amber_points: 15.0,
            progress_red_points: 25.0,
            scope_amber_changes: 1,
            scope_red_changes: 3,
        }
    }
}

/// A manager's rating of one dimension, replacing the computed one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HealthOverride {
    pub rag: Rag,
    /// Why; required (an override without a reason is refused).
    pub reason: String,
    /// Who set it (display name).
    pub by: String,
    pub at: Option<Date>,
}

/// One dimension's rating and why.
#[derive(Clone, Debug, PartialEq)]
pub struct DimensionHealth {
    pub dimension: Dimension,
    /// The rating in force (the override's when there is one).
    pub rag: Rag,
    /// Why the rating in force holds.
    pub reason: String,
    /// What the rules say, even when overridden.
    pub computed: Rag,
    pub computed_reason: String,
    pub overridden: Option<HealthOverride>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HealthReport {
    pub dimensions: Vec<DimensionHealth>,
    pub overall: Rag,
    pub overall_reason: String,
}

impl HealthReport {
    pub fn get(&self, dimension: Dimension) -> &DimensionHealth {
        // Every report holds all dimensions in `Dimension::ALL` order.
        &self.dimensions[dimension as usize]
    }

    pub fn rag(&self, dimension: Dimension) -> Rag {
        self.get(dimension).rag
    }
}

/// The health of `project` on `today` under the portfolio's settings;
/// `changes` are the portfolio's change requests (those of other projects
/// are ignored).
pub fn health(
    project: &Project,
    changes: &[&ChangeRequest],
    settings: &Settings,
    today: Date,
) -> HealthReport {
    let t = &settings.health;
    let dimensions: Vec<DimensionHealth> = Dimension::ALL
        .into_iter()
        .map(|dimension| {
            let (computed, computed_reason) = if project.status == ProjectStatus::Cancelled {
                (
                    Rag::NotAssessed,
                    "Cancelled projects are not assessed.".to_string(),
                )
            } else {
                match dimension {
                    Dimension::Schedule => schedule(project, t, today),
                    Dimension::Budget => budget(project, t, &settings.currency),
                    Dimension::Scope => scope(project, changes, t),
                    Dimension::Resources | Dimension::Risks => (
                        Rag::NotAssessed,
                        "No data for this yet: the project manager can assess it.".to_string(),
                    ),
                }
            };
            let overridden = project
                .health_overrides
                .get(dimension.key())
                .filter(|o| !o.reason.trim().is_empty())
                .cloned();
            let (rag, reason) = match &overridden {
                Some(o) => (o.rag, override_text(o)),
                None => (computed, computed_reason.clone()),
            };
            DimensionHealth {
                dimension,
                rag,
                reason,
                computed,
                computed_reason,
                overridden,
            }
        })
        .collect();
    let (overall, overall_reason) = overall(&dimensions);
    HealthReport {
        dimensions,
        overall,
        overall_reason,
    }
}

/// Only the overall rating (what lists and filters need).
pub fn overall_rag(
    project: &Project,
    changes: &[&ChangeRequest],
    settings: &Settings,
    today: Date,
) -> Rag {
    health(project, changes, settings, today).overall
}

/// Scope: how often the agreed scope was changed through approved change
/// requests that state a scope impact. Before the investment decision
/// (proposals) there is no agreed scope to change yet.
fn scope(p: &Project, changes: &[&ChangeRequest], t: &HealthThresholds) -> (Rag, String) {
    if p.status == ProjectStatus::Proposed {
        return (
            Rag::NotAssessed,
            "Scope is agreed at the investment decision; changes count from then on.".into(),
        );
    }
    let of_scope = || {
        changes
            .iter()
            .filter(|c| c.project_id == p.id && !c.scope_impact.trim().is_empty())
    };
    let approved = of_scope()
        .filter(|c| matches!(c.status, ChangeStatus::Approved | ChangeStatus::Implemented))
        .count();
    let pending = of_scope()
        .filter(|c| c.status == ChangeStatus::Submitted)
        .count();
    let count = |n: usize, what: &str| match n {
        0 => format!("No {what} scope changes"),
        1 => format!("1 {what} scope change"),
        n => format!("{n} {what} scope changes"),
    };
    let waiting = match pending {
        0 => String::new(),
        1 => "; 1 more awaits a decision".into(),
        n => format!("; {n} more await a decision"),
    };
    let (amber, red) = (t.scope_amber_changes, t.scope_red_changes);
    let n = approved as u32;
    let text = count(approved, "approved");
    if n > red {
        (Rag::Red, format!("{text}{waiting} (red above {red})."))
    } else if n > amber {
        (
            Rag::Amber,
            format!("{text}{waiting} (amber above {amber}, red above {red})."),
        )
    } else {
        (
            Rag::Green,
            format!("{text}{waiting} (amber above {amber})."),
        )
    }
}

fn override_text(o: &HealthOverride) -> String {
    let mut who = String::from("Set");
    if !o.by.trim().is_empty() {
        who.push_str(&format!(" by {}", o.by.trim()));
    }
    if let Some(at) = o.at {
        who.push_str(&format!(" on {at}"));
    }
    format!("{who}: {}", o.reason.trim())
}

fn overall(dimensions: &[DimensionHealth]) -> (Rag, String) {
    let worst = dimensions.iter().map(|d| d.rag).max().unwrap_or_default();
    match worst {
        Rag::NotAssessed => (
            Rag::NotAssessed,
            "No dimension has been assessed yet.".to_string(),
        ),
        Rag::Green => (Rag::Green, "Every assessed dimension is green.".to_string()),
        rag => {
            let names: Vec<&str> = dimensions
                .iter()
                .filter(|d| d.rag == rag)
                .map(|d| d.dimension.label())
                .collect();
            (
                rag,
                format!(
                    "Overall is the worst dimension: {} {} {}.",
                    names.join(", "),
                    if names.len() == 1 { "is" } else { "are" },
                    rag.label().to_lowercase()
                ),
            )
        }
    }
}

fn in_flight(status: ProjectStatus) -> bool {
    matches!(status, ProjectStatus::Active | ProjectStatus::OnHold)
}

/// Rates a slip in days against the thresholds.
fn rate_days(days: i32, amber: i32, red: i32) -> (Rag, String) {
    if days > red {
        (Rag::Red, format!("red above {red}"))
    } else if days > amber {
        (Rag::Amber, format!("amber above {amber}, red above {red}"))
    } else {
        (Rag::Green, format!("amber above {amber}"))
    }
}

fn days_word(n: i32) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

fn schedule(p: &Project, t: &HealthThresholds, today: Date) -> (Rag, String) {
    let Some(planned_end) = p.planned_end else {
        return (Rag::NotAssessed, "No planned end date.".into());
    };
    let (amber, red) = (t.schedule_amber_days, t.schedule_red_days);

    // A finished project is judged by when it actually ended.
    if let Some(actual_end) = p.actual_end {
        let slip = planned_end.days_until(actual_end);
        let (rag, rule) = rate_days(slip, amber, red);
        let text = if slip > 0 {
            format!(
                "Finished {actual_end}, {} after planned end {planned_end} ({rule}).",
                days_word(slip)
            )
        } else {
            format!("Finished {actual_end}, on or before planned end {planned_end}.")
        };
        return (rag, text);
    }

    let forecast = p.forecast_end.unwrap_or(planned_end);
    let mut result = if in_flight(p.status) && today > forecast {
        // The forecast has passed without the project finishing: the
        // slip is at least until today.
        let slip = planned_end.days_until(today);
        let (rag, rule) = rate_days(slip, amber, red);
        let what = if p.forecast_end.is_some_and(|f| f != planned_end) {
            format!("Forecast end {forecast} has passed")
        } else {
            format!("Planned end {planned_end} has passed")
        };
        (
            rag,
            format!(
                "{what} and the project is not finished: {} after planned end ({rule}).",
                days_word(slip)
            ),
        )
    } else {
        let slip = planned_end.days_until(forecast);
        let (rag, rule) = rate_days(slip, amber, red);
        let text = if slip > 0 {
            format!(
                "Forecast end {forecast} is {} after planned end {planned_end} ({rule}).",
                days_word(slip)
            )
        } else if p.forecast_end.is_some() {
            format!("Forecast end {forecast} is on or before planned end {planned_end}.")
        } else {
            format!("No forecast end: assumed to finish as planned on {planned_end}.")
        };
        (rag, text)
    };

    // Progress against elapsed time catches slips nobody has re-forecast.
    if let (Some(lag), Some(start)) = (progress_lag(p, today), p.planned_start) {
        let elapsed = elapsed_share(start, planned_end, today);
        let rag = if lag > t.progress_red_points {
            Rag::Red
        } else if lag > t.progress_amber_points {
            Rag::Amber
        } else {
            Rag::Green
        };
        if rag > result.0 {
            let rule = if rag == Rag::Red {
                format!("red above {}", format::plain_number(t.progress_red_points))
            } else {
                format!(
                    "amber above {}, red above {}",
                    format::plain_number(t.progress_amber_points),
                    format::plain_number(t.progress_red_points)
                )
            };
            result = (
                rag,
                format!(
                    "{} complete with {} of the planned time elapsed: {} points behind ({rule}).",
                    format::percent(p.percent_complete),
                    format::percent(elapsed.round()),
                    format::plain_number(lag.round())
                ),
            );
        }
    }
    result
}

/// Share (0–100) of the planned window that has passed on `today`.
fn elapsed_share(start: Date, end: Date, today: Date) -> f64 {
    let total = start.days_until(end).max(1) as f64;
    (start.days_until(today) as f64 / total * 100.0).clamp(0.0, 100.0)
}

/// Points by which progress trails elapsed time, for an active project
/// inside its planned window; `None` when the rule does not apply.
fn progress_lag(p: &Project, today: Date) -> Option<f64> {
    let (start, end) = (p.planned_start?, p.planned_end?);
    if p.status != ProjectStatus::Active || end <= start || today <= start || today > end {
        return None;
    }
    Some(elapsed_share(start, end, today) - p.percent_complete)
}

fn budget(p: &Project, t: &HealthThresholds, currency: &str) -> (Rag, String) {
    let forecast = p.forecast_at_completion;
    if p.budget <= 0.0 {
        let spend = p.actual_cost.max(forecast.unwrap_or(0.0));
        return if spend > 0.0 {
            (
                Rag::Amber,
                format!(
                    "Costs of {} are recorded or forecast but no budget is set.",
                    format::money(spend, currency)
                ),
            )
        } else {
            (Rag::NotAssessed, "No budget set.".into())
        };
    }
    let budget = p.budget;
    let pct = |amount: f64| (amount - budget) / budget * 100.0;
    let forecast_pct = forecast.map(pct);
    let actual_pct = pct(p.actual_cost);
    // Money already spent cannot be un-spent: an actual cost above the
    // forecast makes the actual cost the better predictor.
    let (what, amount, over) = match forecast_pct {
        Some(f) if f >= actual_pct => ("Forecast at completion", forecast.unwrap_or(budget), f),
        _ if actual_pct > 0.0 => ("Actual cost to date", p.actual_cost, actual_pct),
        _ => (
            "Forecast at completion",
            forecast.unwrap_or(budget),
            pct(budget),
        ),
    };
    let amount_text = format::money(amount, currency);
    let budget_text = format::money(budget, currency);
    let (amber, red) = (t.budget_amber_pct, t.budget_red_pct);
    let pct_text = format::percent((over * 10.0).round() / 10.0);
    if over > red {
        (
            Rag::Red,
            format!(
                "{what} {amount_text} is {pct_text} over budget {budget_text} (red above {}).",
                format::percent(red)
            ),
        )
    } else if over > amber {
        (
            Rag::Amber,
            format!(
                "{what} {amount_text} is {pct_text} over budget {budget_text} (amber above {}, red above {}).",
                format::percent(amber),
                format::percent(red)
            ),
        )
    } else if over > 0.0 {
        (
            Rag::Green,
            format!(
                "{what} {amount_text} is {pct_text} over budget {budget_text}, within the {} tolerance.",
                format::percent(amber)
            ),
        )
    } else if forecast.is_none() {
        (
            Rag::Green,
            format!(
                "No forecast at completion: spent {} of budget {budget_text}.",
                format::money(p.actual_cost, currency)
            ),
        )
    } else {
        (
            Rag::Green,
            format!("{what} {amount_text} is within budget {budget_text}."),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rag_orders_by_severity_and_round_trips_keys() {
        assert!(Rag::Red > Rag::Amber && Rag::Amber > Rag::Green);
        assert!(Rag::Green > Rag::NotAssessed);
        for r in Rag::ALL {
            assert_eq!(Rag::parse(r.key()), Some(r));
        }
        for d in Dimension::ALL {
            assert_eq!(Dimension::parse(d.key()), Some(d));
            assert_eq!(Dimension::ALL[d as usize], d);
        }
    }
}
