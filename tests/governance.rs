//! Intake, scoring, stage gates, change requests and the attention list,
//! exercised through real portfolio documents (so merging is covered too).

mod common;
use common::*;
use pmo_desk::doc::PortfolioDoc;
use pmo_desk::domain::change_request::{self, ChangeError, ChangeRequest, ChangeStatus};
use pmo_desk::domain::governance::{attention, Attention};
use pmo_desk::domain::intake::{npv, payback, Benefit, CashFlow};
use pmo_desk::domain::lifecycle::{
    self, check_stage_change, current_stage, next_gate, DecisionInput, GateDecision, GateError,
};
use pmo_desk::domain::scenario::{candidates, Scenario};
use pmo_desk::domain::scoring::{self, criteria_in_order, ensure_default_criteria, ranking};
use pmo_desk::domain::selection::{optimise, Constraints};
use pmo_desk::domain::{Command, Date, Entity, Objective, Portfolio, Project, ProjectStatus};

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn run(doc: &mut PortfolioDoc, cmd: Command, author: &str) {
    doc.apply(&cmd, author, T0).unwrap();
}

fn with_defaults() -> PortfolioDoc {
    let mut doc = new_portfolio();
    let cmd = ensure_default_criteria(&doc.snapshot()).unwrap();
    run(&mut doc, cmd, "Ada");
    doc
}

fn add_proposal(doc: &mut PortfolioDoc, id: &str, name: &str, cost: f64) {
    let mut p = Project::named(id, name);
    p.stage = "business_case".into();
    p.business_case.cost_estimate = Some(cost);
    p.business_case.submitted_on = Some(d("2026-01-10"));
    p.stage_entered = Some(d("2026-01-10"));
    run(
        doc,
        Command::new(format!("Add {name}"), vec![p.create_op()]),
        "Ada",
    );
}

fn rate_all(doc: &mut PortfolioDoc, project: &str, scorer: &str, name: &str, ratings: [f64; 5]) {
    let snap = doc.snapshot();
    let criteria = criteria_in_order(&snap);
    let project = &snap.projects[project];
    for (c, r) in criteria.iter().zip(ratings) {
        let cmd = scoring::rate(project, c, scorer, name, Some(r)).unwrap();
        doc.apply(&cmd, name, T0).unwrap();
    }
}

// ---------------------------------------------------------------- finance

#[test]
fn npv_roi_and_payback_match_hand_computed_values() {
    // Year 0: invest 100,000. Benefits 40k, 50k, 60k in years 1–3; 10 %.
    // NPV = −100000 + 40000/1.1 + 50000/1.21 + 60000/1.331 = 22,764.84
    // ROI = (150000 − 100000) / 100000 = 50 %
    // Payback: cumulative −100k, −60k, −10k, +50k → 2 + 10/60 = 2.1667 years
    // Discounted: −100000, −63636.36, −22314.05, +22764.84
    //   → 2 + 22314.05 / 45078.89 = 2.4950 years
    let mut p = Project::named("p", "P");
    let bc = &mut p.business_case;
    bc.cash_flows.insert(
        0,
        CashFlow {
            cost: 100_000.0,
            benefit: 0.0,
        },
    );
    for (year, benefit) in [(1, 40_000.0), (2, 50_000.0), (3, 60_000.0)] {
        bc.cash_flows.insert(year, CashFlow { cost: 0.0, benefit });
    }
    let f = bc.financials(10.0);
    assert!((f.npv.unwrap() - 22_764.84).abs() < 0.01, "{:?}", f.npv);
    assert!((f.roi.unwrap() - 0.5).abs() < 1e-12);
    assert!((f.payback_years.unwrap() - 2.166_666_7).abs() < 1e-6);
    assert!((f.discounted_payback_years.unwrap() - 2.495_0).abs() < 1e-4);
    assert_eq!(f.total_cost, Some(100_000.0));
    assert_eq!(f.total_benefit, Some(150_000.0));

    // A 0 % rate makes NPV the plain sum of net flows.
    assert!((bc.financials(0.0).npv.unwrap() - 50_000.0).abs() < 1e-9);
}

#[test]
fn payback_within_the_first_year_and_never() {
    let flows = |v: &[(f64, f64)]| -> Vec<CashFlow> {
        v.iter()
            .map(|&(cost, benefit)| CashFlow { cost, benefit })
            .collect()
    };
    // −50, then +200 in year 1: paid back a quarter into year 1.
    assert_eq!(
        payback(&flows(&[(50.0, 0.0), (0.0, 200.0)]), None),
        Some(0.25)
    );
    assert_eq!(payback(&flows(&[(50.0, 0.0), (10.0, 20.0)]), None), None);
    assert_eq!(npv(&[], 0.1), None);
}

