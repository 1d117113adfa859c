//! Time-based retention in a run: records a snippet sends carry kafka-python's timestamps
//! (wall clock of the run), and `retention.ms` deletes their segments on the broker's same clock.

use kplay_runner::{ProgramSpec, Scenario, ScenarioSpec};

const PRODUCER: &str = r#"from kafka import KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic
import time

KafkaAdminClient().create_topics([NewTopic('short-lived', num_partitions=1, replication_factor=1,
    topic_configs={'retention.ms': '60000', 'segment.bytes': '30'})])
producer = KafkaProducer()
for i in range(30):
    producer.send('short-lived', key=b'k', value=str(i).encode())
    time.sleep(1)
"#;

#[test]
fn retention_ms_deletes_what_a_snippet_sent_once_it_is_older() {
    let mut sc = Scenario::new(ScenarioSpec {
        programs: vec![ProgramSpec {
            name: "producer.py".into(),
            setup: String::new(),
            source: PRODUCER.into(),
            instances: 1,
            start_ms: 0,
        }],
        ..ScenarioSpec::default()
    });
    assert!(sc.errors().is_empty(), "{:?}", sc.errors());
    // The log cleaner runs every 300 s (log.retention.check.interval.ms): nothing goes before.
    sc.run_until(299_000);
    let log = sc.cluster().partition("short-lived", 0).unwrap();
    assert_eq!((log.log_start_offset(), log.log_end_offset()), (0, 30));
    // At 300 s every record is more than 60 s old: all closed segments go, the active stays.
    sc.run_until(301_000);
    let log = sc.cluster().partition("short-lived", 0).unwrap();
    assert_eq!(log.log_end_offset(), 30);
    assert!(
        log.log_start_offset() >= 27,
        "only the active segment is left: log start {}",
        log.log_start_offset()
    );
    assert!(log.record_count() <= 3);
}
