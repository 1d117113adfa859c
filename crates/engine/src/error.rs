//! The errors the engine returns, named after kafka-python's exception classes.

use std::fmt;

/// An error from the simulated cluster or client, mirroring a kafka-python exception.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KafkaError {
    /// The topic does not exist (and auto-creation is off) or the partition is out of range.
    UnknownTopicOrPartition(String),
    /// `create_topic` on a name already taken.
    TopicAlreadyExists(String),
    /// A topic name Kafka would refuse (empty, too long, `.`/`..`, characters outside `[a-zA-Z0-9._-]`).
    InvalidTopic(String),
    /// A partition count of 0, or `add_partitions` not increasing the count.
    InvalidPartitions(String),
    /// A commit the group refused: the member left or was evicted, or the generation is old.
    CommitFailed(String),
    /// A request carrying an old generation.
    IllegalGeneration(String),
    /// The member id is not (or no longer) in the group.
    UnknownMemberId(String),
    /// The group is completing a rebalance; retry after it.
    RebalanceInProgress(String),
    /// `auto_offset_reset='none'` and nothing committed (or the position is out of range).
    NoOffsetForPartition(String),
    /// The position is outside the log and `auto_offset_reset='none'`.
    OffsetOutOfRange(String),
    /// The call is not valid in the consumer's state (crashed, closed, no group id, not assigned...).
    IllegalState(String),
    /// No assignment strategy is supported by every member of the group.
    InconsistentGroupProtocol(String),
    /// A record the topic refuses (e.g. no key on a compacted topic).
    InvalidRecord(String),
    /// A configuration value out of range.
    InvalidConfiguration(String),
    /// The consumer id does not exist.
    UnknownConsumer(String),
}

impl KafkaError {
    /// The kafka-python exception class name (`kafka.errors.<name>`, or a builtin for `IllegalState`).
    pub fn python_name(&self) -> &'static str {
        match self {
            KafkaError::UnknownTopicOrPartition(_) => "UnknownTopicOrPartitionError",
            KafkaError::TopicAlreadyExists(_) => "TopicAlreadyExistsError",
            KafkaError::InvalidTopic(_) => "InvalidTopicError",
            KafkaError::InvalidPartitions(_) => "InvalidPartitionsError",
            KafkaError::CommitFailed(_) => "CommitFailedError",
            KafkaError::IllegalGeneration(_) => "IllegalGenerationError",
            KafkaError::UnknownMemberId(_) => "UnknownMemberIdError",
            KafkaError::RebalanceInProgress(_) => "RebalanceInProgressError",
            KafkaError::NoOffsetForPartition(_) => "NoOffsetForPartitionError",
            KafkaError::OffsetOutOfRange(_) => "OffsetOutOfRangeError",
            KafkaError::IllegalState(_) => "IllegalStateError",
            KafkaError::InconsistentGroupProtocol(_) => "InconsistentGroupProtocolError",
            KafkaError::InvalidRecord(_) => "InvalidRecordError",
            KafkaError::InvalidConfiguration(_) => "KafkaConfigurationError",
            KafkaError::UnknownConsumer(_) => "IllegalStateError",
        }
    }

    /// The human-readable message.
    pub fn message(&self) -> &str {
        match self {
            KafkaError::UnknownTopicOrPartition(m)
            | KafkaError::TopicAlreadyExists(m)
            | KafkaError::InvalidTopic(m)
            | KafkaError::InvalidPartitions(m)
            | KafkaError::CommitFailed(m)
            | KafkaError::IllegalGeneration(m)
            | KafkaError::UnknownMemberId(m)
            | KafkaError::RebalanceInProgress(m)
            | KafkaError::NoOffsetForPartition(m)
            | KafkaError::OffsetOutOfRange(m)
            | KafkaError::IllegalState(m)
            | KafkaError::InconsistentGroupProtocol(m)
            | KafkaError::InvalidRecord(m)
            | KafkaError::InvalidConfiguration(m)
            | KafkaError::UnknownConsumer(m) => m,
        }
    }
}

impl fmt::Display for KafkaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.python_name(), self.message())
    }
}

impl std::error::Error for KafkaError {}
