//! End-to-end tests of the built app in headless Chromium: the foundation (lanes, quick send,
//! languages). The page opens paused (`play=0`) so the lesson's programs don't add records.

use browser_tests::open_app;

/// The partition kplay's engine gives a key on a 3-partition topic.
fn engine_partition(key: &str) -> u32 {
    kafka_engine::partition_for_key(key.as_bytes(), 3)
}

#[test]
fn page_shows_the_transactions_topic_with_three_lanes() {
    let s = open_app(1280, 800, "?lang=en&play=0");
    let topic = s.find("[data-topic]").unwrap();
    assert_eq!(
        s.attr(&topic, "data-topic").unwrap().as_deref(),
        Some("transactions")
    );
    let lanes = s
        .find_all("[data-topic='transactions'] [data-partition]")
        .unwrap();
    assert_eq!(lanes.len(), 3, "one lane per partition");
    for (i, lane) in lanes.iter().enumerate() {
        assert_eq!(s.attr(lane, "data-partition").unwrap(), Some(i.to_string()));
    }
    s.screenshot("skeleton-1280x800").unwrap();
}

#[test]
fn sending_key_456_adds_a_cell_in_lane_2() {
    assert_eq!(engine_partition("456"), 2);
    let s = open_app(1280, 800, "?lang=en&play=0");
    let key = s.find("[data-input='key']").unwrap();
    s.type_into(&key, "456").unwrap();
    s.click(&s.find("[data-action='send']").unwrap()).unwrap();
    let cell = s.wait_for("[data-partition='2'] [data-offset='0'][data-key='456']");
    assert_eq!(s.attr(&cell, "data-key").unwrap().as_deref(), Some("456"));
    for other in ["0", "1"] {
        let cells = s
            .find_all(&format!("[data-partition='{other}'] [data-offset]"))
            .unwrap();
        assert!(cells.is_empty(), "lane {other} must stay empty");
    }
    s.screenshot("skeleton-after-send").unwrap();
}

#[test]
fn keys_land_where_the_engine_puts_them_and_offsets_grow() {
    let s = open_app(1280, 800, "?lang=en&play=0");
    let keys = ["user-1", "user-2", "user-3", "user-1", "42", "abc"];
    let key = s.find("[data-input='key']").unwrap();
    let send = s.find("[data-action='send']").unwrap();
    let mut next_offset = [0u32; 3];
    for k in keys {
        s.clear(&key).unwrap();
        s.type_into(&key, k).unwrap();
        s.click(&send).unwrap();
        let p = engine_partition(k);
        let o = next_offset[p as usize];
        next_offset[p as usize] += 1;
        s.wait_for(&format!(
            "[data-partition='{p}'] [data-offset='{o}'][data-key='{k}']"
        ));
    }
    let total = s.find_all("[data-offset]").unwrap().len();
    assert_eq!(total, keys.len());
}

#[test]
fn spanish_is_the_default_for_a_spanish_browser_and_lang_switches() {
    let s = open_app(420, 720, "?lang=es&play=0");
    let send = s.find("[data-action='send']").unwrap();
    assert_eq!(s.text(&send).unwrap(), "Enviar");
    s.click(&s.find("[data-action='language']").unwrap())
        .unwrap();
    s.wait_until(
        "the English label",
        "return document.querySelector(\"[data-action='send']\").textContent === 'Send';",
    );
    s.screenshot("skeleton-420x720").unwrap();
}
