//! A scenario: topics, programs with instance counts, faults and a seed, run on one cluster in
//! virtual time. The same code runs natively (`kplay run`) and in the app.

use kafka_engine::cluster::{ClientProfile, Cluster, ClusterConfig};
use kafka_engine::log::TopicConfig;
use kafka_engine::Strategy;
use pysnip::{Limits, Process, Program, PyError, RunStatus, Value};

use crate::kafka_api::{
    ApiSettings, KafkaErrors, Objects, ProcHost, Wait, WorkOutcome, POLL_TICK_MS,
};

/// Instructions a process runs per slice.
pub const SLICE_FUEL: u64 = 10_000;
/// Virtual time one slice of busy computation costs (so an infinite loop lets time pass).
pub const SLICE_MS: u64 = 1;
/// Instructions a process may run without ever waiting before it is stopped (an infinite loop).
pub const MAX_BUSY_INSTRUCTIONS: u64 = 20_000_000;

/// A topic to create before the programs start.
#[derive(Clone, Debug, PartialEq)]
pub struct TopicSpec {
    pub name: String,
    pub partitions: u32,
    pub config: TopicConfig,
}

/// A program (one editor tab) and how many processes run it.
#[derive(Clone, Debug, PartialEq)]
pub struct ProgramSpec {
    /// File name shown in outputs and tracebacks, e.g. `consumer.py`.
    pub name: String,
    /// Lesson setup lines, run before `source` (shown greyed out in the editor).
    pub setup: String,
    /// The learner's code.
    pub source: String,
    /// Number of processes running this program (three consumers = three group members).
    pub instances: u32,
    /// Virtual time (ms) at which its processes start.
    pub start_ms: u64,
}

/// What a fault does to a process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// The process dies: no more heartbeats, polls or commits.
    Crash,
    /// The main loop blocks for this many ms (heartbeats go on).
    Stall(u64),
    /// The process closes its consumer cleanly and ends.
    Leave,
    /// The process starts again from the top (a crashed one first, or a running one is killed).
    Restart,
}

/// A fault at a virtual time, against one process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScheduledFault {
    pub at_ms: u64,
    pub process: ProcessId,
    pub kind: FaultKind,
}

/// Everything that determines a run: same spec, same trace.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioSpec {
    pub seed: u64,
    /// Partitions of auto-created topics.
    pub default_partitions: u32,
    pub topics: Vec<TopicSpec>,
    pub programs: Vec<ProgramSpec>,
    pub client_profile: ClientProfile,
    /// Assignment strategies for consumers that don't pass `partition_assignment_strategy`
    /// (`None`: kafka-python's default, range then roundrobin).
    pub default_strategies: Option<Vec<Strategy>>,
    pub faults: Vec<ScheduledFault>,
    /// Virtual duration of the playground's `process(value)` helper.
    pub process_ms: u64,
    /// Records sent by hand from the page's quick-send form, replayed on every re-run.
    pub manual_sends: Vec<ManualSend>,
    /// Instances added while the scenario ran ("+ consumer"): each starts its program at
    /// `at_ms` and joins then. Their process ids follow the programs' own instances.
    pub joins: Vec<Join>,
    /// Partition counts raised while the scenario ran ("+ partition").
    pub partition_growth: Vec<PartitionGrowth>,
    /// The broker's `log.retention.check.interval.ms` (`None`: Kafka's 5 minutes).
    pub log_cleaner_interval_ms: Option<u64>,
}

/// One more instance of a program, started at a virtual time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Join {
    pub at_ms: u64,
    /// Index of the program in `programs`.
    pub program: usize,
}

/// A topic's partition count raised to `total` at a virtual time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionGrowth {
    pub at_ms: u64,
    pub topic: String,
    pub total: u32,
}

/// A record sent by hand (the page's quick-send form), at a virtual time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManualSend {
    pub at_ms: u64,
    pub topic: String,
    /// `None`: no key.
    pub key: Option<String>,
    pub value: String,
}

