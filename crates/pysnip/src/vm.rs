//! The bytecode VM: explicit frames and value stack, resumable after host blocks, fuel-bounded.

use std::cell::RefCell;
use std::rc::Rc;

use crate::ast::{BinOp, CmpOp, UnOp};
use crate::builtins;
use crate::compiler::{Code, Op, ProgramData, NO_KW};
use crate::error::{
    builtin_class, line_col, Exception, ExceptionClass, Frame as TbFrame, PyError, TraceEntry,
};
use crate::limits::Limits;
use crate::ops;
use crate::value::{Dict, Function, HKey, HostRef, IterState, Module, Value};
use crate::{Block, Host, HostResult, Program, RunStatus};

/// Deepest container nesting allowed (checked by the periodic memory walk).
const MAX_CONTAINER_NESTING: usize = 2_000;

struct BlockEntry {
    handler: usize,
    stack_len: usize,
    handling_len: usize,
}

struct Frame {
    code: Rc<Code>,
    ip: usize,
    base: usize,
    ret_base: usize,
    cells: Vec<Rc<RefCell<Value>>>,
    blocks: Vec<BlockEntry>,
    handling: Vec<Exception>,
}

enum Pending {
    /// The pending call's result is pushed.
    Value,
    /// A `for` over a host iterator: the item is pushed, StopIteration exits to `exit`.
    ForIter { exit: usize, iter: Value },
}

enum State {
    Ready,
    Waiting(Pending),
    Finished,
    Failed,
}

pub(crate) enum Exec {
    Done(Value),
    Blocked(Block),
    OutOfFuel,
}

pub(crate) enum CallOutcome {
    Value(Value),
    Pushed,
    Block(Block),
}

pub(crate) enum IterNext {
    Item(Value),
    Done,
    Block(u64),
}

/// One running instance of a program: globals, frames, value stack.
pub struct Process {
    prog: Rc<ProgramData>,
    globals: Vec<Option<Value>>,
    builtin_fallback: Vec<Option<Value>>,
    pub(crate) stack: Vec<Value>,
    frames: Vec<Frame>,
    pub(crate) limits: Limits,
    state: State,
    injected: Option<Exception>,
    pub(crate) modules: Vec<(String, Value)>,
    /// Set by natives that block (time.sleep).
    pub(crate) pending_block: Option<Block>,
    callback_depth: usize,
    since_mem_check: u64,
    mem_check_interval: u64,
    error: Option<PyError>,
    /// Total instructions executed (main loop and callbacks).
    pub instructions: u64,
}

impl Process {
    pub fn new(program: &Program, limits: Limits) -> Process {
        let prog = program.data.clone();
        let mut builtin_fallback = Vec::with_capacity(prog.global_names.len());
        for n in prog.global_names.iter() {
            builtin_fallback.push(builtins::builtin_value(n));
        }
        let n = prog.global_names.len();
        let module = prog.module.clone();
        let mut p = Process {
            prog,
            globals: vec![None; n],
            builtin_fallback,
            stack: Vec::with_capacity(256),
            frames: Vec::new(),
            limits,
            state: State::Ready,
            injected: None,
            modules: Vec::new(),
            pending_block: None,
            callback_depth: 0,
            since_mem_check: 0,
            mem_check_interval: 1 << 20,
            error: None,
            instructions: 0,
        };
        let nlocals = module.nlocals as usize;
        p.push_frame(module, 0, 0, Vec::new());
        p.stack.extend(std::iter::repeat_n(Value::Unbound, nlocals));
        p
    }

    /// Whether the program has finished (normally or with an error).
    pub fn is_done(&self) -> bool {
        matches!(self.state, State::Finished | State::Failed)
    }

    /// A global variable's value, if set.
    pub fn global(&self, name: &str) -> Option<Value> {
        let i = self.prog.global_names.iter().position(|n| &**n == name)?;
        self.globals.get(i).cloned().flatten()
    }

    /// Runs until the program finishes, blocks, errors, or `fuel` instructions are used.
    pub fn run(&mut self, host: &mut dyn Host, fuel: u64) -> RunStatus {
        match self.state {
            State::Finished => return RunStatus::Finished,
            State::Failed => {
                return RunStatus::Error(
                    self.error
                        .clone()
                        .unwrap_or_else(|| runtime_pyerror("the process has already failed")),
                )
            }
            State::Waiting(_) => {
                return RunStatus::Error(runtime_pyerror(
                    "run() called while blocked: call resume_with or resume_raise first",
                ))
            }
            State::Ready => {}
        }
        if let Some(exc) = self.injected.take() {
            if let Some(e) = self.handle_exception(exc, 0) {
                return self.fail(e);
            }
        }
        match self.execute(host, fuel, 0) {
            Ok(Exec::Done(_)) => {
                self.state = State::Finished;
                RunStatus::Finished
            }
            Ok(Exec::OutOfFuel) => RunStatus::OutOfFuel,
            Ok(Exec::Blocked(b)) => RunStatus::Blocked(b),
            Err(e) if e.is_a("SystemExit") => {
                // sys.exit(): a normal end, like CPython (no traceback)
                self.state = State::Finished;
                self.frames.clear();
                teardown(std::mem::take(&mut self.stack));
                RunStatus::Finished
            }
            Err(e) => self.fail(e),
        }
    }

    fn fail(&mut self, e: Exception) -> RunStatus {
        let err = self.to_pyerror(&e);
        self.state = State::Failed;
        self.error = Some(err.clone());
        self.frames.clear();
        teardown(std::mem::take(&mut self.stack));
        RunStatus::Error(err)
    }

    /// Resume after Blocked: the pending call returns `value`.
    pub fn resume_with(&mut self, value: Value) {
        match std::mem::replace(&mut self.state, State::Ready) {
            State::Waiting(Pending::Value) => self.stack.push(value),
            State::Waiting(Pending::ForIter { iter, .. }) => {
                let v = match &iter {
                    Value::Iter(it) => enumerated(it, value),
                    _ => value,
                };
                self.stack.push(v);
            }
            other => self.state = other,
        }
    }

    /// Resume after a host `Sleep` block (same as `resume_with(Value::None)`).
    pub fn resume(&mut self) {
        self.resume_with(Value::None)
    }

    /// Resume after Blocked: the pending call raises `exc` (StopIteration ends a pending `for`).
    pub fn resume_raise(&mut self, exc: Exception) {
        match std::mem::replace(&mut self.state, State::Ready) {
            State::Waiting(Pending::ForIter { exit, .. }) if exc.is_a("StopIteration") => {
                self.stack.pop();
                if let Some(f) = self.frames.last_mut() {
                    f.ip = exit;
                }
            }
            State::Waiting(_) => self.injected = Some(exc),
            other => self.state = other,
        }
    }

    /// Raises `exc` where the process stands the next time `run` is called, whether it is
    /// blocked or out of fuel (e.g. `KeyboardInterrupt` when the learner presses Stop).
    pub fn interrupt(&mut self, exc: Exception) {
        if matches!(self.state, State::Waiting(_)) {
            self.state = State::Ready;
        }
        if matches!(self.state, State::Ready) {
            self.injected = Some(exc);
        }
    }

    /// Calls a Python callable synchronously (from a host call or between runs).
    pub fn call_value(
        &mut self,
        host: &mut dyn Host,
        f: &Value,
        args: Vec<Value>,
    ) -> Result<Value, Exception> {
        self.call_value_kw(host, f, args, Vec::new())
    }

    /// `call_value` with a larger instruction budget than `Limits::callback_fuel` (for hosts and benches).
    pub fn call_value_budget(
        &mut self,
        host: &mut dyn Host,
        f: &Value,
        args: Vec<Value>,
        fuel: u64,
    ) -> Result<Value, Exception> {
        let saved = self.limits.callback_fuel;
        self.limits.callback_fuel = fuel;
        let r = self.call_value(host, f, args);
        self.limits.callback_fuel = saved;
        r
    }

    /// `call_value` with keyword arguments.
    pub fn call_value_kw(
        &mut self,
        host: &mut dyn Host,
        f: &Value,
        args: Vec<Value>,
        kwargs: Vec<(Rc<str>, Value)>,
    ) -> Result<Value, Exception> {
        if self.callback_depth >= self.limits.max_callback_depth {
            return Err(Exception::builtin(
                "RecursionError",
                "maximum recursion depth exceeded (nested callbacks)",
            ));
        }
        let depth = self.frames.len();
        let stack_len = self.stack.len();
        self.callback_depth += 1;
        let r = self.call_value_inner(host, f, args, kwargs, depth);
        self.callback_depth -= 1;
        if r.is_err() {
            self.frames.truncate(depth);
            self.stack.truncate(stack_len);
        }
        r
    }

    fn call_value_inner(
        &mut self,
        host: &mut dyn Host,
        f: &Value,
        args: Vec<Value>,
        kwargs: Vec<(Rc<str>, Value)>,
        depth: usize,
    ) -> Result<Value, Exception> {
        let blocked = || {
            Exception::builtin(
                "RuntimeError",
                "blocking call inside a callback (serializers, key functions... must not block)",
            )
        };
        match self.invoke(host, f.clone(), args, kwargs)? {
            CallOutcome::Value(v) => {
                if self.pending_block.take().is_some() {
                    return Err(blocked());
                }
                Ok(v)
            }
            CallOutcome::Block(_) => Err(blocked()),
            CallOutcome::Pushed => match self.execute(host, self.limits.callback_fuel, depth)? {
                Exec::Done(v) => Ok(v),
                Exec::Blocked(_) => Err(blocked()),
                Exec::OutOfFuel => Err(Exception::builtin(
                    "TimeoutError",
                    "callback ran for too many instructions",
                )),
            },
        }
    }

