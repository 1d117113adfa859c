//! `repr`/`str` of values (floats like CPython's shortest repr), format specs, `%` formatting.

use std::fmt::Write;

use crate::error::Exception;
use crate::value::{HostRef, Native, Value};

/// CPython's `repr(float)`: shortest round-trip digits, exponent outside [1e-4, 1e16).
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    // Zeros need no case of their own: `0e0` and `-0e0` give `0.0` and `-0.0` below.
    let s = format!("{:e}", f);
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if (-4..16).contains(&exp) {
        if exp >= 0 {
            let int_len = exp as usize + 1;
            if digits.len() <= int_len {
                out.push_str(&digits);
                out.push_str(&"0".repeat(int_len - digits.len()));
                out.push_str(".0");
            } else {
                out.push_str(&digits[..int_len]);
                out.push('.');
                out.push_str(&digits[int_len..]);
            }
        } else {
            out.push_str("0.");
            out.push_str(&"0".repeat((-exp - 1) as usize));
            out.push_str(&digits);
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        let _ = write!(out, "{:02}", exp.abs());
    }
    out
}

fn is_printable(c: char) -> bool {
    !(c.is_control()
        || c == '\u{a0}'
        || c == '\u{ad}'
        || ('\u{2000}'..='\u{200f}').contains(&c)
        || ('\u{2028}'..='\u{202f}').contains(&c)
        || c == '\u{feff}')
}

/// The digits of `u` in `base` (2..=36).
pub fn to_radix(mut u: u64, base: u32, upper: bool) -> String {
    let mut d = Vec::new();
    loop {
        let c = char::from_digit((u % base as u64) as u32, base).unwrap_or('0');
        d.push(if upper { c.to_ascii_uppercase() } else { c });
        u /= base as u64;
        if u == 0 {
            break;
        }
    }
    let mut s = String::with_capacity(d.len());
    for c in d.iter().rev() {
        s.push(*c);
    }
    s
}

/// Pushes the `n` low hex digits of `v` (lowercase).
pub fn push_hex(out: &mut String, v: u32, n: u32) {
    for i in (0..n).rev() {
        out.push(char::from_digit((v >> (4 * i)) & 15, 16).unwrap_or('0'));
    }
}

/// `repr(str)`.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if !is_printable(c) => {
                let v = c as u32;
                let (tag, n) = if v < 0x100 {
                    ('x', 2)
                } else if v < 0x10000 {
                    ('u', 4)
                } else {
                    ('U', 8)
                };
                out.push('\\');
                out.push(tag);
                push_hex(&mut out, v, n);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// `repr(bytes)`.
pub fn bytes_repr(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from("b");
    out.push(quote);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            c if c as char == quote => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..=0x7e => out.push(c as char),
            c => {
                out.push_str("\\x");
                push_hex(&mut out, c as u32, 2);
            }
        }
    }
    out.push(quote);
    out
}

/// `repr(x)` without a host (host objects show as `<Class object>`).
pub fn repr(v: &Value) -> String {
    let mut out = String::new();
    repr_into(
        v,
        &mut out,
        &mut |h: &HostRef| format!("<{} object>", h.class),
        0,
    );
    out
}

/// `str(x)` without a host.
pub fn to_str(v: &Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        Value::Exception(e) => e.message(),
        Value::Native(n) => native_str(n),
        _ => repr(v),
    }
}

/// `str(x)` with a host for host objects.
pub fn to_str_h(v: &Value, host: &mut dyn FnMut(&HostRef) -> String) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        Value::Exception(e) => e.message(),
        Value::Native(n) => native_str(n),
        _ => {
            let mut out = String::new();
            repr_into(v, &mut out, host, 0);
            out
        }
    }
}

/// `repr(x)` with a host callback for host objects.
pub fn repr_h(v: &Value, host: &mut dyn FnMut(&HostRef) -> String) -> String {
    let mut out = String::new();
    repr_into(v, &mut out, host, 0);
    out
}

fn native_str(n: &Native) -> String {
    match n {
        Native::Datetime { .. } => crate::modules::datetime::isoformat(n, " "),
        Native::Timedelta { us } => crate::modules::datetime::timedelta_str(*us),
        Native::TimezoneUtc => "UTC".into(),
        Native::Uuid(u) => crate::modules::uuid::uuid_str(*u),
    }
}

