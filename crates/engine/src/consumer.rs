//! Client-side consumer state and configuration (kafka-python 3.x defaults).

use crate::assignor::{Strategy, TopicPartition};
use crate::event::Name;

/// A consumer's handle in the cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConsumerId(pub u32);

impl std::fmt::Display for ConsumerId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "consumer-{}", self.0)
    }
}

/// `auto_offset_reset`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum OffsetReset {
    Earliest,
    /// kafka-python's default.
    #[default]
    Latest,
    /// Raise `NoOffsetForPartitionError`.
    None,
}

/// A consumer's configuration (kafka-python names and defaults).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsumerConfig {
    pub client_id: String,
    pub group_id: Option<String>,
    /// `partition_assignment_strategy`, in preference order.
    pub strategies: Vec<Strategy>,
    pub session_timeout_ms: u64,
    pub heartbeat_interval_ms: u64,
    pub max_poll_interval_ms: u64,
    pub max_poll_records: usize,
    pub enable_auto_commit: bool,
    pub auto_commit_interval_ms: u64,
    pub auto_offset_reset: OffsetReset,
}

impl Default for ConsumerConfig {
    fn default() -> Self {
        ConsumerConfig {
            client_id: "kafka-python-3.0.0".to_string(),
            group_id: None,
            strategies: vec![Strategy::Range, Strategy::RoundRobin],
            session_timeout_ms: 45_000,
            heartbeat_interval_ms: 3_000,
            max_poll_interval_ms: 300_000,
            max_poll_records: 500,
            enable_auto_commit: true,
            auto_commit_interval_ms: 5_000,
            auto_offset_reset: OffsetReset::Latest,
        }
    }
}

/// Whether the consumer's process is running.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConsumerStatus {
    Running,
    /// Killed: no heartbeats, no polls, until `restart`.
    Crashed,
    /// `close()` was called.
    Closed,
}

/// One assigned partition and the consumer's fetch position in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnedPartition {
    pub tp: TopicPartition,
    /// The next offset to fetch; `None` until initialised from the committed offset or the reset policy.
    pub position: Option<u64>,
    /// `pause()`d: fetches skip it until `resume()` (heartbeats and membership go on).
    pub paused: bool,
}

/// A consumer (client side): configuration, membership, assignment and positions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consumer {
    pub(crate) id: ConsumerId,
    pub(crate) cfg: ConsumerConfig,
    pub(crate) client: Name,
    pub(crate) group: Option<Name>,
    pub(crate) incarnation: u32,
    pub(crate) status: ConsumerStatus,
    pub(crate) stalled_until: Option<u64>,
    pub(crate) subscription: Option<Vec<String>>,
    pub(crate) manual: bool,
    pub(crate) owned: Vec<OwnedPartition>,
    pub(crate) member_id: Option<Name>,
    pub(crate) generation: Option<i32>,
    /// Sent JoinGroup and waiting for the group's answer.
    pub(crate) joining: bool,
    pub(crate) need_rejoin: bool,
    pub(crate) last_poll: Option<u64>,
    pub(crate) poll_timer: Option<(u64, u64)>,
    pub(crate) heartbeat_scheduled: bool,
    pub(crate) next_auto_commit: u64,
    pub(crate) rotation: usize,
}

impl Consumer {
    pub fn id(&self) -> ConsumerId {
        self.id
    }
    pub fn config(&self) -> &ConsumerConfig {
        &self.cfg
    }
    pub fn client_id(&self) -> &str {
        &self.client
    }
    pub fn group_id(&self) -> Option<&str> {
        self.group.as_deref()
    }
    /// Restarts so far (0 for the first process).
    pub fn incarnation(&self) -> u32 {
        self.incarnation
    }
    pub fn status(&self) -> ConsumerStatus {
        self.status
    }
    /// While stalled, the main loop is busy: the driver should not poll before this time.
    pub fn stalled_until(&self) -> Option<u64> {
        self.stalled_until
    }
    pub fn subscription(&self) -> Option<&[String]> {
        self.subscription.as_deref()
    }
    /// Assigned with `assign()` rather than through the group.
    pub fn is_manual(&self) -> bool {
        self.manual
    }
    /// The current assignment with positions, sorted by partition.
    pub fn owned(&self) -> &[OwnedPartition] {
        &self.owned
    }
    pub fn member_id(&self) -> Option<&str> {
        self.member_id.as_deref()
    }
    /// The generation of the last completed sync, `None` when not in a generation.
    pub fn generation(&self) -> Option<i32> {
        self.generation
    }
    /// Waiting for a rebalance to finish.
    pub fn is_rebalancing(&self) -> bool {
        self.joining || self.need_rejoin
    }
    pub fn last_poll(&self) -> Option<u64> {
        self.last_poll
    }
}
