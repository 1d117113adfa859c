//! `kplay run`: runs kafka-python files as one scenario in virtual time and prints each
//! process's output and a summary (or one JSON document).

use crate::cli::{self, Args, CliError};
use kplay_runner::report::{self, RunFile, RunOptions};
use std::io::Write;

pub const HELP: &str = "\
kplay run: run kafka-python files as one scenario on the in-memory Kafka (virtual time)

Usage: kplay run FILE.py... [OPTIONS]

Every file is a program; each of its instances is a process (a group member when it
consumes with a group_id). Topics are auto-created with --partitions partitions.
Output lines are prefixed by the process: `consumer.py #2 | text` (stdout),
`consumer.py ! ...` (tracebacks), `consumer.py * [12.000s] ...` (playground notes),
then a summary: records per partition, committed offsets, lag and assignment per group.

Options:
  --instances FILE=N       run N processes of FILE (default 1)
  --start FILE=DURATION    start FILE's processes at this virtual time (default 0)
  --partitions N           partitions of auto-created topics (default 3)
  --seed S                 seed of the run (default 42): same seed, same run
  --for DURATION           virtual time to run (default 30s)
  --setup FILE=PATH        run PATH's lines before FILE (a lesson's setup lines)
  --setup-line FILE=LINE   one setup line, e.g. --setup-line consumer.py='import json'
  --crash FILE[#N]=AT      crash FILE's processes (or instance N) at AT
  --restart FILE[#N]=AT    restart them from the top at AT (as a new group member)
  --leave FILE[#N]=AT      close their consumers cleanly at AT
  --stall FILE[#N]=AT+DUR  block their main loop at AT for DUR (heartbeats go on)
  --send AT:TOPIC:KEY=VALUE  send a record by hand at AT (AT:TOPIC:VALUE: no key)
  --process-ms DURATION    how long playground.process() takes (default 100ms)
  --lesson ID              run a lesson's scenario (its files, setup lines and faults)
                           instead of FILEs; --for defaults to the lesson's duration
  --json                   print one JSON document: output, info, errors, partitions,
                           groups (committed, lag, assignment), notes, trace_hash

Durations: 5s, 500ms, 2m, 1.5s or plain milliseconds.
Exit status: 0 (even when a program failed: its traceback is in the output), 2 for bad
arguments or unreadable files.

Example:
  kplay run producer.py consumer.py --instances consumer.py=2 --start producer.py=5s
";

/// Reads a file for the command line (a usage error when it cannot be read).
pub fn read_file(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))
}

/// The name a file runs under: its base name.
pub fn base_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| path.to_string())
}

/// Parses `kplay run`'s arguments into files and options.
pub fn parse(args: &[String]) -> Result<(Vec<RunFile>, RunOptions), CliError> {
    let mut opts = RunOptions::default();
    let mut paths: Vec<&str> = Vec::new();
    let mut it = Args::new(args);
    while let Some(arg) = it.next_arg() {
        let (name, inline) = cli::split_option(arg);
        if name == "--" {
            paths.extend(it.rest().iter().map(String::as_str));
            break;
        }
        if name.starts_with("--") {
            if RunOptions::takes_value(name) {
                let value = it.value(name, inline)?;
                opts.apply(name, value, &mut read_file)
                    .map_err(CliError::Usage)?;
            } else {
                if inline.is_some() {
                    return Err(CliError::Usage(format!("option {name} takes no value")));
                }
                opts.apply_flag(name).map_err(CliError::Usage)?;
            }
        } else {
            paths.push(arg);
        }
    }
    if paths.is_empty() {
        return Err(CliError::Usage(
            "kplay run needs at least one FILE.py".into(),
        ));
    }
    let mut files: Vec<RunFile> = Vec::new();
    for p in paths {
        let name = base_name(p);
        if files.iter().any(|f| f.name == name) {
            return Err(CliError::Usage(format!(
                "two files are called {name}: rename one"
            )));
        }
        let source = read_file(p).map_err(CliError::Usage)?;
        files.push(RunFile { name, source });
    }
    Ok((files, opts))
}

/// `--lesson ID [--for D] [--json]`: the lesson's scenario.
fn run_lesson(args: &[String]) -> Result<Option<(kplay_runner::Scenario, bool)>, CliError> {
    let Some(i) = args
        .iter()
        .position(|a| a == "--lesson" || a.starts_with("--lesson="))
    else {
        return Ok(None);
    };
    let id = match args[i].split_once('=') {
        Some((_, v)) => v.to_string(),
        None => args
            .get(i + 1)
            .cloned()
            .ok_or_else(|| CliError::Usage("option --lesson needs a value".into()))?,
    };
    let lesson = kplay_runner::lesson(&id).ok_or_else(|| {
        let ids: Vec<&str> = kplay_runner::lessons().iter().map(|l| l.id).collect();
        CliError::Usage(format!("no lesson '{id}' (lessons: {})", ids.join(", ")))
    })?;
    let mut for_ms = lesson.run_ms;
    let mut json = false;
    let mut it = Args::new(args);
    while let Some(arg) = it.next_arg() {
        let (name, inline) = cli::split_option(arg);
        match name {
            "--lesson" => {
                if inline.is_none() {
                    it.next_arg();
                }
            }
            "--for" => {
                let v = it.value(name, inline)?;
                for_ms = report::parse_duration(v)
                    .map_err(|e| CliError::Usage(format!("--for: {e}")))?;
            }
            "--json" => json = true,
            other => {
                return Err(CliError::Usage(format!(
                    "with --lesson only --for and --json apply, not '{other}'"
                )))
            }
        }
    }
    let mut s = kplay_runner::Scenario::new(lesson.spec);
    s.run_until(for_ms);
    Ok(Some((s, json)))
}

pub fn run(args: &[String], out: &mut dyn Write) -> Result<(), CliError> {
    if let Some((s, json)) = run_lesson(args)? {
        let text = if json {
            report::render_json(&s)
        } else {
            report::render_text(&s)
        };
        return cli::write_out(out, &text);
    }
    let (files, opts) = parse(args)?;
    let s = report::run_files(&files, &opts).map_err(CliError::Usage)?;
    let text = if opts.json {
        report::render_json(&s)
    } else {
        report::render_text(&s)
    };
    cli::write_out(out, &text)
}
