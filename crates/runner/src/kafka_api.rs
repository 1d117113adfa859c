//! The kafka-python API (`KafkaProducer`, `KafkaConsumer`, `KafkaAdminClient`, structs, errors,
//! assignor classes) as host objects of the interpreter, backed by the engine.
//!
//! Names, keyword arguments, defaults and error messages follow kafka-python 3.0.x. Calls that
//! block in kafka-python (iterating a consumer, `poll(timeout_ms)`, the playground's `process()`)
//! return `HostResult::Block` with a [`Wait`] left for the scenario runner to finish.

use std::collections::VecDeque;
use std::rc::Rc;

use kafka_engine::cluster::{Cluster, ConsumerRecordView, ProduceRequest, RecordMetadata};
use kafka_engine::consumer::{ConsumerConfig, ConsumerId, OffsetReset};
use kafka_engine::log::TopicConfig;
use kafka_engine::{KafkaError, Strategy, TopicPartition};
use pysnip::{Exception, ExceptionClass, HostRef, HostResult, Process, Value};

use crate::scenario::{OutputKind, OutputLine, ProcessId};

/// Unix epoch (ms) of virtual time 0: 2026-05-03T10:30:00Z, the blog post's date.
pub const EPOCH_MS: i64 = 1_777_804_200_000;
/// How often a consumer blocked in `for message in consumer:` polls again (virtual ms).
pub const POLL_TICK_MS: u64 = 100;
/// Most records one scenario may hold, so a runaway producer loop ends with a clear error.
pub const MAX_RECORDS: u64 = 200_000;

/// Config keys every kafka-python 3.0.x client takes (`KafkaAdminClient.DEFAULT_CONFIG`: connection, security, metrics).
const CLIENT_CONFIGS: &[&str] = &[
    "api_version",
    "bootstrap_servers",
    "bootstrap_timeout_ms",
    "client_dns_lookup",
    "client_id",
    "connections_max_idle_ms",
    "kafka_client",
    "max_in_flight_requests_per_connection",
    "metadata_max_age_ms",
    "metric_reporters",
    "metrics_num_samples",
    "metrics_sample_window_ms",
    "proxy_url",
    "receive_buffer_bytes",
    "receive_message_max_bytes",
    "reconnect_backoff_max_ms",
    "reconnect_backoff_ms",
    "request_timeout_ms",
    "retry_backoff_ms",
    "sasl_kerberos_domain_name",
    "sasl_kerberos_name",
    "sasl_kerberos_service_name",
    "sasl_mechanism",
    "sasl_oauth_token_provider",
    "sasl_plain_password",
    "sasl_plain_username",
    "security_protocol",
    "selector",
    "send_buffer_bytes",
    "socket_options",
    "socks5_proxy",
    "ssl_cafile",
    "ssl_certfile",
    "ssl_check_hostname",
    "ssl_context",
    "ssl_crlfile",
    "ssl_keyfile",
    "ssl_password",
];

/// Keys only `KafkaProducer.DEFAULT_CONFIG` adds.
const PRODUCER_ONLY: &[&str] = &[
    "acks",
    "allow_auto_create_topics",
    "batch_size",
    "compression_type",
    "delivery_timeout_ms",
    "enable_idempotence",
    "key_serializer",
    "linger_ms",
    "max_block_ms",
    "max_request_size",
    "metrics_enabled",
    "partitioner",
    "retries",
    "ssl_ciphers",
    "transaction_timeout_ms",
    "transactional_id",
    "value_serializer",
];

/// Keys only `KafkaConsumer.DEFAULT_CONFIG` adds.
const CONSUMER_ONLY: &[&str] = &[
    "allow_auto_create_topics",
    "auto_commit_interval_ms",
    "auto_offset_reset",
    "check_crcs",
    "client_rack",
    "consumer_timeout_ms",
    "default_offset_commit_callback",
    "enable_auto_commit",
    "enable_incremental_fetch_sessions",
    "exclude_internal_topics",
    "fetch_max_bytes",
    "fetch_max_wait_ms",
    "fetch_min_bytes",
    "group_id",
    "group_instance_id",
    "heartbeat_interval_ms",
    "isolation_level",
    "key_deserializer",
    "max_partition_fetch_bytes",
    "max_poll_interval_ms",
    "max_poll_records",
    "metric_group_prefix",
    "metrics_enabled",
    "partition_assignment_strategy",
    "session_timeout_ms",
    "ssl_ciphers",
    "value_deserializer",
];

/// Each client's accepted keys: the shared ones plus its own.
const PRODUCER_CONFIGS: &[&[&str]] = &[CLIENT_CONFIGS, PRODUCER_ONLY];
const CONSUMER_CONFIGS: &[&[&str]] = &[CLIENT_CONFIGS, CONSUMER_ONLY];
const ADMIN_CONFIGS: &[&[&str]] = &[CLIENT_CONFIGS];

/// kafka.errors classes of kafka-python 3.0.12: (name, parent). Parents come first.
const ERROR_CLASSES: &[(&str, &str)] = &[
    ("KafkaError", "Exception"),
    ("IllegalStateError", "KafkaError"),
    ("IllegalArgumentError", "KafkaError"),
    ("KafkaProtocolError", "KafkaError"),
    ("UnrecognizedBrokerVersion", "KafkaError"),
    ("CommitFailedError", "KafkaError"),
    ("KafkaConfigurationError", "KafkaError"),
    ("QuotaViolationError", "KafkaError"),
    ("NoOffsetForPartitionError", "KafkaError"),
    ("RetriableError", "KafkaError"),
    ("NodeNotReadyError", "RetriableError"),
    ("CorrelationIdError", "RetriableError"),
    ("Cancelled", "RetriableError"),
    ("TooManyInFlightRequests", "RetriableError"),
    ("MetadataEmptyBrokerList", "RetriableError"),
    ("KafkaTimeoutError", "RetriableError"),
    ("InvalidMetadataError", "RetriableError"),
    ("StaleMetadata", "InvalidMetadataError"),
    ("KafkaConnectionError", "InvalidMetadataError"),
    // kafka-python: (InvalidMetadataError, BrokerResponseError); one parent here.
    ("UnknownTopicOrPartitionError", "InvalidMetadataError"),
    ("BrokerResponseError", "KafkaError"),
    ("UnsupportedVersionError", "BrokerResponseError"),
    ("IncompatibleBrokerVersion", "UnsupportedVersionError"),
    ("OffsetOutOfRangeError", "BrokerResponseError"),
    ("MessageSizeTooLargeError", "BrokerResponseError"),
    ("TopicAlreadyExistsError", "BrokerResponseError"),
    ("InvalidPartitionsError", "BrokerResponseError"),
    ("InvalidTopicError", "BrokerResponseError"),
    ("IllegalGenerationError", "BrokerResponseError"),
    ("RebalanceInProgressError", "BrokerResponseError"),
    ("UnknownMemberIdError", "BrokerResponseError"),
    ("InconsistentGroupProtocolError", "BrokerResponseError"),
    ("InvalidRecordError", "BrokerResponseError"),
    ("InvalidConfigurationError", "BrokerResponseError"),
    ("InvalidReplicationFactorError", "BrokerResponseError"),
];

/// Assignor classes by module: (module, class name, strategy).
const ASSIGNORS: &[(&str, &str, Strategy)] = &[
    (
        "kafka.coordinator.assignors.range",
        "RangePartitionAssignor",
        Strategy::Range,
    ),
    (
        "kafka.coordinator.assignors.roundrobin",
        "RoundRobinPartitionAssignor",
        Strategy::RoundRobin,
    ),
    (
        "kafka.coordinator.assignors.sticky.sticky_assignor",
        "StickyPartitionAssignor",
        Strategy::Sticky,
    ),
    (
        "kafka.coordinator.assignors.cooperative_sticky",
        "CooperativeStickyAssignor",
        Strategy::CooperativeSticky,
    ),
];

/// The exception classes of kafka.errors for one scenario (shared so `except` matches).
pub struct KafkaErrors {
    /// Sorted by name (a sorted Vec: less wasm code than a BTreeMap).
    classes: Vec<(&'static str, Rc<ExceptionClass>)>,
}

impl KafkaErrors {
    pub fn new() -> Self {
        let mut errors = KafkaErrors {
            classes: Vec::with_capacity(ERROR_CLASSES.len()),
        };
        for (name, parent) in ERROR_CLASSES {
            let parent = errors
                .get(parent)
                .unwrap_or_else(|| pysnip::builtin_class(parent));
            let class = ExceptionClass::new(name, Some(parent));
            match errors.find(name) {
                Ok(i) => {
                    if let Some(slot) = errors.classes.get_mut(i) {
                        slot.1 = class;
                    }
                }
                Err(i) => errors.classes.insert(i, (name, class)),
            }
        }
        errors
    }

    fn find(&self, name: &str) -> Result<usize, usize> {
        self.classes.binary_search_by(|(n, _)| (*n).cmp(name))
    }

    /// The kafka.errors class called `name`, if any.
    fn get(&self, name: &str) -> Option<Rc<ExceptionClass>> {
        let i = self.find(name).ok()?;
        self.classes.get(i).map(|(_, c)| c.clone())
    }

    /// The class called `name` (a builtin class when kafka.errors has none by that name).
    pub fn class(&self, name: &str) -> Rc<ExceptionClass> {
        self.get(name)
            .unwrap_or_else(|| pysnip::builtin_class(name))
    }

