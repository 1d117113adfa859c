//! Operators: arithmetic with overflow checks, comparisons, containment, subscripts and slices.

use std::cell::RefCell;
use std::rc::Rc;

use crate::ast::{BinOp, CmpOp};
use crate::error::Exception;
use crate::limits::Limits;
use crate::value::{range_len, HostRef, Native, Value};

pub fn overflow() -> Exception {
    Exception::builtin(
        "OverflowError",
        "integer overflow (integers are limited to 64 bits in the playground)",
    )
}

/// ZeroDivisionError with `msg`.
#[cold]
#[inline(never)]
fn zero_division(msg: &str) -> Exception {
    Exception::builtin("ZeroDivisionError", msg)
}

fn unsupported(op: BinOp, a: &Value, b: &Value) -> Exception {
    Exception::type_error_fmt(format_args!(
        "unsupported operand type(s) for {}: '{}' and '{}'",
        op.symbol(),
        a.type_name(),
        b.type_name()
    ))
}

fn is_num(v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::Float(_) | Value::Bool(_))
}

pub fn floor_div_i(a: i64, b: i64) -> Result<i64, Exception> {
    if b == 0 {
        return Err(zero_division("integer division or modulo by zero"));
    }
    let q = a.checked_div(b).ok_or_else(overflow)?;
    if (a % b != 0) && ((a < 0) != (b < 0)) {
        Ok(q - 1)
    } else {
        Ok(q)
    }
}

pub fn mod_i(a: i64, b: i64) -> Result<i64, Exception> {
    if b == 0 {
        return Err(zero_division("integer modulo by zero"));
    }
    let r = a.checked_rem(b).unwrap_or(0);
    if r != 0 && ((r < 0) != (b < 0)) {
        Ok(r + b)
    } else {
        Ok(r)
    }
}

pub fn mod_f(a: f64, b: f64) -> Result<f64, Exception> {
    if b == 0.0 {
        return Err(zero_division("float modulo"));
    }
    let mut m = a % b;
    if m != 0.0 {
        if (b < 0.0) != (m < 0.0) {
            m += b;
        }
    } else {
        m = 0.0f64.copysign(b);
    }
    Ok(m)
}

pub fn floordiv_f(a: f64, b: f64) -> Result<f64, Exception> {
    if b == 0.0 {
        return Err(zero_division("float floor division by zero"));
    }
    let m = a % b;
    let mut div = (a - m) / b;
    if m != 0.0 && ((b < 0.0) != (m < 0.0)) {
        div -= 1.0;
    }
    if div != 0.0 {
        let fl = div.floor();
        if div - fl > 0.5 {
            div = fl + 1.0;
        } else {
            div = fl;
        }
    } else {
        div = 0.0f64.copysign(a / b);
    }
    Ok(div)
}

pub fn pow_i(a: i64, b: i64) -> Result<Value, Exception> {
    if b < 0 {
        if a == 0 {
            return Err(zero_division("0.0 cannot be raised to a negative power"));
        }
        return Ok(Value::Float((a as f64).powf(b as f64)));
    }
    match a {
        0 => return Ok(Value::Int(if b == 0 { 1 } else { 0 })),
        1 => return Ok(Value::Int(1)),
        -1 => return Ok(Value::Int(if b % 2 == 0 { 1 } else { -1 })),
        _ => {}
    }
    if b > 64 {
        return Err(overflow());
    }
    a.checked_pow(b as u32).map(Value::Int).ok_or_else(overflow)
}

fn repeat_count(n: i64) -> usize {
    if n < 0 {
        0
    } else {
        n as usize
    }
}

/// `seq * n`: the repeat count and the resulting length, a MemoryError if it overflows.
fn repeat_sizes(len: usize, n: &Value) -> Result<(usize, usize), Exception> {
    let k = repeat_count(int_like(n).unwrap_or(0));
    let total = len
        .checked_mul(k)
        .ok_or_else(|| Exception::builtin("MemoryError", ""))?;
    Ok((k, total))
}

/// `x + y` for two lists' or tuples' items.
fn concat_items(limits: &Limits, x: &[Value], y: &[Value]) -> Result<Vec<Value>, Exception> {
    limits.check_len(x.len() + y.len())?;
    Ok([x, y].concat())
}

