//! The register view: one display row per project (computed once per
//! portfolio version), and the query that filters, sorts and groups them.
//! Queries round-trip through a URL query string so a filtered register
//! can be linked to (dashboard tiles) and survives a reload.

use super::date::Date;
use super::health::{HealthReport, Rag};
use super::portfolio::Portfolio;
use super::project::{Priority, Project, ProjectStatus};
use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// A stage's name from the lifecycles ("business_case" → "Business
/// case"); a key no lifecycle knows (from a newer app, or typed by a tool)
/// reads as its words.
pub fn stage_label(key: &str) -> String {
    if let Some((_, stage)) = super::lifecycle::known_stage(key) {
        return stage.name.to_string();
    }
    let words = key.replace(['_', '-'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "No stage".into(),
    }
}

/// Stage keys to offer: every lifecycle's stages in order, then any
/// others in use.
pub fn stage_options(portfolio: &Portfolio) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for life in super::lifecycle::LIFECYCLES {
        for stage in life.stages {
            if !out.iter().any(|s| s == stage.key) {
                out.push(stage.key.to_string());
            }
        }
    }
    for p in portfolio.projects.values() {
        if !p.stage.is_empty() && !out.contains(&p.stage) {
            out.push(p.stage.clone());
        }
    }
    // Agile stages sit next to their standard counterparts.
    out.sort_by_key(|key| super::lifecycle::known_stage(key).map_or(usize::MAX, |(i, _)| i));
    out
}

/// What the register shows for one project.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub id: String,
    pub code: String,
    pub name: String,
    pub program_id: Option<String>,
    pub program: String,
    /// Objective ids with their names, by name.
    pub objectives: Vec<(String, String)>,
    pub manager: String,
    pub sponsor: String,
    pub stage: String,
    pub status: ProjectStatus,
    pub priority: Priority,
    pub methodology: &'static str,
    pub planned_start: Option<Date>,
    pub planned_end: Option<Date>,
    pub forecast_end: Option<Date>,
    pub budget: f64,
    pub actual_cost: f64,
    /// Forecast at completion, the budget when none is given.
    pub forecast: f64,
    /// `forecast - budget`.
    pub variance: f64,
    pub percent_complete: f64,
    pub tags: Vec<String>,
    pub health: HealthReport,
    /// Lower-case text searched by the free-text filter.
    pub haystack: String,
    /// Lower-case code, name, program and manager: sorting compares these
    /// without allocating.
    pub sort_keys: [String; 4],
    /// Changes whenever anything shown changes: lets the UI keep the DOM of
    /// rows that did not change.
    pub fingerprint: u64,
}

/// Builds the rows of every project (unsorted).
pub fn rows(portfolio: &Portfolio, today: Date) -> Vec<Row> {
    portfolio
        .projects
        .values()
        .map(|p| row(portfolio, p, today))
        .collect()
}

