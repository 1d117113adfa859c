//! Tokenizer: Python tokens with INDENT/DEDENT, string prefixes, f-strings; plus `highlight`.

use std::ops::Range;
use std::rc::Rc;

/// A token kind.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Name(Rc<str>),
    Kw(Kw),
    Int(i64),
    /// An integer literal too large for i64 (kept as text for the error message).
    BigInt(String),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    /// f-string body (raw, escapes not yet processed) and byte offset of the body in the source.
    FStr {
        body: String,
        offset: usize,
        raw: bool,
    },
    Op(Punct),
    Newline,
    Indent,
    Dedent,
    Eof,
}

/// An operator or delimiter token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Punct {
    DoubleStarEq,
    DoubleSlashEq,
    RShiftEq,
    LShiftEq,
    Ellipsis,
    DoubleStar,
    DoubleSlash,
    EqEq,
    NotEq,
    LtE,
    GtE,
    LShift,
    RShift,
    PlusEq,
    MinusEq,
    StarEq,
    SlashEq,
    PercentEq,
    AmpEq,
    PipeEq,
    CaretEq,
    AtEq,
    Arrow,
    Walrus,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    At,
    Amp,
    Pipe,
    Caret,
    Tilde,
    Lt,
    Gt,
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Comma,
    Colon,
    Dot,
    Semi,
    Assign,
}

/// Operators, longest first (so the first prefix match is the longest one).
const PUNCTS: &[(&str, Punct)] = &[
    ("**=", Punct::DoubleStarEq),
    ("//=", Punct::DoubleSlashEq),
    (">>=", Punct::RShiftEq),
    ("<<=", Punct::LShiftEq),
    ("...", Punct::Ellipsis),
    ("**", Punct::DoubleStar),
    ("//", Punct::DoubleSlash),
    ("==", Punct::EqEq),
    ("!=", Punct::NotEq),
    ("<=", Punct::LtE),
    (">=", Punct::GtE),
    ("<<", Punct::LShift),
    (">>", Punct::RShift),
    ("+=", Punct::PlusEq),
    ("-=", Punct::MinusEq),
    ("*=", Punct::StarEq),
    ("/=", Punct::SlashEq),
    ("%=", Punct::PercentEq),
    ("&=", Punct::AmpEq),
    ("|=", Punct::PipeEq),
    ("^=", Punct::CaretEq),
    ("@=", Punct::AtEq),
    ("->", Punct::Arrow),
    (":=", Punct::Walrus),
    ("+", Punct::Plus),
    ("-", Punct::Minus),
    ("*", Punct::Star),
    ("/", Punct::Slash),
    ("%", Punct::Percent),
    ("@", Punct::At),
    ("&", Punct::Amp),
    ("|", Punct::Pipe),
    ("^", Punct::Caret),
    ("~", Punct::Tilde),
    ("<", Punct::Lt),
    (">", Punct::Gt),
    ("(", Punct::LParen),
    (")", Punct::RParen),
    ("[", Punct::LBracket),
    ("]", Punct::RBracket),
    ("{", Punct::LBrace),
    ("}", Punct::RBrace),
    (",", Punct::Comma),
    (":", Punct::Colon),
    (".", Punct::Dot),
    (";", Punct::Semi),
    ("=", Punct::Assign),
];

impl Punct {
    /// The operator's source text.
    pub fn text(self) -> &'static str {
        PUNCTS
            .iter()
            .find(|(_, p)| *p == self)
            .map(|(s, _)| *s)
            .unwrap_or("")
    }
}

/// A keyword token (in `KEYWORDS` order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kw {
    False,
    None,
    True,
    And,
    As,
    Assert,
    Async,
    Await,
    Break,
    Class,
    Continue,
    Def,
    Del,
    Elif,
    Else,
    Except,
    Finally,
    For,
    From,
    Global,
    If,
    Import,
    In,
    Is,
    Lambda,
    Nonlocal,
    Not,
    Or,
    Pass,
    Raise,
    Return,
    Try,
    While,
    With,
    Yield,
}

