//! The root component: page state as a plain reducer (an `Action` enum), and the page layout.

use std::rc::Rc;

use kafka_engine::partition_for_key;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::{t, Lang, Msg};
use crate::stage::{Stage, StageRecord, StageTopic};

/// The topic every page starts with.
pub const TOPIC: &str = "transactions";
/// Its partition count.
pub const PARTITIONS: u32 = 3;

/// Everything the page shows.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub lang: Lang,
    pub topic: StageTopic,
    pub last_sent: Option<(u32, u64)>,
}

/// What can happen to the page.
pub enum Action {
    /// Produce a record with this key (empty: no key) and value.
    Send {
        key: String,
        value: String,
    },
    ToggleLanguage,
}

impl State {
    pub fn new(lang: Lang) -> Self {
        State {
            lang,
            topic: StageTopic {
                name: TOPIC.to_string(),
                partitions: (0..PARTITIONS).map(|_| Vec::new()).collect(),
            },
            last_sent: None,
        }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Send { key, value } => {
                let count = next.topic.partitions.len() as u32;
                let partition = if key.is_empty() {
                    // Round-robin until the engine's null-key profiles land.
                    let total: usize = next.topic.partitions.iter().map(Vec::len).sum();
                    (total as u32) % count
                } else {
                    partition_for_key(key.as_bytes(), count)
                };
                let lane = &mut next.topic.partitions[partition as usize];
                let offset = lane.len() as u64;
                lane.push(StageRecord {
                    offset,
                    key: (!key.is_empty()).then_some(key),
                    value,
                });
                next.last_sent = Some((partition, offset));
            }
            Action::ToggleLanguage => next.lang = next.lang.other(),
        }
        Rc::new(next)
    }
}

/// The page language: `?lang=` first, then the browser's language, then Spanish.
fn initial_lang() -> Lang {
    let Some(window) = web_sys::window() else {
        return Lang::Es;
    };
    if let Ok(search) = window.location().search() {
        for pair in search.trim_start_matches('?').split('&') {
            if let Some(v) = pair.strip_prefix("lang=") {
                if let Some(lang) = Lang::from_tag(v) {
                    return lang;
                }
            }
        }
    }
    window
        .navigator()
        .language()
        .and_then(|l| Lang::from_tag(&l))
        .unwrap_or(Lang::Es)
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| State::new(initial_lang()));
    let key_ref = use_node_ref();
    let value_ref = use_node_ref();
    let lang = state.lang;

    let onsubmit = {
        let state = state.clone();
        let key_ref = key_ref.clone();
        let value_ref = value_ref.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let read = |r: &NodeRef| {
                r.cast::<HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default()
            };
            state.dispatch(Action::Send {
                key: read(&key_ref),
                value: read(&value_ref),
            });
        })
    };
    let toggle = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::ToggleLanguage))
    };

    html! {
        <div class="page" lang={lang.code()}>
            <header class="topbar">
                <div class="brand">
                    <span class="logo" aria-hidden="true"></span>
                    <h1>{ "Kafka Playground" }</h1>
                    <span class="tagline">{ t(lang, Msg::Tagline) }</span>
                </div>
                <button class="ghost" onclick={toggle} data-action="language">
                    { t(lang, Msg::SwitchLanguage) }
                </button>
            </header>
            <main class="workspace">
                <form class="producer-form" {onsubmit}>
                    <label>
                        <span>{ t(lang, Msg::Key) }</span>
                        <input ref={key_ref} name="key" data-input="key" placeholder="user-42" autocomplete="off" />
                    </label>
                    <label>
                        <span>{ t(lang, Msg::Value) }</span>
                        <input ref={value_ref} name="value" data-input="value" placeholder="{\"amount\": 5000}" autocomplete="off" />
                    </label>
                    <button type="submit" class="primary" data-action="send">{ t(lang, Msg::Send) }</button>
                    <p class="hint">{ t(lang, Msg::KeyHint) }</p>
                    if let Some((p, o)) = state.last_sent {
                        <p class="status" role="status">
                            { format!("{} {} {p}, offset {o}", t(lang, Msg::Sent), t(lang, Msg::Partition).to_lowercase()) }
                        </p>
                    }
                </form>
                <Stage topic={state.topic.clone()} {lang} />
            </main>
        </div>
    }
}
