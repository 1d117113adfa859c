//! A scenario: topics, programs with instance counts, faults and a seed, run on one cluster in
//! virtual time. The same code runs natively (`kplay run`) and in the app.

use kafka_engine::cluster::{ClientProfile, Cluster, ClusterConfig};
use kafka_engine::log::TopicConfig;
use kafka_engine::Strategy;

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
#[derive(Clone, Debug, PartialEq, Eq)]
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

/// A running scenario.
pub struct Scenario {
    spec: ScenarioSpec,
    cluster: Cluster,
    processes: Vec<ProcessView>,
    output: Vec<OutputLine>,
    errors: Vec<ProgramError>,
}

impl Scenario {
    /// Builds the cluster, creates the spec's topics and compiles every program.
    pub fn new(spec: ScenarioSpec) -> Scenario {
        let cfg = ClusterConfig {
            seed: spec.seed,
            default_partitions: spec.default_partitions.max(1),
            client_profile: spec.client_profile,
            ..ClusterConfig::default()
        };
        let mut cluster = Cluster::new(cfg);
        for t in &spec.topics {
            let _ = cluster.create_topic(&t.name, t.partitions, t.config.clone());
        }
        let mut processes = Vec::new();
        for (pi, p) in spec.programs.iter().enumerate() {
            for i in 0..p.instances {
                let id = ProcessId(processes.len());
                let label = if p.instances > 1 {
                    format!("{} #{}", p.name, i + 1)
                } else {
                    p.name.clone()
                };
                processes.push(ProcessView {
                    id,
                    program: pi,
                    instance: i,
                    label,
                    state: ProcState::NotStarted,
                    consumers: Vec::new(),
                    producers: Vec::new(),
                });
            }
        }
        Scenario {
            spec,
            cluster,
            processes,
            output: Vec::new(),
            errors: Vec::new(),
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
        &self.processes
    }

    pub fn output(&self) -> &[OutputLine] {
        &self.output
    }

    /// Compile and runtime errors located in the programs, for the editor.
    pub fn errors(&self) -> &[ProgramError] {
        &self.errors
    }

    /// Runs everything (processes and cluster events) up to virtual time `t_ms`.
    pub fn run_until(&mut self, t_ms: u64) {
        self.cluster.run_until(t_ms);
    }

    /// Runs until something visible happens (a trace event or an output line); false if nothing
    /// is scheduled at all.
    pub fn step_event(&mut self) -> bool {
        self.cluster.step().is_some()
    }

    /// Applies a fault now (and records it in the spec so a rewind replays it).
    pub fn inject(&mut self, process: ProcessId, kind: FaultKind) {
        let at_ms = self.now();
        self.spec.faults.push(ScheduledFault {
            at_ms,
            process,
            kind,
        });
    }

    pub fn trace_hash(&self) -> u64 {
        self.cluster.trace_hash()
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
                    .map(|p| p.log_end_offset() - p.log_start_offset())
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
