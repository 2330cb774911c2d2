//! The portfolio snapshot: everything the UI reads, rebuilt from the document.

use super::change_request::ChangeRequest;
use super::date::Date;
use super::entity::Entity;
use super::health::{self, HealthReport};
use super::lifecycle::{GateReview, StageOverride};
use super::objective::{Objective, Program};
use super::project::Project;
use super::scenario::Scenario;
use super::scoring::Criterion;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Portfolio-wide settings, stored under the root key `settings`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// ISO 4217 code shown next to money, e.g. "EUR".
    pub currency: String,
    /// Month (1–12) the fiscal year starts in.
    pub fiscal_year_start_month: u8,
    // --- Intake and governance settings.
    /// Yearly discount rate for NPV, in percent.
    pub discount_rate_percent: f64,
    /// Days in one stage after which its gate counts as overdue when no
    /// gate date is planned.
    pub stage_overdue_days: u32,
    /// The default scoring criteria were created once (deleting one later
    /// must not bring it back).
    pub default_criteria_created: bool,
    /// When a health dimension turns amber or red (register feature).
    pub health: super::health::HealthThresholds,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            currency: "EUR".into(),
            fiscal_year_start_month: 1,
            discount_rate_percent: 8.0,
            stage_overdue_days: 90,
            default_criteria_created: false,
            health: super::health::HealthThresholds::default(),
        }
    }
}

impl Settings {
    /// The settings as stored fields.
    pub fn to_map(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        }
    }
}

/// A read-only view of the whole portfolio at one document version.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Portfolio {
    pub id: String,
    pub name: String,
    pub schema: u64,
    pub settings: Settings,
    /// Automerge actor id (hex) → display name of the person on that device.
    pub people_by_actor: BTreeMap<String, String>,
    pub projects: BTreeMap<String, Project>,
    pub programs: BTreeMap<String, Program>,
    pub objectives: BTreeMap<String, Objective>,
    // --- Intake and governance collections.
    pub criteria: BTreeMap<String, Criterion>,
    pub scenarios: BTreeMap<String, Scenario>,
    pub gate_reviews: BTreeMap<String, GateReview>,
    pub stage_overrides: BTreeMap<String, StageOverride>,
    pub change_requests: BTreeMap<String, ChangeRequest>,
    /// Records that could not be read (e.g. written by a newer app); shown
    /// to the user rather than silently dropped.
    pub problems: Vec<String>,
}

impl Portfolio {
    /// Builds the snapshot from the document root read as JSON.
    pub fn from_root(root: &Map<String, Value>) -> Portfolio {
        let mut problems = Vec::new();
        let text = |key: &str| {
            root.get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let settings = match root.get("settings") {
            Some(v) => serde_json::from_value(v.clone()).unwrap_or_else(|e| {
                problems.push(format!("settings: {e}"));
                Settings::default()
            }),
            None => Settings::default(),
        };
        let people_by_actor = root
            .get("actors")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        Portfolio {
            id: text("portfolio_id"),
            name: text("name"),
            schema: root.get("schema").and_then(Value::as_u64).unwrap_or(0),
            settings,
            people_by_actor,
            projects: read_collection(root, &mut problems),
            programs: read_collection(root, &mut problems),
            objectives: read_collection(root, &mut problems),
            criteria: read_collection(root, &mut problems),
            scenarios: read_collection(root, &mut problems),
            gate_reviews: read_collection(root, &mut problems),
            stage_overrides: read_collection(root, &mut problems),
            change_requests: read_collection(root, &mut problems),
            problems,
        }
    }

    /// Display name for an actor id, falling back to a short form of the id.
    pub fn person(&self, actor_hex: &str) -> String {
        self.people_by_actor
            .get(actor_hex)
            .cloned()
            .unwrap_or_else(|| format!("unknown ({})", &actor_hex[..actor_hex.len().min(8)]))
    }

    /// Whether the record `collection`/`id` exists (a collection this
    /// version does not know holds nothing).
    pub fn contains(&self, collection: &str, id: &str) -> bool {
        fn has<T: Entity>(map: &BTreeMap<String, T>, collection: &str, id: &str) -> Option<bool> {
            (collection == T::COLLECTION).then(|| map.contains_key(id))
        }
        has(&self.projects, collection, id)
            .or_else(|| has(&self.programs, collection, id))
            .or_else(|| has(&self.objectives, collection, id))
            .or_else(|| has(&self.criteria, collection, id))
            .or_else(|| has(&self.scenarios, collection, id))
            .or_else(|| has(&self.gate_reviews, collection, id))
            .or_else(|| has(&self.stage_overrides, collection, id))
            .or_else(|| has(&self.change_requests, collection, id))
            .unwrap_or(false)
    }

    /// The change requests of one project (the scope dimension of health
    /// reads them).
    pub fn change_requests_of(&self, project_id: &str) -> Vec<&ChangeRequest> {
        self.change_requests
            .values()
            .filter(|c| c.project_id == project_id)
            .collect()
    }

    /// A project's health on `today`, from its data, its change requests
    /// and the portfolio's thresholds.
    pub fn health_of(&self, project: &Project, today: Date) -> HealthReport {
        health::health(
            project,
            &self.change_requests_of(&project.id),
            &self.settings,
            today,
        )
    }

    /// Projects sorted by name, for lists.
    pub fn projects_by_name(&self) -> Vec<&Project> {
        let mut list: Vec<&Project> = self.projects.values().collect();
        list.sort_by(|a, b| {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then(a.id.cmp(&b.id))
        });
        list
    }
}

/// Reads one collection, keeping every readable record and a message for
/// every unreadable one.
pub fn read_collection<T: Entity>(
    root: &Map<String, Value>,
    problems: &mut Vec<String>,
) -> BTreeMap<String, T> {
    let Some(map) = root.get(T::COLLECTION).and_then(Value::as_object) else {
        return BTreeMap::new();
    };
    let mut out = BTreeMap::new();
    for (id, value) in map {
        match value.as_object().map(|fields| T::from_fields(id, fields)) {
            Some(Ok(entity)) => {
                out.insert(id.clone(), entity);
            }
            Some(Err(problem)) => problems.push(problem),
            None => problems.push(format!("{} {id}: not a record", T::NOUN)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn snapshot_reads_root_and_reports_bad_records() {
        let root = json!({
            "portfolio_id": "pf1", "name": "Acme", "schema": 1,
            "settings": {"currency": "USD"},
            "actors": {"aa11": "Ada"},
            "projects": {"p1": {"name": "Web"}, "p2": {"name": 5}, "p3": "junk"}
        });
        let p = Portfolio::from_root(root.as_object().unwrap());
        assert_eq!(p.name, "Acme");
        assert_eq!(p.settings.currency, "USD");
        assert_eq!(p.settings.fiscal_year_start_month, 1);
        assert_eq!(p.projects.len(), 1);
        assert_eq!(p.projects["p1"].id, "p1");
        assert_eq!(p.problems.len(), 2);
        assert_eq!(p.person("aa11"), "Ada");
        assert_eq!(p.person("bb22ccdd99"), "unknown (bb22ccdd)");
    }
}
