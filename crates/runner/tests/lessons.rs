//! Every lesson runs as documented and shows what it is meant to show: assignments, partitions,
//! committed offsets, duplicates and losses, evictions. Also: every python block of the blog
//! post is covered by a lesson, in the post's order.

use std::collections::BTreeMap;

use kafka_engine::{partition_for_key, Event, EvictReason, TopicPartition};
use kplay_runner::report::{self, python_blocks};
use kplay_runner::{lesson, lessons, Lesson, OutputKind, Scenario};

const POST: &str = include_str!("data/blog-post.md");

fn run(l: &Lesson) -> Scenario {
    let mut s = Scenario::new(l.spec.clone());
    s.run_until(l.run_ms);
    s
}

fn get(id: &str) -> Lesson {
    lesson(id).unwrap_or_else(|| panic!("no lesson {id}"))
}

fn errors(s: &Scenario) -> Vec<String> {
    s.output()
        .iter()
        .filter(|l| l.kind == OutputKind::Error)
        .map(|l| l.text.clone())
        .collect()
}

/// Stdout lines per process label.
fn stdout(s: &Scenario) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for l in s.output() {
        if l.kind == OutputKind::Stdout {
            let label = s.processes()[l.process.0].label.clone();
            out.entry(label).or_default().push(l.text.clone());
        }
    }
    out
}

fn counts(s: &Scenario, topic: &str) -> Vec<u64> {
    s.summary()
        .partitions
        .into_iter()
        .find(|(t, _)| t == topic)
        .map(|(_, c)| c)
        .unwrap_or_default()
}

/// Process label -> partitions it owns in `group` now.
fn assignment(s: &Scenario, group: &str) -> BTreeMap<String, Vec<u32>> {
    let mut out: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for v in s.processes() {
        for c in &v.consumers {
            let Some(cons) = s.cluster().consumer(*c) else {
                continue;
            };
            if cons.group_id() != Some(group) {
                continue;
            }
            let mut parts: Vec<u32> = s
                .cluster()
                .assignment(*c)
                .iter()
                .map(|tp| tp.partition)
                .collect();
            parts.sort();
            out.entry(v.label.clone()).or_default().extend(parts);
        }
    }
    out
}

fn committed_total(s: &Scenario, group: &str, partitions: u32) -> u64 {
    (0..partitions)
        .filter_map(|p| {
            s.cluster()
                .committed(group, &TopicPartition::new("transactions", p))
        })
        .sum()
}

#[test]
fn every_python_block_of_the_post_has_a_lesson_in_the_post_order() {
    let blocks = python_blocks(POST);
    assert_eq!(blocks.len(), 7);
    let all = lessons();
    let mut last = 0usize;
    for b in &blocks {
        let idx = all
            .iter()
            .position(|l| l.post_block == Some(b.code.as_str()))
            .unwrap_or_else(|| panic!("no lesson covers the block at line {}", b.line));
        assert!(
            idx >= last,
            "lesson {} is out of the post's order",
            all[idx].id
        );
        last = idx;
    }
    let ids: Vec<&str> = all.iter().map(|l| l.id).collect();
    assert_eq!(
        ids,
        [
            "topics",
            "partitions",
            "consumer-groups",
            "producer",
            "producer-consumer",
            "keys",
            "commit",
            "backpressure",
            "retention-compaction"
        ]
    );
}

#[test]
fn retention_deletes_old_clicks_and_compaction_keeps_the_latest_user_values() {
    let l = get("retention-compaction");
    let s = run(&l);
    assert!(errors(&s).is_empty(), "{:?}", errors(&s));
    let clicks = s.cluster().partition("clicks", 0).unwrap();
    assert_eq!(clicks.log_end_offset(), 24);
    assert!(
        clicks.log_start_offset() >= 20,
        "retention.ms deleted the old click segments: log start {}",
        clicks.log_start_offset()
    );
    let users = s.cluster().partition("users", 0).unwrap();
    assert_eq!(users.log_end_offset(), 25, "offsets never change");
    assert_eq!(users.log_start_offset(), 0);
    assert!(
        users.record_count() < 10,
        "compaction removed older values: {} records left",
        users.record_count()
    );
    // The rebuilt table: the latest value of each user, bob deleted by his tombstone.
    assert_eq!(
        stdout(&s).get("table.py").cloned().unwrap_or_default(),
        vec!["{b'ana': b'ana v7', b'carla': b'carla v7'}".to_string()]
    );
}

