//! Selection scenarios: named sets of limits and forced choices, saved with
//! a snapshot of their result so they can be compared side by side (and
//! re-run when scores or costs have moved since).

use super::date::Date;
use super::entity::Entity;
use super::intake::{proposal_cost, proposals};
use super::portfolio::Portfolio;
use super::scoring::ranking;
use super::selection::{Candidate, Constraints, Selection};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Scenario {
    pub id: String,
    pub name: String,
    pub budget: f64,
    /// Role → person-days available.
    pub role_capacity: BTreeMap<String, f64>,
    /// Program id → spending cap.
    pub program_cap: BTreeMap<String, f64>,
    /// Proposal ids as sets (maps to `true`) so concurrent edits merge.
    pub forced_in: BTreeMap<String, bool>,
    pub forced_out: BTreeMap<String, bool>,
    pub created_by: String,
    pub created_on: Option<Date>,
    pub result: ScenarioResult,
}

/// What the optimiser chose when the scenario was saved.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScenarioResult {
    pub chosen: Vec<String>,
    pub total_cost: f64,
    pub total_score: f64,
}

impl Entity for Scenario {
    const COLLECTION: &'static str = "scenarios";
    const NOUN: &'static str = "scenario";

    fn id(&self) -> &str {
        &self.id
    }

    fn set_id(&mut self, id: String) {
        self.id = id;
    }

    fn label(&self) -> String {
        self.name.clone()
    }
}

impl Scenario {
    pub fn constraints(&self) -> Constraints {
        let set = |m: &BTreeMap<String, bool>| {
            m.iter()
                .filter(|(_, on)| **on)
                .map(|(id, _)| id.clone())
                .collect()
        };
        Constraints {
            budget: self.budget,
            role_capacity: self.role_capacity.clone(),
            program_cap: self.program_cap.clone(),
            forced_in: set(&self.forced_in),
            forced_out: set(&self.forced_out),
        }
    }

    pub fn from_constraints(limits: &Constraints) -> Scenario {
        let set = |s: &std::collections::BTreeSet<String>| {
            s.iter().map(|id| (id.clone(), true)).collect()
        };
        Scenario {
            budget: limits.budget,
            role_capacity: limits.role_capacity.clone(),
            program_cap: limits.program_cap.clone(),
            forced_in: set(&limits.forced_in),
            forced_out: set(&limits.forced_out),
            ..Scenario::default()
        }
    }

    pub fn record(&mut self, selection: &Selection) {
        self.result = ScenarioResult {
            chosen: selection.chosen.clone(),
            total_cost: selection.total_cost,
            total_score: selection.total_value,
        };
    }

    pub fn validate(&self) -> Result<(), String> {
        if self.name.trim().is_empty() {
            return Err("Give the scenario a name.".into());
        }
        if !self.budget.is_finite() || self.budget < 0.0 {
            return Err("The budget must be zero or a positive amount.".into());
        }
        Ok(())
    }
}

/// The proposals selection chooses from (projects in status proposed), with their weighted score, cost, program and resource needs.
pub fn candidates(portfolio: &Portfolio) -> Vec<Candidate> {
    let scores: BTreeMap<String, f64> = ranking(portfolio)
        .into_iter()
        .map(|s| (s.project_id, s.total))
        .collect();
    proposals(portfolio)
        .into_iter()
        .map(|p| Candidate {
            id: p.id.clone(),
            name: p.name.clone(),
            cost: proposal_cost(p),
            value: scores.get(&p.id).copied().unwrap_or(0.0),
            program: p.program_id.clone(),
            demand: p.business_case.resource_needs.clone(),
        })
        .collect()
}

/// Every role named in any proposal's resource needs.
pub fn roles(candidates: &[Candidate]) -> Vec<String> {
    let mut roles: Vec<String> = candidates
        .iter()
        .flat_map(|c| c.demand.keys().cloned())
        .collect();
    roles.sort_by_key(|r| r.to_lowercase());
    roles.dedup();
    roles
}

/// Saved scenarios by name.
pub fn scenarios_by_name(portfolio: &Portfolio) -> Vec<&Scenario> {
    let mut list: Vec<&Scenario> = portfolio.scenarios.values().collect();
    list.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.id.cmp(&b.id))
    });
    list
}
