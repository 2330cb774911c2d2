//! Intake: a proposal's business case and the financial figures derived
//! from it (net present value, return on investment, payback period).
//!
//! Conventions (also shown in the UI next to the figures):
//! - Cash flows are given per year, year 0 being the start. Year 0 is not
//!   discounted; year `t` is divided by `(1 + r)^t` with `r` the portfolio
//!   discount rate.
//! - ROI = (total benefits − total costs) / total costs, undiscounted, over
//!   the cash-flow years. Without cash flows it falls back to the money
//!   value of the expected benefits against the cost estimate.
//! - Payback period: years until the cumulative undiscounted net cash flow
//!   reaches zero. Year 0 is an instant; flows of a later year arrive evenly
//!   over that year, so the period is fractional (linear within the year).
//!   `None` when the cumulative flow never gets back to zero.

use super::date::Date;
use super::portfolio::Portfolio;
use super::project::{Project, ProjectStatus};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Stored on the project (`Project::business_case`) as a nested map, so two
/// people editing different parts of one business case both keep theirs.
/// Empty fields and maps are left out of the document.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BusinessCase {
    /// The problem or opportunity (long text; merges concurrent edits).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub problem_statement: String,
    /// Benefit id → expected benefit. A map so concurrent additions merge.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub benefits: BTreeMap<String, Benefit>,
    /// One-off cost estimate of the whole proposal, in portfolio currency.
    pub cost_estimate: Option<f64>,
    /// Expected duration in months.
    pub duration_months: Option<f64>,
    /// Key risks (long text).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub key_risks: String,
    /// Year index (0 = start) → cost and benefit of that year.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub cash_flows: BTreeMap<u32, CashFlow>,
    /// Role → person-days the proposal needs (used by capacity limits in
    /// selection).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub resource_needs: BTreeMap<String, f64>,
    pub submitted_on: Option<Date>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub submitted_by: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Benefit {
    pub description: String,
    /// Money value where one can be given.
    pub value: Option<f64>,
    /// Display order (creation time in seconds is good enough).
    pub order: i64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CashFlow {
    pub cost: f64,
    pub benefit: f64,
}

impl CashFlow {
    pub fn net(self) -> f64 {
        self.benefit - self.cost
    }
}

impl BusinessCase {
    /// Nothing entered yet (the project then stores no business case).
    pub fn is_empty(&self) -> bool {
        *self == BusinessCase::default()
    }

    /// Benefits in display order.
    pub fn benefits_in_order(&self) -> Vec<(&String, &Benefit)> {
        let mut list: Vec<_> = self.benefits.iter().collect();
        list.sort_by(|a, b| a.1.order.cmp(&b.1.order).then(a.0.cmp(b.0)));
        list
    }

    /// Sum of the benefits that carry a money value.
    pub fn benefits_value(&self) -> Option<f64> {
        let values: Vec<f64> = self.benefits.values().filter_map(|b| b.value).collect();
        (!values.is_empty()).then(|| values.iter().sum())
    }

    /// Cash flows as a dense list from year 0 to the last year given;
    /// missing years count as zero.
    pub fn yearly_flows(&self) -> Vec<CashFlow> {
        let Some(last) = self.cash_flows.keys().next_back() else {
            return Vec::new();
        };
        (0..=*last)
            .map(|y| self.cash_flows.get(&y).copied().unwrap_or_default())
            .collect()
    }

    pub fn financials(&self, discount_rate_percent: f64) -> Financials {
        let flows = self.yearly_flows();
        let rate = discount_rate_percent / 100.0;
        if flows.is_empty() {
            let roi = match (self.benefits_value(), self.cost_estimate) {
                (Some(b), Some(c)) if c > 0.0 => Some((b - c) / c),
                _ => None,
            };
            return Financials {
                roi,
                ..Financials::default()
            };
        }
        let total_cost: f64 = flows.iter().map(|f| f.cost).sum();
        let total_benefit: f64 = flows.iter().map(|f| f.benefit).sum();
        Financials {
            npv: npv(&flows, rate),
            roi: (total_cost > 0.0).then(|| (total_benefit - total_cost) / total_cost),
            payback_years: payback(&flows, None),
            discounted_payback_years: payback(&flows, Some(rate)),
            total_cost: Some(total_cost),
            total_benefit: Some(total_benefit),
        }
    }

    /// What still blocks a complete business case, as short phrases.
    pub fn gaps(&self, project: &Project) -> Vec<&'static str> {
        let mut gaps = Vec::new();
        if self.problem_statement.trim().is_empty() {
            gaps.push("problem or opportunity");
        }
        if self.benefits.is_empty() {
            gaps.push("expected benefits");
        }
        if self.cost_estimate.is_none() {
            gaps.push("cost estimate");
        }
        if self.duration_months.is_none() {
            gaps.push("duration");
        }
        if self.key_risks.trim().is_empty() {
            gaps.push("key risks");
        }
        if project.sponsor.trim().is_empty() {
            gaps.push("sponsor");
        }
        if project.objectives.is_empty() {
            gaps.push("alignment to objectives");
        }
        gaps
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Financials {
    pub npv: Option<f64>,
    /// As a fraction (0.25 = 25 %).
    pub roi: Option<f64>,
    pub payback_years: Option<f64>,
    pub discounted_payback_years: Option<f64>,
    pub total_cost: Option<f64>,
    pub total_benefit: Option<f64>,
}

/// Net present value of yearly net flows (year 0 undiscounted).
pub fn npv(flows: &[CashFlow], rate: f64) -> Option<f64> {
    if flows.is_empty() || rate <= -1.0 {
        return None;
    }
    Some(
        flows
            .iter()
            .enumerate()
            .map(|(t, f)| f.net() / (1.0 + rate).powi(t as i32))
            .sum(),
    )
}

/// Payback period in (fractional) years; with `Some(rate)` the flows are
/// discounted first (discounted payback).
pub fn payback(flows: &[CashFlow], rate: Option<f64>) -> Option<f64> {
    let nets: Vec<f64> = flows
        .iter()
        .enumerate()
        .map(|(t, f)| match rate {
            Some(r) => f.net() / (1.0 + r).powi(t as i32),
            None => f.net(),
        })
        .collect();
    let first = *nets.first()?;
    if first >= 0.0 {
        // Nothing invested up front: paid back from the start (provided
        // nothing later drags it below zero, checked below).
        if nets
            .iter()
            .scan(0.0, |c, n| {
                *c += n;
                Some(*c)
            })
            .all(|c| c >= 0.0)
        {
            return Some(0.0);
        }
    }
    let mut cumulative = first;
    let mut paid_back_at = None;
    for (year, net) in nets.iter().enumerate().skip(1) {
        let before = cumulative;
        cumulative += net;
        if before < 0.0 && cumulative >= 0.0 {
            // Only the first crossing counts unless it dips again later.
            if paid_back_at.is_none() {
                paid_back_at = Some((year - 1) as f64 + (-before) / net);
            }
        } else if cumulative < 0.0 {
            paid_back_at = None;
        }
    }
    paid_back_at
}

/// Proposals: projects in status *proposed*, by name.
pub fn proposals(portfolio: &Portfolio) -> Vec<&Project> {
    portfolio
        .projects_by_name()
        .into_iter()
        .filter(|p| p.status == ProjectStatus::Proposed)
        .collect()
}

/// The cost selection works with: the business case estimate, else the
/// project budget.
pub fn proposal_cost(project: &Project) -> f64 {
    project
        .business_case
        .cost_estimate
        .unwrap_or(project.budget)
}

/// Parses a money or number the way people type it: "120000", "120 000",
/// "120,000.50", "1.5k", "2m". Returns a message for anything else.
pub fn parse_amount(text: &str) -> Result<f64, String> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',' && *c != '_' && *c != '\u{a0}')
        .collect();
    if cleaned.is_empty() {
        return Err("Enter an amount.".into());
    }
    let (digits, factor) = match cleaned.chars().last() {
        Some('k' | 'K') => (&cleaned[..cleaned.len() - 1], 1e3),
        Some('m' | 'M') => (&cleaned[..cleaned.len() - 1], 1e6),
        _ => (cleaned.as_str(), 1.0),
    };
    match digits.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v * factor),
        _ => Err(format!("\u{201c}{}\u{201d} is not a number.", text.trim())),
    }
}