/// The keyword tokens, in `KEYWORDS` order.
const KW_TOKENS: &[Kw] = &[
    Kw::False,
    Kw::None,
    Kw::True,
    Kw::And,
    Kw::As,
    Kw::Assert,
    Kw::Async,
    Kw::Await,
    Kw::Break,
    Kw::Class,
    Kw::Continue,
    Kw::Def,
    Kw::Del,
    Kw::Elif,
    Kw::Else,
    Kw::Except,
    Kw::Finally,
    Kw::For,
    Kw::From,
    Kw::Global,
    Kw::If,
    Kw::Import,
    Kw::In,
    Kw::Is,
    Kw::Lambda,
    Kw::Nonlocal,
    Kw::Not,
    Kw::Or,
    Kw::Pass,
    Kw::Raise,
    Kw::Return,
    Kw::Try,
    Kw::While,
    Kw::With,
    Kw::Yield,
];

#[derive(Clone, Debug)]
pub struct Token {
    pub tok: Tok,
    pub start: usize,
    pub end: usize,
}

/// A lexing error: message, byte offset, whether it is an IndentationError.
#[derive(Debug, Clone)]
pub struct LexError {
    pub msg: String,
    pub pos: usize,
    pub indentation: bool,
}

pub const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

fn find_op(s: &str) -> Option<(&'static str, Punct)> {
    PUNCTS.iter().find(|(op, _)| s.starts_with(op)).copied()
}

fn is_id_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}
fn is_id_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Tokenizes a whole module.
pub fn tokenize(src: &str) -> Result<Vec<Token>, LexError> {
    Lexer {
        src,
        pos: 0,
        toks: Vec::new(),
        indents: vec![0],
        depth: 0,
        brackets: Vec::new(),
    }
    .run()
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    toks: Vec<Token>,
    indents: Vec<usize>,
    depth: usize,
    brackets: Vec<usize>,
}

