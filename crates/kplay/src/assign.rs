//! `kplay assign`: the assignment a consumer group's leader computes, as JSON.

use crate::cli::{self, Args, CliError};
use kafka_engine::assignor::{self, MemberSubscription, Strategy, TopicPartition};
use std::collections::BTreeMap;
use std::io::Write;

pub const HELP: &str = "\
Usage: kplay assign --strategy STRATEGY --topic NAME:PARTITIONS... --member ID:TOPIC[,TOPIC...]...
                    [--owned ID:TOPIC-P[,TOPIC-P...]...] [--generation N | --generation ID:N ...]

Prints one JSON object: member id -> list of \"topic-partition\" strings (sorted by
topic, then partition number), the assignment kafka-python 3.x's assignor gives (for
cooperative-sticky, this round's assignment: a partition moving to another member is
withheld until the next round).

  --strategy    range | roundrobin | sticky | cooperative-sticky
  --topic       a topic and its partition count, e.g. orders:6 (repeatable)
  --member      a member and the topics it subscribes to, e.g. c1:orders,payments;
                `c1:` subscribes to nothing (repeatable; the order is the join order)
  --owned       partitions a member owned before this rebalance, e.g. c1:orders-0,orders-3
                (split at the last '-', topic names may contain '-')
  --generation  the generation of the owned partitions: N for every member, or ID:N for one
";

/// Splits `ID:REST` at the last ':' (topic names cannot contain ':').
fn split_member<'a>(option: &str, text: &'a str) -> Result<(&'a str, &'a str), CliError> {
    match text.rsplit_once(':') {
        Some((id, rest)) if !id.is_empty() => Ok((id, rest)),
        _ => Err(CliError::Usage(format!(
            "{option}: expected ID:..., got '{text}'"
        ))),
    }
}

fn parse_topic_partition(text: &str) -> Result<TopicPartition, CliError> {
    match text.rsplit_once('-') {
        Some((topic, p)) if !topic.is_empty() => Ok(TopicPartition::new(
            topic,
            cli::parse_u32(&format!("--owned partition '{text}'"), p)?,
        )),
        _ => Err(CliError::Usage(format!(
            "--owned: expected TOPIC-PARTITION, got '{text}'"
        ))),
    }
}

fn list(text: &str) -> impl Iterator<Item = &str> {
    text.split(',').filter(|s| !s.is_empty())
}

pub fn run(args: &[String], out: &mut dyn Write) -> Result<(), CliError> {
    let mut strategy: Option<Strategy> = None;
    let mut topics: BTreeMap<String, u32> = BTreeMap::new();
    let mut members: Vec<MemberSubscription> = Vec::new();
    let mut owned: Vec<(&str, Vec<TopicPartition>)> = Vec::new();
    let mut generation_all: Option<i32> = None;
    let mut generation_of: BTreeMap<&str, i32> = BTreeMap::new();

    let mut args = Args::new(args);
    while let Some(arg) = args.next_arg() {
        let (name, inline) = cli::split_option(arg);
        match name {
            "--strategy" => {
                let v = args.value(name, inline)?;
                strategy = Some(Strategy::from_name(v).ok_or_else(|| {
                    CliError::Usage(format!(
                        "--strategy: unknown strategy '{v}' (range, roundrobin, sticky, cooperative-sticky)"
                    ))
                })?);
            }
            "--topic" => {
                let v = args.value(name, inline)?;
                let (topic, count) = v.rsplit_once(':').ok_or_else(|| {
                    CliError::Usage(format!("--topic: expected NAME:PARTITIONS, got '{v}'"))
                })?;
                if topic.is_empty() {
                    return Err(CliError::Usage(format!(
                        "--topic: empty topic name in '{v}'"
                    )));
                }
                let count = cli::parse_u32("--topic partition count", count)?;
                if topics.insert(topic.to_string(), count).is_some() {
                    return Err(CliError::Usage(format!("--topic: '{topic}' given twice")));
                }
            }
            "--member" => {
                let v = args.value(name, inline)?;
                let (id, subs) = split_member("--member", v)?;
                if members.iter().any(|m| m.member_id == id) {
                    return Err(CliError::Usage(format!("--member: '{id}' given twice")));
                }
                members.push(MemberSubscription {
                    member_id: id.to_string(),
                    topics: list(subs).map(str::to_string).collect(),
                    owned: Vec::new(),
                    generation: None,
                });
            }
            "--owned" => {
                let v = args.value(name, inline)?;
                let (id, parts) = split_member("--owned", v)?;
                let parts = list(parts)
                    .map(parse_topic_partition)
                    .collect::<Result<Vec<_>, _>>()?;
                owned.push((id, parts));
            }
            "--generation" => {
                let v = args.value(name, inline)?;
                let parse = |s: &str| {
                    s.parse::<i32>().map_err(|_| {
                        CliError::Usage(format!("--generation: '{s}' is not an integer"))
                    })
                };
                match v.rsplit_once(':') {
                    Some((id, n)) => {
                        generation_of.insert(id, parse(n)?);
                    }
                    None => generation_all = Some(parse(v)?),
                }
            }
            _ => {
                return Err(CliError::Usage(format!(
                    "assign: unexpected argument '{arg}'"
                )))
            }
        }
    }

    let strategy =
        strategy.ok_or_else(|| CliError::Usage("assign: --strategy is required".into()))?;
    for (id, parts) in owned {
        let member = members
            .iter_mut()
            .find(|m| m.member_id == id)
            .ok_or_else(|| CliError::Usage(format!("--owned: no --member '{id}'")))?;
        member.owned.extend(parts);
    }
    for id in generation_of.keys() {
        if !members.iter().any(|m| m.member_id == *id) {
            return Err(CliError::Usage(format!("--generation: no --member '{id}'")));
        }
    }
    for m in &mut members {
        m.generation = generation_of
            .get(m.member_id.as_str())
            .copied()
            .or(generation_all);
    }

    let assignment = assignor::assign(strategy, &topics, &members);
    cli::write_out(out, &format!("{}\n", crate::json::assignment(&assignment)))
}