    // ---------- errors ----------

    /// Renders an exception with its traceback.
    pub fn to_pyerror(&self, e: &Exception) -> PyError {
        let mut frames = Vec::new();
        for t in e.traceback().iter().rev() {
            let (file, src) = self
                .prog
                .files
                .get(t.span.file as usize)
                .map(|(n, s)| (n.as_str(), s.as_str()))
                .unwrap_or(("<unknown>", ""));
            let (line, col, source_line) = line_col(src, t.span.start as usize);
            let (end_line, end_col, _) = line_col(src, t.span.end as usize);
            let end_col = if end_line == line {
                end_col
            } else {
                source_line.chars().count() + 1
            };
            frames.push(TbFrame {
                file: file.to_string(),
                line,
                col,
                end_col: end_col.max(col + 1),
                func: t.func.to_string(),
                source_line,
            });
        }
        let kind = match &*e.class().name {
            "JSONDecodeError" => "json.decoder.JSONDecodeError".to_string(),
            other => other.to_string(),
        };
        PyError {
            kind,
            message: e.message(),
            frames,
            is_syntax: false,
        }
    }

    fn record_trace(&self, e: &Exception) {
        if let Some(f) = self.frames.last() {
            let ip = f.ip.saturating_sub(1);
            let span = f.code.spans.get(ip).copied().unwrap_or_default();
            e.push_trace(TraceEntry {
                span,
                depth: self.frames.len(),
                func: f.code.name.clone(),
            });
        }
    }

    /// Unwinds to a handler. Returns the exception if it propagates below `stop_depth`.
    fn handle_exception(&mut self, exc: Exception, stop_depth: usize) -> Option<Exception> {
        loop {
            self.record_trace(&exc);
            let Some(f) = self.frames.last_mut() else {
                return Some(exc);
            };
            if let Some(b) = f.blocks.pop() {
                f.handling.truncate(b.handling_len);
                f.handling.push(exc.clone());
                f.ip = b.handler;
                self.stack.truncate(b.stack_len);
                self.stack.push(Value::Exception(exc));
                return None;
            }
            let ret_base = f.ret_base;
            self.frames.pop();
            self.stack.truncate(ret_base);
            if self.frames.len() <= stop_depth {
                return Some(exc);
            }
        }
    }

    // ---------- memory ----------

    /// Walks the values reachable from globals and the stack; returns the number of
    /// values visited (used to space out the next check) or MemoryError.
    fn check_memory(&self) -> Result<u64, Exception> {
        let limit = self.limits.max_total_bytes;
        let mut seen = AddrSet::default();
        let mut total = 0usize;
        let mut visited = 0u64;
        let mut work: Vec<(Value, u32)> = Vec::new();
        fn push_if_container(work: &mut Vec<(Value, u32)>, v: &Value, depth: u32) {
            if matches!(
                v,
                Value::Str(_)
                    | Value::Bytes(_)
                    | Value::List(_)
                    | Value::Tuple(_)
                    | Value::Dict(_)
                    | Value::Set(_)
                    | Value::Record(_)
            ) {
                work.push((v.clone(), depth));
            }
        }
        for v in self.globals.iter().flatten().chain(self.stack.iter()) {
            total += 16;
            push_if_container(&mut work, v, 0);
        }
        while let Some((v, depth)) = work.pop() {
            visited += 1;
            if depth as usize > MAX_CONTAINER_NESTING {
                return Err(Exception::builtin_fmt(
                    "MemoryError",
                    format_args!(
                        "containers nested more than {} levels deep",
                        MAX_CONTAINER_NESTING
                    ),
                ));
            }
            let id = match &v {
                Value::Str(s) => Rc::as_ptr(s) as *const u8 as usize,
                Value::Bytes(b) => Rc::as_ptr(b) as *const u8 as usize,
                Value::List(l) => Rc::as_ptr(l) as *const u8 as usize,
                Value::Tuple(t) => Rc::as_ptr(t) as *const u8 as usize,
                Value::Dict(d) | Value::Set(d) => Rc::as_ptr(d) as *const u8 as usize,
                Value::Record(r) => Rc::as_ptr(r) as *const u8 as usize,
                _ => continue,
            };
            if !seen.insert(id) {
                continue;
            }
            let d = depth + 1;
            match &v {
                Value::Str(s) => total += s.len(),
                Value::Bytes(b) => total += b.len(),
                Value::List(l) => {
                    let l = l.borrow();
                    total += 16 * l.len();
                    visited += l.len() as u64;
                    for x in l.iter() {
                        push_if_container(&mut work, x, d);
                    }
                }
                Value::Tuple(t) => {
                    total += 16 * t.len();
                    visited += t.len() as u64;
                    for x in t.iter() {
                        push_if_container(&mut work, x, d);
                    }
                }
                Value::Dict(dd) | Value::Set(dd) => {
                    let dd = dd.borrow();
                    total += 56 * dd.len();
                    visited += dd.len() as u64;
                    for (k, x) in dd.iter() {
                        push_if_container(&mut work, k, d);
                        push_if_container(&mut work, x, d);
                    }
                }
                Value::Record(r) => {
                    total += 32 * r.fields.len();
                    for (_, x) in r.fields.iter() {
                        push_if_container(&mut work, x, d);
                    }
                }
                _ => {}
            }
            if total > limit {
                return Err(Exception::builtin_fmt(
                    "MemoryError",
                    format_args!("the program uses more than {} MB of memory", limit >> 20),
                ));
            }
        }
        Ok(visited)
    }

    // ---------- the dispatch loop ----------

    pub(crate) fn execute(
        &mut self,
        host: &mut dyn Host,
        fuel: u64,
        stop_depth: usize,
    ) -> Result<Exec, Exception> {
        let mut left = fuel;
        let r = self.dispatch(host, &mut left, stop_depth);
        let used = fuel - left;
        self.instructions = self.instructions.saturating_add(used);
        r
    }

    /// The dispatch loop: common instructions run inline on a cached code pointer and ip;
    /// everything else goes through `step` with the frame's ip synchronised.
    fn dispatch(
        &mut self,
        host: &mut dyn Host,
        fuel_ref: &mut u64,
        stop_depth: usize,
    ) -> Result<Exec, Exception> {
        let mut fuel = *fuel_ref;
        let r = self.dispatch_inner(host, &mut fuel, stop_depth);
        *fuel_ref = fuel;
        r
    }

