//! Integration tests of the `kplay` binary: output formats, exit codes, help.

use std::process::{Command, Output};

fn kplay(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kplay"))
        .args(args)
        .output()
        .expect("run kplay")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

fn assert_usage_error(args: &[&str], needle: &str) {
    let o = kplay(args);
    assert_eq!(o.status.code(), Some(2), "{args:?} should exit 2");
    assert!(o.stdout.is_empty(), "{args:?} printed on stdout");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(needle),
        "{args:?}: stderr {err:?} lacks {needle:?}"
    );
}

#[test]
fn help_lists_subcommands() {
    for args in [&["--help"][..], &["help"], &["-h"]] {
        let o = kplay(args);
        assert!(o.status.success());
        let text = stdout(&o);
        for sub in ["partition", "assign", "help"] {
            assert!(text.contains(sub), "help lacks {sub}");
        }
    }
    let o = kplay(&["help", "assign"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("cooperative-sticky"));
    let o = kplay(&["partition", "--help"]);
    assert!(stdout(&o).contains("--partitions"));
}

#[test]
fn partition_matches_kafka_python_vectors() {
    // kafka-python's test_partitioner.py vectors with 1000 partitions, and the brief's 456 -> 2 of 3.
    let o = kplay(&[
        "partition",
        "--partitions",
        "1000",
        "--",
        "",
        "a",
        "ab",
        "abc",
        "123456789",
    ]);
    assert!(o.status.success());
    assert_eq!(
        stdout(&o),
        "\t681\na\t524\nab\t434\nabc\t107\n123456789\t566\n"
    );
    let o = kplay(&["partition", "--partitions=3", "456"]);
    assert_eq!(stdout(&o), "456\t2\n");
}

#[test]
fn partition_keys_after_double_dash_may_look_like_options() {
    let o = kplay(&["partition", "-p", "7", "--", "--partitions", "é"]);
    assert!(o.status.success());
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with("--partitions\t"));
    assert!(lines[1].starts_with("é\t"));
}

#[test]
fn partition_bad_arguments_exit_2() {
    assert_usage_error(&["partition", "k"], "--partitions");
    assert_usage_error(&["partition", "--partitions", "0", "k"], "at least 1");
    assert_usage_error(
        &["partition", "--partitions", "x", "k"],
        "not a non-negative integer",
    );
    assert_usage_error(&["partition", "--partitions"], "needs a value");
    assert_usage_error(&["partition", "--partitons", "3", "k"], "unknown option");
}

#[test]
fn assign_range_and_roundrobin_kafka_cases() {
    let o = kplay(&[
        "assign",
        "--strategy",
        "range",
        "--topic",
        "t1:3",
        "--topic",
        "t2:2",
        "--member",
        "c1:t1",
        "--member",
        "c2:t1,t2",
        "--member",
        "c3:t1",
    ]);
    assert!(o.status.success());
    assert_eq!(
        stdout(&o),
        "{\"c1\": [\"t1-0\"], \"c2\": [\"t1-1\", \"t2-0\", \"t2-1\"], \"c3\": [\"t1-2\"]}\n"
    );
    let o = kplay(&[
        "assign",
        "--strategy",
        "roundrobin",
        "--topic",
        "t1:3",
        "--topic",
        "t2:3",
        "--member",
        "c1:t1,t2",
        "--member",
        "c2:t1,t2",
    ]);
    assert_eq!(
        stdout(&o),
        "{\"c1\": [\"t1-0\", \"t1-2\", \"t2-1\"], \"c2\": [\"t1-1\", \"t2-0\", \"t2-2\"]}\n"
    );
}

#[test]
fn assign_sticky_and_cooperative_with_owned_partitions() {
    let base = [
        "--topic",
        "my-topic:3",
        "--member",
        "c1:my-topic",
        "--member",
        "c2:my-topic",
        "--owned",
        "c1:my-topic-0,my-topic-1,my-topic-2",
        "--generation",
        "1",
    ];
    let run = |strategy: &str| {
        let mut args = vec!["assign", "--strategy", strategy];
        args.extend(base);
        stdout(&kplay(&args))
    };
    assert_eq!(
        run("sticky"),
        "{\"c1\": [\"my-topic-0\", \"my-topic-1\"], \"c2\": [\"my-topic-2\"]}\n"
    );
    assert_eq!(
        run("cooperative-sticky"),
        "{\"c1\": [\"my-topic-0\", \"my-topic-1\"], \"c2\": []}\n"
    );
}

#[test]
fn assign_lists_partitions_numerically_and_escapes_ids() {
    let o = kplay(&[
        "assign",
        "--strategy",
        "range",
        "--topic",
        "t:12",
        "--member",
        "a\"b:t",
    ]);
    let text = stdout(&o);
    assert!(
        text.starts_with("{\"a\\\"b\": [\"t-0\", \"t-1\", \"t-2\","),
        "{text}"
    );
    assert!(text.contains("\"t-9\", \"t-10\", \"t-11\"]"), "{text}");
}

#[test]
fn assign_member_without_subscription_gets_nothing() {
    let o = kplay(&[
        "assign",
        "--strategy",
        "sticky",
        "--topic",
        "t:2",
        "--member",
        "a:t",
        "--member",
        "b:",
    ]);
    assert_eq!(stdout(&o), "{\"a\": [\"t-0\", \"t-1\"], \"b\": []}\n");
}

#[test]
fn assign_bad_arguments_exit_2() {
    assert_usage_error(
        &["assign", "--topic", "t:1", "--member", "a:t"],
        "--strategy is required",
    );
    assert_usage_error(&["assign", "--strategy", "fair"], "unknown strategy");
    assert_usage_error(
        &["assign", "--strategy", "range", "--topic", "t"],
        "NAME:PARTITIONS",
    );
    assert_usage_error(
        &["assign", "--strategy", "range", "--topic", "t:-1"],
        "not a non-negative",
    );
    assert_usage_error(
        &[
            "assign",
            "--strategy",
            "range",
            "--member",
            "a:t",
            "--member",
            "a:t",
        ],
        "given twice",
    );
    assert_usage_error(
        &[
            "assign",
            "--strategy",
            "sticky",
            "--member",
            "a:t",
            "--owned",
            "b:t-0",
        ],
        "no --member 'b'",
    );
    assert_usage_error(
        &[
            "assign",
            "--strategy",
            "sticky",
            "--member",
            "a:t",
            "--owned",
            "a:t0",
        ],
        "TOPIC-PARTITION",
    );
    assert_usage_error(
        &["assign", "--strategy", "sticky", "--generation", "x"],
        "not an integer",
    );
    assert_usage_error(
        &["assign", "--strategy", "range", "--bogus"],
        "unexpected argument",
    );
    assert_usage_error(&["frobnicate"], "unknown subcommand");
    assert_usage_error(&[], "missing subcommand");
}