/// A money amount for display: thousands separated by a thin space,
/// no decimals from 1,000 up, then the currency code.
pub fn format_money(amount: f64, currency: &str) -> String {
    let negative = amount < 0.0;
    let abs = amount.abs();
    let body = if abs >= 1000.0 || abs == abs.trunc() {
        super::format::amount(abs)
    } else {
        format!("{abs:.2}")
    };
    let sign = if negative && abs >= 0.005 {
        "\u{2212}"
    } else {
        ""
    };
    if currency.is_empty() {
        format!("{sign}{body}")
    } else {
        format!("{sign}{body} {currency}")
    }
}

/// A short amount for chart axes: 1.3M, 450k, 900.
pub fn compact_amount(amount: f64) -> String {
    let a = amount.abs();
    let (v, suffix) = if a >= 1e9 {
        (amount / 1e9, "B")
    } else if a >= 1e6 {
        (amount / 1e6, "M")
    } else if a >= 1e3 {
        (amount / 1e3, "k")
    } else {
        (amount, "")
    };
    let text = if v.abs() >= 100.0 || v == v.trunc() {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    };
    format!("{text}{suffix}")
}

/// Years as people say them: "2.4 years", "1 year".
pub fn format_years(years: f64) -> String {
    let rounded = (years * 10.0).round() / 10.0;
    if (rounded - 1.0).abs() < f64::EPSILON {
        "1 year".into()
    } else {
        format!("{rounded:.1} years")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flows(pairs: &[(f64, f64)]) -> Vec<CashFlow> {
        pairs
            .iter()
            .map(|&(cost, benefit)| CashFlow { cost, benefit })
            .collect()
    }

    #[test]
    fn amounts_parse_as_typed() {
        assert_eq!(parse_amount("120000").unwrap(), 120000.0);
        assert_eq!(parse_amount(" 120 000 ").unwrap(), 120000.0);
        assert_eq!(parse_amount("120,000.50").unwrap(), 120000.5);
        assert_eq!(parse_amount("1.5k").unwrap(), 1500.0);
        assert_eq!(parse_amount("2M").unwrap(), 2_000_000.0);
        assert!(parse_amount("").is_err());
        assert!(parse_amount("lots").unwrap_err().contains("lots"));
        assert!(parse_amount("NaN").is_err());
        assert!(parse_amount("inf").is_err());
    }

    #[test]
    fn money_is_grouped() {
        assert_eq!(format_money(1234567.4, "EUR"), "1,234,567 EUR");
        assert_eq!(format_money(-2500.0, "USD"), "\u{2212}2,500 USD");
        assert_eq!(format_money(999.5, ""), "999.50");
        assert_eq!(format_money(0.0, "EUR"), "0 EUR");
        assert_eq!(format_years(2.36), "2.4 years");
        assert_eq!(format_years(1.0), "1 year");
        assert_eq!(compact_amount(1_260_000.0), "1.3M");
        assert_eq!(compact_amount(450_000.0), "450k");
        assert_eq!(compact_amount(2_000_000.0), "2M");
        assert_eq!(compact_amount(900.0), "900");
    }

    #[test]
    fn sparse_cash_flows_fill_missing_years_with_zero() {
        let mut bc = BusinessCase::default();
        bc.cash_flows.insert(
            2,
            CashFlow {
                cost: 0.0,
                benefit: 5.0,
            },
        );
        let dense = bc.yearly_flows();
        assert_eq!(dense.len(), 3);
        assert_eq!(dense[0], CashFlow::default());
        assert_eq!(dense[2].benefit, 5.0);
    }

    #[test]
    fn never_paid_back_is_none() {
        assert_eq!(payback(&flows(&[(100.0, 0.0), (0.0, 30.0)]), None), None);
        // Crossing zero and dipping below again is not paid back.
        assert_eq!(
            payback(&flows(&[(100.0, 0.0), (0.0, 120.0), (50.0, 0.0)]), None),
            None
        );
        assert_eq!(payback(&[], None), None);
    }

    #[test]
    fn nothing_invested_is_paid_back_at_once() {
        assert_eq!(
            payback(&flows(&[(0.0, 10.0), (0.0, 10.0)]), None),
            Some(0.0)
        );
    }
}
