//! End-to-end tests of the playground page: programs typed into the editor run through the
//! interpreter and the engine, groups split partitions, faults move them, errors are marked,
//! record data stays text, code survives a reload.

use browser_tests::open_app;
use browser_tests::webdriver::Session;
use serde_json::json;

const CTRL: &str = "\u{E009}";
const ENTER: &str = "\u{E007}";

/// Replaces the active editor tab's code (as a paste would) and re-runs with Ctrl+Enter.
fn set_code(s: &Session, source: &str) {
    s.execute(
        "const ta = document.querySelector(\"[data-input='code']\");
         ta.focus();
         ta.value = arguments[0];
         ta.dispatchEvent(new InputEvent('input', {bubbles: true}));
         return true;",
        vec![json!(source)],
    )
    .unwrap();
    s.chord(&[CTRL, ENTER]).unwrap();
}

fn open_tab(s: &Session, name: &str) {
    let tab = s.wait_for(&format!("[data-tab='{name}']"));
    s.click(&tab).unwrap();
    s.wait_until(
        "the tab to open",
        &format!("return !!document.querySelector(\"[data-editor='{name}']\");"),
    );
}

/// Sets the active program's instance count.
fn set_instances(s: &Session, n: u32) {
    s.execute(
        "const i = document.querySelector(\"[data-input='instances']\");
         i.value = arguments[0];
         i.dispatchEvent(new Event('change', {bubbles: true}));
         return true;",
        vec![json!(n.to_string())],
    )
    .unwrap();
}

