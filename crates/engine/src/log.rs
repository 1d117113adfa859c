//! Topics and partition logs: append-only segments, offsets, retention by time/size, compaction.

use crate::event::{Name, RetentionReason};

/// `cleanup.policy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum CleanupPolicy {
    /// Delete whole old segments by `retention.ms` / `retention.bytes` (Kafka's default).
    #[default]
    Delete,
    /// Keep the newest record per key outside the active segment.
    Compact,
    /// Both (`cleanup.policy=compact,delete`).
    CompactDelete,
}

impl CleanupPolicy {
    pub fn deletes(self) -> bool {
        matches!(self, CleanupPolicy::Delete | CleanupPolicy::CompactDelete)
    }
    pub fn compacts(self) -> bool {
        matches!(self, CleanupPolicy::Compact | CleanupPolicy::CompactDelete)
    }
}

/// A topic's configuration (the subset the playground models).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicConfig {
    /// `retention.ms`; `None` is `-1` (keep forever). Default 7 days.
    pub retention_ms: Option<u64>,
    /// `retention.bytes` per partition; `None` is `-1` (no limit, the default).
    pub retention_bytes: Option<u64>,
    /// `segment.bytes`: roll the active segment before it would exceed this. Default 1 GiB.
    pub segment_bytes: u64,
    /// Playground extra: roll the active segment after this many records (`None`: no limit).
    pub segment_records: Option<u64>,
    /// `cleanup.policy`.
    pub cleanup_policy: CleanupPolicy,
    /// `delete.retention.ms`: how long tombstones survive after the cleaner first saw them. Default 1 day.
    pub delete_retention_ms: u64,
}

impl TopicConfig {
    /// Kafka's defaults, as a constant (lessons build their topic configs from it statically).
    pub const DEFAULT: TopicConfig = TopicConfig {
        retention_ms: Some(604_800_000),
        retention_bytes: None,
        segment_bytes: 1_073_741_824,
        segment_records: None,
        cleanup_policy: CleanupPolicy::Delete,
        delete_retention_ms: 86_400_000,
    };
}

impl Default for TopicConfig {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// One stored record. Offsets never change; compaction leaves holes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub offset: u64,
    /// CreateTime in ms (the producer's, or the append time when none was given).
    pub timestamp: i64,
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
    pub headers: Vec<(String, Vec<u8>)>,
    /// The producing client's id.
    pub producer: Name,
    /// Serialized size (Kafka's v2 record format without the batch header).
    pub size: u32,
    /// Virtual time of the append.
    pub append_time: u64,
    /// For a tombstone seen by the cleaner: when it may be removed.
    pub delete_horizon: Option<u64>,
}

impl Record {
    /// A keyed record with a null value: compaction's delete marker.
    pub fn is_tombstone(&self) -> bool {
        self.key.is_some() && self.value.is_none()
    }
}

fn varint_len(v: i64) -> u32 {
    let mut z = ((v << 1) ^ (v >> 63)) as u64;
    let mut n = 1;
    while z >= 0x80 {
        z >>= 7;
        n += 1;
    }
    n
}

fn bytes_field_len(b: Option<&[u8]>) -> u32 {
    match b {
        None => varint_len(-1),
        Some(b) => varint_len(b.len() as i64).saturating_add(b.len() as u32),
    }
}

/// The size Kafka's record format v2 gives a record (deltas taken as 0; no batch header).
pub fn record_size(key: Option<&[u8]>, value: Option<&[u8]>, headers: &[(String, Vec<u8>)]) -> u32 {
    let mut body: u32 = 1 + varint_len(0) + varint_len(0);
    body = body
        .saturating_add(bytes_field_len(key))
        .saturating_add(bytes_field_len(value))
        .saturating_add(varint_len(headers.len() as i64));
    for (k, v) in headers {
        body = body
            .saturating_add(bytes_field_len(Some(k.as_bytes())))
            .saturating_add(bytes_field_len(Some(v)));
    }
    body.saturating_add(varint_len(i64::from(body)))
}

/// A segment: a contiguous offset range of the log, stored records in offset order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub base_offset: u64,
    pub records: Vec<Record>,
    /// Sum of the stored records' sizes.
    pub bytes: u64,
    /// Largest record timestamp (retention.ms looks at it); `i64::MIN` when empty.
    pub max_timestamp: i64,
    /// Virtual time the segment was created (rolled).
    pub created_ms: u64,
}

impl Segment {
    fn new(base_offset: u64, now: u64) -> Self {
        Segment {
            base_offset,
            records: Vec::new(),
            bytes: 0,
            max_timestamp: i64::MIN,
            created_ms: now,
        }
    }
}

/// One partition: an append-only log of segments (the last one is the active segment).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionLog {
    topic: Name,
    partition: u32,
    log_start: u64,
    log_end: u64,
    segments: Vec<Segment>,
}

