//! Selection under constraints: the set of proposals with the highest total
//! weighted score that fits a budget (and optional capacity per role and
//! spending cap per program), honouring proposals forced in or out; why
//! each other proposal was left out; and the efficient frontier.
//!
//! The optimiser is exact. With several limits it is a depth-first branch
//! and bound, pruned by fractional (LP-relaxation) bounds — the most that
//! could still be gained if what is left of a limit were filled with
//! fractions of the best remaining proposals. Each bound relaxes the
//! limits into one (each limit alone, and all of them weighted by
//! scarcity); any feasible set satisfies every relaxation, so each bound
//! is a valid upper bound and no optimum is ever cut off.
//! Limits are checked allowing only float rounding (1e-12 relative);
//! score totals within 1e-9 relative count as ties, and of tied optima the
//! first found is kept.
//!
//! With the budget as the only limit, a dynamic programme over
//! non-dominated (cost, score) states grown outward from the greedy
//! solution replaces the tree search (see `Search::core_lists`): it stays
//! fast on the shapes that make branch and bound explode (figures in
//! `benches/results/selection.md`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// One proposal as the optimiser sees it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Candidate {
    pub id: String,
    pub name: String,
    pub cost: f64,
    /// Weighted score (0–100).
    pub value: f64,
    pub program: Option<String>,
    /// Role → person-days needed.
    pub demand: BTreeMap<String, f64>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    pub budget: f64,
    /// Role → person-days available. Roles not listed are unlimited.
    pub role_capacity: BTreeMap<String, f64>,
    /// Program id → most that may be spent on its proposals.
    pub program_cap: BTreeMap<String, f64>,
    pub forced_in: BTreeSet<String>,
    pub forced_out: BTreeSet<String>,
}

