//! The sample portfolio a newcomer can load in one click (a realistic
//! mid-size company: 3 programs, 5 objectives, 25 projects of mixed
//! health), and large generated portfolios for benchmarks. Dates are
//! relative to `today` so the sample always looks current.
//!
//! Sample records have fixed ids starting with [`SAMPLE_PREFIX`]: loading
//! twice adds nothing new, and "remove sample data" can find them.

use super::command::Command;
use super::date::Date;
use super::entity::Entity;
use super::health::{HealthOverride, Rag};
use super::intake::{Benefit, BusinessCase, CashFlow};
use super::objective::{Objective, Program};
use super::portfolio::Portfolio;
use super::project::{Methodology, Priority, Project, ProjectStatus};
use std::collections::BTreeMap;

pub const SAMPLE_PREFIX: &str = "sample-";
/// Name given to a new portfolio started from the sample.
pub const SAMPLE_PORTFOLIO_NAME: &str = "Northwind Logistics (sample)";
pub const LOAD_SUMMARY: &str = "Load sample portfolio";

/// Records to add to a portfolio.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Records {
    pub objectives: Vec<Objective>,
    pub programs: Vec<Program>,
    pub projects: Vec<Project>,
}

impl Records {
    /// One command creating every record not already in `existing`;
    /// `None` when there is nothing to add.
    pub fn command(&self, summary: &str, existing: &Portfolio) -> Option<Command> {
        let mut ops = Vec::new();
        ops.extend(
            self.objectives
                .iter()
                .filter(|o| !existing.objectives.contains_key(&o.id))
                .map(Entity::create_op),
        );
        ops.extend(
            self.programs
                .iter()
                .filter(|p| !existing.programs.contains_key(&p.id))
                .map(Entity::create_op),
        );
        ops.extend(
            self.projects
                .iter()
                .filter(|p| !existing.projects.contains_key(&p.id))
                .map(Entity::create_op),
        );
        (!ops.is_empty()).then(|| Command::new(summary, ops))
    }
}

/// The command that deletes every sample record still in the portfolio
/// (including edits made to them); `None` when there are none.
pub fn remove_command(portfolio: &Portfolio) -> Option<Command> {
    let is_sample = |id: &String| id.starts_with(SAMPLE_PREFIX);
    let mut ops = Vec::new();
    ops.extend(
        portfolio
            .projects
            .values()
            .filter(|p| is_sample(&p.id))
            .map(Entity::delete_op),
    );
    ops.extend(
        portfolio
            .programs
            .values()
            .filter(|p| is_sample(&p.id))
            .map(Entity::delete_op),
    );
    ops.extend(
        portfolio
            .objectives
            .values()
            .filter(|o| is_sample(&o.id))
            .map(Entity::delete_op),
    );
    // Records of the user's own that pointed at sample records keep
    // working: drop those references in the same change.
    for p in portfolio.projects.values().filter(|p| !is_sample(&p.id)) {
        let mut cleaned = p.clone();
        if cleaned.program_id.as_ref().is_some_and(is_sample) {
            cleaned.program_id = None;
        }
        cleaned.objectives.retain(|id, _| !is_sample(id));
        ops.extend(cleaned.update_op(p));
    }
    for p in portfolio.programs.values().filter(|p| !is_sample(&p.id)) {
        let mut cleaned = p.clone();
        cleaned.objectives.retain(|id, _| !is_sample(id));
        ops.extend(cleaned.update_op(p));
    }
    (!ops.is_empty()).then(|| Command::new("Remove sample data", ops))
}

pub fn is_sample_id(id: &str) -> bool {
    id.starts_with(SAMPLE_PREFIX)
}

struct Spec {
    code: &'static str,
    name: &'static str,
    program: usize,
    objectives: &'static [(usize, u8)],
    manager: &'static str,
    methodology: Methodology,
    stage: &'static str,
    status: ProjectStatus,
    priority: Priority,
    /// Planned start and end, days from today.
    start: i32,
    end: i32,
    /// Forecast end, days after the planned end (None: no forecast given).
    slip: Option<i32>,
    /// Actual end, days from today (finished projects).
    finished: Option<i32>,
    budget: f64,
    actual: f64,
    forecast: Option<f64>,
    /// Progress points behind the elapsed share of planned time (active
    /// projects); finished projects are 100%, others 0%.
    behind: f64,
    tags: &'static [&'static str],
    description: &'static str,
}

