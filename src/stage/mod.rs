//! The stage: an SVG drawing of producers, the topic's partitions as lanes of offset cells,
//! consumer groups with their members, ownership arrows, committed offsets and lag.

pub mod view;

use std::fmt::Write;
use std::rc::Rc;

use kafka_engine::{EvictReason, GroupState, MemberStatus};
use kplay_runner::{FaultKind, ProcState, ProcessId};
use yew::prelude::*;

use yew::html::{onblur, onfocus, onmouseenter, onmouseleave};

use crate::app::Action;
use crate::i18n::{t, Lang, Msg};
use crate::sim::DepartReason;
use crate::storage::strategy_name;
use crate::ui::{
    class_if, el, el_full, el_on, group, int, list, listen, memo, num, on_click, on_keydown, own,
    own_opt, s, s_if, s_opt, span, svg_text, svg_text_fill, tag, title, translate, txt, Attr,
    Stamp,
};
use view::{CellView, GroupView, LaneView, MemberView, ProducerView, ViewRc};

/// Where things go in the drawing (SVG units, CSS px at scale 1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Layout {
    /// Width of the drawing.
    pub w: f64,
    /// Producers' column width (0: producers are not drawn).
    pub prod_w: f64,
    pub lane_x0: f64,
    pub cell_x0: f64,
    pub lane_x1: f64,
    /// Left edge and width of the groups' column.
    pub gx: f64,
    pub gw: f64,
    /// Groups sit under the lanes (narrow screens) instead of on their right.
    pub stacked: bool,
    /// Record cells drawn per lane.
    pub cells: u64,
}

impl Layout {
    /// Producers | lanes | groups, side by side.
    pub const WIDE: Layout = Layout {
        w: 920.0,
        prod_w: 108.0,
        lane_x0: 122.0,
        cell_x0: 166.0,
        lane_x1: 650.0,
        gx: 696.0,
        gw: 224.0,
        stacked: false,
        cells: 11,
    };
    /// For a blog column (about 400 px): lanes with fewer cells, groups under them.
    pub const NARROW: Layout = Layout {
        w: 404.0,
        prod_w: 0.0,
        lane_x0: 0.0,
        cell_x0: 40.0,
        lane_x1: 380.0,
        gx: 0.0,
        gw: 366.0,
        stacked: true,
        cells: 7,
    };
}

/// A record cell's width, and the distance between two cells.
const CW: f64 = 34.0;
const STEP: f64 = 37.0;
const TOP: f64 = 34.0;
const LANE_H: f64 = 42.0;
const LANE_GAP: f64 = 8.0;
const PROD_H: f64 = 40.0;
/// How long (virtual ms) an arrow keeps flowing after its member's fetch position moved.
const FLOW_MS: u64 = 1_500;
const GROUP_HEAD: f64 = 38.0;
const MEMBER_H: f64 = 40.0;
const DEPART_H: f64 = 28.0;
const GROUP_GAP: f64 = 12.0;

/// Colors of consumer groups, in order (each group also has its name written everywhere).
pub const GROUP_COLORS: [&str; 5] = ["#f59e0b", "#38bdf8", "#f472b6", "#a3e635", "#c084fc"];

pub fn group_color(i: usize) -> &'static str {
    GROUP_COLORS[i % GROUP_COLORS.len()]
}

/// A stable, readable color for a key (hue from a small string hash).
pub fn key_hue(key: &str) -> u32 {
    let mut h: u32 = 2_166_136_261;
    for b in key.bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(16_777_619);
    }
    h % 360
}

/// At most `n` characters of a text, with an ellipsis when cut.
pub fn short(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.pop();
        out.push('…');
    }
    out
}

/// A key as a cell shows it: whole up to 5 characters, else its last 4 (keys tend to share
/// prefixes such as `user-`).
pub fn key_label(k: &str) -> String {
    let n = k.chars().count();
    if n <= 5 {
        k.to_string()
    } else {
        let tail: String = k.chars().skip(n - 4).collect();
        format!("…{tail}")
    }
}

#[derive(Properties, PartialEq)]
pub struct StageProps {
    pub view: ViewRc,
    pub lang: Lang,
    /// The page's actions (a member's fault buttons send `Action::Fault`).
    pub act: Callback<Action>,
    pub layout: Layout,
    /// The state's `ui_seq`: moves with every action.
    pub ui: u64,
}

/// Which record the details panel shows.
#[derive(Clone, Copy, PartialEq)]
struct Hover {
    topic: usize,
    partition: u32,
    offset: u64,
}

fn slot_x(l: &Layout, lane: &LaneView, offset: u64) -> f64 {
    l.cell_x0 + offset.saturating_sub(lane.first_shown) as f64 * STEP
}

fn group_height(g: &GroupView) -> f64 {
    GROUP_HEAD + g.members.len().max(1) as f64 * MEMBER_H + g.departed.len() as f64 * DEPART_H + 8.0
}

pub fn proc_state_text(lang: Lang, s: &ProcState) -> &'static str {
    t(
        lang,
        match s {
            ProcState::NotStarted => Msg::NotStarted,
            ProcState::Ready => Msg::Ready,
            ProcState::Blocked(_) => Msg::Blocked,
            ProcState::Sleeping(_) => Msg::Sleeping,
            ProcState::Stalled(_) => Msg::Stalled,
            ProcState::Finished => Msg::Finished,
            ProcState::Failed(_) => Msg::Failed,
            ProcState::Crashed => Msg::Crashed,
        },
    )
}