/// A limited resource: the budget, a role's capacity or a program's cap.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Resource {
    Budget,
    Role(String),
    Program(String),
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Resource::Budget => write!(f, "budget"),
            Resource::Role(r) => write!(f, "{r} capacity"),
            Resource::Program(p) => write!(f, "program cap of {p}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum LeftOutReason {
    ForcedOut,
    /// Its weighted score is zero: choosing it cannot raise the total.
    NoScore,
    /// Needs more than the whole limit (after forced-in proposals).
    ExceedsLimit {
        resource: Resource,
        needs: f64,
        available: f64,
    },
    /// Fits the limit, but not what the chosen set leaves of it; making
    /// room for it would lower the total score.
    DoesNotFitRemaining {
        resource: Resource,
        needs: f64,
        remaining: f64,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct LeftOut {
    pub id: String,
    pub reason: LeftOutReason,
    /// Its score per cost is below that of every proposal the optimiser
    /// chose (forced-in ones aside).
    pub lower_value_per_cost: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Selection {
    /// Chosen ids, in the order the candidates were given.
    pub chosen: Vec<String>,
    pub left_out: Vec<LeftOut>,
    pub total_cost: f64,
    pub total_value: f64,
    pub remaining_budget: f64,
    /// Search nodes visited (for benchmarks and curiosity).
    pub nodes: u64,
    /// False when the search hit its node limit: the set is feasible and
    /// the best found, but a better one may exist.
    pub proven_optimal: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SelectionError {
    InvalidBudget,
    InvalidLimit(Resource),
    InvalidCandidate {
        name: String,
        problem: &'static str,
    },
    ForcedBothWays(String),
    /// The proposals forced in already exceed a limit.
    ForcedInfeasible {
        resource: Resource,
        needs: f64,
        available: f64,
    },
}

impl fmt::Display for SelectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SelectionError::InvalidBudget => write!(f, "the budget must be zero or a positive amount"),
            SelectionError::InvalidLimit(r) => write!(f, "the {r} must be zero or a positive number"),
            SelectionError::InvalidCandidate { name, problem } => write!(f, "{name}: {problem}"),
            SelectionError::ForcedBothWays(name) => write!(f, "{name} is forced both in and out"),
            SelectionError::ForcedInfeasible {
                resource,
                needs,
                available,
            } => write!(
                f,
                "the proposals forced in need {needs:.0} of the {resource} but only {available:.0} is available"
            ),
        }
    }
}

struct Problem {
    resources: Vec<Resource>,
    /// Capacity left for the optimiser after forced-in proposals.
    capacity: Vec<f64>,
    /// Tolerance per resource for float sums.
    slack: Vec<f64>,
}

/// Slack when comparing totals of scores: ties within it are ties.
fn tolerance(x: f64) -> f64 {
    1e-9 * x.abs().max(1.0)
}

/// Slack when checking a limit: only float rounding (a sum of a few
/// hundred amounts is off by far less than this), never real money.
fn cap_slack(x: f64) -> f64 {
    1e-12 * x.abs().max(1.0)
}

fn usage(c: &Candidate, resource: &Resource) -> f64 {
    match resource {
        Resource::Budget => c.cost,
        Resource::Role(r) => c.demand.get(r).copied().unwrap_or(0.0),
        Resource::Program(p) => {
            if c.program.as_deref() == Some(p.as_str()) {
                c.cost
            } else {
                0.0
            }
        }
    }
}

fn valid_amount(x: f64) -> bool {
    x.is_finite() && x >= 0.0
}

fn check_inputs(candidates: &[Candidate], limits: &Constraints) -> Result<(), SelectionError> {
    if !valid_amount(limits.budget) {
        return Err(SelectionError::InvalidBudget);
    }
    for (role, cap) in &limits.role_capacity {
        if !valid_amount(*cap) {
            return Err(SelectionError::InvalidLimit(Resource::Role(role.clone())));
        }
    }
    for (program, cap) in &limits.program_cap {
        if !valid_amount(*cap) {
            return Err(SelectionError::InvalidLimit(Resource::Program(
                program.clone(),
            )));
        }
    }
    for c in candidates {
        let bad = |problem| {
            Err(SelectionError::InvalidCandidate {
                name: c.name.clone(),
                problem,
            })
        };
        if !valid_amount(c.cost) {
            return bad("the cost must be zero or a positive amount");
        }
        if !c.value.is_finite() {
            return bad("the score is not a number");
        }
        if c.demand.values().any(|d| !valid_amount(*d)) {
            return bad("a resource need must be zero or a positive number");
        }
        if limits.forced_in.contains(&c.id) && limits.forced_out.contains(&c.id) {
            return Err(SelectionError::ForcedBothWays(c.name.clone()));
        }
    }
    Ok(())
}

/// The best selection. See the module documentation for the method.
pub fn optimise(
    candidates: &[Candidate],
    limits: &Constraints,
) -> Result<Selection, SelectionError> {
    optimise_within(candidates, limits, u64::MAX)
}

/// Like [`optimise`], but gives up proving optimality after `max_nodes`
/// search steps (the result says so), so a pathological input cannot
/// freeze the page. Realistic portfolios finish far below any sensible
/// limit (see `benches/results/selection.md`).
pub fn optimise_within(
    candidates: &[Candidate],
    limits: &Constraints,
    max_nodes: u64,
) -> Result<Selection, SelectionError> {
    check_inputs(candidates, limits)?;
    let mut resources = vec![Resource::Budget];
    let mut totals = vec![limits.budget];
    for (role, cap) in &limits.role_capacity {
        resources.push(Resource::Role(role.clone()));
        totals.push(*cap);
    }
    for (program, cap) in &limits.program_cap {
        resources.push(Resource::Program(program.clone()));
        totals.push(*cap);
    }
    let slack: Vec<f64> = totals.iter().map(|t| cap_slack(*t)).collect();

    // Forced-in proposals take their share first.
    let mut capacity = totals.clone();
    let forced: Vec<usize> = (0..candidates.len())
        .filter(|&i| limits.forced_in.contains(&candidates[i].id))
        .collect();
    for (k, r) in resources.iter().enumerate() {
        let needs: f64 = forced.iter().map(|&i| usage(&candidates[i], r)).sum();
        if needs > totals[k] + slack[k] {
            return Err(SelectionError::ForcedInfeasible {
                resource: r.clone(),
                needs,
                available: totals[k],
            });
        }
        capacity[k] = (totals[k] - needs).max(0.0);
    }
    let problem = Problem {
        resources,
        capacity,
        slack,
    };

    // Candidates the search decides on: not forced, worth something and
    // each fitting on its own. The rest get their reason now.
    let mut free = Vec::new();
    let mut always = Vec::new();
    for (i, c) in candidates.iter().enumerate() {
        if limits.forced_in.contains(&c.id) || limits.forced_out.contains(&c.id) || c.value <= 0.0 {
            continue;
        }
        let fits_alone = problem
            .resources
            .iter()
            .enumerate()
            .all(|(k, r)| usage(c, r) <= problem.capacity[k] + problem.slack[k]);
        if !fits_alone {
            continue;
        }
        let uses_nothing = problem.resources.iter().all(|r| usage(c, r) == 0.0);
        if uses_nothing {
            always.push(i);
        } else {
            free.push(i);
        }
    }

    let mut search = Search::new(candidates, &problem, free, max_nodes);
    search.run();
    let mut chosen_idx: BTreeSet<usize> = forced.iter().copied().collect();
    chosen_idx.extend(always.iter().copied());
    chosen_idx.extend(search.best_set());

    if search.stopped {
        // Make the best-so-far set maximal: anything that still fits
        // raises the total (an optimal set is maximal already).
        let mut used: Vec<f64> = problem
            .resources
            .iter()
            .map(|r| chosen_idx.iter().map(|&i| usage(&candidates[i], r)).sum())
            .collect();
        for &j in &search.order {
            let c = &candidates[j];
            let fits = problem
                .resources
                .iter()
                .enumerate()
                .all(|(k, r)| used[k] + usage(c, r) <= totals[k] + problem.slack[k]);
            if !chosen_idx.contains(&j) && fits {
                for (k, r) in problem.resources.iter().enumerate() {
                    used[k] += usage(c, r);
                }
                chosen_idx.insert(j);
            }
        }
    }
    let mut selection = describe(
        candidates,
        limits,
        &problem,
        &totals,
        &chosen_idx,
        search.nodes,
    );
    selection.proven_optimal = !search.stopped;
    Ok(selection)
}

/// Builds the result: totals and the reason for each proposal left out.
fn describe(
    candidates: &[Candidate],
    limits: &Constraints,
    problem: &Problem,
    totals: &[f64],
    chosen_idx: &BTreeSet<usize>,
    nodes: u64,
) -> Selection {
    let used: Vec<f64> = problem
        .resources
        .iter()
        .map(|r| chosen_idx.iter().map(|&i| usage(&candidates[i], r)).sum())
        .collect();
    let min_ratio = chosen_idx
        .iter()
        .filter(|&&i| !limits.forced_in.contains(&candidates[i].id))
        .map(|&i| ratio(&candidates[i]))
        .fold(f64::INFINITY, f64::min);
    let mut left_out = Vec::new();
    for (i, c) in candidates.iter().enumerate() {
        if chosen_idx.contains(&i) {
            continue;
        }
        let reason = if limits.forced_out.contains(&c.id) {
            LeftOutReason::ForcedOut
        } else if c.value <= 0.0 {
            LeftOutReason::NoScore
        } else {
            limit_reason(c, problem, totals, &used).unwrap_or(LeftOutReason::NoScore)
        };
        let lower_value_per_cost = matches!(reason, LeftOutReason::DoesNotFitRemaining { .. })
            && min_ratio.is_finite()
            && ratio(c) < min_ratio;
        left_out.push(LeftOut {
            id: c.id.clone(),
            reason,
            lower_value_per_cost,
        });
    }
    let total_cost = used[0];
    Selection {
        chosen: chosen_idx
            .iter()
            .map(|&i| candidates[i].id.clone())
            .collect(),
        left_out,
        total_cost,
        total_value: chosen_idx.iter().map(|&i| candidates[i].value).sum(),
        remaining_budget: (limits.budget - total_cost).max(0.0),
        nodes,
        proven_optimal: true,
    }
}

/// The first limit a left-out proposal breaks: the whole limit (after
/// forced-in proposals) or what the chosen set leaves of it.
fn limit_reason(
    c: &Candidate,
    problem: &Problem,
    totals: &[f64],
    used: &[f64],
) -> Option<LeftOutReason> {
    for (k, r) in problem.resources.iter().enumerate() {
        let needs = usage(c, r);
        if needs > problem.capacity[k] + problem.slack[k] {
            return Some(LeftOutReason::ExceedsLimit {
                resource: r.clone(),
                needs,
                available: problem.capacity[k],
            });
        }
    }
    for (k, r) in problem.resources.iter().enumerate() {
        let needs = usage(c, r);
        let remaining = (totals[k] - used[k]).max(0.0);
        if needs > remaining + problem.slack[k] {
            return Some(LeftOutReason::DoesNotFitRemaining {
                resource: r.clone(),
                needs,
                remaining,
            });
        }
    }
    None
}

fn ratio(c: &Candidate) -> f64 {
    if c.cost > 0.0 {
        c.value / c.cost
    } else {
        f64::INFINITY
    }
}

/// The branch-and-bound state. Items are indexed in search order (best
/// score per cost first) and carry their usage of every resource.
struct Search<'a> {
    problem: &'a Problem,
    /// Original candidate index per search position.
    order: Vec<usize>,
    value: Vec<f64>,
    /// usage[k][j]: item j's use of resource k.
    usage: Vec<Vec<f64>>,
    prefix_cost: Vec<f64>,
    prefix_value: Vec<f64>,
    /// Several limits: the relaxations bounding the tree search, each a
    /// multiplier per resource and the items in its score-per-use order.
    relaxations: Vec<Relaxation>,
    taken: Vec<bool>,
    best: Vec<bool>,
    best_value: f64,
    nodes: u64,
    /// Safety net for interactive use: stop after this many nodes.
    max_nodes: u64,
    /// The search stopped at `max_nodes`: the best set is feasible but
    /// not proven optimal.
    stopped: bool,
}

