//! Exception classes and instances, tracebacks, and the rendered `PyError` given to hosts.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use crate::value::Value;

/// A source span: file index in the program, byte range.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    pub file: u16,
    pub start: u32,
    pub end: u32,
}

/// An exception class (built-in, declared by a snippet, or defined by the host).
#[derive(Debug)]
pub struct ExceptionClass {
    pub name: Rc<str>,
    pub parent: Option<Rc<ExceptionClass>>,
}

impl ExceptionClass {
    /// A new class deriving from `parent` (e.g. `ExceptionClass::new("KafkaError", Some(builtin_class("Exception")))`).
    pub fn new(name: &str, parent: Option<Rc<ExceptionClass>>) -> Rc<ExceptionClass> {
        Rc::new(ExceptionClass {
            name: Rc::from(name),
            parent,
        })
    }
    /// Whether `self` is `other` or derives from it.
    pub fn is_subclass(self: &Rc<Self>, other: &Rc<ExceptionClass>) -> bool {
        let mut c = Some(self.clone());
        let mut n = 0;
        while let Some(cls) = c {
            if Rc::ptr_eq(&cls, other) {
                return true;
            }
            n += 1;
            if n > 1000 {
                return false;
            }
            c = cls.parent.clone();
        }
        false
    }
}

const BUILTIN_HIERARCHY: &[(&str, &str)] = &[
    ("BaseException", ""),
    ("Exception", "BaseException"),
    ("KeyboardInterrupt", "BaseException"),
    ("SystemExit", "BaseException"),
    ("GeneratorExit", "BaseException"),
    ("ArithmeticError", "Exception"),
    ("ZeroDivisionError", "ArithmeticError"),
    ("OverflowError", "ArithmeticError"),
    ("AssertionError", "Exception"),
    ("AttributeError", "Exception"),
    ("LookupError", "Exception"),
    ("KeyError", "LookupError"),
    ("IndexError", "LookupError"),
    ("NameError", "Exception"),
    ("UnboundLocalError", "NameError"),
    ("RuntimeError", "Exception"),
    ("NotImplementedError", "RuntimeError"),
    ("RecursionError", "RuntimeError"),
    ("StopIteration", "Exception"),
    ("TypeError", "Exception"),
    ("ValueError", "Exception"),
    ("UnicodeError", "ValueError"),
    ("UnicodeDecodeError", "UnicodeError"),
    ("UnicodeEncodeError", "UnicodeError"),
    ("JSONDecodeError", "ValueError"),
    ("ImportError", "Exception"),
    ("ModuleNotFoundError", "ImportError"),
    ("MemoryError", "Exception"),
    ("OSError", "Exception"),
    ("TimeoutError", "OSError"),
    ("ConnectionError", "OSError"),
    ("SyntaxError", "Exception"),
    ("IndentationError", "SyntaxError"),
];

thread_local! {
    /// The built-in classes, in `BUILTIN_HIERARCHY` order (a parent before its children).
    static BUILTINS: Vec<Rc<ExceptionClass>> = build_builtins();
}

fn build_builtins() -> Vec<Rc<ExceptionClass>> {
    let mut v: Vec<Rc<ExceptionClass>> = Vec::with_capacity(BUILTIN_HIERARCHY.len());
    for (name, parent) in BUILTIN_HIERARCHY {
        let p = v.iter().find(|c| &*c.name == *parent).cloned();
        v.push(ExceptionClass::new(name, p));
    }
    v
}

/// The built-in exception class of that name (`BaseException` if unknown).
pub fn builtin_class(name: &str) -> Rc<ExceptionClass> {
    BUILTINS.with(|b| {
        b.iter()
            .find(|c| &*c.name == name)
            .or_else(|| b.first())
            .cloned()
            .unwrap_or_else(|| ExceptionClass::new(name, None))
    })
}

/// Whether `name` is a built-in exception class.
pub fn is_builtin_class(name: &str) -> bool {
    BUILTIN_HIERARCHY.iter().any(|(n, _)| *n == name)
}

/// Names of all built-in exception classes.
pub fn builtin_class_names() -> Vec<&'static str> {
    BUILTIN_HIERARCHY.iter().map(|(n, _)| *n).collect()
}

