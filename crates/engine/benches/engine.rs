//! Engine benchmarks: `Cluster::produce` against a plain `Vec` push of the same records, and a
//! full run of 1,000,000 records through 12 partitions read by 3 groups of 4 members, with the
//! memory per record measured by a counting global allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use kafka_engine::*;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let now = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size
                    - layout.size();
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const RECORDS: usize = 1_000_000;
const PARTITIONS: u32 = 12;
const VALUE: &[u8] =
    b"{\"user\": 12345, \"action\": \"click\", \"page\": \"/products/42\", \"ms\": 17}";

fn request(client: &Name, topic: &Name, i: usize) -> ProduceRequest {
    ProduceRequest {
        client_id: client.clone(),
        topic: topic.clone(),
        partition: None,
        key: Some(format!("user-{}", i % 10_007).into_bytes()),
        value: Some(VALUE.to_vec()),
        headers: Vec::new(),
        timestamp_ms: None,
        acks: Acks::All,
    }
}

fn new_cluster() -> Cluster {
    let mut cl = Cluster::new(ClusterConfig {
        seed: 1,
        ..ClusterConfig::default()
    });
    cl.create_topic("events", PARTITIONS, TopicConfig::default())
        .expect("topic");
    cl
}

fn per_sec(n: usize, secs: f64) -> f64 {
    n as f64 / secs
}

fn produce_vs_vec() {
    let client: Name = "bench".into();
    let topic: Name = "events".into();
    // 1) Building each record inside the timed loop (what a producer does).
    let t = Instant::now();
    let mut raw: Vec<ProduceRequest> = Vec::new();
    for i in 0..RECORDS {
        raw.push(request(&client, &topic, i));
    }
    let raw_s = t.elapsed().as_secs_f64();
    std::hint::black_box(&raw);
    drop(raw);
    let mut cl = new_cluster();
    let t = Instant::now();
    for i in 0..RECORDS {
        cl.produce(request(&client, &topic, i)).expect("produce");
    }
    let eng_s = t.elapsed().as_secs_f64();
    std::hint::black_box(&cl);
    drop(cl);
    println!(
        "produce (record built in the loop): Vec push {:>12.0} rec/s | Cluster::produce {:>12.0} rec/s | ratio {:.1}%",
        per_sec(RECORDS, raw_s),
        per_sec(RECORDS, eng_s),
        100.0 * raw_s / eng_s
    );
    // 2) Records built beforehand: only the append itself is timed.
    let prebuilt: Vec<ProduceRequest> = (0..RECORDS).map(|i| request(&client, &topic, i)).collect();
    let copy = prebuilt.clone();
    let t = Instant::now();
    let mut raw: Vec<ProduceRequest> = Vec::new();
    for r in prebuilt {
        raw.push(r);
    }
    let raw_s = t.elapsed().as_secs_f64();
    std::hint::black_box(&raw);
    drop(raw);
    let mut cl = new_cluster();
    let t = Instant::now();
    for r in copy {
        cl.produce(r).expect("produce");
    }
    let eng_s = t.elapsed().as_secs_f64();
    std::hint::black_box(&cl);
    println!(
        "produce (records prebuilt):         Vec push {:>12.0} rec/s | Cluster::produce {:>12.0} rec/s | ratio {:.1}%",
        per_sec(RECORDS, raw_s),
        per_sec(RECORDS, eng_s),
        100.0 * raw_s / eng_s
    );
}

fn full_run() {
    let live_before = LIVE.load(Ordering::Relaxed);
    PEAK.store(live_before, Ordering::Relaxed);
    let client: Name = "bench".into();
    let topic: Name = "events".into();
    let t = Instant::now();
    let mut cl = new_cluster();
    for i in 0..RECORDS {
        cl.produce(request(&client, &topic, i)).expect("produce");
    }
    let produced_at = t.elapsed().as_secs_f64();
    let live_after_produce = LIVE.load(Ordering::Relaxed);
    let mut consumers = Vec::new();
    for g in 0..3 {
        for _ in 0..4 {
            let c = cl.new_consumer(ConsumerConfig {
                group_id: Some(format!("group-{g}")),
                auto_offset_reset: OffsetReset::Earliest,
                ..ConsumerConfig::default()
            });
            cl.subscribe(c, &["events".to_string()]).expect("subscribe");
            consumers.push(c);
        }
    }
    let mut consumed = 0usize;
    let mut rounds = 0u64;
    loop {
        for &c in &consumers {
            consumed += cl.poll(c, None).expect("poll").len();
        }
        rounds += 1;
        let t_next = cl.now() + 10;
        cl.advance_to(t_next);
        if consumed >= 3 * RECORDS {
            // Let the last auto-commits run.
            let t_next = cl.now() + 5_000;
            cl.advance_to(t_next);
            for &c in &consumers {
                cl.poll(c, None).expect("poll");
            }
            break;
        }
        assert!(rounds < 1_000_000, "did not finish");
    }
    let total = t.elapsed().as_secs_f64();
    let lag: u64 = (0..3).map(|g| cl.total_lag(&format!("group-{g}"))).sum();
    let live_end = LIVE.load(Ordering::Relaxed);
    let peak = PEAK.load(Ordering::Relaxed);
    println!(
        "full run: {RECORDS} records -> {PARTITIONS} partitions, 3 groups x 4 members: {consumed} records consumed, final lag {lag}, {} trace events, virtual time {} ms",
        cl.trace().len(),
        cl.now()
    );
    println!(
        "full run wall time {:.3} s (produce {:.3} s, consume {:.3} s)",
        total,
        produced_at,
        total - produced_at
    );
    println!(
        "memory: {:.1} B/record after producing (logs + trace), {:.1} B/record at the end, peak {:.1} B/record (record payload: key ~9 B + value {} B)",
        (live_after_produce - live_before) as f64 / RECORDS as f64,
        (live_end.saturating_sub(live_before)) as f64 / RECORDS as f64,
        (peak.saturating_sub(live_before)) as f64 / RECORDS as f64,
        VALUE.len()
    );
    std::hint::black_box(&cl);
}

fn main() {
    produce_vs_vec();
    full_run();
}
