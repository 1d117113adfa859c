//! The typed events every state change appends to the trace, and the trace's stable FNV-1a hash.

use std::sync::Arc;

use crate::assignor::{Strategy, TopicPartition};
use crate::consumer::ConsumerId;
use crate::group::GroupState;

/// A shared, cheaply cloned name (topic, client id, group id, member id).
pub type Name = Arc<str>;

/// Why a consumer's position was reset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ResetReason {
    /// No committed offset for the group: `auto_offset_reset` decided.
    NoCommittedOffset,
    /// The position fell outside the log (retention moved the log start past it).
    OutOfRange,
    /// `seek_to_beginning`.
    SeekToBeginning,
    /// `seek_to_end`.
    SeekToEnd,
}

/// Why the group removed a member.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EvictReason {
    /// No heartbeat within `session_timeout_ms` (the process crashed or hung entirely).
    SessionTimeout,
    /// The main loop did not call `poll()` within `max_poll_interval_ms`: the client's heartbeat
    /// thread left the group.
    MaxPollInterval,
    /// The member did not rejoin a rebalance within its rebalance timeout (`max_poll_interval_ms`).
    RebalanceTimeout,
}

/// Why retention deleted segments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RetentionReason {
    /// `retention.ms`: the segment's newest timestamp is older than now minus retention.
    Time,
    /// `retention.bytes`: the partition is bigger than allowed.
    Size,
}

/// One state change. Every variant is appended to the trace with its virtual time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    TopicCreated {
        topic: Name,
        partitions: u32,
        auto: bool,
    },
    PartitionsAdded {
        topic: Name,
        old: u32,
        new: u32,
    },
    SegmentRolled {
        topic: Name,
        partition: u32,
        base_offset: u64,
    },
    Produced {
        client: Name,
        topic: Name,
        partition: u32,
        offset: u64,
        timestamp: i64,
        size: u32,
        keyed: bool,
    },
    ConsumerCreated {
        consumer: ConsumerId,
        client: Name,
        group: Option<Name>,
    },
    Subscribed {
        consumer: ConsumerId,
        topics: Vec<String>,
    },
    ManuallyAssigned {
        consumer: ConsumerId,
        partitions: Vec<TopicPartition>,
    },
    /// A poll returned `count` records of one partition, offsets `first..=last`.
    Fetched {
        consumer: ConsumerId,
        topic: Name,
        partition: u32,
        first_offset: u64,
        last_offset: u64,
        count: u32,
    },
    Seeked {
        consumer: ConsumerId,
        tp: TopicPartition,
        offset: u64,
    },
    OffsetReset {
        consumer: ConsumerId,
        tp: TopicPartition,
        from: Option<u64>,
        to: u64,
        reason: ResetReason,
    },
    Committed {
        group: Name,
        consumer: ConsumerId,
        generation: i32,
        offsets: Vec<(TopicPartition, u64)>,
        auto: bool,
    },
    CommitFailed {
        group: Name,
        consumer: ConsumerId,
        reason: String,
        auto: bool,
    },
    /// The member sent JoinGroup (first join or rejoin).
    Joined {
        group: Name,
        consumer: ConsumerId,
        member_id: Name,
        new_member: bool,
    },
    Heartbeat {
        group: Name,
        consumer: ConsumerId,
        member_id: Name,
        rebalance_in_progress: bool,
    },
    RebalanceStarted {
        group: Name,
        generation: i32,
        reason: String,
    },
    GroupStateChanged {
        group: Name,
        from: GroupState,
        to: GroupState,
    },
    /// The join phase ended: a new generation with its leader, protocol and members.
    GenerationStarted {
        group: Name,
        generation: i32,
        leader: Name,
        protocol: Strategy,
        members: Vec<Name>,
    },
    /// The sync phase ended: every member has its assignment; the group is Stable.
    RebalanceCompleted {
        group: Name,
        generation: i32,
    },
    Assigned {
        group: Name,
        consumer: ConsumerId,
        member_id: Name,
        generation: i32,
        partitions: Vec<TopicPartition>,
    },
    /// Partitions given up (`member_id` is empty when the group had already removed it).
    Revoked {
        group: Name,
        consumer: ConsumerId,
        member_id: Name,
        partitions: Vec<TopicPartition>,
    },
    /// A clean LeaveGroup (close).
    Left {
        group: Name,
        consumer: ConsumerId,
        member_id: Name,
    },
    Evicted {
        group: Name,
        consumer: ConsumerId,
        member_id: Name,
        reason: EvictReason,
    },
    RetentionDeleted {
        topic: Name,
        partition: u32,
        segments: u32,
        records: u64,
        bytes: u64,
        log_start_offset: u64,
        reason: RetentionReason,
    },
    Compacted {
        topic: Name,
        partition: u32,
        removed: u64,
        tombstones_removed: u64,
    },
    MemberCrashed {
        consumer: ConsumerId,
        member_id: Option<Name>,
    },
    MemberStalled {
        consumer: ConsumerId,
        until: u64,
    },
    MemberResumed {
        consumer: ConsumerId,
    },
    MemberRestarted {
        consumer: ConsumerId,
        incarnation: u32,
    },
    ConsumerClosed {
        consumer: ConsumerId,
    },
}