#[test]
fn roi_without_cash_flows_uses_benefit_values_and_cost_estimate() {
    let mut p = Project::named("p", "P");
    p.business_case.cost_estimate = Some(200_000.0);
    p.business_case.benefits.insert(
        "b1".into(),
        Benefit {
            description: "Fewer support calls".into(),
            value: Some(150_000.0),
            order: 0,
        },
    );
    p.business_case.benefits.insert(
        "b2".into(),
        Benefit {
            description: "Happier staff".into(),
            value: None,
            order: 1,
        },
    );
    p.business_case.benefits.insert(
        "b3".into(),
        Benefit {
            description: "Licence savings".into(),
            value: Some(100_000.0),
            order: 2,
        },
    );
    let f = p.business_case.financials(8.0);
    assert!((f.roi.unwrap() - 0.25).abs() < 1e-12);
    assert_eq!(f.npv, None);
    assert_eq!(f.payback_years, None);
}

#[test]
fn business_case_round_trips_through_the_document_with_text_and_year_keys() {
    let mut doc = new_portfolio();
    let mut p = Project::named("p1", "CRM");
    p.business_case.problem_statement = "Sales data lives in spreadsheets.".into();
    p.business_case.cash_flows.insert(
        0,
        CashFlow {
            cost: 10.0,
            benefit: 0.0,
        },
    );
    p.business_case.cash_flows.insert(
        12,
        CashFlow {
            cost: 0.0,
            benefit: 30.0,
        },
    );
    run(&mut doc, Command::new("Add", vec![p.create_op()]), "Ada");
    let read = &doc.snapshot().projects["p1"];
    assert_eq!(read.business_case, p.business_case);
    // Year keys are numbers, not text: year 12 comes after year 0.
    assert_eq!(
        read.business_case.cash_flows.keys().collect::<Vec<_>>(),
        [&0, &12]
    );
    assert!(doc.snapshot().problems.is_empty());

    // Two people edit the problem statement offline: both edits survive.
    let mut ben = copy_for(&mut doc, BEN);
    edit_project(&mut doc, "p1", "Ada", |p| {
        p.business_case.problem_statement = "Sales data lives in many spreadsheets.".into()
    });
    edit_project(&mut ben, "p1", "Ben", |p| {
        p.business_case.problem_statement =
            "Sales data lives in spreadsheets. Nobody trusts it.".into()
    });
    exchange(&mut doc, &mut ben);
    assert_eq!(
        doc.snapshot().projects["p1"]
            .business_case
            .problem_statement,
        "Sales data lives in many spreadsheets. Nobody trusts it."
    );
}

// ---------------------------------------------------------------- scoring

#[test]
fn two_scorers_offline_merge_and_the_total_uses_their_mean() {
    let mut ada = with_defaults();
    add_proposal(&mut ada, "crm", "CRM", 100.0);
    let mut ben = copy_for(&mut ada, BEN);
    // Ada and Ben score the same proposal offline, every criterion.
    rate_all(&mut ada, "crm", ADA, "Ada", [5.0, 4.0, 1.0, 3.0, 5.0]);
    rate_all(&mut ben, "crm", BEN, "Ben", [3.0, 4.0, 4.0, 3.0, 4.0]);
    exchange(&mut ada, &mut ben);
    let (a, b) = (ada.snapshot(), ben.snapshot());
    assert_eq!(a.projects, b.projects, "both copies agree");
    let scores = &a.projects["crm"].scores;
    assert_eq!(scores.len(), 2, "each scorer's ratings kept separately");
    assert_eq!(scores[ADA].ratings["crit-risk"], 1.0);
    assert_eq!(scores[BEN].ratings["crit-risk"], 4.0);
    assert_eq!(
        (scores[ADA].name.as_str(), scores[BEN].name.as_str()),
        ("Ada", "Ben")
    );

    let ranked = ranking(&a);
    let crm = &ranked[0];
    assert_eq!(
        crm.scorers,
        [
            (ADA.to_string(), "Ada".to_string()),
            (BEN.to_string(), "Ben".to_string())
        ]
    );
    assert!(crm.complete);
    // No weighted objectives: strategic alignment falls back to ratings.
    // Means: strategic 4, financial 4, risk 2.5 (inverse), urgency 3,
    // feasibility 4.5 → fractions .75 .75 .625 .5 .875
    // total = 22.5 + 18.75 + 9.375 + 7.5 + 13.125 = 71.25
    assert!((crm.total - 71.25).abs() < 1e-9, "{}", crm.total);
    // Risk differs by 3 points on 1–5 (≥ 2): disagreement; feasibility 1: not.
    assert_eq!(crm.disagreements(), ["Strategic alignment", "Risk"]);
    assert!(crm.disagreement);
}

