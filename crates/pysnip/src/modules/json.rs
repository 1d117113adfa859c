//! The `json` module: `dumps` byte-identical to CPython's, `loads` with CPython's error messages.

use std::rc::Rc;

use crate::builtins::kwarg as kw;
use crate::builtins::module_with as make_module;
use crate::error::{builtin_class, Exception};
use crate::format::float_repr;
use crate::value::{Builtin, Dict, Value};
use crate::vm::Process;
use crate::Host;

type Kw = Vec<(Rc<str>, Value)>;
type R = Result<Value, Exception>;

static FUNCS: [Builtin; 2] = [
    Builtin {
        name: "dumps",
        f: dumps,
    },
    Builtin {
        name: "loads",
        f: loads,
    },
];

pub fn module() -> Value {
    make_module(
        "json",
        &FUNCS,
        vec![(
            "JSONDecodeError",
            Value::ExcClass(builtin_class("JSONDecodeError")),
        )],
    )
}

struct Opts {
    indent: Option<String>,
    item_sep: String,
    key_sep: String,
    sort_keys: bool,
    ensure_ascii: bool,
    allow_nan: bool,
    skipkeys: bool,
    default: Option<Value>,
}

/// A boolean keyword argument (its truth value), `default` if absent.
fn flag(k: &Kw, name: &str, default: bool) -> bool {
    kw(k, name).map_or(default, |v| v.truthy())
}

fn dumps(p: &mut Process, h: &mut dyn Host, a: Vec<Value>, k: Kw) -> R {
    let Some(obj) = a.first() else {
        return Err(Exception::type_error(
            "dumps() missing 1 required positional argument: 'obj'",
        ));
    };
    for (n, _) in &k {
        if !matches!(
            &**n,
            "indent"
                | "sort_keys"
                | "separators"
                | "ensure_ascii"
                | "default"
                | "allow_nan"
                | "skipkeys"
                | "check_circular"
                | "cls"
        ) {
            return Err(crate::builtins::unexpected_kw("dumps", n));
        }
    }
    let indent = match kw(&k, "indent") {
        None | Some(Value::None) => None,
        Some(Value::Int(n)) => Some(" ".repeat(n.clamp(0, 1000) as usize)),
        Some(Value::Str(s)) => Some(s.to_string()),
        Some(o) => {
            return Err(Exception::type_error_fmt(format_args!(
                "indent must be int or str, not {}",
                o.type_name()
            )))
        }
    };
    let (mut item_sep, mut key_sep) = (
        if indent.is_some() { "," } else { ", " }.to_string(),
        ": ".to_string(),
    );
    if let Some(s) = kw(&k, "separators") {
        if !s.is_none() {
            let items = s
                .as_seq()
                .ok_or_else(|| Exception::type_error("separators must be a tuple"))?;
            match items.as_slice() {
                [Value::Str(a), Value::Str(b)] => {
                    item_sep = a.to_string();
                    key_sep = b.to_string();
                }
                _ => {
                    return Err(Exception::value_error(
                        "separators must be a (item_separator, key_separator) tuple",
                    ))
                }
            }
        }
    }
    let opts = Opts {
        indent,
        item_sep,
        key_sep,
        sort_keys: flag(&k, "sort_keys", false),
        ensure_ascii: flag(&k, "ensure_ascii", true),
        allow_nan: flag(&k, "allow_nan", true),
        skipkeys: flag(&k, "skipkeys", false),
        default: kw(&k, "default").filter(|v| !v.is_none()),
    };
    let mut out = String::new();
    encode(p, h, obj, &opts, 0, &mut out)?;
    Ok(Value::string(out))
}