    #[inline(always)]
    fn dispatch_inner(
        &mut self,
        host: &mut dyn Host,
        fuel_ref: &mut u64,
        stop_depth: usize,
    ) -> Result<Exec, Exception> {
        let mut fuel = *fuel_ref;
        // instructions left before the next memory walk
        let mut countdown = self
            .mem_check_interval
            .saturating_sub(self.since_mem_check)
            .max(1);
        macro_rules! leave {
            ($e:expr) => {{
                *fuel_ref = fuel;
                self.since_mem_check = self.mem_check_interval.saturating_sub(countdown);
                return $e;
            }};
        }
        'frames: loop {
            let (code, mut ip, base) = match self.frames.last() {
                Some(f) => (f.code.clone(), f.ip, f.base),
                None => leave!(Ok(Exec::Done(Value::None))),
            };
            loop {
                if fuel == 0 {
                    if let Some(f) = self.frames.last_mut() {
                        f.ip = ip;
                    }
                    leave!(Ok(Exec::OutOfFuel));
                }
                fuel -= 1;
                countdown -= 1;
                if countdown == 0 {
                    let r = self.check_memory();
                    if let Ok(visited) = r {
                        // keep the walk's cost a small fraction of the work done in between
                        self.mem_check_interval = (1u64 << 20).max(visited.saturating_mul(16));
                    }
                    countdown = self.mem_check_interval;
                    if let Err(e) = r {
                        if let Some(f) = self.frames.last_mut() {
                            f.ip = ip;
                        }
                        if let Some(e) = self.handle_exception(e, stop_depth) {
                            leave!(Err(e));
                        }
                        continue 'frames;
                    }
                }
                let Some(&op) = code.ops.get(ip) else {
                    leave!(Err(Exception::builtin(
                        "RuntimeError",
                        "internal error: instruction pointer out of range"
                    )));
                };
                ip += 1;
                match op {
                    Op::LoadFast2(a, b) => {
                        if let (Some(x), Some(y)) = (
                            self.stack.get(base + a as usize),
                            self.stack.get(base + b as usize),
                        ) {
                            if !matches!(x, Value::Unbound) && !matches!(y, Value::Unbound) {
                                let (x, y) = (x.fast_clone(), y.fast_clone());
                                self.stack.push(x);
                                self.stack.push(y);
                                ip += 1;
                                continue;
                            }
                        }
                    }
                    Op::LoadFastConst(a, c) => {
                        if let (Some(x), Some(y)) = (
                            self.stack.get(base + a as usize),
                            code.consts.get(c as usize),
                        ) {
                            if !matches!(x, Value::Unbound) {
                                let x = x.fast_clone();
                                self.stack.push(x);
                                self.stack.push(y.fast_clone());
                                ip += 1;
                                continue;
                            }
                        }
                    }
                    Op::FastConstBin(a, c, o) => {
                        if let (Some(Value::Int(x)), Some(Value::Int(y))) = (
                            self.stack.get(base + a as usize),
                            code.consts.get(c as usize),
                        ) {
                            if let Some(r) = int_binary(o, *x, *y) {
                                self.stack.push(Value::Int(r));
                                ip += 2;
                                continue;
                            }
                        }
                        if let Some(v) = self.stack.get(base + a as usize) {
                            if !matches!(v, Value::Unbound) {
                                let v = v.fast_clone();
                                self.stack.push(v);
                                continue;
                            }
                        }
                    }
                    Op::CmpJump(c, t) => {
                        let n = self.stack.len();
                        if n >= 2 {
                            if let (Value::Int(a), Value::Int(b)) =
                                (&self.stack[n - 2], &self.stack[n - 1])
                            {
                                let r = int_compare(c, *a, *b);
                                if let Some(r) = r {
                                    forget_scalar(self.stack.pop());
                                    forget_scalar(self.stack.pop());
                                    ip = if r { ip + 1 } else { t as usize };
                                    continue;
                                }
                            }
                        }
                    }
                    Op::LoadFast(i) => {
                        if let Some(v) = self.stack.get(base + i as usize) {
                            if !matches!(v, Value::Unbound) {
                                let v = v.fast_clone();
                                self.stack.push(v);
                                continue;
                            }
                        }
                    }
                    Op::StoreFast(i) => {
                        if let Some(v) = self.stack.pop() {
                            if let Some(slot) = self.stack.get_mut(base + i as usize) {
                                forget_scalar(Some(std::mem::replace(slot, v)));
                            }
                        }
                        continue;
                    }
                    Op::LoadConst(i) => {
                        if let Some(v) = code.consts.get(i as usize) {
                            self.stack.push(v.fast_clone());
                            continue;
                        }
                    }
                    Op::LoadGlobal(i) => {
                        if let Some(Some(v)) = self.globals.get(i as usize) {
                            let v = v.fast_clone();
                            self.stack.push(v);
                            continue;
                        }
                    }
                    Op::Pop => {
                        forget_scalar(self.stack.pop());
                        continue;
                    }
                    Op::Jump(t) => {
                        ip = t as usize;
                        continue;
                    }
                    Op::JumpIfFalse(t) => {
                        if let Some(Value::Bool(b)) = self.stack.last() {
                            if !*b {
                                ip = t as usize;
                            }
                            self.stack.pop();
                            continue;
                        }
                    }
                    Op::Binary(o) | Op::Inplace(o) => {
                        let n = self.stack.len();
                        if n >= 2 {
                            if let (Value::Int(a), Value::Int(b)) =
                                (&self.stack[n - 2], &self.stack[n - 1])
                            {
                                if let Some(r) = int_binary(o, *a, *b) {
                                    forget_scalar(self.stack.pop());
                                    if let Some(Value::Int(slot)) = self.stack.get_mut(n - 2) {
                                        *slot = r;
                                    }
                                    continue;
                                }
                            }
                        }
                    }
                    Op::Compare(c) => {
                        let n = self.stack.len();
                        if n >= 2 {
                            if let (Value::Int(a), Value::Int(b)) =
                                (&self.stack[n - 2], &self.stack[n - 1])
                            {
                                let r = int_compare(c, *a, *b);
                                if let Some(r) = r {
                                    forget_scalar(self.stack.pop());
                                    if let Some(slot) = self.stack.get_mut(n - 2) {
                                        forget_scalar(Some(std::mem::replace(
                                            slot,
                                            Value::Bool(r),
                                        )));
                                    }
                                    continue;
                                }
                            }
                        }
                    }
                    Op::ForIter(exit) => {
                        if let Some(Value::Iter(it)) = self.stack.last() {
                            let next = {
                                let mut st = it.borrow_mut();
                                match &mut *st {
                                    IterState::Range { cur, stop, step } => {
                                        if (*step > 0 && *cur < *stop)
                                            || (*step < 0 && *cur > *stop)
                                        {
                                            let v = *cur;
                                            *cur = match cur.checked_add(*step) {
                                                Some(c) => c,
                                                None => *stop,
                                            };
                                            Some(Some(Value::Int(v)))
                                        } else {
                                            Some(None)
                                        }
                                    }
                                    IterState::Seq {
                                        seq: Value::List(l),
                                        idx,
                                    } => {
                                        let v = l.borrow().get(*idx).cloned();
                                        *idx += 1;
                                        Some(v)
                                    }
                                    _ => None,
                                }
                            };
                            match next {
                                Some(Some(v)) => {
                                    self.stack.push(v);
                                    continue;
                                }
                                Some(None) => {
                                    self.stack.pop();
                                    ip = exit as usize;
                                    continue;
                                }
                                None => {}
                            }
                        }
                    }
                    Op::StoreSubscr => {
                        let n = self.stack.len();
                        if n >= 3 {
                            if let Value::Dict(d) = &self.stack[n - 2] {
                                let key = &self.stack[n - 1];
                                if let Value::Int(_) | Value::Str(_) = key {
                                    if let Ok(h) = HKey::of(key) {
                                        let d = d.clone();
                                        let k = self.pop();
                                        self.stack.pop();
                                        let v = self.pop();
                                        let len = d.borrow().len();
                                        if len < self.limits.max_collection_len {
                                            d.borrow_mut().insert_h(h, k, v);
                                            continue;
                                        }
                                        // put them back for the generic path
                                        self.stack.push(v);
                                        self.stack.push(Value::Dict(d));
                                        self.stack.push(k);
                                    }
                                }
                            }
                        }
                    }
                    Op::CallMethod(name, 1, NO_KW) => {
                        let n = self.stack.len();
                        if n >= 2
                            && matches!(&self.stack[n - 2], Value::List(_))
                            && code
                                .names
                                .get(name as usize)
                                .is_some_and(|s| &**s == "append")
                        {
                            let v = self.stack.pop().unwrap_or(Value::None);
                            let pushed = match self.stack.last() {
                                Some(Value::List(l)) => {
                                    let mut lb = l.borrow_mut();
                                    if lb.len() < self.limits.max_collection_len {
                                        lb.push(v);
                                        None
                                    } else {
                                        Some(v)
                                    }
                                }
                                _ => Some(v),
                            };
                            match pushed {
                                None => {
                                    if let Some(top) = self.stack.last_mut() {
                                        *top = Value::None;
                                    }
                                    continue;
                                }
                                Some(v) => self.stack.push(v),
                            }
                        }
                    }
                    _ => {}
                }
                // slow path
                if let Some(f) = self.frames.last_mut() {
                    f.ip = ip;
                }
                let r = match op {
                    Op::Call(argc, NO_KW) => {
                        let argc = argc as usize;
                        let fpos = self.stack.len().wrapping_sub(argc + 1);
                        match self.stack.get(fpos) {
                            Some(Value::Function(f))
                                if f.code.simple && f.code.nparams as usize == argc =>
                            {
                                let f = f.clone();
                                self.push_frame_fast(f, fpos).map(|_| None)
                            }
                            _ => self.step(host, op, stop_depth),
                        }
                    }
                    Op::Return => {
                        let v = self.stack.pop().unwrap_or(Value::None);
                        match self.frames.pop() {
                            None => leave!(Ok(Exec::Done(v))),
                            Some(f) => {
                                for x in self.stack.drain(f.ret_base.min(self.stack.len())..) {
                                    forget_scalar(Some(x));
                                }
                                if self.frames.len() <= stop_depth {
                                    leave!(Ok(Exec::Done(v)));
                                }
                                self.stack.push(v);
                                continue 'frames;
                            }
                        }
                    }
                    _ => self.step(host, op, stop_depth),
                };
                match r {
                    Ok(None) => {}
                    Ok(Some(x)) => leave!(Ok(x)),
                    Err(exc) => {
                        if let Some(e) = self.handle_exception(exc, stop_depth) {
                            leave!(Err(e));
                        }
                    }
                }
                continue 'frames;
            }
        }
    }

    #[inline]
    fn pop(&mut self) -> Value {
        self.stack.pop().unwrap_or(Value::None)
    }

    #[inline]
    fn top(&self) -> Value {
        self.stack.last().cloned().unwrap_or(Value::None)
    }

    fn pop_n(&mut self, n: usize) -> Vec<Value> {
        let at = self.stack.len().saturating_sub(n);
        self.stack.split_off(at)
    }

    fn name_of(&self, i: u32) -> Rc<str> {
        self.frames
            .last()
            .and_then(|f| f.code.names.get(i as usize).cloned())
            .unwrap_or_else(|| Rc::from("?"))
    }

    fn const_of(&self, i: u32) -> Value {
        self.frames
            .last()
            .and_then(|f| f.code.consts.get(i as usize).cloned())
            .unwrap_or(Value::None)
    }

    fn kw_pairs(&mut self, kw: u32) -> Vec<(Rc<str>, Value)> {
        if kw == NO_KW {
            return Vec::new();
        }
        let names = match self.const_of(kw) {
            Value::Tuple(t) => t,
            _ => return Vec::new(),
        };
        let vals = self.pop_n(names.len());
        let mut out = Vec::with_capacity(vals.len());
        for (n, v) in names.iter().zip(vals) {
            out.push((Rc::from(n.as_str().unwrap_or("")), v));
        }
        out
    }

    /// Executes one instruction. `Ok(Some(_))` ends the loop.
    fn step(
        &mut self,
        host: &mut dyn Host,
        op: Op,
        stop_depth: usize,
    ) -> Result<Option<Exec>, Exception> {
        let op = op.first();
        let Some(frame) = self.frames.last_mut() else {
            return Ok(Some(Exec::Done(Value::None)));
        };
        let base = frame.base;
        match op {
            // superinstructions were mapped to their first op above; the dispatch loop
            // handles StoreFast, Pop, Jump and Return completely and never passes them here
            Op::Nop
            | Op::LoadFast2(..)
            | Op::LoadFastConst(..)
            | Op::FastConstBin(..)
            | Op::CmpJump(..)
            | Op::StoreFast(_)
            | Op::Pop
            | Op::Jump(_)
            | Op::Return => {}
            Op::LoadConst(i) => {
                let v = frame
                    .code
                    .consts
                    .get(i as usize)
                    .cloned()
                    .unwrap_or(Value::None);
                self.stack.push(v);
            }
            Op::LoadFast(i) => {
                let v = self
                    .stack
                    .get(base + i as usize)
                    .cloned()
                    .unwrap_or(Value::Unbound);
                if let Value::Unbound = v {
                    let name = self
                        .frames
                        .last()
                        .and_then(|f| f.code.local_names.get(i as usize))
                        .map_or("?", |n| &**n);
                    return Err(Exception::builtin_fmt(
                        "UnboundLocalError",
                        format_args!("cannot access local variable '{}' where it is not associated with a value", name),
                    ));
                }
                self.stack.push(v);
            }
            Op::DeleteFast(i) => {
                if let Some(slot) = self.stack.get_mut(base + i as usize) {
                    *slot = Value::Unbound;
                }
            }
            Op::LoadDeref(i) => {
                let v = frame
                    .cells
                    .get(i as usize)
                    .map(|c| c.borrow().clone())
                    .unwrap_or(Value::Unbound);
                if let Value::Unbound = v {
                    return Err(Exception::builtin(
                        "NameError",
                        "free variable referenced before assignment in enclosing scope",
                    ));
                }
                self.stack.push(v);
            }
            Op::StoreDeref(i) => {
                let v = self.pop();
                if let Some(c) = self.frames.last().and_then(|f| f.cells.get(i as usize)) {
                    *c.borrow_mut() = v;
                }
            }
            Op::LoadGlobal(i) => {
                let v = match self.globals.get(i as usize) {
                    Some(Some(v)) => v.clone(),
                    _ => match self.builtin_fallback.get(i as usize) {
                        Some(Some(v)) => v.clone(),
                        _ => return Err(self.name_error(i)),
                    },
                };
                self.stack.push(v);
            }
            Op::StoreGlobal(i) => {
                let v = self.pop();
                if let Some(slot) = self.globals.get_mut(i as usize) {
                    forget_scalar(slot.replace(v));
                }
            }
            Op::DeleteGlobal(i) => {
                let was = self.globals.get_mut(i as usize).and_then(|s| s.take());
                if was.is_none() {
                    return Err(self.name_error(i));
                }
            }
            Op::LoadAttr(n) => {
                let name = self.name_of(n);
                let obj = self.pop();
                let v = self.get_attr(host, &obj, &name)?;
                self.stack.push(v);
            }
            Op::StoreAttr(n) => {
                let name = self.name_of(n);
                let obj = self.pop();
                let _v = self.pop();
                return Err(Exception::builtin_fmt(
                    "AttributeError",
                    format_args!(
                        "'{}' object attribute '{}' cannot be set in the playground",
                        obj.type_name(),
                        name
                    ),
                ));
            }
            Op::LoadSubscr => {
                let idx = self.pop();
                let obj = self.pop();
                let v = ops::getitem(&obj, &idx)?;
                self.stack.push(v);
            }
            Op::StoreSubscr => {
                let idx = self.pop();
                let obj = self.pop();
                let v = self.pop();
                ops::setitem(self, &obj, idx, v)?;
            }
            Op::DeleteSubscr => {
                let idx = self.pop();
                let obj = self.pop();
                ops::delitem(&obj, &idx)?;
            }
            Op::BuildSlice => {
                let s = self.pop();
                let b = self.pop();
                let a = self.pop();
                self.stack.push(Value::Slice(Rc::new((a, b, s))));
            }
            Op::Binary(o) | Op::Inplace(o) => {
                let b = self.pop();
                let a = self.pop();
                let r = match (o, &a, &b) {
                    (BinOp::Add, Value::List(l), _) if matches!(op, Op::Inplace(_)) => {
                        let mut items = self.collect(host, &b)?;
                        let newlen = l.borrow().len().saturating_add(items.len());
                        self.limits.check_len(newlen)?;
                        l.borrow_mut().append(&mut items);
                        a.clone()
                    }
                    _ => ops::binary(&self.limits, o, &a, &b, &mut |h| host.repr(h))?,
                };
                self.stack.push(r);
            }
            Op::Unary(o) => {
                let a = self.pop();
                let r = match (o, &a) {
                    (UnOp::Not, _) => Value::Bool(!a.truthy()),
                    (UnOp::Neg, Value::Int(i)) => {
                        Value::Int(i.checked_neg().ok_or_else(ops::overflow)?)
                    }
                    (UnOp::Neg, Value::Bool(b)) => Value::Int(-(*b as i64)),
                    (UnOp::Neg, Value::Float(f)) => Value::Float(-f),
                    (UnOp::Pos, Value::Int(_) | Value::Float(_)) => a,
                    (UnOp::Pos, Value::Bool(b)) => Value::Int(*b as i64),
                    (UnOp::Invert, Value::Int(i)) => Value::Int(!i),
                    (UnOp::Invert, Value::Bool(b)) => Value::Int(!(*b as i64)),
                    _ => return Err(bad_unary(o, &a)),
                };
                self.stack.push(r);
            }
            Op::Compare(c) => {
                let b = self.pop();
                let a = self.pop();
                let r = match c {
                    CmpOp::Eq => a.eq(&b),
                    CmpOp::Ne => !a.eq(&b),
                    CmpOp::Is => a.is(&b),
                    CmpOp::IsNot => !a.is(&b),
                    CmpOp::In => ops::contains(&b, &a)?,
                    CmpOp::NotIn => !ops::contains(&b, &a)?,
                    _ => ops::compare(c, &a, &b)?,
                };
                self.stack.push(Value::Bool(r));
            }
            Op::JumpIfFalse(t)
            | Op::JumpIfTrue(t)
            | Op::JumpIfFalseOrPop(t)
            | Op::JumpIfTrueOrPop(t) => {
                let on_true = matches!(op, Op::JumpIfTrue(_) | Op::JumpIfTrueOrPop(_));
                let keep = matches!(op, Op::JumpIfFalseOrPop(_) | Op::JumpIfTrueOrPop(_));
                let jump = self.stack.last().is_some_and(|v| v.truthy()) == on_true;
                if jump {
                    frame.ip = t as usize;
                }
                // the *OrPop forms leave the value when they jump
                if !(keep && jump) {
                    self.stack.pop();
                }
            }
            Op::Dup => {
                let v = self.top();
                self.stack.push(v);
            }
            Op::Dup2 => {
                let n = self.stack.len();
                if n >= 2 {
                    let a = self.stack[n - 2].clone();
                    let b = self.stack[n - 1].clone();
                    self.stack.push(a);
                    self.stack.push(b);
                }
            }
            Op::Rot2 => {
                let n = self.stack.len();
                if n >= 2 {
                    self.stack.swap(n - 1, n - 2);
                }
            }
            Op::Rot3 => {
                let n = self.stack.len();
                if n >= 3 {
                    let v = self.stack.remove(n - 1);
                    self.stack.insert(n - 3, v);
                }
            }
            Op::BuildList(n) => {
                let items = self.pop_n(n as usize);
                self.stack.push(Value::list(items));
            }
            Op::BuildTuple(n) => {
                let items = self.pop_n(n as usize);
                self.stack.push(Value::tuple(items));
            }
            Op::BuildSet(n) | Op::BuildDict(n) => {
                let is_dict = matches!(op, Op::BuildDict(_));
                let items = self.pop_n(n as usize * (1 + is_dict as usize));
                let mut d = Dict::new();
                let mut it = items.into_iter();
                while let Some(k) = it.next() {
                    let v = if is_dict { it.next() } else { None };
                    d.insert(k, v.unwrap_or(Value::None))?;
                }
                let d = Rc::new(RefCell::new(d));
                self.stack.push(if is_dict {
                    Value::Dict(d)
                } else {
                    Value::Set(d)
                });
            }
            Op::ListAppend(depth) | Op::SetAdd(depth) | Op::MapAdd(depth) => {
                // comprehension appends: the item (a key and a value for MapAdd) goes into
                // the collection `depth` slots down the stack
                let v = self.pop();
                let k = match op {
                    Op::MapAdd(_) => self.pop(),
                    _ => Value::None,
                };
                let at = self.stack.len().checked_sub(depth as usize);
                match at.and_then(|i| self.stack.get(i)) {
                    Some(Value::List(l)) => {
                        let len = l.borrow().len();
                        self.limits.check_len(len + 1)?;
                        l.borrow_mut().push(v);
                    }
                    Some(Value::Set(d) | Value::Dict(d)) => {
                        let len = d.borrow().len();
                        self.limits.check_len(len + 1)?;
                        let (k, v) = match op {
                            Op::MapAdd(_) => (k, v),
                            _ => (v, Value::None),
                        };
                        d.borrow_mut().insert(k, v)?;
                    }
                    _ => {}
                }
            }
            Op::ListExtend => {
                let v = self.pop();
                let mut items = self.collect(host, &v)?;
                if let Some(Value::List(l)) = self.stack.last() {
                    let len = l.borrow().len();
                    self.limits.check_len(len + items.len())?;
                    l.borrow_mut().append(&mut items);
                }
            }
            Op::DictMerge => {
                let v = self.pop();
                let Value::Dict(src) = &v else {
                    return Err(Exception::type_error_fmt(format_args!(
                        "'{}' object is not a mapping",
                        v.type_name()
                    )));
                };
                let items = src.borrow().items();
                if let Some(Value::Dict(d)) = self.stack.last() {
                    let mut d = d.borrow_mut();
                    for (k, v) in items {
                        d.insert(k, v)?;
                    }
                }
            }
            Op::ListToTuple => {
                let v = self.pop();
                let t = match &v {
                    Value::List(l) => Value::tuple(l.borrow().clone()),
                    _ => v,
                };
                self.stack.push(t);
            }
            Op::UnpackSequence(_) | Op::UnpackEx(..) => {
                // `a, b = v` takes exactly `before` items; `a, *m, z = v` at least
                // `before + after`, the starred list getting the middle ones
                let (before, after, star) = match op {
                    Op::UnpackEx(b, a) => (b as usize, a as usize, true),
                    Op::UnpackSequence(n) => (n as usize, 0, false),
                    _ => (0, 0, false),
                };
                let v = self.pop();
                let mut items = self.unpack_items(host, &v)?;
                let need = before + after;
                if items.len() < need || (!star && items.len() > need) {
                    return Err(unpack_error(need, items.len(), star));
                }
                // pushed last to first: the `after` items, the starred list, the `before` items
                if star {
                    let tail = items.split_off(items.len() - after);
                    let mid = items.split_off(before);
                    self.stack.extend(tail.into_iter().rev());
                    self.stack.push(Value::list(mid));
                }
                self.stack.extend(items.into_iter().rev());
            }
            Op::GetIter => {
                let v = self.pop();
                let it = builtins::make_iter(&v)?;
                self.stack.push(it);
            }
            Op::ForIter(exit) => {
                let it = self.top();
                match self.iter_next(host, &it)? {
                    IterNext::Item(v) => self.stack.push(v),
                    IterNext::Done => {
                        self.pop();
                        if let Some(f) = self.frames.last_mut() {
                            f.ip = exit as usize;
                        }
                    }
                    IterNext::Block(token) => {
                        if self.frames.len() <= stop_depth || stop_depth > 0 {
                            return Err(Exception::builtin(
                                "RuntimeError",
                                "blocking iteration inside a callback",
                            ));
                        }
                        self.state = State::Waiting(Pending::ForIter {
                            exit: exit as usize,
                            iter: it,
                        });
                        return Ok(Some(Exec::Blocked(Block::Host(token))));
                    }
                }
            }
            Op::Call(argc, kw) => {
                let kwargs = self.kw_pairs(kw);
                let argc = argc as usize;
                let args = self.pop_n(argc);
                let callee = self.pop();
                return self.call_and_continue(host, callee, args, kwargs, stop_depth);
            }
            Op::CallMethod(name, argc, kw) => {
                let name = self.name_of(name);
                let kwargs = self.kw_pairs(kw);
                let args = self.pop_n(argc as usize);
                let obj = self.pop();
                let outcome = match &obj {
                    Value::Host(h) => self.host_call(host, h, Some(&name), args, kwargs)?,
                    Value::Module(_)
                    | Value::Record(_)
                    | Value::Exception(_)
                    | Value::ExcClass(_)
                    | Value::Function(_)
                    | Value::Type(_)
                    | Value::HostFunction(_) => {
                        let f = self.get_attr(host, &obj, &name)?;
                        self.invoke(host, f, args, kwargs)?
                    }
                    _ => CallOutcome::Value(builtins::call_method(
                        self, host, &obj, &name, args, kwargs,
                    )?),
                };
                return self.after_call(outcome, stop_depth);
            }
            Op::CallEx(has_kw) => {
                let kwd = if has_kw { Some(self.pop()) } else { None };
                let args = self.pop();
                let callee = self.pop();
                let args = match args {
                    Value::List(l) => l.borrow().clone(),
                    other => self.collect(host, &other)?,
                };
                let mut kwargs = Vec::new();
                if let Some(Value::Dict(d)) = kwd {
                    for (k, v) in d.borrow().items() {
                        match k {
                            Value::Str(s) => kwargs.push((Rc::from(s.as_str()), v)),
                            _ => return Err(Exception::type_error("keywords must be strings")),
                        }
                    }
                }
                return self.call_and_continue(host, callee, args, kwargs, stop_depth);
            }
            Op::MakeFunction(idx) => {
                let Some(code) = frame.code.children.get(idx as usize).cloned() else {
                    return Err(Exception::builtin(
                        "RuntimeError",
                        "internal error: bad code index",
                    ));
                };
                let mut closure = Vec::new();
                for &s in code.free_sources.iter() {
                    if let Some(c) = frame.cells.get(s as usize) {
                        closure.push(c.clone());
                    }
                }
                let kwvals = self.pop_n(code.nkwdefaults as usize);
                let defaults = self.pop_n(code.ndefaults as usize);
                let mut kwdefaults = Vec::new();
                for (n, v) in code.kwonly_defaults.iter().zip(kwvals) {
                    kwdefaults.push((n.clone(), v));
                }
                self.stack.push(Value::Function(Rc::new(Function {
                    code,
                    defaults,
                    kwdefaults,
                    closure,
                })));
            }
            Op::SetupExcept(h) => {
                let stack_len = self.stack.len();
                if let Some(f) = self.frames.last_mut() {
                    let handling_len = f.handling.len();
                    f.blocks.push(BlockEntry {
                        handler: h as usize,
                        stack_len,
                        handling_len,
                    });
                }
            }
            Op::PopBlock => {
                frame.blocks.pop();
            }
            Op::PopExcept => {
                frame.handling.pop();
            }
            Op::Raise(kind) => {
                let exc = match kind {
                    0 => match frame.handling.last() {
                        Some(e) => e.clone(),
                        None => {
                            return Err(Exception::builtin(
                                "RuntimeError",
                                "No active exception to reraise",
                            ))
                        }
                    },
                    _ => {
                        if kind == 2 {
                            self.pop();
                        }
                        let v = self.pop();
                        let e = self.make_exception(host, v)?;
                        e.clear_traceback();
                        e
                    }
                };
                return Err(exc);
            }
            Op::Reraise => {
                let v = self.pop();
                if let Some(f) = self.frames.last_mut() {
                    f.handling.pop();
                }
                return Err(match v {
                    Value::Exception(e) => e,
                    _ => Exception::builtin(
                        "RuntimeError",
                        "internal error: reraise of a non-exception",
                    ),
                });
            }
            Op::ExcMatch => {
                let cls = self.pop();
                let exc = self.top();
                let Value::Exception(e) = exc else {
                    self.stack.push(Value::Bool(false));
                    return Ok(None);
                };
                let m = exc_matches(&e, &cls)?;
                self.stack.push(Value::Bool(m));
            }
            Op::AssertFail(has_msg) => {
                let args = if has_msg { vec![self.pop()] } else { vec![] };
                return Err(Exception::with_args(&builtin_class("AssertionError"), args));
            }
            Op::ImportName(c, top) => {
                let name = self.const_of(c);
                let name = name.as_str().unwrap_or("").to_string();
                let m = self.import_module(host, &name)?;
                if top && name.contains('.') {
                    let first = name.split('.').next().unwrap_or("");
                    let t = self.import_module(host, first)?;
                    self.stack.push(t);
                } else {
                    self.stack.push(m);
                }
            }
            Op::ImportFrom(n) => {
                let name = self.name_of(n);
                let m = self.top();
                let Value::Module(module) = &m else {
                    return Err(Exception::builtin_fmt(
                        "ImportError",
                        format_args!("cannot import name '{}'", name),
                    ));
                };
                let v = match module.get(&name) {
                    Some(v) => v,
                    None => {
                        let full = format!("{}.{}", module.name, name);
                        match self.import_module(host, &full) {
                            Ok(v) => v,
                            Err(_) => {
                                return Err(Exception::builtin_fmt(
                                    "ImportError",
                                    format_args!(
                                        "cannot import name '{}' from '{}' (unknown location)",
                                        name, module.name
                                    ),
                                ))
                            }
                        }
                    }
                };
                self.stack.push(v);
            }
            Op::FormatValue(conv, has_spec) => {
                let spec = if has_spec { Some(self.pop()) } else { None };
                let v = self.pop();
                let v = match conv {
                    1 | 3 => Value::string(self.repr(host, &v)),
                    2 => Value::string(self.str_of(host, &v)),
                    _ => v,
                };
                let spec = spec.as_ref().and_then(|s| s.as_str()).unwrap_or("");
                let s = match (&v, spec) {
                    (Value::Str(_), "") => v,
                    _ => Value::string(crate::format::format_value(&v, spec, &mut |h| {
                        host.repr(h)
                    })?),
                };
                self.stack.push(s);
            }
            Op::BuildString(n) => {
                let parts = self.pop_n(n as usize);
                let mut s = String::new();
                for p in &parts {
                    if let Value::Str(x) = p {
                        s.push_str(x);
                    }
                }
                self.limits.check_str(s.len())?;
                self.stack.push(Value::string(s));
            }
            Op::MakeExcClass(c) => {
                let name = self.const_of(c);
                let base = self.pop();
                let Value::ExcClass(parent) = base else {
                    return Err(Exception::type_error(
                        "class definitions are not supported in the playground (only exception classes deriving from an exception class)",
                    ));
                };
                let cls = ExceptionClass::new(name.as_str().unwrap_or("?"), Some(parent));
                self.stack.push(Value::ExcClass(cls));
            }
        }
        Ok(None)
    }

    /// NameError for global `i`.
    #[cold]
    #[inline(never)]
    fn name_error(&self, i: u32) -> Exception {
        let name = self.prog.global_names.get(i as usize).map_or("?", |n| &**n);
        Exception::builtin_fmt("NameError", format_args!("name '{}' is not defined", name))
    }

    fn after_call(
        &mut self,
        outcome: CallOutcome,
        stop_depth: usize,
    ) -> Result<Option<Exec>, Exception> {
        // a value returned by a native that blocks (time.sleep) is dropped: the pending
        // call's result is what `resume_with` gives
        let b = match outcome {
            CallOutcome::Value(v) => match self.pending_block.take() {
                Some(b) => b,
                None => {
                    self.stack.push(v);
                    return Ok(None);
                }
            },
            CallOutcome::Pushed => return Ok(None),
            CallOutcome::Block(b) => b,
        };
        if stop_depth > 0 {
            return Err(Exception::builtin(
                "RuntimeError",
                "blocking call inside a callback",
            ));
        }
        self.state = State::Waiting(Pending::Value);
        Ok(Some(Exec::Blocked(b)))
    }

    fn call_and_continue(
        &mut self,
        host: &mut dyn Host,
        callee: Value,
        args: Vec<Value>,
        kwargs: Vec<(Rc<str>, Value)>,
        stop_depth: usize,
    ) -> Result<Option<Exec>, Exception> {
        let outcome = self.invoke(host, callee, args, kwargs)?;
        self.after_call(outcome, stop_depth)
    }

    fn check_depth(&self) -> Result<(), Exception> {
        if self.frames.len() >= self.limits.max_stack_depth {
            return Err(Exception::builtin(
                "RecursionError",
                "maximum recursion depth exceeded",
            ));
        }
        Ok(())
    }

    fn push_frame_fast(&mut self, f: Rc<Function>, fpos: usize) -> Result<(), Exception> {
        self.check_depth()?;
        let extra = f.code.nlocals as usize - f.code.nparams as usize;
        for _ in 0..extra {
            self.stack.push(Value::Unbound);
        }
        self.push_frame(f.code.clone(), fpos + 1, fpos, f.closure.clone());
        Ok(())
    }

    /// Enters `code` with its locals from stack slot `base` on; returning truncates the
    /// stack to `ret_base`.
    fn push_frame(
        &mut self,
        code: Rc<Code>,
        base: usize,
        ret_base: usize,
        cells: Vec<Rc<RefCell<Value>>>,
    ) {
        self.frames.push(Frame {
            code,
            ip: 0,
            base,
            ret_base,
            cells,
            blocks: Vec::new(),
            handling: Vec::new(),
        });
    }

    /// Calls any callable: pushes a frame for Python functions, runs natives and host calls.
    pub(crate) fn invoke(
        &mut self,
        host: &mut dyn Host,
        callee: Value,
        args: Vec<Value>,
        kwargs: Vec<(Rc<str>, Value)>,
    ) -> Result<CallOutcome, Exception> {
        match &callee {
            Value::Function(f) => {
                self.check_depth()?;
                let locals = bind_args(f, args, kwargs)?;
                let code = f.code.clone();
                let ret_base = self.stack.len();
                let base = ret_base;
                let mut cells = Vec::with_capacity(code.cells.len() + f.closure.len());
                for src in code.cells.iter() {
                    let v = src.and_then(|i| locals.get(i as usize).cloned());
                    cells.push(Rc::new(RefCell::new(v.unwrap_or(Value::Unbound))));
                }
                cells.extend_from_slice(&f.closure);
                let mut locals = locals;
                self.stack.append(&mut locals);
                self.push_frame(code, base, ret_base, cells);
                Ok(CallOutcome::Pushed)
            }
            Value::Builtin(b) => Ok(CallOutcome::Value((b.f)(self, host, args, kwargs)?)),
            Value::BoundMethod(m) => {
                let (recv, name) = (&m.0, &m.1);
                Ok(CallOutcome::Value(builtins::call_method(
                    self, host, recv, name, args, kwargs,
                )?))
            }
            Value::Type(t) => Ok(CallOutcome::Value(builtins::construct(
                self, host, *t, args, kwargs,
            )?)),
            Value::ExcClass(c) => {
                if !kwargs.is_empty() {
                    return Err(Exception::type_error_fmt(format_args!(
                        "{}() takes no keyword arguments",
                        c.name
                    )));
                }
                Ok(CallOutcome::Value(Value::Exception(Exception::with_args(
                    c, args,
                ))))
            }
            Value::HostFunction(h) | Value::Host(h) => {
                let h = (**h).clone();
                self.host_call(host, &h, None, args, kwargs)
            }
            Value::HostMethod(m) => {
                let (h, name) = ((m.0).clone(), m.1.clone());
                self.host_call(host, &h, Some(&name), args, kwargs)
            }
            other => Err(Exception::type_error_fmt(format_args!(
                "'{}' object is not callable",
                other.type_name()
            ))),
        }
    }

    fn host_call(
        &mut self,
        host: &mut dyn Host,
        h: &HostRef,
        method: Option<&str>,
        args: Vec<Value>,
        kwargs: Vec<(Rc<str>, Value)>,
    ) -> Result<CallOutcome, Exception> {
        let mut kw = Vec::with_capacity(kwargs.len());
        for (k, v) in kwargs {
            kw.push((k.to_string(), v));
        }
        match host.call(self, h, method, args, kw) {
            HostResult::Return(v) => Ok(CallOutcome::Value(v)),
            HostResult::Raise(e) => Err(e),
            HostResult::Block(t) => Ok(CallOutcome::Block(Block::Host(t))),
        }
    }

    fn make_exception(&mut self, host: &mut dyn Host, v: Value) -> Result<Exception, Exception> {
        match v {
            Value::Exception(e) => Ok(e),
            Value::ExcClass(c) => Ok(Exception::with_args(&c, vec![])),
            other => {
                let _ = host;
                Err(Exception::type_error_fmt(format_args!(
                    "exceptions must derive from BaseException, not {}",
                    other.type_name()
                )))
            }
        }
    }

    // ---------- helpers used by builtins ----------

    pub(crate) fn repr(&mut self, host: &mut dyn Host, v: &Value) -> String {
        crate::format::repr_h(v, &mut |h| host.repr(h))
    }

    pub(crate) fn str_of(&mut self, host: &mut dyn Host, v: &Value) -> String {
        crate::format::to_str_h(v, &mut |h| host.repr(h))
    }

    fn unpack_items(&mut self, host: &mut dyn Host, v: &Value) -> Result<Vec<Value>, Exception> {
        match v {
            Value::Record(r) => {
                let mut out = Vec::with_capacity(r.fields.len());
                for (_, v) in &r.fields {
                    out.push(v.clone());
                }
                Ok(out)
            }
            _ => self.collect(host, v).map_err(|e| {
                if e.is_a("TypeError") {
                    Exception::type_error_fmt(format_args!(
                        "cannot unpack non-iterable {} object",
                        v.type_name()
                    ))
                } else {
                    e
                }
            }),
        }
    }

    /// All items of an iterable (host iterators must not block here).
    pub(crate) fn collect(
        &mut self,
        host: &mut dyn Host,
        v: &Value,
    ) -> Result<Vec<Value>, Exception> {
        match v {
            Value::List(l) => return Ok(l.borrow().clone()),
            Value::Tuple(t) => return Ok(t.to_vec()),
            Value::Range(r) => {
                let n = crate::value::range_len(r.0, r.1, r.2);
                self.limits.check_len(n.max(0) as usize)?;
                let mut out = Vec::with_capacity(n.max(0) as usize);
                let mut cur = r.0;
                for _ in 0..n {
                    out.push(Value::Int(cur));
                    cur = cur.wrapping_add(r.2);
                }
                return Ok(out);
            }
            _ => {}
        }
        let it = builtins::make_iter(v)?;
        let mut out = Vec::new();
        loop {
            match self.iter_next(host, &it)? {
                IterNext::Item(x) => {
                    out.push(x);
                    if out.len() > self.limits.max_collection_len {
                        self.limits.check_len(out.len())?;
                    }
                }
                IterNext::Done => return Ok(out),
                IterNext::Block(_) => {
                    return Err(Exception::builtin(
                        "RuntimeError",
                        "this host iterator blocks: iterate it with a `for` loop instead",
                    ))
                }
            }
        }
    }

    pub(crate) fn iter_next(
        &mut self,
        host: &mut dyn Host,
        it: &Value,
    ) -> Result<IterNext, Exception> {
        let Value::Iter(cell) = it else {
            return Err(Exception::type_error_fmt(format_args!(
                "'{}' object is not an iterator",
                it.type_name()
            )));
        };
        let mut st = cell.borrow_mut();
        match &mut *st {
            IterState::Seq { seq, idx } => {
                let v = match seq {
                    Value::List(l) => l.borrow().get(*idx).cloned(),
                    Value::Tuple(t) => t.get(*idx).cloned(),
                    Value::Bytes(b) => b.get(*idx).map(|x| Value::Int(*x as i64)),
                    _ => None,
                };
                *idx += 1;
                Ok(v.map(IterNext::Item).unwrap_or(IterNext::Done))
            }
            IterState::Chars { s, pos } => match s.get(*pos..).and_then(|r| r.chars().next()) {
                Some(c) => {
                    *pos += c.len_utf8();
                    let mut buf = [0u8; 4];
                    Ok(IterNext::Item(Value::str(c.encode_utf8(&mut buf))))
                }
                None => Ok(IterNext::Done),
            },
            IterState::Range { cur, stop, step } => {
                if (*step > 0 && *cur < *stop) || (*step < 0 && *cur > *stop) {
                    let v = *cur;
                    *cur = cur.saturating_add(*step);
                    if (*step > 0 && *cur < v) || (*step < 0 && *cur > v) {
                        *cur = *stop;
                    }
                    Ok(IterNext::Item(Value::Int(v)))
                } else {
                    Ok(IterNext::Done)
                }
            }
            IterState::Items { items, idx } => {
                let v = items.get(*idx).cloned();
                *idx += 1;
                Ok(v.map(IterNext::Item).unwrap_or(IterNext::Done))
            }
            IterState::Host(h) => {
                let h = h.clone();
                drop(st);
                match host.iter_next(self, &h) {
                    HostResult::Return(v) => Ok(IterNext::Item(v)),
                    HostResult::Raise(e) if e.is_a("StopIteration") => Ok(IterNext::Done),
                    HostResult::Raise(e) => Err(e),
                    HostResult::Block(t) => Ok(IterNext::Block(t)),
                }
            }
            IterState::Enumerate { inner, .. } => {
                let inner = inner.clone();
                drop(st);
                match self.iter_next(host, &inner)? {
                    IterNext::Item(v) => Ok(IterNext::Item(enumerated(cell, v))),
                    other => Ok(other),
                }
            }
            IterState::Zip(iters) => {
                let iters = iters.clone();
                drop(st);
                let mut out = Vec::with_capacity(iters.len());
                for i in &iters {
                    match self.iter_next(host, i)? {
                        IterNext::Item(v) => out.push(v),
                        IterNext::Done => return Ok(IterNext::Done),
                        IterNext::Block(_) => {
                            return Err(Exception::builtin(
                                "RuntimeError",
                                "blocking host iterators are not supported inside zip()",
                            ))
                        }
                    }
                }
                if out.is_empty() {
                    return Ok(IterNext::Done);
                }
                Ok(IterNext::Item(Value::tuple(out)))
            }
        }
    }

    pub(crate) fn get_attr(
        &mut self,
        host: &mut dyn Host,
        obj: &Value,
        name: &str,
    ) -> Result<Value, Exception> {
        match obj {
            Value::Module(m) => m.get(name).ok_or_else(|| {
                Exception::builtin_fmt(
                    "AttributeError",
                    format_args!("module '{}' has no attribute '{}'", m.name, name),
                )
            }),
            Value::Host(h) => host.get_attr(h, name),
            Value::Record(r) => match name {
                "_fields" => {
                    let mut names = Vec::with_capacity(r.fields.len());
                    for (k, _) in &r.fields {
                        names.push(Value::str(k));
                    }
                    Ok(Value::tuple(names))
                }
                "_asdict" => Ok(Value::BoundMethod(Rc::new((obj.clone(), Rc::from(name))))),
                _ => obj.field(name).ok_or_else(|| builtins::no_attr(obj, name)),
            },
            Value::Exception(e) => match name {
                "args" => Ok(Value::tuple(e.args().to_vec())),
                "msg" if e.is_a("JSONDecodeError") => {
                    Ok(e.args().first().cloned().unwrap_or(Value::None))
                }
                "__class__" => Ok(Value::ExcClass(e.class().clone())),
                _ => Err(builtins::no_attr(obj, name)),
            },
            Value::ExcClass(_) | Value::Type(_) => {
                let tname = match obj {
                    Value::ExcClass(c) => &*c.name,
                    Value::Type(t) => t.name(),
                    _ => "",
                };
                let attr = match obj {
                    _ if name == "__name__" => Some(Value::str(tname)),
                    Value::Type(t) => builtins::type_attr(*t, name),
                    _ => None,
                };
                attr.ok_or_else(|| {
                    Exception::builtin_fmt(
                        "AttributeError",
                        format_args!("type object '{}' has no attribute '{}'", tname, name),
                    )
                })
            }
            Value::HostFunction(h) if name == "__name__" => Ok(Value::str(&h.class)),
            Value::Function(f) if name == "__name__" => Ok(Value::str(&f.code.name)),
            Value::Builtin(b) if name == "__name__" => Ok(Value::str(b.name)),
            Value::Native(_) => crate::modules::datetime::native_attr(obj, name)
                .ok_or_else(|| builtins::no_attr(obj, name)),
            _ => {
                if builtins::has_method(obj, name) {
                    Ok(Value::BoundMethod(Rc::new((obj.clone(), Rc::from(name)))))
                } else {
                    Err(builtins::no_attr(obj, name))
                }
            }
        }
    }

    pub(crate) fn import_module(
        &mut self,
        host: &mut dyn Host,
        name: &str,
    ) -> Result<Value, Exception> {
        if let Some((_, m)) = self.modules.iter().find(|(n, _)| n == name) {
            return Ok(m.clone());
        }
        let m = if let Some(m) = crate::modules::builtin_module(name) {
            m
        } else {
            match host.import(name) {
                Some(Ok(attrs)) => {
                    let mut items = Vec::with_capacity(attrs.len());
                    for (k, v) in attrs {
                        items.push((Rc::from(k.as_str()), v));
                    }
                    new_module(name, items)
                }
                Some(Err(e)) => return Err(e),
                None => {
                    return Err(Exception::builtin_fmt(
                        "ModuleNotFoundError",
                        format_args!("No module named '{}'", name),
                    ));
                }
            }
        };
        // register as attribute of its parent package
        if let Some((parent, child)) = name.rsplit_once('.') {
            if let Ok(Value::Module(pm)) = self.import_module_or_empty(host, parent) {
                let mut attrs = pm.attrs.borrow_mut();
                if !attrs.iter().any(|(k, _)| &**k == child) {
                    attrs.push((Rc::from(child), m.clone()));
                }
            }
        }
        self.modules.push((name.to_string(), m.clone()));
        Ok(m)
    }

    fn import_module_or_empty(
        &mut self,
        host: &mut dyn Host,
        name: &str,
    ) -> Result<Value, Exception> {
        match self.import_module(host, name) {
            Ok(m) => Ok(m),
            Err(_) => {
                let m = new_module(name, Vec::new());
                self.modules.push((name.to_string(), m.clone()));
                Ok(m)
            }
        }
    }
}

