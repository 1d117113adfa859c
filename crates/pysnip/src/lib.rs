//! A small, resumable, bounded Python-subset interpreter with no web dependency.
//!
//! `compile` turns source into a [`Program`]; a [`Process`] runs it with `run(host, fuel)`,
//! returning when it finishes, blocks on the host, errors, or runs out of fuel.

pub mod ast;
pub mod builtins;
pub mod case;
pub mod compiler;
pub mod error;
pub mod float_parse;
pub mod format;
pub mod lexer;
pub mod limits;
pub mod modules;
pub mod ops;
pub mod parser;
pub mod value;
pub mod vm;

use std::rc::Rc;

pub use error::{builtin_class, Exception, ExceptionClass, Frame, PyError};
pub use float_parse::parse_float;
pub use lexer::{highlight, TokenKind};
pub use limits::Limits;
pub use value::{HostRef, Value};
pub use vm::Process;

/// A compiled program (cheap to clone; shared by processes).
#[derive(Clone, Debug)]
pub struct Program {
    pub(crate) data: Rc<compiler::ProgramData>,
}

/// Why `Process::run` returned.
#[derive(Debug, Clone, PartialEq)]
pub enum RunStatus {
    Finished,
    OutOfFuel,
    Blocked(Block),
    Error(PyError),
}

/// What a blocked process waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    /// `time.sleep`: resume with `Process::resume()` once `ms` of virtual time passed.
    Sleep { ms: u64 },
    /// A host call or host iterator returned `HostResult::Block(token)`.
    Host(u64),
}

/// Result of a host call.
#[derive(Debug, Clone)]
pub enum HostResult {
    Return(Value),
    Raise(Exception),
    Block(u64),
}

/// The embedding application: host modules, host objects, output, virtual time, randomness.
pub trait Host {
    /// A host module's attributes; `None` if the host has no such module.
    fn import(&mut self, module: &str) -> Option<Result<Vec<(String, Value)>, Exception>>;
    /// Calls a host callable (`method == None`) or a method of a host object.
    fn call(
        &mut self,
        proc: &mut Process,
        target: &HostRef,
        method: Option<&str>,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
    ) -> HostResult;
    /// Attribute of a host object (methods: return `Value::host_method(obj, name)`).
    fn get_attr(&mut self, obj: &HostRef, name: &str) -> Result<Value, Exception>;
    /// Next item of a host iterator: `Raise(StopIteration)` ends a `for` loop.
    fn iter_next(&mut self, proc: &mut Process, obj: &HostRef) -> HostResult;
    /// `repr()` of a host object.
    fn repr(&mut self, obj: &HostRef) -> String;
    /// Output of one `print()` call (includes the end string).
    fn print(&mut self, text: &str);
    /// Virtual milliseconds since the simulation started.
    fn now_ms(&self) -> u64;
    /// Unix epoch milliseconds of virtual time 0.
    fn epoch_ms(&self) -> i64;
    /// The simulation's seeded RNG.
    fn random_u64(&mut self) -> u64;
}

fn syntax_error(
    files: &[(String, String)],
    file: u16,
    msg: String,
    start: usize,
    end: usize,
    indentation: bool,
) -> PyError {
    let (name, src) = files
        .get(file as usize)
        .map(|(n, s)| (n.as_str(), s.as_str()))
        .unwrap_or(("<unknown>", ""));
    let (line, col, source_line) = error::line_col(src, start);
    let (eline, ecol, _) = error::line_col(src, end);
    let end_col = if eline == line {
        ecol.max(col + 1)
    } else {
        source_line.chars().count() + 1
    };
    PyError {
        kind: if indentation {
            "IndentationError".into()
        } else {
            "SyntaxError".into()
        },
        message: msg,
        frames: vec![Frame {
            file: name.to_string(),
            line,
            col,
            end_col,
            func: "<module>".into(),
            source_line,
        }],
        is_syntax: true,
    }
}

fn compile_files(files: Vec<(String, String)>, main_file: u16) -> Result<Program, PyError> {
    let mut bodies = Vec::new();
    for (i, (_, src)) in files.iter().enumerate() {
        match parser::parse_module(src, i as u16) {
            Ok(b) => bodies.push(b),
            Err(e) => {
                return Err(syntax_error(
                    &files,
                    i as u16,
                    e.msg,
                    e.start,
                    e.end,
                    e.indentation,
                ))
            }
        }
    }
    match compiler::compile_files(bodies) {
        Ok((module, global_names)) => Ok(Program {
            data: Rc::new(compiler::ProgramData {
                files,
                module,
                global_names,
                main_file,
            }),
        }),
        Err(e) => Err(syntax_error(
            &files,
            e.span.file,
            e.msg,
            e.span.start as usize,
            e.span.end as usize,
            false,
        )),
    }
}

/// Compiles a module. Errors are `SyntaxError` / `IndentationError` with line and column.
pub fn compile(source: &str, filename: &str) -> Result<Program, PyError> {
    compile_files(vec![(filename.to_string(), source.to_string())], 0)
}

/// Compiles `setup` (reported as file `<setup>`) followed by the learner's `source`,
/// sharing globals; errors in `source` report the learner's own line numbers.
pub fn compile_with_setup(setup: &str, source: &str, filename: &str) -> Result<Program, PyError> {
    compile_files(
        vec![
            ("<setup>".to_string(), setup.to_string()),
            (filename.to_string(), source.to_string()),
        ],
        1,
    )
}