/// What a retention pass deleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetentionOutcome {
    pub segments: u32,
    pub records: u64,
    pub bytes: u64,
    pub reason: RetentionReason,
}

impl PartitionLog {
    pub(crate) fn new(topic: Name, partition: u32, now: u64) -> Self {
        PartitionLog {
            topic,
            partition,
            log_start: 0,
            log_end: 0,
            segments: vec![Segment::new(0, now)],
        }
    }

    pub fn topic(&self) -> &str {
        &self.topic
    }
    pub fn partition(&self) -> u32 {
        self.partition
    }
    /// The first offset still in the log (moves with retention, never with compaction).
    pub fn log_start_offset(&self) -> u64 {
        self.log_start
    }
    /// The offset the next record will get (the high watermark; one replica, so equal).
    pub fn log_end_offset(&self) -> u64 {
        self.log_end
    }
    /// The segments, oldest first; the last is the active segment.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }
    /// Stored records in offset order (holes where compaction removed some).
    pub fn records(&self) -> impl Iterator<Item = &Record> {
        self.segments.iter().flat_map(|s| s.records.iter())
    }
    /// Number of stored records.
    pub fn record_count(&self) -> u64 {
        self.segments.iter().map(|s| s.records.len() as u64).sum()
    }
    /// Bytes stored.
    pub fn size_bytes(&self) -> u64 {
        self.segments.iter().map(|s| s.bytes).sum()
    }
    /// The record at `offset`, if stored.
    pub fn record(&self, offset: u64) -> Option<&Record> {
        self.records_from(offset)
            .next()
            .filter(|r| r.offset == offset)
    }

    /// Stored records with offset >= `from`, in order.
    pub fn records_from(&self, from: u64) -> impl Iterator<Item = &Record> {
        let seg = self
            .segments
            .partition_point(|s| s.base_offset <= from)
            .saturating_sub(1);
        let segs = self.segments.get(seg..).unwrap_or(&[]);
        let first_skip = segs
            .first()
            .map(|s| s.records.partition_point(|r| r.offset < from))
            .unwrap_or(0);
        segs.iter().enumerate().flat_map(move |(i, s)| {
            s.records
                .get(if i == 0 { first_skip } else { 0 }..)
                .unwrap_or(&[])
        })
    }

    /// Appends a record; returns its offset and, when the active segment rolled first, the new base.
    pub(crate) fn append(
        &mut self,
        mut rec: Record,
        cfg: &TopicConfig,
        now: u64,
    ) -> (u64, Option<u64>) {
        let offset = self.log_end;
        rec.offset = offset;
        let mut rolled = None;
        let need_roll = match self.segments.last() {
            Some(active) => {
                !active.records.is_empty()
                    && (active.bytes.saturating_add(u64::from(rec.size)) > cfg.segment_bytes
                        || cfg
                            .segment_records
                            .is_some_and(|n| active.records.len() as u64 >= n))
            }
            None => true,
        };
        if need_roll {
            self.segments.push(Segment::new(offset, now));
            rolled = Some(offset);
        }
        if let Some(active) = self.segments.last_mut() {
            active.bytes = active.bytes.saturating_add(u64::from(rec.size));
            active.max_timestamp = active.max_timestamp.max(rec.timestamp);
            active.records.push(rec);
        }
        self.log_end = offset.saturating_add(1);
        (offset, rolled)
    }

    fn roll_if_all_deleted(&mut self, now: u64) {
        if self.segments.is_empty() {
            self.segments.push(Segment::new(self.log_end, now));
        }
    }

    /// Deletes segments from the front while `expired` says so (it sees each first segment once,
    /// before its deletion), recording what went in `out`.
    fn drop_front(
        &mut self,
        reason: RetentionReason,
        expired: &mut dyn FnMut(&Segment) -> bool,
        out: &mut Vec<RetentionOutcome>,
    ) {
        let mut o = RetentionOutcome {
            segments: 0,
            records: 0,
            bytes: 0,
            reason,
        };
        while let Some(first) = self.segments.first() {
            if !expired(first) {
                break;
            }
            let seg = self.segments.remove(0);
            o.segments += 1;
            o.records += seg.records.len() as u64;
            o.bytes += seg.bytes;
        }
        if o.segments > 0 {
            out.push(o);
        }
    }