const OBJECTIVES: [(&str, &str, f64); 5] = [
    (
        "Grow online revenue",
        "Double the share of revenue from digital channels within three years.",
        30.0,
    ),
    (
        "Reduce operating cost",
        "Cut the cost per shipment by 12% through automation and consolidation.",
        25.0,
    ),
    (
        "Improve customer satisfaction",
        "Raise the net promoter score from 31 to 45.",
        20.0,
    ),
    (
        "Strengthen security and compliance",
        "Pass ISO 27001 and close every high finding of the last audit.",
        15.0,
    ),
    (
        "Modernise core platforms",
        "Retire the on-premises ERP and data centre; move to managed cloud services.",
        10.0,
    ),
];

/// (code, name, owner, objectives, description)
const PROGRAMS: [(&str, &str, &str, &[usize], &str); 3] = [
    (
        "dcx",
        "Digital Customer Experience",
        "Sofia Marin",
        &[0, 2],
        "Everything customers see and touch online: portal, app, checkout and service.",
    ),
    (
        "opx",
        "Operational Excellence",
        "Daniel Okafor",
        &[1, 2],
        "Warehouses, fleet and back office: fewer manual steps, lower cost per shipment.",
    ),
    (
        "plt",
        "Platform and Security",
        "Priya Raman",
        &[3, 4],
        "The systems underneath: ERP, identity, network, data centre and certification.",
    ),
];

const SPONSORS: [&str; 3] = ["Sofia Marin", "Daniel Okafor", "Priya Raman"];

