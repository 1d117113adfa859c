//! Random API calls with arbitrary arguments (unknown ids, bad partitions, huge durations)
//! never panic, and the invariants hold afterwards.

use kafka_engine::*;

fn pick<'a, T>(r: &mut Rng, xs: &'a [T]) -> &'a T {
    &xs[r.gen_range(xs.len() as u64) as usize]
}

#[test]
fn arbitrary_call_sequences_never_panic() {
    let topics = ["a", "b", "", "bad name", "x.y_z-1"];
    let strategies = [
        Strategy::Range,
        Strategy::RoundRobin,
        Strategy::Sticky,
        Strategy::CooperativeSticky,
    ];
    for seed in 0..200u64 {
        let mut r = Rng::new(seed);
        let mut cl = Cluster::new(ClusterConfig {
            seed,
            auto_create_topics: r.chance(0.5),
            default_partitions: r.gen_range(4) as u32,
            client_profile: *pick(
                &mut r,
                &[
                    ClientProfile::KafkaPython,
                    ClientProfile::JavaSticky,
                    ClientProfile::KafkaJs,
                ],
            ),
            initial_rebalance_delay_ms: r.gen_range(4_000),
            log_cleaner_interval_ms: r.gen_range(3) * 700,
            sync_delay_ms: r.gen_range(300),
            ..ClusterConfig::default()
        });
        let mut ids: Vec<ConsumerId> = vec![ConsumerId(999)];
        for _ in 0..400 {
            let t = pick(&mut r, &topics).to_string();
            let c = *pick(&mut r, &ids);
            let tp = TopicPartition::new(t.as_str(), r.gen_range(5) as u32);
            match r.gen_range(22) {
                0 => {
                    let cfg = TopicConfig {
                        retention_ms: if r.chance(0.5) {
                            Some(r.gen_range(5_000))
                        } else {
                            None
                        },
                        retention_bytes: if r.chance(0.3) {
                            Some(r.gen_range(500))
                        } else {
                            None
                        },
                        segment_bytes: r.gen_range(400),
                        segment_records: if r.chance(0.5) {
                            Some(r.gen_range(5))
                        } else {
                            None
                        },
                        cleanup_policy: *pick(
                            &mut r,
                            &[
                                CleanupPolicy::Delete,
                                CleanupPolicy::Compact,
                                CleanupPolicy::CompactDelete,
                            ],
                        ),
                        delete_retention_ms: r.gen_range(3_000),
                    };
                    let _ = cl.create_topic(&t, r.gen_range(6) as u32, cfg);
                }
                1 => {
                    let _ = cl.add_partitions(&t, r.gen_range(8) as u32);
                }
                2..=5 => {
                    let mut req = ProduceRequest::new("p", t.as_str());
                    if r.chance(0.6) {
                        req = req.key(format!("k{}", r.gen_range(5)));
                    }
                    if r.chance(0.8) {
                        req = req.value(vec![7u8; r.gen_range(50) as usize]);
                    }
                    if r.chance(0.2) {
                        req = req.partition(r.gen_range(6) as u32);
                    }
                    if r.chance(0.2) {
                        req = req.timestamp(r.next_u64() as i64);
                    }
                    if r.chance(0.1) {
                        req = req.header("h", vec![1, 2]);
                    }
                    let _ = cl.produce(req);
                }
                6 => {
                    let n = r.gen_range(4) as usize;
                    let cfg = ConsumerConfig {
                        group_id: if r.chance(0.8) {
                            Some(format!("g{}", r.gen_range(2)))
                        } else {
                            None
                        },
                        strategies: (0..n).map(|_| *pick(&mut r, &strategies)).collect(),
                        session_timeout_ms: r.gen_range(20_000),
                        heartbeat_interval_ms: r.gen_range(5_000),
                        max_poll_interval_ms: r.gen_range(30_000),
                        max_poll_records: r.gen_range(20) as usize,
                        enable_auto_commit: r.chance(0.5),
                        auto_commit_interval_ms: r.gen_range(6_000),
                        auto_offset_reset: *pick(
                            &mut r,
                            &[
                                OffsetReset::Earliest,
                                OffsetReset::Latest,
                                OffsetReset::None,
                            ],
                        ),
                        ..ConsumerConfig::default()
                    };
                    ids.push(cl.new_consumer(cfg));
                }
                7 => {
                    let _ = cl.subscribe(c, std::slice::from_ref(&t));
                }
                8 => {
                    let _ = cl.assign(c, std::slice::from_ref(&tp));
                }
                9..=11 => {
                    let max = if r.chance(0.5) {
                        Some(r.gen_range(10) as usize)
                    } else {
                        None
                    };
                    let _ = cl.poll_opts(c, max, r.chance(0.8));
                }
                12 => {
                    let _ = cl.commit(c, None);
                    let _ = cl.commit(c, Some(&[(tp.clone(), r.gen_range(100))]));
                }
                13 => {
                    let _ = cl.seek(c, &tp, r.next_u64());
                    let _ = cl.seek_to_beginning(c, &[]);
                    let _ = cl.seek_to_end(c, std::slice::from_ref(&tp));
                    let _ = cl.position(c, &tp);
                    let _ = cl.mark_consumed(c, &tp, u64::MAX);
                }
                14 => {
                    let _ = cl.crash(c);
                }
                15 => {
                    let _ = cl.stall(
                        c,
                        if r.chance(0.1) {
                            u64::MAX
                        } else {
                            r.gen_range(40_000)
                        },
                    );
                }
                16 => {
                    let _ = cl.restart(c);
                }
                17 => {
                    let _ = cl.close(c, r.chance(0.5));
                }
                18 => {
                    let f = match r.gen_range(3) {
                        0 => Fault::Crash(c),
                        1 => Fault::Stall(c, r.gen_range(20_000)),
                        _ => Fault::Restart(c),
                    };
                    cl.schedule_fault(cl.now().saturating_add(r.gen_range(10_000)), f);
                }
                19 => {
                    let _ = cl.unsubscribe(c);
                }
                20 => {
                    cl.step();
                }
                _ => {
                    let t = cl.now().saturating_add(r.gen_range(3_000));
                    cl.advance_to(t);
                }
            }
            // Read-only views never panic either.
            for g in cl.groups() {
                let _ = cl.group_lag(g.id());
                let _ = cl.total_lag(g.id());
                for m in g.members() {
                    let _ = cl.member_status(g.id(), &m.member_id);
                    let _ = cl.member_lag(g.id(), &m.member_id);
                }
            }
            if let Err(e) = cl.check_invariants() {
                panic!("seed {seed}: {e}");
            }
        }
        let _ = cl.trace_hash();
    }
}