/// Multipliers for merging several limits into one whose fractional bound
/// is as small as a short search finds (the best ones give the LP bound).
/// Any non-negative multipliers give a valid bound, so this only has to
/// be good, not exact.
fn tune_multipliers(value: &[f64], usage: &[Vec<f64>], capacity: &[f64]) -> Vec<f64> {
    let bound = |lambda: &[f64]| -> f64 {
        let weight: Vec<f64> = (0..value.len())
            .map(|j| lambda.iter().zip(usage).map(|(l, u)| l * u[j]).sum())
            .collect();
        let mut cap: f64 = lambda.iter().zip(capacity).map(|(l, c)| l * c).sum();
        let mut order: Vec<usize> = (0..value.len()).collect();
        let key = |j: usize| {
            if weight[j] > 0.0 {
                value[j] / weight[j]
            } else {
                f64::INFINITY
            }
        };
        order.sort_by(|&a, &b| key(b).total_cmp(&key(a)));
        let mut total = 0.0;
        for j in order {
            if weight[j] <= cap {
                total += value[j];
                cap -= weight[j];
            } else {
                if weight[j] > 0.0 && cap > 0.0 {
                    total += value[j] * cap / weight[j];
                }
                break;
            }
        }
        total
    };
    // Start from "each limit weighted by how scarce it is".
    let mut lambda: Vec<f64> = capacity
        .iter()
        .map(|c| if *c > 0.0 { 1.0 / c } else { 0.0 })
        .collect();
    let mut best = bound(&lambda);
    let mut step = 4.0;
    while step > 1.05 {
        let mut improved = false;
        for k in 0..lambda.len() {
            for factor in [step, 1.0 / step] {
                let mut trial = lambda.clone();
                trial[k] = if trial[k] > 0.0 {
                    trial[k] * factor
                } else {
                    1.0 / capacity[k].max(1.0)
                };
                let b = bound(&trial);
                if b < best {
                    best = b;
                    lambda = trial;
                    improved = true;
                }
            }
        }
        if !improved {
            step = step.sqrt();
        }
    }
    lambda
}

