//! The optimiser against brute force: on thousands of small random
//! instances (up to 15 proposals; with and without forced choices, role
//! capacities and program caps) it must find a set with the same best
//! total score, and that set must honour every limit and forced choice.

use pmo_desk::domain::selection::{
    brute_force, frontier, optimise, Candidate, Constraints, LeftOutReason, SelectionError,
};
use std::collections::{BTreeMap, BTreeSet};

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

const ROLES: [&str; 2] = ["Developer", "Analyst"];
const PROGRAMS: [&str; 2] = ["p-digital", "p-ops"];

#[derive(Clone, Copy)]
struct Shape {
    forced: bool,
    roles: bool,
    programs: bool,
    /// Scores on a coarse grid and costs from a few values: many ties.
    coarse: bool,
}

fn instance(rng: &mut Rng, shape: Shape) -> (Vec<Candidate>, Constraints) {
    let n = 1 + rng.below(15) as usize;
    let mut items = Vec::with_capacity(n);
    for i in 0..n {
        let (cost, value) = if shape.coarse {
            (
                [10.0, 20.0, 25.0, 40.0][rng.below(4) as usize],
                [0.0, 20.0, 40.0, 60.0, 80.0][rng.below(5) as usize],
            )
        } else {
            (
                (rng.unit() * 100_000.0).round() / 4.0,
                if rng.chance(0.08) {
                    0.0
                } else {
                    rng.unit() * 100.0
                },
            )
        };
        let mut demand = BTreeMap::new();
        if shape.roles {
            for role in ROLES {
                if rng.chance(0.6) {
                    demand.insert(role.to_string(), (1 + rng.below(60)) as f64);
                }
            }
        }
        let program = (shape.programs && rng.chance(0.7))
            .then(|| PROGRAMS[rng.below(2) as usize].to_string());
        items.push(Candidate {
            id: format!("c{i}"),
            name: format!("Proposal {i}"),
            cost,
            value,
            program,
            demand,
        });
    }
    let total: f64 = items.iter().map(|c| c.cost).sum();
    let mut limits = Constraints {
        budget: (total * (0.1 + rng.unit() * 0.8)).round(),
        ..Constraints::default()
    };
    if shape.roles {
        for role in ROLES {
            limits
                .role_capacity
                .insert(role.to_string(), (20 + rng.below(100)) as f64);
        }
    }
    if shape.programs {
        limits
            .program_cap
            .insert(PROGRAMS[0].to_string(), (total * rng.unit() * 0.5).round());
    }
    if shape.forced {
        for c in &items {
            let roll = rng.unit();
            if roll < 0.1 {
                limits.forced_in.insert(c.id.clone());
            } else if roll < 0.2 {
                limits.forced_out.insert(c.id.clone());
            }
        }
    }
    (items, limits)
}

fn usage_ok(items: &[Candidate], limits: &Constraints, chosen: &BTreeSet<String>) {
    let set: Vec<&Candidate> = items.iter().filter(|c| chosen.contains(&c.id)).collect();
    let cost: f64 = set.iter().map(|c| c.cost).sum();
    assert!(
        cost <= limits.budget + 1e-6,
        "over budget: {cost} > {}",
        limits.budget
    );
    for (role, cap) in &limits.role_capacity {
        let used: f64 = set.iter().filter_map(|c| c.demand.get(role)).sum();
        assert!(used <= cap + 1e-6, "{role} over capacity");
    }
    for (program, cap) in &limits.program_cap {
        let used: f64 = set
            .iter()
            .filter(|c| c.program.as_deref() == Some(program.as_str()))
            .map(|c| c.cost)
            .sum();
        assert!(used <= cap + 1e-6, "{program} over cap");
    }
    assert!(limits.forced_in.is_subset(chosen), "forced-in dropped");
    assert!(limits.forced_out.is_disjoint(chosen), "forced-out chosen");
}

fn check_many(seed: u64, rounds: usize, shape: Shape) {
    let mut rng = Rng(seed);
    let mut solved = 0;
    for round in 0..rounds {
        let (items, limits) = instance(&mut rng, shape);
        let expected = brute_force(&items, &limits);
        match (optimise(&items, &limits), expected) {
            (Ok(s), Some((best, _))) => {
                solved += 1;
                let chosen: BTreeSet<String> = s.chosen.iter().cloned().collect();
                usage_ok(&items, &limits, &chosen);
                assert!(
                    (s.total_value - best).abs() <= 1e-6 * best.max(1.0),
                    "seed {seed} round {round}: optimiser {} vs brute force {best}\n{items:#?}\n{limits:#?}",
                    s.total_value
                );
                let sum: f64 = items
                    .iter()
                    .filter(|c| chosen.contains(&c.id))
                    .map(|c| c.value)
                    .sum();
                assert!((sum - s.total_value).abs() < 1e-9);
                assert_eq!(s.chosen.len() + s.left_out.len(), items.len());
                for left in &s.left_out {
                    if limits.forced_out.contains(&left.id) {
                        assert_eq!(left.reason, LeftOutReason::ForcedOut);
                    }
                }
            }
            (Err(SelectionError::ForcedInfeasible { .. }), None) => {}
            (got, want) => {
                panic!("seed {seed} round {round}: optimiser {got:?}, brute force {want:?}")
            }
        }
    }
    assert!(solved > rounds / 2, "too few feasible instances: {solved}");
}

#[test]
fn budget_only_matches_brute_force() {
    let shape = Shape {
        forced: false,
        roles: false,
        programs: false,
        coarse: false,
    };
    check_many(0x9e37_79b9_7f4a_7c15, 1500, shape);
}

#[test]
fn many_ties_match_brute_force() {
    let shape = Shape {
        forced: true,
        roles: false,
        programs: false,
        coarse: true,
    };
    check_many(42, 1500, shape);
}

#[test]
fn forced_choices_match_brute_force() {
    let shape = Shape {
        forced: true,
        roles: false,
        programs: false,
        coarse: false,
    };
    check_many(7, 1500, shape);
}

#[test]
fn role_capacity_and_program_caps_match_brute_force() {
    let shape = Shape {
        forced: true,
        roles: true,
        programs: true,
        coarse: false,
    };
    check_many(2024, 1500, shape);
    let shape = Shape {
        forced: false,
        roles: true,
        programs: false,
        coarse: true,
    };
    check_many(99, 1000, shape);
}

#[test]
fn every_frontier_point_is_the_optimum_for_its_budget() {
    let mut rng = Rng(5);
    for _ in 0..150 {
        let shape = Shape {
            forced: rng.chance(0.5),
            roles: false,
            programs: false,
            coarse: rng.chance(0.5),
        };
        let (items, limits) = instance(&mut rng, shape);
        let Ok(points) = frontier(&items, &limits, 8, &[limits.budget]) else {
            continue;
        };
        for w in points.windows(2) {
            assert!(w[0].budget < w[1].budget);
            assert!(
                w[0].total_value <= w[1].total_value + 1e-9,
                "frontier falls"
            );
        }
        for p in &points {
            let at = Constraints {
                budget: p.budget,
                ..limits.clone()
            };
            let (best, _) = brute_force(&items, &at).expect("a frontier point is feasible");
            assert!((p.total_value - best).abs() <= 1e-6 * best.max(1.0));
            assert!(p.total_cost <= p.budget + 1e-6);
        }
    }
}
