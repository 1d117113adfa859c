//! Runtime values: the `Value` enum, insertion-ordered dicts and sets, records, host references.

use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::rc::Rc;

use crate::compiler::Code;
use crate::error::{Exception, ExceptionClass};

/// A small, fast, deterministic hasher (FxHash-like) for dict indexes.
#[derive(Default)]
pub struct FxHasher {
    hash: u64,
}

impl Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.hash
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(buf));
        }
    }
    fn write_u64(&mut self, i: u64) {
        self.hash = (self.hash.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(i as u64)
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64)
    }
    fn write_i64(&mut self, i: i64) {
        self.write_u64(i as u64)
    }
}

/// A reference to an object owned by the host (a producer, a consumer, a future...).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct HostRef {
    pub class: Rc<str>,
    pub id: u64,
}

/// A built-in type, usable with `isinstance`, `type(x).__name__` and as a constructor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeKind {
    NoneType,
    Bool,
    Int,
    Float,
    Str,
    Bytes,
    List,
    Tuple,
    Dict,
    Set,
    Range,
    Function,
    BuiltinFunction,
    Module,
    Type,
    Iterator,
    Object,
    Slice,
}

impl TypeKind {
    pub fn name(self) -> &'static str {
        match self {
            TypeKind::NoneType => "NoneType",
            TypeKind::Bool => "bool",
            TypeKind::Int => "int",
            TypeKind::Float => "float",
            TypeKind::Str => "str",
            TypeKind::Bytes => "bytes",
            TypeKind::List => "list",
            TypeKind::Tuple => "tuple",
            TypeKind::Dict => "dict",
            TypeKind::Set => "set",
            TypeKind::Range => "range",
            TypeKind::Function => "function",
            TypeKind::BuiltinFunction => "builtin_function_or_method",
            TypeKind::Module => "module",
            TypeKind::Type => "type",
            TypeKind::Iterator => "iterator",
            TypeKind::Object => "object",
            TypeKind::Slice => "slice",
        }
    }
}

/// A Python function: compiled code plus defaults and closure cells.
pub struct Function {
    pub code: Rc<Code>,
    pub defaults: Vec<Value>,
    pub kwdefaults: Vec<(Rc<str>, Value)>,
    pub closure: Vec<Rc<RefCell<Value>>>,
}

/// Signature of a native function: the process and host are available for callbacks.
pub type NativeFn = fn(
    &mut crate::vm::Process,
    &mut dyn crate::Host,
    Vec<Value>,
    Vec<(Rc<str>, Value)>,
) -> Result<Value, Exception>;

/// A native (Rust) function exposed to Python.
pub struct Builtin {
    pub name: &'static str,
    pub f: NativeFn,
}

/// A module object (built-in or provided by the host).
pub struct Module {
    pub name: Rc<str>,
    pub attrs: RefCell<Vec<(Rc<str>, Value)>>,
}

impl Module {
    pub fn get(&self, name: &str) -> Option<Value> {
        self.attrs
            .borrow()
            .iter()
            .find(|(k, _)| &**k == name)
            .map(|(_, v)| v.clone())
    }
}

/// A namedtuple-like record: attribute access, tuple indexing/unpacking, readable repr.
pub struct Record {
    pub class: Rc<str>,
    pub fields: Vec<(Rc<str>, Value)>,
}

impl Record {
    /// The field values, in order (a copy).
    pub fn values(&self) -> Vec<Value> {
        let mut out = Vec::with_capacity(self.fields.len());
        for (_, v) in &self.fields {
            out.push(v.clone());
        }
        out
    }
}

/// Native objects implemented in this crate (datetime, timedelta, timezone, UUID).
#[derive(Clone, Debug, PartialEq)]
pub enum Native {
    /// Microseconds since the Unix epoch; `utc` marks an aware (UTC) datetime.
    Datetime {
        us: i64,
        utc: bool,
    },
    Timedelta {
        us: i64,
    },
    TimezoneUtc,
    Uuid(u128),
}

/// Which view of a dict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewKind {
    Keys,
    Values,
    Items,
}

impl ViewKind {
    pub fn name(self) -> &'static str {
        match self {
            ViewKind::Keys => "dict_keys",
            ViewKind::Values => "dict_values",
            ViewKind::Items => "dict_items",
        }
    }
}