fn seq_into(
    items: &[Value],
    out: &mut String,
    host: &mut dyn FnMut(&HostRef) -> String,
    depth: usize,
) {
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        repr_into(x, out, host, depth + 1);
        if out.len() > 4_000_000 {
            out.push_str("...");
            return;
        }
    }
}

pub fn repr_into(
    v: &Value,
    out: &mut String,
    host: &mut dyn FnMut(&HostRef) -> String,
    depth: usize,
) {
    if depth > 60 {
        out.push_str("...");
        return;
    }
    // Most kinds print as `pre + name + post`.
    let (pre, name, post): (&str, &str, &str) = match v {
        Value::None | Value::Unbound => ("None", "", ""),
        Value::Bool(true) => ("True", "", ""),
        Value::Bool(false) => ("False", "", ""),
        Value::Iter(_) => ("<iterator object>", "", ""),
        Value::Function(f) => ("<function ", &f.code.name, ">"),
        Value::Builtin(b) => ("<built-in function ", b.name, ">"),
        Value::Module(m) => ("<module '", &m.name, "'>"),
        Value::Type(t) => ("<class '", t.name(), "'>"),
        Value::ExcClass(c) => ("<class '", &c.name, "'>"),
        Value::HostFunction(h) => ("<class '", &h.class, "'>"),
        Value::BoundMethod(m) => {
            match &m.0 {
                Value::Type(t) => {
                    out.push_str("<method '");
                    out.push_str(&m.1);
                    out.push_str("' of '");
                    out.push_str(t.name());
                    out.push_str("' objects>");
                }
                recv => {
                    out.push_str("<built-in method ");
                    out.push_str(&m.1);
                    out.push_str(" of ");
                    out.push_str(recv.type_name());
                    out.push_str(" object>");
                }
            }
            return;
        }
        Value::HostMethod(m) => {
            out.push_str("<bound method ");
            out.push_str(&m.0.class);
            out.push('.');
            out.push_str(&m.1);
            out.push('>');
            return;
        }
        Value::Int(i) => {
            let _ = write!(out, "{}", i);
            return;
        }
        Value::Float(f) => return out.push_str(&float_repr(*f)),
        Value::Str(s) => return out.push_str(&str_repr(s)),
        Value::Bytes(b) => return out.push_str(&bytes_repr(b)),
        Value::Host(h) => return out.push_str(&host(h)),
        Value::Native(n) => return out.push_str(&crate::modules::datetime::native_repr(n)),
        Value::Range(r) => {
            let _ = write!(out, "range({}, {}", r.0, r.1);
            if r.2 != 1 {
                let _ = write!(out, ", {}", r.2);
            }
            return out.push(')');
        }
        Value::List(l) => {
            out.push('[');
            let items = l.borrow().clone();
            seq_into(&items, out, host, depth);
            return out.push(']');
        }
        Value::Tuple(t) => {
            out.push('(');
            seq_into(t, out, host, depth);
            if t.len() == 1 {
                out.push(',');
            }
            return out.push(')');
        }
        Value::Dict(d) => {
            out.push('{');
            let items = d.borrow().items();
            for (i, (k, v)) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                repr_into(k, out, host, depth + 1);
                out.push_str(": ");
                repr_into(v, out, host, depth + 1);
                if out.len() > 4_000_000 {
                    out.push_str("...");
                    break;
                }
            }
            return out.push('}');
        }
        Value::Set(d) => {
            let keys = d.borrow().keys();
            if keys.is_empty() {
                return out.push_str("set()");
            }
            out.push('{');
            seq_into(&keys, out, host, depth);
            return out.push('}');
        }
        Value::Slice(s) => {
            for (i, x) in [&s.0, &s.1, &s.2].into_iter().enumerate() {
                out.push_str(if i == 0 { "slice(" } else { ", " });
                repr_into(x, out, host, depth + 1);
            }
            return out.push(')');
        }
        Value::Exception(e) => {
            out.push_str(&e.class().name);
            out.push('(');
            seq_into(e.args(), out, host, depth);
            return out.push(')');
        }
        Value::Record(r) => {
            out.push_str(&r.class);
            out.push('(');
            for (i, (k, v)) in r.fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push('=');
                repr_into(v, out, host, depth + 1);
            }
            return out.push(')');
        }
        Value::View(v) => {
            out.push_str(v.0.name());
            out.push_str("([");
            let items = crate::value::view_items(v.0, &v.1.borrow());
            seq_into(&items, out, host, depth);
            return out.push_str("])");
        }
    };
    out.push_str(pre);
    out.push_str(name);
    out.push_str(post);
}

