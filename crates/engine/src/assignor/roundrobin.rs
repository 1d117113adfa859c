//! The roundrobin assignor: all partitions dealt over the sorted members in a circle.

use super::{slot, Assigned, ClusterTopics, Member, TopicPartition};

/// kafka-python's `RoundRobinPartitionAssignor.assign`: every partition of every subscribed
/// topic, sorted by (topic, partition), goes to the next member in the circle of members sorted
/// by id, skipping members not subscribed to its topic.
pub(crate) fn assign(cluster: &ClusterTopics<'_>, members: &[Member<'_>]) -> Assigned {
    let mut assignment = Assigned::new();
    // Sorting the ids (member ids are distinct) reuses the assignors' one string sort.
    let mut ids: Vec<&str> = members.iter().map(|m| m.id).collect();
    ids.sort_unstable();
    let mut sorted: Vec<&Member<'_>> = Vec::new();
    for id in &ids {
        if let Some(m) = members.iter().find(|m| m.id == *id) {
            sorted.push(m);
        }
    }
    if sorted.is_empty() {
        return assignment;
    }
    let mut next = 0usize;
    for &(topic, count) in cluster {
        // Every topic of `cluster` has a subscriber, so the search always ends.
        for partition in 0..count {
            let found = (0..sorted.len())
                .map(|k| (next + k) % sorted.len())
                .find(|&i| sorted.get(i).is_some_and(|m| m.subscribes(topic)));
            let Some(i) = found else { break };
            if let Some(m) = sorted.get(i) {
                slot(&mut assignment, m.id).push(TopicPartition::new(topic, partition));
            }
            next = (i + 1) % sorted.len();
        }
    }
    assignment
}
