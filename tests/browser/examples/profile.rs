//! CPU profile of the page (not a test): loads a built app in headless Chromium, plays `?perf=big`
//! (or `KPLAY_QUERY`) for a few seconds under the DevTools sampling profiler and prints the
//! functions with the most self time. Build the app with names kept to read wasm frames
//! (`scripts/profile.sh` does).
//!
//! `KPLAY_DIST=dist cargo run --release -p browser-tests --example profile`

use std::collections::BTreeMap;
use std::time::Duration;

use browser_tests::open_app;
use serde_json::{json, Value};

fn main() {
    let (query, seconds) = browser_tests::measured_scenario();
    let s = open_app(1280, 800, &query);
    std::thread::sleep(Duration::from_millis(1500));
    s.cdp("Profiler.enable", json!({}))
        .expect("Profiler.enable");
    s.cdp("Profiler.setSamplingInterval", json!({"interval": 100}))
        .expect("Profiler.setSamplingInterval");
    s.cdp("Profiler.start", json!({})).expect("Profiler.start");
    std::thread::sleep(Duration::from_secs(seconds));
    let out = s.cdp("Profiler.stop", json!({})).expect("Profiler.stop");
    let profile = &out["profile"];
    let nodes = profile["nodes"].as_array().cloned().unwrap_or_default();
    let mut name_of: BTreeMap<u64, String> = BTreeMap::new();
    for n in &nodes {
        let id = n["id"].as_u64().unwrap_or(0);
        let f = &n["callFrame"];
        let mut name = f["functionName"].as_str().unwrap_or("").to_string();
        if name.is_empty() {
            name = format!("(anonymous {})", f["url"].as_str().unwrap_or(""));
        }
        name_of.insert(id, name);
    }
    // Self time: samples whose leaf is the node, times the mean interval.
    let samples = profile["samples"].as_array().cloned().unwrap_or_default();
    let deltas: Vec<f64> = profile["timeDeltas"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default();
    let mut self_us: BTreeMap<String, f64> = BTreeMap::new();
    let mut total = 0.0;
    for (i, sid) in samples.iter().enumerate() {
        let id = sid.as_u64().unwrap_or(0);
        let dt = deltas.get(i + 1).copied().unwrap_or(100.0);
        let name = name_of.get(&id).cloned().unwrap_or_default();
        total += dt;
        *self_us.entry(name).or_default() += dt;
    }
    let mut rows: Vec<(String, f64)> = self_us.into_iter().collect();
    rows.sort_by(|a, b| b.1.total_cmp(&a.1));
    println!("{query}: {:.0} ms sampled", total / 1000.0);
    for (name, us) in rows.iter().take(40) {
        let short: String = name.chars().take(110).collect();
        println!(
            "{:>8.1} ms {:>5.1}%  {short}",
            us / 1000.0,
            100.0 * us / total
        );
    }
}