/// The items a dict view shows now.
pub fn view_items(kind: ViewKind, d: &Dict) -> Vec<Value> {
    match kind {
        ViewKind::Keys => d.keys(),
        ViewKind::Values => d.values(),
        ViewKind::Items => {
            let mut out = Vec::with_capacity(d.len());
            for (k, v) in d.iter() {
                out.push(Value::tuple(vec![k.clone(), v.clone()]));
            }
            out
        }
    }
}

/// Iterator state for `for` loops, `iter()` and `next()`.
pub enum IterState {
    Seq { seq: Value, idx: usize },
    Chars { s: Rc<String>, pos: usize },
    Range { cur: i64, stop: i64, step: i64 },
    Items { items: Vec<Value>, idx: usize },
    Host(HostRef),
    Enumerate { inner: Value, count: i64 },
    Zip(Vec<Value>),
}

/// A Python value. Cloning is cheap (at most an `Rc` increment).
#[repr(u64)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<String>),
    Bytes(Rc<Vec<u8>>),
    List(Rc<RefCell<Vec<Value>>>),
    Tuple(Rc<Vec<Value>>),
    Dict(Rc<RefCell<Dict>>),
    Set(Rc<RefCell<Dict>>),
    Range(Rc<(i64, i64, i64)>),
    Slice(Rc<(Value, Value, Value)>),
    Function(Rc<Function>),
    Builtin(&'static Builtin),
    /// A method of a built-in value bound to its receiver (`f = lst.append`).
    BoundMethod(Rc<(Value, Rc<str>)>),
    Module(Rc<Module>),
    Type(TypeKind),
    ExcClass(Rc<ExceptionClass>),
    Exception(Exception),
    Host(Rc<HostRef>),
    HostMethod(Rc<(HostRef, Rc<str>)>),
    HostFunction(Rc<HostRef>),
    Record(Rc<Record>),
    Native(Rc<Native>),
    Iter(Rc<RefCell<IterState>>),
    /// A live `dict.keys()` / `values()` / `items()` view.
    View(Rc<(ViewKind, Rc<RefCell<Dict>>)>),
    /// Internal marker of an unassigned local variable; never visible to programs.
    #[doc(hidden)]
    Unbound,
}

impl Clone for Value {
    #[inline]
    fn clone(&self) -> Value {
        match self {
            Value::None => Value::None,
            Value::Bool(x) => Value::Bool(*x),
            Value::Int(x) => Value::Int(*x),
            Value::Float(x) => Value::Float(*x),
            Value::Str(x) => Value::Str(x.clone()),
            Value::Bytes(x) => Value::Bytes(x.clone()),
            Value::List(x) => Value::List(x.clone()),
            Value::Tuple(x) => Value::Tuple(x.clone()),
            Value::Dict(x) => Value::Dict(x.clone()),
            Value::Set(x) => Value::Set(x.clone()),
            Value::Range(x) => Value::Range(x.clone()),
            Value::Slice(x) => Value::Slice(x.clone()),
            Value::Function(x) => Value::Function(x.clone()),
            Value::Builtin(x) => Value::Builtin(x),
            Value::BoundMethod(x) => Value::BoundMethod(x.clone()),
            Value::Module(x) => Value::Module(x.clone()),
            Value::Type(x) => Value::Type(*x),
            Value::ExcClass(x) => Value::ExcClass(x.clone()),
            Value::Exception(x) => Value::Exception(x.clone()),
            Value::Host(x) => Value::Host(x.clone()),
            Value::HostMethod(x) => Value::HostMethod(x.clone()),
            Value::HostFunction(x) => Value::HostFunction(x.clone()),
            Value::Record(x) => Value::Record(x.clone()),
            Value::Native(x) => Value::Native(x.clone()),
            Value::Iter(x) => Value::Iter(x.clone()),
            Value::View(x) => Value::View(x.clone()),
            Value::Unbound => Value::Unbound,
        }
    }
}

