//! Running files as one scenario from command-line style options, and reporting the result as
//! text or JSON (`kplay run`, the snippet suite); Markdown python blocks and the one-snippet
//! check behind `kplay check`.

use std::collections::BTreeMap;

use kafka_engine::event::Event;

use crate::scenario::{
    FaultKind, ManualSend, OutputKind, ProcState, ProcessId, ProgramSpec, Scenario, ScenarioSpec,
    ScheduledFault,
};

/// Default virtual duration of a run.
pub const DEFAULT_RUN_MS: u64 = 30_000;

/// A file to run: its name (shown in outputs and tracebacks) and source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunFile {
    pub name: String,
    pub source: String,
}

/// A fault from the command line: which processes (all instances of a file, or one), when, what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultOption {
    pub file: String,
    /// 1-based instance; `None`: every instance of the file.
    pub instance: Option<u32>,
    pub at_ms: u64,
    pub kind: FaultKind,
}

/// The options of a run (`kplay run` and the snippet headers share them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunOptions {
    pub instances: BTreeMap<String, u32>,
    pub start_ms: BTreeMap<String, u64>,
    /// Setup lines per file (run before it, as a lesson's greyed-out lines).
    pub setup: BTreeMap<String, String>,
    pub partitions: u32,
    pub seed: u64,
    pub for_ms: u64,
    pub json: bool,
    pub faults: Vec<FaultOption>,
    /// Records sent by hand: (time, topic, key, value).
    pub sends: Vec<ManualSend>,
    /// Virtual duration of `playground.process()`.
    pub process_ms: u64,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            instances: BTreeMap::new(),
            start_ms: BTreeMap::new(),
            setup: BTreeMap::new(),
            partitions: 3,
            seed: 42,
            for_ms: DEFAULT_RUN_MS,
            json: false,
            faults: Vec::new(),
            sends: Vec::new(),
            process_ms: ScenarioSpec::default().process_ms,
        }
    }
}

/// A virtual duration: `5s`, `500ms`, `2m`, `1.5s` or plain milliseconds.
pub fn parse_duration(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let (num, unit) = if let Some(n) = t.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1000.0)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 60_000.0)
    } else if let Some(n) = t.strip_suffix('h') {
        (n, 3_600_000.0)
    } else {
        (t, 1.0)
    };
    let bad = || format!("'{text}' is not a duration (examples: 5s, 500ms, 2m, 1500)");
    if num.is_empty() || !num.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(bad());
    }
    let v: f64 = pysnip::parse_float(num).ok_or_else(bad)?;
    let ms = v * unit;
    if !ms.is_finite() || !(0.0..=1e13).contains(&ms) {
        return Err(format!("'{text}' is out of range"));
    }
    Ok(ms.round() as u64)
}

/// `FILE=VALUE`.
fn split_eq<'a>(opt: &str, text: &'a str) -> Result<(&'a str, &'a str), String> {
    text.split_once('=')
        .filter(|(f, v)| !f.is_empty() && !v.is_empty())
        .ok_or_else(|| format!("{opt} takes FILE=VALUE, got '{text}'"))
}

/// `FILE` or `FILE#N`.
fn split_instance(opt: &str, text: &str) -> Result<(String, Option<u32>), String> {
    match text.rsplit_once('#') {
        Some((f, n)) => match n.trim().parse::<u32>() {
            Ok(n) if n >= 1 => Ok((f.trim().to_string(), Some(n))),
            _ => Err(format!(
                "{opt}: '{text}' has a bad instance number (1, 2, ...)"
            )),
        },
        None => Ok((text.trim().to_string(), None)),
    }
}

