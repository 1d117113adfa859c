//! Decimal string to `f64`, correctly rounded, without std's 20 KB power-of-five table.
//!
//! `str::parse::<f64>` links a 1302-entry table (about 15 KB of the wasm bundle after gzip).
//! This parser accepts the same grammar and gives the same bits: an exact fast path for short
//! numbers, and otherwise a small big-integer division that rounds half to even. Speed matters
//! little here (literals are parsed once, `float()`/`json` are rare in hot loops).

/// Parses `s` exactly like `s.parse::<f64>().ok()`: an optional sign, then `inf`, `infinity`
/// or `nan` (any case), or digits with an optional `.` and an optional exponent. No spaces,
/// no underscores.
pub fn parse_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let (neg, rest) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    let v = parse_unsigned(rest)?;
    Some(if neg { -v } else { v })
}

/// Most significant digits kept; beyond them only "some non-zero digit follows" matters
/// (768 digits tell apart any two halfway points of f64).
const MAX_DIGITS: usize = 800;

fn parse_unsigned(b: &[u8]) -> Option<f64> {
    if b.eq_ignore_ascii_case(b"inf") || b.eq_ignore_ascii_case(b"infinity") {
        return Some(f64::INFINITY);
    }
    if b.eq_ignore_ascii_case(b"nan") {
        return Some(f64::NAN);
    }
    let mut digits: Vec<u8> = Vec::new();
    // value = 0 or digits * 10^exp10
    let mut exp10: i64 = 0;
    let mut any_digit = false;
    let mut dropped_nonzero = false;
    let mut i = 0;
    let mut seen_dot = false;
    while let Some(&c) = b.get(i) {
        if c.is_ascii_digit() {
            any_digit = true;
            let d = c - b'0';
            if digits.is_empty() && d == 0 {
                // leading zero: only shifts the exponent after the dot
                if seen_dot {
                    exp10 -= 1;
                }
            } else if digits.len() < MAX_DIGITS {
                digits.push(d);
                if seen_dot {
                    exp10 -= 1;
                }
            } else {
                dropped_nonzero |= d != 0;
                if !seen_dot {
                    exp10 += 1;
                }
            }
        } else if c == b'.' && !seen_dot {
            seen_dot = true;
        } else {
            break;
        }
        i += 1;
    }
    if !any_digit {
        return None;
    }
    if let Some(&c) = b.get(i) {
        if c != b'e' && c != b'E' {
            return None;
        }
        i += 1;
        let mut eneg = false;
        match b.get(i) {
            Some(b'-') => {
                eneg = true;
                i += 1;
            }
            Some(b'+') => i += 1,
            _ => {}
        }
        let start = i;
        let mut e: i64 = 0;
        while let Some(&c) = b.get(i) {
            if !c.is_ascii_digit() {
                return None;
            }
            // Saturate: far beyond any exponent that still changes the result.
            e = (e * 10 + i64::from(c - b'0')).min(1_000_000_000);
            i += 1;
        }
        if i == start {
            return None;
        }
        exp10 += if eneg { -e } else { e };
    }
    if dropped_nonzero {
        // A sticky digit below every kept one.
        digits.push(1);
        exp10 -= 1;
    }
    while digits.last() == Some(&0) {
        digits.pop();
        exp10 += 1;
    }
    if digits.is_empty() {
        return Some(0.0);
    }
    let n = digits.len() as i64;
    if n + exp10 > 310 {
        return Some(f64::INFINITY);
    }
    if n + exp10 < -324 {
        // below 10^-325 < half the smallest subnormal
        return Some(0.0);
    }
    // Fast path: both operands exact, so one correctly rounded operation.
    if n <= 15 && (-22..=22).contains(&exp10) {
        let m = digits.iter().fold(0u64, |a, &d| a * 10 + u64::from(d)) as f64;
        let p = POW10[exp10.unsigned_abs() as usize];
        return Some(if exp10 < 0 { m / p } else { m * p });
    }
    Some(slow(&digits, exp10))
}