fn status_text(lang: Lang, s: MemberStatus) -> (&'static str, &'static str) {
    match s {
        MemberStatus::Alive => ("●", t(lang, Msg::Alive)),
        MemberStatus::Stalled => ("‖", t(lang, Msg::Stalled)),
        MemberStatus::Crashed => ("✕", t(lang, Msg::Crashed)),
        MemberStatus::Closed => ("○", t(lang, Msg::Closed)),
    }
}

fn depart_text(lang: Lang, r: DepartReason) -> &'static str {
    t(
        lang,
        match r {
            DepartReason::Left => Msg::LeftGroup,
            DepartReason::Evicted(EvictReason::SessionTimeout) => Msg::EvictedSession,
            DepartReason::Evicted(EvictReason::MaxPollInterval) => Msg::EvictedPoll,
            DepartReason::Evicted(EvictReason::RebalanceTimeout) => Msg::EvictedRebalance,
        },
    )
}

/// A rectangle without a class (`x`, `y` left out when `None`).
fn rect(x: Option<f64>, y: Option<f64>, w: f64, h: f64, rx: &'static str, fill: Attr) -> Html {
    el(
        "rect",
        &["x", "y", "width", "height", "rx", "fill"],
        vec![
            x.and_then(num),
            y.and_then(num),
            num(w),
            num(h),
            s_opt(rx),
            fill,
        ],
        Vec::new(),
    )
}

/// The banner of a group in a rebalance.
fn banner(lang: Lang, g: &GroupView) -> Html {
    let coop = g.protocol == Some(kafka_engine::Strategy::CooperativeSticky);
    let (from, to) = match g.state {
        GroupState::PreparingRebalance => (g.generation, g.generation + 1),
        _ => (g.generation - 1, g.generation),
    };
    el(
        "div",
        &["data-rebalancing", "class"],
        vec![
            own(g.id.clone()),
            s(if coop { "banner coop" } else { "banner" }),
        ],
        vec![
            el(
                "span",
                &["aria-hidden", "class"],
                vec![s("true"), s("spin")],
                vec![txt("⟳")],
            ),
            el(
                "strong",
                &[],
                Vec::new(),
                vec![txt(format!("{} {}… ", t(lang, Msg::Rebalancing), g.id))],
            ),
            txt(format!(
                "{} {} → {} · ",
                t(lang, Msg::Generation),
                from.max(0),
                to
            )),
            span(
                "muted",
                txt(t(
                    lang,
                    if coop {
                        Msg::CooperativeNote
                    } else {
                        Msg::EagerNote
                    },
                )),
            ),
        ],
    )
}

