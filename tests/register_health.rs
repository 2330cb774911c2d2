//! Health rules: each dimension green/amber/red, the explaining sentence,
//! overrides, and the overall rating.

use pmo_desk::domain::change_request::{ChangeRequest, ChangeStatus};
use pmo_desk::domain::health::health;
use pmo_desk::domain::{
    Date, Dimension, HealthOverride, HealthThresholds, Project, ProjectStatus, Rag, Settings,
};

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn today() -> Date {
    d("2026-05-15")
}

/// An active project planned 2026-01-01 → 2026-12-31, on budget, 37% done
/// (about the elapsed share of the year on `today`).
fn base() -> Project {
    Project {
        status: ProjectStatus::Active,
        planned_start: Some(d("2026-01-01")),
        planned_end: Some(d("2026-12-31")),
        budget: 100_000.0,
        actual_cost: 30_000.0,
        forecast_at_completion: Some(100_000.0),
        percent_complete: 37.0,
        ..Project::named("p1", "Web")
    }
}

fn rate(p: &Project, dim: Dimension) -> (Rag, String) {
    let report = health(p, &[], &Settings::default(), today());
    let dh = report.get(dim);
    (dh.rag, dh.reason.clone())
}

#[test]
fn a_project_on_plan_is_green_overall() {
    let report = health(&base(), &[], &Settings::default(), today());
    assert_eq!(report.rag(Dimension::Schedule), Rag::Green);
    assert_eq!(report.rag(Dimension::Budget), Rag::Green);
    assert_eq!(report.overall, Rag::Green);
    assert_eq!(report.overall_reason, "Every assessed dimension is green.");
    assert_eq!(
        rate(&base(), Dimension::Scope),
        (
            Rag::Green,
            "No approved scope changes (amber above 1).".to_string()
        )
    );
    // No data yet for these: grey with text, not green.
    for dim in [Dimension::Resources, Dimension::Risks] {
        assert_eq!(report.rag(dim), Rag::NotAssessed);
        assert!(report.get(dim).reason.contains("No data"));
    }
}

#[test]
fn schedule_slip_turns_amber_then_red_with_the_rule_named() {
    let mut p = base();
    p.forecast_end = Some(d("2027-01-10")); // 10 days late
    let (rag, why) = rate(&p, Dimension::Schedule);
    assert_eq!(rag, Rag::Green);
    assert_eq!(
        why,
        "Forecast end 2027-01-10 is 10 days after planned end 2026-12-31 (amber above 14)."
    );

    p.forecast_end = Some(d("2027-01-20")); // 20 days
    let (rag, why) = rate(&p, Dimension::Schedule);
    assert_eq!(rag, Rag::Amber);
    assert!(why.contains("20 days after planned end"), "{why}");
    assert!(why.contains("(amber above 14, red above 30)"), "{why}");

    p.forecast_end = Some(d("2027-02-14")); // 45 days
    assert_eq!(
        rate(&p, Dimension::Schedule),
        (
            Rag::Red,
            "Forecast end 2027-02-14 is 45 days after planned end 2026-12-31 (red above 30)."
                .to_string()
        )
    );
}

#[test]
fn schedule_thresholds_come_from_settings() {
    let mut p = base();
    p.forecast_end = Some(d("2027-01-20")); // 20 days
    let strict = Settings {
        health: HealthThresholds {
            schedule_amber_days: 5,
            schedule_red_days: 10,
            ..HealthThresholds::default()
        },
        ..Settings::default()
    };
    let report = health(&p, &[], &strict, today());
    assert_eq!(report.rag(Dimension::Schedule), Rag::Red);
    assert!(report
        .get(Dimension::Schedule)
        .reason
        .contains("red above 10"));
}

#[test]
fn a_passed_end_date_without_finishing_counts_until_today() {
    let mut p = base();
    p.planned_start = Some(d("2025-06-01"));
    p.planned_end = Some(d("2026-04-01")); // 44 days before today
    p.percent_complete = 95.0;
    let (rag, why) = rate(&p, Dimension::Schedule);
    assert_eq!(rag, Rag::Red);
    assert_eq!(
        why,
        "Planned end 2026-04-01 has passed and the project is not finished: 44 days after planned end (red above 30)."
    );
    // A closed project is judged by its actual end instead.
    p.status = ProjectStatus::Closed;
    p.actual_end = Some(d("2026-04-10"));
    assert_eq!(
        rate(&p, Dimension::Schedule),
        (
            Rag::Green,
            "Finished 2026-04-10, 9 days after planned end 2026-04-01 (amber above 14)."
                .to_string()
        )
    );
    p.actual_end = Some(d("2026-03-20"));
    assert!(rate(&p, Dimension::Schedule).1.contains("on or before"));
}

