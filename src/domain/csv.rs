//! CSV export (RFC 4180): comma-separated, CRLF line ends, fields quoted
//! when they hold a comma, quote, CR or LF, quotes doubled. Text that a
//! spreadsheet would run as a formula is defused with a leading apostrophe.

use super::format;
use super::health::Dimension;
use super::portfolio::Settings;
use super::register::{stage_label, Row};

/// One CSV cell: text is protected against formula injection, numbers are
/// written as they are.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

/// Quotes one field as RFC 4180 requires.
pub fn quote(field: &str) -> String {
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Number(n) => format::plain_number(*n),
        Cell::Text(s) => {
            // OWASP "CSV injection": a cell starting with these characters
            // is evaluated as a formula by spreadsheet programs.
            if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                format!("'{s}")
            } else {
                s.clone()
            }
        }
    }
}

/// A whole CSV document: a header line, then one line per record.
pub fn to_csv<H: AsRef<str>>(headers: &[H], records: &[Vec<Cell>]) -> String {
    let mut out = String::new();
    let line = |cells: Vec<String>| cells.iter().map(|c| quote(c)).collect::<Vec<_>>().join(",");
    out.push_str(&line(
        headers.iter().map(|h| h.as_ref().to_string()).collect(),
    ));
    out.push_str("\r\n");
    for record in records {
        out.push_str(&line(record.iter().map(cell_text).collect()));
        out.push_str("\r\n");
    }
    out
}

/// Column headers of the register export.
pub fn register_headers() -> Vec<&'static str> {
    let mut h = vec![
        "Code",
        "Name",
        "Program",
        "Objectives",
        "Manager",
        "Sponsor",
        "Stage",
        "Status",
        "Priority",
        "Methodology",
        "Planned start",
        "Planned end",
        "Forecast end",
        "Budget",
        "Actual cost",
        "Forecast at completion",
        "Variance",
        "% complete",
        "Tags",
    ];
    h.extend(Dimension::ALL.iter().map(|d| match d {
        Dimension::Schedule => "Schedule health",
        Dimension::Budget => "Budget health",
        Dimension::Scope => "Scope health",
        Dimension::Resources => "Resources health",
        Dimension::Risks => "Risks health",
    }));
    h.push("Overall health");
    h.push("Health explanation");
    h
}

/// The register view as CSV, rows in the order given. Money columns are
/// plain numbers in the portfolio's currency (named in the header).
pub fn register_csv<'a>(rows: impl IntoIterator<Item = &'a Row>, settings: &Settings) -> String {
    let date = |d: Option<super::date::Date>| d.map_or(Cell::Empty, |d| d.to_string().into());
    let records: Vec<Vec<Cell>> = rows
        .into_iter()
        .map(|r| {
            let mut cells = vec![
                r.code.as_str().into(),
                r.name.as_str().into(),
                r.program.as_str().into(),
                r.objectives
                    .iter()
                    .map(|o| o.1.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
                    .into(),
                r.manager.as_str().into(),
                r.sponsor.as_str().into(),
                if r.stage.is_empty() {
                    Cell::Empty
                } else {
                    stage_label(&r.stage).into()
                },
                r.status.label().into(),
                r.priority.label().into(),
                r.methodology.into(),
                date(r.planned_start),
                date(r.planned_end),
                date(r.forecast_end),
                Cell::Number(r.budget),
                Cell::Number(r.actual_cost),
                Cell::Number(r.forecast),
                Cell::Number(r.variance),
                Cell::Number(r.percent_complete),
                r.tags.join("; ").into(),
            ];
            cells.extend(
                r.health
                    .dimensions
                    .iter()
                    .map(|d| Cell::from(d.rag.label())),
            );
            cells.push(r.health.overall.label().into());
            let why: Vec<String> = r
                .health
                .dimensions
                .iter()
                .filter(|d| d.rag == r.health.overall && d.rag > super::health::Rag::Green)
                .map(|d| format!("{}: {}", d.dimension.label(), d.reason))
                .collect();
            cells.push(why.join(" ").into());
            cells
        })
        .collect();
    // Money columns name the currency their plain numbers are in.
    let headers: Vec<String> = register_headers()
        .into_iter()
        .enumerate()
        .map(|(i, h)| {
            if (13..17).contains(&i) && !settings.currency.is_empty() {
                format!("{h} ({})", settings.currency)
            } else {
                h.to_string()
            }
        })
        .collect();
    to_csv(&headers, &records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_follows_rfc_4180() {
        assert_eq!(quote("plain"), "plain");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("two\nlines"), "\"two\nlines\"");
        assert_eq!(quote("cr\r"), "\"cr\r\"");
        assert_eq!(quote(""), "");
    }
}
