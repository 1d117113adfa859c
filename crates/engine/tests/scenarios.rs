//! Named end-to-end scenarios: delivery guarantees, rebalances, faults, retention, compaction.

mod common;

use common::*;
use kafka_engine::*;

#[test]
fn group_of_two_splits_partitions_after_initial_delay_and_consumes_everything() {
    let mut cl = cluster(1);
    cl.create_topic("orders", 4, TopicConfig::default())
        .unwrap();
    produce_n(&mut cl, "orders", 100, "k");
    let a = subscribed(&mut cl, consumer_cfg("g"), "orders");
    let b = subscribed(&mut cl, consumer_cfg("g"), "orders");
    assert!(cl.poll(a, None).unwrap().is_empty());
    assert!(cl.poll(b, None).unwrap().is_empty());
    assert_eq!(
        cl.group("g").unwrap().state(),
        GroupState::PreparingRebalance
    );
    // The second member joined during the first delay: Kafka extends it once more (gen 0).
    cl.advance_to(5_999);
    assert_eq!(
        cl.group("g").unwrap().state(),
        GroupState::PreparingRebalance
    );
    cl.advance_to(6_000);
    let g = cl.group("g").unwrap();
    assert_eq!(g.state(), GroupState::Stable);
    assert_eq!(g.generation(), 1);
    assert_eq!(g.protocol(), Some(Strategy::Range));
    let mut all: Vec<TopicPartition> = cl.assignment(a);
    all.extend(cl.assignment(b));
    all.sort();
    assert_eq!(
        all,
        (0..4)
            .map(|p| TopicPartition::new("orders", p))
            .collect::<Vec<_>>()
    );
    // Range: the member with the smaller id gets p0,p1.
    let first = g.members().next().unwrap().consumer;
    assert_eq!(
        cl.assignment(first),
        vec![
            TopicPartition::new("orders", 0),
            TopicPartition::new("orders", 1)
        ]
    );
    let mut got = Vec::new();
    poll_loop(&mut cl, &[a, b], 10_000, 100, &mut got);
    assert_eq!(got.len(), 100);
    // Auto-commit (5 s) committed everything; lag 0.
    assert_eq!(cl.total_lag("g"), 0);
    cl.check_invariants().unwrap();
}

/// Runs one consumer's "process then commit" loop: polls a batch, processes one record per
/// `tick`, commits the positions once the batch is done.
struct Worker {
    c: ConsumerId,
    buffer: std::collections::VecDeque<ConsumerRecordView>,
}

impl Worker {
    fn tick(&mut self, cl: &mut Cluster, processed: &mut Vec<(u32, u64)>, commit_after: bool) {
        let running = cl
            .consumer(self.c)
            .is_some_and(|x| x.status() == ConsumerStatus::Running);
        if !running {
            self.buffer.clear();
            return;
        }
        if let Some(r) = self.buffer.pop_front() {
            processed.push((r.partition, r.offset));
            if self.buffer.is_empty() && commit_after {
                let _ = cl.commit(self.c, None);
            }
        } else {
            self.buffer.extend(cl.poll(self.c, Some(10)).unwrap());
        }
    }
}

#[test]
fn crash_before_commit_redelivers_nothing_lost_some_duplicates() {
    let mut cl = cluster(7);
    cl.create_topic("t", 1, TopicConfig::default()).unwrap();
    produce_n(&mut cl, "t", 60, "k");
    let cfg = ConsumerConfig {
        enable_auto_commit: false,
        ..consumer_cfg("g")
    };
    let a = subscribed(&mut cl, cfg.clone(), "t");
    let mut wa = Worker {
        c: a,
        buffer: Default::default(),
    };
    let mut processed = Vec::new();
    // A processes one record per 100 ms and commits after each batch of 10.
    while cl.now() < 5_500 {
        wa.tick(&mut cl, &mut processed, true);
        let t = cl.now() + 100;
        cl.advance_to(t);
    }
    let committed = cl.committed("g", &TopicPartition::new("t", 0)).unwrap();
    assert!(
        processed.len() as u64 > committed,
        "mid-batch when it crashes"
    );
    cl.crash(a).unwrap();
    // B joins; the crashed member holds the partition until its session times out.
    let b = subscribed(&mut cl, cfg, "t");
    let mut wb = Worker {
        c: b,
        buffer: Default::default(),
    };
    while cl.now() < 40_000 {
        wb.tick(&mut cl, &mut processed, true);
        let t = cl.now() + 100;
        cl.advance_to(t);
        cl.check_invariants().unwrap();
    }
    assert!(events(&cl).any(|e| matches!(
        e,
        Event::Evicted {
            reason: EvictReason::SessionTimeout,
            ..
        }
    )));
    let mut offsets: Vec<u64> = processed.iter().map(|p| p.1).collect();
    let total = offsets.len();
    offsets.sort();
    offsets.dedup();
    assert_eq!(offsets, (0..60).collect::<Vec<u64>>(), "nothing lost");
    let duplicates = total - offsets.len();
    assert_eq!(duplicates as u64, (processed.len() as u64) - 60);
    assert!(duplicates > 0, "records after the last commit came again");
    assert_eq!(cl.committed("g", &TopicPartition::new("t", 0)), Some(60));
}