// ---------------- format specs ----------------

#[derive(Debug, Default, Clone)]
struct Spec {
    fill: Option<char>,
    align: Option<char>,
    sign: Option<char>,
    alt: bool,
    zero: bool,
    width: usize,
    grouping: Option<char>,
    precision: Option<usize>,
    ty: Option<char>,
}

/// The first `p` chars of `s`.
fn take_chars(s: &str, p: usize) -> String {
    match s.char_indices().nth(p) {
        Some((i, _)) => s.get(..i).unwrap_or(s).to_string(),
        None => s.to_string(),
    }
}

/// The chars of `s`, for indexing.
pub(crate) fn chars_of(s: &str) -> Vec<char> {
    let mut v = Vec::with_capacity(s.len());
    for c in s.chars() {
        v.push(c);
    }
    v
}

/// The run of ASCII digits at `chars[*i..]` as a number (advancing `i`): `None` if there is no
/// digit, `Some(None)` if the number overflows.
fn digit_run(chars: &[char], i: &mut usize) -> Option<Option<usize>> {
    let start = *i;
    let mut n: Option<usize> = Some(0);
    while let Some(d) = chars.get(*i).and_then(|c| c.to_digit(10)) {
        n = n
            .and_then(|n| n.checked_mul(10))
            .and_then(|n| n.checked_add(d as usize));
        *i += 1;
    }
    (*i > start).then_some(n)
}

fn parse_spec(spec: &str) -> Result<Spec, Exception> {
    let bad = || Exception::value_error("Invalid format specifier");
    let chars = chars_of(spec);
    let mut i = 0;
    let mut s = Spec::default();
    let is_align = |c: char| matches!(c, '<' | '>' | '^' | '=');
    if chars.len() >= 2 && is_align(chars[1]) {
        s.fill = Some(chars[0]);
        s.align = Some(chars[1]);
        i = 2;
    } else if !chars.is_empty() && is_align(chars[0]) {
        s.align = Some(chars[0]);
        i = 1;
    }
    if let Some(&c) = chars.get(i) {
        if matches!(c, '+' | '-' | ' ') {
            s.sign = Some(c);
            i += 1;
        }
    }
    if chars.get(i) == Some(&'z') {
        i += 1;
    }
    if chars.get(i) == Some(&'#') {
        s.alt = true;
        i += 1;
    }
    if chars.get(i) == Some(&'0') {
        s.zero = true;
        i += 1;
    }
    if let Some(w) = digit_run(&chars, &mut i) {
        s.width = w.ok_or_else(bad)?;
        if s.width > 100_000 {
            return Err(Exception::builtin("MemoryError", "format width too large"));
        }
    }
    if let Some(&c) = chars.get(i) {
        if c == ',' || c == '_' {
            s.grouping = Some(c);
            i += 1;
        }
    }
    if chars.get(i) == Some(&'.') {
        i += 1;
        let Some(p) = digit_run(&chars, &mut i) else {
            return Err(Exception::value_error("Format specifier missing precision"));
        };
        let p = p.ok_or_else(bad)?;
        if p > 1000 {
            return Err(Exception::value_error("precision too big"));
        }
        s.precision = Some(p);
    }
    if let Some(&c) = chars.get(i) {
        s.ty = Some(c);
        i += 1;
    }
    if i != chars.len() {
        return Err(bad());
    }
    Ok(s)
}

fn group(int_part: &str, sep: char, every: usize) -> String {
    let digits = chars_of(int_part);
    let mut out = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(every) {
            out.push(sep);
        }
        out.push(*c);
    }
    out
}

fn pad(body: String, sign: &str, spec: &Spec, default_right: bool) -> String {
    let len = body.chars().count() + sign.chars().count();
    let n = spec.width.saturating_sub(len);
    if n == 0 && sign.is_empty() {
        return body;
    }
    let (fill, align) = if spec.zero && spec.align.is_none() {
        (spec.fill.unwrap_or('0'), '=')
    } else {
        (
            spec.fill.unwrap_or(' '),
            spec.align.unwrap_or(if default_right { '>' } else { '<' }),
        )
    };
    // Fill before the sign, between sign and body, and after the body.
    let (left, mid) = match align {
        '<' => (0, 0),
        '^' => (n / 2, 0),
        '=' => (0, n),
        _ => (n, 0),
    };
    let mut out = String::with_capacity(body.len() + sign.len() + n * fill.len_utf8());
    let push_fill = |out: &mut String, k: usize| {
        for _ in 0..k {
            out.push(fill);
        }
    };
    push_fill(&mut out, left);
    out.push_str(sign);
    push_fill(&mut out, mid);
    out.push_str(&body);
    push_fill(&mut out, n - left - mid);
    out
}