pub fn row(portfolio: &Portfolio, p: &Project, today: Date) -> Row {
    let program = p
        .program_id
        .as_ref()
        .and_then(|id| portfolio.programs.get(id))
        .map(|pr| pr.name.clone())
        .unwrap_or_default();
    let mut objectives: Vec<(String, String)> = p
        .objectives
        .keys()
        .filter_map(|id| {
            portfolio
                .objectives
                .get(id)
                .map(|o| (id.clone(), o.name.clone()))
        })
        .collect();
    objectives.sort_by(|a, b| a.1.cmp(&b.1));
    let forecast = p.forecast_at_completion.unwrap_or(p.budget);
    let health = portfolio.health_of(p, today);
    let haystack = [
        p.code.as_str(),
        p.name.as_str(),
        program.as_str(),
        p.manager.as_str(),
        p.sponsor.as_str(),
        p.stage.as_str(),
        p.status.label(),
        &p.tags.join(" "),
        &objectives
            .iter()
            .map(|o| o.1.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    ]
    .join("\u{1f}")
    .to_lowercase();
    let program_key = program.to_lowercase();
    let mut row = Row {
        id: p.id.clone(),
        code: p.code.clone(),
        name: p.name.clone(),
        program_id: p.program_id.clone(),
        program,
        objectives,
        manager: p.manager.clone(),
        sponsor: p.sponsor.clone(),
        stage: p.stage.clone(),
        status: p.status,
        priority: p.priority,
        methodology: p.methodology.label(),
        planned_start: p.planned_start,
        planned_end: p.planned_end,
        forecast_end: p.forecast_end,
        budget: p.budget,
        actual_cost: p.actual_cost,
        forecast,
        variance: forecast - p.budget,
        percent_complete: p.percent_complete,
        tags: p.tags.clone(),
        health,
        haystack,
        sort_keys: [
            p.code.to_lowercase(),
            p.name.to_lowercase(),
            program_key,
            p.manager.to_lowercase(),
        ],
        fingerprint: 0,
    };
    row.fingerprint = fingerprint(&row);
    row
}

fn fingerprint(r: &Row) -> u64 {
    let mut h = DefaultHasher::new();
    r.haystack.hash(&mut h);
    (r.priority, r.planned_start, r.planned_end, r.forecast_end).hash(&mut h);
    for v in [r.budget, r.actual_cost, r.forecast, r.percent_complete] {
        v.to_bits().hash(&mut h);
    }
    r.health.overall.hash(&mut h);
    for d in &r.health.dimensions {
        d.rag.hash(&mut h);
    }
    h.finish()
}

/// A health filter: one rating, or "needs attention" (red or amber).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HealthFilter {
    Is(Rag),
    NeedsAttention,
}