#[test]
fn unscored_criteria_count_nothing_and_mark_the_score_incomplete() {
    let mut doc = with_defaults();
    add_proposal(&mut doc, "a", "Alpha", 1.0);
    let snap = doc.snapshot();
    let fin = &snap.criteria["crit-financial"];
    let cmd = scoring::rate(&snap.projects["a"], fin, ADA, "Ada", Some(5.0)).unwrap();
    run(&mut doc, cmd, "Ada");
    let r = &ranking(&doc.snapshot())[0];
    assert!(!r.complete);
    assert!((r.total - 25.0).abs() < 1e-9);
    // Out-of-scale and fractional ratings are refused.
    let snap = doc.snapshot();
    assert!(scoring::rate(&snap.projects["a"], fin, ADA, "Ada", Some(6.0)).is_err());
    assert!(scoring::rate(&snap.projects["a"], fin, ADA, "Ada", Some(2.5)).is_err());
    // Clearing removes only the scorer's own key.
    let cmd = scoring::rate(&snap.projects["a"], fin, ADA, "Ada", None).unwrap();
    run(&mut doc, cmd, "Ada");
    assert_eq!(ranking(&doc.snapshot())[0].total, 0.0);
}

#[test]
fn strategic_alignment_derives_from_objective_weights() {
    let mut doc = with_defaults();
    let growth = Objective {
        id: "o1".into(),
        name: "Growth".into(),
        weight: 3.0,
        ..Objective::default()
    };
    let cost = Objective {
        id: "o2".into(),
        name: "Cost".into(),
        weight: 1.0,
        ..Objective::default()
    };
    run(
        &mut doc,
        Command::new("Objectives", vec![growth.create_op(), cost.create_op()]),
        "Ada",
    );
    add_proposal(&mut doc, "a", "Alpha", 1.0);
    edit_project(&mut doc, "a", "Ada", |p| {
        p.objectives.insert("o1".into(), 3);
        p.objectives.insert("o2".into(), 1);
    });
    let snap = doc.snapshot();
    // (3×3/3 + 1×1/3) / 4 = 0.8333 → 1 + 0.8333×4 = 4.333 on 1–5.
    let r = &ranking(&snap)[0];
    let strategic = &r.breakdown[0];
    assert!(strategic.derived);
    assert!((strategic.value.unwrap() - 13.0 / 3.0).abs() < 1e-9);
    assert!((strategic.points - 30.0 * 5.0 / 6.0).abs() < 1e-9);
    // Manual ratings of a derived criterion are ignored while it derives.
    let cmd = scoring::rate(
        &snap.projects["a"],
        &snap.criteria["crit-strategic"],
        ADA,
        "Ada",
        Some(1.0),
    )
    .unwrap();
    run(&mut doc, cmd, "Ada");
    assert!((ranking(&doc.snapshot())[0].breakdown[0].value.unwrap() - 13.0 / 3.0).abs() < 1e-9);
}

#[test]
fn ranking_orders_by_total_and_leaves_out_non_proposals() {
    let mut doc = with_defaults();
    add_proposal(&mut doc, "a", "Alpha", 1.0);
    add_proposal(&mut doc, "b", "Beta", 1.0);
    add_proposal(&mut doc, "c", "Gamma", 1.0);
    rate_all(&mut doc, "a", ADA, "Ada", [2.0, 2.0, 4.0, 2.0, 2.0]);
    rate_all(&mut doc, "b", ADA, "Ada", [5.0, 5.0, 1.0, 5.0, 5.0]);
    rate_all(&mut doc, "c", ADA, "Ada", [3.0, 3.0, 3.0, 3.0, 3.0]);
    let names: Vec<_> = ranking(&doc.snapshot())
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(names, ["Beta", "Gamma", "Alpha"]);
    edit_project(&mut doc, "b", "Ada", |p| p.status = ProjectStatus::Active);
    let names: Vec<_> = ranking(&doc.snapshot())
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(names, ["Gamma", "Alpha"]);
}

#[test]
fn default_criteria_created_concurrently_do_not_duplicate() {
    // An older portfolio without criteria, opened by two people offline:
    // both apps create the defaults lazily.
    let mut ada = new_portfolio();
    let mut ben = copy_for(&mut ada, BEN);
    let cmd = ensure_default_criteria(&ada.snapshot()).unwrap();
    run(&mut ada, cmd, "Ada");
    let cmd = ensure_default_criteria(&ben.snapshot()).unwrap();
    run(&mut ben, cmd, "Ben");
    exchange(&mut ada, &mut ben);
    let snap = ada.snapshot();
    assert_eq!(snap.criteria.len(), 5, "deterministic ids: one set");
    assert!(snap.problems.is_empty());
    assert!(ensure_default_criteria(&snap).is_none(), "never again");
    // Deleting a default does not bring it back.
    let gone = snap.criteria["crit-urgency"].clone();
    run(
        &mut ada,
        Command::new("Delete", vec![gone.delete_op()]),
        "Ada",
    );
    assert!(ensure_default_criteria(&ada.snapshot()).is_none());
    assert_eq!(ada.snapshot().criteria.len(), 4);
}

// ---------------------------------------------------------------- selection