impl RunOptions {
    /// Applies one option that takes a value (`--instances consumer.py=3`...). `read` loads a
    /// setup file. Returns an error message for a bad value or an unknown option.
    pub fn apply(
        &mut self,
        name: &str,
        value: &str,
        read: &mut dyn FnMut(&str) -> Result<String, String>,
    ) -> Result<(), String> {
        match name {
            "--instances" => {
                let (f, n) = split_eq(name, value)?;
                let n: u32 = n
                    .parse()
                    .ok()
                    .filter(|n| (1..=64).contains(n))
                    .ok_or_else(|| format!("{name}: '{n}' is not a count from 1 to 64"))?;
                self.instances.insert(f.to_string(), n);
            }
            "--start" => {
                let (f, d) = split_eq(name, value)?;
                self.start_ms.insert(
                    f.to_string(),
                    parse_duration(d).map_err(|e| format!("{name}: {e}"))?,
                );
            }
            "--setup" => {
                let (f, path) = split_eq(name, value)?;
                let text = read(path).map_err(|e| format!("{name}: {e}"))?;
                self.setup.insert(f.to_string(), text);
            }
            "--setup-line" => {
                let (f, line) = split_eq(name, value)?;
                let entry = self.setup.entry(f.to_string()).or_default();
                entry.push_str(line);
                entry.push('\n');
            }
            "--partitions" => {
                self.partitions = value
                    .parse()
                    .ok()
                    .filter(|n| (1..=1000).contains(n))
                    .ok_or_else(|| format!("{name}: '{value}' is not a count from 1 to 1000"))?;
            }
            "--seed" => {
                self.seed = value
                    .parse()
                    .map_err(|_| format!("{name}: '{value}' is not a non-negative integer"))?;
            }
            "--for" => {
                self.for_ms = parse_duration(value).map_err(|e| format!("{name}: {e}"))?;
                if self.for_ms > 24 * 3_600_000 {
                    return Err(format!("{name}: at most 24h of virtual time"));
                }
            }
            "--process-ms" => {
                self.process_ms = parse_duration(value).map_err(|e| format!("{name}: {e}"))?;
            }
            "--crash" | "--restart" | "--leave" => {
                let (target, at) = split_eq(name, value)?;
                let (file, instance) = split_instance(name, target)?;
                let at_ms = parse_duration(at).map_err(|e| format!("{name}: {e}"))?;
                let kind = match name {
                    "--crash" => FaultKind::Crash,
                    "--restart" => FaultKind::Restart,
                    _ => FaultKind::Leave,
                };
                self.faults.push(FaultOption {
                    file,
                    instance,
                    at_ms,
                    kind,
                });
            }
            "--stall" => {
                // consumer.py=10s+40s: at 10 s, for 40 s.
                let (target, when) = split_eq(name, value)?;
                let (file, instance) = split_instance(name, target)?;
                let (at, dur) = when.split_once('+').ok_or_else(|| {
                    format!("{name} takes FILE=AT+DURATION, e.g. consumer.py=10s+40s")
                })?;
                let at_ms = parse_duration(at).map_err(|e| format!("{name}: {e}"))?;
                let ms = parse_duration(dur).map_err(|e| format!("{name}: {e}"))?;
                self.faults.push(FaultOption {
                    file,
                    instance,
                    at_ms,
                    kind: FaultKind::Stall(ms),
                });
            }
            "--send" => {
                // 5s:transactions:key=value, or 5s:transactions:value (no key).
                let mut parts = value.splitn(3, ':');
                let (Some(at), Some(topic), Some(rec)) = (parts.next(), parts.next(), parts.next())
                else {
                    return Err(format!(
                        "{name} takes AT:TOPIC:KEY=VALUE or AT:TOPIC:VALUE, got '{value}'"
                    ));
                };
                let at_ms = parse_duration(at).map_err(|e| format!("{name}: {e}"))?;
                let (key, value) = match rec.split_once('=') {
                    Some((k, v)) if !k.starts_with('{') => (Some(k.to_string()), v.to_string()),
                    _ => (None, rec.to_string()),
                };
                self.sends.push(ManualSend {
                    at_ms,
                    topic: topic.to_string(),
                    key,
                    value,
                });
            }
            other => return Err(format!("unknown option '{other}'")),
        }
        Ok(())
    }

    /// Options that take no value.
    pub fn apply_flag(&mut self, name: &str) -> Result<(), String> {
        match name {
            "--json" => {
                self.json = true;
                Ok(())
            }
            other => Err(format!("unknown option '{other}'")),
        }
    }

    /// Whether `name` takes a value.
    pub fn takes_value(name: &str) -> bool {
        matches!(
            name,
            "--instances"
                | "--start"
                | "--setup"
                | "--setup-line"
                | "--partitions"
                | "--seed"
                | "--for"
                | "--process-ms"
                | "--crash"
                | "--restart"
                | "--leave"
                | "--stall"
                | "--send"
        )
    }

