//! The console: each process's `print` output and errors; an error line jumps to the editor.

use std::rc::Rc;

use kplay_runner::OutputKind;
use yew::prelude::*;

use crate::controls::fmt_time;
use crate::i18n::{t, Lang, Msg};

/// One output line as the console shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ConsoleLine {
    /// Index in the run's output (a stable key).
    pub index: usize,
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
    pub lines: Rc<Vec<Rc<ConsoleLine>>>,
    /// (program, line) to show in the editor.
    pub on_jump: Callback<(usize, u32)>,
}

#[function_component(Console)]
pub fn console(props: &ConsoleProps) -> Html {
    let lang = props.lang;
    html! {
        <section class="console" aria-label={t(lang, Msg::Console)}>
            <h2>{ t(lang, Msg::Console) }</h2>
            // Newest first in the DOM, shown bottom-up (column-reverse): the view sticks to the newest
            // line without reading layout.
            <div class="console-lines" role="log" aria-live="polite">
                if props.lines.is_empty() {
                    <p class="muted">{ t(lang, Msg::NoOutput) }</p>
                }
                <>{ for props.lines.iter().rev().map(|l| html! {
                    <Row key={l.index} line={l.clone()} {lang} on_jump={props.on_jump.clone()} />
                }) }</>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    line: Rc<ConsoleLine>,
    lang: Lang,
    on_jump: Callback<(usize, u32)>,
}

/// One console line (a component, so lines already shown are not diffed again).
#[function_component(Row)]
fn row(props: &RowProps) -> Html {
    let l = &props.line;
    let lang = props.lang;
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
}