fn specs() -> Vec<Spec> {
    use Methodology::*;
    use Priority::*;
    use ProjectStatus::*;
    let s = |code,
             name,
             program,
             objectives,
             manager,
             methodology,
             stage,
             status,
             priority,
             (start, end): (i32, i32)| Spec {
        code,
        name,
        program,
        objectives,
        manager,
        methodology,
        stage,
        status,
        priority,
        start,
        end,
        slip: None,
        finished: None,
        budget: 0.0,
        actual: 0.0,
        forecast: None,
        behind: 0.0,
        tags: &[],
        description: "",
    };
    vec![
        Spec { budget: 850_000.0, actual: 540_000.0, forecast: Some(880_000.0), behind: 5.0, slip: Some(0), tags: &["web", "customer"],
            description: "Rebuild the customer portal on the new design system: self-service bookings, tracking and invoices in one place.",
            ..s("DCX-101", "Customer portal redesign", 0, &[(0, 3), (2, 3)], "Lena Fischer", Agile, "execution", Active, High, (-180, 90)) },
        Spec { budget: 1_200_000.0, actual: 900_000.0, forecast: Some(1_320_000.0), behind: 10.0, slip: Some(45), tags: &["mobile", "customer"],
            description: "Second generation of the mobile app with live tracking, push notifications and in-app payments.",
            ..s("DCX-102", "Mobile app 2.0", 0, &[(0, 3), (2, 2)], "Tom Becker", Agile, "execution", Active, Critical, (-150, 60)) },
        Spec { budget: 220_000.0, actual: 150_000.0, forecast: Some(215_000.0), behind: 0.0, slip: Some(0), tags: &["web", "conversion"],
            description: "Shorter checkout, saved payment methods and fewer abandoned baskets.",
            ..s("DCX-103", "Online checkout optimisation", 0, &[(0, 3)], "Aisha Khan", Kanban, "execution", Active, High, (-90, 30)) },
        Spec { budget: 640_000.0, actual: 40_000.0, forecast: Some(700_000.0), behind: 0.0, tags: &["data", "customer"],
            description: "Recommendations and tailored offers based on shipping history.",
            ..s("DCX-104", "Personalisation engine", 0, &[(0, 2), (2, 1)], "Carla Mendes", Agile, "planning", Active, Medium, (-20, 200)) },
        Spec { budget: 1_500_000.0, tags: &["data"],
            description: "A single customer view across web, app, call centre and billing.",
            ..s("DCX-105", "Customer data platform", 0, &[(0, 2), (2, 2), (4, 1)], "Carla Mendes", Hybrid, "idea", Proposed, Medium, (60, 330)) },
        Spec { budget: 300_000.0, actual: 310_000.0, forecast: Some(310_000.0), finished: Some(-45), tags: &["customer"],
            description: "New tiers and partner rewards for the loyalty programme.",
            ..s("DCX-106", "Loyalty programme relaunch", 0, &[(2, 3), (0, 1)], "Tom Becker", Waterfall, "closure", Closed, Medium, (-400, -60)) },
        Spec { budget: 180_000.0, actual: 170_000.0, forecast: Some(205_000.0), behind: 5.0, slip: Some(0), tags: &["service"],
            description: "Live chat for every customer and a chatbot answering the twenty most common questions.",
            ..s("DCX-107", "Live chat and chatbot", 0, &[(2, 3)], "Aisha Khan", Agile, "execution", Active, Medium, (-120, 45)) },
        Spec { budget: 150_000.0, actual: 45_000.0, forecast: Some(150_000.0), behind: 2.0, tags: &["web", "compliance"],
            description: "Bring portal and app to WCAG 2.2 AA ahead of the accessibility act deadline.",
            ..s("DCX-108", "Accessibility compliance (WCAG 2.2)", 0, &[(2, 2), (3, 2)], "Lena Fischer", Hybrid, "execution", Active, High, (-60, 120)) },
        Spec { budget: 400_000.0, actual: 35_000.0, tags: &["partners"],
            description: "Sell shipping through the two largest online marketplaces. On hold until the partner contracts are signed.",
            ..s("DCX-109", "Marketplace integration", 0, &[(0, 2)], "Oliver Grant", Agile, "planning", OnHold, Low, (-30, 240)) },
        Spec { budget: 2_400_000.0, actual: 1_900_000.0, forecast: Some(2_550_000.0), behind: 8.0, slip: Some(20), tags: &["warehouse", "erp"],
            description: "Upgrade the warehouse management system at all four hubs, one hub per weekend cut-over.",
            ..s("OPX-201", "Warehouse management system upgrade", 1, &[(1, 3), (4, 2)], "Marco Rossi", Waterfall, "execution", Active, Critical, (-300, 60)) },
        Spec { budget: 480_000.0, actual: 210_000.0, forecast: Some(470_000.0), behind: 10.0, slip: Some(0), tags: &["fleet"],
            description: "Dynamic routing for the delivery fleet, fed by live traffic data.",
            ..s("OPX-202", "Route optimisation", 1, &[(1, 3), (2, 1)], "Hannah Schmidt", Agile, "execution", Active, High, (-100, 80)) },
        Spec { budget: 650_000.0, actual: 610_000.0, forecast: Some(690_000.0), behind: 36.0, tags: &["finance", "automation"],
            description: "Automate purchase orders, invoice matching and approvals end to end.",
            ..s("OPX-203", "Procure-to-pay automation", 1, &[(1, 3)], "Oliver Grant", Hybrid, "execution", Active, High, (-200, 20)) },
        Spec { budget: 900_000.0, actual: 380_000.0, forecast: Some(900_000.0), behind: 18.0, tags: &["fleet", "iot"],
            description: "Telematics units in all 420 vehicles: fuel use, driving behaviour and maintenance alerts.",
            ..s("OPX-204", "Fleet telematics rollout", 1, &[(1, 2), (3, 1)], "Hannah Schmidt", Waterfall, "execution", Active, Medium, (-150, 150)) },
        Spec { budget: 1_100_000.0, actual: 1_050_000.0, forecast: Some(1_080_000.0), behind: 8.0, tags: &["facilities", "sustainability"],
            description: "LED lighting, heat pumps and solar panels for the two oldest hubs.",
            ..s("OPX-205", "Energy efficiency retrofit", 1, &[(1, 2)], "Marco Rossi", Waterfall, "execution", Active, Medium, (-250, -20)) },
        Spec { budget: 550_000.0, tags: &["data", "ml"],
            description: "Forecast parcel volumes per hub and day to plan staff and vehicles.",
            ..s("OPX-206", "Demand forecasting with machine learning", 1, &[(1, 2), (4, 1)], "Mei Lin", Agile, "business_case", Proposed, Medium, (30, 280)) },
        Spec { budget: 260_000.0, actual: 240_000.0, forecast: Some(240_000.0), finished: Some(-95), tags: &["customer", "warehouse"],
            description: "One returns flow for all channels, with refunds within 48 hours.",
            ..s("OPX-207", "Returns processing redesign", 1, &[(2, 2), (1, 1)], "Mei Lin", Hybrid, "closure", Closed, Medium, (-330, -90)) },
        Spec { budget: 3_200_000.0, actual: 60_000.0, forecast: Some(3_200_000.0), behind: 0.0, tags: &["finance", "hr"],
            description: "Move finance, HR and procurement back-office work from five countries into one shared service centre.",
            ..s("OPX-208", "Shared service centre consolidation", 1, &[(1, 3)], "Ruth Adler", Waterfall, "planning", Active, High, (-10, 400)) },
        Spec { budget: 140_000.0, actual: 75_000.0, forecast: Some(142_000.0), behind: 5.0, tags: &["service"],
            description: "One knowledge base for call-centre agents and customers.",
            ..s("OPX-209", "Customer service knowledge base", 1, &[(2, 2), (1, 1)], "Aisha Khan", Kanban, "execution", Active, Low, (-70, 50)) },
        Spec { budget: 3_800_000.0, actual: 2_300_000.0, forecast: Some(4_400_000.0), behind: 10.0, slip: Some(60), tags: &["erp", "cloud"],
            description: "Move finance, order management and billing from the on-premises ERP to the vendor's cloud edition.",
            ..s("PLT-301", "ERP cloud migration", 2, &[(4, 3), (1, 2)], "Jonas Weber", Hybrid, "execution", Active, Critical, (-240, 180)) },
        Spec { budget: 720_000.0, actual: 330_000.0, forecast: Some(740_000.0), behind: 3.0, slip: Some(0), tags: &["security", "network"],
            description: "Replace the VPN with identity-aware access to every internal application.",
            ..s("PLT-302", "Zero-trust network access", 2, &[(3, 3)], "Jonas Weber", Agile, "execution", Active, High, (-140, 100)) },
        Spec { budget: 560_000.0, actual: 150_000.0, forecast: Some(600_000.0), behind: 4.0, tags: &["security", "identity"],
            description: "New identity provider, single sign-on everywhere and quarterly access reviews.",
            ..s("PLT-303", "Identity and access management renewal", 2, &[(3, 3), (4, 1)], "Oliver Grant", Waterfall, "execution", Active, High, (-80, 160)) },
        Spec { budget: 2_900_000.0, actual: 120_000.0, forecast: Some(2_900_000.0), behind: 0.0, tags: &["cloud", "infrastructure"],
            description: "Move the remaining 140 servers to managed cloud services and close the data centre lease.",
            ..s("PLT-304", "Data centre exit", 2, &[(4, 3), (1, 2)], "Jonas Weber", Waterfall, "planning", Active, Medium, (-40, 500)) },
        Spec { budget: 240_000.0, actual: 190_000.0, forecast: Some(245_000.0), behind: 8.0, tags: &["security", "compliance"],
            description: "Certify the information security management system for all sites.",
            ..s("PLT-305", "ISO 27001 certification", 2, &[(3, 3)], "Priya Raman", Hybrid, "execution", Active, High, (-160, 40)) },
        Spec { budget: 350_000.0, actual: 90_000.0, tags: &["crm"],
            description: "Switch off the legacy CRM. Cancelled: its functions move with the customer data platform instead.",
            ..s("PLT-306", "Legacy CRM decommissioning", 2, &[(4, 1)], "Mei Lin", Waterfall, "planning", Cancelled, Low, (-200, 100)) },
        Spec { budget: 310_000.0, actual: 95_000.0, forecast: Some(300_000.0), behind: 6.0, tags: &["infrastructure"],
            description: "Logs, metrics and traces for every production system in one place, with on-call alerting.",
            ..s("PLT-307", "Observability platform", 2, &[(4, 2)], "Tom Becker", Kanban, "execution", Active, Medium, (-50, 130)) },
        // Proposals waiting in intake (their business cases: `business_case_for`).
        Spec { budget: 420_000.0, tags: &["customer", "self-service"],
            description: "Customers reschedule, redirect and hold their own deliveries without calling us.",
            ..s("DCX-110", "Self-service delivery changes", 0, &[(0, 2), (2, 3)], "Aisha Khan", Agile, "business_case", Proposed, High, (45, 270)) },
        Spec { budget: 260_000.0, tags: &["cost", "risk"],
            description: "Contracts, renewals and supplier risk in one register with reminders.",
            ..s("PLT-308", "Supplier contract management", 2, &[(1, 2), (3, 2)], "Priya Raman", Waterfall, "business_case", Proposed, Medium, (60, 240)) },
    ]
}