#[test]
fn selection_runs_on_the_ranked_proposals_and_scenarios_keep_their_result() {
    let mut doc = with_defaults();
    add_proposal(&mut doc, "a", "Alpha", 60_000.0);
    add_proposal(&mut doc, "b", "Beta", 50_000.0);
    add_proposal(&mut doc, "c", "Gamma", 50_000.0);
    rate_all(&mut doc, "a", ADA, "Ada", [5.0, 5.0, 1.0, 5.0, 5.0]);
    rate_all(&mut doc, "b", ADA, "Ada", [4.0, 4.0, 2.0, 4.0, 4.0]);
    rate_all(&mut doc, "c", ADA, "Ada", [4.0, 4.0, 2.0, 4.0, 4.0]);
    let snap = doc.snapshot();
    let cands = candidates(&snap);
    let limits = Constraints {
        budget: 100_000.0,
        ..Constraints::default()
    };
    let s = optimise(&cands, &limits).unwrap();
    // Alpha ranks first, but Beta + Gamma score more within 100k.
    assert_eq!(s.chosen, ["b", "c"]);

    let mut scenario = Scenario::from_constraints(&limits);
    scenario.id = "s1".into();
    scenario.name = "Tight".into();
    scenario.record(&s);
    run(
        &mut doc,
        Command::new("Save scenario", vec![scenario.create_op()]),
        "Ada",
    );
    let saved = &doc.snapshot().scenarios["s1"];
    assert_eq!(saved, &scenario);
    assert_eq!(saved.constraints(), limits);
    assert!(Scenario::default().validate().is_err());
}

// ---------------------------------------------------------------- gates

fn decide(
    doc: &mut PortfolioDoc,
    project: &str,
    decision: GateDecision,
    date: &str,
) -> Result<(), GateError> {
    let version = doc.version().to_strings();
    let cmd = lifecycle::record_decision(
        &doc.snapshot(),
        project,
        DecisionInput {
            decision,
            deciders: vec!["Board".into()],
            date: d(date),
            conditions: String::new(),
            version,
            recorded_by: "Ada".into(),
            recorded_at: T0,
        },
    )?;
    run(doc, cmd, "Ada");
    Ok(())
}

#[test]
fn a_go_at_the_investment_gate_makes_the_proposal_an_active_project() {
    let mut doc = with_defaults();
    add_proposal(&mut doc, "crm", "CRM", 120_000.0);
    let before = doc.version();
    let history_before = doc.history().len();
    decide(&mut doc, "crm", GateDecision::Go, "2026-02-01").unwrap();
    assert_eq!(doc.history().len(), history_before + 1, "one change");
    let snap = doc.snapshot();
    let p = &snap.projects["crm"];
    assert_eq!(p.status, ProjectStatus::Active);
    assert_eq!(p.stage, "planning");
    assert_eq!(p.stage_entered, Some(d("2026-02-01")));
    assert_eq!(p.budget, 120_000.0, "budget defaults to the estimate");
    let review = snap.gate_reviews.values().next().unwrap();
    assert_eq!(review.gate_name, "Investment decision");
    assert_eq!(review.version, before.to_strings());
    assert!(
        review
            .open_items
            .contains(&"Funding source confirmed".to_string()),
        "open checklist items are kept with the decision"
    );
    // The approved version can be read back.
    let at = doc.snapshot_at(&pmo_desk::doc::Version::parse(&review.version).unwrap());
    assert_eq!(at.projects["crm"].status, ProjectStatus::Proposed);
    // It left the ranking.
    assert!(ranking(&snap).is_empty());
}

#[test]
fn hold_recycle_and_stop() {
    let mut doc = with_defaults();
    add_proposal(&mut doc, "a", "Alpha", 1.0);
    decide(&mut doc, "a", GateDecision::Hold, "2026-02-01").unwrap();
    decide(&mut doc, "a", GateDecision::Recycle, "2026-02-02").unwrap();
    let p = &doc.snapshot().projects["a"];
    assert_eq!(
        (p.status, p.stage.as_str()),
        (ProjectStatus::Proposed, "business_case")
    );
    decide(&mut doc, "a", GateDecision::Go, "2026-02-03").unwrap();
    decide(&mut doc, "a", GateDecision::Hold, "2026-03-01").unwrap();
    assert_eq!(doc.snapshot().projects["a"].status, ProjectStatus::OnHold);
    decide(&mut doc, "a", GateDecision::Stop, "2026-03-02").unwrap();
    assert_eq!(
        doc.snapshot().projects["a"].status,
        ProjectStatus::Cancelled
    );
    assert_eq!(
        decide(&mut doc, "a", GateDecision::Go, "2026-03-03"),
        Err(GateError::Finished(ProjectStatus::Cancelled))
    );
    let reviews = lifecycle::reviews_for(&doc.snapshot(), "a")
        .into_iter()
        .map(|r| r.decision)
        .collect::<Vec<_>>();
    assert_eq!(
        reviews,
        [
            GateDecision::Hold,
            GateDecision::Recycle,
            GateDecision::Go,
            GateDecision::Hold,
            GateDecision::Stop
        ]
    );
}

