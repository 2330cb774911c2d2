//! Strategic objectives and programs: what projects serve and belong to.

use super::entity::Entity;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Objective {
    pub id: String,
    pub name: String,
    pub description: String,
    /// Relative importance; weights are normalised when used.
    pub weight: f64,
}

impl Entity for Objective {
    const COLLECTION: &'static str = "objectives";
    const NOUN: &'static str = "objective";

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

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Program {
    pub id: String,
    pub name: String,
    pub owner: String,
    pub description: String,
    /// Ids of the objectives this program serves, as a set (map to `true`)
    /// so concurrent additions merge.
    pub objectives: std::collections::BTreeMap<String, bool>,
}

impl Entity for Program {
    const COLLECTION: &'static str = "programs";
    const NOUN: &'static str = "program";

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
