//! `kplay`: the playground's command-line tool (dispatches to one module per subcommand).

mod assign;
mod check;
mod cli;
mod json;
mod partition;
mod run;

use cli::CliError;
use std::io::Write;
use std::process::ExitCode;

/// The subcommands, with a one-line summary each (shown by `kplay help`).
const SUBCOMMANDS: &[(&str, &str)] = &[
    (
        "partition",
        "print the partition each key lands on (murmur2, as Kafka and kafka-python)",
    ),
    (
        "assign",
        "print the partition assignment of a consumer group (range, roundrobin, sticky, cooperative-sticky)",
    ),
    (
        "run",
        "run kafka-python files as one scenario and print outputs and a summary",
    ),
    (
        "check",
        "run each .py file and each python block of Markdown files; print ok or the error",
    ),
    ("help", "print this help, or a subcommand's help"),
];

fn general_help() -> String {
    let mut s = String::from(
        "kplay: the Kafka Playground command-line tool\n\nUsage: kplay <SUBCOMMAND> [ARGS...]\n\nSubcommands:\n",
    );
    for (name, summary) in SUBCOMMANDS {
        s.push_str(&format!("  {name:<10} {summary}\n"));
    }
    s.push_str("\nRun `kplay help <SUBCOMMAND>` or `kplay <SUBCOMMAND> --help` for details.\n");
    s
}

fn subcommand_help(name: &str) -> Option<&'static str> {
    match name {
        "partition" => Some(partition::HELP),
        "assign" => Some(assign::HELP),
        "run" => Some(run::HELP),
        "check" => Some(check::HELP),
        _ => None,
    }
}

fn help(args: &[String], out: &mut dyn Write) -> Result<(), CliError> {
    match args {
        [] => cli::write_out(out, &general_help()),
        [name] => match subcommand_help(name) {
            Some(text) => cli::write_out(out, text),
            None => Err(CliError::Usage(format!("unknown subcommand '{name}'"))),
        },
        _ => Err(CliError::Usage(
            "`kplay help` takes at most one subcommand".into(),
        )),
    }
}

fn dispatch(args: &[String], out: &mut dyn Write) -> Result<(), CliError> {
    let Some((command, rest)) = args.split_first() else {
        return Err(CliError::Usage("missing subcommand".into()));
    };
    if rest.iter().any(|a| a == "--help" || a == "-h") {
        if let Some(text) = subcommand_help(command) {
            return cli::write_out(out, text);
        }
    }
    match command.as_str() {
        "help" | "--help" | "-h" => help(rest, out),
        "partition" => partition::run(rest, out),
        "assign" => assign::run(rest, out),
        "run" => run::run(rest, out),
        "check" => check::run(rest, out),
        other => Err(CliError::Usage(format!("unknown subcommand '{other}'"))),
    }
}

fn main() -> ExitCode {
    let args = match cli::utf8_args() {
        Ok(args) => args,
        Err(e) => return cli::report(e),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = dispatch(&args, &mut out).and_then(|()| out.flush().map_err(CliError::Io));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => cli::report(e),
    }
}