#[function_component(Stage)]
pub fn stage(props: &StageProps) -> Html {
    let v = &props.view.0;
    let lang = props.lang;
    let l = props.layout;
    let hover = use_state(|| None::<Hover>);
    let on_hover = {
        let hover = hover.setter();
        use_callback((), move |h: Option<Hover>, _| hover.set(h))
    };

    // Vertical layout: topics (title + lanes), producers, groups.
    let mut y = TOP;
    let mut lane_y: Vec<Vec<f64>> = Vec::new();
    let mut topic_y: Vec<f64> = Vec::new();
    for (ti, topic) in v.topics.iter().enumerate() {
        if ti > 0 {
            y += 26.0;
        }
        topic_y.push(y - 14.0);
        let mut ys = Vec::new();
        for _ in &topic.lanes {
            ys.push(y);
            y += LANE_H + LANE_GAP;
        }
        lane_y.push(ys);
    }
    let lanes_bottom = y;
    let prod_y = |i: usize| TOP + i as f64 * (PROD_H + 8.0);
    let prod_bottom = if l.prod_w > 0.0 {
        prod_y(v.producers.len())
    } else {
        TOP
    };
    let groups_top = if l.stacked { lanes_bottom + 30.0 } else { TOP };
    let mut gy = groups_top;
    let mut group_y: Vec<f64> = Vec::new();
    for g in &v.groups {
        group_y.push(gy);
        gy += group_height(g) + GROUP_GAP;
    }
    let height = lanes_bottom.max(prod_bottom).max(gy).max(140.0) + 8.0;

    // The details panel.
    let details = (*hover).as_ref().and_then(|h| {
        let topic = v.topics.get(h.topic)?;
        let lane = topic.lanes.get(h.partition as usize)?;
        let cell = lane.cells.iter().find(|c| c.offset == h.offset)?;
        Some((topic.name.as_str(), h.partition, cell))
    });

    let mut banners: Vec<Html> = Vec::new();
    for g in &v.groups {
        if g.rebalancing() {
            banners.push(banner(lang, g));
        }
    }

    let mut items: Vec<Html> = vec![el(
        "defs",
        &[],
        Vec::new(),
        vec![el(
            "pattern",
            &["id", "width", "height", "patternUnits", "patternTransform"],
            vec![
                s("hatch"),
                s("6"),
                s("6"),
                s("userSpaceOnUse"),
                s("rotate(45)"),
            ],
            vec![
                rect(None, None, 6.0, 6.0, "", s("#1b2440")),
                el(
                    "line",
                    &["x1", "y1", "x2", "y2", "stroke", "stroke-width"],
                    vec![s("0"), s("0"), s("0"), s("6"), s("#3b4770"), s("3")],
                    Vec::new(),
                ),
            ],
        )],
    )];
    items.push(if l.prod_w > 0.0 {
        let mut p = vec![svg_text(
            "col-title",
            0.0,
            16.0,
            txt(t(lang, Msg::Producers)),
        )];
        for (i, pv) in v.producers.iter().enumerate() {
            p.push(producer_box(lang, &l, pv, prod_y(i)));
        }
        list(p)
    } else {
        Html::default()
    });
    items.push(svg_text(
        "col-title",
        l.gx,
        groups_top - 18.0,
        txt(t(lang, Msg::Groups)),
    ));
    for (ti, topic) in v.topics.iter().enumerate() {
        let total: u64 = topic.lanes.iter().map(|l| l.stored).sum();
        let parts = if topic.lanes.len() == 1 {
            Msg::PartitionOne
        } else {
            Msg::PartitionsCount
        };
        let mut lanes = Vec::new();
        for (pi, lane) in topic.lanes.iter().enumerate() {
            lanes.push(html! {
                    <Lane key={format!("{}-{}", topic.name, lane.partition)}
                          lane={lane.clone()} topic={ti} y={lane_y[ti][pi]} lang={lang}
                          groups={lane_groups(&v.groups, &topic.name, lane)}
                          prod_rows={v.producers.len()} layout={l}
                          on_hover={on_hover.clone()} />
            });
        }
        let title = format!(
            "{} {} · {} {} · {} {}",
            t(lang, Msg::Topic),
            topic.name,
            topic.lanes.len(),
            t(lang, parts),
            total,
            t(
                lang,
                if total == 1 {
                    Msg::MessageOne
                } else {
                    Msg::Messages
                }
            )
        );
        items.push(el(
            "g",
            &["data-topic", "class"],
            vec![own(topic.name.clone()), s("topic")],
            vec![
                svg_text("topic-title", l.lane_x0, topic_y[ti] - 2.0, txt(title)),
                list(lanes),
            ],
        ));
    }
    // Ownership arrows: partition -> member, one color per group.
    let mut arrows: Vec<Html> = Vec::new();
    for (gi, g) in v.groups.iter().enumerate() {
        let gy0 = group_y[gi];
        // From what each member's client holds right now: during an eager rebalance the arrows
        // go, during a cooperative one most stay.
        for (mi, m) in g.members.iter().enumerate() {
            for (oi, (topic, partition)) in m.owned.iter().enumerate() {
                let Some(ly) = v
                    .topics
                    .iter()
                    .position(|tv| &tv.name == topic)
                    .and_then(|ti| lane_y.get(ti)?.get(*partition as usize))
                else {
                    continue;
                };
                let ly = ly + LANE_H / 2.0;
                let my = gy0 + GROUP_HEAD + mi as f64 * MEMBER_H + MEMBER_H / 2.0 - 2.0;
                let (x0, xm, x1) = if l.stacked {
                    // Out of the lane's right end, down the right margin, into the member.
                    (
                        l.lane_x1 + 1.0,
                        l.w - 3.0 - gi as f64 * 6.0,
                        l.gx + l.gw + 2.0,
                    )
                } else {
                    let (x0, x1) = (l.lane_x1 + 2.0, l.gx - 4.0);
                    (x0, (x0 + x1) / 2.0, x1)
                };
                let d = format!("M{x0},{ly} C{xm},{ly} {xm},{my} {x1},{my}");
                // Records reached this member from the partition in the last 1.5 s of virtual
                // time: the arrow flows (dashed).
                let fetch = m.fetch.get(oi).copied().unwrap_or_default();
                let flowing = fetch
                    .1
                    .is_some_and(|t| v.now_ms.saturating_sub(t) < FLOW_MS);
                // At speeds slow enough to follow, the dashes step toward the member as its
                // position moves (no CSS animation: repainting every arrow each frame cost the
                // big scenario a third of its frames in headless Chromium).
                let dash_offset = (flowing && v.animate)
                    .then(|| fetch.0.map(|p| format!("-{}", (p % 3) * 4)))
                    .flatten();
                let mut class = String::from("arrow");
                for (on, name) in [
                    (g.rebalancing(), " moving"),
                    (flowing, " flow"),
                    (
                        m.paused.iter().any(|p| p.0 == *topic && p.1 == *partition),
                        " paused",
                    ),
                ] {
                    if on {
                        class.push_str(name);
                    }
                }
                arrows.push(el_full(
                    "path",
                    NodeRef::default(),
                    Some(format!("{}-{}-{}-{}", g.id, m.member_id, topic, partition).into()),
                    &[
                        "stroke-dashoffset",
                        "data-group",
                        "data-partition",
                        "data-flow",
                        "d",
                        "stroke",
                        "marker-end",
                        "class",
                    ],
                    vec![
                        own_opt(dash_offset),
                        own(g.id.clone()),
                        int(u64::from(*partition)),
                        s_if(flowing, "true"),
                        own(d),
                        s(group_color(gi)),
                        s(""),
                        own(class),
                    ],
                    Vec::new(),
                    Vec::new(),
                ));
            }
        }
    }
    items.push(el(
        "g",
        &["aria-hidden", "class"],
        vec![s("true"), s("arrows")],
        vec![list(arrows)],
    ));
    items.push(if v.groups.is_empty() {
        svg_text(
            "empty-note",
            l.gx,
            groups_top + 16.0,
            txt(t(lang, Msg::NoGroups)),
        )
    } else {
        Html::default()
    });
    for (gi, g) in v.groups.iter().enumerate() {
        items.push(group_box(
            lang,
            &l,
            gi,
            g,
            group_y[gi],
            &props.act,
            props.ui,
        ));
    }

    let inspector = match details {
        None => {
            let item = |class: &'static str, text: Html| {
                span("legend-item", list(vec![tag("i", class, Vec::new()), text]))
            };
            tag(
                "div",
                "legend-row",
                vec![
                    span("muted", txt(t(lang, Msg::HoverHint))),
                    item("lg-committed", txt(t(lang, Msg::Committed))),
                    item("lg-end", txt(t(lang, Msg::LogEnd))),
                    span("legend-item muted", txt(t(lang, Msg::LagIs))),
                ],
            )
        }
        Some((topic, p, c)) => record_details(lang, topic, p, c),
    };
    el(
        "section",
        &["aria-label", "class"],
        vec![s(t(lang, Msg::Stage)), s("stage")],
        vec![
            el(
                "div",
                &["aria-live", "class"],
                vec![s("polite"), s("banners")],
                vec![list(banners)],
            ),
            el(
                "div",
                &["class"],
                vec![s("stage-scroll")],
                vec![el(
                    "svg",
                    &["viewBox", "width", "height", "role", "aria-label", "class"],
                    vec![
                        own(format!("0 0 {} {height}", l.w)),
                        num(l.w),
                        num(height),
                        s("group"),
                        s(t(lang, Msg::Stage)),
                        s(if l.stacked {
                            "stage-svg narrow"
                        } else {
                            "stage-svg"
                        }),
                    ],
                    items,
                )],
            ),
            el(
                "div",
                &["aria-live", "class"],
                vec![
                    s("polite"),
                    class_if("inspector", details.is_none(), "idle"),
                ],
                vec![inspector],
            ),
        ],
    )
}

