//! Recursive-descent parser from tokens to the AST, with a nesting limit and clear errors.

use std::rc::Rc;

use crate::ast::*;
use crate::error::Span;
use crate::lexer::{tokenize, Tok, Token};

/// A syntax error: message, byte range, whether it is an IndentationError.
#[derive(Debug, Clone)]
pub struct ParseError {
    pub msg: String,
    pub start: usize,
    pub end: usize,
    pub indentation: bool,
}

const MAX_DEPTH: usize = 90;

/// Parses a module.
pub fn parse_module(src: &str, file: u16) -> Result<Vec<Stmt>, ParseError> {
    let toks = tokenize(src).map_err(|e| ParseError {
        msg: e.msg,
        start: e.pos,
        end: e.pos + 1,
        indentation: e.indentation,
    })?;
    let mut p = Parser {
        toks,
        pos: 0,
        file,
        depth: 0,
        src,
    };
    let mut body = Vec::new();
    while !p.at_eof() {
        if p.check(&Tok::Newline) {
            p.pos += 1;
            continue;
        }
        p.statement(&mut body)?;
    }
    Ok(body)
}

struct Parser<'a> {
    toks: Vec<Token>,
    pos: usize,
    file: u16,
    depth: usize,
    src: &'a str,
}

fn is_op(t: &Tok, op: &str) -> bool {
    matches!(t, Tok::Op(o) if *o == op)
}
fn is_kw(t: &Tok, kw: &str) -> bool {
    matches!(t, Tok::Kw(k) if *k == kw)
}

impl<'a> Parser<'a> {
    fn tok(&self) -> &Tok {
        self.toks.get(self.pos).map(|t| &t.tok).unwrap_or(&Tok::Eof)
    }
    fn tok_at(&self, n: usize) -> &Tok {
        self.toks
            .get(self.pos + n)
            .map(|t| &t.tok)
            .unwrap_or(&Tok::Eof)
    }
    fn start(&self) -> usize {
        self.toks
            .get(self.pos)
            .map(|t| t.start)
            .unwrap_or(self.src.len())
    }
    fn prev_end(&self) -> usize {
        if self.pos == 0 {
            return 0;
        }
        self.toks
            .get(self.pos - 1)
            .map(|t| t.end)
            .unwrap_or(self.src.len())
    }
    fn span_from(&self, start: usize) -> Span {
        Span {
            file: self.file,
            start: start as u32,
            end: self.prev_end().max(start) as u32,
        }
    }
    fn at_eof(&self) -> bool {
        matches!(self.tok(), Tok::Eof)
    }
    fn check(&self, t: &Tok) -> bool {
        self.tok() == t
    }
    fn check_op(&self, op: &str) -> bool {
        is_op(self.tok(), op)
    }
    fn check_kw(&self, kw: &str) -> bool {
        is_kw(self.tok(), kw)
    }
    fn eat_op(&mut self, op: &str) -> bool {
        if self.check_op(op) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn eat_kw(&mut self, kw: &str) -> bool {
        if self.check_kw(kw) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn err<T>(&self, msg: impl Into<String>) -> Result<T, ParseError> {
        Err(self.error(msg.into()))
    }
    /// The error at the current token (out of line: one copy for every `err` instantiation).
    #[cold]
    #[inline(never)]
    fn error(&self, msg: String) -> ParseError {
        let (start, end) = self
            .toks
            .get(self.pos)
            .map(|t| (t.start, t.end.max(t.start + 1)))
            .unwrap_or((self.src.len(), self.src.len() + 1));
        ParseError {
            msg,
            start,
            end,
            indentation: false,
        }
    }
    fn err_at<T>(&self, msg: impl Into<String>, span: Span) -> Result<T, ParseError> {
        Err(ParseError {
            msg: msg.into(),
            start: span.start as usize,
            end: span.end.max(span.start + 1) as usize,
            indentation: false,
        })
    }
    fn invalid<T>(&self) -> Result<T, ParseError> {
        Err(self.invalid_error())
    }
    #[cold]
    #[inline(never)]
    fn invalid_error(&self) -> ParseError {
        match self.tok() {
            Tok::Indent => ParseError {
                msg: "unexpected indent".into(),
                start: self.start(),
                end: self.start() + 1,
                indentation: true,
            },
            Tok::Kw(k) if matches!(*k, "async" | "await" | "yield") => {
                self.error(format!("'{}' is not supported in the playground", k))
            }
            _ => self.error("invalid syntax".into()),
        }
    }
    fn expect_op(&mut self, op: &str) -> Result<(), ParseError> {
        if self.eat_op(op) {
            Ok(())
        } else if matches!(self.tok(), Tok::Newline | Tok::Eof) || op == ":" {
            self.err(format!("expected '{}'", op))
        } else {
            self.invalid()
        }
    }
    fn name(&mut self) -> Result<Rc<str>, ParseError> {
        if let Tok::Name(n) = self.tok() {
            let n = n.clone();
            self.pos += 1;
            return Ok(n);
        }
        self.invalid()
    }
    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.err("too many nested parentheses");
        }
        Ok(())
    }
    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    // ---------- statements ----------

    fn opt_clause(&mut self, kw: &str) -> Result<Vec<Stmt>, ParseError> {
        let s = self.start();
        if self.eat_kw(kw) {
            self.block_for(&format!("'{}' statement", kw), s)
        } else {
            Ok(vec![])
        }
    }

    fn line_of(&self, pos: usize) -> usize {
        self.src[..pos.min(self.src.len())].matches('\n').count() + 1
    }