fn sign_str(neg: bool, spec: &Spec) -> &'static str {
    if neg {
        "-"
    } else {
        match spec.sign {
            Some('+') => "+",
            Some(' ') => " ",
            _ => "",
        }
    }
}

/// `format(value, spec)` for the built-in types (others use `str`).
pub fn format_value(
    v: &Value,
    spec_str: &str,
    host: &mut dyn FnMut(&HostRef) -> String,
) -> Result<String, Exception> {
    if spec_str.is_empty() {
        return Ok(to_str_h(v, host));
    }
    let spec = parse_spec(spec_str)?;
    match v {
        Value::Int(_) | Value::Bool(_)
            if !matches!(spec.ty, Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%')) =>
        {
            let i = v.as_int().unwrap_or(0);
            if matches!(v, Value::Bool(_)) && spec.ty.is_none() {
                return Ok(pad(to_str(v), "", &spec, false));
            }
            format_int(i, &spec, false)
        }
        Value::Int(_) | Value::Bool(_) | Value::Float(_) => {
            let f = v.as_float().unwrap_or(0.0);
            format_float(f, &spec)
        }
        Value::Str(s) => {
            if let Some(t) = spec.ty {
                if t != 's' {
                    return Err(Exception::value_error_fmt(format_args!(
                        "Unknown format code '{}' for object of type 'str'",
                        t
                    )));
                }
            }
            if spec.sign.is_some() {
                return Err(Exception::value_error(
                    "Sign not allowed in string format specifier",
                ));
            }
            let body: String = match spec.precision {
                Some(p) => take_chars(s, p),
                None => s.to_string(),
            };
            Ok(pad(body, "", &spec, false))
        }
        Value::Native(n) if matches!(&**n, Native::Datetime { .. }) => {
            Ok(crate::modules::datetime::strftime(n, spec_str))
        }
        _ => {
            if spec.ty.is_some() || spec.precision.is_some() || spec.sign.is_some() {
                return Err(Exception::type_error_fmt(format_args!(
                    "unsupported format string passed to {}.__format__",
                    v.type_name()
                )));
            }
            Ok(pad(to_str_h(v, host), "", &spec, false))
        }
    }
}

/// An int with a format spec; `percent`: for `%` formatting (a precision zero-pads `%d`).
fn format_int(i: i64, spec: &Spec, percent: bool) -> Result<String, Exception> {
    let neg = i < 0;
    let a = i.unsigned_abs();
    let (mut body, prefix) = match spec.ty {
        None | Some('d') | Some('n') => (to_radix(a, 10, false), ""),
        Some('b') => (to_radix(a, 2, false), "0b"),
        Some('o') => (to_radix(a, 8, false), "0o"),
        Some('x') => (to_radix(a, 16, false), "0x"),
        Some('X') => (to_radix(a, 16, true), "0X"),
        Some('c') => {
            let c = u32::try_from(i)
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| {
                    Exception::builtin("OverflowError", "%c arg not in range(0x110000)")
                })?;
            return Ok(pad(c.to_string(), "", spec, percent));
        }
        Some(t) => {
            return Err(Exception::value_error_fmt(format_args!(
                "Unknown format code '{}' for object of type 'int'",
                t
            )))
        }
    };
    if let Some(p) = spec.precision {
        if !percent {
            return Err(Exception::value_error(
                "Precision not allowed in integer format specifier",
            ));
        }
        if spec.ty == Some('d') && p > body.len() {
            body.insert_str(0, &"0".repeat(p - body.len()));
        }
    }
    let body = match spec.grouping {
        Some(g) => group(
            &body,
            g,
            if matches!(spec.ty, Some('b' | 'o' | 'x' | 'X')) {
                4
            } else {
                3
            },
        ),
        None => body,
    };
    let mut sign = String::from(sign_str(neg, spec));
    if spec.alt {
        sign.push_str(prefix);
    }
    Ok(pad(body, &sign, spec, true))
}

