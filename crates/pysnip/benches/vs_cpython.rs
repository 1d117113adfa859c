//! Runs the same pure-Python loop in pysnip and in CPython (`python3`) and prints both times.

use std::process::Command;
use std::time::Instant;

use pysnip::{Exception, Host, HostRef, HostResult, Limits, Process, RunStatus, Value};

const PROGRAM: &str = r#"
def helper(x):
    if x > 1000000:
        return x - 1000000
    return x + 1

def work(n):
    total = 0
    d = {}
    out = []
    for i in range(n):
        total += i * 3 % 7
        d[i % 100] = total
        out.append(i)
        total = helper(total)
    return total, len(d), len(out)
"#;

const N: u64 = 2_000_000;

struct NoHost(String);

impl Host for NoHost {
    fn import(&mut self, _m: &str) -> Option<Result<Vec<(String, Value)>, Exception>> {
        None
    }
    fn call(
        &mut self,
        _p: &mut Process,
        _t: &HostRef,
        _m: Option<&str>,
        _a: Vec<Value>,
        _k: Vec<(String, Value)>,
    ) -> HostResult {
        HostResult::Return(Value::None)
    }
    fn get_attr(&mut self, _o: &HostRef, _n: &str) -> Result<Value, Exception> {
        Ok(Value::None)
    }
    fn iter_next(&mut self, _p: &mut Process, _o: &HostRef) -> HostResult {
        HostResult::Raise(Exception::builtin("StopIteration", ""))
    }
    fn repr(&mut self, _o: &HostRef) -> String {
        String::new()
    }
    fn print(&mut self, t: &str) {
        self.0.push_str(t);
    }
    fn now_ms(&self) -> u64 {
        0
    }
    fn epoch_ms(&self) -> i64 {
        0
    }
    fn random_u64(&mut self) -> u64 {
        4
    }
}

/// The benchmarked program: `PYSNIP_BENCH_FILE` (a file defining `work(n)`) or the built-in one.
fn program() -> String {
    match std::env::var("PYSNIP_BENCH_FILE") {
        Ok(path) => std::fs::read_to_string(path).expect("readable bench file"),
        Err(_) => PROGRAM.to_string(),
    }
}

fn pysnip_time() -> (f64, String) {
    let prog = pysnip::compile(&program(), "bench.py").expect("compiles");
    let mut p = Process::new(&prog, Limits::default());
    let mut h = NoHost(String::new());
    assert_eq!(p.run(&mut h, u64::MAX), RunStatus::Finished);
    let work = p.global("work").expect("work defined");
    let t0 = Instant::now();
    let r = p
        .call_value_budget(&mut h, &work, vec![Value::int(N as i64)], u64::MAX)
        .expect("runs");
    let dt = t0.elapsed().as_secs_f64();
    (dt, pysnip::format::repr(&r))
}

fn cpython_time() -> Option<(f64, String)> {
    let script = format!(
        "{}\nimport time\nt0 = time.perf_counter()\nr = work({})\nt1 = time.perf_counter()\nprint(t1 - t0)\nprint(r)\n",
        program(),
        N
    );
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let mut lines = text.lines();
    let t: f64 = lines.next()?.trim().parse().ok()?;
    Some((t, lines.next().unwrap_or("").to_string()))
}

fn main() {
    let mut best_py = f64::MAX;
    let mut result_py = String::new();
    for _ in 0..3 {
        let (t, r) = pysnip_time();
        best_py = best_py.min(t);
        result_py = r;
    }
    println!(
        "pysnip:  {:.3} s for {} iterations -> {}",
        best_py, N, result_py
    );
    let mut best_c = f64::MAX;
    let mut result_c = String::new();
    for _ in 0..3 {
        match cpython_time() {
            Some((t, r)) => {
                best_c = best_c.min(t);
                result_c = r;
            }
            None => {
                println!("python3 not available: no baseline");
                return;
            }
        }
    }
    println!(
        "CPython: {:.3} s for {} iterations -> {}",
        best_c, N, result_c
    );
    println!(
        "ratio pysnip/CPython: {:.2}x (target <= 1.5x)",
        best_py / best_c
    );
    if result_c != result_py {
        println!("WARNING: results differ");
    }
}
