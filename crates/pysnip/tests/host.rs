//! Resumability with a mock host: blocking host iterators, sleep, callbacks, tracebacks, limits.

mod common;

use std::rc::Rc;

use pysnip::{
    Block, Exception, ExceptionClass, Host, HostRef, HostResult, Limits, Process, RunStatus, Value,
};

/// A tiny "kafka" host: `KafkaConsumer(...)` iterates over records, blocking twice before each
/// batch; `KafkaProducer(value_serializer=f)` calls `f` synchronously in `send`.
struct KafkaMock {
    out: String,
    now: u64,
    pending: Vec<Value>,
    blocks_left: u32,
    serializers: Vec<Value>,
    sent: Vec<Value>,
    next_token: u64,
    commit_failed: Rc<ExceptionClass>,
}

impl KafkaMock {
    fn new() -> KafkaMock {
        KafkaMock {
            out: String::new(),
            now: 0,
            pending: vec![],
            blocks_left: 2,
            serializers: vec![],
            sent: vec![],
            next_token: 1,
            commit_failed: ExceptionClass::new(
                "CommitFailedError",
                Some(pysnip::builtin_class("Exception")),
            ),
        }
    }
}

impl Host for KafkaMock {
    fn import(&mut self, module: &str) -> Option<Result<Vec<(String, Value)>, Exception>> {
        match module {
            "kafka" => Some(Ok(vec![
                (
                    "KafkaConsumer".into(),
                    Value::host_function(HostRef {
                        class: Rc::from("KafkaConsumer"),
                        id: 0,
                    }),
                ),
                (
                    "KafkaProducer".into(),
                    Value::host_function(HostRef {
                        class: Rc::from("KafkaProducer"),
                        id: 0,
                    }),
                ),
            ])),
            "kafka.errors" => Some(Ok(vec![(
                "CommitFailedError".into(),
                Value::exc_class(&self.commit_failed),
            )])),
            _ => None,
        }
    }
    fn call(
        &mut self,
        proc: &mut Process,
        t: &HostRef,
        method: Option<&str>,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
    ) -> HostResult {
        match (&*t.class, method) {
            ("KafkaConsumer", None) => HostResult::Return(Value::host("KafkaConsumer", 1)),
            ("KafkaProducer", None) => {
                let ser = kwargs
                    .iter()
                    .find(|(k, _)| k == "value_serializer")
                    .map(|(_, v)| v.clone())
                    .unwrap_or(Value::None);
                self.serializers.push(ser);
                HostResult::Return(Value::host(
                    "KafkaProducer",
                    self.serializers.len() as u64 - 1,
                ))
            }
            ("KafkaProducer", Some("send")) => {
                let value = kwargs
                    .iter()
                    .find(|(k, _)| k == "value")
                    .map(|(_, v)| v.clone())
                    .or_else(|| args.get(1).cloned())
                    .unwrap_or(Value::None);
                let ser = self
                    .serializers
                    .get(t.id as usize)
                    .cloned()
                    .unwrap_or(Value::None);
                let bytes = if ser.is_none() {
                    value
                } else {
                    match proc.call_value(self, &ser, vec![value]) {
                        Ok(v) => v,
                        Err(e) => return HostResult::Raise(e),
                    }
                };
                self.sent.push(bytes);
                HostResult::Return(Value::None)
            }
            ("KafkaProducer", Some("flush")) => {
                let tok = self.next_token;
                self.next_token += 1;
                HostResult::Block(tok)
            }
            ("KafkaConsumer", Some("commit")) => {
                HostResult::Raise(Exception::new(&self.commit_failed, "rebalance in progress"))
            }
            _ => HostResult::Raise(Exception::builtin(
                "AttributeError",
                format!("no method {:?}", method),
            )),
        }
    }
    fn get_attr(&mut self, obj: &HostRef, name: &str) -> Result<Value, Exception> {
        match name {
            "send" | "flush" | "commit" => Ok(Value::host_method(obj, name)),
            _ => Err(Exception::builtin(
                "AttributeError",
                format!("'{}' object has no attribute '{}'", obj.class, name),
            )),
        }
    }
    fn iter_next(&mut self, _proc: &mut Process, _obj: &HostRef) -> HostResult {
        if let Some(v) = self.pending.pop() {
            return HostResult::Return(v);
        }
        if self.blocks_left > 0 {
            self.blocks_left -= 1;
            let tok = self.next_token;
            self.next_token += 1;
            return HostResult::Block(tok);
        }
        HostResult::Raise(Exception::builtin("StopIteration", ""))
    }
    fn repr(&mut self, obj: &HostRef) -> String {
        format!("<{} #{}>", obj.class, obj.id)
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
        self.now = self.now.wrapping_add(1);
        self.now.wrapping_mul(0x9e37_79b9_7f4a_7c15)
    }
}

