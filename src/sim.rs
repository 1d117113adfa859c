//! The running simulation behind the page: a `Scenario` stepped from animation frames,
//! deterministic rewinds, quick sends, and the per-second samples the charts draw.

use std::collections::VecDeque;

use kafka_engine::{Cluster, Event, EvictReason, KafkaError, RecordMetadata};
use kplay_runner::{FaultKind, ProcessId, Scenario, ScenarioSpec};

/// Client id of the page's quick-send form.
pub const QUICK_SEND_CLIENT: &str = "quick-send";
/// Virtual ms between two chart samples.
pub const SAMPLE_MS: u64 = 1_000;
/// Samples kept for the charts.
const MAX_SAMPLES: usize = 240;
/// Departed members remembered per page.
const MAX_DEPARTED: usize = 24;

/// What the charts draw for one virtual second.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    pub t_ms: u64,
    /// Records produced during the sample's second.
    pub produced: u32,
    /// Records fetched by consumers during the sample's second.
    pub consumed: u32,
    /// Total lag per group at the sample's time.
    pub lag: Vec<(String, u64)>,
}

/// Why a member left its group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DepartReason {
    Left,
    Evicted(EvictReason),
}

/// A member that is no longer in its group, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Departed {
    pub time_ms: u64,
    pub group: String,
    pub member_id: String,
    pub consumer: u32,
    pub reason: DepartReason,
}

/// A scenario being played.
pub struct Sim {
    scenario: Scenario,
    samples: VecDeque<Sample>,
    next_sample: u64,
    seen: usize,
    produced_acc: u32,
    consumed_acc: u32,
    departed: Vec<Departed>,
    /// Virtual time in ms, fractional so slow speeds advance smoothly.
    pub vtime: f64,
    pub playing: bool,
    /// Virtual ms per real ms.
    pub speed: f64,
}

