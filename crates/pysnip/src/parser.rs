//! Recursive-descent parser from tokens to the AST, with a nesting limit and clear errors.

use std::rc::Rc;

use crate::ast::*;
use crate::error::Span;
use crate::lexer::{tokenize, Kw, Punct, Tok, Token};

/// A syntax error: message, byte range, whether it is an IndentationError.
#[derive(Debug, Clone)]
pub struct ParseError {
    pub msg: String,
    pub start: usize,
    pub end: usize,
    pub indentation: bool,
}

const MAX_DEPTH: usize = 90;

/// Parsing failed; the error itself is in `Parser::error` (so results stay one word wide).
struct Fail;

type PResult<T> = Result<T, Fail>;

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
        error: None,
    };
    let mut body = Vec::new();
    let r = p.module(&mut body);
    match (r, p.error) {
        (Ok(()), _) => Ok(body),
        (Err(_), Some(e)) => Err(e),
        (Err(_), None) => Err(ParseError {
            msg: "invalid syntax".into(),
            start: 0,
            end: 1,
            indentation: false,
        }),
    }
}

struct Parser<'a> {
    toks: Vec<Token>,
    pos: usize,
    file: u16,
    depth: usize,
    src: &'a str,
    error: Option<ParseError>,
}

/// The binary operator a token stands for, with its precedence level (0 `|` .. 5 `*`).
fn bin_op(p: Punct) -> Option<(u8, BinOp)> {
    Some(match p {
        Punct::Pipe => (0, BinOp::BitOr),
        Punct::Caret => (1, BinOp::BitXor),
        Punct::Amp => (2, BinOp::BitAnd),
        Punct::LShift => (3, BinOp::LShift),
        Punct::RShift => (3, BinOp::RShift),
        Punct::Plus => (4, BinOp::Add),
        Punct::Minus => (4, BinOp::Sub),
        Punct::Star => (5, BinOp::Mul),
        Punct::Slash => (5, BinOp::Div),
        Punct::DoubleSlash => (5, BinOp::FloorDiv),
        Punct::Percent => (5, BinOp::Mod),
        _ => return None,
    })
}

/// The operator of an augmented assignment token (`+=` ...).
fn aug_op(p: Punct) -> Option<BinOp> {
    Some(match p {
        Punct::PlusEq => BinOp::Add,
        Punct::MinusEq => BinOp::Sub,
        Punct::StarEq => BinOp::Mul,
        Punct::SlashEq => BinOp::Div,
        Punct::DoubleSlashEq => BinOp::FloorDiv,
        Punct::PercentEq => BinOp::Mod,
        Punct::DoubleStarEq => BinOp::Pow,
        Punct::LShiftEq => BinOp::LShift,
        Punct::RShiftEq => BinOp::RShift,
        Punct::AmpEq => BinOp::BitAnd,
        Punct::PipeEq => BinOp::BitOr,
        Punct::CaretEq => BinOp::BitXor,
        _ => return None,
    })
}

impl<'a> Parser<'a> {
    fn module(&mut self, body: &mut Vec<Stmt>) -> PResult<()> {
        while !self.at_eof() {
            if self.at_newline() {
                self.pos += 1;
                continue;
            }
            self.statement(body)?;
        }
        Ok(())
    }

