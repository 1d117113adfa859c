//! Resource limits of a process: recursion depth, string and collection sizes, memory, callback fuel.

use crate::error::Exception;

/// Limits checked before allocating; exceeding one raises MemoryError / RecursionError.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Maximum number of Python frames (RecursionError beyond).
    pub max_stack_depth: usize,
    /// Maximum size of one str or bytes value, in bytes.
    pub max_string_bytes: usize,
    /// Maximum number of items in one list, tuple, dict or set.
    pub max_collection_len: usize,
    /// Approximate maximum of live memory reachable from the program (checked periodically).
    pub max_total_bytes: usize,
    /// Instructions a synchronous callback (`call_value`) may run before failing.
    pub callback_fuel: u64,
    /// Maximum nesting of synchronous callbacks (sorted(key=...) inside a host call...).
    pub max_callback_depth: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_stack_depth: 200,
            max_string_bytes: 16 << 20,
            max_collection_len: 4_000_000,
            max_total_bytes: 128 << 20,
            callback_fuel: 10_000_000,
            max_callback_depth: 16,
        }
    }
}

impl Limits {
    pub fn check_str(&self, len: usize) -> Result<(), Exception> {
        if len > self.max_string_bytes {
            return Err(Exception::builtin_fmt(
                "MemoryError",
                format_args!(
                    "string of {} bytes exceeds the playground limit of {} bytes",
                    len, self.max_string_bytes
                ),
            ));
        }
        Ok(())
    }
    pub fn check_len(&self, len: usize) -> Result<(), Exception> {
        if len > self.max_collection_len {
            return Err(Exception::builtin_fmt(
                "MemoryError",
                format_args!(
                    "collection of {} items exceeds the playground limit of {} items",
                    len, self.max_collection_len
                ),
            ));
        }
        Ok(())
    }
}