/// A module value named `name` with attributes `items`.
fn new_module(name: &str, items: Vec<(Rc<str>, Value)>) -> Value {
    Value::Module(Rc::new(Module {
        name: Rc::from(name),
        attrs: RefCell::new(items),
    }))
}

/// A RuntimeError without traceback, for API misuse (`run` on a failed or blocked process).
#[cold]
#[inline(never)]
fn runtime_pyerror(message: &str) -> PyError {
    PyError {
        kind: "RuntimeError".into(),
        message: message.into(),
        frames: vec![],
        is_syntax: false,
    }
}

/// The item `enumerate` yields for `v` (the pair of its count and `v`; `v` itself if `it` is
/// not an `enumerate`).
fn enumerated(it: &RefCell<IterState>, v: Value) -> Value {
    match &mut *it.borrow_mut() {
        IterState::Enumerate { count, .. } => {
            let n = *count;
            *count = count.saturating_add(1);
            Value::tuple(vec![Value::Int(n), v])
        }
        _ => v,
    }
}

/// ValueError of an unpacking that got `got` items where it needs `need` (at least `need`
/// with a starred target).
#[cold]
#[inline(never)]
fn unpack_error(need: usize, got: usize, star: bool) -> Exception {
    if got > need {
        Exception::value_error_fmt(format_args!(
            "too many values to unpack (expected {})",
            need
        ))
    } else {
        Exception::value_error_fmt(format_args!(
            "not enough values to unpack (expected {}{}, got {})",
            if star { "at least " } else { "" },
            need,
            got
        ))
    }
}

