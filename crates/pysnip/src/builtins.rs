//! Built-in functions, type constructors and the methods of str, bytes, list, dict, set, tuple.

use std::cell::RefCell;
use std::rc::Rc;

use crate::ast::{BinOp, CmpOp};
use crate::error::{builtin_class, is_builtin_class, Exception};
use crate::ops;
use crate::value::{range_len, Builtin, Dict, IterState, Native, TypeKind, Value, ViewKind};
use crate::vm::Process;
use crate::Host;

type Kw = Vec<(Rc<str>, Value)>;
type R = Result<Value, Exception>;
type CharPred = fn(char) -> bool;

macro_rules! builtin {
    ($name:expr, $f:expr) => {
        Builtin { name: $name, f: $f }
    };
}

static FUNCS: &[Builtin] = &[
    builtin!("print", b_print),
    builtin!("len", b_len),
    builtin!("range", b_range),
    builtin!("sorted", b_sorted),
    builtin!("reversed", b_reversed),
    builtin!("enumerate", b_enumerate),
    builtin!("zip", b_zip),
    builtin!("min", b_min),
    builtin!("max", b_max),
    builtin!("sum", b_sum),
    builtin!("abs", b_abs),
    builtin!("round", b_round),
    builtin!("isinstance", b_isinstance),
    builtin!("issubclass", b_issubclass),
    builtin!("repr", b_repr),
    builtin!("ascii", b_repr),
    builtin!("any", b_any),
    builtin!("all", b_all),
    builtin!("map", b_map),
    builtin!("filter", b_filter),
    builtin!("divmod", b_divmod),
    builtin!("pow", b_pow),
    builtin!("hex", b_hex),
    builtin!("oct", b_oct),
    builtin!("bin", b_bin),
    builtin!("ord", b_ord),
    builtin!("chr", b_chr),
    builtin!("iter", b_iter),
    builtin!("next", b_next),
    builtin!("hash", b_hash),
    builtin!("callable", b_callable),
    builtin!("getattr", b_getattr),
    builtin!("hasattr", b_hasattr),
    builtin!("format", b_format),
    builtin!("input", b_input),
    builtin!("open", b_open),
    builtin!("dict.fromkeys", b_fromkeys),
];

/// The built-in types by name.
static TYPES: &[(&str, TypeKind)] = &[
    ("int", TypeKind::Int),
    ("float", TypeKind::Float),
    ("str", TypeKind::Str),
    ("bool", TypeKind::Bool),
    ("bytes", TypeKind::Bytes),
    ("list", TypeKind::List),
    ("tuple", TypeKind::Tuple),
    ("dict", TypeKind::Dict),
    ("set", TypeKind::Set),
    ("frozenset", TypeKind::Set),
    ("type", TypeKind::Type),
    ("object", TypeKind::Object),
    ("slice", TypeKind::Slice),
];

/// The value a global name falls back to when not assigned (builtins).
pub fn builtin_value(name: &str) -> Option<Value> {
    if let Some(b) = FUNCS.iter().find(|b| b.name == name) {
        return Some(Value::Builtin(b));
    }
    if let Some((_, t)) = TYPES.iter().find(|(n, _)| *n == name) {
        return Some(Value::Type(*t));
    }
    match name {
        "None" => Some(Value::None),
        "__name__" => Some(Value::str("__main__")),
        _ => (is_builtin_class(name) && name != "JSONDecodeError")
            .then(|| Value::ExcClass(builtin_class(name))),
    }
}

pub fn type_attr(t: TypeKind, name: &str) -> Option<Value> {
    match (t, name) {
        (TypeKind::Dict, "fromkeys") => FUNCS
            .iter()
            .find(|b| b.name == "dict.fromkeys")
            .map(Value::Builtin),
        _ => {
            // `str.encode`, `dict.get`, ...: an unbound method, called as `method(self, *args)`.
            method(name, type_bit(t))
                .map(|_| Value::BoundMethod(Rc::new((Value::Type(t), Rc::from(name)))))
        }
    }
}

/// Calls an unbound method of a built-in type: `str.upper('a')` is `'a'.upper()`.
#[cold]
#[inline(never)]
fn call_unbound(
    p: &mut Process,
    h: &mut dyn Host,
    t: TypeKind,
    name: &str,
    mut args: Vec<Value>,
    kwargs: Kw,
) -> R {
    if args.is_empty() {
        return Err(Exception::type_error_fmt(format_args!(
            "unbound method {}.{}() needs an argument",
            t.name(),
            name
        )));
    }
    let recv = args.remove(0);
    let bit = type_bit(t);
    if bit == 0 || bit != kind_bit(&recv) {
        return Err(Exception::type_error_fmt(format_args!(
            "descriptor '{}' for '{}' objects doesn't apply to a '{}' object",
            name,
            t.name(),
            recv.type_name()
        )));
    }
    call_method(p, h, &recv, name, args, kwargs)
}

pub(crate) fn kwarg(kwargs: &Kw, name: &str) -> Option<Value> {
    kwargs
        .iter()
        .find(|(k, _)| &**k == name)
        .map(|(_, v)| v.clone())
}

/// `f() got an unexpected keyword argument 'k'`.
#[cold]
#[inline(never)]
pub(crate) fn unexpected_kw(fname: &str, k: &str) -> Exception {
    Exception::type_error_fmt(format_args!(
        "{}() got an unexpected keyword argument '{}'",
        fname, k
    ))
}

fn no_kwargs(fname: &str, kwargs: &Kw) -> Result<(), Exception> {
    if let Some((k, _)) = kwargs.first() {
        return Err(unexpected_kw(fname, k));
    }
    Ok(())
}

fn nargs(fname: &str, args: &[Value], min: usize, max: usize) -> Result<(), Exception> {
    let n = args.len();
    if n < min || n > max {
        // One message builder: `f() takes exactly 1 argument (2 given)`,
        // `f expected at least 2 arguments, got 1`, `f expected at most 3 arguments, got 4`.
        let (what, k, open, close) = if min == max {
            ("() takes exactly ", min, " (", " given)")
        } else if n < min {
            (" expected at least ", min, ", got ", "")
        } else {
            (" expected at most ", max, ", got ", "")
        };
        return Err(Exception::type_error_fmt(format_args!(
            "{}{}{} argument{}{}{}{}",
            fname,
            what,
            k,
            if k == 1 { "" } else { "s" },
            open,
            n,
            close
        )));
    }
    Ok(())
}

fn int_arg(v: &Value, what: &str) -> Result<i64, Exception> {
    v.as_int().ok_or_else(|| {
        Exception::type_error_fmt(format_args!(
            "'{}' object cannot be interpreted as an integer{}",
            v.type_name(),
            what
        ))
    })
}

pub fn make_iter(v: &Value) -> R {
    let st = match v {
        Value::List(_) | Value::Tuple(_) | Value::Bytes(_) => IterState::Seq {
            seq: v.clone(),
            idx: 0,
        },
        Value::Str(s) => IterState::Chars {
            s: s.clone(),
            pos: 0,
        },
        Value::Range(r) => IterState::Range {
            cur: r.0,
            stop: r.1,
            step: r.2,
        },
        Value::Dict(d) | Value::Set(d) => IterState::Items {
            items: d.borrow().keys(),
            idx: 0,
        },
        Value::View(v) => IterState::Items {
            items: crate::value::view_items(v.0, &v.1.borrow()),
            idx: 0,
        },
        Value::Record(r) => IterState::Items {
            items: r.values(),
            idx: 0,
        },
        Value::Iter(_) => return Ok(v.clone()),
        Value::Host(h) => IterState::Host((**h).clone()),
        other => {
            return Err(Exception::type_error_fmt(format_args!(
                "'{}' object is not iterable",
                other.type_name()
            )))
        }
    };
    Ok(Value::Iter(Rc::new(RefCell::new(st))))
}

fn items_iter(items: Vec<Value>) -> Value {
    Value::Iter(Rc::new(RefCell::new(IterState::Items { items, idx: 0 })))
}

// ---------------- functions ----------------

fn b_print(p: &mut Process, h: &mut dyn Host, args: Vec<Value>, kwargs: Kw) -> R {
    let mut sep: &str = " ";
    let mut end: &str = "\n";
    for (k, v) in &kwargs {
        match (&**k, v) {
            ("sep", Value::Str(s)) => sep = s,
            ("sep", Value::None) => {}
            ("end", Value::Str(s)) => end = s,
            ("end", Value::None) => {}
            ("flush", _) | ("file", _) => {}
            ("sep", o) | ("end", o) => {
                return Err(Exception::type_error_fmt(format_args!(
                    "{} must be None or a string, not {}",
                    k,
                    o.type_name()
                )))
            }
            _ => {
                return Err(Exception::type_error_fmt(format_args!(
                    "'{}' is an invalid keyword argument for print()",
                    k
                )))
            }
        }
    }
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(&p.str_of(h, a));
        p.limits.check_str(out.len())?;
    }
    out.push_str(end);
    h.print(&out);
    Ok(Value::None)
}

fn b_len(_p: &mut Process, _h: &mut dyn Host, args: Vec<Value>, kwargs: Kw) -> R {
    no_kwargs("len", &kwargs)?;
    nargs("len", &args, 1, 1)?;
    let n = match &args[0] {
        Value::Str(s) => {
            if s.is_ascii() {
                s.len()
            } else {
                s.chars().count()
            }
        }
        Value::Bytes(b) => b.len(),
        Value::List(l) => l.borrow().len(),
        Value::Tuple(t) => t.len(),
        Value::Dict(d) | Value::Set(d) => d.borrow().len(),
        Value::Range(r) => range_len(r.0, r.1, r.2).max(0) as usize,
        Value::Record(r) => r.fields.len(),
        Value::View(v) => v.1.borrow().len(),
        other => {
            return Err(Exception::type_error_fmt(format_args!(
                "object of type '{}' has no len()",
                other.type_name()
            )))
        }
    };
    Ok(Value::Int(n as i64))
}

fn b_range(_p: &mut Process, _h: &mut dyn Host, args: Vec<Value>, kwargs: Kw) -> R {
    no_kwargs("range", &kwargs)?;
    nargs("range", &args, 1, 3)?;
    let mut ints = Vec::with_capacity(args.len());
    for a in &args {
        ints.push(int_arg(a, "")?);
    }
    let (start, stop, step) = match ints.as_slice() {
        [s] => (0, *s, 1),
        [a, b] => (*a, *b, 1),
        [a, b, c] => (*a, *b, *c),
        _ => (0, 0, 1),
    };
    if step == 0 {
        return Err(Exception::value_error("range() arg 3 must not be zero"));
    }
    Ok(Value::Range(Rc::new((start, stop, step))))
}