fn objective_id(i: usize) -> String {
    format!("{SAMPLE_PREFIX}obj-{}", i + 1)
}

fn program_id(i: usize) -> String {
    format!("{SAMPLE_PREFIX}prg-{}", PROGRAMS[i].0)
}

/// The sample portfolio's records, dated around `today`.
pub fn sample(today: Date) -> Records {
    let objectives = OBJECTIVES
        .iter()
        .enumerate()
        .map(|(i, (name, description, weight))| Objective {
            id: objective_id(i),
            name: name.to_string(),
            description: description.to_string(),
            weight: *weight,
        })
        .collect();
    let programs = PROGRAMS
        .iter()
        .enumerate()
        .map(|(i, (_, name, owner, objectives, description))| Program {
            id: program_id(i),
            name: name.to_string(),
            owner: owner.to_string(),
            description: description.to_string(),
            objectives: objectives
                .iter()
                .map(|&o| (objective_id(o), true))
                .collect(),
        })
        .collect();
    let projects = specs()
        .into_iter()
        .map(|s| project_from(&s, today))
        .map(|mut p| {
            add_overrides(&mut p, today);
            if p.status == ProjectStatus::Proposed {
                p.business_case = business_case_for(&p, today);
                p.stage_entered = Some(today.add_days(-21));
            }
            p
        })
        .collect();
    Records {
        objectives,
        programs,
        projects,
    }
}