    /// Deletes whole segments past `retention.ms` (measured on the broker's wall clock
    /// `wall_ms` against record timestamps) or beyond `retention.bytes`; never the active one.
    /// `now` is virtual time (when a fresh segment is opened).
    pub(crate) fn apply_retention(
        &mut self,
        cfg: &TopicConfig,
        now: u64,
        wall_ms: i64,
    ) -> Vec<RetentionOutcome> {
        let mut out = Vec::new();
        if let Some(ret) = cfg.retention_ms {
            let ret_i = i64::try_from(ret).unwrap_or(i64::MAX);
            let mut expired = |s: &Segment| {
                !s.records.is_empty() && wall_ms.saturating_sub(s.max_timestamp) > ret_i
            };
            self.drop_front(RetentionReason::Time, &mut expired, &mut out);
        }
        if let Some(limit) = cfg.retention_bytes {
            let mut diff = self.size_bytes().saturating_sub(limit);
            let mut beyond = |s: &Segment| {
                if s.records.is_empty() || diff < s.bytes || diff == 0 {
                    return false;
                }
                diff -= s.bytes;
                true
            };
            self.drop_front(RetentionReason::Size, &mut beyond, &mut out);
        }
        if !out.is_empty() {
            self.roll_if_all_deleted(now);
            let first_base = self
                .segments
                .first()
                .map(|s| s.base_offset)
                .unwrap_or(self.log_end);
            self.log_start = self.log_start.max(first_base);
        }
        out
    }

    /// Compacts the segments before the active one; returns (records removed, of which tombstones).
    pub(crate) fn compact(&mut self, cfg: &TopicConfig, now: u64) -> (u64, u64) {
        let n = self.segments.len();
        if n < 2 {
            return (0, 0);
        }
        // Which keyed records a later record with the same key supersedes. The keys go through
        // the `(u64, usize)` sort the bundle already has, as (FNV-1a hash, index) pairs, instead
        // of a `BTreeMap<&[u8], _>` of their own (much more wasm code): equal keys end up in one
        // run of equal hashes, in log order, and walking each run backwards a record is
        // superseded when a key equal to its own was already seen (a hash collision just puts
        // distinct keys in one run).
        let compactable = self.segments.get(..n - 1).unwrap_or(&[]);
        let mut keyed: Vec<&[u8]> = Vec::new();
        for seg in compactable {
            for r in &seg.records {
                if let Some(k) = r.key.as_deref() {
                    keyed.push(k);
                }
            }
        }
        let mut order: Vec<(u64, usize)> = keyed
            .iter()
            .enumerate()
            .map(|(i, k)| (fnv1a(k), i))
            .collect();
        order.sort_unstable();
        let mut superseded_keyed = vec![false; keyed.len()];
        let mut seen: Vec<&[u8]> = Vec::new();
        let mut prev_hash = None;
        for &(hash, i) in order.iter().rev() {
            if prev_hash != Some(hash) {
                seen.clear();
                prev_hash = Some(hash);
            }
            let Some(&k) = keyed.get(i) else {
                continue;
            };
            if seen.contains(&k) {
                if let Some(s) = superseded_keyed.get_mut(i) {
                    *s = true;
                }
            } else {
                seen.push(k);
            }
        }
        drop(order);
        drop(seen);
        // Decide per record (in log order) without holding borrows while mutating: a keyed
        // record goes when a newer one has its key, a tombstone when its delete horizon passed.
        let mut keep: Vec<bool> = Vec::new();
        let mut removed = 0u64;
        let mut tombstones = 0u64;
        // One flag per keyed record, in log order.
        let mut flags = superseded_keyed.into_iter();
        for seg in compactable {
            for r in &seg.records {
                let superseded = r.key.is_some() && flags.next().unwrap_or(false);
                let expired = r.is_tombstone() && r.delete_horizon.is_some_and(|h| now >= h);
                let keep_it = !superseded && !expired;
                if !keep_it {
                    removed += 1;
                    if r.value.is_none() && !superseded {
                        tombstones += 1;
                    }
                }
                keep.push(keep_it);
            }
        }
        drop(flags);
        drop(keyed);
        let horizon = now.saturating_add(cfg.delete_retention_ms);
        let mut it = keep.into_iter();
        for seg in self.segments[..n - 1].iter_mut() {
            // `retain` visits the records once each, in order: the decisions line up.
            seg.records.retain(|_| it.next().unwrap_or(true));
            for r in seg.records.iter_mut() {
                if r.is_tombstone() && r.delete_horizon.is_none() {
                    r.delete_horizon = Some(horizon);
                }
            }
            seg.bytes = seg.records.iter().map(|r| u64::from(r.size)).sum();
        }
        // Drop emptied segments before the active one (their offsets stay unused: holes).
        let active = self.segments.pop();
        self.segments.retain(|s| !s.records.is_empty());
        if let Some(a) = active {
            self.segments.push(a);
        }
        (removed, tombstones)
    }
}

/// The 64-bit FNV-1a hash of `bytes` (compaction groups keys by it).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A topic: its name, configuration and partitions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Topic {
    pub(crate) name: Name,
    pub(crate) config: TopicConfig,
    pub(crate) partitions: Vec<PartitionLog>,
    pub(crate) created_ms: u64,
}

