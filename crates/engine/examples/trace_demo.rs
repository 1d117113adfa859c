//! Prints the trace of a small group scenario (two members, a third joins, one crashes).

use kafka_engine::*;

fn main() {
    let mut cl = Cluster::new(ClusterConfig {
        seed: 7,
        ..ClusterConfig::default()
    });
    cl.create_topic("orders", 3, TopicConfig::default())
        .expect("topic");
    let cfg = ConsumerConfig {
        group_id: Some("billing".into()),
        session_timeout_ms: 10_000,
        auto_offset_reset: OffsetReset::Earliest,
        ..ConsumerConfig::default()
    };
    let mut cs = Vec::new();
    for _ in 0..2 {
        let c = cl.new_consumer(cfg.clone());
        cl.subscribe(c, &["orders".to_string()]).expect("subscribe");
        cs.push(c);
    }
    for i in 0..6 {
        cl.produce(
            ProduceRequest::new("shop", "orders")
                .key(format!("user-{i}"))
                .value("x"),
        )
        .expect("produce");
    }
    let mut t = 0;
    while t < 30_000 {
        if t == 8_000 {
            let c = cl.new_consumer(cfg.clone());
            cl.subscribe(c, &["orders".to_string()]).expect("subscribe");
            cs.push(c);
        }
        if t == 15_000 {
            cl.crash(cs[0]).expect("crash");
        }
        for &c in &cs {
            let _ = cl.poll(c, None);
        }
        t += 500;
        cl.advance_to(t);
    }
    for e in cl.trace() {
        if !matches!(e.event, Event::Heartbeat { .. }) {
            println!("{:>6} {:?}", e.time, e.event);
        }
    }
    println!("trace hash {:016x}", cl.trace_hash());
}