/// A row of the record details: `<div><dt>label</dt><dd>value</dd></div>`.
fn detail(wide: bool, label: Msg, lang: Lang, mono: bool, value: String) -> Html {
    el(
        "div",
        &["class"],
        vec![s_if(wide, "wide")],
        vec![
            el("dt", &[], Vec::new(), vec![txt(t(lang, label))]),
            el("dd", &["class"], vec![s_if(mono, "mono")], vec![txt(value)]),
        ],
    )
}

fn record_details(lang: Lang, topic: &str, partition: u32, c: &CellView) -> Html {
    let headers = if c.headers.is_empty() {
        "—".to_string()
    } else {
        let mut out = String::new();
        for (i, (k, v)) in c.headers.iter().enumerate() {
            let sep = if i > 0 { ", " } else { "" };
            let _ = write!(out, "{sep}{k}={v}");
        }
        out
    };
    el(
        "dl",
        &["data-details-offset", "class"],
        vec![int(c.offset), s("record-details")],
        vec![
            el(
                "div",
                &[],
                Vec::new(),
                vec![tag("dt", "strong", vec![txt(t(lang, Msg::RecordDetails))])],
            ),
            detail(
                false,
                Msg::Key,
                lang,
                true,
                c.key
                    .clone()
                    .unwrap_or_else(|| t(lang, Msg::NoKey).to_string()),
            ),
            detail(true, Msg::Value, lang, true, short(&c.value, 400)),
            detail(false, Msg::Topic, lang, false, topic.to_string()),
            detail(false, Msg::Partition, lang, false, partition.to_string()),
            detail(false, Msg::Offset, lang, false, c.offset.to_string()),
            detail(
                false,
                Msg::Timestamp,
                lang,
                false,
                format!("{} ms", c.timestamp),
            ),
            detail(false, Msg::Headers, lang, true, headers),
            detail(false, Msg::Producer, lang, false, c.producer.clone()),
        ],
    )
}

fn producer_box(lang: Lang, l: &Layout, p: &ProducerView, y: f64) -> Html {
    let state = p
        .state
        .as_ref()
        .map(|s| proc_state_text(lang, s))
        .unwrap_or_else(|| t(lang, Msg::QuickSend));
    let crashed = matches!(
        p.state,
        Some(ProcState::Crashed) | Some(ProcState::Failed(_))
    );
    group(
        class_if("producer", crashed, "down"),
        0.0,
        y,
        vec![
            rect(None, None, l.prod_w, PROD_H, "8", None),
            svg_text("p-label", 10.0, 17.0, txt(short(&p.label, 15))),
            svg_text("p-state", 10.0, 32.0, txt(short(state, 17))),
        ],
    )
}

/// Per (lane, group): the group's committed offset, lag and owner of this partition.
#[derive(Clone, PartialEq)]
pub struct LaneGroup {
    pub index: usize,
    pub id: String,
    pub committed: Option<u64>,
    pub lag: Option<u64>,
    pub owner: Option<String>,
    pub owner_label: Option<String>,
}

