//! Tests of the assignors against Kafka's and kafka-python's documented cases.

use super::*;
use std::collections::BTreeSet;

fn topics(spec: &[(&str, u32)]) -> BTreeMap<String, u32> {
    spec.iter().map(|(t, n)| (t.to_string(), *n)).collect()
}

fn member(id: &str, subs: &[&str]) -> MemberSubscription {
    MemberSubscription {
        member_id: id.to_string(),
        topics: subs.iter().map(|s| s.to_string()).collect(),
        owned: Vec::new(),
        generation: None,
    }
}

fn owning(id: &str, subs: &[&str], owned: &[(&str, u32)], generation: i32) -> MemberSubscription {
    MemberSubscription {
        owned: owned
            .iter()
            .map(|(t, p)| TopicPartition::new(*t, *p))
            .collect(),
        generation: Some(generation),
        ..member(id, subs)
    }
}

/// The assignment as `member -> ["topic-partition", ...]` for compact comparisons.
fn show(a: &Assignment) -> Vec<(String, Vec<String>)> {
    a.iter()
        .map(|(m, parts)| (m.clone(), parts.iter().map(|tp| tp.to_string()).collect()))
        .collect()
}

fn expect(a: &Assignment, want: &[(&str, &[&str])]) {
    let want: Vec<(String, Vec<String>)> = want
        .iter()
        .map(|(m, parts)| (m.to_string(), parts.iter().map(|s| s.to_string()).collect()))
        .collect();
    assert_eq!(show(a), want);
}

/// Every partition of a subscribed topic is assigned exactly once, to a subscriber.
fn assert_valid(a: &Assignment, t: &BTreeMap<String, u32>, members: &[MemberSubscription]) {
    let mut seen = BTreeSet::new();
    for (m, parts) in a {
        let sub = members.iter().find(|x| &x.member_id == m).expect("member");
        for tp in parts {
            assert!(sub.topics.contains(&tp.topic), "{m} got {tp} unsubscribed");
            assert!(seen.insert(tp.clone()), "{tp} assigned twice");
        }
    }
    for (topic, &n) in t {
        if members.iter().any(|m| m.topics.contains(topic)) {
            for p in 0..n {
                assert!(seen.contains(&TopicPartition::new(topic.clone(), p)));
            }
        }
    }
}

#[test]
fn strategy_names_round_trip() {
    for s in Strategy::ALL {
        assert_eq!(Strategy::from_name(s.name()), Some(s));
    }
    assert_eq!(
        Strategy::from_name("cooperative-sticky"),
        Some(Strategy::CooperativeSticky)
    );
    assert_eq!(Strategy::from_name("Range"), None);
    assert!(Strategy::CooperativeSticky.is_cooperative());
    assert!(!Strategy::Sticky.is_cooperative());
}

#[test]
fn range_unequal_subscriptions_kafka_case() {
    let t = topics(&[("t1", 3), ("t2", 2)]);
    let m = [
        member("c1", &["t1"]),
        member("c2", &["t1", "t2"]),
        member("c3", &["t1"]),
    ];
    let a = assign(Strategy::Range, &t, &m);
    expect(
        &a,
        &[
            ("c1", &["t1-0"]),
            ("c2", &["t1-1", "t2-0", "t2-1"]),
            ("c3", &["t1-2"]),
        ],
    );
}

#[test]
fn range_two_consumers_two_topics() {
    let t = topics(&[("t1", 3), ("t2", 3)]);
    let m = [member("c2", &["t1", "t2"]), member("c1", &["t2", "t1"])];
    let a = assign(Strategy::Range, &t, &m);
    expect(
        &a,
        &[
            ("c1", &["t1-0", "t1-1", "t2-0", "t2-1"]),
            ("c2", &["t1-2", "t2-2"]),
        ],
    );
}

#[test]
fn range_orders_members_as_strings() {
    // "c10" < "c2": c10 comes first and gets the extra partition.
    let t = topics(&[("t", 3)]);
    let m = [member("c2", &["t"]), member("c10", &["t"])];
    expect(
        &assign(Strategy::Range, &t, &m),
        &[("c10", &["t-0", "t-1"]), ("c2", &["t-2"])],
    );
}

#[test]
fn roundrobin_kafka_case() {
    let t = topics(&[("t1", 3), ("t2", 3)]);
    let m = [member("c1", &["t1", "t2"]), member("c2", &["t1", "t2"])];
    let a = assign(Strategy::RoundRobin, &t, &m);
    expect(
        &a,
        &[
            ("c1", &["t1-0", "t1-2", "t2-1"]),
            ("c2", &["t1-1", "t2-0", "t2-2"]),
        ],
    );
}

#[test]
fn roundrobin_unequal_subscriptions_kafka_python_docstring() {
    let t = topics(&[("t0", 1), ("t1", 2), ("t2", 3)]);
    let m = [
        member("C0", &["t0"]),
        member("C1", &["t0", "t1"]),
        member("C2", &["t0", "t1", "t2"]),
    ];
    let a = assign(Strategy::RoundRobin, &t, &m);
    expect(
        &a,
        &[
            ("C0", &["t0-0"]),
            ("C1", &["t1-0"]),
            ("C2", &["t1-1", "t2-0", "t2-1", "t2-2"]),
        ],
    );
}