/// Members of a group: (member id, status, number of partitions).
fn members(s: &Session, group: &str) -> Vec<(String, String, u32)> {
    let v = s
        .execute(
            "return Array.from(document.querySelectorAll(`.group[data-group='${arguments[0]}'] .member`))
               .map(m => [m.dataset.member, m.dataset.status, Number(m.dataset.partitions)]);",
            vec![json!(group)],
        )
        .unwrap();
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|m| {
                    (
                        m[0].as_str().unwrap_or("").to_string(),
                        m[1].as_str().unwrap_or("").to_string(),
                        m[2].as_u64().unwrap_or(0) as u32,
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The owner each lane of `transactions` shows for `group`, in partition order.
fn owners(s: &Session, group: &str) -> Vec<String> {
    let v = s
        .execute(
            "return Array.from(document.querySelectorAll(\"[data-topic='transactions'] [data-partition]\"))
               .map(l => { const g = l.querySelector(`[data-group='${arguments[0]}']`); return g ? g.dataset.owner : ''; });",
            vec![json!(group)],
        )
        .unwrap();
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|x| x.as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Makes `member` leave (its Leave button), then steps event by event (Right arrow) until the
/// stage shows the rebalance banner; fails if it never does.
fn leave_and_step_to_the_rebalance_banner(s: &Session, member: &str) {
    let button = s
        .find(&format!(
            ".member[data-member='{member}'] [data-fault='leave']"
        ))
        .unwrap();
    s.click(&button).unwrap();
    s.execute("document.activeElement.blur(); return true;", vec![])
        .unwrap();
    for _ in 0..400 {
        if !s.find_all("[data-rebalancing]").unwrap().is_empty() {
            return;
        }
        s.execute(
            "document.body.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true})); return true;",
            vec![],
        )
        .unwrap();
    }
    panic!("a rebalance banner never appeared after {member} left");
}

/// Steps event by event (Right arrow) until the rebalance banner goes away, and returns the
/// phases `member` showed on the way (`data-phase`, `data-owned`), each change once.
fn walk_rebalance_phases(s: &Session, member: &str) -> Vec<(String, u64)> {
    let mut seen: Vec<(String, u64)> = Vec::new();
    for _ in 0..400 {
        let now = s
            .execute(
                &format!(
                    "const m = document.querySelector(\".member[data-member='{member}']\");
                     const banner = document.querySelector('[data-rebalancing]') !== null;
                     return m ? [banner, m.dataset.phase, Number(m.dataset.owned)] : [banner, 'gone', 0];"
                ),
                vec![],
            )
            .unwrap();
        let banner = now[0].as_bool().unwrap_or(false);
        let phase = (
            now[1].as_str().unwrap_or("").to_string(),
            now[2].as_u64().unwrap_or(0),
        );
        if seen.last() != Some(&phase) {
            seen.push(phase);
        }
        if !banner {
            return seen;
        }
        s.execute(
            "document.body.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true})); return true;",
            vec![],
        )
        .unwrap();
    }
    panic!("the rebalance never ended; {member} went through {seen:?}");
}

const GROUP: &str = "analytics-group";

/// Waits until `group` is stable with `n` members whose partition counts are `counts` (sorted).
fn wait_for_members(s: &Session, n: usize, counts: &[u32]) -> Vec<(String, String, u32)> {
    let want: Vec<u32> = counts.to_vec();
    s.wait_until(
        &format!("{n} members with partitions {want:?}"),
        &format!(
            "const g = document.querySelector(\".group[data-group='{GROUP}']\");
             if (!g || g.dataset.state !== 'Stable') return false;
             const c = Array.from(g.querySelectorAll('.member')).map(m => Number(m.dataset.partitions)).sort();
             return JSON.stringify(c) === JSON.stringify({});",
            serde_json::to_string(&want).unwrap()
        ),
    );
    members(s, GROUP)
}

#[test]
fn a_typed_producer_puts_each_key_where_murmur2_says() {
    let s = open_app(1280, 800, "?lang=en&speed=10");
    open_tab(&s, "producer.py");
    let keys = ["alice", "bob", "carol", "dave", "erin", "frank", "456"];
    let source = format!(
        "from kafka import KafkaProducer\n\nproducer = KafkaProducer()\nfor k in {keys:?}:\n    producer.send('transactions', key=k.encode(), value=b'hi')\nproducer.flush()\n"
    );
    set_code(&s, &source);
    for k in keys {
        let p = kafka_engine::partition_for_key(k.as_bytes(), 3);
        s.wait_for(&format!(
            "[data-topic='transactions'] [data-partition='{p}'] [data-key='{k}']"
        ));
    }
    let cells = s
        .find_all("[data-topic='transactions'] [data-offset]")
        .unwrap();
    assert_eq!(cells.len(), keys.len(), "one cell per record sent");
    s.screenshot("producer-keys-1280x800").unwrap();
}

#[test]
fn three_consumers_split_three_partitions_and_a_crash_moves_them() {
    let s = open_app(1280, 800, "?lang=en&speed=10");
    open_tab(&s, "consumer.py");
    set_instances(&s, 3);
    let ms = wait_for_members(&s, 3, &[1, 1, 1]);
    let own = owners(&s, GROUP);
    assert_eq!(own.len(), 3);
    let mut distinct = own.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 3, "each member owns one partition: {own:?}");
    for o in &own {
        assert!(ms.iter().any(|m| &m.0 == o), "owner {o} is a member");
    }
    s.screenshot("three-consumers-1280x800").unwrap();

    // Crash the member that owns partition 0: after the session timeout its partition moves.
    let victim = own[0].clone();
    let button = s
        .find(&format!(
            ".member[data-member='{victim}'] [data-fault='crash']"
        ))
        .unwrap();
    s.click(&button).unwrap();
    s.wait_until(
        "the crashed member to show as crashed or be evicted",
        &format!(
            "const m = document.querySelector(\".member[data-member='{victim}']\");
             return !m || m.dataset.status !== 'alive';"
        ),
    );
    let ms = wait_for_members(&s, 2, &[1, 2]);
    assert!(ms.iter().all(|m| m.0 != victim), "the crashed member left");
    let own = owners(&s, GROUP);
    assert!(
        own.iter().all(|o| ms.iter().any(|m| &m.0 == o)),
        "every partition is owned by a live member: {own:?}"
    );
    assert!(
        !s.find_all(&format!(".group[data-group='{GROUP}'] .departed"))
            .unwrap()
            .is_empty(),
        "the stage says why the member left"
    );
    s.screenshot("after-crash-1280x800").unwrap();
}

#[test]
fn a_fourth_consumer_on_three_partitions_idles() {
    let s = open_app(1280, 800, "?lang=en&speed=10");
    open_tab(&s, "consumer.py");
    set_instances(&s, 4);
    let ms = wait_for_members(&s, 4, &[0, 1, 1, 1]);
    assert_eq!(
        ms.iter().filter(|m| m.2 == 0).count(),
        1,
        "one member idles"
    );
}

#[test]
fn a_syntax_error_is_marked_on_its_line_with_its_message() {
    let s = open_app(1280, 800, "?lang=en&play=0");
    open_tab(&s, "consumer.py");
    set_code(
        &s,
        "from kafka import KafkaConsumer\n\nfor message in consumer\n    print(message)\n",
    );
    let bar = s.wait_for(".error-bar");
    let text = s.text(&bar).unwrap();
    assert!(text.contains("SyntaxError"), "message shown: {text}");
    assert_eq!(
        s.attr(&bar, "data-error-line").unwrap().as_deref(),
        Some("3")
    );
    let marked = s.find(".gutter .err-line").unwrap();
    assert_eq!(s.text(&marked).unwrap(), "3");
    assert!(
        !s.find_all(".err-span").unwrap().is_empty(),
        "the span is marked"
    );
    assert!(
        !s.find_all(".err-msg").unwrap().is_empty(),
        "the message sits on the line"
    );
    s.screenshot("syntax-error-1280x800").unwrap();
}

#[test]
fn record_values_are_shown_as_text_never_as_html() {
    let s = open_app(1280, 800, "?lang=en&play=0");
    s.execute(
        "window.__xss = 0; window.alert = () => { window.__xss += 1; }; return true;",
        vec![],
    )
    .unwrap();
    let evil = "<img src=x onerror=alert(1)>";
    let key = s.find("[data-input='key']").unwrap();
    s.type_into(&key, "k1").unwrap();
    let value = s.find("[data-input='value']").unwrap();
    s.clear(&value).unwrap();
    s.type_into(&value, evil).unwrap();
    s.click(&s.find("[data-action='send']").unwrap()).unwrap();
    let cell = s.wait_for("[data-key='k1'][data-offset='0']");
    s.execute(
        "document.querySelector(\"[data-key='k1'][data-offset='0']\").focus(); return true;",
        vec![],
    )
    .unwrap();
    let _ = cell;
    let dd = s.wait_for(".record-details .wide dd");
    assert_eq!(s.text(&dd).unwrap(), evil);
    let imgs = s
        .execute("return document.querySelectorAll('img').length;", vec![])
        .unwrap();
    assert_eq!(imgs, json!(0), "no element was created from the value");
    let xss = s.execute("return window.__xss;", vec![]).unwrap();
    assert_eq!(xss, json!(0));
}

#[test]
fn english_and_spanish_label_the_controls() {
    let s = open_app(1280, 800, "?lang=en&play=0");
    let play = s.find("[data-action='play']").unwrap();
    assert!(s
        .attr(&play, "aria-label")
        .unwrap()
        .unwrap()
        .starts_with("Play"));
    s.click(&s.find("[data-action='language']").unwrap())
        .unwrap();
    s.wait_until(
        "the Spanish labels",
        "return document.querySelector(\"[data-action='play']\").getAttribute('aria-label').startsWith('Reproducir')
            && document.querySelector(\"[data-action='send']\").textContent === 'Enviar';",
    );
}

#[test]
fn a_reload_keeps_the_code() {
    let s = open_app(1280, 800, "?lang=en&play=0");
    open_tab(&s, "consumer.py");
    let marker = "# kept across reloads 8421";
    let code = format!("{marker}\nprint('hello')\n");
    set_code(&s, &code);
    s.wait_until(
        "the code to be saved",
        &format!("return (localStorage.getItem('kplay.state.v1') || '').includes('{marker}');"),
    );
    s.execute("location.reload(); return true;", vec![])
        .unwrap();
    s.wait_for("[data-topic]");
    open_tab(&s, "consumer.py");
    let v = s
        .execute(
            "return document.querySelector(\"[data-input='code']\").value;",
            vec![],
        )
        .unwrap();
    assert_eq!(v.as_str(), Some(code.as_str()));
}

#[test]
fn unreadable_saved_state_falls_back_with_a_notice() {
    let s = open_app(1280, 800, "?lang=en&play=0");
    s.execute(
        "localStorage.setItem('kplay.state.v1', 'garbage'); location.reload(); return true;",
        vec![],
    )
    .unwrap();
    s.wait_for("[data-topic]");
    s.wait_for("[data-notice='storage']");
    assert_eq!(
        s.find_all("[data-topic='transactions'] [data-partition]")
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn screenshots_of_the_lesson_running() {
    for (w, h) in [(1280, 800), (420, 720)] {
        let s = open_app(w, h, "?lang=es&speed=10");
        s.wait_until(
            "the consumer to join and the producer to send",
            "const g = document.querySelector('.group');
             return !!g && g.dataset.state === 'Stable' && document.querySelectorAll('[data-offset]').length > 0;",
        );
        let key = s.find("[data-input='key']").unwrap();
        for k in ["456", "user-1", "user-2"] {
            s.clear(&key).unwrap();
            s.type_into(&key, k).unwrap();
            s.click(&s.find("[data-action='send']").unwrap()).unwrap();
        }
        s.wait_for("[data-key='user-2']");
        std::thread::sleep(std::time::Duration::from_millis(900));
        s.screenshot(&format!("playground-{w}x{h}")).unwrap();
        s.execute(
            "document.querySelector('.stage').scrollIntoView(); return true;",
            vec![],
        )
        .unwrap();
        s.screenshot(&format!("playground-stage-{w}x{h}")).unwrap();
    }
}

#[test]
fn screenshot_of_a_busy_group_for_the_readme() {
    let s = open_app(1280, 800, "?lang=en&speed=5");
    open_tab(&s, "producer.py");
    set_code(
        &s,
        "from kafka import KafkaProducer\nimport json, time\n\nproducer = KafkaProducer(\n    value_serializer=lambda v: json.dumps(v).encode('utf-8')\n)\n\nusers = ['ana', 'bob', 'carla', 'dev-7', 'eve']\nfor i in range(40):\n    user = users[i % len(users)]\n    producer.send('transactions', key=user.encode(),\n                  value={'transaction_id': f't{i}', 'user': user, 'amount': 10 * i})\n    time.sleep(0.4)\n",
    );
    open_tab(&s, "consumer.py");
    set_instances(&s, 3);
    wait_for_members(&s, 3, &[1, 1, 1]);
    s.wait_until(
        "records in every lane",
        "return [0, 1, 2].every(p => document.querySelectorAll(`[data-partition='${p}'] [data-offset]`).length >= 3);",
    );
    s.execute(
        "const c = document.querySelectorAll(\"[data-partition='1'] [data-offset]\"); c[c.length - 1].focus(); return true;",
        vec![],
    )
    .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    s.screenshot("readme-1280x800").unwrap();
}

#[test]
fn enter_after_a_colon_indents_and_tab_shift_tab_move_lines() {
    let s = open_app(1280, 800, "?lang=en&play=0");
    open_tab(&s, "consumer.py");
    set_code(&s, "");
    let area = s.find("[data-input='code']").unwrap();
    s.type_into(&area, "for i in range(3):\u{E007}print(i)")
        .unwrap();
    let value = || {
        s.execute(
            "return document.querySelector(\"[data-input='code']\").value;",
            vec![],
        )
        .unwrap()
        .as_str()
        .unwrap_or("")
        .to_string()
    };
    assert_eq!(value(), "for i in range(3):\n    print(i)");
    // Shift+Tab dedents the current line; Tab at the line's start indents it again.
    s.chord(&["\u{E008}", "\u{E004}"]).unwrap();
    assert_eq!(value(), "for i in range(3):\nprint(i)");
    s.chord(&["\u{E011}"]).unwrap();
    s.chord(&["\u{E004}"]).unwrap();
    assert_eq!(value(), "for i in range(3):\n    print(i)");
}

#[test]
fn a_console_error_jumps_to_its_line_in_the_editor() {
    let s = open_app(1280, 800, "?lang=en&speed=10");
    open_tab(&s, "producer.py");
    set_code(&s, "x = 1\ny = 2\nprint(undefined_name)\n");
    let line = s.wait_for("[data-console='err'][data-line='3']");
    open_tab(&s, "consumer.py");
    s.click(&line).unwrap();
    s.wait_until(
        "the producer's editor with the caret on line 3",
        "const ta = document.querySelector(\"[data-editor='producer.py'] [data-input='code']\");
         return !!ta && document.activeElement === ta
             && ta.value.slice(0, ta.selectionStart).split('\\n').length === 3;",
    );
}

#[test]
fn a_rebalance_shows_a_banner_with_the_generation_while_it_happens() {
    let s = open_app(1280, 800, "?lang=en&speed=10");
    open_tab(&s, "consumer.py");
    set_instances(&s, 2);
    let ms = wait_for_members(&s, 2, &[1, 2]);
    // Pause, make one member leave, then walk event by event (Right arrow) until the group
    // rebalances.
    s.click(&s.find("[data-action='play']").unwrap()).unwrap();
    s.wait_until(
        "the pause",
        "return document.querySelector(\"[data-action='play']\").getAttribute('aria-pressed') === 'false';",
    );
    let leaver = &ms[0].0;
    leave_and_step_to_the_rebalance_banner(&s, leaver);
    let banner = s.find("[data-rebalancing]").unwrap();
    let text = s.text(&banner).unwrap();
    assert!(text.contains("Rebalancing"), "{text}");
    assert!(text.contains("generation"), "{text}");
    s.screenshot("rebalance-banner-1280x800").unwrap();
    // The member that stays shows each step of the eager protocol: it holds its partitions until
    // its heartbeat hears of the rebalance, revokes them all, sends JoinGroup, then (the only
    // member, so the leader) computes the assignment before SyncGroup ends the rebalance.
    let stayer = &ms[1].0;
    let phases = walk_rebalance_phases(&s, stayer);
    assert!(
        phases.iter().any(|p| p.0 == "rejoin" && p.1 > 0),
        "eager: holds its partitions until it hears of the rebalance: {phases:?}"
    );
    assert!(
        phases.iter().any(|p| p.0 != "stable" && p.1 == 0),
        "eager: revokes everything before the new assignment: {phases:?}"
    );
    assert!(phases.iter().any(|p| p.0 == "assigning"), "{phases:?}");
    assert_eq!(
        phases.last(),
        Some(&("stable".to_string(), 3)),
        "{phases:?}"
    );
    // It goes away when the group is stable again, the remaining member owning everything.
    s.click(&s.find("[data-action='play']").unwrap()).unwrap();
    let ms = wait_for_members(&s, 1, &[3]);
    assert!(ms.iter().all(|m| &m.0 != leaver));
    assert!(s.find_all("[data-rebalancing]").unwrap().is_empty());
}

#[test]
fn the_scrubber_rewinds_and_replays_the_same_run() {
    let s = open_app(1280, 800, "?lang=en&speed=10");
    s.wait_until(
        "the producer's record",
        "return document.querySelectorAll('[data-offset]').length >= 1;",
    );
    let key = s.find("[data-input='key']").unwrap();
    s.type_into(&key, "456").unwrap();
    s.click(&s.find("[data-action='send']").unwrap()).unwrap();
    s.click(&s.find("[data-action='play']").unwrap()).unwrap();
    let snapshot = || {
        s.execute(
            "return Array.from(document.querySelectorAll('[data-offset]'))
               .map(c => c.closest('[data-partition]').dataset.partition + ':' + c.dataset.offset + ':' + (c.dataset.key || ''))
               .sort().join(',');",
            vec![],
        )
        .unwrap()
        .as_str()
        .unwrap_or("")
        .to_string()
    };
    s.wait_for("[data-key='456']");
    let before = snapshot();
    let now: u64 = s
        .execute(
            "return document.querySelector('.clock').dataset.now;",
            vec![],
        )
        .unwrap()
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let seek = |t: u64| {
        s.execute(
            "const r = document.querySelector(\"[data-input='time']\"); r.value = arguments[0];
             r.dispatchEvent(new Event('input', {bubbles: true})); return true;",
            vec![json!(t.to_string())],
        )
        .unwrap();
    };
    seek(0);
    s.wait_until(
        "an empty topic at time 0",
        "return document.querySelectorAll('[data-offset]').length === 0;",
    );
    seek(now);
    s.wait_for("[data-key='456']");
    assert_eq!(snapshot(), before, "the same records at the same offsets");
}

#[test]
fn cooperative_sticky_keeps_the_partitions_that_do_not_move() {
    let s = open_app(1280, 800, "?lang=en&speed=10");
    s.execute(
        "const a = document.querySelector(\"[data-input='assignor']\"); a.value = 'cooperative-sticky';
         a.dispatchEvent(new Event('change', {bubbles: true})); return true;",
        vec![],
    )
    .unwrap();
    open_tab(&s, "consumer.py");
    set_instances(&s, 2);
    let ms = wait_for_members(&s, 2, &[1, 2]);
    s.wait_until(
        "the cooperative protocol",
        &format!(
            "return document.querySelector(\".group[data-group='{GROUP}'] .g-sub\").textContent.includes('coop-sticky');"
        ),
    );
    // Pause, one member leaves; walk to the rebalance: the other keeps drawing its partitions.
    s.click(&s.find("[data-action='play']").unwrap()).unwrap();
    let stayer = ms.iter().find(|m| m.2 == 2).map(|m| m.0.clone()).unwrap();
    let leaver = ms.iter().find(|m| m.2 == 1).map(|m| m.0.clone()).unwrap();
    leave_and_step_to_the_rebalance_banner(&s, &leaver);
    let text = s.text(&s.find("[data-rebalancing]").unwrap()).unwrap();
    assert!(text.contains("cooperative"), "{text}");
    let kept = s
        .execute(
            &format!(
                "return document.querySelectorAll(\".arrows [data-group='{GROUP}']\").length;"
            ),
            vec![],
        )
        .unwrap();
    assert!(
        kept.as_u64().unwrap_or(0) >= 2,
        "{stayer} still holds its two partitions during the rebalance"
    );
    s.screenshot("cooperative-rebalance-1280x800").unwrap();
    // The member that stays sends JoinGroup still holding both its partitions (cooperative: it
    // revokes only what moves, here nothing).
    let phases = walk_rebalance_phases(&s, &stayer);
    assert!(
        phases.iter().any(|p| p.0 == "assigning" && p.1 == 2),
        "cooperative: still holds its two partitions after its JoinGroup: {phases:?}"
    );
    assert_eq!(
        phases.last(),
        Some(&("stable".to_string(), 3)),
        "{phases:?}"
    );
    assert!(
        phases.iter().all(|p| p.1 >= 2),
        "cooperative: never dropped what it kept: {phases:?}"
    );
    s.click(&s.find("[data-action='play']").unwrap()).unwrap();
    wait_for_members(&s, 1, &[3]);
}

#[test]
fn a_lesson_opens_from_the_url_with_its_introduction() {
    let s = open_app(1280, 800, "?lang=en&play=0&lesson=producer-consumer");
    let intro = s.wait_for("[data-lesson='producer-consumer']");
    assert!(s.text(&intro).unwrap().contains("consumer"));
    let select = s.find("[data-input='lesson']").unwrap();
    assert_eq!(
        s.execute(
            "return arguments[0].value;",
            vec![json!({"element-6066-11e4-a52e-4f735466cecf": select.0})]
        )
        .unwrap(),
        json!("producer-consumer")
    );
}

#[test]
fn reduced_motion_drops_the_flying_animation() {
    let s = open_app(1280, 800, "?lang=en&play=0");
    s.cdp(
        "Emulation.setEmulatedMedia",
        json!({"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]}),
    )
    .unwrap();
    let key = s.find("[data-input='key']").unwrap();
    s.type_into(&key, "k").unwrap();
    s.click(&s.find("[data-action='send']").unwrap()).unwrap();
    s.wait_for("[data-key='k']");
    s.click(&s.find("[data-action='send']").unwrap()).unwrap();
    s.wait_for("[data-key='k'][data-offset='1']");
    let anim = s
        .execute(
            "const f = document.querySelector(\"[data-key='k'][data-offset='1'] .fly\");
             return f ? getComputedStyle(f).animationName : 'no fly element';",
            vec![],
        )
        .unwrap();
    assert_eq!(
        anim,
        json!("none"),
        "no flying under prefers-reduced-motion"
    );
}

#[test]
fn plus_consumer_joins_now_and_the_group_rebalances_to_one_partition_each() {
    let s = open_app(1280, 800, "?lang=en&speed=10");
    open_tab(&s, "consumer.py");
    set_instances(&s, 2);
    wait_for_members(&s, 2, &[1, 2]);
    let generation = |s: &Session| -> u64 {
        s.execute(
            "return Number(document.querySelector(\".group[data-group='analytics-group']\").dataset.generation);",
            vec![],
        )
        .unwrap()
        .as_u64()
        .unwrap_or(0)
    };
    let before = generation(&s);
    s.click(&s.find("[data-action='add-consumer']").unwrap())
        .unwrap();
    let ms = wait_for_members(&s, 3, &[1, 1, 1]);
    assert_eq!(ms.len(), 3);
    assert!(generation(&s) > before, "the join started a new generation");
    // The instance count in the editor is unchanged: the third member joined at run time.
    let count = s
        .execute(
            "return document.querySelector(\"[data-input='instances']\")?.value ?? '';",
            vec![],
        )
        .unwrap();
    assert_eq!(
        count.as_str(),
        Some("2"),
        "joined live, not added to the program"
    );
    s.screenshot("plus-consumer-1280x800").unwrap();
}

#[test]
fn retention_deletes_old_segments_and_compaction_leaves_holes_on_the_lanes() {
    let s = open_app(1280, 800, "?lang=en&speed=100");
    open_tab(&s, "producer.py");
    // Tiny segments (a record here is about 10 bytes: three to a segment); the log cleaner runs every 300 s of
    // virtual time (log.retention.check.interval.ms), 3 s of real time at 100x.
    set_code(
        &s,
        "from kafka import KafkaProducer\n\
         from kafka.admin import KafkaAdminClient, NewTopic\n\
         import time\n\
         \n\
         admin = KafkaAdminClient()\n\
         admin.create_topics([\n\
         \x20   NewTopic('short-lived', num_partitions=1, replication_factor=1,\n\
         \x20            topic_configs={'retention.ms': '60000', 'segment.bytes': '30'}),\n\
         \x20   NewTopic('latest-per-key', num_partitions=1, replication_factor=1,\n\
         \x20            topic_configs={'cleanup.policy': 'compact', 'segment.bytes': '30'}),\n\
         ])\n\
         producer = KafkaProducer()\n\
         for i in range(30):\n\
         \x20   producer.send('short-lived', key=b'k', value=str(i).encode())\n\
         \x20   producer.send('latest-per-key', key=str(i % 3).encode(), value=str(i).encode())\n\
         \x20   time.sleep(1)\n",
    );
    let lane = |topic: &str| format!("document.querySelector(\"[data-topic='{topic}'] .lane\")");
    // Time-based retention (records stamped by kafka-python's clock, measured on the broker's):
    // the lane's log start moves past 0 and the deleted part is drawn.
    s.wait_until(
        "retention to delete the old segments",
        &format!(
            "const l = {}; return !!l && Number(l.dataset.logStart) > 0 && !!l.querySelector('.deleted');",
            lane("short-lived")
        ),
    );
    // Compaction: offsets keep their numbers, so removed records leave empty slots between cells.
    s.wait_until(
        "compaction to leave holes",
        &format!(
            "const l = {}; return !!l && l.querySelectorAll('.slot').length > 0;",
            lane("latest-per-key")
        ),
    );
    let cells = s
        .execute(
            &format!(
                "const l = {};
                 return [Number(l.dataset.logEnd), Array.from(l.querySelectorAll('.cell')).map(c => [Number(c.dataset.offset), c.dataset.key])];",
                lane("latest-per-key")
            ),
            vec![],
        )
        .unwrap();
    assert_eq!(cells[0].as_u64(), Some(30), "one record a second for 30 s");
    let drawn: Vec<(u64, String)> = cells[1]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c[0].as_u64().unwrap(),
                c[1].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    // Offsets per topic run 0..30; the newest record of each key (offsets 27, 28, 29 hold keys
    // 0, 1, 2) is never compacted away.
    for (offset, key) in [(27, "0"), (28, "1"), (29, "2")] {
        assert!(
            drawn.contains(&(offset, key.to_string())),
            "offset {offset} (key {key}) stays: {drawn:?}"
        );
    }
    // The topic's title counts the records stored, not the offsets handed out.
    let stored = s
        .execute(
            &format!(
                "const l = {}; return [Number(l.dataset.stored), Number(l.dataset.logStart), l.closest('.topic').querySelector('.topic-title').textContent];",
                lane("latest-per-key")
            ),
            vec![],
        )
        .unwrap();
    let (n, start) = (stored[0].as_u64().unwrap(), stored[1].as_u64().unwrap());
    assert!(n < 30 - start, "compaction removed records: {stored:?}");
    let title = stored[2].as_str().unwrap();
    assert!(
        title.contains(&format!("1 partition · {n} messages")),
        "{title}"
    );
    s.screenshot("retention-compaction-1280x800").unwrap();
}

#[test]
fn arrows_flow_while_records_reach_their_member_and_stop_when_none_do() {
    let s = open_app(1280, 800, "?lang=en&speed=1");
    // The lesson's producer sends the post's transaction at 5 s: the arrow from its partition
    // to the consumer flows while the record is fetched.
    s.wait_until(
        "an arrow to flow",
        "const a = document.querySelector('.arrows .arrow[data-flow]'); return !!a && getComputedStyle(a).strokeDasharray !== 'none';",
    );
    s.screenshot("flowing-arrow-1280x800").unwrap();
    // Once the producer is done and the group has caught up (lag 0), nothing flows any more.
    s.wait_until(
        "the group to catch up",
        &format!("const g = document.querySelector(\".group[data-group='{GROUP}']\"); return !!g && g.dataset.lag === '0' && document.querySelector('.producer')?.textContent.includes('finished');"),
    );
    s.wait_until(
        "the arrows to stop",
        "return document.querySelectorAll('.arrows .arrow').length > 0 && !document.querySelector('.arrows .arrow[data-flow]');",
    );
}

#[test]
fn the_stage_switches_layout_when_the_window_is_resized() {
    let s = open_app(1280, 800, "?lang=en");
    s.wait_for(".stage-svg");
    let narrow = "return document.querySelector('.stage-svg').classList.contains('narrow');";
    assert_eq!(s.execute(narrow, vec![]).unwrap(), json!(false));
    // An iframe in a blog column: groups go under the lanes.
    s.set_viewport(420, 720).unwrap();
    s.wait_until("the narrow layout", narrow);
    s.set_viewport(1280, 800).unwrap();
    s.wait_until(
        "the wide layout again",
        "return !document.querySelector('.stage-svg').classList.contains('narrow');",
    );
}

#[test]
fn a_paused_partition_stays_owned_and_is_marked() {
    let s = open_app(1280, 800, "?lang=en&speed=5");
    open_tab(&s, "consumer.py");
    set_code(
        &s,
        "from kafka import KafkaConsumer, TopicPartition\n\
         \n\
         consumer = KafkaConsumer('transactions', group_id='analytics-group')\n\
         for message in consumer:\n\
         \x20   consumer.pause(TopicPartition(message.topic, message.partition))\n\
         \x20   print('paused', message.partition, consumer.paused())\n",
    );
    // The post's transaction arrives at 5 s; its partition is paused but still owned.
    s.wait_until(
        "the paused arrow",
        "return document.querySelectorAll('.arrows .arrow.paused').length === 1;",
    );
    let member = s
        .execute(
            &format!("return document.querySelector(\".group[data-group='{GROUP}'] .member .m-sub\").textContent;"),
            vec![],
        )
        .unwrap();
    assert!(member.as_str().unwrap_or("").contains('‖'), "{member}");
    let owned = s
        .execute(
            &format!("return Number(document.querySelector(\".group[data-group='{GROUP}'] .member\").dataset.owned);"),
            vec![],
        )
        .unwrap();
    assert_eq!(owned.as_u64(), Some(3), "pausing moves nothing");
}