impl Value {
    /// `clone` for the VM's hot paths: an int is copied inline, anything else goes through
    /// `clone` (one out-of-line copy of its match where the optimiser builds for size).
    #[inline(always)]
    pub(crate) fn fast_clone(&self) -> Value {
        match self {
            Value::Int(x) => Value::Int(*x),
            _ => self.clone(),
        }
    }
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::format::repr(self))
    }
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(Rc::new(s.to_string()))
    }
    /// A str value taking the text (no copy).
    pub fn string(s: String) -> Value {
        Value::Str(Rc::new(s))
    }
    pub fn bytes(b: &[u8]) -> Value {
        Value::Bytes(Rc::new(b.to_vec()))
    }
    pub fn int(i: i64) -> Value {
        Value::Int(i)
    }
    pub fn float(f: f64) -> Value {
        Value::Float(f)
    }
    pub fn bool(b: bool) -> Value {
        Value::Bool(b)
    }
    pub fn none() -> Value {
        Value::None
    }
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(RefCell::new(items)))
    }
    pub fn tuple(items: Vec<Value>) -> Value {
        Value::Tuple(Rc::new(items))
    }
    /// Builds a dict; keys that cannot be hashed are skipped.
    pub fn dict(items: Vec<(Value, Value)>) -> Value {
        let mut d = Dict::new();
        for (k, v) in items {
            let _ = d.insert(k, v);
        }
        Value::Dict(Rc::new(RefCell::new(d)))
    }
    /// Builds a set; items that cannot be hashed are skipped.
    pub fn set(items: Vec<Value>) -> Value {
        let mut d = Dict::new();
        for k in items {
            let _ = d.insert(k, Value::None);
        }
        Value::Set(Rc::new(RefCell::new(d)))
    }
    /// An exception instance as a value (e.g. a future's `exception()`).
    pub fn exception(e: Exception) -> Value {
        Value::Exception(e)
    }
    /// Items of a set (a copy, in insertion order).
    pub fn as_set(&self) -> Option<Vec<Value>> {
        match self {
            Value::Set(d) => Some(d.borrow().keys()),
            _ => None,
        }
    }
    pub fn host(class: &str, id: u64) -> Value {
        Value::Host(Rc::new(HostRef {
            class: Rc::from(class),
            id,
        }))
    }
    pub fn host_method(obj: &HostRef, name: &str) -> Value {
        Value::HostMethod(Rc::new((obj.clone(), Rc::from(name))))
    }
    pub fn host_function(r: HostRef) -> Value {
        Value::HostFunction(Rc::new(r))
    }
    pub fn record(class: &str, fields: Vec<(&str, Value)>) -> Value {
        Value::Record(Rc::new(Record {
            class: Rc::from(class),
            fields: {
                let mut out = Vec::with_capacity(fields.len());
                for (k, v) in fields {
                    out.push((Rc::from(k), v));
                }
                out
            },
        }))
    }
    pub fn exc_class(c: &Rc<ExceptionClass>) -> Value {
        Value::ExcClass(c.clone())
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::Bytes(b) => Some(b),
            _ => None,
        }
    }
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Bool(b) => Some(*b as i64),
            _ => None,
        }
    }
    pub fn as_float(&self) -> Option<f64> {
        match self {
            Value::Float(f) => Some(*f),
            Value::Int(i) => Some(*i as f64),
            Value::Bool(b) => Some(*b as i64 as f64),
            _ => None,
        }
    }
    pub fn as_host(&self) -> Option<&HostRef> {
        match self {
            Value::Host(h) => Some(h),
            _ => None,
        }
    }
    pub fn is_none(&self) -> bool {
        matches!(self, Value::None)
    }
    /// Items of a list or tuple (a copy).
    pub fn as_seq(&self) -> Option<Vec<Value>> {
        match self {
            Value::List(l) => Some(l.borrow().clone()),
            Value::Tuple(t) => Some(t.to_vec()),
            _ => None,
        }
    }
    /// Entries of a dict (a copy, in insertion order).
    pub fn as_dict(&self) -> Option<Vec<(Value, Value)>> {
        match self {
            Value::Dict(d) => Some(d.borrow().items()),
            _ => None,
        }
    }
    /// A record's field by name.
    pub fn field(&self, name: &str) -> Option<Value> {
        match self {
            Value::Record(r) => r
                .fields
                .iter()
                .find(|(k, _)| &**k == name)
                .map(|(_, v)| v.clone()),
            _ => None,
        }
    }

    pub fn type_name(&self) -> &str {
        match self {
            Value::None => "NoneType",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::Bytes(_) => "bytes",
            Value::List(_) => "list",
            Value::Tuple(_) => "tuple",
            Value::Dict(_) => "dict",
            Value::Set(_) => "set",
            Value::Range(_) => "range",
            Value::Slice(_) => "slice",
            Value::Function(_) => "function",
            Value::Builtin(_) => "builtin_function_or_method",
            Value::BoundMethod(_) => "builtin_function_or_method",
            Value::Module(_) => "module",
            Value::Type(_) | Value::ExcClass(_) => "type",
            Value::Exception(e) => &e.class().name,
            Value::Host(h) => &h.class,
            Value::HostMethod(_) => "method",
            Value::HostFunction(_) => "type",
            Value::Record(r) => &r.class,
            Value::Native(n) => match &**n {
                Native::Datetime { .. } => "datetime",
                Native::Timedelta { .. } => "timedelta",
                Native::TimezoneUtc => "timezone",
                Native::Uuid(_) => "UUID",
            },
            Value::Iter(_) => "iterator",
            Value::View(v) => v.0.name(),
            Value::Unbound => "NoneType",
        }
    }

    pub fn truthy(&self) -> bool {
        match self {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::List(l) => !l.borrow().is_empty(),
            Value::Tuple(t) => !t.is_empty(),
            Value::Dict(d) | Value::Set(d) => !d.borrow().is_empty(),
            Value::Range(r) => range_len(r.0, r.1, r.2) > 0,
            Value::View(v) => !v.1.borrow().is_empty(),
            Value::Record(r) => !r.fields.is_empty(),
            Value::Native(n) => !matches!(&**n, Native::Timedelta { us: 0 }),
            _ => true,
        }
    }

    /// Identity, as Python's `is`.
    pub fn is(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::None, Value::None) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a.to_bits() == b.to_bits(),
            (Value::Str(a), Value::Str(b)) => Rc::ptr_eq(a, b) || a == b,
            (Value::Bytes(a), Value::Bytes(b)) => Rc::ptr_eq(a, b),
            (Value::List(a), Value::List(b)) => Rc::ptr_eq(a, b),
            (Value::Tuple(a), Value::Tuple(b)) => {
                Rc::ptr_eq(a, b) || (a.is_empty() && b.is_empty())
            }
            (Value::Dict(a), Value::Dict(b)) | (Value::Set(a), Value::Set(b)) => Rc::ptr_eq(a, b),
            (Value::Function(a), Value::Function(b)) => Rc::ptr_eq(a, b),
            (Value::Builtin(a), Value::Builtin(b)) => std::ptr::eq(*a, *b),
            (Value::Module(a), Value::Module(b)) => Rc::ptr_eq(a, b),
            (Value::Type(a), Value::Type(b)) => a == b,
            (Value::ExcClass(a), Value::ExcClass(b)) => Rc::ptr_eq(a, b),
            (Value::Exception(a), Value::Exception(b)) => a.ptr_eq(b),
            (Value::Host(a), Value::Host(b)) => a == b,
            (Value::HostFunction(a), Value::HostFunction(b)) => a == b,
            (Value::Record(a), Value::Record(b)) => Rc::ptr_eq(a, b),
            (Value::Native(a), Value::Native(b)) => Rc::ptr_eq(a, b),
            (Value::Iter(a), Value::Iter(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// Equality, as Python's `==` for the supported types.
    #[allow(clippy::should_implement_trait)]
    pub fn eq(&self, other: &Value) -> bool {
        self.eq_depth(other, 0)
    }

    /// `==` with a nesting bound (deeper structures compare unequal instead of overflowing).
    fn eq_depth(&self, other: &Value, depth: usize) -> bool {
        if depth > MAX_NESTING {
            return false;
        }
        match (self, other) {
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::None, Value::None) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (
                Value::Int(_) | Value::Bool(_) | Value::Float(_),
                Value::Int(_) | Value::Bool(_) | Value::Float(_),
            ) => match (self, other) {
                (Value::Float(a), Value::Float(b)) => a == b,
                (Value::Float(a), o) | (o, Value::Float(a)) => {
                    let i = o.as_int().unwrap_or(0);
                    int_float_eq(i, *a)
                }
                _ => self.as_int() == other.as_int(),
            },
            (Value::Bytes(a), Value::Bytes(b)) => a == b,
            (Value::List(a), Value::List(b)) => {
                Rc::ptr_eq(a, b) || items_eq(&mut a.borrow().iter(), &mut b.borrow().iter(), depth)
            }
            (Value::Tuple(a), Value::Tuple(b)) => items_eq(&mut a.iter(), &mut b.iter(), depth),
            (Value::Record(a), Value::Tuple(b)) | (Value::Tuple(b), Value::Record(a)) => {
                items_eq(&mut a.fields.iter().map(|(_, x)| x), &mut b.iter(), depth)
            }
            (Value::Record(a), Value::Record(b)) => items_eq(
                &mut a.fields.iter().map(|(_, x)| x),
                &mut b.fields.iter().map(|(_, x)| x),
                depth,
            ),
            (Value::Dict(a), Value::Dict(b)) => {
                if Rc::ptr_eq(a, b) {
                    return true;
                }
                let (a, b) = (a.borrow(), b.borrow());
                a.len() == b.len()
                    && a.iter().all(
                        |(k, v)| matches!(b.get(k), Ok(Some(v2)) if v.eq_depth(&v2, depth + 1)),
                    )
            }
            (Value::Set(a), Value::Set(b)) => {
                if Rc::ptr_eq(a, b) {
                    return true;
                }
                let (a, b) = (a.borrow(), b.borrow());
                a.len() == b.len() && a.iter().all(|(k, _)| matches!(b.get(k), Ok(Some(_))))
            }
            (Value::Range(a), Value::Range(b)) => a == b,
            (Value::Native(a), Value::Native(b)) => a == b,
            _ => self.is(other),
        }
    }
}

