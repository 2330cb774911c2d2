//! The roadmap (`#/roadmap`): an SVG timeline of projects grouped by
//! program, planned and forecast bars, and a today line. Every bar is
//! focusable, named for screen readers and shows its details on hover or
//! focus; arrow keys move between bars and Enter opens the project.
//! The geometry comes from `domain::roadmap`.

use super::routes::{navigate, Route};
use super::state::{today, AppState};
use crate::domain::roadmap::{self, Bar, Layout, LABEL_WIDTH, ROW_HEIGHT};
use crate::domain::{Project, ProjectStatus, Rag};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{}\u{2026}", cut.trim_end())
    }
}

fn focus_bar(index: usize) {
    let element = web_sys::window().and_then(|w| w.document()).and_then(|d| {
        d.query_selector(&format!("[data-bar-index=\"{index}\"]"))
            .ok()
            .flatten()
    });
    if let Some(el) = element.and_then(|e| e.dyn_into::<web_sys::SvgElement>().ok()) {
        let _ = el.focus();
    }
}

#[component]
pub fn RoadmapPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let include_finished = RwSignal::new(false);
    // Program id; empty for all programs.
    let program = RwSignal::new(String::new());
    let programs = Memo::new(move |_| {
        state.portfolio.with(|p| {
            let mut list: Vec<(String, String)> = p
                .programs
                .values()
                .map(|pr| (pr.id.clone(), pr.name.clone()))
                .collect();
            list.sort_by_key(|a| a.1.to_lowercase());
            list
        })
    });
    let layout = Memo::new(move |_| {
        let all = include_finished.get();
        let only = program.get();
        state.portfolio.with(|p| {
            let shown: Vec<&Project> = p
                .projects
                .values()
                .filter(|x| {
                    all || !matches!(x.status, ProjectStatus::Closed | ProjectStatus::Cancelled)
                })
                .filter(|x| only.is_empty() || x.program_id.as_deref() == Some(only.as_str()))
                .collect();
            roadmap::layout(p, &shown, today())
        })
    });
    let active = RwSignal::new(None::<usize>);
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <section class="roadmap" aria-labelledby="roadmap-title">
            <h1 id="roadmap-title">"Roadmap"</h1>
            <div class="toolbar no-print">
                <div class="field">
                    <label for="roadmap-program">"Program"</label>
                    <select id="roadmap-program" on:change=move |ev| program.set(event_target_value(&ev))>
                        <option value="">"All programs"</option>
                        {move || programs.get().into_iter().map(|(id, name)| {
                            let selected = program.get_untracked() == id;
                            view! { <option value=id selected=selected>{name}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <label class="checkbox">
                    <input type="checkbox" prop:checked=move || include_finished.get()
                        on:change=move |ev| include_finished.set(event_target_checked(&ev))/>
                    " Show closed and cancelled projects"
                </label>
                <button type="button" class="secondary" on:click=print>"Print"</button>
            </div>
            <ul class="roadmap-legend" aria-label="Legend">
                <li><span class="swatch planned" aria-hidden="true"></span>"Planned"</li>
                <li><span class="swatch forecast" aria-hidden="true"></span>"Forecast (or actual), coloured by health"</li>
                <li><span class="swatch today" aria-hidden="true"></span>"Today"</li>
                <li>"Health is named next to each project"</li>
            </ul>
            {move || {
                let l = layout.get();
                if l.lanes.is_empty() {
                    view! { <p class="empty">"No project has dates to show yet. Give projects a planned start and end on their pages."</p> }.into_any()
                } else {
                    view! { <Timeline layout=l active/> }.into_any()
                }
            }}
            <p id="roadmap-help" class="hint no-print">"Tab or the arrow keys move between projects; Enter opens the project."</p>
            {move || {
                let unscheduled = layout.with(|l| l.unscheduled.clone());
                (!unscheduled.is_empty()).then(|| view! {
                    <section aria-labelledby="unscheduled-title">
                        <h2 id="unscheduled-title">"Not scheduled"</h2>
                        <ul>
                            {unscheduled.into_iter().map(|(id, label)| view! {
                                <li><a href=Route::Project(id).href()>{label}</a></li>
                            }).collect_view()}
                        </ul>
                    </section>
                })
            }}
        </section>
    }
}

#[component]
fn Timeline(layout: Layout, active: RwSignal<Option<usize>>) -> impl IntoView {
    let bars: Vec<Bar> = layout.bars().cloned().collect();
    let count = bars.len();
    let (width, height) = (layout.width, layout.height);
    let tip_bars = StoredValue::new(bars.clone());
    let ticks = layout
        .ticks
        .iter()
        .map(|t| {
            let class = if t.major { "tick major" } else { "tick" };
            view! {
                <g class=class>
                    <line x1=t.x y1=roadmap::AXIS_HEIGHT - 6.0 x2=t.x y2=height/>
                    <text x=t.x + 3.0 y=roadmap::AXIS_HEIGHT - 12.0>{t.label.clone()}</text>
                </g>
            }
        })
        .collect_view();
    let lanes = layout
        .lanes
        .iter()
        .map(|lane| {
            view! {
                <g class="lane">
                    <rect class="lane-header" x="0" y=lane.y width=width height=roadmap::LANE_HEADER/>
                    <text class="lane-label" x="8" y=lane.y + 19.0>{lane.label.clone()}</text>
                </g>
            }
        })
        .collect_view();
    let bar_views = bars
        .into_iter()
        .enumerate()
        .map(|(index, bar)| view! { <BarView bar index count active/> })
        .collect_view();
    let today_line = layout.today_x.map(|x| {
        view! {
            <g class="today">
                <line x1=x y1=roadmap::AXIS_HEIGHT - 6.0 x2=x y2=height/>
                <text x=x y="12" text-anchor="middle">"Today"</text>
            </g>
        }
    });
    let tip = move || {
        active.get().and_then(|i| {
            tip_bars.with_value(|bars| {
                bars.get(i).map(|bar| {
                    let left = (bar
                        .forecast
                        .as_ref()
                        .or(bar.planned.as_ref())
                        .map_or(LABEL_WIDTH, |s| s.x)
                        / width
                        * 100.0)
                        .min(70.0);
                    let top = (bar.y + ROW_HEIGHT) / height * 100.0;
                    let lines: Vec<String> = bar
                        .description
                        .split("; ")
                        .map(|l| {
                            let mut c = l.chars();
                            c.next()
                                .map(|f| f.to_uppercase().chain(c).collect())
                                .unwrap_or_default()
                        })
                        .collect();
                    view! {
                        <div id="roadmap-tip" class="roadmap-tip" role="tooltip"
                            style=format!("left: {left:.2}%; top: {top:.2}%")>
                            <strong>{lines.first().cloned().unwrap_or_default()}</strong>
                            {lines.into_iter().skip(1).map(|l| view! { <span>{l}</span> }).collect_view()}
                        </div>
                    }
                })
            })
        })
    };
    view! {
        <div class="roadmap-wrap">
            <svg class="roadmap-chart" viewBox=format!("0 0 {width} {height}")
                width=width height=height preserveAspectRatio="xMinYMin meet"
                role="group" aria-label="Timeline of projects by program" aria-describedby="roadmap-help">
                {ticks}
                {lanes}
                {today_line}
                {bar_views}
            </svg>
            {tip}
        </div>
    }
}

#[component]
fn BarView(bar: Bar, index: usize, count: usize, active: RwSignal<Option<usize>>) -> impl IntoView {
    let href = Route::Project(bar.id.clone());
    let open_href = href.clone();
    let keydown = move |ev: leptos::ev::KeyboardEvent| {
        let target = match ev.key().as_str() {
            "ArrowDown" | "ArrowRight" => Some((index + 1).min(count - 1)),
            "ArrowUp" | "ArrowLeft" => Some(index.saturating_sub(1)),
            "Home" => Some(0),
            "End" => Some(count - 1),
            "Enter" | " " => {
                ev.prevent_default();
                navigate(&open_href);
                None
            }
            _ => return,
        };
        if let Some(i) = target {
            ev.prevent_default();
            focus_bar(i);
        }
    };
    let rag_class = match bar.rag {
        Rag::Green => "rag-green",
        Rag::Amber => "rag-amber",
        Rag::Red => "rag-red",
        Rag::NotAssessed => "rag-grey",
    };
    let glyph = match bar.rag {
        Rag::Green => "\u{25cf}",
        Rag::Amber => "\u{25b2}",
        Rag::Red => "\u{25a0}",
        Rag::NotAssessed => "\u{25cb}",
    };
    let y = bar.y;
    let planned = bar.planned.as_ref().map(|s| {
        view! { <rect class="bar-planned" x=s.x y=y + 5.0 width=s.width height="8" rx="2"/> }
    });
    let forecast = bar.forecast.as_ref().map(|s| {
        view! { <rect class="bar-forecast" x=s.x y=y + 14.0 width=s.width height="11" rx="2"/> }
    });
    let is_active = move || active.get() == Some(index);
    view! {
        <g class=format!("bar {rag_class}") class:active=is_active
            tabindex="0" role="link" data-bar-index=index
            aria-label=bar.description.clone()
            aria-describedby=move || is_active().then_some("roadmap-tip")
            on:focus=move |_| active.set(Some(index))
            on:blur=move |_| active.update(|a| if *a == Some(index) { *a = None })
            on:mouseenter=move |_| active.set(Some(index))
            on:mouseleave=move |_| active.update(|a| if *a == Some(index) { *a = None })
            on:click=move |_| navigate(&href)
            on:keydown=keydown>
            <rect class="bar-hit" x="0" y=y width=LABEL_WIDTH + roadmap::CHART_WIDTH height=ROW_HEIGHT/>
            <text class="bar-label" x="8" y=y + 19.0>{truncate(&bar.label, 31)}</text>
            <text class="bar-rag" x=LABEL_WIDTH - 8.0 y=y + 19.0 text-anchor="end">{format!("{glyph} {}", bar.rag.label())}</text>
            {planned}
            {forecast}
        </g>
    }
}