/// Stable merge sort with a fallible `less than`.
fn merge_sort(
    items: Vec<(Value, Value)>,
    lt: &mut dyn FnMut(&Value, &Value) -> Result<bool, Exception>,
) -> Result<Vec<(Value, Value)>, Exception> {
    if items.len() <= 1 {
        return Ok(items);
    }
    let mut items = items;
    let right = items.split_off(items.len() / 2);
    let left = merge_sort(items, lt)?;
    let right = merge_sort(right, lt)?;
    let mut out = Vec::with_capacity(left.len() + right.len());
    let mut r = right.into_iter();
    let mut head = r.next();
    for a in left {
        // Right items smaller than `a` go first (ties keep the left one first: stable).
        while let Some(b) = head.take() {
            if lt(&b.0, &a.0)? {
                out.push(b);
                head = r.next();
            } else {
                head = Some(b);
                break;
            }
        }
        out.push(a);
    }
    out.extend(head);
    out.extend(r);
    Ok(out)
}

pub fn sort_values(
    p: &mut Process,
    h: &mut dyn Host,
    items: Vec<Value>,
    key: Option<Value>,
    reverse: bool,
) -> Result<Vec<Value>, Exception> {
    let mut pairs = Vec::with_capacity(items.len());
    for v in items {
        let k = match &key {
            Some(f) if !f.is_none() => p.call_value(h, f, vec![v.clone()])?,
            _ => v.clone(),
        };
        pairs.push((k, v));
    }
    if reverse {
        pairs.reverse();
    }
    let mut lt = |a: &Value, b: &Value| ops::compare(CmpOp::Lt, a, b);
    let mut sorted = merge_sort(pairs, &mut lt)?;
    if reverse {
        sorted.reverse();
    }
    let mut out = Vec::with_capacity(sorted.len());
    for (_, v) in sorted {
        out.push(v);
    }
    Ok(out)
}

fn b_sorted(p: &mut Process, h: &mut dyn Host, args: Vec<Value>, kwargs: Kw) -> R {
    nargs("sorted", &args, 1, 1)?;
    let items = p.collect(h, &args[0])?;
    let key = kwarg(&kwargs, "key");
    let reverse = kwarg(&kwargs, "reverse")
        .map(|v| v.truthy())
        .unwrap_or(false);
    for (k, _) in &kwargs {
        if &**k != "key" && &**k != "reverse" {
            return Err(unexpected_kw("sorted", k));
        }
    }
    Ok(Value::list(sort_values(p, h, items, key, reverse)?))
}

fn b_reversed(p: &mut Process, h: &mut dyn Host, args: Vec<Value>, kwargs: Kw) -> R {
    no_kwargs("reversed", &kwargs)?;
    nargs("reversed", &args, 1, 1)?;
    match &args[0] {
        Value::List(_)
        | Value::Tuple(_)
        | Value::Str(_)
        | Value::Range(_)
        | Value::Bytes(_)
        | Value::Dict(_) => {
            let mut items = p.collect(h, &args[0])?;
            items.reverse();
            Ok(items_iter(items))
        }
        other => Err(Exception::type_error_fmt(format_args!(
            "'{}' object is not reversible",
            other.type_name()
        ))),
    }
}

fn b_enumerate(_p: &mut Process, _h: &mut dyn Host, args: Vec<Value>, kwargs: Kw) -> R {
    nargs("enumerate", &args, 1, 2)?;
    let start = match args.get(1).cloned().or_else(|| kwarg(&kwargs, "start")) {
        Some(v) => int_arg(&v, "")?,
        None => 0,
    };
    let inner = make_iter(&args[0])?;
    Ok(Value::Iter(Rc::new(RefCell::new(IterState::Enumerate {
        inner,
        count: start,
    }))))
}

fn b_zip(_p: &mut Process, _h: &mut dyn Host, args: Vec<Value>, kwargs: Kw) -> R {
    no_kwargs("zip", &kwargs)?;
    let mut iters = Vec::with_capacity(args.len());
    for a in &args {
        iters.push(make_iter(a)?);
    }
    if iters.is_empty() {
        return Ok(items_iter(vec![]));
    }
    Ok(Value::Iter(Rc::new(RefCell::new(IterState::Zip(iters)))))
}

fn minmax(p: &mut Process, h: &mut dyn Host, args: Vec<Value>, kwargs: Kw, is_max: bool) -> R {
    let fname = if is_max { "max" } else { "min" };
    let key = kwarg(&kwargs, "key").filter(|f| !f.is_none());
    let items = match args.len() {
        0 => {
            return Err(Exception::type_error_fmt(format_args!(
                "{} expected at least 1 argument, got 0",
                fname
            )))
        }
        1 => p.collect(h, &args[0])?,
        _ => args,
    };
    let op = if is_max { CmpOp::Gt } else { CmpOp::Lt };
    let mut best: Option<(Value, Value)> = None;
    for v in items {
        let k = match &key {
            Some(f) => p.call_value(h, f, vec![v.clone()])?,
            None => v.clone(),
        };
        let better = match &best {
            None => true,
            Some((bk, _)) => ops::compare(op, &k, bk)?,
        };
        if better {
            best = Some((k, v));
        }
    }
    match best {
        Some((_, v)) => Ok(v),
        None => kwarg(&kwargs, "default").ok_or_else(|| {
            Exception::value_error_fmt(format_args!("{}() arg is an empty sequence", fname))
        }),
    }
}

fn b_min(p: &mut Process, h: &mut dyn Host, args: Vec<Value>, kwargs: Kw) -> R {
    minmax(p, h, args, kwargs, false)
}
fn b_max(p: &mut Process, h: &mut dyn Host, args: Vec<Value>, kwargs: Kw) -> R {
    minmax(p, h, args, kwargs, true)
}

fn b_sum(p: &mut Process, h: &mut dyn Host, args: Vec<Value>, kwargs: Kw) -> R {
    nargs("sum", &args, 1, 2)?;
    let mut acc = args
        .get(1)
        .cloned()
        .or_else(|| kwarg(&kwargs, "start"))
        .unwrap_or(Value::Int(0));
    if let Value::Str(_) = acc {
        return Err(Exception::type_error(
            "sum() can't sum strings [use ''.join(seq) instead]",
        ));
    }
    for v in p.collect(h, &args[0])? {
        acc = ops::binary(&p.limits, BinOp::Add, &acc, &v, &mut |r| h.repr(r))?;
    }
    Ok(acc)
}

fn b_abs(_p: &mut Process, _h: &mut dyn Host, args: Vec<Value>, _k: Kw) -> R {
    nargs("abs", &args, 1, 1)?;
    match &args[0] {
        Value::Int(i) => Ok(Value::Int(i.checked_abs().ok_or_else(ops::overflow)?)),
        Value::Bool(b) => Ok(Value::Int(*b as i64)),
        Value::Float(f) => Ok(Value::Float(f.abs())),
        Value::Native(n) => match &**n {
            Native::Timedelta { us } => Ok(Value::Native(Rc::new(Native::Timedelta {
                us: us.saturating_abs(),
            }))),
            _ => Err(Exception::type_error(
                "bad operand type for abs(): 'datetime'",
            )),
        },
        other => Err(Exception::type_error_fmt(format_args!(
            "bad operand type for abs(): '{}'",
            other.type_name()
        ))),
    }
}

fn float_to_int(f: f64) -> Result<i64, Exception> {
    if f.is_nan() {
        return Err(Exception::value_error(
            "cannot convert float NaN to integer",
        ));
    }
    if f.is_infinite() {
        return Err(Exception::builtin(
            "OverflowError",
            "cannot convert float infinity to integer",
        ));
    }
    if !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f) {
        return Err(ops::overflow());
    }
    Ok(f as i64)
}

fn b_round(_p: &mut Process, _h: &mut dyn Host, args: Vec<Value>, kwargs: Kw) -> R {
    nargs("round", &args, 1, 2)?;
    let nd = args
        .get(1)
        .cloned()
        .or_else(|| kwarg(&kwargs, "ndigits"))
        .filter(|v| !v.is_none());
    match (&args[0], nd) {
        (x @ (Value::Int(_) | Value::Bool(_)), None) => Ok(Value::Int(x.as_int().unwrap_or(0))),
        (Value::Float(f), None) => Ok(Value::Int(float_to_int(f.round_ties_even())?)),
        (Value::Int(i), Some(n)) => {
            let n = int_arg(&n, "")?;
            if n >= 0 {
                return Ok(Value::Int(*i));
            }
            if n < -18 {
                return Ok(Value::Int(0));
            }
            let m = 10i64.pow((-n) as u32);
            let q = ops::floor_div_i(*i, m)?;
            let r = i - q * m;
            let half = m / 2;
            let q = if r > half || (r == half && q % 2 != 0) {
                q + 1
            } else {
                q
            };
            Ok(Value::Int(q.checked_mul(m).ok_or_else(ops::overflow)?))
        }
        (Value::Float(f), Some(n)) => {
            let n = int_arg(&n, "")?;
            if !f.is_finite() {
                return Ok(Value::Float(*f));
            }
            if n > 300 {
                return Ok(Value::Float(*f));
            }
            if n >= 0 {
                let s = format!("{:.*}", n as usize, f);
                Ok(Value::Float(
                    crate::float_parse::parse_float(&s).unwrap_or(*f),
                ))
            } else {
                let m = 10f64.powi((-n) as i32);
                let r = (f / m).round_ties_even() * m;
                Ok(Value::Float(if r.is_finite() { r } else { 0.0 }))
            }
        }
        (other, _) => Err(Exception::type_error_fmt(format_args!(
            "type {} doesn't define __round__ method",
            other.type_name()
        ))),
    }
}

#[allow(clippy::match_like_matches_macro)]
pub fn isinstance(v: &Value, t: &Value) -> Result<bool, Exception> {
    Ok(match t {
        Value::Tuple(ts) => {
            for x in ts.iter() {
                if isinstance(v, x)? {
                    return Ok(true);
                }
            }
            false
        }
        Value::Type(k) => match (k, v) {
            (TypeKind::Int, Value::Int(_) | Value::Bool(_)) => true,
            (TypeKind::Bool, Value::Bool(_)) => true,
            (TypeKind::Float, Value::Float(_)) => true,
            (TypeKind::Str, Value::Str(_)) => true,
            (TypeKind::Bytes, Value::Bytes(_)) => true,
            (TypeKind::List, Value::List(_)) => true,
            (TypeKind::Tuple, Value::Tuple(_) | Value::Record(_)) => true,
            (TypeKind::Dict, Value::Dict(_)) => true,
            (TypeKind::Set, Value::Set(_)) => true,
            (TypeKind::Object, _) => true,
            (TypeKind::Type, Value::Type(_) | Value::ExcClass(_) | Value::HostFunction(_)) => true,
            _ => false,
        },
        Value::ExcClass(c) => matches!(v, Value::Exception(e) if e.is_instance(c)),
        Value::HostFunction(h) => match v {
            Value::Host(x) => x.class == h.class,
            Value::Record(r) => r.class == h.class,
            _ => false,
        },
        _ => {
            return Err(Exception::type_error(
                "isinstance() arg 2 must be a type, a tuple of types, or a union",
            ))
        }
    })
}

fn b_isinstance(_p: &mut Process, _h: &mut dyn Host, args: Vec<Value>, _k: Kw) -> R {
    nargs("isinstance", &args, 2, 2)?;
    Ok(Value::Bool(isinstance(&args[0], &args[1])?))
}