#[test]
fn auto_commit_plus_crash_loses_records() {
    // A pipeline whose main loop keeps polling (prefetching) while processing lags behind:
    // kafka-python's auto-commit inside poll() commits positions of records not yet processed.
    let mut cl = cluster(11);
    cl.create_topic("t", 1, TopicConfig::default()).unwrap();
    produce_n(&mut cl, "t", 200, "k");
    let cfg = consumer_cfg("g"); // auto-commit every 5 s
    let a = subscribed(&mut cl, cfg.clone(), "t");
    let mut buffer: std::collections::VecDeque<u64> = Default::default();
    let mut processed: Vec<u64> = Vec::new();
    while cl.now() < 12_000 {
        // Processing: one record per 100 ms, slower than fetching.
        if let Some(o) = buffer.pop_front() {
            processed.push(o);
        }
        for r in cl.poll(a, Some(20)).unwrap() {
            buffer.push_back(r.offset);
        }
        let t = cl.now() + 100;
        cl.advance_to(t);
    }
    let committed_at_crash = cl.committed("g", &TopicPartition::new("t", 0)).unwrap();
    let processed_at_crash = processed.len() as u64;
    assert!(committed_at_crash > processed_at_crash);
    cl.crash(a).unwrap();
    buffer.clear();
    produce_n(&mut cl, "t", 10, "after");
    let b = subscribed(&mut cl, cfg, "t");
    let mut got = Vec::new();
    poll_loop(&mut cl, &[b], 60_000, 100, &mut got);
    for (_, r) in &got {
        processed.push(r.offset);
    }
    let first_b = got.first().map(|(_, r)| r.offset);
    assert_eq!(
        first_b,
        Some(committed_at_crash),
        "the new owner starts at the commit"
    );
    processed.sort();
    processed.dedup();
    let lost: Vec<u64> = (0..210)
        .filter(|o| processed.binary_search(o).is_err())
        .collect();
    assert_eq!(lost.len() as u64, committed_at_crash - processed_at_crash);
    assert_eq!(lost.first().copied(), Some(processed_at_crash));
    // The prefetch fetched all 200 within 1 s of the assignment (3 s, the initial rebalance
    // delay); the auto-commits at 5 s and 10 s committed 200. Processing ran one record per
    // 100 ms from 3.1 s to 11.9 s: 89 records. So 111 were never processed by anyone.
    assert_eq!(committed_at_crash, 200);
    assert_eq!(processed_at_crash, 89);
    assert_eq!(lost.len(), 111);
}

fn three_members_joining(strategy: Strategy) -> (Cluster, Vec<ConsumerId>) {
    let mut cl = cluster(3);
    cl.create_topic("t", 6, TopicConfig::default()).unwrap();
    let cfg = ConsumerConfig {
        strategies: vec![strategy],
        ..consumer_cfg("g")
    };
    let a = subscribed(&mut cl, cfg.clone(), "t");
    let b = subscribed(&mut cl, cfg.clone(), "t");
    let mut got = Vec::new();
    poll_loop(&mut cl, &[a, b], 10_000, 100, &mut got);
    assert_eq!(cl.group("g").unwrap().state(), GroupState::Stable);
    assert_eq!(cl.group("g").unwrap().generation(), 1);
    let c = subscribed(&mut cl, cfg, "t");
    (cl, vec![a, b, c])
}

#[test]
fn eager_rebalance_revokes_everything_in_one_generation() {
    let (mut cl, cs) = three_members_joining(Strategy::Range);
    let mark = cl.trace().len();
    let mut got = Vec::new();
    poll_loop(&mut cl, &cs, 30_000, 100, &mut got);
    let g = cl.group("g").unwrap();
    assert_eq!(g.generation(), 2, "one rebalance");
    let new: Vec<&Event> = cl.events_since(mark).iter().map(|t| &t.event).collect();
    let revoked: Vec<(ConsumerId, usize)> = new
        .iter()
        .filter_map(|e| match e {
            Event::Revoked {
                consumer,
                partitions,
                ..
            } => Some((*consumer, partitions.len())),
            _ => None,
        })
        .collect();
    // Both old members revoked all three of their partitions before rejoining.
    assert_eq!(revoked.len(), 2);
    assert!(revoked.iter().all(|(_, n)| *n == 3));
    for c in &cs {
        assert_eq!(cl.assignment(*c).len(), 2);
    }
    cl.check_invariants().unwrap();
}

