//! Small SVG charts sampled every virtual second: lag per group, messages produced and consumed
//! per second.

use std::collections::VecDeque;
use std::fmt::Write;

use yew::prelude::*;

use crate::i18n::{t, Lang, Msg};
use crate::sim::Sample;
use crate::stage::view::StageView;
use crate::ui::{self, el, list, num, own, tag, txt};

/// Samples drawn (one per virtual second).
const WINDOW: usize = 60;
const CW: f64 = 300.0;
const CH: f64 = 86.0;

/// What the charts draw.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ChartData {
    pub t_ms: Vec<u64>,
    pub produced: Vec<u64>,
    pub consumed: Vec<u64>,
    /// Group id and its total lag at each sample.
    pub lag: Vec<(String, Vec<u64>)>,
}

impl ChartData {
    pub fn from_samples(samples: &VecDeque<Sample>, view: &StageView) -> ChartData {
        let start = samples.len().saturating_sub(WINDOW);
        let mut groups: Vec<String> = Vec::new();
        for g in &view.groups {
            groups.push(g.id.clone());
        }
        let mut t_ms = Vec::new();
        let mut produced = Vec::new();
        let mut consumed = Vec::new();
        for s in samples.iter().skip(start) {
            t_ms.push(s.t_ms);
            produced.push(u64::from(s.produced));
            consumed.push(u64::from(s.consumed));
            for (g, _) in &s.lag {
                if !groups.contains(g) {
                    groups.push(g.clone());
                }
            }
        }
        let mut lag = Vec::new();
        for g in groups {
            let mut series = Vec::new();
            for s in samples.iter().skip(start) {
                let mut v = 0;
                for (id, l) in &s.lag {
                    if *id == g {
                        v = *l;
                        break;
                    }
                }
                series.push(v);
            }
            lag.push((g, series));
        }
        ChartData {
            t_ms,
            produced,
            consumed,
            lag,
        }
    }

    pub fn last_t(&self) -> Option<u64> {
        self.t_ms.last().copied()
    }
}

fn points(series: &[u64], max: u64) -> String {
    let n = series.len();
    let step = CW / (WINDOW.saturating_sub(1).max(1)) as f64;
    let x0 = CW - (n.saturating_sub(1)) as f64 * step;
    let mut out = String::new();
    for (i, v) in series.iter().enumerate() {
        let x = x0 + i as f64 * step;
        let y = CH - 4.0 - (*v as f64 / max.max(1) as f64) * (CH - 18.0);
        if i > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{x:.1},{y:.1}");
    }
    out
}

struct Series<'a> {
    label: String,
    color: &'static str,
    values: &'a [u64],
    dashed: bool,
}

fn chart(title: &'static str, series: &[Series], range: &str) -> Html {
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let legend = series
        .iter()
        .map(|s| {
            el(
                "span",
                &["class"],
                vec![ui::s("key")],
                vec![
                    el(
                        "i",
                        &["style"],
                        vec![own(format!("background:{}", s.color))],
                        Vec::new(),
                    ),
                    txt(format!(
                        "{} {}",
                        s.label,
                        s.values.last().copied().unwrap_or(0)
                    )),
                ],
            )
        })
        .collect();
    let mut lines = vec![
        el(
            "line",
            &["x1", "y1", "x2", "y2", "class"],
            vec![
                ui::s("0"),
                num(CH - 4.0),
                num(CW),
                num(CH - 4.0),
                ui::s("axis"),
            ],
            Vec::new(),
        ),
        el(
            "line",
            &["x1", "y1", "x2", "y2", "class"],
            vec![ui::s("0"), ui::s("14"), num(CW), ui::s("14"), ui::s("grid")],
            Vec::new(),
        ),
        el(
            "text",
            &["x", "y", "class"],
            vec![ui::s("2"), ui::s("11"), ui::s("axis-label")],
            vec![txt(max.to_string())],
        ),
        el(
            "text",
            &["x", "y", "class"],
            vec![num(CW - 2.0), ui::s("11"), ui::s("axis-label end")],
            vec![txt(range.to_string())],
        ),
    ];
    lines.extend(series.iter().map(|s| {
        el(
            "polyline",
            &["points", "stroke", "fill", "class"],
            vec![
                own(points(s.values, max)),
                ui::s(s.color),
                ui::s("none"),
                ui::s(if s.dashed { "series dashed" } else { "series" }),
            ],
            Vec::new(),
        )
    }));
    tag(
        "figure",
        "chart",
        vec![
            tag(
                "figcaption",
                "",
                vec![
                    tag("span", "", vec![txt(title)]),
                    tag("span", "legend", vec![list(legend)]),
                ],
            ),
            el(
                "svg",
                &["viewBox", "preserveAspectRatio", "role", "aria-label"],
                vec![
                    own(format!("0 0 {CW} {CH}")),
                    ui::s("none"),
                    ui::s("img"),
                    ui::s(title),
                ],
                lines,
            ),
        ],
    )
}

#[derive(Properties, PartialEq)]
pub struct ChartsProps {
    pub lang: Lang,
    pub data: std::rc::Rc<ChartData>,
    /// Group id and its color on the stage.
    pub colors: Vec<(String, &'static str)>,
}

#[function_component(Charts)]
pub fn charts(props: &ChartsProps) -> Html {
    let lang = props.lang;
    let d = &props.data;
    let range = match (d.t_ms.first(), d.t_ms.last()) {
        (Some(a), Some(b)) => format!("{}–{} s", a / 1000, b / 1000),
        _ => String::new(),
    };
    let lag: Vec<Series> = d
        .lag
        .iter()
        .map(|(g, v)| Series {
            label: g.clone(),
            color: props
                .colors
                .iter()
                .find(|(id, _)| id == g)
                .map(|(_, c)| *c)
                .unwrap_or("#94a0bd"),
            values: v,
            dashed: false,
        })
        .collect();
    let rates = [
        Series {
            label: t(lang, Msg::Produced).to_string(),
            color: "#e6e9f2",
            values: &d.produced,
            dashed: false,
        },
        Series {
            label: t(lang, Msg::Consumed).to_string(),
            color: "#38bdf8",
            values: &d.consumed,
            dashed: true,
        },
    ];
    el(
        "section",
        &["aria-label", "class"],
        vec![ui::s(t(lang, Msg::Charts)), ui::s("charts")],
        vec![
            chart(t(lang, Msg::LagChart), &lag, &range),
            chart(t(lang, Msg::RateChart), &rates, &range),
        ],
    )
}