/// `issubclass(cls, classinfo)` for built-in types, exception classes and host classes.
fn issubclass(c: &Value, info: &Value) -> Result<bool, Exception> {
    Ok(match (c, info) {
        (_, Value::Tuple(ts)) => {
            for x in ts.iter() {
                if issubclass(c, x)? {
                    return Ok(true);
                }
            }
            false
        }
        (_, Value::Type(TypeKind::Object)) => true,
        (Value::Type(a), Value::Type(b)) => a == b || (*a == TypeKind::Bool && *b == TypeKind::Int),
        (Value::ExcClass(a), Value::ExcClass(b)) => a.is_subclass(b),
        (Value::HostFunction(a), Value::HostFunction(b)) => a.class == b.class,
        (_, Value::Type(_) | Value::ExcClass(_) | Value::HostFunction(_)) => false,
        _ => {
            return Err(Exception::type_error(
                "issubclass() arg 2 must be a class, a tuple of classes, or a union",
            ))
        }
    })
}

fn b_issubclass(_p: &mut Process, _h: &mut dyn Host, args: Vec<Value>, _k: Kw) -> R {
    if args.len() != 2 {
        return Err(Exception::type_error_fmt(format_args!(
            "issubclass expected 2 arguments, got {}",
            args.len()
        )));
    }
    if !matches!(
        args[0],
        Value::Type(_) | Value::ExcClass(_) | Value::HostFunction(_)
    ) {
        return Err(Exception::type_error("issubclass() arg 1 must be a class"));
    }
    Ok(Value::Bool(issubclass(&args[0], &args[1])?))
}

fn b_repr(p: &mut Process, h: &mut dyn Host, args: Vec<Value>, _k: Kw) -> R {
    nargs("repr", &args, 1, 1)?;
    Ok(Value::string(p.repr(h, &args[0])))
}

fn b_any(p: &mut Process, h: &mut dyn Host, args: Vec<Value>, _k: Kw) -> R {
    any_all(p, h, args, false)
}

fn b_all(p: &mut Process, h: &mut dyn Host, args: Vec<Value>, _k: Kw) -> R {
    any_all(p, h, args, true)
}

fn any_all(p: &mut Process, h: &mut dyn Host, args: Vec<Value>, all: bool) -> R {
    nargs(if all { "all" } else { "any" }, &args, 1, 1)?;
    let items = p.collect(h, &args[0])?;
    Ok(Value::Bool(items.iter().any(|v| v.truthy() != all) != all))
}

fn b_map(p: &mut Process, h: &mut dyn Host, args: Vec<Value>, _k: Kw) -> R {
    if args.len() < 2 {
        return Err(Exception::type_error(
            "map() must have at least two arguments.",
        ));
    }
    let f = args[0].clone();
    let mut lists = Vec::with_capacity(args.len());
    for a in args.get(1..).unwrap_or_default() {
        lists.push(p.collect(h, a)?);
    }
    let n = lists.iter().map(|l| l.len()).min().unwrap_or(0);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let mut call_args = Vec::with_capacity(lists.len());
        for l in &lists {
            call_args.push(l[i].clone());
        }
        out.push(p.call_value(h, &f, call_args)?);
    }
    Ok(items_iter(out))
}

fn b_filter(p: &mut Process, h: &mut dyn Host, args: Vec<Value>, _k: Kw) -> R {
    nargs("filter", &args, 2, 2)?;
    let f = args[0].clone();
    let mut out = Vec::new();
    for v in p.collect(h, &args[1])? {
        let keep = if f.is_none() {
            v.truthy()
        } else {
            p.call_value(h, &f, vec![v.clone()])?.truthy()
        };
        if keep {
            out.push(v);
        }
    }
    Ok(items_iter(out))
}

fn b_divmod(p: &mut Process, h: &mut dyn Host, args: Vec<Value>, _k: Kw) -> R {
    nargs("divmod", &args, 2, 2)?;
    let q = ops::binary(&p.limits, BinOp::FloorDiv, &args[0], &args[1], &mut |r| {
        h.repr(r)
    })?;
    let m = ops::binary(&p.limits, BinOp::Mod, &args[0], &args[1], &mut |r| {
        h.repr(r)
    })?;
    Ok(Value::tuple(vec![q, m]))
}

fn b_pow(p: &mut Process, h: &mut dyn Host, args: Vec<Value>, _k: Kw) -> R {
    nargs("pow", &args, 2, 3)?;
    if let Some(m) = args.get(2) {
        let (b, e, m) = (
            int_arg(&args[0], "")?,
            int_arg(&args[1], "")?,
            int_arg(m, "")?,
        );
        if m == 0 {
            return Err(Exception::value_error("pow() 3rd argument cannot be 0"));
        }
        if e < 0 {
            return Err(Exception::value_error(
                "negative exponents with a modulus are not supported in the playground",
            ));
        }
        let mut result: i128 = 1;
        let mut base = (b as i128).rem_euclid(m as i128);
        let mut e = e;
        let mm = m as i128;
        while e > 0 {
            if e & 1 == 1 {
                result = (result * base).rem_euclid(mm);
            }
            base = (base * base).rem_euclid(mm);
            e >>= 1;
        }
        let r = result as i64;
        return Ok(Value::Int(if m < 0 && r > 0 { r + m } else { r }));
    }
    ops::binary(&p.limits, BinOp::Pow, &args[0], &args[1], &mut |r| {
        h.repr(r)
    })
}

fn radix(args: &[Value], name: &str, prefix: &str, base: u32) -> R {
    nargs(name, args, 1, 1)?;
    let i = int_arg(&args[0], "")?;
    let mut out = String::from(if i < 0 { "-" } else { "" });
    out.push_str(prefix);
    out.push_str(&crate::format::to_radix(i.unsigned_abs(), base, false));
    Ok(Value::string(out))
}

fn b_hex(_p: &mut Process, _h: &mut dyn Host, args: Vec<Value>, _k: Kw) -> R {
    radix(&args, "hex", "0x", 16)
}
fn b_oct(_p: &mut Process, _h: &mut dyn Host, args: Vec<Value>, _k: Kw) -> R {
    radix(&args, "oct", "0o", 8)
}
fn b_bin(_p: &mut Process, _h: &mut dyn Host, args: Vec<Value>, _k: Kw) -> R {
    radix(&args, "bin", "0b", 2)
}

fn b_ord(_p: &mut Process, _h: &mut dyn Host, args: Vec<Value>, _k: Kw) -> R {
    nargs("ord", &args, 1, 1)?;
    match &args[0] {
        Value::Str(s) => {
            let mut it = s.chars();
            match (it.next(), it.next()) {
                (Some(c), None) => Ok(Value::Int(c as i64)),
                _ => Err(Exception::type_error_fmt(format_args!(
                    "ord() expected a character, but string of length {} found",
                    s.chars().count()
                ))),
            }
        }
        Value::Bytes(b) if b.len() == 1 => Ok(Value::Int(b[0] as i64)),
        other => Err(Exception::type_error_fmt(format_args!(
            "ord() expected string of length 1, but {} found",
            other.type_name()
        ))),
    }
}

fn b_chr(_p: &mut Process, _h: &mut dyn Host, args: Vec<Value>, _k: Kw) -> R {
    nargs("chr", &args, 1, 1)?;
    let i = int_arg(&args[0], "")?;
    let c = u32::try_from(i)
        .ok()
        .and_then(char::from_u32)
        .ok_or_else(|| Exception::value_error("chr() arg not in range(0x110000)"))?;
    Ok(Value::string(c.to_string()))
}

fn b_iter(_p: &mut Process, _h: &mut dyn Host, args: Vec<Value>, _k: Kw) -> R {
    nargs("iter", &args, 1, 1)?;
    make_iter(&args[0])
}

fn b_next(p: &mut Process, h: &mut dyn Host, args: Vec<Value>, _k: Kw) -> R {
    nargs("next", &args, 1, 2)?;
    if !matches!(args[0], Value::Iter(_)) {
        return Err(Exception::type_error_fmt(format_args!(
            "'{}' object is not an iterator",
            args[0].type_name()
        )));
    }
    match p.iter_next(h, &args[0])? {
        crate::vm::IterNext::Item(v) => Ok(v),
        crate::vm::IterNext::Done => match args.get(1) {
            Some(d) => Ok(d.clone()),
            None => Err(Exception::with_args(
                &builtin_class("StopIteration"),
                vec![],
            )),
        },
        crate::vm::IterNext::Block(_) => Err(Exception::builtin(
            "RuntimeError",
            "next() on a blocking host iterator is not supported: use a for loop",
        )),
    }
}

fn b_hash(_p: &mut Process, _h: &mut dyn Host, args: Vec<Value>, _k: Kw) -> R {
    nargs("hash", &args, 1, 1)?;
    use std::hash::{Hash, Hasher};
    let k = crate::value::HKey::of(&args[0])?;
    if let crate::value::HKey::Int(i) = k {
        return Ok(Value::Int(if i == -1 { -2 } else { i }));
    }
    let mut hs = crate::value::FxHasher::default();
    k.hash(&mut hs);
    Ok(Value::Int((hs.finish() >> 2) as i64))
}

fn b_callable(_p: &mut Process, _h: &mut dyn Host, args: Vec<Value>, _k: Kw) -> R {
    nargs("callable", &args, 1, 1)?;
    Ok(Value::Bool(matches!(
        args[0],
        Value::Function(_)
            | Value::Builtin(_)
            | Value::BoundMethod(_)
            | Value::Type(_)
            | Value::ExcClass(_)
            | Value::HostFunction(_)
            | Value::HostMethod(_)
    )))
}

fn b_getattr(p: &mut Process, h: &mut dyn Host, args: Vec<Value>, _k: Kw) -> R {
    get_has_attr(p, h, args, false)
}

fn b_hasattr(p: &mut Process, h: &mut dyn Host, args: Vec<Value>, _k: Kw) -> R {
    get_has_attr(p, h, args, true)
}

/// `getattr(obj, name[, default])` and `hasattr(obj, name)`.
fn get_has_attr(p: &mut Process, h: &mut dyn Host, args: Vec<Value>, has: bool) -> R {
    if has {
        nargs("hasattr", &args, 2, 2)?;
    } else {
        nargs("getattr", &args, 2, 3)?;
    }
    let name = args[1]
        .as_str()
        .ok_or_else(|| Exception::type_error("attribute name must be string"))?;
    match p.get_attr(h, &args[0], name) {
        Ok(v) => Ok(if has { Value::Bool(true) } else { v }),
        Err(e) if e.is_a("AttributeError") && (has || args.len() == 3) => {
            Ok(args.get(2).cloned().unwrap_or(Value::Bool(false)))
        }
        Err(e) => Err(e),
    }
}

fn b_format(_p: &mut Process, h: &mut dyn Host, args: Vec<Value>, _k: Kw) -> R {
    nargs("format", &args, 1, 2)?;
    let spec = args.get(1).and_then(|s| s.as_str()).unwrap_or("");
    Ok(Value::string(crate::format::format_value(
        &args[0],
        spec,
        &mut |r| h.repr(r),
    )?))
}