/// An event and the virtual time (ms) it happened at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimedEvent {
    pub time: u64,
    pub event: Event,
}

/// 64-bit FNV-1a over a canonical byte encoding.
#[derive(Clone, Copy, Debug)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    pub fn bytes(&mut self, b: &[u8]) {
        for byte in b {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    pub fn u8(&mut self, v: u8) {
        self.bytes(&[v]);
    }
    pub fn u32(&mut self, v: u32) {
        self.bytes(&v.to_le_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.bytes(&v.to_le_bytes());
    }
    pub fn i64(&mut self, v: i64) {
        self.bytes(&v.to_le_bytes());
    }
    pub fn i32(&mut self, v: i32) {
        self.bytes(&v.to_le_bytes());
    }
    pub fn bool(&mut self, v: bool) {
        self.u8(u8::from(v));
    }
    pub fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.bytes(s.as_bytes());
    }
    pub fn tp(&mut self, tp: &TopicPartition) {
        self.str(&tp.topic);
        self.u32(tp.partition);
    }
    pub fn tps(&mut self, tps: &[TopicPartition]) {
        self.u64(tps.len() as u64);
        for tp in tps {
            self.tp(tp);
        }
    }
    pub fn opt_u64(&mut self, v: Option<u64>) {
        match v {
            None => self.u8(0),
            Some(x) => {
                self.u8(1);
                self.u64(x);
            }
        }
    }
    pub fn opt_str(&mut self, v: Option<&str>) {
        match v {
            None => self.u8(0),
            Some(x) => {
                self.u8(1);
                self.str(x);
            }
        }
    }
    pub fn finish(&self) -> u64 {
        self.0
    }
}

fn strategy_code(s: Strategy) -> u8 {
    match s {
        Strategy::Range => 0,
        Strategy::RoundRobin => 1,
        Strategy::Sticky => 2,
        Strategy::CooperativeSticky => 3,
    }
}

fn state_code(s: GroupState) -> u8 {
    match s {
        GroupState::Empty => 0,
        GroupState::PreparingRebalance => 1,
        GroupState::CompletingRebalance => 2,
        GroupState::Stable => 3,
    }
}

