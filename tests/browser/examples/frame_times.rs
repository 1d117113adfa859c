//! Frame-time measurement (not a test): loads the built app in headless Chromium, plays each
//! scenario for a few seconds and prints p50/p95/p99 of requestAnimationFrame intervals and of
//! the page's own work per frame (simulation step plus render), then the time from a re-run
//! (Ctrl+Enter after an edit) to the render that shows it.
//!
//! `KPLAY_DIST=dist cargo run --release -p browser-tests --example frame_times`

use std::time::Duration;

use browser_tests::open_app;
use browser_tests::webdriver::Session;
use serde_json::{json, Value};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn numbers(v: &Value) -> Vec<f64> {
    let mut out: Vec<f64> = v
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default();
    out.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    out
}

fn line(name: &str, xs: &[f64]) {
    println!(
        "  {name:<22} n={:<5} p50={:>6.2} ms  p95={:>6.2} ms  p99={:>6.2} ms  max={:>6.2} ms",
        xs.len(),
        percentile(xs, 50.0),
        percentile(xs, 95.0),
        percentile(xs, 99.0),
        xs.last().copied().unwrap_or(f64::NAN)
    );
}

fn play(s: &Session, seconds: u64) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    // Let the page settle, then measure a clean window.
    std::thread::sleep(Duration::from_millis(1500));
    s.execute(
        "__kplayFrames.interval.length = 0; __kplayFrames.work.length = 0; __kplayFrames.reduce.length = 0; return true;",
        vec![],
    )
    .expect("the page exposes window.__kplayFrames");
    std::thread::sleep(Duration::from_secs(seconds));
    let v = s
        .execute(
            "return [__kplayFrames.interval.slice(), __kplayFrames.work.slice(), __kplayFrames.reduce.slice()];",
            vec![],
        )
        .expect("read the frame buffers");
    (numbers(&v[0]), numbers(&v[1]), numbers(&v[2]))
}

fn scenario(name: &str, query: &str, seconds: u64) {
    let s = open_app(1280, 800, query);
    let (interval, work, step) = play(&s, seconds);
    let cells = s
        .execute(
            "return document.querySelectorAll('[data-offset]').length;",
            vec![],
        )
        .unwrap_or(json!(0));
    let now = s
        .execute(
            "return document.querySelector('.clock').dataset.now;",
            vec![],
        )
        .unwrap_or(json!("?"));
    println!("{name} ({query}): virtual time {now} ms, {cells} cells drawn");
    line("rAF interval", &interval);
    line("work per frame", &work);
    line("  of which sim step", &step);
    let on_time =
        interval.iter().filter(|x| **x <= 20.0).count() as f64 / interval.len().max(1) as f64;
    println!("  frames on time (<= 20 ms): {:.1}%", on_time * 100.0);
}

fn edits(runs: usize) {
    let s = open_app(1280, 800, "?lang=en");
    s.wait_for("[data-tab='producer.py']");
    s.click(&s.find("[data-tab='producer.py']").unwrap())
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    s.execute("__kplayEdits.length = 0; return true;", vec![])
        .unwrap();
    for i in 0..runs {
        let code = format!(
            "from kafka import KafkaProducer\nimport json\n\nproducer = KafkaProducer(\n    bootstrap_servers=['localhost:9092'],\n    value_serializer=lambda v: json.dumps(v).encode('utf-8')\n)\n\nproducer.send('transactions', {{\n    'transaction_id': '123abc',\n    'user_id': {},\n    'amount': 5000,\n}})\n\nproducer.flush()\n",
            456 + i
        );
        s.execute(
            "const ta = document.querySelector(\"[data-input='code']\"); ta.focus(); ta.value = arguments[0];
             ta.dispatchEvent(new InputEvent('input', {bubbles: true})); return true;",
            vec![json!(code)],
        )
        .unwrap();
        s.chord(&["\u{E009}", "\u{E007}"]).unwrap();
        std::thread::sleep(Duration::from_millis(250));
    }
    let v = s.execute("return __kplayEdits.slice();", vec![]).unwrap();
    let xs = numbers(&v);
    println!("edit to screen (Ctrl+Enter re-run of the post's producer, {runs} runs):");
    line("re-run + render", &xs);
}

fn main() {
    let seconds = browser_tests::measured_seconds();
    scenario("default lesson at 1x", "?lang=en&speed=1", seconds);
    scenario(
        "12 partitions, 3 groups, 10,000 records at 10x",
        "?lang=en&perf=big",
        seconds,
    );
    edits(12);
}