/// Whether two sequences have the same length and equal items (items compared at `depth + 1`).
fn items_eq(
    a: &mut dyn ExactSizeIterator<Item = &Value>,
    b: &mut dyn ExactSizeIterator<Item = &Value>,
    depth: usize,
) -> bool {
    a.len() == b.len() && a.zip(b).all(|(x, y)| x.eq_depth(y, depth + 1))
}

fn int_float_eq(i: i64, f: f64) -> bool {
    if f.fract() != 0.0 || !f.is_finite() {
        return false;
    }
    if (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f) {
        f as i64 == i
    } else {
        false
    }
}

/// Number of items in `range(start, stop, step)`.
pub fn range_len(start: i64, stop: i64, step: i64) -> i64 {
    if step > 0 && start < stop {
        ((stop as i128 - start as i128 - 1) / step as i128 + 1) as i64
    } else if step < 0 && start > stop {
        ((start as i128 - stop as i128 - 1) / (-(step as i128)) + 1) as i64
    } else {
        0
    }
}

/// The hashable form of a dict key, with Python's numeric equivalence (1 == 1.0 == True).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum HKey {
    None,
    Int(i64),
    Float(u64),
    Str(Rc<String>),
    Bytes(Rc<Vec<u8>>),
    Tuple(Box<[HKey]>),
    Ptr(usize),
    Host(Rc<str>, u64),
    Native(i64, i64),
}