#[test]
fn cooperative_rebalance_revokes_only_moved_partitions_then_hands_them_over() {
    let (mut cl, cs) = three_members_joining(Strategy::CooperativeSticky);
    let before: Vec<Vec<TopicPartition>> = cs.iter().map(|c| cl.assignment(*c)).collect();
    let mark = cl.trace().len();
    let mut got = Vec::new();
    poll_loop(&mut cl, &cs, 30_000, 100, &mut got);
    let g = cl.group("g").unwrap();
    assert_eq!(g.generation(), 3, "two rebalances");
    let new: Vec<&Event> = cl.events_since(mark).iter().map(|t| &t.event).collect();
    let mut revoked_total = 0;
    for e in &new {
        if let Event::Revoked {
            consumer,
            partitions,
            ..
        } = e
        {
            // Only partitions that move: one from each old member.
            assert_eq!(partitions.len(), 1);
            assert!(before[consumer.0 as usize].contains(&partitions[0]));
            revoked_total += 1;
        }
    }
    assert_eq!(revoked_total, 2);
    // In generation 2 the newcomer gets nothing; in generation 3 the two moved partitions.
    let assigned_new: Vec<(i32, usize)> = new
        .iter()
        .filter_map(|e| match e {
            Event::Assigned {
                consumer,
                generation,
                partitions,
                ..
            } if *consumer == cs[2] => Some((*generation, partitions.len())),
            _ => None,
        })
        .collect();
    assert_eq!(assigned_new, vec![(2, 0), (3, 2)]);
    for c in &cs[..2] {
        let now = cl.assignment(*c);
        assert_eq!(now.len(), 2);
        assert!(now.iter().all(|tp| before[c.0 as usize].contains(tp)));
    }
    cl.check_invariants().unwrap();
}

#[test]
fn stall_past_max_poll_interval_evicts_and_the_next_commit_fails() {
    let mut cl = cluster(5);
    cl.create_topic("t", 2, TopicConfig::default()).unwrap();
    produce_n(&mut cl, "t", 40, "k");
    let cfg = ConsumerConfig {
        enable_auto_commit: false,
        max_poll_interval_ms: 10_000,
        ..consumer_cfg("g")
    };
    let a = subscribed(&mut cl, cfg.clone(), "t");
    let b = subscribed(&mut cl, cfg, "t");
    let mut got = Vec::new();
    poll_loop(&mut cl, &[a, b], 8_000, 100, &mut got);
    assert_eq!(cl.assignment(a).len(), 1);
    let stall_at = cl.now();
    cl.stall(a, 15_000).unwrap();
    // B keeps polling; A's main loop is blocked (its polls return nothing and do not count).
    poll_loop(&mut cl, &[a, b], stall_at + 15_000, 100, &mut got);
    let evicted = cl.trace().iter().find(|t| {
        matches!(
            t.event,
            Event::Evicted {
                consumer,
                reason: EvictReason::MaxPollInterval,
                ..
            } if consumer == a
        )
    });
    let evicted = evicted.expect("evicted by max_poll_interval_ms");
    assert!(evicted.time > stall_at && evicted.time <= stall_at + 10_000);
    // Heartbeats continued during the stall (the background thread).
    assert!(cl.trace().iter().any(|t| t.time > stall_at
        && t.time < evicted.time
        && matches!(t.event, Event::Heartbeat { consumer, .. } if consumer == a)));
    assert_eq!(cl.assignment(b).len(), 2, "B took over both partitions");
    let err = cl.commit(a, None).unwrap_err();
    assert_eq!(err.python_name(), "CommitFailedError");
    // A's next poll rejoins as a new member; the group rebalances again.
    let gen = cl.group("g").unwrap().generation();
    let until = cl.now() + 10_000;
    poll_loop(&mut cl, &[a, b], until, 100, &mut got);
    assert_eq!(cl.group("g").unwrap().generation(), gen + 1);
    assert_eq!(cl.assignment(a).len(), 1);
    cl.check_invariants().unwrap();
}

#[test]
fn retention_moves_log_start_and_resets_a_lagging_consumer() {
    let mut cl = cluster(9);
    let tc = TopicConfig {
        retention_ms: Some(10_000),
        segment_records: Some(10),
        ..TopicConfig::default()
    };
    cl.create_topic("logs", 1, tc).unwrap();
    produce_n(&mut cl, "logs", 30, "k");
    let tp = TopicPartition::new("logs", 0);
    let c = cl.new_consumer(ConsumerConfig {
        group_id: Some("slow".into()),
        auto_offset_reset: OffsetReset::Earliest,
        enable_auto_commit: false,
        ..ConsumerConfig::default()
    });
    cl.assign(c, std::slice::from_ref(&tp)).unwrap();
    assert_eq!(cl.poll(c, Some(5)).unwrap().len(), 5);
    cl.commit(c, None).unwrap();
    cl.advance_to(5_000);
    produce_n(&mut cl, "logs", 5, "late");
    cl.advance_to(12_000);
    let log = cl.partition("logs", 0).unwrap();
    // The three full segments (offsets 0..30, timestamps 0) expired; the one written at 5 s stays.
    assert_eq!(log.log_start_offset(), 30);
    assert_eq!(log.log_end_offset(), 35);
    assert!(events(&cl).any(|e| matches!(e, Event::RetentionDeleted { records: 30, .. })));
    let got = cl.poll(c, None).unwrap();
    assert_eq!(got.first().map(|r| r.offset), Some(30));
    assert!(events(&cl).any(|e| matches!(
        e,
        Event::OffsetReset {
            from: Some(5),
            to: 30,
            reason: ResetReason::OutOfRange,
            ..
        }
    )));
    cl.check_invariants().unwrap();
}

