//! The control bar: play and pause, one event forward, speed, reset, seed, the time scrubber,
//! and the scenario's settings (assignor, client profile, consumers, partitions).

use kafka_engine::{ClientProfile, Strategy};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::app::{Action, SPEEDS};
use crate::i18n::{t, Lang, Msg};
use crate::storage::{parse_profile, parse_strategy, profile_name, strategy_name};

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
    pub on_action: Callback<Action>,
}

fn select_value(e: &Event) -> String {
    e.target_dyn_into::<HtmlSelectElement>()
        .map(|s| s.value())
        .unwrap_or_default()
}

fn input_value(e: &InputEvent) -> String {
    e.target_dyn_into::<HtmlInputElement>()
        .map(|s| s.value())
        .unwrap_or_default()
}

/// Virtual time as `12.3 s`.
pub fn fmt_time(ms: u64) -> String {
    format!("{:.1} s", ms as f64 / 1000.0)
}

#[function_component(Controls)]
pub fn controls(props: &ControlsProps) -> Html {
    let lang = props.lang;
    let act = &props.on_action;
    let play_label = if props.playing {
        t(lang, Msg::Pause)
    } else {
        t(lang, Msg::Play)
    };
    let max = props.max_ms.max(props.now_ms).max(1000);
    html! {
        <div class="controls" role="toolbar" aria-label={t(lang, Msg::Controls)}>
            <div class="ctl-group">
                <button class={classes!("primary", "icon-btn")} data-action="play" aria-label={format!("{play_label} (Space)")}
                        title={format!("{play_label} (Space)")} aria-keyshortcuts="Space" aria-pressed={props.playing.to_string()}
                        onclick={act.reform(|_| Action::TogglePlay)}>
                    { if props.playing { icon_pause() } else { icon_play() } }
                </button>
                <button class="icon-btn" data-action="step" aria-label={format!("{} (→)", t(lang, Msg::StepEvent))}
                        title={format!("{} (→)", t(lang, Msg::StepEvent))} aria-keyshortcuts="ArrowRight" onclick={act.reform(|_| Action::StepEvent)}>{ icon_step() }</button>
                <button class="icon-btn" data-action="reset" aria-label={t(lang, Msg::Reset)} title={t(lang, Msg::Reset)}
                        onclick={act.reform(|_| Action::Reset)}>{ icon_reset() }</button>
            </div>
            <div class="ctl-group time">
                <output class="clock" data-now={props.now_ms.to_string()} aria-label={t(lang, Msg::Time)}>{ fmt_time(props.now_ms) }</output>
                <input type="range" class="scrubber" min="0" max={max.to_string()} step="100" value={props.now_ms.to_string()}
                       aria-label={t(lang, Msg::Time)} data-input="time"
                       oninput={act.reform(|e: InputEvent| Action::Seek(input_value(&e).parse().unwrap_or(0)))} />
            </div>
            <div class="ctl-group">
                <label class="field">
                    <span>{ t(lang, Msg::Speed) }</span>
                    <select aria-label={t(lang, Msg::Speed)} data-input="speed"
                            onchange={act.reform(|e: Event| Action::SetSpeed(pysnip::parse_float(&select_value(&e)).unwrap_or(1.0)))}>
                        { for SPEEDS.iter().map(|s| html! {
                            <option value={s.to_string()} selected={(*s - props.speed).abs() < 1e-9}>{ format!("{s}×") }</option>
                        }) }
                    </select>
                </label>
                <label class="field">
                    <span>{ t(lang, Msg::Seed) }</span>
                    <input type="number" min="0" class="seed" value={props.seed.to_string()} aria-label={t(lang, Msg::Seed)} data-input="seed"
                           onchange={act.reform(|e: Event| Action::SetSeed(
                               e.target_dyn_into::<HtmlInputElement>().and_then(|i| i.value().parse().ok()).unwrap_or(42)))} />
                </label>
                <label class="field">
                    <span>{ t(lang, Msg::Assignor) }</span>
                    <select aria-label={t(lang, Msg::Assignor)} data-input="assignor"
                            onchange={act.reform(|e: Event| Action::SetStrategy(parse_strategy(&select_value(&e))))}>
                        <option value="" selected={props.strategy.is_none()}>{ t(lang, Msg::AssignorDefault) }</option>
                        { for Strategy::ALL.iter().map(|s| html! {
                            <option value={strategy_name(*s)} selected={props.strategy == Some(*s)}>{ strategy_name(*s) }</option>
                        }) }
                    </select>
                </label>
                <label class="field">
                    <span>{ t(lang, Msg::ClientProfile) }</span>
                    <select aria-label={t(lang, Msg::ClientProfile)} data-input="profile"
                            onchange={act.reform(|e: Event| Action::SetProfile(parse_profile(&select_value(&e)).unwrap_or_default()))}>
                        { for [ClientProfile::KafkaPython, ClientProfile::JavaSticky, ClientProfile::KafkaJs].iter().map(|p| html! {
                            <option value={profile_name(*p)} selected={props.profile == *p}>{ profile_name(*p) }</option>
                        }) }
                    </select>
                </label>
            </div>
            <div class="ctl-group">
                <button data-action="add-consumer" aria-label={t(lang, Msg::AddConsumer)} onclick={act.reform(|_| Action::AddConsumer)}>
                    { t(lang, Msg::AddConsumer) }
                </button>
                <button data-action="add-partition" aria-label={t(lang, Msg::AddPartitions)} onclick={act.reform(|_| Action::AddPartition)}>
                    { t(lang, Msg::AddPartitions) }
                </button>
            </div>
        </div>
    }
}

fn icon(path: &'static str) -> Html {
    html! {
        <svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
            <path d={path} />
        </svg>
    }
}

fn icon_play() -> Html {
    icon("M4 2.5v11l9-5.5z")
}

fn icon_pause() -> Html {
    icon("M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z")
}

fn icon_step() -> Html {
    icon("M2.5 2.5v11l7-5.5zM10.5 2.5h3v11h-3z")
}

fn icon_reset() -> Html {
    html! {
        <svg class="icon stroke" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
            <path d="M3 8a5 5 0 1 0 1.6-3.7" />
            <path d="M3 2.5v3h3" />
        </svg>
    }
}