#[test]
fn lessons_run_the_block_unchanged_or_explain_the_fix() {
    for l in lessons() {
        let Some(block) = l.post_block else {
            assert!(l.note.is_some(), "{}: no block and no note", l.id);
            continue;
        };
        let unchanged = l.spec.programs.iter().any(|p| p.source == block);
        if !unchanged {
            let (es, en) = l
                .note
                .unwrap_or_else(|| panic!("{}: changed without a note", l.id));
            assert!(!es.is_empty() && !en.is_empty());
        }
        // Every block that fails alone says so in its note, naming kafka-python's error.
        if let report::CheckOutcome::Failed { message, .. } =
            report::check_snippet("snippet.py", "", block, 10_000)
        {
            let (es, en) = l
                .note
                .unwrap_or_else(|| panic!("{}: fails without a note", l.id));
            let name = message.split(':').next().unwrap_or_default().to_string();
            assert!(
                es.contains(&name) && en.contains(&name),
                "{}: note does not name {message}",
                l.id
            );
        }
    }
}

#[test]
fn every_lesson_runs_without_unexpected_errors() {
    for l in lessons() {
        let s = run(&l);
        let errs = errors(&s);
        match l.expected_error {
            None => assert!(errs.is_empty(), "{}: {errs:?}", l.id),
            Some(e) => assert!(errs.iter().any(|x| x.contains(e)), "{}: {errs:?}", l.id),
        }
    }
}

#[test]
fn topics_lesson_sends_the_dict_as_json_to_transactions() {
    let s = run(&get("topics"));
    assert_eq!(counts(&s, "transactions").iter().sum::<u64>(), 1);
    let rec = (0..3)
        .filter_map(|p| s.cluster().partition("transactions", p))
        .flat_map(|p| p.records())
        .next()
        .cloned()
        .expect("one record");
    assert_eq!(rec.key, None);
    assert_eq!(
        rec.value.as_deref(),
        Some(&br#"{"user_id": 123, "amount": 5000}"#[..])
    );
}

#[test]
fn partitions_lesson_puts_each_key_where_murmur2_says() {
    let s = run(&get("partitions"));
    let lines = stdout(&s).remove("producer.py").unwrap_or_default();
    assert_eq!(lines.len(), 9, "{lines:?}");
    let mut per_partition = [0u64; 3];
    for (i, line) in lines.iter().enumerate() {
        let user = (i + 1).to_string();
        let p = partition_for_key(user.as_bytes(), 3);
        per_partition[p as usize] += 1;
        assert!(
            line.starts_with(&format!("msg{user} key=b'{user}' -> partition {p},")),
            "{line}"
        );
    }
    assert_eq!(counts(&s, "transactions"), per_partition.to_vec());
}

#[test]
fn consumer_groups_lesson_splits_three_partitions_range_style() {
    let l = get("consumer-groups");
    let s = run(&l);
    let a = assignment(&s, "analytics-group");
    assert_eq!(a.get("consumer.py #1"), Some(&vec![0, 1]));
    assert_eq!(a.get("consumer.py #2"), Some(&vec![2]));
    // Each member only prints records of its own partitions, and every record is read once.
    let out = stdout(&s);
    let mut seen = 0;
    for (label, parts) in &a {
        for line in out.get(label).map(Vec::as_slice).unwrap_or(&[]) {
            seen += 1;
            let p: u32 = line
                .strip_prefix("partition ")
                .and_then(|r| r.split(' ').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(99);
            assert!(parts.contains(&p), "{label} printed {line}");
        }
    }
    assert_eq!(seen, 30);
    assert_eq!(committed_total(&s, "analytics-group", 3), 30);

    // A third instance: one partition each.
    let mut three = l.clone();
    three.spec.programs[0].instances = 3;
    let s = run(&three);
    let a = assignment(&s, "analytics-group");
    assert_eq!(a.len(), 3);
    assert!(a.values().all(|p| p.len() == 1), "{a:?}");
    assert_eq!(stdout(&s).values().map(Vec::len).sum::<usize>(), 30);

    // A fourth: one member is left without a partition.
    let mut four = l.clone();
    four.spec.programs[0].instances = 4;
    let s = run(&four);
    let owners = assignment(&s, "analytics-group");
    let sizes: Vec<usize> = owners.values().map(Vec::len).collect();
    assert_eq!(owners.len(), 4, "{owners:?}");
    assert_eq!(sizes.iter().sum::<usize>(), 3, "{owners:?}");
    assert_eq!(sizes.iter().filter(|n| **n == 1).count(), 3, "{owners:?}");
}

#[test]
fn producer_lesson_sends_one_transaction() {
    let s = run(&get("producer"));
    assert_eq!(counts(&s, "transactions").iter().sum::<u64>(), 1);
}

#[test]
fn producer_consumer_lesson_processes_the_transaction_only_when_started_first() {
    let l = get("producer-consumer");
    let s = run(&l);
    assert_eq!(
        stdout(&s).get("consumer.py"),
        Some(&vec!["Processing transaction 123abc".to_string()])
    );
    let mut together = l.clone();
    together.spec.programs[1].start_ms = 0;
    let s = run(&together);
    assert!(errors(&s).is_empty());
    assert!(!stdout(&s).contains_key("consumer.py"));
    assert_eq!(counts(&s, "transactions").iter().sum::<u64>(), 1);
    assert!(report::render_summary(&s).contains("group analytics-group consumed nothing"));
    // Without the setup line, kafka-python's NameError.
    let mut bare = l.clone();
    bare.spec.programs[0].setup.clear();
    let s = run(&bare);
    let errs = errors(&s);
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0]
            .trim_end()
            .ends_with("NameError: name 'json' is not defined"),
        "{}",
        errs[0]
    );
}

