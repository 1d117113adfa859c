//! The stage: an SVG drawing of a topic's partitions as lanes of offset cells.

use yew::prelude::*;

use crate::i18n::{t, Lang, Msg};

/// One record as the stage draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct StageRecord {
    pub offset: u64,
    pub key: Option<String>,
    pub value: String,
}

/// A topic as the stage draws it: one lane of records per partition.
#[derive(Clone, Debug, PartialEq)]
pub struct StageTopic {
    pub name: String,
    pub partitions: Vec<Vec<StageRecord>>,
}

#[derive(Properties, PartialEq)]
pub struct StageProps {
    pub topic: StageTopic,
    pub lang: Lang,
}

const LANE_H: f64 = 44.0;
const LANE_GAP: f64 = 12.0;
const LABEL_W: f64 = 110.0;
const CELL_W: f64 = 38.0;
const CELL_GAP: f64 = 4.0;
const MAX_CELLS: usize = 16;

/// A stable, readable color for a key (hue from a small string hash).
pub fn key_hue(key: &str) -> u32 {
    let mut h: u32 = 2_166_136_261;
    for b in key.bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(16_777_619);
    }
    h % 360
}

#[function_component(Stage)]
pub fn stage(props: &StageProps) -> Html {
    let topic = &props.topic;
    let lang = props.lang;
    let lanes = topic.partitions.len() as f64;
    let height = 40.0 + lanes * (LANE_H + LANE_GAP);
    let width = LABEL_W + MAX_CELLS as f64 * (CELL_W + CELL_GAP) + 20.0;
    html! {
        <section class="stage" aria-label={format!("{} {}", t(lang, Msg::Topic), topic.name)}>
            <svg viewBox={format!("0 0 {width} {height}")} role="img" data-topic={topic.name.clone()}>
                <text x="0" y="20" class="topic-title">
                    { format!("{} {} · {} {}", t(lang, Msg::Topic), topic.name, topic.partitions.len(), t(lang, Msg::PartitionsCount)) }
                </text>
                { for topic.partitions.iter().enumerate().map(|(p, records)| {
                    let y = 36.0 + p as f64 * (LANE_H + LANE_GAP);
                    let skip = records.len().saturating_sub(MAX_CELLS);
                    html! {
                        <g class="lane" data-partition={p.to_string()} transform={format!("translate(0 {y})")}>
                            <rect class="lane-bg" x="0" y="0" width={width.to_string()} height={LANE_H.to_string()} rx="8" />
                            <text class="lane-label" x="12" y={(LANE_H / 2.0 + 5.0).to_string()}>
                                { format!("{} {p}", t(lang, Msg::Partition)) }
                            </text>
                            { for records.iter().skip(skip).enumerate().map(|(i, r)| {
                                let x = LABEL_W + i as f64 * (CELL_W + CELL_GAP);
                                let hue = r.key.as_deref().map(key_hue);
                                let fill = match hue {
                                    Some(h) => format!("hsl({h} 70% 55%)"),
                                    None => "hsl(220 10% 60%)".to_string(),
                                };
                                let title = format!(
                                    "{}: {} · offset {} · {}: {}",
                                    t(lang, Msg::Key),
                                    r.key.as_deref().unwrap_or(t(lang, Msg::NoKey)),
                                    r.offset,
                                    t(lang, Msg::Value),
                                    r.value
                                );
                                html! {
                                    <g class="cell" data-offset={r.offset.to_string()} data-key={r.key.clone()}
                                       transform={format!("translate({x} 6)")} tabindex="0">
                                        <title>{ title }</title>
                                        <rect width={CELL_W.to_string()} height={(LANE_H - 12.0).to_string()} rx="6" fill={fill} />
                                        <text x={(CELL_W / 2.0).to_string()} y="21" class="cell-text">
                                            { r.key.as_deref().map(short).unwrap_or_else(|| r.offset.to_string()) }
                                        </text>
                                    </g>
                                }
                            }) }
                        </g>
                    }
                }) }
            </svg>
        </section>
    }
}

/// At most 4 characters of a key, for a cell's label.
fn short(key: &str) -> String {
    let mut s: String = key.chars().take(4).collect();
    if key.chars().count() > 4 {
        s.pop();
        s.push('…');
    }
    s
}