#[test]
fn no_next_stage_without_a_go_unless_overridden_with_a_reason() {
    let mut doc = with_defaults();
    add_proposal(&mut doc, "a", "Alpha", 1.0);
    let snap = doc.snapshot();
    let p = &snap.projects["a"];
    assert_eq!(
        check_stage_change(&snap, p, "planning"),
        Err(GateError::NoGo {
            gate: "Investment decision".into()
        })
    );
    assert_eq!(
        check_stage_change(&snap, p, "execution"),
        Err(GateError::SkipsStages)
    );
    assert_eq!(check_stage_change(&snap, p, "idea"), Ok(()));
    // A hold is not a go.
    decide(&mut doc, "a", GateDecision::Hold, "2026-02-01").unwrap();
    let snap = doc.snapshot();
    assert!(check_stage_change(&snap, &snap.projects["a"], "planning").is_err());

    // Overrides need a real reason.
    let short = lifecycle::override_gate(&snap, "a", "urgent", "Ada", d("2026-02-02"), vec![], T0);
    assert_eq!(short.unwrap_err(), GateError::ReasonTooShort);
    let cmd = lifecycle::override_gate(
        &snap,
        "a",
        "CEO asked to start before the board meets",
        "Ada",
        d("2026-02-02"),
        doc.version().to_strings(),
        T0,
    )
    .unwrap();
    run(&mut doc, cmd, "Ada");
    let snap = doc.snapshot();
    let p = &snap.projects["a"];
    assert_eq!(
        (p.stage.as_str(), p.status),
        ("planning", ProjectStatus::Active)
    );
    let kept = lifecycle::overrides_for(&snap, "a");
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].reason, "CEO asked to start before the board meets");
    assert!(!lifecycle::stage_unexplained(&snap, p));
}

#[test]
fn editing_the_stage_in_the_register_follows_the_gates() {
    let mut doc = with_defaults();
    add_proposal(&mut doc, "a", "Alpha", 1.0);
    let snap = doc.snapshot();
    let old = snap.projects["a"].clone();
    let forward = Project {
        stage: "planning".into(),
        ..old.clone()
    };
    assert_eq!(
        lifecycle::check_project_edit(&snap, &old, &forward),
        Err(GateError::NoGo {
            gate: "Investment decision".into()
        })
    );
    // Back, unchanged, cleared, or any other field: no gate involved.
    let back = Project {
        stage: "idea".into(),
        ..old.clone()
    };
    assert_eq!(lifecycle::check_project_edit(&snap, &old, &back), Ok(()));
    let renamed = Project {
        name: "Alpha 2".into(),
        ..old.clone()
    };
    assert_eq!(lifecycle::check_project_edit(&snap, &old, &renamed), Ok(()));
    decide(&mut doc, "a", GateDecision::Go, "2026-02-01").unwrap();
    let snap = doc.snapshot();
    let now = snap.projects["a"].clone();
    assert_eq!(now.stage, "planning", "a go moves the project on");
    let back_again = Project {
        stage: "business_case".into(),
        ..now.clone()
    };
    assert_eq!(
        lifecycle::check_project_edit(&snap, &now, &back_again),
        Ok(())
    );
}

#[test]
fn a_proposal_becomes_active_only_through_its_investment_gate() {
    let mut doc = with_defaults();
    add_proposal(&mut doc, "a", "Alpha", 1.0);
    let snap = doc.snapshot();
    let old = snap.projects["a"].clone();
    let active = Project {
        status: ProjectStatus::Active,
        ..old.clone()
    };
    assert_eq!(
        lifecycle::check_project_edit(&snap, &old, &active),
        Err(GateError::NoGo {
            gate: "Investment decision".into()
        })
    );
    // Cancelling a proposal needs no gate.
    let cancelled = Project {
        status: ProjectStatus::Cancelled,
        ..old.clone()
    };
    assert_eq!(
        lifecycle::check_project_edit(&snap, &old, &cancelled),
        Ok(())
    );
    // A project registered as it is (no business case, no gates) may be
    // set active directly.
    let plain = Project::named("p", "Existing work");
    let plain_active = Project {
        status: ProjectStatus::Active,
        ..plain.clone()
    };
    assert_eq!(
        lifecycle::check_project_edit(&snap, &plain, &plain_active),
        Ok(())
    );
    // After a go at the gate, it may.
    decide(&mut doc, "a", GateDecision::Go, "2026-02-01").unwrap();
    let snap = doc.snapshot();
    let now = snap.projects["a"].clone();
    assert_eq!(now.status, ProjectStatus::Active, "the go activated it");
    let paused = Project {
        status: ProjectStatus::OnHold,
        ..now.clone()
    };
    assert_eq!(lifecycle::check_project_edit(&snap, &now, &paused), Ok(()));
}

#[test]
fn sample_projects_sit_in_stages_their_lifecycle_knows() {
    use pmo_desk::domain::sample;
    let records = sample::sample(d("2026-06-01"));
    let generated = sample::generated(200, d("2026-06-01"));
    for p in records.projects.iter().chain(generated.projects.iter()) {
        let life = lifecycle::lifecycle_for(p.methodology);
        assert!(
            life.stage(&p.stage).is_some(),
            "{} ({:?}) is in unknown stage {:?}",
            p.code,
            p.methodology,
            p.stage
        );
    }
}