fn record(offset: i64, value: &[u8]) -> Value {
    Value::record(
        "ConsumerRecord",
        vec![
            ("topic", Value::str("t")),
            ("partition", Value::int(0)),
            ("offset", Value::int(offset)),
            ("key", Value::None),
            ("value", Value::bytes(value)),
        ],
    )
}

#[test]
fn host_iterator_blocks_twice_then_yields() {
    let src = "from kafka import KafkaConsumer\nimport json\nconsumer = KafkaConsumer('t', value_deserializer=None)\nfor i, m in enumerate(consumer):\n    print(i, m.offset, json.loads(m.value.decode())['n'], m)\nprint('done')\n";
    let prog = pysnip::compile(src, "consumer.py").expect("compiles");
    let mut p = Process::new(&prog, Limits::default());
    let mut h = KafkaMock::new();
    // first block
    assert!(matches!(
        p.run(&mut h, 100_000),
        RunStatus::Blocked(Block::Host(1))
    ));
    // second: resume by raising? no: resume with a value
    p.resume_with(record(0, b"{\"n\": 10}"));
    h.pending = vec![record(2, b"{\"n\": 30}"), record(1, b"{\"n\": 20}")];
    match p.run(&mut h, 100_000) {
        RunStatus::Blocked(Block::Host(2)) => {}
        other => panic!("expected second block, got {:?}", other),
    }
    p.resume_raise(Exception::builtin("StopIteration", ""));
    assert_eq!(p.run(&mut h, 100_000), RunStatus::Finished);
    assert_eq!(
        h.out,
        "0 0 10 ConsumerRecord(topic='t', partition=0, offset=0, key=None, value=b'{\"n\": 10}')\n\
         1 1 20 ConsumerRecord(topic='t', partition=0, offset=1, key=None, value=b'{\"n\": 20}')\n\
         2 2 30 ConsumerRecord(topic='t', partition=0, offset=2, key=None, value=b'{\"n\": 30}')\n\
         done\n"
    );
}

#[test]
fn sleep_blocks_with_the_right_ms() {
    let prog = pysnip::compile("import time\nt0 = time.time()\ntime.sleep(1.5)\nprint(time.time() - t0)\ntime.sleep(0.001)\nprint('ok')\n", "s.py").expect("compiles");
    let mut p = Process::new(&prog, Limits::default());
    let mut h = KafkaMock::new();
    assert_eq!(
        p.run(&mut h, 10_000),
        RunStatus::Blocked(Block::Sleep { ms: 1500 })
    );
    h.now += 1500;
    p.resume();
    assert_eq!(
        p.run(&mut h, 10_000),
        RunStatus::Blocked(Block::Sleep { ms: 1 })
    );
    p.resume();
    assert_eq!(p.run(&mut h, 10_000), RunStatus::Finished);
    assert_eq!(h.out, "1.5\nok\n");
}

#[test]
fn call_value_of_a_lambda_inside_a_host_call() {
    let src = "from kafka import KafkaProducer\nimport json\nproducer = KafkaProducer(bootstrap_servers=['localhost:9092'], value_serializer=lambda v: json.dumps(v).encode('utf-8'))\nproducer.send('transactions', {'user_id': 456, 'amount': 5000})\nproducer.send('transactions', value=[1, 2.5])\nproducer.flush()\nprint('flushed')\n";
    let prog = pysnip::compile(src, "producer.py").expect("compiles");
    let mut p = Process::new(&prog, Limits::default());
    let mut h = KafkaMock::new();
    assert_eq!(p.run(&mut h, 100_000), RunStatus::Blocked(Block::Host(1)));
    assert_eq!(h.sent.len(), 2);
    assert_eq!(
        h.sent[0].as_bytes(),
        Some(&b"{\"user_id\": 456, \"amount\": 5000}"[..])
    );
    assert_eq!(h.sent[1].as_bytes(), Some(&b"[1, 2.5]"[..]));
    p.resume_with(Value::None);
    assert_eq!(p.run(&mut h, 100_000), RunStatus::Finished);
    assert_eq!(h.out, "flushed\n");
}