impl Default for ScenarioSpec {
    fn default() -> Self {
        ScenarioSpec {
            seed: 42,
            default_partitions: 3,
            topics: Vec::new(),
            programs: Vec::new(),
            client_profile: ClientProfile::KafkaPython,
            default_strategies: None,
            faults: Vec::new(),
            process_ms: 100,
            manual_sends: Vec::new(),
            joins: Vec::new(),
            partition_growth: Vec::new(),
            log_cleaner_interval_ms: None,
        }
    }
}

/// A process: one running instance of a program. Ids are dense and stable for a spec:
/// program order, then instance order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProcessId(pub usize);

/// What a process is doing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProcState {
    /// Before its program's start time.
    NotStarted,
    Ready,
    /// Waiting for the simulation, e.g. `for message in consumer:` with nothing to read.
    Blocked(String),
    /// In `time.sleep` or `process()` until this virtual time.
    Sleeping(u64),
    /// Stalled by a fault until this virtual time.
    Stalled(u64),
    Finished,
    /// Ended by an uncaught exception (its message).
    Failed(String),
    Crashed,
}

/// A process as the UI shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ProcessView {
    pub id: ProcessId,
    /// Index of its program in the spec.
    pub program: usize,
    /// 0-based instance number.
    pub instance: u32,
    /// `consumer.py` or `consumer.py #2`.
    pub label: String,
    pub state: ProcState,
    /// Consumers it created (engine ids), newest last.
    pub consumers: Vec<kafka_engine::consumer::ConsumerId>,
    /// Producer client ids it created.
    pub producers: Vec<String>,
}

/// Where an output line comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputKind {
    Stdout,
    Error,
    /// A line from the playground itself (e.g. "started", "crashed by you").
    Info,
}

/// One line of a process's output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputLine {
    pub time_ms: u64,
    pub process: ProcessId,
    pub kind: OutputKind,
    pub text: String,
    /// For errors: the learner's line (1-based) to jump to.
    pub line: Option<u32>,
}

/// Appends one output line (one out-of-line push for every place that emits a line).
#[inline(never)]
pub(crate) fn push_line(
    output: &mut Vec<OutputLine>,
    time_ms: u64,
    process: ProcessId,
    kind: OutputKind,
    text: String,
    line: Option<u32>,
) {
    output.push(OutputLine {
        time_ms,
        process,
        kind,
        text,
        line,
    });
}

/// A compile or runtime error located in a program's source, for the editor to mark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramError {
    pub program: usize,
    /// 1-based line and column in the learner's source; `end_col` exclusive.
    pub line: u32,
    pub col: u32,
    pub end_col: u32,
    /// `NameError: name 'json' is not defined`
    pub message: String,
}

/// A short report of where things ended up (for `kplay run`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// Topic -> records per partition (log end minus log start).
    pub partitions: Vec<(String, Vec<u64>)>,
    /// Group -> (topic-partition, committed, lag, owner) rows.
    pub groups: Vec<(String, Vec<GroupRow>)>,
}

/// One partition of a group in a summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupRow {
    pub tp: kafka_engine::TopicPartition,
    pub log_end: u64,
    pub committed: Option<u64>,
    pub lag: Option<u64>,
    pub owner: Option<String>,
}

/// One process: its interpreter, its host objects and what it waits for.
struct Proc {
    view: ProcessView,
    vm: Option<Process>,
    objects: Objects,
    wait: Option<Wait>,
    /// Next virtual time it can run; `None` once it is finished, failed or crashed.
    ready_at: Option<u64>,
    stalled_until: u64,
    busy: u64,
    pending_line: String,
    settings: ApiSettings,
    work_outcome: WorkOutcome,
}

/// A running scenario: one cluster, the processes of every program, their output.
pub struct Scenario {
    spec: ScenarioSpec,
    cluster: Cluster,
    programs: Vec<Result<Program, PyError>>,
    procs: Vec<Proc>,
    views: Vec<ProcessView>,
    output: Vec<OutputLine>,
    errors: Vec<ProgramError>,
    kafka_errors: KafkaErrors,
    /// Indices of the spec's faults in time order, and how many were applied.
    faults: Vec<usize>,
    faults_applied: usize,
    /// Indices of the spec's manual sends in time order, and how many were sent.
    sends: Vec<usize>,
    sends_done: usize,
    /// Indices of the spec's partition growth in time order, and how much was applied.
    growth: Vec<usize>,
    growth_done: usize,
}

