//! The scoring model: criteria with weights and scales, per-scorer ratings,
//! the weighted total and the ranking of proposals.
//!
//! Rules (shown in the UI as well):
//! - Each scorer's ratings are stored separately on the project
//!   (`scores[<scorer id>].ratings[<criterion id>]`, next to the scorer's
//!   name), so people scoring offline never write the same key and their
//!   files merge cleanly. The scorer id is one per browser profile, so a
//!   person with several tabs open is still one scorer.
//! - Per criterion the mean of the scorers' ratings is used; it is turned
//!   into a fraction of the scale (0 = lowest level, 1 = highest; reversed
//!   for an *inverse* criterion such as risk, where a high rating is bad).
//! - Weighted total = Σ weight × fraction / Σ weight, shown as 0–100. A
//!   criterion nobody has rated contributes nothing and the proposal is
//!   marked as not fully scored (so leaving a criterion blank never helps).
//! - Disagreement: two scorers' ratings for one criterion differ by at
//!   least half the scale (2 points on 1–5, 5 points on 0–10).
//! - A criterion whose source is *objectives* is derived from the
//!   objective weights and the proposal's alignment strengths (1–3): the
//!   weighted mean strength over all weighted objectives, as a fraction of
//!   the strongest alignment. Without weighted objectives it falls back to
//!   the scorers' ratings.

use super::command::{Command, FieldChange, Op};
use super::entity::Entity;
use super::objective::Objective;
use super::portfolio::Portfolio;
use super::project::Project;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    #[default]
    OneToFive,
    ZeroToTen,
}

impl Scale {
    pub const ALL: [Scale; 2] = [Scale::OneToFive, Scale::ZeroToTen];

    pub fn min(self) -> u8 {
        match self {
            Scale::OneToFive => 1,
            Scale::ZeroToTen => 0,
        }
    }

    pub fn max(self) -> u8 {
        match self {
            Scale::OneToFive => 5,
            Scale::ZeroToTen => 10,
        }
    }

    pub fn levels(self) -> std::ops::RangeInclusive<u8> {
        self.min()..=self.max()
    }

    pub fn label(self) -> &'static str {
        match self {
            Scale::OneToFive => "1\u{2013}5",
            Scale::ZeroToTen => "0\u{2013}10",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Scale::OneToFive => "one_to_five",
            Scale::ZeroToTen => "zero_to_ten",
        }
    }

    pub fn from_key(key: &str) -> Option<Scale> {
        Scale::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Ratings this far apart (or more) count as disagreement.
    pub fn disagreement_gap(self) -> f64 {
        f64::from(self.max() - self.min()) / 2.0
    }

    fn fraction(self, rating: f64) -> f64 {
        let (lo, hi) = (f64::from(self.min()), f64::from(self.max()));
        ((rating - lo) / (hi - lo)).clamp(0.0, 1.0)
    }

    pub fn contains(self, rating: f64) -> bool {
        rating.is_finite() && rating >= f64::from(self.min()) && rating <= f64::from(self.max())
    }
}

