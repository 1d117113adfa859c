//! The control bar: play and pause, one event forward, speed, reset, seed, the time scrubber,
//! and the scenario's settings (assignor, client profile, consumers, partitions).

use kafka_engine::{ClientProfile, Strategy};
use yew::prelude::*;

use crate::app::{button, click, on_value, part, Action, State, SPEEDS};
use crate::i18n::{t, Msg};
use crate::storage::{parse_profile, parse_strategy, profile_name, strategy_name};
use crate::ui::{
    el, el_on, input, list, listen, on_change, on_click, option, own, s, span, tag, txt, Attr,
    Stamp,
};
use yew::html::oninput;

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

/// The control bar. The clock moves every frame; the rest reads only what actions change and
/// is drawn again only when they do.
pub fn controls(state: &UseReducerHandle<State>, act: &Callback<Action>, ui: Stamp) -> Html {
    let lang = state.lang;
    let (now_ms, max_ms) = (state.now_ms, state.max_ms);
    let max = max_ms.max(now_ms).max(1000);
    let play = part(state, act, ui, play_group);
    let settings = part(state, act, ui, settings_groups);
    el(
        "div",
        &["role", "aria-label", "class"],
        vec![s("toolbar"), s(t(lang, Msg::Controls)), s("controls")],
        vec![
            play,
            tag(
                "div",
                "ctl-group time",
                vec![
                    el(
                        "output",
                        &["data-now", "aria-label", "class"],
                        vec![own(now_ms.to_string()), s(t(lang, Msg::Time)), s("clock")],
                        vec![txt(fmt_time(now_ms))],
                    ),
                    input(
                        NodeRef::default(),
                        Some(now_ms.to_string().into()),
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
            settings,
        ],
    )
}

/// Play or pause, one event forward, reset.
fn play_group(state: &State, act: &Callback<Action>) -> Html {
    let (lang, playing) = (state.lang, state.playing);
    let play_label = if playing {
        t(lang, Msg::Pause)
    } else {
        t(lang, Msg::Play)
    };
    tag(
        "div",
        "ctl-group",
        vec![
            key_button(
                "primary icon-btn",
                "play",
                format!("{play_label} (Space)"),
                "Space",
                s(if playing { "true" } else { "false" }),
                click(act, Action::TogglePlay),
                if playing {
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
    )
}

/// Speed, seed, assignor and client profile; add a consumer, add a partition.
fn settings_groups(state: &State, act: &Callback<Action>) -> Html {
    let (lang, speed, seed) = (state.lang, state.speed, state.spec.seed);
    let strategy = state
        .spec
        .default_strategies
        .as_ref()
        .and_then(|v| v.first().copied());
    let profile = state.spec.client_profile;
    let mut speeds = Vec::new();
    for s in SPEEDS {
        speeds.push(option(
            s.to_string(),
            (s - speed).abs() < 1e-9,
            format!("{s}×"),
        ));
    }
    let mut strategies = vec![option(
        "",
        strategy.is_none(),
        t(lang, Msg::AssignorDefault),
    )];
    for s in Strategy::ALL {
        let name = strategy_name(s);
        strategies.push(option(name, strategy == Some(s), name));
    }
    let mut profiles = Vec::new();
    for p in [
        ClientProfile::KafkaPython,
        ClientProfile::JavaSticky,
        ClientProfile::KafkaJs,
    ] {
        let name = profile_name(p);
        profiles.push(option(name, profile == p, name));
    }
    list(vec![
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
                        Some(seed.to_string().into()),
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
    ])
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
