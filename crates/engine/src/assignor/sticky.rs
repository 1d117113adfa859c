//! The sticky and cooperative-sticky assignors: kafka-python's `StickyAssignmentExecutor`
//! (KIP-54's general algorithm) step by step, plus KIP-429's two-round hand-over.
//!
//! kafka-python picks an element of a Python `set` in two places (a partition that had another
//! owner in an older generation, and the partition to move back along a reverse movement); the
//! choice there depends on the process's string hash seed. Both only arise when more than one
//! candidate exists; this implementation then takes the smallest (topic, partition).

use super::{partition_count, Assignment, ClusterTopics, Member, TopicPartition};
use std::collections::{BTreeMap, BTreeSet};

type Tp = TopicPartition;

/// A generous bound on the reassignment loop so no input can make it spin forever.
const MAX_REASSIGNMENT_ROUNDS: usize = 100_000;

/// kafka-python's `StickyPartitionAssignor.assign`.
pub(crate) fn assign(cluster: &ClusterTopics<'_>, members: &[Member<'_>]) -> Assignment {
    let mut executor = Executor::new(cluster, members);
    executor.perform_initial_assignment();
    executor.balance();
    members
        .iter()
        .map(|m| (m.id.to_string(), executor.final_assignment(m.id)))
        .collect()
}

/// kafka-python's `CooperativeStickyAssignor.assign`: the sticky assignment, minus every
/// partition another member still owns (it is revoked first and handed over next round).
pub(crate) fn assign_cooperative(
    cluster: &ClusterTopics<'_>,
    members: &[Member<'_>],
) -> Assignment {
    let target = assign(cluster, members);
    let mut currently_owned: BTreeMap<&Tp, &str> = BTreeMap::new();
    for m in members {
        for tp in &m.owned {
            currently_owned.insert(tp, m.id);
        }
    }
    target
        .into_iter()
        .map(|(member, parts)| {
            let kept = parts
                .into_iter()
                .filter(|tp| match currently_owned.get(tp) {
                    None => true,
                    Some(owner) => *owner == member,
                })
                .collect();
            (member, kept)
        })
        .collect()
}

/// Which partitions moved between which consumers during this rebalance
/// (kafka-python's `PartitionMovements`).
#[derive(Default)]
struct PartitionMovements {
    /// partition -> (source, destination)
    movements: BTreeMap<Tp, (String, String)>,
    /// topic -> (source, destination) -> partitions
    by_topic: BTreeMap<String, BTreeMap<(String, String), BTreeSet<Tp>>>,
}

impl PartitionMovements {
    fn remove_record(&mut self, partition: &Tp) -> Option<(String, String)> {
        let pair = self.movements.remove(partition)?;
        if let Some(pairs) = self.by_topic.get_mut(&partition.topic) {
            if let Some(set) = pairs.get_mut(&pair) {
                set.remove(partition);
                if set.is_empty() {
                    pairs.remove(&pair);
                }
            }
            if pairs.is_empty() {
                self.by_topic.remove(&partition.topic);
            }
        }
        Some(pair)
    }

    fn add_record(&mut self, partition: &Tp, pair: (String, String)) {
        self.movements.insert(partition.clone(), pair.clone());
        self.by_topic
            .entry(partition.topic.clone())
            .or_default()
            .entry(pair)
            .or_default()
            .insert(partition.clone());
    }

    fn move_partition(&mut self, partition: &Tp, old: &str, new: &str) {
        match self.remove_record(partition) {
            Some((src, _dst)) => {
                if src != new {
                    self.add_record(partition, (src, new.to_string()));
                }
            }
            None => self.add_record(partition, (old.to_string(), new.to_string())),
        }
    }

    fn partition_to_be_moved(&self, partition: &Tp, old: &str, new: &str) -> Tp {
        let Some(pairs) = self.by_topic.get(&partition.topic) else {
            return partition.clone();
        };
        let old = match self.movements.get(partition) {
            Some((src, _)) => src.as_str(),
            None => old,
        };
        match pairs.get(&(new.to_string(), old.to_string())) {
            Some(set) => set
                .iter()
                .next()
                .cloned()
                .unwrap_or_else(|| partition.clone()),
            None => partition.clone(),
        }
    }
}

/// kafka-python's `StickyAssignmentExecutor`, field for field.
struct Executor<'a> {
    /// member id -> subscribed topics, in the members' order.
    members: &'a [Member<'a>],
    current_assignment: BTreeMap<String, Vec<Tp>>,
    previous_assignment: BTreeMap<Tp, String>,
    current_partition_consumer: BTreeMap<Tp, String>,
    is_fresh_assignment: bool,
    partition_to_all_potential_consumers: BTreeMap<Tp, Vec<String>>,
    /// In the members' order.
    consumer_to_all_potential_partitions: Vec<(String, Vec<Tp>)>,
    /// (number of assigned partitions, consumer), ascending.
    sorted_current_subscriptions: BTreeSet<(usize, String)>,
    sorted_partitions: Vec<Tp>,
    unassigned_partitions: Vec<Tp>,
    revocation_required: bool,
    movements: PartitionMovements,
}

