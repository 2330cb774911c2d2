//! Validation of register records with field-level messages, and parsing
//! of what people type into number fields. The UI shows each message next
//! to its field and refuses to store a record that has new errors.

use super::objective::{Objective, Program};
use super::portfolio::Settings;
use super::project::Project;

/// One problem with one field. `field` is the struct field's name (the UI
/// maps it to its input).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> FieldError {
        FieldError {
            field,
            message: message.into(),
        }
    }
}

/// Messages for one field, joined; `None` when the field is fine.
pub fn message_for(errors: &[FieldError], field: &str) -> Option<String> {
    let messages: Vec<&str> = errors
        .iter()
        .filter(|e| e.field == field)
        .map(|e| e.message.as_str())
        .collect();
    (!messages.is_empty()).then(|| messages.join(" "))
}

/// Checks a project against the rules and the other projects (for code
/// uniqueness). `others` may include the project itself; it is skipped.
pub fn validate_project<'a>(
    p: &Project,
    others: impl IntoIterator<Item = &'a Project>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if p.name.trim().is_empty() {
        errors.push(FieldError::new("name", "Enter a project name."));
    }
    let code = p.code.trim();
    if !code.is_empty() {
        if let Some(other) = others
            .into_iter()
            .find(|o| o.id != p.id && o.code.trim().eq_ignore_ascii_case(code))
        {
            errors.push(FieldError::new(
                "code",
                format!(
                    "Code {code} is already used by {}; each project needs its own code.",
                    if other.name.trim().is_empty() {
                        "another project"
                    } else {
                        other.name.trim()
                    }
                ),
            ));
        }
    }
    if let (Some(start), Some(end)) = (p.planned_start, p.planned_end) {
        if end < start {
            errors.push(FieldError::new(
                "planned_end",
                format!("Planned end is before the planned start ({start})."),
            ));
        }
    }
    if let (Some(start), Some(end)) = (p.planned_start, p.forecast_end) {
        if end < start {
            errors.push(FieldError::new(
                "forecast_end",
                format!("Forecast end is before the planned start ({start})."),
            ));
        }
    }
    if let (Some(start), Some(end)) = (p.actual_start, p.actual_end) {
        if end < start {
            errors.push(FieldError::new(
                "actual_end",
                format!("Actual end is before the actual start ({start})."),
            ));
        }
    }
    money_rule(&mut errors, "budget", "Budget", Some(p.budget));
    money_rule(
        &mut errors,
        "actual_cost",
        "Actual cost",
        Some(p.actual_cost),
    );
    money_rule(
        &mut errors,
        "forecast_at_completion",
        "Forecast at completion",
        p.forecast_at_completion,
    );
    if !(0.0..=100.0).contains(&p.percent_complete) {
        errors.push(FieldError::new(
            "percent_complete",
            "Percent complete must be between 0 and 100.",
        ));
    }
    if p.objectives.values().any(|s| !(1..=3).contains(s)) {
        errors.push(FieldError::new(
            "objectives",
            "Alignment strength must be 1 (low), 2 (medium) or 3 (high).",
        ));
    }
    for (key, o) in &p.health_overrides {
        if o.reason.trim().is_empty() {
            errors.push(FieldError::new(
                "health_overrides",
                format!("The {key} override needs a reason."),
            ));
        }
    }
    errors
}

fn money_rule(errors: &mut Vec<FieldError>, field: &'static str, label: &str, v: Option<f64>) {
    match v {
        Some(v) if !v.is_finite() => {
            errors.push(FieldError::new(field, format!("{label} must be a number.")))
        }
        Some(v) if v < 0.0 => errors.push(FieldError::new(
            field,
            format!("{label} cannot be negative."),
        )),
        _ => {}
    }
}

pub fn validate_program<'a>(
    p: &Program,
    others: impl IntoIterator<Item = &'a Program>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let name = p.name.trim();
    if name.is_empty() {
        errors.push(FieldError::new("name", "Enter a program name."));
    } else if others
        .into_iter()
        .any(|o| o.id != p.id && o.name.trim().eq_ignore_ascii_case(name))
    {
        errors.push(FieldError::new(
            "name",
            format!("A program called {name} already exists."),
        ));
    }
    errors
}

