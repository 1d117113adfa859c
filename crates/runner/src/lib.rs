//! The kafka-python API over the engine, and the scenario runner shared by the app and `kplay`.

pub mod kafka_api;
pub mod lessons;
pub mod report;
pub mod scenario;

pub use lessons::{lesson, lessons, Lesson};
pub use scenario::{
    FaultKind, GroupRow, Join, ManualSend, OutputKind, OutputLine, PartitionGrowth, ProcState,
    ProcessId, ProcessView, ProgramError, ProgramSpec, Scenario, ScenarioSpec, ScheduledFault,
    Summary, TopicSpec,
};