#[test]
fn more_members_than_partitions_and_unsubscribed_member() {
    let t = topics(&[("t", 2), ("other", 4)]);
    let m = [
        member("a", &["t"]),
        member("b", &["t"]),
        member("c", &["t"]),
        member("d", &[]),
    ];
    for s in Strategy::ALL {
        let a = assign(s, &t, &m);
        assert_valid(&a, &t, &m);
        assert_eq!(a.len(), 4, "{s}: every member appears");
        assert!(a["d"].is_empty());
        assert_eq!(
            a.values().map(Vec::len).sum::<usize>(),
            2,
            "{s}: 'other' has no subscriber"
        );
    }
    expect(
        &assign(Strategy::Range, &t, &m),
        &[("a", &["t-0"]), ("b", &["t-1"]), ("c", &[]), ("d", &[])],
    );
}

#[test]
fn no_members_and_missing_topics() {
    let t = topics(&[("t", 3)]);
    for s in Strategy::ALL {
        assert!(assign(s, &t, &[]).is_empty());
        let m = [member("a", &["ghost"])];
        let a = assign(s, &t, &m);
        expect(&a, &[("a", &[])]);
    }
}

#[test]
fn sticky_fresh_equals_roundrobin_with_equal_subscriptions() {
    let t = topics(&[("t0", 2), ("t1", 2), ("t2", 2), ("t3", 2)]);
    let all = ["t0", "t1", "t2", "t3"];
    let m = [member("C0", &all), member("C1", &all), member("C2", &all)];
    let sticky = assign(Strategy::Sticky, &t, &m);
    assert_eq!(sticky, assign(Strategy::RoundRobin, &t, &m));
    expect(
        &sticky,
        &[
            ("C0", &["t0-0", "t1-1", "t3-0"]),
            ("C1", &["t0-1", "t2-0", "t3-1"]),
            ("C2", &["t1-0", "t2-1"]),
        ],
    );
    // kafka-python's docstring: C1 leaves, every other partition stays where it was.
    let m2 = [
        owning("C0", &all, &[("t0", 0), ("t1", 1), ("t3", 0)], 1),
        owning("C2", &all, &[("t1", 0), ("t2", 1)], 1),
    ];
    let again = assign(Strategy::Sticky, &t, &m2);
    expect(
        &again,
        &[
            ("C0", &["t0-0", "t1-1", "t2-0", "t3-0"]),
            ("C2", &["t0-1", "t1-0", "t2-1", "t3-1"]),
        ],
    );
}

#[test]
fn sticky_unequal_subscriptions_docstring() {
    let t = topics(&[("t0", 1), ("t1", 2), ("t2", 3)]);
    let m = [
        member("C0", &["t0"]),
        member("C1", &["t0", "t1"]),
        member("C2", &["t0", "t1", "t2"]),
    ];
    let a = assign(Strategy::Sticky, &t, &m);
    expect(
        &a,
        &[
            ("C0", &["t0-0"]),
            ("C1", &["t1-0", "t1-1"]),
            ("C2", &["t2-0", "t2-1", "t2-2"]),
        ],
    );
    // C0 leaves: t0-0 goes to C1, the rest stays.
    let m2 = [
        owning("C1", &["t0", "t1"], &[("t1", 0), ("t1", 1)], 1),
        owning(
            "C2",
            &["t0", "t1", "t2"],
            &[("t2", 0), ("t2", 1), ("t2", 2)],
            1,
        ),
    ];
    let b = assign(Strategy::Sticky, &t, &m2);
    expect(
        &b,
        &[
            ("C1", &["t0-0", "t1-0", "t1-1"]),
            ("C2", &["t2-0", "t2-1", "t2-2"]),
        ],
    );
}

#[test]
fn sticky_and_cooperative_member_joins_kafka_case() {
    let t = topics(&[("t", 3)]);
    let m = [
        owning("c1", &["t"], &[("t", 0), ("t", 1), ("t", 2)], 1),
        member("c2", &["t"]),
    ];
    expect(
        &assign(Strategy::Sticky, &t, &m),
        &[("c1", &["t-0", "t-1"]), ("c2", &["t-2"])],
    );
    // Cooperative: t-2 moves, so it is withheld this round...
    let first = assign(Strategy::CooperativeSticky, &t, &m);
    expect(&first, &[("c1", &["t-0", "t-1"]), ("c2", &[])]);
    // ...and c1, having revoked it, rejoins owning t-0 and t-1: c2 gets it in round two.
    let m2 = [
        owning("c1", &["t"], &[("t", 0), ("t", 1)], 2),
        owning("c2", &["t"], &[], 2),
    ];
    let second = assign(Strategy::CooperativeSticky, &t, &m2);
    expect(&second, &[("c1", &["t-0", "t-1"]), ("c2", &["t-2"])]);
}

