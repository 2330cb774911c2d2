//! Dashboard figures, computed from the register rows. Every figure is
//! about active projects (status "Active"), so each dashboard tile can
//! link to the register filtered to exactly the projects it counts.

use super::health::Rag;
use super::project::ProjectStatus;
use super::register::{HealthFilter, Query, Row};
use std::borrow::Borrow;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RagCounts {
    pub green: usize,
    pub amber: usize,
    pub red: usize,
    pub not_assessed: usize,
}

impl RagCounts {
    pub fn get(&self, rag: Rag) -> usize {
        match rag {
            Rag::Green => self.green,
            Rag::Amber => self.amber,
            Rag::Red => self.red,
            Rag::NotAssessed => self.not_assessed,
        }
    }

    pub fn total(&self) -> usize {
        self.green + self.amber + self.red + self.not_assessed
    }

    fn add(&mut self, rag: Rag) {
        match rag {
            Rag::Green => self.green += 1,
            Rag::Amber => self.amber += 1,
            Rag::Red => self.red += 1,
            Rag::NotAssessed => self.not_assessed += 1,
        }
    }
}

/// A project the dashboard asks someone to look at.
#[derive(Clone, Debug, PartialEq)]
pub struct Attention {
    pub id: String,
    pub code: String,
    pub name: String,
    pub rag: Rag,
    /// The rule (or override) behind the worst dimension.
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Kpis {
    pub active: usize,
    pub total_budget: f64,
    pub total_actual: f64,
    pub total_forecast: f64,
    /// Forecast minus budget: positive means overspend.
    pub variance: f64,
    /// Variance as a share of the budget; `None` without a budget.
    pub variance_pct: Option<f64>,
    /// Active projects forecast to exceed their budget.
    pub over_budget: usize,
    pub rag: RagCounts,
    /// Green share of the assessed active projects (0–100).
    pub on_track_pct: Option<f64>,
    /// Red first, then amber; by name within each.
    pub attention: Vec<Attention>,
    /// Projects by status, in `ProjectStatus::ALL` order (all projects).
    pub by_status: Vec<(ProjectStatus, usize)>,
}

impl Kpis {
    /// The variance as people read it, "+120,000 (+5.1%)"; `None` without
    /// a budget.
    pub fn variance_text(&self) -> Option<String> {
        self.variance_pct.map(|pct| {
            format!(
                "{} ({}{})",
                super::format::signed_amount(self.variance),
                if pct > 0.0 { "+" } else { "" },
                super::format::percent((pct * 10.0).round() / 10.0)
            )
        })
    }
}

pub fn kpis<R: Borrow<Row>>(rows: &[R]) -> Kpis {
    let rows: Vec<&Row> = rows.iter().map(Borrow::borrow).collect();
    let mut k = Kpis::default();
    for r in rows.iter().filter(|r| r.status == ProjectStatus::Active) {
        k.active += 1;
        k.total_budget += r.budget;
        k.total_actual += r.actual_cost;
        k.total_forecast += r.forecast;
        if r.forecast > r.budget {
            k.over_budget += 1;
        }
        k.rag.add(r.health.overall);
        if matches!(r.health.overall, Rag::Red | Rag::Amber) {
            let reason = r
                .health
                .dimensions
                .iter()
                .find(|d| d.rag == r.health.overall)
                .map(|d| format!("{}: {}", d.dimension.label(), d.reason))
                .unwrap_or_default();
            k.attention.push(Attention {
                id: r.id.clone(),
                code: r.code.clone(),
                name: r.name.clone(),
                rag: r.health.overall,
                reason,
            });
        }
    }
    k.variance = k.total_forecast - k.total_budget;
    k.variance_pct = (k.total_budget > 0.0).then(|| k.variance / k.total_budget * 100.0);
    let assessed = k.rag.green + k.rag.amber + k.rag.red;
    k.on_track_pct = (assessed > 0).then(|| k.rag.green as f64 / assessed as f64 * 100.0);
    k.attention.sort_by(|a, b| {
        b.rag
            .cmp(&a.rag)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    k.by_status = ProjectStatus::ALL
        .into_iter()
        .map(|s| (s, rows.iter().filter(|r| r.status == s).count()))
        .collect();
    k
}

/// The register query behind a dashboard figure: active projects, with
/// an optional health filter.
pub fn active_query(health: Option<HealthFilter>) -> Query {
    Query {
        status: Some(ProjectStatus::Active),
        health,
        ..Query::default()
    }
}