impl Scenario {
    /// Builds the cluster, creates the spec's topics and compiles every program.
    pub fn new(spec: ScenarioSpec) -> Scenario {
        let cfg = ClusterConfig {
            seed: spec.seed,
            default_partitions: spec.default_partitions.max(1),
            client_profile: spec.client_profile,
            epoch_ms: crate::kafka_api::EPOCH_MS,
            log_cleaner_interval_ms: spec
                .log_cleaner_interval_ms
                .unwrap_or(ClusterConfig::default().log_cleaner_interval_ms),
            ..ClusterConfig::default()
        };
        let mut cluster = Cluster::new(cfg);
        for t in &spec.topics {
            let _ = cluster.create_topic(&t.name, t.partitions, t.config.clone());
        }
        let mut errors = Vec::new();
        let mut output = Vec::new();
        let mut programs: Vec<Result<Program, PyError>> = Vec::with_capacity(spec.programs.len());
        for p in &spec.programs {
            programs.push(if p.setup.trim().is_empty() {
                pysnip::compile(&p.source, &p.name)
            } else {
                pysnip::compile_with_setup(&p.setup, &p.source, &p.name)
            });
        }
        let mut procs = Vec::new();
        for (pi, p) in spec.programs.iter().enumerate() {
            for i in 0..p.instances {
                let id = ProcessId(procs.len());
                procs.push(new_proc(&spec, pi, i, id, p.start_ms));
            }
            if let Err(e) = &programs[pi] {
                let first = procs
                    .iter()
                    .find(|q| q.view.program == pi)
                    .map(|q| q.view.id);
                if let Some(first) = first {
                    push_line(
                        &mut output,
                        0,
                        first,
                        OutputKind::Error,
                        e.render(),
                        e.span().map(|s| s.0 as u32),
                    );
                }
                errors.extend(program_error(pi, &p.name, e));
            }
        }
        let mut extra: Vec<u32> = Vec::with_capacity(spec.programs.len());
        for p in &spec.programs {
            extra.push(p.instances);
        }
        for j in &spec.joins {
            if let Some(n) = extra.get_mut(j.program) {
                let id = ProcessId(procs.len());
                procs.push(new_proc(&spec, j.program, *n, id, j.at_ms));
                *n += 1;
            }
        }
        let mut times = Vec::with_capacity(spec.partition_growth.len());
        for g in &spec.partition_growth {
            times.push(g.at_ms);
        }
        let growth = time_order(times);
        let mut times = Vec::with_capacity(spec.faults.len());
        for f in &spec.faults {
            times.push(f.at_ms);
        }
        let faults = time_order(times);
        let mut views = Vec::with_capacity(procs.len());
        for p in &procs {
            views.push(p.view.clone());
        }
        let mut times = Vec::with_capacity(spec.manual_sends.len());
        for m in &spec.manual_sends {
            times.push(m.at_ms);
        }
        let sends = time_order(times);
        Scenario {
            spec,
            cluster,
            programs,
            procs,
            views,
            output,
            errors,
            kafka_errors: KafkaErrors::new(),
            faults,
            faults_applied: 0,
            sends,
            sends_done: 0,
            growth,
            growth_done: 0,
        }
    }

    pub fn spec(&self) -> &ScenarioSpec {
        &self.spec
    }

    /// Virtual time in ms.
    pub fn now(&self) -> u64 {
        self.cluster.now()
    }

    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    pub fn processes(&self) -> &[ProcessView] {
        &self.views
    }

    pub fn output(&self) -> &[OutputLine] {
        &self.output
    }

    /// Compile and runtime errors located in the programs, for the editor.
    pub fn errors(&self) -> &[ProgramError] {
        &self.errors
    }

