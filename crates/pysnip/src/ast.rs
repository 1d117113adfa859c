//! The abstract syntax tree produced by the parser.

use std::rc::Rc;

use crate::error::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    BitAnd,
    BitOr,
    BitXor,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "** or pow()",
            BinOp::LShift => "<<",
            BinOp::RShift => ">>",
            BinOp::BitAnd => "&",
            BinOp::BitOr => "|",
            BinOp::BitXor => "^",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Pos,
    Not,
    Invert,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
    Is,
    IsNot,
}

#[derive(Clone, Debug)]
pub enum Const {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<str>),
    Bytes(Rc<[u8]>),
    Ellipsis,
}

/// A boxed expression: the parser returns and the tree holds expressions by pointer, so
/// moving one is a word (not a 40-byte copy).
pub type P = Box<Expr>;

#[derive(Clone, Debug)]
pub enum Arg {
    Pos(P),
    Star(P),
    Kw(Rc<str>, P),
    StarStar(P),
}

#[derive(Clone, Debug)]
pub struct Comprehension {
    pub target: P,
    pub iter: P,
    pub ifs: Vec<P>,
}

#[derive(Clone, Debug)]
pub enum FPart {
    Lit(String),
    Expr {
        expr: P,
        conv: Option<char>,
        spec: Vec<FPart>,
    },
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Name(Rc<str>),
    Const(Const),
    List(Vec<P>),
    Tuple(Vec<P>),
    Set(Vec<P>),
    /// `None` key: `**mapping`.
    Dict(Vec<(Option<P>, P)>),
    Attr(P, Rc<str>),
    Subscript(P, P),
    Slice(Option<P>, Option<P>, Option<P>),
    Call(P, Vec<Arg>),
    Bin(BinOp, P, P),
    Unary(UnOp, P),
    And(P, P),
    Or(P, P),
    Compare(P, Vec<(CmpOp, P)>),
    IfExp(P, P, P),
    Lambda(Rc<FuncDef>),
    ListComp(P, Vec<Comprehension>),
    SetComp(P, Vec<Comprehension>),
    DictComp(P, P, Vec<Comprehension>),
    FString(Vec<FPart>),
    Starred(P),
}

#[derive(Clone, Debug)]
pub struct Param {
    pub name: Rc<str>,
    pub default: Option<P>,
}

#[derive(Clone, Debug)]
pub struct FuncDef {
    pub name: Rc<str>,
    pub params: Vec<Param>,
    pub vararg: Option<Rc<str>>,
    pub kwonly: Vec<Param>,
    pub kwarg: Option<Rc<str>>,
    pub body: Vec<Stmt>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Handler {
    pub typ: Option<P>,
    pub name: Option<Rc<str>>,
    pub body: Vec<Stmt>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum StmtKind {
    Expr(P),
    Assign(Vec<P>, P),
    AugAssign(P, BinOp, P),
    If(P, Vec<Stmt>, Vec<Stmt>),
    While(P, Vec<Stmt>, Vec<Stmt>),
    For(P, P, Vec<Stmt>, Vec<Stmt>),
    Break,
    Continue,
    Pass,
    Return(Option<P>),
    Def(Rc<FuncDef>),
    /// An exception class declaration: name, base.
    ExcClass(Rc<str>, P),
    Try {
        body: Vec<Stmt>,
        handlers: Vec<Handler>,
        orelse: Vec<Stmt>,
        /// Shared: the compiler emits it once per exit path (no copy of the statements).
        finalbody: Rc<Vec<Stmt>>,
    },
    Raise(Option<P>, Option<P>),
    Assert(P, Option<P>),
    /// `import a.b as c`: (dotted name, alias).
    Import(Vec<(String, Option<Rc<str>>)>),
    ImportFrom(String, Vec<(Rc<str>, Option<Rc<str>>)>),
    Global(Vec<Rc<str>>),
    Nonlocal(Vec<Rc<str>>),
    Del(Vec<P>),
    With(Vec<(P, Option<P>)>, Vec<Stmt>),
}
