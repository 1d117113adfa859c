//! The data-driven snippet suite: every `tests/snippets/NAME.py` runs as `kplay run` would
//! (options from its `# kplay:` lines, programs from its `# === NAME ===` sections) and its
//! process-prefixed output and summary must equal `NAME.out`. `UPDATE_SNIPPETS=1` rewrites the
//! `.out` files (review the diff!).

use std::path::{Path, PathBuf};

use kplay_runner::report::{render_text, run_files, split_snippet};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snippets")
}

fn run_snippet(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("read snippet");
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let (files, opts) = split_snippet(&name, &text).expect("snippet options");
    let s = run_files(&files, &opts).expect("snippet spec");
    render_text(&s)
}

#[test]
fn snippets_match_their_expected_output() {
    let update = std::env::var_os("UPDATE_SNIPPETS").is_some();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("snippets dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 20, "{} snippets", paths.len());
    let mut failures = Vec::new();
    for p in &paths {
        let got = run_snippet(p);
        let out = p.with_extension("out");
        if update {
            std::fs::write(&out, &got).expect("write .out");
            continue;
        }
        let want = std::fs::read_to_string(&out).unwrap_or_default();
        if got != want {
            failures.push(format!(
                "--- {}\n=== expected\n{want}=== got\n{got}",
                p.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Lines `prefix VALUE` a process printed, as numbers.
fn values(out: &str, prefix: &str) -> Vec<u32> {
    out.lines()
        .filter_map(|l| l.strip_prefix(prefix))
        .filter_map(|v| v.trim().parse().ok())
        .collect()
}

#[test]
fn manual_commit_crash_redelivers_without_loss() {
    let out = run_snippet(&dir().join("crash_manual_commit.py"));
    let seen = values(&out, "consumer.py | processing ");
    let mut uniq = seen.clone();
    uniq.sort();
    uniq.dedup();
    assert_eq!(uniq, (0..12).collect::<Vec<u32>>(), "nothing lost:\n{out}");
    assert_eq!(seen.len() - uniq.len(), 1, "one duplicate:\n{out}");
}

#[test]
fn auto_commit_crash_loses_the_batched_records() {
    let out = run_snippet(&dir().join("crash_auto_commit_loss.py"));
    let seen = values(&out, "sink.py | writing ");
    let mut uniq = seen.clone();
    uniq.sort();
    uniq.dedup();
    assert_eq!(uniq.len(), seen.len(), "no duplicates:\n{out}");
    let lost: Vec<u32> = (0..30).filter(|v| !uniq.contains(v)).collect();
    // 15, 16 and 17 were polled into the batch and committed by the next poll's auto-commit,
    // then the process crashed before writing them: the new member starts after them.
    assert_eq!(lost, vec![15, 16, 17], "auto-commit loses records:\n{out}");
    // And the group shows no lag: the loss is invisible in the offsets.
    assert!(
        !out.contains("lag     1") && out.contains("committed    20"),
        "{out}"
    );
}