    pub fn trace_hash(&self) -> u64 {
        self.cluster.trace_hash()
    }

    /// What happens next and when: (time, kind) with faults, then cluster events, then
    /// processes at equal times (lowest process id first).
    fn next_action(&self) -> Option<(u64, Action)> {
        // At equal times: cluster events, then processes (lowest id first), then the changes
        // made from outside (faults, manual sends, partition growth). A change made live is
        // applied after everything due at that time (see `settle`), so a re-run from the spec
        // puts it at the same place.
        let mut best: Option<((u64, u8), Action)> = None;
        let mut consider = |t: u64, rank: u8, a: Action| {
            if best.as_ref().is_none_or(|(k, _)| (t, rank) < *k) {
                best = Some(((t, rank), a));
            }
        };
        if let Some(t) = self.cluster.next_event_time() {
            consider(t, 0, Action::Cluster);
        }
        for (i, p) in self.procs.iter().enumerate() {
            if let Some(t) = p.ready_at {
                consider(t.max(p.stalled_until), 1, Action::Process(i));
            }
        }
        let now = self.cluster.now();
        if let Some(f) = self.fault(self.faults_applied) {
            consider(f.at_ms.max(now), 2, Action::Fault);
        }
        if let Some(m) = self.send(self.sends_done) {
            consider(m.at_ms.max(now), 3, Action::Send);
        }
        if let Some(g) = self.grow(self.growth_done) {
            consider(g.at_ms.max(now), 4, Action::Grow);
        }
        best.map(|((t, _), a)| (t, a))
    }

    /// The `i`-th fault in time order.
    fn fault(&self, i: usize) -> Option<&ScheduledFault> {
        self.spec.faults.get(*self.faults.get(i)?)
    }

    /// The `i`-th manual send in time order.
    fn send(&self, i: usize) -> Option<&ManualSend> {
        self.spec.manual_sends.get(*self.sends.get(i)?)
    }

    /// The `i`-th partition growth in time order.
    fn grow(&self, i: usize) -> Option<&PartitionGrowth> {
        self.spec.partition_growth.get(*self.growth.get(i)?)
    }

    /// Runs everything due at the current time, before a change is made live.
    fn settle(&mut self) {
        let now = self.now();
        self.run_until(now);
    }

    /// Does the next thing if it is due at or before `limit`; false when nothing is.
    fn advance_one(&mut self, limit: u64) -> bool {
        let Some((t, action)) = self.next_action() else {
            return false;
        };
        if t > limit {
            return false;
        }
        match action {
            Action::Fault => {
                let f = self.fault(self.faults_applied).copied();
                self.faults_applied += 1;
                self.cluster.run_until(t);
                if let Some(f) = f {
                    self.apply_fault(&f);
                }
            }
            Action::Send => {
                let i = self.sends_done;
                self.sends_done += 1;
                self.cluster.run_until(t);
                let m = self
                    .sends
                    .get(i)
                    .and_then(|&j| self.spec.manual_sends.get(j));
                if let Some(m) = m {
                    let _ = send_record(&mut self.cluster, m);
                }
            }
            Action::Grow => {
                let i = self.growth_done;
                self.growth_done += 1;
                self.cluster.run_until(t);
                let g = self
                    .growth
                    .get(i)
                    .and_then(|&j| self.spec.partition_growth.get(j));
                if let Some(g) = g {
                    let _ = self.cluster.add_partitions(&g.topic, g.total);
                }
            }
            Action::Cluster => {
                self.cluster.step();
            }
            Action::Process(i) => {
                self.cluster.run_until(t);
                self.run_slice(i);
            }
        }
        true
    }

    /// Runs everything (processes, faults and cluster events) up to virtual time `t_ms`.
    pub fn run_until(&mut self, t_ms: u64) {
        while self.advance_one(t_ms) {}
        self.cluster.run_until(t_ms);
    }