    /// An instance of class `name` with `msg`. kafka.errors classes show their name in
    /// `str(e)` (kafka-python's `KafkaError.__str__`), so their message starts with it.
    pub fn exc(&self, name: &str, msg: impl AsRef<str>) -> Exception {
        if self.find(name).is_ok() {
            Exception::new(&self.class(name), &format!("{name}: {}", msg.as_ref()))
        } else {
            Exception::new(&self.class(name), msg.as_ref())
        }
    }

    /// The kafka-python exception for an engine error.
    pub fn from_engine(&self, e: &KafkaError) -> Exception {
        self.exc(e.python_name(), e.message())
    }

    fn module(&self) -> Vec<(String, Value)> {
        self.classes
            .iter()
            .map(|(n, c)| (n.to_string(), Value::exc_class(c)))
            .collect()
    }
}

impl Default for KafkaErrors {
    fn default() -> Self {
        Self::new()
    }
}

/// What a blocked process waits for; the scenario runner finishes it.
#[derive(Clone, Debug, PartialEq)]
pub enum Wait {
    /// `next()` of a consumer iterator: records, or StopIteration after `consumer_timeout_ms`.
    Iter { consumer: u64, since: u64 },
    /// `poll(timeout_ms)`: records, or an empty dict at `until`.
    Poll {
        consumer: u64,
        until: u64,
        max_records: Option<usize>,
    },
    /// The playground's `process(value)`: returns None at `until`, or fails/crashes as told.
    Work { until: u64, outcome: WorkOutcome },
}

/// How the playground's `process()` ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkOutcome {
    Ok,
    Fail,
}

/// A host object owned by one process.
pub enum Obj {
    Producer(ProducerObj),
    Consumer(ConsumerObj),
    Future(RecordMetadata),
    /// A `kafka.future.Future` already resolved (commit_async: the commit is done at once).
    Done(Result<Value, Exception>),
    Admin {
        closed: bool,
    },
}

pub struct ProducerObj {
    pub client_id: String,
    key_serializer: Option<Value>,
    value_serializer: Option<Value>,
    closed: bool,
}

pub struct ConsumerObj {
    pub id: ConsumerId,
    key_deserializer: Option<Value>,
    value_deserializer: Option<Value>,
    buffer: VecDeque<ConsumerRecordView>,
    consumer_timeout_ms: Option<u64>,
    closed: bool,
}

/// The host objects of one process.
#[derive(Default)]
pub struct Objects {
    /// Object `id` is at index `id - 1` (ids count up from 1 and objects are never removed;
    /// a Vec is less wasm code than a BTreeMap).
    map: Vec<Obj>,
}

impl Objects {
    fn add(&mut self, o: Obj) -> u64 {
        self.map.push(o);
        self.map.len() as u64
    }

    fn get(&self, id: u64) -> Option<&Obj> {
        let i = usize::try_from(id.checked_sub(1)?).ok()?;
        self.map.get(i)
    }

    fn get_mut(&mut self, id: u64) -> Option<&mut Obj> {
        let i = usize::try_from(id.checked_sub(1)?).ok()?;
        self.map.get_mut(i)
    }

    /// Engine ids of the consumers this process created.
    pub fn consumers(&self) -> Vec<ConsumerId> {
        self.map
            .iter()
            .filter_map(|o| match o {
                Obj::Consumer(c) => Some(c.id),
                _ => None,
            })
            .collect()
    }

    /// Consumers not closed yet.
    pub fn open_consumers(&self) -> Vec<ConsumerId> {
        self.map
            .iter()
            .filter_map(|o| match o {
                Obj::Consumer(c) if !c.closed => Some(c.id),
                _ => None,
            })
            .collect()
    }
}

/// Per-scenario settings the API needs.
#[derive(Clone, Debug)]
pub struct ApiSettings {
    pub process_ms: u64,
    pub default_strategies: Option<Vec<Strategy>>,
    /// Program name, for client ids.
    pub program: String,
    pub instance: u32,
}

/// The interpreter's host for one process slice: borrows the cluster and this process's state.
pub struct ProcHost<'a> {
    pub cluster: &'a mut Cluster,
    pub objects: &'a mut Objects,
    pub output: &'a mut Vec<OutputLine>,
    pub errors: &'a KafkaErrors,
    pub settings: &'a ApiSettings,
    pub process: ProcessId,
    /// Set when a call blocks.
    pub wait: Option<Wait>,
    /// Set by `process()` when the scenario told it to crash the process.
    pub pending_line: String,
    pub producers: &'a mut Vec<String>,
    pub work_outcome: WorkOutcome,
}

fn kw_take(kwargs: &mut Vec<(String, Value)>, name: &str) -> Option<Value> {
    let i = kwargs.iter().position(|(k, _)| k == name)?;
    Some(kwargs.remove(i).1)
}

/// The closest name in `known` to `name` (edit distance at most 3, or a prefix/suffix match).
pub fn suggest(name: &str, known: &[&[&str]]) -> Option<String> {
    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut cur = vec![i + 1; b.len() + 1];
            for (j, cb) in b.iter().enumerate() {
                let cost = usize::from(ca != *cb);
                cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            }
            prev = cur;
        }
        prev[b.len()]
    }
    let mut best: Option<(usize, &str)> = None;
    for k in known.iter().copied().flatten() {
        let d = if k.starts_with(name) || k.ends_with(name) {
            1
        } else {
            distance(name, k)
        };
        if d <= 3 && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, k));
        }
    }
    best.map(|(_, k)| k.to_string())
}

/// Python's repr of a set of strings, as kafka-python's "Unrecognized configs: {...}" shows.
fn set_repr(names: &[String]) -> String {
    let inner: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    format!("{{{}}}", inner.join(", "))
}

fn to_u64(v: &Value, what: &str) -> Result<u64, Exception> {
    match v.as_int() {
        Some(i) if i >= 0 => Ok(i as u64),
        _ => Err(Exception::type_error(format!(
            "{what} must be a non-negative int, not {}",
            v.type_name()
        ))),
    }
}

fn topic_partition_value(tp: &TopicPartition) -> Value {
    Value::record(
        "TopicPartition",
        vec![
            ("topic", Value::str(&tp.topic)),
            ("partition", Value::int(i64::from(tp.partition))),
        ],
    )
}

fn topic_partition_of(v: &Value) -> Result<TopicPartition, Exception> {
    let topic = v
        .field("topic")
        .and_then(|t| t.as_str().map(str::to_string));
    let partition = v.field("partition").and_then(|p| p.as_int());
    if let (Some(topic), Some(p)) = (topic, partition) {
        if let Ok(p) = u32::try_from(p) {
            return Ok(TopicPartition::new(topic, p));
        }
    }
    if let Some(items) = v.as_seq() {
        if let [t, p] = items.as_slice() {
            if let (Some(t), Some(p)) = (t.as_str(), p.as_int().and_then(|p| u32::try_from(p).ok()))
            {
                return Ok(TopicPartition::new(t, p));
            }
        }
    }
    Err(Exception::type_error(format!(
        "expected a TopicPartition, got {}",
        v.type_name()
    )))
}

/// A `TopicPartition` argument, as kafka-python checks it (`isinstance(p, TopicPartition)`).
fn topic_partition_arg(v: &Value) -> Result<TopicPartition, Exception> {
    let tp = v
        .field("topic")
        .and_then(|t| t.as_str().map(str::to_string))
        .zip(v.field("partition").and_then(|p| p.as_int()));
    match tp {
        Some((t, p)) => match u32::try_from(p) {
            Ok(p) => Ok(TopicPartition::new(t, p)),
            Err(_) => Err(Exception::value_error(format!(
                "Unassigned partition: TopicPartition(topic='{t}', partition={p})"
            ))),
        },
        None => Err(Exception::type_error(
            "partition must be a TopicPartition namedtuple",
        )),
    }
}

/// Python's repr of a TopicPartition namedtuple.
fn tp_repr(tp: &TopicPartition) -> String {
    format!(
        "TopicPartition(topic='{}', partition={})",
        tp.topic, tp.partition
    )
}

fn record_metadata_value(m: &RecordMetadata) -> Value {
    let tp = TopicPartition::new(m.topic.to_string(), m.partition);
    Value::record(
        "RecordMetadata",
        vec![
            ("topic", Value::str(&m.topic)),
            ("partition", Value::int(i64::from(m.partition))),
            ("topic_partition", topic_partition_value(&tp)),
            ("offset", Value::int(m.offset as i64)),
            ("timestamp", Value::int(m.timestamp)),
            ("checksum", Value::None),
            (
                "serialized_key_size",
                Value::int(i64::from(m.serialized_key_size)),
            ),
            (
                "serialized_value_size",
                Value::int(i64::from(m.serialized_value_size)),
            ),
            (
                "serialized_header_size",
                Value::int(i64::from(m.serialized_header_size)),
            ),
        ],
    )
}