#[test]
fn progress_behind_elapsed_time_turns_schedule_amber_or_red() {
    // On 2026-05-15, 134 of 364 days (37%) of the plan have passed.
    let mut p = base();
    p.percent_complete = 20.0; // 17 points behind
    let (rag, why) = rate(&p, Dimension::Schedule);
    assert_eq!(rag, Rag::Amber);
    assert_eq!(
        why,
        "20% complete with 37% of the planned time elapsed: 17 points behind (amber above 15, red above 25)."
    );
    p.percent_complete = 5.0;
    let (rag, why) = rate(&p, Dimension::Schedule);
    assert_eq!(rag, Rag::Red);
    assert!(why.contains("32 points behind (red above 25)"), "{why}");
    // Not for projects that are not running.
    p.status = ProjectStatus::OnHold;
    assert_eq!(rate(&p, Dimension::Schedule).0, Rag::Green);
}

#[test]
fn schedule_without_a_planned_end_is_not_assessed() {
    let mut p = base();
    p.planned_end = None;
    assert_eq!(
        rate(&p, Dimension::Schedule),
        (Rag::NotAssessed, "No planned end date.".to_string())
    );
}

#[test]
fn budget_overrun_turns_amber_then_red() {
    let mut p = base();
    p.forecast_at_completion = Some(104_000.0);
    let (rag, why) = rate(&p, Dimension::Budget);
    assert_eq!(rag, Rag::Green);
    assert_eq!(
        why,
        "Forecast at completion EUR 104,000 is 4% over budget EUR 100,000, within the 5% tolerance."
    );
    p.forecast_at_completion = Some(108_000.0);
    let (rag, why) = rate(&p, Dimension::Budget);
    assert_eq!(rag, Rag::Amber);
    assert_eq!(
        why,
        "Forecast at completion EUR 108,000 is 8% over budget EUR 100,000 (amber above 5%, red above 10%)."
    );
    p.forecast_at_completion = Some(125_000.0);
    assert_eq!(
        rate(&p, Dimension::Budget),
        (
            Rag::Red,
            "Forecast at completion EUR 125,000 is 25% over budget EUR 100,000 (red above 10%)."
                .to_string()
        )
    );
}

#[test]
fn actual_cost_above_budget_is_red_even_with_a_rosy_forecast() {
    let mut p = base();
    p.forecast_at_completion = Some(100_000.0);
    p.actual_cost = 120_000.0;
    assert_eq!(
        rate(&p, Dimension::Budget),
        (
            Rag::Red,
            "Actual cost to date EUR 120,000 is 20% over budget EUR 100,000 (red above 10%)."
                .to_string()
        )
    );
    // Without any forecast the actual cost decides too.
    p.forecast_at_completion = None;
    assert_eq!(rate(&p, Dimension::Budget).0, Rag::Red);
}

#[test]
fn budget_without_a_budget_is_grey_or_amber_when_money_is_spent() {
    let mut p = base();
    p.budget = 0.0;
    p.actual_cost = 0.0;
    p.forecast_at_completion = None;
    assert_eq!(
        rate(&p, Dimension::Budget),
        (Rag::NotAssessed, "No budget set.".to_string())
    );
    p.actual_cost = 5_000.0;
    let (rag, why) = rate(&p, Dimension::Budget);
    assert_eq!(rag, Rag::Amber);
    assert!(why.contains("no budget is set"), "{why}");
}

#[test]
fn budget_currency_follows_settings() {
    let mut p = base();
    p.forecast_at_completion = Some(150_000.0);
    let usd = Settings {
        currency: "USD".into(),
        ..Settings::default()
    };
    let report = health(&p, &[], &usd, today());
    assert!(report.get(Dimension::Budget).reason.contains("USD 150,000"));
}

#[test]
fn an_override_wins_is_explained_and_keeps_the_computed_rating() {
    let mut p = base();
    p.forecast_at_completion = Some(125_000.0); // computed red
    p.health_overrides.insert(
        "budget".into(),
        HealthOverride {
            rag: Rag::Amber,
            reason: "Extra funds approved by the board.".into(),
            by: "Ada".into(),
            at: Some(d("2026-05-10")),
        },
    );
    let report = health(&p, &[], &Settings::default(), today());
    let b = report.get(Dimension::Budget);
    assert_eq!(b.rag, Rag::Amber);
    assert_eq!(b.computed, Rag::Red);
    assert!(b.computed_reason.contains("25% over budget"));
    assert_eq!(
        b.reason,
        "Set by Ada on 2026-05-10: Extra funds approved by the board."
    );
    assert!(b.overridden.is_some());
    assert_eq!(report.overall, Rag::Amber);
}

