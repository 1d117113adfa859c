//! The kafka-python API (`KafkaProducer`, `KafkaConsumer`, `KafkaAdminClient`, structs, errors,
//! assignor classes) as host objects of the interpreter, backed by the engine.
//!
//! Names, keyword arguments, defaults and error messages follow kafka-python 3.0.x. Calls that
//! block in kafka-python (iterating a consumer, `poll(timeout_ms)`, the playground's `process()`)
//! return `HostResult::Block` with a [`Wait`] left for the scenario runner to finish.

use std::rc::Rc;

use kafka_engine::cluster::{Cluster, ConsumerRecordView, ProduceRequest, RecordMetadata};
use kafka_engine::consumer::{ConsumerConfig, ConsumerId, OffsetReset};
use kafka_engine::log::TopicConfig;
use kafka_engine::{KafkaError, Strategy, TopicPartition};
use pysnip::{Exception, ExceptionClass, HostRef, HostResult, Process, Value};

use crate::scenario::{push_line, OutputKind, OutputLine, ProcessId};

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

/// Indices of `ERROR_CLASSES` in name order: kafka.errors lists its classes sorted by name.
const ERROR_ORDER: [u8; 35] = [
    20, 12, 5, 11, 2, 28, 1, 22, 31, 33, 16, 26, 32, 34, 27, 6, 18, 0, 3, 15, 24, 14, 8, 10, 23, 7,
    29, 9, 17, 13, 25, 30, 19, 4, 21,
];

/// The exception classes of kafka.errors for one scenario (shared so `except` matches).
pub struct KafkaErrors {
    /// The classes of `ERROR_CLASSES`, in its order (a Vec: less wasm code than a map).
    classes: Vec<Rc<ExceptionClass>>,
}

impl KafkaErrors {
    pub fn new() -> Self {
        let mut errors = KafkaErrors {
            classes: Vec::with_capacity(ERROR_CLASSES.len()),
        };
        for (name, parent) in ERROR_CLASSES {
            // Parents come first, so the parent is already there (or is a builtin class).
            let parent = errors.class(parent);
            errors.classes.push(ExceptionClass::new(name, Some(parent)));
        }
        errors
    }

    fn find(&self, name: &str) -> Option<&Rc<ExceptionClass>> {
        let i = ERROR_CLASSES.iter().position(|(n, _)| *n == name)?;
        self.classes.get(i)
    }

    /// The class called `name` (a builtin class when kafka.errors has none by that name).
    pub fn class(&self, name: &str) -> Rc<ExceptionClass> {
        match self.find(name) {
            Some(c) => c.clone(),
            None => pysnip::builtin_class(name),
        }
    }

    /// An instance of class `name` with `msg`. kafka.errors classes show their name in
    /// `str(e)` (kafka-python's `KafkaError.__str__`), so their message starts with it.
    #[cold]
    #[inline(never)]
    pub fn exc(&self, name: &str, msg: &str) -> Exception {
        match self.find(name) {
            Some(c) => Exception::new(c, &format!("{name}: {msg}")),
            None => Exception::new(&pysnip::builtin_class(name), msg),
        }
    }

    /// The kafka-python exception for an engine error.
    pub fn from_engine(&self, e: &KafkaError) -> Exception {
        self.exc(e.python_name(), e.message())
    }

    fn module(&self) -> Vec<(String, Value)> {
        let mut attrs = Vec::with_capacity(self.classes.len());
        for &i in &ERROR_ORDER {
            let i = usize::from(i);
            if let (Some((n, _)), Some(c)) = (ERROR_CLASSES.get(i), self.classes.get(i)) {
                attrs.push((n.to_string(), Value::exc_class(c)));
            }
        }
        attrs
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
    Admin,
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
    /// Records fetched for the iterator and not handed out yet, the next one last.
    buffer: Vec<ConsumerRecordView>,
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

    fn consumer_mut(&mut self, id: u64) -> Option<&mut ConsumerObj> {
        match self.get_mut(id) {
            Some(Obj::Consumer(c)) => Some(c),
            _ => None,
        }
    }

    /// Engine ids of the consumers this process created (only the open ones if `open`).
    fn consumer_ids(&self, open: bool) -> Vec<ConsumerId> {
        let mut ids = Vec::new();
        for o in &self.map {
            if let Obj::Consumer(c) = o {
                if !(open && c.closed) {
                    ids.push(c.id);
                }
            }
        }
        ids
    }

    /// Engine ids of the consumers this process created.
    pub fn consumers(&self) -> Vec<ConsumerId> {
        self.consumer_ids(false)
    }

    /// Consumers not closed yet.
    pub fn open_consumers(&self) -> Vec<ConsumerId> {
        self.consumer_ids(true)
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

/// What the API's methods return before it becomes a `HostResult`.
type Res = Result<Value, Exception>;

fn done(r: Res) -> HostResult {
    match r {
        Ok(v) => HostResult::Return(v),
        Err(e) => HostResult::Raise(e),
    }
}

/// The value of keyword argument `name`, if given.
fn kw<'a>(kwargs: &'a [(String, Value)], name: &str) -> Option<&'a Value> {
    for (k, v) in kwargs {
        if k == name {
            return Some(v);
        }
    }
    None
}

/// The value of keyword argument `name` unless it is None.
fn kw_some(kwargs: &[(String, Value)], name: &str) -> Option<Value> {
    kw(kwargs, name).filter(|v| !v.is_none()).cloned()
}

/// Argument `i` of a call, given by position or as keyword `name`.
fn arg<'a>(
    args: &'a [Value],
    kwargs: &'a [(String, Value)],
    i: usize,
    name: &str,
) -> Option<&'a Value> {
    match args.get(i) {
        Some(v) => Some(v),
        None => kw(kwargs, name),
    }
}

/// Positional and keyword arguments bound to `names` (Python's rules: too many positional
/// arguments, an unknown keyword, and with `strict` a keyword repeating a positional one, are
/// errors, whose messages name `func`).
fn bind_args(
    func: &str,
    names: &[&str],
    args: &[Value],
    kwargs: &[(String, Value)],
    strict: bool,
) -> Result<Vec<Option<Value>>, Exception> {
    let n = args.len();
    if n > names.len() {
        return Err(if strict {
            Exception::type_error_fmt(format_args!(
                "{func}() takes from 2 to {} positional arguments but {} were given",
                names.len() + 1,
                n + 1
            ))
        } else {
            Exception::type_error_fmt(format_args!(
                "{func}() takes at most {} arguments ({n} given)",
                names.len()
            ))
        });
    }
    let mut out: Vec<Option<Value>> = Vec::with_capacity(names.len());
    for i in 0..names.len() {
        out.push(args.get(i).cloned());
    }
    for (k, v) in kwargs {
        match names
            .iter()
            .position(|n| *n == k)
            .and_then(|i| out.get_mut(i))
        {
            Some(slot) if strict && slot.is_some() => {
                return Err(Exception::type_error_fmt(format_args!(
                    "{func}() got multiple values for argument '{k}'"
                )))
            }
            Some(slot) => *slot = Some(v.clone()),
            None => {
                return Err(Exception::type_error_fmt(format_args!(
                    "{func}() got an unexpected keyword argument '{k}'"
                )))
            }
        }
    }
    Ok(out)
}

/// A topic config's number: `val` as a non-negative Java long (what
/// `val.parse::<i64>()` then `u64::try_from` accept), without the generic integer parser.
fn config_number(val: &str) -> Option<u64> {
    let (neg, digits) = match val.as_bytes() {
        [b'+', rest @ ..] => (false, rest),
        [b'-', rest @ ..] => (true, rest),
        all => (false, all),
    };
    if digits.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for &d in digits {
        let d = u64::from(d.wrapping_sub(b'0'));
        if d > 9 || n > (i64::MAX as u64 - d) / 10 {
            return None;
        }
        n = n * 10 + d;
    }
    (!neg || n == 0).then_some(n)
}