    /// Runs until something visible happens (a trace event or an output line), at most
    /// `max_ms` of virtual time ahead; false if nothing happened.
    pub fn step_event(&mut self, max_ms: u64) -> bool {
        let limit = self.now().saturating_add(max_ms);
        let (trace, out) = (self.cluster.trace().len(), self.output.len());
        while self.cluster.trace().len() == trace && self.output.len() == out {
            if !self.advance_one(limit) {
                return false;
            }
        }
        true
    }

    /// Applies a fault now and records it in the spec, so a re-run from the spec replays it.
    pub fn inject(&mut self, process: ProcessId, kind: FaultKind) {
        self.settle();
        let f = ScheduledFault {
            at_ms: self.now(),
            process,
            kind,
        };
        self.spec.faults.push(f);
        // Keep `faults` consistent with the spec: it is applied at once.
        self.faults
            .insert(self.faults_applied, self.spec.faults.len() - 1);
        self.faults_applied += 1;
        self.apply_fault(&f);
    }

    /// Sends a record by hand now (the page's quick-send form) and records it in the spec, so a
    /// re-run from the spec sends it again at the same virtual time.
    pub fn send_manual(
        &mut self,
        topic: &str,
        key: Option<&str>,
        value: &str,
    ) -> Result<kafka_engine::cluster::RecordMetadata, kafka_engine::KafkaError> {
        self.settle();
        let m = ManualSend {
            at_ms: self.now(),
            topic: topic.to_string(),
            key: key.map(str::to_string),
            value: value.to_string(),
        };
        let r = send_record(&mut self.cluster, &m);
        self.spec.manual_sends.push(m);
        self.sends
            .insert(self.sends_done, self.spec.manual_sends.len() - 1);
        self.sends_done += 1;
        r
    }

    /// Starts one more instance of program `program` now (it joins its group now), and records
    /// it in the spec so a re-run starts it at the same virtual time.
    pub fn add_instance(&mut self, program: usize) -> Option<ProcessId> {
        self.settle();
        let n = self.spec.programs.get(program)?.instances
            + self
                .spec
                .joins
                .iter()
                .filter(|j| j.program == program)
                .count() as u32;
        let at_ms = self.now();
        self.spec.joins.push(Join { at_ms, program });
        let id = ProcessId(self.procs.len());
        let p = new_proc(&self.spec, program, n, id, at_ms);
        self.views.push(p.view.clone());
        self.procs.push(p);
        Some(id)
    }

    /// Raises `topic` to `total` partitions now (keys then move, as in Kafka), and records it
    /// in the spec so a re-run does it at the same virtual time.
    pub fn add_partitions(
        &mut self,
        topic: &str,
        total: u32,
    ) -> Result<(), kafka_engine::KafkaError> {
        self.settle();
        self.cluster.add_partitions(topic, total)?;
        let g = PartitionGrowth {
            at_ms: self.now(),
            topic: topic.to_string(),
            total,
        };
        self.spec.partition_growth.push(g);
        self.growth
            .insert(self.growth_done, self.spec.partition_growth.len() - 1);
        self.growth_done += 1;
        Ok(())
    }

    /// Makes the playground's `process()` fail (raise) in this process from now on, or work again.
    pub fn set_work_outcome(&mut self, process: ProcessId, fail: bool) {
        if let Some(p) = self.procs.get_mut(process.0) {
            p.work_outcome = if fail {
                WorkOutcome::Fail
            } else {
                WorkOutcome::Ok
            };
        }
    }