    fn tok(&self) -> &Tok {
        self.tok_at(0)
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
    #[inline(never)]
    fn span_from(&self, start: usize) -> Span {
        Span {
            file: self.file,
            start: start as u32,
            end: self.prev_end().max(start) as u32,
        }
    }
    /// A boxed expression spanning from `start` to the previous token.
    #[inline(never)]
    fn mk(&self, kind: ExprKind, start: usize) -> P {
        Box::new(Expr {
            kind,
            span: self.span_from(start),
        })
    }
    fn at_eof(&self) -> bool {
        matches!(self.tok(), Tok::Eof)
    }
    fn at_newline(&self) -> bool {
        matches!(self.tok(), Tok::Newline)
    }
    /// At a newline or the end of input.
    #[inline(never)]
    fn at_line_end(&self) -> bool {
        matches!(self.tok(), Tok::Newline | Tok::Eof)
    }
    #[inline(never)]
    fn check_op(&self, op: Punct) -> bool {
        matches!(self.tok(), Tok::Op(o) if *o == op)
    }
    #[inline(never)]
    fn check_kw(&self, kw: Kw) -> bool {
        matches!(self.tok(), Tok::Kw(k) if *k == kw)
    }
    #[inline(never)]
    fn eat_op(&mut self, op: Punct) -> bool {
        let r = self.check_op(op);
        self.pos += r as usize;
        r
    }
    #[inline(never)]
    fn eat_kw(&mut self, kw: Kw) -> bool {
        let r = self.check_kw(kw);
        self.pos += r as usize;
        r
    }

    // ---------- errors (out of line: one copy for every call site) ----------

    #[cold]
    #[inline(never)]
    fn set_error(&mut self, msg: String, start: usize, end: usize, indentation: bool) -> Fail {
        self.error = Some(ParseError {
            msg,
            start,
            end,
            indentation,
        });
        Fail
    }
    /// The error at the current token.
    #[cold]
    #[inline(never)]
    fn fail_msg(&mut self, msg: String) -> Fail {
        let (start, end) = self
            .toks
            .get(self.pos)
            .map(|t| (t.start, t.end.max(t.start + 1)))
            .unwrap_or((self.src.len(), self.src.len() + 1));
        self.set_error(msg, start, end, false)
    }
    #[cold]
    #[inline(never)]
    fn fail(&mut self, msg: &str) -> Fail {
        self.fail_msg(msg.to_string())
    }
    fn err<T>(&mut self, msg: &str) -> PResult<T> {
        Err(self.fail(msg))
    }
    #[cold]
    #[inline(never)]
    fn fail_span(&mut self, msg: String, span: Span) -> Fail {
        self.set_error(
            msg,
            span.start as usize,
            span.end.max(span.start + 1) as usize,
            false,
        )
    }
    /// The error over the tokens from `start` to the previous one.
    #[cold]
    #[inline(never)]
    fn fail_from(&mut self, msg: &str, start: usize) -> Fail {
        let span = self.span_from(start);
        self.fail_span(msg.to_string(), span)
    }
    fn err_from<T>(&mut self, msg: &str, start: usize) -> PResult<T> {
        Err(self.fail_from(msg, start))
    }
    fn err_at<T>(&mut self, msg: &str, span: Span) -> PResult<T> {
        Err(self.fail_span(msg.to_string(), span))
    }
    /// An IndentationError at the current token (one character wide).
    #[cold]
    #[inline(never)]
    fn fail_indent(&mut self, msg: String) -> Fail {
        let s = self.start();
        self.set_error(msg, s, s + 1, true)
    }
    #[cold]
    #[inline(never)]
    fn invalid_error(&mut self) -> Fail {
        match self.tok() {
            Tok::Indent => self.fail_indent("unexpected indent".into()),
            Tok::Kw(Kw::Async) => self.fail("'async' is not supported in the playground"),
            Tok::Kw(Kw::Await) => self.fail("'await' is not supported in the playground"),
            Tok::Kw(Kw::Yield) => self.fail("'yield' is not supported in the playground"),
            _ => self.fail("invalid syntax"),
        }
    }
    fn invalid<T>(&mut self) -> PResult<T> {
        Err(self.invalid_error())
    }
    #[inline(never)]
    fn expect_op(&mut self, op: Punct) -> PResult<()> {
        if self.eat_op(op) {
            Ok(())
        } else if self.at_line_end() || op == Punct::Colon {
            Err(self.fail_msg(format!("expected '{}'", op.text())))
        } else {
            self.invalid()
        }
    }
    #[inline(never)]
    fn name(&mut self) -> PResult<Rc<str>> {
        if let Tok::Name(n) = self.tok() {
            let n = n.clone();
            self.pos += 1;
            return Ok(n);
        }
        self.invalid()
    }
    #[inline(never)]
    fn enter(&mut self) -> PResult<()> {
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

    /// An optional `else:` / `finally:` block; `what` names it for the indentation error.
    fn opt_clause(&mut self, kw: Kw, what: &str) -> PResult<Vec<Stmt>> {
        let s = self.start();
        if self.eat_kw(kw) {
            self.block_for(what, s)
        } else {
            Ok(vec![])
        }
    }

    fn line_of(&self, pos: usize) -> usize {
        self.src[..pos.min(self.src.len())].matches('\n').count() + 1
    }

    fn block_for(&mut self, what: &str, header: usize) -> PResult<Vec<Stmt>> {
        self.expect_op(Punct::Colon)?;
        self.enter()?;
        let mut body = Vec::new();
        if self.at_newline() {
            self.pos += 1;
            if !matches!(self.tok(), Tok::Indent) {
                let msg = format!(
                    "expected an indented block after {} on line {}",
                    what,
                    self.line_of(header)
                );
                return Err(self.fail_indent(msg));
            }
            self.pos += 1;
            while !matches!(self.tok(), Tok::Dedent) && !self.at_eof() {
                if self.at_newline() {
                    self.pos += 1;
                    continue;
                }
                self.statement(&mut body)?;
            }
            if matches!(self.tok(), Tok::Dedent) {
                self.pos += 1;
            }
        } else {
            self.simple_line(&mut body)?;
        }
        self.leave();
        Ok(body)
    }

    fn statement(&mut self, out: &mut Vec<Stmt>) -> PResult<()> {
        let start = self.start();
        let kind = match *self.tok() {
            Tok::Kw(Kw::If) => {
                self.pos += 1;
                self.if_rest(start, false)?
            }
            Tok::Kw(Kw::While) => {
                self.pos += 1;
                let cond = self.named_test()?;
                let body = self.block_for("'while' statement", start)?;
                let orelse = self.opt_clause(Kw::Else, "'else' statement")?;
                StmtKind::While(cond, body, orelse)
            }
            Tok::Kw(Kw::For) => {
                self.pos += 1;
                let target = self.target_list()?;
                self.expect_in()?;
                let iter = self.star_expr_list()?;
                let body = self.block_for("'for' statement", start)?;
                let orelse = self.opt_clause(Kw::Else, "'else' statement")?;
                StmtKind::For(target, iter, body, orelse)
            }
            Tok::Kw(Kw::Def) => {
                self.pos += 1;
                let f = self.funcdef(start)?;
                StmtKind::Def(Rc::new(f))
            }
            Tok::Kw(Kw::Class) => {
                self.pos += 1;
                self.class_rest(start)?
            }
            Tok::Kw(Kw::Try) => {
                self.pos += 1;
                self.try_rest(start)?
            }
            Tok::Kw(Kw::With) => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    let e = self.test()?;
                    let t = if self.eat_kw(Kw::As) {
                        Some(self.target()?)
                    } else {
                        None
                    };
                    items.push((e, t));
                    if !self.eat_op(Punct::Comma) {
                        break;
                    }
                }
                let body = self.block_for("'with' statement", start)?;
                StmtKind::With(items, body)
            }
            Tok::Kw(Kw::Async) => return self.err("'async' is not supported in the playground"),
            Tok::Op(Punct::At) => {
                return self.err("decorators are not supported in the playground")
            }
            _ => return self.simple_line(out),
        };
        out.push(Stmt {
            kind,
            span: self.span_from(start),
        });
        Ok(())
    }

