//! The console: each process's `print` output and errors; an error line jumps to the editor.

use std::borrow::Cow;
use std::rc::Rc;

use kplay_runner::OutputKind;
use yew::prelude::*;

use crate::app::{click, Action};
use crate::controls::fmt_time;
use crate::i18n::{t, Lang, Msg};
use crate::ui::{el, el_on, list, on_click, own, s, span, tag, txt};

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

/// The console: its lines as `Row` components (a line already shown is not diffed again).
pub fn console(lang: Lang, lines: &[Rc<ConsoleLine>], act: &Callback<Action>) -> Html {
    let rows = lines
        .iter()
        .rev()
        .map(|l| html! { <Row key={l.index} line={l.clone()} {lang} act={act.clone()} /> })
        .collect();
    el(
        "section",
        &["aria-label", "class"],
        vec![s(t(lang, Msg::Console)), s("console")],
        vec![
            el("h2", &[], Vec::new(), vec![txt(t(lang, Msg::Console))]),
            // Newest first in the DOM, shown bottom-up (column-reverse): the view sticks to the
            // newest line without reading layout.
            el(
                "div",
                &["role", "aria-live", "class"],
                vec![s("log"), s("polite"), s("console-lines")],
                vec![
                    if lines.is_empty() {
                        tag("p", "muted", vec![txt(t(lang, Msg::NoOutput))])
                    } else {
                        Html::default()
                    },
                    list(rows),
                ],
            ),
        ],
    )
}

#[derive(Properties, PartialEq)]
struct RowProps {
    line: Rc<ConsoleLine>,
    lang: Lang,
    act: Callback<Action>,
}

/// One console line (a component, so lines already shown are not diffed again).
#[function_component(Row)]
fn row(props: &RowProps) -> Html {
    let l = &props.line;
    let lang = props.lang;
    let (kind, class, jump_class) = match l.kind {
        OutputKind::Stdout => ("out", "c-line out", "c-line out jump"),
        OutputKind::Error => ("err", "c-line err", "c-line err jump"),
        OutputKind::Info => ("info", "c-line info", "c-line info jump"),
    };
    let text = l.text.trim_end();
    let body = list(vec![
        span("c-time", txt(fmt_time(l.time_ms))),
        span("c-proc", txt(l.label.clone())),
        span(
            "c-text",
            txt(if l.kind == OutputKind::Info {
                note_text(lang, text).into_owned()
            } else {
                text.to_string()
            }),
        ),
    ]);
    match l.line {
        Some(line) => el_on(
            "button",
            &["data-console", "data-line", "aria-label", "class"],
            vec![
                s(kind),
                own(line.to_string()),
                own(format!(
                    "{} {line}: {}",
                    t(lang, Msg::JumpToLine),
                    l.text.lines().last().unwrap_or("")
                )),
                s(jump_class),
            ],
            vec![on_click(click(&props.act, Action::Jump(l.program, line)))],
            vec![body],
        ),
        None => el(
            "div",
            &["data-console", "class"],
            vec![s(kind), s(class)],
            vec![body],
        ),
    }
}

/// The playground's own notes (a fault applied, a topic created) in the page's language. They
/// come from the runner in English; anything else (kafka-python's own warnings) stays as it is.
pub fn note_text(lang: Lang, text: &str) -> Cow<'_, str> {
    if lang == Lang::En {
        return Cow::Borrowed(text);
    }
    let es = match text {
        "crashed: no more heartbeats, polls or commits" => {
            "caído: sin heartbeats, polls ni commits"
        }
        "left the group: consumer.close()" => "salió del grupo: consumer.close()",
        "restarted: runs again from the top as a new member" => {
            "reiniciado: corre de nuevo desde el principio, como miembro nuevo"
        }
        _ => {
            if let Some(ms) = text
                .strip_prefix("stalled for ")
                .and_then(|r| r.strip_suffix(" ms (heartbeats go on)"))
            {
                return Cow::Owned(format!("trabado {ms} ms (los heartbeats siguen)"));
            }
            if let Some((name, n)) = text
                .strip_prefix("created topic ")
                .and_then(|r| r.strip_suffix(" partitions"))
                .and_then(|r| r.rsplit_once(" with "))
            {
                return Cow::Owned(format!("creó el topic {name} con {n} particiones"));
            }
            return Cow::Borrowed(text);
        }
    };
    Cow::Borrowed(es)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kplay_runner::{FaultKind, ProcessId, ProgramSpec, Scenario, ScenarioSpec};

    /// Every note the runner really writes (each fault, a topic created) reads in Spanish.
    #[test]
    fn the_runner_notes_read_in_spanish() {
        let program = |name: &str, source: &str| ProgramSpec {
            name: name.to_string(),
            setup: String::new(),
            source: source.to_string(),
            instances: 1,
            start_ms: 0,
        };
        let consumer = "from kafka import KafkaConsumer\nconsumer = KafkaConsumer('t', group_id='g')\nfor m in consumer:\n    print(m.offset)\n";
        let admin = "from kafka.admin import KafkaAdminClient, NewTopic\nKafkaAdminClient().create_topics([NewTopic('t', num_partitions=2, replication_factor=1)])\n";
        let mut sc = Scenario::new(ScenarioSpec {
            programs: vec![
                program("admin.py", admin),
                program("a.py", consumer),
                program("b.py", consumer),
                program("c.py", consumer),
            ],
            ..ScenarioSpec::default()
        });
        sc.run_until(5_000);
        sc.inject(ProcessId(1), FaultKind::Crash);
        sc.inject(ProcessId(2), FaultKind::Stall(40_000));
        sc.inject(ProcessId(3), FaultKind::Leave);
        sc.run_until(6_000);
        sc.inject(ProcessId(1), FaultKind::Restart);
        sc.run_until(7_000);
        let notes: Vec<&str> = sc
            .output()
            .iter()
            .filter(|o| o.kind == OutputKind::Info)
            .map(|o| o.text.trim_end())
            .collect();
        assert_eq!(notes.len(), 5, "{notes:?}");
        for n in notes {
            let es = note_text(Lang::Es, n);
            assert_ne!(es, n, "a note without its Spanish: {n}");
            assert_eq!(note_text(Lang::En, n), n);
        }
        assert_eq!(
            note_text(Lang::Es, "created topic orders with 3 partitions"),
            "creó el topic orders con 3 particiones"
        );
        assert_eq!(
            note_text(Lang::Es, "stalled for 40000 ms (heartbeats go on)"),
            "trabado 40000 ms (los heartbeats siguen)"
        );
    }
}
