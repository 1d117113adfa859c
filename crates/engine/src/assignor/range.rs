//! The range assignor: per topic, contiguous runs of partitions over the sorted subscribers.

use super::{slot, Assigned, ClusterTopics, Member, TopicPartition};

/// kafka-python's `RangePartitionAssignor.assign`: for each topic, its subscribers sorted by
/// member id each get `P / C` contiguous partitions, the first `P % C` of them one more.
pub(crate) fn assign(cluster: &ClusterTopics<'_>, members: &[Member<'_>]) -> Assigned {
    let mut assignment = Assigned::new();
    for &(topic, count) in cluster {
        let mut consumers: Vec<&str> = Vec::new();
        for m in members {
            if m.subscribes(topic) {
                consumers.push(m.id);
            }
        }
        consumers.sort_unstable();
        let n = consumers.len() as u64;
        if n == 0 {
            continue;
        }
        let count = u64::from(count);
        let per_consumer = count / n;
        let with_extra = count % n;
        for (i, member) in consumers.into_iter().enumerate() {
            let i = i as u64;
            let start = per_consumer * i + i.min(with_extra);
            let length = per_consumer + u64::from(i < with_extra);
            let parts = slot(&mut assignment, member);
            // start + length <= count <= u32::MAX, so the conversion cannot fail.
            let end = u32::try_from(start + length).unwrap_or(u32::MAX);
            let start = u32::try_from(start).unwrap_or(u32::MAX);
            parts.extend((start..end).map(|p| TopicPartition::new(topic, p)));
        }
    }
    assignment
}