#[test]
fn a_stage_edited_around_the_gate_is_flagged() {
    let mut doc = with_defaults();
    add_proposal(&mut doc, "a", "Alpha", 1.0);
    decide(&mut doc, "a", GateDecision::Go, "2026-02-01").unwrap();
    edit_project(&mut doc, "a", "Ben", |p| p.stage = "execution".into());
    let snap = doc.snapshot();
    assert!(lifecycle::stage_unexplained(&snap, &snap.projects["a"]));
    let items = attention(&snap, d("2026-02-02"));
    assert!(items
        .iter()
        .any(|i| matches!(&i.item, Attention::StageWithoutGo { stage } if stage == "Execution")));
}

#[test]
fn the_last_gate_closes_the_project_and_stages_follow_the_methodology() {
    let mut doc = with_defaults();
    add_proposal(&mut doc, "a", "Alpha", 1.0);
    edit_project(&mut doc, "a", "Ada", |p| {
        p.methodology = pmo_desk::domain::Methodology::Agile
    });
    let stages: Vec<&str> = ["2026-02-01", "2026-03-01", "2026-09-01", "2026-10-01"]
        .into_iter()
        .map(|date| {
            decide(&mut doc, "a", GateDecision::Go, date).unwrap();
            current_stage(&doc.snapshot().projects["a"]).key
        })
        .collect();
    assert_eq!(stages, ["inception", "delivery", "closure", "closure"]);
    let p = &doc.snapshot().projects["a"];
    assert_eq!(p.status, ProjectStatus::Closed);
    assert_eq!(p.actual_end, Some(d("2026-10-01")));
    assert!(next_gate(p).is_none());
}

#[test]
fn checklists_combine_project_data_and_ticked_items() {
    let mut doc = with_defaults();
    add_proposal(&mut doc, "a", "Alpha", 1.0);
    let snap = doc.snapshot();
    let p = &snap.projects["a"];
    let gate = next_gate(p).unwrap();
    let open = |snap: &Portfolio| {
        let p = &snap.projects["a"];
        lifecycle::checklist(snap, p, next_gate(p).unwrap())
            .into_iter()
            .filter(|i| !i.done)
            .map(|i| i.item.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        open(&snap),
        [
            "problem",
            "benefits",
            "duration",
            "risks",
            "sponsor",
            "alignment",
            "scored",
            "funding"
        ]
    );
    edit_project(&mut doc, "a", "Ada", |p| {
        p.sponsor = "Cyd".into();
        p.business_case.duration_months = Some(6.0);
    });
    let funding = gate.items.iter().find(|i| i.id == "funding").unwrap();
    run(&mut doc, lifecycle::tick(p, gate, funding, true), "Ada");
    assert_eq!(
        open(&doc.snapshot()),
        ["problem", "benefits", "risks", "alignment", "scored"]
    );
}

#[test]
fn attention_lists_overdue_gates_missing_items_and_waiting_proposals() {
    let mut doc = with_defaults();
    add_proposal(&mut doc, "wait", "Waiting", 1.0);
    add_proposal(&mut doc, "run", "Running", 1.0);
    decide(&mut doc, "run", GateDecision::Go, "2026-01-15").unwrap();
    let snap = doc.snapshot();
    let gate = next_gate(&snap.projects["run"]).unwrap();
    run(
        &mut doc,
        lifecycle::plan_gate(&snap.projects["run"], gate, Some(d("2026-03-01"))),
        "Ada",
    );

    let today = d("2026-03-11");
    let items = attention(&doc.snapshot(), today);
    let overdue: Vec<_> = items
        .iter()
        .filter(|i| matches!(i.item, Attention::GateOverdue { .. }))
        .collect();
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0].project_name, "Running");
    assert!(matches!(
        overdue[0].item,
        Attention::GateOverdue { days_over: 10, .. }
    ));
    assert_eq!(
        overdue[0].item.describe(today),
        "Gate \u{201c}Plan approval\u{201d} was planned for 2026-03-01: 10 days overdue."
    );
    let waiting: Vec<_> = items
        .iter()
        .filter(|i| matches!(i.item, Attention::AwaitingDecision { .. }))
        .collect();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].project_name, "Waiting");
    assert_eq!(
        waiting[0].item.describe(today),
        "Waiting 60 days for a decision at gate \u{201c}Investment decision\u{201d}."
    );
    assert!(items.iter().any(|i| i.project_name == "Running"
        && matches!(&i.item, Attention::MissingForGate { missing, .. } if missing.contains(&"Project manager named".to_string()))));

    // Without a planned date, time in stage against the limit (90 days).
    let snap = doc.snapshot();
    run(
        &mut doc,
        lifecycle::plan_gate(&snap.projects["run"], gate, None),
        "Ada",
    );
    let later = d("2026-01-15").add_days(91);
    let items = attention(&doc.snapshot(), later);
    assert!(items.iter().any(|i| i.project_name == "Running"
        && matches!(
            i.item,
            Attention::GateOverdue {
                planned: None,
                days_over: 1,
                ..
            }
        )));
    assert!(!attention(&doc.snapshot(), later.add_days(-1))
        .iter()
        .any(|i| i.project_name == "Running" && matches!(i.item, Attention::GateOverdue { .. })));
}