#[test]
fn serializer_error_shows_in_the_traceback() {
    let src = "from kafka import KafkaProducer\n\nproducer = KafkaProducer(\n    value_serializer=lambda v: json.dumps(v).encode('utf-8')\n)\nproducer.send('t', {'a': 1})\n";
    let prog = pysnip::compile(src, "producer.py").expect("compiles");
    let mut p = Process::new(&prog, Limits::default());
    let mut h = KafkaMock::new();
    let RunStatus::Error(e) = p.run(&mut h, 100_000) else {
        panic!("expected an error")
    };
    assert_eq!(e.last_line(), "NameError: name 'json' is not defined");
    let funcs: Vec<(usize, &str)> = e.frames.iter().map(|f| (f.line, f.func.as_str())).collect();
    assert_eq!(funcs, vec![(6, "<module>"), (4, "<lambda>")]);
    let r = e.render();
    assert!(
        r.starts_with(
            "Traceback (most recent call last):\n  File \"producer.py\", line 6, in <module>\n"
        ),
        "{}",
        r
    );
    assert!(r.contains("  File \"producer.py\", line 4, in <lambda>\n    value_serializer=lambda v: json.dumps(v).encode('utf-8')\n                               ^^^^\n"), "{}", r);
    assert!(r.ends_with("NameError: name 'json' is not defined\n"));
    assert_eq!(e.span(), Some((4, 32, 36)));
    assert_eq!(
        e.compact(),
        "producer.py:4:32: NameError: name 'json' is not defined"
    );
}

#[test]
fn host_exception_classes_can_be_caught() {
    let src = "from kafka import KafkaConsumer\nfrom kafka.errors import CommitFailedError\nc = KafkaConsumer('t')\ntry:\n    c.commit()\nexcept CommitFailedError as e:\n    print('failed:', e, isinstance(e, Exception))\nc.commit()\n";
    let prog = pysnip::compile(src, "c.py").expect("compiles");
    let mut p = Process::new(&prog, Limits::default());
    let mut h = KafkaMock::new();
    let RunStatus::Error(e) = p.run(&mut h, 100_000) else {
        panic!("expected an error")
    };
    assert_eq!(h.out, "failed: rebalance in progress True\n");
    assert_eq!(e.last_line(), "CommitFailedError: rebalance in progress");
    assert_eq!(e.span().map(|s| s.0), Some(8));
}

#[test]
fn host_exception_classes_can_be_raised_and_checked_with_issubclass() {
    let src = "from kafka.errors import CommitFailedError\nprint(issubclass(CommitFailedError, Exception), issubclass(CommitFailedError, (KeyError, CommitFailedError)), issubclass(ValueError, CommitFailedError))\ntry:\n    raise CommitFailedError('x')\nexcept Exception as e:\n    print(type(e).__name__, e, issubclass(type(e), CommitFailedError))\nraise CommitFailedError('boom')\n";
    let prog = pysnip::compile(src, "c.py").expect("compiles");
    let mut p = Process::new(&prog, Limits::default());
    let mut h = KafkaMock::new();
    let RunStatus::Error(e) = p.run(&mut h, 100_000) else {
        panic!("expected an error")
    };
    assert_eq!(h.out, "True True False\nCommitFailedError x True\n");
    assert_eq!(e.last_line(), "CommitFailedError: boom");
    assert_eq!(e.span().map(|s| s.0), Some(7));
}

#[test]
fn blocking_inside_a_callback_is_an_error() {
    let src = "from kafka import KafkaProducer\nimport time\np = KafkaProducer(value_serializer=lambda v: time.sleep(1))\np.send('t', 1)\n";
    let prog = pysnip::compile(src, "p.py").expect("compiles");
    let mut p = Process::new(&prog, Limits::default());
    let mut h = KafkaMock::new();
    let RunStatus::Error(e) = p.run(&mut h, 100_000) else {
        panic!("expected an error")
    };
    assert!(
        e.last_line()
            .starts_with("RuntimeError: blocking call inside a callback"),
        "{}",
        e.last_line()
    );
}