fn lane_groups(groups: &[GroupView], topic: &str, lane: &LaneView) -> Vec<LaneGroup> {
    let mut out = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        let Some(part) = g
            .parts
            .iter()
            .find(|p| p.topic == topic && p.partition == lane.partition)
        else {
            continue;
        };
        let mut owner_label = None;
        for m in &g.members {
            if part.owner.as_ref() == Some(&m.member_id) {
                owner_label = Some(m.label.clone());
                break;
            }
        }
        out.push(LaneGroup {
            index: i,
            id: g.id.clone(),
            committed: part.committed,
            lag: part.lag,
            owner: part.owner.clone(),
            owner_label,
        });
    }
    out
}

#[derive(Properties, PartialEq)]
struct LaneProps {
    lane: LaneView,
    topic: usize,
    y: f64,
    lang: Lang,
    groups: Vec<LaneGroup>,
    prod_rows: usize,
    layout: Layout,
    on_hover: Callback<Option<Hover>>,
}

#[function_component(Lane)]
fn lane(props: &LaneProps) -> Html {
    let LaneProps {
        lane,
        topic,
        y,
        lang,
        groups,
        prod_rows,
        layout,
        on_hover,
    } = props;
    let lang = *lang;
    let l = layout;
    let slots = lane.log_end.saturating_sub(lane.first_shown).min(l.cells);
    // Stored records before the first cell drawn (compaction may have removed many offsets).
    let older = lane.stored.saturating_sub(lane.cells.len() as u64);
    let label_y = if older > 0 || lane.log_start > 0 {
        17.0
    } else {
        25.0
    };
    let end_x = slot_x(l, lane, lane.log_end);
    let mut kids = vec![
        el(
            "rect",
            &["x", "y", "width", "height", "rx", "class"],
            vec![
                num(l.lane_x0),
                s("0"),
                num(l.lane_x1 - l.lane_x0),
                num(LANE_H),
                s("8"),
                s("lane-bg"),
            ],
            Vec::new(),
        ),
        svg_text(
            "lane-label",
            l.lane_x0 + 8.0,
            label_y,
            txt(format!("P{}", lane.partition)),
        ),
    ];
    kids.push(if lane.log_start > 0 {
        el(
            "g",
            &["class"],
            vec![s("deleted")],
            vec![
                rect(
                    Some(l.cell_x0 - 8.0),
                    Some(5.0),
                    5.0,
                    LANE_H - 10.0,
                    "",
                    s("url(#hatch)"),
                ),
                title(format!(
                    "0…{}: {}",
                    lane.log_start - 1,
                    t(lang, Msg::Deleted)
                )),
            ],
        )
    } else {
        Html::default()
    });
    kids.push(if older > 0 {
        svg_text(
            "older",
            l.lane_x0 + 8.0,
            32.0,
            list(vec![
                txt(format!("+{}", compact(older))),
                title(format!(
                    "{} {} · {}: {}",
                    older,
                    t(lang, Msg::Older),
                    t(lang, Msg::LogStart),
                    lane.log_start
                )),
            ]),
        )
    } else if lane.log_start > 0 {
        svg_text(
            "older del",
            l.lane_x0 + 8.0,
            32.0,
            list(vec![
                txt(format!("−{}", compact(lane.log_start))),
                title(format!(
                    "{}: {} · {}",
                    t(lang, Msg::LogStart),
                    lane.log_start,
                    t(lang, Msg::Deleted)
                )),
            ]),
        )
    } else {
        Html::default()
    });
    // Compaction holes: offsets with no stored record stay visible as empty slots.
    for i in 0..slots {
        if lane.cells.iter().any(|c| c.offset == lane.first_shown + i) {
            continue;
        }
        kids.push(el(
            "rect",
            &["x", "y", "width", "height", "rx", "class"],
            vec![
                num(l.cell_x0 + i as f64 * STEP),
                s("6"),
                num(CW),
                num(LANE_H - 12.0),
                s("5"),
                s("slot"),
            ],
            Vec::new(),
        ));
    }
    // The log end: where the next record goes.
    kids.push(group(
        s("log-end"),
        end_x,
        0.0,
        vec![
            rect(Some(0.0), Some(6.0), CW, LANE_H - 12.0, "5", None),
            svg_text("", CW / 2.0, 25.0, txt(lane.log_end.to_string())),
            title(format!("{}: {}", t(lang, Msg::LogEnd), lane.log_end)),
        ],
    ));
    // Cells sit at a place fixed by their offset inside a group that slides left as the log
    // grows: a new record moves one transform, not every cell of the lane. A group of its own
    // also keeps the keyed cells apart from unkeyed siblings, or every shift would recreate them.
    let mut cells = Vec::new();
    for c in &lane.cells {
        {
            // Only a record that flies in needs where it flies from.
            let (dx, dy) = if c.fresh {
                let row_y = TOP
                    + c.from_row.min(prod_rows.saturating_sub(1)) as f64 * (PROD_H + 8.0)
                    + PROD_H / 2.0;
                let dy = if l.prod_w > 0.0 {
                    row_y - (y + LANE_H / 2.0)
                } else {
                    0.0
                };
                (l.prod_w - slot_x(l, lane, c.offset), dy)
            } else {
                (0.0, 0.0)
            };
            cells.push(html! {
                <Cell key={c.offset} cell={c.clone()} x={l.cell_x0 + c.offset as f64 * STEP} dx={dx} dy={dy}
                      topic={*topic} partition={lane.partition} lang={lang} on_hover={on_hover.clone()} />
            });
        }
    }
    kids.push(group(
        s("cells"),
        -(lane.first_shown as f64) * STEP,
        0.0,
        vec![list(cells)],
    ));
    for g in groups {
        kids.push(lane_group(lang, l, lane, g));
    }
    el(
        "g",
        &[
            "data-partition",
            "data-log-start",
            "data-log-end",
            "data-stored",
            "transform",
            "class",
        ],
        vec![
            int(u64::from(lane.partition)),
            int(lane.log_start),
            int(lane.log_end),
            int(lane.stored),
            translate(0.0, *y),
            s("lane"),
        ],
        kids,
    )
}

