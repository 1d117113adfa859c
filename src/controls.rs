//! The control bar: play and pause, one event forward, speed, reset, seed, the time scrubber,
//! and the scenario's settings (assignor, client profile, consumers, partitions).

use kafka_engine::{ClientProfile, Strategy};
use yew::prelude::*;

use crate::app::{button, click, on_value, Action, SPEEDS};
use crate::i18n::{t, Lang, Msg};
use crate::storage::{parse_profile, parse_strategy, profile_name, strategy_name};
use crate::ui::{
    el, el_on, input, listen, on_change, on_click, option, own, s, span, tag, txt, Attr,
};
use yew::html::oninput;

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub lang: Lang,
    pub playing: bool,
    pub speed: f64,
    pub now_ms: u64,
    pub max_ms: u64,
    pub seed: u64,
    pub strategy: Option<Strategy>,
    pub profile: ClientProfile,
    pub act: Callback<Action>,
}

/// Virtual time as `12.3 s`.
pub fn fmt_time(ms: u64) -> String {
    format!("{:.1} s", ms as f64 / 1000.0)
}

/// A labelled field of the bar: `<label class="field"><span>label</span>control</label>`.
fn field(label: &'static str, control: Html) -> Html {
    el(
        "label",
        &["class"],
        vec![s("field")],
        vec![span("", txt(label)), control],
    )
}

/// A labelled `<select>` whose change sends an action.
fn select(
    label: &'static str,
    input: &'static str,
    onchange: Callback<Event>,
    options: Vec<Html>,
) -> Html {
    field(
        label,
        el_on(
            "select",
            &["aria-label", "data-input"],
            vec![s(label), s(input)],
            vec![on_change(onchange)],
            options,
        ),
    )
}

/// An icon button with a keyboard shortcut (its label says which key).
fn key_button(
    class: &'static str,
    action: &'static str,
    label: String,
    keys: &'static str,
    pressed: Attr,
    onclick: Callback<MouseEvent>,
    icon: Html,
) -> Html {
    el_on(
        "button",
        &[
            "data-action",
            "aria-label",
            "title",
            "aria-keyshortcuts",
            "aria-pressed",
            "class",
        ],
        vec![
            s(action),
            own(label.clone()),
            own(label),
            s(keys),
            pressed,
            s(class),
        ],
        vec![on_click(onclick)],
        vec![icon],
    )
}

