//! The register view: filters, search, sort, grouping, URL round trip,
//! CSV export, dashboard KPIs, roadmap layout and the sample portfolio.

use pmo_desk::domain::csv::{quote, register_csv, to_csv, Cell};
use pmo_desk::domain::kpi::{active_query, kpis};
use pmo_desk::domain::register::{rows, GroupBy, HealthFilter, Query, Row, SortKey, NONE_KEY};
use pmo_desk::domain::validation::validate_project;
use pmo_desk::domain::{
    roadmap, sample, Date, Dimension, Entity, Objective, Portfolio, Program, Project,
    ProjectStatus, Rag,
};

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn today() -> Date {
    d("2026-05-15")
}

fn portfolio_of(records: sample::Records) -> Portfolio {
    let mut p = Portfolio {
        name: "Test".into(),
        ..Portfolio::default()
    };
    for o in records.objectives {
        p.objectives.insert(o.id.clone(), o);
    }
    for o in records.programs {
        p.programs.insert(o.id.clone(), o);
    }
    for o in records.projects {
        p.projects.insert(o.id.clone(), o);
    }
    p
}

/// Three projects in two programs, one without.
fn small() -> Portfolio {
    let obj = |id: &str, name: &str| Objective {
        id: id.into(),
        name: name.into(),
        weight: 1.0,
        ..Objective::default()
    };
    let prog = |id: &str, name: &str| Program {
        id: id.into(),
        name: name.into(),
        ..Program::default()
    };
    let mut web = Project {
        code: "W-1".into(),
        manager: "Ada".into(),
        stage: "execution".into(),
        status: ProjectStatus::Active,
        program_id: Some("dig".into()),
        planned_start: Some(d("2026-01-01")),
        planned_end: Some(d("2026-12-31")),
        budget: 100.0,
        forecast_at_completion: Some(130.0), // red
        percent_complete: 40.0,
        tags: vec!["cloud".into()],
        ..Project::named("p1", "Website relaunch")
    };
    web.objectives.insert("grow".into(), 3);
    web.objectives.insert("cost".into(), 1);
    let mut erp = Project {
        code: "E-1".into(),
        manager: "Ben".into(),
        stage: "planning".into(),
        status: ProjectStatus::Active,
        program_id: Some("ops".into()),
        planned_start: Some(d("2026-03-01")),
        planned_end: Some(d("2026-09-30")),
        budget: 500.0,
        forecast_at_completion: Some(500.0), // green
        percent_complete: 30.0,
        ..Project::named("p2", "ERP upgrade")
    };
    erp.objectives.insert("cost".into(), 2);
    let idea = Project {
        code: "X-9".into(),
        manager: "Ada".into(),
        status: ProjectStatus::Proposed,
        budget: 50.0,
        ..Project::named("p3", "AI pilot, phase \"one\"")
    };
    portfolio_of(sample::Records {
        objectives: vec![obj("grow", "Grow revenue"), obj("cost", "Cut cost")],
        programs: vec![prog("dig", "Digital"), prog("ops", "Operations")],
        projects: vec![web, erp, idea],
    })
}

fn names(rows: &[Row], idx: &[usize]) -> Vec<String> {
    idx.iter().map(|&i| rows[i].name.clone()).collect()
}

#[test]
fn rows_carry_names_health_and_variance() {
    let p = small();
    let rows = rows(&p, today());
    let web = rows.iter().find(|r| r.id == "p1").unwrap();
    assert_eq!(web.program, "Digital");
    assert_eq!(
        web.objectives,
        vec![
            ("cost".to_string(), "Cut cost".to_string()),
            ("grow".to_string(), "Grow revenue".to_string())
        ]
    );
    assert_eq!(web.health.overall, Rag::Red);
    assert_eq!(web.variance, 30.0);
    let idea = rows.iter().find(|r| r.id == "p3").unwrap();
    assert_eq!(idea.forecast, 50.0, "no forecast → the budget");
}