/// TypeError for a unary operator applied to an unsupported operand.
#[cold]
#[inline(never)]
fn bad_unary(o: UnOp, a: &Value) -> Exception {
    let sym = match o {
        UnOp::Neg => "-",
        UnOp::Pos => "+",
        _ => "~",
    };
    Exception::type_error_fmt(format_args!(
        "bad operand type for unary {}: '{}'",
        sym,
        a.type_name()
    ))
}

/// Drops a value, skipping the out-of-line destructor call for scalars (which own nothing).
#[inline(always)]
fn forget_scalar(v: Option<Value>) {
    match v {
        Some(Value::Int(_) | Value::Bool(_) | Value::Float(_) | Value::None) | None => {}
        Some(other) => drop_value(other),
    }
}

/// Drops a value; a container owned only here is torn down iteratively (deep nesting is safe).
#[inline]
pub(crate) fn drop_value(v: Value) {
    let owned_container = match &v {
        Value::List(l) => Rc::strong_count(l) == 1,
        Value::Tuple(t) => Rc::strong_count(t) == 1,
        Value::Dict(d) | Value::Set(d) => Rc::strong_count(d) == 1,
        _ => false,
    };
    if owned_container {
        teardown(vec![v]);
    }
}

impl Drop for Process {
    /// Tears values down iteratively so that deeply nested containers cannot overflow the
    /// native stack through recursive `Rc` drops.
    fn drop(&mut self) {
        let mut work: Vec<Value> = std::mem::take(&mut self.stack);
        for v in self.globals.drain(..).flatten() {
            work.push(v);
        }
        for f in self.frames.drain(..) {
            for c in f.cells {
                if let Ok(cell) = Rc::try_unwrap(c) {
                    work.push(cell.into_inner());
                }
            }
        }
        teardown(work);
    }
}

