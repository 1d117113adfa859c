//! Frame-time instrumentation visible to JavaScript (`window.__kplayFrames`, `window.__kplayEdits`)
//! and the `?perf=big` stress scenario.

use std::cell::RefCell;

use js_sys::{Array, Object, Reflect};
use kafka_engine::log::TopicConfig;
use kplay_runner::{ProgramSpec, ScenarioSpec, TopicSpec};
use wasm_bindgen::JsValue;

/// Frames kept in the ring buffers.
const RING: u32 = 1_200;

struct Log {
    interval: Array,
    work: Array,
    reduce: Array,
    edits: Array,
}

thread_local! {
    static LOG: RefCell<Option<Log>> = const { RefCell::new(None) };
}

fn with_log(f: impl FnOnce(&Log)) {
    LOG.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let log = Log {
                interval: Array::new(),
                work: Array::new(),
                reduce: Array::new(),
                edits: Array::new(),
            };
            if let Some(w) = web_sys::window() {
                let frames = Object::new();
                let _ = Reflect::set(&frames, &"interval".into(), &log.interval);
                let _ = Reflect::set(&frames, &"work".into(), &log.work);
                let _ = Reflect::set(&frames, &"reduce".into(), &log.reduce);
                let _ = Reflect::set(&w, &"__kplayFrames".into(), &frames);
                let _ = Reflect::set(&w, &"__kplayEdits".into(), &log.edits);
            }
            *slot = Some(log);
        }
        if let Some(log) = slot.as_ref() {
            f(log);
        }
    });
}

fn push(a: &Array, v: f64) {
    a.push(&JsValue::from_f64(v));
    if a.length() > RING {
        a.shift();
    }
}

/// `performance.now()` in ms (0 without a window).
pub fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Records one animation frame: the interval since the previous one, the page's own work
/// (simulation step plus render), and the simulation step alone.
pub fn record_frame(interval_ms: f64, work_ms: f64, reduce_ms: f64) {
    with_log(|l| {
        push(&l.interval, interval_ms);
        push(&l.work, work_ms);
        push(&l.reduce, reduce_ms);
    });
}

/// Records the time from an edit's re-run trigger to the frame showing the new run.
pub fn record_edit(ms: f64) {
    with_log(|l| push(&l.edits, ms));
}

/// Makes the ring buffers exist before the first frame.
pub fn init() {
    with_log(|_| {});
}

/// The heavy scenario: 12 partitions, three groups, 10,000 records (preloaded by the app).
pub fn big_spec() -> ScenarioSpec {
    let consumer = |group: &str| {
        format!(
            "from kafka import KafkaConsumer\n\nconsumer = KafkaConsumer('transactions', group_id='{group}')\n\nfor message in consumer:\n    print(message.partition, message.offset)\n"
        )
    };
    let producer = "from kafka import KafkaProducer\nimport time\n\nproducer = KafkaProducer()\nfor i in range(100000):\n    producer.send('transactions', key=str(i % 50).encode(), value=b'x')\n    time.sleep(0.05)\n";
    let program = |name: &str, source: String, instances: u32| ProgramSpec {
        name: name.to_string(),
        setup: String::new(),
        source,
        instances,
        start_ms: 0,
    };
    ScenarioSpec {
        topics: vec![TopicSpec {
            name: "transactions".to_string(),
            partitions: 12,
            config: TopicConfig::default(),
        }],
        programs: vec![
            program("producer.py", producer.to_string(), 1),
            program("analytics.py", consumer("analytics"), 3),
            program("billing.py", consumer("billing"), 2),
            program("audit.py", consumer("audit"), 4),
        ],
        ..ScenarioSpec::default()
    }
}

/// Records the big scenario preloads.
pub const BIG_RECORDS: u32 = 10_000;