#[test]
fn free_text_search_matches_every_word_anywhere() {
    let p = small();
    let rows = rows(&p, today());
    let q = |s: &str| Query {
        search: s.into(),
        ..Query::default()
    };
    assert_eq!(names(&rows, &q("web").select(&rows)), ["Website relaunch"]);
    assert_eq!(names(&rows, &q("e-1").select(&rows)), ["ERP upgrade"]);
    assert_eq!(
        names(&rows, &q("operations").select(&rows)),
        ["ERP upgrade"]
    );
    assert_eq!(
        names(&rows, &q("CLOUD").select(&rows)),
        ["Website relaunch"]
    );
    assert_eq!(
        names(&rows, &q("ada grow").select(&rows)),
        ["Website relaunch"]
    );
    assert!(q("ada nothing").select(&rows).is_empty());
    assert_eq!(q("  ").select(&rows).len(), 3);
}

#[test]
fn each_filter_narrows_the_rows() {
    let p = small();
    let rows = rows(&p, today());
    let check = |q: Query, expected: &[&str]| {
        assert_eq!(names(&rows, &q.select(&rows)), expected, "{q:?}");
    };
    check(
        Query {
            program: Some("ops".into()),
            ..Query::default()
        },
        &["ERP upgrade"],
    );
    check(
        Query {
            program: Some(NONE_KEY.into()),
            ..Query::default()
        },
        &["AI pilot, phase \"one\""],
    );
    check(
        Query {
            objective: Some("cost".into()),
            ..Query::default()
        },
        &["ERP upgrade", "Website relaunch"],
    );
    check(
        Query {
            stage: Some("planning".into()),
            ..Query::default()
        },
        &["ERP upgrade"],
    );
    check(
        Query {
            status: Some(ProjectStatus::Proposed),
            ..Query::default()
        },
        &["AI pilot, phase \"one\""],
    );
    check(
        Query {
            manager: Some("Ada".into()),
            ..Query::default()
        },
        &["AI pilot, phase \"one\"", "Website relaunch"],
    );
    check(
        Query {
            health: Some(HealthFilter::Is(Rag::Red)),
            ..Query::default()
        },
        &["Website relaunch"],
    );
    check(
        Query {
            health: Some(HealthFilter::NeedsAttention),
            manager: Some("Ben".into()),
            ..Query::default()
        },
        &[],
    );
}

#[test]
fn sorting_by_columns_both_ways_with_empty_values_last() {
    let p = small();
    let rows = rows(&p, today());
    let sorted = |sort, descending| {
        names(
            &rows,
            &Query {
                sort,
                descending,
                ..Query::default()
            }
            .select(&rows),
        )
    };
    assert_eq!(
        sorted(SortKey::Name, false),
        ["AI pilot, phase \"one\"", "ERP upgrade", "Website relaunch"]
    );
    assert_eq!(
        sorted(SortKey::Budget, true),
        ["ERP upgrade", "Website relaunch", "AI pilot, phase \"one\""]
    );
    assert_eq!(
        sorted(SortKey::Code, false),
        ["ERP upgrade", "Website relaunch", "AI pilot, phase \"one\""]
    );
    assert_eq!(
        sorted(SortKey::Health, true)[0],
        "Website relaunch",
        "red first"
    );
    // The undated project sorts after dated ones.
    assert_eq!(
        sorted(SortKey::PlannedStart, false),
        ["Website relaunch", "ERP upgrade", "AI pilot, phase \"one\""]
    );
    assert_eq!(
        sorted(SortKey::Program, false),
        ["Website relaunch", "ERP upgrade", "AI pilot, phase \"one\""]
    );
}