impl<'a> Search<'a> {
    fn new(
        candidates: &[Candidate],
        problem: &'a Problem,
        mut free: Vec<usize>,
        max_nodes: u64,
    ) -> Search<'a> {
        // Several limits: merge them with the multipliers that give the
        // tightest bound at the root (close to the LP bound), and search
        // in score-per-merged-use order.
        let lambda = if problem.resources.len() > 1 {
            let value: Vec<f64> = free.iter().map(|&i| candidates[i].value).collect();
            let usage: Vec<Vec<f64>> = problem
                .resources
                .iter()
                .map(|r| free.iter().map(|&i| usage(&candidates[i], r)).collect())
                .collect();
            tune_multipliers(&value, &usage, &problem.capacity)
        } else {
            vec![1.0]
        };
        let key = |c: &Candidate| {
            let weight: f64 = problem
                .resources
                .iter()
                .zip(&lambda)
                .map(|(r, l)| l * usage(c, r))
                .sum();
            if weight > 0.0 {
                c.value / weight
            } else {
                f64::INFINITY
            }
        };
        free.sort_by(|&a, &b| {
            key(&candidates[b])
                .total_cmp(&key(&candidates[a]))
                .then(candidates[b].value.total_cmp(&candidates[a].value))
                .then(a.cmp(&b))
        });
        let value: Vec<f64> = free.iter().map(|&i| candidates[i].value).collect();
        let usage: Vec<Vec<f64>> = problem
            .resources
            .iter()
            .map(|r| free.iter().map(|&i| usage(&candidates[i], r)).collect())
            .collect();
        let mut prefix_cost = vec![0.0];
        let mut prefix_value = vec![0.0];
        for j in 0..free.len() {
            prefix_cost.push(prefix_cost[j] + usage[0][j]);
            prefix_value.push(prefix_value[j] + value[j]);
        }
        let n = free.len();
        let mut relaxations = Vec::new();
        if problem.resources.len() > 1 {
            let k = problem.resources.len();
            let mut multipliers = vec![lambda];
            multipliers
                .extend((0..k).map(|r| (0..k).map(|q| if q == r { 1.0 } else { 0.0 }).collect()));
            relaxations = multipliers
                .into_iter()
                .map(|lambda| Relaxation::new(lambda, &value, &usage))
                .collect();
        }
        Search {
            problem,
            order: free,
            value,
            usage,
            prefix_cost,
            prefix_value,
            relaxations,
            taken: vec![false; n],
            best: vec![false; n],
            best_value: 0.0,
            nodes: 0,
            max_nodes,
            stopped: false,
        }
    }

    fn run(&mut self) {
        self.greedy_start();
        if self.problem.resources.len() == 1 {
            self.core_lists();
        } else {
            let mut remaining = self.problem.capacity.clone();
            self.branch(0, 0.0, &mut remaining);
        }
    }

    /// Budget only: dynamic programming over non-dominated states, grown
    /// outward from the greedy solution (Pisinger's *core* idea).
    ///
    /// Items are in score-per-cost order; the greedy solution takes them
    /// up to the first that does not fit (the break item). The decisions
    /// that matter are near the break item, so states start from the
    /// greedy set and, alternately, the next item after it is tried in
    /// and the next one before it is tried out. A state is dominated
    /// (dropped) when another costs no more and scores at least as much.
    /// A state is also dropped when even its bound cannot beat the best
    /// total found: over budget, the excess must be removed at no better
    /// than the score per cost of the last item still removable; within
    /// budget, what is left can be filled at no better than that of the
    /// next item that could still be added (Dembo and Hammer's bound).
    /// This stays fast where plain branch and bound explodes — scores
    /// proportional to cost — see `benches/results/selection.md`.
    fn core_lists(&mut self) {
        #[derive(Clone, Copy)]
        struct State {
            cost: f64,
            value: f64,
            /// Index into `trail`: the last decision on the way here.
            node: u32,
        }
        const ROOT: u32 = u32::MAX;
        let n = self.order.len();
        let budget = self.problem.capacity[0] + self.problem.slack[0];
        let brk = (0..n)
            .find(|&j| self.prefix_cost[j + 1] > budget)
            .unwrap_or(n);
        if brk == n {
            // Everything fits: the greedy start already took it all.
            return;
        }
        let ratio_at = |j: usize| self.value[j] / self.usage[0][j];
        // Each trail entry flips one item relative to the greedy prefix.
        let mut trail: Vec<(u32, u32)> = Vec::new();
        let mut list = vec![State {
            cost: self.prefix_cost[brk],
            value: self.prefix_value[brk],
            node: ROOT,
        }];
        let mut best: Option<u32> = None;
        let mut found_better = false;
        let mut merged: Vec<State> = Vec::new();
        // Next item that may be removed (below the break) or added (from
        // the break up).
        let (mut s, mut t) = (brk as isize - 1, brk);
        'grow: while !list.is_empty() && (s >= 0 || t < n) {
            // Alternate sides; when one runs out, use the other.
            let add = t < n && (s < 0 || (t - brk) as isize <= (brk as isize - 1 - s));
            let j = if add { t } else { s as usize };
            let (w, p) = if add {
                (self.usage[0][j], self.value[j])
            } else {
                (-self.usage[0][j], -self.value[j])
            };
            if add {
                t += 1;
            } else {
                s -= 1;
            }
            merged.clear();
            let (mut a, mut b) = (0, 0);
            let mut top = f64::NEG_INFINITY;
            let len = list.len();
            while a < len || b < len {
                let take_new = if a == len {
                    true
                } else if b == len {
                    false
                } else {
                    let (cn, co) = (list[b].cost + w, list[a].cost);
                    cn < co || (cn == co && list[b].value + p > list[a].value)
                };
                let (mut state, parent) = if take_new {
                    b += 1;
                    let old = list[b - 1];
                    (
                        State {
                            cost: old.cost + w,
                            value: old.value + p,
                            node: ROOT,
                        },
                        Some(old.node),
                    )
                } else {
                    a += 1;
                    (list[a - 1], None)
                };
                self.nodes += 1;
                if self.nodes > self.max_nodes {
                    self.stopped = true;
                    break 'grow;
                }
                // Sorted by cost: a state not scoring more than every
                // cheaper one is dominated.
                if state.value <= top + tolerance(top) {
                    continue;
                }
                top = state.value;
                let feasible = state.cost <= budget;
                if feasible && state.value > self.best_value + tolerance(self.best_value) {
                    // Record the path only for states that survive.
                    if let Some(parent) = parent {
                        trail.push((parent, j as u32));
                        state.node = (trail.len() - 1) as u32;
                    }
                    self.best_value = state.value;
                    best = Some(state.node);
                    found_better = true;
                }
                let bound = if feasible {
                    if t < n {
                        state.value + (budget - state.cost) * ratio_at(t)
                    } else {
                        state.value
                    }
                } else if s >= 0 {
                    state.value - (state.cost - budget) * ratio_at(s as usize)
                } else {
                    f64::NEG_INFINITY
                };
                if bound > self.best_value + tolerance(self.best_value) {
                    if let (Some(parent), ROOT) = (parent, state.node) {
                        trail.push((parent, j as u32));
                        state.node = (trail.len() - 1) as u32;
                    }
                    merged.push(state);
                }
            }
            std::mem::swap(&mut list, &mut merged);
        }
        if found_better {
            for (j, b) in self.best.iter_mut().enumerate() {
                *b = j < brk;
            }
            let mut node = best.unwrap_or(ROOT);
            while node != ROOT {
                let (parent, item) = trail[node as usize];
                self.best[item as usize] = !self.best[item as usize];
                node = parent;
            }
        }
    }

    /// A feasible first solution (greedy by score per cost), so the bound
    /// prunes from the start.
    fn greedy_start(&mut self) {
        let mut remaining = self.problem.capacity.clone();
        let mut value = 0.0;
        for j in 0..self.order.len() {
            if self.fits(j, &remaining) {
                self.take(j, &mut remaining);
                self.best[j] = true;
                value += self.value[j];
            }
        }
        self.best_value = value;
    }

    fn fits(&self, j: usize, remaining: &[f64]) -> bool {
        (0..remaining.len()).all(|k| self.usage[k][j] <= remaining[k] + self.problem.slack[k])
    }

    fn take(&self, j: usize, remaining: &mut [f64]) {
        for (k, r) in remaining.iter_mut().enumerate() {
            *r -= self.usage[k][j];
        }
    }

    fn give_back(&self, j: usize, remaining: &mut [f64]) {
        for (k, r) in remaining.iter_mut().enumerate() {
            *r += self.usage[k][j];
        }
    }

    /// The smallest of the relaxations' fractional bounds on what items
    /// `from..` can add. Each relaxation merges the limits into one with
    /// non-negative multipliers, which any feasible set also satisfies, so
    /// each is a valid upper bound. Stops early once a bound is at or
    /// below `enough` (the node is pruned anyway).
    fn relaxed_bound(&self, from: usize, remaining: &[f64], enough: f64) -> f64 {
        let mut best = f64::INFINITY;
        for relax in &self.relaxations {
            let capacity: f64 = relax
                .lambda
                .iter()
                .zip(remaining)
                .zip(&self.problem.slack)
                .map(|((l, r), s)| l * (r + s))
                .sum();
            let b = relax.fractional(from, capacity, &self.value, best);
            best = best.min(b);
            if best <= enough {
                break;
            }
        }
        best
    }

    fn branch(&mut self, j: usize, value: f64, remaining: &mut Vec<f64>) {
        self.nodes += 1;
        if self.nodes > self.max_nodes {
            self.stopped = true;
            return;
        }
        if value > self.best_value + tolerance(self.best_value) {
            self.best_value = value;
            self.best.clone_from(&self.taken);
        }
        if j == self.order.len() {
            return;
        }
        let limit = self.best_value + tolerance(self.best_value) - value;
        if self.relaxed_bound(j, remaining, limit) <= limit {
            return;
        }
        if self.fits(j, remaining) {
            self.take(j, remaining);
            self.taken[j] = true;
            self.branch(j + 1, value + self.value[j], remaining);
            self.taken[j] = false;
            self.give_back(j, remaining);
        }
        self.branch(j + 1, value, remaining);
    }

    fn best_set(&self) -> Vec<usize> {
        (0..self.order.len())
            .filter(|&j| self.best[j])
            .map(|j| self.order[j])
            .collect()
    }
}

