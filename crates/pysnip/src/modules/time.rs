//! The `time` module (virtual time from the host; `sleep` blocks) and a small `math` module.

use std::rc::Rc;

use crate::builtins::module_with as make_module;
use crate::error::Exception;
use crate::value::{Builtin, Value};
use crate::vm::Process;
use crate::{Block, Host};

type Kw = Vec<(Rc<str>, Value)>;
type R = Result<Value, Exception>;

static FUNCS: [Builtin; 6] = [
    Builtin {
        name: "time",
        f: t_time,
    },
    Builtin {
        name: "time_ns",
        f: t_time_ns,
    },
    Builtin {
        name: "monotonic",
        f: t_monotonic,
    },
    Builtin {
        name: "perf_counter",
        f: t_monotonic,
    },
    Builtin {
        name: "sleep",
        f: t_sleep,
    },
    Builtin {
        name: "strftime",
        f: t_strftime,
    },
];

pub fn module() -> Value {
    make_module("time", &FUNCS, vec![])
}

/// Milliseconds since the Unix epoch in virtual time.
pub fn epoch_now_ms(h: &dyn Host) -> i64 {
    h.epoch_ms().saturating_add(h.now_ms() as i64)
}

fn t_time(_p: &mut Process, h: &mut dyn Host, _a: Vec<Value>, _k: Kw) -> R {
    Ok(Value::Float(epoch_now_ms(h) as f64 / 1000.0))
}
fn t_time_ns(_p: &mut Process, h: &mut dyn Host, _a: Vec<Value>, _k: Kw) -> R {
    Ok(Value::Int(epoch_now_ms(h).saturating_mul(1_000_000)))
}
fn t_monotonic(_p: &mut Process, h: &mut dyn Host, _a: Vec<Value>, _k: Kw) -> R {
    Ok(Value::Float(h.now_ms() as f64 / 1000.0))
}
/// `time.strftime(format[, seconds])` in UTC (the playground has no local time zone).
fn t_strftime(_p: &mut Process, h: &mut dyn Host, a: Vec<Value>, _k: Kw) -> R {
    let fmt = a
        .first()
        .and_then(|v| v.as_str())
        .ok_or_else(|| Exception::type_error("strftime() argument 1 must be str"))?;
    let us = match a.get(1).and_then(|v| v.as_float()) {
        Some(s) if s.is_finite() && s.abs() < 1e14 => (s * 1e6) as i64,
        _ => epoch_now_ms(h).saturating_mul(1000),
    };
    let dt = crate::value::Native::Datetime { us, utc: false };
    Ok(Value::string(crate::modules::datetime::strftime(&dt, fmt)))
}

fn t_sleep(p: &mut Process, _h: &mut dyn Host, a: Vec<Value>, _k: Kw) -> R {
    let s = a
        .first()
        .and_then(|v| v.as_float())
        .ok_or_else(|| Exception::type_error("sleep() argument must be a number"))?;
    if s.is_nan() || s < 0.0 {
        return Err(Exception::value_error("sleep length must be non-negative"));
    }
    let ms = (s * 1000.0).round();
    let ms = if ms > 1e15 { 1e15 as u64 } else { ms as u64 };
    p.pending_block = Some(Block::Sleep { ms });
    Ok(Value::None)
}

static SYS: [Builtin; 1] = [Builtin {
    name: "exit",
    f: s_exit,
}];

static STDOUT: [Builtin; 2] = [
    Builtin {
        name: "write",
        f: s_write,
    },
    Builtin {
        name: "flush",
        f: s_noop,
    },
];

/// A minimal `sys`: `exit`, `argv`, `version`, `stdout.write/flush`, `maxsize`.
pub fn sys_module() -> Value {
    let stdout = make_module("stdout", &STDOUT, vec![]);
    make_module(
        "sys",
        &SYS,
        vec![
            ("argv", Value::list(vec![Value::str("main.py")])),
            ("version", Value::str("3.11 (pysnip playground subset)")),
            ("maxsize", Value::Int(i64::MAX)),
            ("stdout", stdout),
        ],
    )
}

