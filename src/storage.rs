//! Code and settings saved in localStorage under a versioned key, in a small line format.

use kafka_engine::{ClientProfile, Strategy};
use kplay_runner::ProgramSpec;

use crate::i18n::Lang;

/// The localStorage key; bump the version when the format changes.
pub const KEY: &str = "kplay.state.v1";
const HEADER: &str = "kplay-state 1";

/// What survives a reload.
#[derive(Clone, Debug, PartialEq)]
pub struct Saved {
    pub lesson: String,
    pub lang: Option<Lang>,
    pub seed: u64,
    pub speed: f64,
    pub strategy: Option<Strategy>,
    pub profile: ClientProfile,
    /// Topic name and partition count.
    pub partitions: Vec<(String, u32)>,
    pub programs: Vec<ProgramSpec>,
}

pub fn strategy_name(s: Strategy) -> &'static str {
    match s {
        Strategy::Range => "range",
        Strategy::RoundRobin => "roundrobin",
        Strategy::Sticky => "sticky",
        Strategy::CooperativeSticky => "cooperative-sticky",
    }
}

pub fn parse_strategy(s: &str) -> Option<Strategy> {
    Strategy::ALL.into_iter().find(|x| strategy_name(*x) == s)
}

pub fn profile_name(p: ClientProfile) -> &'static str {
    match p {
        ClientProfile::KafkaPython => "kafka-python",
        ClientProfile::JavaSticky => "java",
        ClientProfile::KafkaJs => "kafkajs",
    }
}

pub fn parse_profile(s: &str) -> Option<ClientProfile> {
    [
        ClientProfile::KafkaPython,
        ClientProfile::JavaSticky,
        ClientProfile::KafkaJs,
    ]
    .into_iter()
    .find(|p| profile_name(*p) == s)
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

fn unescape(s: &str) -> Result<String, ()> {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('\\') => out.push('\\'),
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                _ => return Err(()),
            }
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

/// The saved state as text.
pub fn encode(s: &Saved) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    let mut line = |k: &str, fields: &[String]| {
        out.push_str(k);
        for f in fields {
            out.push('\t');
            out.push_str(&escape(f));
        }
        out.push('\n');
    };
    line("lesson", std::slice::from_ref(&s.lesson));
    if let Some(l) = s.lang {
        line("lang", &[l.code().to_string()]);
    }
    line("seed", &[s.seed.to_string()]);
    line("speed", &[s.speed.to_string()]);
    if let Some(st) = s.strategy {
        line("strategy", &[strategy_name(st).to_string()]);
    }
    line("profile", &[profile_name(s.profile).to_string()]);
    for (t, n) in &s.partitions {
        line("topic", &[t.clone(), n.to_string()]);
    }
    for p in &s.programs {
        line(
            "program",
            &[
                p.name.clone(),
                p.instances.to_string(),
                p.start_ms.to_string(),
                p.setup.clone(),
                p.source.clone(),
            ],
        );
    }
    out
}

/// Reads saved text; `Err` when it is not a state this version wrote.
pub fn decode(text: &str) -> Result<Saved, ()> {
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) {
        return Err(());
    }
    let mut s = Saved {
        lesson: String::new(),
        lang: None,
        seed: 42,
        speed: 1.0,
        strategy: None,
        profile: ClientProfile::KafkaPython,
        partitions: Vec::new(),
        programs: Vec::new(),
    };
    for line in lines {
        if line.is_empty() {
            continue;
        }
        let mut parts = line.split('\t');
        let kind = parts.next().ok_or(())?;
        let f: Vec<String> = parts.map(unescape).collect::<Result<_, _>>()?;
        let get = |i: usize| f.get(i).map(String::as_str).ok_or(());
        match kind {
            "lesson" => s.lesson = get(0)?.to_string(),
            "lang" => s.lang = Lang::from_tag(get(0)?),
            "seed" => s.seed = get(0)?.parse().map_err(|_| ())?,
            "speed" => {
                let v: f64 = pysnip::parse_float(get(0)?).ok_or(())?;
                if !(0.01..=1000.0).contains(&v) {
                    return Err(());
                }
                s.speed = v;
            }
            "strategy" => s.strategy = Some(parse_strategy(get(0)?).ok_or(())?),
            "profile" => s.profile = parse_profile(get(0)?).ok_or(())?,
            "topic" => {
                let n: u32 = get(1)?.parse().map_err(|_| ())?;
                s.partitions.push((get(0)?.to_string(), n.clamp(1, 64)));
            }
            "program" => s.programs.push(ProgramSpec {
                name: get(0)?.to_string(),
                instances: get(1)?.parse::<u32>().map_err(|_| ())?.min(16),
                start_ms: get(2)?.parse().map_err(|_| ())?,
                setup: get(3)?.to_string(),
                source: get(4)?.to_string(),
            }),
            _ => return Err(()),
        }
    }
    if s.lesson.is_empty() {
        return Err(());
    }
    Ok(s)
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The saved state: `Ok(None)` when there is none, `Err` when it is unreadable.
pub fn load() -> Result<Option<Saved>, ()> {
    let Some(store) = local_storage() else {
        return Ok(None);
    };
    match store.get_item(KEY) {
        Ok(Some(text)) => decode(&text).map(Some),
        Ok(None) => Ok(None),
        Err(_) => Err(()),
    }
}

pub fn save(s: &Saved) {
    if let Some(store) = local_storage() {
        let _ = store.set_item(KEY, &encode(s));
    }
}

/// Drops the saved state (after it could not be read).
pub fn clear() {
    if let Some(store) = local_storage() {
        let _ = store.remove_item(KEY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_code_with_tabs_newlines_and_backslashes() {
        let s = Saved {
            lesson: "producer-consumer".into(),
            lang: Some(Lang::En),
            seed: 7,
            speed: 2.5,
            strategy: Some(Strategy::CooperativeSticky),
            profile: ClientProfile::KafkaJs,
            partitions: vec![("transactions".into(), 4)],
            programs: vec![ProgramSpec {
                name: "p.py".into(),
                setup: "import json\n".into(),
                source: "print('a\\tb')\n\tx = 1\n".into(),
                instances: 3,
                start_ms: 500,
            }],
        };
        assert_eq!(decode(&encode(&s)), Ok(s));
    }

    #[test]
    fn rejects_garbage_and_other_versions() {
        assert!(decode("").is_err());
        assert!(decode("kplay-state 0\nlesson\tx\n").is_err());
        assert!(decode("kplay-state 1\nseed\tabc\nlesson\tx\n").is_err());
        assert!(decode("kplay-state 1\nwhat\tx\n").is_err());
    }
}
