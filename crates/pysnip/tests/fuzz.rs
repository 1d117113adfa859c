//! Fuzz-style robustness: random token soups and mutated snippets must never panic.

mod common;

use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use pysnip::{Block, Limits, Process, RunStatus};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const VOCAB: &[&str] = &[
    "x",
    "y",
    "f",
    "lst",
    "d",
    "s",
    "print",
    "len",
    "range",
    "json",
    "import",
    "from",
    "def",
    "return",
    "lambda",
    "if",
    "elif",
    "else",
    "for",
    "while",
    "in",
    "not",
    "and",
    "or",
    "is",
    "try",
    "except",
    "finally",
    "raise",
    "class",
    "pass",
    "break",
    "continue",
    "global",
    "nonlocal",
    "del",
    "assert",
    "with",
    "as",
    "yield",
    "async",
    "None",
    "True",
    "False",
    "0",
    "1",
    "-1",
    "2.5",
    "1e308",
    "10**9",
    "'s'",
    "\"t\"",
    "f'{x}'",
    "b'b'",
    "'''",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    ",",
    ".",
    ";",
    "=",
    "==",
    "+",
    "-",
    "*",
    "**",
    "/",
    "//",
    "%",
    "<",
    ">",
    "+=",
    "!",
    "@",
    "\\",
    "#",
    "\n",
    "\n    ",
    "\n        ",
    "    ",
    " ",
    "\t",
    "{x!r:>5}",
    "*args",
    "**kw",
    "sorted",
    "key=",
    "str",
    "int",
    "dict",
    "list",
    "Exception",
    "ValueError",
    "e",
    "9223372036854775807",
    "'%s'",
    "%",
    ".format(",
    ".append(",
    ".split(",
    "[::-1]",
    "[1:2]",
    "é",
    "\u{0}",
    "\r",
];

fn run_one(src: &str) -> (bool, bool) {
    let limits = Limits {
        max_stack_depth: 50,
        max_string_bytes: 1 << 16,
        max_collection_len: 10_000,
        max_total_bytes: 1 << 22,
        callback_fuel: 5_000,
        max_callback_depth: 4,
    };
    let prog = match pysnip::compile(src, "fuzz.py") {
        Ok(p) => p,
        Err(e) => {
            let _ = e.render();
            let _ = e.compact();
            return (false, false);
        }
    };
    let mut h = common::MockHost::new();
    let mut p = Process::new(&prog, limits);
    for _ in 0..4 {
        match p.run(&mut h, 3_000) {
            RunStatus::Blocked(Block::Sleep { ms }) => {
                h.now += ms.min(1_000_000);
                p.resume();
            }
            RunStatus::Error(e) => {
                let _ = e.render();
                return (true, true);
            }
            RunStatus::Blocked(Block::Host(_)) => p.resume_with(pysnip::Value::None),
            RunStatus::Finished => return (true, false),
            RunStatus::OutOfFuel => {}
        }
    }
    let _ = pysnip::highlight(src);
    (true, false)
}

fn seeds() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snippets");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("snippets")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    files.sort();
    files
        .iter()
        .filter_map(|f| fs::read_to_string(f).ok())
        .collect()
}

fn char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn mutate(rng: &mut Rng, src: &str) -> String {
    let mut s = src.to_string();
    for _ in 0..1 + rng.below(4) {
        if s.is_empty() {
            s.push_str(VOCAB[rng.below(VOCAB.len())]);
            continue;
        }
        match rng.below(7) {
            0 => {
                // delete a char range
                let a = char_boundary(&s, rng.below(s.len()));
                let b = char_boundary(&s, (a + 1 + rng.below(8)).min(s.len()));
                s.replace_range(a..b.max(a), "");
            }
            1 => {
                // insert a token
                let a = char_boundary(&s, rng.below(s.len()));
                s.insert_str(a, VOCAB[rng.below(VOCAB.len())]);
            }
            2 | 3 => {
                // delete, duplicate or swap lines
                let mut lines: Vec<&str> = s.lines().collect();
                if lines.len() > 1 {
                    let i = rng.below(lines.len());
                    let j = rng.below(lines.len());
                    match rng.below(3) {
                        0 => {
                            lines.remove(i);
                        }
                        1 => {
                            let l = lines[i];
                            lines.insert(j, l);
                        }
                        _ => lines.swap(i, j),
                    }
                }
                s = lines.join("\n");
            }
            4 => {
                // swap two chars
                let a = char_boundary(&s, rng.below(s.len()));
                let b = char_boundary(&s, rng.below(s.len()));
                let (a, b) = (a.min(b), a.max(b));
                if let (Some(ca), Some(cb)) = (s[a..].chars().next(), s[b..].chars().next()) {
                    if a != b {
                        let mut t = String::new();
                        t.push_str(&s[..a]);
                        t.push(cb);
                        t.push_str(&s[a + ca.len_utf8()..b]);
                        t.push(ca);
                        t.push_str(&s[b + cb.len_utf8()..]);
                        s = t;
                    }
                }
            }
            5 => {
                // keep a random window of lines
                let lines: Vec<&str> = s.lines().collect();
                let a = rng.below(lines.len());
                let b = (a + 1 + rng.below(12)).min(lines.len());
                s = lines[a..b].join("\n");
            }
            _ => {
                let a = char_boundary(&s, rng.below(s.len()));
                let c = char::from_u32(rng.below(0x3000) as u32).unwrap_or('?');
                s.insert(a, c);
            }
        }
    }
    s
}

fn soup(rng: &mut Rng) -> String {
    let n = 1 + rng.below(40);
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(VOCAB[rng.below(VOCAB.len())]);
        if rng.below(3) == 0 {
            s.push(' ');
        }
    }
    s
}

/// Runs `n` cases; returns (cases, compiled, runtime errors). Panics name the failing input.
fn fuzz(n: usize, seed: u64) -> (usize, usize, usize) {
    let seeds = seeds();
    let mut rng = Rng(seed | 1);
    let (mut compiled, mut errors) = (0, 0);
    for i in 0..n {
        let k = rng.below(seeds.len());
        let src = if i % 3 == 0 {
            soup(&mut rng)
        } else {
            mutate(&mut rng, &seeds[k])
        };
        match catch_unwind(AssertUnwindSafe(|| run_one(&src))) {
            Ok((c, e)) => {
                compiled += c as usize;
                errors += e as usize;
            }
            Err(_) => panic!("panic on input #{} (seed {}):\n{}", i, seed, src),
        }
    }
    (n, compiled, errors)
}

#[test]
fn fuzz_20k_inputs_without_panics() {
    let (n, compiled, errors) = fuzz(20_000, 0x5eed_1234);
    println!(
        "fuzz: {} inputs, {} compiled, {} runtime errors, 0 panics",
        n, compiled, errors
    );
    assert!(
        compiled > 2_000,
        "mutations should often still compile ({})",
        compiled
    );
}

#[test]
#[ignore]
fn fuzz_long_run() {
    let n: usize = std::env::var("PYSNIP_FUZZ_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let seed: u64 = std::env::var("PYSNIP_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0xdead_beef_cafe);
    let (n, compiled, errors) = fuzz(n, seed);
    println!(
        "fuzz long: {} inputs, {} compiled, {} runtime errors, 0 panics",
        n, compiled, errors
    );
}