/// Exact powers of ten representable in an f64.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// digits * 10^exp10 by big-integer division, rounded half to even (subnormals included).
#[inline(never)]
fn slow(digits: &[u8], exp10: i64) -> f64 {
    let mut num = Big::default();
    for &d in digits {
        num.mul_add(10, u32::from(d));
    }
    let mut den = Big::from(1);
    let k = exp10.unsigned_abs();
    if exp10 >= 0 {
        num.mul_pow10(k);
    } else {
        den.mul_pow10(k);
    }
    // Scale so that the quotient has at least 55 bits: value = q * 2^-s (+ remainder).
    let s = 55 + den.bits() as i64 - num.bits() as i64;
    if s > 0 {
        num.shl(s as usize);
    } else {
        den.shl(s.unsigned_abs() as usize);
    }
    let (q, rem_nonzero) = num.div_small_quotient(&den);
    let qbits = 64 - q.leading_zeros() as i64;
    // Leading bit of the value is 2^p.
    let p = qbits - 1 - s;
    let keep = (p + 1075).min(53);
    let drop = qbits - keep; // >= 2 since qbits >= 55 and keep <= 53
    let (mut m, half, sticky) = if drop >= 64 {
        (0u64, false, q != 0 || rem_nonzero)
    } else {
        let half = (q >> (drop - 1)) & 1 == 1;
        let below = q & ((1u64 << (drop - 1)) - 1);
        (q >> drop, half, below != 0 || rem_nonzero)
    };
    if half && (sticky || m & 1 == 1) {
        m += 1;
    }
    compose(m, drop - s)
}

/// The f64 equal to m * 2^e2, where m < 2^54 and the product is representable or overflows.
fn compose(mut m: u64, mut e2: i64) -> f64 {
    if m == 0 {
        return 0.0;
    }
    if m >> 53 != 0 {
        // rounding carried to 2^53: the low bit is 0
        m >>= 1;
        e2 += 1;
    }
    let bl = 64 - m.leading_zeros() as i64;
    let top = bl - 1 + e2;
    if top > 1023 {
        return f64::INFINITY;
    }
    if top >= -1022 {
        let mant = m << (53 - bl);
        let bits = (((top + 1023) as u64) << 52) | (mant & ((1u64 << 52) - 1));
        f64::from_bits(bits)
    } else {
        // subnormal: e2 >= -1074 by construction
        f64::from_bits(m << (e2 + 1074).clamp(0, 63))
    }
}

/// An unsigned big integer, little-endian 32-bit limbs.
#[derive(Default)]
struct Big {
    limbs: Vec<u32>,
}

impl From<u32> for Big {
    fn from(v: u32) -> Big {
        Big { limbs: vec![v] }
    }
}

impl Big {
    fn mul_add(&mut self, mul: u32, add: u32) {
        let mut carry = u64::from(add);
        for l in &mut self.limbs {
            let v = u64::from(*l) * u64::from(mul) + carry;
            *l = v as u32;
            carry = v >> 32;
        }
        if carry != 0 {
            self.limbs.push(carry as u32);
        }
    }

    fn mul_pow10(&mut self, mut k: u64) {
        while k >= 9 {
            self.mul_add(1_000_000_000, 0);
            k -= 9;
        }
        self.mul_add(10u32.pow(k as u32), 0);
    }

    fn trim(&mut self) {
        while self.limbs.last() == Some(&0) {
            self.limbs.pop();
        }
    }

    fn bits(&self) -> usize {
        match self.limbs.iter().rposition(|&l| l != 0) {
            Some(i) => i * 32 + 32 - self.limbs[i].leading_zeros() as usize,
            None => 0,
        }
    }

    fn shl(&mut self, n: usize) {
        let (words, bits) = (n / 32, n % 32);
        if bits != 0 {
            let mut carry = 0u32;
            for l in &mut self.limbs {
                let v = (*l << bits) | carry;
                carry = *l >> (32 - bits);
                *l = v;
            }
            if carry != 0 {
                self.limbs.push(carry);
            }
        }
        if words != 0 {
            self.limbs.splice(0..0, std::iter::repeat_n(0, words));
        }
    }

    fn shr1(&mut self) {
        let mut carry = 0u32;
        for l in self.limbs.iter_mut().rev() {
            let v = (*l >> 1) | (carry << 31);
            carry = *l & 1;
            *l = v;
        }
        self.trim();
    }

