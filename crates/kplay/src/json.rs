//! Minimal JSON writing: string escaping and the assignment object.

use kafka_engine::assignor::Assignment;

/// `s` as a JSON string literal (the runner's escaping, shared with `kplay run --json`).
pub fn string(s: &str) -> String {
    kplay_runner::report::json_string(s)
}

/// `{"member": ["topic-partition", ...], ...}` on one line, members and partitions in the
/// assignment's (sorted) order.
pub fn assignment(a: &Assignment) -> String {
    let members: Vec<String> = a
        .iter()
        .map(|(member, parts)| {
            let parts: Vec<String> = parts.iter().map(|tp| string(&tp.to_string())).collect();
            format!("{}: [{}]", string(member), parts.join(", "))
        })
        .collect();
    format!("{{{}}}", members.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kafka_engine::TopicPartition;

    #[test]
    fn escapes_quotes_backslashes_and_controls() {
        assert_eq!(string("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(string("x\ny\t\u{1}"), r#""x\ny\t\u0001""#);
        assert_eq!(string("né🦀"), "\"né🦀\"");
    }

    #[test]
    fn writes_members_in_order_with_empty_lists() {
        let mut a = Assignment::new();
        a.insert("b".into(), vec![]);
        a.insert(
            "a".into(),
            vec![TopicPartition::new("t", 0), TopicPartition::new("t", 10)],
        );
        assert_eq!(assignment(&a), r#"{"a": ["t-0", "t-10"], "b": []}"#);
    }
}
