//! Validation: every rule gives a field-level message; valid records pass.

use pmo_desk::domain::validation::{
    message_for, validate_objective, validate_program, validate_project, validate_settings,
    FieldError,
};
use pmo_desk::domain::{Date, HealthOverride, Objective, Program, Project, Settings};

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn valid() -> Project {
    Project {
        code: "WEB-1".into(),
        planned_start: Some(d("2026-01-01")),
        planned_end: Some(d("2026-06-30")),
        forecast_end: Some(d("2026-07-15")),
        actual_start: Some(d("2026-01-05")),
        budget: 1000.0,
        actual_cost: 10.0,
        forecast_at_completion: Some(1000.0),
        percent_complete: 50.0,
        ..Project::named("p1", "Web")
    }
}

fn fields(errors: &[FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.field).collect()
}

#[test]
fn a_complete_project_is_valid() {
    let p = valid();
    assert_eq!(validate_project(&p, [&p]), vec![]);
}

#[test]
fn missing_name() {
    let mut p = valid();
    p.name = "   ".into();
    let errors = validate_project(&p, []);
    assert_eq!(
        errors,
        vec![FieldError::new("name", "Enter a project name.")]
    );
}

#[test]
fn end_before_start_for_planned_forecast_and_actual_dates() {
    let mut p = valid();
    p.planned_end = Some(d("2025-12-31"));
    p.forecast_end = Some(d("2025-12-01"));
    p.actual_end = Some(d("2026-01-04"));
    let errors = validate_project(&p, []);
    assert_eq!(
        fields(&errors),
        ["planned_end", "forecast_end", "actual_end"]
    );
    assert_eq!(
        message_for(&errors, "planned_end").unwrap(),
        "Planned end is before the planned start (2026-01-01)."
    );
    assert_eq!(
        message_for(&errors, "actual_end").unwrap(),
        "Actual end is before the actual start (2026-01-05)."
    );
    // The same day is fine.
    p.planned_end = p.planned_start;
    p.forecast_end = p.planned_start;
    p.actual_end = p.actual_start;
    assert!(validate_project(&p, []).is_empty());
}

#[test]
fn negative_money() {
    let mut p = valid();
    p.budget = -1.0;
    p.actual_cost = -0.5;
    p.forecast_at_completion = Some(-100.0);
    let errors = validate_project(&p, []);
    assert_eq!(
        fields(&errors),
        ["budget", "actual_cost", "forecast_at_completion"]
    );
    assert_eq!(
        message_for(&errors, "budget").unwrap(),
        "Budget cannot be negative."
    );
    p.budget = f64::NAN;
    p.actual_cost = 0.0;
    p.forecast_at_completion = None;
    assert_eq!(
        message_for(&validate_project(&p, []), "budget").unwrap(),
        "Budget must be a number."
    );
}

#[test]
fn percent_outside_zero_to_hundred() {
    for bad in [-1.0, 100.5, f64::NAN] {
        let mut p = valid();
        p.percent_complete = bad;
        assert_eq!(
            validate_project(&p, []),
            vec![FieldError::new(
                "percent_complete",
                "Percent complete must be between 0 and 100."
            )],
            "{bad}"
        );
    }
    for ok in [0.0, 100.0] {
        let mut p = valid();
        p.percent_complete = ok;
        assert!(validate_project(&p, []).is_empty());
    }
}

#[test]
fn duplicate_project_code_ignoring_case_and_spaces() {
    let p = valid();
    let mut other = Project::named("p2", "Mobile");
    other.code = " web-1 ".into();
    let errors = validate_project(&p, [&p, &other]);
    assert_eq!(
        errors,
        vec![FieldError::new(
            "code",
            "Code WEB-1 is already used by Mobile; each project needs its own code."
        )]
    );
    // Empty codes never clash.
    let mut a = valid();
    a.code.clear();
    let mut b = other.clone();
    b.code.clear();
    assert!(validate_project(&a, [&b]).is_empty());
}

#[test]
fn alignment_strength_and_override_reason() {
    let mut p = valid();
    p.objectives.insert("o1".into(), 4);
    p.health_overrides.insert(
        "scope".into(),
        HealthOverride {
            reason: "".into(),
            ..HealthOverride::default()
        },
    );
    assert_eq!(
        fields(&validate_project(&p, [])),
        ["objectives", "health_overrides"]
    );
}

#[test]
fn programs_and_objectives_need_unique_names_and_sane_weights() {
    let a = Program {
        id: "a".into(),
        name: "Digital".into(),
        ..Program::default()
    };
    let mut b = a.clone();
    b.id = "b".into();
    b.name = "digital ".into();
    assert_eq!(
        validate_program(&b, [&a, &b]),
        vec![FieldError::new(
            "name",
            "A program called digital already exists."
        )]
    );
    assert_eq!(fields(&validate_program(&Program::default(), [])), ["name"]);

    let o = Objective {
        id: "o".into(),
        name: "Grow".into(),
        weight: -1.0,
        ..Objective::default()
    };
    assert_eq!(fields(&validate_objective(&o, [])), ["weight"]);
    let empty = Objective::default();
    assert_eq!(fields(&validate_objective(&empty, [])), ["name"]);
}

#[test]
fn settings_need_a_currency_code_a_month_and_ordered_thresholds() {
    assert!(validate_settings(&Settings::default()).is_empty());
    let mut s = Settings {
        currency: "euro".into(),
        fiscal_year_start_month: 13,
        ..Settings::default()
    };
    s.health.budget_red_pct = 2.0; // below amber (5)
    s.health.schedule_amber_days = -1;
    assert_eq!(
        fields(&validate_settings(&s)),
        [
            "currency",
            "fiscal_year_start_month",
            "budget_red_pct",
            "schedule_amber_days"
        ]
    );
}
