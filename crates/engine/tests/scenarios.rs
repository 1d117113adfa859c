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