/// A group's committed offset, lag and owner on one lane.
fn lane_group(lang: Lang, l: &Layout, lane: &LaneView, g: &LaneGroup) -> Html {
    let color = group_color(g.index);
    let marker = g.committed.map(|c| {
        let cx = if c < lane.first_shown {
            l.cell_x0 - 2.0
        } else {
            slot_x(l, lane, c) - 1.5
        };
        group(
            s("committed"),
            cx,
            0.0,
            vec![
                el(
                    "line",
                    &["x1", "y1", "x2", "y2", "stroke"],
                    vec![s("0"), s("2"), s("0"), num(LANE_H - 2.0), s(color)],
                    Vec::new(),
                ),
                el(
                    "path",
                    &["d", "fill"],
                    vec![s("M-4,0 L4,0 L0,5 Z"), s(color)],
                    Vec::new(),
                ),
            ],
        )
    });
    let lag_text = match g.lag {
        Some(l) => format!("{} {}", t(lang, Msg::Lag), compact(l)),
        None => format!("{} –", t(lang, Msg::Lag)),
    };
    // Only what rarely changes: a title rewritten every frame costs DOM work.
    let title_text = format!(
        "{} · {}: {}",
        g.id,
        t(lang, Msg::Owner),
        g.owner_label.as_deref().unwrap_or(t(lang, Msg::Nobody)),
    );
    let opt_int = |v: Option<u64>| own(v.map(|c| c.to_string()).unwrap_or_default());
    el(
        "g",
        &[
            "data-group",
            "data-owner",
            "data-committed",
            "data-lag",
            "class",
        ],
        vec![
            own(g.id.clone()),
            own(g.owner.clone().unwrap_or_default()),
            opt_int(g.committed),
            opt_int(g.lag),
            s("lane-group"),
        ],
        vec![
            title(title_text),
            marker.unwrap_or_default(),
            svg_text_fill(
                "lag",
                l.lane_x1 - 6.0,
                12.0 + g.index.min(2) as f64 * 12.0,
                color,
                txt(lag_text),
            ),
        ],
    )
}

/// 1234 -> "1.2k".
pub fn compact(n: u64) -> String {
    if n >= 10_000 {
        format!("{}k", n / 1000)
    } else if n >= 1000 {
        format!("{:.1}k", n as f64 / 1000.0)
    } else {
        n.to_string()
    }
}

#[derive(Properties, PartialEq)]
struct CellProps {
    cell: Rc<CellView>,
    x: f64,
    dx: f64,
    dy: f64,
    topic: usize,
    partition: u32,
    lang: Lang,
    on_hover: Callback<Option<Hover>>,
}

/// A callback that sends `v` whatever the event.
fn send<E: 'static>(cb: &Callback<Option<Hover>>, v: Option<Hover>) -> Callback<E> {
    let cb = cb.clone();
    Callback::from(move |_: E| cb.emit(v))
}

#[function_component(Cell)]
fn cell(props: &CellProps) -> Html {
    let c = &props.cell;
    let lang = props.lang;
    let fill = match (&c.key, c.tombstone) {
        (_, true) => s("none"),
        (Some(k), _) => own(format!("hsl({} 62% 60%)", key_hue(k))),
        (None, _) => s("hsl(220 12% 62%)"),
    };
    let label = match &c.key {
        Some(k) => key_label(k),
        None => "∅".to_string(),
    };
    let hover = Some(Hover {
        topic: props.topic,
        partition: props.partition,
        offset: c.offset,
    });
    let cb = &props.on_hover;
    let aria = format!(
        "{} {}, {} {}, {} {}",
        t(lang, Msg::Offset),
        c.offset,
        t(lang, Msg::Key),
        c.key.as_deref().unwrap_or(t(lang, Msg::NoKey)),
        t(lang, Msg::Value),
        short(&c.value, 60)
    );
    el_on(
        "g",
        &[
            "data-offset",
            "data-key",
            "transform",
            "tabindex",
            "role",
            "aria-label",
            "class",
        ],
        vec![
            int(c.offset),
            own_opt(c.key.clone()),
            translate(props.x, 6.0),
            s("0"),
            s("img"),
            own(aria),
            class_if("cell", c.tombstone, "tombstone"),
        ],
        vec![
            listen(onmouseenter::Wrapper::new(send(cb, hover))),
            listen(onfocus::Wrapper::new(send(cb, hover))),
            listen(onmouseleave::Wrapper::new(send(cb, None))),
            listen(onblur::Wrapper::new(send(cb, None))),
        ],
        vec![el(
            "g",
            &["style", "class"],
            vec![
                own_opt(
                    c.fresh
                        .then(|| format!("--dx:{:.0}px;--dy:{:.0}px", props.dx, props.dy)),
                ),
                s_if(c.fresh, "fly"),
            ],
            vec![
                rect(None, None, CW, LANE_H - 12.0, "5", fill),
                svg_text("cell-key", CW / 2.0, 16.0, txt(label)),
                svg_text("cell-off", CW / 2.0, 26.0, txt(c.offset.to_string())),
            ],
        )],
    )
}