    fn apply_fault(&mut self, f: &ScheduledFault) {
        let i = f.process.0;
        let Some(p) = self.procs.get(i) else {
            return;
        };
        // Only a restart does anything to a process that is not running.
        if p.ready_at.is_none() && f.kind != FaultKind::Restart {
            return;
        }
        for c in p.objects.open_consumers() {
            let _ = match f.kind {
                FaultKind::Crash | FaultKind::Restart => self.cluster.crash(c),
                FaultKind::Stall(ms) => self.cluster.stall(c, ms),
                FaultKind::Leave => self.cluster.close(c, true),
            };
        }
        let now = self.cluster.now();
        let Some(p) = self.procs.get_mut(i) else {
            return;
        };
        let text = match f.kind {
            FaultKind::Stall(ms) => {
                let until = now.saturating_add(ms);
                p.stalled_until = until;
                p.view.state = ProcState::Stalled(until);
                format!("stalled for {ms} ms (heartbeats go on)")
            }
            kind => {
                p.vm = None;
                p.wait = None;
                let (ready_at, state, text) = match kind {
                    FaultKind::Restart => {
                        p.objects = Objects::default();
                        p.view.producers.clear();
                        p.stalled_until = 0;
                        p.busy = 0;
                        p.pending_line.clear();
                        (
                            Some(now),
                            ProcState::NotStarted,
                            "restarted: runs again from the top as a new member",
                        )
                    }
                    FaultKind::Crash => (
                        None,
                        ProcState::Crashed,
                        "crashed: no more heartbeats, polls or commits",
                    ),
                    _ => (
                        None,
                        ProcState::Finished,
                        "left the group: consumer.close()",
                    ),
                };
                p.ready_at = ready_at;
                p.view.state = state;
                text.to_string()
            }
        };
        push_line(
            &mut self.output,
            now,
            f.process,
            OutputKind::Info,
            text,
            None,
        );
        self.refresh_view(i);
    }

    fn refresh_view(&mut self, i: usize) {
        if let Some(p) = self.procs.get_mut(i) {
            p.view.consumers = p.objects.consumers();
            if let Some(v) = self.views.get_mut(i) {
                *v = p.view.clone();
            }
        }
    }