    /// Parses whitespace-separated options (`--for 40s --instances consumer.py=2`), as written
    /// in a snippet's `# kplay:` header line. No setup files.
    pub fn parse_words(&mut self, words: &[&str]) -> Result<(), String> {
        let mut i = 0;
        while let Some(w) = words.get(i) {
            let (name, inline) = match w.split_once('=') {
                Some((n, v)) if n.starts_with("--") => (n, Some(v)),
                _ => (*w, None),
            };
            if Self::takes_value(name) {
                let value = match inline {
                    Some(v) => v,
                    None => {
                        i += 1;
                        words
                            .get(i)
                            .copied()
                            .ok_or_else(|| format!("option {name} needs a value"))?
                    }
                };
                self.apply(name, value, &mut |p| {
                    Err(format!("cannot read setup file {p} here"))
                })?;
            } else {
                self.apply_flag(name)?;
            }
            i += 1;
        }
        Ok(())
    }

    /// The scenario spec running `files` with these options. Errors name options that refer to
    /// files not given.
    pub fn spec(&self, files: &[RunFile]) -> Result<ScenarioSpec, String> {
        let known = |f: &str| files.iter().any(|x| x.name == f);
        for f in self
            .instances
            .keys()
            .chain(self.start_ms.keys())
            .chain(self.setup.keys())
            .chain(self.faults.iter().map(|x| &x.file))
        {
            if !known(f) {
                return Err(format!("'{f}' is not one of the files to run"));
            }
        }
        let programs: Vec<ProgramSpec> = files
            .iter()
            .map(|f| ProgramSpec {
                name: f.name.clone(),
                setup: self.setup.get(&f.name).cloned().unwrap_or_default(),
                source: f.source.clone(),
                instances: self.instances.get(&f.name).copied().unwrap_or(1),
                start_ms: self.start_ms.get(&f.name).copied().unwrap_or(0),
            })
            .collect();
        let mut faults = Vec::new();
        for fo in &self.faults {
            let mut first = 0usize;
            for p in &programs {
                if p.name == fo.file {
                    let n = p.instances;
                    if let Some(i) = fo.instance {
                        if i > n {
                            return Err(format!("{} has {n} instance(s), not #{i}", fo.file));
                        }
                    }
                    for i in 1..=n {
                        if fo.instance.is_none_or(|x| x == i) {
                            faults.push(ScheduledFault {
                                at_ms: fo.at_ms,
                                process: ProcessId(first + (i - 1) as usize),
                                kind: fo.kind,
                            });
                        }
                    }
                    break;
                }
                first += p.instances as usize;
            }
        }
        Ok(ScenarioSpec {
            seed: self.seed,
            default_partitions: self.partitions,
            programs,
            faults,
            manual_sends: self.sends.clone(),
            process_ms: self.process_ms,
            ..ScenarioSpec::default()
        })
    }
}

/// Runs `files` with `opts` for `opts.for_ms` of virtual time.
pub fn run_files(files: &[RunFile], opts: &RunOptions) -> Result<Scenario, String> {
    let spec = opts.spec(files)?;
    let mut s = Scenario::new(spec);
    s.run_until(opts.for_ms);
    Ok(s)
}

/// Splits a snippet file into its programs and its options: `# kplay: OPTIONS` lines give
/// options; `# === NAME.py ===` lines start a new program; without them the whole file is one
/// program called `default_name`.
pub fn split_snippet(default_name: &str, text: &str) -> Result<(Vec<RunFile>, RunOptions), String> {
    let mut opts = RunOptions::default();
    let mut files: Vec<RunFile> = Vec::new();
    let mut current = RunFile {
        name: default_name.to_string(),
        source: String::new(),
    };
    let mut started = false;
    for line in text.lines() {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("# kplay:") {
            let words: Vec<&str> = rest.split_whitespace().collect();
            opts.parse_words(&words)?;
            current.source.push('\n');
            continue;
        }
        if let Some(name) = t
            .strip_prefix("# ===")
            .and_then(|r| r.strip_suffix("==="))
            .map(str::trim)
        {
            if started || !current.source.trim().is_empty() {
                files.push(current);
            }
            current = RunFile {
                name: name.to_string(),
                source: String::new(),
            };
            started = true;
            continue;
        }
        current.source.push_str(line);
        current.source.push('\n');
    }
    files.push(current);
    Ok((files, opts))
}

