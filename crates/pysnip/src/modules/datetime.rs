//! The `datetime` module on host virtual time: datetime.now/utcnow, isoformat, timezone.utc, timedelta.

use std::fmt::Write;
use std::rc::Rc;

use crate::ast::BinOp;
use crate::builtins::module_with as make_module;
use crate::error::Exception;
use crate::value::{Builtin, Native, Value};
use crate::vm::Process;
use crate::Host;

type Kw = Vec<(Rc<str>, Value)>;
type R = Result<Value, Exception>;

static CLASS: [Builtin; 3] = [
    Builtin {
        name: "now",
        f: dt_now,
    },
    Builtin {
        name: "utcnow",
        f: dt_utcnow,
    },
    Builtin {
        name: "fromtimestamp",
        f: dt_fromtimestamp,
    },
];

static FUNCS: [Builtin; 1] = [Builtin {
    name: "timedelta",
    f: td_new,
}];

pub fn module() -> Value {
    let dt_class = make_module("datetime", &CLASS, vec![]);
    let tz = make_module(
        "timezone",
        &[],
        vec![("utc", Value::Native(Rc::new(Native::TimezoneUtc)))],
    );
    make_module(
        "datetime",
        &FUNCS,
        vec![("datetime", dt_class), ("timezone", tz)],
    )
}

fn dt(us: i64, utc: bool) -> Value {
    Value::Native(Rc::new(Native::Datetime { us, utc }))
}

fn is_utc(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Native(n)) if matches!(**n, Native::TimezoneUtc))
}

fn dt_now(_p: &mut Process, h: &mut dyn Host, a: Vec<Value>, k: Kw) -> R {
    let tz = a
        .first()
        .cloned()
        .or_else(|| crate::builtins::kwarg(&k, "tz"));
    Ok(dt(
        crate::modules::time::epoch_now_ms(h).saturating_mul(1000),
        is_utc(tz.as_ref()),
    ))
}

fn dt_utcnow(_p: &mut Process, h: &mut dyn Host, _a: Vec<Value>, _k: Kw) -> R {
    Ok(dt(
        crate::modules::time::epoch_now_ms(h).saturating_mul(1000),
        false,
    ))
}

fn dt_fromtimestamp(_p: &mut Process, _h: &mut dyn Host, a: Vec<Value>, k: Kw) -> R {
    let ts = a
        .first()
        .and_then(|v| v.as_float())
        .ok_or_else(|| Exception::type_error("fromtimestamp() expects a number"))?;
    let tz = a
        .get(1)
        .cloned()
        .or_else(|| crate::builtins::kwarg(&k, "tz"));
    if !ts.is_finite() || ts.abs() > 1e14 {
        return Err(Exception::value_error("year is out of range"));
    }
    Ok(dt((ts * 1e6).round() as i64, is_utc(tz.as_ref())))
}

fn td_new(_p: &mut Process, _h: &mut dyn Host, a: Vec<Value>, k: Kw) -> R {
    let names = [
        "days",
        "seconds",
        "microseconds",
        "milliseconds",
        "minutes",
        "hours",
        "weeks",
    ];
    let factors = [86_400e6, 1e6, 1.0, 1e3, 60e6, 3600e6, 604_800e6];
    let mut total = 0f64;
    for (i, v) in a.iter().enumerate() {
        let f = factors
            .get(i)
            .ok_or_else(|| Exception::type_error("too many arguments to timedelta()"))?;
        total += v
            .as_float()
            .ok_or_else(|| Exception::type_error("unsupported type for timedelta component"))?
            * f;
    }
    for (n, v) in &k {
        let i = names.iter().position(|x| *x == &**n).ok_or_else(|| {
            Exception::type_error_fmt(format_args!(
                "'{}' is an invalid keyword argument for __new__()",
                n
            ))
        })?;
        total += v
            .as_float()
            .ok_or_else(|| Exception::type_error("unsupported type for timedelta component"))?
            * factors[i];
    }
    if !total.is_finite() || total.abs() > 8.64e19 {
        return Err(Exception::builtin(
            "OverflowError",
            "days=1000000000; must have magnitude <= 999999999",
        ));
    }
    Ok(Value::Native(Rc::new(Native::Timedelta {
        us: total.round() as i64,
    })))
}

/// (year, month, day) from days since 1970-01-01.
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

struct Parts {
    y: i64,
    mo: i64,
    d: i64,
    h: i64,
    mi: i64,
    s: i64,
    us: i64,
    wday: i64,
}

