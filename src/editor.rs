//! The code editor: a transparent `<textarea>` over a highlighted `<pre>`, with line numbers,
//! lesson setup lines, the error's span marked in place, and Python-friendly keys.

use kplay_runner::{ProgramError, ProgramSpec};
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::app::{on_value, Action};
use crate::i18n::{t, Lang, Msg};
use crate::ui::{el, el_full, list, listen, own, s, s_if, span, tag, textarea, txt};
use yew::html::{oninput, onkeydown};

/// Line height of the editor in CSS px (must match `.code` in style.css).
const LINE_PX: f64 = 20.0;
const INDENT: &str = "    ";

/// The CSS class of a token kind from the interpreter's own lexer (`pysnip::highlight`).
fn token_class(k: pysnip::TokenKind) -> &'static str {
    use pysnip::TokenKind as K;
    match k {
        K::Keyword => "tk-kw",
        K::Name => "tk-name",
        K::Builtin => "tk-bi",
        K::String => "tk-str",
        K::Number => "tk-num",
        K::Comment => "tk-com",
        K::Operator => "tk-op",
        K::Error => "tk-err",
    }
}

/// Byte offset of 1-based (line, col) in `src`, cols counted in characters.
fn byte_at(src: &str, line: u32, col: u32) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match src[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return src.len(),
        }
    }
    let line_end = src[start..]
        .find('\n')
        .map(|i| start + i)
        .unwrap_or(src.len());
    src[start..line_end]
        .char_indices()
        .nth(col.saturating_sub(1) as usize)
        .map(|(i, _)| start + i)
        .unwrap_or(line_end)
}

fn utf16_to_byte(s: &str, u: u32) -> usize {
    let mut n = 0u32;
    for (i, c) in s.char_indices() {
        if n >= u {
            return i;
        }
        n += c.len_utf16() as u32;
    }
    s.len()
}

fn byte_to_utf16(s: &str, b: usize) -> u32 {
    s.get(..b.min(s.len()))
        .map(|p| p.encode_utf16().count() as u32)
        .unwrap_or(0)
}

/// `<div>child</div>`.
fn div(child: Html) -> Html {
    el("div", &[], Vec::new(), vec![child])
}

/// An error's message at the end of its line.
fn err_msg(msg: &str) -> Html {
    span("err-msg", txt(format!("  ← {msg}")))
}

/// The highlighted source as spans, with the error range marked and its message written at the
/// end of its line.
fn render_code(src: &str, error: Option<&ProgramError>) -> Html {
    let n = src.len();
    let mut class: Vec<Option<&'static str>> = vec![None; n];
    for (r, k) in pysnip::highlight(src) {
        let cls = token_class(k);
        for c in class.iter_mut().take(r.end.min(n)).skip(r.start) {
            *c = Some(cls);
        }
    }
    let err = error.map(|e| {
        let a = byte_at(src, e.line, e.col);
        let mut b = byte_at(src, e.line, e.end_col.max(e.col + 1));
        if b <= a {
            b = (a + 1).min(n);
        }
        (a..b, e.line, e.message.clone())
    });
    let mut out: Vec<Html> = Vec::new();
    let mut line = 1u32;
    let mut i = 0;
    let bytes = src.as_bytes();
    while i < n {
        if bytes[i] == b'\n' {
            if err.as_ref().is_some_and(|(r, _, _)| r.contains(&i)) {
                out.push(span("err-span", txt(" ")));
            }
            if let Some((_, el, msg)) = &err {
                if *el == line {
                    out.push(err_msg(msg));
                }
            }
            out.push(txt("\n"));
            line += 1;
            i += 1;
            continue;
        }
        let c = class[i];
        let in_err = err.as_ref().is_some_and(|(r, _, _)| r.contains(&i));
        let mut j = i + 1;
        while j < n
            && bytes[j] != b'\n'
            && class[j] == c
            && err.as_ref().is_some_and(|(r, _, _)| r.contains(&j)) == in_err
        {
            j += 1;
        }
        // Never split a UTF-8 character.
        while j < n && !src.is_char_boundary(j) {
            j += 1;
        }
        let text = src.get(i..j).unwrap_or("").to_string();
        let cls = match (c, in_err) {
            (Some(c), true) => own(format!("{c} err-span")),
            (Some(c), false) => s(c),
            (None, true) => s("err-span"),
            (None, false) => None,
        };
        out.push(el("span", &["class"], vec![cls], vec![txt(text)]));
        i = j;
    }
    if let Some((r, el, msg)) = &err {
        if *el >= line {
            if r.start >= n {
                out.push(span("err-span", txt(" ")));
            }
            out.push(err_msg(msg));
        }
    }
    out.push(txt("\n"));
    list(out)
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub index: usize,
    pub program: ProgramSpec,
    pub error: Option<ProgramError>,
    pub lang: Lang,
    /// The page's actions: `Action::Edit` on every change, `Action::Rerun` on Ctrl+Enter.
    pub act: Callback<Action>,
    /// Jump to this 1-based line when the second field (a sequence number) changes.
    pub jump: Option<(u32, u64)>,
}

