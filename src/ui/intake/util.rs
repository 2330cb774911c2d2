//! Small helpers shared by the intake, scoring, selection and governance
//! pages: today's date, this browser's scorer id, money and number text.

use crate::domain::intake::format_money;
use crate::domain::{new_id, Date, Portfolio};
use crate::storage::Prefs;

/// Today in the user's calendar (UTC days are close enough for gates).
pub fn today() -> Date {
    Date::from_unix_ms(js_sys::Date::now())
}

const SCORER_KEY: &str = "scorer-id";

/// This browser profile's scorer id: created once and kept, so one person
/// with several tabs open is one scorer, and two people never share a key.
pub fn scorer_id() -> String {
    if let Some(id) = Prefs::get(SCORER_KEY).filter(|id| !id.is_empty()) {
        return id;
    }
    let id = new_id();
    // If it cannot be stored it still holds for this page (Prefs keeps it).
    let _ = Prefs::set(SCORER_KEY, &id);
    id
}

pub fn money(portfolio: &Portfolio, amount: f64) -> String {
    format_money(amount, &portfolio.settings.currency)
}

/// A number as an input shows it: no trailing ".0".
pub fn number_text(value: f64) -> String {
    if value == value.trunc() && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

pub fn optional_number_text(value: Option<f64>) -> String {
    value.map(number_text).unwrap_or_default()
}

/// Parses an optional amount: empty is `None`, anything else must be a
/// number (the message names the field).
pub fn parse_optional_amount(text: &str, field: &str) -> Result<Option<f64>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    crate::domain::intake::parse_amount(text)
        .map(Some)
        .map_err(|e| format!("{field}: {e}"))
}

/// Parses a non-negative optional amount.
pub fn parse_optional_positive(text: &str, field: &str) -> Result<Option<f64>, String> {
    match parse_optional_amount(text, field)? {
        Some(v) if v < 0.0 => Err(format!("{field} cannot be negative.")),
        other => Ok(other),
    }
}

/// Score points with one decimal.
pub fn points(value: f64) -> String {
    format!("{value:.1}")
}