impl ProcHost<'_> {
    fn now(&self) -> u64 {
        self.cluster.now()
    }

    fn info(&mut self, text: String) {
        self.output.push(OutputLine {
            time_ms: self.cluster.now(),
            process: self.process,
            kind: OutputKind::Info,
            text,
            line: None,
        });
    }

    fn check_configs(
        &self,
        class: &str,
        kwargs: &[(String, Value)],
        known: &[&[&str]],
    ) -> Result<(), Exception> {
        let is_known = |k: &str| known.iter().any(|list| list.contains(&k));
        let unknown: Vec<String> = kwargs
            .iter()
            .filter(|(k, _)| !is_known(k))
            .map(|(k, _)| k.clone())
            .collect();
        if unknown.is_empty() {
            return Ok(());
        }
        let hints: Vec<String> = unknown
            .iter()
            .filter_map(|u| suggest(u, known).map(|s| format!("did you mean {s} instead of {u}?")))
            .collect();
        // kafka-python 3.0: the producer shows the leftover configs dict, the consumer a set.
        let shown = if class == "KafkaProducer" {
            let items: Vec<String> = kwargs
                .iter()
                .filter(|(k, _)| !is_known(k))
                .map(|(k, v)| format!("'{k}': {}", pysnip::format::repr(v)))
                .collect();
            format!("{{{}}}", items.join(", "))
        } else {
            set_repr(&unknown)
        };
        let mut msg = format!("Unrecognized configs: {shown}");
        if !hints.is_empty() {
            msg.push_str(&format!(" ({})", hints.join("; ")));
        }
        // kafka-python 3.0: the producer raises ValueError, the consumer KafkaConfigurationError.
        let cls = if class == "KafkaProducer" {
            "ValueError"
        } else {
            "KafkaConfigurationError"
        };
        Err(self.errors.exc(cls, msg))
    }

    fn new_producer(&mut self, args: Vec<Value>, kwargs: Vec<(String, Value)>) -> HostResult {
        if !args.is_empty() {
            return HostResult::Raise(Exception::type_error(format!(
                "KafkaProducer.__init__() takes 1 positional argument but {} were given",
                args.len() + 1
            )));
        }
        if let Err(e) = self.check_configs("KafkaProducer", &kwargs, PRODUCER_CONFIGS) {
            return HostResult::Raise(e);
        }
        let mut kwargs = kwargs;
        let key_serializer = kw_take(&mut kwargs, "key_serializer").filter(|v| !v.is_none());
        let value_serializer = kw_take(&mut kwargs, "value_serializer").filter(|v| !v.is_none());
        let n = self.producers.len() + 1;
        let client_id = match kw_take(&mut kwargs, "client_id") {
            Some(v) if v.as_str().is_some() => v.as_str().unwrap_or_default().to_string(),
            _ => format!(
                "{}#{}-producer-{n}",
                self.settings.program,
                self.settings.instance + 1
            ),
        };
        self.producers.push(client_id.clone());
        let id = self.objects.add(Obj::Producer(ProducerObj {
            client_id,
            key_serializer,
            value_serializer,
            closed: false,
        }));
        HostResult::Return(Value::host("KafkaProducer", id))
    }

    fn new_consumer(&mut self, args: Vec<Value>, kwargs: Vec<(String, Value)>) -> HostResult {
        if let Err(e) = self.check_configs("KafkaConsumer", &kwargs, CONSUMER_CONFIGS) {
            return HostResult::Raise(e);
        }
        let mut topics = Vec::new();
        for a in &args {
            match a.as_str() {
                Some(t) => topics.push(t.to_string()),
                None => {
                    return HostResult::Raise(Exception::type_error(format!(
                        "topics must be str, not {}",
                        a.type_name()
                    )))
                }
            }
        }
        let mut kwargs = kwargs;
        let mut cfg = ConsumerConfig::default();
        let mut warn_reset = false;
        let r: Result<(), Exception> = (|| {
            if let Some(v) = kw_take(&mut kwargs, "group_id") {
                cfg.group_id = match v {
                    Value::None => None,
                    v => Some(
                        v.as_str()
                            .ok_or_else(|| Exception::type_error("group_id must be a str"))?
                            .to_string(),
                    ),
                };
            }
            if let Some(v) = kw_take(&mut kwargs, "client_id") {
                if let Some(s) = v.as_str() {
                    cfg.client_id = s.to_string();
                }
            } else {
                cfg.client_id = format!("{}#{}", self.settings.program, self.settings.instance + 1);
            }
            for (name, slot) in [
                ("session_timeout_ms", &mut cfg.session_timeout_ms),
                ("heartbeat_interval_ms", &mut cfg.heartbeat_interval_ms),
                ("max_poll_interval_ms", &mut cfg.max_poll_interval_ms),
                ("auto_commit_interval_ms", &mut cfg.auto_commit_interval_ms),
            ] {
                if let Some(v) = kw_take(&mut kwargs, name) {
                    *slot = to_u64(&v, name)?;
                }
            }
            if let Some(v) = kw_take(&mut kwargs, "max_poll_records") {
                cfg.max_poll_records = to_u64(&v, "max_poll_records")?.max(1) as usize;
            }
            if let Some(v) = kw_take(&mut kwargs, "enable_auto_commit") {
                cfg.enable_auto_commit = v.truthy();
            }
            if let Some(v) = kw_take(&mut kwargs, "auto_offset_reset") {
                let s = v.as_str().unwrap_or("").to_ascii_lowercase();
                cfg.auto_offset_reset = match s.as_str() {
                    "earliest" | "smallest" => OffsetReset::Earliest,
                    "latest" | "largest" => OffsetReset::Latest,
                    "none" => OffsetReset::None,
                    // kafka-python logs a warning and falls back to no reset policy.
                    _ => {
                        warn_reset = true;
                        OffsetReset::None
                    }
                };
            }
            if let Some(v) = kw_take(&mut kwargs, "partition_assignment_strategy") {
                let items = v.as_seq().unwrap_or_else(|| vec![v.clone()]);
                let mut strategies = Vec::new();
                for item in items {
                    match item {
                        Value::HostFunction(r) if &*r.class == "assignor" => {
                            if let Some((_, _, s)) = ASSIGNORS.get(r.id as usize) {
                                strategies.push(*s);
                            }
                        }
                        other => {
                            return Err(self.errors.exc(
                                "KafkaConfigurationError",
                                format!(
                                    "partition_assignment_strategy must list assignor classes such as RangePartitionAssignor, got {}",
                                    other.type_name()
                                ),
                            ))
                        }
                    }
                }
                if strategies.is_empty() {
                    return Err(self.errors.exc(
                        "KafkaConfigurationError",
                        "partition_assignment_strategy is empty",
                    ));
                }
                cfg.strategies = strategies;
            } else if let Some(s) = &self.settings.default_strategies {
                cfg.strategies = s.clone();
            }
            Ok(())
        })();
        if let Err(e) = r {
            return HostResult::Raise(e);
        }
        if warn_reset {
            self.info(
                "kafka-python warning: Unrecognized offset_reset_strategy, using NONE".to_string(),
            );
        }
        let key_deserializer = kw_take(&mut kwargs, "key_deserializer").filter(|v| !v.is_none());
        let value_deserializer =
            kw_take(&mut kwargs, "value_deserializer").filter(|v| !v.is_none());
        let consumer_timeout_ms = match kw_take(&mut kwargs, "consumer_timeout_ms") {
            Some(v) => match v.as_float() {
                Some(f) if f.is_finite() && f >= 0.0 => Some(f as u64),
                _ => None,
            },
            None => None,
        };
        let id = self.cluster.new_consumer(cfg);
        if !topics.is_empty() {
            if let Err(e) = self.cluster.subscribe(id, &topics) {
                return HostResult::Raise(self.errors.from_engine(&e));
            }
        }
        let oid = self.objects.add(Obj::Consumer(ConsumerObj {
            id,
            key_deserializer,
            value_deserializer,
            buffer: VecDeque::new(),
            consumer_timeout_ms,
            closed: false,
        }));
        HostResult::Return(Value::host("KafkaConsumer", oid))
    }

    fn producer_call(
        &mut self,
        proc: &mut Process,
        id: u64,
        method: &str,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
    ) -> HostResult {
        let (closed, client_id, ks, vs) = match self.objects.get(id) {
            Some(Obj::Producer(p)) => (
                p.closed,
                p.client_id.clone(),
                p.key_serializer.clone(),
                p.value_serializer.clone(),
            ),
            _ => return HostResult::Raise(Exception::builtin("RuntimeError", "no such producer")),
        };
        match method {
            "send" => {
                if closed {
                    return HostResult::Raise(
                        self.errors
                            .exc("IllegalStateError", "KafkaProducer already closed!"),
                    );
                }
                let names = [
                    "topic",
                    "value",
                    "key",
                    "headers",
                    "partition",
                    "timestamp_ms",
                ];
                let mut slots: [Option<Value>; 6] = Default::default();
                if args.len() > names.len() {
                    return HostResult::Raise(Exception::type_error(format!(
                        "send() takes from 2 to 7 positional arguments but {} were given",
                        args.len() + 1
                    )));
                }
                for (i, a) in args.into_iter().enumerate() {
                    slots[i] = Some(a);
                }
                for (k, v) in kwargs {
                    match names.iter().position(|n| *n == k) {
                        Some(i) if slots[i].is_none() => slots[i] = Some(v),
                        Some(_) => {
                            return HostResult::Raise(Exception::type_error(format!(
                                "send() got multiple values for argument '{k}'"
                            )))
                        }
                        None => {
                            return HostResult::Raise(Exception::type_error(format!(
                                "send() got an unexpected keyword argument '{k}'"
                            )))
                        }
                    }
                }
                let [topic, value, key, headers, partition, timestamp] = slots;
                let Some(topic) = topic.as_ref().and_then(|t| t.as_str()).map(str::to_string)
                else {
                    return HostResult::Raise(Exception::type_error(
                        "send() missing required argument: 'topic' (a str)",
                    ));
                };
                let value = value.unwrap_or(Value::None);
                let key = key.unwrap_or(Value::None);
                if value.is_none() && key.is_none() {
                    return HostResult::Raise(Exception::value_error(
                        "Need at least one: key or value",
                    ));
                }
                let mut hdrs = Vec::new();
                match headers {
                    None | Some(Value::None) => {}
                    Some(Value::List(l)) => {
                        for item in l.borrow().iter() {
                            let pair = item.as_seq().filter(|s| {
                                s.len() == 2
                                    && matches!(&s[0], Value::Str(_))
                                    && matches!(&s[1], Value::Bytes(_))
                            });
                            match pair {
                                Some(s) => hdrs.push((
                                    s[0].as_str().unwrap_or_default().to_string(),
                                    s[1].as_bytes().unwrap_or_default().to_vec(),
                                )),
                                None => {
                                    return HostResult::Raise(Exception::type_error(
                                        "All headers items must be (str, bytes) tuples",
                                    ))
                                }
                            }
                        }
                    }
                    Some(_) => {
                        return HostResult::Raise(Exception::type_error(
                            "headers must be list-type",
                        ))
                    }
                }
                let key_bytes = match self.serialize(proc, &ks, key, "key") {
                    Ok(b) => b,
                    Err(e) => return HostResult::Raise(e),
                };
                let value_bytes = match self.serialize(proc, &vs, value, "value") {
                    Ok(b) => b,
                    Err(e) => return HostResult::Raise(e),
                };
                let total: u64 = self
                    .cluster
                    .topics()
                    .flat_map(|t| t.partitions().iter())
                    .map(|p| p.log_end_offset())
                    .sum();
                if total >= MAX_RECORDS {
                    return HostResult::Raise(self.errors.exc(
                        "KafkaTimeoutError",
                        format!("the playground holds at most {MAX_RECORDS} records: this producer sends too many (add a time.sleep?)"),
                    ));
                }
                let mut req = ProduceRequest::new(client_id, topic.clone());
                req.key = key_bytes;
                req.value = value_bytes;
                req.headers = hdrs;
                if let Some(p) = partition.filter(|p| !p.is_none()) {
                    match p.as_int() {
                        Some(p) if p >= 0 => {
                            let count = self.cluster.topic(&topic).map(|t| t.partition_count());
                            match (u32::try_from(p), count) {
                                (Ok(p), Some(n)) if p < n => req.partition = Some(p),
                                (Ok(_), None) => {}
                                _ => {
                                    return HostResult::Raise(Exception::value_error(format!(
                                        "Unrecognized partition {p} for topic {topic}"
                                    )))
                                }
                            }
                            if req.partition.is_none() {
                                req.partition = u32::try_from(p).ok();
                            }
                        }
                        _ => {
                            return HostResult::Raise(Exception::value_error(
                                "partition must be >= 0",
                            ))
                        }
                    }
                }
                if let Some(ts) = timestamp.filter(|t| !t.is_none()) {
                    match ts.as_int() {
                        Some(t) => req.timestamp_ms = Some(t),
                        None => {
                            return HostResult::Raise(Exception::type_error(
                                "timestamp_ms must be an int",
                            ))
                        }
                    }
                } else {
                    req.timestamp_ms = Some(EPOCH_MS + self.now() as i64);
                }
                match self.cluster.produce(req) {
                    Ok(meta) => {
                        let fid = self.objects.add(Obj::Future(meta));
                        HostResult::Return(Value::host("FutureRecordMetadata", fid))
                    }
                    Err(KafkaError::UnknownTopicOrPartition(_))
                        if self.cluster.topic(&topic).is_none() =>
                    {
                        HostResult::Raise(self.errors.exc(
                            "KafkaTimeoutError",
                            "Failed to update metadata after 60.0 secs.",
                        ))
                    }
                    Err(e) => HostResult::Raise(self.errors.from_engine(&e)),
                }
            }
            "flush" => HostResult::Return(Value::None),
            "close" => {
                if let Some(Obj::Producer(p)) = self.objects.get_mut(id) {
                    p.closed = true;
                }
                HostResult::Return(Value::None)
            }
            "partitions_for" => {
                let topic = args
                    .first()
                    .and_then(|t| t.as_str())
                    .unwrap_or("")
                    .to_string();
                self.partition_set(&topic)
            }
            "bootstrap_connected" => HostResult::Return(Value::Bool(true)),
            "metrics" => HostResult::Return(Value::dict(Vec::new())),
            _ => HostResult::Raise(missing_method("KafkaProducer", "producer", method)),
        }
    }

    fn partition_set(&mut self, topic: &str) -> HostResult {
        match self.cluster.topic(topic) {
            Some(t) => {
                let items = (0..t.partition_count())
                    .map(|p| Value::int(i64::from(p)))
                    .collect();
                HostResult::Return(set_of(items))
            }
            None => HostResult::Return(Value::None),
        }
    }

    fn serialize(
        &mut self,
        proc: &mut Process,
        serializer: &Option<Value>,
        data: Value,
        what: &str,
    ) -> Result<Option<Vec<u8>>, Exception> {
        let out = match serializer {
            Some(f) => proc.call_value(self, f, vec![data])?,
            None => data,
        };
        match out {
            Value::None => Ok(None),
            Value::Bytes(b) => Ok(Some(b.to_vec())),
            other => Err(Exception::type_error(format!(
                "Unsupported type for serialized {what}: <class '{}'>",
                other.type_name()
            ))),
        }
    }

    /// A ConsumerRecord value for `r`, deserialized by the consumer's callables.
    pub fn consumer_record(
        &mut self,
        proc: &mut Process,
        consumer: u64,
        r: &ConsumerRecordView,
    ) -> Result<Value, Exception> {
        let (kd, vd) = match self.objects.get(consumer) {
            Some(Obj::Consumer(c)) => (c.key_deserializer.clone(), c.value_deserializer.clone()),
            _ => (None, None),
        };
        let mut de = |f: &Option<Value>, b: &Option<Vec<u8>>| -> Result<Value, Exception> {
            match (f, b) {
                (_, None) => Ok(Value::None),
                (None, Some(b)) => Ok(Value::bytes(b)),
                (Some(f), Some(b)) => proc.call_value(self, f, vec![Value::bytes(b)]),
            }
        };
        let key = de(&kd, &r.key)?;
        let value = de(&vd, &r.value)?;
        let headers = r
            .headers
            .iter()
            .map(|(k, v)| Value::tuple(vec![Value::str(k), Value::bytes(v)]))
            .collect();
        Ok(Value::record(
            "ConsumerRecord",
            vec![
                ("topic", Value::str(&r.topic)),
                ("partition", Value::int(i64::from(r.partition))),
                ("leader_epoch", Value::int(0)),
                ("offset", Value::int(r.offset as i64)),
                ("timestamp", Value::int(r.timestamp)),
                ("timestamp_type", Value::int(0)),
                ("key", key),
                ("value", value),
                ("headers", Value::list(headers)),
                ("checksum", Value::None),
                (
                    "serialized_key_size",
                    Value::int(i64::from(r.serialized_key_size)),
                ),
                (
                    "serialized_value_size",
                    Value::int(i64::from(r.serialized_value_size)),
                ),
                (
                    "serialized_header_size",
                    Value::int(i64::from(r.serialized_header_size)),
                ),
            ],
        ))
    }

    /// The next buffered record of a consumer, polling the cluster when the buffer is empty.
    ///
    /// As kafka-python's iterator: it polls with `update_offsets=False`, then moves the position
    /// to `offset + 1` as it hands out each record, skipping the rest of a partition's batch once
    /// the partition is no longer assigned (a rebalance took it away).
    pub fn next_record(&mut self, consumer: u64) -> Result<Option<ConsumerRecordView>, Exception> {
        let mut polled = false;
        loop {
            let (cid, next) = match self.objects.get_mut(consumer) {
                Some(Obj::Consumer(c)) => {
                    if c.closed {
                        return Err(Exception::builtin("StopIteration", "KafkaConsumer closed"));
                    }
                    (c.id, c.buffer.pop_front())
                }
                _ => return Err(Exception::builtin("RuntimeError", "no such consumer")),
            };
            match next {
                Some(r) => {
                    let tp = r.topic_partition();
                    let still_assigned = self
                        .cluster
                        .mark_consumed(cid, &tp, r.offset)
                        .map_err(|e| self.errors.from_engine(&e))?;
                    if still_assigned {
                        return Ok(Some(r));
                    }
                    if let Some(Obj::Consumer(c)) = self.objects.get_mut(consumer) {
                        c.buffer.retain(|x| x.topic_partition() != tp);
                    }
                }
                None if polled => return Ok(None),
                None => {
                    polled = true;
                    let records = self
                        .cluster
                        .poll_opts(cid, None, false)
                        .map_err(|e| self.errors.from_engine(&e))?;
                    if let Some(Obj::Consumer(c)) = self.objects.get_mut(consumer) {
                        c.buffer.extend(records);
                    }
                }
            }
        }
    }

    /// Drops records fetched for the iterator but not handed out (kafka-python resets its
    /// iterator on seek, assign, subscribe and unsubscribe).
    fn reset_iterator(&mut self, consumer: u64) {
        if let Some(Obj::Consumer(c)) = self.objects.get_mut(consumer) {
            c.buffer.clear();
        }
    }

    /// `consumer_timeout_ms` of a consumer.
    pub fn consumer_timeout(&self, consumer: u64) -> Option<u64> {
        match self.objects.get(consumer) {
            Some(Obj::Consumer(c)) => c.consumer_timeout_ms,
            _ => None,
        }
    }

    /// Polls once for `poll()`: the records grouped by partition as kafka-python's dict.
    pub fn poll_once(
        &mut self,
        proc: &mut Process,
        consumer: u64,
        max_records: Option<usize>,
    ) -> Result<Option<Value>, Exception> {
        let cid = match self.objects.get_mut(consumer) {
            Some(Obj::Consumer(c)) if !c.closed => c.id,
            Some(Obj::Consumer(_)) => {
                return Err(self
                    .errors
                    .exc("IllegalStateError", "KafkaConsumer is closed"))
            }
            _ => return Err(Exception::builtin("RuntimeError", "no such consumer")),
        };
        let mut records: Vec<ConsumerRecordView> = Vec::new();
        if let Some(Obj::Consumer(c)) = self.objects.get_mut(consumer) {
            let take = max_records.unwrap_or(usize::MAX).min(c.buffer.len());
            records.extend(c.buffer.drain(..take));
        }
        // Records fetched by the iterator but not handed out yet: poll() hands them out now.
        let mut kept = Vec::with_capacity(records.len());
        for r in records {
            let tp = r.topic_partition();
            if self
                .cluster
                .mark_consumed(cid, &tp, r.offset)
                .map_err(|e| self.errors.from_engine(&e))?
            {
                kept.push(r);
            }
        }
        let mut records = kept;
        if records.is_empty() {
            records = self
                .cluster
                .poll(cid, max_records)
                .map_err(|e| self.errors.from_engine(&e))?;
        }
        if records.is_empty() {
            return Ok(None);
        }
        let mut groups: Vec<(TopicPartition, Vec<Value>)> = Vec::new();
        for r in &records {
            let v = self.consumer_record(proc, consumer, r)?;
            let tp = r.topic_partition();
            match groups.iter_mut().find(|(t, _)| *t == tp) {
                Some((_, list)) => list.push(v),
                None => groups.push((tp, vec![v])),
            }
        }
        Ok(Some(Value::dict(
            groups
                .into_iter()
                .map(|(tp, list)| (topic_partition_value(&tp), Value::list(list)))
                .collect(),
        )))
    }

    fn consumer_call(
        &mut self,
        proc: &mut Process,
        id: u64,
        method: &str,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
    ) -> HostResult {
        let (cid, closed) = match self.objects.get(id) {
            Some(Obj::Consumer(c)) => (c.id, c.closed),
            _ => return HostResult::Raise(Exception::builtin("RuntimeError", "no such consumer")),
        };
        if closed && !matches!(method, "close" | "metrics" | "config") {
            return HostResult::Raise(
                self.errors
                    .exc("IllegalStateError", "KafkaConsumer is closed"),
            );
        }
        if matches!(
            method,
            "seek" | "seek_to_beginning" | "seek_to_end" | "assign" | "subscribe" | "unsubscribe"
        ) {
            self.reset_iterator(id);
        }
        let mut kwargs = kwargs;
        let mut arg = |i: usize, name: &str, args: &[Value]| -> Option<Value> {
            args.get(i).cloned().or_else(|| kw_take(&mut kwargs, name))
        };
        let engine = |r: Result<(), KafkaError>, errors: &KafkaErrors| match r {
            Ok(()) => HostResult::Return(Value::None),
            Err(e) => HostResult::Raise(errors.from_engine(&e)),
        };
        match method {
            "poll" => {
                let timeout = match arg(0, "timeout_ms", &args) {
                    None | Some(Value::None) => 0.0,
                    Some(v) => match v.as_float() {
                        Some(f) if f < 0.0 => {
                            return HostResult::Raise(Exception::value_error(
                                "Timeout must not be negative",
                            ))
                        }
                        Some(f) if f.is_finite() => f,
                        Some(_) => 1e15,
                        None => {
                            return HostResult::Raise(Exception::type_error(format!(
                                "'<' not supported between instances of '{}' and 'int'",
                                v.type_name()
                            )))
                        }
                    },
                } as u64;
                let max_records = match arg(1, "max_records", &args) {
                    None | Some(Value::None) => None,
                    Some(v @ Value::Int(_)) => match v.as_int() {
                        Some(n) if n > 0 => usize::try_from(n).ok(),
                        _ => {
                            return HostResult::Raise(Exception::value_error(
                                "max_records must be positive",
                            ))
                        }
                    },
                    Some(_) => {
                        return HostResult::Raise(Exception::type_error(
                            "max_records must be an integer",
                        ))
                    }
                };
                match self.poll_once(proc, id, max_records) {
                    Ok(Some(d)) => HostResult::Return(d),
                    Ok(None) if timeout == 0 => HostResult::Return(Value::dict(Vec::new())),
                    Ok(None) => {
                        self.wait = Some(Wait::Poll {
                            consumer: id,
                            until: self.now() + timeout,
                            max_records,
                        });
                        HostResult::Block(id)
                    }
                    Err(e) => HostResult::Raise(e),
                }
            }
            "commit" | "commit_async" => {
                let offsets =
                    match arg(0, "offsets", &args) {
                        None | Some(Value::None) => None,
                        Some(v) => {
                            let Some(items) = v.as_dict() else {
                                return HostResult::Raise(Exception::type_error(
                                "offsets should be a dict of {TopicPartition: OffsetAndMetadata}",
                            ));
                            };
                            let mut list = Vec::new();
                            for (k, v) in items {
                                let tp = match topic_partition_of(&k) {
                                    Ok(tp) => tp,
                                    Err(e) => return HostResult::Raise(e),
                                };
                                let off = v.field("offset").unwrap_or(v.clone());
                                match off.as_int().and_then(|o| u64::try_from(o).ok()) {
                                    Some(o) => list.push((tp, o)),
                                    None => return HostResult::Raise(Exception::type_error(
                                        "offset must be an OffsetAndMetadata or a non-negative int",
                                    )),
                                }
                            }
                            Some(list)
                        }
                    };
                if self
                    .cluster
                    .consumer(cid)
                    .and_then(|c| c.group_id())
                    .is_none()
                {
                    return HostResult::Raise(
                        self.errors.exc("IllegalStateError", "Requires group_id"),
                    );
                }
                if method == "commit_async" {
                    // kafka-python: errors go to the callback, or are discarded.
                    let callback = arg(1, "callback", &args).filter(|v| !v.is_none());
                    let committed: Vec<(TopicPartition, u64)> = match &offsets {
                        Some(list) => list.clone(),
                        None => {
                            let tps = self.cluster.assignment(cid);
                            tps.into_iter()
                                .filter_map(|tp| {
                                    let p = self.cluster.position(cid, &tp).ok()?;
                                    Some((tp, p))
                                })
                                .collect()
                        }
                    };
                    let r = self.cluster.commit(cid, offsets.as_deref());
                    if let Some(cb) = callback {
                        let offsets_value = Value::dict(
                            committed
                                .iter()
                                .map(|(tp, o)| {
                                    (
                                        topic_partition_value(tp),
                                        Value::record(
                                            "OffsetAndMetadata",
                                            vec![
                                                ("offset", Value::int(*o as i64)),
                                                ("metadata", Value::str("")),
                                                ("leader_epoch", Value::int(-1)),
                                            ],
                                        ),
                                    )
                                })
                                .collect(),
                        );
                        let response = match &r {
                            Ok(()) => Value::None,
                            Err(e) => Value::Exception(self.errors.from_engine(e)),
                        };
                        if let Err(e) = proc.call_value(self, &cb, vec![offsets_value, response]) {
                            return HostResult::Raise(e);
                        }
                    }
                    // kafka-python returns the commit's Future: resolved to None, or failed.
                    let outcome = r
                        .map(|()| Value::None)
                        .map_err(|e| self.errors.from_engine(&e));
                    let fid = self.objects.add(Obj::Done(outcome));
                    return HostResult::Return(Value::host("Future", fid));
                }
                let r = self.cluster.commit(cid, offsets.as_deref());
                engine(r, self.errors)
            }
            "subscribe" => {
                let topics = match arg(0, "topics", &args) {
                    Some(Value::Str(s)) => vec![s.to_string()],
                    Some(v) => v
                        .as_seq()
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|t| t.as_str().map(str::to_string))
                        .collect(),
                    None => Vec::new(),
                };
                if topics.is_empty()
                    && kwargs
                        .iter()
                        .any(|(k, v)| &**k == "pattern" && !v.is_none())
                {
                    return HostResult::Raise(Exception::builtin(
                        "NotImplementedError",
                        "the playground does not model pattern subscriptions yet: subscribe to topic names",
                    ));
                }
                if topics.is_empty() {
                    return HostResult::Raise(self.errors.exc(
                        "IllegalStateError",
                        "You must choose topic(s) or a pattern to subscribe to",
                    ));
                }
                let r = self.cluster.subscribe(cid, &topics);
                engine(r, self.errors)
            }
            "unsubscribe" => {
                let r = self.cluster.unsubscribe(cid);
                engine(r, self.errors)
            }
            "assign" => {
                let tps: Result<Vec<TopicPartition>, Exception> = arg(0, "partitions", &args)
                    .and_then(|v| v.as_seq())
                    .unwrap_or_default()
                    .iter()
                    .map(topic_partition_of)
                    .collect();
                match tps {
                    Ok(tps) => {
                        let r = self.cluster.assign(cid, &tps);
                        engine(r, self.errors)
                    }
                    Err(e) => HostResult::Raise(e),
                }
            }
            "assignment" => {
                let items = self
                    .cluster
                    .assignment(cid)
                    .iter()
                    .map(topic_partition_value)
                    .collect();
                HostResult::Return(set_of(items))
            }
            "subscription" => {
                let subs = self
                    .cluster
                    .consumer(cid)
                    .and_then(|c| c.subscription().map(|s| s.to_vec()));
                match subs {
                    Some(s) => {
                        HostResult::Return(set_of(s.iter().map(|t| Value::str(t)).collect()))
                    }
                    None => HostResult::Return(Value::None),
                }
            }
            "seek" => {
                let tp = match arg(0, "partition", &args).map(|v| topic_partition_arg(&v)) {
                    Some(Ok(tp)) => tp,
                    Some(Err(e)) => return HostResult::Raise(e),
                    None => return HostResult::Raise(Exception::type_error(
                        "seek() missing 2 required positional arguments: 'partition' and 'offset'",
                    )),
                };
                let off = match arg(1, "offset", &args) {
                    Some(v @ Value::Int(_)) => v.as_int().and_then(|o| u64::try_from(o).ok()),
                    _ => None,
                };
                let Some(off) = off else {
                    return HostResult::Raise(Exception::value_error("Offset must be int >= 0"));
                };
                if !self.cluster.assignment(cid).contains(&tp) {
                    return HostResult::Raise(Exception::value_error("Unassigned partition"));
                }
                let r = self.cluster.seek(cid, &tp, off);
                engine(r, self.errors)
            }
            "seek_to_beginning" | "seek_to_end" => {
                let tps: Result<Vec<TopicPartition>, Exception> = args
                    .iter()
                    .map(|v| {
                        topic_partition_arg(v).map_err(|_| {
                            Exception::type_error("partitions must be TopicPartition namedtuples")
                        })
                    })
                    .collect();
                let assigned = self.cluster.assignment(cid);
                let tps = match tps {
                    Ok(t) if t.is_empty() => {
                        if assigned.is_empty() {
                            return HostResult::Raise(Exception::value_error(
                                "No partitions are currently assigned",
                            ));
                        }
                        assigned
                    }
                    Ok(t) => {
                        if let Some(p) = t.iter().find(|p| !assigned.contains(p)) {
                            return HostResult::Raise(Exception::value_error(format!(
                                "Unassigned partition: {}",
                                tp_repr(p)
                            )));
                        }
                        t
                    }
                    Err(e) => return HostResult::Raise(e),
                };
                let r = if method == "seek_to_beginning" {
                    self.cluster.seek_to_beginning(cid, &tps)
                } else {
                    self.cluster.seek_to_end(cid, &tps)
                };
                engine(r, self.errors)
            }
            "position" | "highwater" => match arg(0, "partition", &args)
                .map(|v| topic_partition_arg(&v))
            {
                Some(Ok(tp)) if !self.cluster.assignment(cid).contains(&tp) => HostResult::Raise(
                    self.errors
                        .exc("IllegalStateError", "Partition is not assigned"),
                ),
                Some(Ok(tp)) if method == "highwater" => HostResult::Return(
                    self.cluster
                        .partition(&tp.topic, tp.partition)
                        .map(|p| Value::int(p.log_end_offset() as i64))
                        .unwrap_or(Value::None),
                ),
                Some(Ok(tp)) => match self.cluster.position(cid, &tp) {
                    Ok(p) => HostResult::Return(Value::int(p as i64)),
                    Err(e) => HostResult::Raise(self.errors.from_engine(&e)),
                },
                Some(Err(e)) => HostResult::Raise(e),
                None => HostResult::Raise(Exception::type_error(
                    "position() missing 1 required positional argument: 'partition'",
                )),
            },
            "committed" => match arg(0, "partition", &args).map(|v| topic_partition_arg(&v)) {
                Some(Ok(tp)) => {
                    let group = self
                        .cluster
                        .consumer(cid)
                        .and_then(|c| c.group_id().map(str::to_string));
                    if group.is_none() {
                        return HostResult::Raise(
                            self.errors.exc("IllegalStateError", "Requires group_id"),
                        );
                    }
                    let v = group
                        .and_then(|g| self.cluster.committed(&g, &tp))
                        .map(|o| Value::int(o as i64))
                        .unwrap_or(Value::None);
                    HostResult::Return(v)
                }
                Some(Err(e)) => HostResult::Raise(e),
                None => HostResult::Raise(Exception::type_error(
                    "committed() missing 1 required positional argument: 'partition'",
                )),
            },
            "end_offsets" | "beginning_offsets" => {
                let tps: Result<Vec<TopicPartition>, Exception> = arg(0, "partitions", &args)
                    .and_then(|v| v.as_seq())
                    .unwrap_or_default()
                    .iter()
                    .map(topic_partition_of)
                    .collect();
                match tps {
                    Ok(tps) => {
                        let mut items = Vec::new();
                        for tp in tps {
                            let Some(p) = self.cluster.partition(&tp.topic, tp.partition) else {
                                return HostResult::Raise(
                                    self.errors
                                        .exc("UnknownTopicOrPartitionError", format!("{tp}")),
                                );
                            };
                            let o = if method == "end_offsets" {
                                p.log_end_offset()
                            } else {
                                p.log_start_offset()
                            };
                            items.push((topic_partition_value(&tp), Value::int(o as i64)));
                        }
                        HostResult::Return(Value::dict(items))
                    }
                    Err(e) => HostResult::Raise(e),
                }
            }
            "topics" => {
                let names = self
                    .cluster
                    .topics()
                    .map(|t| Value::str(t.name()))
                    .collect();
                HostResult::Return(set_of(names))
            }
            "partitions_for_topic" => {
                let topic = arg(0, "topic", &args)
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                // kafka-python: `partitions or set()`.
                match self.partition_set(&topic) {
                    HostResult::Return(Value::None) => HostResult::Return(set_of(Vec::new())),
                    other => other,
                }
            }
            "close" => {
                let autocommit = arg(0, "autocommit", &args).is_none_or(|v| v.truthy());
                if !closed {
                    if let Some(Obj::Consumer(c)) = self.objects.get_mut(id) {
                        c.closed = true;
                    }
                    let _ = self.cluster.close(cid, autocommit);
                }
                HostResult::Return(Value::None)
            }
            "bootstrap_connected" => HostResult::Return(Value::Bool(true)),
            "metrics" => HostResult::Return(Value::dict(Vec::new())),
            "paused" => HostResult::Return(set_of(
                self.cluster
                    .paused(cid)
                    .iter()
                    .map(topic_partition_value)
                    .collect(),
            )),
            "pause" | "resume" => {
                // kafka-python: TopicPartition namedtuples only, each one assigned (a KeyError
                // from its assignment dict otherwise); no rebalance either way.
                let mut tps = Vec::with_capacity(args.len());
                for a in &args {
                    if a.type_name() != "TopicPartition" {
                        return HostResult::Raise(Exception::type_error(
                            "partitions must be TopicPartition namedtuples",
                        ));
                    }
                    match topic_partition_of(a) {
                        Ok(tp) => tps.push((tp, a)),
                        Err(e) => return HostResult::Raise(e),
                    }
                }
                for (tp, a) in tps {
                    let r = if method == "pause" {
                        self.cluster.pause(cid, &tp)
                    } else {
                        self.cluster.resume(cid, &tp)
                    };
                    if r.is_err() {
                        return HostResult::Raise(Exception::with_args(
                            &pysnip::error::builtin_class("KeyError"),
                            vec![a.clone()],
                        ));
                    }
                }
                HostResult::Return(Value::None)
            }
            _ => HostResult::Raise(missing_method("KafkaConsumer", "consumer", method)),
        }
    }

    fn admin_call(
        &mut self,
        method: &str,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
    ) -> HostResult {
        let mut kwargs = kwargs;
        match method {
            "create_topics" => {
                let list = args
                    .first()
                    .cloned()
                    .or_else(|| kw_take(&mut kwargs, "new_topics"))
                    .and_then(|v| v.as_seq())
                    .unwrap_or_default();
                for t in list {
                    let name = t.field("name").and_then(|n| n.as_str().map(str::to_string));
                    let parts = t.field("num_partitions").and_then(|n| n.as_int());
                    let Some(name) = name else {
                        return HostResult::Raise(Exception::type_error(
                            "create_topics() takes a list of NewTopic",
                        ));
                    };
                    let parts = match parts {
                        Some(p) if p > 0 => p as u32,
                        _ => self.cluster.config().default_partitions,
                    };
                    let mut config = TopicConfig::default();
                    if let Some(Value::Dict(_)) = t.field("topic_configs") {
                        let items = t
                            .field("topic_configs")
                            .and_then(|d| d.as_dict())
                            .unwrap_or_default();
                        for (k, v) in items {
                            let val = v
                                .as_str()
                                .map(str::to_string)
                                .or_else(|| v.as_int().map(|i| i.to_string()))
                                .unwrap_or_default();
                            let num = val.parse::<i64>().ok();
                            match k.as_str().unwrap_or("") {
                                "retention.ms" => {
                                    config.retention_ms = num.and_then(|n| u64::try_from(n).ok())
                                }
                                "retention.bytes" => {
                                    config.retention_bytes = num.and_then(|n| u64::try_from(n).ok())
                                }
                                "segment.bytes" => {
                                    if let Some(n) = num.and_then(|n| u64::try_from(n).ok()) {
                                        config.segment_bytes = n
                                    }
                                }
                                "delete.retention.ms" => {
                                    if let Some(n) = num.and_then(|n| u64::try_from(n).ok()) {
                                        config.delete_retention_ms = n
                                    }
                                }
                                "cleanup.policy" => {
                                    config.cleanup_policy = if val.contains("compact") {
                                        kafka_engine::log::CleanupPolicy::Compact
                                    } else {
                                        kafka_engine::log::CleanupPolicy::Delete
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                    if let Err(e) = self.cluster.create_topic(&name, parts, config) {
                        return HostResult::Raise(self.errors.from_engine(&e));
                    }
                    self.info(format!("created topic {name} with {parts} partitions"));
                }
                HostResult::Return(Value::None)
            }
            "create_partitions" => {
                let items = args
                    .first()
                    .cloned()
                    .or_else(|| kw_take(&mut kwargs, "topic_partitions"))
                    .and_then(|v| v.as_dict())
                    .unwrap_or_default();
                for (k, v) in items {
                    let name = k.as_str().unwrap_or_default().to_string();
                    let total = v
                        .field("total_count")
                        .and_then(|n| n.as_int())
                        .unwrap_or(0)
                        .max(0) as u32;
                    if let Err(e) = self.cluster.add_partitions(&name, total) {
                        return HostResult::Raise(self.errors.from_engine(&e));
                    }
                }
                HostResult::Return(Value::None)
            }
            "list_topics" => {
                let names = self
                    .cluster
                    .topics()
                    .map(|t| Value::str(t.name()))
                    .collect();
                HostResult::Return(Value::list(names))
            }
            "close" => HostResult::Return(Value::None),
            _ => HostResult::Raise(missing_method("KafkaAdminClient", "admin", method)),
        }
    }
}

/// A Python set of `items` (insertion order kept, as the interpreter's sets do).
/// kafka-python 3.0 methods the playground does not model, by client: calling one says so
/// (NotImplementedError) instead of pretending the method does not exist.
const UNMODELLED: &[(&str, &[&str])] = &[
    (
        "producer",
        &[
            "init_transactions",
            "begin_transaction",
            "commit_transaction",
            "abort_transaction",
            "send_offsets_to_transaction",
        ],
    ),
    ("consumer", &["offsets_for_times"]),
    (
        "admin",
        &[
            "delete_topics",
            "delete_records",
            "delete_consumer_groups",
            "describe_configs",
            "alter_configs",
            "describe_acls",
            "create_acls",
            "delete_acls",
            "describe_log_dirs",
            "perform_leader_election",
        ],
    ),
];

/// The error for `client.method(...)` when the client has no such method.
fn missing_method(class: &str, kind: &str, method: &str) -> Exception {
    let unmodelled = UNMODELLED
        .iter()
        .any(|(k, ms)| *k == kind && ms.contains(&method));
    if unmodelled {
        Exception::builtin(
            "NotImplementedError",
            format!("the playground does not model {kind}.{method}() yet"),
        )
    } else {
        Exception::builtin(
            "AttributeError",
            format!("'{class}' object has no attribute '{method}'"),
        )
    }
}

fn set_of(items: Vec<Value>) -> Value {
    let mut d = pysnip::value::Dict::new();
    for k in items {
        let _ = d.insert(k, Value::None);
    }
    Value::Set(Rc::new(std::cell::RefCell::new(d)))
}

/// Positional/keyword arguments bound to names, for record-like constructors.
fn bind(
    class: &str,
    names: &[&str],
    defaults: &[Option<Value>],
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> Result<Vec<Value>, Exception> {
    let mut out: Vec<Option<Value>> = vec![None; names.len()];
    if args.len() > names.len() {
        return Err(Exception::type_error(format!(
            "{class}() takes at most {} arguments ({} given)",
            names.len(),
            args.len()
        )));
    }
    for (i, a) in args.into_iter().enumerate() {
        out[i] = Some(a);
    }
    for (k, v) in kwargs {
        match names.iter().position(|n| *n == k) {
            Some(i) => out[i] = Some(v),
            None => {
                return Err(Exception::type_error(format!(
                    "{class}() got an unexpected keyword argument '{k}'"
                )))
            }
        }
    }
    out.into_iter()
        .enumerate()
        .map(|(i, v)| {
            v.or_else(|| defaults.get(i).cloned().flatten())
                .ok_or_else(|| {
                    Exception::type_error(format!(
                        "{class}() missing required argument: '{}'",
                        names[i]
                    ))
                })
        })
        .collect()
}

fn host_class(name: &str) -> Value {
    Value::host_function(HostRef {
        class: Rc::from("class"),
        id: CLASSES.iter().position(|c| *c == name).unwrap_or(0) as u64,
    })
}

/// Host classes callable from Python, by id.
const CLASSES: &[&str] = &[
    "KafkaProducer",
    "KafkaConsumer",
    "KafkaAdminClient",
    "NewTopic",
    "NewPartitions",
    "TopicPartition",
    "OffsetAndMetadata",
    "process",
];

impl pysnip::Host for ProcHost<'_> {
    fn import(&mut self, module: &str) -> Option<Result<Vec<(String, Value)>, Exception>> {
        let cls = |names: &[&str]| -> Vec<(String, Value)> {
            names
                .iter()
                .map(|n| (n.to_string(), host_class(n)))
                .collect()
        };
        let attrs = match module {
            "kafka" => {
                let mut a = cls(&[
                    "KafkaProducer",
                    "KafkaConsumer",
                    "KafkaAdminClient",
                    "TopicPartition",
                    "OffsetAndMetadata",
                ]);
                a.push(("__version__".into(), Value::str("3.0.12")));
                a
            }
            "kafka.producer" => cls(&["KafkaProducer"]),
            "kafka.consumer" => cls(&["KafkaConsumer"]),
            "kafka.admin" => cls(&["KafkaAdminClient", "NewTopic", "NewPartitions"]),
            "kafka.structs" => cls(&["TopicPartition", "OffsetAndMetadata"]),
            "kafka.errors" => self.errors.module(),
            "kafka.coordinator"
            | "kafka.coordinator.assignors"
            | "kafka.coordinator.assignors.sticky" => Vec::new(),
            "playground" => cls(&["process"]),
            m => {
                let found: Vec<(String, Value)> = ASSIGNORS
                    .iter()
                    .enumerate()
                    .filter(|(_, (module, _, _))| *module == m)
                    .map(|(i, (_, name, _))| {
                        (
                            name.to_string(),
                            Value::host_function(HostRef {
                                class: Rc::from("assignor"),
                                id: i as u64,
                            }),
                        )
                    })
                    .collect();
                if found.is_empty() {
                    return None;
                }
                found
            }
        };
        Some(Ok(attrs))
    }

    fn call(
        &mut self,
        proc: &mut Process,
        target: &HostRef,
        method: Option<&str>,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
    ) -> HostResult {
        match (&*target.class, method) {
            ("class", None) => {
                let name = CLASSES.get(target.id as usize).copied().unwrap_or("");
                match name {
                    "KafkaProducer" => self.new_producer(args, kwargs),
                    "KafkaConsumer" => self.new_consumer(args, kwargs),
                    "KafkaAdminClient" => {
                        if let Err(e) =
                            self.check_configs("KafkaAdminClient", &kwargs, ADMIN_CONFIGS)
                        {
                            return HostResult::Raise(e);
                        }
                        let id = self.objects.add(Obj::Admin { closed: false });
                        HostResult::Return(Value::host("KafkaAdminClient", id))
                    }
                    "NewTopic" => match bind(
                        "NewTopic",
                        &[
                            "name",
                            "num_partitions",
                            "replication_factor",
                            "replica_assignments",
                            "topic_configs",
                        ],
                        &[
                            None,
                            Some(Value::int(-1)),
                            Some(Value::int(-1)),
                            Some(Value::None),
                            Some(Value::None),
                        ],
                        args,
                        kwargs,
                    ) {
                        Ok(v) => HostResult::Return(Value::record(
                            "NewTopic",
                            vec![
                                ("name", v[0].clone()),
                                ("num_partitions", v[1].clone()),
                                ("replication_factor", v[2].clone()),
                                ("replica_assignments", v[3].clone()),
                                ("topic_configs", v[4].clone()),
                            ],
                        )),
                        Err(e) => HostResult::Raise(e),
                    },
                    "NewPartitions" => match bind(
                        "NewPartitions",
                        &["total_count", "new_assignments"],
                        &[None, Some(Value::None)],
                        args,
                        kwargs,
                    ) {
                        Ok(v) => HostResult::Return(Value::record(
                            "NewPartitions",
                            vec![
                                ("total_count", v[0].clone()),
                                ("new_assignments", v[1].clone()),
                            ],
                        )),
                        Err(e) => HostResult::Raise(e),
                    },
                    "TopicPartition" => match bind(
                        "TopicPartition",
                        &["topic", "partition"],
                        &[None, None],
                        args,
                        kwargs,
                    ) {
                        Ok(v) => HostResult::Return(Value::record(
                            "TopicPartition",
                            vec![("topic", v[0].clone()), ("partition", v[1].clone())],
                        )),
                        Err(e) => HostResult::Raise(e),
                    },
                    "OffsetAndMetadata" => match bind(
                        "OffsetAndMetadata",
                        &["offset", "metadata", "leader_epoch"],
                        &[None, Some(Value::str("")), Some(Value::int(-1))],
                        args,
                        kwargs,
                    ) {
                        Ok(v) => HostResult::Return(Value::record(
                            "OffsetAndMetadata",
                            vec![
                                ("offset", v[0].clone()),
                                ("metadata", v[1].clone()),
                                ("leader_epoch", v[2].clone()),
                            ],
                        )),
                        Err(e) => HostResult::Raise(e),
                    },
                    "process" => {
                        let until = self.now() + self.settings.process_ms.max(1);
                        self.wait = Some(Wait::Work {
                            until,
                            outcome: self.work_outcome,
                        });
                        HostResult::Block(0)
                    }
                    _ => HostResult::Raise(Exception::type_error("not callable")),
                }
            }
            ("assignor", None) => HostResult::Raise(Exception::type_error(
                "pass the assignor class itself in partition_assignment_strategy",
            )),
            ("KafkaProducer", Some(m)) => self.producer_call(proc, target.id, m, args, kwargs),
            ("KafkaConsumer", Some(m)) => self.consumer_call(proc, target.id, m, args, kwargs),
            ("KafkaAdminClient", Some(m)) => self.admin_call(m, args, kwargs),
            ("FutureRecordMetadata", Some(m)) => {
                let meta = match self.objects.get(target.id) {
                    Some(Obj::Future(m)) => m.clone(),
                    _ => return HostResult::Raise(Exception::builtin("RuntimeError", "no future")),
                };
                let v = record_metadata_value(&meta);
                match m {
                    "get" => HostResult::Return(v),
                    "succeeded" | "is_done" => HostResult::Return(Value::Bool(true)),
                    "failed" => HostResult::Return(Value::Bool(false)),
                    "add_callback" => {
                        if let Some(f) = args.first() {
                            if let Err(e) = proc.call_value(self, f, vec![v]) {
                                return HostResult::Raise(e);
                            }
                        }
                        HostResult::Return(Value::host("FutureRecordMetadata", target.id))
                    }
                    "add_errback" => {
                        HostResult::Return(Value::host("FutureRecordMetadata", target.id))
                    }
                    _ => HostResult::Raise(Exception::builtin(
                        "AttributeError",
                        format!("'FutureRecordMetadata' object has no attribute '{m}'"),
                    )),
                }
            }
            ("Future", Some(m)) => {
                let outcome = match self.objects.get(target.id) {
                    Some(Obj::Done(o)) => o.clone(),
                    _ => return HostResult::Raise(Exception::builtin("RuntimeError", "no future")),
                };
                match m {
                    "succeeded" => HostResult::Return(Value::Bool(outcome.is_ok())),
                    "failed" => HostResult::Return(Value::Bool(outcome.is_err())),
                    "retriable" => HostResult::Return(Value::Bool(false)),
                    // Callbacks of a resolved future run at once, with its value or exception
                    // (then any extra arguments given with them).
                    "add_callback" | "add_errback" | "add_both" => {
                        let fires = match m {
                            "add_callback" => outcome.is_ok(),
                            "add_errback" => outcome.is_err(),
                            _ => true,
                        };
                        if let (true, Some(f)) = (fires, args.first()) {
                            let mut call_args = vec![match &outcome {
                                Ok(v) => v.clone(),
                                Err(e) => Value::Exception(e.clone()),
                            }];
                            call_args.extend(args.iter().skip(1).cloned());
                            if let Err(e) = proc.call_value(self, f, call_args) {
                                return HostResult::Raise(e);
                            }
                        }
                        HostResult::Return(Value::host("Future", target.id))
                    }
                    _ => HostResult::Raise(Exception::builtin(
                        "AttributeError",
                        format!("'Future' object has no attribute '{m}'"),
                    )),
                }
            }
            (class, _) => HostResult::Raise(Exception::type_error(format!(
                "'{class}' object is not callable"
            ))),
        }
    }

    fn get_attr(&mut self, obj: &HostRef, name: &str) -> Result<Value, Exception> {
        match (&*obj.class, name) {
            ("FutureRecordMetadata", "is_done") | ("Future", "is_done") => Ok(Value::Bool(true)),
            ("Future", "value") => match self.objects.get(obj.id) {
                Some(Obj::Done(Ok(v))) => Ok(v.clone()),
                _ => Ok(Value::None),
            },
            ("Future", "exception") => match self.objects.get(obj.id) {
                Some(Obj::Done(Err(e))) => Ok(Value::Exception(e.clone())),
                _ => Ok(Value::None),
            },
            ("FutureRecordMetadata", "value") => match self.objects.get(obj.id) {
                Some(Obj::Future(m)) => Ok(record_metadata_value(m)),
                _ => Ok(Value::None),
            },
            ("KafkaProducer", "config") | ("KafkaConsumer", "config") => {
                Ok(Value::dict(Vec::new()))
            }
            _ => Ok(Value::host_method(obj, name)),
        }
    }

    fn iter_next(&mut self, proc: &mut Process, obj: &HostRef) -> HostResult {
        if &*obj.class != "KafkaConsumer" {
            return HostResult::Raise(Exception::type_error(format!(
                "'{}' object is not iterable",
                obj.class
            )));
        }
        match self.next_record(obj.id) {
            Ok(Some(r)) => match self.consumer_record(proc, obj.id, &r) {
                Ok(v) => HostResult::Return(v),
                Err(e) => HostResult::Raise(e),
            },
            Ok(None) => {
                self.wait = Some(Wait::Iter {
                    consumer: obj.id,
                    since: self.now(),
                });
                HostResult::Block(obj.id)
            }
            Err(e) => HostResult::Raise(e),
        }
    }

    fn repr(&mut self, obj: &HostRef) -> String {
        match self.objects.get(obj.id) {
            Some(Obj::Producer(p)) => format!("<KafkaProducer client_id={}>", p.client_id),
            Some(Obj::Consumer(c)) => {
                let client = self
                    .cluster
                    .consumer(c.id)
                    .map(|c| c.client_id().to_string())
                    .unwrap_or_default();
                format!("<KafkaConsumer client_id={client}>")
            }
            Some(Obj::Future(_)) => "<FutureRecordMetadata>".to_string(),
            Some(Obj::Done(_)) => "<kafka.future.Future>".to_string(),
            Some(Obj::Admin { .. }) => "<KafkaAdminClient>".to_string(),
            None => format!("<{} object>", obj.class),
        }
    }

    fn print(&mut self, text: &str) {
        self.pending_line.push_str(text);
        while let Some(i) = self.pending_line.find('\n') {
            let line: String = self.pending_line.drain(..=i).collect();
            self.output.push(OutputLine {
                time_ms: self.cluster.now(),
                process: self.process,
                kind: OutputKind::Stdout,
                text: line.trim_end_matches('\n').to_string(),
                line: None,
            });
        }
    }

    fn now_ms(&self) -> u64 {
        self.cluster.now()
    }

    fn epoch_ms(&self) -> i64 {
        EPOCH_MS
    }

    fn random_u64(&mut self) -> u64 {
        self.cluster.rng().next_u64()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_group_id_for_group() {
        assert_eq!(
            suggest("group", CONSUMER_CONFIGS).as_deref(),
            Some("group_id")
        );
        assert_eq!(
            suggest("value_serialiser", PRODUCER_CONFIGS).as_deref(),
            Some("value_serializer")
        );
        assert_eq!(suggest("zzzzzzzzzzzz", CONSUMER_CONFIGS), None);
    }

    #[test]
    fn error_hierarchy_follows_kafka_python() {
        let e = KafkaErrors::new();
        let commit = e.class("CommitFailedError");
        assert!(commit.is_subclass(&e.class("KafkaError")));
        let unknown = e.class("UnknownTopicOrPartitionError");
        assert!(unknown.is_subclass(&e.class("InvalidMetadataError")));
        assert!(unknown.is_subclass(&e.class("RetriableError")));
        assert!(e
            .class("KafkaError")
            .is_subclass(&pysnip::builtin_class("Exception")));
        assert!(!e
            .class("KafkaError")
            .is_subclass(&pysnip::builtin_class("RuntimeError")));
        assert_eq!(
            e.exc("IllegalStateError", "Requires group_id").message(),
            "IllegalStateError: Requires group_id"
        );
        assert!(e
            .class("KafkaTimeoutError")
            .is_subclass(&e.class("RetriableError")));
    }
}