impl HealthFilter {
    pub fn key(self) -> &'static str {
        match self {
            HealthFilter::Is(r) => r.key(),
            HealthFilter::NeedsAttention => "attention",
        }
    }

    pub fn parse(key: &str) -> Option<HealthFilter> {
        if key == "attention" {
            Some(HealthFilter::NeedsAttention)
        } else {
            Rag::parse(key).map(HealthFilter::Is)
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            HealthFilter::Is(r) => r.label(),
            HealthFilter::NeedsAttention => "Needs attention (red or amber)",
        }
    }

    pub fn matches(self, rag: Rag) -> bool {
        match self {
            HealthFilter::Is(r) => rag == r,
            HealthFilter::NeedsAttention => matches!(rag, Rag::Red | Rag::Amber),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SortKey {
    Code,
    #[default]
    Name,
    Program,
    Manager,
    Stage,
    Status,
    Priority,
    PlannedStart,
    PlannedEnd,
    ForecastEnd,
    Budget,
    ActualCost,
    Forecast,
    Variance,
    PercentComplete,
    Health,
}

impl SortKey {
    pub const ALL: [SortKey; 16] = [
        SortKey::Code,
        SortKey::Name,
        SortKey::Program,
        SortKey::Manager,
        SortKey::Stage,
        SortKey::Status,
        SortKey::Priority,
        SortKey::PlannedStart,
        SortKey::PlannedEnd,
        SortKey::ForecastEnd,
        SortKey::Budget,
        SortKey::ActualCost,
        SortKey::Forecast,
        SortKey::Variance,
        SortKey::PercentComplete,
        SortKey::Health,
    ];

    pub fn key(self) -> &'static str {
        match self {
            SortKey::Code => "code",
            SortKey::Name => "name",
            SortKey::Program => "program",
            SortKey::Manager => "manager",
            SortKey::Stage => "stage",
            SortKey::Status => "status",
            SortKey::Priority => "priority",
            SortKey::PlannedStart => "start",
            SortKey::PlannedEnd => "end",
            SortKey::ForecastEnd => "forecast_end",
            SortKey::Budget => "budget",
            SortKey::ActualCost => "actual",
            SortKey::Forecast => "forecast",
            SortKey::Variance => "variance",
            SortKey::PercentComplete => "complete",
            SortKey::Health => "health",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Code => "Code",
            SortKey::Name => "Name",
            SortKey::Program => "Program",
            SortKey::Manager => "Manager",
            SortKey::Stage => "Stage",
            SortKey::Status => "Status",
            SortKey::Priority => "Priority",
            SortKey::PlannedStart => "Planned start",
            SortKey::PlannedEnd => "Planned end",
            SortKey::ForecastEnd => "Forecast end",
            SortKey::Budget => "Budget",
            SortKey::ActualCost => "Actual cost",
            SortKey::Forecast => "Forecast",
            SortKey::Variance => "Variance",
            SortKey::PercentComplete => "% complete",
            SortKey::Health => "Health",
        }
    }

    pub fn parse(key: &str) -> Option<SortKey> {
        SortKey::ALL.into_iter().find(|k| k.key() == key)
    }

    /// Numbers, dates and severity read best largest first on a first click.
    pub fn descending_first(self) -> bool {
        matches!(
            self,
            SortKey::Priority
                | SortKey::Budget
                | SortKey::ActualCost
                | SortKey::Forecast
                | SortKey::Variance
                | SortKey::PercentComplete
                | SortKey::Health
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GroupBy {
    Program,
    Objective,
    Stage,
}

impl GroupBy {
    pub const ALL: [GroupBy; 3] = [GroupBy::Program, GroupBy::Objective, GroupBy::Stage];

    pub fn key(self) -> &'static str {
        match self {
            GroupBy::Program => "program",
            GroupBy::Objective => "objective",
            GroupBy::Stage => "stage",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            GroupBy::Program => "Program",
            GroupBy::Objective => "Objective",
            GroupBy::Stage => "Stage",
        }
    }

    pub fn parse(key: &str) -> Option<GroupBy> {
        GroupBy::ALL.into_iter().find(|g| g.key() == key)
    }
}

/// Filter value meaning "has none" (no program, no objective, …).
pub const NONE_KEY: &str = "none";

/// What the register shows: filters, search, sort and grouping.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Query {
    pub search: String,
    /// Program id, or [`NONE_KEY`].
    pub program: Option<String>,
    /// Objective id, or [`NONE_KEY`].
    pub objective: Option<String>,
    pub stage: Option<String>,
    pub status: Option<ProjectStatus>,
    pub manager: Option<String>,
    pub health: Option<HealthFilter>,
    pub sort: SortKey,
    pub descending: bool,
    pub group: Option<GroupBy>,
}

impl Query {
    pub fn is_filtered(&self) -> bool {
        !self.search.trim().is_empty()
            || self.program.is_some()
            || self.objective.is_some()
            || self.stage.is_some()
            || self.status.is_some()
            || self.manager.is_some()
            || self.health.is_some()
    }

    /// The same sort and grouping without any filter.
    pub fn cleared(&self) -> Query {
        Query {
            sort: self.sort,
            descending: self.descending,
            group: self.group,
            ..Query::default()
        }
    }

    pub fn matches(&self, row: &Row) -> bool {
        self.matches_with(row, &search_terms(&self.search))
    }

    fn matches_with(&self, row: &Row, terms: &[String]) -> bool {
        let optional = |filter: &Option<String>, value: Option<&str>| match filter.as_deref() {
            None => true,
            Some(NONE_KEY) => value.is_none_or(str::is_empty),
            Some(f) => value == Some(f),
        };
        optional(&self.program, row.program_id.as_deref())
            && match self.objective.as_deref() {
                None => true,
                Some(NONE_KEY) => row.objectives.is_empty(),
                Some(o) => row.objectives.iter().any(|(id, _)| id == o),
            }
            && optional(&self.stage, Some(row.stage.as_str()))
            && self.status.is_none_or(|s| row.status == s)
            && optional(&self.manager, Some(row.manager.as_str()))
            && self.health.is_none_or(|h| h.matches(row.health.overall))
            && terms.iter().all(|t| row.haystack.contains(t.as_str()))
    }

    /// Indices into `rows` of the matching rows, sorted.
    pub fn select<R: Borrow<Row>>(&self, rows: &[R]) -> Vec<usize> {
        let terms = search_terms(&self.search);
        let row = |i: usize| rows[i].borrow();
        let mut out: Vec<usize> = (0..rows.len())
            .filter(|&i| self.matches_with(row(i), &terms))
            .collect();
        out.sort_by(|&a, &b| {
            let ord = compare(row(a), row(b), self.sort);
            let ord = if self.descending { ord.reverse() } else { ord };
            ord.then_with(|| tie_break(row(a), row(b)))
        });
        out
    }

    /// The matching rows in groups (one unnamed group when not grouping).
    pub fn groups<R: Borrow<Row>>(&self, rows: &[R]) -> Vec<Group> {
        self.group_selected(self.select(rows), rows)
    }

    /// Groups rows already chosen by [`Query::select`] (kept in order).
    pub fn group_selected<R: Borrow<Row>>(&self, selected: Vec<usize>, rows: &[R]) -> Vec<Group> {
        let Some(by) = self.group else {
            return vec![Group {
                key: String::new(),
                label: String::new(),
                rows: selected,
            }];
        };
        let mut groups: Vec<Group> = Vec::new();
        let mut push =
            |key: &str, label: String, index: usize| match groups.iter_mut().find(|g| g.key == key)
            {
                Some(g) => g.rows.push(index),
                None => groups.push(Group {
                    key: key.to_string(),
                    label,
                    rows: vec![index],
                }),
            };
        for i in selected {
            let r: &Row = rows[i].borrow();
            match by {
                GroupBy::Program => match &r.program_id {
                    Some(id) if !r.program.is_empty() => push(id, r.program.clone(), i),
                    _ => push(NONE_KEY, "No program".into(), i),
                },
                // A project serving several objectives appears under each.
                GroupBy::Objective if r.objectives.is_empty() => {
                    push(NONE_KEY, "No objective".into(), i)
                }
                GroupBy::Objective => {
                    for (id, name) in &r.objectives {
                        push(id, name.clone(), i);
                    }
                }
                GroupBy::Stage if r.stage.is_empty() => push(NONE_KEY, "No stage".into(), i),
                GroupBy::Stage => push(&r.stage, stage_label(&r.stage), i),
            }
        }
        let stage_rank =
            |key: &str| super::lifecycle::known_stage(key).map_or(usize::MAX, |(i, _)| i);
        groups.sort_by(|a, b| {
            (a.key == NONE_KEY)
                .cmp(&(b.key == NONE_KEY))
                .then_with(|| match by {
                    GroupBy::Stage => stage_rank(&a.key).cmp(&stage_rank(&b.key)),
                    _ => Ordering::Equal,
                })
                .then_with(|| a.label.to_lowercase().cmp(&b.label.to_lowercase()))
        });
        groups
    }

    /// The query as a URL query string (without `?`); defaults are left out.
    pub fn to_query_string(&self) -> String {
        let mut parts: Vec<(&str, String)> = Vec::new();
        if !self.search.is_empty() {
            parts.push(("q", self.search.clone()));
        }
        for (key, value) in [
            ("program", &self.program),
            ("objective", &self.objective),
            ("stage", &self.stage),
            ("manager", &self.manager),
        ] {
            if let Some(v) = value {
                parts.push((key, v.clone()));
            }
        }
        if let Some(s) = self.status {
            parts.push(("status", status_key(s).into()));
        }
        if let Some(h) = self.health {
            parts.push(("health", h.key().into()));
        }
        if self.sort != SortKey::default() {
            parts.push(("sort", self.sort.key().into()));
        }
        if self.descending {
            parts.push(("dir", "desc".into()));
        }
        if let Some(g) = self.group {
            parts.push(("group", g.key().into()));
        }
        parts
            .into_iter()
            .map(|(k, v)| format!("{k}={}", percent_encode(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Reads a query string; unknown keys and values are ignored.
    pub fn from_query_string(s: &str) -> Query {
        let mut q = Query::default();
        for pair in s.trim_start_matches('?').split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_decode(value);
            let non_empty = (!value.is_empty()).then(|| value.clone());
            match key {
                "q" => q.search = value,
                "program" => q.program = non_empty,
                "objective" => q.objective = non_empty,
                "stage" => q.stage = non_empty,
                "manager" => q.manager = non_empty,
                "status" => q.status = parse_status(&value),
                "health" => q.health = HealthFilter::parse(&value),
                "sort" => q.sort = SortKey::parse(&value).unwrap_or_default(),
                "dir" => q.descending = value == "desc",
                "group" => q.group = GroupBy::parse(&value),
                _ => {}
            }
        }
        q
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// Program/objective id or stage key; empty when not grouping.
    pub key: String,
    pub label: String,
    /// Indices into the rows.
    pub rows: Vec<usize>,
}

fn search_terms(search: &str) -> Vec<String> {
    search.split_whitespace().map(str::to_lowercase).collect()
}

pub fn status_key(s: ProjectStatus) -> &'static str {
    match s {
        ProjectStatus::Proposed => "proposed",
        ProjectStatus::Active => "active",
        ProjectStatus::OnHold => "on_hold",
        ProjectStatus::Closed => "closed",
        ProjectStatus::Cancelled => "cancelled",
    }
}

pub fn parse_status(key: &str) -> Option<ProjectStatus> {
    ProjectStatus::ALL
        .into_iter()
        .find(|s| status_key(*s) == key)
}

/// Compares lower-case keys; empty values sort last.
fn compare_text(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => a.cmp(b),
    }
}

fn compare_date(a: Option<Date>, b: Option<Date>) -> Ordering {
    match (a, b) {
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        _ => a.cmp(&b),
    }
}

fn compare(a: &Row, b: &Row, key: SortKey) -> Ordering {
    match key {
        SortKey::Code => compare_text(&a.sort_keys[0], &b.sort_keys[0]),
        SortKey::Name => compare_text(&a.sort_keys[1], &b.sort_keys[1]),
        SortKey::Program => compare_text(&a.sort_keys[2], &b.sort_keys[2]),
        SortKey::Manager => compare_text(&a.sort_keys[3], &b.sort_keys[3]),
        SortKey::Stage => {
            let rank = |s: &str| {
                super::lifecycle::known_stage(s)
                    .map(|(i, _)| i)
                    .unwrap_or(if s.is_empty() { usize::MAX } else { 100 })
            };
            rank(&a.stage)
                .cmp(&rank(&b.stage))
                .then_with(|| a.stage.cmp(&b.stage))
        }
        SortKey::Status => a.status.cmp(&b.status),
        SortKey::Priority => a.priority.cmp(&b.priority),
        SortKey::PlannedStart => compare_date(a.planned_start, b.planned_start),
        SortKey::PlannedEnd => compare_date(a.planned_end, b.planned_end),
        SortKey::ForecastEnd => compare_date(
            a.forecast_end.or(a.planned_end),
            b.forecast_end.or(b.planned_end),
        ),
        SortKey::Budget => a.budget.total_cmp(&b.budget),
        SortKey::ActualCost => a.actual_cost.total_cmp(&b.actual_cost),
        SortKey::Forecast => a.forecast.total_cmp(&b.forecast),
        SortKey::Variance => a.variance.total_cmp(&b.variance),
        SortKey::PercentComplete => a.percent_complete.total_cmp(&b.percent_complete),
        SortKey::Health => a.health.overall.cmp(&b.health.overall),
    }
}

fn tie_break(a: &Row, b: &Row) -> Ordering {
    compare_text(&a.sort_keys[1], &b.sort_keys[1])
        .then_with(|| a.code.cmp(&b.code))
        .then_with(|| a.id.cmp(&b.id))
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes and `+` as space; invalid escapes stay as typed.
pub fn percent_decode(s: &str) -> String {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).map(|d| d as u8)
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => match (
                bytes.get(i + 1).and_then(|&b| hex(b)),
                bytes.get(i + 2).and_then(|&b| hex(b)),
            ) {
                (Some(hi), Some(lo)) => {
                    out.push(hi * 16 + lo);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