/// The stage of `methodology`'s lifecycle at the position `standard_key`
/// has in the standard one (an agile project "in execution" is in
/// delivery), so sample projects sit in stages their gates know.
fn stage_in_lifecycle(methodology: Methodology, standard_key: &str) -> String {
    let position = super::lifecycle::known_stage(standard_key).map(|(i, _)| i);
    let life = super::lifecycle::lifecycle_for(methodology);
    position
        .and_then(|i| life.stages.get(i))
        .map_or(standard_key, |stage| stage.key)
        .to_string()
}

fn project_from(s: &Spec, today: Date) -> Project {
    let start = today.add_days(s.start);
    let end = today.add_days(s.end);
    let started = s.start <= 0 && s.status != ProjectStatus::Proposed;
    let percent = match (s.status, s.finished) {
        (_, Some(_)) => 100.0,
        (ProjectStatus::Active | ProjectStatus::OnHold, _) if s.start < 0 => {
            let elapsed = (-s.start) as f64 / (s.end - s.start).max(1) as f64 * 100.0;
            (elapsed.min(100.0) - s.behind).clamp(0.0, 100.0).round()
        }
        _ => 0.0,
    };
    Project {
        id: format!("{SAMPLE_PREFIX}prj-{}", s.code.to_lowercase()),
        code: s.code.to_string(),
        name: s.name.to_string(),
        description: s.description.to_string(),
        sponsor: SPONSORS[s.program].to_string(),
        manager: s.manager.to_string(),
        program_id: Some(program_id(s.program)),
        methodology: s.methodology,
        stage: stage_in_lifecycle(s.methodology, s.stage),
        status: s.status,
        priority: s.priority,
        planned_start: Some(start),
        planned_end: Some(end),
        forecast_end: s.slip.map(|d| end.add_days(d)),
        actual_start: started.then_some(start),
        actual_end: s.finished.map(|d| today.add_days(d)),
        budget: s.budget,
        actual_cost: s.actual,
        forecast_at_completion: s.forecast,
        percent_complete: percent,
        objectives: s
            .objectives
            .iter()
            .map(|&(o, strength)| (objective_id(o), strength))
            .collect(),
        tags: s.tags.iter().map(|t| t.to_string()).collect(),
        // Fields other features add keep their defaults.
        ..Project::default()
    }
}

