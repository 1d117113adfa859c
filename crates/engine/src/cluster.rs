//! The simulated cluster: topics, producing, consumer groups (classic protocol), offsets, faults,
//! the virtual clock, the event queue and the trace.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use crate::assignor::{self, Member, Strategy, TopicPartition};
use crate::consumer::{
    Consumer, ConsumerConfig, ConsumerId, ConsumerStatus, OffsetReset, OwnedPartition,
};
use crate::error::KafkaError;
use crate::event::{self, Event, EvictReason, Name, ResetReason, TimedEvent};
use crate::group::{CommittedOffset, Group, GroupMember, GroupState};
use crate::log::{record_size, PartitionLog, Record, Topic, TopicConfig};
use crate::name_map::NameMap;
use crate::partitioner::partition_for_key;
use crate::rng::Rng;

/// Most partitions one topic may have here (a guard against absurd inputs, not a Kafka limit).
pub const MAX_PARTITIONS: u32 = 10_000;

/// kafka-python's `CommitFailedError` default message (a commit refused after a rebalance).
pub const COMMIT_FAILED_MESSAGE: &str = "Commit cannot be completed since the group has already rebalanced and assigned the partitions to another member.";

/// How a producer picks a partition for a record without key or explicit partition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum ClientProfile {
    /// kafka-python's `DefaultPartitioner`: a random partition for every record.
    #[default]
    KafkaPython,
    /// Java >= 3.3 `BuiltInPartitioner` (KIP-794): sticky per topic, switched after `batch.size` bytes.
    JavaSticky,
    /// KafkaJS: round-robin from a random start.
    KafkaJs,
}

/// The cluster-wide settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterConfig {
    /// Seed of the one random stream.
    pub seed: u64,
    /// `auto.create.topics.enable` (on produce, and on subscribe).
    pub auto_create_topics: bool,
    /// `num.partitions` for auto-created topics.
    pub default_partitions: u32,
    /// Null-key partitioning behaviour.
    pub client_profile: ClientProfile,
    /// `group.initial.rebalance.delay.ms`.
    pub initial_rebalance_delay_ms: u64,
    /// How often the log cleaner checks retention and compaction (Kafka's
    /// `log.retention.check.interval.ms`); 0 disables it.
    pub log_cleaner_interval_ms: u64,
    /// Virtual latency between the end of the join phase and the assignments (SyncGroup).
    pub sync_delay_ms: u64,
    /// The Java profile's `batch.size`.
    pub batch_size: u64,
    /// Configuration of auto-created topics.
    pub default_topic_config: TopicConfig,
    /// Wall-clock time (Unix ms) at virtual time 0. The broker's clock is `epoch_ms + now`:
    /// records without a timestamp get it, and time-based retention measures record timestamps
    /// (which clients set from the same clock) against it.
    pub epoch_ms: i64,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            seed: 0,
            auto_create_topics: true,
            default_partitions: 1,
            client_profile: ClientProfile::KafkaPython,
            initial_rebalance_delay_ms: 3_000,
            log_cleaner_interval_ms: 300_000,
            epoch_ms: 0,
            sync_delay_ms: 0,
            batch_size: 16_384,
            default_topic_config: TopicConfig::default(),
        }
    }
}

/// `acks` (accepted; a single in-memory broker acknowledges every write at once).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Acks {
    None,
    Leader,
    #[default]
    All,
}

/// A record to append.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProduceRequest {
    pub client_id: Name,
    pub topic: Name,
    pub partition: Option<u32>,
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
    pub headers: Vec<(String, Vec<u8>)>,
    /// CreateTime; the current virtual time when `None`.
    pub timestamp_ms: Option<i64>,
    pub acks: Acks,
}

impl ProduceRequest {
    /// A request with no key, value, headers or partition.
    pub fn new(client_id: impl Into<Name>, topic: impl Into<Name>) -> Self {
        ProduceRequest {
            client_id: client_id.into(),
            topic: topic.into(),
            partition: None,
            key: None,
            value: None,
            headers: Vec::new(),
            timestamp_ms: None,
            acks: Acks::All,
        }
    }
    pub fn key(mut self, key: impl Into<Vec<u8>>) -> Self {
        self.key = Some(key.into());
        self
    }
    pub fn value(mut self, value: impl Into<Vec<u8>>) -> Self {
        self.value = Some(value.into());
        self
    }
    pub fn partition(mut self, p: u32) -> Self {
        self.partition = Some(p);
        self
    }
    pub fn header(mut self, k: impl Into<String>, v: impl Into<Vec<u8>>) -> Self {
        self.headers.push((k.into(), v.into()));
        self
    }
    pub fn timestamp(mut self, ts: i64) -> Self {
        self.timestamp_ms = Some(ts);
        self
    }
}

/// What `produce` returns (kafka-python's `RecordMetadata`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordMetadata {
    pub topic: Name,
    pub partition: u32,
    pub offset: u64,
    pub timestamp: i64,
    pub serialized_key_size: i32,
    pub serialized_value_size: i32,
    pub serialized_header_size: i32,
}

/// One record returned by `poll` (kafka-python's `ConsumerRecord`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsumerRecordView {
    pub topic: Name,
    pub partition: u32,
    pub offset: u64,
    pub timestamp: i64,
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
    pub headers: Vec<(String, Vec<u8>)>,
    pub serialized_key_size: i32,
    pub serialized_value_size: i32,
    pub serialized_header_size: i32,
    /// The producing client's id.
    pub producer: Name,
}

impl ConsumerRecordView {
    pub fn topic_partition(&self) -> TopicPartition {
        TopicPartition::new(&*self.topic, self.partition)
    }
}

/// A fault to inject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fault {
    /// Kill the process: no more heartbeats or polls.
    Crash(ConsumerId),
    /// Block the main loop for this many ms (the heartbeat thread keeps running).
    Stall(ConsumerId, u64),
    /// Start the process again (crashing it first if it runs): it joins as a new member.
    Restart(ConsumerId),
}

/// A member's status as the UI shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MemberStatus {
    Alive,
    Stalled,
    /// The process behind this member id is gone (crashed, or restarted as another member).
    Crashed,
    Closed,
}

/// Lag of one partition for a group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionLag {
    pub tp: TopicPartition,
    pub log_end: u64,
    pub committed: Option<u64>,
    /// `log_end - committed`, `None` without a committed offset (Kafka's tools print `-`).
    pub lag: Option<u64>,
    /// The member the current generation assigned it to.
    pub owner: Option<Name>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Timer {
    Heartbeat(ConsumerId, u32),
    PollTimeout(ConsumerId, u32),
    StallEnd(ConsumerId, u32),
    SessionExpire(Name, Name),
    JoinDeadline(Name),
    InitialDelay(Name),
    Sync(Name, i32),
    Cleaner,
    Fault(Fault),
}

type Key = (u64, u64);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Sticky {
    partition: u32,
    bytes: u64,
}

/// The whole simulated Kafka. It never drives itself: the caller produces, polls and commits at
/// [`Cluster::now`], and moves time with [`Cluster::step`], [`Cluster::run_until`] or
/// [`Cluster::advance_to`], which process the scheduled internal events (heartbeats, session
/// timeouts, rebalance phases, poll-interval checks, log cleaner ticks, scheduled faults).
/// Driver calls do not process due events themselves.
#[derive(Clone, Debug)]
pub struct Cluster {
    cfg: ClusterConfig,
    now: u64,
    seq: u64,
    rng: Rng,
    /// A B-tree, unlike groups: with a NameMap here the engine bench's produce phase ran slower
    /// (measured again in the size push: the big Vecs' growth then copied instead of growing in
    /// place, ~300 M more instructions under callgrind).
    topics: BTreeMap<Name, Topic>,
    groups: NameMap<Group>,
    consumers: Vec<Consumer>,
    /// Scheduled timers sorted by key, the latest first: the next one due is the last (popped
    /// cheaply). Keys are unique (a sequence number breaks ties). A sorted `Vec` (the queue holds
    /// a few timers per consumer) is much less wasm code than a `BTreeMap`.
    queue: Vec<(Key, Timer)>,
    trace: Vec<TimedEvent>,
    /// Java sticky partitioner state per (client, topic), sorted by key (few entries: a sorted
    /// Vec is less wasm code than a BTreeMap).
    sticky: Vec<((Name, Name), Sticky)>,
    /// KafkaJS round-robin counter per client, sorted by client.
    round_robin: Vec<(Name, u64)>,
    cleaner_scheduled: bool,
    join_seq: u64,
}

/// Builds an error from its kind and message, out of line: every error path of the engine goes
/// through this one function instead of inlining its own string formatting.
#[cold]
#[inline(never)]
fn err(kind: fn(String) -> KafkaError, message: std::fmt::Arguments<'_>) -> KafkaError {
    kind(text(message))
}

/// `format!` out of line: one call per site instead of an inlined copy of its fast path.
#[inline(never)]
fn text(args: std::fmt::Arguments<'_>) -> String {
    std::fmt::format(args)
}

fn valid_topic_name(name: &str) -> Result<(), KafkaError> {
    let ok = !name.is_empty()
        && name.len() <= 249
        && name != "."
        && name != ".."
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(err(KafkaError::InvalidTopic, format_args!(
            "Topic name '{name}' is illegal: it must be 1-249 characters of [a-zA-Z0-9._-] and not '.' or '..'"
        )))
    }
}

fn len_i32(b: Option<&[u8]>) -> i32 {
    b.map(|b| i32::try_from(b.len()).unwrap_or(i32::MAX))
        .unwrap_or(-1)
}