/// `seq * n` for a list or tuple's items.
fn repeat_items(limits: &Limits, items: &[Value], n: &Value) -> Result<Vec<Value>, Exception> {
    let (k, total) = repeat_sizes(items.len(), n)?;
    limits.check_len(total)?;
    let mut v = Vec::with_capacity(total);
    for _ in 0..k {
        v.extend_from_slice(items);
    }
    Ok(v)
}

pub fn binary(
    limits: &Limits,
    op: BinOp,
    a: &Value,
    b: &Value,
    host: &mut dyn FnMut(&HostRef) -> String,
) -> Result<Value, Exception> {
    use BinOp::*;
    // integers (and bools)
    if let (Some(x), Some(y)) = (int_like(a), int_like(b)) {
        return Ok(match op {
            Add => Value::Int(x.checked_add(y).ok_or_else(overflow)?),
            Sub => Value::Int(x.checked_sub(y).ok_or_else(overflow)?),
            Mul => Value::Int(x.checked_mul(y).ok_or_else(overflow)?),
            Div => {
                if y == 0 {
                    return Err(zero_division("division by zero"));
                }
                Value::Float(x as f64 / y as f64)
            }
            FloorDiv => Value::Int(floor_div_i(x, y)?),
            Mod => Value::Int(mod_i(x, y)?),
            Pow => pow_i(x, y)?,
            LShift => {
                if y < 0 {
                    return Err(Exception::value_error("negative shift count"));
                }
                if x == 0 {
                    Value::Int(0)
                } else if y >= 64 {
                    return Err(overflow());
                } else {
                    let r = x.checked_shl(y as u32).ok_or_else(overflow)?;
                    if r >> y != x {
                        return Err(overflow());
                    }
                    Value::Int(r)
                }
            }
            RShift => {
                if y < 0 {
                    return Err(Exception::value_error("negative shift count"));
                }
                Value::Int(if y >= 64 {
                    if x < 0 {
                        -1
                    } else {
                        0
                    }
                } else {
                    x >> y
                })
            }
            BitAnd | BitOr | BitXor => {
                let r = match op {
                    BitAnd => x & y,
                    BitOr => x | y,
                    _ => x ^ y,
                };
                if let (Value::Bool(_), Value::Bool(_)) = (a, b) {
                    Value::Bool(r != 0)
                } else {
                    Value::Int(r)
                }
            }
        });
    }
    if is_num(a) && is_num(b) {
        let x = a.as_float().unwrap_or(0.0);
        let y = b.as_float().unwrap_or(0.0);
        return Ok(Value::Float(match op {
            Add => x + y,
            Sub => x - y,
            Mul => x * y,
            Div => {
                if y == 0.0 {
                    return Err(zero_division("float division by zero"));
                }
                x / y
            }
            FloorDiv => floordiv_f(x, y)?,
            Mod => mod_f(x, y)?,
            Pow => {
                if x == 0.0 && y < 0.0 {
                    return Err(zero_division("0.0 cannot be raised to a negative power"));
                }
                if x < 0.0 && y.fract() != 0.0 {
                    return Err(Exception::value_error(
                        "complex numbers are not supported in the playground",
                    ));
                }
                let r = x.powf(y);
                if r.is_infinite() && x.is_finite() && y.is_finite() {
                    return Err(Exception::builtin(
                        "OverflowError",
                        "(34, 'Numerical result out of range')",
                    ));
                }
                r
            }
            _ => return Err(unsupported(op, a, b)),
        }));
    }
    match (op, a, b) {
        (Add, Value::Str(x), Value::Str(y)) => {
            limits.check_str(x.len() + y.len())?;
            let mut s = String::with_capacity(x.len() + y.len());
            s.push_str(x);
            s.push_str(y);
            Ok(Value::Str(Rc::from(s)))
        }
        (Add, Value::Bytes(x), Value::Bytes(y)) => {
            limits.check_str(x.len() + y.len())?;
            let mut v = x.to_vec();
            v.extend_from_slice(y);
            Ok(Value::Bytes(Rc::from(v)))
        }
        (Add, Value::List(x), Value::List(y)) => {
            Ok(Value::list(concat_items(limits, &x.borrow(), &y.borrow())?))
        }
        (Add, Value::Tuple(x), Value::Tuple(y)) => Ok(Value::tuple(concat_items(limits, x, y)?)),
        (Add, Value::Str(_) | Value::List(_) | Value::Tuple(_), _) => {
            let t = a.type_name();
            Err(Exception::type_error_fmt(format_args!(
                "can only concatenate {} (not \"{}\") to {}",
                t,
                b.type_name(),
                t
            )))
        }
        (Mul, Value::Str(s), n) | (Mul, n, Value::Str(s)) if int_like(n).is_some() => {
            let (k, total) = repeat_sizes(s.len(), n)?;
            limits.check_str(total)?;
            Ok(Value::Str(Rc::from(s.repeat(k))))
        }
        (Mul, Value::Bytes(s), n) | (Mul, n, Value::Bytes(s)) if int_like(n).is_some() => {
            let (k, total) = repeat_sizes(s.len(), n)?;
            limits.check_str(total)?;
            Ok(Value::Bytes(Rc::from(s.repeat(k))))
        }
        (Mul, Value::List(l), n) | (Mul, n, Value::List(l)) if int_like(n).is_some() => {
            Ok(Value::list(repeat_items(limits, &l.borrow(), n)?))
        }
        (Mul, Value::Tuple(l), n) | (Mul, n, Value::Tuple(l)) if int_like(n).is_some() => {
            Ok(Value::tuple(repeat_items(limits, l, n)?))
        }
        (Mod, Value::Str(f), args) => {
            let s = crate::format::percent_format(f, args, host)?;
            limits.check_str(s.len())?;
            Ok(Value::string(s))
        }
        (Mod, Value::Bytes(f), args) => {
            let fs = String::from_utf8_lossy(f).to_string();
            let args = match args {
                Value::Bytes(b) => Value::Str(Rc::from(String::from_utf8_lossy(b).to_string())),
                other => other.clone(),
            };
            let s = crate::format::percent_format(&fs, &args, host)?;
            Ok(Value::bytes(s.as_bytes()))
        }
        (BitOr, Value::Dict(x), Value::Dict(y)) => {
            let mut d = x.borrow().clone();
            for (k, v) in y.borrow().items() {
                d.insert(k, v)?;
            }
            Ok(Value::Dict(Rc::new(RefCell::new(d))))
        }
        (BitOr | BitAnd | Sub | BitXor, Value::Set(x), Value::Set(y)) => {
            let (x, y) = (x.borrow(), y.borrow());
            let mut d = crate::value::Dict::new();
            // x's items (all, those in y, those not in y), then for | and ^ y's items not in x
            for k in x.keys() {
                let keep = match op {
                    BitOr => true,
                    BitAnd => y.contains(&k)?,
                    _ => !y.contains(&k)?,
                };
                if keep {
                    d.insert(k, Value::None)?;
                }
            }
            if matches!(op, BitOr | BitXor) {
                for k in y.keys() {
                    if !x.contains(&k)? {
                        d.insert(k, Value::None)?;
                    }
                }
            }
            Ok(Value::Set(Rc::new(RefCell::new(d))))
        }
        (Add | Sub, Value::Native(x), Value::Native(y)) => {
            crate::modules::datetime::arith(op, x, y).ok_or_else(|| unsupported(op, a, b))
        }
        _ => Err(unsupported(op, a, b)),
    }
}