    fn expect_in(&mut self) -> PResult<()> {
        if !self.eat_kw(Kw::In) {
            return self.err("expected 'in'");
        }
        Ok(())
    }

    fn class_rest(&mut self, start: usize) -> PResult<StmtKind> {
        let name = self.name()?;
        let mut base = None;
        if self.eat_op(Punct::LParen) {
            if !self.check_op(Punct::RParen) {
                base = Some(self.test()?);
            }
            if self.eat_op(Punct::Comma) && !self.check_op(Punct::RParen) {
                return self.err_from(
                    "classes with several bases are not supported in the playground",
                    start,
                );
            }
            self.expect_op(Punct::RParen)?;
        }
        let span = self.span_from(start);
        let body = self.block_for("class definition", start)?;
        let trivial = body.iter().all(|s| match &s.kind {
            StmtKind::Pass => true,
            StmtKind::Expr(e) => matches!(e.kind, ExprKind::Const(_)),
            _ => false,
        });
        match base {
            Some(b) if trivial => Ok(StmtKind::ExcClass(name, b)),
            _ => self.err_at(
                "class definitions are not supported in the playground (only exception classes like `class MyError(Exception): pass`)",
                span,
            ),
        }
    }

    fn try_rest(&mut self, start: usize) -> PResult<StmtKind> {
        let body = self.block_for("'try' statement", start)?;
        let mut handlers = Vec::new();
        while self.check_kw(Kw::Except) {
            let hs = self.start();
            self.pos += 1;
            if self.check_op(Punct::Star) {
                return self.err("'except*' is not supported in the playground");
            }
            let mut typ = None;
            let mut name = None;
            if !self.check_op(Punct::Colon) {
                let t = self.test()?;
                if self.check_op(Punct::Comma) {
                    let mut items = vec![t];
                    while self.eat_op(Punct::Comma) {
                        if self.check_op(Punct::Colon) || self.check_kw(Kw::As) {
                            break;
                        }
                        items.push(self.test()?);
                    }
                    typ = Some(self.mk(ExprKind::Tuple(items), hs));
                } else {
                    typ = Some(t);
                }
                if self.eat_kw(Kw::As) {
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
            self.opt_clause(Kw::Else, "'else' statement")?
        } else {
            vec![]
        };
        let finalbody = self.opt_clause(Kw::Finally, "'finally' statement")?;
        if handlers.is_empty() && finalbody.is_empty() {
            return self.err("expected 'except' or 'finally' block");
        }
        Ok(StmtKind::Try {
            body,
            handlers,
            orelse,
            finalbody: Rc::new(finalbody),
        })
    }

    fn if_rest(&mut self, start: usize, is_elif: bool) -> PResult<StmtKind> {
        let cond = self.named_test()?;
        let body = self.block_for(
            if is_elif {
                "'elif' statement"
            } else {
                "'if' statement"
            },
            start,
        )?;
        let orelse = if self.check_kw(Kw::Elif) {
            let s = self.start();
            self.pos += 1;
            self.enter()?;
            let k = self.if_rest(s, true)?;
            self.leave();
            vec![Stmt {
                kind: k,
                span: self.span_from(s),
            }]
        } else {
            self.opt_clause(Kw::Else, "'else' statement")?
        };
        Ok(StmtKind::If(cond, body, orelse))
    }

    fn funcdef(&mut self, start: usize) -> PResult<FuncDef> {
        let name = self.name()?;
        self.expect_op(Punct::LParen)?;
        let mut f = self.params(name, Punct::RParen)?;
        self.expect_op(Punct::RParen)?;
        if self.eat_op(Punct::Arrow) {
            self.test()?;
        }
        f.span = self.span_from(start);
        f.body = self.block_for("function definition", start)?;
        Ok(f)
    }

    /// A parameter list up to `end` (not consumed), as a function with an empty body.
    fn params(&mut self, name: Rc<str>, end: Punct) -> PResult<FuncDef> {
        let mut f = FuncDef {
            name,
            params: Vec::new(),
            vararg: None,
            kwonly: Vec::new(),
            kwarg: None,
            body: Vec::new(),
            span: Span::default(),
        };
        let mut star_seen = false;
        let mut names: Vec<Rc<str>> = Vec::new();
        while !self.check_op(end) {
            let pstart = self.start();
            if self.eat_op(Punct::DoubleStar) {
                let n = self.name()?;
                names.push(n.clone());
                f.kwarg = Some(n);
                self.eat_op(Punct::Comma);
                break;
            } else if self.eat_op(Punct::Star) {
                if star_seen {
                    return self.err("* argument may appear only once");
                }
                star_seen = true;
                if !self.check_op(Punct::Comma) {
                    let n = self.name()?;
                    names.push(n.clone());
                    f.vararg = Some(n);
                }
            } else if self.eat_op(Punct::Slash) {
            } else {
                let n = self.name()?;
                if end == Punct::RParen && self.eat_op(Punct::Colon) {
                    self.test()?;
                }
                let default = if self.eat_op(Punct::Assign) {
                    Some(self.test()?)
                } else {
                    None
                };
                if star_seen {
                    f.kwonly.push(Param {
                        name: n.clone(),
                        default,
                    });
                } else {
                    if default.is_none() && f.params.iter().any(|p| p.default.is_some()) {
                        return self
                            .err_from("non-default argument follows default argument", pstart);
                    }
                    f.params.push(Param {
                        name: n.clone(),
                        default,
                    });
                }
                if names.contains(&n) {
                    let span = self.span_from(pstart);
                    return Err(self.fail_span(
                        format!("duplicate argument '{}' in function definition", n),
                        span,
                    ));
                }
                names.push(n);
            }
            if !self.eat_op(Punct::Comma) {
                break;
            }
        }
        Ok(f)
    }

    fn simple_line(&mut self, out: &mut Vec<Stmt>) -> PResult<()> {
        loop {
            let start = self.start();
            let kind = self.simple_stmt()?;
            out.push(Stmt {
                kind,
                span: self.span_from(start),
            });
            if self.eat_op(Punct::Semi) && !self.at_line_end() {
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

    fn dotted(&mut self) -> PResult<String> {
        let mut s = self.name()?.to_string();
        while self.eat_op(Punct::Dot) {
            s.push('.');
            s.push_str(&self.name()?);
        }
        Ok(s)
    }

    /// A name with an optional `as alias`.
    fn alias(&mut self) -> PResult<Option<Rc<str>>> {
        Ok(if self.eat_kw(Kw::As) {
            Some(self.name()?)
        } else {
            None
        })
    }

    /// Whether a statement ends here (`return` / `raise` without a value).
    fn at_stmt_end(&self) -> bool {
        self.at_line_end() || self.check_op(Punct::Semi)
    }

    fn simple_stmt(&mut self) -> PResult<StmtKind> {
        let kw = match *self.tok() {
            Tok::Kw(Kw::Yield) => {
                return self.err("'yield' (generators) is not supported in the playground")
            }
            Tok::Kw(kw) => kw,
            _ => return self.expr_stmt(),
        };
        self.pos += 1;
        Ok(match kw {
            Kw::Pass => StmtKind::Pass,
            Kw::Break => StmtKind::Break,
            Kw::Continue => StmtKind::Continue,
            Kw::Return => {
                if self.at_stmt_end() {
                    StmtKind::Return(None)
                } else {
                    StmtKind::Return(Some(self.star_expr_list()?))
                }
            }
            Kw::Raise => {
                if self.at_stmt_end() {
                    StmtKind::Raise(None, None)
                } else {
                    let e = self.test()?;
                    let cause = if self.eat_kw(Kw::From) {
                        Some(self.test()?)
                    } else {
                        None
                    };
                    StmtKind::Raise(Some(e), cause)
                }
            }
            Kw::Assert => {
                let t = self.test()?;
                let m = if self.eat_op(Punct::Comma) {
                    Some(self.test()?)
                } else {
                    None
                };
                StmtKind::Assert(t, m)
            }
            Kw::Global | Kw::Nonlocal => {
                let mut names = vec![self.name()?];
                while self.eat_op(Punct::Comma) {
                    names.push(self.name()?);
                }
                if kw == Kw::Global {
                    StmtKind::Global(names)
                } else {
                    StmtKind::Nonlocal(names)
                }
            }
            Kw::Del => {
                let mut targets = vec![self.target()?];
                while self.eat_op(Punct::Comma) {
                    if self.at_line_end() {
                        break;
                    }
                    targets.push(self.target()?);
                }
                StmtKind::Del(targets)
            }
            Kw::Import => {
                let mut items = Vec::new();
                loop {
                    let n = self.dotted()?;
                    let alias = self.alias()?;
                    items.push((n, alias));
                    if !self.eat_op(Punct::Comma) {
                        break;
                    }
                }
                StmtKind::Import(items)
            }
            Kw::From => {
                if self.check_op(Punct::Dot) || self.check_op(Punct::Ellipsis) {
                    return self.err("relative imports are not supported in the playground");
                }
                let m = self.dotted()?;
                if !self.eat_kw(Kw::Import) {
                    return self.err("invalid syntax");
                }
                if self.check_op(Punct::Star) {
                    return self.err("'from ... import *' is not supported in the playground");
                }
                let paren = self.eat_op(Punct::LParen);
                let mut items = Vec::new();
                loop {
                    let n = self.name()?;
                    let alias = self.alias()?;
                    items.push((n, alias));
                    if !self.eat_op(Punct::Comma) || (paren && self.check_op(Punct::RParen)) {
                        break;
                    }
                }
                if paren {
                    self.expect_op(Punct::RParen)?;
                }
                StmtKind::ImportFrom(m, items)
            }
            _ => {
                self.pos -= 1;
                return self.expr_stmt();
            }
        })
    }

    /// An expression statement or an (augmented / annotated) assignment.
    fn expr_stmt(&mut self) -> PResult<StmtKind> {
        let e = self.star_expr_list()?;
        if let Tok::Op(op) = *self.tok() {
            if let Some(op) = aug_op(op) {
                self.check_target(&e, true)?;
                self.pos += 1;
                let v = self.star_expr_list()?;
                return Ok(StmtKind::AugAssign(e, op, v));
            }
            if op == Punct::Colon {
                // annotated assignment
                self.check_target(&e, false)?;
                self.pos += 1;
                self.test()?;
                if self.eat_op(Punct::Assign) {
                    let v = self.star_expr_list()?;
                    return Ok(StmtKind::Assign(vec![e], v));
                }
                return Ok(StmtKind::Pass);
            }
            if op == Punct::Assign {
                let mut targets = vec![e];
                let mut value;
                loop {
                    self.pos += 1;
                    value = self.star_expr_list()?;
                    if self.check_op(Punct::Assign) {
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
        Ok(StmtKind::Expr(e))
    }

    fn check_target(&mut self, e: &Expr, aug: bool) -> PResult<()> {
        let msg = match &e.kind {
            ExprKind::Name(_) | ExprKind::Attr(..) | ExprKind::Subscript(..) => return Ok(()),
            ExprKind::Tuple(items) | ExprKind::List(items) if !aug => {
                for i in items {
                    self.check_target(i, false)?;
                }
                return Ok(());
            }
            ExprKind::Starred(inner) if !aug => return self.check_target(inner, false),
            ExprKind::Call(..) => {
                "cannot assign to function call here. Maybe you meant '==' instead of '='?"
            }
            ExprKind::Const(_) => {
                "cannot assign to literal here. Maybe you meant '==' instead of '='?"
            }
            _ if aug => "'tuple' is an illegal expression for augmented assignment",
            _ => "cannot assign to expression here. Maybe you meant '==' instead of '='?",
        };
        self.err_at(msg, e.span)
    }

    // ---------- expressions ----------

    fn target(&mut self) -> PResult<P> {
        let e = self.bitor()?;
        self.check_target(&e, false)?;
        Ok(e)
    }

    /// `for` targets: `a`, `a, b`, `(a, b)`.
    fn target_list(&mut self) -> PResult<P> {
        let start = self.start();
        let first = if self.eat_op(Punct::Star) {
            let inner = self.bitor()?;
            self.mk(ExprKind::Starred(inner), start)
        } else {
            self.bitor()?
        };
        let e = if self.check_op(Punct::Comma) {
            let mut items = vec![first];
            while self.eat_op(Punct::Comma) {
                if self.check_kw(Kw::In) || self.check_op(Punct::Assign) {
                    break;
                }
                items.push(self.bitor()?);
            }
            self.mk(ExprKind::Tuple(items), start)
        } else {
            first
        };
        self.check_target(&e, false)?;
        Ok(e)
    }

    fn star_expr_list(&mut self) -> PResult<P> {
        let start = self.start();
        let first = self.star_test()?;
        if !self.check_op(Punct::Comma) {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(Punct::Comma) {
            if self.at_line_end() {
                break;
            }
            if let Tok::Op(o) = *self.tok() {
                if matches!(
                    o,
                    Punct::Assign | Punct::RParen | Punct::Semi | Punct::Colon | Punct::Walrus
                ) || aug_op(o).is_some()
                    || o == Punct::AtEq
                {
                    break;
                }
            }
            items.push(self.star_test()?);
        }
        Ok(self.mk(ExprKind::Tuple(items), start))
    }

    fn star_test(&mut self) -> PResult<P> {
        let start = self.start();
        if self.eat_op(Punct::Star) {
            let e = self.bitor()?;
            return Ok(self.mk(ExprKind::Starred(e), start));
        }
        self.test()
    }

    fn named_test(&mut self) -> PResult<P> {
        let e = self.test()?;
        if self.check_op(Punct::Walrus) {
            return self.err("the walrus operator ':=' is not supported in the playground");
        }
        Ok(e)
    }

    fn test(&mut self) -> PResult<P> {
        self.enter()?;
        let r = self.test_inner();
        self.leave();
        r
    }

    fn test_inner(&mut self) -> PResult<P> {
        let start = self.start();
        if self.eat_kw(Kw::Lambda) {
            let mut f = self.params(Rc::from("<lambda>"), Punct::Colon)?;
            f.span = self.span_from(start);
            self.expect_op(Punct::Colon)?;
            let body = self.test()?;
            let bspan = body.span;
            f.body = vec![Stmt {
                kind: StmtKind::Return(Some(body)),
                span: bspan,
            }];
            return Ok(self.mk(ExprKind::Lambda(Rc::new(f)), start));
        }
        let e = self.or_test()?;
        if self.eat_kw(Kw::If) {
            let cond = self.or_test()?;
            if !self.eat_kw(Kw::Else) {
                return self.err("expected 'else' after 'if' expression");
            }
            let other = self.test()?;
            return Ok(self.mk(ExprKind::IfExp(cond, e, other), start));
        }
        Ok(e)
    }

    /// `or` (`is_or`) or `and` chains.
    fn bool_test(&mut self, is_or: bool) -> PResult<P> {
        let start = self.start();
        let (kw, sub) = if is_or {
            (Kw::Or, false)
        } else {
            (Kw::And, true)
        };
        let mut e = self.bool_operand(sub)?;
        while self.eat_kw(kw) {
            let r = self.bool_operand(sub)?;
            e = self.mk(
                if is_or {
                    ExprKind::Or(e, r)
                } else {
                    ExprKind::And(e, r)
                },
                start,
            );
        }
        Ok(e)
    }

    fn bool_operand(&mut self, not: bool) -> PResult<P> {
        if not {
            self.not_test()
        } else {
            self.bool_test(false)
        }
    }

    fn or_test(&mut self) -> PResult<P> {
        self.bool_test(true)
    }

    fn not_test(&mut self) -> PResult<P> {
        let start = self.start();
        if self.eat_kw(Kw::Not) {
            self.enter()?;
            let e = self.not_test()?;
            self.leave();
            return Ok(self.mk(ExprKind::Unary(UnOp::Not, e), start));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> PResult<P> {
        let start = self.start();
        let first = self.bitor()?;
        let mut ops = Vec::new();
        loop {
            let next_kw = |k| matches!(self.tok_at(1), Tok::Kw(x) if *x == k);
            let op = match *self.tok() {
                Tok::Op(Punct::EqEq) => CmpOp::Eq,
                Tok::Op(Punct::NotEq) => CmpOp::Ne,
                Tok::Op(Punct::Lt) => CmpOp::Lt,
                Tok::Op(Punct::LtE) => CmpOp::Le,
                Tok::Op(Punct::Gt) => CmpOp::Gt,
                Tok::Op(Punct::GtE) => CmpOp::Ge,
                Tok::Kw(Kw::In) => CmpOp::In,
                Tok::Kw(Kw::Is) => {
                    if next_kw(Kw::Not) {
                        self.pos += 1;
                        CmpOp::IsNot
                    } else {
                        CmpOp::Is
                    }
                }
                Tok::Kw(Kw::Not) if next_kw(Kw::In) => {
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
            Ok(self.mk(ExprKind::Compare(first, ops), start))
        }
    }

    /// Binary operators from precedence `level` (0 `|` .. 5 `*`) up; 6 is a unary factor.
    fn binary_level(&mut self, level: u8) -> PResult<P> {
        if level == 6 {
            return self.factor();
        }
        let start = self.start();
        let mut e = self.binary_level(level + 1)?;
        while let Tok::Op(p) = *self.tok() {
            if level == 5 && p == Punct::At {
                return self.err("the '@' operator is not supported in the playground");
            }
            let Some((l, op)) = bin_op(p) else { break };
            if l != level {
                break;
            }
            self.pos += 1;
            let r = self.binary_level(level + 1)?;
            e = self.mk(ExprKind::Bin(op, e, r), start);
        }
        Ok(e)
    }

    fn bitor(&mut self) -> PResult<P> {
        self.binary_level(0)
    }

    fn factor(&mut self) -> PResult<P> {
        let start = self.start();
        let op = match self.tok() {
            Tok::Op(Punct::Minus) => UnOp::Neg,
            Tok::Op(Punct::Plus) => UnOp::Pos,
            Tok::Op(Punct::Tilde) => UnOp::Invert,
            _ => return self.power(),
        };
        self.pos += 1;
        self.enter()?;
        let mut e = self.factor()?;
        self.leave();
        // fold negative literals
        if op == UnOp::Neg {
            let folded = match e.kind {
                ExprKind::Const(Const::Int(i)) => i.checked_neg().map(Const::Int),
                ExprKind::Const(Const::Float(f)) => Some(Const::Float(-f)),
                _ => None,
            };
            if let Some(c) = folded {
                e.kind = ExprKind::Const(c);
                e.span = self.span_from(start);
                return Ok(e);
            }
        }
        Ok(self.mk(ExprKind::Unary(op, e), start))
    }

    fn power(&mut self) -> PResult<P> {
        let start = self.start();
        if self.check_kw(Kw::Await) {
            return self.err("'await' is not supported in the playground");
        }
        let e = self.primary()?;
        if self.eat_op(Punct::DoubleStar) {
            self.enter()?;
            let r = self.factor()?;
            self.leave();
            return Ok(self.mk(ExprKind::Bin(BinOp::Pow, e, r), start));
        }
        Ok(e)
    }

    fn primary(&mut self) -> PResult<P> {
        let start = self.start();
        let mut e = self.atom()?;
        loop {
            let kind = if self.eat_op(Punct::Dot) {
                let n = self.name()?;
                ExprKind::Attr(e, n)
            } else if self.eat_op(Punct::LParen) {
                self.enter()?;
                let args = self.call_args()?;
                self.leave();
                self.expect_op(Punct::RParen)?;
                ExprKind::Call(e, args)
            } else if self.eat_op(Punct::LBracket) {
                self.enter()?;
                let idx = self.subscript()?;
                self.leave();
                self.expect_op(Punct::RBracket)?;
                ExprKind::Subscript(e, idx)
            } else {
                break;
            };
            e = self.mk(kind, start);
        }
        Ok(e)
    }

    fn subscript(&mut self) -> PResult<P> {
        let start = self.start();
        let first = self.slice_item()?;
        if self.check_op(Punct::Comma) {
            let mut items = vec![first];
            while self.eat_op(Punct::Comma) {
                if self.check_op(Punct::RBracket) {
                    break;
                }
                items.push(self.slice_item()?);
            }
            return Ok(self.mk(ExprKind::Tuple(items), start));
        }
        Ok(first)
    }

    /// An optional slice bound: absent before any of `stops`.
    fn slice_bound(&mut self, stops: &[Punct]) -> PResult<Option<P>> {
        if matches!(self.tok(), Tok::Op(o) if stops.contains(o)) {
            Ok(None)
        } else {
            Ok(Some(self.test()?))
        }
    }

    fn slice_item(&mut self) -> PResult<P> {
        let start = self.start();
        let lo = self.slice_bound(&[Punct::Colon])?;
        if !self.eat_op(Punct::Colon) {
            return match lo {
                Some(e) => Ok(e),
                None => Err(self.set_error("invalid syntax".into(), start, start + 1, false)),
            };
        }
        let hi = self.slice_bound(&[Punct::Colon, Punct::RBracket, Punct::Comma])?;
        let step = if self.eat_op(Punct::Colon) {
            self.slice_bound(&[Punct::RBracket, Punct::Comma])?
        } else {
            None
        };
        Ok(self.mk(ExprKind::Slice(lo, hi, step), start))
    }

    fn call_args(&mut self) -> PResult<Vec<Arg>> {
        let mut args = Vec::new();
        let mut seen_kw = false;
        while !self.check_op(Punct::RParen) {
            let start = self.start();
            if self.eat_op(Punct::DoubleStar) {
                args.push(Arg::StarStar(self.test()?));
                seen_kw = true;
            } else if self.eat_op(Punct::Star) {
                args.push(Arg::Star(self.test()?));
            } else if matches!(self.tok(), Tok::Name(_))
                && matches!(self.tok_at(1), Tok::Op(Punct::Assign))
            {
                let n = self.name()?;
                self.pos += 1;
                let v = self.test()?;
                if args.iter().any(|a| matches!(a, Arg::Kw(k, _) if *k == n)) {
                    let span = self.span_from(start);
                    return Err(self.fail_span(format!("keyword argument repeated: {}", n), span));
                }
                args.push(Arg::Kw(n, v));
                seen_kw = true;
            } else {
                let e = self.test()?;
                if self.check_kw(Kw::For) {
                    let gens = self.comp_for()?;
                    args.push(Arg::Pos(self.mk(ExprKind::ListComp(e, gens), start)));
                } else {
                    if seen_kw {
                        return self
                            .err_from("positional argument follows keyword argument", start);
                    }
                    args.push(Arg::Pos(e));
                }
            }
            if !self.eat_op(Punct::Comma) {
                break;
            }
        }
        Ok(args)
    }

    fn comp_for(&mut self) -> PResult<Vec<Comprehension>> {
        let mut gens = Vec::new();
        while self.eat_kw(Kw::For) {
            let target = self.target_list()?;
            self.expect_in()?;
            let iter = self.or_test()?;
            let mut ifs = Vec::new();
            while self.eat_kw(Kw::If) {
                ifs.push(self.or_test()?);
            }
            gens.push(Comprehension { target, iter, ifs });
        }
        if self.check_kw(Kw::Async) {
            return self.err("'async' is not supported in the playground");
        }
        Ok(gens)
    }

    /// Items after the first of a list, set or tuple display, up to `close` (not consumed).
    fn display_rest(&mut self, first: P, close: Punct) -> PResult<Vec<P>> {
        let mut items = vec![first];
        while self.eat_op(Punct::Comma) {
            if self.check_op(close) {
                break;
            }
            items.push(self.star_test()?);
        }
        Ok(items)
    }

    fn atom(&mut self) -> PResult<P> {
        let start = self.start();
        let kind = match *self.tok() {
            Tok::Name(ref n) => ExprKind::Name(n.clone()),
            Tok::Int(i) => ExprKind::Const(Const::Int(i)),
            Tok::BigInt(_) => {
                return self.err(
                    "integer literal too large (integers are limited to 64 bits in the playground)",
                )
            }
            Tok::Float(f) => ExprKind::Const(Const::Float(f)),
            Tok::Kw(Kw::None) => ExprKind::Const(Const::None),
            Tok::Kw(Kw::True) => ExprKind::Const(Const::Bool(true)),
            Tok::Kw(Kw::False) => ExprKind::Const(Const::Bool(false)),
            Tok::Op(Punct::Ellipsis) => ExprKind::Const(Const::Ellipsis),
            Tok::Str(_) | Tok::FStr { .. } | Tok::Bytes(_) => return self.strings(),
            Tok::Op(p @ (Punct::LParen | Punct::LBracket | Punct::LBrace)) => {
                return self.bracketed(p, start)
            }
            Tok::Kw(Kw::Yield) => {
                return self.err("'yield' (generators) is not supported in the playground")
            }
            Tok::Kw(Kw::Await) => return self.err("'await' is not supported in the playground"),
            Tok::Kw(Kw::Async) => return self.err("'async' is not supported in the playground"),
            _ => return self.invalid(),
        };
        self.pos += 1;
        Ok(self.mk(kind, start))
    }

    /// A parenthesized expression, tuple, list, set or dict display or comprehension.
    fn bracketed(&mut self, open: Punct, start: usize) -> PResult<P> {
        self.pos += 1;
        self.enter()?;
        let close = match open {
            Punct::LParen => Punct::RParen,
            Punct::LBracket => Punct::RBracket,
            _ => Punct::RBrace,
        };
        let r = if open == Punct::LBrace {
            self.brace()?
        } else if self.check_op(close) {
            if open == Punct::LParen {
                ExprKind::Tuple(vec![])
            } else {
                ExprKind::List(vec![])
            }
        } else {
            let first = self.star_test()?;
            if self.check_kw(Kw::For) {
                let gens = self.comp_for()?;
                ExprKind::ListComp(first, gens)
            } else if open == Punct::LBracket {
                ExprKind::List(self.display_rest(first, close)?)
            } else if self.check_op(Punct::Comma) {
                ExprKind::Tuple(self.display_rest(first, close)?)
            } else {
                if self.check_kw(Kw::Yield) {
                    return self.err("'yield' (generators) is not supported in the playground");
                }
                self.leave();
                self.expect_op(close)?;
                // keep the inner expression but widen its span
                let mut e = first;
                e.span = self.span_from(start);
                return Ok(e);
            }
        };
        self.leave();
        self.expect_op(close)?;
        Ok(self.mk(r, start))
    }

    fn brace(&mut self) -> PResult<ExprKind> {
        if self.check_op(Punct::RBrace) {
            return Ok(ExprKind::Dict(vec![]));
        }
        if self.eat_op(Punct::DoubleStar) {
            let v = self.bitor()?;
            let mut items = vec![(None, v)];
            self.dict_rest(&mut items)?;
            return Ok(ExprKind::Dict(items));
        }
        let first = self.star_test()?;
        if self.eat_op(Punct::Colon) {
            let v = self.test()?;
            if self.check_kw(Kw::For) {
                let gens = self.comp_for()?;
                return Ok(ExprKind::DictComp(first, v, gens));
            }
            let mut items = vec![(Some(first), v)];
            self.dict_rest(&mut items)?;
            return Ok(ExprKind::Dict(items));
        }
        if self.check_kw(Kw::For) {
            let gens = self.comp_for()?;
            return Ok(ExprKind::SetComp(first, gens));
        }
        Ok(ExprKind::Set(self.display_rest(first, Punct::RBrace)?))
    }

    fn dict_rest(&mut self, items: &mut Vec<(Option<P>, P)>) -> PResult<()> {
        while self.eat_op(Punct::Comma) {
            if self.check_op(Punct::RBrace) {
                break;
            }
            if self.eat_op(Punct::DoubleStar) {
                items.push((None, self.bitor()?));
                continue;
            }
            let k = self.test()?;
            self.expect_op(Punct::Colon)?;
            let v = self.test()?;
            items.push((Some(k), v));
        }
        Ok(())
    }

    /// Adjacent string literals, concatenated (f-strings included).
    fn strings(&mut self) -> PResult<P> {
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
        let kind = if let Some(b) = bytes {
            if any_str {
                return self.err_from("cannot mix bytes and nonbytes literals", start);
            }
            ExprKind::Const(Const::Bytes(Rc::from(b)))
        } else if !any_f {
            let s = match parts.first() {
                Some(FPart::Lit(s)) => s.as_str(),
                _ => "",
            };
            ExprKind::Const(Const::Str(Rc::from(s)))
        } else {
            ExprKind::FString(parts)
        };
        Ok(self.mk(kind, start))
    }

    fn fstring(&mut self, body: &str, offset: usize, raw: bool) -> PResult<Vec<FPart>> {
        self.enter()?;
        let r = self.fstring_inner(body, offset, raw);
        self.leave();
        r
    }

    /// An f-string error at byte `at` of the source.
    #[cold]
    #[inline(never)]
    fn ferr(&mut self, msg: &str, at: usize) -> Fail {
        self.set_error(format!("f-string: {}", msg), at, at + 1, false)
    }

    /// Moves the pending literal text of an f-string (if any) to `parts`, with escapes
    /// processed unless `raw`.
    fn flit(
        &mut self,
        parts: &mut Vec<FPart>,
        lit: &mut String,
        raw: bool,
        at: usize,
    ) -> PResult<()> {
        if lit.is_empty() {
            return Ok(());
        }
        let lit = std::mem::take(lit);
        let s = if raw {
            lit
        } else {
            match crate::lexer::unescape(&lit) {
                Ok(s) => s,
                Err(m) => return Err(self.ferr(&m, at)),
            }
        };
        parts.push(FPart::Lit(s));
        Ok(())
    }

    fn fstring_inner(&mut self, body: &str, offset: usize, raw: bool) -> PResult<Vec<FPart>> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        let b = body.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if matches!(c, b'{' | b'}') && b.get(i + 1) == Some(&c) {
                // `{{` and `}}` stand for one brace
                lit.push(c as char);
                i += 2;
                continue;
            }
            if c == b'{' {
                self.flit(&mut parts, &mut lit, raw, offset + i)?;
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
                let Some(expr_text) = body.get(expr_start..expr_end) else {
                    return Err(self.ferr("invalid expression", offset + i));
                };
                if expr_text.trim().is_empty() {
                    return Err(self.ferr("valid expression required before '}'", offset + i));
                }
                // `x=` is the debugging specifier; `==`, `!=`, `<=`, `>=` are comparisons
                let tb = expr_text.trim_end().as_bytes();
                if let [.., b'='] = tb {
                    if !matches!(tb, [.., b'=' | b'!' | b'<' | b'>', b'=']) {
                        return Err(self.ferr(
                            "'=' debugging specifiers are not supported in the playground",
                            offset + i,
                        ));
                    }
                }
                let expr = self.sub_expr(expr_text, offset + expr_start)?;
                let conv = match conv_at {
                    Some(c) => match b.get(c + 1) {
                        Some(&ch @ (b'r' | b's' | b'a')) => Some(ch as char),
                        _ => {
                            return Err(self.ferr(
                                "invalid conversion character: expected 's', 'r', or 'a'",
                                offset + c,
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
                    let Some(spec_text) = body.get(spec_start..k) else {
                        return Err(self.ferr("invalid format spec", offset + spec_start));
                    };
                    spec = self.fstring(spec_text, offset + spec_start, true)?;
                }
                if b.get(k) != Some(&b'}') {
                    return Err(self.ferr("expecting '}'", offset + i));
                }
                parts.push(FPart::Expr { expr, conv, spec });
                i = k + 1;
                continue;
            }
            if c == b'}' {
                return Err(self.ferr("single '}' is not allowed", offset + i));
            }
            // copy a run of plain text; an escape (unless raw) takes the next byte with it
            let mut e = i + 1 + usize::from(c == b'\\' && !raw);
            while e < b.len() && !matches!(b[e], b'{' | b'}' | b'\\') {
                e += 1;
            }
            let e = e.min(b.len());
            lit.push_str(body.get(i..e).unwrap_or_default());
            i = e;
        }
        self.flit(&mut parts, &mut lit, raw, offset)?;
        Ok(parts)
    }

    fn sub_expr(&mut self, text: &str, offset: usize) -> PResult<P> {
        let wrapped = format!("({})", text);
        let toks = match tokenize(&wrapped) {
            Ok(t) => t,
            Err(e) => {
                return Err(self.set_error(
                    format!("f-string: {}", e.msg),
                    (offset + e.pos).saturating_sub(1),
                    offset + e.pos,
                    false,
                ))
            }
        };
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
            error: None,
        };
        let r = match sub.star_expr_list() {
            Ok(_) if !sub.at_eof() => sub.err("f-string: invalid syntax"),
            r => r,
        };
        if r.is_err() {
            self.error = sub.error;
        }
        r
    }
}

fn push_lit(parts: &mut Vec<FPart>, s: &str) {
    if let Some(FPart::Lit(last)) = parts.last_mut() {
        last.push_str(s);
    } else {
        parts.push(FPart::Lit(s.to_string()));
    }
}