#[test]
fn grouping_by_program_objective_and_stage() {
    let p = small();
    let rows = rows(&p, today());
    let groups = |by| {
        Query {
            group: Some(by),
            ..Query::default()
        }
        .groups(&rows)
        .into_iter()
        .map(|g| (g.label, names(&rows, &g.rows)))
        .collect::<Vec<_>>()
    };
    assert_eq!(
        groups(GroupBy::Program),
        vec![
            ("Digital".to_string(), vec!["Website relaunch".to_string()]),
            ("Operations".to_string(), vec!["ERP upgrade".to_string()]),
            (
                "No program".to_string(),
                vec!["AI pilot, phase \"one\"".to_string()]
            ),
        ]
    );
    // A project serving two objectives is listed under both.
    let by_objective = groups(GroupBy::Objective);
    assert_eq!(by_objective[0].0, "Cut cost");
    assert_eq!(by_objective[0].1, ["ERP upgrade", "Website relaunch"]);
    assert_eq!(by_objective[1].0, "Grow revenue");
    assert_eq!(by_objective[2].0, "No objective");
    // Stages follow the lifecycle, not the alphabet.
    let by_stage: Vec<String> = groups(GroupBy::Stage).into_iter().map(|g| g.0).collect();
    assert_eq!(by_stage, ["Planning", "Execution", "No stage"]);
    // Not grouping: one unnamed group holding everything.
    let all = Query::default().groups(&rows);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].rows.len(), 3);
}

#[test]
fn queries_round_trip_through_the_url() {
    let q = Query {
        search: "web & co/ä".into(),
        program: Some("dig".into()),
        objective: Some(NONE_KEY.into()),
        stage: Some("planning".into()),
        status: Some(ProjectStatus::OnHold),
        manager: Some("Ada Lovelace".into()),
        health: Some(HealthFilter::NeedsAttention),
        sort: SortKey::Variance,
        descending: true,
        group: Some(GroupBy::Stage),
    };
    let s = q.to_query_string();
    assert!(
        !s.contains(' ') && !s.contains('/') && !s.contains("&co"),
        "{s}"
    );
    assert_eq!(Query::from_query_string(&s), q);
    assert_eq!(Query::default().to_query_string(), "");
    assert_eq!(
        Query::from_query_string("health=red&status=active&bogus=1&sort=nope"),
        Query {
            health: Some(HealthFilter::Is(Rag::Red)),
            status: Some(ProjectStatus::Active),
            ..Query::default()
        }
    );
    // Broken escapes do not panic.
    assert_eq!(Query::from_query_string("q=%E2%8&x=%").search, "\u{fffd}%8");
    assert_eq!(active_query(None).to_query_string(), "status=active");
}

#[test]
fn csv_quotes_fields_and_defuses_formulas() {
    assert_eq!(quote("a\"b,c"), "\"a\"\"b,c\"");
    let csv = to_csv(
        &["Name", "Note"],
        &[
            vec![Cell::from("x,y"), Cell::from("line\nbreak")],
            vec![Cell::from("=HYPERLINK(\"evil\")"), Cell::Number(-5.5)],
            vec![Cell::Empty, Cell::from("@SUM(A1)")],
        ],
    );
    assert_eq!(
        csv,
        "Name,Note\r\n\"x,y\",\"line\nbreak\"\r\n\"'=HYPERLINK(\"\"evil\"\")\",-5.5\r\n,'@SUM(A1)\r\n"
    );
}

#[test]
fn register_csv_exports_the_rows_in_view_order() {
    let p = small();
    let rows = rows(&p, today());
    let q = Query {
        sort: SortKey::Budget,
        descending: true,
        ..Query::default()
    };
    let ordered: Vec<&Row> = q.select(&rows).into_iter().map(|i| &rows[i]).collect();
    let csv = register_csv(ordered, &p.settings);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(lines.len(), 5, "header, 3 rows, trailing empty");
    assert!(lines[0].starts_with("Code,Name,Program,Objectives,Manager"));
    assert!(lines[0].contains("Budget (EUR),Actual cost (EUR)"));
    assert!(lines[0].ends_with("Overall health,Health explanation"));
    assert!(lines[1].starts_with("E-1,ERP upgrade,Operations,Cut cost,Ben,"));
    assert!(lines[2].starts_with("W-1,Website relaunch,Digital,Cut cost; Grow revenue,"));
    assert!(lines[2].contains(",100,0,130,30,40,cloud,"), "{}", lines[2]);
    assert!(lines[2].contains("Red,Budget: Forecast at completion EUR 130"));
    assert!(lines[3].starts_with("X-9,\"AI pilot, phase \"\"one\"\"\",,"));
}

