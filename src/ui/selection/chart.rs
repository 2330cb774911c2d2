//! The efficient-frontier chart: total score against total cost, one point
//! per budget level, as an SVG with a text alternative (a data table).

use super::super::intake::table::{Cell, Column, DataTable};
use super::super::intake::util::points as score_text;
use crate::domain::intake::{compact_amount as compact, format_money};
use crate::domain::selection::FrontierPoint;
use leptos::prelude::*;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 320.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 48.0;

/// A "nice" step (1, 2 or 5 × 10^n) giving about `count` ticks up to `max`.
fn tick_step(max: f64, count: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let raw = max / count;
    let magnitude = 10f64.powf(raw.log10().floor());
    let unit = raw / magnitude;
    let nice = if unit <= 1.0 {
        1.0
    } else if unit <= 2.0 {
        2.0
    } else if unit <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

#[component]
pub fn FrontierChart(points: Vec<FrontierPoint>, current: f64, currency: String) -> impl IntoView {
    let max_cost = points
        .iter()
        .map(|p| p.budget.max(p.total_cost))
        .fold(0.0, f64::max)
        .max(1.0);
    let max_score = points
        .iter()
        .map(|p| p.total_value)
        .fold(0.0, f64::max)
        .max(1.0);
    let x_step = tick_step(max_cost, 5.0);
    let y_step = tick_step(max_score, 5.0);
    let x_max = (max_cost / x_step).ceil() * x_step;
    let y_max = (max_score / y_step).ceil() * y_step;
    let x = move |v: f64| LEFT + v / x_max * (WIDTH - LEFT - RIGHT);
    let y = move |v: f64| HEIGHT - BOTTOM - v / y_max * (HEIGHT - TOP - BOTTOM);

    let line: String = points
        .iter()
        .map(|p| format!("{:.1},{:.1}", x(p.total_cost), y(p.total_value)))
        .collect::<Vec<_>>()
        .join(" ");
    let x_ticks = (0..=((x_max / x_step).round() as usize))
        .map(|i| {
            let v = i as f64 * x_step;
            view! {
                <g>
                    <line class="grid" x1=format!("{:.1}", x(v)) x2=format!("{:.1}", x(v))
                        y1=format!("{TOP}") y2=format!("{}", HEIGHT - BOTTOM)/>
                    <text class="tick" x=format!("{:.1}", x(v)) y=format!("{}", HEIGHT - BOTTOM + 16.0)
                        text-anchor="middle">{compact(v)}</text>
                </g>
            }
        })
        .map(|v| v.into_any()).collect_view();
    let y_ticks = (0..=((y_max / y_step).round() as usize))
        .map(|i| {
            let v = i as f64 * y_step;
            view! {
                <g>
                    <line class="grid" x1=format!("{LEFT}") x2=format!("{}", WIDTH - RIGHT)
                        y1=format!("{:.1}", y(v)) y2=format!("{:.1}", y(v))/>
                    <text class="tick" x=format!("{}", LEFT - 6.0) y=format!("{:.1}", y(v) + 4.0)
                        text-anchor="end">{format!("{v:.0}")}</text>
                </g>
            }
        })
        .map(|v| v.into_any())
        .collect_view();
    let currency_for_points = currency.clone();
    let dots = points
        .iter()
        .map(|p| {
            let is_current = (p.budget - current).abs() <= 1e-9 * current.abs().max(1.0);
            let title = format!(
                "Budget {}: total score {}, cost {}, {} proposals{}",
                format_money(p.budget, &currency_for_points),
                score_text(p.total_value),
                format_money(p.total_cost, &currency_for_points),
                p.chosen,
                if is_current { " (the budget you set)" } else { "" }
            );
            let (cx, cy) = (format!("{:.1}", x(p.total_cost)), format!("{:.1}", y(p.total_value)));
            view! {
                <g class=if is_current { "point current" } else { "point" }>
                    <title>{title}</title>
                    {is_current.then(|| view! { <circle cx=cx.clone() cy=cy.clone() r="9" class="ring"/> }.into_any())}
                    <circle cx=cx cy=cy r="4"/>
                </g>
            }
        })
        .map(|v| v.into_any()).collect_view();
    let rows: Vec<Vec<Cell>> = points
        .iter()
        .map(|p| {
            let note = if (p.budget - current).abs() <= 1e-9 * current.abs().max(1.0) {
                "Your budget"
            } else if !p.proven_optimal {
                "Best found (not proven)"
            } else {
                ""
            };
            vec![
                Cell::num(format_money(p.budget, &currency)),
                Cell::num(format_money(p.total_cost, &currency)),
                Cell::num(score_text(p.total_value)),
                Cell::num(p.chosen.to_string()),
                Cell::text(note),
            ]
        })
        .collect();
    view! {
        <figure class="frontier">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img"
                aria-label="Efficient frontier: best total score against total cost for each budget level"
                preserveAspectRatio="xMidYMid meet">
                {y_ticks}
                {x_ticks}
                <line class="axis" x1=format!("{LEFT}") x2=format!("{}", WIDTH - RIGHT)
                    y1=format!("{}", HEIGHT - BOTTOM) y2=format!("{}", HEIGHT - BOTTOM)/>
                <line class="axis" x1=format!("{LEFT}") x2=format!("{LEFT}")
                    y1=format!("{TOP}") y2=format!("{}", HEIGHT - BOTTOM)/>
                <polyline class="frontier-line" points=line fill="none"/>
                {dots}
                <text class="axis-label" x=format!("{}", (LEFT + WIDTH - RIGHT) / 2.0) y=format!("{}", HEIGHT - 8.0)
                    text-anchor="middle">"Total cost"</text>
                <text class="axis-label" x="14" y=format!("{}", (TOP + HEIGHT - BOTTOM) / 2.0)
                    text-anchor="middle" transform=format!("rotate(-90 14 {})", (TOP + HEIGHT - BOTTOM) / 2.0)>"Total score"</text>
            </svg>
            <figcaption>
                <details>
                    <summary>"Frontier data"</summary>
                    <DataTable label="Efficient frontier".to_string()
                        columns=vec![Column::num("Budget"), Column::num("Cost"), Column::num("Total score"), Column::num("Proposals"), Column::text("Note")]
                        rows=rows/>
                </details>
            </figcaption>
        </figure>
    }
}