/// Maximum nesting handled by recursive operations (equality, hashing, ordering).
pub const MAX_NESTING: usize = 400;

impl HKey {
    pub fn of(v: &Value) -> Result<HKey, Exception> {
        HKey::of_depth(v, 0)
    }

    /// The key of a tuple (or record) with these items.
    fn tuple_of(items: &mut dyn Iterator<Item = &Value>, depth: usize) -> Result<HKey, Exception> {
        let mut keys = Vec::new();
        for x in items {
            keys.push(HKey::of_depth(x, depth + 1)?);
        }
        Ok(HKey::Tuple(keys.into()))
    }

    fn of_depth(v: &Value, depth: usize) -> Result<HKey, Exception> {
        if depth > MAX_NESTING {
            return Err(Exception::builtin(
                "RecursionError",
                "maximum recursion depth exceeded while hashing",
            ));
        }
        Ok(match v {
            Value::None => HKey::None,
            Value::Bool(b) => HKey::Int(*b as i64),
            Value::Int(i) => HKey::Int(*i),
            Value::Float(f) => {
                if f.fract() == 0.0 && f.is_finite() && f.abs() < 9.2e18 {
                    HKey::Int(*f as i64)
                } else if *f == 0.0 {
                    HKey::Int(0)
                } else {
                    HKey::Float(f.to_bits())
                }
            }
            Value::Str(s) => HKey::Str(s.clone()),
            Value::Bytes(b) => HKey::Bytes(b.clone()),
            Value::Tuple(t) => HKey::tuple_of(&mut t.iter(), depth)?,
            Value::Record(r) => HKey::tuple_of(&mut r.fields.iter().map(|(_, v)| v), depth)?,
            Value::List(_) | Value::Dict(_) | Value::Set(_) | Value::Slice(_) | Value::View(_) => {
                return Err(Exception::type_error_fmt(format_args!(
                    "unhashable type: '{}'",
                    v.type_name()
                )))
            }
            Value::Host(h) => HKey::Host(h.class.clone(), h.id),
            Value::HostFunction(h) => HKey::Host(h.class.clone(), h.id),
            Value::Native(n) => match &**n {
                Native::Datetime { us, utc } => HKey::Native(*us, *utc as i64),
                Native::Timedelta { us } => HKey::Native(*us, 2),
                Native::TimezoneUtc => HKey::Native(0, 3),
                Native::Uuid(u) => HKey::Native(*u as i64, (*u >> 64) as i64),
            },
            Value::Type(t) => HKey::Host(Rc::from("type"), *t as u64),
            Value::Range(r) => {
                HKey::Tuple(vec![HKey::Int(r.0), HKey::Int(r.1), HKey::Int(r.2)].into())
            }
            Value::Function(f) => HKey::Ptr(Rc::as_ptr(f) as *const u8 as usize),
            Value::Builtin(b) => HKey::Ptr(*b as *const Builtin as usize),
            Value::Module(m) => HKey::Ptr(Rc::as_ptr(m) as *const u8 as usize),
            Value::ExcClass(c) => HKey::Ptr(Rc::as_ptr(c) as *const u8 as usize),
            Value::Exception(e) => HKey::Ptr(e.ptr_id()),
            Value::BoundMethod(m) => HKey::Ptr(Rc::as_ptr(m) as *const u8 as usize),
            Value::HostMethod(m) => HKey::Ptr(Rc::as_ptr(m) as *const u8 as usize),
            Value::Iter(i) => HKey::Ptr(Rc::as_ptr(i) as *const u8 as usize),
            Value::Unbound => HKey::None,
        })
    }
}

