//! Kafka's partition assignors (range, roundrobin, sticky, cooperative-sticky), as kafka-python 3.x computes them.
//!
//! Conventions shared by every strategy (they mirror what a kafka-python group leader sees):
//! - Members are taken in the order of the slice; a repeated member id keeps its first position
//!   and its last subscription (a Python dict built from the member list).
//! - A member's subscription is a set: duplicate topics count once, and topics are considered in
//!   sorted order.
//! - The leader's cluster metadata holds the topics some member subscribes to: a topic of
//!   `partitions_per_topic` nobody subscribes to is invisible, and a subscribed topic missing from
//!   `partitions_per_topic` has no partitions.
//! - Owned partitions are taken grouped by topic (topics in first-appearance order), as they
//!   travel in the JoinGroup subscription; their order can matter to the sticky algorithm.
//! - Static membership (`group.instance.id`) is not modelled: every member is dynamic.

use std::collections::BTreeMap;

mod range;
mod roundrobin;
mod sticky;

/// A topic name and a partition number.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TopicPartition {
    pub topic: String,
    pub partition: u32,
}

impl TopicPartition {
    pub fn new(topic: impl Into<String>, partition: u32) -> Self {
        TopicPartition {
            topic: topic.into(),
            partition,
        }
    }
}

impl std::fmt::Display for TopicPartition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.topic, self.partition)
    }
}

/// An assignment strategy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Strategy {
    Range,
    RoundRobin,
    Sticky,
    CooperativeSticky,
}

impl Strategy {
    /// Every strategy, in kafka-python's documentation order.
    pub const ALL: [Strategy; 4] = [
        Strategy::Range,
        Strategy::RoundRobin,
        Strategy::Sticky,
        Strategy::CooperativeSticky,
    ];

    /// The protocol name the assignor announces (`range`, `roundrobin`, `sticky`,
    /// `cooperative-sticky`), as in kafka-python's `name` attribute.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Range => "range",
            Strategy::RoundRobin => "roundrobin",
            Strategy::Sticky => "sticky",
            Strategy::CooperativeSticky => "cooperative-sticky",
        }
    }

    /// The strategy with this protocol name, if any.
    pub fn from_name(name: &str) -> Option<Strategy> {
        Strategy::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Whether the strategy uses the cooperative (incremental, KIP-429) rebalance protocol
    /// rather than the eager one.
    pub fn is_cooperative(self) -> bool {
        matches!(self, Strategy::CooperativeSticky)
    }
}

impl std::fmt::Display for Strategy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What one member tells the group leader when it joins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberSubscription {
    pub member_id: String,
    pub topics: Vec<String>,
    /// Partitions the member owned before this rebalance (sticky and cooperative-sticky use them).
    pub owned: Vec<TopicPartition>,
    /// The generation in which `owned` was assigned, when known.
    pub generation: Option<i32>,
}

/// Member id -> its assigned partitions, sorted. Every member appears, possibly with none.
pub type Assignment = BTreeMap<String, Vec<TopicPartition>>;

/// What the strategies build: member id -> assigned partitions, sorted by member id (a sorted
/// `Vec`: much less wasm code than a `BTreeMap` per key and value type).
pub(crate) type Assigned = Vec<(String, Vec<TopicPartition>)>;

/// The partitions of member `id` in `a`, inserted empty first when missing.
pub(crate) fn slot<'a>(a: &'a mut Assigned, id: &str) -> &'a mut Vec<TopicPartition> {
    let i = match a.binary_search_by(|(k, _)| k.as_str().cmp(id)) {
        Ok(i) => i,
        Err(i) => {
            a.insert(i, (id.to_string(), Vec::new()));
            i
        }
    };
    // `i` is in bounds: found, or just inserted there.
    &mut a[i].1
}

/// One member after normalisation: its subscription as a sorted set.
#[derive(Clone, Debug)]
pub(crate) struct Member<'a> {
    pub id: &'a str,
    /// Sorted, without duplicates (a sorted `Vec` rather than a `BTreeSet`: less wasm code).
    pub topics: Vec<&'a str>,
    /// Grouped by topic, topics in first-appearance order (the wire format's order).
    pub owned: Vec<TopicPartition>,
    /// kafka-python's `DEFAULT_GENERATION_ID` (-1) when unknown.
    pub generation: i32,
}

impl<'a> Member<'a> {
    /// A member from its subscription as it travels in JoinGroup: its topics as a sorted set,
    /// its owned partitions grouped by topic.
    pub(crate) fn new(
        id: &'a str,
        topics: &'a [String],
        owned: &[TopicPartition],
        generation: Option<i32>,
    ) -> Self {
        let mut names: Vec<&str> = Vec::with_capacity(topics.len());
        for t in topics {
            names.push(t);
        }
        Member {
            id,
            topics: sorted_set(names),
            owned: group_by_topic(owned),
            generation: generation.unwrap_or(-1),
        }
    }

    /// Whether the member subscribes to `topic`.
    pub fn subscribes(&self, topic: &str) -> bool {
        self.topics.binary_search(&topic).is_ok()
    }
}

/// The topics the leader's metadata knows with their partition counts, sorted by topic.
pub(crate) type ClusterTopics<'a> = [(&'a str, u32)];