#[test]
fn compaction_keeps_the_latest_value_per_key_and_offsets_unchanged() {
    let mut cl = cluster(2);
    let tc = TopicConfig {
        cleanup_policy: CleanupPolicy::Compact,
        segment_records: Some(4),
        delete_retention_ms: 5_000,
        ..TopicConfig::default()
    };
    cl.create_topic("users", 1, tc).unwrap();
    let writes: [(&str, Option<&str>); 10] = [
        ("alice", Some("a1")),
        ("bob", Some("b1")),
        ("alice", Some("a2")),
        ("carol", Some("c1")),
        ("bob", None),
        ("alice", Some("a3")),
        ("dave", Some("d1")),
        ("carol", Some("c2")),
        ("erin", Some("e1")),
        ("frank", Some("f1")),
    ];
    for (k, v) in writes {
        let mut req = ProduceRequest::new("p", "users").key(k);
        if let Some(v) = v {
            req = req.value(v);
        }
        cl.produce(req).unwrap();
    }
    let err = cl
        .produce(ProduceRequest::new("p", "users").value("no key"))
        .unwrap_err();
    assert_eq!(err.python_name(), "InvalidRecordError");
    cl.advance_to(1_000);
    let offsets: Vec<u64> = cl
        .partition("users", 0)
        .unwrap()
        .records()
        .map(|r| r.offset)
        .collect();
    // Segments [0..4) [4..8) are cleanable, [8..10) is active: alice@5, bob tombstone@4,
    // dave@6, carol@7 stay; everything older per key goes.
    assert_eq!(offsets, vec![4, 5, 6, 7, 8, 9]);
    let log = cl.partition("users", 0).unwrap();
    assert_eq!(log.log_start_offset(), 0);
    assert_eq!(log.log_end_offset(), 10);
    assert_eq!(
        log.record(5).unwrap().value.as_deref(),
        Some(&b"a3"[..]),
        "latest alice"
    );
    // The tombstone goes after delete.retention.ms.
    cl.advance_to(7_000);
    let offsets: Vec<u64> = cl
        .partition("users", 0)
        .unwrap()
        .records()
        .map(|r| r.offset)
        .collect();
    assert_eq!(offsets, vec![5, 6, 7, 8, 9]);
    assert!(events(&cl).any(|e| matches!(
        e,
        Event::Compacted {
            tombstones_removed: 1,
            ..
        }
    )));
    // A consumer from the beginning sees holes, never renumbered offsets.
    let c = cl.new_consumer(ConsumerConfig {
        auto_offset_reset: OffsetReset::Earliest,
        ..ConsumerConfig::default()
    });
    cl.assign(c, &[TopicPartition::new("users", 0)]).unwrap();
    let got: Vec<u64> = cl.poll(c, None).unwrap().iter().map(|r| r.offset).collect();
    assert_eq!(got, vec![5, 6, 7, 8, 9]);
    cl.check_invariants().unwrap();
}

#[test]
fn latest_reset_after_initial_delay_misses_earlier_records() {
    let mut cl = cluster(4);
    cl.create_topic("t", 1, TopicConfig::default()).unwrap();
    let c = subscribed(
        &mut cl,
        ConsumerConfig {
            group_id: Some("late".into()),
            ..ConsumerConfig::default()
        },
        "t",
    );
    assert!(cl.poll(c, None).unwrap().is_empty());
    produce_n(&mut cl, "t", 5, "early");
    cl.advance_to(3_000);
    assert_eq!(cl.assignment(c), vec![TopicPartition::new("t", 0)]);
    produce_n(&mut cl, "t", 0, "none");
    assert!(
        cl.poll(c, None).unwrap().is_empty(),
        "latest: starts at the end"
    );
    produce_n(&mut cl, "t", 3, "after");
    assert_eq!(cl.poll(c, None).unwrap().len(), 3);
    assert!(events(&cl).any(|e| matches!(
        e,
        Event::OffsetReset {
            to: 5,
            reason: ResetReason::NoCommittedOffset,
            ..
        }
    )));
}

