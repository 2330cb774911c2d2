//! Roadmap geometry: where each project's planned and forecast bars, the
//! time axis and the today line go. Pure numbers in SVG user units, so the
//! layout is tested natively and the UI only draws it.

use super::date::Date;
use super::health::Rag;
use super::portfolio::Portfolio;
use super::project::{Project, ProjectStatus};

/// Width of the name column on the left.
pub const LABEL_WIDTH: f64 = 330.0;
/// Width of the time area.
pub const CHART_WIDTH: f64 = 1000.0;
pub const AXIS_HEIGHT: f64 = 40.0;
pub const LANE_HEADER: f64 = 28.0;
pub const ROW_HEIGHT: f64 = 30.0;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    pub x: f64,
    pub width: f64,
    pub from: Date,
    pub to: Date,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub id: String,
    /// Code and name.
    pub label: String,
    /// Top of the bar's row.
    pub y: f64,
    pub planned: Option<Span>,
    /// From the actual (or planned) start to the actual, forecast or
    /// planned end.
    pub forecast: Option<Span>,
    pub rag: Rag,
    pub status: ProjectStatus,
    /// Everything a screen reader needs, in one sentence.
    pub description: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    /// Program id; `None` for projects without a program.
    pub program_id: Option<String>,
    pub label: String,
    pub y: f64,
    pub bars: Vec<Bar>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub x: f64,
    pub label: String,
    /// A fiscal-year boundary (drawn stronger, labelled with the year).
    pub major: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub start: Date,
    pub end: Date,
    pub width: f64,
    pub height: f64,
    pub ticks: Vec<Tick>,
    pub today_x: Option<f64>,
    pub lanes: Vec<Lane>,
    /// Projects with no dates to draw: (id, label).
    pub unscheduled: Vec<(String, String)>,
}

impl Layout {
    /// Bars in reading order (lane by lane): the order arrow keys follow.
    pub fn bars(&self) -> impl Iterator<Item = &Bar> {
        self.lanes.iter().flat_map(|l| l.bars.iter())
    }

    pub fn x_of(&self, date: Date) -> f64 {
        x_of(self.start, self.end, date)
    }
}

fn x_of(start: Date, end: Date, date: Date) -> f64 {
    let total = start.days_until(end).max(1) as f64;
    LABEL_WIDTH + start.days_until(date) as f64 / total * CHART_WIDTH
}

fn first_of_month(d: Date) -> Date {
    let (y, m, _) = d.ymd();
    Date::from_ymd(y, m, 1).unwrap_or(d)
}