#[test]
fn kpis_sum_active_projects_and_list_those_needing_attention() {
    let p = small();
    let rows = rows(&p, today());
    let k = kpis(&rows);
    assert_eq!(k.active, 2);
    assert_eq!(k.total_budget, 600.0);
    assert_eq!(k.total_forecast, 630.0);
    assert_eq!(k.variance, 30.0);
    assert_eq!(k.variance_pct, Some(5.0));
    assert_eq!(k.over_budget, 1);
    assert_eq!((k.rag.green, k.rag.red, k.rag.amber), (1, 1, 0));
    assert_eq!(k.on_track_pct, Some(50.0));
    assert_eq!(k.attention.len(), 1);
    assert_eq!(k.attention[0].name, "Website relaunch");
    assert!(k.attention[0].reason.starts_with("Budget: Forecast"));
    assert_eq!(
        k.by_status[..2],
        [(ProjectStatus::Proposed, 1), (ProjectStatus::Active, 2)]
    );
    // Each tile's link selects exactly the projects it counts.
    let red = active_query(Some(HealthFilter::Is(Rag::Red)));
    assert_eq!(red.select(&rows).len(), k.rag.red);
    let attention = active_query(Some(HealthFilter::NeedsAttention));
    assert_eq!(attention.select(&rows).len(), k.attention.len());
    assert_eq!(active_query(None).select(&rows).len(), k.active);
}

#[test]
fn kpis_of_an_empty_portfolio_have_no_shares() {
    let k = kpis::<Row>(&[]);
    assert_eq!(k.active, 0);
    assert_eq!(k.variance_pct, None);
    assert_eq!(k.on_track_pct, None);
}

#[test]
fn the_sample_is_realistic_valid_and_mixed() {
    let s = sample::sample(today());
    assert_eq!(s.programs.len(), 3);
    assert_eq!(s.objectives.len(), 5);
    assert!(
        (22..=28).contains(&s.projects.len()),
        "{}",
        s.projects.len()
    );
    let p = portfolio_of(s.clone());
    for project in p.projects.values() {
        assert_eq!(
            validate_project(project, p.projects.values()),
            vec![],
            "{}",
            project.name
        );
        assert!(project
            .objectives
            .keys()
            .all(|o| p.objectives.contains_key(o)));
        let program = project.program_id.as_ref().unwrap();
        assert!(p.programs.contains_key(program));
        // Dates sit around today.
        let start = project.planned_start.unwrap();
        assert!(today().days_until(start).abs() < 500, "{}", project.name);
    }
    let rows = rows(&p, today());
    let k = kpis(&rows);
    assert!(
        k.rag.red >= 2 && k.rag.amber >= 2 && k.rag.green >= 5,
        "{:?}",
        k.rag
    );
    assert!(k.active >= 12);
    for status in ProjectStatus::ALL {
        assert!(
            p.projects.values().any(|x| x.status == status),
            "{status:?}"
        );
    }
    // Some manager assessments, shown as such.
    assert!(rows
        .iter()
        .any(|r| r.health.get(Dimension::Scope).overridden.is_some()));
    // Every project records who sponsors and manages it.
    assert!(p
        .projects
        .values()
        .all(|x| !x.manager.is_empty() && !x.sponsor.is_empty() && !x.code.is_empty()));
    // The sample never depends on the day: same shape on another date.
    let later = kpis(&pmo_desk::domain::register::rows(
        &portfolio_of(sample::sample(d("2031-02-01"))),
        d("2031-02-01"),
    ));
    assert_eq!(later.rag, k.rag);
}

#[test]
fn sample_load_command_adds_only_what_is_missing_and_remove_cleans_up() {
    let s = sample::sample(today());
    let empty = Portfolio::default();
    let cmd = s.command(sample::LOAD_SUMMARY, &empty).unwrap();
    assert_eq!(cmd.summary, "Load sample portfolio");
    assert_eq!(
        cmd.ops.len(),
        s.projects.len() + s.programs.len() + s.objectives.len()
    );
    let mut full = portfolio_of(s.clone());
    assert!(s.command(sample::LOAD_SUMMARY, &full).is_none());

    // A user's own project that points at sample records is unlinked.
    let mut own = Project::named("mine", "My project");
    own.program_id = Some(s.programs[0].id.clone());
    own.objectives.insert(s.objectives[0].id.clone(), 2);
    full.projects.insert(own.id.clone(), own);
    let remove = sample::remove_command(&full).unwrap();
    let deletes = remove
        .ops
        .iter()
        .filter(|op| matches!(op, pmo_desk::domain::Op::Delete { .. }))
        .count();
    assert_eq!(
        deletes,
        s.projects.len() + s.programs.len() + s.objectives.len()
    );
    assert!(remove.ops.iter().any(|op| matches!(op,
        pmo_desk::domain::Op::Patch { id, .. } if id == "mine")));
}