/// One traceback entry.
#[derive(Clone, Debug)]
pub struct TraceEntry {
    pub span: Span,
    /// Frame depth when recorded (to avoid duplicates on re-raise).
    pub depth: usize,
    pub func: Rc<str>,
}

#[derive(Debug)]
struct ExcInner {
    class: Rc<ExceptionClass>,
    args: Vec<Value>,
    traceback: RefCell<Vec<TraceEntry>>,
}

/// An exception instance. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Exception(Rc<ExcInner>);

impl Exception {
    /// An instance of `class` with the given arguments.
    pub fn with_args(class: &Rc<ExceptionClass>, args: Vec<Value>) -> Exception {
        Exception(Rc::new(ExcInner {
            class: class.clone(),
            args,
            traceback: RefCell::new(Vec::new()),
        }))
    }
    /// An instance of `class` with one message argument.
    pub fn new(class: &Rc<ExceptionClass>, msg: &str) -> Exception {
        Exception::with_args(class, vec![Value::str(msg)])
    }
    /// An instance of a built-in class by name, e.g. `Exception::builtin("ValueError", "bad")`.
    pub fn builtin(class: &str, msg: impl AsRef<str>) -> Exception {
        Exception::builtin_str(class, msg.as_ref())
    }
    pub fn type_error(msg: impl AsRef<str>) -> Exception {
        Exception::builtin_str("TypeError", msg.as_ref())
    }
    pub fn value_error(msg: impl AsRef<str>) -> Exception {
        Exception::builtin_str("ValueError", msg.as_ref())
    }
    // The constructors below are out of line and cold: raising is the rare path, and each of
    // the hundreds of raise sites then costs a call instead of an inlined format-and-build.
    #[cold]
    #[inline(never)]
    fn builtin_str(class: &str, msg: &str) -> Exception {
        Exception::new(&builtin_class(class), msg)
    }
    /// Like [`Exception::builtin`] with a message from `format_args!` (formatted here, not at
    /// the raise site).
    #[cold]
    #[inline(never)]
    pub fn builtin_fmt(class: &str, msg: fmt::Arguments<'_>) -> Exception {
        Exception::with_args(
            &builtin_class(class),
            vec![Value::Str(Rc::new(fmt::format(msg)))],
        )
    }
    #[cold]
    #[inline(never)]
    pub fn type_error_fmt(msg: fmt::Arguments<'_>) -> Exception {
        Exception::builtin_fmt("TypeError", msg)
    }
    #[cold]
    #[inline(never)]
    pub fn value_error_fmt(msg: fmt::Arguments<'_>) -> Exception {
        Exception::builtin_fmt("ValueError", msg)
    }
    pub fn class(&self) -> &Rc<ExceptionClass> {
        &self.0.class
    }
    pub fn args(&self) -> &[Value] {
        &self.0.args
    }
    pub fn is_instance(&self, class: &Rc<ExceptionClass>) -> bool {
        self.0.class.is_subclass(class)
    }
    /// Whether the class (or an ancestor) has this name.
    pub fn is_a(&self, name: &str) -> bool {
        let mut c = Some(self.0.class.clone());
        while let Some(cls) = c {
            if &*cls.name == name {
                return true;
            }
            c = cls.parent.clone();
        }
        false
    }
    pub fn ptr_eq(&self, other: &Exception) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
    pub fn ptr_id(&self) -> usize {
        Rc::as_ptr(&self.0) as *const u8 as usize
    }
    /// `str(e)`.
    pub fn message(&self) -> String {
        match self.0.args.as_slice() {
            [] => String::new(),
            [a] => {
                if self.is_a("KeyError") {
                    crate::format::repr(a)
                } else {
                    crate::format::to_str(a)
                }
            }
            many => crate::format::repr(&Value::tuple(many.to_vec())),
        }
    }
    pub fn push_trace(&self, e: TraceEntry) {
        let mut tb = self.0.traceback.borrow_mut();
        if tb.last().is_some_and(|l| l.depth == e.depth) {
            return;
        }
        tb.push(e);
    }
    pub fn traceback(&self) -> Vec<TraceEntry> {
        self.0.traceback.borrow().clone()
    }
    pub fn clear_traceback(&self) {
        self.0.traceback.borrow_mut().clear();
    }
}

/// A frame of a rendered traceback.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    pub file: String,
    pub line: usize,
    /// 1-based column and end column (exclusive) on that line, in characters.
    pub col: usize,
    pub end_col: usize,
    pub func: String,
    pub source_line: String,
}