// ---------------------------------------------------------------- changes

fn change(project: &str, days: i32, cost: f64) -> ChangeRequest {
    ChangeRequest {
        id: pmo_desk::domain::new_id(),
        project_id: project.into(),
        title: "Add the mobile app".into(),
        description: "Customers want an app.".into(),
        reason: "Market".into(),
        scope_impact: "Adds a mobile client".into(),
        schedule_impact_days: days,
        cost_impact: cost,
        requester: "Cyd".into(),
        submitted_on: Some(d("2026-04-01")),
        ..ChangeRequest::default()
    }
}

#[test]
fn approving_a_change_moves_end_and_budget_in_one_change() {
    let mut doc = with_defaults();
    add_project(&mut doc, "p", "Portal", "Ada");
    edit_project(&mut doc, "p", "Ada", |p| {
        p.budget = 100_000.0;
        p.planned_end = Some(d("2026-06-30"));
    });
    let cr = change("p", 30, 20_000.0);
    let cmd = change_request::submit(&doc.snapshot(), cr.clone()).unwrap();
    run(&mut doc, cmd, "Cyd");
    assert!(attention(&doc.snapshot(), d("2026-04-02"))
        .iter()
        .any(|i| matches!(&i.item, Attention::ChangeWaiting { title, .. } if title == "Add the mobile app")));

    let changes_before = doc.history().len();
    let cmd =
        change_request::approve(&doc.snapshot(), &cr.id, "Board", d("2026-04-10"), "ok").unwrap();
    run(&mut doc, cmd, "Ada");
    assert_eq!(doc.history().len(), changes_before + 1);
    let snap = doc.snapshot();
    let p = &snap.projects["p"];
    assert_eq!(p.budget, 120_000.0);
    assert_eq!(p.planned_end, Some(d("2026-07-30")));
    let history = change_request::approved_history(&snap, "p");
    assert_eq!(history.len(), 1);
    let applied = history[0].applied.as_ref().unwrap();
    assert_eq!(
        (applied.budget_before, applied.budget_after),
        (100_000.0, 120_000.0)
    );
    assert_eq!(applied.end_before, Some(d("2026-06-30")));
    assert_eq!(history[0].decided_by, "Board");

    // Decided requests cannot be decided again; approved ones can be
    // marked implemented.
    assert!(matches!(
        change_request::reject(&snap, &cr.id, "Board", d("2026-04-11"), ""),
        Err(ChangeError::WrongStatus { .. })
    ));
    let cmd = change_request::mark_implemented(&snap, &cr.id, d("2026-05-01")).unwrap();
    run(&mut doc, cmd, "Ada");
    let snap = doc.snapshot();
    assert_eq!(
        snap.change_requests[&cr.id].status,
        ChangeStatus::Implemented
    );
    assert_eq!(change_request::approved_history(&snap, "p").len(), 1);
}

#[test]
fn bad_change_requests_are_refused_and_change_nothing() {
    let mut doc = with_defaults();
    add_project(&mut doc, "p", "Portal", "Ada");
    let snap = doc.snapshot();
    let mut cr = change("p", 10, 5.0);
    cr.title = " ".into();
    assert_eq!(
        change_request::submit(&snap, cr.clone()),
        Err(ChangeError::MissingTitle)
    );
    cr.title = "Later".into();
    cr.project_id = "nope".into();
    assert_eq!(
        change_request::submit(&snap, cr.clone()),
        Err(ChangeError::ProjectNotFound)
    );
    cr.project_id = "p".into();
    let cmd = change_request::submit(&snap, cr.clone()).unwrap();
    run(&mut doc, cmd, "Ada");
    // A schedule change on a project without a planned end cannot apply.
    let snap = doc.snapshot();
    assert_eq!(
        change_request::approve(&snap, &cr.id, "Board", d("2026-04-10"), ""),
        Err(ChangeError::NoPlannedEnd)
    );
    assert_eq!(
        change_request::approve(&snap, &cr.id, " ", d("2026-04-10"), ""),
        Err(ChangeError::MissingDecider)
    );
    let cmd = change_request::reject(&snap, &cr.id, "Board", d("2026-04-10"), "no").unwrap();
    run(&mut doc, cmd, "Ada");
    let snap = doc.snapshot();
    assert_eq!(snap.change_requests[&cr.id].status, ChangeStatus::Rejected);
    assert_eq!(snap.projects["p"].budget, 0.0);
    assert!(change_request::approved_history(&snap, "p").is_empty());
}

