//! The lessons: the blog post's snippets, each with the setup lines and scenario that make it run.

use crate::scenario::{FaultKind, ProcessId, ProgramSpec, ScenarioSpec, ScheduledFault, TopicSpec};
use kafka_engine::log::{CleanupPolicy, TopicConfig};

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
    /// The blog post's python block this lesson covers, verbatim (`None`: the post shows no
    /// python for it, e.g. the partitions diagram).
    pub post_block: Option<&'static str>,
    /// Spanish, English: how the lesson's code differs from the post's block and why (what
    /// kafka-python would do with the block as printed).
    pub note: Option<(&'static str, &'static str)>,
    /// The error the lesson's scenario shows on purpose (a substring of its last line), if any.
    pub expected_error: Option<&'static str>,
    /// Virtual time (ms) after which what the lesson is meant to show has happened.
    pub run_ms: u64,
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

/// The blog post's block, verbatim.
pub const POST_TOPICS: &str = r#"# Publicar mensaje a topic "transactions"
producer.send('transactions', value={'user_id': 123, 'amount': 5000})
"#;

/// The blog post's block, verbatim.
pub const POST_GROUPS: &str = r#"# Consumer 1 lee partitions 0-1
# Consumer 2 lee partition 2
# = 2x throughput
"#;

/// The blog post's block, verbatim.
pub const POST_KEYS: &str = r#"# ❌ Sin key: mensajes en particiones random
producer.send('topic', value=data)

# ✅ Con key: mismo user siempre en misma partition (orden garantizado)
producer.send('topic', key=str(user_id).encode(), value=data)
"#;

/// The blog post's block, verbatim.
pub const POST_COMMIT: &str = r#"# ❌ Auto-commit puede perder mensajes
consumer = KafkaConsumer(enable_auto_commit=True)

# ✅ Commit manual después de procesar
consumer = KafkaConsumer(enable_auto_commit=False)

for message in consumer:
    process(message.value)
    consumer.commit()  # Solo commitear si procesamiento exitoso
"#;

/// The blog post's block, verbatim.
pub const POST_BACKPRESSURE: &str = r#"# ✅ Limitar batch size
consumer = KafkaConsumer(
    max_poll_records=100,  # Procesar 100 mensajes máximo por poll
    max_poll_interval_ms=300000  # 5 minutos para procesar batch
)
"#;

/// Setup of the topics lesson: the producer the post's one-liner assumes.
const SETUP_PRODUCER_JSON: &str = "from kafka import KafkaProducer
import json

producer = KafkaProducer(
    bootstrap_servers=['localhost:9092'],
    value_serializer=lambda v: json.dumps(v).encode('utf-8')
)
";

/// Setup of the keys lesson: the producer, `data` and `user_id` the post's lines assume.
const SETUP_KEYS: &str = "from kafka import KafkaProducer
import json

producer = KafkaProducer(value_serializer=lambda v: json.dumps(v).encode('utf-8'))
user_id = 456
data = {'user_id': user_id, 'amount': 5000}
";

/// The partitions lesson: keyed sends, printing where each lands.
const PARTITIONS_CODE: &str = r#"from kafka import KafkaProducer

producer = KafkaProducer(bootstrap_servers=['localhost:9092'])

# Con key: murmur2(key) % 3 elige la partición (siempre la misma para la misma key)
for user_id in range(1, 10):
    key = str(user_id).encode()
    meta = producer.send('transactions', key=key, value=f"msg{user_id}".encode()).get(timeout=10)
    print(f"msg{user_id} key={key} -> partition {meta.partition}, offset {meta.offset}")

producer.flush()
"#;

/// The consumer-groups lesson: the post's comments, then a group member (run twice).
const GROUPS_CODE: &str = r#"# Consumer 1 lee partitions 0-1
# Consumer 2 lee partition 2
# = 2x throughput
from kafka import KafkaConsumer