impl Sim {
    pub fn new(spec: ScenarioSpec) -> Sim {
        Sim {
            scenario: Scenario::new(spec),
            samples: VecDeque::new(),
            next_sample: SAMPLE_MS,
            seen: 0,
            produced_acc: 0,
            consumed_acc: 0,
            departed: Vec::new(),
            vtime: 0.0,
            playing: true,
            speed: 1.0,
        }
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The cluster the page shows.
    pub fn cluster(&self) -> &Cluster {
        self.scenario.cluster()
    }

    /// Virtual time in ms.
    pub fn now(&self) -> u64 {
        self.cluster().now()
    }

    pub fn samples(&self) -> &VecDeque<Sample> {
        &self.samples
    }

    pub fn departed(&self) -> &[Departed] {
        &self.departed
    }

    fn run_raw(&mut self, t: u64) {
        self.scenario.run_until(t);
        self.scan();
    }

    /// Reads the new trace events: counters for the charts and departed members.
    fn scan(&mut self) {
        let cluster = self.scenario.cluster();
        let events = cluster.events_since(self.seen);
        self.seen += events.len();
        for e in events {
            match &e.event {
                Event::Produced { .. } => self.produced_acc = self.produced_acc.saturating_add(1),
                Event::Fetched { count, .. } => {
                    self.consumed_acc = self.consumed_acc.saturating_add(*count)
                }
                Event::Left {
                    group,
                    consumer,
                    member_id,
                } => self.departed.push(Departed {
                    time_ms: e.time,
                    group: group.to_string(),
                    member_id: member_id.to_string(),
                    consumer: consumer.0,
                    reason: DepartReason::Left,
                }),
                Event::Evicted {
                    group,
                    consumer,
                    member_id,
                    reason,
                } => self.departed.push(Departed {
                    time_ms: e.time,
                    group: group.to_string(),
                    member_id: member_id.to_string(),
                    consumer: consumer.0,
                    reason: DepartReason::Evicted(*reason),
                }),
                _ => {}
            }
        }
        if self.departed.len() > MAX_DEPARTED {
            let extra = self.departed.len() - MAX_DEPARTED;
            self.departed.drain(..extra);
        }
    }

    fn take_sample(&mut self, t_ms: u64) {
        let cluster = self.cluster();
        let lag = cluster
            .groups()
            .map(|g| (g.id().to_string(), cluster.total_lag(g.id())))
            .collect();
        self.samples.push_back(Sample {
            t_ms,
            produced: self.produced_acc,
            consumed: self.consumed_acc,
            lag,
        });
        self.produced_acc = 0;
        self.consumed_acc = 0;
        while self.samples.len() > MAX_SAMPLES {
            self.samples.pop_front();
        }
    }

    /// Runs everything up to virtual time `t` (never backwards), sampling every virtual second.
    pub fn advance_to(&mut self, t: u64) {
        while self.next_sample <= t {
            let at = self.next_sample;
            self.run_raw(at);
            self.take_sample(at);
            self.next_sample = at.saturating_add(SAMPLE_MS);
        }
        self.run_raw(t);
        let now = self.now() as f64;
        if self.vtime < now {
            self.vtime = now;
        }
    }

    /// Advances by a frame: `dt_ms` of real time at the current speed (if playing).
    pub fn frame(&mut self, dt_ms: f64) {
        if !self.playing {
            return;
        }
        // A long pause (background tab) must not jump the simulation minutes ahead.
        let dt = dt_ms.clamp(0.0, 100.0);
        self.vtime += dt * self.speed;
        let t = self.vtime as u64;
        if t > self.now() {
            self.advance_to(t);
        }
    }

    /// Runs to the next visible change (a trace event or an output line), at most a minute of
    /// virtual time ahead; false if nothing happened.
    pub fn step_event(&mut self) -> bool {
        let moved = self.scenario.step_event(60_000);
        let t = self.now();
        while self.next_sample <= t {
            let at = self.next_sample;
            self.take_sample(at);
            self.next_sample = at.saturating_add(SAMPLE_MS);
        }
        self.scan();
        self.vtime = t as f64;
        moved
    }

    /// Produces one record now, as the quick-send client; the runner records it in the spec
    /// so a rewind replays it at the same time.
    pub fn send(
        &mut self,
        topic: &str,
        key: Option<&str>,
        value: &str,
    ) -> Result<RecordMetadata, KafkaError> {
        let r = self.scenario.send_manual(topic, key, value);
        self.scan();
        r
    }

    /// Preloads `count` records at time 0 (the `?perf=big` scenario).
    pub fn preload(&mut self, topic: &str, count: u32) {
        for i in 0..count {
            let key = format!("k{}", i % 97);
            let value = format!("{{\"n\": {i}}}");
            let _ = self.scenario.send_manual(topic, Some(&key), &value);
        }
        self.scan();
    }

    /// A fault against a process, now (recorded in the spec so rewinds replay it).
    pub fn inject(&mut self, process: ProcessId, kind: FaultKind) {
        self.scenario.inject(process, kind);
        self.scan();
    }

    /// One more instance of program `program`, joining now (replayed by rewinds).
    pub fn add_instance(&mut self, program: usize) -> Option<ProcessId> {
        let id = self.scenario.add_instance(program);
        self.scan();
        id
    }

    /// Raises a topic's partition count now (replayed by rewinds).
    pub fn add_partitions(&mut self, topic: &str, total: u32) -> Result<(), KafkaError> {
        let r = self.scenario.add_partitions(topic, total);
        self.scan();
        r
    }

    /// Re-simulates from the start with `spec` up to virtual time `t` (deterministic: the
    /// same spec and quick sends give the same run).
    pub fn restart_with(&mut self, spec: ScenarioSpec, t: u64) {
        let (playing, speed) = (self.playing, self.speed);
        *self = Sim::new(spec);
        self.playing = playing;
        self.speed = speed;
        self.advance_to(t);
        self.vtime = t as f64;
    }

    /// Rewinds (or fast-forwards) to `t` with the current spec, faults included.
    pub fn seek(&mut self, t: u64) {
        if t >= self.now() {
            self.advance_to(t);
            self.vtime = t as f64;
            return;
        }
        let spec = self.scenario.spec().clone();
        self.restart_with(spec, t);
    }

    /// Changes when the picture can change: trace, output, process states, time in 100 ms.
    pub fn fingerprint(&self) -> (usize, usize, u64) {
        let mut h: u64 = self.cluster().trace().len() as u64;
        for p in self.scenario.processes() {
            h = h.wrapping_mul(31).wrapping_add(state_code(&p.state));
        }
        (
            self.cluster().trace().len(),
            self.scenario.output().len(),
            h ^ (self.scenario.errors().len() as u64).wrapping_shl(40),
        )
    }
}

fn state_code(s: &kplay_runner::ProcState) -> u64 {
    use kplay_runner::ProcState::*;
    match s {
        NotStarted => 1,
        Ready => 2,
        Blocked(_) => 3,
        Sleeping(_) => 4,
        Stalled(_) => 5,
        Finished => 6,
        Failed(_) => 7,
        Crashed => 8,
    }
}