#[test]
fn overrides_assess_dimensions_without_data() {
    let mut p = base();
    p.health_overrides.insert(
        "risks".into(),
        HealthOverride {
            rag: Rag::Red,
            reason: "Key supplier may go bankrupt.".into(),
            by: "Ben".into(),
            at: None,
        },
    );
    let report = health(&p, &[], &Settings::default(), today());
    assert_eq!(report.rag(Dimension::Risks), Rag::Red);
    assert_eq!(report.overall, Rag::Red);
    assert_eq!(
        report.overall_reason,
        "Overall is the worst dimension: Risks is red."
    );
}

#[test]
fn an_override_without_a_reason_is_ignored() {
    let mut p = base();
    p.health_overrides.insert(
        "schedule".into(),
        HealthOverride {
            rag: Rag::Red,
            reason: "  ".into(),
            ..HealthOverride::default()
        },
    );
    let report = health(&p, &[], &Settings::default(), today());
    assert_eq!(report.rag(Dimension::Schedule), Rag::Green);
    assert!(report.get(Dimension::Schedule).overridden.is_none());
}

#[test]
fn overall_names_every_worst_dimension() {
    let mut p = base();
    p.forecast_end = Some(d("2027-01-20")); // amber
    p.forecast_at_completion = Some(108_000.0); // amber
    let report = health(&p, &[], &Settings::default(), today());
    assert_eq!(report.overall, Rag::Amber);
    assert_eq!(
        report.overall_reason,
        "Overall is the worst dimension: Schedule, Budget are amber."
    );
}

#[test]
fn cancelled_and_empty_projects_are_not_assessed() {
    let mut p = base();
    p.status = ProjectStatus::Cancelled;
    let report = health(&p, &[], &Settings::default(), today());
    assert_eq!(report.overall, Rag::NotAssessed);
    assert!(report
        .dimensions
        .iter()
        .all(|d| d.reason == "Cancelled projects are not assessed."));

    let empty = Project::named("p2", "Idea");
    let report = health(&empty, &[], &Settings::default(), today());
    assert_eq!(report.overall, Rag::NotAssessed);
    assert_eq!(report.overall_reason, "No dimension has been assessed yet.");
}

fn change(id: &str, project: &str, status: ChangeStatus, scope: &str) -> ChangeRequest {
    ChangeRequest {
        id: id.into(),
        project_id: project.into(),
        title: format!("Change {id}"),
        scope_impact: scope.into(),
        status,
        ..ChangeRequest::default()
    }
}

fn scope_of(p: &Project, changes: &[ChangeRequest], settings: &Settings) -> (Rag, String) {
    let changes: Vec<&ChangeRequest> = changes.iter().collect();
    let report = health(p, &changes, settings, today());
    let dh = report.get(Dimension::Scope);
    (dh.rag, dh.reason.clone())
}

#[test]
fn scope_follows_the_approved_changes_of_scope() {
    use ChangeStatus::*;
    let p = base();
    let settings = Settings::default();
    // Approved and implemented changes with a scope impact count; rejected
    // ones, cost-only ones and other projects' do not; pending ones are named.
    let mut changes = vec![
        change("c1", "p1", Approved, "Add the partner portal."),
        change("c2", "p1", Rejected, "Add a mobile app."),
        change("c3", "p1", Approved, "  "),
        change("c4", "other", Approved, "Elsewhere."),
        change("c5", "p1", Submitted, "Add SSO."),
    ];
    assert_eq!(
        scope_of(&p, &changes, &settings),
        (
            Rag::Green,
            "1 approved scope change; 1 more awaits a decision (amber above 1).".to_string()
        )
    );
    changes.push(change("c6", "p1", Implemented, "Drop the legacy export."));
    assert_eq!(
        scope_of(&p, &changes, &settings),
        (
            Rag::Amber,
            "2 approved scope changes; 1 more awaits a decision (amber above 1, red above 3)."
                .to_string()
        )
    );
    for i in 7..9 {
        changes.push(change(&format!("c{i}"), "p1", Approved, "More."));
    }
    let (rag, reason) = scope_of(&p, &changes, &settings);
    assert_eq!(rag, Rag::Red);
    assert_eq!(
        reason,
        "4 approved scope changes; 1 more awaits a decision (red above 3)."
    );
    let report = health(&p, &changes.iter().collect::<Vec<_>>(), &settings, today());
    assert_eq!(report.overall, Rag::Red);

    // The thresholds are the portfolio's.
    let mut lenient = Settings::default();
    lenient.health.scope_amber_changes = 5;
    lenient.health.scope_red_changes = 8;
    assert_eq!(scope_of(&p, &changes, &lenient).0, Rag::Green);
}

#[test]
fn proposals_have_no_agreed_scope_to_change_yet() {
    let p = Project {
        status: ProjectStatus::Proposed,
        ..base()
    };
    let changes = [change("c1", "p1", ChangeStatus::Approved, "More.")];
    let (rag, reason) = scope_of(&p, &changes, &Settings::default());
    assert_eq!(rag, Rag::NotAssessed);
    assert!(reason.contains("investment decision"), "{reason}");
}