/// An insertion-ordered hash map from Python values to values (also backs `set`).
///
/// The index is a small open-addressing table (linear probing) over the entries' positions:
/// less code than a generic hash map instantiated for `HKey`. A removed entry leaves a hole
/// (`None`) whose slot still takes part in probing until the next rebuild.
#[derive(Default)]
pub struct Dict {
    entries: Vec<Option<(Value, Value)>>,
    /// The hashable form of each entry's key (parallel to `entries`).
    keys: Vec<HKey>,
    /// 0 for a free slot, else an entry's position + 1; the length is 0 or a power of two,
    /// at least twice the number of entries (holes included).
    slots: Vec<usize>,
    /// Live entries.
    live: usize,
}

impl Clone for Dict {
    /// A copy with the same items in the same order (the index is rebuilt rather than
    /// cloned, and removed entries' holes go away).
    fn clone(&self) -> Dict {
        let mut d = Dict::new();
        for (k, v) in self.iter() {
            if let Ok(h) = HKey::of(k) {
                d.insert_h(h, k.clone(), v.clone());
            }
        }
        d
    }
}

impl Dict {
    pub fn new() -> Dict {
        Dict::default()
    }
    pub fn len(&self) -> usize {
        self.live
    }
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }
    /// `Ok(position)` of the live entry with key `h`, or `Err(slot)`: the free slot where
    /// it would go.
    fn find(&self, h: &HKey) -> Result<usize, usize> {
        let mut st = FxHasher::default();
        h.hash(&mut st);
        let hash = st.finish();
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = (hash ^ (hash >> 32)) as usize & mask;
        loop {
            match self.slots.get(i) {
                None | Some(0) => return Err(i),
                Some(&s) => {
                    let e = s - 1;
                    if matches!(self.entries.get(e), Some(Some(_))) && self.keys.get(e) == Some(h) {
                        return Ok(e);
                    }
                }
            }
            i = (i + 1) & mask;
        }
    }
    /// Drops the holes (keeping the entries' order) and rebuilds the index with room to grow.
    fn rebuild(&mut self) {
        let mut at = 0;
        let entries = &self.entries;
        self.keys.retain(|_| {
            at += 1;
            matches!(entries.get(at - 1), Some(Some(_)))
        });
        self.entries.retain(Option::is_some);
        self.slots = vec![0; (self.live * 4).next_power_of_two().max(8)];
        for i in 0..self.keys.len() {
            if let Some(Err(p)) = self.keys.get(i).map(|k| self.find(k)) {
                if let Some(s) = self.slots.get_mut(p) {
                    *s = i + 1;
                }
            }
        }
    }
    pub fn get(&self, k: &Value) -> Result<Option<Value>, Exception> {
        let h = HKey::of(k)?;
        Ok(self.get_h(&h))
    }
    pub fn get_h(&self, h: &HKey) -> Option<Value> {
        match self.find(h) {
            Ok(e) => self
                .entries
                .get(e)
                .and_then(|e| e.as_ref())
                .map(|(_, v)| v.clone()),
            Err(_) => None,
        }
    }
    pub fn contains(&self, k: &Value) -> Result<bool, Exception> {
        Ok(self.find(&HKey::of(k)?).is_ok())
    }
    pub fn insert(&mut self, k: Value, v: Value) -> Result<(), Exception> {
        let h = HKey::of(&k)?;
        self.insert_h(h, k, v);
        Ok(())
    }
    pub fn insert_h(&mut self, h: HKey, k: Value, v: Value) {
        let mut at = self.find(&h);
        if let Ok(e) = at {
            // an existing key keeps its original object, like CPython's dict
            if let Some(Some(e)) = self.entries.get_mut(e) {
                e.1 = v;
            }
            return;
        }
        if (self.entries.len() + 1) * 2 > self.slots.len() {
            self.rebuild();
            at = self.find(&h);
        }
        if let Err(p) = at {
            if let Some(s) = self.slots.get_mut(p) {
                *s = self.entries.len() + 1;
            }
        }
        self.entries.push(Some((k, v)));
        self.keys.push(h);
        self.live += 1;
    }
    /// Takes the live entry at position `e` out (its slot stays as a hole until a rebuild).
    fn take(&mut self, e: usize) -> Option<(Value, Value)> {
        let old = self.entries.get_mut(e).and_then(|x| x.take());
        if old.is_some() {
            self.live -= 1;
            if self.entries.len() > 16 && self.live * 2 < self.entries.len() {
                self.rebuild();
            }
        }
        old
    }
    pub fn remove(&mut self, k: &Value) -> Result<Option<Value>, Exception> {
        let h = HKey::of(k)?;
        Ok(match self.find(&h) {
            Ok(e) => self.take(e).map(|(_, v)| v),
            Err(_) => None,
        })
    }
    pub fn iter(&self) -> impl Iterator<Item = (&Value, &Value)> {
        self.entries
            .iter()
            .filter_map(|e| e.as_ref().map(|(k, v)| (k, v)))
    }
    pub fn keys(&self) -> Vec<Value> {
        self.column(0)
    }
    pub fn values(&self) -> Vec<Value> {
        self.column(1)
    }
    /// The keys (`which` 0) or the values (1), in order.
    fn column(&self, which: usize) -> Vec<Value> {
        let mut out = Vec::with_capacity(self.len());
        for (k, v) in self.iter() {
            out.push(if which == 0 { k } else { v }.clone());
        }
        out
    }
    pub fn items(&self) -> Vec<(Value, Value)> {
        let mut out = Vec::with_capacity(self.len());
        for (k, v) in self.iter() {
            out.push((k.clone(), v.clone()));
        }
        out
    }
    pub fn clear(&mut self) {
        *self = Dict::default();
    }
    /// Removes and returns the last inserted entry.
    pub fn pop_last(&mut self) -> Option<(Value, Value)> {
        let e = self.entries.iter().rposition(Option::is_some)?;
        self.take(e)
    }
    pub fn first(&self) -> Option<(Value, Value)> {
        self.iter().next().map(|(k, v)| (k.clone(), v.clone()))
    }
}

impl Hash for Value {
    fn hash<H: Hasher>(&self, state: &mut H) {
        if let Ok(k) = HKey::of(self) {
            k.hash(state)
        }
    }
}