fn group_box(
    lang: Lang,
    l: &Layout,
    gi: usize,
    g: &GroupView,
    y: f64,
    act: &Callback<Action>,
    ui: u64,
) -> Html {
    let color = group_color(gi);
    let h = group_height(g);
    // The group's protocol, short enough for the box (`coop-sticky` for cooperative-sticky).
    let protocol = match g.protocol {
        Some(kafka_engine::Strategy::CooperativeSticky) => "coop-sticky",
        Some(p) => strategy_name(p),
        None => "–",
    };
    let mut kids = vec![
        el(
            "rect",
            &["width", "height", "rx", "stroke", "class"],
            vec![num(l.gw), num(h), s("10"), s(color), s("group-bg")],
            Vec::new(),
        ),
        rect(Some(0.0), Some(0.0), 5.0, h, "2", s(color)),
        svg_text("g-title", 14.0, 16.0, txt(short(&g.id, 20))),
        svg_text_fill(
            "g-lag",
            l.gw - 8.0,
            16.0,
            color,
            txt(format!("{} {}", t(lang, Msg::Lag), compact(g.lag))),
        ),
        svg_text(
            "g-sub",
            14.0,
            30.0,
            txt(format!(
                "{} {} · {} · {}",
                t(lang, Msg::Gen),
                g.generation,
                g.state.as_str(),
                protocol
            )),
        ),
    ];
    for (mi, m) in g.members.iter().enumerate() {
        let my = GROUP_HEAD + mi as f64 * MEMBER_H;
        let (icon, status) = status_text(lang, m.status);
        let phase = rebalance_phase(lang, g, m);
        let parts = if let Some((_, text)) = &phase {
            text.clone()
        } else if m.assignment.is_empty() && g.rebalancing() {
            t(lang, Msg::AwaitingAssignment).to_string()
        } else if m.assignment.is_empty() {
            t(lang, Msg::Idle).to_string()
        } else {
            // A paused partition (consumer.pause()) is still owned but not fetched: ‖.
            let mut ps = String::new();
            for (i, tp) in m.assignment.iter().take(6).enumerate() {
                let sep = if i > 0 { " " } else { "" };
                let mark = if m.paused.contains(tp) { "‖" } else { "" };
                let _ = write!(ps, "{sep}P{}{mark}", tp.1);
            }
            format!("{} · {} {}", ps, t(lang, Msg::Lag), compact(m.lag))
        };
        let class = match m.status {
            MemberStatus::Crashed | MemberStatus::Closed => "member down",
            MemberStatus::Stalled => "member stalled",
            MemberStatus::Alive => "member",
        };
        let down = matches!(m.status, MemberStatus::Crashed | MemberStatus::Closed);
        let label = format!("{}{}", m.label, if m.leader { " ★" } else { "" });
        kids.push(el(
            "g",
            &[
                "data-member",
                "data-status",
                "data-partitions",
                "data-phase",
                "data-owned",
                "transform",
                "class",
            ],
            vec![
                own(m.member_id.clone()),
                s(status),
                int(m.assignment.len() as u64),
                s(phase.as_ref().map_or("stable", |p| p.0)),
                int(m.owned.len() as u64),
                translate(8.0, my),
                s(class),
            ],
            vec![
                el(
                    "rect",
                    &["width", "height", "rx", "class"],
                    vec![
                        num(l.gw - 16.0),
                        num(MEMBER_H - 4.0),
                        s("6"),
                        s("member-bg"),
                    ],
                    Vec::new(),
                ),
                svg_text(
                    "m-label",
                    8.0,
                    15.0,
                    txt(format!("{icon} {}", short(&label, 16))),
                ),
                svg_text(
                    "m-sub",
                    8.0,
                    29.0,
                    txt(if down {
                        status.to_string()
                    } else {
                        short(&parts, 32)
                    }),
                ),
                match m.process {
                    Some(pid) => {
                        // The same buttons every frame: a label, a language or a width changes
                        // only by an action (`ui`), and a new process has a new id.
                        let (label, act, gw) = (m.label.clone(), act.clone(), l.gw);
                        memo(
                            Stamp(ui).int(pid.0 as u64),
                            Rc::new(move || member_buttons(lang, gw, pid, &label, &act)),
                        )
                    }
                    None => Html::default(),
                },
            ],
        ));
    }
    kids.push(if g.members.is_empty() {
        svg_text("m-sub", 14.0, GROUP_HEAD + 16.0, txt("—"))
    } else {
        Html::default()
    });
    for (di, d) in g.departed.iter().enumerate() {
        let dy =
            GROUP_HEAD + g.members.len().max(1) as f64 * MEMBER_H + di as f64 * DEPART_H + 10.0;
        let evicted = matches!(d.reason, DepartReason::Evicted(_));
        let why = depart_text(lang, d.reason);
        kids.push(group(
            s("departed"),
            14.0,
            dy,
            vec![
                title(format!("{} — {} ({} ms)", d.label, why, d.time_ms)),
                svg_text(
                    "d-label",
                    0.0,
                    0.0,
                    txt(format!(
                        "✕ {} · {}",
                        short(&d.label, 18),
                        t(
                            lang,
                            if evicted {
                                Msg::Evicted
                            } else {
                                Msg::LeftGroup
                            }
                        )
                    )),
                ),
                if evicted {
                    svg_text("d-why", 12.0, 12.0, txt(short(why, 38)))
                } else {
                    Html::default()
                },
            ],
        ));
    }
    el(
        "g",
        &[
            "data-group",
            "data-generation",
            "data-state",
            "data-lag",
            "transform",
            "class",
        ],
        vec![
            own(g.id.clone()),
            own(g.generation.to_string()),
            s(g.state.as_str()),
            int(g.lag),
            translate(l.gx, y),
            class_if("group", g.rebalancing(), "rebalancing"),
        ],
        kids,
    )
}