fn int_like(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(*b as i64),
        _ => None,
    }
}

/// The items a list, tuple or record compares by (a copy).
fn ordered_items(v: &Value) -> Vec<Value> {
    match v {
        Value::Record(r) => r.values(),
        _ => v.as_seq().unwrap_or_default(),
    }
}

fn cmp_sym(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
        _ => "==",
    }
}

/// Ordering for <, <=, >, >= (None when the values are unordered, e.g. NaN).
pub fn order(a: &Value, b: &Value, op: CmpOp) -> Result<Option<std::cmp::Ordering>, Exception> {
    order_depth(a, b, op, 0)
}

fn order_depth(
    a: &Value,
    b: &Value,
    op: CmpOp,
    depth: usize,
) -> Result<Option<std::cmp::Ordering>, Exception> {
    use std::cmp::Ordering;
    if depth > crate::value::MAX_NESTING {
        return Err(Exception::builtin(
            "RecursionError",
            "maximum recursion depth exceeded in comparison",
        ));
    }
    Ok(match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        _ if is_num(a) && is_num(b) => {
            if let (Some(x), Some(y)) = (int_like(a), int_like(b)) {
                Some(x.cmp(&y))
            } else {
                a.as_float()
                    .unwrap_or(0.0)
                    .partial_cmp(&b.as_float().unwrap_or(0.0))
            }
        }
        (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
        (Value::Bytes(x), Value::Bytes(y)) => Some(x.cmp(y)),
        // Records are namedtuples: they order like tuples, against each other and plain tuples.
        (Value::List(_), Value::List(_))
        | (Value::Tuple(_) | Value::Record(_), Value::Tuple(_) | Value::Record(_)) => {
            let (xs, ys) = (ordered_items(a), ordered_items(b));
            for (x, y) in xs.iter().zip(ys.iter()) {
                if !x.eq(y) {
                    return order_depth(x, y, op, depth + 1);
                }
            }
            Some(xs.len().cmp(&ys.len()))
        }
        (Value::Native(x), Value::Native(y)) => match (&**x, &**y) {
            (Native::Datetime { us: p, .. }, Native::Datetime { us: q, .. }) => Some(p.cmp(q)),
            (Native::Timedelta { us: p }, Native::Timedelta { us: q }) => Some(p.cmp(q)),
            _ => None,
        },
        (Value::Set(x), Value::Set(y)) => {
            let (x, y) = (x.borrow(), y.borrow());
            let sub = x.iter().all(|(k, _)| y.contains(k).unwrap_or(false));
            let sup = y.iter().all(|(k, _)| x.contains(k).unwrap_or(false));
            match (sub, sup) {
                (true, true) => Some(Ordering::Equal),
                (true, false) => Some(Ordering::Less),
                (false, true) => Some(Ordering::Greater),
                _ => return Ok(None),
            }
        }
        _ => {
            return Err(Exception::type_error_fmt(format_args!(
                "'{}' not supported between instances of '{}' and '{}'",
                cmp_sym(op),
                a.type_name(),
                b.type_name()
            )))
        }
    })
}