    fn block_for(&mut self, what: &str, header: usize) -> Result<Vec<Stmt>, ParseError> {
        self.expect_op(":")?;
        self.enter()?;
        let mut body = Vec::new();
        if self.check(&Tok::Newline) {
            self.pos += 1;
            if !self.check(&Tok::Indent) {
                let msg = if what.is_empty() {
                    "expected an indented block".to_string()
                } else {
                    format!(
                        "expected an indented block after {} on line {}",
                        what,
                        self.line_of(header)
                    )
                };
                return Err(ParseError {
                    msg,
                    start: self.start(),
                    end: self.start() + 1,
                    indentation: true,
                });
            }
            self.pos += 1;
            while !self.check(&Tok::Dedent) && !self.at_eof() {
                if self.check(&Tok::Newline) {
                    self.pos += 1;
                    continue;
                }
                self.statement(&mut body)?;
            }
            if self.check(&Tok::Dedent) {
                self.pos += 1;
            }
        } else {
            self.simple_line(&mut body)?;
        }
        self.leave();
        Ok(body)
    }

    fn statement(&mut self, out: &mut Vec<Stmt>) -> Result<(), ParseError> {
        let start = self.start();
        let kind = match *self.tok() {
            Tok::Kw("if") => {
                self.pos += 1;
                self.if_rest(start, false)?
            }
            Tok::Kw("while") => {
                self.pos += 1;
                let cond = self.named_test()?;
                let body = self.block_for("'while' statement", start)?;
                let orelse = self.opt_clause("else")?;
                StmtKind::While(cond, body, orelse)
            }
            Tok::Kw("for") => {
                self.pos += 1;
                let target = self.target_list()?;
                if !self.eat_kw("in") {
                    return self.err("expected 'in'");
                }
                let iter = self.expr_list()?;
                let body = self.block_for("'for' statement", start)?;
                let orelse = self.opt_clause("else")?;
                StmtKind::For(target, iter, body, orelse)
            }
            Tok::Kw("def") => {
                self.pos += 1;
                let f = self.funcdef(start)?;
                StmtKind::Def(Rc::new(f))
            }
            Tok::Kw("class") => {
                self.pos += 1;
                let name = self.name()?;
                let mut base = None;
                if self.eat_op("(") {
                    if !self.check_op(")") {
                        base = Some(self.test()?);
                    }
                    if self.eat_op(",") && !self.check_op(")") {
                        return self.err_at(
                            "classes with several bases are not supported in the playground",
                            self.span_from(start),
                        );
                    }
                    self.expect_op(")")?;
                }
                let span = self.span_from(start);
                let body = self.block_for("class definition", start)?;
                let trivial = body.iter().all(|s| match &s.kind {
                    StmtKind::Pass => true,
                    StmtKind::Expr(e) => matches!(e.kind, ExprKind::Const(_)),
                    _ => false,
                });
                match base {
                    Some(b) if trivial => StmtKind::ExcClass(name, b),
                    _ => {
                        return self.err_at(
                            "class definitions are not supported in the playground (only exception classes like `class MyError(Exception): pass`)",
                            span,
                        )
                    }
                }
            }
            Tok::Kw("try") => {
                self.pos += 1;
                let body = self.block_for("'try' statement", start)?;
                let mut handlers = Vec::new();
                while self.check_kw("except") {
                    let hs = self.start();
                    self.pos += 1;
                    if self.check_op("*") {
                        return self.err("'except*' is not supported in the playground");
                    }
                    let mut typ = None;
                    let mut name = None;
                    if !self.check_op(":") {
                        let t = self.test()?;
                        if self.check_op(",") {
                            let mut items = vec![t];
                            while self.eat_op(",") {
                                if self.check_op(":") || self.check_kw("as") {
                                    break;
                                }
                                items.push(self.test()?);
                            }
                            let span = self.span_from(hs);
                            typ = Some(Expr {
                                kind: ExprKind::Tuple(items),
                                span,
                            });
                        } else {
                            typ = Some(t);
                        }
                        if self.eat_kw("as") {
                            name = Some(self.name()?);
                        }
                    }
                    let span = self.span_from(hs);
                    let hbody = self.block_for("'except' statement", hs)?;
                    handlers.push(Handler {
                        typ,
                        name,
                        body: hbody,
                        span,
                    });
                }
                let orelse = if !handlers.is_empty() {
                    self.opt_clause("else")?
                } else {
                    vec![]
                };
                let finalbody = self.opt_clause("finally")?;
                if handlers.is_empty() && finalbody.is_empty() {
                    return self.err("expected 'except' or 'finally' block");
                }
                StmtKind::Try {
                    body,
                    handlers,
                    orelse,
                    finalbody: Rc::new(finalbody),
                }
            }
            Tok::Kw("with") => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    let e = self.test()?;
                    let t = if self.eat_kw("as") {
                        Some(self.target()?)
                    } else {
                        None
                    };
                    items.push((e, t));
                    if !self.eat_op(",") {
                        break;
                    }
                }
                let body = self.block_for("'with' statement", start)?;
                StmtKind::With(items, body)
            }
            Tok::Kw("async") => return self.err("'async' is not supported in the playground"),
            Tok::Op("@") => return self.err("decorators are not supported in the playground"),
            _ => return self.simple_line(out),
        };
        out.push(Stmt {
            kind,
            span: self.span_from(start),
        });
        Ok(())
    }

    fn if_rest(&mut self, start: usize, is_elif: bool) -> Result<StmtKind, ParseError> {
        let cond = self.named_test()?;
        let body = self.block_for(
            if is_elif {
                "'elif' statement"
            } else {
                "'if' statement"
            },
            start,
        )?;
        let orelse = if self.check_kw("elif") {
            let s = self.start();
            self.pos += 1;
            self.enter()?;
            let k = self.if_rest(s, true)?;
            self.leave();
            vec![Stmt {
                kind: k,
                span: self.span_from(s),
            }]
        } else if self.check_kw("else") {
            self.opt_clause("else")?
        } else {
            vec![]
        };
        Ok(StmtKind::If(cond, body, orelse))
    }

    fn funcdef(&mut self, start: usize) -> Result<FuncDef, ParseError> {
        let name = self.name()?;
        self.expect_op("(")?;
        let (params, vararg, kwonly, kwarg) = self.params(")")?;
        self.expect_op(")")?;
        if self.eat_op("->") {
            self.test()?;
        }
        let span = self.span_from(start);
        let body = self.block_for("function definition", start)?;
        Ok(FuncDef {
            name,
            params,
            vararg,
            kwonly,
            kwarg,
            body,
            span,
        })
    }

    #[allow(clippy::type_complexity)]
    fn params(
        &mut self,
        end: &str,
    ) -> Result<(Vec<Param>, Option<Rc<str>>, Vec<Param>, Option<Rc<str>>), ParseError> {
        let mut params = Vec::new();
        let mut vararg = None;
        let mut kwonly = Vec::new();
        let mut kwarg = None;
        let mut star_seen = false;
        let mut names: Vec<Rc<str>> = Vec::new();
        while !self.check_op(end) {
            let pstart = self.start();
            if self.eat_op("**") {
                let n = self.name()?;
                names.push(n.clone());
                kwarg = Some(n);
                self.eat_op(",");
                break;
            } else if self.eat_op("*") {
                if star_seen {
                    return self.err("* argument may appear only once");
                }
                star_seen = true;
                if !self.check_op(",") {
                    let n = self.name()?;
                    names.push(n.clone());
                    vararg = Some(n);
                }
            } else if self.eat_op("/") {
            } else {
                let n = self.name()?;
                if end == ")" && self.eat_op(":") {
                    self.test()?;
                }
                let default = if self.eat_op("=") {
                    Some(self.test()?)
                } else {
                    None
                };
                if star_seen {
                    kwonly.push(Param {
                        name: n.clone(),
                        default,
                    });
                } else {
                    if default.is_none() && params.iter().any(|p: &Param| p.default.is_some()) {
                        return self.err_at(
                            "non-default argument follows default argument",
                            self.span_from(pstart),
                        );
                    }
                    params.push(Param {
                        name: n.clone(),
                        default,
                    });
                }
                if names.contains(&n) {
                    return self.err_at(
                        format!("duplicate argument '{}' in function definition", n),
                        self.span_from(pstart),
                    );
                }
                names.push(n);
            }
            if !self.eat_op(",") {
                break;
            }
        }
        Ok((params, vararg, kwonly, kwarg))
    }

    fn simple_line(&mut self, out: &mut Vec<Stmt>) -> Result<(), ParseError> {
        loop {
            let start = self.start();
            let kind = self.simple_stmt()?;
            out.push(Stmt {
                kind,
                span: self.span_from(start),
            });
            if self.eat_op(";") {
                if matches!(self.tok(), Tok::Newline | Tok::Eof) {
                    break;
                }
                continue;
            }
            break;
        }
        match self.tok() {
            Tok::Newline => {
                self.pos += 1;
                Ok(())
            }
            Tok::Eof => Ok(()),
            _ => self.invalid(),
        }
    }

    fn dotted(&mut self) -> Result<String, ParseError> {
        let mut s = self.name()?.to_string();
        while self.eat_op(".") {
            s.push('.');
            s.push_str(&self.name()?);
        }
        Ok(s)
    }

    fn simple_stmt(&mut self) -> Result<StmtKind, ParseError> {
        let start = self.start();
        Ok(match *self.tok() {
            Tok::Kw("pass") => {
                self.pos += 1;
                StmtKind::Pass
            }
            Tok::Kw("break") => {
                self.pos += 1;
                StmtKind::Break
            }
            Tok::Kw("continue") => {
                self.pos += 1;
                StmtKind::Continue
            }
            Tok::Kw("return") => {
                self.pos += 1;
                if matches!(self.tok(), Tok::Newline | Tok::Eof) || self.check_op(";") {
                    StmtKind::Return(None)
                } else {
                    StmtKind::Return(Some(self.expr_list()?))
                }
            }
            Tok::Kw("raise") => {
                self.pos += 1;
                if matches!(self.tok(), Tok::Newline | Tok::Eof) || self.check_op(";") {
                    StmtKind::Raise(None, None)
                } else {
                    let e = self.test()?;
                    let cause = if self.eat_kw("from") {
                        Some(self.test()?)
                    } else {
                        None
                    };
                    StmtKind::Raise(Some(e), cause)
                }
            }
            Tok::Kw("assert") => {
                self.pos += 1;
                let t = self.test()?;
                let m = if self.eat_op(",") {
                    Some(self.test()?)
                } else {
                    None
                };
                StmtKind::Assert(t, m)
            }
            Tok::Kw("global") | Tok::Kw("nonlocal") => {
                let is_global = self.check_kw("global");
                self.pos += 1;
                let mut names = vec![self.name()?];
                while self.eat_op(",") {
                    names.push(self.name()?);
                }
                if is_global {
                    StmtKind::Global(names)
                } else {
                    StmtKind::Nonlocal(names)
                }
            }
            Tok::Kw("del") => {
                self.pos += 1;
                let mut targets = vec![self.target()?];
                while self.eat_op(",") {
                    if matches!(self.tok(), Tok::Newline | Tok::Eof) {
                        break;
                    }
                    targets.push(self.target()?);
                }
                StmtKind::Del(targets)
            }
            Tok::Kw("import") => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    let n = self.dotted()?;
                    let alias = if self.eat_kw("as") {
                        Some(self.name()?)
                    } else {
                        None
                    };
                    items.push((n, alias));
                    if !self.eat_op(",") {
                        break;
                    }
                }
                StmtKind::Import(items)
            }
            Tok::Kw("from") => {
                self.pos += 1;
                if self.check_op(".") || self.check_op("...") {
                    return self.err("relative imports are not supported in the playground");
                }
                let m = self.dotted()?;
                if !self.eat_kw("import") {
                    return self.err("invalid syntax");
                }
                if self.check_op("*") {
                    return self.err("'from ... import *' is not supported in the playground");
                }
                let paren = self.eat_op("(");
                let mut items = Vec::new();
                loop {
                    let n = self.name()?;
                    let alias = if self.eat_kw("as") {
                        Some(self.name()?)
                    } else {
                        None
                    };
                    items.push((n, alias));
                    if !self.eat_op(",") {
                        break;
                    }
                    if paren && self.check_op(")") {
                        break;
                    }
                }
                if paren {
                    self.expect_op(")")?;
                }
                StmtKind::ImportFrom(m, items)
            }
            Tok::Kw("yield") => {
                return self.err("'yield' (generators) is not supported in the playground")
            }
            _ => {
                let e = self.star_expr_list()?;
                if let Tok::Op(op) = *self.tok() {
                    let aug = match op {
                        "+=" => Some(BinOp::Add),
                        "-=" => Some(BinOp::Sub),
                        "*=" => Some(BinOp::Mul),
                        "/=" => Some(BinOp::Div),
                        "//=" => Some(BinOp::FloorDiv),
                        "%=" => Some(BinOp::Mod),
                        "**=" => Some(BinOp::Pow),
                        "<<=" => Some(BinOp::LShift),
                        ">>=" => Some(BinOp::RShift),
                        "&=" => Some(BinOp::BitAnd),
                        "|=" => Some(BinOp::BitOr),
                        "^=" => Some(BinOp::BitXor),
                        _ => None,
                    };
                    if let Some(op) = aug {
                        self.check_target(&e, true)?;
                        self.pos += 1;
                        let v = self.expr_list()?;
                        return Ok(StmtKind::AugAssign(e, op, v));
                    }
                    if op == ":" {
                        // annotated assignment
                        self.check_target(&e, false)?;
                        self.pos += 1;
                        self.test()?;
                        if self.eat_op("=") {
                            let v = self.star_expr_list()?;
                            return Ok(StmtKind::Assign(vec![e], v));
                        }
                        return Ok(StmtKind::Pass);
                    }
                    if op == "=" {
                        let mut targets = vec![e];
                        let mut value;
                        loop {
                            self.pos += 1;
                            value = self.star_expr_list()?;
                            if self.check_op("=") {
                                targets.push(value);
                                continue;
                            }
                            break;
                        }
                        for t in &targets {
                            self.check_target(t, false)?;
                        }
                        return Ok(StmtKind::Assign(targets, value));
                    }
                }
                let _ = start;
                StmtKind::Expr(e)
            }
        })
    }

    fn check_target(&self, e: &Expr, aug: bool) -> Result<(), ParseError> {
        match &e.kind {
            ExprKind::Name(_) | ExprKind::Attr(..) | ExprKind::Subscript(..) => Ok(()),
            ExprKind::Tuple(items) | ExprKind::List(items) if !aug => {
                for i in items {
                    self.check_target(i, false)?;
                }
                Ok(())
            }
            ExprKind::Starred(inner) if !aug => self.check_target(inner, false),
            ExprKind::Call(..) => self.err_at(
                "cannot assign to function call here. Maybe you meant '==' instead of '='?",
                e.span,
            ),
            ExprKind::Const(_) => self.err_at(
                "cannot assign to literal here. Maybe you meant '==' instead of '='?",
                e.span,
            ),
            _ => {
                if aug {
                    self.err_at(
                        "'tuple' is an illegal expression for augmented assignment",
                        e.span,
                    )
                } else {
                    self.err_at(
                        "cannot assign to expression here. Maybe you meant '==' instead of '='?",
                        e.span,
                    )
                }
            }
        }
    }

    // ---------- expressions ----------

    fn target(&mut self) -> Result<Expr, ParseError> {
        let e = self.bitor()?;
        self.check_target(&e, false)?;
        Ok(e)
    }

    /// `for` targets: `a`, `a, b`, `(a, b)`.
    fn target_list(&mut self) -> Result<Expr, ParseError> {
        let start = self.start();
        let first = if self.eat_op("*") {
            let inner = self.bitor()?;
            Expr {
                kind: ExprKind::Starred(Box::new(inner)),
                span: self.span_from(start),
            }
        } else {
            self.bitor()?
        };
        let e = if self.check_op(",") {
            let mut items = vec![first];
            while self.eat_op(",") {
                if self.check_kw("in") || self.check_op("=") {
                    break;
                }
                items.push(self.bitor()?);
            }
            Expr {
                kind: ExprKind::Tuple(items),
                span: self.span_from(start),
            }
        } else {
            first
        };
        self.check_target(&e, false)?;
        Ok(e)
    }

    fn expr_list(&mut self) -> Result<Expr, ParseError> {
        self.star_expr_list()
    }

    fn star_expr_list(&mut self) -> Result<Expr, ParseError> {
        let start = self.start();
        let first = self.star_test()?;
        if !self.check_op(",") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if matches!(self.tok(), Tok::Newline | Tok::Eof)
                || self.check_op("=")
                || self.check_op(")")
                || self.check_op(";")
                || self.check_op(":")
            {
                break;
            }
            if let Tok::Op(o) = self.tok() {
                if o.ends_with('=')
                    && o.len() >= 2
                    && *o != "=="
                    && *o != "!="
                    && *o != "<="
                    && *o != ">="
                {
                    break;
                }
            }
            items.push(self.star_test()?);
        }
        Ok(Expr {
            kind: ExprKind::Tuple(items),
            span: self.span_from(start),
        })
    }

    fn star_test(&mut self) -> Result<Expr, ParseError> {
        let start = self.start();
        if self.eat_op("*") {
            let e = self.bitor()?;
            return Ok(Expr {
                kind: ExprKind::Starred(Box::new(e)),
                span: self.span_from(start),
            });
        }
        self.test()
    }

    fn named_test(&mut self) -> Result<Expr, ParseError> {
        let e = self.test()?;
        if self.check_op(":=") {
            return self.err("the walrus operator ':=' is not supported in the playground");
        }
        Ok(e)
    }

    fn test(&mut self) -> Result<Expr, ParseError> {
        self.enter()?;
        let r = self.test_inner();
        self.leave();
        r
    }

    fn test_inner(&mut self) -> Result<Expr, ParseError> {
        let start = self.start();
        if self.eat_kw("lambda") {
            let (params, vararg, kwonly, kwarg) = self.params(":")?;
            let span = self.span_from(start);
            self.expect_op(":")?;
            let body = self.test()?;
            let bspan = body.span;
            let f = FuncDef {
                name: Rc::from("<lambda>"),
                params,
                vararg,
                kwonly,
                kwarg,
                body: vec![Stmt {
                    kind: StmtKind::Return(Some(body)),
                    span: bspan,
                }],
                span,
            };
            return Ok(Expr {
                kind: ExprKind::Lambda(Rc::new(f)),
                span: self.span_from(start),
            });
        }
        let e = self.or_test()?;
        if self.eat_kw("if") {
            let cond = self.or_test()?;
            if !self.eat_kw("else") {
                return self.err("expected 'else' after 'if' expression");
            }
            let other = self.test()?;
            return Ok(Expr {
                kind: ExprKind::IfExp(Box::new(cond), Box::new(e), Box::new(other)),
                span: self.span_from(start),
            });
        }
        Ok(e)
    }

    fn or_test(&mut self) -> Result<Expr, ParseError> {
        let start = self.start();
        let mut e = self.and_test()?;
        while self.eat_kw("or") {
            let r = self.and_test()?;
            e = Expr {
                kind: ExprKind::Or(Box::new(e), Box::new(r)),
                span: self.span_from(start),
            };
        }
        Ok(e)
    }

    fn and_test(&mut self) -> Result<Expr, ParseError> {
        let start = self.start();
        let mut e = self.not_test()?;
        while self.eat_kw("and") {
            let r = self.not_test()?;
            e = Expr {
                kind: ExprKind::And(Box::new(e), Box::new(r)),
                span: self.span_from(start),
            };
        }
        Ok(e)
    }

    fn not_test(&mut self) -> Result<Expr, ParseError> {
        let start = self.start();
        if self.eat_kw("not") {
            self.enter()?;
            let e = self.not_test()?;
            self.leave();
            return Ok(Expr {
                kind: ExprKind::Unary(UnOp::Not, Box::new(e)),
                span: self.span_from(start),
            });
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, ParseError> {
        let start = self.start();
        let first = self.bitor()?;
        let mut ops = Vec::new();
        loop {
            let op = match self.tok() {
                Tok::Op("==") => CmpOp::Eq,
                Tok::Op("!=") => CmpOp::Ne,
                Tok::Op("<") => CmpOp::Lt,
                Tok::Op("<=") => CmpOp::Le,
                Tok::Op(">") => CmpOp::Gt,
                Tok::Op(">=") => CmpOp::Ge,
                Tok::Kw("in") => CmpOp::In,
                Tok::Kw("is") => {
                    if is_kw(self.tok_at(1), "not") {
                        self.pos += 1;
                        CmpOp::IsNot
                    } else {
                        CmpOp::Is
                    }
                }
                Tok::Kw("not") if is_kw(self.tok_at(1), "in") => {
                    self.pos += 1;
                    CmpOp::NotIn
                }
                _ => break,
            };
            self.pos += 1;
            ops.push((op, self.bitor()?));
        }
        if ops.is_empty() {
            Ok(first)
        } else {
            Ok(Expr {
                kind: ExprKind::Compare(Box::new(first), ops),
                span: self.span_from(start),
            })
        }
    }

    fn binary_level(&mut self, level: u8) -> Result<Expr, ParseError> {
        if level == 6 {
            return self.factor();
        }
        let start = self.start();
        let mut e = self.binary_level(level + 1)?;
        loop {
            let op = match (level, self.tok()) {
                (0, Tok::Op("|")) => BinOp::BitOr,
                (1, Tok::Op("^")) => BinOp::BitXor,
                (2, Tok::Op("&")) => BinOp::BitAnd,
                (3, Tok::Op("<<")) => BinOp::LShift,
                (3, Tok::Op(">>")) => BinOp::RShift,
                (4, Tok::Op("+")) => BinOp::Add,
                (4, Tok::Op("-")) => BinOp::Sub,
                (5, Tok::Op("*")) => BinOp::Mul,
                (5, Tok::Op("/")) => BinOp::Div,
                (5, Tok::Op("//")) => BinOp::FloorDiv,
                (5, Tok::Op("%")) => BinOp::Mod,
                (5, Tok::Op("@")) => {
                    return self.err("the '@' operator is not supported in the playground")
                }
                _ => break,
            };
            self.pos += 1;
            let r = self.binary_level(level + 1)?;
            e = Expr {
                kind: ExprKind::Bin(op, Box::new(e), Box::new(r)),
                span: self.span_from(start),
            };
        }
        Ok(e)
    }

    fn bitor(&mut self) -> Result<Expr, ParseError> {
        self.binary_level(0)
    }

    fn factor(&mut self) -> Result<Expr, ParseError> {
        let start = self.start();
        let op = match self.tok() {
            Tok::Op("-") => Some(UnOp::Neg),
            Tok::Op("+") => Some(UnOp::Pos),
            Tok::Op("~") => Some(UnOp::Invert),
            _ => None,
        };
        if let Some(op) = op {
            self.pos += 1;
            self.enter()?;
            let e = self.factor()?;
            self.leave();
            // fold negative literals
            if op == UnOp::Neg {
                if let ExprKind::Const(Const::Int(i)) = e.kind {
                    if let Some(n) = i.checked_neg() {
                        return Ok(Expr {
                            kind: ExprKind::Const(Const::Int(n)),
                            span: self.span_from(start),
                        });
                    }
                }
                if let ExprKind::Const(Const::Float(f)) = e.kind {
                    return Ok(Expr {
                        kind: ExprKind::Const(Const::Float(-f)),
                        span: self.span_from(start),
                    });
                }
            }
            return Ok(Expr {
                kind: ExprKind::Unary(op, Box::new(e)),
                span: self.span_from(start),
            });
        }
        self.power()
    }

    fn power(&mut self) -> Result<Expr, ParseError> {
        let start = self.start();
        if self.check_kw("await") {
            return self.err("'await' is not supported in the playground");
        }
        let e = self.primary()?;
        if self.eat_op("**") {
            self.enter()?;
            let r = self.factor()?;
            self.leave();
            return Ok(Expr {
                kind: ExprKind::Bin(BinOp::Pow, Box::new(e), Box::new(r)),
                span: self.span_from(start),
            });
        }
        Ok(e)
    }

    fn primary(&mut self) -> Result<Expr, ParseError> {
        let start = self.start();
        let mut e = self.atom()?;
        loop {
            if self.eat_op(".") {
                let n = self.name()?;
                e = Expr {
                    kind: ExprKind::Attr(Box::new(e), n),
                    span: self.span_from(start),
                };
            } else if self.check_op("(") {
                self.pos += 1;
                self.enter()?;
                let args = self.call_args()?;
                self.leave();
                self.expect_op(")")?;
                e = Expr {
                    kind: ExprKind::Call(Box::new(e), args),
                    span: self.span_from(start),
                };
            } else if self.check_op("[") {
                self.pos += 1;
                self.enter()?;
                let idx = self.subscript()?;
                self.leave();
                self.expect_op("]")?;
                e = Expr {
                    kind: ExprKind::Subscript(Box::new(e), Box::new(idx)),
                    span: self.span_from(start),
                };
            } else {
                break;
            }
        }
        Ok(e)
    }

    fn subscript(&mut self) -> Result<Expr, ParseError> {
        let start = self.start();
        let first = self.slice_item()?;
        if self.check_op(",") {
            let mut items = vec![first];
            while self.eat_op(",") {
                if self.check_op("]") {
                    break;
                }
                items.push(self.slice_item()?);
            }
            return Ok(Expr {
                kind: ExprKind::Tuple(items),
                span: self.span_from(start),
            });
        }
        Ok(first)
    }

    fn slice_item(&mut self) -> Result<Expr, ParseError> {
        let start = self.start();
        let lo = if self.check_op(":") {
            None
        } else {
            Some(Box::new(self.test()?))
        };
        if !self.eat_op(":") {
            return lo.map(|b| *b).ok_or_else(|| ParseError {
                msg: "invalid syntax".into(),
                start,
                end: start + 1,
                indentation: false,
            });
        }
        let hi = if self.check_op(":") || self.check_op("]") || self.check_op(",") {
            None
        } else {
            Some(Box::new(self.test()?))
        };
        let step = if self.eat_op(":") {
            if self.check_op("]") || self.check_op(",") {
                None
            } else {
                Some(Box::new(self.test()?))
            }
        } else {
            None
        };
        Ok(Expr {
            kind: ExprKind::Slice(lo, hi, step),
            span: self.span_from(start),
        })
    }

    fn call_args(&mut self) -> Result<Vec<Arg>, ParseError> {
        let mut args = Vec::new();
        let mut seen_kw = false;
        while !self.check_op(")") {
            let start = self.start();
            if self.eat_op("**") {
                args.push(Arg::StarStar(self.test()?));
                seen_kw = true;
            } else if self.eat_op("*") {
                args.push(Arg::Star(self.test()?));
            } else if matches!(self.tok(), Tok::Name(_)) && is_op(self.tok_at(1), "=") {
                let n = self.name()?;
                self.pos += 1;
                let v = self.test()?;
                if args.iter().any(|a| matches!(a, Arg::Kw(k, _) if *k == n)) {
                    return self.err_at(
                        format!("keyword argument repeated: {}", n),
                        self.span_from(start),
                    );
                }
                args.push(Arg::Kw(n, v));
                seen_kw = true;
            } else {
                let e = self.test()?;
                if self.check_kw("for") {
                    let gens = self.comp_for()?;
                    let span = self.span_from(start);
                    args.push(Arg::Pos(Expr {
                        kind: ExprKind::ListComp(Box::new(e), gens),
                        span,
                    }));
                } else {
                    if seen_kw {
                        return self.err_at(
                            "positional argument follows keyword argument",
                            self.span_from(start),
                        );
                    }
                    args.push(Arg::Pos(e));
                }
            }
            if !self.eat_op(",") {
                break;
            }
        }
        Ok(args)
    }

    fn comp_for(&mut self) -> Result<Vec<Comprehension>, ParseError> {
        let mut gens = Vec::new();
        while self.eat_kw("for") {
            let target = self.target_list()?;
            if !self.eat_kw("in") {
                return self.err("expected 'in'");
            }
            let iter = self.or_test()?;
            let mut ifs = Vec::new();
            while self.eat_kw("if") {
                ifs.push(self.or_test()?);
            }
            gens.push(Comprehension { target, iter, ifs });
        }
        if self.check_kw("async") {
            return self.err("'async' is not supported in the playground");
        }
        Ok(gens)
    }

    fn atom(&mut self) -> Result<Expr, ParseError> {
        let start = self.start();
        let kind = match *self.tok() {
            Tok::Name(ref n) => {
                let n = n.clone();
                self.pos += 1;
                ExprKind::Name(n)
            }
            Tok::Int(i) => {
                self.pos += 1;
                ExprKind::Const(Const::Int(i))
            }
            Tok::BigInt(_) => {
                return self.err(
                    "integer literal too large (integers are limited to 64 bits in the playground)",
                )
            }
            Tok::Float(f) => {
                self.pos += 1;
                ExprKind::Const(Const::Float(f))
            }
            Tok::Kw("None") => {
                self.pos += 1;
                ExprKind::Const(Const::None)
            }
            Tok::Kw("True") => {
                self.pos += 1;
                ExprKind::Const(Const::Bool(true))
            }
            Tok::Kw("False") => {
                self.pos += 1;
                ExprKind::Const(Const::Bool(false))
            }
            Tok::Op("...") => {
                self.pos += 1;
                ExprKind::Const(Const::Ellipsis)
            }
            Tok::Str(_) | Tok::FStr { .. } | Tok::Bytes(_) => return self.strings(),
            Tok::Op("(") => {
                self.pos += 1;
                self.enter()?;
                let r = if self.check_op(")") {
                    ExprKind::Tuple(vec![])
                } else {
                    let first = self.star_test()?;
                    if self.check_kw("for") {
                        let gens = self.comp_for()?;
                        ExprKind::ListComp(Box::new(first), gens)
                    } else if self.check_op(",") {
                        let mut items = vec![first];
                        while self.eat_op(",") {
                            if self.check_op(")") {
                                break;
                            }
                            items.push(self.star_test()?);
                        }
                        ExprKind::Tuple(items)
                    } else {
                        if self.check_kw("yield") {
                            return self
                                .err("'yield' (generators) is not supported in the playground");
                        }
                        self.leave();
                        self.expect_op(")")?;
                        // keep the inner expression but widen its span
                        let mut e = first;
                        e.span = self.span_from(start);
                        return Ok(e);
                    }
                };
                self.leave();
                self.expect_op(")")?;
                r
            }
            Tok::Op("[") => {
                self.pos += 1;
                self.enter()?;
                let r = if self.check_op("]") {
                    ExprKind::List(vec![])
                } else {
                    let first = self.star_test()?;
                    if self.check_kw("for") {
                        let gens = self.comp_for()?;
                        ExprKind::ListComp(Box::new(first), gens)
                    } else {
                        let mut items = vec![first];
                        while self.eat_op(",") {
                            if self.check_op("]") {
                                break;
                            }
                            items.push(self.star_test()?);
                        }
                        ExprKind::List(items)
                    }
                };
                self.leave();
                self.expect_op("]")?;
                r
            }
            Tok::Op("{") => {
                self.pos += 1;
                self.enter()?;
                let r = self.brace()?;
                self.leave();
                self.expect_op("}")?;
                r
            }
            Tok::Kw("yield") => {
                return self.err("'yield' (generators) is not supported in the playground")
            }
            Tok::Kw(k @ ("await" | "async")) => {
                return self.err(format!("'{}' is not supported in the playground", k))
            }
            Tok::Indent => return self.invalid(),
            Tok::Newline | Tok::Eof => return self.err("invalid syntax"),
            _ => return self.invalid(),
        };
        Ok(Expr {
            kind,
            span: self.span_from(start),
        })
    }

    fn brace(&mut self) -> Result<ExprKind, ParseError> {
        if self.check_op("}") {
            return Ok(ExprKind::Dict(vec![]));
        }
        if self.eat_op("**") {
            let v = self.bitor()?;
            let mut items = vec![(None, v)];
            self.dict_rest(&mut items)?;
            return Ok(ExprKind::Dict(items));
        }
        let first = self.star_test()?;
        if self.eat_op(":") {
            let v = self.test()?;
            if self.check_kw("for") {
                let gens = self.comp_for()?;
                return Ok(ExprKind::DictComp(Box::new(first), Box::new(v), gens));
            }
            let mut items = vec![(Some(first), v)];
            self.dict_rest(&mut items)?;
            return Ok(ExprKind::Dict(items));
        }
        if self.check_kw("for") {
            let gens = self.comp_for()?;
            return Ok(ExprKind::SetComp(Box::new(first), gens));
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if self.check_op("}") {
                break;
            }
            items.push(self.star_test()?);
        }
        Ok(ExprKind::Set(items))
    }

    fn dict_rest(&mut self, items: &mut Vec<(Option<Expr>, Expr)>) -> Result<(), ParseError> {
        while self.eat_op(",") {
            if self.check_op("}") {
                break;
            }
            if self.eat_op("**") {
                items.push((None, self.bitor()?));
                continue;
            }
            let k = self.test()?;
            self.expect_op(":")?;
            let v = self.test()?;
            items.push((Some(k), v));
        }
        Ok(())
    }

    /// Adjacent string literals, concatenated (f-strings included).
    fn strings(&mut self) -> Result<Expr, ParseError> {
        let start = self.start();
        let mut parts: Vec<FPart> = Vec::new();
        let mut bytes: Option<Vec<u8>> = None;
        let mut any_f = false;
        let mut any_str = false;
        loop {
            match self.tok() {
                Tok::Str(s) => {
                    any_str = true;
                    push_lit(&mut parts, s);
                }
                Tok::Bytes(b) => bytes.get_or_insert_with(Vec::new).extend_from_slice(b),
                Tok::FStr { body, offset, raw } => {
                    let (body, offset, raw) = (body.clone(), *offset, *raw);
                    any_f = true;
                    any_str = true;
                    let ps = self.fstring(&body, offset, raw)?;
                    for p in ps {
                        match p {
                            FPart::Lit(s) => push_lit(&mut parts, &s),
                            other => parts.push(other),
                        }
                    }
                }
                _ => break,
            }
            self.pos += 1;
        }
        let span = self.span_from(start);
        if let Some(b) = bytes {
            if any_str {
                return self.err_at("cannot mix bytes and nonbytes literals", span);
            }
            return Ok(Expr {
                kind: ExprKind::Const(Const::Bytes(Rc::from(b))),
                span,
            });
        }
        if !any_f {
            let s = match parts.first() {
                Some(FPart::Lit(s)) => s.clone(),
                _ => String::new(),
            };
            return Ok(Expr {
                kind: ExprKind::Const(Const::Str(Rc::from(s))),
                span,
            });
        }
        Ok(Expr {
            kind: ExprKind::FString(parts),
            span,
        })
    }

    fn fstring(&mut self, body: &str, offset: usize, raw: bool) -> Result<Vec<FPart>, ParseError> {
        self.enter()?;
        let r = self.fstring_inner(body, offset, raw);
        self.leave();
        r
    }

    fn fstring_inner(
        &mut self,
        body: &str,
        offset: usize,
        raw: bool,
    ) -> Result<Vec<FPart>, ParseError> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        let b = body.as_bytes();
        let mut i = 0;
        let ferr = |msg: &str, at: usize| ParseError {
            msg: format!("f-string: {}", msg),
            start: offset + at,
            end: offset + at + 1,
            indentation: false,
        };
        while i < b.len() {
            let c = b[i];
            if c == b'{' {
                if b.get(i + 1) == Some(&b'{') {
                    lit.push('{');
                    i += 2;
                    continue;
                }
                if !lit.is_empty() {
                    let s = if raw {
                        std::mem::take(&mut lit)
                    } else {
                        crate::lexer::unescape(&lit).map_err(|m| ferr(&m, i))?
                    };
                    lit.clear();
                    parts.push(FPart::Lit(s));
                }
                // find the end of the expression
                let expr_start = i + 1;
                let mut depth = 0i32;
                let mut j = expr_start;
                let mut quote: Option<u8> = None;
                let mut conv_at = None;
                let mut spec_at = None;
                while j < b.len() {
                    let ch = b[j];
                    if let Some(q) = quote {
                        if ch == q {
                            quote = None;
                        }
                        j += 1;
                        continue;
                    }
                    match ch {
                        b'\'' | b'"' => quote = Some(ch),
                        b'(' | b'[' | b'{' => depth += 1,
                        b')' | b']' => depth -= 1,
                        b'}' if depth > 0 => depth -= 1,
                        b'}' if depth == 0 => break,
                        b'!' if depth == 0 && b.get(j + 1) != Some(&b'=') => {
                            conv_at = Some(j);
                            // the conversion char, then ':' or '}'
                            j += 2;
                            if b.get(j) == Some(&b':') {
                                spec_at = Some(j);
                            }
                            break;
                        }
                        b':' if depth == 0 => {
                            spec_at = Some(j);
                            break;
                        }
                        _ => {}
                    }
                    j += 1;
                }
                let expr_end = conv_at.or(spec_at).unwrap_or(j);
                if expr_end > b.len() {
                    return Err(ferr("expecting '}'", i));
                }
                let expr_text = body
                    .get(expr_start..expr_end)
                    .ok_or_else(|| ferr("invalid expression", i))?;
                if expr_text.trim().is_empty() {
                    return Err(ferr("valid expression required before '}'", i));
                }
                let expr_text_trim = expr_text.trim_end();
                if expr_text_trim.ends_with('=')
                    && !expr_text_trim.ends_with("==")
                    && !expr_text_trim.ends_with("!=")
                    && !expr_text_trim.ends_with("<=")
                    && !expr_text_trim.ends_with(">=")
                {
                    return Err(ferr(
                        "'=' debugging specifiers are not supported in the playground",
                        i,
                    ));
                }
                let expr = self.sub_expr(expr_text, offset + expr_start)?;
                let conv = match conv_at {
                    Some(c) => match b.get(c + 1) {
                        Some(b'r') => Some('r'),
                        Some(b's') => Some('s'),
                        Some(b'a') => Some('a'),
                        _ => {
                            return Err(ferr(
                                "invalid conversion character: expected 's', 'r', or 'a'",
                                c,
                            ))
                        }
                    },
                    None => None,
                };
                let mut spec = Vec::new();
                let mut k = if let Some(s) = spec_at { s + 1 } else { j };
                if spec_at.is_some() {
                    // spec runs to the matching '}' (nested fields allowed)
                    let spec_start = k;
                    let mut d = 0;
                    while k < b.len() {
                        match b[k] {
                            b'{' => d += 1,
                            b'}' if d == 0 => break,
                            b'}' => d -= 1,
                            _ => {}
                        }
                        k += 1;
                    }
                    let spec_text = body
                        .get(spec_start..k)
                        .ok_or_else(|| ferr("invalid format spec", spec_start))?;
                    spec = self.fstring(spec_text, offset + spec_start, true)?;
                }
                if conv_at.is_some() && spec_at.is_none() {
                    k = conv_at.map(|c| c + 2).unwrap_or(k);
                }
                if b.get(k) != Some(&b'}') {
                    return Err(ferr("expecting '}'", i));
                }
                parts.push(FPart::Expr { expr, conv, spec });
                i = k + 1;
                continue;
            }
            if c == b'}' {
                if b.get(i + 1) == Some(&b'}') {
                    lit.push('}');
                    i += 2;
                    continue;
                }
                return Err(ferr("single '}' is not allowed", i));
            }
            // copy one char
            let ch_len = body[i..].chars().next().map(|c| c.len_utf8()).unwrap_or(1);
            lit.push_str(&body[i..i + ch_len]);
            if c == b'\\' && !raw {
                if let Some(n) = body[i + 1..].chars().next() {
                    lit.push(n);
                    i += 1 + n.len_utf8();
                    continue;
                }
            }
            i += ch_len;
        }
        if !lit.is_empty() {
            let s = if raw {
                lit
            } else {
                crate::lexer::unescape(&lit).map_err(|m| ferr(&m, 0))?
            };
            parts.push(FPart::Lit(s));
        }
        Ok(parts)
    }

    fn sub_expr(&mut self, text: &str, offset: usize) -> Result<Expr, ParseError> {
        let wrapped = format!("({})", text);
        let toks = tokenize(&wrapped).map_err(|e| ParseError {
            msg: format!("f-string: {}", e.msg),
            start: (offset + e.pos).saturating_sub(1),
            end: offset + e.pos,
            indentation: false,
        })?;
        let toks: Vec<Token> = toks
            .into_iter()
            .filter(|t| !matches!(t.tok, Tok::Newline | Tok::Indent | Tok::Dedent))
            .map(|t| Token {
                tok: t.tok,
                start: (t.start + offset).saturating_sub(1),
                end: (t.end + offset).saturating_sub(1),
            })
            .collect();
        let mut sub = Parser {
            toks,
            pos: 0,
            file: self.file,
            depth: self.depth,
            src: self.src,
        };
        let e = sub.star_expr_list()?;
        if !sub.at_eof() {
            return sub.err("f-string: invalid syntax");
        }
        Ok(e)
    }
}

fn push_lit(parts: &mut Vec<FPart>, s: &str) {
    if let Some(FPart::Lit(last)) = parts.last_mut() {
        last.push_str(s);
    } else {
        parts.push(FPart::Lit(s.to_string()));
    }
}