fn parts(us: i64) -> Parts {
    let days = us.div_euclid(86_400_000_000);
    let rem = us.rem_euclid(86_400_000_000);
    let (y, mo, d) = civil(days);
    Parts {
        y,
        mo,
        d,
        h: rem / 3_600_000_000,
        mi: rem / 60_000_000 % 60,
        s: rem / 1_000_000 % 60,
        us: rem % 1_000_000,
        wday: (days + 3).rem_euclid(7), // Monday = 0
    }
}

pub fn isoformat(n: &Native, sep: &str) -> String {
    match n {
        Native::Datetime { us, utc } => {
            let p = parts(*us);
            let mut s = format!(
                "{:04}-{:02}-{:02}{}{:02}:{:02}:{:02}",
                p.y, p.mo, p.d, sep, p.h, p.mi, p.s
            );
            if p.us != 0 {
                let _ = write!(s, ".{:06}", p.us);
            }
            if *utc {
                s.push_str("+00:00");
            }
            s
        }
        _ => String::new(),
    }
}

pub fn timedelta_str(us: i64) -> String {
    let days = us.div_euclid(86_400_000_000);
    let rem = us.rem_euclid(86_400_000_000);
    let mut s = String::new();
    if days != 0 {
        let _ = write!(
            s,
            "{} day{}, ",
            days,
            if days.abs() == 1 { "" } else { "s" }
        );
    }
    let _ = write!(
        s,
        "{}:{:02}:{:02}",
        rem / 3_600_000_000,
        rem / 60_000_000 % 60,
        rem / 1_000_000 % 60
    );
    if rem % 1_000_000 != 0 {
        let _ = write!(s, ".{:06}", rem % 1_000_000);
    }
    s
}

pub fn native_repr(n: &Native) -> String {
    let mut s = String::new();
    match n {
        Native::Datetime { us, utc } => {
            let p = parts(*us);
            let _ = write!(
                s,
                "datetime.datetime({}, {}, {}, {}, {}",
                p.y, p.mo, p.d, p.h, p.mi
            );
            if p.s != 0 || p.us != 0 {
                let _ = write!(s, ", {}", p.s);
            }
            if p.us != 0 {
                let _ = write!(s, ", {}", p.us);
            }
            if *utc {
                s.push_str(", tzinfo=datetime.timezone.utc");
            }
            s.push(')');
        }
        Native::Timedelta { us } => {
            let days = us.div_euclid(86_400_000_000);
            let rem = us.rem_euclid(86_400_000_000);
            s.push_str("datetime.timedelta(");
            let fields = [
                ("days=", days),
                ("seconds=", rem / 1_000_000),
                ("microseconds=", rem % 1_000_000),
            ];
            let mut first = true;
            for (k, v) in fields {
                if v != 0 {
                    if !first {
                        s.push_str(", ");
                    }
                    first = false;
                    let _ = write!(s, "{}{}", k, v);
                }
            }
            if first {
                s.push('0');
            }
            s.push(')');
        }
        Native::TimezoneUtc => s.push_str("datetime.timezone.utc"),
        Native::Uuid(u) => {
            let _ = write!(s, "UUID('{}')", crate::modules::uuid::uuid_str(*u));
        }
    }
    s
}

const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub fn strftime(n: &Native, fmt: &str) -> String {
    let Native::Datetime { us, utc } = n else {
        return String::new();
    };
    let p = parts(*us);
    let mut out = String::new();
    let mut it = fmt.chars();
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some(c @ ('Y' | 'm' | 'd' | 'H' | 'M' | 'S' | 'f')) => {
                let (v, w) = match c {
                    'Y' => (p.y, 4),
                    'm' => (p.mo, 2),
                    'd' => (p.d, 2),
                    'H' => (p.h, 2),
                    'M' => (p.mi, 2),
                    'S' => (p.s, 2),
                    _ => (p.us, 6),
                };
                let _ = write!(out, "{:0w$}", v, w = w);
            }
            Some('z') => out.push_str(if *utc { "+0000" } else { "" }),
            Some('Z') => out.push_str(if *utc { "UTC" } else { "" }),
            Some(c @ ('A' | 'a' | 'B' | 'b')) => {
                let name = if c.eq_ignore_ascii_case(&'a') {
                    DAYS[p.wday as usize % 7]
                } else {
                    MONTHS[(p.mo as usize).saturating_sub(1) % 12]
                };
                out.push_str(if c.is_ascii_lowercase() {
                    &name[..3]
                } else {
                    name
                });
            }
            Some('%') => out.push('%'),
            Some(o) => {
                out.push('%');
                out.push(o);
            }
            None => out.push('%'),
        }
    }
    out
}

