//! The `random` module, drawing from the host's seeded RNG.

use std::rc::Rc;

use crate::builtins::module_with as make_module;
use crate::error::Exception;
use crate::value::{Builtin, Value};
use crate::vm::Process;
use crate::Host;

type Kw = Vec<(Rc<str>, Value)>;
type R = Result<Value, Exception>;

static FUNCS: [Builtin; 8] = [
    Builtin {
        name: "random",
        f: r_random,
    },
    Builtin {
        name: "randint",
        f: r_randint,
    },
    Builtin {
        name: "choice",
        f: r_choice,
    },
    Builtin {
        name: "uniform",
        f: r_uniform,
    },
    Builtin {
        name: "shuffle",
        f: r_shuffle,
    },
    Builtin {
        name: "randrange",
        f: r_randrange,
    },
    Builtin {
        name: "seed",
        f: r_seed,
    },
    Builtin {
        name: "sample",
        f: r_sample,
    },
];

pub fn module() -> Value {
    make_module("random", &FUNCS, vec![])
}

fn unit(h: &mut dyn Host) -> f64 {
    (h.random_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A uniform integer in [0, n).
pub fn below(h: &mut dyn Host, n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    let zone = u64::MAX - (u64::MAX % n);
    loop {
        let r = h.random_u64();
        if r < zone {
            return r % n;
        }
    }
}

fn int(v: Option<&Value>) -> Result<i64, Exception> {
    v.and_then(|v| v.as_int())
        .ok_or_else(|| Exception::type_error("an integer is required"))
}

fn r_random(_p: &mut Process, h: &mut dyn Host, _a: Vec<Value>, _k: Kw) -> R {
    Ok(Value::Float(unit(h)))
}
fn r_randint(_p: &mut Process, h: &mut dyn Host, a: Vec<Value>, _k: Kw) -> R {
    let (lo, hi) = (int(a.first())?, int(a.get(1))?);
    if hi < lo {
        return Err(Exception::value_error_fmt(format_args!(
            "empty range in randrange({}, {})",
            lo,
            hi as i128 + 1
        )));
    }
    let span = (hi as i128 - lo as i128 + 1) as u128;
    let r = if span > u64::MAX as u128 {
        h.random_u64() as u128
    } else {
        below(h, span as u64) as u128
    };
    Ok(Value::Int((lo as i128 + r as i128) as i64))
}
fn r_randrange(_p: &mut Process, h: &mut dyn Host, a: Vec<Value>, _k: Kw) -> R {
    let (start, stop, step) = match a.len() {
        1 => (0, int(a.first())?, 1),
        2 => (int(a.first())?, int(a.get(1))?, 1),
        _ => (int(a.first())?, int(a.get(1))?, int(a.get(2))?),
    };
    if step == 0 {
        return Err(Exception::value_error("zero step for randrange()"));
    }
    let n = crate::value::range_len(start, stop, step);
    if n <= 0 {
        return Err(Exception::value_error_fmt(format_args!(
            "empty range in randrange({}, {})",
            start, stop
        )));
    }
    let k = below(h, n as u64) as i64;
    Ok(Value::Int(start + k * step))
}
fn r_choice(p: &mut Process, h: &mut dyn Host, a: Vec<Value>, _k: Kw) -> R {
    let items = p.collect(h, a.first().unwrap_or(&Value::None))?;
    if items.is_empty() {
        return Err(Exception::builtin(
            "IndexError",
            "Cannot choose from an empty sequence",
        ));
    }
    let i = below(h, items.len() as u64) as usize;
    Ok(items[i].clone())
}
fn r_uniform(_p: &mut Process, h: &mut dyn Host, a: Vec<Value>, _k: Kw) -> R {
    let lo = a
        .first()
        .and_then(|v| v.as_float())
        .ok_or_else(|| Exception::type_error("must be real number"))?;
    let hi = a
        .get(1)
        .and_then(|v| v.as_float())
        .ok_or_else(|| Exception::type_error("must be real number"))?;
    Ok(Value::Float(lo + (hi - lo) * unit(h)))
}
fn r_shuffle(_p: &mut Process, h: &mut dyn Host, a: Vec<Value>, _k: Kw) -> R {
    let Some(Value::List(l)) = a.first() else {
        return Err(Exception::type_error("shuffle() expects a list"));
    };
    let mut l = l.borrow_mut();
    for i in (1..l.len()).rev() {
        let j = below(h, i as u64 + 1) as usize;
        l.swap(i, j);
    }
    Ok(Value::None)
}
fn r_sample(p: &mut Process, h: &mut dyn Host, a: Vec<Value>, _k: Kw) -> R {
    let mut items = p.collect(h, a.first().unwrap_or(&Value::None))?;
    let k = int(a.get(1))?;
    if k < 0 || k as usize > items.len() {
        return Err(Exception::value_error(
            "Sample larger than population or is negative",
        ));
    }
    let mut out = Vec::new();
    for _ in 0..k {
        let i = below(h, items.len() as u64) as usize;
        out.push(items.remove(i));
    }
    Ok(Value::list(out))
}
fn r_seed(_p: &mut Process, _h: &mut dyn Host, _a: Vec<Value>, _k: Kw) -> R {
    Ok(Value::None)
}
