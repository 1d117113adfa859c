//! The lessons: the blog post's snippets, each with the setup lines and scenario that make it run.

use crate::scenario::{ProgramSpec, ScenarioSpec, TopicSpec};
use kafka_engine::log::TopicConfig;

/// A lesson: a title and an introduction in Spanish and English, and its starting scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    /// Stable id, used in URLs (`?lesson=consumer-groups`) and stored state.
    pub id: &'static str,
    /// Spanish, English.
    pub title: (&'static str, &'static str),
    /// Spanish, English: what to look at and what to try.
    pub intro: (&'static str, &'static str),
    /// The scenario the lesson starts from (programs carry their setup lines).
    pub spec: ScenarioSpec,
}

/// The blog post's producer example, unchanged.
pub const POST_PRODUCER: &str = r#"from kafka import KafkaProducer
import json

producer = KafkaProducer(
    bootstrap_servers=['localhost:9092'],
    value_serializer=lambda v: json.dumps(v).encode('utf-8')
)

# Enviar mensaje
producer.send('transactions', {
    'transaction_id': '123abc',
    'user_id': 456,
    'amount': 5000,
    'timestamp': '2026-05-03T10:30:00Z'
})

producer.flush()
"#;

/// The blog post's consumer example, unchanged.
pub const POST_CONSUMER: &str = r#"from kafka import KafkaConsumer

consumer = KafkaConsumer(
    'transactions',
    bootstrap_servers=['localhost:9092'],
    group_id='analytics-group',
    value_deserializer=lambda m: json.loads(m.decode('utf-8'))
)

for message in consumer:
    data = message.value
    print(f"Processing transaction {data['transaction_id']}")
    # Tu lógica de procesamiento aquí
"#;

fn program(name: &str, setup: &str, source: &str, instances: u32, start_ms: u64) -> ProgramSpec {
    ProgramSpec {
        name: name.to_string(),
        setup: setup.to_string(),
        source: source.to_string(),
        instances,
        start_ms,
    }
}

fn transactions(partitions: u32) -> Vec<TopicSpec> {
    vec![TopicSpec {
        name: "transactions".to_string(),
        partitions,
        config: TopicConfig::default(),
    }]
}

/// Every lesson, in the order a learner takes them.
pub fn lessons() -> Vec<Lesson> {
    vec![Lesson {
        id: "producer-consumer",
        title: ("Producer y consumer", "Producer and consumer"),
        intro: (
            "El producer del post envía una transacción; el consumer la procesa. El consumer arranca primero: con auto_offset_reset='latest' sólo ve lo que llega después de recibir sus particiones.",
            "The post's producer sends one transaction; the consumer processes it. The consumer starts first: with auto_offset_reset='latest' it only sees what arrives after it gets its partitions.",
        ),
        spec: ScenarioSpec {
            topics: transactions(3),
            programs: vec![
                program("consumer.py", "import json\n", POST_CONSUMER, 1, 0),
                program("producer.py", "", POST_PRODUCER, 1, 5_000),
            ],
            ..ScenarioSpec::default()
        },
    }]
}

/// The lesson with this id.
pub fn lesson(id: &str) -> Option<Lesson> {
    lessons().into_iter().find(|l| l.id == id)
}