fn b_input(_p: &mut Process, _h: &mut dyn Host, _a: Vec<Value>, _k: Kw) -> R {
    Err(Exception::builtin(
        "RuntimeError",
        "input() is not supported in the playground",
    ))
}

fn b_open(_p: &mut Process, _h: &mut dyn Host, _a: Vec<Value>, _k: Kw) -> R {
    Err(Exception::builtin(
        "RuntimeError",
        "files are not available in the playground",
    ))
}

fn b_fromkeys(p: &mut Process, h: &mut dyn Host, args: Vec<Value>, _k: Kw) -> R {
    nargs("fromkeys", &args, 1, 2)?;
    let v = args.get(1).cloned().unwrap_or(Value::None);
    let mut d = Dict::new();
    for k in p.collect(h, &args[0])? {
        d.insert(k, v.clone())?;
    }
    Ok(Value::Dict(Rc::new(RefCell::new(d))))
}

// ---------------- constructors ----------------

pub fn parse_int(s: &str, base: i64) -> Option<i64> {
    let t = s.trim();
    let (neg, body) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let lower = body.to_ascii_lowercase();
    let l: &str = &lower;
    let (base, digits) = match base {
        0 => {
            if let Some(r) = l.strip_prefix("0x") {
                (16, r)
            } else if let Some(r) = l.strip_prefix("0o") {
                (8, r)
            } else if let Some(r) = l.strip_prefix("0b") {
                (2, r)
            } else {
                if l.len() > 1 && l.starts_with('0') && l.chars().any(|c| c != '0' && c != '_') {
                    return None;
                }
                (10, l)
            }
        }
        16 => (16, l.strip_prefix("0x").unwrap_or(l)),
        8 => (8, l.strip_prefix("0o").unwrap_or(l)),
        2 => (2, l.strip_prefix("0b").unwrap_or(l)),
        b => (b, l),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let clean = digits.replace('_', "");
    if !(2..=36).contains(&base)
        || clean.is_empty()
        || !clean.chars().all(|c| c.is_digit(base as u32))
    {
        return None;
    }
    let v = i64::from_str_radix(&clean, base as u32).ok()?;
    Some(if neg { -v } else { v })
}

fn parse_float(s: &str) -> Option<f64> {
    let t = s.trim();
    let l = t.to_ascii_lowercase();
    let (neg, body) = match l.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, l.strip_prefix('+').unwrap_or(&l)),
    };
    let v = match body {
        "inf" | "infinity" => f64::INFINITY,
        "nan" => f64::NAN,
        _ => {
            if body.is_empty()
                || !body
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | '_' | '+' | '-'))
            {
                return None;
            }
            if body.starts_with('_')
                || body.ends_with('_')
                || body.contains("__")
                || body.contains("._")
                || body.contains("_.")
            {
                return None;
            }
            let clean = body.replace('_', "");
            crate::float_parse::parse_float(&clean)?
        }
    };
    Some(if neg { -v } else { v })
}

/// The text of a str, or of bytes decoded as UTF-8 with replacement.
fn text_of(v: &Value) -> String {
    match v {
        Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        _ => v.as_str().unwrap_or("").to_string(),
    }
}

pub fn construct(
    p: &mut Process,
    h: &mut dyn Host,
    t: TypeKind,
    args: Vec<Value>,
    kwargs: Kw,
) -> R {
    let name = t.name();
    match t {
        TypeKind::Int => {
            let base = args.get(1).cloned().or_else(|| kwarg(&kwargs, "base"));
            let Some(x) = args.first() else {
                return Ok(Value::Int(0));
            };
            if let Some(b) = base {
                let b = int_arg(&b, "")?;
                if b != 0 && !(2..=36).contains(&b) {
                    return Err(Exception::value_error(
                        "int() base must be >= 2 and <= 36, or 0",
                    ));
                }
                if !matches!(x, Value::Str(_) | Value::Bytes(_)) {
                    return Err(Exception::type_error(
                        "int() can't convert non-string with explicit base",
                    ));
                }
                let s = text_of(x);
                return parse_int(&s, b).map(Value::Int).ok_or_else(|| {
                    Exception::value_error_fmt(format_args!(
                        "invalid literal for int() with base {}: {}",
                        b,
                        crate::format::str_repr(&s)
                    ))
                });
            }
            match x {
                Value::Int(i) => Ok(Value::Int(*i)),
                Value::Bool(b) => Ok(Value::Int(*b as i64)),
                Value::Float(f) => Ok(Value::Int(float_to_int(f.trunc())?)),
                Value::Str(_) | Value::Bytes(_) => {
                    let s = text_of(x);
                    parse_int(&s, 10).map(Value::Int).ok_or_else(|| {
                        let t = s.trim();
                        if matches!(x, Value::Str(_)) && t.chars().all(|c| c.is_ascii_digit() || c == '-' || c == '+' || c == '_') && !t.is_empty() && t.len() > 18 {
                            ops::overflow()
                        } else {
                            Exception::value_error_fmt(format_args!("invalid literal for int() with base 10: {}", crate::format::repr(x)))
                        }
                    })
                }
                other => Err(Exception::type_error_fmt(format_args!(
                    "int() argument must be a string, a bytes-like object or a real number, not '{}'",
                    other.type_name()
                ))),
            }
        }
        TypeKind::Float => match args.first() {
            None => Ok(Value::Float(0.0)),
            Some(x @ (Value::Str(_) | Value::Bytes(_))) => {
                parse_float(&text_of(x)).map(Value::Float).ok_or_else(|| {
                    Exception::value_error_fmt(format_args!(
                        "could not convert string to float: {}",
                        crate::format::repr(x)
                    ))
                })
            }
            Some(v) => v.as_float().map(Value::Float).ok_or_else(|| {
                Exception::type_error_fmt(format_args!(
                    "float() argument must be a string or a real number, not '{}'",
                    v.type_name()
                ))
            }),
        },
        TypeKind::Str => match args.as_slice() {
            [] => Ok(Value::str("")),
            [v] => Ok(Value::string(p.str_of(h, v))),
            [Value::Bytes(b), ..] => decode(b, args.get(1), args.get(2)),
            _ => Err(Exception::type_error("decoding str is not supported")),
        },
        TypeKind::Bool => Ok(Value::Bool(
            args.first().map(|v| v.truthy()).unwrap_or(false),
        )),
        TypeKind::Bytes => match args.first() {
            None => Ok(Value::bytes(b"")),
            Some(Value::Str(s)) => {
                if args.len() < 2 && kwarg(&kwargs, "encoding").is_none() {
                    return Err(Exception::type_error("string argument without an encoding"));
                }
                Ok(Value::bytes(s.as_bytes()))
            }
            Some(Value::Int(n)) => {
                if *n < 0 {
                    return Err(Exception::value_error("negative count"));
                }
                p.limits.check_str(*n as usize)?;
                Ok(Value::bytes(&vec![0u8; *n as usize]))
            }
            Some(Value::Bytes(b)) => Ok(Value::Bytes(b.clone())),
            Some(v) => {
                let items = p.collect(h, v)?;
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    let n = int_arg(&i, "")?;
                    if !(0..=255).contains(&n) {
                        return Err(Exception::value_error("bytes must be in range(0, 256)"));
                    }
                    out.push(n as u8);
                }
                Ok(Value::bytes(&out))
            }
        },
        TypeKind::List => match args.first() {
            None => Ok(Value::list(vec![])),
            Some(v) => Ok(Value::list(p.collect(h, v)?)),
        },
        TypeKind::Tuple => match args.first() {
            None => Ok(Value::tuple(vec![])),
            Some(Value::Tuple(t)) => Ok(Value::Tuple(t.clone())),
            Some(v) => Ok(Value::tuple(p.collect(h, v)?)),
        },
        TypeKind::Set => {
            let mut d = Dict::new();
            if let Some(v) = args.first() {
                for k in p.collect(h, v)? {
                    d.insert(k, Value::None)?;
                }
            }
            Ok(Value::Set(Rc::new(RefCell::new(d))))
        }
        TypeKind::Dict => {
            let mut d = Dict::new();
            if let Some(v) = args.first() {
                dict_update(p, h, &mut d, v)?;
            }
            for (k, v) in kwargs {
                d.insert(Value::str(&k), v)?;
            }
            Ok(Value::Dict(Rc::new(RefCell::new(d))))
        }
        TypeKind::Type => match args.as_slice() {
            [v] => Ok(type_of(v)),
            _ => Err(Exception::type_error(
                "type() takes 1 argument in the playground",
            )),
        },
        TypeKind::Object => Ok(Value::record("object", vec![])),
        _ => Err(Exception::type_error_fmt(format_args!(
            "cannot create '{}' instances",
            name
        ))),
    }
}

pub fn type_of(v: &Value) -> Value {
    match v {
        Value::None => Value::Type(TypeKind::NoneType),
        Value::Bool(_) => Value::Type(TypeKind::Bool),
        Value::Int(_) => Value::Type(TypeKind::Int),
        Value::Float(_) => Value::Type(TypeKind::Float),
        Value::Str(_) => Value::Type(TypeKind::Str),
        Value::Bytes(_) => Value::Type(TypeKind::Bytes),
        Value::List(_) => Value::Type(TypeKind::List),
        Value::Tuple(_) => Value::Type(TypeKind::Tuple),
        Value::Dict(_) => Value::Type(TypeKind::Dict),
        Value::Set(_) => Value::Type(TypeKind::Set),
        Value::Range(_) => Value::Type(TypeKind::Range),
        Value::Slice(_) => Value::Type(TypeKind::Slice),
        Value::Function(_) => Value::Type(TypeKind::Function),
        Value::Builtin(_) | Value::BoundMethod(_) => Value::Type(TypeKind::BuiltinFunction),
        Value::Module(_) => Value::Type(TypeKind::Module),
        Value::Type(_) | Value::ExcClass(_) | Value::HostFunction(_) => Value::Type(TypeKind::Type),
        Value::Exception(e) => Value::ExcClass(e.class().clone()),
        Value::Iter(_) => Value::Type(TypeKind::Iterator),
        Value::Unbound => Value::Type(TypeKind::NoneType),
        _ => Value::host_function(crate::value::HostRef {
            class: Rc::from(v.type_name()),
            id: u64::MAX,
        }),
    }
}

fn dict_update(
    p: &mut Process,
    h: &mut dyn Host,
    d: &mut Dict,
    v: &Value,
) -> Result<(), Exception> {
    if let Value::Dict(src) = v {
        for (k, x) in src.borrow().items() {
            d.insert(k, x)?;
        }
        return Ok(());
    }
    for (i, item) in p.collect(h, v)?.into_iter().enumerate() {
        let Some(pair) = item.as_seq() else {
            return Err(Exception::type_error_fmt(format_args!(
                "cannot convert dictionary update sequence element #{} to a sequence",
                i
            )));
        };
        if pair.len() != 2 {
            return Err(Exception::value_error_fmt(format_args!(
                "dictionary update sequence element #{} has length {}; 2 is required",
                i,
                pair.len()
            )));
        }
        let mut it = pair.into_iter();
        if let (Some(k), Some(x)) = (it.next(), it.next()) {
            d.insert(k, x)?;
        }
    }
    Ok(())
}