/// Formats `f` with a %-style or format-spec float type and precision.
fn float_body(f: f64, ty: char, prec: Option<usize>, alt: bool) -> String {
    let a = f.abs();
    if !a.is_finite() {
        let w = if a.is_nan() { "nan" } else { "inf" };
        return if ty.is_ascii_uppercase() {
            w.to_ascii_uppercase()
        } else {
            w.into()
        };
    }
    match ty {
        'f' | 'F' => format!("{:.*}", prec.unwrap_or(6), a),
        '%' => format!("{:.*}%", prec.unwrap_or(6), a * 100.0),
        'e' | 'E' => {
            let s = sci(a, prec.unwrap_or(6));
            if ty == 'E' {
                s.to_ascii_uppercase()
            } else {
                s
            }
        }
        _ => {
            // 'g', 'G', or None with precision
            let p = prec.unwrap_or(6).max(1);
            let exp = exp10(a, p);
            let mut out = if exp >= -4 && exp < p as i32 {
                let decimals = (p as i32 - 1 - exp).max(0) as usize;
                let mut s = format!("{:.*}", decimals, a);
                if !alt && s.contains('.') {
                    s = s.trim_end_matches('0').trim_end_matches('.').to_string();
                }
                s
            } else {
                let s = sci(a, p - 1);
                if alt {
                    s
                } else {
                    trim_sci(s)
                }
            };
            if ty == 'G' {
                out = out.to_ascii_uppercase();
            }
            out
        }
    }
}

/// The decimal exponent of `a` rounded to `p` (>= 1) significant digits.
fn exp10(a: f64, p: usize) -> i32 {
    format!("{:.*e}", p - 1, a)
        .split_once('e')
        .map(|(_, e)| e.parse().unwrap_or(0))
        .unwrap_or(0)
}

/// `1.500e+03` -> `1.5e+03`: trailing zeros (and point) of the mantissa dropped.
fn trim_sci(s: String) -> String {
    match s.split_once('e') {
        Some((m, e)) if m.contains('.') => {
            format!("{}e{}", m.trim_end_matches('0').trim_end_matches('.'), e)
        }
        _ => s,
    }
}

fn sci(a: f64, prec: usize) -> String {
    let s = format!("{:.*e}", prec, a);
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    format!("{}e{}{:02}", m, if e < 0 { '-' } else { '+' }, e.abs())
}

fn format_float(f: f64, spec: &Spec) -> Result<String, Exception> {
    let neg = f.is_sign_negative() && !f.is_nan();
    let body = match spec.ty {
        None => {
            if spec.precision.is_none() {
                float_repr(f.abs())
            } else {
                let mut b = float_body(f, 'g', spec.precision, spec.alt);
                if !b.contains('.') && !b.contains('e') && !b.contains("inf") && !b.contains("nan")
                {
                    let p = spec.precision.unwrap_or(6).max(1);
                    let a = f.abs();
                    if exp10(a, p) >= p as i32 - 1 {
                        b = trim_sci(sci(a, p - 1));
                    } else {
                        b.push_str(".0");
                    }
                }
                b
            }
        }
        Some(t @ ('e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%')) => {
            float_body(f, t, spec.precision, spec.alt)
        }
        Some('n') => float_body(f, 'g', spec.precision, spec.alt),
        Some(t) => {
            return Err(Exception::value_error_fmt(format_args!(
                "Unknown format code '{}' for object of type 'float'",
                t
            )))
        }
    };
    let body = match spec.grouping {
        Some(g) => {
            let (int_part, rest) = match body.find(|c: char| !c.is_ascii_digit()) {
                Some(p) => (&body[..p], &body[p..]),
                None => (body.as_str(), ""),
            };
            format!("{}{}", group(int_part, g, 3), rest)
        }
        None => body,
    };
    Ok(pad(body, sign_str(neg, spec), spec, true))
}