pub fn native_attr(v: &Value, name: &str) -> Option<Value> {
    let Value::Native(n) = v else { return None };
    match &**n {
        Native::Datetime { us, utc } => {
            let p = parts(*us);
            Some(match name {
                "year" => Value::Int(p.y),
                "month" => Value::Int(p.mo),
                "day" => Value::Int(p.d),
                "hour" => Value::Int(p.h),
                "minute" => Value::Int(p.mi),
                "second" => Value::Int(p.s),
                "microsecond" => Value::Int(p.us),
                "tzinfo" => {
                    if *utc {
                        Value::Native(Rc::new(Native::TimezoneUtc))
                    } else {
                        Value::None
                    }
                }
                "isoformat" | "timestamp" | "strftime" | "replace" | "date" | "weekday" => {
                    Value::BoundMethod(Rc::new((v.clone(), Rc::from(name))))
                }
                _ => return None,
            })
        }
        Native::Timedelta { us } => Some(match name {
            "days" => Value::Int(us.div_euclid(86_400_000_000)),
            "seconds" => Value::Int(us.rem_euclid(86_400_000_000) / 1_000_000),
            "microseconds" => Value::Int(us.rem_euclid(1_000_000)),
            "total_seconds" => Value::BoundMethod(Rc::new((v.clone(), Rc::from(name)))),
            _ => return None,
        }),
        Native::Uuid(u) => Some(match name {
            "hex" => Value::string(crate::modules::uuid::uuid_hex(*u)),
            "version" => Value::Int(4),
            _ => return None,
        }),
        Native::TimezoneUtc => None,
    }
}

pub fn call_method(
    _p: &mut Process,
    _h: &mut dyn Host,
    recv: &Value,
    name: &str,
    args: Vec<Value>,
    _k: Kw,
) -> R {
    let Value::Native(n) = recv else {
        return Err(Exception::type_error("not a native object"));
    };
    match (&**n, name) {
        (Native::Datetime { .. }, "isoformat") => {
            let sep = args
                .first()
                .and_then(|s| s.as_str())
                .unwrap_or("T")
                .to_string();
            Ok(Value::string(isoformat(n, &sep)))
        }
        (Native::Datetime { us, .. }, "timestamp") => Ok(Value::Float(*us as f64 / 1e6)),
        (Native::Datetime { .. }, "strftime") => {
            let f = args
                .first()
                .and_then(|s| s.as_str())
                .ok_or_else(|| Exception::type_error("strftime() argument 1 must be str"))?;
            Ok(Value::string(strftime(n, f)))
        }
        (Native::Datetime { us, .. }, "weekday") => Ok(Value::Int(parts(*us).wday)),
        (Native::Timedelta { us }, "total_seconds") => Ok(Value::Float(*us as f64 / 1e6)),
        _ => Err(crate::builtins::no_attr(recv, name)),
    }
}

pub fn arith(op: BinOp, a: &Native, b: &Native) -> Option<Value> {
    let v = match (op, a, b) {
        (BinOp::Add, Native::Datetime { us, utc }, Native::Timedelta { us: d })
        | (BinOp::Add, Native::Timedelta { us: d }, Native::Datetime { us, utc }) => {
            Native::Datetime {
                us: us.checked_add(*d)?,
                utc: *utc,
            }
        }
        (BinOp::Sub, Native::Datetime { us, utc }, Native::Timedelta { us: d }) => {
            Native::Datetime {
                us: us.checked_sub(*d)?,
                utc: *utc,
            }
        }
        (BinOp::Sub, Native::Datetime { us: x, .. }, Native::Datetime { us: y, .. }) => {
            Native::Timedelta {
                us: x.checked_sub(*y)?,
            }
        }
        (BinOp::Add, Native::Timedelta { us: x }, Native::Timedelta { us: y }) => {
            Native::Timedelta {
                us: x.checked_add(*y)?,
            }
        }
        (BinOp::Sub, Native::Timedelta { us: x }, Native::Timedelta { us: y }) => {
            Native::Timedelta {
                us: x.checked_sub(*y)?,
            }
        }
        _ => return None,
    };
    Some(Value::Native(Rc::new(v)))
}
