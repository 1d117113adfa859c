//! Broker-side consumer group state (classic protocol): state machine, members, committed offsets.

use crate::assignor::{Strategy, TopicPartition};
use crate::consumer::ConsumerId;
use crate::event::Name;
use crate::name_map::NameMap;

/// The classic group coordinator's states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GroupState {
    /// No members (offsets may still be stored).
    Empty,
    /// Waiting for members to (re)join.
    PreparingRebalance,
    /// Joined; waiting for the leader's assignment (SyncGroup).
    CompletingRebalance,
    /// Every member has its assignment.
    Stable,
}

impl GroupState {
    /// Kafka's name for the state.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupState::Empty => "Empty",
            GroupState::PreparingRebalance => "PreparingRebalance",
            GroupState::CompletingRebalance => "CompletingRebalance",
            GroupState::Stable => "Stable",
        }
    }
}

/// A committed offset: the next offset the group will read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommittedOffset {
    pub offset: u64,
    pub committed_at: u64,
    pub generation: i32,
}

/// A member as the coordinator sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupMember {
    pub member_id: Name,
    pub consumer: ConsumerId,
    pub(crate) incarnation: u32,
    pub client_id: Name,
    /// Its `partition_assignment_strategy`, in preference order.
    pub strategies: Vec<Strategy>,
    /// Subscribed topics.
    pub topics: Vec<String>,
    /// Partitions it reported owning when it last joined (cooperative keeps them).
    pub owned: Vec<TopicPartition>,
    /// Its assignment in the current generation.
    pub assignment: Vec<TopicPartition>,
    /// Has (re)joined the rebalance in progress.
    pub joined: bool,
    /// The generation it last synced in (`-1` before its first).
    pub generation: i32,
    pub session_timeout_ms: u64,
    /// Its `max_poll_interval_ms` (the rebalance timeout).
    pub rebalance_timeout_ms: u64,
    pub last_heartbeat: u64,
    pub(crate) join_seq: u64,
    pub(crate) session_timer: Option<(u64, u64)>,
}

/// A consumer group on the coordinator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub(crate) id: Name,
    pub(crate) state: GroupState,
    pub(crate) generation: i32,
    pub(crate) protocol: Option<Strategy>,
    pub(crate) leader: Option<Name>,
    pub(crate) members: NameMap<GroupMember>,
    /// Sorted by partition, one entry each (a sorted `Vec`: less wasm code than a `BTreeMap`).
    pub(crate) offsets: Vec<(TopicPartition, CommittedOffset)>,
    pub(crate) join_timer: Option<(u64, u64)>,
    /// Initial delayed join: (remaining ms of the rebalance timeout, a member joined meanwhile).
    pub(crate) initial_delay: Option<(u64, bool)>,
    pub(crate) sync_timer: Option<(u64, u64)>,
    pub(crate) rebalances: u64,
}

impl Group {
    pub(crate) fn new(id: Name) -> Self {
        Group {
            id,
            state: GroupState::Empty,
            generation: 0,
            protocol: None,
            leader: None,
            members: NameMap::new(),
            offsets: Vec::new(),
            join_timer: None,
            initial_delay: None,
            sync_timer: None,
            rebalances: 0,
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }
    pub fn state(&self) -> GroupState {
        self.state
    }
    /// The generation id (0 before the first rebalance completes its join phase).
    pub fn generation(&self) -> i32 {
        self.generation
    }
    /// The strategy chosen for the current generation.
    pub fn protocol(&self) -> Option<Strategy> {
        self.protocol
    }
    pub fn leader(&self) -> Option<&str> {
        self.leader.as_deref()
    }
    /// Members ordered by member id (the order the assignors use).
    pub fn members(&self) -> impl Iterator<Item = &GroupMember> {
        self.members.values()
    }
    pub fn member(&self, member_id: &str) -> Option<&GroupMember> {
        self.members.get(member_id)
    }
    /// Committed offsets per partition.
    pub fn offsets(&self) -> impl Iterator<Item = (&TopicPartition, &CommittedOffset)> {
        self.offsets.iter().map(|(tp, c)| (tp, c))
    }
    pub fn committed(&self, tp: &TopicPartition) -> Option<u64> {
        let i = self.offsets.binary_search_by(|(k, _)| k.cmp(tp)).ok()?;
        self.offsets.get(i).map(|(_, c)| c.offset)
    }

    /// Stores a committed offset (replacing the partition's previous one).
    pub(crate) fn set_offset(&mut self, tp: &TopicPartition, c: CommittedOffset) {
        match self.offsets.binary_search_by(|(k, _)| k.cmp(tp)) {
            Ok(i) => {
                if let Some(slot) = self.offsets.get_mut(i) {
                    slot.1 = c;
                }
            }
            Err(i) => self.offsets.insert(i, (tp.clone(), c)),
        }
    }
    /// How many join phases have completed.
    pub fn rebalance_count(&self) -> u64 {
        self.rebalances
    }
}