pub fn validate_objective<'a>(
    o: &Objective,
    others: impl IntoIterator<Item = &'a Objective>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let name = o.name.trim();
    if name.is_empty() {
        errors.push(FieldError::new("name", "Enter an objective name."));
    } else if others
        .into_iter()
        .any(|x| x.id != o.id && x.name.trim().eq_ignore_ascii_case(name))
    {
        errors.push(FieldError::new(
            "name",
            format!("An objective called {name} already exists."),
        ));
    }
    if !o.weight.is_finite() || o.weight < 0.0 {
        errors.push(FieldError::new(
            "weight",
            "Weight must be zero or a positive number.",
        ));
    }
    errors
}

pub fn validate_settings(s: &Settings) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let c = s.currency.trim();
    if c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
        errors.push(FieldError::new(
            "currency",
            "Use a three-letter currency code such as EUR, USD or GBP.",
        ));
    }
    if !(1..=12).contains(&s.fiscal_year_start_month) {
        errors.push(FieldError::new(
            "fiscal_year_start_month",
            "Choose the month the fiscal year starts in.",
        ));
    }
    let t = &s.health;
    let pairs: [(&'static str, &'static str, f64, f64, &str); 4] = [
        (
            "budget_amber_pct",
            "budget_red_pct",
            t.budget_amber_pct,
            t.budget_red_pct,
            "Budget",
        ),
        (
            "schedule_amber_days",
            "schedule_red_days",
            f64::from(t.schedule_amber_days),
            f64::from(t.schedule_red_days),
            "Schedule",
        ),
        (
            "progress_amber_points",
            "progress_red_points",
            t.progress_amber_points,
            t.progress_red_points,
            "Progress",
        ),
        (
            "scope_amber_changes",
            "scope_red_changes",
            f64::from(t.scope_amber_changes),
            f64::from(t.scope_red_changes),
            "Scope",
        ),
    ];
    for (amber_field, red_field, amber, red, label) in pairs {
        if !amber.is_finite() || amber < 0.0 {
            errors.push(FieldError::new(
                amber_field,
                format!("{label} amber threshold cannot be negative."),
            ));
        }
        if !red.is_finite() || red < 0.0 {
            errors.push(FieldError::new(
                red_field,
                format!("{label} red threshold cannot be negative."),
            ));
        } else if red < amber {
            errors.push(FieldError::new(
                red_field,
                format!("{label} red threshold must not be below the amber threshold."),
            ));
        }
    }
    errors
}

/// Parses a typed amount: accepts `1,250,000`, `1 250 000`, `1250000.50`
/// and an optional leading currency symbol or code. Empty → `Ok(None)`.
pub fn parse_number(text: &str) -> Result<Option<f64>, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let cleaned: String = trimmed
        .trim_start_matches(|c: char| c.is_alphabetic() || "€$£¥".contains(c))
        .trim_end_matches('%')
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '\u{a0}' | '\u{202f}' | '_' | '\''))
        .collect();
    match cleaned.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(format!("{trimmed:?} is not a number.")),
    }
}

/// Splits a comma-separated tag list, trimming and dropping duplicates.
pub fn parse_tags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        if !tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
            tags.push(tag.to_string());
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_parse_with_separators_and_symbols() {
        assert_eq!(parse_number(""), Ok(None));
        assert_eq!(parse_number(" 1,250,000 "), Ok(Some(1_250_000.0)));
        assert_eq!(parse_number("EUR 1 250"), Ok(Some(1250.0)));
        assert_eq!(parse_number("€99.5"), Ok(Some(99.5)));
        assert_eq!(parse_number("40%"), Ok(Some(40.0)));
        assert_eq!(parse_number("-5"), Ok(Some(-5.0)));
        assert!(parse_number("ten").is_err());
        assert!(parse_number("1e999").is_err());
    }

    #[test]
    fn tags_are_trimmed_and_deduplicated() {
        assert_eq!(
            parse_tags(" cloud, ERP,,cloud , Cloud,erp "),
            vec!["cloud", "ERP"]
        );
    }
}