pub fn compare(op: CmpOp, a: &Value, b: &Value) -> Result<bool, Exception> {
    use std::cmp::Ordering::*;
    let o = order(a, b, op)?;
    Ok(match (op, o) {
        (_, None) => false,
        (CmpOp::Lt, Some(o)) => o == Less,
        (CmpOp::Le, Some(o)) => o != Greater,
        (CmpOp::Gt, Some(o)) => o == Greater,
        (CmpOp::Ge, Some(o)) => o != Less,
        _ => false,
    })
}

/// Whether one of `items` equals `item`.
fn any_eq(items: &[Value], item: &Value) -> bool {
    items.iter().any(|x| x.eq(item))
}

pub fn contains(container: &Value, item: &Value) -> Result<bool, Exception> {
    match container {
        Value::Str(s) => match item {
            Value::Str(x) => Ok(s.contains(&**x)),
            other => Err(Exception::type_error_fmt(format_args!(
                "'in <string>' requires string as left operand, not {}",
                other.type_name()
            ))),
        },
        Value::Bytes(b) => match item {
            Value::Bytes(x) => Ok(x.is_empty() || b.windows(x.len()).any(|w| w == x.as_slice())),
            Value::Int(i) => Ok(b.iter().any(|c| *c as i64 == *i)),
            other => Err(Exception::type_error_fmt(format_args!(
                "a bytes-like object is required, not '{}'",
                other.type_name()
            ))),
        },
        Value::List(l) => Ok(any_eq(&l.borrow(), item)),
        Value::Tuple(t) => Ok(any_eq(t, item)),
        Value::Record(r) => Ok(r.fields.iter().any(|(_, x)| x.eq(item))),
        Value::View(v) => match v.0 {
            crate::value::ViewKind::Keys => v.1.borrow().contains(item),
            kind => Ok(any_eq(&crate::value::view_items(kind, &v.1.borrow()), item)),
        },
        Value::Dict(d) | Value::Set(d) => d.borrow().contains(item),
        Value::Range(r) => match int_like(item) {
            Some(i) => {
                let (start, stop, step) = **r;
                Ok(if step > 0 {
                    i >= start && i < stop
                } else {
                    i <= start && i > stop
                } && (i - start) % step == 0)
            }
            None => Ok(false),
        },
        other => Err(Exception::type_error_fmt(format_args!(
            "argument of type '{}' is not iterable",
            other.type_name()
        ))),
    }
}

fn index_of(len: usize, idx: i64, what: &str) -> Result<usize, Exception> {
    let n = len as i64;
    let i = if idx < 0 { idx + n } else { idx };
    if i < 0 || i >= n {
        return Err(Exception::builtin_fmt(
            "IndexError",
            format_args!("{} index out of range", what),
        ));
    }
    Ok(i as usize)
}