fn edit(
    area: &HtmlTextAreaElement,
    value: &str,
    sel: (usize, usize),
    act: &Callback<Action>,
    index: usize,
) {
    area.set_value(value);
    let _ = area.set_selection_range(byte_to_utf16(value, sel.0), byte_to_utf16(value, sel.1));
    act.emit(Action::Edit(index, value.to_string()));
}

fn line_start(s: &str, b: usize) -> usize {
    s[..b.min(s.len())].rfind('\n').map(|i| i + 1).unwrap_or(0)
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let area_ref = use_node_ref();
    let scroll_ref = use_node_ref();
    let lang = props.lang;
    let index = props.index;

    {
        let area_ref = area_ref.clone();
        let scroll_ref = scroll_ref.clone();
        let source = props.program.source.clone();
        let setup_lines = props.program.setup.lines().count();
        use_effect_with(props.jump, move |jump| {
            if let Some((line, _)) = jump {
                if let Some(area) = area_ref.cast::<HtmlTextAreaElement>() {
                    let b = byte_at(&source, *line, 1);
                    let u = byte_to_utf16(&source, b);
                    let _ = area.focus();
                    let _ = area.set_selection_range(u, u);
                }
                if let Some(el) = scroll_ref.cast::<HtmlElement>() {
                    let y = (*line as f64 - 3.0 + setup_lines as f64).max(0.0) * LINE_PX;
                    el.set_scroll_top(y as i32);
                }
            }
        });
    }

    let oninput = on_value::<InputEvent>(&props.act, index, Action::Edit);
    let onkeydown = {
        let act = props.act.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() else {
                return;
            };
            let value = area.value();
            let s = utf16_to_byte(&value, area.selection_start().ok().flatten().unwrap_or(0));
            let end = utf16_to_byte(&value, area.selection_end().ok().flatten().unwrap_or(0));
            let key = e.key();
            if key == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                act.emit(Action::Rerun(None));
            } else if key == "Tab" && !e.ctrl_key() && !e.alt_key() && !e.meta_key() {
                e.prevent_default();
                let multi = value[s..end].contains('\n');
                if !e.shift_key() && !multi {
                    let next = format!("{}{INDENT}{}", &value[..s], &value[end..]);
                    edit(&area, &next, (s + 4, s + 4), &act, index);
                    return;
                }
                // Indent or dedent every selected line.
                let first = line_start(&value, s);
                let block_end = end.max(s);
                let mut out = String::with_capacity(value.len() + 64);
                out.push_str(&value[..first]);
                let mut new_s = s;
                let mut new_e = end;
                let block = &value[first..block_end];
                let mut pos = first;
                for (k, l) in block.split('\n').enumerate() {
                    if k > 0 {
                        out.push('\n');
                    }
                    if e.shift_key() {
                        let strip = l.len() - l.trim_start_matches(' ').len();
                        let strip = strip.min(4);
                        out.push_str(&l[strip..]);
                        if pos < s {
                            new_s = new_s.saturating_sub(strip.min(s - pos));
                        }
                        new_e = new_e.saturating_sub(strip);
                    } else {
                        out.push_str(INDENT);
                        out.push_str(l);
                        if pos <= s {
                            new_s += 4;
                        }
                        new_e += 4;
                    }
                    pos += l.len() + 1;
                }
                out.push_str(&value[block_end..]);
                let new_s = new_s.min(out.len());
                let new_e = new_e.clamp(new_s, out.len());
                edit(&area, &out, (new_s, new_e), &act, index);
            } else if key == "Enter" && !e.shift_key() && !e.alt_key() {
                e.prevent_default();
                let ls = line_start(&value, s);
                let line = &value[ls..s];
                let mut indent: String = line.chars().take_while(|c| *c == ' ').collect();
                if line.trim_end().ends_with(':') {
                    indent.push_str(INDENT);
                }
                let next = format!("{}\n{indent}{}", &value[..s], &value[end..]);
                let caret = s + 1 + indent.len();
                edit(&area, &next, (caret, caret), &act, index);
            }
        })
    };

    let source = &props.program.source;
    let lines = source.split('\n').count().max(1);
    let setup = props.program.setup.trim_end_matches('\n');
    let error = props.error.as_ref();
    let longest = source.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    let height = lines as f64 * LINE_PX + 16.0;
    let setup = if setup.is_empty() {
        Html::default()
    } else {
        let label = t(lang, Msg::SetupLines);
        el(
            "div",
            &["aria-label", "title", "class"],
            vec![s(label), s(label), s("setup")],
            vec![
                el(
                    "div",
                    &["class"],
                    vec![s("gutter")],
                    vec![list(setup.lines().map(|_| div(txt("·"))).collect())],
                ),
                el(
                    "pre",
                    &["aria-readonly", "class"],
                    vec![s("true"), s("code setup-code")],
                    vec![txt(setup.to_string())],
                ),
            ],
        )
    };
    let gutter = el(
        "div",
        &["aria-hidden", "class"],
        vec![s("true"), s("gutter")],
        vec![list(
            (1..=lines)
                .map(|n| {
                    let bad = error.is_some_and(|e| e.line as usize == n);
                    el(
                        "div",
                        &["class"],
                        vec![s_if(bad, "err-line")],
                        vec![txt(n.to_string())],
                    )
                })
                .collect(),
        )],
    );
    let highlight = el(
        "pre",
        &["aria-hidden", "class"],
        vec![s("true"), s("code highlight")],
        vec![render_code(source, error)],
    );
    let code = textarea(
        area_ref,
        source.clone().into(),
        &[
            "spellcheck",
            "autocomplete",
            "autocapitalize",
            "wrap",
            "data-input",
            "aria-keyshortcuts",
            "aria-label",
            "style",
            "class",
        ],
        vec![
            s("false"),
            s("off"),
            s("off"),
            s("off"),
            s("code"),
            s("Control+Enter Meta+Enter"),
            own(format!("{} {}", t(lang, Msg::Code), props.program.name)),
            own(format!("height: {height}px")),
            s("code input"),
        ],
        vec![
            listen(oninput::Wrapper::new(oninput)),
            listen(onkeydown::Wrapper::new(onkeydown)),
        ],
    );
    let error_bar = match error {
        Some(e) => el(
            "div",
            &["role", "data-error-line", "class"],
            vec![s("alert"), own(e.line.to_string()), s("error-bar")],
            vec![
                el(
                    "strong",
                    &[],
                    Vec::new(),
                    vec![txt(format!("{} {}: ", t(lang, Msg::Line), e.line))],
                ),
                span("mono", txt(e.message.clone())),
            ],
        ),
        None => Html::default(),
    };
    el(
        "div",
        &["data-editor", "class"],
        vec![own(props.program.name.clone()), s("editor")],
        vec![
            el_full(
                "div",
                scroll_ref,
                None,
                &["class"],
                vec![s("code-scroll")],
                Vec::new(),
                vec![
                    setup,
                    tag(
                        "div",
                        "code-wrap",
                        vec![
                            gutter,
                            el(
                                "div",
                                &["style", "class"],
                                vec![
                                    own(format!("min-width: calc({}ch + 24px)", longest + 2)),
                                    s("code-layer"),
                                ],
                                vec![highlight, code],
                            ),
                        ],
                    ),
                ],
            ),
            error_bar,
        ],
    )
}