    /// Runs process `i` for one slice at the current time.
    fn run_slice(&mut self, i: usize) {
        let now = self.cluster.now();
        let Scenario {
            cluster,
            programs,
            procs,
            output,
            errors,
            kafka_errors,
            spec,
            ..
        } = self;
        let Some(p) = procs.get_mut(i) else {
            return;
        };
        if p.stalled_until > now {
            p.ready_at = Some(p.stalled_until);
            return;
        }
        if matches!(p.view.state, ProcState::Stalled(_)) {
            p.view.state = ProcState::Ready;
        }
        // Start the process.
        if p.vm.is_none() {
            match programs.get(p.view.program) {
                Some(Ok(program)) => {
                    p.vm = Some(Process::new(program, Limits::default()));
                    p.view.state = ProcState::Ready;
                }
                _ => {
                    p.ready_at = None;
                    p.view.state = ProcState::Failed("SyntaxError".to_string());
                    let v = p.view.clone();
                    if let Some(slot) = self.views.get_mut(i) {
                        *slot = v;
                    }
                    return;
                }
            }
        }
        let Some(mut vm) = p.vm.take() else {
            return;
        };
        let mut host = ProcHost {
            cluster,
            objects: &mut p.objects,
            output,
            errors: kafka_errors,
            settings: &p.settings,
            process: p.view.id,
            wait: None,
            pending_line: std::mem::take(&mut p.pending_line),
            producers: &mut p.view.producers,
            work_outcome: p.work_outcome,
        };
        // Finish what it was waiting for, if it can be finished now.
        let mut still_waiting = None;
        if let Some(w) = p.wait.take() {
            match w {
                Wait::Work { until, outcome } => {
                    if now < until {
                        still_waiting = Some((w, until));
                    } else if outcome == WorkOutcome::Fail {
                        vm.resume_raise(pysnip::Exception::builtin(
                            "RuntimeError",
                            "process() failed (the playground was told to fail it)",
                        ));
                    } else {
                        vm.resume_with(Value::None);
                    }
                }
                Wait::Iter { consumer, since } => match host.next_record(consumer) {
                    Ok(Some(r)) => match host.consumer_record(&mut vm, consumer, &r) {
                        Ok(v) => vm.resume_with(v),
                        Err(e) => vm.resume_raise(e),
                    },
                    Ok(None) => {
                        let timeout = host.consumer_timeout(consumer);
                        match timeout {
                            Some(t) if now >= since.saturating_add(t) => {
                                vm.resume_raise(pysnip::Exception::builtin("StopIteration", ""))
                            }
                            Some(t) => {
                                let wake = (now + POLL_TICK_MS).min(since.saturating_add(t));
                                still_waiting = Some((w, wake.max(now + 1)));
                            }
                            None => still_waiting = Some((w, now + POLL_TICK_MS)),
                        }
                    }
                    Err(e) => vm.resume_raise(e),
                },
                Wait::Poll {
                    consumer,
                    until,
                    max_records,
                } => match host.poll_once(&mut vm, consumer, max_records) {
                    Ok(Some(d)) => vm.resume_with(d),
                    Ok(None) if now >= until => vm.resume_with(Value::dict(Vec::new())),
                    Ok(None) => {
                        still_waiting = Some((w, (now + POLL_TICK_MS).min(until)));
                    }
                    Err(e) => vm.resume_raise(e),
                },
            }
        }
        if let Some((w, wake)) = still_waiting {
            p.pending_line = std::mem::take(&mut host.pending_line);
            p.wait = Some(w);
            p.ready_at = Some(wake);
            p.vm = Some(vm);
            return;
        }
        let before = vm.instructions;
        let status = vm.run(&mut host, SLICE_FUEL);
        let ran = vm.instructions.saturating_sub(before);
        let wait = host.wait.take();
        p.pending_line = std::mem::take(&mut host.pending_line);
        drop(host);
        p.busy = p.busy.saturating_add(ran);
        match status {
            RunStatus::Finished => {
                flush_line(output, p, now);
                p.ready_at = None;
                p.view.state = ProcState::Finished;
            }
            RunStatus::OutOfFuel => {
                if p.busy > MAX_BUSY_INSTRUCTIONS {
                    flush_line(output, p, now);
                    let msg = format!(
                        "TimeoutError: {} ran {MAX_BUSY_INSTRUCTIONS} steps without waiting for anything (an endless loop?)",
                        p.view.label
                    );
                    push_line(output, now, p.view.id, OutputKind::Error, msg.clone(), None);
                    p.ready_at = None;
                    p.view.state = ProcState::Failed(msg);
                } else {
                    p.vm = Some(vm);
                    p.ready_at = Some(now + SLICE_MS);
                    p.view.state = ProcState::Ready;
                }
            }
            RunStatus::Blocked(block) => {
                p.busy = 0;
                p.vm = Some(vm);
                // `time.sleep()` waits as the playground's `process()` does.
                let wait = match block {
                    pysnip::Block::Sleep { ms } => Some(Wait::Work {
                        until: now.saturating_add(ms.max(1)),
                        outcome: WorkOutcome::Ok,
                    }),
                    pysnip::Block::Host(_) => wait,
                };
                let (ready_at, state) = match &wait {
                    Some(Wait::Work { until, .. }) => (Some(*until), ProcState::Sleeping(*until)),
                    Some(Wait::Iter { .. }) => (
                        Some(now + POLL_TICK_MS),
                        ProcState::Blocked("for message in consumer".into()),
                    ),
                    Some(Wait::Poll { until, .. }) => (
                        Some((now + POLL_TICK_MS).min(*until).max(now + 1)),
                        ProcState::Blocked("consumer.poll()".into()),
                    ),
                    None => (None, ProcState::Failed("blocked on nothing".into())),
                };
                p.wait = wait;
                p.ready_at = ready_at;
                p.view.state = state;
            }
            RunStatus::Error(e) => {
                flush_line(output, p, now);
                let name = spec.programs.get(p.view.program).map(|x| x.name.as_str());
                let line = e
                    .frames
                    .iter()
                    .rev()
                    .find(|f| Some(f.file.as_str()) == name)
                    .map(|f| f.line as u32);
                push_line(output, now, p.view.id, OutputKind::Error, e.render(), line);
                if let Some(name) = name {
                    if let Some(pe) = program_error(p.view.program, name, &e) {
                        if !errors.contains(&pe) {
                            errors.push(pe);
                        }
                    }
                }
                p.ready_at = None;
                p.view.state = ProcState::Failed(e.last_line());
            }
        }
        self.refresh_view(i);
    }

