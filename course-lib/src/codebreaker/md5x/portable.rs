//! The portable backend: arrays of plain `u32` lanes, which the compiler
//! turns into whatever vector instructions the target always has (SSE2 on
//! x86-64). It runs everywhere and checks the others.

use super::{lane_kernels, md5_quad, md5_step};

/// Passwords per "register" (an array).
pub(crate) const LANES: usize = 8;
/// Independent arrays hashed side by side in `scan`.
const CHAINS: usize = 1;

type V = [u32; LANES];

/// Applies `op` lane by lane.
#[inline(always)]
fn lanewise(a: V, b: V, op: impl Fn(u32, u32) -> u32) -> V {
    let mut out = a;
    for (x, y) in out.iter_mut().zip(b) {
        *x = op(*x, y);
    }
    out
}

#[inline(always)]
fn splat(x: u32) -> V {
    [x; LANES]
}

#[inline(always)]
fn add(a: V, b: V) -> V {
    lanewise(a, b, u32::wrapping_add)
}

#[inline(always)]
fn sub(a: V, b: V) -> V {
    lanewise(a, b, u32::wrapping_sub)
}

#[inline(always)]
fn or(a: V, b: V) -> V {
    lanewise(a, b, |x, y| x | y)
}

/// Rotation left by `L` (`R = 32 - L` is for the SIMD backends).
#[inline(always)]
fn rol<const L: i32, const R: i32>(x: V) -> V {
    x.map(|lane| lane.rotate_left(L as u32))
}

#[inline(always)]
fn ff(b: V, c: V, d: V) -> V {
    let mut out = b;
    for i in 0..LANES {
        out[i] = d[i] ^ (b[i] & (c[i] ^ d[i]));
    }
    out
}

#[inline(always)]
fn gg(b: V, c: V, d: V) -> V {
    let mut out = b;
    for i in 0..LANES {
        out[i] = c[i] ^ (d[i] & (b[i] ^ c[i]));
    }
    out
}

#[inline(always)]
fn hh(b: V, c: V, d: V) -> V {
    let mut out = b;
    for i in 0..LANES {
        out[i] = b[i] ^ c[i] ^ d[i];
    }
    out
}

#[inline(always)]
fn ii(b: V, c: V, d: V) -> V {
    let mut out = b;
    for i in 0..LANES {
        out[i] = c[i] ^ (b[i] | !d[i]);
    }
    out
}

#[inline(always)]
fn load(lanes: &[u32; LANES]) -> V {
    *lanes
}

#[inline(always)]
fn store(x: V) -> [u32; LANES] {
    x
}

/// Bit `i` is set when lane `i` of `a` equals lane `i` of `b`.
#[inline(always)]
fn eq_mask(a: V, b: V) -> u32 {
    let mut mask = 0;
    for i in 0..LANES {
        mask |= u32::from(a[i] == b[i]) << i;
    }
    mask
}

lane_kernels!();