/// One scorer's ratings of one proposal.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScorerRatings {
    /// The scorer's name when they last rated (names travel with data).
    pub name: String,
    /// Criterion id → rating.
    pub ratings: BTreeMap<String, f64>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CriterionSource {
    /// Scorers rate it.
    #[default]
    Scorers,
    /// Derived from objective weights × the proposal's alignment.
    Objectives,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Criterion {
    pub id: String,
    pub name: String,
    pub description: String,
    /// Relative weight (≥ 0); weights are normalised when used.
    pub weight: f64,
    pub scale: Scale,
    /// A high rating is bad (e.g. risk): the scale is reversed in the total.
    pub inverse: bool,
    pub source: CriterionSource,
    /// Level → what a rating at that level means.
    pub levels: BTreeMap<u8, String>,
    /// Display order.
    pub order: i64,
}

impl Entity for Criterion {
    const COLLECTION: &'static str = "criteria";
    const NOUN: &'static str = "criterion";

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

impl Criterion {
    pub fn meaning(&self, level: u8) -> &str {
        self.levels.get(&level).map(String::as_str).unwrap_or("")
    }

    /// Checks a criterion before it is saved.
    pub fn validate(&self) -> Result<(), String> {
        if self.name.trim().is_empty() {
            return Err("A criterion needs a name.".into());
        }
        if !self.weight.is_finite() || self.weight < 0.0 {
            return Err("The weight must be zero or a positive number.".into());
        }
        if self.levels.keys().any(|l| !self.scale.levels().contains(l)) {
            return Err(format!(
                "Level meanings must be within the scale {}.",
                self.scale.label()
            ));
        }
        Ok(())
    }
}

/// Deterministic ids: when two people's apps both create the defaults
/// (e.g. for an older portfolio, offline), they write the same keys
/// instead of two sets of criteria.
pub const DEFAULT_CRITERIA_IDS: [&str; 5] = [
    "crit-strategic",
    "crit-financial",
    "crit-risk",
    "crit-urgency",
    "crit-feasibility",
];

pub fn default_criteria() -> Vec<Criterion> {
    let levels = |texts: [&str; 5]| -> BTreeMap<u8, String> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| (i as u8 + 1, t.to_string()))
            .collect()
    };
    let make = |i: usize,
                name: &str,
                description: &str,
                weight: f64,
                inverse: bool,
                source: CriterionSource,
                texts: [&str; 5]| Criterion {
        id: DEFAULT_CRITERIA_IDS[i].to_string(),
        name: name.into(),
        description: description.into(),
        weight,
        scale: Scale::OneToFive,
        inverse,
        source,
        levels: levels(texts),
        order: i as i64,
    };
    vec![
        make(
            0,
            "Strategic alignment",
            "How strongly the proposal serves the strategic objectives. Derived from objective weights and the proposal's alignment when objectives are weighted.",
            30.0,
            false,
            CriterionSource::Objectives,
            [
                "Serves no objective",
                "Touches one objective weakly",
                "Clearly supports one objective",
                "Strongly supports important objectives",
                "Essential to the most important objectives",
            ],
        ),
        make(
            1,
            "Financial value",
            "Net benefit for the money: NPV, ROI and payback.",
            25.0,
            false,
            CriterionSource::Scorers,
            [
                "Costs more than it returns",
                "Roughly breaks even",
                "Modest positive return",
                "Good return, payback within three years",
                "Excellent return, fast payback",
            ],
        ),
        make(
            2,
            "Risk",
            "Delivery and business risk. Rate the risk itself: a high rating lowers the total (inverse criterion).",
            15.0,
            true,
            CriterionSource::Scorers,
            [
                "Very low risk",
                "Low risk, well understood",
                "Moderate risk with mitigations",
                "High risk, significant unknowns",
                "Very high risk, likely to fail",
            ],
        ),
        make(
            3,
            "Urgency",
            "Cost of waiting: deadlines, regulation, competition.",
            15.0,
            false,
            CriterionSource::Scorers,
            [
                "Can wait indefinitely",
                "Nice to start this year",
                "Should start within six months",
                "Needed within three months",
                "Legal or critical deadline now",
            ],
        ),
        make(
            4,
            "Feasibility",
            "Can we do it: skills, technology, dependencies.",
            15.0,
            false,
            CriterionSource::Scorers,
            [
                "Not feasible with what we have",
                "Major gaps in skills or technology",
                "Feasible with some new capability",
                "Feasible, minor gaps",
                "Routine for us",
            ],
        ),
    ]
}

/// The command that creates the default criteria that are missing and
/// marks the defaults as created (so deleting one later does not bring it
/// back). `None` when there is nothing to do.
pub fn ensure_default_criteria(portfolio: &Portfolio) -> Option<Command> {
    if portfolio.settings.default_criteria_created {
        return None;
    }
    let mut ops: Vec<Op> = default_criteria()
        .into_iter()
        .filter(|c| !portfolio.criteria.contains_key(&c.id))
        .map(|c| c.create_op())
        .collect();
    ops.push(Op::SetRoot {
        change: FieldChange::set(&["settings", "default_criteria_created"], json!(true)),
    });
    Some(Command::new("Set up the default scoring criteria", ops))
}

/// Criteria in display order.
pub fn criteria_in_order(portfolio: &Portfolio) -> Vec<&Criterion> {
    let mut list: Vec<&Criterion> = portfolio.criteria.values().collect();
    list.sort_by(|a, b| a.order.cmp(&b.order).then(a.name.cmp(&b.name)));
    list
}

/// The alignment fraction (0–1) from objective weights × alignment
/// strengths; `None` when no objective has a positive weight.
pub fn alignment_fraction(
    project: &Project,
    objectives: &BTreeMap<String, Objective>,
) -> Option<f64> {
    let total: f64 = objectives
        .values()
        .map(|o| o.weight)
        .filter(|w| w.is_finite() && *w > 0.0)
        .sum();
    if total <= 0.0 {
        return None;
    }
    let aligned: f64 = project
        .objectives
        .iter()
        .filter_map(|(id, strength)| {
            let w = objectives.get(id)?.weight;
            (w.is_finite() && w > 0.0).then(|| w * f64::from((*strength).min(3)) / 3.0)
        })
        .sum();
    Some(aligned / total)
}