#[test]
fn generated_portfolios_are_large_valid_and_deterministic() {
    let g = sample::generated(1000, today());
    assert_eq!(g.projects.len(), 1000);
    assert_eq!(g, sample::generated(1000, today()));
    let p = portfolio_of(g);
    let invalid = p
        .projects
        .values()
        .filter(|x| !validate_project(x, p.projects.values()).is_empty())
        .count();
    assert_eq!(invalid, 0);
    let k = kpis(&rows(&p, today()));
    assert!(
        k.rag.red > 20 && k.rag.amber > 20 && k.rag.green > 100,
        "{:?}",
        k.rag
    );
}

#[test]
fn roadmap_lays_out_lanes_bars_axis_and_today() {
    let p = portfolio_of(sample::sample(today()));
    let shown: Vec<&Project> = p
        .projects
        .values()
        .filter(|x| x.status != ProjectStatus::Cancelled)
        .collect();
    let layout = roadmap::layout(&p, &shown, today());
    let lanes: Vec<&str> = layout.lanes.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(
        lanes,
        [
            "Digital Customer Experience",
            "Operational Excellence",
            "Platform and Security"
        ]
    );
    assert_eq!(layout.bars().count(), shown.len());
    assert!(layout.start <= today() && today() <= layout.end);
    let today_x = layout.today_x.unwrap();
    assert!(today_x > roadmap::LABEL_WIDTH && today_x < layout.width);
    // Bars never overlap vertically and grow downwards in reading order.
    let ys: Vec<f64> = layout.bars().map(|b| b.y).collect();
    assert!(ys.windows(2).all(|w| w[1] > w[0]));
    // A late project's forecast bar is longer than its planned bar.
    let late = layout
        .bars()
        .find(|b| b.label.starts_with("DCX-102"))
        .unwrap();
    let (planned, forecast) = (
        late.planned.clone().unwrap(),
        late.forecast.clone().unwrap(),
    );
    assert!(forecast.x + forecast.width > planned.x + planned.width + 10.0);
    assert_eq!(late.rag, Rag::Red);
    assert!(late.description.contains("forecast end"));
    assert!(late.description.contains("health Red"));
    // Within a lane, bars are ordered by start.
    let lane = &layout.lanes[0];
    let starts: Vec<Date> = lane
        .bars
        .iter()
        .map(|b| b.planned.as_ref().unwrap().from)
        .collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]));
    assert!(layout.ticks.iter().any(|t| t.major));
}

#[test]
fn roadmap_lists_undated_projects_apart_and_names_fiscal_years() {
    let mut p = small();
    p.settings.fiscal_year_start_month = 4;
    let all: Vec<&Project> = p.projects.values().collect();
    let layout = roadmap::layout(&p, &all, today());
    assert_eq!(
        layout.unscheduled,
        vec![("p3".to_string(), "X-9 AI pilot, phase \"one\"".to_string())]
    );
    assert_eq!(layout.bars().count(), 2);
    assert_eq!(roadmap::fiscal_year_label(d("2026-03-31"), 4), "FY2025/26");
    assert_eq!(roadmap::fiscal_year_label(d("2026-04-01"), 4), "FY2026/27");
    assert_eq!(roadmap::fiscal_year_label(d("2026-04-01"), 1), "FY2026");
    let fy: Vec<&str> = layout
        .ticks
        .iter()
        .filter(|t| t.major)
        .map(|t| t.label.as_str())
        .collect();
    assert_eq!(fy, ["FY2026/27"]);
    // Entity labels are what history shows.
    assert_eq!(p.projects["p1"].label(), "W-1 Website relaunch");
}
