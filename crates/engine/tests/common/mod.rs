//! Helpers shared by the engine's integration tests.
#![allow(dead_code)]

use kafka_engine::*;

pub fn cluster(seed: u64) -> Cluster {
    Cluster::new(ClusterConfig {
        seed,
        log_cleaner_interval_ms: 1_000,
        ..ClusterConfig::default()
    })
}

pub fn consumer_cfg(group: &str) -> ConsumerConfig {
    ConsumerConfig {
        group_id: Some(group.to_string()),
        auto_offset_reset: OffsetReset::Earliest,
        session_timeout_ms: 10_000,
        max_poll_interval_ms: 30_000,
        ..ConsumerConfig::default()
    }
}

pub fn subscribed(cl: &mut Cluster, cfg: ConsumerConfig, topic: &str) -> ConsumerId {
    let c = cl.new_consumer(cfg);
    cl.subscribe(c, &[topic.to_string()]).expect("subscribe");
    c
}

/// Polls every listed consumer every `tick` ms until `until`, collecting what each got.
pub fn poll_loop(
    cl: &mut Cluster,
    consumers: &[ConsumerId],
    until: u64,
    tick: u64,
    got: &mut Vec<(ConsumerId, ConsumerRecordView)>,
) {
    while cl.now() < until {
        for &c in consumers {
            let running = cl
                .consumer(c)
                .is_some_and(|x| x.status() == ConsumerStatus::Running);
            if running {
                for r in cl.poll(c, None).expect("poll") {
                    got.push((c, r));
                }
            }
        }
        let next = cl.now() + tick;
        cl.advance_to(next);
    }
}

pub fn produce_n(cl: &mut Cluster, topic: &str, n: usize, key_prefix: &str) {
    for i in 0..n {
        let req = ProduceRequest::new("producer", topic)
            .key(format!("{key_prefix}{i}"))
            .value(format!("v{i}"));
        cl.produce(req).expect("produce");
    }
}

pub fn events(cl: &Cluster) -> impl Iterator<Item = &Event> {
    cl.trace().iter().map(|t| &t.event)
}
