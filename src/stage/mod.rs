//! The stage: an SVG drawing of producers, the topic's partitions as lanes of offset cells,
//! consumer groups with their members, ownership arrows, committed offsets and lag.

pub mod view;

use std::rc::Rc;

use kafka_engine::{EvictReason, GroupState, MemberStatus};
use kplay_runner::{FaultKind, ProcState, ProcessId};
use yew::prelude::*;

use crate::i18n::{t, Lang, Msg};
use crate::sim::DepartReason;
use crate::storage::strategy_name;
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

/// A fault the learner asks for on a member.
pub type FaultRequest = (ProcessId, FaultKind);

#[derive(Properties, PartialEq)]
pub struct StageProps {
    pub view: ViewRc,
    pub lang: Lang,
    pub on_fault: Callback<FaultRequest>,
    pub layout: Layout,
}

/// Which record the details panel shows.
#[derive(Clone, Debug, PartialEq)]
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

pub fn proc_state_text(lang: Lang, s: &ProcState) -> String {
    match s {
        ProcState::NotStarted => t(lang, Msg::NotStarted).to_string(),
        ProcState::Ready => t(lang, Msg::Ready).to_string(),
        ProcState::Blocked(_) => t(lang, Msg::Blocked).to_string(),
        ProcState::Sleeping(_) => t(lang, Msg::Sleeping).to_string(),
        ProcState::Stalled(_) => t(lang, Msg::Stalled).to_string(),
        ProcState::Finished => t(lang, Msg::Finished).to_string(),
        ProcState::Failed(_) => t(lang, Msg::Failed).to_string(),
        ProcState::Crashed => t(lang, Msg::Crashed).to_string(),
    }
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
    match r {
        DepartReason::Left => t(lang, Msg::LeftGroup),
        DepartReason::Evicted(EvictReason::SessionTimeout) => t(lang, Msg::EvictedSession),
        DepartReason::Evicted(EvictReason::MaxPollInterval) => t(lang, Msg::EvictedPoll),
        DepartReason::Evicted(EvictReason::RebalanceTimeout) => t(lang, Msg::EvictedRebalance),
    }
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
        let ys = topic
            .lanes
            .iter()
            .map(|_| {
                let ly = y;
                y += LANE_H + LANE_GAP;
                ly
            })
            .collect();
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
    let group_y: Vec<f64> = v
        .groups
        .iter()
        .map(|g| {
            let at = gy;
            gy += group_height(g) + GROUP_GAP;
            at
        })
        .collect();
    let height = lanes_bottom.max(prod_bottom).max(gy).max(140.0) + 8.0;

    let rebalancing: Vec<&GroupView> = v.groups.iter().filter(|g| g.rebalancing()).collect();

    // The details panel.
    let details = (*hover).as_ref().and_then(|h| {
        let topic = v.topics.get(h.topic)?;
        let lane = topic.lanes.get(h.partition as usize)?;
        let cell = lane.cells.iter().find(|c| c.offset == h.offset)?;
        Some((topic.name.clone(), h.partition, cell.clone()))
    });

    html! {
        <section class="stage" aria-label={t(lang, Msg::Stage)}>
            <div class="banners" aria-live="polite">
                { for rebalancing.iter().map(|g| {
                    let coop = g.protocol == Some(kafka_engine::Strategy::CooperativeSticky);
                    let (from, to) = match g.state {
                        GroupState::PreparingRebalance => (g.generation, g.generation + 1),
                        _ => (g.generation - 1, g.generation),
                    };
                    html! {
                        <div class={classes!("banner", coop.then_some("coop"))} data-rebalancing={g.id.clone()}>
                            <span class="spin" aria-hidden="true">{ "⟳" }</span>
                            <strong>{ format!("{} {}… ", t(lang, Msg::Rebalancing), g.id) }</strong>
                            { format!("{} {} → {} · ", t(lang, Msg::Generation), from.max(0), to) }
                            <span class="muted">{ if coop { t(lang, Msg::CooperativeNote) } else { t(lang, Msg::EagerNote) } }</span>
                        </div>
                    }
                }) }
            </div>
            <div class="stage-scroll">
                <svg class={classes!("stage-svg", l.stacked.then_some("narrow"))} viewBox={format!("0 0 {} {height}", l.w)} width={l.w.to_string()} height={height.to_string()}
                     role="group" aria-label={t(lang, Msg::Stage)}>
                    <defs>
                        <pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                            <rect width="6" height="6" fill="#1b2440" />
                            <line x1="0" y1="0" x2="0" y2="6" stroke="#3b4770" stroke-width="3" />
                        </pattern>
                    </defs>
                    if l.prod_w > 0.0 {
                        <text class="col-title" x="0" y="16">{ t(lang, Msg::Producers) }</text>
                        { for v.producers.iter().enumerate().map(|(i, p)| producer_box(lang, &l, p, prod_y(i))) }
                    }
                    <text class="col-title" x={l.gx.to_string()} y={(groups_top - 18.0).to_string()}>{ t(lang, Msg::Groups) }</text>
                    { for v.topics.iter().enumerate().map(|(ti, topic)| {
                        let total: u64 = topic.lanes.iter().map(|l| l.stored).sum();
                        let parts = if topic.lanes.len() == 1 { Msg::PartitionOne } else { Msg::PartitionsCount };
                        html! {
                            <g class="topic" data-topic={topic.name.clone()}>
                                <text class="topic-title" x={l.lane_x0.to_string()} y={(topic_y[ti] - 2.0).to_string()}>
                                    { format!("{} {} · {} {} · {} {}", t(lang, Msg::Topic), topic.name, topic.lanes.len(), t(lang, parts), total, t(lang, if total == 1 { Msg::MessageOne } else { Msg::Messages })) }
                                </text>
                                <>{ for topic.lanes.iter().enumerate().map(|(pi, lane)| {
                                    let ly = lane_y[ti][pi];
                                    html! {
                                        <Lane key={format!("{}-{}", topic.name, lane.partition)}
                                              lane={lane.clone()} topic={ti} y={ly} lang={lang}
                                              groups={lane_groups(&v.groups, &topic.name, lane)}
                                              prod_rows={v.producers.len()} layout={l}
                                              on_hover={on_hover.clone()} />
                                    }
                                }) }</>
                            </g>
                        }
                    }) }
                    // Ownership arrows: partition -> member, one color per group.
                    <g class="arrows" aria-hidden="true">
                        { for v.groups.iter().enumerate().flat_map(|(gi, g)| {
                            let gy0 = group_y[gi];
                            let topics = &v.topics;
                            let lane_y = &lane_y;
                            // From what each member's client holds right now: during an eager
                            // rebalance the arrows go, during a cooperative one most stay.
                            g.members.iter().enumerate().flat_map(move |(mi, m)| {
                                m.owned.iter().enumerate().map(move |(oi, tp)| (mi, m, oi, tp))
                            }).filter_map(move |(mi, m, oi, (topic, partition))| {
                                let ti = topics.iter().position(|tv| &tv.name == topic)?;
                                let ly = *lane_y.get(ti)?.get(*partition as usize)? + LANE_H / 2.0;
                                let my = gy0 + GROUP_HEAD + mi as f64 * MEMBER_H + MEMBER_H / 2.0 - 2.0;
                                let d = if l.stacked {
                                    // Out of the lane's right end, down the right margin, into the member.
                                    let x0 = l.lane_x1 + 1.0;
                                    let x1 = l.gx + l.gw + 2.0;
                                    let xm = l.w - 3.0 - gi as f64 * 6.0;
                                    format!("M{x0},{ly} C{xm},{ly} {xm},{my} {x1},{my}")
                                } else {
                                    let x0 = l.lane_x1 + 2.0;
                                    let x1 = l.gx - 4.0;
                                    let mx = (x0 + x1) / 2.0;
                                    format!("M{x0},{ly} C{mx},{ly} {mx},{my} {x1},{my}")
                                };
                                let moving = g.rebalancing();
                                // Records reached this member from the partition in the last
                                // 1.5 s of virtual time: the arrow flows (dashed).
                                let fetch = m.fetch.get(oi).copied().unwrap_or_default();
                                let flowing = fetch.1.is_some_and(|t| v.now_ms.saturating_sub(t) < FLOW_MS);
                                // At speeds slow enough to follow, the dashes step toward the
                                // member as its position moves (no CSS animation: repainting
                                // every arrow each frame cost the big scenario a third of its
                                // frames in headless Chromium).
                                let dash_offset = (flowing && v.animate)
                                    .then(|| fetch.0.map(|p| format!("-{}", (p % 3) * 4)))
                                    .flatten();
                                Some(html! {
                                    <path key={format!("{}-{}-{}-{}", g.id, m.member_id, topic, partition)}
                                          class={classes!("arrow", moving.then_some("moving"), flowing.then_some("flow"), m.paused.iter().any(|p| p.0 == *topic && p.1 == *partition).then_some("paused"))} stroke-dashoffset={dash_offset} data-group={g.id.clone()}
                                          data-partition={partition.to_string()} data-flow={flowing.then_some("true")}
                                          d={d}
                                          stroke={group_color(gi)} marker-end="" />
                                })
                            })
                        }) }
                    </g>
                    if v.groups.is_empty() {
                        <text class="empty-note" x={l.gx.to_string()} y={(groups_top + 16.0).to_string()}>{ t(lang, Msg::NoGroups) }</text>
                    }
                    { for v.groups.iter().enumerate().map(|(gi, g)| group_box(lang, &l, gi, g, group_y[gi], &props.on_fault)) }
                </svg>
            </div>
            <div class={classes!("inspector", details.is_none().then_some("idle"))} aria-live="polite">
                { match &details {
                    None => html! {
                        <div class="legend-row">
                            <span class="muted">{ t(lang, Msg::HoverHint) }</span>
                            <span class="legend-item"><i class="lg-committed"></i>{ t(lang, Msg::Committed) }</span>
                            <span class="legend-item"><i class="lg-end"></i>{ t(lang, Msg::LogEnd) }</span>
                            <span class="legend-item muted">{ t(lang, Msg::LagIs) }</span>
                        </div>
                    },
                    Some((topic, p, c)) => record_details(lang, topic, *p, c),
                } }
            </div>
        </section>
    }
}

