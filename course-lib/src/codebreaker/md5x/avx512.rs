//! The AVX-512 backend: 16 lanes per register, rotations in one instruction
//! (`vprold`) and each round function in one three-input logic instruction
//! (`vpternlogd`, whose 8-bit immediate is the function's truth table).

use std::arch::x86_64::*;

use super::{lane_kernels, md5_quad, md5_step};

/// Passwords per register.
pub(super) const LANES: usize = 16;
/// Independent registers hashed side by side in `scan`.
pub(super) const CHAINS: usize = 2;

type V = __m512i;

#[target_feature(enable = "avx512f")]
fn splat(x: u32) -> V {
    _mm512_set1_epi32(x as i32)
}

#[target_feature(enable = "avx512f")]
fn add(a: V, b: V) -> V {
    _mm512_add_epi32(a, b)
}

#[target_feature(enable = "avx512f")]
fn sub(a: V, b: V) -> V {
    _mm512_sub_epi32(a, b)
}

#[target_feature(enable = "avx512f")]
fn or(a: V, b: V) -> V {
    _mm512_or_si512(a, b)
}

#[target_feature(enable = "avx512f")]
fn rol<const L: i32, const R: i32>(x: V) -> V {
    _mm512_rol_epi32::<L>(x)
}

/// `F(b, c, d) = (b & c) | (!b & d)`: "if b then c else d", truth table 0xCA.
#[target_feature(enable = "avx512f")]
fn ff(b: V, c: V, d: V) -> V {
    _mm512_ternarylogic_epi32::<0xCA>(b, c, d)
}

/// `G(b, c, d) = (b & d) | (c & !d)`: "if d then b else c", truth table 0xE4.
#[target_feature(enable = "avx512f")]
fn gg(b: V, c: V, d: V) -> V {
    _mm512_ternarylogic_epi32::<0xE4>(b, c, d)
}

/// `H(b, c, d) = b ^ c ^ d`, truth table 0x96.
#[target_feature(enable = "avx512f")]
fn hh(b: V, c: V, d: V) -> V {
    _mm512_ternarylogic_epi32::<0x96>(b, c, d)
}

/// `I(b, c, d) = c ^ (b | !d)`, truth table 0x39.
#[target_feature(enable = "avx512f")]
fn ii(b: V, c: V, d: V) -> V {
    _mm512_ternarylogic_epi32::<0x39>(b, c, d)
}

#[target_feature(enable = "avx512f")]
fn load(lanes: &[u32; LANES]) -> V {
    // SAFETY: `lanes` is 64 readable bytes; `loadu` accepts any alignment.
    unsafe { _mm512_loadu_si512(lanes.as_ptr().cast()) }
}

#[target_feature(enable = "avx512f")]
fn store(x: V) -> [u32; LANES] {
    let mut lanes = [0u32; LANES];
    // SAFETY: `lanes` is 64 writable bytes; `storeu` accepts any alignment.
    unsafe { _mm512_storeu_si512(lanes.as_mut_ptr().cast(), x) };
    lanes
}

/// Bit `i` is set when lane `i` of `a` equals lane `i` of `b`.
#[target_feature(enable = "avx512f")]
fn eq_mask(a: V, b: V) -> u32 {
    u32::from(_mm512_cmpeq_epi32_mask(a, b))
}

lane_kernels!(#[target_feature(enable = "avx512f,avx512bw,avx512vl")]);