fn header_size(h: &[(String, Vec<u8>)]) -> i32 {
    if h.is_empty() {
        return -1;
    }
    let n: usize = h.iter().map(|(k, v)| k.len().saturating_add(v.len())).sum();
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl Cluster {
    /// A new, empty cluster at virtual time 0.
    pub fn new(cfg: ClusterConfig) -> Self {
        let rng = Rng::new(cfg.seed);
        Cluster {
            cfg,
            now: 0,
            seq: 0,
            rng,
            topics: BTreeMap::new(),
            groups: NameMap::new(),
            consumers: Vec::new(),
            queue: Vec::new(),
            trace: Vec::new(),
            sticky: Vec::new(),
            round_robin: Vec::new(),
            cleaner_scheduled: false,
            join_seq: 0,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &ClusterConfig {
        &self.cfg
    }

    /// The virtual time in ms.
    pub fn now(&self) -> u64 {
        self.now
    }

    /// The broker's wall clock (Unix ms): `epoch_ms` plus virtual time.
    pub fn wall_clock_ms(&self) -> i64 {
        self.cfg
            .epoch_ms
            .saturating_add(i64::try_from(self.now).unwrap_or(i64::MAX))
    }

    /// The one random stream (the interpreter's `random`/`uuid` should use it too).
    pub fn rng(&mut self) -> &mut Rng {
        &mut self.rng
    }

    /// Changes the null-key partitioning profile from now on.
    pub fn set_client_profile(&mut self, p: ClientProfile) {
        self.cfg.client_profile = p;
    }

    /// Turns topic auto-creation on or off.
    pub fn set_auto_create_topics(&mut self, on: bool) {
        self.cfg.auto_create_topics = on;
    }

    // ----- events, queue, trace -------------------------------------------------------------

    fn emit(&mut self, event: Event) {
        self.trace.push(TimedEvent {
            time: self.now,
            event,
        });
    }

    fn schedule(&mut self, at: u64, t: Timer) -> Key {
        let key = (at.max(self.now), self.seq);
        self.seq += 1;
        // At the end of time a periodic timer would fire forever without the clock moving.
        let periodic = matches!(t, Timer::Heartbeat(..) | Timer::Cleaner);
        if !(periodic && key.0 == u64::MAX) {
            let i = self.queue.partition_point(|(k, _)| *k > key);
            self.queue.insert(i, (key, t));
        }
        key
    }

    fn cancel(&mut self, key: Option<Key>) {
        if let Some(k) = key {
            if let Ok(i) = self.queue.binary_search_by(|(q, _)| k.cmp(q)) {
                self.queue.remove(i);
            }
        }
    }

    /// The whole trace, oldest first.
    pub fn trace(&self) -> &[TimedEvent] {
        &self.trace
    }

    /// The events from index `index` on (for a UI that remembers how far it has read).
    pub fn events_since(&self, index: usize) -> &[TimedEvent] {
        self.trace.get(index..).unwrap_or(&[])
    }

    /// A stable FNV-1a hash of the trace's canonical encoding (equal natively and in wasm32).
    pub fn trace_hash(&self) -> u64 {
        event::trace_hash(&self.trace)
    }

    /// When the next internal event is due, if any.
    pub fn next_event_time(&self) -> Option<u64> {
        self.queue.last().map(|(k, _)| k.0)
    }

    /// Pops and processes the next internal event (moving the clock to its time) and returns
    /// the trace entries it produced (possibly none, e.g. a stale heartbeat of a crashed
    /// member). `None` when nothing is scheduled.
    pub fn step(&mut self) -> Option<&[TimedEvent]> {
        let (key, timer) = self.queue.pop()?;
        if key.0 > self.now {
            self.now = key.0;
        }
        let start = self.trace.len();
        self.handle(timer);
        Some(self.trace.get(start..).unwrap_or(&[]))
    }

    /// Processes every internal event due at or before `t`, then sets the clock to `t`
    /// (never backwards).
    pub fn run_until(&mut self, t: u64) {
        while let Some(next) = self.next_event_time() {
            if next > t {
                break;
            }
            self.step();
        }
        if t > self.now {
            self.now = t;
        }
    }

    /// Same as [`Cluster::run_until`]: moves the clock to `t`, processing due events on the way.
    pub fn advance_to(&mut self, t: u64) {
        self.run_until(t);
    }

    /// Processes the events due at the current time.
    pub fn run_due(&mut self) {
        self.run_until(self.now);
    }

    /// Schedules a fault at virtual time `at_ms` (now when in the past).
    pub fn schedule_fault(&mut self, at_ms: u64, fault: Fault) {
        self.schedule(at_ms, Timer::Fault(fault));
    }

    fn handle(&mut self, t: Timer) {
        match t {
            Timer::Heartbeat(c, inc) => self.on_heartbeat(c, inc),
            Timer::PollTimeout(c, inc) => self.on_poll_timeout(c, inc),
            Timer::StallEnd(c, inc) => {
                let now = self.now;
                if let Some(cons) = self.consumers.get_mut(c.0 as usize) {
                    if cons.incarnation == inc && cons.stalled_until.is_some_and(|u| u <= now) {
                        cons.stalled_until = None;
                        self.emit(Event::MemberResumed { consumer: c });
                    }
                }
            }
            Timer::SessionExpire(g, m) => {
                let consumer = self
                    .groups
                    .get_mut(&g)
                    .and_then(|grp| grp.members.get_mut(&m))
                    .map(|mem| {
                        mem.session_timer = None;
                        mem.consumer
                    });
                if let Some(consumer) = consumer {
                    self.drop_member(&g, &m, consumer, Some(EvictReason::SessionTimeout));
                }
            }
            Timer::JoinDeadline(g) => {
                if let Some(grp) = self.groups.get_mut(&g) {
                    grp.join_timer = None;
                    if grp.state == GroupState::PreparingRebalance {
                        self.complete_join(&g);
                    }
                }
            }
            Timer::InitialDelay(g) => self.on_initial_delay(&g),
            Timer::Sync(g, gen) => self.on_sync(&g, gen),
            Timer::Cleaner => self.on_cleaner(),
            Timer::Fault(f) => match f {
                Fault::Crash(c) => {
                    let _ = self.crash(c);
                }
                Fault::Stall(c, d) => {
                    let _ = self.stall(c, d);
                }
                Fault::Restart(c) => {
                    let _ = self.restart(c);
                }
            },
        }
    }

    // ----- topics ---------------------------------------------------------------------------

    fn create_topic_inner(
        &mut self,
        name: &str,
        partitions: u32,
        cfg: TopicConfig,
        auto: bool,
    ) -> Result<(), KafkaError> {
        valid_topic_name(name)?;
        if self.topics.contains_key(name) {
            return Err(err(
                KafkaError::TopicAlreadyExists,
                format_args!("Topic '{name}' already exists."),
            ));
        }
        if partitions == 0 || partitions > MAX_PARTITIONS {
            return Err(err(
                KafkaError::InvalidPartitions,
                format_args!(
                "Number of partitions must be between 1 and {MAX_PARTITIONS}, got {partitions}."
            ),
            ));
        }
        let n: Name = Arc::from(name);
        let mut logs = Vec::with_capacity(partitions as usize);
        for p in 0..partitions {
            logs.push(PartitionLog::new(n.clone(), p, self.now));
        }
        self.topics.insert(
            n.clone(),
            Topic {
                name: n.clone(),
                config: cfg,
                partitions: logs,
                created_ms: self.now,
            },
        );
        self.emit(Event::TopicCreated {
            topic: n,
            partitions,
            auto,
        });
        if !self.cleaner_scheduled && self.cfg.log_cleaner_interval_ms > 0 {
            self.cleaner_scheduled = true;
            let at = self.now.saturating_add(self.cfg.log_cleaner_interval_ms);
            self.schedule(at, Timer::Cleaner);
        }
        self.metadata_changed(name);
        Ok(())
    }

    /// Creates a topic with `partitions` partitions (1..=[`MAX_PARTITIONS`]).
    pub fn create_topic(
        &mut self,
        name: &str,
        partitions: u32,
        cfg: TopicConfig,
    ) -> Result<(), KafkaError> {
        self.create_topic_inner(name, partitions, cfg, false)
    }

    /// Raises a topic's partition count to `total` (existing keys may then map elsewhere).
    pub fn add_partitions(&mut self, name: &str, total: u32) -> Result<(), KafkaError> {
        let now = self.now;
        let topic = self.topics.get_mut(name).ok_or_else(|| {
            err(
                KafkaError::UnknownTopicOrPartition,
                format_args!("Topic '{name}' does not exist."),
            )
        })?;
        let old = topic.partitions.len() as u32;
        if total <= old || total > MAX_PARTITIONS {
            return Err(err(KafkaError::InvalidPartitions, format_args!(
                "Topic currently has {old} partitions, which is higher than or equal to the requested {total} (or above {MAX_PARTITIONS})."
            )));
        }
        for p in old..total {
            let log = PartitionLog::new(topic.name.clone(), p, now);
            topic.partitions.push(log);
        }
        let tn = topic.name.clone();
        self.emit(Event::PartitionsAdded {
            topic: tn,
            old,
            new: total,
        });
        self.metadata_changed(name);
        Ok(())
    }

    /// A topic's metadata changed: group leaders subscribed to it notice and rejoin (Kafka's
    /// leader-side metadata check); group-less subscribers take all partitions at their next poll.
    fn metadata_changed(&mut self, topic: &str) {
        let consumers = &mut self.consumers;
        for g in self.groups.values() {
            if g.state == GroupState::Empty {
                continue;
            }
            let subscribed = g
                .members
                .values()
                .any(|m| m.topics.iter().any(|t| t == topic));
            if !subscribed {
                continue;
            }
            let Some(m) = g.leader.as_ref().and_then(|l| g.members.get(l)) else {
                continue;
            };
            if let Some(cons) = consumers.get_mut(m.consumer.0 as usize) {
                if cons.incarnation == m.incarnation && cons.status == ConsumerStatus::Running {
                    cons.need_rejoin = true;
                }
            }
        }
    }

    /// All topics, by name.
    pub fn topics(&self) -> impl Iterator<Item = &Topic> {
        self.topics.values()
    }

    pub fn topic(&self, name: &str) -> Option<&Topic> {
        self.topics.get(name)
    }

    /// One partition's log.
    pub fn partition(&self, topic: &str, partition: u32) -> Option<&PartitionLog> {
        self.topics.get(topic).and_then(|t| t.partition(partition))
    }

    // ----- producing ------------------------------------------------------------------------

    fn null_key_partition(&mut self, client: &Name, topic: &Name, n: u32, size: u32) -> u32 {
        let n64 = u64::from(n);
        match self.cfg.client_profile {
            ClientProfile::KafkaPython => self.rng.gen_range(n64) as u32,
            ClientProfile::JavaSticky => {
                let key = (client.clone(), topic.clone());
                let batch = self.cfg.batch_size;
                let found = self.sticky.binary_search_by(|(k, _)| k.cmp(&key));
                let cur = found.ok().and_then(|i| self.sticky.get(i)).map(|(_, s)| *s);
                let mut st = match cur {
                    Some(s) if s.bytes < batch && s.partition < n => s,
                    _ => Sticky {
                        partition: self.rng.gen_range(n64) as u32,
                        bytes: 0,
                    },
                };
                st.bytes = st.bytes.saturating_add(u64::from(size));
                let p = st.partition;
                match found {
                    Ok(i) => {
                        if let Some(slot) = self.sticky.get_mut(i) {
                            slot.1 = st;
                        }
                    }
                    Err(i) => self.sticky.insert(i, (key, st)),
                }
                p
            }
            ClientProfile::KafkaJs => {
                let start = self.rng.next_u32();
                let i = match self.round_robin.binary_search_by(|(c, _)| c.cmp(client)) {
                    Ok(i) => i,
                    Err(i) => {
                        self.round_robin
                            .insert(i, (client.clone(), u64::from(start)));
                        i
                    }
                };
                let Some((_, counter)) = self.round_robin.get_mut(i) else {
                    return 0;
                };
                let p = (*counter % n64) as u32;
                *counter = counter.wrapping_add(1);
                p
            }
        }
    }

    /// Appends one record at `now()` and returns where it landed.
    ///
    /// Partition: the explicit one, else murmur2 of the key, else the client profile's null-key
    /// rule. Errors: unknown topic (auto-creation off), partition out of range, keyless record
    /// on a compacted topic.
    pub fn produce(&mut self, req: ProduceRequest) -> Result<RecordMetadata, KafkaError> {
        let ProduceRequest {
            client_id,
            topic,
            partition,
            key,
            value,
            headers,
            timestamp_ms,
            acks: _,
        } = req;
        let n = match self.topics.get(&topic) {
            Some(t) => t.partitions.len() as u32,
            None => {
                if !self.cfg.auto_create_topics {
                    return Err(err(
                        KafkaError::UnknownTopicOrPartition,
                        format_args!("Topic '{topic}' does not exist and auto-creation is off."),
                    ));
                }
                let parts = self.cfg.default_partitions.clamp(1, MAX_PARTITIONS);
                let tc = self.cfg.default_topic_config.clone();
                self.create_topic_inner(&topic, parts, tc, true)?;
                parts
            }
        };
        if n == 0 {
            return Err(err(
                KafkaError::UnknownTopicOrPartition,
                format_args!("Topic '{topic}' has no partitions."),
            ));
        }
        let size = record_size(key.as_deref(), value.as_deref(), &headers);
        let p = match (partition, key.as_deref()) {
            (Some(p), _) => {
                if p >= n {
                    return Err(err(
                        KafkaError::UnknownTopicOrPartition,
                        format_args!(
                            "Partition {p} of topic '{topic}' does not exist (it has {n})."
                        ),
                    ));
                }
                p
            }
            (None, Some(k)) => partition_for_key(k, n),
            (None, None) => self.null_key_partition(&client_id, &topic, n, size),
        };
        let now = self.now;
        let timestamp = timestamp_ms.unwrap_or_else(|| self.wall_clock_ms());
        let t = self.topics.get_mut(&topic).ok_or_else(|| {
            err(
                KafkaError::UnknownTopicOrPartition,
                format_args!("Topic '{topic}' does not exist."),
            )
        })?;
        if t.config.cleanup_policy.compacts() && key.is_none() {
            return Err(err(
                KafkaError::InvalidRecord,
                format_args!("Compacted topic '{topic}' cannot accept a record without a key."),
            ));
        }
        let key_size = len_i32(key.as_deref());
        let value_size = len_i32(value.as_deref());
        let hsize = header_size(&headers);
        let keyed = key.is_some();
        let rec = Record {
            offset: 0,
            timestamp,
            key,
            value,
            headers,
            producer: client_id.clone(),
            size,
            append_time: now,
            delete_horizon: None,
        };
        let tname = t.name.clone();
        let cfg = &t.config;
        let log = t.partitions.get_mut(p as usize).ok_or_else(|| {
            err(
                KafkaError::UnknownTopicOrPartition,
                format_args!("Partition {p} does not exist."),
            )
        })?;
        let (offset, rolled) = log.append(rec, cfg, now);
        if let Some(base) = rolled {
            self.emit(Event::SegmentRolled {
                topic: tname.clone(),
                partition: p,
                base_offset: base,
            });
        }
        self.emit(Event::Produced {
            client: client_id,
            topic: tname.clone(),
            partition: p,
            offset,
            timestamp,
            size,
            keyed,
        });
        Ok(RecordMetadata {
            topic: tname,
            partition: p,
            offset,
            timestamp,
            serialized_key_size: key_size,
            serialized_value_size: value_size,
            serialized_header_size: hsize,
        })
    }

    // ----- consumers ------------------------------------------------------------------------

    /// Registers a consumer (nothing happens on the wire until `subscribe`/`assign` and `poll`).
    /// Nonsensical values are clamped: intervals and `max_poll_records` to at least 1, an empty
    /// strategy list to kafka-python's `[Range, RoundRobin]`.
    pub fn new_consumer(&mut self, mut cfg: ConsumerConfig) -> ConsumerId {
        cfg.heartbeat_interval_ms = cfg.heartbeat_interval_ms.max(1);
        cfg.session_timeout_ms = cfg.session_timeout_ms.max(1);
        cfg.max_poll_interval_ms = cfg.max_poll_interval_ms.max(1);
        cfg.max_poll_records = cfg.max_poll_records.max(1);
        if cfg.strategies.is_empty() {
            cfg.strategies = vec![Strategy::Range, Strategy::RoundRobin];
        }
        let id = ConsumerId(self.consumers.len() as u32);
        let client: Name = Arc::from(cfg.client_id.as_str());
        let group: Option<Name> = cfg.group_id.as_deref().map(Arc::from);
        let next_auto_commit = self.now.saturating_add(cfg.auto_commit_interval_ms);
        self.consumers.push(Consumer {
            id,
            cfg,
            client: client.clone(),
            group: group.clone(),
            incarnation: 0,
            status: ConsumerStatus::Running,
            stalled_until: None,
            subscription: None,
            manual: false,
            owned: Vec::new(),
            member_id: None,
            generation: None,
            joining: false,
            need_rejoin: false,
            last_poll: None,
            poll_timer: None,
            heartbeat_scheduled: false,
            next_auto_commit,
            rotation: 0,
        });
        self.emit(Event::ConsumerCreated {
            consumer: id,
            client,
            group,
        });
        id
    }

    /// A consumer's client-side state.
    pub fn consumer(&self, c: ConsumerId) -> Option<&Consumer> {
        self.consumers.get(c.0 as usize)
    }

    /// All consumers ever created, by id.
    pub fn consumers(&self) -> &[Consumer] {
        &self.consumers
    }

    /// The consumer, or `UnknownConsumer` (one out-of-line lookup for every such check).
    #[inline(never)]
    fn known(&self, c: ConsumerId) -> Result<&Consumer, KafkaError> {
        self.consumers.get(c.0 as usize).ok_or_else(|| {
            err(
                KafkaError::UnknownConsumer,
                format_args!("No consumer {c}."),
            )
        })
    }

    fn running(&self, c: ConsumerId) -> Result<&Consumer, KafkaError> {
        let cons = self.known(c)?;
        match cons.status {
            ConsumerStatus::Running => Ok(cons),
            ConsumerStatus::Crashed => Err(err(
                KafkaError::IllegalState,
                format_args!("Consumer {c} has crashed."),
            )),
            ConsumerStatus::Closed => Err(err(
                KafkaError::IllegalState,
                format_args!("Consumer {c} is closed."),
            )),
        }
    }

    fn cons_mut(&mut self, c: ConsumerId) -> Option<&mut Consumer> {
        self.consumers.get_mut(c.0 as usize)
    }

    /// Subscribes to topics (group management when the consumer has a group id; without one,
    /// kafka-python-style, the consumer reads every partition of the topics). Missing topics are
    /// auto-created when auto-creation is on.
    pub fn subscribe(&mut self, c: ConsumerId, topics: &[String]) -> Result<(), KafkaError> {
        let cons = self.running(c)?;
        if cons.manual {
            return Err(err(
                KafkaError::IllegalState,
                format_args!(
                    "Subscription to topics, partitions and pattern are mutually exclusive"
                ),
            ));
        }
        if topics.is_empty() {
            return self.unsubscribe(c);
        }
        for t in topics {
            valid_topic_name(t)?;
        }
        // Sorting `&str` (not `String`) reuses the one string sort the engine already has.
        let mut names: Vec<&str> = Vec::with_capacity(topics.len());
        for t in topics {
            names.push(t);
        }
        names.sort_unstable();
        names.dedup();
        let mut sorted: Vec<String> = Vec::with_capacity(names.len());
        for t in names {
            sorted.push(t.to_string());
        }
        if self.cfg.auto_create_topics {
            for t in &sorted {
                if !self.topics.contains_key(t.as_str()) {
                    let parts = self.cfg.default_partitions.clamp(1, MAX_PARTITIONS);
                    let tc = self.cfg.default_topic_config.clone();
                    self.create_topic_inner(t, parts, tc, true)?;
                }
            }
        }
        let Some(cons) = self.cons_mut(c) else {
            return Ok(());
        };
        let changed = cons.subscription.as_ref() != Some(&sorted);
        cons.subscription = Some(sorted.clone());
        if changed && cons.member_id.is_some() {
            cons.need_rejoin = true;
        }
        self.emit(Event::Subscribed {
            consumer: c,
            topics: sorted,
        });
        Ok(())
    }

    /// Drops the subscription (leaving the group) or the manual assignment.
    pub fn unsubscribe(&mut self, c: ConsumerId) -> Result<(), KafkaError> {
        self.running(c)?;
        self.leave_group(c);
        if let Some(cons) = self.cons_mut(c) {
            cons.subscription = None;
            cons.manual = false;
            cons.owned.clear();
        }
        Ok(())
    }

    /// Manually assigns partitions (no group membership; commits still go to the group id).
    pub fn assign(&mut self, c: ConsumerId, tps: &[TopicPartition]) -> Result<(), KafkaError> {
        let cons = self.running(c)?;
        if cons.subscription.is_some() {
            return Err(err(
                KafkaError::IllegalState,
                format_args!(
                    "Subscription to topics, partitions and pattern are mutually exclusive"
                ),
            ));
        }
        for tp in tps {
            let ok = self
                .topics
                .get(tp.topic.as_str())
                .is_some_and(|t| tp.partition < t.partition_count());
            if !ok {
                return Err(err(
                    KafkaError::UnknownTopicOrPartition,
                    format_args!("{tp} does not exist."),
                ));
            }
        }
        let Some(cons) = self.cons_mut(c) else {
            return Ok(());
        };
        let mut list: Vec<TopicPartition> = tps.to_vec();
        assignor::sort_dedup(&mut list);
        set_owned(cons, &list);
        cons.manual = true;
        self.emit(Event::ManuallyAssigned {
            consumer: c,
            partitions: list,
        });
        Ok(())
    }

    /// The consumer's current assignment.
    pub fn assignment(&self, c: ConsumerId) -> Vec<TopicPartition> {
        self.consumer(c)
            .map(|cons| owned_tps(&cons.owned, &|_| true))
            .unwrap_or_default()
    }

    fn group_mode(cons: &Consumer) -> bool {
        cons.group.is_some() && cons.subscription.is_some()
    }

    fn reschedule_poll_timer(&mut self, c: ConsumerId) {
        let Some(cons) = self.consumers.get(c.0 as usize) else {
            return;
        };
        let old = cons.poll_timer;
        let at = self.now.saturating_add(cons.cfg.max_poll_interval_ms);
        let inc = cons.incarnation;
        let group_mode = Self::group_mode(cons);
        self.cancel(old);
        let key = if group_mode {
            Some(self.schedule(at, Timer::PollTimeout(c, inc)))
        } else {
            None
        };
        if let Some(cons) = self.cons_mut(c) {
            cons.poll_timer = key;
        }
    }

    fn ensure_heartbeat(&mut self, c: ConsumerId) {
        let Some(cons) = self.consumers.get(c.0 as usize) else {
            return;
        };
        if cons.heartbeat_scheduled || cons.member_id.is_none() {
            return;
        }
        let at = self.now.saturating_add(cons.cfg.heartbeat_interval_ms);
        let inc = cons.incarnation;
        self.schedule(at, Timer::Heartbeat(c, inc));
        if let Some(cons) = self.cons_mut(c) {
            cons.heartbeat_scheduled = true;
        }
    }

    /// kafka-python's `poll()`, non-blocking: marks the poll (max_poll_interval), joins or
    /// rejoins the group when needed (the answer comes as later events), runs a due auto-commit,
    /// then returns the records available now at the consumer's positions (up to `max_records`,
    /// default `max_poll_records`) and advances the positions. Returns nothing while the consumer
    /// has no assignment yet, or while it is stalled (a stalled main loop cannot poll).
    pub fn poll(
        &mut self,
        c: ConsumerId,
        max_records: Option<usize>,
    ) -> Result<Vec<ConsumerRecordView>, KafkaError> {
        self.poll_opts(c, max_records, true)
    }

    /// `poll()` with kafka-python's `update_offsets` flag. With `false` the positions stay where
    /// they are, as in kafka-python's message iterator (`for message in consumer:`), which
    /// polls that way and then moves the position to `offset + 1` as it yields each record:
    /// call [`Cluster::mark_consumed`] per yielded record to reproduce it.
    pub fn poll_opts(
        &mut self,
        c: ConsumerId,
        max_records: Option<usize>,
        update_offsets: bool,
    ) -> Result<Vec<ConsumerRecordView>, KafkaError> {
        let cons = self.running(c)?;
        if cons.stalled_until.is_some_and(|u| u > self.now) {
            return Ok(Vec::new());
        }
        let max = max_records.unwrap_or(cons.cfg.max_poll_records).max(1);
        let group_mode = Self::group_mode(cons);
        let now = self.now;
        if let Some(cons) = self.cons_mut(c) {
            cons.last_poll = Some(now);
        }
        self.reschedule_poll_timer(c);
        if group_mode {
            let (needs_join, joining) = match self.consumers.get(c.0 as usize) {
                Some(cons) => (cons.member_id.is_none() || cons.need_rejoin, cons.joining),
                None => (false, false),
            };
            // A rejoin requested while a join is still in flight waits for its answer.
            if needs_join && !joining {
                self.join_group(c)?;
            }
        } else {
            self.sync_groupless_assignment(c);
        }
        self.maybe_auto_commit(c);
        self.fetch(c, max, update_offsets)
    }

    fn sync_groupless_assignment(&mut self, c: ConsumerId) {
        let Some(cons) = self.consumers.get(c.0 as usize) else {
            return;
        };
        let Some(sub) = cons.subscription.as_ref() else {
            return;
        };
        if cons.group.is_some() {
            return;
        }
        let mut want: Vec<TopicPartition> = Vec::new();
        for t in sub {
            if let Some(topic) = self.topics.get(t.as_str()) {
                for p in 0..topic.partition_count() {
                    want.push(TopicPartition::new(t.as_str(), p));
                }
            }
        }
        let same =
            cons.owned.len() == want.len() && cons.owned.iter().zip(&want).all(|(o, w)| &o.tp == w);
        if same {
            return;
        }
        if let Some(cons) = self.cons_mut(c) {
            set_owned(cons, &want);
        }
    }

    /// Commits the consumer's positions when auto-commit is on and its interval has passed
    /// (kafka-python does this inside `poll()`). Returns whether a commit was attempted.
    pub fn maybe_auto_commit(&mut self, c: ConsumerId) -> bool {
        let Some(cons) = self.consumers.get(c.0 as usize) else {
            return false;
        };
        if !cons.cfg.enable_auto_commit
            || cons.group.is_none()
            || cons.status != ConsumerStatus::Running
            || self.now < cons.next_auto_commit
        {
            return false;
        }
        let interval = cons.cfg.auto_commit_interval_ms;
        let now = self.now;
        if let Some(cons) = self.cons_mut(c) {
            cons.next_auto_commit = now.saturating_add(interval);
        }
        self.commit_positions(c)
    }

    /// Auto-commits the consumer's positions (a failure is in the trace); whether there were any.
    fn commit_positions(&mut self, c: ConsumerId) -> bool {
        let offsets = match self.consumers.get(c.0 as usize) {
            Some(cons) => Self::positions_of(cons),
            None => return false,
        };
        if offsets.is_empty() {
            return false;
        }
        let _ = self.do_commit(c, offsets, true);
        true
    }

    fn positions_of(cons: &Consumer) -> Vec<(TopicPartition, u64)> {
        let mut out = Vec::new();
        for o in &cons.owned {
            if let Some(p) = o.position {
                out.push((o.tp.clone(), p));
            }
        }
        out
    }

    /// Resolves a missing position: the committed offset, else `auto_offset_reset`.
    fn init_position(&mut self, c: ConsumerId, idx: usize) -> Result<u64, KafkaError> {
        let cons = self.known(c)?;
        let Some(op) = cons.owned.get(idx) else {
            return Err(err(
                KafkaError::IllegalState,
                format_args!("No such assigned partition"),
            ));
        };
        if let Some(p) = op.position {
            return Ok(p);
        }
        let tp = op.tp.clone();
        let committed = cons
            .group
            .as_ref()
            .and_then(|g| self.groups.get(g))
            .and_then(|g| g.committed(&tp));
        let reset = cons.cfg.auto_offset_reset;
        let log = self
            .topics
            .get(tp.topic.as_str())
            .and_then(|t| t.partition(tp.partition));
        let (start, end) = log
            .map(|l| (l.log_start_offset(), l.log_end_offset()))
            .unwrap_or((0, 0));
        let pos = match committed {
            Some(o) => o,
            None => {
                let to = match reset {
                    OffsetReset::Earliest => start,
                    OffsetReset::Latest => end,
                    OffsetReset::None => {
                        return Err(err(
                            KafkaError::NoOffsetForPartition,
                            format_args!(
                                "No committed offset for {tp} and auto_offset_reset='none'."
                            ),
                        ))
                    }
                };
                self.emit(Event::OffsetReset {
                    consumer: c,
                    tp: tp.clone(),
                    from: None,
                    to,
                    reason: ResetReason::NoCommittedOffset,
                });
                to
            }
        };
        if let Some(op) = self.cons_mut(c).and_then(|cs| cs.owned.get_mut(idx)) {
            op.position = Some(pos);
        }
        Ok(pos)
    }

    fn fetch(
        &mut self,
        c: ConsumerId,
        max: usize,
        update_offsets: bool,
    ) -> Result<Vec<ConsumerRecordView>, KafkaError> {
        let (n, rotation) = match self.consumers.get(c.0 as usize) {
            Some(cons) => (cons.owned.len(), cons.rotation),
            None => return Ok(Vec::new()),
        };
        let mut out: Vec<ConsumerRecordView> = Vec::new();
        if n == 0 {
            return Ok(out);
        }
        for i in 0..n {
            if out.len() >= max {
                break;
            }
            let idx = rotation.wrapping_add(i) % n;
            if self
                .consumers
                .get(c.0 as usize)
                .and_then(|cs| cs.owned.get(idx))
                .is_some_and(|o| o.paused)
            {
                continue;
            }
            let mut pos = self.init_position(c, idx)?;
            let Some(cons) = self.consumers.get(c.0 as usize) else {
                break;
            };
            let Some(tp) = cons.owned.get(idx).map(|o| o.tp.clone()) else {
                break;
            };
            let reset = cons.cfg.auto_offset_reset;
            let Some(topic) = self.topics.get(tp.topic.as_str()) else {
                continue;
            };
            let tname = topic.name.clone();
            let Some(log) = topic.partition(tp.partition) else {
                continue;
            };
            let (start, end) = (log.log_start_offset(), log.log_end_offset());
            if pos < start || pos > end {
                let to = match reset {
                    OffsetReset::Earliest => start,
                    OffsetReset::Latest => end,
                    OffsetReset::None => {
                        return Err(err(KafkaError::OffsetOutOfRange, format_args!(
                            "Offset {pos} of {tp} is out of range [{start}, {end}] and auto_offset_reset='none'."
                        )))
                    }
                };
                self.emit(Event::OffsetReset {
                    consumer: c,
                    tp: tp.clone(),
                    from: Some(pos),
                    to,
                    reason: ResetReason::OutOfRange,
                });
                pos = to;
                if let Some(op) = self.cons_mut(c).and_then(|cs| cs.owned.get_mut(idx)) {
                    op.position = Some(pos);
                }
            }
            let Some(log) = self
                .topics
                .get(tp.topic.as_str())
                .and_then(|t| t.partition(tp.partition))
            else {
                continue;
            };
            let room = max - out.len();
            let before = out.len();
            let mut last = None;
            for r in log.records_from(pos).take(room) {
                last = Some(r.offset);
                out.push(ConsumerRecordView {
                    topic: tname.clone(),
                    partition: tp.partition,
                    offset: r.offset,
                    timestamp: r.timestamp,
                    key: r.key.clone(),
                    value: r.value.clone(),
                    headers: r.headers.clone(),
                    serialized_key_size: len_i32(r.key.as_deref()),
                    serialized_value_size: len_i32(r.value.as_deref()),
                    serialized_header_size: header_size(&r.headers),
                    producer: r.producer.clone(),
                });
            }
            if let Some(last) = last {
                let first = out.get(before).map(|r| r.offset).unwrap_or(last);
                let count = (out.len() - before) as u32;
                if update_offsets {
                    if let Some(op) = self.cons_mut(c).and_then(|cs| cs.owned.get_mut(idx)) {
                        op.position = Some(last.saturating_add(1));
                    }
                }
                self.emit(Event::Fetched {
                    consumer: c,
                    topic: tname,
                    partition: tp.partition,
                    first_offset: first,
                    last_offset: last,
                    count,
                });
            }
        }
        if let Some(cons) = self.cons_mut(c) {
            cons.rotation = cons.rotation.wrapping_add(1);
        }
        Ok(out)
    }

    /// Commits offsets (the next offsets to read): the given ones, or every assigned
    /// partition's position. Fails with `CommitFailed` when the consumer is no longer in the
    /// group's current generation (evicted, rebalanced away), `RebalanceInProgress` while the
    /// group completes a rebalance, `IllegalState` without a group id.
    pub fn commit(
        &mut self,
        c: ConsumerId,
        offsets: Option<&[(TopicPartition, u64)]>,
    ) -> Result<(), KafkaError> {
        let cons = self.running(c)?;
        if cons.group.is_none() {
            return Err(err(
                KafkaError::IllegalState,
                format_args!("Requires group_id: commit is not available without one"),
            ));
        }
        let list = match offsets {
            Some(o) => o.to_vec(),
            None => Self::positions_of(cons),
        };
        if list.is_empty() {
            return Ok(());
        }
        // The broker refuses offsets for partitions it does not know; any offset value is
        // accepted (even past the log end: the next fetch resets it).
        for (tp, _) in &list {
            if self.partition(&tp.topic, tp.partition).is_none() {
                return Err(err(
                    KafkaError::UnknownTopicOrPartition,
                    format_args!("{tp} does not exist."),
                ));
            }
        }
        self.do_commit(c, list, false)
    }

    fn commit_failed(
        &mut self,
        c: ConsumerId,
        group: &Name,
        err: KafkaError,
        auto: bool,
    ) -> KafkaError {
        self.emit(Event::CommitFailed {
            group: group.clone(),
            consumer: c,
            reason: err.to_string(),
            auto,
        });
        err
    }

    fn do_commit(
        &mut self,
        c: ConsumerId,
        offsets: Vec<(TopicPartition, u64)>,
        auto: bool,
    ) -> Result<(), KafkaError> {
        let cons = self.known(c)?;
        let Some(gname) = cons.group.clone() else {
            return Err(err(
                KafkaError::IllegalState,
                format_args!("Requires group_id"),
            ));
        };
        let generation = if Self::group_mode(cons) {
            // kafka-python fails a commit locally while the consumer is not in a stable
            // generation (never joined, left, or rebalancing).
            let (Some(member), Some(gen)) = (cons.member_id.clone(), cons.generation) else {
                let e = err(
                    KafkaError::CommitFailed,
                    format_args!("{COMMIT_FAILED_MESSAGE}"),
                );
                return Err(self.commit_failed(c, &gname, e, auto));
            };
            if cons.joining {
                let e = err(
                    KafkaError::CommitFailed,
                    format_args!("Group rebalance in progress"),
                );
                return Err(self.commit_failed(c, &gname, e, auto));
            }
            enum Refusal {
                Rebalancing,
                UnknownMember,
                IllegalGeneration(i32),
            }
            let refusal = match self.groups.get(&gname) {
                None => Some(Refusal::UnknownMember),
                Some(g) => {
                    if !g.members.contains_key(&member) {
                        Some(Refusal::UnknownMember)
                    } else if g.state == GroupState::CompletingRebalance {
                        Some(Refusal::Rebalancing)
                    } else if g.generation != gen {
                        Some(Refusal::IllegalGeneration(g.generation))
                    } else {
                        None
                    }
                }
            };
            if let Some(r) = refusal {
                let e = match r {
                    Refusal::Rebalancing => {
                        // REBALANCE_IN_PROGRESS: kafka-python requests a rejoin and raises.
                        if let Some(cons) = self.cons_mut(c) {
                            cons.need_rejoin = true;
                        }
                        err(
                            KafkaError::CommitFailed,
                            format_args!("Group rebalance in progress"),
                        )
                    }
                    other => {
                        // UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION: kafka-python resets the
                        // generation (the next join is as a new member) and raises.
                        if let Some(cons) = self.cons_mut(c) {
                            cons.member_id = None;
                            cons.generation = None;
                            cons.need_rejoin = true;
                        }
                        match other {
                            Refusal::IllegalGeneration(current) => err(
                                KafkaError::CommitFailed,
                                format_args!("{COMMIT_FAILED_MESSAGE} (IllegalGenerationError: generation {gen} is not the group's {current})"),
                            ),
                            _ => err(
                                KafkaError::CommitFailed,
                                format_args!("{COMMIT_FAILED_MESSAGE} (UnknownMemberIdError: {member} is not in the group)"),
                            ),
                        }
                    }
                };
                return Err(self.commit_failed(c, &gname, e, auto));
            }
            gen
        } else {
            // A standalone (assign()) consumer commits with generation -1: only accepted while
            // the group has no active members.
            let busy = self
                .groups
                .get(&gname)
                .is_some_and(|g| !g.members.is_empty());
            if busy {
                let e = err(KafkaError::CommitFailed, format_args!(
                    "{COMMIT_FAILED_MESSAGE} (UnknownMemberIdError: group '{gname}' has active members)"
                ));
                return Err(self.commit_failed(c, &gname, e, auto));
            }
            -1
        };
        let now = self.now;
        let group = self
            .groups
            .get_or_insert_with(&gname, || Group::new(gname.clone()));
        for (tp, o) in &offsets {
            group.set_offset(
                tp,
                CommittedOffset {
                    offset: *o,
                    committed_at: now,
                    generation,
                },
            );
        }
        self.emit(Event::Committed {
            group: gname,
            consumer: c,
            generation,
            offsets,
            auto,
        });
        Ok(())
    }

    /// `pause(tp)`: fetches skip the partition until `resume`; membership, heartbeats and
    /// positions are untouched (no rebalance). Errors if it is not assigned.
    pub fn pause(&mut self, c: ConsumerId, tp: &TopicPartition) -> Result<(), KafkaError> {
        self.set_paused(c, tp, true)
    }

    /// `resume(tp)`: fetches from the partition again.
    pub fn resume(&mut self, c: ConsumerId, tp: &TopicPartition) -> Result<(), KafkaError> {
        self.set_paused(c, tp, false)
    }

    fn set_paused(
        &mut self,
        c: ConsumerId,
        tp: &TopicPartition,
        paused: bool,
    ) -> Result<(), KafkaError> {
        if let Some(op) = self.owned_mut(c, tp)? {
            op.paused = paused;
        }
        Ok(())
    }

    /// The assigned partitions that are paused, in order.
    pub fn paused(&self, c: ConsumerId) -> Vec<TopicPartition> {
        self.consumers
            .get(c.0 as usize)
            .map(|cs| owned_tps(&cs.owned, &|o| o.paused))
            .unwrap_or_default()
    }

    /// The consumer's state for an assigned partition (an error if it is not assigned).
    fn owned_mut(
        &mut self,
        c: ConsumerId,
        tp: &TopicPartition,
    ) -> Result<Option<&mut OwnedPartition>, KafkaError> {
        let idx = self.owned_index(c, tp)?;
        Ok(self.cons_mut(c).and_then(|cs| cs.owned.get_mut(idx)))
    }

    fn owned_index(&self, c: ConsumerId, tp: &TopicPartition) -> Result<usize, KafkaError> {
        let cons = self.running(c)?;
        cons.owned.iter().position(|o| &o.tp == tp).ok_or_else(|| {
            err(
                KafkaError::IllegalState,
                format_args!("No current assignment for partition {tp}"),
            )
        })
    }

    /// Sets the next offset to fetch for an assigned partition.
    pub fn seek(
        &mut self,
        c: ConsumerId,
        tp: &TopicPartition,
        offset: u64,
    ) -> Result<(), KafkaError> {
        if let Some(op) = self.owned_mut(c, tp)? {
            op.position = Some(offset);
        }
        self.emit(Event::Seeked {
            consumer: c,
            tp: tp.clone(),
            offset,
        });
        Ok(())
    }

    /// The message iterator's bookkeeping: the record at `offset` was handed to the user, so the
    /// position becomes `offset + 1` (no event; the `Fetched` event already covered it). Ignored
    /// (returns `Ok(false)`) when the partition is no longer assigned, as kafka-python stops
    /// yielding records of partitions that are not fetchable any more.
    pub fn mark_consumed(
        &mut self,
        c: ConsumerId,
        tp: &TopicPartition,
        offset: u64,
    ) -> Result<bool, KafkaError> {
        let cons = self.running(c)?;
        let Some(idx) = cons.owned.iter().position(|o| &o.tp == tp) else {
            return Ok(false);
        };
        if let Some(op) = self.cons_mut(c).and_then(|cs| cs.owned.get_mut(idx)) {
            op.position = Some(offset.saturating_add(1));
        }
        Ok(true)
    }

    fn seek_edge(
        &mut self,
        c: ConsumerId,
        tps: &[TopicPartition],
        end: bool,
    ) -> Result<(), KafkaError> {
        let list: Vec<TopicPartition> = if tps.is_empty() {
            owned_tps(&self.running(c)?.owned, &|_| true)
        } else {
            tps.to_vec()
        };
        for tp in list {
            let idx = self.owned_index(c, &tp)?;
            let log = self
                .topics
                .get(tp.topic.as_str())
                .and_then(|t| t.partition(tp.partition));
            let to = log
                .map(|l| {
                    if end {
                        l.log_end_offset()
                    } else {
                        l.log_start_offset()
                    }
                })
                .unwrap_or(0);
            let mut from = None;
            if let Some(op) = self.cons_mut(c).and_then(|cs| cs.owned.get_mut(idx)) {
                from = op.position;
                op.position = Some(to);
            }
            self.emit(Event::OffsetReset {
                consumer: c,
                tp,
                from,
                to,
                reason: if end {
                    ResetReason::SeekToEnd
                } else {
                    ResetReason::SeekToBeginning
                },
            });
        }
        Ok(())
    }

    /// Moves the positions to the log start (all assigned partitions when `tps` is empty).
    pub fn seek_to_beginning(
        &mut self,
        c: ConsumerId,
        tps: &[TopicPartition],
    ) -> Result<(), KafkaError> {
        self.seek_edge(c, tps, false)
    }

    /// Moves the positions to the log end (all assigned partitions when `tps` is empty).
    pub fn seek_to_end(&mut self, c: ConsumerId, tps: &[TopicPartition]) -> Result<(), KafkaError> {
        self.seek_edge(c, tps, true)
    }

    /// The next offset the consumer will fetch (resolving it from the committed offset or
    /// the reset policy when unknown).
    pub fn position(&mut self, c: ConsumerId, tp: &TopicPartition) -> Result<u64, KafkaError> {
        let idx = self.owned_index(c, tp)?;
        self.init_position(c, idx)
    }

    /// The group's committed offset for a partition.
    pub fn committed(&self, group: &str, tp: &TopicPartition) -> Option<u64> {
        self.groups.get(group).and_then(|g| g.committed(tp))
    }

    /// `close(autocommit)`: commits the positions first when `autocommit` and
    /// `enable_auto_commit`, then leaves the group cleanly (a rebalance follows). Closing twice
    /// is a no-op.
    pub fn close(&mut self, c: ConsumerId, autocommit: bool) -> Result<(), KafkaError> {
        let cons = self.known(c)?;
        if cons.status != ConsumerStatus::Running {
            return Ok(());
        }
        if autocommit && cons.cfg.enable_auto_commit && cons.group.is_some() {
            self.commit_positions(c);
        }
        self.leave_group(c);
        let timer = self
            .consumers
            .get(c.0 as usize)
            .and_then(|cs| cs.poll_timer);
        self.cancel(timer);
        if let Some(cons) = self.cons_mut(c) {
            cons.status = ConsumerStatus::Closed;
            cons.poll_timer = None;
            cons.owned.clear();
            cons.stalled_until = None;
        }
        self.emit(Event::ConsumerClosed { consumer: c });
        Ok(())
    }

    /// Sends LeaveGroup for the consumer's member, if any.
    fn leave_group(&mut self, c: ConsumerId) {
        let Some(cons) = self.consumers.get(c.0 as usize) else {
            return;
        };
        let (Some(g), Some(m)) = (cons.group.clone(), cons.member_id.clone()) else {
            return;
        };
        if let Some(cons) = self.cons_mut(c) {
            cons.member_id = None;
            cons.generation = None;
            cons.joining = false;
        }
        self.drop_member(&g, &m, c, None);
    }

    /// A member leaves (`evict` `None`) or is evicted from its group, if still there: the event,
    /// then the removal and the group's reaction.
    fn drop_member(
        &mut self,
        g: &Name,
        m: &Name,
        consumer: ConsumerId,
        evict: Option<EvictReason>,
    ) {
        let present = self
            .groups
            .get(g)
            .is_some_and(|grp| grp.members.contains_key(m));
        if !present {
            return;
        }
        let (group, member_id) = (g.clone(), m.clone());
        let (event, reason) = match evict {
            None => (
                Event::Left {
                    group,
                    consumer,
                    member_id,
                },
                "member left",
            ),
            Some(reason) => (
                Event::Evicted {
                    group,
                    consumer,
                    member_id,
                    reason,
                },
                match reason {
                    EvictReason::SessionTimeout => "session timeout",
                    EvictReason::MaxPollInterval => "max.poll.interval.ms exceeded",
                    EvictReason::RebalanceTimeout => "rebalance timeout",
                },
            ),
        };
        self.emit(event);
        self.remove_member(g, m, reason);
    }

    // ----- faults ---------------------------------------------------------------------------

    /// Kills the consumer's process now: it stops heartbeating and polling; its member stays in
    /// the group until the session timeout.
    pub fn crash(&mut self, c: ConsumerId) -> Result<(), KafkaError> {
        self.running(c)?;
        let timer = self
            .consumers
            .get(c.0 as usize)
            .and_then(|cs| cs.poll_timer);
        self.cancel(timer);
        let mut member = None;
        if let Some(cons) = self.cons_mut(c) {
            member = cons.member_id.take();
            cons.status = ConsumerStatus::Crashed;
            cons.poll_timer = None;
            cons.owned.clear();
            cons.generation = None;
            cons.joining = false;
            cons.need_rejoin = false;
            cons.stalled_until = None;
        }
        self.emit(Event::MemberCrashed {
            consumer: c,
            member_id: member,
        });
        Ok(())
    }

    /// Blocks the consumer's main loop for `duration_ms` (its heartbeat thread keeps running):
    /// past `max_poll_interval_ms` without a poll, the member leaves the group.
    pub fn stall(&mut self, c: ConsumerId, duration_ms: u64) -> Result<(), KafkaError> {
        self.running(c)?;
        let until = self.now.saturating_add(duration_ms);
        let mut inc = 0;
        if let Some(cons) = self.cons_mut(c) {
            cons.stalled_until = Some(until);
            inc = cons.incarnation;
        }
        self.schedule(until, Timer::StallEnd(c, inc));
        self.emit(Event::MemberStalled { consumer: c, until });
        Ok(())
    }

    /// Starts the consumer's process again (crashing it first if it is running). It keeps its
    /// id, configuration and subscription (or manual assignment) but has a new incarnation: it
    /// joins as a new member at its next poll, and its old member lingers until the session
    /// timeout, as in Kafka without static membership.
    pub fn restart(&mut self, c: ConsumerId) -> Result<ConsumerId, KafkaError> {
        let cons = self.known(c)?;
        if cons.status == ConsumerStatus::Running {
            self.crash(c)?;
        }
        let now = self.now;
        let mut inc = 0;
        if let Some(cons) = self.cons_mut(c) {
            cons.incarnation = cons.incarnation.wrapping_add(1);
            inc = cons.incarnation;
            cons.status = ConsumerStatus::Running;
            cons.member_id = None;
            cons.generation = None;
            cons.joining = false;
            cons.need_rejoin = false;
            cons.last_poll = None;
            cons.poll_timer = None;
            cons.heartbeat_scheduled = false;
            cons.stalled_until = None;
            cons.next_auto_commit = now.saturating_add(cons.cfg.auto_commit_interval_ms);
            if cons.manual {
                for o in cons.owned.iter_mut() {
                    o.position = None;
                }
            } else {
                cons.owned.clear();
            }
        }
        self.emit(Event::MemberRestarted {
            consumer: c,
            incarnation: inc,
        });
        Ok(c)
    }

    fn on_poll_timeout(&mut self, c: ConsumerId, inc: u32) {
        let Some(cons) = self.consumers.get(c.0 as usize) else {
            return;
        };
        if cons.incarnation != inc || cons.status != ConsumerStatus::Running {
            return;
        }
        let (Some(g), Some(m)) = (cons.group.clone(), cons.member_id.clone()) else {
            if let Some(cons) = self.cons_mut(c) {
                cons.poll_timer = None;
            }
            return;
        };
        if let Some(cons) = self.cons_mut(c) {
            cons.poll_timer = None;
            cons.member_id = None;
            cons.generation = None;
            cons.joining = false;
            cons.need_rejoin = true;
        }
        self.drop_member(&g, &m, c, Some(EvictReason::MaxPollInterval));
    }

    fn on_heartbeat(&mut self, c: ConsumerId, inc: u32) {
        let Some(cons) = self.consumers.get(c.0 as usize) else {
            return;
        };
        if cons.incarnation != inc {
            return;
        }
        let alive = cons.status == ConsumerStatus::Running;
        let (true, Some(g), Some(m)) = (alive, cons.group.clone(), cons.member_id.clone()) else {
            if let Some(cons) = self.cons_mut(c) {
                cons.heartbeat_scheduled = false;
            }
            return;
        };
        let interval = cons.cfg.heartbeat_interval_ms;
        let now = self.now;
        let mut rebalance = false;
        let mut known = false;
        let mut old_timer = None;
        let mut session = 0;
        if let Some(grp) = self.groups.get_mut(&g) {
            let state = grp.state;
            let ggen = grp.generation;
            if let Some(mem) = grp.members.get_mut(&m) {
                known = true;
                mem.last_heartbeat = now;
                old_timer = mem.session_timer.take();
                session = mem.session_timeout_ms;
                rebalance = (state == GroupState::PreparingRebalance && !mem.joined)
                    || (state == GroupState::Stable && mem.generation != ggen);
            }
        }
        if !known {
            // UNKNOWN_MEMBER_ID: the group removed us; forget the membership and rejoin at the
            // next poll (the assignment is lost then).
            if let Some(cons) = self.cons_mut(c) {
                cons.member_id = None;
                cons.generation = None;
                cons.joining = false;
                cons.need_rejoin = true;
                cons.heartbeat_scheduled = false;
            }
            return;
        }
        self.arm_session_timer(&g, &m, old_timer, session);
        if rebalance {
            if let Some(cons) = self.cons_mut(c) {
                cons.need_rejoin = true;
            }
        }
        self.emit(Event::Heartbeat {
            group: g,
            consumer: c,
            member_id: m,
            rebalance_in_progress: rebalance,
        });
        self.schedule(now.saturating_add(interval), Timer::Heartbeat(c, inc));
    }

    // ----- group coordinator ----------------------------------------------------------------

    /// (Re)starts a member's session timeout from now, cancelling its previous one.
    fn arm_session_timer(&mut self, g: &Name, m: &Name, old: Option<Key>, session: u64) {
        self.cancel(old);
        let at = self.now.saturating_add(session);
        let key = self.schedule(at, Timer::SessionExpire(g.clone(), m.clone()));
        if let Some(mem) = self
            .groups
            .get_mut(g)
            .and_then(|grp| grp.members.get_mut(m))
        {
            mem.session_timer = Some(key);
        }
    }

    fn set_state(&mut self, g: &Name, to: GroupState) {
        let Some(grp) = self.groups.get_mut(g) else {
            return;
        };
        let from = grp.state;
        if from == to {
            return;
        }
        grp.state = to;
        self.emit(Event::GroupStateChanged {
            group: g.clone(),
            from,
            to,
        });
    }

    /// Sends JoinGroup for the consumer (after kafka-python's join-prepare: a synchronous
    /// auto-commit, and for eager protocols revoking every partition).
    fn join_group(&mut self, c: ConsumerId) -> Result<(), KafkaError> {
        let cons = self.known(c)?;
        let Some(g) = cons.group.clone() else {
            return Ok(());
        };
        let strategies = cons.cfg.strategies.clone();
        // INCONSISTENT_GROUP_PROTOCOL: the joiner must share a strategy with every other member.
        if let Some(grp) = self.groups.get(&g) {
            let me = cons.member_id.as_ref();
            let others = || grp.members.values().filter(|m| Some(&m.member_id) != me);
            let ok = strategies
                .iter()
                .any(|s| others().all(|m| m.strategies.contains(s)));
            if others().next().is_some() && !ok {
                // `{strategies:?}` by hand: the `Vec` `Debug` impl was a function of its own.
                let mut list = String::new();
                for (i, s) in strategies.iter().enumerate() {
                    let sep = if i == 0 { "" } else { ", " };
                    let _ = write!(list, "{sep}{s:?}");
                }
                return Err(err(
                    KafkaError::InconsistentGroupProtocol,
                    format_args!(
                        "Strategies [{list}] share nothing with the members of group '{g}'."
                    ),
                ));
            }
        }
        // Join prepare.
        let had_generation = cons.generation.is_some();
        if had_generation && cons.cfg.enable_auto_commit {
            self.commit_positions(c);
        }
        let Some(cons) = self.consumers.get(c.0 as usize) else {
            return Ok(());
        };
        let cooperative = cons.generation.is_some()
            && self
                .groups
                .get(&g)
                .and_then(|grp| grp.protocol)
                .is_some_and(|p| p == Strategy::CooperativeSticky);
        let subscription = cons.subscription.clone().unwrap_or_default();
        let revoke = owned_tps(&cons.owned, &|o| {
            !cooperative || !subscription.contains(&o.tp.topic)
        });
        let member_before = cons.member_id.clone();
        if !revoke.is_empty() {
            if let Some(cons) = self.cons_mut(c) {
                cons.owned.retain(|o| !revoke.contains(&o.tp));
            }
            self.emit(Event::Revoked {
                group: g.clone(),
                consumer: c,
                member_id: member_before.clone().unwrap_or_else(|| Arc::from("")),
                partitions: revoke,
            });
        }
        // JoinGroup.
        let known = member_before.as_ref().is_some_and(|m| {
            self.groups
                .get(&g)
                .is_some_and(|grp| grp.members.contains_key(m))
        });
        let member_id: Name = match (known, member_before) {
            (true, Some(m)) => m,
            _ => {
                let uuid = self.rng.uuid4();
                let client = self
                    .consumers
                    .get(c.0 as usize)
                    .map(|cs| cs.client.clone())
                    .unwrap_or_else(|| Arc::from(""));
                Arc::from(text(format_args!("{client}-{uuid}")).as_str())
            }
        };
        let Some(cons) = self.consumers.get(c.0 as usize) else {
            return Ok(());
        };
        let owned = owned_tps(&cons.owned, &|_| true);
        let session = cons.cfg.session_timeout_ms;
        let rebalance_timeout = cons.cfg.max_poll_interval_ms;
        let inc = cons.incarnation;
        let client = cons.client.clone();
        let last_gen = cons.generation.unwrap_or(-1);
        let now = self.now;
        self.join_seq += 1;
        let join_seq = self.join_seq;
        let grp = self.groups.get_or_insert_with(&g, || Group::new(g.clone()));
        let old_timer = match grp.members.get_mut(&member_id) {
            Some(mem) => {
                mem.strategies = strategies;
                mem.topics = subscription;
                mem.owned = owned;
                mem.joined = true;
                mem.last_heartbeat = now;
                mem.session_timer.take()
            }
            None => {
                grp.members.insert(
                    member_id.clone(),
                    GroupMember {
                        member_id: member_id.clone(),
                        consumer: c,
                        incarnation: inc,
                        client_id: client,
                        strategies,
                        topics: subscription,
                        owned,
                        assignment: Vec::new(),
                        joined: true,
                        generation: last_gen,
                        session_timeout_ms: session,
                        rebalance_timeout_ms: rebalance_timeout,
                        last_heartbeat: now,
                        join_seq,
                        session_timer: None,
                    },
                );
                None
            }
        };
        let state = grp.state;
        self.arm_session_timer(&g, &member_id, old_timer, session);
        if let Some(cons) = self.cons_mut(c) {
            cons.member_id = Some(member_id.clone());
            cons.joining = true;
            cons.need_rejoin = false;
        }
        self.emit(Event::Joined {
            group: g.clone(),
            consumer: c,
            member_id: member_id.clone(),
            new_member: !known,
        });
        self.ensure_heartbeat(c);
        match state {
            GroupState::Empty => {
                let delay = self.cfg.initial_rebalance_delay_ms;
                let remaining = rebalance_timeout.saturating_sub(delay);
                let gen = self.groups.get(&g).map(|grp| grp.generation).unwrap_or(0);
                self.set_state(&g, GroupState::PreparingRebalance);
                self.emit(Event::RebalanceStarted {
                    group: g.clone(),
                    generation: gen,
                    reason: text(format_args!("member {member_id} joined an empty group")),
                });
                if let Some(grp) = self.groups.get_mut(&g) {
                    grp.initial_delay = Some((remaining, false));
                }
                self.schedule(now.saturating_add(delay), Timer::InitialDelay(g.clone()));
            }
            GroupState::PreparingRebalance => {
                // Kafka extends the initial delay when a new member joins the group's very
                // first rebalance (generation 0), up to the rebalance timeout.
                let in_delay = match self.groups.get_mut(&g) {
                    Some(grp) => {
                        let first = grp.generation == 0;
                        match grp.initial_delay.as_mut() {
                            Some(d) => {
                                if first && !known {
                                    d.1 = true;
                                }
                                true
                            }
                            None => false,
                        }
                    }
                    None => false,
                };
                if !in_delay {
                    self.maybe_complete_join(&g);
                }
            }
            GroupState::CompletingRebalance | GroupState::Stable => {
                let reason = if known {
                    text(format_args!("member {member_id} rejoined"))
                } else {
                    text(format_args!("member {member_id} joined"))
                };
                self.start_rebalance(&g, reason, Some(&member_id));
                self.maybe_complete_join(&g);
            }
        }
        Ok(())
    }

    fn start_rebalance(&mut self, g: &Name, reason: String, joiner: Option<&Name>) {
        let Some(grp) = self.groups.get_mut(g) else {
            return;
        };
        let old_sync = grp.sync_timer.take();
        let old_join = grp.join_timer.take();
        let was_completing = grp.state == GroupState::CompletingRebalance;
        for m in grp.members.values_mut() {
            m.joined = joiner.is_some_and(|j| j == &m.member_id);
            if !was_completing || m.joined {
                continue;
            }
            // Members waiting for their SyncGroup answer get REBALANCE_IN_PROGRESS: they rejoin.
            if let Some(cons) = self.consumers.get_mut(m.consumer.0 as usize) {
                if cons.incarnation == m.incarnation
                    && cons.member_id.as_ref() == Some(&m.member_id)
                {
                    cons.joining = false;
                    cons.need_rejoin = true;
                }
            }
        }
        let timeout = grp
            .members
            .values()
            .map(|m| m.rebalance_timeout_ms)
            .max()
            .unwrap_or(0);
        let gen = grp.generation;
        self.cancel(old_sync);
        self.cancel(old_join);
        self.set_state(g, GroupState::PreparingRebalance);
        self.emit(Event::RebalanceStarted {
            group: g.clone(),
            generation: gen,
            reason,
        });
        let key = self.schedule(
            self.now.saturating_add(timeout),
            Timer::JoinDeadline(g.clone()),
        );
        if let Some(grp) = self.groups.get_mut(g) {
            grp.join_timer = Some(key);
        }
    }

    fn maybe_complete_join(&mut self, g: &Name) {
        let ready = self.groups.get(g).is_some_and(|grp| {
            grp.state == GroupState::PreparingRebalance
                && grp.initial_delay.is_none()
                && grp.members.values().all(|m| m.joined)
        });
        if ready {
            self.complete_join(g);
        }
    }

    fn on_initial_delay(&mut self, g: &Name) {
        let delay = self.cfg.initial_rebalance_delay_ms;
        let Some(grp) = self.groups.get_mut(g) else {
            return;
        };
        let Some((remaining, joined_meanwhile)) = grp.initial_delay else {
            return;
        };
        if joined_meanwhile && remaining > 0 {
            let d = delay.min(remaining);
            grp.initial_delay = Some((remaining - d, false));
            let at = self.now.saturating_add(d);
            self.schedule(at, Timer::InitialDelay(g.clone()));
            return;
        }
        grp.initial_delay = None;
        if grp.state == GroupState::PreparingRebalance {
            self.complete_join(g);
        }
    }

    /// Ends the join phase: members that did not rejoin are removed, the generation advances,
    /// the leader and protocol are chosen; the assignments follow after `sync_delay_ms`.
    fn complete_join(&mut self, g: &Name) {
        let Some(grp) = self.groups.get_mut(g) else {
            return;
        };
        let old_join = grp.join_timer.take();
        grp.initial_delay = None;
        self.cancel(old_join);
        // Members that did not rejoin, in member id order.
        loop {
            let Some(grp) = self.groups.get_mut(g) else {
                return;
            };
            let missing = grp.members.values().find(|m| !m.joined);
            let Some(m) = missing.map(|m| m.member_id.clone()) else {
                break;
            };
            let Some(mem) = grp.members.remove(&m) else {
                break;
            };
            self.cancel(mem.session_timer);
            self.emit(Event::Evicted {
                group: g.clone(),
                consumer: mem.consumer,
                member_id: m,
                reason: EvictReason::RebalanceTimeout,
            });
        }
        let Some(grp) = self.groups.get_mut(g) else {
            return;
        };
        grp.generation = grp.generation.saturating_add(1);
        if grp.members.is_empty() {
            grp.protocol = None;
            grp.leader = None;
            self.set_state(g, GroupState::Empty);
            return;
        }
        // Leader: kept if still a member, else the earliest joiner.
        let leader = match grp.leader.as_ref().filter(|l| grp.members.contains_key(l)) {
            Some(l) => l.clone(),
            None => grp
                .members
                .values()
                .min_by_key(|m| m.join_seq)
                .map(|m| m.member_id.clone())
                .unwrap_or_else(|| Arc::from("")),
        };
        let protocol = select_protocol(grp, &leader);
        grp.leader = Some(leader.clone());
        grp.protocol = Some(protocol);
        grp.rebalances += 1;
        for m in grp.members.values_mut() {
            m.joined = false;
        }
        let generation = grp.generation;
        let mut members: Vec<Name> = Vec::new();
        for k in grp.members.keys() {
            members.push(k.clone());
        }
        self.set_state(g, GroupState::CompletingRebalance);
        self.emit(Event::GenerationStarted {
            group: g.clone(),
            generation,
            leader,
            protocol,
            members,
        });
        let at = self.now.saturating_add(self.cfg.sync_delay_ms);
        let key = self.schedule(at, Timer::Sync(g.clone(), generation));
        if let Some(grp) = self.groups.get_mut(g) {
            grp.sync_timer = Some(key);
        }
    }

    /// SyncGroup: the leader's assignment reaches every member; the group becomes Stable.
    fn on_sync(&mut self, g: &Name, generation: i32) {
        let topics = &self.topics;
        let Some(grp) = self.groups.get_mut(g) else {
            return;
        };
        if grp.state != GroupState::CompletingRebalance || grp.generation != generation {
            return;
        }
        grp.sync_timer = None;
        let protocol = grp.protocol.unwrap_or(Strategy::Range);
        let partitions_of = |t: &str| topics.get(t).map(Topic::partition_count);
        // Member ids are distinct (the group's keys).
        let members: Vec<Member<'_>> = grp
            .members
            .values()
            .map(|m| {
                let generation = (m.generation >= 0).then_some(m.generation);
                Member::new(&m.member_id, &m.topics, &m.owned, generation)
            })
            .collect();
        let raw = assignor::assign_with(protocol, &members, &partitions_of);
        drop(members);
        // The state change comes first in the trace, then each member's revocation and
        // assignment, in member id order.
        let from = grp.state;
        grp.state = GroupState::Stable;
        let now = self.now;
        let trace = &mut self.trace;
        trace.push(TimedEvent {
            time: now,
            event: Event::GroupStateChanged {
                group: g.clone(),
                from,
                to: GroupState::Stable,
            },
        });
        let cooperative = protocol == Strategy::CooperativeSticky;
        // Defensive validation: existing partitions, subscribed topics, one owner each.
        // Partitions already given out, sorted (a Vec: less wasm code than a BTreeSet).
        let mut taken: Vec<&TopicPartition> = Vec::new();
        // In member id order (the members' order). Each list stays sorted: the assignor's
        // lists are sorted and duplicate-free, and filtering keeps that.
        for m in grp.members.values_mut() {
            let mut list = Vec::new();
            let found = raw.binary_search_by(|(k, _)| k.as_str().cmp(&m.member_id));
            if let Some((_, tps)) = found.ok().and_then(|i| raw.get(i)) {
                for tp in tps {
                    let exists = partitions_of(&tp.topic).is_some_and(|n| tp.partition < n);
                    if !exists || !m.topics.contains(&tp.topic) {
                        continue;
                    }
                    if let Err(i) = taken.binary_search(&tp) {
                        taken.insert(i, tp);
                        list.push(tp.clone());
                    }
                }
            }
            m.assignment = list.clone();
            m.generation = generation;
            let c = m.consumer;
            let Some(cons) = self.consumers.get_mut(c.0 as usize) else {
                continue;
            };
            if cons.incarnation != m.incarnation
                || cons.status != ConsumerStatus::Running
                || cons.member_id.as_ref() != Some(&m.member_id)
            {
                continue;
            }
            let revoked = owned_tps(&cons.owned, &|o| !list.contains(&o.tp));
            // The new assignment in `list`'s (sorted, duplicate-free) order, keeping the
            // positions of partitions the consumer already owned.
            set_owned(cons, &list);
            cons.generation = Some(generation);
            cons.joining = false;
            cons.next_auto_commit = now.saturating_add(cons.cfg.auto_commit_interval_ms);
            if !revoked.is_empty() {
                if cooperative {
                    // Cooperative: give up what moved, then rejoin so it can be handed over.
                    cons.need_rejoin = true;
                }
                trace.push(TimedEvent {
                    time: now,
                    event: Event::Revoked {
                        group: g.clone(),
                        consumer: c,
                        member_id: m.member_id.clone(),
                        partitions: revoked,
                    },
                });
            }
            trace.push(TimedEvent {
                time: now,
                event: Event::Assigned {
                    group: g.clone(),
                    consumer: c,
                    member_id: m.member_id.clone(),
                    generation,
                    partitions: list,
                },
            });
        }
        self.emit(Event::RebalanceCompleted {
            group: g.clone(),
            generation,
        });
    }

    /// Removes a member (leave or eviction) and lets the group react.
    fn remove_member(&mut self, g: &Name, m: &Name, reason: &str) {
        let Some(grp) = self.groups.get_mut(g) else {
            return;
        };
        let Some(mem) = grp.members.remove(m) else {
            return;
        };
        if grp.leader.as_ref() == Some(m) {
            grp.leader = None;
        }
        let state = grp.state;
        self.cancel(mem.session_timer);
        match state {
            GroupState::Empty => {}
            GroupState::PreparingRebalance => self.maybe_complete_join(g),
            GroupState::Stable | GroupState::CompletingRebalance => {
                self.start_rebalance(g, text(format_args!("{reason}: {m}")), None);
                self.maybe_complete_join(g);
            }
        }
    }

    /// All groups, by id.
    pub fn groups(&self) -> impl Iterator<Item = &Group> {
        self.groups.values()
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.get(id)
    }

    /// A member's status as shown to the user.
    pub fn member_status(&self, group: &str, member_id: &str) -> Option<MemberStatus> {
        let m = self.groups.get(group)?.members.get(member_id)?;
        let cons = self.consumers.get(m.consumer.0 as usize)?;
        let same_process = cons.incarnation == m.incarnation;
        Some(match cons.status {
            _ if !same_process => MemberStatus::Crashed,
            ConsumerStatus::Crashed => MemberStatus::Crashed,
            ConsumerStatus::Closed => MemberStatus::Closed,
            ConsumerStatus::Running => {
                if cons.stalled_until.is_some_and(|u| u > self.now) {
                    MemberStatus::Stalled
                } else {
                    MemberStatus::Alive
                }
            }
        })
    }

    /// Lag per partition for a group: every partition of the topics its members subscribe to,
    /// plus every partition with a committed offset.
    pub fn group_lag(&self, group: &str) -> Vec<PartitionLag> {
        let Some(g) = self.groups.get(group) else {
            return Vec::new();
        };
        // A sorted, duplicate-free Vec (less wasm code than a BTreeSet).
        let mut tps: Vec<TopicPartition> = Vec::new();
        for (tp, _) in g.offsets.iter() {
            tps.push(tp.clone());
        }
        for m in g.members.values() {
            for t in &m.topics {
                if let Some(topic) = self.topics.get(t.as_str()) {
                    for p in 0..topic.partition_count() {
                        tps.push(TopicPartition::new(t.as_str(), p));
                    }
                }
            }
        }
        assignor::sort_dedup(&mut tps);
        // Owners in a stable group (each member's assignment is sorted; the last member wins).
        let stable = g.state == GroupState::Stable;
        let mut out = Vec::with_capacity(tps.len());
        for tp in tps {
            let log_end = self
                .partition(&tp.topic, tp.partition)
                .map(|l| l.log_end_offset())
                .unwrap_or(0);
            let committed = g.committed(&tp);
            let lag = committed.map(|c| log_end.saturating_sub(c));
            let owner = if stable {
                g.members
                    .values()
                    .rev()
                    .find(|m| m.assignment.binary_search(&tp).is_ok())
                    .map(|m| m.member_id.clone())
            } else {
                None
            };
            out.push(PartitionLag {
                tp,
                log_end,
                committed,
                lag,
                owner,
            });
        }
        out
    }

    /// Sum of a member's partition lags (its current assignment).
    pub fn member_lag(&self, group: &str, member_id: &str) -> u64 {
        self.group_lag(group)
            .iter()
            .filter(|l| l.owner.as_deref() == Some(member_id))
            .filter_map(|l| l.lag)
            .sum()
    }

    /// Sum of the group's partition lags (partitions without a committed offset count as 0).
    pub fn total_lag(&self, group: &str) -> u64 {
        self.group_lag(group).iter().filter_map(|l| l.lag).sum()
    }

    // ----- log cleaner ----------------------------------------------------------------------

    fn on_cleaner(&mut self) {
        self.run_log_cleaner();
        if self.cfg.log_cleaner_interval_ms > 0 {
            let at = self.now.saturating_add(self.cfg.log_cleaner_interval_ms);
            self.schedule(at, Timer::Cleaner);
        } else {
            self.cleaner_scheduled = false;
        }
    }

    /// Runs the log cleaner now (retention and compaction on every topic), outside its schedule.
    pub fn run_log_cleaner(&mut self) {
        let now = self.now;
        let wall = self.wall_clock_ms();
        // Straight into the trace (disjoint fields), in the same order as before.
        let trace = &mut self.trace;
        for topic in self.topics.values_mut() {
            let Topic {
                name,
                config: cfg,
                partitions,
                ..
            } = topic;
            for log in partitions.iter_mut() {
                if cfg.cleanup_policy.compacts() {
                    let (removed, tombstones) = log.compact(cfg, now);
                    if removed > 0 {
                        trace.push(TimedEvent {
                            time: now,
                            event: Event::Compacted {
                                topic: name.clone(),
                                partition: log.partition(),
                                removed,
                                tombstones_removed: tombstones,
                            },
                        });
                    }
                }
                if cfg.cleanup_policy.deletes() {
                    for o in log.apply_retention(cfg, now, wall) {
                        trace.push(TimedEvent {
                            time: now,
                            event: Event::RetentionDeleted {
                                topic: name.clone(),
                                partition: log.partition(),
                                segments: o.segments,
                                records: o.records,
                                bytes: o.bytes,
                                log_start_offset: log.log_start_offset(),
                                reason: o.reason,
                            },
                        });
                    }
                }
            }
        }
    }

    // ----- invariants -----------------------------------------------------------------------

    /// Checks the engine's invariants; `Err` describes the first violation. For each group: no
    /// partition owned by two running consumers that are members (or in the current
    /// generation); committed offsets
    /// never above the log end. For each partition: stored offsets strictly increasing within
    /// `[log start, log end)`, and contiguous unless the topic is compacted.
    pub fn check_invariants(&self) -> Result<(), String> {
        for g in self.groups.values() {
            let mut owners: BTreeMap<&TopicPartition, ConsumerId> = BTreeMap::new();
            for cons in &self.consumers {
                // Zombies (removed from the group without knowing it yet) may still hold
                // partitions, as in Kafka; every consumer the group still counts as a member,
                // or that is in the current generation, must hold distinct partitions.
                let member = cons
                    .member_id
                    .as_ref()
                    .is_some_and(|m| g.members.contains_key(m));
                if cons.status != ConsumerStatus::Running
                    || cons.group.as_deref() != Some(g.id())
                    || !(member || cons.generation == Some(g.generation))
                    || cons.manual
                {
                    continue;
                }
                for o in &cons.owned {
                    if let Some(prev) = owners.insert(&o.tp, cons.id) {
                        return Err(format!(
                            "group {} generation {}: {} owned by {} and {}",
                            g.id(),
                            g.generation,
                            o.tp,
                            prev,
                            cons.id
                        ));
                    }
                }
            }
        }
        for t in self.topics.values() {
            let compacted = t.config.cleanup_policy.compacts();
            for log in &t.partitions {
                let mut expect = log.log_start_offset();
                let mut first = true;
                for r in log.records() {
                    let ok = if compacted {
                        r.offset >= expect
                    } else {
                        r.offset == expect
                    };
                    if !ok || (first && r.offset < log.log_start_offset()) {
                        return Err(format!(
                            "{}-{}: offset {} where {} expected",
                            t.name(),
                            log.partition(),
                            r.offset,
                            expect
                        ));
                    }
                    first = false;
                    expect = r.offset + 1;
                }
                if expect > log.log_end_offset() {
                    return Err(format!(
                        "{}-{}: record past log end",
                        t.name(),
                        log.partition()
                    ));
                }
                if !compacted && expect != log.log_end_offset() && log.record_count() > 0 {
                    return Err(format!(
                        "{}-{}: last offset {} but log end {}",
                        t.name(),
                        log.partition(),
                        expect,
                        log.log_end_offset()
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Kafka's protocol selection: among strategies every member supports, each member votes for its
/// most preferred; most votes wins, ties broken by the leader's preference order.
fn select_protocol(grp: &Group, leader: &Name) -> Strategy {
    let leader_prefs: &[Strategy] = grp
        .members
        .get(leader)
        .map(|m| m.strategies.as_slice())
        .unwrap_or(&[]);
    let mut candidates: Vec<Strategy> = Vec::new();
    for &s in leader_prefs {
        if grp.members.values().all(|m| m.strategies.contains(&s)) {
            candidates.push(s);
        }
    }
    if candidates.is_empty() {
        return leader_prefs.first().copied().unwrap_or(Strategy::Range);
    }
    // Each member votes for its most preferred candidate; votes[i] counts candidates[i]'s.
    let mut votes: Vec<usize> = vec![0; candidates.len()];
    for m in grp.members.values() {
        let choice = m
            .strategies
            .iter()
            .find_map(|s| candidates.iter().position(|c| c == s));
        if let Some(n) = choice.and_then(|i| votes.get_mut(i)) {
            *n += 1;
        }
    }
    let best = votes.iter().copied().max().unwrap_or(0);
    candidates
        .iter()
        .zip(&votes)
        .find(|(_, n)| **n == best)
        .map(|(s, _)| *s)
        .unwrap_or(Strategy::Range)
}

/// The partitions of `owned` that `keep` accepts, in order. One function behind a `&dyn` for
/// every such list (assignment, paused, revoked, owned at join) instead of an iterator chain
/// instantiated per call site.
#[inline(never)]
fn owned_tps(
    owned: &[OwnedPartition],
    keep: &dyn Fn(&OwnedPartition) -> bool,
) -> Vec<TopicPartition> {
    let mut out = Vec::new();
    for o in owned {
        if keep(o) {
            out.push(o.tp.clone());
        }
    }
    out
}

/// Makes `list` the consumer's assignment, in its order: the position and pause of a partition
/// it already owned carry over, the others start fresh.
fn set_owned(cons: &mut Consumer, list: &[TopicPartition]) {
    let old = std::mem::take(&mut cons.owned);
    let mut owned = Vec::with_capacity(list.len());
    for tp in list {
        let before = old.iter().find(|o| &o.tp == tp);
        owned.push(OwnedPartition {
            tp: tp.clone(),
            position: before.and_then(|o| o.position),
            paused: before.is_some_and(|o| o.paused),
        });
    }
    cons.owned = owned;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: &str, strategies: &[Strategy], join_seq: u64) -> GroupMember {
        GroupMember {
            member_id: id.into(),
            consumer: ConsumerId(0),
            incarnation: 0,
            client_id: "c".into(),
            strategies: strategies.to_vec(),
            topics: vec![],
            owned: vec![],
            assignment: vec![],
            joined: true,
            generation: -1,
            session_timeout_ms: 1,
            rebalance_timeout_ms: 1,
            last_heartbeat: 0,
            join_seq,
            session_timer: None,
        }
    }

    #[test]
    fn protocol_is_voted_among_common_strategies() {
        use Strategy::*;
        let mut g = Group::new("g".into());
        for (id, s) in [
            ("a", &[Range, RoundRobin][..]),
            ("b", &[RoundRobin, Range][..]),
            ("c", &[RoundRobin][..]),
        ] {
            g.members.insert(id.into(), member(id, s, 0));
        }
        // Only roundrobin is common.
        assert_eq!(select_protocol(&g, &"a".into()), RoundRobin);
        g.members.remove("c");
        // One vote each: the leader's preference breaks the tie.
        assert_eq!(select_protocol(&g, &"a".into()), Range);
        assert_eq!(select_protocol(&g, &"b".into()), RoundRobin);
        g.members
            .insert("d".into(), member("d", &[Range, CooperativeSticky], 0));
        // Two votes for range.
        assert_eq!(select_protocol(&g, &"b".into()), Range);
    }

    #[test]
    fn joining_with_no_common_strategy_is_refused() {
        let mut cl = Cluster::new(ClusterConfig::default());
        cl.create_topic("t", 1, TopicConfig::default()).unwrap();
        let cfg = |s: Strategy| ConsumerConfig {
            group_id: Some("g".into()),
            strategies: vec![s],
            ..ConsumerConfig::default()
        };
        let a = cl.new_consumer(cfg(Strategy::Range));
        let b = cl.new_consumer(cfg(Strategy::Sticky));
        cl.subscribe(a, &["t".into()]).unwrap();
        cl.subscribe(b, &["t".into()]).unwrap();
        cl.poll(a, None).unwrap();
        let err = cl.poll(b, None).unwrap_err();
        assert_eq!(err.python_name(), "InconsistentGroupProtocolError");
        assert_eq!(cl.group("g").unwrap().members().count(), 1);
    }

    #[test]
    fn no_common_strategy_error_lists_the_joiners_strategies_as_debug() {
        let mut cl = Cluster::new(ClusterConfig::default());
        cl.create_topic("t", 1, TopicConfig::default()).unwrap();
        let cfg = |s: Vec<Strategy>| ConsumerConfig {
            group_id: Some("g".into()),
            strategies: s,
            ..ConsumerConfig::default()
        };
        let theirs = vec![Strategy::Sticky, Strategy::CooperativeSticky];
        let a = cl.new_consumer(cfg(vec![Strategy::Range]));
        let b = cl.new_consumer(cfg(theirs.clone()));
        cl.subscribe(a, &["t".into()]).unwrap();
        cl.subscribe(b, &["t".into()]).unwrap();
        cl.poll(a, None).unwrap();
        let err = cl.poll(b, None).unwrap_err().to_string();
        let want = format!("Strategies {theirs:?} share nothing with the members of group 'g'.");
        assert!(err.contains(&want), "{err}");
        assert!(err.contains("[Sticky, CooperativeSticky]"), "{err}");
    }

    #[test]
    fn step_processes_one_event_and_moves_the_clock() {
        let mut cl = Cluster::new(ClusterConfig {
            log_cleaner_interval_ms: 500,
            ..ClusterConfig::default()
        });
        assert_eq!(cl.next_event_time(), None);
        assert!(cl.step().is_none());
        cl.create_topic("t", 1, TopicConfig::default()).unwrap();
        assert_eq!(cl.next_event_time(), Some(500));
        cl.schedule_fault(200, Fault::Crash(ConsumerId(0)));
        let c = cl.new_consumer(ConsumerConfig::default());
        assert_eq!(c, ConsumerId(0));
        let evs = cl.step().unwrap().to_vec();
        assert_eq!(cl.now(), 200);
        assert!(matches!(
            evs[..],
            [TimedEvent {
                time: 200,
                event: Event::MemberCrashed { .. }
            }]
        ));
        cl.run_until(1_200);
        assert_eq!(cl.now(), 1_200);
        assert_eq!(cl.next_event_time(), Some(1_500));
        assert!(cl.poll(c, None).is_err());
    }
}