fn record_details(lang: Lang, topic: &str, partition: u32, c: &CellView) -> Html {
    let headers = if c.headers.is_empty() {
        "—".to_string()
    } else {
        c.headers
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    html! {
        <dl class="record-details" data-details-offset={c.offset.to_string()}>
            <div><dt class="strong">{ t(lang, Msg::RecordDetails) }</dt></div>
            <div><dt>{ t(lang, Msg::Key) }</dt><dd class="mono">{ c.key.clone().unwrap_or_else(|| t(lang, Msg::NoKey).to_string()) }</dd></div>
            <div class="wide"><dt>{ t(lang, Msg::Value) }</dt><dd class="mono">{ short(&c.value, 400) }</dd></div>
            <div><dt>{ t(lang, Msg::Topic) }</dt><dd>{ topic }</dd></div>
            <div><dt>{ t(lang, Msg::Partition) }</dt><dd>{ partition }</dd></div>
            <div><dt>{ t(lang, Msg::Offset) }</dt><dd>{ c.offset }</dd></div>
            <div><dt>{ t(lang, Msg::Timestamp) }</dt><dd>{ format!("{} ms", c.timestamp) }</dd></div>
            <div><dt>{ t(lang, Msg::Headers) }</dt><dd class="mono">{ headers }</dd></div>
            <div><dt>{ t(lang, Msg::Producer) }</dt><dd>{ c.producer.clone() }</dd></div>
        </dl>
    }
}

fn producer_box(lang: Lang, l: &Layout, p: &ProducerView, y: f64) -> Html {
    let state = p
        .state
        .as_ref()
        .map(|s| proc_state_text(lang, s))
        .unwrap_or_else(|| t(lang, Msg::QuickSend).to_string());
    let crashed = matches!(
        p.state,
        Some(ProcState::Crashed) | Some(ProcState::Failed(_))
    );
    html! {
        <g class={classes!("producer", crashed.then_some("down"))} transform={format!("translate(0 {y})")}>
            <rect width={l.prod_w.to_string()} height={PROD_H.to_string()} rx="8" />
            <text class="p-label" x="10" y="17">{ short(&p.label, 15) }</text>
            <text class="p-state" x="10" y="32">{ short(&state, 17) }</text>
        </g>
    }
}

/// Per (lane, group): the group's committed offset, lag and owner of this partition.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneGroup {
    pub index: usize,
    pub id: String,
    pub committed: Option<u64>,
    pub lag: Option<u64>,
    pub owner: Option<String>,
    pub owner_label: Option<String>,
}

