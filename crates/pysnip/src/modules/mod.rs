//! Built-in modules: json, time, random, uuid, datetime, math.

pub mod datetime;
pub mod json;
pub mod random;
pub mod time;
pub mod uuid;

use crate::value::Value;

/// A fresh instance of a built-in module, or None if `name` is not built in.
pub fn builtin_module(name: &str) -> Option<Value> {
    Some(match name {
        "json" => json::module(),
        "time" => time::module(),
        "random" => random::module(),
        "uuid" => uuid::module(),
        "datetime" => datetime::module(),
        "math" => time::math_module(),
        "sys" => time::sys_module(),
        _ => return None,
    })
}