#[test]
fn what_changed_since_the_approved_version_is_listed_field_by_field() {
    let mut doc = with_defaults();
    add_proposal(&mut doc, "crm", "CRM", 120_000.0);
    decide(&mut doc, "crm", GateDecision::Go, "2026-02-01").unwrap();
    let approved = doc.snapshot().gate_reviews.values().next().unwrap().clone();
    // The decision was made on the version before it: the proposal then.
    let then = doc.snapshot_at(&pmo_desk::doc::Version::parse(&approved.version).unwrap());
    let then = then.projects["crm"].clone();
    edit_project(&mut doc, "crm", "Ben", |p| {
        p.planned_end = Some(d("2026-12-31"));
        p.business_case.key_risks = "Vendor lock-in".into();
    });
    let now = doc.snapshot().projects["crm"].clone();
    let changes = pmo_desk::domain::governance::project_changes(&then, &now, "EUR");
    let fields: Vec<_> = changes.iter().map(|c| c.field).collect();
    assert_eq!(
        fields,
        [
            "Status",
            "Stage",
            "Budget",
            "Planned start",
            "Planned end",
            "Key risks"
        ]
    );
    let budget = &changes[2];
    assert_eq!(
        (budget.before.as_str(), budget.after.as_str()),
        ("0 EUR", "120,000 EUR")
    );
    assert_eq!(changes[1].after, "Planning");
    assert!(pmo_desk::domain::governance::project_changes(&now, &now, "EUR").is_empty());
}

// ---------------------------------------------------------------- merging

#[test]
fn benefits_added_offline_by_two_people_merge_and_each_can_be_removed() {
    // Neither copy has a benefits map yet: both create one concurrently.
    let mut ada = with_defaults();
    add_proposal(&mut ada, "crm", "CRM", 1.0);
    let mut ben = copy_for(&mut ada, BEN);
    let add = |doc: &mut PortfolioDoc, id: &str, text: &str, who: &str| {
        edit_project(doc, "crm", who, |p| {
            p.business_case.benefits.insert(
                id.into(),
                Benefit {
                    description: text.into(),
                    value: Some(10.0),
                    order: 0,
                },
            );
        })
    };
    add(&mut ada, "b-ada", "Faster quotes", "Ada");
    add(&mut ben, "b-ben", "Fewer errors", "Ben");
    exchange(&mut ada, &mut ben);
    let benefits = |doc: &PortfolioDoc| {
        doc.snapshot().projects["crm"]
            .business_case
            .benefits
            .keys()
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(benefits(&ada), ["b-ada", "b-ben"]);
    assert_eq!(benefits(&ben), benefits(&ada));
    // Each benefit lives in a different copy of the map; one of them lost
    // the conflict. Removing either must work.
    edit_project(&mut ada, "crm", "Ada", |p| {
        p.business_case.benefits.remove("b-ben");
    });
    assert_eq!(benefits(&ada), ["b-ada"]);
    edit_project(&mut ben, "crm", "Ben", |p| {
        p.business_case.benefits.remove("b-ada");
    });
    assert_eq!(benefits(&ben), ["b-ben"]);
    exchange(&mut ada, &mut ben);
    assert!(benefits(&ada).is_empty());
    assert!(benefits(&ben).is_empty());
}

#[test]
fn a_first_rating_given_concurrently_can_be_cleared() {
    let mut ada = with_defaults();
    add_proposal(&mut ada, "crm", "CRM", 1.0);
    let mut ben = copy_for(&mut ada, BEN);
    // Both give the project its first ratings offline: two `scores` maps.
    rate_all(&mut ada, "crm", ADA, "Ada", [3.0, 3.0, 3.0, 3.0, 3.0]);
    rate_all(&mut ben, "crm", BEN, "Ben", [4.0, 4.0, 4.0, 4.0, 4.0]);
    exchange(&mut ada, &mut ben);
    assert_eq!(ada.snapshot().projects["crm"].scores.len(), 2);
    // Each clears their own risk rating: gone, whichever copy held it.
    for (doc, me, name) in [(&mut ada, ADA, "Ada"), (&mut ben, BEN, "Ben")] {
        let snap = doc.snapshot();
        let cmd = scoring::rate(
            &snap.projects["crm"],
            &snap.criteria["crit-risk"],
            me,
            name,
            None,
        )
        .unwrap();
        doc.apply(&cmd, name, T0).unwrap();
    }
    exchange(&mut ada, &mut ben);
    let scores = &ada.snapshot().projects["crm"].scores;
    assert!(scores
        .values()
        .all(|s| !s.ratings.contains_key("crit-risk")));
    assert_eq!(scores[ADA].ratings.len(), 4);
    assert_eq!(scores[BEN].ratings.len(), 4);
    assert_eq!(ada.snapshot().projects, ben.snapshot().projects);
}

#[test]
fn a_plain_project_stores_none_of_the_governance_maps() {
    let fields = Project::named("p", "Plain").to_fields();
    for key in ["business_case", "scores", "gate_checklists", "gate_dates"] {
        assert!(!fields.contains_key(key), "{key}");
    }
}