fn lane_groups(groups: &[GroupView], topic: &str, lane: &LaneView) -> Vec<LaneGroup> {
    groups
        .iter()
        .enumerate()
        .filter_map(|(i, g)| {
            let part = g
                .parts
                .iter()
                .find(|p| p.topic == topic && p.partition == lane.partition)?;
            let owner_label = part.owner.as_ref().and_then(|o| {
                g.members
                    .iter()
                    .find(|m| &m.member_id == o)
                    .map(|m| m.label.clone())
            });
            Some(LaneGroup {
                index: i,
                id: g.id.clone(),
                committed: part.committed,
                lag: part.lag,
                owner: part.owner.clone(),
                owner_label,
            })
        })
        .collect()
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
    html! {
        <g class="lane" data-partition={lane.partition.to_string()} data-log-start={lane.log_start.to_string()}
           data-log-end={lane.log_end.to_string()} data-stored={lane.stored.to_string()} transform={format!("translate(0 {y})")}>
            <rect class="lane-bg" x={l.lane_x0.to_string()} y="0" width={(l.lane_x1 - l.lane_x0).to_string()} height={LANE_H.to_string()} rx="8" />
            <text class="lane-label" x={(l.lane_x0 + 8.0).to_string()} y={label_y.to_string()}>{ format!("P{}", lane.partition) }</text>
            if lane.log_start > 0 {
                <g class="deleted">
                    <rect x={(l.cell_x0 - 8.0).to_string()} y="5" width="5" height={(LANE_H - 10.0).to_string()} fill="url(#hatch)" />
                    <title>{ format!("0…{}: {}", lane.log_start - 1, t(lang, Msg::Deleted)) }</title>
                </g>
            }
            if older > 0 {
                <text class="older" x={(l.lane_x0 + 8.0).to_string()} y="32">
                    { format!("+{}", compact(older)) }
                    <title>{ format!("{} {} · {}: {}", older, t(lang, Msg::Older), t(lang, Msg::LogStart), lane.log_start) }</title>
                </text>
            } else if lane.log_start > 0 {
                <text class="older del" x={(l.lane_x0 + 8.0).to_string()} y="32">
                    { format!("−{}", compact(lane.log_start)) }
                    <title>{ format!("{}: {} · {}", t(lang, Msg::LogStart), lane.log_start, t(lang, Msg::Deleted)) }</title>
                </text>
            }
            // Compaction holes: offsets with no stored record stay visible as empty slots.
            { for (0..slots).filter(|i| !lane.cells.iter().any(|c| c.offset == lane.first_shown + i)).map(|i| html! {
                <rect class="slot" x={(l.cell_x0 + i as f64 * STEP).to_string()} y="6" width={CW.to_string()} height={(LANE_H - 12.0).to_string()} rx="5" />
            }) }
            // The log end: where the next record goes.
            <g class="log-end" transform={format!("translate({end_x} 0)")}>
                <rect x="0" y="6" width={CW.to_string()} height={(LANE_H - 12.0).to_string()} rx="5" />
                <text x={(CW / 2.0).to_string()} y="25">{ lane.log_end }</text>
                <title>{ format!("{}: {}", t(lang, Msg::LogEnd), lane.log_end) }</title>
            </g>
            // Cells sit at a place fixed by their offset inside a group that slides left as the
            // log grows: a new record moves one transform, not every cell of the lane. A group of
            // its own also keeps the keyed cells apart from unkeyed siblings (html! flattens `for`
            // into the parent's children), or every shift would recreate them.
            <g class="cells" transform={format!("translate({} 0)", -(lane.first_shown as f64) * STEP)}>
                { for lane.cells.iter().map(|c| {
                    // Only a record that flies in needs where it flies from.
                    let (dx, dy) = if c.fresh {
                        let row_y = TOP + c.from_row.min(prod_rows.saturating_sub(1)) as f64 * (PROD_H + 8.0) + PROD_H / 2.0;
                        let dy = if l.prod_w > 0.0 { row_y - (y + LANE_H / 2.0) } else { 0.0 };
                        (l.prod_w - slot_x(l, lane, c.offset), dy)
                    } else {
                        (0.0, 0.0)
                    };
                    html! {
                        <Cell key={c.offset} cell={c.clone()} x={l.cell_x0 + c.offset as f64 * STEP} dx={dx} dy={dy}
                              topic={*topic} partition={lane.partition} lang={lang} on_hover={on_hover.clone()} />
                    }
                }) }
            </g>
            { for groups.iter().map(|g| {
                let color = group_color(g.index);
                let marker = g.committed.map(|c| {
                    let cx = if c < lane.first_shown { l.cell_x0 - 2.0 } else { slot_x(l, lane, c) - 1.5 };
                    html! {
                        <g class="committed" transform={format!("translate({cx} 0)")}>
                            <line x1="0" y1="2" x2="0" y2={(LANE_H - 2.0).to_string()} stroke={color} />
                            <path d="M-4,0 L4,0 L0,5 Z" fill={color} />
                        </g>
                    }
                });
                let lag_text = match g.lag {
                    Some(l) => format!("{} {}", t(lang, Msg::Lag), compact(l)),
                    None => format!("{} –", t(lang, Msg::Lag)),
                };
                // Only what rarely changes: a title rewritten every frame costs DOM work.
                let title = format!(
                    "{} · {}: {}",
                    g.id,
                    t(lang, Msg::Owner),
                    g.owner_label.clone().unwrap_or_else(|| t(lang, Msg::Nobody).to_string()),
                );
                html! {
                    <g class="lane-group" data-group={g.id.clone()} data-owner={g.owner.clone().unwrap_or_default()}
                       data-committed={g.committed.map(|c| c.to_string()).unwrap_or_default()}
                       data-lag={g.lag.map(|c| c.to_string()).unwrap_or_default()}>
                        <title>{ title }</title>
                        { marker.unwrap_or_default() }
                        <text class="lag" x={(l.lane_x1 - 6.0).to_string()} y={(12.0 + g.index.min(2) as f64 * 12.0).to_string()} fill={color}>
                            { lag_text }
                        </text>
                    </g>
                }
            }) }
        </g>
    }
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

#[function_component(Cell)]
fn cell(props: &CellProps) -> Html {
    let c = &props.cell;
    let fill = match (&c.key, c.tombstone) {
        (_, true) => "none".to_string(),
        (Some(k), _) => format!("hsl({} 62% 60%)", key_hue(k)),
        (None, _) => "hsl(220 12% 62%)".to_string(),
    };
    let label = match &c.key {
        Some(k) => key_label(k),
        None => "∅".to_string(),
    };
    let hover = Hover {
        topic: props.topic,
        partition: props.partition,
        offset: c.offset,
    };
    let enter = {
        let cb = props.on_hover.clone();
        let h = hover.clone();
        Callback::from(move |_: MouseEvent| cb.emit(Some(h.clone())))
    };
    let focus = {
        let cb = props.on_hover.clone();
        Callback::from(move |_: FocusEvent| cb.emit(Some(hover.clone())))
    };
    let leave = {
        let cb = props.on_hover.clone();
        Callback::from(move |_: MouseEvent| cb.emit(None))
    };
    let blur = {
        let cb = props.on_hover.clone();
        Callback::from(move |_: FocusEvent| cb.emit(None))
    };
    let aria = format!(
        "{} {}, {} {}, {} {}",
        t(props.lang, Msg::Offset),
        c.offset,
        t(props.lang, Msg::Key),
        c.key.as_deref().unwrap_or(t(props.lang, Msg::NoKey)),
        t(props.lang, Msg::Value),
        short(&c.value, 60)
    );
    html! {
        <g class={classes!("cell", c.tombstone.then_some("tombstone"))} data-offset={c.offset.to_string()} data-key={c.key.clone()}
           transform={format!("translate({} 6)", props.x)} tabindex="0" role="img" aria-label={aria}
           onmouseenter={enter} onfocus={focus} onmouseleave={leave} onblur={blur}>
            <g class={classes!(c.fresh.then_some("fly"))} style={c.fresh.then(|| format!("--dx:{:.0}px;--dy:{:.0}px", props.dx, props.dy))}>
                <rect width={CW.to_string()} height={(LANE_H - 12.0).to_string()} rx="5" fill={fill} />
                <text x={(CW / 2.0).to_string()} y="16" class="cell-key">{ label }</text>
                <text x={(CW / 2.0).to_string()} y="26" class="cell-off">{ c.offset }</text>
            </g>
        </g>
    }
}

fn group_box(
    lang: Lang,
    l: &Layout,
    gi: usize,
    g: &GroupView,
    y: f64,
    on_fault: &Callback<FaultRequest>,
) -> Html {
    let color = group_color(gi);
    let h = group_height(g);
    // The group's protocol, short enough for the box (`coop-sticky` for cooperative-sticky).
    let protocol = match g.protocol {
        Some(kafka_engine::Strategy::CooperativeSticky) => "coop-sticky",
        Some(p) => strategy_name(p),
        None => "–",
    };
    html! {
        <g class={classes!("group", g.rebalancing().then_some("rebalancing"))} data-group={g.id.clone()}
           data-generation={g.generation.to_string()} data-state={g.state.as_str()} data-lag={g.lag.to_string()}
           transform={format!("translate({} {y})", l.gx)}>
            <rect class="group-bg" width={l.gw.to_string()} height={h.to_string()} rx="10" stroke={color} />
            <rect x="0" y="0" width="5" height={h.to_string()} rx="2" fill={color} />
            <text class="g-title" x="14" y="16">{ short(&g.id, 20) }</text>
            <text class="g-lag" x={(l.gw - 8.0).to_string()} y="16" fill={color}>{ format!("{} {}", t(lang, Msg::Lag), compact(g.lag)) }</text>
            <text class="g-sub" x="14" y="30">
                { format!("{} {} · {} · {}", t(lang, Msg::Gen), g.generation, g.state.as_str(), protocol) }
            </text>
            { for g.members.iter().enumerate().map(|(mi, m)| {
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
                    let mut ps: Vec<String> = m
                        .assignment
                        .iter()
                        .map(|tp| if m.paused.contains(tp) { format!("P{}‖", tp.1) } else { format!("P{}", tp.1) })
                        .collect();
                    ps.truncate(6);
                    format!("{} · {} {}", ps.join(" "), t(lang, Msg::Lag), compact(m.lag))
                };
                let down = matches!(m.status, MemberStatus::Crashed | MemberStatus::Closed);
                let label = format!("{}{}", m.label, if m.leader { " ★" } else { "" });
                html! {
                    <g class={classes!("member", down.then_some("down"), (m.status == MemberStatus::Stalled).then_some("stalled"))}
                       data-member={m.member_id.clone()} data-status={status} data-partitions={m.assignment.len().to_string()}
                       data-phase={phase.as_ref().map_or("stable", |p| p.0)} data-owned={m.owned.len().to_string()}
                       transform={format!("translate(8 {my})")}>
                        <rect class="member-bg" width={(l.gw - 16.0).to_string()} height={(MEMBER_H - 4.0).to_string()} rx="6" />
                        <text class="m-label" x="8" y="15">{ format!("{icon} {}", short(&label, 16)) }</text>
                        <text class="m-sub" x="8" y="29">{ if down { status.to_string() } else { short(&parts, 32) } }</text>
                        if let Some(pid) = m.process {
                            { member_buttons(lang, l.gw, pid, &m.label, on_fault) }
                        }
                    </g>
                }
            }) }
            if g.members.is_empty() {
                <text class="m-sub" x="14" y={(GROUP_HEAD + 16.0).to_string()}>{ "—" }</text>
            }
            { for g.departed.iter().enumerate().map(|(di, d)| {
                let dy = GROUP_HEAD + g.members.len().max(1) as f64 * MEMBER_H + di as f64 * DEPART_H + 10.0;
                html! {
                    <g class="departed" transform={format!("translate(14 {dy})")}>
                        <title>{ format!("{} — {} ({} ms)", d.label, depart_text(lang, d.reason), d.time_ms) }</title>
                        <text class="d-label" x="0" y="0">
                            { format!("✕ {} · {}", short(&d.label, 18), match d.reason {
                                DepartReason::Left => t(lang, Msg::LeftGroup),
                                DepartReason::Evicted(_) => t(lang, Msg::Evicted),
                            }) }
                        </text>
                        if matches!(d.reason, DepartReason::Evicted(_)) {
                            <text class="d-why" x="12" y="12">{ short(depart_text(lang, d.reason), 38) }</text>
                        }
                    </g>
                }
            }) }
        </g>
    }
}