    /// Records per partition, and committed offsets, lag and owners per group.
    pub fn summary(&self) -> Summary {
        let partitions = self
            .cluster
            .topics()
            .map(|t| {
                let counts = t
                    .partitions()
                    .iter()
                    // Records stored: compaction leaves fewer than log end - log start.
                    .map(|p| p.record_count())
                    .collect();
                (t.name().to_string(), counts)
            })
            .collect();
        let groups = self
            .cluster
            .groups()
            .map(|g| {
                let rows = self
                    .cluster
                    .group_lag(g.id())
                    .into_iter()
                    .map(|l| GroupRow {
                        tp: l.tp,
                        log_end: l.log_end,
                        committed: l.committed,
                        lag: l.lag,
                        owner: l.owner.map(|o| o.to_string()),
                    })
                    .collect();
                (g.id().to_string(), rows)
            })
            .collect();
        Summary { partitions, groups }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Fault,
    Send,
    Grow,
    Cluster,
    Process(usize),
}

/// The indices of `times` in ascending time, equal times in their given order.
fn time_order(times: Vec<u64>) -> Vec<usize> {
    let mut order: Vec<(u64, usize)> = Vec::with_capacity(times.len());
    for (i, t) in times.into_iter().enumerate() {
        order.push((t, i));
    }
    order.sort_unstable();
    let mut indices = Vec::with_capacity(order.len());
    for (_, i) in order {
        indices.push(i);
    }
    indices
}

/// A process for instance `instance` (0-based) of program `program`, starting at `start_ms`.
fn new_proc(
    spec: &ScenarioSpec,
    program: usize,
    instance: u32,
    id: ProcessId,
    start_ms: u64,
) -> Proc {
    let p = &spec.programs[program];
    let total = p.instances + spec.joins.iter().filter(|j| j.program == program).count() as u32;
    let label = if total > 1 || instance > 0 {
        format!("{} #{}", p.name, instance + 1)
    } else {
        p.name.clone()
    };
    Proc {
        view: ProcessView {
            id,
            program,
            instance,
            label,
            state: ProcState::NotStarted,
            consumers: Vec::new(),
            producers: Vec::new(),
        },
        vm: None,
        objects: Objects::default(),
        wait: None,
        ready_at: Some(start_ms),
        stalled_until: 0,
        busy: 0,
        pending_line: String::new(),
        settings: ApiSettings {
            process_ms: spec.process_ms,
            default_strategies: spec.default_strategies.clone(),
            program: {
                let mut name = p.name.as_str();
                while let Some(s) = name.strip_suffix(".py") {
                    name = s;
                }
                name.to_string()
            },
            instance,
        },
        work_outcome: WorkOutcome::Ok,
    }
}

/// Sends a record of the page's quick-send form.
fn send_record(
    cluster: &mut Cluster,
    m: &ManualSend,
) -> Result<kafka_engine::cluster::RecordMetadata, kafka_engine::KafkaError> {
    let mut req = kafka_engine::cluster::ProduceRequest::new("quick-send", m.topic.clone());
    req.key = m.key.as_ref().map(|k| k.as_bytes().to_vec());
    req.value = Some(m.value.as_bytes().to_vec());
    req.timestamp_ms = Some(crate::kafka_api::EPOCH_MS + cluster.now() as i64);
    cluster.produce(req)
}

/// Emits a process's unfinished `print(..., end='')` output.
fn flush_line(output: &mut Vec<OutputLine>, p: &mut Proc, now: u64) {
    if !p.pending_line.is_empty() {
        let text = std::mem::take(&mut p.pending_line);
        push_line(output, now, p.view.id, OutputKind::Stdout, text, None);
    }
}

/// The editor marks for an error: its innermost frame in the learner's file.
fn program_error(program: usize, name: &str, e: &PyError) -> Option<ProgramError> {
    let f = e.frames.iter().rev().find(|f| f.file == name)?;
    Some(ProgramError {
        program,
        line: f.line as u32,
        col: f.col as u32,
        end_col: f.end_col.max(f.col + 1) as u32,
        message: e.last_line(),
    })
}