#[test]
fn auto_offset_reset_none_raises_no_offset_for_partition() {
    let mut cl = cluster(4);
    cl.create_topic("t", 1, TopicConfig::default()).unwrap();
    let c = cl.new_consumer(ConsumerConfig {
        group_id: Some("g".into()),
        auto_offset_reset: OffsetReset::None,
        ..ConsumerConfig::default()
    });
    cl.assign(c, &[TopicPartition::new("t", 0)]).unwrap();
    let err = cl.poll(c, None).unwrap_err();
    assert_eq!(err.python_name(), "NoOffsetForPartitionError");
}

#[test]
fn crashed_member_is_evicted_after_session_timeout_and_partitions_move() {
    let mut cl = cluster(8);
    cl.create_topic("t", 2, TopicConfig::default()).unwrap();
    let a = subscribed(&mut cl, consumer_cfg("g"), "t");
    let b = subscribed(&mut cl, consumer_cfg("g"), "t");
    let mut got = Vec::new();
    poll_loop(&mut cl, &[a, b], 8_000, 100, &mut got);
    cl.schedule_fault(9_000, Fault::Crash(a));
    poll_loop(&mut cl, &[a, b], 18_900, 100, &mut got);
    assert_eq!(cl.assignment(b).len(), 1, "session not yet expired");
    poll_loop(&mut cl, &[a, b], 25_000, 100, &mut got);
    let ev = cl
        .trace()
        .iter()
        .find(|t| {
            matches!(
                t.event,
                Event::Evicted {
                    reason: EvictReason::SessionTimeout,
                    ..
                }
            )
        })
        .unwrap();
    // Last heartbeat at or before the crash at 9 s; session timeout 10 s.
    assert!(ev.time > 9_000 - 3_000 + 10_000 && ev.time <= 19_000);
    assert_eq!(cl.assignment(b).len(), 2);
    // Restarting makes it a new member.
    let old_member = cl
        .trace()
        .iter()
        .find_map(|t| match &t.event {
            Event::MemberCrashed { member_id, .. } => member_id.clone(),
            _ => None,
        })
        .unwrap();
    cl.restart(a).unwrap();
    poll_loop(&mut cl, &[a, b], 40_000, 100, &mut got);
    assert_eq!(cl.assignment(a).len(), 1);
    assert_ne!(cl.consumer(a).unwrap().member_id(), Some(&*old_member));
    assert_eq!(cl.consumer(a).unwrap().incarnation(), 1);
}

#[test]
fn close_commits_and_leaves_cleanly() {
    let mut cl = cluster(12);
    cl.create_topic("t", 2, TopicConfig::default()).unwrap();
    produce_n(&mut cl, "t", 10, "k");
    let a = subscribed(&mut cl, consumer_cfg("g"), "t");
    let b = subscribed(&mut cl, consumer_cfg("g"), "t");
    let mut got = Vec::new();
    poll_loop(&mut cl, &[a, b], 8_000, 100, &mut got);
    assert_eq!(got.len(), 10);
    cl.close(a, true).unwrap();
    assert!(events(&cl).any(|e| matches!(e, Event::Left { consumer, .. } if *consumer == a)));
    poll_loop(&mut cl, &[b], 12_000, 100, &mut got);
    assert_eq!(got.len(), 10, "nothing re-delivered: close committed");
    assert_eq!(cl.assignment(b).len(), 2);
    assert!(cl.poll(a, None).is_err());
    assert_eq!(cl.total_lag("g"), 0);
}

#[test]
fn standalone_consumer_commits_with_a_group_id() {
    let mut cl = cluster(1);
    cl.create_topic("t", 3, TopicConfig::default()).unwrap();
    produce_n(&mut cl, "t", 30, "k");
    let c = cl.new_consumer(ConsumerConfig {
        group_id: Some("solo".into()),
        auto_offset_reset: OffsetReset::Earliest,
        ..ConsumerConfig::default()
    });
    let tp = TopicPartition::new("t", 1);
    cl.assign(c, std::slice::from_ref(&tp)).unwrap();
    let got = cl.poll(c, None).unwrap();
    assert!(got.iter().all(|r| r.partition == 1));
    cl.commit(c, None).unwrap();
    assert_eq!(cl.committed("solo", &tp), Some(got.len() as u64));
    cl.seek(c, &tp, 2).unwrap();
    assert_eq!(cl.position(c, &tp).unwrap(), 2);
    cl.seek_to_end(c, &[]).unwrap();
    assert_eq!(cl.position(c, &tp).unwrap(), got.len() as u64);
    cl.seek_to_beginning(c, &[]).unwrap();
    assert_eq!(cl.position(c, &tp).unwrap(), 0);
    let lag = cl.group_lag("solo");
    assert_eq!(lag.len(), 1);
    assert_eq!(lag[0].lag, Some(0));
    let bad = cl.seek(c, &TopicPartition::new("t", 0), 0).unwrap_err();
    assert_eq!(bad.python_name(), "IllegalStateError");
}