#[test]
fn keys_lesson_keyed_records_share_a_partition_keyless_ones_spread() {
    let s = run(&get("keys"));
    let keyed_partition = partition_for_key(b"456", 3);
    let mut keyless_partitions = Vec::new();
    let mut keyed = 0;
    for p in 0..3 {
        let log = s.cluster().partition("topic", p).expect("partition");
        for r in log.records() {
            match &r.key {
                Some(k) => {
                    assert_eq!(k.as_slice(), b"456");
                    assert_eq!(p, keyed_partition);
                    keyed += 1;
                }
                None => keyless_partitions.push(p),
            }
        }
    }
    assert_eq!(keyed, 6);
    assert_eq!(keyless_partitions.len(), 6);
    keyless_partitions.sort();
    keyless_partitions.dedup();
    assert!(keyless_partitions.len() > 1, "{keyless_partitions:?}");
}

/// Transaction ids a process printed as processed.
fn processed(lines: &[String]) -> Vec<u64> {
    lines
        .iter()
        .filter_map(|l| l.strip_prefix("processing transaction "))
        .filter_map(|n| n.parse().ok())
        .collect()
}

#[test]
fn commit_lesson_manual_commit_redelivers_auto_commit_batches_lose() {
    let s = run(&get("commit"));
    let out = stdout(&s);
    // Manual commit after process(): every transaction processed, exactly one twice (the one
    // in process() when it crashed).
    let manual = processed(out.get("consumer.py").map(Vec::as_slice).unwrap_or(&[]));
    let mut uniq = manual.clone();
    uniq.sort();
    uniq.dedup();
    assert_eq!(uniq, (0..30).collect::<Vec<u64>>());
    assert_eq!(manual.len(), 31, "one duplicate: {manual:?}");
    // Auto-commit with a batch: the records polled but not yet written when it crashed were
    // committed by auto-commit, so nobody processes them.
    let batch = processed(out.get("batch_sink.py").map(Vec::as_slice).unwrap_or(&[]));
    let mut uniq = batch.clone();
    uniq.sort();
    uniq.dedup();
    assert_eq!(uniq.len(), batch.len(), "no duplicates: {batch:?}");
    let lost: Vec<u64> = (0..30).filter(|t| !uniq.contains(t)).collect();
    assert_eq!(lost, vec![0, 1, 2, 3, 4, 5]);
    // Both groups end fully committed: the loss is invisible in the lag.
    assert_eq!(committed_total(&s, "payments", 3), 30);
    assert_eq!(committed_total(&s, "sink", 3), 30);
}

#[test]
fn commit_lesson_block_as_printed_never_consumes() {
    // With the setup but without the fix: no topic, no group: waits forever, no error.
    let l = get("commit");
    let mut bare = l.clone();
    bare.spec.programs[0].source = l.post_block.unwrap_or_default().to_string();
    bare.spec.programs.truncate(1);
    bare.spec.faults.clear();
    let s = run(&bare);
    assert!(errors(&s).is_empty(), "{:?}", errors(&s));
    assert!(stdout(&s).is_empty());
}

fn evictions(s: &Scenario) -> usize {
    s.cluster()
        .trace()
        .iter()
        .filter(|e| {
            matches!(
                e.event,
                Event::Evicted {
                    reason: EvictReason::MaxPollInterval,
                    ..
                }
            )
        })
        .count()
}

#[test]
fn backpressure_lesson_100_per_poll_keeps_up_500_gets_evicted() {
    let l = get("backpressure");
    let s = run(&l);
    let polls = stdout(&s).remove("consumer.py").unwrap_or_default();
    assert_eq!(polls, vec!["poll: 100 records".to_string(); 6]);
    assert_eq!(evictions(&s), 0);
    assert_eq!(committed_total(&s, "analytics-group", 3), 600);

    let mut big = l.clone();
    big.spec.programs[1].source = big.spec.programs[1]
        .source
        .replace("max_poll_records=100", "max_poll_records=500");
    let s = run(&big);
    assert!(evictions(&s) >= 1);
    let errs = errors(&s);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].contains("CommitFailedError"), "{}", errs[0]);
    assert_eq!(
        stdout(&s)
            .get("consumer.py")
            .and_then(|v| v.first())
            .cloned(),
        Some("poll: 500 records".to_string())
    );
}

#[test]
fn lessons_are_deterministic() {
    for l in lessons() {
        assert_eq!(run(&l).trace_hash(), run(&l).trace_hash(), "{}", l.id);
    }
}