fn slice_arg(v: &Value) -> Result<Option<i64>, Exception> {
    match v {
        Value::None => Ok(None),
        other => int_like(other).map(Some).ok_or_else(|| {
            Exception::type_error(
                "slice indices must be integers or None or have an __index__ method",
            )
        }),
    }
}

/// Indices selected by a slice over a sequence of `len` items.
pub fn slice_indices(len: usize, s: &(Value, Value, Value)) -> Result<Vec<usize>, Exception> {
    let n = len as i64;
    let step = slice_arg(&s.2)?.unwrap_or(1);
    if step == 0 {
        return Err(Exception::value_error("slice step cannot be zero"));
    }
    let clamp = |v: Option<i64>, default: i64, lo: i64, hi: i64| -> i64 {
        match v {
            None => default,
            Some(x) => {
                let x = if x < 0 { x.saturating_add(n) } else { x };
                x.clamp(lo, hi)
            }
        }
    };
    let mut out = Vec::new();
    if step > 0 {
        let start = clamp(slice_arg(&s.0)?, 0, 0, n);
        let stop = clamp(slice_arg(&s.1)?, n, 0, n);
        let mut i = start;
        while i < stop {
            out.push(i as usize);
            i = match i.checked_add(step) {
                Some(v) => v,
                None => break,
            };
        }
    } else {
        let start = clamp(slice_arg(&s.0)?, n - 1, -1, n - 1);
        let stop = clamp(slice_arg(&s.1)?, -1, -1, n - 1);
        let mut i = start;
        while i > stop {
            out.push(i as usize);
            i = match i.checked_add(step) {
                Some(v) => v,
                None => break,
            };
        }
    }
    Ok(out)
}

/// `items[idx]` for a list's or tuple's items (`what` names the type); `idx` is an int,
/// a bool or a slice (which gives a value of the same type).
fn seq_getitem(items: &[Value], idx: &Value, what: &str) -> Result<Value, Exception> {
    if let Value::Slice(s) = idx {
        let mut v = Vec::new();
        for i in slice_indices(items.len(), s)? {
            if let Some(x) = items.get(i) {
                v.push(x.clone());
            }
        }
        return Ok(if what == "list" {
            Value::list(v)
        } else {
            Value::tuple(v)
        });
    }
    let i = index_of(items.len(), int_like(idx).unwrap_or(0), what)?;
    Ok(items.get(i).cloned().unwrap_or(Value::None))
}

pub fn getitem(obj: &Value, idx: &Value) -> Result<Value, Exception> {
    match (obj, idx) {
        (Value::List(l), Value::Int(_) | Value::Bool(_) | Value::Slice(_)) => {
            seq_getitem(&l.borrow(), idx, "list")
        }
        (Value::Tuple(t), Value::Int(_) | Value::Bool(_) | Value::Slice(_)) => {
            seq_getitem(t, idx, "tuple")
        }
        (Value::Record(r), Value::Int(_) | Value::Bool(_)) => {
            let i = index_of(r.fields.len(), int_like(idx).unwrap_or(0), "tuple")?;
            Ok(r.fields[i].1.clone())
        }
        (Value::Str(s), Value::Int(_) | Value::Bool(_)) => {
            let i = int_like(idx).unwrap_or(0);
            if s.is_ascii() {
                let j = index_of(s.len(), i, "string")?;
                return Ok(Value::str(&s[j..j + 1]));
            }
            let chars = crate::format::chars_of(s);
            let j = index_of(chars.len(), i, "string")?;
            Ok(Value::str(&chars[j].to_string()))
        }
        (Value::Bytes(b), Value::Int(_) | Value::Bool(_)) => {
            let j = index_of(b.len(), int_like(idx).unwrap_or(0), "index")?;
            Ok(Value::Int(b[j] as i64))
        }
        (Value::Range(r), Value::Int(i)) => {
            let n = range_len(r.0, r.1, r.2);
            let j = index_of(n.max(0) as usize, *i, "range object")?;
            Ok(Value::Int(r.0 + r.2 * j as i64))
        }
        (Value::Str(st), Value::Slice(s)) => {
            let chars = crate::format::chars_of(st);
            let ix = slice_indices(chars.len(), s)?;
            let mut out = String::with_capacity(ix.len());
            for i in ix {
                out.push(chars[i]);
            }
            Ok(Value::str(&out))
        }
        (Value::Bytes(b), Value::Slice(s)) => {
            let ix = slice_indices(b.len(), s)?;
            let mut out = Vec::with_capacity(ix.len());
            for i in ix {
                out.push(b[i]);
            }
            Ok(Value::bytes(&out))
        }
        (Value::Dict(d), k) => match d.borrow().get(k)? {
            Some(v) => Ok(v),
            None => Err(crate::builtins::key_error(k.clone())),
        },
        (
            Value::List(_) | Value::Tuple(_) | Value::Str(_) | Value::Bytes(_) | Value::Record(_),
            _,
        ) => {
            let what = match obj {
                Value::Str(_) => "string",
                Value::Bytes(_) => "byte",
                Value::Record(_) => "tuple",
                other => other.type_name(),
            };
            Err(Exception::type_error_fmt(format_args!(
                "{} indices must be integers or slices, not {}",
                what,
                idx.type_name()
            )))
        }
        _ => Err(Exception::type_error_fmt(format_args!(
            "'{}' object is not subscriptable",
            obj.type_name()
        ))),
    }
}