/// The partition count of `topic` in `cluster`, if the leader's metadata has it.
pub(crate) fn partition_count(cluster: &ClusterTopics<'_>, topic: &str) -> Option<u32> {
    let i = cluster.binary_search_by(|(t, _)| (*t).cmp(topic)).ok()?;
    cluster.get(i).map(|(_, n)| *n)
}

/// `names` sorted, without duplicates.
fn sorted_set(mut names: Vec<&str>) -> Vec<&str> {
    names.sort_unstable();
    names.dedup();
    names
}

/// Sorts partitions (by topic, then partition) and drops duplicates, without a sort of its own:
/// topics are ranked through the string sort and the (rank, partition) keys go through the
/// `(u64, usize)` sort the bundle already has (a sort instantiation is ~3 KB of wasm).
pub(crate) fn sort_dedup(tps: &mut Vec<TopicPartition>) {
    let mut names: Vec<&str> = Vec::with_capacity(tps.len());
    for tp in tps.iter() {
        names.push(&tp.topic);
    }
    let names = sorted_set(names);
    let mut keys: Vec<(u64, usize)> = Vec::with_capacity(tps.len());
    for (i, tp) in tps.iter().enumerate() {
        let rank = names.binary_search(&tp.topic.as_str()).unwrap_or(0) as u64;
        keys.push(((rank << 32) | u64::from(tp.partition), i));
    }
    drop(names);
    keys.sort_unstable();
    // Cloning from the old list (short lists) spares a `Vec<Option<TopicPartition>>` type.
    let old = std::mem::take(tps);
    let mut last = None;
    for (key, i) in keys {
        if last == Some(key) {
            continue;
        }
        last = Some(key);
        if let Some(tp) = old.get(i) {
            tps.push(tp.clone());
        }
    }
}

/// The partitions grouped by topic, topics in first-appearance order, partitions in their order:
/// how owned partitions travel in a JoinGroup subscription (`[(topic, [partition, ...]), ...]`).
fn group_by_topic(owned: &[TopicPartition]) -> Vec<TopicPartition> {
    // Plain loops: an iterator chain here instantiated flatten/filter adapters of its own.
    let mut out: Vec<TopicPartition> = Vec::with_capacity(owned.len());
    for (i, tp) in owned.iter().enumerate() {
        let earlier = owned.get(..i).unwrap_or(&[]);
        if earlier.iter().any(|o| o.topic == tp.topic) {
            continue;
        }
        // The first partition of its topic: the topic's partitions, in their order.
        for o in owned.get(i..).unwrap_or(&[]) {
            if o.topic == tp.topic {
                out.push(o.clone());
            }
        }
    }
    out
}

/// The members in first-appearance order, a repeated id keeping its last subscription.
fn normalise(members: &[MemberSubscription]) -> Vec<Member<'_>> {
    let mut out: Vec<Member<'_>> = Vec::with_capacity(members.len());
    for m in members {
        let member = Member::new(&m.member_id, &m.topics, &m.owned, m.generation);
        match out.iter_mut().find(|o| o.id == member.id) {
            Some(slot) => *slot = member,
            None => out.push(member),
        }
    }
    out
}

/// The topics the leader's metadata knows: those subscribed by some member, with their
/// partition counts (0 when `partitions_of` does not know them).
fn cluster_topics<'a>(
    partitions_of: &dyn Fn(&str) -> Option<u32>,
    members: &[Member<'a>],
) -> Vec<(&'a str, u32)> {
    let mut names: Vec<&'a str> = Vec::new();
    for m in members {
        names.extend_from_slice(&m.topics);
    }
    let mut out = Vec::new();
    for t in sorted_set(names) {
        out.push((t, partitions_of(t).unwrap_or(0)));
    }
    out
}

/// Computes the assignment `strategy` gives `members` for topics with these partition counts.
/// For `CooperativeSticky` this is this round's assignment: a partition that moves to another
/// member is withheld (revoked first) and only handed over in the follow-up rebalance.
pub fn assign(
    strategy: Strategy,
    partitions_per_topic: &BTreeMap<String, u32>,
    members: &[MemberSubscription],
) -> Assignment {
    let members = normalise(members);
    assign_with(strategy, &members, &|t| {
        partitions_per_topic.get(t).copied()
    })
    .into_iter()
    .collect()
}

/// [`assign`] for members already normalised (distinct ids, see [`Member::new`]), with the
/// partition counts asked of `partitions_of` (`None`: no such topic); the result sorted by
/// member id, every member present.
pub(crate) fn assign_with(
    strategy: Strategy,
    members: &[Member<'_>],
    partitions_of: &dyn Fn(&str) -> Option<u32>,
) -> Assigned {
    let cluster = cluster_topics(partitions_of, members);
    let mut assignment = match strategy {
        Strategy::Range => range::assign(&cluster, members),
        Strategy::RoundRobin => roundrobin::assign(&cluster, members),
        Strategy::Sticky => sticky::assign(&cluster, members),
        Strategy::CooperativeSticky => sticky::assign_cooperative(&cluster, members),
    };
    for m in members {
        slot(&mut assignment, m.id);
    }
    for (_, parts) in assignment.iter_mut() {
        sort_dedup(parts);
    }
    assignment
}

#[cfg(test)]
mod tests;