/// A namedtuple-like record of class `class` with fields `names`.
fn rec(class: &str, names: &[&str], values: Vec<Value>) -> Value {
    Value::Record(Rc::new(pysnip::value::Record {
        class: Rc::from(class),
        fields: {
            let mut fields = Vec::with_capacity(values.len());
            for (n, v) in names.iter().zip(values) {
                fields.push((Rc::from(*n), v));
            }
            fields
        },
    }))
}

/// The closest name in `known` to `name` (edit distance at most 3, or a prefix/suffix match).
pub fn suggest(name: &str, known: &[&[&'static str]]) -> Option<&'static str> {
    /// Levenshtein distance over chars (`b` is a config name: ASCII).
    fn distance(a: &str, b: &str) -> usize {
        let b = b.as_bytes();
        let mut prev: Vec<usize> = Vec::with_capacity(b.len() + 1);
        for j in 0..=b.len() {
            prev.push(j);
        }
        let mut cur = prev.clone();
        for (i, ca) in a.chars().enumerate() {
            cur[0] = i + 1;
            for (j, &cb) in b.iter().enumerate() {
                let cost = usize::from(ca != char::from(cb));
                cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            }
            std::mem::swap(&mut prev, &mut cur);
        }
        prev[b.len()]
    }
    let mut best: Option<(usize, &'static str)> = None;
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
    best.map(|(_, k)| k)
}

fn to_u64(v: &Value, what: &str) -> Result<u64, Exception> {
    match v.as_int() {
        Some(i) if i >= 0 => Ok(i as u64),
        _ => Err(Exception::type_error_fmt(format_args!(
            "{what} must be a non-negative int, not {}",
            v.type_name()
        ))),
    }
}

const TP_FIELDS: &[&str] = &["topic", "partition"];

fn topic_partition_value(tp: &TopicPartition) -> Value {
    rec(
        "TopicPartition",
        TP_FIELDS,
        vec![Value::str(&tp.topic), Value::int(i64::from(tp.partition))],
    )
}

/// The topic and partition fields of a record, if it has them.
fn tp_fields(v: &Value) -> Option<(String, i64)> {
    let t = v.field("topic")?;
    Some((t.as_str()?.to_string(), v.field("partition")?.as_int()?))
}

fn topic_partition_of(v: &Value) -> Result<TopicPartition, Exception> {
    if let Some((topic, p)) = tp_fields(v) {
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
    Err(Exception::type_error_fmt(format_args!(
        "expected a TopicPartition, got {}",
        v.type_name()
    )))
}

/// kafka-python's ValueError for a partition the consumer is not assigned.
#[cold]
#[inline(never)]
fn unassigned(topic: &str, partition: i64) -> Exception {
    Exception::value_error_fmt(format_args!(
        "Unassigned partition: TopicPartition(topic='{topic}', partition={partition})"
    ))
}

/// A `TopicPartition` argument, as kafka-python checks it (`isinstance(p, TopicPartition)`).
fn topic_partition_arg(v: &Value) -> Result<TopicPartition, Exception> {
    match tp_fields(v) {
        Some((t, p)) => match u32::try_from(p) {
            Ok(p) => Ok(TopicPartition::new(t, p)),
            Err(_) => Err(unassigned(&t, p)),
        },
        None => Err(Exception::type_error(
            "partition must be a TopicPartition namedtuple",
        )),
    }
}

const METADATA_FIELDS: &[&str] = &[
    "topic",
    "partition",
    "topic_partition",
    "offset",
    "timestamp",
    "checksum",
    "serialized_key_size",
    "serialized_value_size",
    "serialized_header_size",
];

fn record_metadata_value(m: &RecordMetadata) -> Value {
    let tp = TopicPartition::new(m.topic.to_string(), m.partition);
    rec(
        "RecordMetadata",
        METADATA_FIELDS,
        vec![
            Value::str(&m.topic),
            Value::int(i64::from(m.partition)),
            topic_partition_value(&tp),
            Value::int(m.offset as i64),
            Value::int(m.timestamp),
            Value::None,
            Value::int(i64::from(m.serialized_key_size)),
            Value::int(i64::from(m.serialized_value_size)),
            Value::int(i64::from(m.serialized_header_size)),
        ],
    )
}

const RECORD_FIELDS: &[&str] = &[
    "topic",
    "partition",
    "leader_epoch",
    "offset",
    "timestamp",
    "timestamp_type",
    "key",
    "value",
    "headers",
    "checksum",
    "serialized_key_size",
    "serialized_value_size",
    "serialized_header_size",
];

const OFFSET_AND_METADATA_FIELDS: &[&str] = &["offset", "metadata", "leader_epoch"];

/// A method of a host object, resolved once from its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum M {
    Send,
    Flush,
    Close,
    PartitionsFor,
    BootstrapConnected,
    Metrics,
    Config,
    Poll,
    Commit,
    CommitAsync,
    Subscribe,
    Unsubscribe,
    Assign,
    Assignment,
    Subscription,
    Seek,
    SeekToBeginning,
    SeekToEnd,
    Position,
    Highwater,
    Committed,
    EndOffsets,
    BeginningOffsets,
    Topics,
    PartitionsForTopic,
    Paused,
    Pause,
    Resume,
    CreateTopics,
    CreatePartitions,
    ListTopics,
    Get,
    Succeeded,
    IsDone,
    Failed,
    Retriable,
    AddCallback,
    AddErrback,
    AddBoth,
    /// A kafka-python 3.0 method of this client kind the playground does not model: calling
    /// one says so (NotImplementedError) instead of pretending the method does not exist.
    Unmodelled(u8),
    Unknown,
}

/// Client kinds, for [`M::Unmodelled`] and their messages.
const PRODUCER: u8 = 0;
const CONSUMER: u8 = 1;
const ADMIN: u8 = 2;
const CLIENT_CLASS: [&str; 3] = ["KafkaProducer", "KafkaConsumer", "KafkaAdminClient"];
const CLIENT_KIND: [&str; 3] = ["producer", "consumer", "admin"];

const METHODS: &[(&str, M)] = &[
    ("send", M::Send),
    ("flush", M::Flush),
    ("close", M::Close),
    ("partitions_for", M::PartitionsFor),
    ("bootstrap_connected", M::BootstrapConnected),
    ("metrics", M::Metrics),
    ("config", M::Config),
    ("poll", M::Poll),
    ("commit", M::Commit),
    ("commit_async", M::CommitAsync),
    ("subscribe", M::Subscribe),
    ("unsubscribe", M::Unsubscribe),
    ("assign", M::Assign),
    ("assignment", M::Assignment),
    ("subscription", M::Subscription),
    ("seek", M::Seek),
    ("seek_to_beginning", M::SeekToBeginning),
    ("seek_to_end", M::SeekToEnd),
    ("position", M::Position),
    ("highwater", M::Highwater),
    ("committed", M::Committed),
    ("end_offsets", M::EndOffsets),
    ("beginning_offsets", M::BeginningOffsets),
    ("topics", M::Topics),
    ("partitions_for_topic", M::PartitionsForTopic),
    ("paused", M::Paused),
    ("pause", M::Pause),
    ("resume", M::Resume),
    ("create_topics", M::CreateTopics),
    ("create_partitions", M::CreatePartitions),
    ("list_topics", M::ListTopics),
    ("get", M::Get),
    ("succeeded", M::Succeeded),
    ("is_done", M::IsDone),
    ("failed", M::Failed),
    ("retriable", M::Retriable),
    ("add_callback", M::AddCallback),
    ("add_errback", M::AddErrback),
    ("add_both", M::AddBoth),
    ("init_transactions", M::Unmodelled(PRODUCER)),
    ("begin_transaction", M::Unmodelled(PRODUCER)),
    ("commit_transaction", M::Unmodelled(PRODUCER)),
    ("abort_transaction", M::Unmodelled(PRODUCER)),
    ("send_offsets_to_transaction", M::Unmodelled(PRODUCER)),
    ("offsets_for_times", M::Unmodelled(CONSUMER)),
    ("delete_topics", M::Unmodelled(ADMIN)),
    ("delete_records", M::Unmodelled(ADMIN)),
    ("delete_consumer_groups", M::Unmodelled(ADMIN)),
    ("describe_configs", M::Unmodelled(ADMIN)),
    ("alter_configs", M::Unmodelled(ADMIN)),
    ("describe_acls", M::Unmodelled(ADMIN)),
    ("create_acls", M::Unmodelled(ADMIN)),
    ("delete_acls", M::Unmodelled(ADMIN)),
    ("describe_log_dirs", M::Unmodelled(ADMIN)),
    ("perform_leader_election", M::Unmodelled(ADMIN)),
];

fn method_of(name: &str) -> M {
    for (n, m) in METHODS {
        if *n == name {
            return *m;
        }
    }
    M::Unknown
}

/// `'<class>' object has no attribute '<name>'`.
#[cold]
#[inline(never)]
fn no_attr(class: &str, name: &str) -> Exception {
    Exception::builtin_fmt(
        "AttributeError",
        format_args!("'{class}' object has no attribute '{name}'"),
    )
}

/// The error for `client.method(...)` when client kind `kind` has no such method.
#[cold]
#[inline(never)]
fn missing_method(kind: u8, m: M, method: &str) -> Exception {
    let k = usize::from(kind);
    if m == M::Unmodelled(kind) {
        Exception::builtin_fmt(
            "NotImplementedError",
            format_args!(
                "the playground does not model {}.{method}() yet",
                CLIENT_KIND.get(k).copied().unwrap_or_default()
            ),
        )
    } else {
        no_attr(CLIENT_CLASS.get(k).copied().unwrap_or_default(), method)
    }
}

/// A Python set of `items` (insertion order kept, as the interpreter's sets do).
fn set_of(items: Vec<Value>) -> Value {
    Value::set(items)
}

/// `{}`.
#[inline(never)]
fn empty_dict() -> Value {
    Value::dict(Vec::new())
}

#[cold]
#[inline(never)]
fn no_such(what: &str) -> Exception {
    Exception::builtin_fmt("RuntimeError", format_args!("no such {what}"))
}

/// A default of a record class's field.
#[derive(Clone, Copy)]
enum FieldDefault {
    Required,
    Int(i64),
    None,
    EmptyStr,
}

/// Record classes callable from Python: (name, fields with their defaults).
const RECORD_CLASSES: &[(&str, &[(&str, FieldDefault)])] = &[
    (
        "NewTopic",
        &[
            ("name", FieldDefault::Required),
            ("num_partitions", FieldDefault::Int(-1)),
            ("replication_factor", FieldDefault::Int(-1)),
            ("replica_assignments", FieldDefault::None),
            ("topic_configs", FieldDefault::None),
        ],
    ),
    (
        "NewPartitions",
        &[
            ("total_count", FieldDefault::Required),
            ("new_assignments", FieldDefault::None),
        ],
    ),
    (
        "TopicPartition",
        &[
            ("topic", FieldDefault::Required),
            ("partition", FieldDefault::Required),
        ],
    ),
    (
        "OffsetAndMetadata",
        &[
            ("offset", FieldDefault::Required),
            ("metadata", FieldDefault::EmptyStr),
            ("leader_epoch", FieldDefault::Int(-1)),
        ],
    ),
];

/// A record class called with `args` and `kwargs`.
fn new_record(
    class: &str,
    fields: &[(&str, FieldDefault)],
    args: &[Value],
    kwargs: &[(String, Value)],
) -> Res {
    let mut names: Vec<&str> = Vec::with_capacity(fields.len());
    for (n, _) in fields {
        names.push(n);
    }
    let bound = bind_args(class, &names, args, kwargs, false)?;
    let mut values = Vec::with_capacity(fields.len());
    for ((name, default), v) in fields.iter().zip(bound) {
        values.push(match (v, default) {
            (Some(v), _) => v,
            (None, FieldDefault::Int(i)) => Value::int(*i),
            (None, FieldDefault::None) => Value::None,
            (None, FieldDefault::EmptyStr) => Value::str(""),
            (None, FieldDefault::Required) => {
                return Err(Exception::type_error_fmt(format_args!(
                    "{class}() missing required argument: '{name}'"
                )))
            }
        });
    }
    Ok(rec(class, &names, values))
}

/// Host classes callable from Python, by id: the clients, then the record classes, then the
/// playground's `process`.
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
const FIRST_RECORD_CLASS: usize = 3;
const PROCESS_CLASS: u64 = 7;

/// Modules and the ids of the classes in `CLASSES` they hold.
const MODULES: &[(&str, &[u8])] = &[
    ("kafka", &[0, 1, 2, 5, 6]),
    ("kafka.producer", &[0]),
    ("kafka.consumer", &[1]),
    ("kafka.admin", &[2, 3, 4]),
    ("kafka.structs", &[5, 6]),
    ("kafka.coordinator", &[]),
    ("kafka.coordinator.assignors", &[]),
    ("kafka.coordinator.assignors.sticky", &[]),
    ("playground", &[7]),
];

fn host_ref(class: &str, id: u64) -> Value {
    Value::host_function(HostRef {
        class: Rc::from(class),
        id,
    })
}

impl ProcHost<'_> {
    fn now(&self) -> u64 {
        self.cluster.now()
    }

    fn info(&mut self, text: String) {
        push_line(
            self.output,
            self.cluster.now(),
            self.process,
            OutputKind::Info,
            text,
            None,
        );
    }

    fn engine_err(&self, e: KafkaError) -> Exception {
        self.errors.from_engine(&e)
    }

    /// `None` for an engine success, the kafka-python exception for its error.
    fn engine(&self, r: Result<(), KafkaError>) -> Res {
        r.map(|()| Value::None).map_err(|e| self.engine_err(e))
    }

    /// kafka-python's check of a client's keyword configs against the keys it knows.
    fn check_configs(
        &self,
        kind: u8,
        kwargs: &[(String, Value)],
        known: &[&[&'static str]],
    ) -> Result<(), Exception> {
        use std::fmt::Write;
        let mut shown = String::new();
        let mut hints = String::new();
        for (k, v) in kwargs {
            if known.iter().any(|list| list.contains(&k.as_str())) {
                continue;
            }
            if !shown.is_empty() {
                shown.push_str(", ");
            }
            // kafka-python 3.0: the producer shows the leftover configs dict, the consumer a set.
            let _ = write!(shown, "'{k}'");
            if kind == PRODUCER {
                let _ = write!(shown, ": {}", pysnip::format::repr(v));
            }
            if let Some(s) = suggest(k, known) {
                if !hints.is_empty() {
                    hints.push_str("; ");
                }
                let _ = write!(hints, "did you mean {s} instead of {k}?");
            }
        }
        if shown.is_empty() {
            return Ok(());
        }
        let mut msg = format!("Unrecognized configs: {{{shown}}}");
        if !hints.is_empty() {
            let _ = write!(msg, " ({hints})");
        }
        // kafka-python 3.0: the producer raises ValueError, the consumer KafkaConfigurationError.
        let cls = if kind == PRODUCER {
            "ValueError"
        } else {
            "KafkaConfigurationError"
        };
        Err(self.errors.exc(cls, &msg))
    }

    fn new_producer(&mut self, args: &[Value], kwargs: &[(String, Value)]) -> Res {
        if !args.is_empty() {
            return Err(Exception::type_error_fmt(format_args!(
                "KafkaProducer.__init__() takes 1 positional argument but {} were given",
                args.len() + 1
            )));
        }
        self.check_configs(PRODUCER, kwargs, PRODUCER_CONFIGS)?;
        let n = self.producers.len() + 1;
        let client_id = match kw(kwargs, "client_id") {
            Some(Value::Str(s)) => s.to_string(),
            _ => format!(
                "{}#{}-producer-{n}",
                self.settings.program,
                self.settings.instance + 1
            ),
        };
        self.producers.push(client_id.clone());
        let id = self.objects.add(Obj::Producer(ProducerObj {
            client_id,
            key_serializer: kw_some(kwargs, "key_serializer"),
            value_serializer: kw_some(kwargs, "value_serializer"),
            closed: false,
        }));
        Ok(Value::host("KafkaProducer", id))
    }

    fn new_consumer(&mut self, args: &[Value], kwargs: &[(String, Value)]) -> Res {
        self.check_configs(CONSUMER, kwargs, CONSUMER_CONFIGS)?;
        let mut topics = Vec::new();
        for a in args {
            match a.as_str() {
                Some(t) => topics.push(t.to_string()),
                None => {
                    return Err(Exception::type_error_fmt(format_args!(
                        "topics must be str, not {}",
                        a.type_name()
                    )))
                }
            }
        }
        let mut cfg = ConsumerConfig::default();
        match kw(kwargs, "group_id") {
            None | Some(Value::None) => {}
            Some(Value::Str(s)) => cfg.group_id = Some(s.to_string()),
            Some(_) => return Err(Exception::type_error("group_id must be a str")),
        }
        match kw(kwargs, "client_id") {
            Some(Value::Str(s)) => cfg.client_id = s.to_string(),
            Some(_) => {}
            None => {
                cfg.client_id = format!("{}#{}", self.settings.program, self.settings.instance + 1)
            }
        }
        for (name, slot) in [
            ("session_timeout_ms", &mut cfg.session_timeout_ms),
            ("heartbeat_interval_ms", &mut cfg.heartbeat_interval_ms),
            ("max_poll_interval_ms", &mut cfg.max_poll_interval_ms),
            ("auto_commit_interval_ms", &mut cfg.auto_commit_interval_ms),
        ] {
            if let Some(v) = kw(kwargs, name) {
                *slot = to_u64(v, name)?;
            }
        }
        if let Some(v) = kw(kwargs, "max_poll_records") {
            cfg.max_poll_records = to_u64(v, "max_poll_records")?.max(1) as usize;
        }
        if let Some(v) = kw(kwargs, "enable_auto_commit") {
            cfg.enable_auto_commit = v.truthy();
        }
        let mut warn_reset = false;
        if let Some(v) = kw(kwargs, "auto_offset_reset") {
            let s = v.as_str().unwrap_or("").to_ascii_lowercase();
            cfg.auto_offset_reset = match s.as_str() {
                "earliest" | "smallest" => OffsetReset::Earliest,
                "latest" | "largest" => OffsetReset::Latest,
                // kafka-python logs a warning for anything else and falls back to no reset policy.
                other => {
                    warn_reset = other != "none";
                    OffsetReset::None
                }
            };
        }
        if let Some(v) = kw(kwargs, "partition_assignment_strategy") {
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
                            &format!(
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
        if warn_reset {
            self.info(
                "kafka-python warning: Unrecognized offset_reset_strategy, using NONE".to_string(),
            );
        }
        let consumer_timeout_ms = match kw(kwargs, "consumer_timeout_ms").and_then(|v| v.as_float())
        {
            Some(f) if f.is_finite() && f >= 0.0 => Some(f as u64),
            _ => None,
        };
        let id = self.cluster.new_consumer(cfg);
        if !topics.is_empty() {
            self.cluster
                .subscribe(id, &topics)
                .map_err(|e| self.engine_err(e))?;
        }
        let oid = self.objects.add(Obj::Consumer(ConsumerObj {
            id,
            key_deserializer: kw_some(kwargs, "key_deserializer"),
            value_deserializer: kw_some(kwargs, "value_deserializer"),
            buffer: Vec::new(),
            consumer_timeout_ms,
            closed: false,
        }));
        Ok(Value::host("KafkaConsumer", oid))
    }

    fn producer_call(
        &mut self,
        proc: &mut Process,
        id: u64,
        name: &str,
        args: &[Value],
        kwargs: &[(String, Value)],
    ) -> Res {
        let Some(Obj::Producer(p)) = self.objects.get_mut(id) else {
            return Err(no_such("producer"));
        };
        match method_of(name) {
            M::Send => self.send(proc, id, args, kwargs),
            M::Close => {
                p.closed = true;
                Ok(Value::None)
            }
            M::PartitionsFor => {
                let topic = args.first().and_then(|t| t.as_str()).unwrap_or("");
                Ok(self.partition_set(topic).unwrap_or(Value::None))
            }
            M::Flush => Ok(Value::None),
            M::BootstrapConnected => Ok(Value::Bool(true)),
            M::Metrics => Ok(empty_dict()),
            m => Err(missing_method(PRODUCER, m, name)),
        }
    }

    /// `producer.send(topic, value=None, key=None, headers=None, partition=None, timestamp_ms=None)`.
    fn send(
        &mut self,
        proc: &mut Process,
        id: u64,
        args: &[Value],
        kwargs: &[(String, Value)],
    ) -> Res {
        let Some(Obj::Producer(p)) = self.objects.get(id) else {
            return Err(no_such("producer"));
        };
        if p.closed {
            return Err(self
                .errors
                .exc("IllegalStateError", "KafkaProducer already closed!"));
        }
        let client_id = p.client_id.clone();
        let (ks, vs) = (p.key_serializer.clone(), p.value_serializer.clone());
        let slots = bind_args(
            "send",
            &[
                "topic",
                "value",
                "key",
                "headers",
                "partition",
                "timestamp_ms",
            ],
            args,
            kwargs,
            true,
        )?;
        let mut slots = slots.into_iter();
        let mut next = || slots.next().flatten();
        let (topic, value, key, headers, partition, timestamp) =
            (next(), next(), next(), next(), next(), next());
        let Some(Value::Str(topic)) = topic else {
            return Err(Exception::type_error(
                "send() missing required argument: 'topic' (a str)",
            ));
        };
        let value = value.unwrap_or(Value::None);
        let key = key.unwrap_or(Value::None);
        if value.is_none() && key.is_none() {
            return Err(Exception::value_error("Need at least one: key or value"));
        }
        let mut hdrs = Vec::new();
        match headers {
            None | Some(Value::None) => {}
            Some(Value::List(l)) => {
                for item in l.borrow().iter() {
                    match item.as_seq().as_deref() {
                        Some([Value::Str(k), Value::Bytes(v)]) => {
                            hdrs.push((k.to_string(), v.to_vec()))
                        }
                        _ => {
                            return Err(Exception::type_error(
                                "All headers items must be (str, bytes) tuples",
                            ))
                        }
                    }
                }
            }
            Some(_) => return Err(Exception::type_error("headers must be list-type")),
        }
        let key_bytes = self.serialize(proc, &ks, key, "key")?;
        let value_bytes = self.serialize(proc, &vs, value, "value")?;
        let mut total: u64 = 0;
        for t in self.cluster.topics() {
            for p in t.partitions() {
                total = total.saturating_add(p.log_end_offset());
            }
        }
        if total >= MAX_RECORDS {
            return Err(self.errors.exc(
                "KafkaTimeoutError",
                &format!("the playground holds at most {MAX_RECORDS} records: this producer sends too many (add a time.sleep?)"),
            ));
        }
        let count = self.cluster.topic(&topic).map(|t| t.partition_count());
        let mut req = ProduceRequest::new(client_id, topic.to_string());
        req.key = key_bytes;
        req.value = value_bytes;
        req.headers = hdrs;
        if let Some(p) = partition.filter(|p| !p.is_none()) {
            match p.as_int() {
                Some(p) if p >= 0 => match (u32::try_from(p), count) {
                    (Ok(p), Some(n)) if p < n => req.partition = Some(p),
                    (Ok(p), None) => req.partition = Some(p),
                    _ => {
                        return Err(Exception::value_error_fmt(format_args!(
                            "Unrecognized partition {p} for topic {topic}"
                        )))
                    }
                },
                _ => return Err(Exception::value_error("partition must be >= 0")),
            }
        }
        req.timestamp_ms = Some(match timestamp.filter(|t| !t.is_none()) {
            Some(ts) => ts
                .as_int()
                .ok_or_else(|| Exception::type_error("timestamp_ms must be an int"))?,
            None => EPOCH_MS + self.now() as i64,
        });
        match self.cluster.produce(req) {
            Ok(meta) => {
                let fid = self.objects.add(Obj::Future(meta));
                Ok(Value::host("FutureRecordMetadata", fid))
            }
            Err(KafkaError::UnknownTopicOrPartition(_)) if self.cluster.topic(&topic).is_none() => {
                Err(self.errors.exc(
                    "KafkaTimeoutError",
                    "Failed to update metadata after 60.0 secs.",
                ))
            }
            Err(e) => Err(self.engine_err(e)),
        }
    }

    /// The partition ids of `topic` as a set, if the topic exists.
    fn partition_set(&self, topic: &str) -> Option<Value> {
        let t = self.cluster.topic(topic)?;
        let mut items = Vec::new();
        for p in 0..t.partition_count() {
            items.push(Value::int(i64::from(p)));
        }
        Some(set_of(items))
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
            other => Err(Exception::type_error_fmt(format_args!(
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
        let key = self.deserialize(proc, &kd, &r.key)?;
        let value = self.deserialize(proc, &vd, &r.value)?;
        let mut headers = Vec::with_capacity(r.headers.len());
        for (k, v) in &r.headers {
            headers.push(Value::tuple(vec![Value::str(k), Value::bytes(v)]));
        }
        Ok(rec(
            "ConsumerRecord",
            RECORD_FIELDS,
            vec![
                Value::str(&r.topic),
                Value::int(i64::from(r.partition)),
                Value::int(0),
                Value::int(r.offset as i64),
                Value::int(r.timestamp),
                Value::int(0),
                key,
                value,
                Value::list(headers),
                Value::None,
                Value::int(i64::from(r.serialized_key_size)),
                Value::int(i64::from(r.serialized_value_size)),
                Value::int(i64::from(r.serialized_header_size)),
            ],
        ))
    }

    fn deserialize(
        &mut self,
        proc: &mut Process,
        f: &Option<Value>,
        b: &Option<Vec<u8>>,
    ) -> Result<Value, Exception> {
        match (f, b) {
            (_, None) => Ok(Value::None),
            (None, Some(b)) => Ok(Value::bytes(b)),
            (Some(f), Some(b)) => proc.call_value(self, f, vec![Value::bytes(b)]),
        }
    }

    /// Hands out `r` (moves the consumer's position past it): false when its partition is no
    /// longer assigned.
    fn consume(&mut self, cid: ConsumerId, r: &ConsumerRecordView) -> Result<bool, Exception> {
        self.cluster
            .mark_consumed(cid, &r.topic_partition(), r.offset)
            .map_err(|e| self.engine_err(e))
    }

    /// The next buffered record of a consumer, polling the cluster when the buffer is empty.
    ///
    /// As kafka-python's iterator: it polls with `update_offsets=False`, then moves the position
    /// to `offset + 1` as it hands out each record, skipping the rest of a partition's batch once
    /// the partition is no longer assigned (a rebalance took it away).
    pub fn next_record(&mut self, consumer: u64) -> Result<Option<ConsumerRecordView>, Exception> {
        let mut polled = false;
        loop {
            let Some(c) = self.objects.consumer_mut(consumer) else {
                return Err(no_such("consumer"));
            };
            if c.closed {
                return Err(Exception::builtin("StopIteration", "KafkaConsumer closed"));
            }
            let cid = c.id;
            match c.buffer.pop() {
                Some(r) => {
                    if self.consume(cid, &r)? {
                        return Ok(Some(r));
                    }
                    let tp = r.topic_partition();
                    if let Some(c) = self.objects.consumer_mut(consumer) {
                        c.buffer.retain(|x| x.topic_partition() != tp);
                    }
                }
                None if polled => return Ok(None),
                None => {
                    polled = true;
                    let records = self
                        .cluster
                        .poll_opts(cid, None, false)
                        .map_err(|e| self.engine_err(e))?;
                    if let Some(c) = self.objects.consumer_mut(consumer) {
                        c.buffer = records;
                        c.buffer.reverse();
                    }
                }
            }
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
        let (cid, buffered) = match self.objects.consumer_mut(consumer) {
            Some(c) if !c.closed => {
                // Records fetched by the iterator but not handed out yet: poll() hands them
                // out now.
                let take = max_records.unwrap_or(usize::MAX).min(c.buffer.len());
                let mut taken = c.buffer.split_off(c.buffer.len() - take);
                taken.reverse();
                (c.id, taken)
            }
            Some(_) => {
                return Err(self
                    .errors
                    .exc("IllegalStateError", "KafkaConsumer is closed"))
            }
            None => return Err(no_such("consumer")),
        };
        let mut records = Vec::with_capacity(buffered.len());
        for r in buffered {
            if self.consume(cid, &r)? {
                records.push(r);
            }
        }
        if records.is_empty() {
            records = self
                .cluster
                .poll(cid, max_records)
                .map_err(|e| self.engine_err(e))?;
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
        let mut items = Vec::with_capacity(groups.len());
        for (tp, list) in groups {
            items.push((topic_partition_value(&tp), Value::list(list)));
        }
        Ok(Some(Value::dict(items)))
    }

    fn consumer_call(
        &mut self,
        proc: &mut Process,
        id: u64,
        name: &str,
        args: &[Value],
        kwargs: &[(String, Value)],
    ) -> HostResult {
        let Some(c) = self.objects.consumer_mut(id) else {
            return HostResult::Raise(no_such("consumer"));
        };
        let m = method_of(name);
        if c.closed && !matches!(m, M::Close | M::Metrics | M::Config) {
            return HostResult::Raise(
                self.errors
                    .exc("IllegalStateError", "KafkaConsumer is closed"),
            );
        }
        if matches!(
            m,
            M::Seek | M::SeekToBeginning | M::SeekToEnd | M::Assign | M::Subscribe | M::Unsubscribe
        ) {
            // kafka-python resets its iterator on seek, assign, subscribe and unsubscribe:
            // records fetched for it but not handed out are dropped.
            c.buffer.clear();
        }
        let (cid, closed) = (c.id, c.closed);
        if m == M::Poll {
            return match self.poll_call(proc, id, args, kwargs) {
                Ok(Some(v)) => HostResult::Return(v),
                Ok(None) => HostResult::Block(id),
                Err(e) => HostResult::Raise(e),
            };
        }
        done(self.consumer_method(proc, id, cid, closed, m, name, args, kwargs))
    }

    /// `consumer.poll(timeout_ms=0, max_records=None)`; `None` when it blocks.
    fn poll_call(
        &mut self,
        proc: &mut Process,
        id: u64,
        args: &[Value],
        kwargs: &[(String, Value)],
    ) -> Result<Option<Value>, Exception> {
        let timeout = match arg(args, kwargs, 0, "timeout_ms") {
            None | Some(Value::None) => 0.0,
            Some(v) => match v.as_float() {
                Some(f) if f < 0.0 => {
                    return Err(Exception::value_error("Timeout must not be negative"))
                }
                Some(f) if f.is_finite() => f,
                Some(_) => 1e15,
                None => {
                    return Err(Exception::type_error_fmt(format_args!(
                        "'<' not supported between instances of '{}' and 'int'",
                        v.type_name()
                    )))
                }
            },
        } as u64;
        let max_records = match arg(args, kwargs, 1, "max_records") {
            None | Some(Value::None) => None,
            Some(Value::Int(n)) if *n > 0 => usize::try_from(*n).ok(),
            Some(Value::Int(_)) => {
                return Err(Exception::value_error("max_records must be positive"))
            }
            Some(_) => return Err(Exception::type_error("max_records must be an integer")),
        };
        match self.poll_once(proc, id, max_records)? {
            Some(d) => Ok(Some(d)),
            None if timeout == 0 => Ok(Some(empty_dict())),
            None => {
                self.wait = Some(Wait::Poll {
                    consumer: id,
                    until: self.now().saturating_add(timeout),
                    max_records,
                });
                Ok(None)
            }
        }
    }

    /// The offsets argument of `commit()`: `{TopicPartition: OffsetAndMetadata or int}`.
    fn commit_offsets(v: Option<&Value>) -> Result<Option<Vec<(TopicPartition, u64)>>, Exception> {
        let Some(v) = v.filter(|v| !v.is_none()) else {
            return Ok(None);
        };
        let Some(items) = v.as_dict() else {
            return Err(Exception::type_error(
                "offsets should be a dict of {TopicPartition: OffsetAndMetadata}",
            ));
        };
        let mut list = Vec::new();
        for (k, v) in items {
            let tp = topic_partition_of(&k)?;
            let off = v.field("offset").unwrap_or(v);
            match off.as_int().and_then(|o| u64::try_from(o).ok()) {
                Some(o) => list.push((tp, o)),
                None => {
                    return Err(Exception::type_error(
                        "offset must be an OffsetAndMetadata or a non-negative int",
                    ))
                }
            }
        }
        Ok(Some(list))
    }

    /// The TopicPartition list argument of `assign()`, `end_offsets()` and
    /// `beginning_offsets()`.
    fn partition_list(v: Option<&Value>) -> Result<Vec<TopicPartition>, Exception> {
        let mut tps = Vec::new();
        for v in v.and_then(|v| v.as_seq()).unwrap_or_default() {
            tps.push(topic_partition_of(&v)?);
        }
        Ok(tps)
    }

    /// Whether consumer `cid` is assigned `tp`.
    #[inline(never)]
    fn is_assigned(&self, cid: ConsumerId, tp: &TopicPartition) -> bool {
        self.cluster.assignment(cid).contains(tp)
    }

    fn group_of(&self, cid: ConsumerId) -> Result<String, Exception> {
        match self.cluster.consumer(cid).and_then(|c| c.group_id()) {
            Some(g) => Ok(g.to_string()),
            None => Err(self.errors.exc("IllegalStateError", "Requires group_id")),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn consumer_method(
        &mut self,
        proc: &mut Process,
        id: u64,
        cid: ConsumerId,
        closed: bool,
        m: M,
        name: &str,
        args: &[Value],
        kwargs: &[(String, Value)],
    ) -> Res {
        let arg0 = |n: &str| arg(args, kwargs, 0, n);
        match m {
            M::Commit | M::CommitAsync => {
                let offsets = Self::commit_offsets(arg0("offsets"))?;
                self.group_of(cid)?;
                if m == M::Commit {
                    let r = self.cluster.commit(cid, offsets.as_deref());
                    return self.engine(r);
                }
                // kafka-python: errors go to the callback, or are discarded.
                let callback = arg(args, kwargs, 1, "callback").filter(|v| !v.is_none());
                let committed: Vec<(TopicPartition, u64)> = match &offsets {
                    Some(list) => list.clone(),
                    None => {
                        let mut list = Vec::new();
                        for tp in self.cluster.assignment(cid) {
                            if let Ok(p) = self.cluster.position(cid, &tp) {
                                list.push((tp, p));
                            }
                        }
                        list
                    }
                };
                let r = self
                    .cluster
                    .commit(cid, offsets.as_deref())
                    .map(|()| Value::None)
                    .map_err(|e| self.engine_err(e));
                if let Some(cb) = callback {
                    let mut items = Vec::with_capacity(committed.len());
                    for (tp, o) in &committed {
                        items.push((
                            topic_partition_value(tp),
                            rec(
                                "OffsetAndMetadata",
                                OFFSET_AND_METADATA_FIELDS,
                                vec![Value::int(*o as i64), Value::str(""), Value::int(-1)],
                            ),
                        ));
                    }
                    let offsets_value = Value::dict(items);
                    let response = match &r {
                        Ok(_) => Value::None,
                        Err(e) => Value::Exception(e.clone()),
                    };
                    proc.call_value(self, cb, vec![offsets_value, response])?;
                }
                // kafka-python returns the commit's Future: resolved to None, or failed.
                let fid = self.objects.add(Obj::Done(r));
                Ok(Value::host("Future", fid))
            }
            M::Subscribe => {
                let mut topics: Vec<String> = Vec::new();
                match arg0("topics") {
                    Some(Value::Str(s)) => topics.push(s.to_string()),
                    Some(v) => {
                        for t in v.as_seq().unwrap_or_default() {
                            if let Value::Str(t) = t {
                                topics.push(t.to_string());
                            }
                        }
                    }
                    None => {}
                }
                if topics.is_empty() {
                    if kw_some(kwargs, "pattern").is_some() {
                        return Err(Exception::builtin(
                            "NotImplementedError",
                            "the playground does not model pattern subscriptions yet: subscribe to topic names",
                        ));
                    }
                    return Err(self.errors.exc(
                        "IllegalStateError",
                        "You must choose topic(s) or a pattern to subscribe to",
                    ));
                }
                let r = self.cluster.subscribe(cid, &topics);
                self.engine(r)
            }
            M::Unsubscribe => {
                let r = self.cluster.unsubscribe(cid);
                self.engine(r)
            }
            M::Assign => {
                let tps = Self::partition_list(arg0("partitions"))?;
                let r = self.cluster.assign(cid, &tps);
                self.engine(r)
            }
            M::Assignment => Ok(self.tp_set(self.cluster.assignment(cid))),
            M::Subscription => Ok(
                match self.cluster.consumer(cid).and_then(|c| c.subscription()) {
                    Some(s) => {
                        let mut items = Vec::with_capacity(s.len());
                        for t in s {
                            items.push(Value::str(t));
                        }
                        set_of(items)
                    }
                    None => Value::None,
                },
            ),
            M::Seek => {
                let Some(tp) = arg0("partition") else {
                    return Err(Exception::type_error(
                        "seek() missing 2 required positional arguments: 'partition' and 'offset'",
                    ));
                };
                let tp = topic_partition_arg(tp)?;
                let off = match arg(args, kwargs, 1, "offset") {
                    Some(Value::Int(o)) => u64::try_from(*o).ok(),
                    _ => None,
                };
                let Some(off) = off else {
                    return Err(Exception::value_error("Offset must be int >= 0"));
                };
                if !self.is_assigned(cid, &tp) {
                    return Err(Exception::value_error("Unassigned partition"));
                }
                let r = self.cluster.seek(cid, &tp, off);
                self.engine(r)
            }
            M::SeekToBeginning | M::SeekToEnd => {
                let mut tps = Vec::with_capacity(args.len());
                for v in args {
                    match topic_partition_arg(v) {
                        Ok(tp) => tps.push(tp),
                        Err(_) => {
                            return Err(Exception::type_error(
                                "partitions must be TopicPartition namedtuples",
                            ))
                        }
                    }
                }
                let assigned = self.cluster.assignment(cid);
                let tps = if tps.is_empty() {
                    if assigned.is_empty() {
                        return Err(Exception::value_error(
                            "No partitions are currently assigned",
                        ));
                    }
                    assigned
                } else {
                    if let Some(p) = tps.iter().find(|p| !assigned.contains(p)) {
                        return Err(unassigned(&p.topic, i64::from(p.partition)));
                    }
                    tps
                };
                let r = if m == M::SeekToBeginning {
                    self.cluster.seek_to_beginning(cid, &tps)
                } else {
                    self.cluster.seek_to_end(cid, &tps)
                };
                self.engine(r)
            }
            M::Position | M::Highwater | M::Committed => {
                let Some(tp) = arg0("partition") else {
                    return Err(Exception::type_error_fmt(format_args!(
                        "{}() missing 1 required positional argument: 'partition'",
                        if m == M::Committed {
                            "committed"
                        } else {
                            "position"
                        }
                    )));
                };
                let tp = topic_partition_arg(tp)?;
                if m == M::Committed {
                    let group = self.group_of(cid)?;
                    return Ok(self
                        .cluster
                        .committed(&group, &tp)
                        .map_or(Value::None, |o| Value::int(o as i64)));
                }
                if !self.is_assigned(cid, &tp) {
                    return Err(self
                        .errors
                        .exc("IllegalStateError", "Partition is not assigned"));
                }
                if m == M::Highwater {
                    return Ok(self
                        .cluster
                        .partition(&tp.topic, tp.partition)
                        .map_or(Value::None, |p| Value::int(p.log_end_offset() as i64)));
                }
                match self.cluster.position(cid, &tp) {
                    Ok(p) => Ok(Value::int(p as i64)),
                    Err(e) => Err(self.engine_err(e)),
                }
            }
            M::EndOffsets | M::BeginningOffsets => {
                let tps = Self::partition_list(arg0("partitions"))?;
                let mut items = Vec::new();
                for tp in tps {
                    let Some(p) = self.cluster.partition(&tp.topic, tp.partition) else {
                        return Err(self
                            .errors
                            .exc("UnknownTopicOrPartitionError", &tp.to_string()));
                    };
                    let o = if m == M::EndOffsets {
                        p.log_end_offset()
                    } else {
                        p.log_start_offset()
                    };
                    items.push((topic_partition_value(&tp), Value::int(o as i64)));
                }
                Ok(Value::dict(items))
            }
            M::Topics => Ok(set_of(self.topic_names())),
            M::PartitionsForTopic => {
                let topic = arg0("topic");
                let topic = topic.and_then(|v| v.as_str()).unwrap_or_default();
                // kafka-python: `partitions or set()`.
                Ok(self
                    .partition_set(topic)
                    .unwrap_or_else(|| set_of(Vec::new())))
            }
            M::Close => {
                let autocommit = arg0("autocommit").is_none_or(|v| v.truthy());
                if !closed {
                    if let Some(c) = self.objects.consumer_mut(id) {
                        c.closed = true;
                    }
                    let _ = self.cluster.close(cid, autocommit);
                }
                Ok(Value::None)
            }
            M::BootstrapConnected => Ok(Value::Bool(true)),
            M::Metrics => Ok(empty_dict()),
            M::Paused => Ok(self.tp_set(self.cluster.paused(cid))),
            M::Pause | M::Resume => {
                // kafka-python: TopicPartition namedtuples only, each one assigned (a KeyError
                // from its assignment dict otherwise); no rebalance either way.
                let mut tps = Vec::with_capacity(args.len());
                for a in args {
                    if a.type_name() != "TopicPartition" {
                        return Err(Exception::type_error(
                            "partitions must be TopicPartition namedtuples",
                        ));
                    }
                    tps.push((topic_partition_of(a)?, a));
                }
                for (tp, a) in tps {
                    let r = if m == M::Pause {
                        self.cluster.pause(cid, &tp)
                    } else {
                        self.cluster.resume(cid, &tp)
                    };
                    if r.is_err() {
                        return Err(Exception::with_args(
                            &pysnip::error::builtin_class("KeyError"),
                            vec![a.clone()],
                        ));
                    }
                }
                Ok(Value::None)
            }
            m => Err(missing_method(CONSUMER, m, name)),
        }
    }

    fn topic_names(&self) -> Vec<Value> {
        let mut names = Vec::new();
        for t in self.cluster.topics() {
            names.push(Value::str(t.name()));
        }
        names
    }

    fn tp_set(&self, tps: Vec<TopicPartition>) -> Value {
        let mut items = Vec::with_capacity(tps.len());
        for tp in &tps {
            items.push(topic_partition_value(tp));
        }
        set_of(items)
    }

    fn admin_call(&mut self, name: &str, args: &[Value], kwargs: &[(String, Value)]) -> Res {
        let m = method_of(name);
        match m {
            M::CreateTopics => {
                let list = arg(args, kwargs, 0, "new_topics")
                    .and_then(|v| v.as_seq())
                    .unwrap_or_default();
                for t in list {
                    let Some(Value::Str(name)) = t.field("name") else {
                        return Err(Exception::type_error(
                            "create_topics() takes a list of NewTopic",
                        ));
                    };
                    let parts = match t.field("num_partitions").and_then(|n| n.as_int()) {
                        Some(p) if p > 0 => p as u32,
                        _ => self.cluster.config().default_partitions,
                    };
                    let mut config = TopicConfig::default();
                    let items = t
                        .field("topic_configs")
                        .and_then(|d| d.as_dict())
                        .unwrap_or_default();
                    for (k, v) in items {
                        let val = match &v {
                            Value::Str(s) => s.to_string(),
                            v => v.as_int().map(|i| i.to_string()).unwrap_or_default(),
                        };
                        let num = config_number(&val);
                        match k.as_str().unwrap_or("") {
                            "retention.ms" => config.retention_ms = num,
                            "retention.bytes" => config.retention_bytes = num,
                            "segment.bytes" => {
                                config.segment_bytes = num.unwrap_or(config.segment_bytes)
                            }
                            "delete.retention.ms" => {
                                config.delete_retention_ms =
                                    num.unwrap_or(config.delete_retention_ms)
                            }
                            "cleanup.policy" => {
                                config.cleanup_policy =
                                    if val.as_bytes().windows(7).any(|w| w == b"compact") {
                                        kafka_engine::log::CleanupPolicy::Compact
                                    } else {
                                        kafka_engine::log::CleanupPolicy::Delete
                                    }
                            }
                            _ => {}
                        }
                    }
                    self.cluster
                        .create_topic(&name, parts, config)
                        .map_err(|e| self.engine_err(e))?;
                    self.info(format!("created topic {name} with {parts} partitions"));
                }
                Ok(Value::None)
            }
            M::CreatePartitions => {
                let items = arg(args, kwargs, 0, "topic_partitions")
                    .and_then(|v| v.as_dict())
                    .unwrap_or_default();
                for (k, v) in items {
                    let name = k.as_str().unwrap_or_default();
                    let total = v
                        .field("total_count")
                        .and_then(|n| n.as_int())
                        .unwrap_or(0)
                        .max(0) as u32;
                    self.cluster
                        .add_partitions(name, total)
                        .map_err(|e| self.engine_err(e))?;
                }
                Ok(Value::None)
            }
            M::ListTopics => Ok(Value::list(self.topic_names())),
            M::Close => Ok(Value::None),
            m => Err(missing_method(ADMIN, m, name)),
        }
    }

    /// Methods of the futures: `FutureRecordMetadata` (a send, always done) and `Future` (a
    /// commit_async, resolved at once).
    fn future_call(
        &mut self,
        proc: &mut Process,
        target: &HostRef,
        class: &str,
        name: &str,
        args: &[Value],
    ) -> Res {
        let outcome = match self.objects.get(target.id) {
            Some(Obj::Future(m)) if class == "FutureRecordMetadata" => Ok(record_metadata_value(m)),
            Some(Obj::Done(o)) if class == "Future" => o.clone(),
            _ => return Err(Exception::builtin("RuntimeError", "no future")),
        };
        let record = class == "FutureRecordMetadata";
        let m = method_of(name);
        let fires = match m {
            M::Get if record => return outcome,
            M::Succeeded | M::IsDone if record => return Ok(Value::Bool(true)),
            M::Succeeded => return Ok(Value::Bool(outcome.is_ok())),
            M::Failed => return Ok(Value::Bool(outcome.is_err())),
            M::Retriable if !record => return Ok(Value::Bool(false)),
            M::AddCallback => outcome.is_ok(),
            M::AddErrback if record => false,
            M::AddErrback => outcome.is_err(),
            M::AddBoth if !record => true,
            _ => return Err(no_attr(class, name)),
        };
        // Callbacks of a resolved future run at once, with its value or exception (then, for a
        // `Future`, any extra arguments given with them).
        if let (true, Some(f)) = (fires, args.first()) {
            let mut call_args = vec![match outcome {
                Ok(v) => v,
                Err(e) => Value::Exception(e),
            }];
            if !record {
                call_args.extend(args.iter().skip(1).cloned());
            }
            proc.call_value(self, f, call_args)?;
        }
        Ok(Value::host(class, target.id))
    }

    /// Calls host class `id` of `CLASSES`.
    fn class_call(&mut self, id: u64, args: &[Value], kwargs: &[(String, Value)]) -> Res {
        match id {
            0 => self.new_producer(args, kwargs),
            1 => self.new_consumer(args, kwargs),
            2 => {
                self.check_configs(ADMIN, kwargs, ADMIN_CONFIGS)?;
                let id = self.objects.add(Obj::Admin);
                Ok(Value::host("KafkaAdminClient", id))
            }
            _ => match usize::try_from(id)
                .ok()
                .and_then(|i| i.checked_sub(FIRST_RECORD_CLASS))
                .and_then(|i| RECORD_CLASSES.get(i))
            {
                Some((class, fields)) => new_record(class, fields, args, kwargs),
                None => Err(Exception::type_error("not callable")),
            },
        }
    }
}

impl pysnip::Host for ProcHost<'_> {
    fn import(&mut self, module: &str) -> Option<Result<Vec<(String, Value)>, Exception>> {
        let mut attrs: Vec<(String, Value)> = Vec::new();
        if module == "kafka.errors" {
            attrs = self.errors.module();
        } else if let Some((_, ids)) = MODULES.iter().find(|(m, _)| *m == module) {
            for &i in *ids {
                let name = CLASSES.get(usize::from(i)).copied().unwrap_or_default();
                attrs.push((name.to_string(), host_ref("class", u64::from(i))));
            }
            if module == "kafka" {
                attrs.push(("__version__".into(), Value::str("3.0.12")));
            }
        } else {
            for (i, (m, name, _)) in ASSIGNORS.iter().enumerate() {
                if *m == module {
                    attrs.push((name.to_string(), host_ref("assignor", i as u64)));
                }
            }
            if attrs.is_empty() {
                return None;
            }
        }
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
        let class = &*target.class;
        let r = match (class, method) {
            ("class", None) if target.id == PROCESS_CLASS => {
                let until = self.now() + self.settings.process_ms.max(1);
                self.wait = Some(Wait::Work {
                    until,
                    outcome: self.work_outcome,
                });
                return HostResult::Block(0);
            }
            ("class", None) => self.class_call(target.id, &args, &kwargs),
            ("assignor", None) => Err(Exception::type_error(
                "pass the assignor class itself in partition_assignment_strategy",
            )),
            ("KafkaProducer", Some(m)) => self.producer_call(proc, target.id, m, &args, &kwargs),
            ("KafkaConsumer", Some(m)) => {
                return self.consumer_call(proc, target.id, m, &args, &kwargs)
            }
            ("KafkaAdminClient", Some(m)) => self.admin_call(m, &args, &kwargs),
            ("FutureRecordMetadata" | "Future", Some(m)) => {
                self.future_call(proc, target, class, m, &args)
            }
            _ => Err(Exception::type_error_fmt(format_args!(
                "'{class}' object is not callable"
            ))),
        };
        done(r)
    }

    fn get_attr(&mut self, obj: &HostRef, name: &str) -> Result<Value, Exception> {
        let o = self.objects.get(obj.id);
        Ok(match (&*obj.class, name) {
            ("FutureRecordMetadata" | "Future", "is_done") => Value::Bool(true),
            ("Future", "value") => match o {
                Some(Obj::Done(Ok(v))) => v.clone(),
                _ => Value::None,
            },
            ("Future", "exception") => match o {
                Some(Obj::Done(Err(e))) => Value::Exception(e.clone()),
                _ => Value::None,
            },
            ("FutureRecordMetadata", "value") => match o {
                Some(Obj::Future(m)) => record_metadata_value(m),
                _ => Value::None,
            },
            ("KafkaProducer" | "KafkaConsumer", "config") => empty_dict(),
            _ => Value::host_method(obj, name),
        })
    }

    fn iter_next(&mut self, proc: &mut Process, obj: &HostRef) -> HostResult {
        if &*obj.class != "KafkaConsumer" {
            return HostResult::Raise(Exception::type_error_fmt(format_args!(
                "'{}' object is not iterable",
                obj.class
            )));
        }
        match self.next_record(obj.id) {
            Ok(Some(r)) => done(self.consumer_record(proc, obj.id, &r)),
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
                    .map(|c| c.client_id())
                    .unwrap_or_default();
                format!("<KafkaConsumer client_id={client}>")
            }
            Some(Obj::Future(_)) => "<FutureRecordMetadata>".to_string(),
            Some(Obj::Done(_)) => "<kafka.future.Future>".to_string(),
            Some(Obj::Admin) => "<KafkaAdminClient>".to_string(),
            None => format!("<{} object>", obj.class),
        }
    }

    fn print(&mut self, text: &str) {
        self.pending_line.push_str(text);
        while let Some(i) = self.pending_line.find('\n') {
            let rest = self.pending_line.split_off(i + 1);
            let mut line = std::mem::replace(&mut self.pending_line, rest);
            line.truncate(i);
            push_line(
                self.output,
                self.cluster.now(),
                self.process,
                OutputKind::Stdout,
                line,
                None,
            );
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
    fn config_numbers_parse_as_a_non_negative_i64() {
        for s in [
            "0",
            "-0",
            "+7",
            "-7",
            "1000",
            "",
            "+",
            "-",
            "1e3",
            " 5",
            "5 ",
            "12a",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "18446744073709551616",
            "007",
        ] {
            let want = s.parse::<i64>().ok().and_then(|n| u64::try_from(n).ok());
            assert_eq!(config_number(s), want, "{s:?}");
        }
    }

    #[test]
    fn suggests_group_id_for_group() {
        assert_eq!(suggest("group", CONSUMER_CONFIGS), Some("group_id"));
        assert_eq!(
            suggest("value_serialiser", PRODUCER_CONFIGS),
            Some("value_serializer")
        );
        assert_eq!(suggest("zzzzzzzzzzzz", CONSUMER_CONFIGS), None);
        // Distances count chars: one accented letter is one edit.
        assert_eq!(suggest("grüup_id", CONSUMER_CONFIGS), Some("group_id"));
        assert_eq!(suggest("clíent_íd", CONSUMER_CONFIGS), Some("client_id"));
    }

    #[test]
    fn error_order_lists_every_class_once_sorted_by_name() {
        let names: Vec<&str> = ERROR_ORDER
            .iter()
            .map(|&i| ERROR_CLASSES[usize::from(i)].0)
            .collect();
        let mut sorted: Vec<&str> = ERROR_CLASSES.iter().map(|(n, _)| *n).collect();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted);
        let attrs: Vec<String> = KafkaErrors::new()
            .module()
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(attrs, sorted);
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
