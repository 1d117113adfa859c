//! A deterministic, in-memory Kafka with no web dependency: the playground's engine.

pub mod assignor;
pub mod partitioner;

pub use assignor::{MemberSubscription, Strategy, TopicPartition};
pub use partitioner::{murmur2, partition_for_key};