/// A JSON string literal, like CPython's encoder.
pub fn encode_str(s: &str, ensure_ascii: bool, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (ensure_ascii && (c as u32) > 0x7e) => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    out.push_str("\\u");
                    crate::format::push_hex(out, *u as u32, 4);
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn float_json(f: f64, opts: &Opts) -> Result<String, Exception> {
    if f.is_finite() {
        return Ok(float_repr(f));
    }
    if !opts.allow_nan {
        return Err(Exception::value_error_fmt(format_args!(
            "Out of range float values are not JSON compliant: {}",
            float_repr(f)
        )));
    }
    Ok(if f.is_nan() {
        "NaN".into()
    } else if f > 0.0 {
        "Infinity".into()
    } else {
        "-Infinity".into()
    })
}

fn newline(opts: &Opts, depth: usize, out: &mut String) {
    if let Some(ind) = &opts.indent {
        out.push('\n');
        for _ in 0..depth {
            out.push_str(ind);
        }
    }
}

fn encode(
    p: &mut Process,
    h: &mut dyn Host,
    v: &Value,
    opts: &Opts,
    depth: usize,
    out: &mut String,
) -> Result<(), Exception> {
    if depth > 200 {
        return Err(Exception::value_error("Circular reference detected"));
    }
    p.limits.check_str(out.len())?;
    match v {
        Value::None => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => out.push_str(&float_json(*f, opts)?),
        Value::Str(s) => encode_str(s, opts.ensure_ascii, out),
        Value::List(_) | Value::Tuple(_) | Value::Record(_) | Value::Dict(_) => {
            // Arrays and objects share one loop; an object has keys.
            let (keys, vals) = match v {
                Value::Record(r) => (None, r.values()),
                Value::Dict(d) => {
                    let (mut keys, mut vals) = (d.borrow().keys(), d.borrow().values());
                    if opts.sort_keys && !keys.is_empty() {
                        keys = crate::builtins::sort_values(p, h, keys, None, false)?;
                        let d = d.borrow();
                        vals.clear();
                        for k in &keys {
                            vals.push(d.get(k).ok().flatten().unwrap_or(Value::None));
                        }
                    }
                    (Some(keys), vals)
                }
                _ => (None, v.as_seq().unwrap_or_default()),
            };
            let (open, close) = if keys.is_some() {
                ('{', '}')
            } else {
                ('[', ']')
            };
            out.push(open);
            if vals.is_empty() {
                out.push(close);
                return Ok(());
            }
            newline(opts, depth + 1, out);
            let mut first = true;
            for (i, x) in vals.iter().enumerate() {
                let key = match keys.as_ref().and_then(|k| k.get(i)) {
                    None => None,
                    Some(Value::Str(s)) => Some(s.to_string()),
                    Some(Value::Int(i)) => Some(i.to_string()),
                    Some(Value::Bool(b)) => Some((if *b { "true" } else { "false" }).to_string()),
                    Some(Value::None) => Some("null".to_string()),
                    Some(Value::Float(f)) => Some(float_json(*f, opts)?),
                    Some(other) => {
                        if opts.skipkeys {
                            continue;
                        }
                        return Err(Exception::type_error_fmt(format_args!(
                            "keys must be str, int, float, bool or None, not {}",
                            other.type_name()
                        )));
                    }
                };
                if !first {
                    out.push_str(&opts.item_sep);
                    newline(opts, depth + 1, out);
                }
                first = false;
                if let Some(key) = key {
                    encode_str(&key, opts.ensure_ascii, out);
                    out.push_str(&opts.key_sep);
                }
                encode(p, h, x, opts, depth + 1, out)?;
            }
            newline(opts, depth, out);
            out.push(close);
        }
        other => {
            if let Some(f) = &opts.default {
                let f = f.clone();
                let r = p.call_value(h, &f, vec![other.clone()])?;
                return encode(p, h, &r, opts, depth + 1, out);
            }
            return Err(Exception::type_error_fmt(format_args!(
                "Object of type {} is not JSON serializable",
                other.type_name()
            )));
        }
    }
    Ok(())
}

// ---------------- loads ----------------

struct Parser<'a> {
    s: &'a str,
    b: &'a [u8],
    pos: usize,
    depth: usize,
}