#[test]
fn the_end_of_time_does_not_hang() {
    let mut cl = Cluster::new(ClusterConfig {
        log_cleaner_interval_ms: 0,
        ..ClusterConfig::default()
    });
    cl.create_topic("t", 1, TopicConfig::default()).unwrap();
    let c = cl.new_consumer(ConsumerConfig {
        group_id: Some("g".into()),
        heartbeat_interval_ms: 1,
        ..ConsumerConfig::default()
    });
    cl.subscribe(c, &["t".to_string()]).unwrap();
    cl.poll(c, None).unwrap();
    cl.stall(c, u64::MAX).unwrap();
    // Heartbeats every 1 ms until the poll interval expires (300 s), then only one-shot timers.
    cl.advance_to(u64::MAX);
    assert_eq!(cl.now(), u64::MAX);
    assert!(cl
        .trace()
        .iter()
        .any(|e| matches!(e.event, Event::MemberResumed { .. })));
    // Joining at the end of time: the heartbeat that would follow cannot be scheduled past
    // u64::MAX, so running there again terminates.
    // (Every deadline saturates to u64::MAX there, so the member also times out at once.)
    let mark = cl.trace().len();
    cl.poll(c, None).unwrap();
    cl.advance_to(u64::MAX);
    assert!(cl
        .events_since(mark)
        .iter()
        .any(|e| matches!(e.event, Event::Joined { .. })));
    assert_eq!(cl.next_event_time(), None);
}