/// A plausible business case for a sample proposal: benefits worth about
/// 1.8 times the cost over four years, so intake shows NPV, ROI and
/// payback, and selection has real candidates.
fn business_case_for(p: &Project, today: Date) -> BusinessCase {
    let cost = p.budget;
    let months = match (p.planned_start, p.planned_end) {
        (Some(start), Some(end)) => (start.days_until(end) as f64 / 30.4).round(),
        _ => 12.0,
    };
    let yearly_benefit = (cost * 0.45 / 1000.0).round() * 1000.0;
    let benefits = [
        ("Lower cost to serve", 0.6),
        ("Revenue kept from fewer lost customers", 0.4),
    ]
    .iter()
    .enumerate()
    .map(|(i, (what, share))| {
        (
            format!("{SAMPLE_PREFIX}benefit-{}", i + 1),
            Benefit {
                description: what.to_string(),
                value: Some((yearly_benefit * 4.0 * share).round()),
                order: i as i64,
            },
        )
    })
    .collect();
    let cash_flows = (0..5u32)
        .map(|year| {
            let flow = match year {
                0 => CashFlow {
                    cost: cost * 0.7,
                    benefit: 0.0,
                },
                1 => CashFlow {
                    cost: cost * 0.3,
                    benefit: yearly_benefit * 0.5,
                },
                _ => CashFlow {
                    cost: cost * 0.05,
                    benefit: yearly_benefit,
                },
            };
            (year, flow)
        })
        .collect();
    BusinessCase {
        problem_statement: p.description.clone(),
        benefits,
        cost_estimate: Some(cost),
        duration_months: Some(months),
        key_risks: "Depends on the integration team's availability; supplier lead times."
            .to_string(),
        cash_flows,
        submitted_on: Some(today.add_days(-21)),
        submitted_by: p.manager.clone(),
        ..BusinessCase::default()
    }
}

/// A few manager assessments, so the sample shows what overrides look like.
fn add_overrides(p: &mut Project, today: Date) {
    let mut set = |dimension: &str, rag: Rag, reason: &str, by: &str| {
        p.health_overrides.insert(
            dimension.to_string(),
            HealthOverride {
                rag,
                reason: reason.to_string(),
                by: by.to_string(),
                at: Some(today.add_days(-6)),
            },
        );
    };
    match p.code.as_str() {
        "DCX-107" => set(
            "budget",
            Rag::Amber,
            "The steering committee approved an extra 25,000 for chatbot training; the budget change is being booked.",
            "Sofia Marin",
        ),
        "OPX-201" => set(
            "risks",
            Rag::Amber,
            "Vendor staff for the last hub cut-over weekend are not confirmed yet.",
            "Marco Rossi",
        ),
        "PLT-305" => set(
            "scope",
            Rag::Amber,
            "Audit scope widened to include the two new sites.",
            "Priya Raman",
        ),
        "PLT-302" => set(
            "resources",
            Rag::Green,
            "Two security engineers joined the team this month.",
            "Jonas Weber",
        ),
        _ => {}
    }
}

/// A deterministic pseudo-random generator (SplitMix64): the same `n`
/// and `today` always give the same portfolio.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn range(&mut self, lo: i32, hi: i32) -> i32 {
        lo + self.below((hi - lo + 1) as u64) as i32
    }
}

const GEN_AREAS: [&str; 16] = [
    "Billing",
    "Customer",
    "Warehouse",
    "Fleet",
    "Payroll",
    "Analytics",
    "Security",
    "Network",
    "Procurement",
    "Service desk",
    "Website",
    "Mobile",
    "Finance",
    "Compliance",
    "Identity",
    "Logistics",
];
const GEN_ACTIONS: [&str; 12] = [
    "platform upgrade",
    "process redesign",
    "cloud migration",
    "automation",
    "replacement",
    "rollout",
    "integration",
    "consolidation",
    "modernisation",
    "pilot",
    "data migration",
    "self-service",
];
const GEN_PEOPLE: [&str; 24] = [
    "Ada Novak",
    "Ben Carter",
    "Chloe Dubois",
    "David Park",
    "Elena Rossi",
    "Farid Haddad",
    "Grace Liu",
    "Hugo Almeida",
    "Ines Costa",
    "Jakob Meyer",
    "Kira Sato",
    "Liam Walsh",
    "Maya Patel",
    "Nils Berg",
    "Olga Ivanova",
    "Pablo Ruiz",
    "Quinn Taylor",
    "Rosa Jansen",
    "Samir Aziz",
    "Tara Singh",
    "Umar Farouk",
    "Vera Kovac",
    "Will Evans",
    "Yara Haddad",
];