/// Drops values without recursion: containers owned only here give their items to the worklist.
pub(crate) fn teardown(mut work: Vec<Value>) {
    let mut budget: usize = 50_000_000;
    while let Some(v) = work.pop() {
        budget = budget.saturating_sub(1);
        if budget == 0 {
            std::mem::forget(work);
            return;
        }
        match v {
            Value::List(l) => {
                if let Ok(cell) = Rc::try_unwrap(l) {
                    work.append(&mut cell.into_inner());
                }
            }
            Value::Tuple(t) => {
                if Rc::strong_count(&t) == 1 {
                    work.extend_from_slice(&t);
                }
            }
            Value::Dict(d) | Value::Set(d) => {
                if let Ok(cell) = Rc::try_unwrap(d) {
                    for (k, x) in cell.into_inner().items() {
                        work.push(k);
                        work.push(x);
                    }
                }
            }
            other => drop(other),
        }
    }
}

fn exc_matches(e: &Exception, cls: &Value) -> Result<bool, Exception> {
    match cls {
        Value::ExcClass(c) => Ok(e.is_instance(c)),
        Value::Tuple(t) => {
            for c in t.iter() {
                if exc_matches(e, c)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        _ => Err(Exception::type_error(
            "catching classes that do not inherit from BaseException is not allowed",
        )),
    }
}

/// Maps call arguments to a function's local slots.
fn bind_args(
    f: &Function,
    args: Vec<Value>,
    kwargs: Vec<(Rc<str>, Value)>,
) -> Result<Vec<Value>, Exception> {
    let code = &f.code;
    let np = code.nparams as usize;
    let mut locals = vec![Value::Unbound; code.nlocals as usize];
    let nargs = args.len();
    let mut args = args.into_iter();
    for (slot, a) in locals.iter_mut().zip(args.by_ref().take(np)) {
        *slot = a;
    }
    let extra: Vec<Value> = args.collect();
    // slots: positional parameters, keyword-only ones, then *args and **kwargs
    let kwonly_start = np;
    let vararg_slot = np + code.kwonly.len();
    let kwarg_slot = vararg_slot + code.vararg as usize;
    if code.vararg {
        if let Some(slot) = locals.get_mut(vararg_slot) {
            *slot = Value::tuple(extra);
        }
    } else if !extra.is_empty() {
        return Err(too_many_args(code, nargs));
    }
    let mut kwdict = Dict::new();
    for (k, v) in kwargs {
        let positional = code.local_names.iter().take(np).position(|n| *n == k);
        let slot = positional
            .or_else(|| {
                code.kwonly
                    .iter()
                    .position(|n| *n == k)
                    .map(|i| kwonly_start + i)
            })
            .and_then(|i| locals.get_mut(i));
        match slot {
            Some(slot) if positional.is_some() && !matches!(slot, Value::Unbound) => {
                return Err(arg_error(code, "got multiple values for argument", &k));
            }
            Some(slot) => *slot = v,
            None if code.kwarg => {
                let _ = kwdict.insert(Value::str(&k), v);
            }
            None => return Err(arg_error(code, "got an unexpected keyword argument", &k)),
        }
    }
    if code.kwarg {
        if let Some(slot) = locals.get_mut(kwarg_slot) {
            *slot = Value::Dict(Rc::new(RefCell::new(kwdict)));
        }
    }
    // defaults
    let first_def = np - (code.ndefaults as usize).min(np);
    let mut missing: Vec<&str> = Vec::new();
    for (i, slot) in locals.iter_mut().enumerate().take(np) {
        if matches!(slot, Value::Unbound) {
            match i.checked_sub(first_def).and_then(|d| f.defaults.get(d)) {
                Some(d) => *slot = d.clone(),
                None => missing.push(code.local_names.get(i).map_or("?", |n| &**n)),
            }
        }
    }
    if !missing.is_empty() {
        return Err(missing_args(code, &missing));
    }
    for (i, k) in code.kwonly.iter().enumerate() {
        if let Some(slot) = locals.get_mut(kwonly_start + i) {
            if matches!(slot, Value::Unbound) {
                match f.kwdefaults.iter().find(|(n, _)| n == k) {
                    Some((_, v)) => *slot = v.clone(),
                    None => {
                        return Err(arg_error(
                            code,
                            "missing 1 required keyword-only argument:",
                            k,
                        ))
                    }
                }
            }
        }
    }
    Ok(locals)
}

/// TypeError `f() <what> 'name'` about one argument of a call.
#[cold]
#[inline(never)]
fn arg_error(code: &Code, what: &str, name: &str) -> Exception {
    Exception::type_error_fmt(format_args!("{}() {} '{}'", code.name, what, name))
}

/// TypeError for a call with more positional arguments than `code` takes.
#[cold]
#[inline(never)]
fn too_many_args(code: &Code, nargs: usize) -> Exception {
    let np = code.nparams as usize;
    let ndef = code.ndefaults as usize;
    if ndef > 0 {
        Exception::type_error_fmt(format_args!(
            "{}() takes from {} to {} positional arguments but {} were given",
            code.name,
            np.saturating_sub(ndef),
            np,
            nargs
        ))
    } else {
        Exception::type_error_fmt(format_args!(
            "{}() takes {} positional argument{} but {} {} given",
            code.name,
            np,
            if np == 1 { "" } else { "s" },
            nargs,
            if nargs == 1 { "was" } else { "were" }
        ))
    }
}

/// TypeError for required positional parameters without a value: `'a'`, `'a' and 'b'`,
/// `'a', 'b', and 'c'`.
#[cold]
#[inline(never)]
fn missing_args(code: &Code, missing: &[&str]) -> Exception {
    let n = missing.len();
    let mut list = String::new();
    for (j, name) in missing.iter().enumerate() {
        if j > 0 {
            list.push_str(match (n, j + 1 == n) {
                (2, _) => " and ",
                (_, true) => ", and ",
                _ => ", ",
            });
        }
        list.push('\'');
        list.push_str(name);
        list.push('\'');
    }
    Exception::type_error_fmt(format_args!(
        "{}() missing {} required positional argument{}: {}",
        code.name,
        n,
        if n == 1 { "" } else { "s" },
        list
    ))
}

/// The fast path of int arithmetic: `None` on overflow, for negative operands of `%` and `//`
/// (Python's floor semantics) and for the other operators, which take the general path.
#[inline(always)]
fn int_binary(o: BinOp, a: i64, b: i64) -> Option<i64> {
    match o {
        BinOp::Add => a.checked_add(b),
        BinOp::Sub => a.checked_sub(b),
        BinOp::Mul => a.checked_mul(b),
        BinOp::Mod if b > 0 && a >= 0 => Some(a % b),
        BinOp::FloorDiv if b > 0 && a >= 0 => Some(a / b),
        _ => None,
    }
}

/// The fast path of an int comparison (`None` for `in`, `is` and the like).
#[inline(always)]
fn int_compare(c: CmpOp, a: i64, b: i64) -> Option<bool> {
    match c {
        CmpOp::Lt => Some(a < b),
        CmpOp::Le => Some(a <= b),
        CmpOp::Gt => Some(a > b),
        CmpOp::Ge => Some(a >= b),
        CmpOp::Eq => Some(a == b),
        CmpOp::Ne => Some(a != b),
        _ => None,
    }
}

/// A set of non-zero addresses (open addressing, linear probing) for the memory walk's
/// "already counted" check: far less code than a `BTreeSet<usize>`, and only membership is
/// ever asked, so no iteration order can show.
#[derive(Default)]
struct AddrSet {
    /// Power-of-two sized; 0 marks a free slot.
    slots: Vec<usize>,
    len: usize,
}

impl AddrSet {
    /// Adds `a` (non-zero); false if it was already there.
    fn insert(&mut self, a: usize) -> bool {
        if (self.len + 1) * 2 > self.slots.len() {
            let size = (self.slots.len() * 2).max(64);
            let old = std::mem::replace(&mut self.slots, vec![0; size]);
            self.len = 0;
            for x in old.into_iter().filter(|&x| x != 0) {
                self.insert(x);
            }
        }
        let mask = self.slots.len() - 1;
        let mut i = (a >> 3).wrapping_mul(0x9E37_79B9) & mask;
        loop {
            match self.slots.get_mut(i) {
                Some(x) if *x == a => return false,
                Some(x) if *x == 0 => {
                    *x = a;
                    self.len += 1;
                    return true;
                }
                _ => i = (i + 1) & mask,
            }
        }
    }
}
