//! The broker's wall clock: `epoch_ms` plus virtual time stamps records and drives time-based
//! retention, so records stamped by clients from the same clock expire when they should.

use kafka_engine::log::TopicConfig;
use kafka_engine::*;

const EPOCH: i64 = 1_777_804_200_000;

fn cluster() -> Cluster {
    Cluster::new(ClusterConfig {
        log_cleaner_interval_ms: 1_000,
        epoch_ms: EPOCH,
        ..ClusterConfig::default()
    })
}

#[test]
fn records_without_a_timestamp_get_the_wall_clock() {
    let mut cl = cluster();
    cl.create_topic("t", 1, TopicConfig::default()).unwrap();
    cl.advance_to(2_500);
    let meta = cl
        .produce(ProduceRequest::new("p", "t").value("v"))
        .unwrap();
    assert_eq!(cl.wall_clock_ms(), EPOCH + 2_500);
    assert_eq!(meta.timestamp, EPOCH + 2_500);
}

#[test]
fn retention_ms_expires_client_stamped_records_on_the_same_clock() {
    let mut cl = cluster();
    let cfg = TopicConfig {
        retention_ms: Some(10_000),
        segment_records: Some(2),
        ..TopicConfig::default()
    };
    cl.create_topic("t", 1, cfg).unwrap();
    // A client stamps each record with its own clock, as kafka-python does (time.time()).
    for i in 0..10u64 {
        cl.advance_to(i * 1_000);
        let ts = EPOCH + i as i64 * 1_000;
        cl.produce(ProduceRequest::new("p", "t").value("v").timestamp(ts))
            .unwrap();
    }
    // At 15 s, records stamped before 5 s are past retention.ms: their closed segments go,
    // the ones still inside it stay, and so does the active segment.
    cl.advance_to(15_000);
    let log = cl.partition("t", 0).unwrap();
    assert_eq!(
        log.log_start_offset(),
        4,
        "segments [0,2) and [2,4) expired"
    );
    assert_eq!(log.log_end_offset(), 10);
    // Much later every closed segment has expired: the log is empty, its start at its end
    // (the last segment closed when it reached segment_records; the active one is empty).
    cl.advance_to(60_000);
    let log = cl.partition("t", 0).unwrap();
    assert_eq!((log.log_start_offset(), log.log_end_offset()), (10, 10));
    assert_eq!(log.record_count(), 0);
}