#[test]
fn setup_lines_keep_learner_line_numbers() {
    let prog = pysnip::compile_with_setup(
        "import json\nBROKER = 'localhost:9092'\n",
        "print(BROKER, json.dumps([1]))\nprint(undefined)\n",
        "main.py",
    )
    .expect("compiles");
    let mut p = Process::new(&prog, Limits::default());
    let mut h = KafkaMock::new();
    let RunStatus::Error(e) = p.run(&mut h, 100_000) else {
        panic!("expected an error")
    };
    assert_eq!(h.out, "localhost:9092 [1]\n");
    assert_eq!(e.file(), Some("main.py"));
    assert_eq!(e.span().map(|s| s.0), Some(2));
    let err =
        pysnip::compile_with_setup("x = 1\n", "y = (\n", "main.py").expect_err("syntax error");
    assert_eq!(err.file(), Some("main.py"));
    assert_eq!(err.span().map(|s| s.0), Some(1));
    assert_eq!(err.last_line(), "SyntaxError: '(' was never closed");
}

#[test]
fn infinite_loop_runs_out_of_fuel_repeatedly() {
    let prog = pysnip::compile("while True:\n    pass\n", "loop.py").expect("compiles");
    let mut p = Process::new(&prog, Limits::default());
    let mut h = KafkaMock::new();
    for _ in 0..5 {
        assert_eq!(p.run(&mut h, 10_000), RunStatus::OutOfFuel);
    }
    // the host caps the total: it decides to stop; the process is still resumable
    assert!(p.instructions >= 50_000);
    assert!(!p.is_done());
}

#[test]
fn huge_allocations_fail_fast_with_memory_error() {
    for (src, kind) in [
        ("'x' * 10**10\n", "MemoryError"),
        ("[0] * 10**9\n", "MemoryError"),
        ("b'ab' * 10**12\n", "MemoryError"),
        ("2 ** 10**10\n", "OverflowError"),
        ("list(range(10**12))\n", "MemoryError"),
        ("'{:99999999999}'.format(1)\n", "MemoryError"),
        (
            "s = 'x' * 1000\nwhile True:\n    s = s + s\n",
            "MemoryError",
        ),
        ("l = [1]\nwhile True:\n    l = l + l\n", "MemoryError"),
        (
            "l = []\nwhile True:\n    l.append('x' * 1000)\n",
            "MemoryError",
        ),
    ] {
        let prog = pysnip::compile(src, "m.py").expect("compiles");
        let mut p = Process::new(&prog, Limits::default());
        let mut h = KafkaMock::new();
        match p.run(&mut h, 50_000_000) {
            RunStatus::Error(e) => assert_eq!(e.kind, kind, "{}: {}", src, e.last_line()),
            other => panic!("{}: expected {}, got {:?}", src, kind, other),
        }
    }
}

#[test]
fn runaway_recursion_is_a_recursion_error() {
    let prog =
        pysnip::compile("def f(n):\n    return f(n + 1) + 1\nf(0)\n", "r.py").expect("compiles");
    let mut p = Process::new(&prog, Limits::default());
    let mut h = KafkaMock::new();
    let RunStatus::Error(e) = p.run(&mut h, 10_000_000) else {
        panic!("expected an error")
    };
    assert_eq!(
        e.last_line(),
        "RecursionError: maximum recursion depth exceeded"
    );
    let prog = pysnip::compile(
        "def f(n):\n    return sorted([1, 2], key=lambda x: f(x))\nf(0)\n",
        "r.py",
    )
    .expect("compiles");
    let mut p = Process::new(&prog, Limits::default());
    let RunStatus::Error(e) = p.run(&mut h, 10_000_000) else {
        panic!("expected an error")
    };
    assert_eq!(e.kind, "RecursionError");
}

fn render_error(src: &str, file: &str) -> pysnip::PyError {
    let prog = pysnip::compile(src, file).expect("compiles");
    let mut p = Process::new(&prog, Limits::default());
    let mut h = KafkaMock::new();
    match p.run(&mut h, 10_000_000) {
        RunStatus::Error(e) => e,
        _ => panic!("expected an error"),
    }
}