/// `format % args` (printf-style).
pub fn percent_format(
    fmt: &str,
    args: &Value,
    host: &mut dyn FnMut(&HostRef) -> String,
) -> Result<String, Exception> {
    let items: &[Value] = match args {
        Value::Tuple(t) => t,
        other => std::slice::from_ref(other),
    };
    let mapping = matches!(args, Value::Dict(_));
    let mut idx = 0;
    let mut out = String::new();
    let chars = chars_of(fmt);
    let mut i = 0;
    let not_enough = || Exception::type_error("not enough arguments for format string");
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut value: Option<Value> = None;
        if chars.get(i) == Some(&'(') {
            let end = chars[i..]
                .iter()
                .position(|c| *c == ')')
                .map(|p| p + i)
                .ok_or_else(|| Exception::value_error("incomplete format key"))?;
            let key: String = chars.get(i + 1..end).unwrap_or_default().iter().collect();
            i = end + 1;
            if let Value::Dict(d) = args {
                value = Some(
                    d.borrow()
                        .get(&Value::str(&key))?
                        .ok_or_else(|| crate::builtins::key_error(Value::str(&key)))?,
                );
            } else {
                return Err(Exception::type_error("format requires a mapping"));
            }
        }
        let mut spec = Spec::default();
        while let Some(&f) = chars.get(i) {
            match f {
                '-' => spec.align = Some('<'),
                '+' => spec.sign = Some('+'),
                ' ' => {
                    if spec.sign.is_none() {
                        spec.sign = Some(' ')
                    }
                }
                '0' => spec.zero = true,
                '#' => spec.alt = true,
                _ => break,
            }
            i += 1;
        }
        let w = digit_run(&chars, &mut i).flatten().unwrap_or(0);
        if chars.get(i) == Some(&'*') {
            return Err(Exception::value_error(
                "'*' widths are not supported in the playground",
            ));
        }
        spec.width = w.min(100_000);
        if chars.get(i) == Some(&'.') {
            i += 1;
            spec.precision = Some(digit_run(&chars, &mut i).flatten().unwrap_or(0).min(1000));
        }
        let Some(&ty) = chars.get(i) else {
            return Err(Exception::value_error("incomplete format"));
        };
        i += 1;
        if ty == '%' {
            out.push('%');
            continue;
        }
        if spec.align == Some('<') {
            spec.zero = false;
        }
        let v = match value {
            Some(v) => v,
            None => {
                if mapping {
                    args.clone()
                } else {
                    let v = items.get(idx).cloned().ok_or_else(not_enough)?;
                    idx += 1;
                    v
                }
            }
        };
        let s = match ty {
            's' | 'r' | 'a' => {
                let body = if ty == 's' {
                    to_str_h(&v, host)
                } else {
                    repr_h(&v, host)
                };
                let body: String = match spec.precision {
                    Some(p) => take_chars(&body, p),
                    None => body,
                };
                spec.zero = false;
                pad(body, "", &spec, true)
            }
            'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                let n = match &v {
                    Value::Float(f) if matches!(ty, 'd' | 'i' | 'u') => {
                        if !f.is_finite() {
                            return Err(Exception::builtin(
                                "OverflowError",
                                "cannot convert float infinity to integer",
                            ));
                        }
                        *f as i64
                    }
                    other => other.as_int().ok_or_else(|| {
                        Exception::type_error_fmt(format_args!(
                            "%{} format: {} is required, not {}",
                            ty,
                            if matches!(ty, 'd' | 'i' | 'u') {
                                "a real number"
                            } else {
                                "an integer"
                            },
                            other.type_name()
                        ))
                    })?,
                };
                spec.ty = Some(if matches!(ty, 'i' | 'u') { 'd' } else { ty });
                format_int(n, &spec, true)?
            }
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
                let f = v.as_float().ok_or_else(|| {
                    Exception::type_error_fmt(format_args!(
                        "must be real number, not {}",
                        v.type_name()
                    ))
                })?;
                spec.ty = Some(ty);
                format_float(f, &spec)?
            }
            'c' => match &v {
                Value::Str(s) if s.chars().count() == 1 => pad(s.to_string(), "", &spec, true),
                other => {
                    let n = other
                        .as_int()
                        .ok_or_else(|| Exception::type_error("%c requires int or char"))?;
                    spec.ty = Some('c');
                    format_int(n, &spec, true)?
                }
            },
            other => {
                return Err(Exception::value_error_fmt(format_args!(
                    "unsupported format character '{}' (0x{:x}) at index {}",
                    other,
                    other as u32,
                    i - 1
                )))
            }
        };
        out.push_str(&s);
    }
    if !mapping && idx < items.len() {
        return Err(Exception::type_error(
            "not all arguments converted during string formatting",
        ));
    }
    Ok(out)
}