#[function_component(Controls)]
pub fn controls(props: &ControlsProps) -> Html {
    let lang = props.lang;
    let act = &props.act;
    let play_label = if props.playing {
        t(lang, Msg::Pause)
    } else {
        t(lang, Msg::Play)
    };
    let max = props.max_ms.max(props.now_ms).max(1000);
    let mut speeds = Vec::new();
    for s in SPEEDS {
        speeds.push(option(
            s.to_string(),
            (s - props.speed).abs() < 1e-9,
            format!("{s}×"),
        ));
    }
    let mut strategies = vec![option(
        "",
        props.strategy.is_none(),
        t(lang, Msg::AssignorDefault),
    )];
    for s in Strategy::ALL {
        let name = strategy_name(s);
        strategies.push(option(name, props.strategy == Some(s), name));
    }
    let mut profiles = Vec::new();
    for p in [
        ClientProfile::KafkaPython,
        ClientProfile::JavaSticky,
        ClientProfile::KafkaJs,
    ] {
        let name = profile_name(p);
        profiles.push(option(name, props.profile == p, name));
    }
    el(
        "div",
        &["role", "aria-label", "class"],
        vec![s("toolbar"), s(t(lang, Msg::Controls)), s("controls")],
        vec![
            tag(
                "div",
                "ctl-group",
                vec![
                    key_button(
                        "primary icon-btn",
                        "play",
                        format!("{play_label} (Space)"),
                        "Space",
                        s(if props.playing { "true" } else { "false" }),
                        click(act, Action::TogglePlay),
                        if props.playing {
                            icon("icon", &["M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z"])
                        } else {
                            icon("icon", &["M4 2.5v11l9-5.5z"])
                        },
                    ),
                    key_button(
                        "icon-btn",
                        "step",
                        format!("{} (→)", t(lang, Msg::StepEvent)),
                        "ArrowRight",
                        None,
                        click(act, Action::StepEvent),
                        icon("icon", &["M2.5 2.5v11l7-5.5zM10.5 2.5h3v11h-3z"]),
                    ),
                    button(
                        "icon-btn",
                        Some("reset"),
                        s(t(lang, Msg::Reset)),
                        Some(t(lang, Msg::Reset)),
                        click(act, Action::Reset),
                        icon("icon stroke", &["M3 8a5 5 0 1 0 1.6-3.7", "M3 2.5v3h3"]),
                    ),
                ],
            ),
            tag(
                "div",
                "ctl-group time",
                vec![
                    el(
                        "output",
                        &["data-now", "aria-label", "class"],
                        vec![
                            own(props.now_ms.to_string()),
                            s(t(lang, Msg::Time)),
                            s("clock"),
                        ],
                        vec![txt(fmt_time(props.now_ms))],
                    ),
                    input(
                        NodeRef::default(),
                        Some(props.now_ms.to_string().into()),
                        &[
                            "type",
                            "min",
                            "max",
                            "step",
                            "aria-label",
                            "data-input",
                            "class",
                        ],
                        vec![
                            s("range"),
                            s("0"),
                            own(max.to_string()),
                            s("100"),
                            s(t(lang, Msg::Time)),
                            s("time"),
                            s("scrubber"),
                        ],
                        vec![listen(oninput::Wrapper::new(on_value(act, 0, |_, v| {
                            Action::Seek(v.parse().unwrap_or(0))
                        })))],
                    ),
                ],
            ),
            tag(
                "div",
                "ctl-group",
                vec![
                    select(
                        t(lang, Msg::Speed),
                        "speed",
                        on_value(act, 0, |_, v| {
                            Action::SetSpeed(pysnip::parse_float(&v).unwrap_or(1.0))
                        }),
                        speeds,
                    ),
                    field(
                        t(lang, Msg::Seed),
                        input(
                            NodeRef::default(),
                            Some(props.seed.to_string().into()),
                            &["type", "min", "aria-label", "data-input", "class"],
                            vec![
                                s("number"),
                                s("0"),
                                s(t(lang, Msg::Seed)),
                                s("seed"),
                                s("seed"),
                            ],
                            vec![on_change(on_value(act, 0, |_, v| {
                                Action::SetSeed(v.parse().unwrap_or(42))
                            }))],
                        ),
                    ),
                    select(
                        t(lang, Msg::Assignor),
                        "assignor",
                        on_value(act, 0, |_, v| Action::SetStrategy(parse_strategy(&v))),
                        strategies,
                    ),
                    select(
                        t(lang, Msg::ClientProfile),
                        "profile",
                        on_value(act, 0, |_, v| {
                            Action::SetProfile(parse_profile(&v).unwrap_or_default())
                        }),
                        profiles,
                    ),
                ],
            ),
            tag(
                "div",
                "ctl-group",
                vec![
                    button(
                        "",
                        Some("add-consumer"),
                        s(t(lang, Msg::AddConsumer)),
                        None,
                        click(act, Action::AddConsumer),
                        txt(t(lang, Msg::AddConsumer)),
                    ),
                    button(
                        "",
                        Some("add-partition"),
                        s(t(lang, Msg::AddPartitions)),
                        None,
                        click(act, Action::AddPartition),
                        txt(t(lang, Msg::AddPartitions)),
                    ),
                ],
            ),
        ],
    )
}

/// A 16 px icon drawn with `paths` (`class` "icon", or "icon stroke" for a stroked one).
fn icon(class: &'static str, paths: &'static [&'static str]) -> Html {
    el(
        "svg",
        &["viewBox", "width", "height", "aria-hidden", "class"],
        vec![s("0 0 16 16"), s("16"), s("16"), s("true"), s(class)],
        paths
            .iter()
            .map(|d| el("path", &["d"], vec![s(d)], Vec::new()))
            .collect(),
    )
}