pub fn setitem(
    proc: &mut crate::vm::Process,
    obj: &Value,
    idx: Value,
    v: Value,
) -> Result<(), Exception> {
    match (obj, &idx) {
        (Value::List(l), Value::Int(_) | Value::Bool(_)) => {
            let mut l = l.borrow_mut();
            let i = index_of(l.len(), int_like(&idx).unwrap_or(0), "list assignment")?;
            l[i] = v;
            Ok(())
        }
        (Value::List(l), Value::Slice(s)) => {
            let items = match &v {
                Value::List(x) => x.borrow().clone(),
                Value::Tuple(t) => t.to_vec(),
                other => {
                    return Err(Exception::type_error_fmt(format_args!(
                        "can only assign an iterable, not '{}'",
                        other.type_name()
                    )))
                }
            };
            let mut l = l.borrow_mut();
            let ix = slice_indices(l.len(), s)?;
            let step = slice_arg(&s.2)?.unwrap_or(1);
            if step == 1 {
                let start = match ix.first() {
                    Some(&f) => f,
                    None => {
                        let n = l.len() as i64;
                        let st = slice_arg(&s.0)?.unwrap_or(0);
                        (if st < 0 { st + n } else { st }).clamp(0, n) as usize
                    }
                };
                let end = start + ix.len();
                proc.limits.check_len(l.len() - ix.len() + items.len())?;
                l.splice(start..end, items);
                Ok(())
            } else {
                if ix.len() != items.len() {
                    return Err(Exception::value_error_fmt(format_args!(
                        "attempt to assign sequence of size {} to extended slice of size {}",
                        items.len(),
                        ix.len()
                    )));
                }
                for (i, x) in ix.into_iter().zip(items) {
                    l[i] = x;
                }
                Ok(())
            }
        }
        (Value::Dict(d), _) => {
            let len = d.borrow().len();
            proc.limits.check_len(len + 1)?;
            d.borrow_mut().insert(idx, v)
        }
        (Value::List(_), _) => Err(Exception::type_error_fmt(format_args!(
            "list indices must be integers or slices, not {}",
            idx.type_name()
        ))),
        _ => Err(Exception::type_error_fmt(format_args!(
            "'{}' object does not support item assignment",
            obj.type_name()
        ))),
    }
}

pub fn delitem(obj: &Value, idx: &Value) -> Result<(), Exception> {
    match (obj, idx) {
        (Value::List(l), Value::Int(i)) => {
            let mut l = l.borrow_mut();
            let j = index_of(l.len(), *i, "list assignment")?;
            l.remove(j);
            Ok(())
        }
        (Value::List(l), Value::Slice(s)) => {
            let mut l = l.borrow_mut();
            // Mark the slice's positions and keep the rest (no sort, one pass).
            let mut gone = vec![false; l.len()];
            for i in slice_indices(l.len(), s)? {
                if let Some(g) = gone.get_mut(i) {
                    *g = true;
                }
            }
            let mut at = 0;
            l.retain(|_| {
                let keep = !gone.get(at).copied().unwrap_or(false);
                at += 1;
                keep
            });
            Ok(())
        }
        (Value::Dict(d), k) => match d.borrow_mut().remove(k)? {
            Some(_) => Ok(()),
            None => Err(crate::builtins::key_error(k.clone())),
        },
        _ => Err(Exception::type_error_fmt(format_args!(
            "'{}' object does not support item deletion",
            obj.type_name()
        ))),
    }
}