/// One way of merging the limits into a single one (multipliers per
/// resource), with the search items in its score-per-use order.
struct Relaxation {
    lambda: Vec<f64>,
    /// Search positions, best score per merged use first.
    order: Vec<usize>,
    /// Merged use per search position.
    weight: Vec<f64>,
}

impl Relaxation {
    fn new(lambda: Vec<f64>, value: &[f64], usage: &[Vec<f64>]) -> Relaxation {
        let weight: Vec<f64> = (0..value.len())
            .map(|j| lambda.iter().zip(usage).map(|(l, u)| l * u[j]).sum())
            .collect();
        let key = |j: usize| {
            if weight[j] > 0.0 {
                value[j] / weight[j]
            } else {
                f64::INFINITY
            }
        };
        let mut order: Vec<usize> = (0..value.len()).collect();
        order.sort_by(|&a, &b| key(b).total_cmp(&key(a)).then(a.cmp(&b)));
        Relaxation {
            lambda,
            order,
            weight,
        }
    }

    /// Fractional knapsack over the undecided items (positions `from..`)
    /// with `capacity` of the merged limit. Gives up (returning what it
    /// has, already ≥ `stop`) once the sum reaches `stop`: a larger bound
    /// than one already known is of no use.
    fn fractional(&self, from: usize, mut capacity: f64, value: &[f64], stop: f64) -> f64 {
        let mut bound = 0.0;
        for &j in &self.order {
            if j < from {
                continue;
            }
            let w = self.weight[j];
            if w <= capacity {
                bound += value[j];
                capacity -= w;
            } else {
                if w > 0.0 && capacity > 0.0 {
                    bound += value[j] * capacity / w;
                }
                break;
            }
            if bound >= stop {
                break;
            }
        }
        bound
    }
}

