//! Compiler from the AST to bytecode: scope analysis (locals, cells, globals) and code objects.

use std::rc::Rc;

use crate::ast::*;
use crate::error::Span;
use crate::value::Value;

pub const NO_KW: u32 = u32::MAX;

/// One bytecode instruction.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Op {
    Nop,
    LoadConst(u32),
    LoadFast(u32),
    StoreFast(u32),
    DeleteFast(u32),
    LoadDeref(u32),
    StoreDeref(u32),
    LoadGlobal(u32),
    StoreGlobal(u32),
    DeleteGlobal(u32),
    LoadAttr(u32),
    StoreAttr(u32),
    LoadSubscr,
    StoreSubscr,
    DeleteSubscr,
    BuildSlice,
    Binary(BinOp),
    Inplace(BinOp),
    Unary(UnOp),
    Compare(CmpOp),
    Jump(u32),
    JumpIfFalse(u32),
    JumpIfTrue(u32),
    JumpIfFalseOrPop(u32),
    JumpIfTrueOrPop(u32),
    Pop,
    Dup,
    Dup2,
    Rot2,
    Rot3,
    BuildList(u32),
    BuildTuple(u32),
    BuildSet(u32),
    BuildDict(u32),
    ListAppend(u32),
    SetAdd(u32),
    MapAdd(u32),
    ListExtend,
    DictMerge,
    ListToTuple,
    UnpackSequence(u32),
    UnpackEx(u32, u32),
    GetIter,
    ForIter(u32),
    Call(u32, u32),
    CallMethod(u32, u32, u32),
    CallEx(bool),
    MakeFunction(u32),
    Return,
    SetupExcept(u32),
    PopBlock,
    PopExcept,
    Raise(u8),
    Reraise,
    ExcMatch,
    AssertFail(bool),
    ImportName(u32, bool),
    ImportFrom(u32),
    FormatValue(u8, bool),
    BuildString(u32),
    MakeExcClass(u32),
    // Superinstructions (peephole): the fused ops stay in place after them, so jumps into
    // the middle still work; if the fast case does not apply they act as their first op.
    /// LoadFast(a); LoadFast(b)
    LoadFast2(u32, u32),
    /// LoadFast(a); LoadConst(c)
    LoadFastConst(u32, u32),
    /// LoadFast(a); LoadConst(c); Binary(op)
    FastConstBin(u32, u32, BinOp),
    /// Compare(op); JumpIfFalse(t)
    CmpJump(CmpOp, u32),
}

impl Op {
    /// The instruction a superinstruction stands for when its fast case does not apply.
    pub fn first(self) -> Op {
        match self {
            Op::LoadFast2(a, _) | Op::LoadFastConst(a, _) | Op::FastConstBin(a, _, _) => {
                Op::LoadFast(a)
            }
            Op::CmpJump(c, _) => Op::Compare(c),
            other => other,
        }
    }
    /// How many following instructions a superinstruction covers.
    pub fn covers(self) -> usize {
        match self {
            Op::LoadFast2(..) | Op::LoadFastConst(..) | Op::CmpJump(..) => 1,
            Op::FastConstBin(..) => 2,
            _ => 0,
        }
    }
}

/// Replaces common instruction sequences by superinstructions (the originals stay behind them).
pub fn fuse(ops: &mut [Op]) {
    let n = ops.len();
    let mut i = 0;
    while i < n {
        let next = ops.get(i + 1).copied();
        let next2 = ops.get(i + 2).copied();
        match (ops[i], next, next2) {
            (Op::LoadFast(a), Some(Op::LoadConst(c)), Some(Op::Binary(op))) => {
                ops[i] = Op::FastConstBin(a, c, op)
            }
            (Op::LoadFast(a), Some(Op::LoadConst(c)), _) => ops[i] = Op::LoadFastConst(a, c),
            (Op::LoadFast(a), Some(Op::LoadFast(b)), _) => ops[i] = Op::LoadFast2(a, b),
            (Op::Compare(c), Some(Op::JumpIfFalse(t)), _)
                if !matches!(c, CmpOp::In | CmpOp::NotIn) =>
            {
                ops[i] = Op::CmpJump(c, t)
            }
            _ => {}
        }
        i += 1;
    }
}

/// A compiled function or module body.
#[derive(Debug)]
pub struct Code {
    pub name: Rc<str>,
    pub ops: Vec<Op>,
    pub spans: Vec<Span>,
    pub consts: Vec<Value>,
    pub names: Vec<Rc<str>>,
    pub children: Vec<Rc<Code>>,
    pub nlocals: u32,
    pub local_names: Vec<Rc<str>>,
    pub nparams: u32,
    pub ndefaults: u32,
    pub kwonly: Vec<Rc<str>>,
    pub nkwdefaults: u32,
    pub kwonly_defaults: Vec<Rc<str>>,
    pub vararg: bool,
    pub kwarg: bool,
    /// Cell slots: for each, the local index it is initialised from (a parameter), if any.
    pub cells: Vec<Option<u32>>,
    /// For each free variable: its index in the parent's cell array (cells then frees).
    pub free_sources: Vec<u32>,
    pub is_module: bool,
    /// Whether a simple positional call can map arguments to slots directly.
    pub simple: bool,
}

/// Compiled program shared by processes.
#[derive(Debug)]
pub struct ProgramData {
    pub files: Vec<(String, String)>,
    pub module: Rc<Code>,
    pub global_names: Vec<Rc<str>>,
    /// For the user's file: index of the file whose errors are the learner's.
    pub main_file: u16,
}

/// A compile error: message and span.
pub struct CompileError {
    pub msg: String,
    pub span: Span,
}

/// Compiling failed; the error itself is in `Compiler::error` (so results stay tiny).
struct Fail;

type CResult<T> = Result<T, Fail>;

// ---------------- name maps ----------------

/// A map keyed by name, kept as a vector sorted by name: lookups and iteration order are those
/// of a `BTreeMap<Rc<str>, V>`, for much less code in the wasm bundle (the maps only live while
/// compiling and hold a snippet's names).
#[derive(Clone, Debug)]
struct NameMap<V>(Vec<(Rc<str>, V)>);

/// A set of names in name order.
/// (The same map type as the index maps, so their code is shared; the values are unused.)
type NameSet = NameMap<u32>;

impl<V> Default for NameMap<V> {
    fn default() -> Self {
        NameMap(Vec::new())
    }
}

