//! Checks `Dict` (insertion-ordered, open-addressing index) against a plain Vec model over
//! long seeded sequences of inserts, updates, removals and pops that force index rebuilds.

use pysnip::value::Dict;
use pysnip::Value;

/// The model: (key, value) pairs in insertion order.
type Model = Vec<(i64, i64)>;

fn check(d: &Dict, m: &Model) {
    assert_eq!(d.len(), m.len());
    let keys: Vec<i64> = d.keys().iter().filter_map(|k| k.as_int()).collect();
    let want: Vec<i64> = m.iter().map(|(k, _)| *k).collect();
    assert_eq!(keys, want);
    for (k, v) in m {
        assert_eq!(
            d.get(&Value::int(*k))
                .ok()
                .flatten()
                .and_then(|x| x.as_int()),
            Some(*v)
        );
    }
}

#[test]
fn dict_matches_a_vec_model() {
    for seed in 1..40u64 {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut next = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        let mut d = Dict::new();
        let mut m: Model = Vec::new();
        let range = 4 + seed * 7;
        for step in 0..3000i64 {
            let k = next(range) as i64;
            match next(10) {
                0..=4 => {
                    d.insert(Value::int(k), Value::int(step)).unwrap();
                    match m.iter_mut().find(|(mk, _)| *mk == k) {
                        Some(e) => e.1 = step,
                        None => m.push((k, step)),
                    }
                }
                5..=7 => {
                    let got = d.remove(&Value::int(k)).unwrap().and_then(|v| v.as_int());
                    let want = m.iter().position(|(mk, _)| *mk == k).map(|i| m.remove(i).1);
                    assert_eq!(got, want);
                }
                8 => {
                    let got = d.pop_last().map(|(k, v)| (k.as_int(), v.as_int()));
                    let want = m.pop().map(|(k, v)| (Some(k), Some(v)));
                    assert_eq!(got, want);
                }
                _ => {
                    assert_eq!(
                        d.contains(&Value::int(k)).unwrap(),
                        m.iter().any(|(mk, _)| *mk == k)
                    );
                }
            }
            if step % 97 == 0 {
                check(&d, &m);
                check(&d.clone(), &m);
            }
        }
        check(&d, &m);
        d.clear();
        assert!(d.is_empty());
        assert!(d.get(&Value::int(1)).unwrap().is_none());
    }
}

#[test]
fn numeric_keys_are_equivalent_and_keep_the_first_key() {
    let mut d = Dict::new();
    d.insert(Value::float(1.0), Value::int(1)).unwrap();
    d.insert(Value::int(1), Value::int(2)).unwrap();
    d.insert(Value::bool(true), Value::int(3)).unwrap();
    assert_eq!(d.len(), 1);
    let (k, v) = d.first().unwrap();
    assert!(matches!(k, Value::Float(f) if f == 1.0));
    assert_eq!(v.as_int(), Some(3));
    d.insert(Value::str("a"), Value::int(4)).unwrap();
    assert_eq!(
        d.get(&Value::str("a")).unwrap().and_then(|v| v.as_int()),
        Some(4)
    );
    assert!(d.insert(Value::list(vec![]), Value::None).is_err());
}