#[test]
fn group_less_subscriber_reads_all_partitions() {
    let mut cl = cluster(1);
    cl.create_topic("t", 3, TopicConfig::default()).unwrap();
    produce_n(&mut cl, "t", 30, "k");
    let c = cl.new_consumer(ConsumerConfig {
        auto_offset_reset: OffsetReset::Earliest,
        ..ConsumerConfig::default()
    });
    cl.subscribe(c, &["t".into()]).unwrap();
    assert_eq!(cl.poll(c, Some(1000)).unwrap().len(), 30);
    assert_eq!(
        cl.commit(c, None).unwrap_err().python_name(),
        "IllegalStateError"
    );
}

#[test]
fn keys_follow_murmur2_and_move_when_partitions_are_added() {
    let mut cl = cluster(1);
    cl.create_topic("t", 3, TopicConfig::default()).unwrap();
    let md = cl
        .produce(ProduceRequest::new("p", "t").key("456").value("x"))
        .unwrap();
    assert_eq!(md.partition, partition_for_key(b"456", 3));
    assert_eq!(md.offset, 0);
    let moved = (0..50)
        .map(|i| format!("key-{i}"))
        .filter(|k| partition_for_key(k.as_bytes(), 3) != partition_for_key(k.as_bytes(), 5))
        .count();
    assert!(moved > 0);
    cl.add_partitions("t", 5).unwrap();
    for i in 0..50 {
        let k = format!("key-{i}");
        let md = cl
            .produce(ProduceRequest::new("p", "t").key(k.as_bytes()).value("x"))
            .unwrap();
        assert_eq!(md.partition, partition_for_key(k.as_bytes(), 5));
    }
    assert_eq!(
        cl.add_partitions("t", 5).unwrap_err().python_name(),
        "InvalidPartitionsError"
    );
    let err = cl
        .produce(ProduceRequest::new("p", "t").partition(9).value("x"))
        .unwrap_err();
    assert_eq!(err.python_name(), "UnknownTopicOrPartitionError");
}

#[test]
fn adding_partitions_rebalances_the_subscribed_group() {
    let mut cl = cluster(6);
    cl.create_topic("t", 2, TopicConfig::default()).unwrap();
    let a = subscribed(&mut cl, consumer_cfg("g"), "t");
    let b = subscribed(&mut cl, consumer_cfg("g"), "t");
    let mut got = Vec::new();
    poll_loop(&mut cl, &[a, b], 8_000, 100, &mut got);
    cl.add_partitions("t", 4).unwrap();
    poll_loop(&mut cl, &[a, b], 20_000, 100, &mut got);
    assert_eq!(cl.assignment(a).len() + cl.assignment(b).len(), 4);
}

#[test]
fn auto_creation_on_and_off() {
    let mut cl = Cluster::new(ClusterConfig {
        default_partitions: 3,
        ..ClusterConfig::default()
    });
    cl.produce(ProduceRequest::new("p", "new-topic").value("x"))
        .unwrap();
    assert_eq!(cl.topic("new-topic").unwrap().partition_count(), 3);
    assert!(events(&cl).any(|e| matches!(e, Event::TopicCreated { auto: true, .. })));
    cl.set_auto_create_topics(false);
    let err = cl
        .produce(ProduceRequest::new("p", "other").value("x"))
        .unwrap_err();
    assert_eq!(err.python_name(), "UnknownTopicOrPartitionError");
    assert_eq!(
        cl.create_topic("new-topic", 1, TopicConfig::default())
            .unwrap_err()
            .python_name(),
        "TopicAlreadyExistsError"
    );
    assert_eq!(
        cl.create_topic("bad name!", 1, TopicConfig::default())
            .unwrap_err()
            .python_name(),
        "InvalidTopicError"
    );
    assert_eq!(
        cl.create_topic("zero", 0, TopicConfig::default())
            .unwrap_err()
            .python_name(),
        "InvalidPartitionsError"
    );
}

#[test]
fn null_key_profiles_differ() {
    let counts = |profile: ClientProfile| {
        let mut cl = Cluster::new(ClusterConfig {
            seed: 99,
            client_profile: profile,
            ..ClusterConfig::default()
        });
        cl.create_topic("t", 4, TopicConfig::default()).unwrap();
        let parts: Vec<u32> = (0..400)
            .map(|_| {
                cl.produce(ProduceRequest::new("p", "t").value(vec![0u8; 100]))
                    .unwrap()
                    .partition
            })
            .collect();
        parts
    };
    // kafka-python: random per record, every partition used, consecutive records often differ.
    let py = counts(ClientProfile::KafkaPython);
    assert!((0..4).all(|p| py.contains(&p)));
    assert!(py.windows(2).filter(|w| w[0] != w[1]).count() > 200);
    // Java sticky: runs of batch.size bytes (16384 / 108-byte records = 152 records).
    let java = counts(ClientProfile::JavaSticky);
    let size = kafka_engine::log::record_size(None, Some(&[0u8; 100]), &[]);
    let run = 16_384u32.div_ceil(size) as usize;
    assert!(java[..run].iter().all(|p| *p == java[0]));
    // The sticky partition only ever changes at a batch boundary.
    for i in 1..java.len() {
        if java[i] != java[i - 1] {
            assert_eq!(i % run, 0, "switched mid-batch at record {i}");
        }
    }
    assert!(
        (1..java.len()).any(|i| java[i] != java[i - 1]),
        "it does switch"
    );
    // KafkaJS: round-robin from a random start.
    let js = counts(ClientProfile::KafkaJs);
    assert!(js.windows(2).all(|w| w[1] == (w[0] + 1) % 4));
}

