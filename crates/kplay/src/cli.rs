//! Shared command-line plumbing: errors, exit codes, argument access.

use std::io::Write;
use std::process::ExitCode;

/// Why a subcommand failed.
#[derive(Debug)]
pub enum CliError {
    /// Bad arguments: reported on stderr with exit code 2.
    Usage(String),
    /// Writing the output failed: exit code 1.
    Io(std::io::Error),
    /// The command ran and found failures (already printed): exit code 1.
    Failed,
}

/// Prints the error on stderr and gives the process exit code.
pub fn report(e: CliError) -> ExitCode {
    match e {
        CliError::Usage(msg) => {
            eprintln!("kplay: error: {msg}");
            eprintln!("Run `kplay help` for usage.");
            ExitCode::from(2)
        }
        CliError::Failed => ExitCode::from(1),
        CliError::Io(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        CliError::Io(err) => {
            eprintln!("kplay: error: {err}");
            ExitCode::from(1)
        }
    }
}

/// The command-line arguments after the program name; all must be valid UTF-8.
pub fn utf8_args() -> Result<Vec<String>, CliError> {
    std::env::args_os()
        .skip(1)
        .map(|a| {
            a.into_string()
                .map_err(|bad| CliError::Usage(format!("argument is not valid UTF-8: {bad:?}")))
        })
        .collect()
}

pub fn write_out(out: &mut dyn Write, text: &str) -> Result<(), CliError> {
    out.write_all(text.as_bytes()).map_err(CliError::Io)
}

/// Splits `--name=value` into its parts; other arguments come back with no inline value.
pub fn split_option(arg: &str) -> (&str, Option<&str>) {
    if arg.starts_with("--") {
        if let Some((name, value)) = arg.split_once('=') {
            return (name, Some(value));
        }
    }
    (arg, None)
}

/// Walks the arguments of a subcommand, handing out option values.
pub struct Args<'a> {
    args: &'a [String],
    pos: usize,
}

impl<'a> Args<'a> {
    pub fn new(args: &'a [String]) -> Self {
        Args { args, pos: 0 }
    }

    pub fn next_arg(&mut self) -> Option<&'a str> {
        let arg = self.args.get(self.pos)?;
        self.pos += 1;
        Some(arg.as_str())
    }

    /// The value of option `name`: inline (`--name=value`) or the next argument.
    pub fn value(&mut self, name: &str, inline: Option<&'a str>) -> Result<&'a str, CliError> {
        if let Some(v) = inline {
            return Ok(v);
        }
        self.next_arg()
            .ok_or_else(|| CliError::Usage(format!("option {name} needs a value")))
    }

    /// Everything not consumed yet.
    pub fn rest(&mut self) -> &'a [String] {
        let rest = self.args.get(self.pos..).unwrap_or(&[]);
        self.pos = self.args.len();
        rest
    }
}

/// Parses a count such as a partition number, naming the option in the error.
pub fn parse_u32(what: &str, text: &str) -> Result<u32, CliError> {
    text.parse::<u32>()
        .map_err(|_| CliError::Usage(format!("{what}: '{text}' is not a non-negative integer")))
}
