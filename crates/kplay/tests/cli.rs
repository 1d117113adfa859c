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

/// Writes `text` to a file called `name` in a folder of its own (tests run in parallel and
/// several write a `producer.py`: a shared folder let one test read another's half-written file).
fn temp_file(name: &str, text: &str) -> String {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("kplay-cli-test-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write temp file");
    path.to_string_lossy().to_string()
}

const PRODUCER: &str = "from kafka import KafkaProducer\nproducer = KafkaProducer()\nm = producer.send('transactions', key=b'456', value=b'x').get(timeout=10)\nprint('partition', m.partition)\n";
const CONSUMER: &str = "from kafka import KafkaConsumer\nconsumer = KafkaConsumer('transactions', group_id='g')\nfor m in consumer:\n    print(m.partition, m.value)\n";

#[test]
fn run_prints_prefixed_output_and_a_summary() {
    let p = temp_file("producer.py", PRODUCER);
    let c = temp_file("consumer.py", CONSUMER);
    let o = kplay(&[
        "run",
        &c,
        &p,
        "--instances",
        "consumer.py=2",
        "--start",
        "producer.py=8s",
        "--for",
        "20s",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("producer.py | partition 2\n"), "{out}");
    // Range: #1 gets 0-1, #2 gets 2, so #2 reads the record.
    assert!(out.contains("consumer.py #2 | 2 b'x'\n"), "{out}");
    assert!(
        out.contains("topic transactions: 3 partition(s), 1 record(s) [0, 0, 1]"),
        "{out}"
    );
    assert!(
        out.contains("assignment consumer.py #1: transactions-0, transactions-1"),
        "{out}"
    );
    assert!(
        out.contains("assignment consumer.py #2: transactions-2"),
        "{out}"
    );
}

#[test]
fn run_json_has_the_documented_keys() {
    let p = temp_file("producer.py", PRODUCER);
    let o = kplay(&["run", &p, "--json", "--partitions", "4", "--seed", "7"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.starts_with("{\"output\": {\"producer.py\": [\"partition "),
        "{out}"
    );
    for key in [
        "\"errors\": []",
        "\"partitions\": {\"transactions\": [",
        "\"groups\": {}",
        "\"trace_hash\": \"",
    ] {
        assert!(out.contains(key), "{key} missing: {out}");
    }
}

#[test]
fn run_reports_tracebacks_and_a_group_that_consumed_nothing() {
    let c = temp_file("consumer.py", CONSUMER);
    let bad = temp_file(
        "bad.py",
        "import json\nprint(json.dumps({'a': 1}))\nprint(undefined_name)\n",
    );
    let o = kplay(&["run", &c, &bad, "--for", "10s"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("bad.py | {\"a\": 1}\n"), "{out}");
    assert!(
        out.contains("bad.py ! NameError: name 'undefined_name' is not defined\n"),
        "{out}"
    );
    assert!(
        out.contains("note: group g consumed nothing: nothing was sent to its topics"),
        "{out}"
    );
}

#[test]
fn run_rejects_bad_arguments() {
    let p = temp_file("producer.py", PRODUCER);
    assert_usage_error(&["run"], "at least one FILE.py");
    assert_usage_error(&["run", &p, "--for", "5x"], "not a duration");
    assert_usage_error(
        &["run", &p, "--instances", "other.py=2"],
        "not one of the files",
    );
    assert_usage_error(&["run", &p, "--instances", "producer.py=0"], "count from 1");
    assert_usage_error(&["run", "/nonexistent/x.py"], "cannot read");
    assert_usage_error(&["run", &p, "--bogus"], "unknown option");
    assert_usage_error(&["run", "--lesson", "nope"], "no lesson 'nope'");
}

#[test]
fn run_a_lesson() {
    let o = kplay(&["run", "--lesson", "producer-consumer"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("consumer.py | Processing transaction 123abc\n"));
}

#[test]
fn check_the_blog_post() {
    let post = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../runner/tests/data/blog-post.md"
    );
    let o = kplay(&["check", post]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o),
        "blog-post.md:24: NameError: name 'producer' is not defined (block line 2)\n\
         blog-post.md:43: ok\n\
         blog-post.md:51: ok\n\
         blog-post.md:79: NameError: name 'json' is not defined (block line 7)\n\
         blog-post.md:135: NameError: name 'producer' is not defined (block line 2)\n\
         blog-post.md:145: NameError: name 'KafkaConsumer' is not defined (block line 2)\n\
         blog-post.md:159: NameError: name 'KafkaConsumer' is not defined (block line 2)\n\
         7 snippet(s), 5 failed\n"
    );
    let o = kplay(&["check", post, "--lessons"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert_eq!(out.matches("\n  lesson ").count(), 7, "{out}");
    assert!(!out.contains("FAILS"), "{out}");
}

#[test]
fn check_python_files() {
    let ok = temp_file("ok.py", PRODUCER);
    let o = kplay(&["check", &ok]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "ok.py: ok\n1 snippet(s), 0 failed\n");
    let bad = temp_file("bad.py", "x = 1\nif x:\nprint(x)\n");
    let o = kplay(&["check", &bad]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).starts_with("bad.py:3: IndentationError"),
        "{}",
        stdout(&o)
    );
    assert_usage_error(&["check"], "at least one file");
}