/// Seconds with milliseconds: `12.500s`.
pub fn fmt_time(ms: u64) -> String {
    format!("{}.{:03}s", ms / 1000, ms % 1000)
}

fn label(s: &Scenario, p: ProcessId) -> String {
    s.processes()
        .get(p.0)
        .map(|v| v.label.clone())
        .unwrap_or_else(|| format!("process {}", p.0))
}

/// Member id -> the label of the process whose consumer holds it now.
fn member_labels(s: &Scenario) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for v in s.processes() {
        for c in &v.consumers {
            if let Some(m) = s.cluster().consumer(*c).and_then(|c| c.member_id()) {
                out.insert(m.to_string(), v.label.clone());
            }
        }
    }
    out
}

/// The outputs, one line each, prefixed by the process label: `label | text` for stdout and
/// tracebacks (`label ! text`), `label * text` for the playground's own notes (with the time).
pub fn render_output(s: &Scenario) -> String {
    let mut out = String::new();
    for l in s.output() {
        let name = label(s, l.process);
        match l.kind {
            OutputKind::Stdout => out.push_str(&format!("{name} | {}\n", l.text)),
            OutputKind::Error => {
                for line in l.text.lines() {
                    out.push_str(&format!("{name} ! {line}\n"));
                }
            }
            OutputKind::Info => {
                out.push_str(&format!("{name} * [{}] {}\n", fmt_time(l.time_ms), l.text))
            }
        }
    }
    out
}

/// Records each group's consumers fetched (from the trace's `Fetched` events).
fn fetched_per_group(s: &Scenario) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for e in s.cluster().trace() {
        if let Event::Fetched {
            consumer, count, ..
        } = &e.event
        {
            if let Some(g) = s.cluster().consumer(*consumer).and_then(|c| c.group_id()) {
                *out.entry(g.to_string()).or_insert(0) += u64::from(*count);
            }
        }
    }
    out
}

/// Group -> owner label -> partitions, for the current generation.
fn assignments(s: &Scenario) -> BTreeMap<String, Vec<(String, Vec<String>)>> {
    let labels = member_labels(s);
    let mut out = BTreeMap::new();
    for (group, rows) in s.summary().groups {
        let mut by_owner: Vec<(String, Vec<String>)> = Vec::new();
        for r in rows {
            let Some(owner) = r.owner else { continue };
            let name = labels.get(&owner).cloned().unwrap_or(owner);
            match by_owner.iter_mut().find(|(o, _)| *o == name) {
                Some((_, v)) => v.push(r.tp.to_string()),
                None => by_owner.push((name, vec![r.tp.to_string()])),
            }
        }
        by_owner.sort();
        out.insert(group, by_owner);
    }
    out
}

/// Notes for the summary: groups that consumed nothing, processes still waiting.
pub fn notes(s: &Scenario) -> Vec<String> {
    let mut notes = Vec::new();
    let fetched = fetched_per_group(s);
    let summary = s.summary();
    for (group, rows) in &summary.groups {
        if fetched.get(group).copied().unwrap_or(0) > 0 {
            continue;
        }
        let records: u64 = rows.iter().map(|r| r.log_end).sum();
        let latest = s.cluster().consumers().iter().any(|c| {
            c.group_id() == Some(group.as_str())
                && c.config().auto_offset_reset == kafka_engine::consumer::OffsetReset::Latest
        });
        let why = if records == 0 {
            "nothing was sent to its topics".to_string()
        } else if latest {
            "with auto_offset_reset='latest' (the default) a new group starts at the log end once it gets its partitions (about 3 s after joining), so records sent before were never read".to_string()
        } else {
            "its consumers never fetched a record".to_string()
        };
        notes.push(format!("group {group} consumed nothing: {why}"));
    }
    for v in s.processes() {
        if let ProcState::Blocked(what) = &v.state {
            notes.push(format!("{} was still waiting at the end ({what})", v.label));
        }
    }
    notes
}

