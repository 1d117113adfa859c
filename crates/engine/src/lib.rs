//! A deterministic, in-memory Kafka with no web dependency: the playground's engine.

pub mod partitioner;

pub use partitioner::{murmur2, partition_for_key};
