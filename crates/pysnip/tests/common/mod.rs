//! Shared test helpers: a mock host and a runner that collects output.
#![allow(dead_code)]

use pysnip::{Block, Exception, Host, HostRef, HostResult, Limits, Process, RunStatus, Value};

/// A host with deterministic time and randomness and no host objects.
pub struct MockHost {
    pub out: String,
    pub now: u64,
    pub rng: u64,
}

impl MockHost {
    pub fn new() -> MockHost {
        MockHost {
            out: String::new(),
            now: 0,
            rng: 42,
        }
    }
}

impl Host for MockHost {
    fn import(&mut self, _module: &str) -> Option<Result<Vec<(String, Value)>, Exception>> {
        None
    }
    fn call(
        &mut self,
        _p: &mut Process,
        t: &HostRef,
        _m: Option<&str>,
        _a: Vec<Value>,
        _k: Vec<(String, Value)>,
    ) -> HostResult {
        HostResult::Raise(Exception::builtin(
            "TypeError",
            format!("no host object {}", t.class),
        ))
    }
    fn get_attr(&mut self, obj: &HostRef, name: &str) -> Result<Value, Exception> {
        Err(Exception::builtin(
            "AttributeError",
            format!("'{}' object has no attribute '{}'", obj.class, name),
        ))
    }
    fn iter_next(&mut self, _p: &mut Process, _obj: &HostRef) -> HostResult {
        HostResult::Raise(Exception::builtin("StopIteration", ""))
    }
    fn repr(&mut self, obj: &HostRef) -> String {
        format!("<{}>", obj.class)
    }
    fn print(&mut self, text: &str) {
        self.out.push_str(text);
    }
    fn now_ms(&self) -> u64 {
        self.now
    }
    fn epoch_ms(&self) -> i64 {
        1_700_000_000_000
    }
    fn random_u64(&mut self) -> u64 {
        self.rng = self.rng.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// Runs a program to completion; returns stdout plus, on error, `!! line N: Kind: message`.
pub fn run_source(src: &str, file: &str) -> String {
    let mut host = MockHost::new();
    let prog = match pysnip::compile(src, file) {
        Ok(p) => p,
        Err(e) => {
            let line = e.span().map(|s| s.0).unwrap_or(0);
            return format!("!! line {}: {}\n", line, e.last_line());
        }
    };
    let mut p = Process::new(&prog, Limits::default());
    for _ in 0..10_000 {
        match p.run(&mut host, 50_000_000) {
            RunStatus::Finished => return host.out,
            RunStatus::OutOfFuel => return format!("{}!! out of fuel\n", host.out),
            RunStatus::Blocked(Block::Sleep { ms }) => {
                host.now += ms;
                p.resume();
            }
            RunStatus::Blocked(Block::Host(_)) => return format!("{}!! blocked\n", host.out),
            RunStatus::Error(e) => {
                let line = e.span().map(|s| s.0).unwrap_or(0);
                return format!("{}!! line {}: {}\n", host.out, line, e.last_line());
            }
        }
    }
    host.out
}