/// An error that ended compilation or a process: type, message, traceback (outermost first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PyError {
    pub kind: String,
    pub message: String,
    pub frames: Vec<Frame>,
    /// For syntax errors: no frames are shown with `in <func>`.
    pub is_syntax: bool,
}

impl PyError {
    /// The innermost location: (line, col, end_col), 1-based columns.
    pub fn span(&self) -> Option<(usize, usize, usize)> {
        self.frames.last().map(|f| (f.line, f.col, f.end_col))
    }
    /// Innermost file name.
    pub fn file(&self) -> Option<&str> {
        self.frames.last().map(|f| f.file.as_str())
    }
    /// `NameError: name 'x' is not defined`
    pub fn last_line(&self) -> String {
        if self.message.is_empty() {
            self.kind.clone()
        } else {
            format!("{}: {}", self.kind, self.message)
        }
    }
    /// One line: `consumer.py:6:30: NameError: name 'json' is not defined`.
    pub fn compact(&self) -> String {
        match self.frames.last() {
            Some(f) => format!("{}:{}:{}: {}", f.file, f.line, f.col, self.last_line()),
            None => self.last_line(),
        }
    }
    /// CPython-like multi-line rendering.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if self.is_syntax {
            if let Some(f) = self.frames.last() {
                out.push_str(&format!("  File \"{}\", line {}\n", f.file, f.line));
                push_source(&mut out, f, true);
            }
        } else {
            out.push_str("Traceback (most recent call last):\n");
            // Like CPython: after 3 identical frames (file, line, function) in a row, the
            // rest of the run is collapsed into "[Previous line repeated N more times]".
            let mut prev: Option<&Frame> = None;
            let mut count = 0usize;
            for f in &self.frames {
                let same =
                    prev.is_some_and(|p| p.file == f.file && p.line == f.line && p.func == f.func);
                if !same {
                    push_repeated(&mut out, count);
                    count = 0;
                    prev = Some(f);
                }
                count += 1;
                if count > RECURSIVE_CUTOFF {
                    continue;
                }
                out.push_str(&format!(
                    "  File \"{}\", line {}, in {}\n",
                    f.file, f.line, f.func
                ));
                push_source(&mut out, f, false);
            }
            push_repeated(&mut out, count);
        }
        out.push_str(&self.last_line());
        out.push('\n');
        out
    }
}

/// Identical consecutive traceback entries shown before the rest are collapsed (CPython's value).
const RECURSIVE_CUTOFF: usize = 3;

fn push_repeated(out: &mut String, count: usize) {
    if count > RECURSIVE_CUTOFF {
        let n = count - RECURSIVE_CUTOFF;
        out.push_str(&format!(
            "  [Previous line repeated {} more time{}]\n",
            n,
            if n > 1 { "s" } else { "" }
        ));
    }
}

fn push_source(out: &mut String, f: &Frame, always_caret: bool) {
    let line = f.source_line.trim_end();
    if line.trim().is_empty() {
        return;
    }
    let indent = line.len() - line.trim_start().len();
    let shown = line.trim_start();
    out.push_str("    ");
    out.push_str(shown);
    out.push('\n');
    let indent_chars = line[..indent].chars().count();
    let start = f.col.saturating_sub(1).saturating_sub(indent_chars);
    let width = f.end_col.saturating_sub(f.col).max(1);
    let whole = start == 0 && width >= shown.chars().count();
    if always_caret || !whole {
        out.push_str("    ");
        out.push_str(&" ".repeat(start.min(shown.chars().count())));
        out.push_str(&"^".repeat(width.min(shown.chars().count().saturating_sub(start).max(1))));
        out.push('\n');
    }
}

/// Line (1-based), column (1-based, chars) of a byte offset in `src`.
pub fn line_col(src: &str, offset: usize) -> (usize, usize, String) {
    let offset = offset.min(src.len());
    let mut off = offset;
    while off > 0 && !src.is_char_boundary(off) {
        off -= 1;
    }
    let before = &src[..off];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = src[line_start..off].chars().count() + 1;
    let line_end = src[line_start..]
        .find('\n')
        .map(|i| line_start + i)
        .unwrap_or(src.len());
    (line, col, src[line_start..line_end].to_string())
}
