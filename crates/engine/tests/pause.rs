//! `pause`/`resume`: a paused partition is not fetched, its position stays, and the member keeps
//! its membership (heartbeats and polls go on): no rebalance, whatever the pause lasts.

mod common;

use common::*;
use kafka_engine::*;

#[test]
fn a_paused_partition_is_skipped_without_a_rebalance_and_resumes_where_it_stopped() {
    let mut cl = cluster(7);
    cl.create_topic("t", 2, TopicConfig::default()).unwrap();
    let c = subscribed(&mut cl, consumer_cfg("g"), "t");
    let mut got = Vec::new();
    poll_loop(&mut cl, &[c], 5_000, 100, &mut got);
    assert_eq!(cl.assignment(c).len(), 2, "one member owns both partitions");
    let p0 = TopicPartition::new("t", 0);
    cl.pause(c, &p0).unwrap();
    assert_eq!(cl.paused(c), vec![p0.clone()]);
    for i in 0..10u32 {
        cl.produce(ProduceRequest::new("p", "t").partition(i % 2).value("v"))
            .unwrap();
    }
    // Far longer than session.timeout.ms and max.poll.interval.ms: still polling, still a member.
    let rebalances_before = rebalances(&cl);
    got.clear();
    poll_loop(&mut cl, &[c], 65_000, 100, &mut got);
    assert!(
        got.iter().all(|(_, r)| r.partition == 1),
        "nothing from the paused partition"
    );
    assert_eq!(got.len(), 5);
    assert_eq!(
        rebalances(&cl),
        rebalances_before,
        "pausing never rebalances"
    );
    assert_eq!(cl.position(c, &p0).unwrap(), 0, "its position did not move");
    // Resumed: the five records of partition 0 come, from where it stopped.
    cl.resume(c, &p0).unwrap();
    assert!(cl.paused(c).is_empty());
    got.clear();
    poll_loop(&mut cl, &[c], 66_000, 100, &mut got);
    let offsets: Vec<u64> = got
        .iter()
        .filter(|(_, r)| r.partition == 0)
        .map(|(_, r)| r.offset)
        .collect();
    assert_eq!(offsets, vec![0, 1, 2, 3, 4]);
    // Only assigned partitions can be paused.
    assert!(cl.pause(c, &TopicPartition::new("t", 9)).is_err());
}

fn rebalances(cl: &Cluster) -> usize {
    cl.trace()
        .iter()
        .filter(|e| matches!(e.event, Event::RebalanceCompleted { .. }))
        .count()
}