fn s_exit(_p: &mut Process, _h: &mut dyn Host, a: Vec<Value>, _k: Kw) -> R {
    Err(Exception::with_args(
        &crate::error::builtin_class("SystemExit"),
        a,
    ))
}
fn s_noop(_p: &mut Process, _h: &mut dyn Host, _a: Vec<Value>, _k: Kw) -> R {
    Ok(Value::None)
}
fn s_write(p: &mut Process, h: &mut dyn Host, a: Vec<Value>, _k: Kw) -> R {
    let s = match a.first() {
        Some(Value::Str(s)) => s.to_string(),
        Some(other) => {
            return Err(Exception::type_error_fmt(format_args!(
                "write() argument must be str, not {}",
                other.type_name()
            )))
        }
        None => {
            return Err(Exception::type_error(
                "write() takes exactly one argument (0 given)",
            ))
        }
    };
    p.limits.check_str(s.len())?;
    h.print(&s);
    Ok(Value::Int(s.chars().count() as i64))
}

static MATH: [Builtin; 5] = [
    Builtin {
        name: "floor",
        f: m_floor,
    },
    Builtin {
        name: "ceil",
        f: m_ceil,
    },
    Builtin {
        name: "sqrt",
        f: m_sqrt,
    },
    Builtin {
        name: "isnan",
        f: m_isnan,
    },
    Builtin {
        name: "log",
        f: m_log,
    },
];

pub fn math_module() -> Value {
    make_module(
        "math",
        &MATH,
        vec![
            ("pi", Value::Float(std::f64::consts::PI)),
            ("e", Value::Float(std::f64::consts::E)),
            ("inf", Value::Float(f64::INFINITY)),
            ("nan", Value::Float(f64::NAN)),
        ],
    )
}

fn num(a: &[Value]) -> Result<f64, Exception> {
    a.first()
        .and_then(|v| v.as_float())
        .ok_or_else(|| Exception::type_error("must be real number"))
}
fn to_int(f: f64) -> R {
    if !f.is_finite() || f.abs() >= 9.2e18 {
        return Err(Exception::builtin(
            "OverflowError",
            "cannot convert float infinity to integer",
        ));
    }
    Ok(Value::Int(f as i64))
}
fn m_floor(_p: &mut Process, _h: &mut dyn Host, a: Vec<Value>, _k: Kw) -> R {
    if let Some(Value::Int(i)) = a.first() {
        return Ok(Value::Int(*i));
    }
    to_int(num(&a)?.floor())
}
fn m_ceil(_p: &mut Process, _h: &mut dyn Host, a: Vec<Value>, _k: Kw) -> R {
    if let Some(Value::Int(i)) = a.first() {
        return Ok(Value::Int(*i));
    }
    to_int(num(&a)?.ceil())
}
fn m_sqrt(_p: &mut Process, _h: &mut dyn Host, a: Vec<Value>, _k: Kw) -> R {
    let x = num(&a)?;
    if x < 0.0 {
        return Err(Exception::value_error("math domain error"));
    }
    Ok(Value::Float(x.sqrt()))
}
fn m_isnan(_p: &mut Process, _h: &mut dyn Host, a: Vec<Value>, _k: Kw) -> R {
    Ok(Value::Bool(num(&a)?.is_nan()))
}
fn m_log(_p: &mut Process, _h: &mut dyn Host, a: Vec<Value>, _k: Kw) -> R {
    let x = num(&a)?;
    if x <= 0.0 {
        return Err(Exception::value_error("math domain error"));
    }
    match a.get(1).and_then(|v| v.as_float()) {
        Some(b) => Ok(Value::Float(x.ln() / b.ln())),
        None => Ok(Value::Float(x.ln())),
    }
}