/// A large, varied portfolio for benchmarks: `n` projects across 8
/// programs and 6 objectives, with mixed statuses, dates and health.
pub fn generated(n: usize, today: Date) -> Records {
    let mut rng = Rng(0x5EED_0000 ^ n as u64);
    let objectives: Vec<Objective> = (0..6)
        .map(|i| Objective {
            id: format!("gen-obj-{i}"),
            name: format!("Objective {}: {}", i + 1, GEN_AREAS[i * 2]),
            description: String::new(),
            weight: (6 - i) as f64 * 5.0,
        })
        .collect();
    let programs: Vec<Program> = (0..8)
        .map(|i| Program {
            id: format!("gen-prg-{i}"),
            name: format!("{} program", GEN_AREAS[i * 2 + 1]),
            owner: GEN_PEOPLE[i].to_string(),
            description: String::new(),
            objectives: [(objectives[i % 6].id.clone(), true)].into_iter().collect(),
        })
        .collect();
    let stages = ["idea", "business_case", "planning", "execution", "closure"];
    let projects = (0..n)
        .map(|i| {
            let status = match rng.below(20) {
                0..=1 => ProjectStatus::Proposed,
                2..=14 => ProjectStatus::Active,
                15 => ProjectStatus::OnHold,
                16..=18 => ProjectStatus::Closed,
                _ => ProjectStatus::Cancelled,
            };
            let start = rng.range(-500, 120);
            let end = start + rng.range(60, 600);
            let budget = (rng.range(5, 500) * 10_000) as f64;
            let progress = if end > 0 && start < 0 {
                (-start) as f64 / (end - start) as f64 * 100.0
            } else if end <= 0 {
                100.0
            } else {
                0.0
            };
            let health_roll = rng.below(10);
            let (overrun, slip, behind) = match health_roll {
                0 => (0.15, 45, 30.0),
                1..=2 => (0.07, 20, 18.0),
                _ => (0.0, 0, 5.0),
            };
            let mut objectives = BTreeMap::new();
            objectives.insert(format!("gen-obj-{}", rng.below(6)), rng.range(1, 3) as u8);
            let methodology = *rng.pick(&Methodology::ALL);
            Project {
                id: format!("gen-prj-{i:05}"),
                code: format!("GEN-{:04}", i + 1),
                name: format!(
                    "{} {} {}",
                    rng.pick(&GEN_AREAS),
                    rng.pick(&GEN_ACTIONS),
                    i + 1
                ),
                description: format!("Generated project number {} for benchmarks.", i + 1),
                sponsor: rng.pick(&GEN_PEOPLE).to_string(),
                manager: rng.pick(&GEN_PEOPLE).to_string(),
                program_id: Some(format!("gen-prg-{}", rng.below(8))),
                methodology,
                stage: stage_in_lifecycle(methodology, rng.pick::<&str>(&stages)),
                status,
                priority: *rng.pick(&Priority::ALL),
                planned_start: Some(today.add_days(start)),
                planned_end: Some(today.add_days(end)),
                forecast_end: Some(today.add_days(end + slip)),
                actual_start: (start <= 0).then(|| today.add_days(start)),
                actual_end: (status == ProjectStatus::Closed).then(|| today.add_days(end + slip)),
                budget,
                actual_cost: (budget * progress / 100.0 * (1.0 + overrun)).round(),
                forecast_at_completion: Some((budget * (1.0 + overrun)).round()),
                percent_complete: if status == ProjectStatus::Closed {
                    100.0
                } else {
                    (progress - behind).clamp(0.0, 100.0).round()
                },
                objectives,
                tags: vec![rng
                    .pick(&["cloud", "erp", "customer", "cost", "risk"])
                    .to_string()],
                ..Project::default()
            }
        })
        .collect();
    Records {
        objectives,
        programs,
        projects,
    }
}