/// The summary: records per partition, then per group the committed offsets, lag, owners and
/// assignment, then notes.
pub fn render_summary(s: &Scenario) -> String {
    let mut out = format!("== summary at {} (virtual time) ==\n", fmt_time(s.now()));
    let summary = s.summary();
    for (topic, counts) in &summary.partitions {
        let total: u64 = counts.iter().sum();
        let list: Vec<String> = counts.iter().map(u64::to_string).collect();
        out.push_str(&format!(
            "topic {topic}: {} partition(s), {total} record(s) [{}]\n",
            counts.len(),
            list.join(", ")
        ));
    }
    let labels = member_labels(s);
    let assigned = assignments(s);
    for (group, rows) in &summary.groups {
        let (generation, protocol, state) = match s.cluster().group(group) {
            Some(g) => (
                g.generation(),
                g.protocol()
                    .map(|p| format!("{p:?}"))
                    .unwrap_or_else(|| "-".into()),
                format!("{:?}", g.state()),
            ),
            None => (0, "-".into(), "-".into()),
        };
        out.push_str(&format!(
            "group {group}: {state}, generation {generation}, protocol {protocol}\n"
        ));
        for r in rows {
            let opt = |v: Option<u64>| v.map(|x| x.to_string()).unwrap_or_else(|| "-".into());
            let owner = r
                .owner
                .as_ref()
                .map(|o| labels.get(o).cloned().unwrap_or_else(|| o.clone()))
                .unwrap_or_else(|| "-".into());
            out.push_str(&format!(
                "  {:<20} committed {:>5}  lag {:>5}  log end {:>5}  owner {owner}\n",
                r.tp.to_string(),
                opt(r.committed),
                opt(r.lag),
                r.log_end
            ));
        }
        for (owner, tps) in assigned.get(group).map(Vec::as_slice).unwrap_or(&[]) {
            out.push_str(&format!("  assignment {owner}: {}\n", tps.join(", ")));
        }
    }
    for n in notes(s) {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}

/// Outputs then summary.
pub fn render_text(s: &Scenario) -> String {
    let mut out = render_output(s);
    out.push_str(&render_summary(s));
    out
}

/// `s` as a JSON string literal, with quotes and the escapes RFC 8259 requires (pysnip's
/// `json.dumps` encoder with `ensure_ascii=False`).
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    pysnip::modules::json::encode_str(s, false, &mut out);
    out
}

fn json_opt(v: Option<u64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_else(|| "null".into())
}

