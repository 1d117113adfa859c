//! The console: each process's `print` output and errors; an error line jumps to the editor.

use std::rc::Rc;

use kplay_runner::OutputKind;
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::controls::fmt_time;
use crate::i18n::{t, Lang, Msg};

/// One output line as the console shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ConsoleLine {
    pub time_ms: u64,
    pub label: String,
    pub program: usize,
    pub kind: OutputKind,
    pub text: String,
    pub line: Option<u32>,
}

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub lang: Lang,
    pub lines: Rc<Vec<ConsoleLine>>,
    /// (program, line) to show in the editor.
    pub on_jump: Callback<(usize, u32)>,
}

#[function_component(Console)]
pub fn console(props: &ConsoleProps) -> Html {
    let lang = props.lang;
    let list_ref = use_node_ref();
    {
        let list_ref = list_ref.clone();
        use_effect_with(props.lines.len(), move |_| {
            if let Some(el) = list_ref.cast::<HtmlElement>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    html! {
        <section class="console" aria-label={t(lang, Msg::Console)}>
            <h2>{ t(lang, Msg::Console) }</h2>
            <div class="console-lines" ref={list_ref} role="log" aria-live="polite">
                if props.lines.is_empty() {
                    <p class="muted">{ t(lang, Msg::NoOutput) }</p>
                }
                { for props.lines.iter().map(|l| {
                    let kind = match l.kind {
                        OutputKind::Stdout => "out",
                        OutputKind::Error => "err",
                        OutputKind::Info => "info",
                    };
                    let body = html! {
                        <>
                            <span class="c-time">{ fmt_time(l.time_ms) }</span>
                            <span class="c-proc">{ l.label.clone() }</span>
                            <span class="c-text">{ l.text.trim_end().to_string() }</span>
                        </>
                    };
                    match l.line {
                        Some(line) => {
                            let cb = props.on_jump.clone();
                            let program = l.program;
                            html! {
                                <button class={classes!("c-line", kind, "jump")} data-console={kind} data-line={line.to_string()}
                                        aria-label={format!("{} {line}: {}", t(lang, Msg::JumpToLine), l.text.lines().last().unwrap_or(""))}
                                        onclick={Callback::from(move |_| cb.emit((program, line)))}>
                                    { body }
                                </button>
                            }
                        }
                        None => html! { <div class={classes!("c-line", kind)} data-console={kind}>{ body }</div> },
                    }
                }) }
            </div>
        </section>
    }
}