impl<'a> Lexer<'a> {
    #[cold]
    #[inline(never)]
    fn err(&self, msg: &str, pos: usize) -> LexError {
        LexError {
            msg: msg.to_string(),
            pos,
            indentation: false,
        }
    }
    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }
    fn peek_at(&self, n: usize) -> Option<char> {
        self.src[self.pos..].chars().nth(n)
    }
    fn push(&mut self, tok: Tok, start: usize) {
        self.toks.push(Token {
            tok,
            start,
            end: self.pos,
        });
    }

    fn run(mut self) -> Result<Vec<Token>, LexError> {
        let mut at_line_start = true;
        loop {
            if at_line_start && self.depth == 0 {
                // measure indentation
                let mut col = 0usize;
                let line_start = self.pos;
                while let Some(c) = self.peek() {
                    match c {
                        ' ' => col += 1,
                        '\t' => col = (col / 8 + 1) * 8,
                        '\x0c' => col = 0,
                        _ => break,
                    }
                    self.pos += 1;
                }
                match self.peek() {
                    None => break,
                    Some('\n') | Some('#') | Some('\r') => {
                        // blank or comment line
                        self.skip_comment();
                        if self.peek() == Some('\r') {
                            self.pos += 1;
                        }
                        if self.peek() == Some('\n') {
                            self.pos += 1;
                            continue;
                        }
                        if self.peek().is_none() {
                            break;
                        }
                        continue;
                    }
                    Some('\\') if matches!(self.peek_at(1), Some('\n')) => {
                        // A continuation on an otherwise empty line: treat as whitespace.
                    }
                    _ => {
                        let cur = self.indents.last().copied().unwrap_or(0);
                        if col > cur {
                            if self.toks.is_empty() {
                                return Err(LexError {
                                    msg: "unexpected indent".into(),
                                    pos: self.pos,
                                    indentation: true,
                                });
                            }
                            self.indents.push(col);
                            self.push(Tok::Indent, line_start);
                        } else {
                            while col < self.indents.last().copied().unwrap_or(0) {
                                self.indents.pop();
                                self.push(Tok::Dedent, self.pos);
                            }
                            if col != self.indents.last().copied().unwrap_or(0) {
                                return Err(LexError {
                                    msg: "unindent does not match any outer indentation level"
                                        .into(),
                                    pos: self.pos,
                                    indentation: true,
                                });
                            }
                        }
                    }
                }
                at_line_start = false;
            }
            let Some(c) = self.peek() else { break };
            let start = self.pos;
            match c {
                ' ' | '\t' | '\x0c' | '\r' => {
                    self.pos += 1;
                }
                '#' => self.skip_comment(),
                '\n' => {
                    self.pos += 1;
                    if self.depth == 0 {
                        if !matches!(self.toks.last().map(|t| &t.tok), Some(Tok::Newline) | None) {
                            self.push(Tok::Newline, start);
                        }
                        at_line_start = true;
                    }
                }
                '\\' => {
                    self.pos += 1;
                    if self.peek() == Some('\r') {
                        self.pos += 1;
                    }
                    if self.peek() == Some('\n') {
                        self.pos += 1;
                    } else if self.peek().is_none() {
                        return Err(self.err("unexpected EOF while parsing", start));
                    } else {
                        return Err(self.err(
                            "unexpected character after line continuation character",
                            start,
                        ));
                    }
                }
                '0'..='9' => self.number()?,
                '.' if matches!(self.peek_at(1), Some('0'..='9')) => self.number()?,
                '"' | '\'' => self.string(start, "")?,
                c if is_id_start(c) => {
                    let (end, is_prefix) = scan_word(self.src, self.pos);
                    let word = &self.src[self.pos..end];
                    if is_prefix {
                        let prefix = word.to_ascii_lowercase();
                        self.pos = end;
                        self.string(start, &prefix)?;
                        continue;
                    }
                    self.pos = end;
                    if let Some(kw) = KEYWORDS
                        .iter()
                        .position(|k| *k == word)
                        .and_then(|i| KW_TOKENS.get(i))
                    {
                        self.push(Tok::Kw(*kw), start);
                    } else {
                        self.push(Tok::Name(Rc::from(word)), start);
                    }
                }
                _ => {
                    if let Some((op, p)) = find_op(&self.src[self.pos..]) {
                        self.pos += op.len();
                        match p {
                            Punct::LParen | Punct::LBracket | Punct::LBrace => {
                                self.depth += 1;
                                self.brackets.push(start);
                            }
                            Punct::RParen | Punct::RBracket | Punct::RBrace => {
                                if self.depth == 0 {
                                    return Err(self.err(&format!("unmatched '{}'", op), start));
                                }
                                self.depth -= 1;
                                self.brackets.pop();
                            }
                            _ => {}
                        }
                        self.push(Tok::Op(p), start);
                    } else if c == '!' || c == '$' || c == '?' || c == '`' {
                        return Err(self.err("invalid syntax", start));
                    } else {
                        return Err(self.err(
                            &format!("invalid character '{}' (U+{:04X})", c, c as u32),
                            start,
                        ));
                    }
                }
            }
        }
        if let Some(&b) = self.brackets.last() {
            let ch = self.src[b..].chars().next().unwrap_or('(');
            return Err(self.err(&format!("'{}' was never closed", ch), b));
        }
        let end = self.src.len();
        self.pos = end;
        if !matches!(self.toks.last().map(|t| &t.tok), Some(Tok::Newline) | None) {
            self.push(Tok::Newline, end);
        }
        while self.indents.len() > 1 {
            self.indents.pop();
            self.push(Tok::Dedent, end);
        }
        self.push(Tok::Eof, end);
        Ok(self.toks)
    }

    fn skip_comment(&mut self) {
        if self.peek() == Some('#') {
            while let Some(c) = self.peek() {
                if c == '\n' {
                    break;
                }
                self.pos += c.len_utf8();
            }
        }
    }

    fn number(&mut self) -> Result<(), LexError> {
        let start = self.pos;
        let s = &self.src[self.pos..];
        let bytes = s.as_bytes();
        if bytes.len() > 1
            && bytes[0] == b'0'
            && matches!(bytes[1], b'x' | b'X' | b'o' | b'O' | b'b' | b'B')
        {
            let radix = match bytes[1] {
                b'x' | b'X' => 16,
                b'o' | b'O' => 8,
                _ => 2,
            };
            let mut end = 2;
            while end < bytes.len() && ((bytes[end] as char).is_digit(radix) || bytes[end] == b'_')
            {
                end += 1;
            }
            let digits: String = s[2..end].chars().filter(|c| *c != '_').collect();
            self.pos += end;
            if digits.is_empty() {
                return Err(self.err("invalid syntax", start));
            }
            match i64::from_str_radix(&digits, radix) {
                Ok(v) => self.push(Tok::Int(v), start),
                Err(_) => self.push(Tok::BigInt(s[..end].to_string()), start),
            }
            return Ok(());
        }
        let mut end = 0;
        let mut is_float = false;
        while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'_') {
            end += 1;
        }
        if end < bytes.len() && bytes[end] == b'.' {
            is_float = true;
            end += 1;
            while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'_') {
                end += 1;
            }
        }
        if end < bytes.len() && (bytes[end] == b'e' || bytes[end] == b'E') {
            let mut e = end + 1;
            if e < bytes.len() && (bytes[e] == b'+' || bytes[e] == b'-') {
                e += 1;
            }
            if e < bytes.len() && bytes[e].is_ascii_digit() {
                while e < bytes.len() && bytes[e].is_ascii_digit() {
                    e += 1;
                }
                end = e;
                is_float = true;
            }
        }
        let text: String = s[..end].chars().filter(|c| *c != '_').collect();
        self.pos += end;
        if end < bytes.len() && (bytes[end] == b'j' || bytes[end] == b'J') {
            return Err(self.err("complex numbers are not supported in the playground", start));
        }
        if let Some(c) = self.peek() {
            if is_id_start(c) {
                return Err(self.err("invalid decimal literal", start));
            }
        }
        if is_float {
            let v: f64 = crate::float_parse::parse_float(&text)
                .ok_or_else(|| self.err("invalid decimal literal", start))?;
            self.push(Tok::Float(v), start);
        } else {
            if text.len() > 1 && text.starts_with('0') && text.chars().any(|c| c != '0') {
                return Err(self.err(
                    "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
                    start,
                ));
            }
            match text.parse::<i64>() {
                Ok(v) => self.push(Tok::Int(v), start),
                Err(_) => self.push(Tok::BigInt(text), start),
            }
        }
        Ok(())
    }

    fn string(&mut self, start: usize, prefix: &str) -> Result<(), LexError> {
        let raw = prefix.contains('r');
        let is_bytes = prefix.contains('b');
        let is_f = prefix.contains('f');
        if is_bytes && is_f {
            return Err(self.err("invalid syntax", start));
        }
        let (qlen, close) = scan_quoted(self.src, self.pos);
        let body_start = self.pos + qlen;
        let Ok(close) = close else {
            return Err(self.err(
                if qlen == 3 {
                    "unterminated triple-quoted string literal"
                } else {
                    "unterminated string literal"
                },
                start,
            ));
        };
        let body = self.src[body_start..close].to_string();
        self.pos = close + qlen;
        if is_f {
            self.push(
                Tok::FStr {
                    body,
                    offset: body_start,
                    raw,
                },
                start,
            );
            return Ok(());
        }
        if is_bytes {
            let b = unescape_bytes(&body, raw).map_err(|m| self.err(&m, start))?;
            self.push(Tok::Bytes(b), start);
        } else {
            let s = if raw {
                body
            } else {
                unescape(&body).map_err(|m| self.err(&m, start))?
            };
            self.push(Tok::Str(s), start);
        }
        Ok(())
    }
}