/// One JSON document: `output` (process -> stdout lines), `info` (process -> playground notes),
/// `errors` (process, line, message, traceback), `partitions` (topic -> record counts),
/// `groups` (group -> committed, lag, assignment), `notes`, `time_ms` and `trace_hash` (hex).
pub fn render_json(s: &Scenario) -> String {
    let mut output: Vec<(String, Vec<String>)> = s
        .processes()
        .iter()
        .map(|v| (v.label.clone(), Vec::new()))
        .collect();
    let mut info = output.clone();
    let mut errors = Vec::new();
    for l in s.output() {
        let i = l.process.0;
        match l.kind {
            OutputKind::Stdout => {
                if let Some((_, v)) = output.get_mut(i) {
                    v.push(json_string(&l.text));
                }
            }
            OutputKind::Info => {
                if let Some((_, v)) = info.get_mut(i) {
                    v.push(json_string(&l.text));
                }
            }
            OutputKind::Error => {
                let message = l
                    .text
                    .lines()
                    .rev()
                    .find(|x| !x.trim().is_empty())
                    .unwrap_or("");
                errors.push(format!(
                    "{{\"process\": {}, \"time_ms\": {}, \"line\": {}, \"message\": {}, \"traceback\": {}}}",
                    json_string(&label(s, l.process)),
                    l.time_ms,
                    json_opt(l.line.map(u64::from)),
                    json_string(message),
                    json_string(&l.text)
                ));
            }
        }
    }
    let obj = |items: &[(String, Vec<String>)]| -> String {
        let parts: Vec<String> = items
            .iter()
            .map(|(k, v)| format!("{}: [{}]", json_string(k), v.join(", ")))
            .collect();
        format!("{{{}}}", parts.join(", "))
    };
    let summary = s.summary();
    let partitions: Vec<String> = summary
        .partitions
        .iter()
        .map(|(t, c)| {
            let list: Vec<String> = c.iter().map(u64::to_string).collect();
            format!("{}: [{}]", json_string(t), list.join(", "))
        })
        .collect();
    let assigned = assignments(s);
    let groups: Vec<String> = summary
        .groups
        .iter()
        .map(|(g, rows)| {
            let committed: Vec<String> = rows
                .iter()
                .map(|r| {
                    format!(
                        "{}: {}",
                        json_string(&r.tp.to_string()),
                        json_opt(r.committed)
                    )
                })
                .collect();
            let lag: Vec<String> = rows
                .iter()
                .map(|r| format!("{}: {}", json_string(&r.tp.to_string()), json_opt(r.lag)))
                .collect();
            let assignment: Vec<String> = assigned
                .get(g)
                .map(Vec::as_slice)
                .unwrap_or(&[])
                .iter()
                .map(|(o, tps)| {
                    let list: Vec<String> = tps.iter().map(|t| json_string(t)).collect();
                    format!("{}: [{}]", json_string(o), list.join(", "))
                })
                .collect();
            format!(
                "{}: {{\"committed\": {{{}}}, \"lag\": {{{}}}, \"assignment\": {{{}}}}}",
                json_string(g),
                committed.join(", "),
                lag.join(", "),
                assignment.join(", ")
            )
        })
        .collect();
    let notes: Vec<String> = notes(s).iter().map(|n| json_string(n)).collect();
    format!(
        "{{\"output\": {}, \"info\": {}, \"errors\": [{}], \"partitions\": {{{}}}, \"groups\": {{{}}}, \"notes\": [{}], \"time_ms\": {}, \"trace_hash\": \"{:016x}\"}}\n",
        obj(&output),
        obj(&info),
        errors.join(", "),
        partitions.join(", "),
        groups.join(", "),
        notes.join(", "),
        s.now(),
        s.trace_hash()
    )
}

/// A fenced python block of a Markdown file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PythonBlock {
    /// 1-based line of the block's first code line in the Markdown file.
    pub line: u32,
    pub code: String,
}

/// Every ```` ```python ```` (or `py`) block of a Markdown text, in order.
pub fn python_blocks(markdown: &str) -> Vec<PythonBlock> {
    let mut blocks = Vec::new();
    let mut current: Option<(u32, String, String)> = None;
    for (i, line) in markdown.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let t = line.trim_start();
        match &mut current {
            None => {
                if let Some(info) = t.strip_prefix("```").or_else(|| t.strip_prefix("~~~")) {
                    let fence = t.get(..3).unwrap_or("```").to_string();
                    let lang = info.split_whitespace().next().unwrap_or("");
                    let lang = lang.trim_start_matches('{').trim_end_matches('}');
                    if matches!(lang, "python" | "py" | "python3") {
                        current = Some((n.saturating_add(1), fence, String::new()));
                    } else {
                        current = Some((0, fence, String::new()));
                    }
                }
            }
            Some((start, fence, code)) => {
                if t.starts_with(fence.as_str())
                    && t.trim_start_matches(['`', '~']).trim().is_empty()
                {
                    if *start > 0 {
                        blocks.push(PythonBlock {
                            line: *start,
                            code: std::mem::take(code),
                        });
                    }
                    current = None;
                } else {
                    code.push_str(line);
                    code.push('\n');
                }
            }
        }
    }
    blocks
}

/// Record sent to every topic 5 s into a check, so consumers have something to process: the
/// post's transaction as JSON.
pub const PROBE_VALUE: &str = r#"{"transaction_id": "123abc", "user_id": 456, "amount": 5000, "timestamp": "2026-05-03T10:30:00Z"}"#;
/// When the probe record is sent (after the initial rebalance delay of a new group).
pub const PROBE_AT_MS: u64 = 5_000;

/// What a check found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckOutcome {
    /// Ran without error; notes such as "still waiting at the end".
    Ok(Vec<String>),
    /// The first error: its message (`NameError: name 'json' is not defined`) and the line in
    /// the snippet (1-based), when it is in the snippet.
    Failed { message: String, line: Option<u32> },
}