consumer = KafkaConsumer(
    'transactions',
    bootstrap_servers=['localhost:9092'],
    group_id='analytics-group',
)

for message in consumer:
    print(f"partition {message.partition} offset {message.offset}: {message.value.decode()}")
"#;

/// A producer of keyed transactions for the group lessons: one every 500 ms.
const KEYED_PRODUCER: &str = r#"from kafka import KafkaProducer
import json
import time

producer = KafkaProducer(
    bootstrap_servers=['localhost:9092'],
    key_serializer=lambda k: k.encode('utf-8'),
    value_serializer=lambda v: json.dumps(v).encode('utf-8')
)

for i in range(30):
    user_id = i % 6 + 1
    producer.send('transactions', key=str(user_id), value={'transaction_id': i, 'user_id': user_id})
    time.sleep(0.5)

producer.flush()
"#;

/// Setup of the commit lesson: imports, and a `process()` that says what it processes.
const SETUP_COMMIT: &str = "from kafka import KafkaConsumer
from playground import process as work
import json

def process(value):
    print(f\"processing transaction {json.loads(value)['transaction_id']}\")
    work(value)
";

/// The commit lesson's starting code: the post's block with the smallest fix (a topic and a
/// group for the consumer that iterates).
pub const COMMIT_FIXED: &str = r#"# ❌ Auto-commit puede perder mensajes
consumer = KafkaConsumer(enable_auto_commit=True)

# ✅ Commit manual después de procesar
consumer = KafkaConsumer('transactions', group_id='payments', enable_auto_commit=False)

for message in consumer:
    process(message.value)
    consumer.commit()  # Solo commitear si procesamiento exitoso
"#;

/// The commit lesson's second tab: auto-commit with records batched before processing.
pub const BATCH_SINK: &str = r#"# Auto-commit + lotes: poll() avanza la posición antes de procesar
consumer = KafkaConsumer('transactions', group_id='sink', enable_auto_commit=True)

batch = []
while True:
    polled = consumer.poll(timeout_ms=500)
    for tp, records in polled.items():
        batch.extend(records)
    if len(batch) >= 20 or (batch and not polled):   # lote lleno, o no llega nada más
        for record in batch:
            process(record.value)
        batch = []
"#;

/// The backpressure lesson's starting code: the post's block with a topic, a group and a
/// poll / process / commit loop.
pub const BACKPRESSURE_FIXED: &str = r#"# ✅ Limitar batch size
consumer = KafkaConsumer(
    'transactions',
    group_id='analytics-group',
    auto_offset_reset='earliest',
    enable_auto_commit=False,
    max_poll_records=100,  # Procesar 100 mensajes máximo por poll
    max_poll_interval_ms=300000  # 5 minutos para procesar batch
)

while True:
    batch = consumer.poll(timeout_ms=1000)
    count = sum(len(records) for records in batch.values())
    if count:
        print(f"poll: {count} records")
    for records in batch.values():
        for record in records:
            process(record.value)   # 1 s por mensaje en esta lección
    consumer.commit()
"#;

/// The backlog the backpressure lesson's consumer faces.
const BACKLOG_PRODUCER: &str = r#"from kafka import KafkaProducer

producer = KafkaProducer(bootstrap_servers=['localhost:9092'])
for i in range(600):
    producer.send('transactions', key=f"user-{i % 10}".encode(), value=f"tx-{i}".encode())
producer.flush()
print("600 transactions waiting")
"#;

/// A topic of a lesson's scenario.
struct TopicData {
    name: &'static str,
    partitions: u32,
    config: TopicConfig,
}

/// A program of a lesson's scenario.
struct ProgData {
    name: &'static str,
    setup: &'static str,
    source: &'static str,
    instances: u32,
    start_ms: u64,
}

/// What a lesson's scenario sets (the rest is `ScenarioSpec::default()`).
struct SpecData {
    topics: &'static [TopicData],
    programs: &'static [ProgData],
    faults: &'static [ScheduledFault],
    process_ms: u64,
    log_cleaner_interval_ms: Option<u64>,
}

/// A lesson as static data; [`build`] makes the [`Lesson`].
struct LessonData {
    id: &'static str,
    title: (&'static str, &'static str),
    intro: (&'static str, &'static str),
    spec: SpecData,
    post_block: Option<&'static str>,
    note: Option<(&'static str, &'static str)>,
    expected_error: Option<&'static str>,
    run_ms: u64,
}

/// The defaults of `ScenarioSpec` a lesson may change (a test checks they agree).
const SPEC: SpecData = SpecData {
    topics: &[],
    programs: &[],
    faults: &[],
    process_ms: 100,
    log_cleaner_interval_ms: None,
};

/// The 'transactions' topic with 3 partitions.
const TRANSACTIONS_3: &[TopicData] = &[TopicData {
    name: "transactions",
    partitions: 3,
    config: TopicConfig::DEFAULT,
}];

const fn prog(
    name: &'static str,
    setup: &'static str,
    source: &'static str,
    instances: u32,
    start_ms: u64,
) -> ProgData {
    ProgData {
        name,
        setup,
        source,
        instances,
        start_ms,
    }
}

/// Every lesson, in the order of the blog post.
static LESSONS: &[LessonData] = &[
        LessonData {
            id: "topics",
            title: ("Topics", "Topics"),
            intro: (
                "La línea del post publica un mensaje en el topic 'transactions'. Las líneas grises crean el producer que el post da por hecho. Mirá en qué partición cae: sin key, kafka-python elige una al azar.",
                "The post's line publishes one message to the 'transactions' topic. The grey lines create the producer the post takes for granted. See which partition it lands on: without a key, kafka-python picks one at random.",
            ),
            spec: SpecData {
                topics: TRANSACTIONS_3,
                programs: &[prog("producer.py", SETUP_PRODUCER_JSON, POST_TOPICS, 1, 0)],
                ..SPEC
            },
            post_block: Some(POST_TOPICS),
            note: Some((
                "Solo, el bloque falla con NameError: name 'producer' is not defined. Con el producer de las líneas grises (value_serializer a JSON) corre tal cual; sin serializer, kafka-python rechazaría el dict (TypeError: los valores deben ser bytes).",
                "On its own the block fails with NameError: name 'producer' is not defined. With the grey lines' producer (a JSON value_serializer) it runs unchanged; without a serializer kafka-python would refuse the dict (TypeError: values must be bytes).",
            )),
            expected_error: None,
            run_ms: 5_000,
        },
        LessonData {
            id: "partitions",
            title: ("Particiones", "Partitions"),
            intro: (
                "Un topic se divide en particiones. Con key, la partición es murmur2(key) % particiones: la misma key cae siempre en la misma. Cambiá las keys o el número de mensajes y mirá los carriles.",
                "A topic is split into partitions. With a key, the partition is murmur2(key) % partitions: the same key always lands on the same one. Change the keys or the number of messages and watch the lanes.",
            ),
            spec: SpecData {
                topics: TRANSACTIONS_3,
                programs: &[prog("producer.py", "", PARTITIONS_CODE, 1, 0)],
                ..SPEC
            },
            post_block: None,
            note: Some((
                "El diagrama del post reparte msg1, msg2, msg3 en orden (round-robin). Kafka no hace eso: sin key, kafka-python elige una partición al azar por mensaje (Java: una partición \"pegajosa\" por lote); con key, murmur2.",
                "The post's diagram deals msg1, msg2, msg3 in turn (round-robin). Kafka does not: without a key, kafka-python picks a random partition per message (Java: one \"sticky\" partition per batch); with a key, murmur2.",
            )),
            expected_error: None,
            run_ms: 5_000,
        },
        LessonData {
            id: "consumer-groups",
            title: ("Consumer groups", "Consumer groups"),
            intro: (
                "Dos instancias del mismo consumer en el grupo 'analytics-group' se reparten las 3 particiones: con el assignor range, la #1 lee 0-1 y la #2 lee 2. Probá con 3 instancias: una partición cada una; con 4, una queda sin nada. El grupo espera 3 s después de cada miembro nuevo antes de repartir (group.initial.rebalance.delay.ms): por eso el producer arranca a los 10 s.",
                "Two instances of the same consumer in group 'analytics-group' share the 3 partitions: with the range assignor, #1 reads 0-1 and #2 reads 2. Try 3 instances: one partition each; with 4, one gets nothing. The group waits 3 s after each new member before assigning (group.initial.rebalance.delay.ms): that is why the producer starts at 10 s.",
            ),
            spec: SpecData {
                topics: TRANSACTIONS_3,
                programs: &[
                    prog("consumer.py", "", GROUPS_CODE, 2, 0),
                    prog("producer.py", "", KEYED_PRODUCER, 1, 10_000),
                ],
                ..SPEC
            },
            post_block: Some(POST_GROUPS),
            note: Some((
                "El bloque del post son sólo comentarios: en Python corre y no hace nada. La lección los deja arriba y agrega el consumer que los hace verdad, corrido en 2 instancias.",
                "The post's block is only comments: Python runs it and nothing happens. The lesson keeps them on top and adds the consumer that makes them true, run as 2 instances.",
            )),
            expected_error: None,
            run_ms: 30_000,
        },
        LessonData {
            id: "producer",
            title: ("Producer", "Producer"),
            intro: (
                "El producer del post, sin cambios: serializa el dict a JSON y lo envía a 'transactions'. flush() espera a que el broker lo confirme.",
                "The post's producer, unchanged: it serializes the dict to JSON and sends it to 'transactions'. flush() waits until the broker acknowledges it.",
            ),
            spec: SpecData {
                topics: TRANSACTIONS_3,
                programs: &[prog("producer.py", "", POST_PRODUCER, 1, 0)],
                ..SPEC
            },
            post_block: Some(POST_PRODUCER),
            note: None,
            expected_error: None,
            run_ms: 5_000,
        },
        LessonData {
            id: "producer-consumer",
            title: ("Producer y consumer", "Producer and consumer"),
            intro: (
                "El producer del post envía una transacción; el consumer la procesa. El consumer arranca primero: con auto_offset_reset='latest' sólo ve lo que llega después de recibir sus particiones. Probá arrancar el producer en 0 s: el consumer no ve nada.",
                "The post's producer sends one transaction; the consumer processes it. The consumer starts first: with auto_offset_reset='latest' it only sees what arrives after it gets its partitions. Try starting the producer at 0 s: the consumer sees nothing.",
            ),
            spec: SpecData {
                topics: TRANSACTIONS_3,
                programs: &[
                    prog("consumer.py", "import json\n", POST_CONSUMER, 1, 0),
                    prog("producer.py", "", POST_PRODUCER, 1, 5_000),
                ],
                ..SPEC
            },
            post_block: Some(POST_CONSUMER),
            note: Some((
                "El consumer del post usa json sin importarlo: kafka-python fallaría con NameError: name 'json' is not defined al deserializar el primer mensaje. La línea gris 'import json' lo arregla; el código queda tal cual.",
                "The post's consumer uses json without importing it: kafka-python would fail with NameError: name 'json' is not defined when deserializing the first message. The grey line 'import json' fixes it; the code stays as printed.",
            )),
            expected_error: None,
            run_ms: 20_000,
        },
        LessonData {
            id: "keys",
            title: ("Errores comunes: la key", "Common mistakes: the key"),
            intro: (
                "Seis instancias corren las dos líneas del post. Los mensajes sin key caen en particiones al azar; los que llevan key=b'456' caen todos en la misma partición, así que se leen en orden.",
                "Six instances run the post's two lines. Messages without a key land on random partitions; those with key=b'456' all land on the same partition, so they are read in order.",
            ),
            spec: SpecData {
                topics: &[TopicData {
                    name: "topic",
                    partitions: 3,
                    config: TopicConfig::DEFAULT,
                }],
                programs: &[prog("producer.py", SETUP_KEYS, POST_KEYS, 6, 0)],
                ..SPEC
            },
            post_block: Some(POST_KEYS),
            note: Some((
                "Solo, el bloque falla con NameError (producer, data y user_id no existen). Las líneas grises los definen; el código del post corre tal cual.",
                "On its own the block fails with NameError (producer, data and user_id don't exist). The grey lines define them; the post's code runs unchanged.",
            )),
            expected_error: None,
            run_ms: 5_000,
        },
        LessonData {
            id: "commit",
            title: ("Errores comunes: el commit", "Common mistakes: the commit"),
            intro: (
                "Los dos consumers se caen a los 12,3 s y vuelven a los 20 s (como miembros nuevos: esperan a que venza la sesión del viejo, 45 s). consumer.py hace commit después de procesar: al volver reprocesa el mensaje que estaba a medias (un duplicado) y no pierde nada. batch_sink.py usa auto-commit y junta lotes: el auto-commit confirmó mensajes que todavía no había procesado, y esos se pierden.",
                "Both consumers crash at 12.3 s and come back at 20 s (as new members: they wait for the old one's session to expire, 45 s). consumer.py commits after processing: back up, it re-processes the message it was in the middle of (one duplicate) and loses nothing. batch_sink.py uses auto-commit and batches: auto-commit committed messages it had not processed yet, and those are lost.",
            ),
            spec: SpecData {
                topics: TRANSACTIONS_3,
                programs: &[
                    prog("consumer.py", SETUP_COMMIT, COMMIT_FIXED, 1, 0),
                    prog("batch_sink.py", SETUP_COMMIT, BATCH_SINK, 1, 0),
                    prog("producer.py", "", KEYED_PRODUCER, 1, 5_000),
                ],
                faults: &[
                    ScheduledFault {
                        at_ms: 12_300,
                        process: ProcessId(0),
                        kind: FaultKind::Crash,
                    },
                    ScheduledFault {
                        at_ms: 12_300,
                        process: ProcessId(1),
                        kind: FaultKind::Crash,
                    },
                    ScheduledFault {
                        at_ms: 20_000,
                        process: ProcessId(0),
                        kind: FaultKind::Restart,
                    },
                    ScheduledFault {
                        at_ms: 20_000,
                        process: ProcessId(1),
                        kind: FaultKind::Restart,
                    },
                ],
                process_ms: 700,
                ..SPEC
            },
            post_block: Some(POST_COMMIT),
            note: Some((
                "Solo, el bloque falla con NameError: name 'KafkaConsumer' is not defined (falta el import, y process no existe: las líneas grises los traen). Aun importando, no consume nada: KafkaConsumer(enable_auto_commit=False) no tiene topic ni group_id, así que el for espera para siempre, y consumer.commit() fallaría con IllegalStateError: Requires group_id. El arreglo mínimo: 'transactions' y group_id='payments'. Ojo: con kafka-python y for message in consumer, el auto-commit no pierde mensajes (el iterador avanza la posición de a uno y el auto-commit corre en el poll siguiente): al caerse, reprocesa. Pierde cuando el poll va por delante del procesamiento, como en batch_sink.py.",
                "On its own the block fails with NameError: name 'KafkaConsumer' is not defined (no import, and process doesn't exist: the grey lines bring them). Even with the import it consumes nothing: KafkaConsumer(enable_auto_commit=False) has no topic and no group_id, so the for loop waits forever, and consumer.commit() would fail with IllegalStateError: Requires group_id. The smallest fix: 'transactions' and group_id='payments'. Note: with kafka-python and for message in consumer, auto-commit does not lose messages (the iterator moves the position one record at a time and auto-commit runs in the next poll): after a crash it re-processes. It loses when polling runs ahead of processing, as in batch_sink.py.",
            )),
            expected_error: None,
            run_ms: 90_000,
        },
        LessonData {
            id: "backpressure",
            title: ("Errores comunes: backpressure", "Common mistakes: backpressure"),
            intro: (
                "Hay 600 transacciones esperando y process() tarda 1 s por mensaje. Con max_poll_records=100 cada lote tarda 100 s, menos que max_poll_interval_ms (5 min): todo bien. Probá max_poll_records=500: el lote tarda 500 s, a los 5 min el consumer sale del grupo y su commit falla con CommitFailedError.",
                "600 transactions are waiting and process() takes 1 s per message. With max_poll_records=100 each batch takes 100 s, less than max_poll_interval_ms (5 min): all good. Try max_poll_records=500: the batch takes 500 s, at 5 min the consumer leaves the group and its commit fails with CommitFailedError.",
            ),
            spec: SpecData {
                topics: TRANSACTIONS_3,
                programs: &[
                    prog("producer.py", "", BACKLOG_PRODUCER, 1, 0),
                    prog(
                        "consumer.py",
                        "from kafka import KafkaConsumer\nfrom playground import process\n",
                        BACKPRESSURE_FIXED,
                        1,
                        1_000,
                    ),
                ],
                process_ms: 1_000,
                ..SPEC
            },
            post_block: Some(POST_BACKPRESSURE),
            note: Some((
                "Solo, el bloque falla con NameError: name 'KafkaConsumer' is not defined (las líneas grises lo importan). Aun así, sólo crea un consumer sin topic ni group_id: corre y no consume nada. La lección le agrega el topic, un grupo, auto_offset_reset='earliest' (para leer lo que ya espera) y un bucle poll / process / commit.",
                "On its own the block fails with NameError: name 'KafkaConsumer' is not defined (the grey lines import it). Even then it only creates a consumer with no topic and no group_id: it runs and consumes nothing. The lesson adds the topic, a group, auto_offset_reset='earliest' (to read what is already waiting) and a poll / process / commit loop.",
            )),
            expected_error: None,
            run_ms: 700_000,
        },
        LessonData {
            id: "retention-compaction",
            title: (
                "Más allá del post: retención y compaction",
                "Beyond the post: retention and compaction",
            ),
            intro: (
                "Dos topics con segmentos diminutos y un broker que revisa cada 10 s (en Kafka, log.retention.check.interval.ms es 5 min). 'clicks' borra por tiempo (retention.ms=30 s): el inicio del log avanza y lo borrado queda rayado. 'users' se compacta (cleanup.policy=compact): sólo queda el último valor de cada key, los offsets no cambian y quedan huecos; el None de bob es un tombstone que lo borra. A los 60 s un consumer relee 'users' desde el principio y arma la tabla.",
                "Two topics with tiny segments and a broker that checks every 10 s (in Kafka, log.retention.check.interval.ms is 5 min). 'clicks' deletes by time (retention.ms=30 s): the log start moves on and what was deleted shows hatched. 'users' is compacted (cleanup.policy=compact): only the latest value of each key stays, offsets do not change and holes appear; bob's None is a tombstone that deletes him. At 60 s a consumer re-reads 'users' from the beginning and rebuilds the table.",
            ),
            spec: SpecData {
                topics: &[
                    TopicData {
                        name: "clicks",
                        partitions: 1,
                        config: TopicConfig {
                            retention_ms: Some(30_000),
                            segment_bytes: 40,
                            ..TopicConfig::DEFAULT
                        },
                    },
                    TopicData {
                        name: "users",
                        partitions: 1,
                        config: TopicConfig {
                            cleanup_policy: CleanupPolicy::Compact,
                            segment_bytes: 40,
                            delete_retention_ms: 20_000,
                            ..TopicConfig::DEFAULT
                        },
                    },
                ],
                programs: &[
                    prog("producer.py", "", COMPACTION_PRODUCER, 1, 0),
                    prog("table.py", "", COMPACTION_TABLE, 1, 60_000),
                ],
                log_cleaner_interval_ms: Some(10_000),
                ..SPEC
            },
            post_block: None,
            note: Some((
                "El post no llega a este tema: la lección lo agrega porque explica por qué un log de Kafka no crece para siempre y cómo un topic compactado sirve de tabla (el último valor por key).",
                "The post does not reach this topic: the lesson adds it because it explains why a Kafka log does not grow forever and how a compacted topic serves as a table (the latest value per key).",
            )),
            expected_error: None,
            run_ms: 90_000,
        },
];

/// The lesson `l` with its scenario spec.
fn build(l: &LessonData) -> Lesson {
    let d = &l.spec;
    let mut topics = Vec::with_capacity(d.topics.len());
    for t in d.topics {
        topics.push(TopicSpec {
            name: t.name.to_string(),
            partitions: t.partitions,
            config: t.config.clone(),
        });
    }
    let mut programs = Vec::with_capacity(d.programs.len());
    for p in d.programs {
        programs.push(ProgramSpec {
            name: p.name.to_string(),
            setup: p.setup.to_string(),
            source: p.source.to_string(),
            instances: p.instances,
            start_ms: p.start_ms,
        });
    }
    Lesson {
        id: l.id,
        title: l.title,
        intro: l.intro,
        spec: ScenarioSpec {
            topics,
            programs,
            faults: d.faults.to_vec(),
            process_ms: d.process_ms,
            log_cleaner_interval_ms: d.log_cleaner_interval_ms,
            ..ScenarioSpec::default()
        },
        post_block: l.post_block,
        note: l.note,
        expected_error: l.expected_error,
        run_ms: l.run_ms,
    }
}

/// Every lesson, in the order of the blog post.
pub fn lessons() -> Vec<Lesson> {
    LESSONS.iter().map(build).collect()
}

/// Clicks (deleted by time) and user profiles (compacted by key), then a tombstone for bob.
const COMPACTION_PRODUCER: &str = r#"from kafka import KafkaProducer
import time

producer = KafkaProducer()
users = ['ana', 'bob', 'carla']
for i in range(24):
    user = users[i % 3]
    producer.send('clicks', key=user.encode(), value=f'click {i}'.encode())
    producer.send('users', key=user.encode(), value=f'{user} v{i // 3}'.encode())
    time.sleep(2)

# A tombstone: compaction will delete bob altogether
producer.send('users', key=b'bob', value=None)
"#;

/// Rebuilds the user table from the compacted topic, as a service restarting would.
const COMPACTION_TABLE: &str = r#"from kafka import KafkaConsumer

consumer = KafkaConsumer('users', auto_offset_reset='earliest', consumer_timeout_ms=5000)
table = {}
for message in consumer:
    if message.value is None:
        table.pop(message.key, None)
    else:
        table[message.key] = message.value
print(table)
"#;

/// The lesson with this id.
pub fn lesson(id: &str) -> Option<Lesson> {
    LESSONS.iter().find(|l| l.id == id).map(build)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_defaults_match_the_engine_and_scenario_defaults() {
        let spec = ScenarioSpec::default();
        assert_eq!(SPEC.process_ms, spec.process_ms);
        assert_eq!(SPEC.log_cleaner_interval_ms, spec.log_cleaner_interval_ms);
        assert!(SPEC.topics.is_empty() && spec.topics.is_empty());
        assert!(SPEC.programs.is_empty() && spec.programs.is_empty());
        assert!(SPEC.faults.is_empty() && spec.faults.is_empty());
    }
}