#[test]
fn repeated_traceback_lines_are_collapsed_like_cpython() {
    // Expected texts are CPython 3.11's output for the same programs.
    let frame = "  File \"r.py\", line 2, in f\n    return f(n + 1)\n           ^^^^^^^^\n";
    let e = render_error("def f(n):\n    return f(n + 1)\n\nf(0)\n", "r.py");
    let n = e.frames.len() - 1 - 3;
    assert!(n > 100, "{} frames", e.frames.len());
    assert_eq!(
        e.render(),
        format!(
            "Traceback (most recent call last):\n  File \"r.py\", line 4, in <module>\n    f(0)\n{}{}{}  [Previous line repeated {} more times]\nRecursionError: maximum recursion depth exceeded\n",
            frame, frame, frame, n
        )
    );
    let g = "  File \"g.py\", line 4, in g\n    return g(n - 1)\n           ^^^^^^^^\n";
    let tail = "  File \"g.py\", line 3, in g\n    raise ValueError(\"x\")\nValueError: x\n";
    let src =
        "def g(n):\n    if n == 0:\n        raise ValueError(\"x\")\n    return g(n - 1)\n\ng(4)\n";
    assert_eq!(
        render_error(src, "g.py").render(),
        format!(
            "Traceback (most recent call last):\n  File \"g.py\", line 6, in <module>\n    g(4)\n{g}{g}{g}  [Previous line repeated 1 more time]\n{tail}"
        )
    );
    let src = src.replace("g(4)", "g(3)");
    assert_eq!(
        render_error(&src, "g.py").render(),
        format!(
            "Traceback (most recent call last):\n  File \"g.py\", line 6, in <module>\n    g(3)\n{g}{g}{g}{tail}"
        )
    );
}

#[test]
fn unsupported_features_have_clear_errors() {
    for (src, msg) in [
        ("async def f():\n    pass\n", "SyntaxError: 'async' is not supported in the playground"),
        ("class A:\n    def m(self):\n        pass\n", "SyntaxError: class definitions are not supported in the playground (only exception classes like `class MyError(Exception): pass`)"),
        ("def g():\n    yield 1\n", "SyntaxError: 'yield' (generators) is not supported in the playground"),
        ("with open('f') as f:\n    pass\n", "SyntaxError: 'with' statements are not supported in the playground"),
        ("x = 10**100000000000000000000\n", "SyntaxError: integer literal too large (integers are limited to 64 bits in the playground)"),
        ("import numpy\n", "ModuleNotFoundError: No module named 'numpy'"),
    ] {
        let r = pysnip::compile(src, "u.py");
        let line = match r {
            Err(e) => e.last_line(),
            Ok(prog) => {
                let mut p = Process::new(&prog, Limits::default());
                let mut h = KafkaMock::new();
                match p.run(&mut h, 10_000) {
                    RunStatus::Error(e) => e.last_line(),
                    other => format!("{:?}", other),
                }
            }
        };
        assert_eq!(line, msg);
    }
}

#[test]
fn syntax_error_render_has_a_caret() {
    let e = pysnip::compile("x = 1\nif x == 1\n    print(x)\n", "s.py").expect_err("syntax error");
    assert_eq!(
        e.render(),
        "  File \"s.py\", line 2\n    if x == 1\n             ^\nSyntaxError: expected ':'\n"
    );
}

#[test]
fn highlight_never_fails() {
    let toks = pysnip::highlight(
        "def f(x):  # c\n    return 'a' + 1.5 if x else print(None)\n$ \"unterminated",
    );
    use pysnip::TokenKind::*;
    let kinds: Vec<_> = toks.iter().map(|(_, k)| *k).collect();
    assert_eq!(&kinds[..4], &[Keyword, Name, Operator, Name]);
    assert!(
        kinds.contains(&Comment)
            && kinds.contains(&String)
            && kinds.contains(&Number)
            && kinds.contains(&Builtin)
            && kinds.contains(&Error)
    );
    for (r, _) in &toks {
        assert!(r.start < r.end);
    }
}

#[test]
fn values_from_hosts_behave_like_python_values() {
    let rec = record(5, b"v");
    assert_eq!(
        pysnip::format::repr(&rec),
        "ConsumerRecord(topic='t', partition=0, offset=5, key=None, value=b'v')"
    );
    assert_eq!(rec.field("offset").and_then(|v| v.as_int()), Some(5));
    let d = Value::dict(vec![
        (Value::str("a"), Value::int(1)),
        (
            Value::tuple(vec![Value::int(1), Value::str("x")]),
            Value::float(0.5),
        ),
    ]);
    assert_eq!(pysnip::format::repr(&d), "{'a': 1, (1, 'x'): 0.5}");
    assert!(Value::int(1).eq(&Value::float(1.0)) && Value::bool(true).eq(&Value::int(1)));
    assert!(!Value::list(vec![]).truthy() && Value::str("x").truthy());
    let e = Exception::builtin("ValueError", "bad");
    assert_eq!(e.message(), "bad");
    let _ = common::MockHost::new();
}