    fn ge(&self, other: &Big) -> bool {
        let n = self.limbs.len().max(other.limbs.len());
        for i in (0..n).rev() {
            let a = self.limbs.get(i).copied().unwrap_or(0);
            let b = other.limbs.get(i).copied().unwrap_or(0);
            if a != b {
                return a > b;
            }
        }
        true
    }

    /// self -= other, where self >= other.
    fn sub(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, l) in self.limbs.iter_mut().enumerate() {
            let v = i64::from(*l) - i64::from(other.limbs.get(i).copied().unwrap_or(0)) - borrow;
            borrow = i64::from(v < 0);
            *l = v.rem_euclid(1 << 32) as u32;
        }
        self.trim();
    }

    /// (self / den, self % den != 0) for a quotient below 2^64, by shift and subtract.
    fn div_small_quotient(mut self, den: &Big) -> (u64, bool) {
        self.trim();
        let mut d = Big {
            limbs: den.limbs.clone(),
        };
        d.trim();
        let shift = self.bits().saturating_sub(d.bits());
        d.shl(shift);
        let mut q = 0u64;
        for _ in 0..=shift {
            q <<= 1;
            if self.ge(&d) {
                self.sub(&d);
                q |= 1;
            }
            d.shr1();
        }
        (q, self.bits() != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::parse_float;

    fn same(s: &str) {
        let want = s.parse::<f64>().ok();
        let got = parse_float(s);
        match (want, got) {
            (Some(a), Some(b)) => assert!(
                a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
                "{s}: std {a:e} ({:#x}), ours {b:e} ({:#x})",
                a.to_bits(),
                b.to_bits()
            ),
            (None, None) => {}
            _ => panic!("{s}: std {want:?}, ours {got:?}"),
        }
    }

    #[test]
    fn agrees_with_std_on_edge_cases() {
        for s in [
            "0",
            "0.0",
            "-0.0",
            "+1",
            "1.",
            ".5",
            ".",
            "",
            "-",
            "e5",
            "1e",
            "1e+",
            "1e-5",
            "1E5",
            "inf",
            "-Infinity",
            "NaN",
            "nan",
            "infx",
            "1_0",
            " 1",
            "1 ",
            "1.5e308",
            "1.8e308",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "2.2250738585072014e-308",
            "2.2250738585072011e-308",
            "4.9e-324",
            "5e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "2.47e-324",
            "1e-400",
            "1e400",
            "0e999999999999999",
            "1e-99999999999999999",
            "9007199254740993",
            "9007199254740992.5",
            "9007199254740993.0000000000000000001",
            "0.1",
            "0.3",
            "123456789012345678901234567890",
            "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124",
            "1.00000000000000011102230246251565404236316680908203126",
            "3.14159",
            "1e23",
            "8.98846567431158e307",
            "0.000000000000000000000000000000000001",
            "1..2",
            "1.2.3",
            "+-1",
            "--1",
            "1e5.5",
            "00000.000001",
            "1000000000000000000000000e-24",
        ] {
            same(s);
        }
        let long = format!("0.{}1", "0".repeat(900));
        same(&long);
        let long = format!("1{}e-900", "0".repeat(900));
        same(&long);
        let long = format!("2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125{}", "0".repeat(10));
        same(&long);
        same(&(long.clone() + "1"));
    }

    #[test]
    fn agrees_with_std_on_many_numbers() {
        // A deterministic LCG: mantissas of 1..25 digits, exponents across the whole range.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            x >> 11
        };
        for _ in 0..20_000 {
            let nd = (next() % 25 + 1) as usize;
            let digits: String = (0..nd)
                .map(|_| char::from(b'0' + (next() % 10) as u8))
                .collect();
            let e = (next() % 700) as i64 - 350;
            same(&format!("{digits}e{e}"));
            let dot = (next() as usize) % (nd + 1);
            same(&format!("{}.{}", &digits[..dot], &digits[dot..]));
            // round trips of random doubles and their halfway neighbours
            let f = f64::from_bits(next() << 11 ^ next());
            if f.is_finite() {
                same(&format!("{f:e}"));
                same(&format!("{f}"));
                let up = f64::from_bits(f.to_bits() + 1);
                if up.is_finite() {
                    same(&format!("{:.40e}", (f + up) / 2.0));
                }
            }
        }
    }
}