/// Runs one snippet in a fresh scenario (topics auto-created, `for_ms` of virtual time, a probe
/// record sent to every topic at 5 s) and reports its first error.
pub fn check_snippet(name: &str, setup: &str, source: &str, for_ms: u64) -> CheckOutcome {
    let spec = ScenarioSpec {
        programs: vec![ProgramSpec {
            name: name.to_string(),
            setup: setup.to_string(),
            source: source.to_string(),
            instances: 1,
            start_ms: 0,
        }],
        ..ScenarioSpec::default()
    };
    let mut s = Scenario::new(spec);
    s.run_until(PROBE_AT_MS.min(for_ms));
    if for_ms > PROBE_AT_MS {
        let topics: Vec<String> = s
            .cluster()
            .topics()
            .map(|t| t.name().to_string())
            .filter(|t| !t.starts_with("__"))
            .collect();
        for t in topics {
            let _ = s.send_manual(&t, None, PROBE_VALUE);
        }
        s.run_until(for_ms);
    }
    outcome(&s)
}

/// The first error of a finished run, or Ok with notes.
pub fn outcome(s: &Scenario) -> CheckOutcome {
    if let Some(l) = s.output().iter().find(|l| l.kind == OutputKind::Error) {
        let message = l
            .text
            .lines()
            .rev()
            .find(|x| !x.trim().is_empty())
            .unwrap_or("")
            .to_string();
        return CheckOutcome::Failed {
            message,
            line: l.line,
        };
    }
    let notes = s
        .processes()
        .iter()
        .filter_map(|v| match &v.state {
            ProcState::Blocked(what) => {
                Some(format!("still waiting at {}: {what}", fmt_time(s.now())))
            }
            _ => None,
        })
        .collect();
    CheckOutcome::Ok(notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("5s"), Ok(5000));
        assert_eq!(parse_duration("500ms"), Ok(500));
        assert_eq!(parse_duration("2m"), Ok(120_000));
        assert_eq!(parse_duration("1500"), Ok(1500));
        assert_eq!(parse_duration("1.5s"), Ok(1500));
        assert!(parse_duration("5x").is_err());
        assert!(parse_duration("").is_err());
        assert!(parse_duration("-5s").is_err());
        assert!(parse_duration("1e99s").is_err());
    }

    #[test]
    fn blocks_of_markdown_with_their_lines() {
        let md = "# t\n```python\nx = 1\n```\n```\nnot python\n```\n~~~py\ny = 2\nz = 3\n~~~\n";
        let b = python_blocks(md);
        assert_eq!(b.len(), 2);
        assert_eq!((b[0].line, b[0].code.as_str()), (3, "x = 1\n"));
        assert_eq!((b[1].line, b[1].code.as_str()), (9, "y = 2\nz = 3\n"));
    }

    #[test]
    fn snippet_sections_and_options() {
        let text = "# kplay: --for 40s --instances consumer.py=2\n# === producer.py ===\nx = 1\n# === consumer.py ===\ny = 2\n";
        let (files, opts) = split_snippet("t.py", text).unwrap();
        assert_eq!(files.len(), 2, "{files:?}");
        assert_eq!(files[0].name, "producer.py");
        assert_eq!(files[1].source, "y = 2\n");
        assert_eq!(opts.for_ms, 40_000);
        assert_eq!(opts.instances.get("consumer.py"), Some(&2));
        let spec = opts.spec(&files).unwrap();
        assert_eq!(spec.programs[1].instances, 2);
    }

    #[test]
    fn fault_targets_name_instances() {
        let mut o = RunOptions::default();
        o.parse_words(&["--instances", "c.py=2", "--crash", "c.py#2=10s"])
            .unwrap();
        let files = vec![
            RunFile {
                name: "p.py".into(),
                source: String::new(),
            },
            RunFile {
                name: "c.py".into(),
                source: String::new(),
            },
        ];
        let spec = o.spec(&files).unwrap();
        assert_eq!(spec.faults.len(), 1);
        assert_eq!(spec.faults[0].process, ProcessId(2));
        assert_eq!(spec.faults[0].at_ms, 10_000);
        let mut bad = RunOptions::default();
        bad.parse_words(&["--crash", "c.py#3=1s"]).unwrap();
        assert!(bad.spec(&files).is_err());
        assert!(RunOptions::default().parse_words(&["--bogus"]).is_err());
    }
}