#[test]
fn commit_with_an_old_generation_fails() {
    let mut cl = cluster(21);
    cl.create_topic("t", 2, TopicConfig::default()).unwrap();
    produce_n(&mut cl, "t", 10, "k");
    let cfg = ConsumerConfig {
        enable_auto_commit: false,
        ..consumer_cfg("g")
    };
    let a = subscribed(&mut cl, cfg.clone(), "t");
    let mut got = Vec::new();
    poll_loop(&mut cl, &[a], 5_000, 100, &mut got);
    assert_eq!(cl.consumer(a).unwrap().generation(), Some(1));
    // A second member joins: the group moves to generation 2 after A rejoins...
    let b = subscribed(&mut cl, cfg, "t");
    cl.poll(b, None).unwrap();
    // ...but A has not noticed yet (no heartbeat since): its commit is accepted while the
    // group is still PreparingRebalance with generation 1.
    cl.commit(a, Some(&[(TopicPartition::new("t", 0), 1)]))
        .unwrap();
    let until = cl.now() + 4_000;
    poll_loop(&mut cl, &[b], until, 100, &mut got);
    // A's heartbeat saw the rebalance but A has not polled: B waits for it. Force the join
    // phase to end by A's rebalance timeout, with A out.
    let until = cl.now() + 31_000;
    poll_loop(&mut cl, &[b], until, 100, &mut got);
    assert!(cl.group("g").unwrap().generation() >= 2);
    let err = cl.commit(a, None).unwrap_err();
    assert_eq!(err.python_name(), "CommitFailedError");
}

#[test]
fn same_seed_same_trace_hash_and_different_seed_differs() {
    let run = |seed: u64| {
        let mut cl = cluster(seed);
        cl.create_topic("t", 3, TopicConfig::default()).unwrap();
        let a = subscribed(&mut cl, consumer_cfg("g"), "t");
        let b = subscribed(&mut cl, consumer_cfg("g"), "t");
        for i in 0..30u32 {
            cl.produce(ProduceRequest::new("p", "t").value(vec![i as u8]))
                .unwrap();
        }
        let mut got = Vec::new();
        poll_loop(&mut cl, &[a, b], 20_000, 100, &mut got);
        cl.trace_hash()
    };
    assert_eq!(run(5), run(5));
    assert_ne!(run(5), run(6));
}

#[test]
fn kafka_python_iterator_with_auto_commit_redelivers_after_a_crash_instead_of_losing() {
    // `for message in consumer:` in kafka-python 3: poll(update_offsets=False), then the
    // position moves to offset + 1 as each record is yielded; auto-commit runs inside the next
    // poll, after the whole batch was handed out (and processed). A crash mid-batch therefore
    // re-delivers from the last auto-commit: duplicates, not losses.
    let mut cl = cluster(13);
    cl.create_topic("t", 1, TopicConfig::default()).unwrap();
    produce_n(&mut cl, "t", 100, "k");
    let cfg = ConsumerConfig {
        max_poll_records: 30,
        ..consumer_cfg("g")
    };
    let a = subscribed(&mut cl, cfg.clone(), "t");
    let tp = TopicPartition::new("t", 0);
    let mut batch: std::collections::VecDeque<ConsumerRecordView> = Default::default();
    let mut processed: Vec<u64> = Vec::new();
    while cl.now() < 9_550 {
        match batch.pop_front() {
            Some(r) => {
                // Yield (position = offset + 1), then process for 100 ms.
                cl.mark_consumed(a, &tp, r.offset).unwrap();
                processed.push(r.offset);
            }
            None => batch.extend(cl.poll_opts(a, None, false).unwrap()),
        }
        let t = cl.now() + 100;
        cl.advance_to(t);
    }
    let committed = cl.committed("g", &tp).unwrap();
    assert!(
        committed <= processed.len() as u64,
        "never ahead of processing"
    );
    assert!(committed < processed.len() as u64, "mid-batch at the crash");
    cl.crash(a).unwrap();
    let b = subscribed(&mut cl, cfg, "t");
    let mut got = Vec::new();
    poll_loop(&mut cl, &[b], 60_000, 100, &mut got);
    assert_eq!(got.first().map(|(_, r)| r.offset), Some(committed));
    processed.extend(got.iter().map(|(_, r)| r.offset));
    let total = processed.len();
    processed.sort();
    processed.dedup();
    assert_eq!(processed, (0..100).collect::<Vec<u64>>(), "nothing lost");
    assert!(total > 100, "some records were processed twice");
}