fn next_month(d: Date) -> Date {
    let (y, m, _) = d.ymd();
    let (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    Date::from_ymd(y, m, 1).unwrap_or(d)
}

/// "FY2026" when the fiscal year is the calendar year, else "FY2026/27"
/// (named by the calendar year it starts in).
pub fn fiscal_year_label(d: Date, start_month: u8) -> String {
    let (y, m, _) = d.ymd();
    let start_month = u32::from(start_month.clamp(1, 12));
    if start_month == 1 {
        return format!("FY{y}");
    }
    let first = if m >= start_month { y } else { y - 1 };
    format!("FY{first}/{:02}", (first + 1).rem_euclid(100))
}

/// A first and last day, both included.
type Dates = Option<(Date, Date)>;

/// The dates a project's bars span: planned and forecast.
fn spans(p: &Project) -> (Dates, Dates) {
    let planned = match (p.planned_start, p.planned_end) {
        (Some(s), Some(e)) if e >= s => Some((s, e)),
        _ => None,
    };
    let start = p.actual_start.or(p.planned_start);
    let end = p.actual_end.or(p.forecast_end).or(p.planned_end);
    let forecast = match (start, end) {
        (Some(s), Some(e)) if e >= s => Some((s, e)),
        _ => None,
    };
    (planned, forecast)
}

/// Lays out `projects` (e.g. the ones the user chose to show) on one
/// timeline, lanes by program name, bars by start date.
pub fn layout(portfolio: &Portfolio, projects: &[&Project], today: Date) -> Layout {
    let mut lo = today;
    let mut hi = today;
    let mut unscheduled = Vec::new();
    let mut scheduled: Vec<(&Project, Dates, Dates)> = Vec::new();
    for p in projects {
        let (planned, forecast) = spans(p);
        if planned.is_none() && forecast.is_none() {
            unscheduled.push((p.id.clone(), label(p)));
            continue;
        }
        for (s, e) in planned.iter().chain(forecast.iter()) {
            lo = lo.min(*s);
            hi = hi.max(*e);
        }
        scheduled.push((p, planned, forecast));
    }
    let start = first_of_month(lo);
    let end = next_month(hi);

    let mut lane_keys: Vec<(Option<String>, String)> = Vec::new();
    for (p, _, _) in &scheduled {
        let key = p
            .program_id
            .clone()
            .filter(|id| portfolio.programs.contains_key(id));
        if !lane_keys.iter().any(|(k, _)| *k == key) {
            let name = key
                .as_ref()
                .and_then(|id| portfolio.programs.get(id))
                .map_or_else(|| "No program".to_string(), |pr| pr.name.clone());
            lane_keys.push((key, name));
        }
    }
    lane_keys.sort_by(|a, b| {
        a.0.is_none()
            .cmp(&b.0.is_none())
            .then_with(|| a.1.to_lowercase().cmp(&b.1.to_lowercase()))
    });

    let span = |(from, to): (Date, Date)| {
        let x = x_of(start, end, from);
        // A one-day project still gets a visible, focusable bar.
        let width = (x_of(start, end, to.add_days(1)) - x).max(4.0);
        Span { x, width, from, to }
    };
    let mut y = AXIS_HEIGHT;
    let mut lanes = Vec::new();
    for (key, name) in lane_keys {
        let lane_y = y;
        y += LANE_HEADER;
        let mut members: Vec<_> = scheduled
            .iter()
            .filter(|(p, _, _)| {
                p.program_id
                    .clone()
                    .filter(|id| portfolio.programs.contains_key(id))
                    == key
            })
            .collect();
        members.sort_by(|a, b| {
            let first = |x: &(&Project, Dates, Dates)| x.1.or(x.2).map(|s| s.0);
            first(a)
                .cmp(&first(b))
                .then_with(|| a.0.name.to_lowercase().cmp(&b.0.name.to_lowercase()))
                .then_with(|| a.0.id.cmp(&b.0.id))
        });
        let bars = members
            .into_iter()
            .map(|(p, planned, forecast)| {
                let rag = portfolio.health_of(p, today).overall;
                let bar = Bar {
                    id: p.id.clone(),
                    label: label(p),
                    y,
                    planned: planned.map(span),
                    forecast: forecast.map(span),
                    rag,
                    status: p.status,
                    description: describe(p, rag),
                };
                y += ROW_HEIGHT;
                bar
            })
            .collect();
        lanes.push(Lane {
            program_id: key,
            label: name,
            y: lane_y,
            bars,
        });
    }

    let ticks = ticks(start, end, portfolio.settings.fiscal_year_start_month);
    Layout {
        start,
        end,
        width: LABEL_WIDTH + CHART_WIDTH + 20.0,
        height: y + 10.0,
        ticks,
        today_x: (start..=end)
            .contains(&today)
            .then(|| x_of(start, end, today)),
        lanes,
        unscheduled,
    }
}

fn ticks(start: Date, end: Date, fy_start: u8) -> Vec<Tick> {
    let months = {
        let (y0, m0, _) = start.ymd();
        let (y1, m1, _) = end.ymd();
        (y1 - y0) * 12 + m1 as i32 - m0 as i32
    };
    // Keep labels readable: monthly up to 18 months, then quarterly, then
    // one per fiscal year.
    let step = if months <= 18 {
        1
    } else if months <= 48 {
        3
    } else {
        12
    };
    let fy = u32::from(fy_start.clamp(1, 12));
    let mut out = Vec::new();
    let mut d = start;
    while d <= end {
        let (y, m, _) = d.ymd();
        let major = m == fy;
        let offset = (m + 12 - fy) % 12;
        if major || offset % step == 0 {
            let label = if major {
                fiscal_year_label(d, fy_start)
            } else if m == 1 {
                format!("{} {y}", MONTHS[0])
            } else {
                MONTHS[(m - 1) as usize].to_string()
            };
            out.push(Tick {
                x: x_of(start, end, d),
                label,
                major,
            });
        }
        d = next_month(d);
    }
    out
}

fn label(p: &Project) -> String {
    if p.code.trim().is_empty() {
        p.name.clone()
    } else {
        format!("{} {}", p.code.trim(), p.name)
    }
}

fn describe(p: &Project, rag: Rag) -> String {
    let mut parts = vec![label(p)];
    match (p.planned_start, p.planned_end) {
        (Some(s), Some(e)) => parts.push(format!("planned {s} to {e}")),
        _ => parts.push("no planned dates".into()),
    }
    if let Some(e) = p.actual_end {
        parts.push(format!("finished {e}"));
    } else if let Some(f) = p.forecast_end {
        parts.push(format!("forecast end {f}"));
    }
    parts.push(format!("health {}", rag.label()));
    parts.push(p.status.label().to_string());
    parts.join("; ")
}