impl<V: Copy> NameMap<V> {
    fn find(&self, k: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(n, _)| (**n).cmp(k))
    }
    fn get(&self, k: &str) -> Option<V> {
        let i = self.find(k).ok()?;
        self.0.get(i).map(|e| e.1)
    }
    fn contains(&self, k: &str) -> bool {
        self.find(k).is_ok()
    }
    /// Inserts or replaces; true when the name was not there.
    fn insert(&mut self, k: Rc<str>, v: V) -> bool {
        match self.find(&k) {
            Ok(i) => {
                if let Some(e) = self.0.get_mut(i) {
                    e.1 = v;
                }
                false
            }
            Err(i) => {
                self.0.insert(i, (k, v));
                true
            }
        }
    }
    /// The names in order.
    fn iter(&self) -> impl Iterator<Item = &Rc<str>> {
        self.0.iter().map(|(n, _)| n)
    }
}

impl Extend<Rc<str>> for NameSet {
    fn extend<I: IntoIterator<Item = Rc<str>>>(&mut self, iter: I) {
        for n in iter {
            self.insert(n, 0);
        }
    }
}

impl FromIterator<Rc<str>> for NameSet {
    fn from_iter<I: IntoIterator<Item = Rc<str>>>(iter: I) -> Self {
        let mut s = NameSet::default();
        s.extend(iter);
        s
    }
}

// ---------------- scope analysis ----------------

#[derive(Default, Debug)]
struct Collector {
    assigned: Vec<Rc<str>>,
    assigned_set: NameSet,
    uses: NameSet,
    globals: NameSet,
    nonlocals: NameSet,
    nested_free: NameSet,
}

impl Collector {
    fn assign(&mut self, n: &Rc<str>) {
        if self.assigned_set.insert(n.clone(), 0) {
            self.assigned.push(n.clone());
        }
    }
    fn target(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Name(n) => self.assign(n),
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                items.iter().for_each(|i| self.target(i))
            }
            ExprKind::Starred(i) => self.target(i),
            _ => self.expr(e),
        }
    }
    fn stmts(&mut self, body: &[Stmt]) {
        for s in body {
            self.stmt(s);
        }
    }
    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Expr(e) => self.expr(e),
            StmtKind::Assign(ts, v) => {
                self.expr(v);
                ts.iter().for_each(|t| self.target(t));
            }
            StmtKind::AugAssign(t, _, v) => {
                self.expr(v);
                if let ExprKind::Name(n) = &t.kind {
                    self.uses.insert(n.clone(), 0);
                }
                self.target(t);
            }
            StmtKind::If(c, a, b) | StmtKind::While(c, a, b) => {
                self.expr(c);
                self.stmts(a);
                self.stmts(b);
            }
            StmtKind::For(t, it, a, b) => {
                self.expr(it);
                self.target(t);
                self.stmts(a);
                self.stmts(b);
            }
            StmtKind::Return(Some(e)) => self.expr(e),
            StmtKind::Def(f) => {
                self.assign(&f.name);
                self.nested_func(f);
            }
            StmtKind::ExcClass(n, b) => {
                self.expr(b);
                self.assign(n);
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                self.stmts(body);
                for h in handlers {
                    if let Some(t) = &h.typ {
                        self.expr(t);
                    }
                    if let Some(n) = &h.name {
                        self.assign(n);
                    }
                    self.stmts(&h.body);
                }
                self.stmts(orelse);
                self.stmts(finalbody);
            }
            StmtKind::Raise(a, b) => {
                if let Some(a) = a {
                    self.expr(a);
                }
                if let Some(b) = b {
                    self.expr(b);
                }
            }
            StmtKind::Assert(a, b) => {
                self.expr(a);
                if let Some(b) = b {
                    self.expr(b);
                }
            }
            StmtKind::Import(items) => {
                for (name, alias) in items {
                    match alias {
                        Some(a) => self.assign(a),
                        None => {
                            let top = name.split('.').next().unwrap_or(name);
                            self.assign(&Rc::from(top));
                        }
                    }
                }
            }
            StmtKind::ImportFrom(_, items) => {
                for (n, a) in items {
                    self.assign(a.as_ref().unwrap_or(n));
                }
            }
            StmtKind::Global(ns) => self.globals.extend(ns.iter().cloned()),
            StmtKind::Nonlocal(ns) => self.nonlocals.extend(ns.iter().cloned()),
            StmtKind::Del(ts) => ts.iter().for_each(|t| self.target(t)),
            StmtKind::With(items, body) => {
                for (e, t) in items {
                    self.expr(e);
                    if let Some(t) = t {
                        self.target(t);
                    }
                }
                self.stmts(body);
            }
            StmtKind::Return(None) | StmtKind::Break | StmtKind::Continue | StmtKind::Pass => {}
        }
    }
    /// A nested `def` or `lambda`: its defaults are evaluated here, its free names are ours too.
    fn nested_func(&mut self, f: &FuncDef) {
        for p in f.params.iter().chain(f.kwonly.iter()) {
            if let Some(d) = &p.default {
                self.expr(d);
            }
        }
        self.nested(free_of_func(f));
    }
    fn nested(&mut self, free: NameSet) {
        self.nested_free.extend(free.0.into_iter().map(|e| e.0));
    }
    fn comp(&mut self, elts: &[&Expr], gens: &[Comprehension]) {
        if let Some(first) = gens.first() {
            self.expr(&first.iter);
        }
        self.nested(free_of_comp(elts, gens));
    }
    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Name(n) => {
                self.uses.insert(n.clone(), 0);
            }
            ExprKind::Const(_) => {}
            ExprKind::List(v) | ExprKind::Tuple(v) | ExprKind::Set(v) => {
                v.iter().for_each(|x| self.expr(x))
            }
            ExprKind::Dict(items) => {
                for (k, v) in items {
                    if let Some(k) = k {
                        self.expr(k);
                    }
                    self.expr(v);
                }
            }
            ExprKind::Attr(o, _) => self.expr(o),
            ExprKind::Subscript(a, b) => {
                self.expr(a);
                self.expr(b);
            }
            ExprKind::Slice(a, b, c) => {
                for x in [a, b, c].into_iter().flatten() {
                    self.expr(x);
                }
            }
            ExprKind::Call(f, args) => {
                self.expr(f);
                for a in args {
                    match a {
                        Arg::Pos(x) | Arg::Star(x) | Arg::Kw(_, x) | Arg::StarStar(x) => {
                            self.expr(x)
                        }
                    }
                }
            }
            ExprKind::Bin(_, a, b) | ExprKind::And(a, b) | ExprKind::Or(a, b) => {
                self.expr(a);
                self.expr(b);
            }
            ExprKind::Unary(_, a) | ExprKind::Starred(a) => self.expr(a),
            ExprKind::Compare(a, rest) => {
                self.expr(a);
                rest.iter().for_each(|(_, x)| self.expr(x));
            }
            ExprKind::IfExp(a, b, c) => {
                self.expr(a);
                self.expr(b);
                self.expr(c);
            }
            ExprKind::Lambda(f) => self.nested_func(f),
            ExprKind::ListComp(elt, gens) | ExprKind::SetComp(elt, gens) => self.comp(&[elt], gens),
            ExprKind::DictComp(k, v, gens) => self.comp(&[k, v], gens),
            ExprKind::FString(parts) => self.fparts(parts),
        }
    }
    fn fparts(&mut self, parts: &[FPart]) {
        for p in parts {
            if let FPart::Expr { expr, spec, .. } = p {
                self.expr(expr);
                self.fparts(spec);
            }
        }
    }
    fn locals_with_params(&self, params: &[Rc<str>]) -> Vec<Rc<str>> {
        let mut v: Vec<Rc<str>> = params.to_vec();
        for a in &self.assigned {
            if !v.contains(a) && !self.globals.contains(a) && !self.nonlocals.contains(a) {
                v.push(a.clone());
            }
        }
        v
    }
}