impl Topic {
    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn config(&self) -> &TopicConfig {
        &self.config
    }
    pub fn partitions(&self) -> &[PartitionLog] {
        &self.partitions
    }
    pub fn partition(&self, p: u32) -> Option<&PartitionLog> {
        self.partitions.get(p as usize)
    }
    pub fn partition_count(&self) -> u32 {
        self.partitions.len() as u32
    }
    pub fn created_ms(&self) -> u64 {
        self.created_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(key: Option<&str>, value: Option<&str>, ts: i64) -> Record {
        let key = key.map(|k| k.as_bytes().to_vec());
        let value = value.map(|v| v.as_bytes().to_vec());
        let size = record_size(key.as_deref(), value.as_deref(), &[]);
        Record {
            offset: 0,
            timestamp: ts,
            key,
            value,
            headers: vec![],
            producer: "p".into(),
            size,
            append_time: 0,
            delete_horizon: None,
        }
    }

    #[test]
    fn record_size_matches_kafka_v2_for_small_records() {
        // attributes 1 + ts delta 1 + offset delta 1 + key (1+1) + value (1+1) + headers 1 = 8, + length 1.
        assert_eq!(record_size(Some(b"k"), Some(b"v"), &[]), 9);
        assert_eq!(record_size(None, None, &[]), 7);
    }

    #[test]
    fn segments_roll_by_record_count_and_retention_by_size_moves_start() {
        let cfg = TopicConfig {
            segment_records: Some(3),
            retention_ms: None,
            retention_bytes: Some(30),
            ..TopicConfig::default()
        };
        let mut log = PartitionLog::new("t".into(), 0, 0);
        for i in 0..10 {
            log.append(rec(Some("k"), Some("v"), i), &cfg, 0);
        }
        assert_eq!(log.segments().len(), 4);
        assert_eq!(log.log_end_offset(), 10);
        let out = log.apply_retention(&cfg, 0, 0);
        assert_eq!(out.len(), 1);
        // 10 records x 9 bytes = 90 > 30: delete while the rest stays >= 30.
        assert_eq!(log.log_start_offset(), 6);
        assert!(log.size_bytes() >= 30);
        let offs: Vec<u64> = log.records().map(|r| r.offset).collect();
        assert_eq!(offs, vec![6, 7, 8, 9]);
    }

    #[test]
    fn retention_by_time_can_empty_the_log_and_keeps_log_end() {
        let cfg = TopicConfig {
            retention_ms: Some(100),
            ..TopicConfig::default()
        };
        let mut log = PartitionLog::new("t".into(), 0, 0);
        for i in 0..5 {
            log.append(rec(None, Some("v"), i), &cfg, 0);
        }
        assert!(log.apply_retention(&cfg, 100, 100).is_empty());
        let out = log.apply_retention(&cfg, 1000, 1000);
        assert_eq!(out[0].records, 5);
        assert_eq!(log.log_start_offset(), 5);
        assert_eq!(log.log_end_offset(), 5);
        assert_eq!(log.append(rec(None, Some("v"), 1000), &cfg, 1000).0, 5);
    }

    #[test]
    fn compaction_keeps_latest_per_key_outside_active_and_tombstones_expire() {
        let cfg = TopicConfig {
            segment_records: Some(2),
            cleanup_policy: CleanupPolicy::Compact,
            delete_retention_ms: 50,
            ..TopicConfig::default()
        };
        let mut log = PartitionLog::new("t".into(), 0, 0);
        let data = [
            ("a", Some("1")),
            ("b", Some("1")),
            ("a", Some("2")),
            ("b", None),
            ("c", Some("1")),
            ("a", Some("3")),
        ];
        for (k, v) in data {
            log.append(rec(Some(k), v, 0), &cfg, 0);
        }
        // Segments [0,1] [2,3] [4,5*active*].
        let (removed, tomb) = log.compact(&cfg, 10);
        assert_eq!((removed, tomb), (2, 0));
        let offs: Vec<u64> = log.records().map(|r| r.offset).collect();
        assert_eq!(offs, vec![2, 3, 4, 5]);
        assert_eq!(log.log_start_offset(), 0);
        assert_eq!(log.record(3).and_then(|r| r.delete_horizon), Some(60));
        assert_eq!(log.compact(&cfg, 59), (0, 0));
        assert_eq!(log.compact(&cfg, 60), (1, 1));
        let offs: Vec<u64> = log.records().map(|r| r.offset).collect();
        assert_eq!(offs, vec![2, 4, 5]);
        assert_eq!(log.records_from(3).next().map(|r| r.offset), Some(4));
        assert!(log.record(3).is_none());
    }
}