fn remove_first(list: &mut Vec<Tp>, item: &Tp) -> bool {
    match list.iter().position(|x| x == item) {
        Some(i) => {
            list.remove(i);
            true
        }
        None => false,
    }
}

impl<'a> Executor<'a> {
    fn new(cluster: &ClusterTopics<'_>, members: &'a [Member<'a>]) -> Self {
        let mut ex = Executor {
            members,
            current_assignment: BTreeMap::new(),
            previous_assignment: BTreeMap::new(),
            current_partition_consumer: BTreeMap::new(),
            is_fresh_assignment: false,
            partition_to_all_potential_consumers: BTreeMap::new(),
            consumer_to_all_potential_partitions: Vec::new(),
            sorted_current_subscriptions: BTreeSet::new(),
            sorted_partitions: Vec::new(),
            unassigned_partitions: Vec::new(),
            revocation_required: false,
            movements: PartitionMovements::default(),
        };
        ex.init_current_assignments(members);
        for &(topic, count) in cluster {
            for p in 0..count {
                ex.partition_to_all_potential_consumers
                    .insert(Tp::new(topic, p), Vec::new());
            }
        }
        for m in members {
            let mut potential = Vec::new();
            for &topic in &m.topics {
                let Some(count) = partition_count(cluster, topic) else {
                    continue;
                };
                for p in 0..count {
                    let tp = Tp::new(topic, p);
                    if let Some(consumers) = ex.partition_to_all_potential_consumers.get_mut(&tp) {
                        consumers.push(m.id.to_string());
                    }
                    potential.push(tp);
                }
            }
            ex.consumer_to_all_potential_partitions
                .push((m.id.to_string(), potential));
            ex.current_assignment.entry(m.id.to_string()).or_default();
        }
        ex
    }

    /// Claims from several members on one partition are settled by generation: the highest
    /// generation owns it, the next highest is its previous owner. Between two claims with the
    /// same generation the first member wins, except for generation 0, where the last wins
    /// (kafka-python tests the generation's truthiness).
    fn init_current_assignments(&mut self, members: &[Member<'_>]) {
        let mut order: Vec<Tp> = Vec::new();
        let mut claims: BTreeMap<Tp, BTreeMap<i32, &str>> = BTreeMap::new();
        for m in members {
            for tp in &m.owned {
                match claims.get_mut(tp) {
                    Some(by_generation) => {
                        if !(m.generation != 0 && by_generation.contains_key(&m.generation)) {
                            by_generation.insert(m.generation, m.id);
                        }
                    }
                    None => {
                        order.push(tp.clone());
                        claims.insert(tp.clone(), BTreeMap::from([(m.generation, m.id)]));
                    }
                }
            }
        }
        for tp in order {
            let Some(by_generation) = claims.get(&tp) else {
                continue;
            };
            let mut newest = by_generation.iter().rev();
            if let Some((_, owner)) = newest.next() {
                self.current_assignment
                    .entry(owner.to_string())
                    .or_default()
                    .push(tp.clone());
            }
            if let Some((_, previous)) = newest.next() {
                self.previous_assignment
                    .insert(tp.clone(), previous.to_string());
            }
        }
        self.is_fresh_assignment = self.current_assignment.is_empty();
        for (consumer, parts) in &self.current_assignment {
            for tp in parts {
                self.current_partition_consumer
                    .insert(tp.clone(), consumer.clone());
            }
        }
    }

    fn potential_partitions(&self, consumer: &str) -> &[Tp] {
        self.consumer_to_all_potential_partitions
            .iter()
            .find(|(c, _)| c == consumer)
            .map(|(_, parts)| parts.as_slice())
            .unwrap_or(&[])
    }

    fn potential_consumers(&self, tp: &Tp) -> &[String] {
        self.partition_to_all_potential_consumers
            .get(tp)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    fn len_of(&self, consumer: &str) -> usize {
        self.current_assignment.get(consumer).map_or(0, Vec::len)
    }

    fn is_subscribed(&self, consumer: &str, topic: &str) -> bool {
        self.members
            .iter()
            .any(|m| m.id == consumer && m.subscribes(topic))
    }

    fn perform_initial_assignment(&mut self) {
        self.populate_sorted_partitions();
        self.populate_partitions_to_reassign();
    }

    fn subscriptions_identical(&self) -> bool {
        let mut consumers = self.partition_to_all_potential_consumers.values();
        if let Some(first) = consumers.next() {
            if consumers.any(|c| c != first) {
                return false;
            }
        }
        let mut partitions = self.consumer_to_all_potential_partitions.iter();
        if let Some((_, first)) = partitions.next() {
            if partitions.any(|(_, p)| p != first) {
                return false;
            }
        }
        true
    }

    fn populate_sorted_partitions(&mut self) {
        let mut all: Vec<(usize, &Tp)> = self
            .partition_to_all_potential_consumers
            .iter()
            .map(|(tp, consumers)| (consumers.len(), tp))
            .collect();
        all.sort();
        let all: Vec<Tp> = all.into_iter().map(|(_, tp)| tp.clone()).collect();
        let mut sorted_partitions = Vec::new();
        if !self.is_fresh_assignment && self.subscriptions_identical() {
            // Deal the current partitions out from the most loaded consumers first.
            let mut assignments: BTreeMap<String, Vec<Tp>> = self
                .current_assignment
                .iter()
                .map(|(c, parts)| {
                    let parts = parts
                        .iter()
                        .filter(|tp| self.partition_to_all_potential_consumers.contains_key(tp))
                        .cloned()
                        .collect();
                    (c.clone(), parts)
                })
                .collect();
            let mut sorted_consumers: BTreeSet<(usize, String)> = assignments
                .iter()
                .map(|(c, parts)| (parts.len(), c.clone()))
                .collect();
            while let Some((_, consumer)) = sorted_consumers.pop_last() {
                let Some(remaining) = assignments.get_mut(&consumer) else {
                    continue;
                };
                let previous = remaining
                    .iter()
                    .filter(|tp| self.previous_assignment.contains_key(tp))
                    .min()
                    .cloned();
                if let Some(tp) = previous {
                    remove_first(remaining, &tp);
                    sorted_partitions.push(tp);
                    sorted_consumers.insert((remaining.len(), consumer));
                } else if let Some(tp) = remaining.pop() {
                    sorted_partitions.push(tp);
                    sorted_consumers.insert((remaining.len(), consumer));
                }
            }
            let already: BTreeSet<Tp> = sorted_partitions.iter().cloned().collect();
            sorted_partitions.extend(all.into_iter().filter(|tp| !already.contains(tp)));
        } else {
            sorted_partitions = all;
        }
        self.sorted_partitions = sorted_partitions;
    }

    fn populate_partitions_to_reassign(&mut self) {
        self.unassigned_partitions = self.sorted_partitions.clone();
        let consumers: Vec<String> = self.current_assignment.keys().cloned().collect();
        for consumer in consumers {
            let parts = self
                .current_assignment
                .get(&consumer)
                .cloned()
                .unwrap_or_default();
            let mut to_remove = Vec::new();
            for tp in parts {
                if !self.partition_to_all_potential_consumers.contains_key(&tp) {
                    to_remove.push(tp);
                } else if !self.is_subscribed(&consumer, &tp.topic) {
                    to_remove.push(tp);
                    self.revocation_required = true;
                } else {
                    remove_first(&mut self.unassigned_partitions, &tp);
                }
            }
            for tp in to_remove {
                if let Some(list) = self.current_assignment.get_mut(&consumer) {
                    remove_first(list, &tp);
                }
                self.current_partition_consumer.remove(&tp);
            }
        }
    }

    fn subscription_key(&self, consumer: &str) -> (usize, String) {
        (self.len_of(consumer), consumer.to_string())
    }

    fn remove_from_sorted(&mut self, consumer: &str) -> bool {
        let key = self.subscription_key(consumer);
        self.sorted_current_subscriptions.remove(&key)
    }

    fn add_to_sorted(&mut self, consumer: &str) {
        let key = self.subscription_key(consumer);
        self.sorted_current_subscriptions.insert(key);
    }

    fn balance(&mut self) {
        self.sorted_current_subscriptions = self
            .current_assignment
            .iter()
            .map(|(c, parts)| (parts.len(), c.clone()))
            .collect();
        let initializing = self
            .sorted_current_subscriptions
            .last()
            .is_none_or(|(len, _)| *len == 0);

        let unassigned = self.unassigned_partitions.clone();
        for tp in &unassigned {
            if self.potential_consumers(tp).is_empty() {
                continue;
            }
            self.assign_partition(tp);
        }

        let fixed_partitions: BTreeSet<Tp> = self
            .partition_to_all_potential_consumers
            .iter()
            .filter(|(_, consumers)| consumers.len() < 2)
            .map(|(tp, _)| tp.clone())
            .collect();
        self.sorted_partitions
            .retain(|tp| !fixed_partitions.contains(tp));
        self.unassigned_partitions
            .retain(|tp| !fixed_partitions.contains(tp));

        let mut fixed_assignments: Vec<(String, Vec<Tp>)> = Vec::new();
        let consumers: Vec<String> = self
            .consumer_to_all_potential_partitions
            .iter()
            .map(|(c, _)| c.clone())
            .collect();
        for consumer in consumers {
            if !self.can_consumer_participate(&consumer) {
                self.remove_from_sorted(&consumer);
                let parts = self
                    .current_assignment
                    .remove(&consumer)
                    .unwrap_or_default();
                fixed_assignments.push((consumer, parts));
            }
        }

        let prebalance_assignment = self.current_assignment.clone();
        let prebalance_partition_consumers = self.current_partition_consumer.clone();

        if !self.revocation_required {
            let unassigned = self.unassigned_partitions.clone();
            self.perform_reassignments(&unassigned);
        }
        let sorted = self.sorted_partitions.clone();
        let reassignment_performed = self.perform_reassignments(&sorted);

        if !initializing
            && reassignment_performed
            && balance_score(&self.current_assignment) >= balance_score(&prebalance_assignment)
        {
            self.current_assignment = prebalance_assignment;
            self.current_partition_consumer = prebalance_partition_consumers;
        }

        for (consumer, parts) in fixed_assignments {
            self.current_assignment.insert(consumer.clone(), parts);
            self.add_to_sorted(&consumer);
        }
    }

    fn final_assignment(&self, member: &str) -> Vec<Tp> {
        let mut parts = self
            .current_assignment
            .get(member)
            .cloned()
            .unwrap_or_default();
        parts.sort_unstable();
        parts
    }

    /// The least-loaded consumer that may own `tp` (kafka-python walks its sorted subscriptions).
    fn least_loaded_candidate(&self, tp: &Tp) -> Option<String> {
        self.sorted_current_subscriptions
            .iter()
            .map(|(_, c)| c)
            .find(|c| self.potential_consumers(tp).contains(c))
            .cloned()
    }

    fn assign_partition(&mut self, tp: &Tp) {
        let chosen = self.least_loaded_candidate(tp);
        if let Some(consumer) = chosen {
            self.remove_from_sorted(&consumer);
            self.current_assignment
                .entry(consumer.clone())
                .or_default()
                .push(tp.clone());
            self.current_partition_consumer
                .insert(tp.clone(), consumer.clone());
            self.add_to_sorted(&consumer);
        }
    }

    fn can_consumer_participate(&self, consumer: &str) -> bool {
        let current = self
            .current_assignment
            .get(consumer)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        if current.len() < self.potential_partitions(consumer).len() {
            return true;
        }
        current
            .iter()
            .any(|tp| self.potential_consumers(tp).len() >= 2)
    }

    fn is_balanced(&self) -> bool {
        let (Some((_, least)), Some((_, most))) = (
            self.sorted_current_subscriptions.first(),
            self.sorted_current_subscriptions.last(),
        ) else {
            return true;
        };
        if self.len_of(least) + 1 >= self.len_of(most) {
            return true;
        }
        let mut all_assigned: BTreeMap<&Tp, &str> = BTreeMap::new();
        for (consumer, parts) in &self.current_assignment {
            for tp in parts {
                all_assigned.insert(tp, consumer);
            }
        }
        for (_, consumer) in &self.sorted_current_subscriptions {
            let count = self.len_of(consumer);
            let potential = self.potential_partitions(consumer);
            if count == potential.len() {
                continue;
            }
            for tp in potential {
                // Whether `consumer` holds `tp`, by the partition -> consumer index.
                let holds = self.current_partition_consumer.get(tp).map(String::as_str)
                    == Some(consumer.as_str());
                if !holds {
                    if let Some(other) = all_assigned.get(tp) {
                        if count < self.len_of(other) {
                            return false;
                        }
                    }
                }
            }
        }
        true
    }

    fn perform_reassignments(&mut self, reassignable: &[Tp]) -> bool {
        let mut performed = false;
        for _ in 0..MAX_REASSIGNMENT_ROUNDS {
            let mut modified = false;
            for tp in reassignable {
                if self.is_balanced() {
                    break;
                }
                let Some(consumer) = self.current_partition_consumer.get(tp).cloned() else {
                    continue;
                };
                let consumer_len = self.len_of(&consumer);
                if let Some(previous) = self.previous_assignment.get(tp).cloned() {
                    let previous_len = match self.current_assignment.get(&previous) {
                        Some(parts) => Some(parts.len()),
                        // kafka-python reads the count of a previous owner that is out of the
                        // reassignment (a fixed consumer) through a defaultdict, which enrols it
                        // with no partitions; it then crashes if the rule applies. Enrol it only
                        // when the rule does not apply, and skip the rule otherwise.
                        None if consumer_len <= 1 => {
                            self.current_assignment.insert(previous.clone(), Vec::new());
                            Some(0)
                        }
                        None => None,
                    };
                    // kafka-python would also hand the partition to a previous owner that no
                    // longer subscribes to its topic, an invalid assignment: skip the rule then.
                    if let Some(previous_len) = previous_len {
                        if consumer_len > previous_len + 1
                            && self.potential_consumers(tp).contains(&previous)
                        {
                            self.reassign_partition_to_consumer(tp, &previous);
                            performed = true;
                            modified = true;
                            continue;
                        }
                    }
                }
                let better = self
                    .potential_consumers(tp)
                    .iter()
                    .any(|other| consumer_len > self.len_of(other) + 1);
                if better {
                    self.reassign_partition(tp);
                    performed = true;
                    modified = true;
                }
            }
            if !modified {
                break;
            }
        }
        performed
    }

    fn reassign_partition(&mut self, tp: &Tp) {
        let chosen = self.least_loaded_candidate(tp);
        if let Some(new_consumer) = chosen {
            self.reassign_partition_to_consumer(tp, &new_consumer);
        }
    }

    fn reassign_partition_to_consumer(&mut self, tp: &Tp, new_consumer: &str) {
        let Some(consumer) = self.current_partition_consumer.get(tp).cloned() else {
            return;
        };
        let to_move = self
            .movements
            .partition_to_be_moved(tp, &consumer, new_consumer);
        let Some(substitute_owner) = self.current_partition_consumer.get(&to_move).cloned() else {
            return;
        };
        if substitute_owner != consumer {
            // The partition and its substitute both moved earlier in this rebalance: undo both.
            self.move_partition(tp, &substitute_owner);
        }
        self.move_partition(&to_move, new_consumer);
    }

    fn move_partition(&mut self, tp: &Tp, new_consumer: &str) {
        let Some(old_consumer) = self.current_partition_consumer.get(tp).cloned() else {
            return;
        };
        if old_consumer == new_consumer {
            return;
        }
        self.remove_from_sorted(&old_consumer);
        self.remove_from_sorted(new_consumer);
        self.movements
            .move_partition(tp, &old_consumer, new_consumer);
        if let Some(list) = self.current_assignment.get_mut(&old_consumer) {
            remove_first(list, tp);
        }
        self.current_assignment
            .entry(new_consumer.to_string())
            .or_default()
            .push(tp.clone());
        self.current_partition_consumer
            .insert(tp.clone(), new_consumer.to_string());
        self.add_to_sorted(new_consumer);
        self.add_to_sorted(&old_consumer);
    }
}

/// The sum, over all pairs of consumers, of the difference of their partition counts
/// (0 for a perfectly balanced assignment).
fn balance_score(assignment: &BTreeMap<String, Vec<Tp>>) -> u64 {
    let counts: Vec<u64> = assignment.values().map(|p| p.len() as u64).collect();
    let mut score = 0u64;
    for (i, a) in counts.iter().enumerate() {
        for b in counts.iter().skip(i + 1) {
            score = score.saturating_add(a.abs_diff(*b));
        }
    }
    score
}