pub fn decode(b: &[u8], enc: Option<&Value>, errors: Option<&Value>) -> R {
    let enc = encoding_arg(enc);
    let errors = errors.and_then(|e| e.as_str()).unwrap_or("strict");
    match enc.as_str() {
        "utf-8" | "utf8" => match std::str::from_utf8(b) {
            Ok(s) => Ok(Value::str(s)),
            Err(e) => {
                if errors == "replace" || errors == "ignore" {
                    let s = String::from_utf8_lossy(b).into_owned();
                    return Ok(Value::string(if errors == "ignore" {
                        s.replace('\u{fffd}', "")
                    } else {
                        s
                    }));
                }
                let pos = e.valid_up_to();
                let byte = b.get(pos).copied().unwrap_or(0);
                let reason = if e.error_len().is_none() {
                    "unexpected end of data"
                } else if (0x80..0xc0).contains(&byte) {
                    "invalid start byte"
                } else {
                    "invalid continuation byte"
                };
                let last = match e.error_len() {
                    Some(n) => pos + n - 1,
                    None => b.len() - 1,
                };
                let range = if last > pos {
                    format!("-{}", last)
                } else {
                    String::new()
                };
                Err(Exception::builtin_fmt(
                    "UnicodeDecodeError",
                    format_args!(
                        "'utf-8' codec can't decode byte 0x{:02x} in position {}{}: {}",
                        byte, pos, range, reason
                    ),
                ))
            }
        },
        "ascii" => {
            if let Some(pos) = b.iter().position(|c| *c >= 0x80) {
                if errors == "strict" {
                    return Err(Exception::builtin_fmt(
                        "UnicodeDecodeError",
                        format_args!("'ascii' codec can't decode byte 0x{:02x} in position {}: ordinal not in range(128)", b[pos], pos),
                    ));
                }
            }
            let mut t = latin1_text(b);
            t.retain(|c| c.is_ascii());
            Ok(Value::str(&t))
        }
        "latin-1" | "latin1" | "iso-8859-1" => Ok(Value::str(&latin1_text(b))),
        other => Err(unknown_encoding(other)),
    }
}

// ---------------- methods ----------------

// Receiver kinds with built-in methods (bits of a method's mask).
const S: u8 = 1; // str
const BY: u8 = 2; // bytes
const L: u8 = 4; // list
const D: u8 = 8; // dict
const ST: u8 = 16; // set
const TU: u8 = 32; // tuple
const IN: u8 = 64; // int
const FL: u8 = 128; // float

macro_rules! methods {
    ($($id:ident $name:literal $mask:expr;)*) => {
        /// A built-in method name, resolved once per call from `METHODS`.
        #[derive(Clone, Copy, PartialEq, Eq, Debug)]
        enum M { $($id,)* }
        /// Every built-in method name, sorted for binary search, with the kinds that have it.
        static METHODS: &[(&str, M, u8)] = &[$(($name, M::$id, $mask)),*];
    };
}

methods! {
    Add "add" ST;
    Append "append" L;
    BitLength "bit_length" IN;
    Capitalize "capitalize" S;
    Casefold "casefold" S;
    Center "center" S;
    Clear "clear" L | D | ST;
    Copy "copy" L | D | ST;
    Count "count" S | BY | L | TU;
    Decode "decode" BY;
    Difference "difference" ST;
    Discard "discard" ST;
    Encode "encode" S;
    Endswith "endswith" S | BY;
    Extend "extend" L;
    Find "find" S | BY;
    Format "format" S;
    Get "get" D;
    Hex "hex" BY;
    Index "index" S | L | TU;
    Insert "insert" L;
    Intersection "intersection" ST;
    IsInteger "is_integer" FL;
    Isalnum "isalnum" S;
    Isalpha "isalpha" S;
    Isdecimal "isdecimal" S;
    Isdigit "isdigit" S;
    Isdisjoint "isdisjoint" ST;
    Islower "islower" S;
    Isnumeric "isnumeric" S;
    Isspace "isspace" S;
    Issubset "issubset" ST;
    Issuperset "issuperset" ST;
    Isupper "isupper" S;
    Items "items" D;
    Join "join" S;
    Keys "keys" D;
    Ljust "ljust" S;
    Lower "lower" S | BY;
    Lstrip "lstrip" S;
    Partition "partition" S;
    Pop "pop" L | D | ST;
    Popitem "popitem" D;
    Remove "remove" L | ST;
    Removeprefix "removeprefix" S;
    Removesuffix "removesuffix" S;
    Replace "replace" S | BY;
    Reverse "reverse" L;
    Rfind "rfind" S;
    Rindex "rindex" S;
    Rjust "rjust" S;
    Rpartition "rpartition" S;
    Rsplit "rsplit" S;
    Rstrip "rstrip" S;
    Setdefault "setdefault" D;
    Sort "sort" L;
    Split "split" S | BY;
    Splitlines "splitlines" S;
    Startswith "startswith" S | BY;
    Strip "strip" S | BY;
    Swapcase "swapcase" S;
    SymmetricDifference "symmetric_difference" ST;
    Title "title" S;
    ToBytes "to_bytes" IN;
    Union "union" ST;
    Update "update" D | ST;
    Upper "upper" S | BY;
    Values "values" D;
    Zfill "zfill" S;
}

/// The method-mask bit of a value's kind (0: no built-in methods).
fn kind_bit(v: &Value) -> u8 {
    match v {
        Value::Str(_) => S,
        Value::Bytes(_) => BY,
        Value::List(_) => L,
        Value::Dict(_) => D,
        Value::Set(_) => ST,
        Value::Tuple(_) => TU,
        Value::Int(_) => IN,
        Value::Float(_) => FL,
        _ => 0,
    }
}

/// The method-mask bit of a built-in type (0: no methods).
fn type_bit(t: TypeKind) -> u8 {
    match t {
        TypeKind::Str => S,
        TypeKind::Bytes => BY,
        TypeKind::List => L,
        TypeKind::Dict => D,
        TypeKind::Set => ST,
        TypeKind::Tuple => TU,
        TypeKind::Int => IN,
        TypeKind::Float => FL,
        _ => 0,
    }
}

/// The built-in method `name` of the kinds in `bit`, if any.
fn method(name: &str, bit: u8) -> Option<M> {
    let i = METHODS.binary_search_by(|e| e.0.cmp(name)).ok()?;
    let &(_, m, mask) = METHODS.get(i)?;
    (mask & bit != 0).then_some(m)
}

pub fn has_method(v: &Value, name: &str) -> bool {
    method(name, kind_bit(v)).is_some()
}

/// `'<type>' object has no attribute '<name>'`.
#[cold]
#[inline(never)]
pub(crate) fn no_attr(recv: &Value, name: &str) -> Exception {
    Exception::builtin_fmt(
        "AttributeError",
        format_args!("'{}' object has no attribute '{}'", recv.type_name(), name),
    )
}

fn str_arg<'a>(args: &'a [Value], i: usize, m: &str) -> Result<&'a str, Exception> {
    match args.get(i) {
        Some(Value::Str(s)) => Ok(s),
        Some(other) => Err(Exception::type_error_fmt(format_args!(
            "{}() argument must be str, not {}",
            m,
            other.type_name()
        ))),
        None => Err(Exception::type_error_fmt(format_args!(
            "{}() takes at least {} argument",
            m,
            i + 1
        ))),
    }
}

fn opt_int(args: &[Value], i: usize) -> Result<Option<i64>, Exception> {
    match args.get(i) {
        None | Some(Value::None) => Ok(None),
        Some(v) => Ok(Some(int_arg(v, "")?)),
    }
}

/// Positional argument `i`, else keyword `name`.
fn arg_or_kw(args: &[Value], i: usize, kwargs: &Kw, name: &str) -> Option<Value> {
    args.get(i).cloned().or_else(|| kwarg(kwargs, name))
}

fn char_range(s: &str, start: Option<i64>, end: Option<i64>) -> (usize, usize) {
    let n = s.chars().count() as i64;
    let norm = |v: i64| if v < 0 { (v + n).max(0) } else { v.min(n) };
    let a = start.map(norm).unwrap_or(0) as usize;
    let b = end.map(norm).unwrap_or(n) as usize;
    let to_byte = |ci: usize| s.char_indices().nth(ci).map(|(b, _)| b).unwrap_or(s.len());
    (to_byte(a), to_byte(b.max(a)))
}

fn byte_to_char(s: &str, b: usize) -> i64 {
    s[..b.min(s.len())].chars().count() as i64
}

/// Splits on runs of whitespace at most `maxsplit` times (all if negative), from the right if `rev`.
fn split_ws(s: &str, maxsplit: i64, rev: bool) -> Vec<Value> {
    let mut out = Vec::new();
    let mut rest = if rev { s.trim_end() } else { s.trim_start() };
    let mut n = 0;
    while !rest.is_empty() {
        if maxsplit >= 0 && n >= maxsplit {
            out.push(Value::str(if rev {
                rest.trim_start()
            } else {
                rest.trim_end()
            }));
            break;
        }
        if rev {
            let start = rest
                .char_indices()
                .rev()
                .find(|(_, c)| c.is_whitespace())
                .map_or(0, |(i, c)| i + c.len_utf8());
            out.push(Value::str(&rest[start..]));
            rest = rest[..start].trim_end();
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            out.push(Value::str(&rest[..end]));
            rest = rest[end..].trim_start();
        }
        n += 1;
    }
    if rev {
        out.reverse();
    }
    out
}

/// Splits on a non-empty `sep` at most `maxsplit` times (all if negative), from the right if `rev`.
fn split_sep(st: &str, sep: &str, maxsplit: i64, rev: bool) -> Vec<Value> {
    let mut out = Vec::new();
    let mut rest = st;
    let mut n = 0;
    while maxsplit < 0 || n < maxsplit {
        let Some(i) = find_sub(rest, sep, rev) else {
            break;
        };
        let (a, b) = (&rest[..i], &rest[i + sep.len()..]);
        out.push(Value::str(if rev { b } else { a }));
        rest = if rev { a } else { b };
        n += 1;
    }
    out.push(Value::str(rest));
    if rev {
        out.reverse();
    }
    out
}

/// First (or last, if `rev`) byte position of `sub` in `s`.
fn find_sub(s: &str, sub: &str, rev: bool) -> Option<usize> {
    if rev {
        s.rfind(sub)
    } else {
        s.find(sub)
    }
}

/// Non-overlapping occurrences of a non-empty `sub`.
fn count_sub(s: &str, sub: &str) -> usize {
    let mut n = 0;
    let mut rest = s;
    while let Some(i) = rest.find(sub) {
        n += 1;
        rest = &rest[i + sub.len()..];
    }
    n
}

