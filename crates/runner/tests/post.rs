//! The blog post's producer and consumer examples, run as kafka-python would run them.

use kplay_runner::lessons::{POST_CONSUMER, POST_PRODUCER};
use kplay_runner::{OutputKind, ProgramSpec, Scenario, ScenarioSpec, TopicSpec};

fn program(name: &str, setup: &str, source: &str, start_ms: u64) -> ProgramSpec {
    ProgramSpec {
        name: name.into(),
        setup: setup.into(),
        source: source.into(),
        instances: 1,
        start_ms,
    }
}

fn spec(programs: Vec<ProgramSpec>) -> ScenarioSpec {
    ScenarioSpec {
        topics: vec![TopicSpec {
            name: "transactions".into(),
            partitions: 3,
            config: Default::default(),
        }],
        programs,
        ..ScenarioSpec::default()
    }
}

fn stdout(s: &Scenario) -> Vec<String> {
    s.output()
        .iter()
        .filter(|l| l.kind == OutputKind::Stdout)
        .map(|l| l.text.clone())
        .collect()
}

fn errors(s: &Scenario) -> Vec<String> {
    s.output()
        .iter()
        .filter(|l| l.kind == OutputKind::Error)
        .map(|l| l.text.clone())
        .collect()
}

fn records(s: &Scenario) -> u64 {
    s.summary()
        .partitions
        .iter()
        .flat_map(|(_, c)| c.iter())
        .sum()
}

#[test]
fn producer_example_unchanged_sends_one_record() {
    let mut s = Scenario::new(spec(vec![program("producer.py", "", POST_PRODUCER, 0)]));
    s.run_until(10_000);
    assert!(errors(&s).is_empty(), "{:?}", errors(&s));
    assert_eq!(records(&s), 1);
    let (_, counts) = &s.summary().partitions[0];
    let p = counts.iter().position(|c| *c == 1).unwrap();
    let rec = s
        .cluster()
        .partition("transactions", p as u32)
        .unwrap()
        .records()
        .next()
        .unwrap()
        .clone();
    assert_eq!(rec.key, None);
    assert_eq!(
        rec.value.as_deref(),
        Some(&br#"{"transaction_id": "123abc", "user_id": 456, "amount": 5000, "timestamp": "2026-05-03T10:30:00Z"}"#[..])
    );
}

#[test]
fn consumer_example_unchanged_fails_with_name_error_on_the_first_record() {
    let mut s = Scenario::new(spec(vec![
        program("consumer.py", "", POST_CONSUMER, 0),
        program("producer.py", "", POST_PRODUCER, 5_000),
    ]));
    s.run_until(20_000);
    let errs = errors(&s);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0]
            .trim_end()
            .ends_with("NameError: name 'json' is not defined"),
        "{}",
        errs[0]
    );
    assert!(errs[0].contains("consumer.py"), "{}", errs[0]);
    assert!(stdout(&s).is_empty());
}

#[test]
fn consumer_with_import_json_processes_the_transaction_sent_5s_later() {
    let mut s = Scenario::new(spec(vec![
        program("consumer.py", "import json\n", POST_CONSUMER, 0),
        program("producer.py", "", POST_PRODUCER, 5_000),
    ]));
    s.run_until(20_000);
    assert!(errors(&s).is_empty(), "{:?}", errors(&s));
    assert_eq!(
        stdout(&s),
        vec!["Processing transaction 123abc".to_string()]
    );
}

#[test]
fn consumer_started_with_the_producer_misses_the_record() {
    let mut s = Scenario::new(spec(vec![
        program("consumer.py", "import json\n", POST_CONSUMER, 0),
        program("producer.py", "", POST_PRODUCER, 0),
    ]));
    s.run_until(20_000);
    assert!(errors(&s).is_empty(), "{:?}", errors(&s));
    assert!(
        stdout(&s).is_empty(),
        "latest + initial rebalance delay: nothing seen"
    );
    assert_eq!(records(&s), 1);
    // The summary shows it: the group's committed offsets sit at the log end without having
    // consumed anything, or have no commit at all.
    let summary = s.summary();
    let (group, rows) = &summary.groups[0];
    assert_eq!(group, "analytics-group");
    let total_lag: u64 = rows.iter().filter_map(|r| r.lag).sum();
    assert_eq!(total_lag, 0);
}

#[test]
fn same_spec_same_trace() {
    let make = || {
        let mut s = Scenario::new(spec(vec![
            program("consumer.py", "import json\n", POST_CONSUMER, 0),
            program("producer.py", "", POST_PRODUCER, 5_000),
        ]));
        s.run_until(30_000);
        s.trace_hash()
    };
    assert_eq!(make(), make());
}

#[test]
fn manual_sends_land_by_key_and_replay_from_the_spec() {
    let mut s = Scenario::new(spec(vec![]));
    s.run_until(1_000);
    let meta = s.send_manual("transactions", Some("456"), "{}").unwrap();
    assert_eq!((meta.partition, meta.offset), (2, 0));
    s.run_until(2_000);
    let mut again = Scenario::new(s.spec().clone());
    again.run_until(2_000);
    assert_eq!(again.trace_hash(), s.trace_hash());
    assert_eq!(again.summary().partitions, s.summary().partitions);
}
