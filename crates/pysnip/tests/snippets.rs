//! Data-driven suite: runs tests/snippets/*.py and compares with the CPython-generated *.out.

mod common;

use std::fs;
use std::path::Path;

#[test]
fn snippets_match_cpython() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snippets");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("snippets dir")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "expected snippet files");
    let mut failures = Vec::new();
    for f in &files {
        let src = fs::read_to_string(f).expect("read");
        let expected = fs::read_to_string(f.with_extension("out"))
            .unwrap_or_else(|_| panic!("missing {}", f.with_extension("out").display()));
        let name = f
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_string();
        let got = common::run_source(&src, &name);
        if got != expected {
            let diff_line = got
                .lines()
                .zip(expected.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(got.lines().count().min(expected.lines().count()));
            failures.push(format!(
                "{}: first difference at output line {}\n  got:      {:?}\n  expected: {:?}",
                name,
                diff_line + 1,
                got.lines().nth(diff_line).unwrap_or("<eof>"),
                expected.lines().nth(diff_line).unwrap_or("<eof>")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} snippets differ:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}