impl TimedEvent {
    /// Feeds this event's canonical encoding (time, variant tag, fields in order) to `h`.
    pub fn encode(&self, h: &mut Fnv) {
        h.u64(self.time);
        let c = |h: &mut Fnv, c: &ConsumerId| h.u32(c.0);
        match &self.event {
            Event::TopicCreated {
                topic,
                partitions,
                auto,
            } => {
                h.u8(1);
                h.str(topic);
                h.u32(*partitions);
                h.bool(*auto);
            }
            Event::PartitionsAdded { topic, old, new } => {
                h.u8(2);
                h.str(topic);
                h.u32(*old);
                h.u32(*new);
            }
            Event::SegmentRolled {
                topic,
                partition,
                base_offset,
            } => {
                h.u8(3);
                h.str(topic);
                h.u32(*partition);
                h.u64(*base_offset);
            }
            Event::Produced {
                client,
                topic,
                partition,
                offset,
                timestamp,
                size,
                keyed,
            } => {
                h.u8(4);
                h.str(client);
                h.str(topic);
                h.u32(*partition);
                h.u64(*offset);
                h.i64(*timestamp);
                h.u32(*size);
                h.bool(*keyed);
            }
            Event::ConsumerCreated {
                consumer,
                client,
                group,
            } => {
                h.u8(5);
                c(h, consumer);
                h.str(client);
                h.opt_str(group.as_deref());
            }
            Event::Subscribed { consumer, topics } => {
                h.u8(6);
                c(h, consumer);
                h.u64(topics.len() as u64);
                for t in topics {
                    h.str(t);
                }
            }
            Event::ManuallyAssigned {
                consumer,
                partitions,
            } => {
                h.u8(7);
                c(h, consumer);
                h.tps(partitions);
            }
            Event::Fetched {
                consumer,
                topic,
                partition,
                first_offset,
                last_offset,
                count,
            } => {
                h.u8(8);
                c(h, consumer);
                h.str(topic);
                h.u32(*partition);
                h.u64(*first_offset);
                h.u64(*last_offset);
                h.u32(*count);
            }
            Event::Seeked {
                consumer,
                tp,
                offset,
            } => {
                h.u8(9);
                c(h, consumer);
                h.tp(tp);
                h.u64(*offset);
            }
            Event::OffsetReset {
                consumer,
                tp,
                from,
                to,
                reason,
            } => {
                h.u8(10);
                c(h, consumer);
                h.tp(tp);
                h.opt_u64(*from);
                h.u64(*to);
                h.u8(*reason as u8);
            }
            Event::Committed {
                group,
                consumer,
                generation,
                offsets,
                auto,
            } => {
                h.u8(11);
                h.str(group);
                c(h, consumer);
                h.i32(*generation);
                h.u64(offsets.len() as u64);
                for (tp, o) in offsets {
                    h.tp(tp);
                    h.u64(*o);
                }
                h.bool(*auto);
            }
            Event::CommitFailed {
                group,
                consumer,
                reason,
                auto,
            } => {
                h.u8(12);
                h.str(group);
                c(h, consumer);
                h.str(reason);
                h.bool(*auto);
            }
            Event::Joined {
                group,
                consumer,
                member_id,
                new_member,
            } => {
                h.u8(13);
                h.str(group);
                c(h, consumer);
                h.str(member_id);
                h.bool(*new_member);
            }
            Event::Heartbeat {
                group,
                consumer,
                member_id,
                rebalance_in_progress,
            } => {
                h.u8(14);
                h.str(group);
                c(h, consumer);
                h.str(member_id);
                h.bool(*rebalance_in_progress);
            }
            Event::RebalanceStarted {
                group,
                generation,
                reason,
            } => {
                h.u8(15);
                h.str(group);
                h.i32(*generation);
                h.str(reason);
            }
            Event::GroupStateChanged { group, from, to } => {
                h.u8(16);
                h.str(group);
                h.u8(state_code(*from));
                h.u8(state_code(*to));
            }
            Event::GenerationStarted {
                group,
                generation,
                leader,
                protocol,
                members,
            } => {
                h.u8(17);
                h.str(group);
                h.i32(*generation);
                h.str(leader);
                h.u8(strategy_code(*protocol));
                h.u64(members.len() as u64);
                for m in members {
                    h.str(m);
                }
            }
            Event::RebalanceCompleted { group, generation } => {
                h.u8(18);
                h.str(group);
                h.i32(*generation);
            }
            Event::Assigned {
                group,
                consumer,
                member_id,
                generation,
                partitions,
            } => {
                h.u8(19);
                h.str(group);
                c(h, consumer);
                h.str(member_id);
                h.i32(*generation);
                h.tps(partitions);
            }
            Event::Revoked {
                group,
                consumer,
                member_id,
                partitions,
            } => {
                h.u8(20);
                h.str(group);
                c(h, consumer);
                h.str(member_id);
                h.tps(partitions);
            }
            Event::Left {
                group,
                consumer,
                member_id,
            } => {
                h.u8(21);
                h.str(group);
                c(h, consumer);
                h.str(member_id);
            }
            Event::Evicted {
                group,
                consumer,
                member_id,
                reason,
            } => {
                h.u8(22);
                h.str(group);
                c(h, consumer);
                h.str(member_id);
                h.u8(*reason as u8);
            }
            Event::RetentionDeleted {
                topic,
                partition,
                segments,
                records,
                bytes,
                log_start_offset,
                reason,
            } => {
                h.u8(23);
                h.str(topic);
                h.u32(*partition);
                h.u32(*segments);
                h.u64(*records);
                h.u64(*bytes);
                h.u64(*log_start_offset);
                h.u8(*reason as u8);
            }
            Event::Compacted {
                topic,
                partition,
                removed,
                tombstones_removed,
            } => {
                h.u8(24);
                h.str(topic);
                h.u32(*partition);
                h.u64(*removed);
                h.u64(*tombstones_removed);
            }
            Event::MemberCrashed {
                consumer,
                member_id,
            } => {
                h.u8(25);
                c(h, consumer);
                h.opt_str(member_id.as_deref());
            }
            Event::MemberStalled { consumer, until } => {
                h.u8(26);
                c(h, consumer);
                h.u64(*until);
            }
            Event::MemberResumed { consumer } => {
                h.u8(27);
                c(h, consumer);
            }
            Event::MemberRestarted {
                consumer,
                incarnation,
            } => {
                h.u8(28);
                c(h, consumer);
                h.u32(*incarnation);
            }
            Event::ConsumerClosed { consumer } => {
                h.u8(29);
                c(h, consumer);
            }
        }
    }
}

/// The FNV-1a hash of a whole trace: equal traces give equal hashes on every platform.
pub fn trace_hash(events: &[TimedEvent]) -> u64 {
    let mut h = Fnv::default();
    for e in events {
        e.encode(&mut h);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_64_reference_vectors() {
        let h = |s: &[u8]| {
            let mut f = Fnv::default();
            f.bytes(s);
            f.finish()
        };
        assert_eq!(h(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(h(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(h(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn trace_hash_depends_on_time_order_and_fields() {
        let e = |time, partitions| TimedEvent {
            time,
            event: Event::TopicCreated {
                topic: "t".into(),
                partitions,
                auto: false,
            },
        };
        let a = trace_hash(&[e(0, 1), e(5, 2)]);
        assert_eq!(a, trace_hash(&[e(0, 1), e(5, 2)]));
        assert_ne!(a, trace_hash(&[e(5, 2), e(0, 1)]));
        assert_ne!(a, trace_hash(&[e(0, 1), e(5, 3)]));
        assert_ne!(a, trace_hash(&[e(0, 1), e(6, 2)]));
    }
}
