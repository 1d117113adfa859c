//! `kplay check`: runs every `.py` file and every python block of Markdown files in a fresh
//! scenario and prints `ok` or the first error, with its line.

use crate::cli::{self, CliError};
use crate::run::{base_name, read_file};
use kplay_runner::report::{self, CheckOutcome};
use std::io::Write;

pub const HELP: &str = "\
kplay check: run snippets and report whether they work

Usage: kplay check FILE... [--for DURATION] [--lessons]

FILE is a .py file, or a Markdown file whose ```python blocks are each checked.
Each snippet runs alone in a fresh scenario (topics auto-created with 3 partitions)
for 30 s of virtual time; 5 s in, one record (the post's transaction as JSON) is sent
to every topic so consumers have something to process. Prints one line per snippet:

  post.md:73: ok
  post.md:79: NameError: name 'json' is not defined (block line 7)

Options:
  --for DURATION   virtual time per snippet (default 30s)
  --lessons        run Markdown blocks that a lesson covers as the lesson does (with its
                   setup lines) and say whether the lesson documents a fix

Exit status: 0 if every snippet ran, 1 if any failed, 2 for bad arguments.
";

fn line_of(block_start: u32, line_in_block: Option<u32>) -> Option<u32> {
    line_in_block.map(|l| block_start.saturating_add(l).saturating_sub(1))
}

fn describe(o: &CheckOutcome) -> String {
    match o {
        CheckOutcome::Ok(notes) if notes.is_empty() => "ok".into(),
        CheckOutcome::Ok(notes) => format!("ok ({})", notes.join("; ")),
        CheckOutcome::Failed { message, .. } => message.clone(),
    }
}

pub fn run(args: &[String], out: &mut dyn Write) -> Result<(), CliError> {
    let mut for_ms = report::DEFAULT_RUN_MS;
    let mut lessons = false;
    let mut paths = Vec::new();
    let mut it = cli::Args::new(args);
    while let Some(arg) = it.next_arg() {
        let (name, inline) = cli::split_option(arg);
        match name {
            "--for" => {
                let v = it.value(name, inline)?;
                for_ms = report::parse_duration(v)
                    .map_err(|e| CliError::Usage(format!("--for: {e}")))?;
            }
            "--lessons" => lessons = true,
            n if n.starts_with("--") => {
                return Err(CliError::Usage(format!("unknown option '{n}'")))
            }
            _ => paths.push(arg.to_string()),
        }
    }
    if paths.is_empty() {
        return Err(CliError::Usage(
            "kplay check needs at least one file".into(),
        ));
    }
    let mut inputs = Vec::new();
    for p in &paths {
        inputs.push((p.clone(), read_file(p).map_err(CliError::Usage)?));
    }
    let all_lessons = kplay_runner::lessons();
    let mut failed = 0usize;
    let mut total = 0usize;
    for (path, text) in inputs {
        let shown = base_name(&path);
        let is_md = path.ends_with(".md") || path.ends_with(".markdown");
        if !is_md {
            total += 1;
            let o = report::check_snippet(&shown, "", &text, for_ms);
            let line = match &o {
                CheckOutcome::Failed { line: Some(l), .. } => format!("{shown}:{l}"),
                _ => shown.clone(),
            };
            if matches!(o, CheckOutcome::Failed { .. }) {
                failed += 1;
            }
            cli::write_out(out, &format!("{line}: {}\n", describe(&o)))?;
            continue;
        }
        for b in report::python_blocks(&text) {
            total += 1;
            let o = report::check_snippet("snippet.py", "", &b.code, for_ms);
            let mut msg = match &o {
                CheckOutcome::Failed { message, line } => {
                    failed += 1;
                    let at = line_of(b.line, *line).unwrap_or(b.line);
                    match line {
                        Some(l) => format!("{shown}:{at}: {message} (block line {l})"),
                        None => format!("{shown}:{at}: {message}"),
                    }
                }
                ok => format!("{shown}:{}: {}", b.line, describe(ok)),
            };
            if lessons {
                if let Some(l) = all_lessons
                    .iter()
                    .find(|l| l.post_block.is_some_and(|p| p.trim() == b.code.trim()))
                {
                    msg.push_str(&format!("\n  lesson {}: {}", l.id, lesson_check(l, for_ms)));
                }
            }
            msg.push('\n');
            cli::write_out(out, &msg)?;
        }
    }
    cli::write_out(out, &format!("{total} snippet(s), {failed} failed\n"))?;
    if failed > 0 {
        Err(CliError::Failed)
    } else {
        Ok(())
    }
}

/// Runs a lesson's scenario and says how it went.
fn lesson_check(l: &kplay_runner::Lesson, for_ms: u64) -> String {
    let mut s = kplay_runner::Scenario::new(l.spec.clone());
    s.run_until(for_ms.max(l.run_ms));
    let o = report::outcome(&s);
    let changed = l
        .post_block
        .is_some_and(|p| !l.spec.programs.iter().any(|q| q.source.trim() == p.trim()));
    let setup = l.spec.programs.iter().any(|q| !q.setup.trim().is_empty());
    let how = match (changed, setup) {
        (true, _) => "starts from the smallest fix",
        (false, true) => "runs the block unchanged with setup lines",
        (false, false) => "runs the block unchanged",
    };
    match (&o, l.expected_error) {
        (CheckOutcome::Failed { message, .. }, Some(e)) if message.contains(e) => {
            format!("{how}; fails as documented: {message}")
        }
        (CheckOutcome::Failed { message, .. }, _) => format!("{how}; FAILS: {message}"),
        (ok, _) => format!("{how}; {}", describe(ok)),
    }
}