fn func_params(f: &FuncDef) -> Vec<Rc<str>> {
    let mut v: Vec<Rc<str>> = f.params.iter().map(|p| p.name.clone()).collect();
    v.extend(f.kwonly.iter().map(|p| p.name.clone()));
    if let Some(a) = &f.vararg {
        v.push(a.clone());
    }
    if let Some(a) = &f.kwarg {
        v.push(a.clone());
    }
    v
}

fn analyze_func(f: &FuncDef) -> Collector {
    let mut c = Collector::default();
    c.stmts(&f.body);
    c
}

fn free_of(c: &Collector, locals: &[Rc<str>]) -> NameSet {
    c.uses
        .iter()
        .chain(c.nested_free.iter())
        .chain(c.nonlocals.iter())
        .filter(|n| !locals.contains(n) && !c.globals.contains(n))
        .cloned()
        .collect()
}

fn free_of_func(f: &FuncDef) -> NameSet {
    let c = analyze_func(f);
    let locals = c.locals_with_params(&func_params(f));
    free_of(&c, &locals)
}

fn analyze_comp(elts: &[&Expr], gens: &[Comprehension]) -> Collector {
    let mut c = Collector::default();
    for (i, g) in gens.iter().enumerate() {
        if i > 0 {
            c.expr(&g.iter);
        }
        c.target(&g.target);
        g.ifs.iter().for_each(|x| c.expr(x));
    }
    for e in elts {
        c.expr(e);
    }
    c
}

fn free_of_comp(elts: &[&Expr], gens: &[Comprehension]) -> NameSet {
    let c = analyze_comp(elts, gens);
    let locals = c.locals_with_params(&[Rc::from(".0")]);
    free_of(&c, &locals)
}

// ---------------- code generation ----------------

enum FBlock {
    Loop {
        is_for: bool,
        breaks: Vec<usize>,
        cont: usize,
    },
    TryExcept,
    Finally(Rc<Vec<Stmt>>),
    Handler,
    FinallyHandler,
}

#[derive(Clone, Copy)]
enum NameRef {
    Fast(u32),
    Deref(u32),
    Global(u32),
}

struct Globals {
    names: Vec<Rc<str>>,
    index: NameMap<u32>,
}

impl Globals {
    fn get(&mut self, n: &Rc<str>) -> u32 {
        if let Some(i) = self.index.get(n) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(n.clone());
        self.index.insert(n.clone(), i);
        i
    }
}

struct Unit {
    code: Code,
    is_module: bool,
    locals: Vec<Rc<str>>,
    cell_names: Vec<Rc<str>>,
    free_names: Vec<Rc<str>>,
    globals_decl: NameSet,
    fblocks: Vec<FBlock>,
    span: Span,
    name_index: NameMap<u32>,
}

impl Unit {
    #[inline(never)]
    fn new(name: Rc<str>, is_module: bool, span: Span) -> Unit {
        Unit {
            code: Code {
                name,
                ops: Vec::new(),
                spans: Vec::new(),
                consts: Vec::new(),
                names: Vec::new(),
                children: Vec::new(),
                nlocals: 0,
                local_names: Vec::new(),
                nparams: 0,
                ndefaults: 0,
                kwonly: Vec::new(),
                nkwdefaults: 0,
                kwonly_defaults: Vec::new(),
                vararg: false,
                kwarg: false,
                cells: Vec::new(),
                free_sources: Vec::new(),
                is_module,
                simple: false,
            },
            is_module,
            locals: Vec::new(),
            cell_names: Vec::new(),
            free_names: Vec::new(),
            globals_decl: NameSet::default(),
            fblocks: Vec::new(),
            span,
            name_index: NameMap::default(),
        }
    }
    /// Names available to nested functions as free variables.
    fn available(&self) -> Vec<Rc<str>> {
        if self.is_module {
            return vec![];
        }
        let mut v = self.cell_names.clone();
        v.extend(self.free_names.iter().cloned());
        v
    }
}

struct Compiler {
    /// The unit being compiled; `parents` holds the enclosing ones.
    unit: Unit,
    parents: Vec<Unit>,
    globals: Globals,
    error: Option<CompileError>,
}

/// Compiles parsed files (in order) into one module body: the code and the global names.
pub fn compile_files(bodies: Vec<Vec<Stmt>>) -> Result<(Rc<Code>, Vec<Rc<str>>), CompileError> {
    let mut c = Compiler {
        unit: Unit::new(Rc::from("<module>"), true, Span::default()),
        parents: Vec::new(),
        globals: Globals {
            names: Vec::new(),
            index: NameMap::default(),
        },
        error: None,
    };
    for body in &bodies {
        if c.stmts(body).is_err() {
            return Err(c.error.unwrap_or(CompileError {
                msg: "internal".into(),
                span: Span::default(),
            }));
        }
    }
    c.load_const(Value::None);
    c.emit(Op::Return);
    Ok((Rc::new(c.unit.code), c.globals.names))
}