#[test]
fn deep_nesting_never_overflows_the_native_stack() {
    // Run on a small native stack (like wasm's) to prove no recursion depends on the nesting.
    let child = std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(|| {
            let src = "x = []\nfor i in range(50000):\n    x = [x]\ny = x\nfor i in range(50000):\n    y = [y]\nprint(x == x, len(repr(x)) > 0)\nt = ()\nfor i in range(3000):\n    t = (t,)\ntry:\n    hash(t)\nexcept RecursionError:\n    print('hash: RecursionError')\ntry:\n    x < y\nexcept RecursionError:\n    print('compare: RecursionError')\nx = None\ny = None\nprint('dropped')\nd = {}\nfor i in range(50000):\n    d = {'k': d}\nz = [d]\n";
            let prog = pysnip::compile(src, "deep.py").expect("compiles");
            let mut p = Process::new(&prog, Limits { max_total_bytes: 1 << 30, ..Limits::default() });
            let mut h = KafkaMock::new();
            let status = p.run(&mut h, 50_000_000);
            drop(p);
            (status, h.out)
        })
        .expect("spawn");
    let (status, out) = child.join().expect("no stack overflow");
    assert_eq!(status, RunStatus::Finished, "{}", out);
    assert_eq!(
        out,
        "True True\nhash: RecursionError\ncompare: RecursionError\ndropped\n"
    );
    // a nesting that keeps growing is stopped by the periodic memory walk
    let prog = pysnip::compile("x = []\nwhile True:\n    x = [x]\n", "deep.py").expect("compiles");
    let mut p = Process::new(&prog, Limits::default());
    let mut h = KafkaMock::new();
    match p.run(&mut h, 50_000_000) {
        RunStatus::Error(e) => assert_eq!(
            e.last_line(),
            "MemoryError: containers nested more than 2000 levels deep"
        ),
        other => panic!("unexpected {:?}", other),
    }
}

#[test]
fn values_are_two_words() {
    assert_eq!(std::mem::size_of::<Value>(), 16);
}

#[test]
fn interrupt_raises_keyboard_interrupt_where_the_process_stands() {
    let src = "from kafka import KafkaConsumer\nn = 0\ntry:\n    while True:\n        n += 1\nexcept KeyboardInterrupt:\n    print('stopped spinning', n > 0)\nc = KafkaConsumer('t')\ntry:\n    for m in c:\n        print(m)\nexcept KeyboardInterrupt:\n    print('stopped consuming')\nfinally:\n    print('closed')\n";
    let prog = pysnip::compile(src, "stop.py").expect("compiles");
    let mut p = Process::new(&prog, Limits::default());
    let mut h = KafkaMock::new();
    assert_eq!(p.run(&mut h, 1_000), RunStatus::OutOfFuel);
    p.interrupt(Exception::builtin("KeyboardInterrupt", ""));
    assert!(matches!(
        p.run(&mut h, 100_000),
        RunStatus::Blocked(Block::Host(_))
    ));
    p.interrupt(Exception::builtin("KeyboardInterrupt", ""));
    assert_eq!(p.run(&mut h, 100_000), RunStatus::Finished);
    assert_eq!(h.out, "stopped spinning True\nstopped consuming\nclosed\n");
}

#[test]
fn virtual_time_modules() {
    // epoch of virtual time 0 is 1_700_000_000_000 ms in the mock host
    let src = "import time\nfrom datetime import datetime, timezone, timedelta\nprint(time.time(), time.strftime('%Y-%m-%d %H:%M:%S'), time.strftime('%H:%M', 0))\nnow = datetime.now(timezone.utc)\nprint(now.isoformat(), now.year, now.hour, repr(now))\nprint(datetime.utcnow().isoformat(), (now + timedelta(hours=1, milliseconds=5)).isoformat())\nprint(str(now), now.timestamp(), repr(timedelta(days=1, seconds=5)), timedelta(seconds=-1))\n";
    let prog = pysnip::compile(src, "t.py").expect("compiles");
    let mut p = Process::new(&prog, Limits::default());
    let mut h = KafkaMock::new();
    assert_eq!(p.run(&mut h, 100_000), RunStatus::Finished);
    assert_eq!(
        h.out,
        "1700000000.0 2023-11-14 22:13:20 00:00\n\
         2023-11-14T22:13:20+00:00 2023 22 datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=datetime.timezone.utc)\n\
         2023-11-14T22:13:20 2023-11-14T23:13:20.005000+00:00\n\
         2023-11-14 22:13:20+00:00 1700000000.0 datetime.timedelta(days=1, seconds=5) -1 day, 23:59:59\n"
    );
}
