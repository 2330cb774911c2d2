//! How fast the exact selection optimiser answers: 200 candidates, one
//! budget constraint (the target), plus harder shapes and the
//! efficient frontier. Prints a table; `benches/results/selection.md`
//! keeps the figures measured on the project machine.
//!
//! Run: `cargo bench --bench selection`.

use pmo_desk::domain::selection::{frontier, optimise, Candidate, Constraints};
use std::time::{Duration, Instant};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[derive(Clone, Copy)]
enum Shape {
    /// Scores as the app makes them (weighted 1–5 ratings on five
    /// criteria, 0–100) and costs spread 20k–2M, unrelated to score.
    Realistic,
    /// Score loosely follows cost (bigger projects score a bit higher).
    WeaklyCorrelated,
    /// Score = cost-proportional + constant: the classic hard case for
    /// branch and bound.
    StronglyCorrelated,
    /// The same with costs to the cent, so equal costs rarely collapse.
    StronglyCorrelatedCents,
}

impl Shape {
    fn name(self) -> &'static str {
        match self {
            Shape::Realistic => "realistic (scores from 1-5 ratings, costs 20k-2M)",
            Shape::WeaklyCorrelated => "weakly correlated score and cost",
            Shape::StronglyCorrelated => "strongly correlated score and cost",
            Shape::StronglyCorrelatedCents => "strongly correlated, costs to the cent",
        }
    }
}

fn candidates(rng: &mut Rng, n: usize, shape: Shape) -> Vec<Candidate> {
    (0..n)
        .map(|i| {
            // Log-uniform cost between 20k and 2M, rounded to 1,000.
            let raw = 20_000.0 * 100f64.powf(rng.unit());
            let cost = match shape {
                Shape::StronglyCorrelatedCents => (raw * 100.0).round() / 100.0,
                _ => (raw / 1000.0).round() * 1000.0,
            };
            let value = match shape {
                Shape::Realistic => {
                    let weights = [30.0, 25.0, 15.0, 15.0, 15.0];
                    weights
                        .iter()
                        .map(|w| {
                            let rating = 1 + (rng.next() % 5);
                            w * (rating - 1) as f64 / 4.0
                        })
                        .sum::<f64>()
                }
                Shape::WeaklyCorrelated => {
                    (cost / 20_000.0 + (rng.unit() - 0.5) * 20.0).clamp(1.0, 100.0)
                }
                Shape::StronglyCorrelated | Shape::StronglyCorrelatedCents => {
                    cost / 20_000.0 + 10.0
                }
            };
            Candidate {
                id: format!("p{i}"),
                name: format!("Proposal {i}"),
                cost,
                value,
                ..Candidate::default()
            }
        })
        .collect()
}

struct Stats {
    median: Duration,
    max: Duration,
    max_nodes: u64,
}

/// With `extra_limits`, two role capacities and a program cap bind too
/// (the branch-and-bound path).
fn measure(shape: Shape, n: usize, budget_share: f64, runs: usize, extra_limits: bool) -> Stats {
    let mut rng = Rng(0x5eed_0000 + n as u64);
    let mut times = Vec::with_capacity(runs);
    let mut max_nodes = 0;
    for _ in 0..runs {
        let mut items = candidates(&mut rng, n, shape);
        let total: f64 = items.iter().map(|c| c.cost).sum();
        let mut limits = Constraints {
            budget: (total * budget_share).round(),
            ..Constraints::default()
        };
        if extra_limits {
            for (i, c) in items.iter_mut().enumerate() {
                let days = (c.cost / 1000.0).round();
                let role = if i % 3 == 0 { "Analyst" } else { "Developer" };
                c.demand.insert(role.to_string(), days);
                c.program = (i % 4 == 0).then(|| "Digital".to_string());
            }
            let need =
                |role: &str| -> f64 { items.iter().filter_map(|c| c.demand.get(role)).sum() };
            limits
                .role_capacity
                .insert("Developer".into(), (need("Developer") * 0.3).round());
            limits
                .role_capacity
                .insert("Analyst".into(), (need("Analyst") * 0.3).round());
            limits
                .program_cap
                .insert("Digital".into(), (total * 0.05).round());
        }
        let start = Instant::now();
        let s = optimise(&items, &limits).expect("valid instance");
        times.push(start.elapsed());
        max_nodes = max_nodes.max(s.nodes);
        assert!(s.total_cost <= limits.budget + 1e-6);
    }
    times.sort();
    Stats {
        median: times[times.len() / 2],
        max: *times.last().unwrap(),
        max_nodes,
    }
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    const RUNS: usize = 50;
    println!("Exact selection optimiser, {RUNS} random instances per row (median / worst)\n");
    println!(
        "| candidates | shape and limits | budget | median | worst | most nodes |\n|---:|---|---:|---:|---:|---:|"
    );
    for (n, shape, share, extra) in [
        (200, Shape::Realistic, 0.3, false),
        (200, Shape::Realistic, 0.5, false),
        (200, Shape::WeaklyCorrelated, 0.3, false),
        (200, Shape::StronglyCorrelated, 0.3, false),
        (200, Shape::StronglyCorrelatedCents, 0.3, false),
        (1000, Shape::Realistic, 0.3, false),
        (200, Shape::Realistic, 0.3, true),
        (200, Shape::WeaklyCorrelated, 0.3, true),
        (50, Shape::StronglyCorrelated, 0.3, true),
    ] {
        // `SELECTION_BENCH=multi` (or `single`) runs only those rows.
        match std::env::var("SELECTION_BENCH").as_deref() {
            Ok("multi") if !extra => continue,
            Ok("single") if extra => continue,
            _ => {}
        }
        let s = measure(shape, n, share, RUNS, extra);
        println!(
            "| {n} | {}{} | {:.0} % of total cost | {} | {} | {} |",
            shape.name(),
            if extra {
                " + 2 role capacities + program cap"
            } else {
                ""
            },
            share * 100.0,
            ms(s.median),
            ms(s.max),
            s.max_nodes
        );
    }

    // The frontier the selection page draws: 12 budget levels + the
    // current budget, each an exact optimisation.
    let mut rng = Rng(77);
    let mut times = Vec::new();
    for _ in 0..RUNS {
        let items = candidates(&mut rng, 200, Shape::Realistic);
        let total: f64 = items.iter().map(|c| c.cost).sum();
        let limits = Constraints {
            budget: total * 0.3,
            ..Constraints::default()
        };
        let start = Instant::now();
        let points = frontier(&items, &limits, 12, &[limits.budget]).unwrap();
        times.push(start.elapsed());
        assert!(points.len() >= 12);
    }
    times.sort();
    println!(
        "\nEfficient frontier (13 optimisations), 200 realistic candidates: median {}, worst {}",
        ms(times[times.len() / 2]),
        ms(*times.last().unwrap())
    );
}