#[test]
fn sticky_keeps_owned_partitions_when_a_member_leaves() {
    let t = topics(&[("t", 6)]);
    let m = [
        owning("a", &["t"], &[("t", 0), ("t", 3)], 4),
        owning("c", &["t"], &[("t", 2), ("t", 5)], 4),
    ];
    let a = assign(Strategy::Sticky, &t, &m);
    assert_valid(&a, &t, &m);
    for (who, keep) in [("a", [0, 3]), ("c", [2, 5])] {
        for p in keep {
            assert!(
                a[who].contains(&TopicPartition::new("t", p)),
                "{who} keeps t-{p}"
            );
        }
        assert_eq!(a[who].len(), 3);
    }
    // Cooperative gives the orphaned t-1 and t-4 at once: nobody owns them.
    assert_eq!(assign(Strategy::CooperativeSticky, &t, &m), a);
}

#[test]
fn sticky_revokes_partitions_of_unsubscribed_topics() {
    let t = topics(&[("x", 2), ("y", 2)]);
    let m = [
        owning("a", &["y"], &[("x", 0), ("x", 1), ("y", 0)], 1),
        owning("b", &["x", "y"], &[("y", 1)], 1),
    ];
    let a = assign(Strategy::Sticky, &t, &m);
    assert_valid(&a, &t, &m);
    assert!(a["a"].iter().all(|tp| tp.topic == "y"));
    let coop = assign(Strategy::CooperativeSticky, &t, &m);
    // Whatever moves from a to b waits for the next round.
    for tp in &coop["b"] {
        assert!(!m[0].owned.contains(tp));
    }
}

#[test]
fn newer_generation_wins_a_conflicting_claim() {
    let t = topics(&[("t", 2)]);
    let m = [
        owning("a", &["t"], &[("t", 0), ("t", 1)], 3),
        owning("b", &["t"], &[("t", 0)], 5),
    ];
    // b's claim on t-0 is newer; a keeps t-1.
    expect(
        &assign(Strategy::Sticky, &t, &m),
        &[("a", &["t-1"]), ("b", &["t-0"])],
    );
}

#[test]
fn owned_partitions_that_no_longer_exist_are_dropped() {
    let t = topics(&[("t", 2)]);
    let m = [
        owning("a", &["t"], &[("t", 0), ("t", 1), ("t", 2), ("gone", 0)], 1),
        member("b", &["t"]),
    ];
    for s in [Strategy::Sticky, Strategy::CooperativeSticky] {
        let a = assign(s, &t, &m);
        assert!(a
            .values()
            .flatten()
            .all(|tp| tp.topic == "t" && tp.partition < 2));
    }
}

#[test]
fn every_strategy_gives_a_valid_balanced_assignment_on_many_shapes() {
    // Deterministic pseudo-random shapes; equal subscriptions must be balanced within one.
    let mut seed = 0x2545_f491_u32;
    let mut next = |n: u32| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed % n
    };
    for _ in 0..200 {
        let t: BTreeMap<String, u32> = (0..1 + next(3))
            .map(|i| (format!("t{i}"), next(7)))
            .collect();
        let names: Vec<String> = t.keys().cloned().collect();
        let n = 1 + next(5);
        let m: Vec<MemberSubscription> = (0..n)
            .map(|i| MemberSubscription {
                member_id: format!("m{}", next(20) * 10 + i),
                topics: names.clone(),
                owned: (0..next(3))
                    .map(|_| TopicPartition::new(format!("t{}", next(3)), next(7)))
                    .collect(),
                generation: Some(1),
            })
            .collect();
        for s in Strategy::ALL {
            let a = assign(s, &t, &m);
            if s == Strategy::CooperativeSticky {
                continue;
            }
            assert_valid(&a, &t, &m);
            if s != Strategy::Range {
                let sizes: Vec<usize> = a.values().map(Vec::len).collect();
                let (lo, hi) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
                assert!(hi - lo <= 1, "{s} unbalanced: {sizes:?}");
            }
        }
    }
}

#[test]
fn stale_claim_by_a_member_no_longer_subscribed_is_ignored() {
    // b claimed x-0 in an older generation but now only reads y: kafka-python 3.0.12 crashes
    // (KeyError) trying to give x-0 back to b; the assignment still balances x over a and c.
    let t = topics(&[("x", 4), ("y", 1)]);
    let m = [
        owning("a", &["x"], &[("x", 0), ("x", 1), ("x", 2), ("x", 3)], 2),
        owning("b", &["y"], &[("x", 0)], 1),
        member("c", &["x"]),
    ];
    let a = assign(Strategy::Sticky, &t, &m);
    assert_valid(&a, &t, &m);
    assert_eq!(a["b"], vec![TopicPartition::new("y", 0)]);
    assert_eq!((a["a"].len(), a["c"].len()), (2, 2));
    // a keeps two of its own; cooperative withholds the two that move to c this round.
    let coop = assign(Strategy::CooperativeSticky, &t, &m);
    assert_eq!(coop["a"], a["a"]);
    assert!(coop["c"].is_empty());
}