/// `s` without the leading (`left`) and trailing (`right`) characters that match `f`.
fn strip_by<'a>(s: &'a str, left: bool, right: bool, f: &dyn Fn(char) -> bool) -> &'a str {
    let mut r = s;
    if left {
        let a = r
            .char_indices()
            .find(|(_, c)| !f(*c))
            .map_or(r.len(), |x| x.0);
        r = &r[a..];
    }
    if right {
        let b = r
            .char_indices()
            .rev()
            .find(|(_, c)| !f(*c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        r = &r[..b];
    }
    r
}

fn pad_str(s: &str, width: i64, fill: char, align: char) -> String {
    let n = s.chars().count() as i64;
    if width <= n {
        return s.to_string();
    }
    let k = (width - n) as usize;
    let left = match align {
        '<' => 0,
        '>' => k,
        _ => k / 2 + (k & width as usize & 1),
    };
    let mut out = String::with_capacity(s.len() + k * fill.len_utf8());
    out.extend(std::iter::repeat_n(fill, left));
    out.push_str(s);
    out.extend(std::iter::repeat_n(fill, k - left));
    out
}

fn fill_arg(args: &[Value]) -> Result<char, Exception> {
    match args.get(1) {
        None => Ok(' '),
        Some(Value::Str(s)) if s.chars().count() == 1 => Ok(s.chars().next().unwrap_or(' ')),
        Some(_) => Err(Exception::type_error(
            "The fill character must be exactly one character long",
        )),
    }
}

fn prefix_match(s: &str, arg: &Value, ends: bool, m: &str) -> Result<bool, Exception> {
    match arg {
        Value::Str(p) => Ok(if ends {
            s.ends_with(&**p)
        } else {
            s.starts_with(&**p)
        }),
        Value::Tuple(t) => {
            for x in t.iter() {
                if prefix_match(s, x, ends, m)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        other => Err(Exception::type_error_fmt(format_args!(
            "{} first arg must be str or a tuple of str, not {}",
            m,
            other.type_name()
        ))),
    }
}

/// An encoding argument, normalised (`UTF_8` -> `utf-8`); `utf-8` if absent.
fn encoding_arg(enc: Option<&Value>) -> String {
    enc.and_then(|e| e.as_str())
        .unwrap_or("utf-8")
        .to_ascii_lowercase()
        .replace('_', "-")
}

#[cold]
#[inline(never)]
fn unknown_encoding(enc: &str) -> Exception {
    Exception::builtin_fmt("LookupError", format_args!("unknown encoding: {}", enc))
}

#[allow(clippy::too_many_arguments)]
fn str_method(
    p: &mut Process,
    h: &mut dyn Host,
    s: &Rc<String>,
    m: M,
    name: &str,
    args: Vec<Value>,
    kwargs: Kw,
) -> R {
    let st: &str = s;
    let limits = p.limits.clone();
    let out = |x: String| -> R {
        limits.check_str(x.len())?;
        Ok(Value::string(x))
    };
    match m {
        M::Split | M::Rsplit => {
            let sep = arg_or_kw(&args, 0, &kwargs, "sep").unwrap_or(Value::None);
            let maxsplit = match arg_or_kw(&args, 1, &kwargs, "maxsplit") {
                Some(v) => int_arg(&v, "")?,
                None => -1,
            };
            let rev = m == M::Rsplit && maxsplit >= 0;
            match sep {
                Value::None => Ok(Value::list(split_ws(st, maxsplit, rev))),
                Value::Str(sep) => {
                    if sep.is_empty() {
                        return Err(Exception::value_error("empty separator"));
                    }
                    Ok(Value::list(split_sep(st, &sep, maxsplit, rev)))
                }
                other => Err(Exception::type_error_fmt(format_args!(
                    "must be str or None, not {}",
                    other.type_name()
                ))),
            }
        }
        M::Join => {
            nargs("join", &args, 1, 1)?;
            let items = p.collect(h, &args[0])?;
            let mut r = String::new();
            for (i, it) in items.iter().enumerate() {
                if i > 0 {
                    r.push_str(st);
                }
                match it {
                    Value::Str(x) => r.push_str(x),
                    other => {
                        return Err(Exception::type_error_fmt(format_args!(
                            "sequence item {}: expected str instance, {} found",
                            i,
                            other.type_name()
                        )))
                    }
                }
                limits.check_str(r.len())?;
            }
            Ok(Value::string(r))
        }
        M::Strip | M::Lstrip | M::Rstrip => {
            let chars: Option<Vec<char>> = match args.first() {
                None | Some(Value::None) => None,
                Some(Value::Str(c)) => Some(crate::format::chars_of(c)),
                Some(other) => {
                    return Err(Exception::type_error_fmt(format_args!(
                        "{} arg must be None or str, not {}",
                        name,
                        other.type_name()
                    )))
                }
            };
            let f = |c: char| match &chars {
                None => c.is_whitespace(),
                Some(cs) => cs.contains(&c),
            };
            Ok(Value::str(strip_by(st, m != M::Rstrip, m != M::Lstrip, &f)))
        }
        M::Lower | M::Casefold => Ok(Value::string(crate::case::to_lower(st))),
        M::Upper => Ok(Value::string(crate::case::to_upper(st))),
        M::Capitalize => {
            let mut it = st.chars();
            let mut r = String::new();
            if let Some(c) = it.next() {
                crate::case::push_upper(c, &mut r);
                r.push_str(&crate::case::to_lower(it.as_str()));
            }
            Ok(Value::string(r))
        }
        M::Swapcase | M::Title => {
            let mut r = String::with_capacity(st.len());
            let mut prev_cased = false;
            for c in st.chars() {
                let lower = if m == M::Title {
                    prev_cased
                } else {
                    c.is_uppercase()
                };
                if lower {
                    crate::case::push_lower(c, &mut r);
                } else {
                    crate::case::push_upper(c, &mut r);
                }
                prev_cased = c.is_alphabetic();
            }
            Ok(Value::string(r))
        }
        M::Replace => {
            let old = str_arg(&args, 0, "replace")?;
            let new = str_arg(&args, 1, "replace")?;
            let count = opt_int(&args, 2)?.unwrap_or(-1);
            let occurrences = if old.is_empty() {
                st.chars().count() + 1
            } else {
                count_sub(st, old)
            };
            let n = if count < 0 || count as u64 >= occurrences as u64 {
                occurrences
            } else {
                count as usize
            };
            limits.check_str(st.len().saturating_add(n.saturating_mul(new.len())))?;
            let mut r = String::new();
            let mut k = 0;
            if old.is_empty() {
                for c in st.chars() {
                    if k < n {
                        r.push_str(new);
                        k += 1;
                    }
                    r.push(c);
                }
                if k < n {
                    r.push_str(new);
                }
                return Ok(Value::string(r));
            }
            let mut rest = st;
            while k < n {
                let Some(i) = rest.find(old) else { break };
                r.push_str(&rest[..i]);
                r.push_str(new);
                rest = &rest[i + old.len()..];
                k += 1;
            }
            r.push_str(rest);
            out(r)
        }
        M::Startswith | M::Endswith => {
            nargs(name, &args, 1, 3)?;
            let (a, b) = char_range(st, opt_int(&args, 1)?, opt_int(&args, 2)?);
            Ok(Value::Bool(prefix_match(
                &st[a..b],
                &args[0],
                m == M::Endswith,
                name,
            )?))
        }
        M::Format => out(str_format(p, h, st, &args, &kwargs)?),
        M::Encode => {
            let enc = encoding_arg(arg_or_kw(&args, 0, &kwargs, "encoding").as_ref());
            match enc.as_str() {
                "utf-8" | "utf8" => Ok(Value::bytes(st.as_bytes())),
                "ascii" => {
                    if let Some((i, c)) = st.chars().enumerate().find(|(_, c)| !c.is_ascii()) {
                        return Err(Exception::builtin_fmt(
                            "UnicodeEncodeError",
                            format_args!(
                                "'ascii' codec can't encode character '\\u{:04x}' in position {}: ordinal not in range(128)",
                                c as u32, i
                            ),
                        ));
                    }
                    Ok(Value::bytes(st.as_bytes()))
                }
                "latin-1" | "latin1" => Ok(latin1_bytes(st)),
                other => Err(unknown_encoding(other)),
            }
        }
        M::Find | M::Rfind | M::Index | M::Rindex | M::Count => {
            let sub = str_arg(&args, 0, name)?;
            let (a, b) = char_range(st, opt_int(&args, 1)?, opt_int(&args, 2)?);
            let hay = &st[a..b];
            if m == M::Count {
                return Ok(Value::Int(if sub.is_empty() {
                    hay.chars().count() as i64 + 1
                } else {
                    count_sub(hay, sub) as i64
                }));
            }
            match find_sub(hay, sub, matches!(m, M::Rfind | M::Rindex)) {
                Some(i) => Ok(Value::Int(byte_to_char(st, a + i))),
                None if matches!(m, M::Index | M::Rindex) => {
                    Err(Exception::value_error("substring not found"))
                }
                None => Ok(Value::Int(-1)),
            }
        }
        M::Zfill | M::Ljust | M::Rjust | M::Center => {
            let w = int_arg(args.first().unwrap_or(&Value::Int(0)), "")?;
            limits.check_str(w.max(0) as usize)?;
            if m != M::Zfill {
                let fill = fill_arg(&args)?;
                let align = match m {
                    M::Ljust => '<',
                    M::Rjust => '>',
                    _ => '^',
                };
                return out(pad_str(st, w, fill, align));
            }
            let n = st.chars().count() as i64;
            if w <= n {
                return Ok(Value::Str(s.clone()));
            }
            let (sign, digits) = match st.strip_prefix(['-', '+']) {
                Some(r) => (&st[..1], r),
                None => ("", st),
            };
            let mut r = String::from(sign);
            r.push_str(&"0".repeat((w - n) as usize));
            r.push_str(digits);
            out(r)
        }
        M::Isdigit | M::Isnumeric | M::Isdecimal | M::Isalpha | M::Isalnum | M::Isspace => {
            let f: CharPred = match m {
                M::Isalpha => char::is_alphabetic,
                M::Isalnum => char::is_alphanumeric,
                M::Isspace => char::is_whitespace,
                _ => char::is_numeric,
            };
            Ok(Value::Bool(!st.is_empty() && st.chars().all(f)))
        }
        M::Isupper | M::Islower => {
            let (a, b): (CharPred, CharPred) = if m == M::Isupper {
                (char::is_uppercase, char::is_lowercase)
            } else {
                (char::is_lowercase, char::is_uppercase)
            };
            Ok(Value::Bool(st.chars().any(a) && !st.chars().any(b)))
        }
        M::Splitlines => {
            let keep = args.first().is_some_and(|v| v.truthy());
            let mut res = Vec::new();
            let b = st.as_bytes();
            let (mut start, mut i) = (0, 0);
            while let Some(&c) = b.get(i) {
                i += 1;
                if c == b'\n' || c == b'\r' {
                    let end = i - 1;
                    if c == b'\r' && b.get(i) == Some(&b'\n') {
                        i += 1;
                    }
                    res.push(Value::str(
                        st.get(start..if keep { i } else { end }).unwrap_or(""),
                    ));
                    start = i;
                }
            }
            if start < b.len() {
                res.push(Value::str(st.get(start..).unwrap_or("")));
            }
            Ok(Value::list(res))
        }
        M::Partition | M::Rpartition => {
            let sep = str_arg(&args, 0, name)?;
            if sep.is_empty() {
                return Err(Exception::value_error("empty separator"));
            }
            let rev = m == M::Rpartition;
            let e = Value::str("");
            Ok(Value::tuple(match find_sub(st, sep, rev) {
                Some(i) => vec![
                    Value::str(&st[..i]),
                    Value::str(sep),
                    Value::str(&st[i + sep.len()..]),
                ],
                None if rev => vec![e.clone(), e, Value::Str(s.clone())],
                None => vec![Value::Str(s.clone()), e.clone(), e],
            }))
        }
        M::Removeprefix | M::Removesuffix => {
            let x = str_arg(&args, 0, name)?;
            let r = if m == M::Removeprefix {
                st.strip_prefix(x)
            } else {
                st.strip_suffix(x)
            };
            Ok(Value::str(r.unwrap_or(st)))
        }
        _ => Err(no_attr(&Value::Str(s.clone()), name)),
    }
}

fn bytes_method(s: &Rc<Vec<u8>>, m: M, name: &str, args: Vec<Value>, kwargs: Kw) -> R {
    let bytes_arg = |i: usize| -> Result<&[u8], Exception> {
        match args.get(i) {
            Some(Value::Bytes(b)) => Ok(b),
            Some(other) => Err(Exception::type_error_fmt(format_args!(
                "a bytes-like object is required, not '{}'",
                other.type_name()
            ))),
            None => Err(Exception::type_error("missing argument")),
        }
    };
    match m {
        M::Decode => {
            let enc = arg_or_kw(&args, 0, &kwargs, "encoding");
            let errors = arg_or_kw(&args, 1, &kwargs, "errors");
            decode(s, enc.as_ref(), errors.as_ref())
        }
        M::Hex => {
            const DIGITS: &[u8; 16] = b"0123456789abcdef";
            let mut r = String::with_capacity(s.len() * 2);
            for b in s.iter() {
                r.push(DIGITS[(b >> 4) as usize] as char);
                r.push(DIGITS[(b & 15) as usize] as char);
            }
            Ok(Value::string(r))
        }
        M::Startswith | M::Endswith => {
            let p = bytes_arg(0)?;
            Ok(Value::Bool(if m == M::Startswith {
                s.starts_with(p)
            } else {
                s.ends_with(p)
            }))
        }
        M::Find => {
            let p = bytes_arg(0)?;
            let pos = if p.is_empty() {
                Some(0)
            } else {
                s.windows(p.len()).position(|w| w == p)
            };
            Ok(Value::Int(pos.map(|x| x as i64).unwrap_or(-1)))
        }
        M::Count => {
            let p = bytes_arg(0)?;
            if p.is_empty() {
                return Ok(Value::Int(s.len() as i64 + 1));
            }
            let mut n = 0;
            let mut i = 0;
            while i + p.len() <= s.len() {
                if s[i..i + p.len()] == p[..] {
                    n += 1;
                    i += p.len();
                } else {
                    i += 1;
                }
            }
            Ok(Value::Int(n))
        }
        M::Upper => Ok(Value::bytes(&s.to_ascii_uppercase())),
        M::Lower => Ok(Value::bytes(&s.to_ascii_lowercase())),
        M::Strip => {
            let st = String::from_utf8_lossy(s);
            let t = strip_by(&st, true, true, &|c: char| c.is_ascii_whitespace());
            Ok(Value::bytes(t.as_bytes()))
        }
        M::Split | M::Replace => {
            // Through latin-1 text: one char per byte.
            let latin = latin1_text;
            let back = latin1_bytes;
            let st = latin(s);
            let text = |v: Option<&Value>| match v {
                Some(Value::Bytes(b)) => Some(latin(b)),
                Some(Value::Str(x)) => Some(x.to_string()),
                _ => None,
            };
            if m == M::Split {
                let parts: Vec<Value> = match text(args.first()) {
                    Some(sep) if sep.is_empty() => {
                        // Every char boundary is a match.
                        let mut v = vec![Value::bytes(b"")];
                        v.extend(s.iter().map(|b| Value::bytes(&[*b])));
                        v.push(Value::bytes(b""));
                        return Ok(Value::list(v));
                    }
                    Some(sep) => split_sep(&st, &sep, -1, false),
                    None => split_ws(&st, -1, false),
                };
                let mut out = Vec::with_capacity(parts.len());
                for v in &parts {
                    out.push(back(v.as_str().unwrap_or("")));
                }
                return Ok(Value::list(out));
            }
            let (Some(a), Some(b)) = (text(args.first()), text(args.get(1))) else {
                return Err(Exception::type_error("replace() expects bytes arguments"));
            };
            if a.is_empty() {
                return Err(Exception::value_error(
                    "empty pattern is not supported in the playground",
                ));
            }
            Ok(back(&st.replace(&a, &b)))
        }
        _ => Err(no_attr(&Value::Bytes(s.clone()), name)),
    }
}

/// Bytes as latin-1 text: one char per byte.
#[inline(never)]
fn latin1_text(b: &[u8]) -> String {
    let mut t = String::with_capacity(b.len());
    for x in b {
        t.push(*x as char);
    }
    t
}

/// Latin-1 text (chars below 256) back to a bytes value.
#[inline(never)]
fn latin1_bytes(t: &str) -> Value {
    let mut b = Vec::with_capacity(t.len());
    for c in t.chars() {
        b.push(c as u32 as u8);
    }
    Value::bytes(&b)
}

/// `count` and `index` of lists and tuples.
fn seq_count_index(items: &[Value], m: M, list: bool, args: &[Value]) -> R {
    let pos = |args: &[Value]| items.iter().position(|x| x.eq(&args[0]));
    if m == M::Count {
        nargs(if list { "list.count" } else { "count" }, args, 1, 1)?;
        return Ok(Value::Int(
            items.iter().filter(|x| x.eq(&args[0])).count() as i64
        ));
    }
    if list {
        nargs("list.index", args, 1, 3)?;
        return match pos(args) {
            Some(i) => Ok(Value::Int(i as i64)),
            None => Err(Exception::value_error_fmt(format_args!(
                "{} is not in list",
                crate::format::repr(&args[0])
            ))),
        };
    }
    nargs("index", args, 1, 1)?;
    pos(args)
        .map(|i| Value::Int(i as i64))
        .ok_or_else(|| Exception::value_error("tuple.index(x): x not in tuple"))
}

fn list_method(
    p: &mut Process,
    h: &mut dyn Host,
    l: &Rc<RefCell<Vec<Value>>>,
    m: M,
    args: Vec<Value>,
    kwargs: Kw,
) -> R {
    match m {
        M::Append | M::Extend => {
            nargs(
                if m == M::Append {
                    "list.append"
                } else {
                    "list.extend"
                },
                &args,
                1,
                1,
            )?;
            let items = if m == M::Append {
                args
            } else {
                p.collect(h, &args[0])?
            };
            let len = l.borrow().len();
            p.limits.check_len(len + items.len())?;
            l.borrow_mut().extend(items);
            Ok(Value::None)
        }
        M::Pop => {
            let mut l = l.borrow_mut();
            if l.is_empty() {
                return Err(Exception::builtin("IndexError", "pop from empty list"));
            }
            let i = opt_int(&args, 0)?.unwrap_or(-1);
            let n = l.len() as i64;
            let j = if i < 0 { i + n } else { i };
            if j < 0 || j >= n {
                return Err(Exception::builtin("IndexError", "pop index out of range"));
            }
            Ok(l.remove(j as usize))
        }
        M::Insert => {
            nargs("insert", &args, 2, 2)?;
            let i = int_arg(&args[0], "")?;
            let mut l = l.borrow_mut();
            p.limits.check_len(l.len() + 1)?;
            let n = l.len() as i64;
            let j = if i < 0 { (i + n).max(0) } else { i.min(n) };
            l.insert(j as usize, args[1].clone());
            Ok(Value::None)
        }
        M::Remove => {
            nargs("list.remove", &args, 1, 1)?;
            let mut l = l.borrow_mut();
            match l.iter().position(|x| x.eq(&args[0])) {
                Some(i) => {
                    l.remove(i);
                    Ok(Value::None)
                }
                None => Err(Exception::value_error("list.remove(x): x not in list")),
            }
        }
        M::Index | M::Count => seq_count_index(&l.borrow(), m, true, &args),
        M::Sort => {
            if !args.is_empty() {
                return Err(Exception::type_error(
                    "sort() takes no positional arguments",
                ));
            }
            let key = kwarg(&kwargs, "key");
            let reverse = kwarg(&kwargs, "reverse")
                .map(|v| v.truthy())
                .unwrap_or(false);
            let items = l.borrow().clone();
            let sorted = sort_values(p, h, items, key, reverse)?;
            *l.borrow_mut() = sorted;
            Ok(Value::None)
        }
        M::Reverse => {
            l.borrow_mut().reverse();
            Ok(Value::None)
        }
        M::Copy => Ok(Value::list(l.borrow().clone())),
        _ => {
            l.borrow_mut().clear();
            Ok(Value::None)
        }
    }
}

/// `KeyError(k)`.
#[cold]
#[inline(never)]
pub(crate) fn key_error(k: Value) -> Exception {
    Exception::with_args(&builtin_class("KeyError"), vec![k])
}

/// A new set (`is_set`) or dict value.
fn wrap_dict(x: Dict, is_set: bool) -> Value {
    let x = Rc::new(RefCell::new(x));
    if is_set {
        Value::Set(x)
    } else {
        Value::Dict(x)
    }
}

/// The methods of dicts and sets (both are a `Dict`; a set's values are None).
fn dict_set_method(
    p: &mut Process,
    h: &mut dyn Host,
    d: &Rc<RefCell<Dict>>,
    is_set: bool,
    m: M,
    args: Vec<Value>,
    kwargs: Kw,
) -> R {
    let wrap = |x: Dict| wrap_dict(x, is_set);
    if !is_set {
        match m {
            M::Get => {
                nargs("get", &args, 1, 2)?;
                return Ok(d
                    .borrow()
                    .get(&args[0])?
                    .unwrap_or_else(|| args.get(1).cloned().unwrap_or(Value::None)));
            }
            M::Items | M::Keys | M::Values => {
                let kind = match m {
                    M::Items => ViewKind::Items,
                    M::Keys => ViewKind::Keys,
                    _ => ViewKind::Values,
                };
                return Ok(Value::View(Rc::new((kind, d.clone()))));
            }
            M::Setdefault => {
                nargs("setdefault", &args, 1, 2)?;
                if let Some(v) = d.borrow().get(&args[0])? {
                    return Ok(v);
                }
                let v = args.get(1).cloned().unwrap_or(Value::None);
                let len = d.borrow().len();
                p.limits.check_len(len + 1)?;
                d.borrow_mut().insert(args[0].clone(), v.clone())?;
                return Ok(v);
            }
            M::Pop => {
                nargs("pop", &args, 1, 2)?;
                return match d.borrow_mut().remove(&args[0])? {
                    Some(v) => Ok(v),
                    None => args
                        .get(1)
                        .cloned()
                        .ok_or_else(|| key_error(args[0].clone())),
                };
            }
            M::Popitem => {
                return match d.borrow_mut().pop_last() {
                    Some((k, v)) => Ok(Value::tuple(vec![k, v])),
                    None => Err(key_error(Value::str("popitem(): dictionary is empty"))),
                }
            }
            M::Update => {
                let mut nd = d.borrow().clone();
                if let Some(v) = args.first() {
                    dict_update(p, h, &mut nd, v)?;
                }
                for (k, v) in kwargs {
                    nd.insert(Value::str(&k), v)?;
                }
                p.limits.check_len(nd.len())?;
                *d.borrow_mut() = nd;
                return Ok(Value::None);
            }
            _ => {}
        }
    }
    match m {
        M::Copy => return Ok(wrap(d.borrow().clone())),
        M::Clear => {
            d.borrow_mut().clear();
            return Ok(Value::None);
        }
        M::Add => {
            nargs("add", &args, 1, 1)?;
            let len = d.borrow().len();
            p.limits.check_len(len + 1)?;
            d.borrow_mut().insert(args[0].clone(), Value::None)?;
            return Ok(Value::None);
        }
        M::Discard | M::Remove => {
            nargs(
                if m == M::Remove { "remove" } else { "discard" },
                &args,
                1,
                1,
            )?;
            let found = d.borrow_mut().remove(&args[0])?.is_some();
            if !found && m == M::Remove {
                return Err(key_error(args[0].clone()));
            }
            return Ok(Value::None);
        }
        M::Pop => {
            let first = d.borrow().first();
            return match first {
                Some((k, _)) => {
                    d.borrow_mut().remove(&k)?;
                    Ok(k)
                }
                None => Err(key_error(Value::str("pop from an empty set"))),
            };
        }
        _ => {}
    }
    // The rest take iterables.
    let mut others = Vec::new();
    for a in &args {
        others.push(p.collect(h, a)?);
    }
    if matches!(m, M::Union | M::Update) {
        let mut nd = d.borrow().clone();
        for o in &others {
            for k in o {
                nd.insert(k.clone(), Value::None)?;
            }
        }
        p.limits.check_len(nd.len())?;
        if m == M::Update {
            *d.borrow_mut() = nd;
            return Ok(Value::None);
        }
        return Ok(wrap(nd));
    }
    if m != M::Intersection && m != M::Difference {
        // These take one iterable (further ones are ignored).
        others.truncate(1);
    }
    let in_list = |o: &[Value], k: &Value| o.iter().any(|x| x.eq(k));
    let mine = d.borrow().keys();
    if matches!(m, M::Issuperset | M::Isdisjoint) {
        let other = others.first().map_or(&[][..], |o| &o[..]);
        let b = d.borrow();
        let hits = other
            .iter()
            .filter(|k| b.contains(k).unwrap_or(false))
            .count();
        return Ok(Value::Bool(if m == M::Issuperset {
            hits == other.len()
        } else {
            hits == 0
        }));
    }
    // Intersection: mine in every other; difference, symmetric difference, issubset: mine in none.
    let mut nd = Dict::new();
    for k in &mine {
        let keep = if m == M::Intersection {
            others.iter().all(|o| in_list(o, k))
        } else {
            !others.iter().any(|o| in_list(o, k))
        };
        if keep {
            nd.insert(k.clone(), Value::None)?;
        }
    }
    if m == M::Issubset {
        return Ok(Value::Bool(nd.is_empty()));
    }
    if m == M::SymmetricDifference {
        for o in &others {
            for k in o {
                if !in_list(&mine, k) {
                    nd.insert(k.clone(), Value::None)?;
                }
            }
        }
    }
    Ok(wrap(nd))
}

/// Calls `recv.name(*args, **kwargs)` for a built-in receiver.
pub fn call_method(
    p: &mut Process,
    h: &mut dyn Host,
    recv: &Value,
    name: &str,
    args: Vec<Value>,
    kwargs: Kw,
) -> R {
    // Hot methods in loops skip the table search.
    let hot = match recv {
        Value::List(_) if name == "append" => Some(M::Append),
        Value::Dict(_) if name == "get" => Some(M::Get),
        Value::Str(_) if name == "join" => Some(M::Join),
        Value::Str(_) if name == "format" => Some(M::Format),
        _ => None,
    };
    let m = match hot {
        Some(m) => m,
        None => {
            let bit = kind_bit(recv);
            if bit == 0 {
                return match recv {
                    Value::Record(r) if name == "_asdict" => {
                        let mut items = Vec::with_capacity(r.fields.len());
                        for (k, v) in &r.fields {
                            items.push((Value::str(k), v.clone()));
                        }
                        Ok(Value::dict(items))
                    }
                    Value::Native(_) => {
                        crate::modules::datetime::call_method(p, h, recv, name, args, kwargs)
                    }
                    Value::Type(t) if name != "fromkeys" => {
                        call_unbound(p, h, *t, name, args, kwargs)
                    }
                    other => {
                        let f = p.get_attr(h, other, name)?;
                        p.call_value_kw(h, &f, args, kwargs)
                    }
                };
            }
            match method(name, bit) {
                Some(m) => m,
                None => return Err(no_attr(recv, name)),
            }
        }
    };
    match recv {
        Value::Str(s) => str_method(p, h, s, m, name, args, kwargs),
        Value::Bytes(b) => bytes_method(b, m, name, args, kwargs),
        Value::List(l) => list_method(p, h, l, m, args, kwargs),
        Value::Dict(d) => dict_set_method(p, h, d, false, m, args, kwargs),
        Value::Set(d) => dict_set_method(p, h, d, true, m, args, kwargs),
        Value::Tuple(t) => seq_count_index(t, m, false, &args),
        Value::Int(i) if m == M::BitLength => {
            Ok(Value::Int(64 - i.unsigned_abs().leading_zeros() as i64))
        }
        Value::Float(f) => Ok(Value::Bool(f.is_finite() && f.fract() == 0.0)),
        _ => Err(no_attr(recv, name)),
    }
}

/// `str.format`.
pub fn str_format(
    p: &mut Process,
    h: &mut dyn Host,
    fmt: &str,
    args: &[Value],
    kwargs: &Kw,
) -> Result<String, Exception> {
    let mut out = String::new();
    // Braces are ASCII: scan bytes, copy other text a char at a time.
    let b = fmt.as_bytes();
    let mut i = 0;
    let mut auto = 0usize;
    while let Some(&c) = b.get(i) {
        if c == b'{' {
            if b.get(i + 1) == Some(&b'{') {
                out.push('{');
                i += 2;
                continue;
            }
            let mut j = i + 1;
            let mut depth = 0;
            while let Some(&x) = b.get(j) {
                match x {
                    b'{' => depth += 1,
                    b'}' if depth == 0 => break,
                    b'}' => depth -= 1,
                    _ => {}
                }
                j += 1;
            }
            if j >= b.len() {
                return Err(Exception::value_error("expected '}' before end of string"));
            }
            let field = &fmt[i + 1..j];
            i = j + 1;
            let (head, spec) = field.split_once(':').unwrap_or((field, ""));
            let (fname, conv) = match head.split_once('!') {
                Some((n, c)) => (n, c.chars().next()),
                None => (head, None),
            };
            // split name from .attr / [key] chain
            let split = fname.find(['.', '[']).unwrap_or(fname.len());
            let (base, mut rest) = (&fname[..split], &fname[split..]);
            let index = if base.is_empty() {
                auto += 1;
                Some(auto - 1)
            } else {
                base.parse::<usize>().ok()
            };
            let mut v = if let Some(n) = index {
                args.get(n).cloned().ok_or_else(|| {
                    Exception::builtin_fmt(
                        "IndexError",
                        format_args!(
                            "Replacement index {} out of range for positional args tuple",
                            n
                        ),
                    )
                })?
            } else {
                kwarg(kwargs, base).ok_or_else(|| key_error(Value::str(base)))?
            };
            while !rest.is_empty() {
                if let Some(r) = rest.strip_prefix('.') {
                    let end = r.find(['.', '[']).unwrap_or(r.len());
                    v = p.get_attr(h, &v, &r[..end])?;
                    rest = &r[end..];
                } else if let Some(r) = rest.strip_prefix('[') {
                    let end = r
                        .find(']')
                        .ok_or_else(|| Exception::value_error("Missing ']' in format string"))?;
                    let key = &r[..end];
                    let k = match key.parse::<i64>() {
                        Ok(n) => Value::Int(n),
                        Err(_) => Value::str(key),
                    };
                    v = ops::getitem(&v, &k)?;
                    rest = &r[end + 1..];
                } else {
                    break;
                }
            }
            let v = match conv {
                Some('r') | Some('a') => Value::string(p.repr(h, &v)),
                Some('s') => Value::string(p.str_of(h, &v)),
                _ => v,
            };
            let spec = if spec.contains('{') {
                str_format(p, h, spec, args, kwargs)?
            } else {
                spec.to_string()
            };
            out.push_str(&crate::format::format_value(&v, &spec, &mut |r| h.repr(r))?);
            continue;
        }
        if c == b'}' {
            if b.get(i + 1) == Some(&b'}') {
                out.push('}');
                i += 2;
                continue;
            }
            return Err(Exception::value_error(
                "Single '}' encountered in format string",
            ));
        }
        let ch = fmt[i..].chars().next().unwrap_or('\u{fffd}');
        out.push(ch);
        i += ch.len_utf8();
    }
    Ok(out)
}

/// Wraps a native function as a value (for modules).
pub fn native(b: &'static Builtin) -> Value {
    Value::Builtin(b)
}

/// Helper for modules: a module of native functions (each under its own name), then `attrs`.
pub fn module_with(name: &str, funcs: &'static [Builtin], attrs: Vec<(&str, Value)>) -> Value {
    let mut all: Vec<(Rc<str>, Value)> = Vec::with_capacity(funcs.len() + attrs.len());
    for b in funcs {
        all.push((Rc::from(b.name), Value::Builtin(b)));
    }
    module_of(name, all, attrs)
}

/// Helper for modules: a module value from (name, value) pairs.
pub fn module(name: &str, attrs: Vec<(&str, Value)>) -> Value {
    module_of(name, Vec::with_capacity(attrs.len()), attrs)
}

/// A module value with the attributes `all`, then `attrs`.
fn module_of(name: &str, mut all: Vec<(Rc<str>, Value)>, attrs: Vec<(&str, Value)>) -> Value {
    for (k, v) in attrs {
        all.push((Rc::from(k), v));
    }
    Value::Module(Rc::new(crate::value::Module {
        name: Rc::from(name),
        attrs: RefCell::new(all),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_table_is_sorted_and_resolves_every_name() {
        assert!(METHODS.windows(2).all(|w| w[0].0 < w[1].0));
        for &(name, m, mask) in METHODS {
            assert_eq!(method(name, mask), Some(m), "{name}");
            assert_eq!(method(name, !mask), None, "{name}");
        }
        assert_eq!(method("append", L), Some(M::Append));
        assert_eq!(method("append", S), None);
        assert_eq!(method("nosuch", 0xff), None);
    }
}