#[derive(Clone, Debug, PartialEq)]
pub struct CriterionResult {
    pub criterion_id: String,
    pub name: String,
    /// Scorer → rating, for ratings within the scale.
    pub ratings: BTreeMap<String, f64>,
    /// The rating used: the scorers' mean, or the derived value.
    pub value: Option<f64>,
    pub derived: bool,
    /// 0–1 after reversing inverse criteria.
    pub fraction: Option<f64>,
    /// Contribution to the 0–100 total.
    pub points: f64,
    /// Share of the total weight, 0–1.
    pub weight_share: f64,
    pub disagreement: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ProposalScore {
    pub project_id: String,
    pub name: String,
    /// 0–100.
    pub total: f64,
    pub breakdown: Vec<CriterionResult>,
    /// Every scorer who rated at least one criterion: (scorer id, name).
    pub scorers: Vec<(String, String)>,
    /// Every weighted criterion has a value.
    pub complete: bool,
    pub disagreement: bool,
}

impl ProposalScore {
    pub fn disagreements(&self) -> Vec<&str> {
        self.breakdown
            .iter()
            .filter(|c| c.disagreement)
            .map(|c| c.name.as_str())
            .collect()
    }
}

pub fn score_project(
    project: &Project,
    criteria: &[&Criterion],
    objectives: &BTreeMap<String, Objective>,
) -> ProposalScore {
    let total_weight: f64 = criteria
        .iter()
        .map(|c| c.weight)
        .filter(|w| w.is_finite() && *w > 0.0)
        .sum();
    let alignment = alignment_fraction(project, objectives);
    let mut scorers = std::collections::BTreeSet::new();
    let mut complete = true;
    let mut breakdown = Vec::with_capacity(criteria.len());
    for c in criteria {
        let ratings: BTreeMap<String, f64> = project
            .scores
            .iter()
            .filter_map(|(scorer, by_scorer)| {
                let r = *by_scorer.ratings.get(&c.id)?;
                c.scale.contains(r).then(|| (scorer.clone(), r))
            })
            .collect();
        scorers.extend(ratings.keys().cloned());
        let derived_value = match (c.source, alignment) {
            (CriterionSource::Objectives, Some(a)) => {
                let (lo, hi) = (f64::from(c.scale.min()), f64::from(c.scale.max()));
                Some(lo + a * (hi - lo))
            }
            _ => None,
        };
        let derived = derived_value.is_some();
        let value = derived_value.or_else(|| {
            (!ratings.is_empty()).then(|| ratings.values().sum::<f64>() / ratings.len() as f64)
        });
        let fraction = value.map(|v| {
            let f = c.scale.fraction(v);
            if c.inverse {
                1.0 - f
            } else {
                f
            }
        });
        let weight = if c.weight.is_finite() && c.weight > 0.0 {
            c.weight
        } else {
            0.0
        };
        let weight_share = if total_weight > 0.0 {
            weight / total_weight
        } else {
            0.0
        };
        if weight > 0.0 && value.is_none() {
            complete = false;
        }
        let spread = ratings.values().fold(None, |acc: Option<(f64, f64)>, &r| {
            Some(match acc {
                None => (r, r),
                Some((lo, hi)) => (lo.min(r), hi.max(r)),
            })
        });
        let disagreement = !derived
            && ratings.len() >= 2
            && spread.is_some_and(|(lo, hi)| hi - lo >= c.scale.disagreement_gap());
        breakdown.push(CriterionResult {
            criterion_id: c.id.clone(),
            name: c.name.clone(),
            ratings,
            value,
            derived,
            fraction,
            points: fraction.unwrap_or(0.0) * weight_share * 100.0,
            weight_share,
            disagreement,
        });
    }
    ProposalScore {
        project_id: project.id.clone(),
        name: project.name.clone(),
        total: breakdown.iter().map(|c| c.points).sum(),
        disagreement: breakdown.iter().any(|c| c.disagreement),
        breakdown,
        scorers: by_name(
            scorers
                .into_iter()
                .map(|id| {
                    let name = project
                        .scores
                        .get(&id)
                        .map(|s| s.name.trim())
                        .filter(|n| !n.is_empty())
                        .unwrap_or("Unnamed scorer")
                        .to_string();
                    (id, name)
                })
                .collect(),
        ),
        complete: complete && total_weight > 0.0,
    }
}

/// (scorer id, name) pairs by name, so every browser lists scorers in the
/// same order (their ids are random per browser).
fn by_name(mut scorers: Vec<(String, String)>) -> Vec<(String, String)> {
    scorers.sort_by_cached_key(|(id, name)| (name.to_lowercase(), id.clone()));
    scorers
}

/// Proposals ranked by weighted total (highest first, then by name).
pub fn ranking(portfolio: &Portfolio) -> Vec<ProposalScore> {
    let criteria = criteria_in_order(portfolio);
    let mut list: Vec<ProposalScore> = super::intake::proposals(portfolio)
        .into_iter()
        .map(|p| score_project(p, &criteria, &portfolio.objectives))
        .collect();
    list.sort_by(|a, b| {
        b.total
            .total_cmp(&a.total)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then_with(|| a.project_id.cmp(&b.project_id))
    });
    list
}

/// The command for one scorer setting (or clearing, with `None`) one
/// rating. Only the scorer's own keys are written.
pub fn rate(
    project: &Project,
    criterion: &Criterion,
    scorer: &str,
    scorer_name: &str,
    rating: Option<f64>,
) -> Result<Command, String> {
    if let Some(r) = rating {
        if !criterion.scale.contains(r) || r.fract() != 0.0 {
            return Err(format!(
                "A rating for {} must be a whole number from {} to {}.",
                criterion.name,
                criterion.scale.min(),
                criterion.scale.max()
            ));
        }
    }
    if scorer.is_empty() {
        return Err("This device has no identity yet; reload the page.".into());
    }
    let path = ["scores", scorer, "ratings", criterion.id.as_str()];
    let mut changes = vec![match rating {
        Some(r) => FieldChange::set(&path, json!(r)),
        None => FieldChange::remove(&path),
    }];
    let known = project.scores.get(scorer).map(|s| s.name.as_str());
    if known != Some(scorer_name.trim()) && !scorer_name.trim().is_empty() {
        changes.push(FieldChange::set(
            &["scores", scorer, "name"],
            json!(scorer_name.trim()),
        ));
    }
    let summary = match rating {
        Some(r) => format!(
            "{scorer_name} rated {} {} for {}",
            project.name, r, criterion.name
        ),
        None => format!(
            "{scorer_name} cleared the {} rating of {}",
            criterion.name, project.name
        ),
    };
    Ok(Command::new(
        summary,
        vec![Op::Patch {
            collection: Project::COLLECTION.into(),
            id: project.id.clone(),
            changes,
        }],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_criteria_are_valid_and_weighted_to_100() {
        let defaults = default_criteria();
        assert_eq!(defaults.len(), 5);
        assert!(defaults.iter().all(|c| c.validate().is_ok()));
        assert_eq!(defaults.iter().map(|c| c.weight).sum::<f64>(), 100.0);
        assert!(defaults.iter().all(|c| c.levels.len() == 5));
        assert!(defaults.iter().any(|c| c.inverse && c.name == "Risk"));
    }

    #[test]
    fn scorers_are_listed_by_name_whatever_their_ids() {
        let criteria = default_criteria();
        let criteria: Vec<&Criterion> = criteria.iter().collect();
        let mut project = Project::named("p1", "CRM");
        for (id, name) in [("zz", "Ada"), ("aa", "ben"), ("mm", "Cyd")] {
            let mut ratings = BTreeMap::new();
            ratings.insert(criteria[1].id.clone(), 3.0);
            project.scores.insert(
                id.into(),
                ScorerRatings {
                    name: name.into(),
                    ratings,
                },
            );
        }
        let names: Vec<String> = score_project(&project, &criteria, &BTreeMap::new())
            .scorers
            .into_iter()
            .map(|(_, name)| name)
            .collect();
        assert_eq!(names, ["Ada", "ben", "Cyd"]);
    }

    #[test]
    fn validation_names_the_problem() {
        let mut c = default_criteria().remove(1);
        c.weight = -1.0;
        assert!(c.validate().unwrap_err().contains("weight"));
        c.weight = 1.0;
        c.levels.insert(7, "x".into());
        assert!(c.validate().unwrap_err().contains("1\u{2013}5"));
        c.levels.remove(&7);
        c.name = " ".into();
        assert!(c.validate().unwrap_err().contains("name"));
    }
}