fn decode_error(s: &str, msg: &str, pos: usize) -> Exception {
    let pos = pos.min(s.len());
    let before = &s[..floor_boundary(s, pos)];
    let line = before.matches('\n').count() + 1;
    let char_pos = before.chars().count();
    let col = match before.rfind('\n') {
        Some(i) => before[i + 1..].chars().count() + 1,
        None => char_pos + 1,
    };
    Exception::new(
        &builtin_class("JSONDecodeError"),
        &format!("{}: line {} column {} (char {})", msg, line, col, char_pos),
    )
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl<'a> Parser<'a> {
    fn err(&self, msg: &str, pos: usize) -> Exception {
        decode_error(self.s, msg, pos)
    }
    fn ws(&mut self) {
        while let Some(c) = self.b.get(self.pos) {
            if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }
    fn value(&mut self) -> R {
        self.ws();
        let start = self.pos;
        let Some(&c) = self.b.get(self.pos) else {
            return Err(self.err("Expecting value", start));
        };
        const LITERALS: [&str; 6] = ["null", "true", "false", "NaN", "Infinity", "-Infinity"];
        if let Some(i) = LITERALS
            .iter()
            .position(|l| self.b[self.pos..].starts_with(l.as_bytes()))
        {
            self.pos += LITERALS[i].len();
            return Ok(match i {
                0 => Value::None,
                1 => Value::Bool(true),
                2 => Value::Bool(false),
                3 => Value::Float(f64::NAN),
                4 => Value::Float(f64::INFINITY),
                _ => Value::Float(f64::NEG_INFINITY),
            });
        }
        match c {
            b'{' | b'[' => {
                let obj = c == b'{';
                self.depth += 1;
                if self.depth > 200 {
                    return Err(Exception::builtin_fmt(
                        "RecursionError",
                        format_args!(
                            "maximum recursion depth exceeded while decoding a JSON {} from a unicode string",
                            if obj { "object" } else { "array" }
                        ),
                    ));
                }
                self.pos += 1;
                let close = if obj { b'}' } else { b']' };
                let mut d = Dict::new();
                let mut items = Vec::new();
                self.ws();
                if self.b.get(self.pos) == Some(&close) {
                    self.pos += 1;
                } else {
                    loop {
                        if obj {
                            self.ws();
                            if self.b.get(self.pos) != Some(&b'"') {
                                return Err(self.err(
                                    "Expecting property name enclosed in double quotes",
                                    self.pos,
                                ));
                            }
                            let k = self.string()?;
                            self.ws();
                            if self.b.get(self.pos) != Some(&b':') {
                                return Err(self.err("Expecting ':' delimiter", self.pos));
                            }
                            self.pos += 1;
                            let v = self.value()?;
                            d.insert(k, v)?;
                        } else {
                            items.push(self.value()?);
                        }
                        self.ws();
                        match self.b.get(self.pos) {
                            Some(b',') => self.pos += 1,
                            Some(x) if *x == close => {
                                self.pos += 1;
                                break;
                            }
                            _ => return Err(self.err("Expecting ',' delimiter", self.pos)),
                        }
                    }
                }
                self.depth -= 1;
                Ok(if obj {
                    Value::Dict(Rc::new(std::cell::RefCell::new(d)))
                } else {
                    Value::list(items)
                })
            }
            b'"' => self.string(),
            b'-' | b'0'..=b'9' => self.number(),
            _ => Err(self.err("Expecting value", start)),
        }
    }
    fn number(&mut self) -> R {
        let start = self.pos;
        let b = self.b;
        let mut i = self.pos;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                while b.get(i).is_some_and(|c| c.is_ascii_digit()) {
                    i += 1;
                }
            }
            _ => return Err(self.err("Expecting value", start)),
        }
        let mut is_float = false;
        if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(|c| c.is_ascii_digit()) {
            is_float = true;
            i += 1;
            while b.get(i).is_some_and(|c| c.is_ascii_digit()) {
                i += 1;
            }
        }
        if matches!(b.get(i), Some(b'e') | Some(b'E')) {
            let mut j = i + 1;
            if matches!(b.get(j), Some(b'+') | Some(b'-')) {
                j += 1;
            }
            if b.get(j).is_some_and(|c| c.is_ascii_digit()) {
                while b.get(j).is_some_and(|c| c.is_ascii_digit()) {
                    j += 1;
                }
                i = j;
                is_float = true;
            }
        }
        let text = &self.s[start..i];
        self.pos = i;
        if is_float {
            Ok(Value::Float(
                crate::float_parse::parse_float(text).unwrap_or(0.0),
            ))
        } else {
            match text.parse::<i64>() {
                Ok(v) => Ok(Value::Int(v)),
                Err(_) => Err(Exception::builtin(
                    "OverflowError",
                    "integer in JSON is too large (integers are limited to 64 bits in the playground)",
                )),
            }
        }
    }
    fn string(&mut self) -> R {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(&c) = self.b.get(self.pos) else {
                return Err(self.err("Unterminated string starting at", start));
            };
            match c {
                b'"' => {
                    self.pos += 1;
                    return Ok(Value::string(out));
                }
                b'\\' => {
                    let esc_pos = self.pos;
                    let Some(&e) = self.b.get(self.pos + 1) else {
                        return Err(self.err("Unterminated string starting at", start));
                    };
                    self.pos += 2;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let u = self.hex4(esc_pos)?;
                            if (0xd800..0xdc00).contains(&u)
                                && self.s[self.pos..].starts_with("\\u")
                            {
                                let save = self.pos;
                                self.pos += 2;
                                let lo = self.hex4(save)?;
                                if (0xdc00..0xe000).contains(&lo) {
                                    let c = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
                                    out.push(char::from_u32(c).unwrap_or('\u{fffd}'));
                                } else {
                                    out.push('\u{fffd}');
                                    self.pos = save;
                                }
                            } else {
                                out.push(char::from_u32(u).unwrap_or('\u{fffd}'));
                            }
                        }
                        _ => return Err(self.err("Invalid \\escape", esc_pos)),
                    }
                }
                c if c < 0x20 => return Err(self.err("Invalid control character at", self.pos)),
                _ => {
                    let ch = self.s[self.pos..].chars().next().unwrap_or('\u{fffd}');
                    out.push(ch);
                    self.pos += ch.len_utf8().max(1);
                }
            }
        }
    }
    fn hex4(&mut self, esc_pos: usize) -> Result<u32, Exception> {
        let h = self
            .s
            .get(self.pos..self.pos + 4)
            .filter(|h| h.chars().all(|c| c.is_ascii_hexdigit()));
        match h.and_then(|h| u32::from_str_radix(h, 16).ok()) {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => Err(self.err("Invalid \\uXXXX escape", esc_pos)),
        }
    }
}

pub fn loads_str(s: &str) -> R {
    let mut p = Parser {
        s,
        b: s.as_bytes(),
        pos: 0,
        depth: 0,
    };
    let v = p.value()?;
    p.ws();
    if p.pos < s.len() {
        return Err(p.err("Extra data", p.pos));
    }
    Ok(v)
}

fn loads(_p: &mut Process, _h: &mut dyn Host, a: Vec<Value>, _k: Kw) -> R {
    match a.first() {
        Some(Value::Str(s)) => loads_str(s),
        Some(Value::Bytes(b)) => {
            let s = match std::str::from_utf8(b) {
                Ok(s) => s.to_string(),
                Err(_) => return crate::builtins::decode(b, None, None),
            };
            loads_str(s.strip_prefix('\u{feff}').unwrap_or(&s))
        }
        Some(other) => Err(Exception::type_error_fmt(format_args!(
            "the JSON object must be str, bytes or bytearray, not {}",
            other.type_name()
        ))),
        None => Err(Exception::type_error(
            "loads() missing 1 required positional argument: 's'",
        )),
    }
}
