//! The stage's picture as plain data, read from the engine after each change (no Kafka logic:
//! what a lane shows is what the cluster holds).

use std::rc::Rc;

use kafka_engine::log::Record;
use kafka_engine::{GroupState, MemberStatus, OwnedPartition, Strategy};
use kplay_runner::{ProcState, ProcessId};

use crate::sim::{DepartReason, Sim, QUICK_SEND_CLIENT};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellView {
    pub offset: u64,
    pub key: Option<String>,
    pub value: String,
    pub timestamp: i64,
    pub headers: Vec<(String, String)>,
    pub producer: String,
    pub tombstone: bool,
    /// Index of the producer row it flies from.
    pub from_row: usize,
    /// Appended since the previous picture: it flies in.
    pub fresh: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LaneView {
    pub partition: u32,
    pub log_start: u64,
    pub log_end: u64,
    /// Records stored (fewer than `log_end - log_start` once compaction has removed some).
    pub stored: u64,
    /// Offset of the first cell slot drawn.
    pub first_shown: u64,
    /// Records from this offset on arrived while the page watched: they fly in.
    pub fresh_from: u64,
    /// Shared with the previous picture while unchanged (compared by pointer first).
    pub cells: Vec<Rc<CellView>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TopicView {
    pub name: String,
    pub lanes: Vec<LaneView>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ProducerView {
    pub label: String,
    pub clients: Vec<String>,
    pub state: Option<ProcState>,
    pub process: Option<ProcessId>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MemberView {
    pub member_id: String,
    pub label: String,
    pub status: MemberStatus,
    pub assignment: Vec<(String, u32)>,
    /// What its client really holds now (eager rebalances revoke everything at the join;
    /// cooperative ones keep what doesn't move).
    pub owned: Vec<(String, u32)>,
    /// For each `owned` partition: the client's fetch position, and the virtual time it last
    /// moved (records flowed to this member).
    pub fetch: Vec<(Option<u64>, Option<u64>)>,
    /// Owned partitions its client has `pause()`d (not fetched, still owned).
    pub paused: Vec<(String, u32)>,
    pub process: Option<ProcessId>,
    pub leader: bool,
    pub lag: u64,
    /// Has sent its JoinGroup for the rebalance in progress.
    pub joined: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GroupPartView {
    pub topic: String,
    pub partition: u32,
    pub committed: Option<u64>,
    pub lag: Option<u64>,
    pub owner: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DepartedView {
    pub label: String,
    pub reason: DepartReason,
    pub time_ms: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GroupView {
    pub id: String,
    pub state: GroupState,
    pub generation: i32,
    pub protocol: Option<Strategy>,
    pub members: Vec<MemberView>,
    pub parts: Vec<GroupPartView>,
    pub departed: Vec<DepartedView>,
    /// Total lag.
    pub lag: u64,
}

impl GroupView {
    pub fn rebalancing(&self) -> bool {
        matches!(
            self.state,
            GroupState::PreparingRebalance | GroupState::CompletingRebalance
        )
    }
}

/// Everything the stage draws.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct StageView {
    pub now_ms: u64,
    /// Slow enough to follow (5x or less): records fly in and flowing arrows run.
    pub animate: bool,
    pub topics: Vec<TopicView>,
    pub producers: Vec<ProducerView>,
    pub groups: Vec<GroupView>,
}

/// A shared picture compared by pointer (a new picture is built only when something changed).
#[derive(Clone, Debug, Default)]
pub struct ViewRc(pub Rc<StageView>);

impl PartialEq for ViewRc {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

fn text(b: Option<&[u8]>) -> Option<String> {
    b.map(|b| String::from_utf8_lossy(b).into_owned())
}

/// Whether `c` is what `build` would draw for record `r` (a re-run can put another record at the
/// same offset).
fn shows(c: &CellView, r: &Record) -> bool {
    let key_same = match (&c.key, &r.key) {
        (Some(a), Some(b)) => a.as_bytes() == &b[..],
        (None, None) => true,
        _ => false,
    };
    let value_same = c.tombstone == r.is_tombstone()
        && match &r.value {
            Some(v) => c.value.as_bytes() == &v[..],
            None => c.value == "null",
        };
    key_same
        && value_same
        && c.timestamp == r.timestamp
        && *c.producer == *r.producer
        && c.headers.len() == r.headers.len()
        && c.headers
            .iter()
            .zip(&r.headers)
            .all(|((ck, cv), (rk, rv))| ck == rk && cv.as_bytes() == &rv[..])
}

fn process_label(sim: &Sim, consumer: u32) -> Option<(String, ProcessId)> {
    sim.scenario()
        .processes()
        .iter()
        .find(|p| p.consumers.iter().any(|c| c.0 == consumer))
        .map(|p| (p.label.clone(), p.id))
}

/// Reads the picture from the simulation. `prev` (the picture on screen) tells which records
/// arrived while the page watched (they fly in, when `animate`).
/// `cells` records are drawn per lane; older ones collapse into a marker.
pub fn build(sim: &Sim, prev: &StageView, animate: bool, cells: u64) -> StageView {
    let cluster = sim.cluster();
    let scenario = sim.scenario();

    // Producers: every process of a program that creates a producer, then the quick-send form.
    let mut producers: Vec<ProducerView> = Vec::new();
    for p in scenario.processes() {
        let program = scenario.spec().programs.get(p.program);
        let is_producer = !p.producers.is_empty()
            || program.is_some_and(|pr| pr.source.contains("KafkaProducer"));
        if is_producer {
            producers.push(ProducerView {
                label: p.label.clone(),
                clients: p.producers.clone(),
                state: Some(p.state.clone()),
                process: Some(p.id),
            });
        }
    }
    producers.push(ProducerView {
        label: QUICK_SEND_CLIENT.to_string(),
        clients: vec![QUICK_SEND_CLIENT.to_string()],
        state: None,
        process: None,
    });
    let row_of = |client: &str| {
        producers
            .iter()
            .position(|p| p.clients.iter().any(|c| c == client))
            .unwrap_or(0)
    };

    let mut topics: Vec<TopicView> = Vec::new();
    for t in cluster.topics() {
        if t.name().starts_with("__") {
            continue;
        }
        let prev_topic = prev.topics.iter().find(|pt| pt.name == t.name());
        let mut lanes: Vec<LaneView> = Vec::new();
        for p in t.partitions() {
            let log_start = p.log_start_offset();
            let log_end = p.log_end_offset();
            let first_shown = log_start.max(log_end.saturating_sub(cells));
            let prev_lane = prev_topic.and_then(|pt| pt.lanes.get(p.partition() as usize));
            let fresh_from = if !animate {
                u64::MAX
            } else {
                match prev_lane {
                    Some(l) => l.fresh_from,
                    None => log_end,
                }
            };
            let prev_cells: &[Rc<CellView>] = match prev_lane {
                Some(l) => &l.cells,
                None => &[],
            };
            let mut shown: Vec<Rc<CellView>> = Vec::new();
            for r in p.records_from(first_shown) {
                let from_row = row_of(&r.producer);
                let fresh = r.offset >= fresh_from;
                // A cell already drawn for this very record is kept as it is.
                if let Ok(i) = prev_cells.binary_search_by_key(&r.offset, |c| c.offset) {
                    let c = &prev_cells[i];
                    if c.from_row == from_row && c.fresh == fresh && shows(c, r) {
                        shown.push(c.clone());
                        continue;
                    }
                }
                let mut headers = Vec::new();
                for (k, v) in &r.headers {
                    headers.push((k.clone(), String::from_utf8_lossy(v).into_owned()));
                }
                shown.push(Rc::new(CellView {
                    offset: r.offset,
                    key: text(r.key.as_deref()),
                    value: text(r.value.as_deref()).unwrap_or_else(|| "null".into()),
                    timestamp: r.timestamp,
                    headers,
                    producer: r.producer.to_string(),
                    tombstone: r.is_tombstone(),
                    from_row,
                    fresh,
                }));
            }
            lanes.push(LaneView {
                partition: p.partition(),
                log_start,
                log_end,
                stored: p.record_count(),
                first_shown,
                fresh_from: if animate { fresh_from } else { log_end },
                cells: shown,
            });
        }
        topics.push(TopicView {
            name: t.name().to_string(),
            lanes,
        });
    }

    let now_ms = cluster.now();
    let mut groups: Vec<GroupView> = Vec::new();
    for g in cluster.groups() {
        let lags = cluster.group_lag(g.id());
        let prev_group = prev.groups.iter().find(|pg| pg.id == g.id());
        let mut members: Vec<MemberView> = Vec::new();
        for m in g.members() {
            let owned: &[OwnedPartition] = match cluster.consumer(m.consumer) {
                Some(c) if c.member_id() == Some(&*m.member_id) => c.owned(),
                _ => &[],
            };
            let prev_member =
                prev_group.and_then(|pg| pg.members.iter().find(|pm| pm.member_id == *m.member_id));
            let (label, process) = match process_label(sim, m.consumer.0) {
                Some((l, p)) => (l, Some(p)),
                None => (m.client_id.to_string(), None),
            };
            let mut assignment = Vec::new();
            for tp in &m.assignment {
                assignment.push((tp.topic.clone(), tp.partition));
            }
            let mut owned_v = Vec::new();
            let mut paused = Vec::new();
            let mut fetch = Vec::new();
            for o in owned {
                let tp = (o.tp.topic.clone(), o.tp.partition);
                if o.paused {
                    paused.push(tp.clone());
                }
                owned_v.push(tp);
                let before = prev_member.and_then(|pm| {
                    pm.owned
                        .iter()
                        .position(|(t, p)| *t == o.tp.topic && *p == o.tp.partition)
                        .and_then(|i| pm.fetch.get(i))
                });
                let moved_at = match before {
                    Some((Some(was), last)) => {
                        if o.position.is_some_and(|now| now > *was) {
                            Some(now_ms)
                        } else {
                            *last
                        }
                    }
                    Some((None, last)) => *last,
                    None => None,
                };
                fetch.push((o.position, moved_at));
            }
            let mut lag = 0;
            for l in &lags {
                if l.owner.as_deref() == Some(&*m.member_id) {
                    lag += l.lag.unwrap_or(0);
                }
            }
            members.push(MemberView {
                member_id: m.member_id.to_string(),
                label,
                status: cluster
                    .member_status(g.id(), &m.member_id)
                    .unwrap_or(MemberStatus::Alive),
                assignment,
                owned: owned_v,
                paused,
                fetch,
                process,
                leader: g.leader() == Some(&*m.member_id),
                joined: m.joined,
                lag,
            });
        }
        let mut total_lag = 0;
        let mut parts = Vec::new();
        for l in lags {
            total_lag += l.lag.unwrap_or(0);
            parts.push(GroupPartView {
                topic: l.tp.topic.clone(),
                partition: l.tp.partition,
                committed: l.committed,
                lag: l.lag,
                owner: l.owner.map(|o| o.to_string()),
            });
        }
        let mut departed = Vec::new();
        for d in sim.departed().iter().rev() {
            if departed.len() == 2 {
                break;
            }
            if d.group != g.id() || members.iter().any(|m| m.member_id == d.member_id) {
                continue;
            }
            departed.push(DepartedView {
                label: match process_label(sim, d.consumer) {
                    Some((l, _)) => l,
                    None => short_member(&d.member_id),
                },
                reason: d.reason,
                time_ms: d.time_ms,
            });
        }
        groups.push(GroupView {
            id: g.id().to_string(),
            state: g.state(),
            generation: g.generation(),
            protocol: g.protocol(),
            lag: total_lag,
            members,
            parts,
            departed,
        });
    }

    StageView {
        now_ms: cluster.now(),
        animate,
        topics,
        producers,
        groups,
    }
}

/// A member id shortened for display (`kafka-python-3.0.12-1a2b…`).
pub fn short_member(id: &str) -> String {
    let mut s: String = id.chars().take(22).collect();
    if id.chars().count() > 22 {
        s.push('…');
    }
    s
}