/// Where a member is in the rebalance in progress (JoinGroup, then SyncGroup) and what its client
/// holds meanwhile: an eager member revokes everything before it rejoins, a cooperative one keeps
/// what stays. `None` outside a rebalance.
fn rebalance_phase(lang: Lang, g: &GroupView, m: &MemberView) -> Option<(&'static str, String)> {
    let held = || {
        let ps: Vec<String> = m
            .owned
            .iter()
            .take(6)
            .map(|(_, p)| format!("P{p}"))
            .collect();
        ps.join(" ")
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

fn member_buttons(
    lang: Lang,
    gw: f64,
    pid: ProcessId,
    label: &str,
    on_fault: &Callback<FaultRequest>,
) -> Html {
    let buttons = [
        ("✕", Msg::Crash, FaultKind::Crash, "crash"),
        ("‖", Msg::Stall, FaultKind::Stall(40_000), "stall"),
        ("⇥", Msg::Leave, FaultKind::Leave, "leave"),
        ("↻", Msg::Restart, FaultKind::Restart, "restart"),
    ];
    html! {
        <g class="m-buttons">
            { for buttons.iter().enumerate().map(|(i, (icon, msg, kind, name))| {
                let x = gw - 16.0 - 4.0 * 18.0 - 4.0 + i as f64 * 18.0;
                let kind = *kind;
                let click = {
                    let cb = on_fault.clone();
                    Callback::from(move |_: MouseEvent| cb.emit((pid, kind)))
                };
                let key = {
                    let cb = on_fault.clone();
                    Callback::from(move |e: KeyboardEvent| {
                        if e.key() == "Enter" || e.key() == " " {
                            e.prevent_default();
                            cb.emit((pid, kind));
                        }
                    })
                };
                let aria = format!("{} {}", t(lang, *msg), label);
                html! {
                    <g class="m-btn" role="button" tabindex="0" aria-label={aria.clone()} data-fault={*name}
                       transform={format!("translate({x} 3)")} onclick={click} onkeydown={key}>
                        <title>{ aria }</title>
                        <rect width="16" height="16" rx="4" />
                        <text x="8" y="12">{ *icon }</text>
                    </g>
                }
            }) }
        </g>
    }
}