/// The end of the identifier at `pos`, and whether it is a string prefix (`rb` in `rb'..'`).
fn scan_word(src: &str, pos: usize) -> (usize, bool) {
    let mut end = pos;
    for (i, ch) in src[pos..].char_indices() {
        if is_id_char(ch) {
            end = pos + i + ch.len_utf8();
        } else {
            break;
        }
    }
    let word = &src[pos..end];
    let next = src[end..].chars().next();
    let is_prefix = matches!(next, Some('"') | Some('\''))
        && word.len() <= 2
        && word
            .chars()
            .all(|c| matches!(c.to_ascii_lowercase(), 'r' | 'b' | 'f' | 'u'));
    (end, is_prefix)
}

/// Processes backslash escapes of a (non-raw) str literal.
pub fn unescape(body: &str) -> Result<String, String> {
    let mut out = String::with_capacity(body.len());
    let mut it = body.chars().peekable();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(n) = it.next() else {
            out.push('\\');
            break;
        };
        match n {
            '\n' => {}
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            '0'..='7' => {
                let mut v = n.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match it.peek().and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            it.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
            }
            'x' | 'u' | 'U' => {
                let n_digits = match n {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut v = 0u32;
                for _ in 0..n_digits {
                    match it.next().and_then(|c| c.to_digit(16)) {
                        Some(d) => v = v.wrapping_mul(16).wrapping_add(d),
                        None => {
                            return Err(format!(
                                "(unicode error) 'unicodeescape' codec can't decode bytes: truncated \\{}{} escape",
                                n,
                                "X".repeat(n_digits)
                            ))
                        }
                    }
                }
                match char::from_u32(v) {
                    Some(c) => out.push(c),
                    None => {
                        return Err("(unicode error) 'unicodeescape' codec can't decode bytes: illegal Unicode character".into())
                    }
                }
            }
            'N' => return Err("\\N{...} escapes are not supported in the playground".into()),
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    Ok(out)
}

fn unescape_bytes(body: &str, raw: bool) -> Result<Vec<u8>, String> {
    if !body.is_ascii() {
        return Err("bytes can only contain ASCII literal characters".into());
    }
    if raw {
        return Ok(body.as_bytes().to_vec());
    }
    let mut out = Vec::with_capacity(body.len());
    let b = body.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        i += 1;
        if c != b'\\' {
            out.push(c);
            continue;
        }
        let Some(&n) = b.get(i) else {
            out.push(b'\\');
            break;
        };
        i += 1;
        match n {
            b'\n' => {}
            b'\\' => out.push(b'\\'),
            b'\'' => out.push(b'\''),
            b'"' => out.push(b'"'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            b'x' => {
                let h = b
                    .get(i..i + 2)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match h {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => return Err("(value error) invalid \\x escape".into()),
                }
            }
            b'0'..=b'7' => {
                let mut v = (n - b'0') as u32;
                for _ in 0..2 {
                    match b.get(i) {
                        Some(d @ b'0'..=b'7') => {
                            v = v * 8 + (d - b'0') as u32;
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push((v & 0xff) as u8);
            }
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    Ok(out)
}

/// Token kinds for syntax highlighting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Keyword,
    Name,
    Builtin,
    String,
    Number,
    Comment,
    Operator,
    Error,
}

const BUILTIN_NAMES: &[&str] = &[
    "print",
    "len",
    "range",
    "str",
    "int",
    "float",
    "bool",
    "list",
    "dict",
    "tuple",
    "set",
    "sorted",
    "reversed",
    "enumerate",
    "zip",
    "min",
    "max",
    "sum",
    "abs",
    "round",
    "isinstance",
    "repr",
    "type",
    "any",
    "all",
    "map",
    "filter",
    "divmod",
    "pow",
    "hex",
    "ord",
    "chr",
    "bytes",
    "iter",
    "next",
    "Exception",
    "ValueError",
    "TypeError",
    "KeyError",
    "self",
];

/// Classifies every token of `source` for highlighting; never fails (bad input becomes `Error`).
pub fn highlight(source: &str) -> Vec<(Range<usize>, TokenKind)> {
    let mut out = Vec::new();
    let mut pos = 0;
    let b = source.as_bytes();
    while pos < source.len() {
        let Some(c) = source[pos..].chars().next() else {
            break;
        };
        let start = pos;
        if c.is_whitespace() || c == '\\' {
            pos += c.len_utf8();
            continue;
        }
        if c == '#' {
            let end = source[pos..]
                .find('\n')
                .map(|i| pos + i)
                .unwrap_or(source.len());
            out.push((start..end, TokenKind::Comment));
            pos = end;
            continue;
        }
        if c == '"' || c == '\'' {
            pos = scan_string(source, pos);
            out.push((start..pos, TokenKind::String));
            continue;
        }
        if c.is_ascii_digit() || (c == '.' && b.get(pos + 1).is_some_and(|d| d.is_ascii_digit())) {
            let mut end = pos;
            for (i, ch) in source[pos..].char_indices() {
                let prev = if i > 0 {
                    b.get(pos + i - 1).copied()
                } else {
                    None
                };
                if ch.is_ascii_alphanumeric()
                    || ch == '_'
                    || ch == '.'
                    || ((ch == '+' || ch == '-') && matches!(prev, Some(b'e') | Some(b'E')))
                {
                    end = pos + i + 1;
                } else {
                    break;
                }
            }
            out.push((start..end, TokenKind::Number));
            pos = end;
            continue;
        }
        if is_id_start(c) {
            let (end, is_prefix) = scan_word(source, pos);
            let word = &source[pos..end];
            if is_prefix {
                let e = scan_string(source, end);
                out.push((start..e, TokenKind::String));
                pos = e;
                continue;
            }
            let kind = if KEYWORDS.contains(&word) {
                TokenKind::Keyword
            } else if BUILTIN_NAMES.contains(&word) {
                TokenKind::Builtin
            } else {
                TokenKind::Name
            };
            out.push((start..end, kind));
            pos = end;
            continue;
        }
        if let Some((op, _)) = find_op(&source[pos..]) {
            pos += op.len();
            out.push((start..pos, TokenKind::Operator));
            continue;
        }
        pos += c.len_utf8();
        out.push((start..pos, TokenKind::Error));
    }
    out
}

fn scan_string(source: &str, pos: usize) -> usize {
    match scan_quoted(source, pos) {
        (qlen, Ok(close)) => close + qlen,
        (_, Err(stop)) => stop,
    }
}

/// Scans the string literal whose opening quote (`'` or `"`) is at `pos`: the quote length
/// (1 or 3) and the position of the closing quotes, or where an unterminated literal stops
/// (its newline, or the end of the source).
fn scan_quoted(source: &str, pos: usize) -> (usize, Result<usize, usize>) {
    let b = source.as_bytes();
    let q = b.get(pos).copied().unwrap_or(b'"');
    let triple = b.get(pos..pos + 3) == Some(&[q, q, q][..]);
    let qlen = if triple { 3 } else { 1 };
    let closing = &[q, q, q][..qlen];
    let mut p = pos + qlen;
    while p < b.len() {
        let c = b[p];
        if c == b'\\' {
            p += 1;
            if let Some(n) = source.get(p..).and_then(|r| r.chars().next()) {
                p += n.len_utf8();
            }
            continue;
        }
        if c == b'\n' && !triple {
            return (qlen, Err(p));
        }
        if b[p..].starts_with(closing) {
            return (qlen, Ok(p));
        }
        p += 1;
    }
    (qlen, Err(b.len()))
}