/// Whether two constants are interchangeable (same type and value; floats by bits). Only
/// scalars and strings are shared; other constants are never merged.
fn same_const(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::None, Value::None) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
        (Value::Str(x), Value::Str(y)) => x == y,
        _ => false,
    }
}

impl Compiler {
    fn u(&mut self) -> &mut Unit {
        &mut self.unit
    }
    fn ur(&self) -> &Unit {
        &self.unit
    }
    /// Emits `op` with `span` as its location.
    fn emit_at(&mut self, op: Op, span: Span) -> usize {
        let old = self.set_span(span);
        let r = self.emit(op);
        self.unit.span = old;
        r
    }
    /// Sets the span of the instructions emitted next; returns the previous one.
    fn set_span(&mut self, span: Span) -> Span {
        std::mem::replace(&mut self.unit.span, span)
    }
    fn emit(&mut self, op: Op) -> usize {
        let u = self.u();
        let span = u.span;
        u.code.ops.push(op);
        u.code.spans.push(span);
        u.code.ops.len() - 1
    }
    fn here(&self) -> usize {
        self.ur().code.ops.len()
    }
    fn patch(&mut self, at: usize) {
        let target = self.here() as u32;
        self.patch_to(at, target);
    }
    fn patch_to(&mut self, at: usize, target: u32) {
        if let Some(op) = self.u().code.ops.get_mut(at) {
            *op = match *op {
                Op::Jump(_) => Op::Jump(target),
                Op::JumpIfFalse(_) => Op::JumpIfFalse(target),
                Op::JumpIfTrue(_) => Op::JumpIfTrue(target),
                Op::JumpIfFalseOrPop(_) => Op::JumpIfFalseOrPop(target),
                Op::JumpIfTrueOrPop(_) => Op::JumpIfTrueOrPop(target),
                Op::ForIter(_) => Op::ForIter(target),
                Op::SetupExcept(_) => Op::SetupExcept(target),
                other => other,
            };
        }
    }
    fn add_const(&mut self, v: Value) -> u32 {
        let consts = &mut self.unit.code.consts;
        if let Some(i) = consts.iter().position(|c| same_const(c, &v)) {
            return i as u32;
        }
        consts.push(v);
        (consts.len() - 1) as u32
    }
    fn load_const(&mut self, v: Value) {
        let i = self.add_const(v);
        self.emit(Op::LoadConst(i));
    }
    fn name_idx(&mut self, n: &Rc<str>) -> u32 {
        let u = self.u();
        if let Some(i) = u.name_index.get(n) {
            return i;
        }
        let i = u.code.names.len() as u32;
        u.code.names.push(n.clone());
        u.name_index.insert(n.clone(), i);
        i
    }
    /// Records a compile error (out of line: one copy for every call site).
    #[cold]
    #[inline(never)]
    fn fail(&mut self, msg: &str, span: Span) -> Fail {
        self.error = Some(CompileError {
            msg: msg.to_string(),
            span,
        });
        Fail
    }
    fn err<T>(&mut self, msg: &str, span: Span) -> CResult<T> {
        Err(self.fail(msg, span))
    }

    fn resolve(&mut self, n: &Rc<str>) -> NameRef {
        let u = self.ur();
        if u.is_module || u.globals_decl.contains(n) {
            return NameRef::Global(self.globals.get(n));
        }
        if let Some(i) = u.cell_names.iter().position(|x| x == n) {
            return NameRef::Deref(i as u32);
        }
        if let Some(i) = u.free_names.iter().position(|x| x == n) {
            return NameRef::Deref((u.cell_names.len() + i) as u32);
        }
        if let Some(i) = u.locals.iter().position(|x| x == n) {
            return NameRef::Fast(i as u32);
        }
        NameRef::Global(self.globals.get(n))
    }
    fn load_name(&mut self, n: &Rc<str>) {
        match self.resolve(n) {
            NameRef::Fast(i) => self.emit(Op::LoadFast(i)),
            NameRef::Deref(i) => self.emit(Op::LoadDeref(i)),
            NameRef::Global(i) => self.emit(Op::LoadGlobal(i)),
        };
    }
    fn store_name(&mut self, n: &Rc<str>) {
        match self.resolve(n) {
            NameRef::Fast(i) => self.emit(Op::StoreFast(i)),
            NameRef::Deref(i) => self.emit(Op::StoreDeref(i)),
            NameRef::Global(i) => self.emit(Op::StoreGlobal(i)),
        };
    }

    // ----- statements -----

    /// The rest of a `while` or `for` loop after its head: the body inside a loop block, the
    /// jump back to `top`, the exit jump `exit` patched to the `else` body, breaks patched past it.
    fn loop_rest(
        &mut self,
        is_for: bool,
        top: usize,
        exit: usize,
        body: &[Stmt],
        orelse: &[Stmt],
    ) -> CResult<()> {
        self.u().fblocks.push(FBlock::Loop {
            is_for,
            breaks: vec![],
            cont: top,
        });
        self.stmts(body)?;
        self.emit(Op::Jump(top as u32));
        let fb = self.u().fblocks.pop();
        self.patch(exit);
        self.stmts(orelse)?;
        if let Some(FBlock::Loop { breaks, .. }) = fb {
            for b in breaks {
                self.patch(b);
            }
        }
        Ok(())
    }

