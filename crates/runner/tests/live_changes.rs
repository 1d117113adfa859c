//! Changes made while a scenario runs ("+ consumer", "+ partition") happen at that virtual time
//! and replay identically from the spec.

use kafka_engine::Event;
use kplay_runner::{ProgramSpec, Scenario, ScenarioSpec, TopicSpec};

const CONSUMER: &str = "from kafka import KafkaConsumer\n\
consumer = KafkaConsumer('transactions', group_id='g', session_timeout_ms=10000)\n\
for message in consumer:\n    print(message.partition, message.offset)\n";

fn spec(instances: u32) -> ScenarioSpec {
    ScenarioSpec {
        topics: vec![TopicSpec {
            name: "transactions".into(),
            partitions: 3,
            config: Default::default(),
        }],
        programs: vec![ProgramSpec {
            name: "consumer.py".into(),
            setup: String::new(),
            source: CONSUMER.into(),
            instances,
            start_ms: 0,
        }],
        ..ScenarioSpec::default()
    }
}

fn rebalances_after(s: &Scenario, t: u64) -> Vec<(u64, i32)> {
    s.cluster()
        .trace()
        .iter()
        .filter(|e| e.time >= t)
        .filter_map(|e| match &e.event {
            Event::RebalanceCompleted { generation, .. } => Some((e.time, *generation)),
            _ => None,
        })
        .collect()
}

#[test]
fn an_instance_added_at_20s_joins_then_and_replays() {
    let mut s = Scenario::new(spec(2));
    s.run_until(20_000);
    let gen_before = s.cluster().group("g").unwrap().generation();
    assert!(
        rebalances_after(&s, 15_000).is_empty(),
        "stable before the join"
    );
    let id = s.add_instance(0).unwrap();
    assert_eq!(id.0, 2);
    assert_eq!(s.processes()[2].label, "consumer.py #3");
    s.run_until(40_000);
    let after = rebalances_after(&s, 20_000);
    assert!(!after.is_empty(), "the join at 20 s causes a rebalance");
    assert!(after[0].1 > gen_before);
    let members = s.cluster().group("g").unwrap().members().count();
    assert_eq!(members, 3);
    // Each of the three members owns one partition.
    for c in &s.processes()[2].consumers {
        assert_eq!(s.cluster().assignment(*c).len(), 1);
    }
    let mut again = Scenario::new(s.spec().clone());
    again.run_until(40_000);
    assert_eq!(again.trace_hash(), s.trace_hash());
}

#[test]
fn partitions_added_at_10s_replay() {
    let mut s = Scenario::new(spec(1));
    s.run_until(10_000);
    s.add_partitions("transactions", 5).unwrap();
    assert_eq!(
        s.cluster().topic("transactions").unwrap().partition_count(),
        5
    );
    assert!(s.add_partitions("transactions", 2).is_err(), "never fewer");
    s.run_until(30_000);
    let mut again = Scenario::new(s.spec().clone());
    again.run_until(30_000);
    assert_eq!(again.trace_hash(), s.trace_hash());
    assert_eq!(
        again
            .cluster()
            .topic("transactions")
            .unwrap()
            .partition_count(),
        5
    );
}

/// A page-like session: random live changes at random times, then a re-run from the recorded
/// spec gives the same trace (what the time scrubber relies on).
#[test]
fn random_live_changes_replay_identically() {
    use kplay_runner::FaultKind;
    let producer = "from kafka import KafkaProducer\nimport time\n\
p = KafkaProducer()\nfor i in range(40):\n    p.send('transactions', key=str(i % 7).encode(), value=b'v')\n    time.sleep(0.4)\n";
    for seed in 0..40u64 {
        let mut spec = spec(2);
        spec.seed = seed;
        spec.programs.push(ProgramSpec {
            name: "producer.py".into(),
            setup: String::new(),
            source: producer.into(),
            instances: 1,
            start_ms: 4_000,
        });
        let mut s = Scenario::new(spec);
        let mut x = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut next = |n: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % n
        };
        let mut t = 0;
        for _ in 0..6 {
            // Whole tenths of a second, where polls and heartbeats fall: ties are the hard case.
            t += 100 * (10 + next(70));
            s.run_until(t);
            let procs = s.processes().len();
            match next(5) {
                0 => s.inject(
                    kplay_runner::ProcessId(next(procs as u64) as usize),
                    FaultKind::Crash,
                ),
                1 => s.inject(
                    kplay_runner::ProcessId(next(procs as u64) as usize),
                    FaultKind::Stall(2_000 + next(20_000)),
                ),
                2 => {
                    s.add_instance(0);
                }
                3 => {
                    let _ = s.send_manual("transactions", Some("k"), "v");
                }
                _ => {
                    let n = s
                        .cluster()
                        .topic("transactions")
                        .map(|t| t.partition_count());
                    let _ = s.add_partitions("transactions", n.unwrap_or(3) + 1);
                }
            }
        }
        s.run_until(t + 30_000);
        let mut again = Scenario::new(s.spec().clone());
        again.run_until(t + 30_000);
        assert_eq!(again.trace_hash(), s.trace_hash(), "seed {seed}");
        assert_eq!(again.output(), s.output(), "seed {seed}");
    }
}
