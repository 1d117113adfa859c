//! The `uuid` module: `uuid4()` from the host's RNG, `str(u)`, `u.hex`.

use std::rc::Rc;

use crate::builtins::module_with as make_module;
use crate::error::Exception;
use crate::value::{Builtin, Native, Value};
use crate::vm::Process;
use crate::Host;

type Kw = Vec<(Rc<str>, Value)>;

static FUNCS: [Builtin; 1] = [Builtin {
    name: "uuid4",
    f: uuid4,
}];

pub fn module() -> Value {
    make_module("uuid", &FUNCS, vec![])
}

fn uuid4(_p: &mut Process, h: &mut dyn Host, _a: Vec<Value>, _k: Kw) -> Result<Value, Exception> {
    let hi = h.random_u64() as u128;
    let lo = h.random_u64() as u128;
    let mut u = (hi << 64) | lo;
    // version 4, variant RFC 4122
    u &= !(0xf000u128 << 64);
    u |= 0x4000u128 << 64;
    u &= !(0xc000_0000_0000_0000u128);
    u |= 0x8000_0000_0000_0000u128;
    Ok(Value::Native(Rc::new(Native::Uuid(u))))
}

pub fn uuid_hex(u: u128) -> String {
    format!("{:032x}", u)
}

pub fn uuid_str(u: u128) -> String {
    let h = uuid_hex(u);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}