/// Where a member is in the rebalance in progress (JoinGroup, then SyncGroup) and what its client
/// holds meanwhile: an eager member revokes everything before it rejoins, a cooperative one keeps
/// what stays. `None` outside a rebalance.
fn rebalance_phase(lang: Lang, g: &GroupView, m: &MemberView) -> Option<(&'static str, String)> {
    let held = || {
        let mut ps = String::new();
        for (i, (_, p)) in m.owned.iter().take(6).enumerate() {
            let sep = if i > 0 { " " } else { "" };
            let _ = write!(ps, "{sep}P{p}");
        }
        ps
    };
    let phase = match g.state {
        GroupState::PreparingRebalance if m.joined => (
            "joined",
            if m.owned.is_empty() {
                t(lang, Msg::PhaseJoinedNone).to_string()
            } else {
                format!("{} {}", t(lang, Msg::PhaseJoinedKeeps), held())
            },
        ),
        GroupState::PreparingRebalance => (
            "rejoin",
            if m.owned.is_empty() {
                format!(
                    "{} · {}",
                    t(lang, Msg::PhaseRevoked),
                    t(lang, Msg::PhaseMustRejoin)
                )
            } else {
                format!(
                    "{} {} · {}",
                    t(lang, Msg::PhaseHolds),
                    held(),
                    t(lang, Msg::PhaseMustRejoin)
                )
            },
        ),
        GroupState::CompletingRebalance if m.leader => {
            ("assigning", t(lang, Msg::PhaseLeaderAssigns).to_string())
        }
        GroupState::CompletingRebalance => ("sync", t(lang, Msg::PhaseAwaitSync).to_string()),
        _ => return None,
    };
    Some(phase)
}

/// A member's fault buttons: icon, label, fault, `data-fault`.
const FAULT_BUTTONS: [(&str, Msg, FaultKind, &str); 4] = [
    ("✕", Msg::Crash, FaultKind::Crash, "crash"),
    ("‖", Msg::Stall, FaultKind::Stall(40_000), "stall"),
    ("⇥", Msg::Leave, FaultKind::Leave, "leave"),
    ("↻", Msg::Restart, FaultKind::Restart, "restart"),
];

fn member_buttons(
    lang: Lang,
    gw: f64,
    pid: ProcessId,
    label: &str,
    act: &Callback<Action>,
) -> Html {
    let mut buttons = Vec::new();
    for (i, &(icon, msg, kind, name)) in FAULT_BUTTONS.iter().enumerate() {
        {
            let x = gw - 16.0 - 4.0 * 18.0 - 4.0 + i as f64 * 18.0;
            let click = act.reform(move |_: MouseEvent| Action::Fault(pid, kind));
            let key = {
                let act = act.clone();
                Callback::from(move |e: KeyboardEvent| {
                    if e.key() == "Enter" || e.key() == " " {
                        e.prevent_default();
                        act.emit(Action::Fault(pid, kind));
                    }
                })
            };
            let aria = format!("{} {}", t(lang, msg), label);
            buttons.push(el_on(
                "g",
                &[
                    "role",
                    "tabindex",
                    "aria-label",
                    "data-fault",
                    "transform",
                    "class",
                ],
                vec![
                    s("button"),
                    s("0"),
                    own(aria.clone()),
                    s(name),
                    translate(x, 3.0),
                    s("m-btn"),
                ],
                vec![on_click(click), on_keydown(key)],
                vec![
                    title(aria),
                    rect(None, None, 16.0, 16.0, "4", None),
                    svg_text("", 8.0, 12.0, txt(icon)),
                ],
            ));
        }
    }
    el("g", &["class"], vec![s("m-buttons")], vec![list(buttons)])
}
