//! The AVX2 backend: 8 lanes per register. A rotation takes two shifts and
//! an OR, and the round functions two or three bitwise instructions.

use std::arch::x86_64::*;

use super::{lane_kernels, md5_quad, md5_step};

/// Passwords per register.
pub(super) const LANES: usize = 8;
/// Independent registers hashed side by side in `scan`.
pub(super) const CHAINS: usize = 2;

type V = __m256i;

#[target_feature(enable = "avx2")]
fn splat(x: u32) -> V {
    _mm256_set1_epi32(x as i32)
}

#[target_feature(enable = "avx2")]
fn add(a: V, b: V) -> V {
    _mm256_add_epi32(a, b)
}

#[target_feature(enable = "avx2")]
fn sub(a: V, b: V) -> V {
    _mm256_sub_epi32(a, b)
}

#[target_feature(enable = "avx2")]
fn or(a: V, b: V) -> V {
    _mm256_or_si256(a, b)
}

#[target_feature(enable = "avx2")]
fn xor(a: V, b: V) -> V {
    _mm256_xor_si256(a, b)
}

/// Rotation left by `L`; `R` is `32 - L`.
#[target_feature(enable = "avx2")]
fn rol<const L: i32, const R: i32>(x: V) -> V {
    _mm256_or_si256(_mm256_slli_epi32::<L>(x), _mm256_srli_epi32::<R>(x))
}

/// `F(b, c, d)`, written `d ^ (b & (c ^ d))`.
#[target_feature(enable = "avx2")]
fn ff(b: V, c: V, d: V) -> V {
    xor(d, _mm256_and_si256(b, xor(c, d)))
}

/// `G(b, c, d)`, written `c ^ (d & (b ^ c))`.
#[target_feature(enable = "avx2")]
fn gg(b: V, c: V, d: V) -> V {
    xor(c, _mm256_and_si256(d, xor(b, c)))
}

/// `H(b, c, d) = b ^ c ^ d`.
#[target_feature(enable = "avx2")]
fn hh(b: V, c: V, d: V) -> V {
    xor(xor(b, c), d)
}

/// `I(b, c, d) = c ^ (b | !d)`.
#[target_feature(enable = "avx2")]
fn ii(b: V, c: V, d: V) -> V {
    xor(c, or(b, xor(d, _mm256_set1_epi32(-1))))
}

#[target_feature(enable = "avx2")]
fn load(lanes: &[u32; LANES]) -> V {
    // SAFETY: `lanes` is 32 readable bytes; `loadu` accepts any alignment.
    unsafe { _mm256_loadu_si256(lanes.as_ptr().cast()) }
}

#[target_feature(enable = "avx2")]
fn store(x: V) -> [u32; LANES] {
    let mut lanes = [0u32; LANES];
    // SAFETY: `lanes` is 32 writable bytes; `storeu` accepts any alignment.
    unsafe { _mm256_storeu_si256(lanes.as_mut_ptr().cast(), x) };
    lanes
}

/// Bit `i` is set when lane `i` of `a` equals lane `i` of `b`.
#[target_feature(enable = "avx2")]
fn eq_mask(a: V, b: V) -> u32 {
    _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(a, b))) as u32
}

lane_kernels!(#[target_feature(enable = "avx2")]);
