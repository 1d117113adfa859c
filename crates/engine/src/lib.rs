//! A deterministic, in-memory Kafka with no web dependency: the playground's engine.
//!
//! [`Cluster`] holds topics (partition logs with segments, retention, compaction), consumer
//! groups (the classic protocol's coordinator), consumers (client-side state as kafka-python
//! keeps it), a virtual clock, one seeded [`Rng`], an event queue and a trace of typed
//! [`Event`]s. It never drives itself: a runner or a test produces, polls and commits at
//! [`Cluster::now`] and moves time with [`Cluster::step`], [`Cluster::run_until`] or
//! [`Cluster::advance_to`]. The same seed and the same calls give the same trace (and
//! [`Cluster::trace_hash`]) natively and in wasm32.

pub mod assignor;
pub mod cluster;
pub mod consumer;
pub mod error;
pub mod event;
pub mod group;
pub mod log;
mod name_map;
pub mod partitioner;
pub mod rng;

pub use assignor::{MemberSubscription, Strategy, TopicPartition};
pub use cluster::{
    Acks, ClientProfile, Cluster, ClusterConfig, ConsumerRecordView, Fault, MemberStatus,
    PartitionLag, ProduceRequest, RecordMetadata,
};
pub use consumer::{
    Consumer, ConsumerConfig, ConsumerId, ConsumerStatus, OffsetReset, OwnedPartition,
};
pub use error::KafkaError;
pub use event::{Event, EvictReason, Name, ResetReason, RetentionReason, TimedEvent};
pub use group::{CommittedOffset, Group, GroupMember, GroupState};
pub use log::{CleanupPolicy, PartitionLog, Record, Segment, Topic, TopicConfig};
pub use partitioner::{murmur2, partition_for_key};
pub use rng::Rng;