#[test]
fn ui_views_report_member_status_lag_and_events_since() {
    let mut cl = cluster(31);
    cl.create_topic("t", 4, TopicConfig::default()).unwrap();
    let cfg = ConsumerConfig {
        enable_auto_commit: false,
        ..consumer_cfg("g")
    };
    let a = subscribed(&mut cl, cfg.clone(), "t");
    let b = subscribed(&mut cl, cfg, "t");
    let mut got = Vec::new();
    poll_loop(&mut cl, &[a, b], 8_000, 100, &mut got);
    produce_n(&mut cl, "t", 40, "k");
    let mark = cl.trace().len();
    let got_a = cl.poll(a, None).unwrap();
    cl.commit(a, None).unwrap();
    let since = cl.events_since(mark);
    assert!(since
        .iter()
        .any(|t| matches!(t.event, Event::Fetched { consumer, .. } if consumer == a)));
    assert!(since.iter().any(
        |t| matches!(t.event, Event::Committed { consumer, auto: false, .. } if consumer == a)
    ));
    assert!(cl.events_since(usize::MAX).is_empty());
    let ma = cl.consumer(a).unwrap().member_id().unwrap().to_string();
    let mb = cl.consumer(b).unwrap().member_id().unwrap().to_string();
    // A committed everything it owns; B committed nothing (no lag figure, Kafka prints '-').
    assert_eq!(cl.member_lag("g", &ma), 0);
    let lags = cl.group_lag("g");
    assert_eq!(lags.len(), 4);
    for l in &lags {
        let owner = l.owner.as_deref().unwrap();
        if owner == ma {
            assert_eq!(l.lag, Some(0));
        } else {
            assert_eq!(owner, mb);
            assert_eq!(l.committed, None);
            assert_eq!(l.lag, None);
        }
    }
    let a_total: u64 = lags
        .iter()
        .filter(|l| l.owner.as_deref() == Some(&*ma))
        .map(|l| l.log_end)
        .sum();
    assert_eq!(a_total, got_a.len() as u64);
    // B commits half of what it read: its lag is the rest.
    let got_b = cl.poll(b, None).unwrap();
    let offsets: Vec<(TopicPartition, u64)> =
        cl.assignment(b).into_iter().map(|tp| (tp, 0)).collect();
    cl.commit(b, Some(&offsets)).unwrap();
    assert_eq!(cl.member_lag("g", &mb), got_b.len() as u64);
    assert_eq!(cl.total_lag("g"), got_b.len() as u64);
    assert_eq!(cl.member_status("g", &ma), Some(MemberStatus::Alive));
    cl.stall(a, 1_000).unwrap();
    assert_eq!(cl.member_status("g", &ma), Some(MemberStatus::Stalled));
    let t = cl.now() + 1_000;
    cl.advance_to(t);
    assert_eq!(cl.member_status("g", &ma), Some(MemberStatus::Alive));
    assert!(events(&cl).any(|e| matches!(e, Event::MemberResumed { consumer } if *consumer == a)));
    cl.crash(b).unwrap();
    assert_eq!(cl.member_status("g", &mb), Some(MemberStatus::Crashed));
    cl.restart(b).unwrap();
    assert_eq!(
        cl.member_status("g", &mb),
        Some(MemberStatus::Crashed),
        "the old member id belongs to the dead process"
    );
}

#[test]
fn compact_delete_policy_compacts_and_applies_retention() {
    let mut cl = cluster(3);
    let tc = TopicConfig {
        cleanup_policy: CleanupPolicy::CompactDelete,
        segment_records: Some(2),
        retention_ms: Some(5_000),
        ..TopicConfig::default()
    };
    cl.create_topic("c", 1, tc).unwrap();
    for (i, k) in ["a", "b", "a", "b", "c", "d"].iter().enumerate() {
        cl.produce(ProduceRequest::new("p", "c").key(*k).value(vec![i as u8]))
            .unwrap();
    }
    cl.advance_to(1_000);
    let offs: Vec<u64> = cl
        .partition("c", 0)
        .unwrap()
        .records()
        .map(|r| r.offset)
        .collect();
    assert_eq!(offs, vec![2, 3, 4, 5]);
    cl.advance_to(6_000);
    let log = cl.partition("c", 0).unwrap();
    assert_eq!(log.record_count(), 0);
    assert_eq!(log.log_start_offset(), 6);
    assert_eq!(log.log_end_offset(), 6);
    cl.check_invariants().unwrap();
}