    fn stmts(&mut self, body: &[Stmt]) -> CResult<()> {
        for s in body {
            let old = self.set_span(s.span);
            let r = self.stmt(s);
            self.unit.span = old;
            r?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &Stmt) -> CResult<()> {
        match &s.kind {
            StmtKind::Expr(e) => {
                self.expr(e)?;
                self.emit(Op::Pop);
            }
            StmtKind::Assign(targets, value) => {
                self.expr(value)?;
                for (i, t) in targets.iter().enumerate() {
                    if i + 1 < targets.len() {
                        self.emit(Op::Dup);
                    }
                    self.store_target(t)?;
                }
            }
            StmtKind::AugAssign(t, op, v) => {
                let old = self.set_span(t.span);
                let r = self.aug_assign(t, *op, v);
                self.unit.span = old;
                r?
            }
            StmtKind::If(cond, body, orelse) => {
                self.expr(cond)?;
                let j = self.emit(Op::JumpIfFalse(0));
                self.stmts(body)?;
                if orelse.is_empty() {
                    self.patch(j);
                } else {
                    let end = self.emit(Op::Jump(0));
                    self.patch(j);
                    self.stmts(orelse)?;
                    self.patch(end);
                }
            }
            StmtKind::While(cond, body, orelse) => {
                let top = self.here();
                self.expr(cond)?;
                let exit = self.emit(Op::JumpIfFalse(0));
                self.loop_rest(false, top, exit, body, orelse)?;
            }
            StmtKind::For(target, iter, body, orelse) => {
                self.expr(iter)?;
                self.emit(Op::GetIter);
                let top = self.here();
                let fi = self.emit_at(Op::ForIter(0), iter.span);
                self.store_target(target)?;
                self.loop_rest(true, top, fi, body, orelse)?;
            }
            StmtKind::Break | StmtKind::Continue => {
                let is_break = matches!(s.kind, StmtKind::Break);
                let Some(li) = self
                    .ur()
                    .fblocks
                    .iter()
                    .rposition(|f| matches!(f, FBlock::Loop { .. }))
                else {
                    return self.err(
                        if is_break {
                            "'break' outside loop"
                        } else {
                            "'continue' not properly in loop"
                        },
                        s.span,
                    );
                };
                self.unwind_fblocks(li + 1, false)?;
                if is_break {
                    if let Some(FBlock::Loop { is_for: true, .. }) = self.ur().fblocks.get(li) {
                        self.emit(Op::Pop);
                    }
                    let j = self.emit(Op::Jump(0));
                    if let Some(FBlock::Loop { breaks, .. }) = self.u().fblocks.get_mut(li) {
                        breaks.push(j);
                    }
                } else if let Some(FBlock::Loop { cont, .. }) = self.ur().fblocks.get(li) {
                    let cont = *cont as u32;
                    self.emit(Op::Jump(cont));
                }
            }
            StmtKind::Pass => {}
            StmtKind::Return(v) => {
                if self.ur().is_module {
                    return self.err("'return' outside function", s.span);
                }
                match v {
                    Some(e) => self.expr(e)?,
                    None => self.load_const(Value::None),
                }
                self.unwind_fblocks(0, true)?;
                self.emit(Op::Return);
            }
            StmtKind::Def(f) => {
                self.make_function(f)?;
                self.store_name(&f.name);
            }
            StmtKind::ExcClass(name, base) => {
                self.expr(base)?;
                let c = self.add_const(Value::str(name));
                self.emit(Op::MakeExcClass(c));
                self.store_name(name);
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                if finalbody.is_empty() {
                    self.try_except(body, handlers, orelse)?;
                } else {
                    let fin = Rc::clone(finalbody);
                    let setup = self.emit(Op::SetupExcept(0));
                    self.u().fblocks.push(FBlock::Finally(fin));
                    if handlers.is_empty() {
                        self.stmts(body)?;
                    } else {
                        self.try_except(body, handlers, orelse)?;
                    }
                    self.u().fblocks.pop();
                    self.emit(Op::PopBlock);
                    self.stmts(finalbody)?;
                    let end = self.emit(Op::Jump(0));
                    self.patch(setup);
                    self.u().fblocks.push(FBlock::FinallyHandler);
                    self.stmts(finalbody)?;
                    self.u().fblocks.pop();
                    self.emit(Op::Reraise);
                    self.patch(end);
                }
            }
            StmtKind::Raise(e, cause) => match e {
                None => {
                    self.emit(Op::Raise(0));
                }
                Some(e) => {
                    self.expr(e)?;
                    if let Some(c) = cause {
                        self.expr(c)?;
                        self.emit(Op::Raise(2));
                    } else {
                        self.emit(Op::Raise(1));
                    }
                }
            },
            StmtKind::Assert(t, msg) => {
                self.expr(t)?;
                let j = self.emit(Op::JumpIfTrue(0));
                if let Some(m) = msg {
                    self.expr(m)?;
                }
                self.emit(Op::AssertFail(msg.is_some()));
                self.patch(j);
            }
            StmtKind::Import(items) => {
                for (name, alias) in items {
                    let c = self.add_const(Value::str(name));
                    match alias {
                        Some(a) => {
                            self.emit(Op::ImportName(c, false));
                            self.store_name(a);
                        }
                        None => {
                            self.emit(Op::ImportName(c, true));
                            let top: Rc<str> = Rc::from(name.split('.').next().unwrap_or(name));
                            self.store_name(&top);
                        }
                    }
                }
            }
            StmtKind::ImportFrom(module, items) => {
                let c = self.add_const(Value::str(module));
                self.emit(Op::ImportName(c, false));
                for (n, a) in items {
                    let ni = self.name_idx(n);
                    self.emit(Op::ImportFrom(ni));
                    self.store_name(a.as_ref().unwrap_or(n));
                }
                self.emit(Op::Pop);
            }
            StmtKind::Global(names) | StmtKind::Nonlocal(names) => {
                let _ = names;
            }
            StmtKind::Del(targets) => {
                for t in targets {
                    match &t.kind {
                        ExprKind::Name(n) => match self.resolve(n) {
                            NameRef::Fast(i) => {
                                self.emit(Op::DeleteFast(i));
                            }
                            NameRef::Global(i) => {
                                self.emit(Op::DeleteGlobal(i));
                            }
                            NameRef::Deref(_) => return self.err("deleting a captured variable is not supported in the playground", t.span),
                        },
                        ExprKind::Subscript(o, i) => {
                            self.expr(o)?;
                            self.expr(i)?;
                            self.emit_at(Op::DeleteSubscr, t.span);
                        }
                        ExprKind::Tuple(_) | ExprKind::List(_) => {
                            return self.err("'del' of several targets in brackets is not supported in the playground", t.span)
                        }
                        _ => return self.err("cannot delete this expression in the playground", t.span),
                    }
                }
            }
            StmtKind::With(..) => {
                return self.err(
                    "'with' statements are not supported in the playground",
                    s.span,
                );
            }
        }
        Ok(())
    }

    /// Emits exits for the fblocks above `level` (for break/continue/return), innermost first.
    fn unwind_fblocks(&mut self, level: usize, has_value: bool) -> CResult<()> {
        let mut i = self.unit.fblocks.len();
        while i > level {
            i -= 1;
            let body = match self.unit.fblocks.get(i) {
                // Leaving a loop by return: iterators stay on the stack; Return truncates it.
                Some(FBlock::Loop { .. }) | None => continue,
                Some(FBlock::TryExcept) => {
                    self.emit(Op::PopBlock);
                    continue;
                }
                Some(FBlock::Handler) => {
                    self.emit(Op::PopExcept);
                    continue;
                }
                Some(FBlock::FinallyHandler) => {
                    self.emit(Op::PopExcept);
                    if has_value {
                        self.emit(Op::Rot2);
                    }
                    self.emit(Op::Pop);
                    continue;
                }
                Some(FBlock::Finally(body)) => Rc::clone(body),
            };
            self.emit(Op::PopBlock);
            let saved = self.unit.fblocks.split_off(i);
            let r = self.stmts(&body);
            self.unit.fblocks.extend(saved);
            r?;
        }
        Ok(())
    }

    fn try_except(&mut self, body: &[Stmt], handlers: &[Handler], orelse: &[Stmt]) -> CResult<()> {
        let setup = self.emit(Op::SetupExcept(0));
        self.u().fblocks.push(FBlock::TryExcept);
        self.stmts(body)?;
        self.u().fblocks.pop();
        self.emit(Op::PopBlock);
        self.stmts(orelse)?;
        let mut ends = vec![self.emit(Op::Jump(0))];
        self.patch(setup);
        for h in handlers {
            let next = if let Some(t) = &h.typ {
                let old = self.set_span(h.span);
                let r = self.expr(t);
                if r.is_ok() {
                    self.emit(Op::ExcMatch);
                }
                let j = self.emit(Op::JumpIfFalse(0));
                self.unit.span = old;
                r?;
                Some(j)
            } else {
                None
            };
            match &h.name {
                Some(n) => self.store_name(n),
                None => {
                    self.emit(Op::Pop);
                }
            }
            self.u().fblocks.push(FBlock::Handler);
            self.stmts(&h.body)?;
            self.u().fblocks.pop();
            self.emit(Op::PopExcept);
            ends.push(self.emit(Op::Jump(0)));
            if let Some(n) = next {
                self.patch(n);
            }
        }
        self.emit(Op::Reraise);
        for e in ends {
            self.patch(e);
        }
        Ok(())
    }

    fn aug_assign(&mut self, t: &Expr, op: BinOp, v: &Expr) -> CResult<()> {
        match &t.kind {
            ExprKind::Name(n) => {
                self.load_name(n);
                self.expr(v)?;
                self.emit(Op::Inplace(op));
                self.store_name(n);
            }
            ExprKind::Attr(o, name) => {
                self.expr(o)?;
                self.emit(Op::Dup);
                let ni = self.name_idx(name);
                self.emit(Op::LoadAttr(ni));
                self.expr(v)?;
                self.emit(Op::Inplace(op));
                self.emit(Op::Rot2);
                self.emit(Op::StoreAttr(ni));
            }
            ExprKind::Subscript(o, i) => {
                self.expr(o)?;
                self.expr(i)?;
                self.emit(Op::Dup2);
                self.emit(Op::LoadSubscr);
                self.expr(v)?;
                self.emit(Op::Inplace(op));
                self.emit(Op::Rot3);
                self.emit(Op::StoreSubscr);
            }
            _ => return self.err("illegal expression for augmented assignment", t.span),
        }
        Ok(())
    }

    fn store_target(&mut self, t: &Expr) -> CResult<()> {
        let old = self.set_span(t.span);
        let r = self.store_target_inner(t);
        self.unit.span = old;
        r
    }

    fn store_target_inner(&mut self, t: &Expr) -> CResult<()> {
        let c = self;
        match &t.kind {
            ExprKind::Name(n) => {
                c.store_name(n);
                Ok(())
            }
            ExprKind::Attr(o, name) => {
                c.expr(o)?;
                let ni = c.name_idx(name);
                c.emit(Op::StoreAttr(ni));
                Ok(())
            }
            ExprKind::Subscript(o, i) => {
                c.expr(o)?;
                c.expr(i)?;
                c.emit(Op::StoreSubscr);
                Ok(())
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                let star = items
                    .iter()
                    .position(|i| matches!(i.kind, ExprKind::Starred(_)));
                match star {
                    None => {
                        c.emit(Op::UnpackSequence(items.len() as u32));
                    }
                    Some(s) => {
                        if items
                            .iter()
                            .filter(|i| matches!(i.kind, ExprKind::Starred(_)))
                            .count()
                            > 1
                        {
                            return c.err("multiple starred expressions in assignment", t.span);
                        }
                        c.emit(Op::UnpackEx(s as u32, (items.len() - s - 1) as u32));
                    }
                }
                for i in items {
                    match &i.kind {
                        ExprKind::Starred(inner) => c.store_target(inner)?,
                        _ => c.store_target(i)?,
                    }
                }
                Ok(())
            }
            ExprKind::Starred(_) => c.err(
                "starred assignment target must be in a list or tuple",
                t.span,
            ),
            _ => c.err("cannot assign to expression", t.span),
        }
    }

    fn make_function(&mut self, f: &FuncDef) -> CResult<()> {
        // defaults are evaluated in the enclosing scope
        let mut ndef = 0;
        for p in &f.params {
            if let Some(d) = &p.default {
                self.expr(d)?;
                ndef += 1;
            }
        }
        let mut kwdef_names = Vec::new();
        for p in &f.kwonly {
            if let Some(d) = &p.default {
                self.expr(d)?;
                kwdef_names.push(p.name.clone());
            }
        }
        let coll = analyze_func(f);
        let params = func_params(f);
        let mut unit = self.child_unit(f.name.clone(), f.span, &coll, &params);
        for n in coll.nonlocals.iter() {
            if !unit.free_names.contains(n) {
                let msg = format!("no binding for nonlocal '{}' found", n);
                return self.err(&msg, f.span);
            }
        }
        unit.globals_decl = coll.globals;
        unit.code.nparams = f.params.len() as u32;
        unit.code.ndefaults = ndef;
        unit.code.kwonly = f.kwonly.iter().map(|p| p.name.clone()).collect();
        unit.code.nkwdefaults = kwdef_names.len() as u32;
        unit.code.kwonly_defaults = kwdef_names;
        unit.code.vararg = f.vararg.is_some();
        unit.code.kwarg = f.kwarg.is_some();
        self.compile_child(unit, &mut |c| {
            c.stmts(&f.body)?;
            c.load_const(Value::None);
            c.emit(Op::Return);
            Ok(())
        })
    }

    /// A function or comprehension unit with its scopes: locals (`params` first), free
    /// variables found in the enclosing function, cells for the locals nested code captures.
    fn child_unit(&self, name: Rc<str>, span: Span, coll: &Collector, params: &[Rc<str>]) -> Unit {
        let locals = coll.locals_with_params(params);
        let mut unit = Unit::new(name, false, span);
        let candidates = free_of(coll, &locals);
        let available = self.unit.available();
        let parent_is_function = !self.unit.is_module;
        unit.free_names = candidates
            .iter()
            .filter(|n| parent_is_function && available.contains(n))
            .cloned()
            .collect();
        unit.cell_names = locals
            .iter()
            .filter(|n| coll.nested_free.contains(n))
            .cloned()
            .collect();
        unit.code.cells = unit
            .cell_names
            .iter()
            .map(|n| params.iter().position(|p| p == n).map(|i| i as u32))
            .collect();
        unit.locals = locals;
        unit
    }

    fn compile_child(
        &mut self,
        unit: Unit,
        body: &mut dyn FnMut(&mut Self) -> CResult<()>,
    ) -> CResult<()> {
        // free variable sources in the parent
        let parent_avail = self.unit.available();
        let sources: Vec<u32> = unit
            .free_names
            .iter()
            .map(|n| parent_avail.iter().position(|x| x == n).unwrap_or(0) as u32)
            .collect();
        let parent = std::mem::replace(&mut self.unit, unit);
        self.parents.push(parent);
        let r = body(self);
        let Some(parent) = self.parents.pop() else {
            return self.err("internal compiler error", Span::default());
        };
        let mut unit = std::mem::replace(&mut self.unit, parent);
        r?;
        unit.code.free_sources = sources;
        fuse(&mut unit.code.ops);
        unit.code.nlocals = unit.locals.len() as u32;
        unit.code.local_names = unit.locals.clone();
        unit.code.simple = !unit.code.vararg
            && !unit.code.kwarg
            && unit.code.kwonly.is_empty()
            && unit.code.cells.is_empty();
        let idx = self.ur().code.children.len() as u32;
        self.u().code.children.push(Rc::new(unit.code));
        self.emit(Op::MakeFunction(idx));
        Ok(())
    }

    fn comprehension(
        &mut self,
        kind: u8,
        elts: &[&Expr],
        gens: &[Comprehension],
        span: Span,
    ) -> CResult<()> {
        let Some(first) = gens.first() else {
            return self.err("invalid comprehension", span);
        };
        let coll = analyze_comp(elts, gens);
        let name: Rc<str> = Rc::from(match kind {
            0 => "<listcomp>",
            1 => "<setcomp>",
            _ => "<dictcomp>",
        });
        let mut unit = self.child_unit(name, span, &coll, &[Rc::from(".0")]);
        unit.code.nparams = 1;
        self.compile_child(unit, &mut |c| {
            match kind {
                0 => c.emit(Op::BuildList(0)),
                1 => c.emit(Op::BuildSet(0)),
                _ => c.emit(Op::BuildDict(0)),
            };
            let mut loops = Vec::new();
            for (i, g) in gens.iter().enumerate() {
                if i == 0 {
                    c.emit(Op::LoadFast(0));
                } else {
                    c.expr(&g.iter)?;
                    c.emit(Op::GetIter);
                }
                let top = c.here();
                let fi = c.emit(Op::ForIter(0));
                c.store_target(&g.target)?;
                for cond in &g.ifs {
                    c.expr(cond)?;
                    c.emit(Op::JumpIfFalse(top as u32));
                }
                loops.push((top, fi));
            }
            let depth = gens.len() as u32 + 1;
            match kind {
                0 => {
                    c.expr(elts[0])?;
                    c.emit(Op::ListAppend(depth));
                }
                1 => {
                    c.expr(elts[0])?;
                    c.emit(Op::SetAdd(depth));
                }
                _ => {
                    c.expr(elts[0])?;
                    if let Some(v) = elts.get(1) {
                        c.expr(v)?;
                    }
                    c.emit(Op::MapAdd(depth));
                }
            }
            for (top, fi) in loops.into_iter().rev() {
                c.emit(Op::Jump(top as u32));
                c.patch(fi);
            }
            c.emit(Op::Return);
            Ok(())
        })?;
        self.expr(&first.iter)?;
        self.emit(Op::GetIter);
        self.emit(Op::Call(1, NO_KW));
        Ok(())
    }

    // ----- expressions -----

    fn expr(&mut self, e: &Expr) -> CResult<()> {
        let old = self.set_span(e.span);
        let r = self.expr_inner(e);
        self.unit.span = old;
        r
    }

    fn expr_inner(&mut self, e: &Expr) -> CResult<()> {
        match &e.kind {
            ExprKind::Name(n) => self.load_name(n),
            ExprKind::Const(k) => {
                let v = match k {
                    Const::None => Value::None,
                    Const::Bool(b) => Value::Bool(*b),
                    Const::Int(i) => Value::Int(*i),
                    Const::Float(f) => Value::Float(*f),
                    Const::Str(s) => Value::str(s),
                    Const::Bytes(b) => Value::bytes(b),
                    Const::Ellipsis => Value::str("Ellipsis"),
                };
                self.load_const(v);
            }
            ExprKind::List(items) => self.sequence(items, 0)?,
            ExprKind::Tuple(items) => self.sequence(items, 1)?,
            ExprKind::Set(items) => self.sequence(items, 2)?,
            ExprKind::Dict(items) => {
                if items.iter().any(|(k, _)| k.is_none()) {
                    self.emit(Op::BuildDict(0));
                    for (k, v) in items {
                        match k {
                            Some(k) => {
                                self.expr(k)?;
                                self.expr(v)?;
                                self.emit(Op::MapAdd(1));
                            }
                            None => {
                                self.expr(v)?;
                                self.emit(Op::DictMerge);
                            }
                        }
                    }
                } else {
                    for (k, v) in items {
                        if let Some(k) = k {
                            self.expr(k)?;
                        }
                        self.expr(v)?;
                    }
                    self.emit(Op::BuildDict(items.len() as u32));
                }
            }
            ExprKind::Attr(o, name) => {
                self.expr(o)?;
                let ni = self.name_idx(name);
                self.emit(Op::LoadAttr(ni));
            }
            ExprKind::Subscript(o, i) => {
                self.expr(o)?;
                self.expr(i)?;
                self.emit(Op::LoadSubscr);
            }
            ExprKind::Slice(a, b, s) => {
                for x in [a, b, s] {
                    match x {
                        Some(x) => self.expr(x)?,
                        None => self.load_const(Value::None),
                    }
                }
                self.emit(Op::BuildSlice);
            }
            ExprKind::Call(f, args) => self.call(f, args)?,
            ExprKind::Bin(op, a, b) => {
                self.expr(a)?;
                self.expr(b)?;
                self.emit(Op::Binary(*op));
            }
            ExprKind::Unary(op, a) => {
                self.expr(a)?;
                self.emit(Op::Unary(*op));
            }
            ExprKind::And(a, b) => {
                self.expr(a)?;
                let j = self.emit(Op::JumpIfFalseOrPop(0));
                self.expr(b)?;
                self.patch(j);
            }
            ExprKind::Or(a, b) => {
                self.expr(a)?;
                let j = self.emit(Op::JumpIfTrueOrPop(0));
                self.expr(b)?;
                self.patch(j);
            }
            ExprKind::Compare(first, rest) => {
                self.expr(first)?;
                if rest.len() == 1 {
                    self.expr(&rest[0].1)?;
                    self.emit(Op::Compare(rest[0].0));
                } else {
                    let mut cleanups = Vec::new();
                    for (i, (op, x)) in rest.iter().enumerate() {
                        self.expr(x)?;
                        if i + 1 < rest.len() {
                            self.emit(Op::Dup);
                            self.emit(Op::Rot3);
                            self.emit(Op::Compare(*op));
                            cleanups.push(self.emit(Op::JumpIfFalseOrPop(0)));
                        } else {
                            self.emit(Op::Compare(*op));
                        }
                    }
                    let end = self.emit(Op::Jump(0));
                    for c in cleanups {
                        self.patch(c);
                    }
                    self.emit(Op::Rot2);
                    self.emit(Op::Pop);
                    self.patch(end);
                }
            }
            ExprKind::IfExp(cond, a, b) => {
                self.expr(cond)?;
                let j = self.emit(Op::JumpIfFalse(0));
                self.expr(a)?;
                let end = self.emit(Op::Jump(0));
                self.patch(j);
                self.expr(b)?;
                self.patch(end);
            }
            ExprKind::Lambda(f) => self.make_function(f)?,
            ExprKind::ListComp(elt, gens) => self.comprehension(0, &[elt], gens, e.span)?,
            ExprKind::SetComp(elt, gens) => self.comprehension(1, &[elt], gens, e.span)?,
            ExprKind::DictComp(k, v, gens) => self.comprehension(2, &[k, v], gens, e.span)?,
            ExprKind::FString(parts) => self.fstring(parts)?,
            ExprKind::Starred(_) => return self.err("can't use starred expression here", e.span),
        }
        Ok(())
    }

    fn fstring(&mut self, parts: &[FPart]) -> CResult<()> {
        for p in parts {
            match p {
                FPart::Lit(s) => self.load_const(Value::str(s)),
                FPart::Expr { expr, conv, spec } => {
                    self.expr(expr)?;
                    let has_spec = !spec.is_empty();
                    if has_spec {
                        self.fstring(spec)?;
                    }
                    let conv = match conv {
                        Some('r') => 1,
                        Some('s') => 2,
                        Some('a') => 3,
                        _ => 0,
                    };
                    self.emit_at(Op::FormatValue(conv, has_spec), expr.span);
                }
            }
        }
        self.emit(Op::BuildString(parts.len() as u32));
        Ok(())
    }

    /// kind: 0 list, 1 tuple, 2 set.
    fn sequence(&mut self, items: &[P], kind: u8) -> CResult<()> {
        if items.iter().any(|i| matches!(i.kind, ExprKind::Starred(_))) {
            self.emit(Op::BuildList(0));
            for i in items {
                match &i.kind {
                    ExprKind::Starred(inner) => {
                        self.expr(inner)?;
                        self.emit(Op::ListExtend);
                    }
                    _ => {
                        self.expr(i)?;
                        self.emit(Op::ListAppend(1));
                    }
                }
            }
            match kind {
                1 => {
                    self.emit(Op::ListToTuple);
                }
                2 => {
                    let g = self.globals.get(&Rc::from("set"));
                    self.emit(Op::LoadGlobal(g));
                    self.emit(Op::Rot2);
                    self.emit(Op::Call(1, NO_KW));
                }
                _ => {}
            }
            return Ok(());
        }
        for i in items {
            self.expr(i)?;
        }
        let n = items.len() as u32;
        match kind {
            0 => self.emit(Op::BuildList(n)),
            1 => self.emit(Op::BuildTuple(n)),
            _ => self.emit(Op::BuildSet(n)),
        };
        Ok(())
    }

    fn call(&mut self, f: &Expr, args: &[Arg]) -> CResult<()> {
        let simple = args.iter().all(|a| matches!(a, Arg::Pos(_) | Arg::Kw(..)));
        if simple {
            let mut kwnames = Vec::new();
            let method = if let ExprKind::Attr(o, name) = &f.kind {
                self.expr(o)?;
                Some(self.name_idx(name))
            } else {
                self.expr(f)?;
                None
            };
            let mut argc = 0;
            for a in args {
                if let Arg::Pos(e) = a {
                    self.expr(e)?;
                    argc += 1;
                }
            }
            for a in args {
                if let Arg::Kw(n, e) = a {
                    self.expr(e)?;
                    kwnames.push(Value::str(n));
                }
            }
            let kw = if kwnames.is_empty() {
                NO_KW
            } else {
                let c = self.u().code.consts.len() as u32;
                self.u().code.consts.push(Value::tuple(kwnames));
                c
            };
            match method {
                Some(m) => self.emit(Op::CallMethod(m, argc, kw)),
                None => self.emit(Op::Call(argc, kw)),
            };
            return Ok(());
        }
        self.expr(f)?;
        self.emit(Op::BuildList(0));
        for a in args {
            match a {
                Arg::Pos(e) => {
                    self.expr(e)?;
                    self.emit(Op::ListAppend(1));
                }
                Arg::Star(e) => {
                    self.expr(e)?;
                    self.emit(Op::ListExtend);
                }
                _ => {}
            }
        }
        let has_kw = args
            .iter()
            .any(|a| matches!(a, Arg::Kw(..) | Arg::StarStar(_)));
        if has_kw {
            self.emit(Op::BuildDict(0));
            for a in args {
                match a {
                    Arg::Kw(n, e) => {
                        self.load_const(Value::str(n));
                        self.expr(e)?;
                        self.emit(Op::MapAdd(1));
                    }
                    Arg::StarStar(e) => {
                        self.expr(e)?;
                        self.emit(Op::DictMerge);
                    }
                    _ => {}
                }
            }
        }
        self.emit(Op::CallEx(has_kw));
        Ok(())
    }
}
