//! `kplay partition`: the partition each key lands on, by Kafka's murmur2 rule.

use crate::cli::{self, Args, CliError};
use std::io::Write;

pub const HELP: &str = "\
Usage: kplay partition --partitions N [--] KEY...

Prints `KEY<TAB>PARTITION` for each key: the partition a record with that key
(its UTF-8 bytes) lands on in a topic of N partitions, by Kafka's rule
(murmur2(key) & 0x7fffffff) % N, the same in the Java client and kafka-python.
Arguments after `--` are all keys, even those starting with `--`.
";

pub fn run(args: &[String], out: &mut dyn Write) -> Result<(), CliError> {
    let mut partitions: Option<u32> = None;
    let mut keys: Vec<&str> = Vec::new();
    let mut args = Args::new(args);
    while let Some(arg) = args.next_arg() {
        let (name, inline) = cli::split_option(arg);
        match name {
            "--partitions" | "-p" => {
                let n = cli::parse_u32("--partitions", args.value(name, inline)?)?;
                if n == 0 {
                    return Err(CliError::Usage("--partitions must be at least 1".into()));
                }
                partitions = Some(n);
            }
            "--" => keys.extend(args.rest().iter().map(String::as_str)),
            _ if arg.starts_with("--") => {
                return Err(CliError::Usage(format!(
                    "partition: unknown option '{arg}'"
                )))
            }
            _ => keys.push(arg),
        }
    }
    let partitions = partitions
        .ok_or_else(|| CliError::Usage("partition: --partitions N is required".into()))?;
    let mut text = String::new();
    for key in keys {
        let p = kafka_engine::partition_for_key(key.as_bytes(), partitions);
        text.push_str(key);
        text.push('\t');
        text.push_str(&p.to_string());
        text.push('\n');
    }
    cli::write_out(out, &text)
}