/// One point of the efficient frontier.
#[derive(Clone, Debug, PartialEq)]
pub struct FrontierPoint {
    pub budget: f64,
    pub total_cost: f64,
    pub total_value: f64,
    pub chosen: usize,
    pub proven_optimal: bool,
}

/// The best total score at `levels` evenly spaced budgets, from what the
/// forced-in proposals cost to what every eligible proposal together
/// costs, plus `extra` budgets (e.g. the one being looked at). Other
/// limits and forced choices stay as given.
pub fn frontier(
    candidates: &[Candidate],
    limits: &Constraints,
    levels: usize,
    extra: &[f64],
) -> Result<Vec<FrontierPoint>, SelectionError> {
    frontier_within(candidates, limits, levels, extra, u64::MAX)
}

/// [`frontier`] with a node limit per budget level (see
/// [`optimise_within`]).
pub fn frontier_within(
    candidates: &[Candidate],
    limits: &Constraints,
    levels: usize,
    extra: &[f64],
    max_nodes: u64,
) -> Result<Vec<FrontierPoint>, SelectionError> {
    check_inputs(candidates, limits)?;
    let forced_cost: f64 = candidates
        .iter()
        .filter(|c| limits.forced_in.contains(&c.id))
        .map(|c| c.cost)
        .sum();
    let open_cost: f64 = candidates
        .iter()
        .filter(|c| {
            !limits.forced_in.contains(&c.id) && !limits.forced_out.contains(&c.id) && c.value > 0.0
        })
        .map(|c| c.cost)
        .sum();
    let mut budgets: Vec<f64> = (0..levels.max(2))
        .map(|i| forced_cost + open_cost * i as f64 / (levels.max(2) - 1) as f64)
        .collect();
    budgets.extend(extra.iter().copied().filter(|b| valid_amount(*b)));
    budgets.sort_by(f64::total_cmp);
    budgets.dedup_by(|a, b| (*a - *b).abs() <= cap_slack(*b));
    let mut points = Vec::with_capacity(budgets.len());
    for budget in budgets {
        let limits = Constraints {
            budget,
            ..limits.clone()
        };
        match optimise_within(candidates, &limits, max_nodes) {
            Ok(s) => points.push(FrontierPoint {
                budget,
                total_cost: s.total_cost,
                total_value: s.total_value,
                chosen: s.chosen.len(),
                proven_optimal: s.proven_optimal,
            }),
            // Budgets below what the forced-in proposals need have no
            // feasible selection: no point.
            Err(SelectionError::ForcedInfeasible { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(points)
}

/// Every feasible subset, checked one by one: the reference the tests hold
/// the optimiser to. Exponential; only for tiny inputs.
pub fn brute_force(candidates: &[Candidate], limits: &Constraints) -> Option<(f64, Vec<String>)> {
    let n = candidates.len();
    assert!(n <= 20, "brute force is for tiny inputs");
    let mut resources = vec![(Resource::Budget, limits.budget)];
    resources.extend(
        limits
            .role_capacity
            .iter()
            .map(|(r, c)| (Resource::Role(r.clone()), *c)),
    );
    resources.extend(
        limits
            .program_cap
            .iter()
            .map(|(p, c)| (Resource::Program(p.clone()), *c)),
    );
    let uses: Vec<Vec<f64>> = resources
        .iter()
        .map(|(r, _)| candidates.iter().map(|c| usage(c, r)).collect())
        .collect();
    let mask_of = |set: &BTreeSet<String>| {
        (0..n)
            .filter(|&i| set.contains(&candidates[i].id))
            .fold(0u32, |m, i| m | (1 << i))
    };
    let (must, never) = (mask_of(&limits.forced_in), mask_of(&limits.forced_out));
    // Sums per subset built from the subset without its lowest member, so
    // each subset costs O(resources) instead of O(n × resources).
    let k = resources.len();
    let size = 1usize << n;
    let mut value = vec![0.0; size];
    let mut used = vec![0.0; size * k];
    let mut best: Option<(f64, u32)> = None;
    for mask in 0..size {
        if mask > 0 {
            let low = mask.trailing_zeros() as usize;
            let rest = mask & (mask - 1);
            value[mask] = value[rest] + candidates[low].value;
            for r in 0..k {
                used[mask * k + r] = used[rest * k + r] + uses[r][low];
            }
        }
        let m = mask as u32;
        if m & must != must || m & never != 0 {
            continue;
        }
        let feasible =
            (0..k).all(|r| used[mask * k + r] <= resources[r].1 + cap_slack(resources[r].1));
        if feasible && best.is_none_or(|(b, _)| value[mask] > b) {
            best = Some((value[mask], m));
        }
    }
    best.map(|(value, mask)| {
        let ids = (0..n)
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| candidates[i].id.clone())
            .collect();
        (value, ids)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(id: &str, cost: f64, value: f64) -> Candidate {
        Candidate {
            id: id.into(),
            name: id.to_uppercase(),
            cost,
            value,
            ..Candidate::default()
        }
    }

    fn budget(b: f64) -> Constraints {
        Constraints {
            budget: b,
            ..Constraints::default()
        }
    }

    #[test]
    fn beats_the_greedy_ranking_cut_off() {
        // Greedy by ratio takes A (ratio 2) and then nothing else fits;
        // B + C together score more.
        let items = [
            cand("a", 6.0, 12.0),
            cand("b", 5.0, 9.0),
            cand("c", 5.0, 9.0),
        ];
        let s = optimise(&items, &budget(10.0)).unwrap();
        assert_eq!(s.chosen, ["b", "c"]);
        assert_eq!(s.total_value, 18.0);
        assert_eq!(s.total_cost, 10.0);
        assert_eq!(s.left_out.len(), 1);
        assert_eq!(
            s.left_out[0].reason,
            LeftOutReason::DoesNotFitRemaining {
                resource: Resource::Budget,
                needs: 6.0,
                remaining: 0.0
            }
        );
        assert!(!s.left_out[0].lower_value_per_cost);
    }

    #[test]
    fn reasons_for_leaving_out() {
        let items = [
            cand("big", 50.0, 90.0),
            cand("out", 1.0, 80.0),
            cand("zero", 1.0, 0.0),
            cand("ok", 5.0, 50.0),
            cand("meh", 6.0, 10.0),
        ];
        let mut limits = budget(10.0);
        limits.forced_out.insert("out".into());
        let s = optimise(&items, &limits).unwrap();
        assert_eq!(s.chosen, ["ok"]);
        let reason = |id: &str| s.left_out.iter().find(|l| l.id == id).unwrap().clone();
        assert_eq!(reason("out").reason, LeftOutReason::ForcedOut);
        assert_eq!(reason("zero").reason, LeftOutReason::NoScore);
        assert!(matches!(
            reason("big").reason,
            LeftOutReason::ExceedsLimit { needs, available, .. } if needs == 50.0 && available == 10.0
        ));
        let meh = reason("meh");
        assert!(
            matches!(meh.reason, LeftOutReason::DoesNotFitRemaining { remaining, .. } if remaining == 5.0)
        );
        assert!(meh.lower_value_per_cost);
    }

    #[test]
    fn forced_in_counts_against_the_budget_and_can_be_infeasible() {
        let items = [
            cand("a", 8.0, 1.0),
            cand("b", 5.0, 50.0),
            cand("c", 2.0, 5.0),
        ];
        let mut limits = budget(10.0);
        limits.forced_in.insert("a".into());
        let s = optimise(&items, &limits).unwrap();
        assert_eq!(s.chosen, ["a", "c"]);
        limits.budget = 7.0;
        assert!(matches!(
            optimise(&items, &limits),
            Err(SelectionError::ForcedInfeasible {
                resource: Resource::Budget,
                ..
            })
        ));
        limits.forced_out.insert("a".into());
        assert_eq!(
            optimise(&items, &limits),
            Err(SelectionError::ForcedBothWays("A".into()))
        );
    }

    #[test]
    fn bad_input_is_refused() {
        assert_eq!(
            optimise(&[], &budget(-1.0)),
            Err(SelectionError::InvalidBudget)
        );
        assert!(optimise(&[cand("a", f64::NAN, 1.0)], &budget(1.0)).is_err());
        let mut limits = budget(1.0);
        limits.role_capacity.insert("Dev".into(), -3.0);
        assert_eq!(
            optimise(&[], &limits),
            Err(SelectionError::InvalidLimit(Resource::Role("Dev".into())))
        );
    }

    #[test]
    fn role_capacity_and_program_caps_bind() {
        let mut a = cand("a", 1.0, 10.0);
        a.demand.insert("Dev".into(), 30.0);
        let mut b = cand("b", 1.0, 8.0);
        b.demand.insert("Dev".into(), 20.0);
        let mut c = cand("c", 1.0, 7.0);
        c.program = Some("p1".into());
        let mut d = cand("d", 1.0, 6.0);
        d.program = Some("p1".into());
        let mut limits = budget(100.0);
        limits.role_capacity.insert("Dev".into(), 40.0);
        limits.program_cap.insert("p1".into(), 1.0);
        let s = optimise(&[a, b, c, d], &limits).unwrap();
        assert_eq!(s.chosen, ["a", "c"]);
        assert!(s.left_out.iter().any(|l| l.id == "b"
            && matches!(&l.reason, LeftOutReason::DoesNotFitRemaining { resource: Resource::Role(r), .. } if r == "Dev")));
        assert!(s.left_out.iter().any(|l| l.id == "d"
            && matches!(&l.reason, LeftOutReason::DoesNotFitRemaining { resource: Resource::Program(p), .. } if p == "p1")));
    }

    #[test]
    fn a_node_limit_gives_a_feasible_maximal_set_marked_unproven() {
        let items: Vec<Candidate> = (0..40)
            .map(|i| {
                cand(
                    &format!("c{i}"),
                    10.0 + i as f64,
                    10.0 + (i * 7 % 13) as f64,
                )
            })
            .collect();
        let mut limits = budget(200.0);
        limits.program_cap.insert("none".into(), 1.0);
        let s = optimise_within(&items, &limits, 3).unwrap();
        assert!(!s.proven_optimal);
        assert!(s.total_cost <= 200.0);
        assert!(s.left_out.iter().all(|l| matches!(
            l.reason,
            LeftOutReason::DoesNotFitRemaining { .. } | LeftOutReason::ExceedsLimit { .. }
        )));
        let exact = optimise(&items, &limits).unwrap();
        assert!(exact.proven_optimal);
        assert!(exact.total_value >= s.total_value);
        let budget_only = optimise_within(&items, &budget(200.0), 3).unwrap();
        assert!(!budget_only.proven_optimal);
        assert!(budget_only.total_cost <= 200.0);
    }

    #[test]
    fn free_proposals_are_always_taken() {
        let s = optimise(&[cand("gift", 0.0, 5.0), cand("x", 3.0, 1.0)], &budget(0.0)).unwrap();
        assert_eq!(s.chosen, ["gift"]);
    }

    #[test]
    fn frontier_rises_with_the_budget() {
        let items = [
            cand("a", 6.0, 12.0),
            cand("b", 5.0, 9.0),
            cand("c", 5.0, 9.0),
        ];
        let points = frontier(&items, &budget(10.0), 5, &[10.0]).unwrap();
        assert_eq!(points.first().unwrap().budget, 0.0);
        assert_eq!(points.last().unwrap().total_value, 30.0);
        assert!(points
            .windows(2)
            .all(|w| w[1].total_value >= w[0].total_value));
        assert!(points
            .iter()
            .any(|p| p.budget == 10.0 && p.total_value == 18.0));
        assert!(points.iter().all(|p| p.total_cost <= p.budget + 1e-9));
    }
}
