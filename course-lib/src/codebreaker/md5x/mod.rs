//! A multi-lane MD5 for short messages: many passwords hashed at once, one
//! per lane of a SIMD register.
//!
//! A password of at most 55 bytes fits in one 64-byte MD5 block, so its
//! digest is a single run of the 64-step compression function from the
//! standard initial value. The compression only uses 32-bit additions,
//! rotations and bitwise functions, which SIMD instructions apply to 16
//! (AVX-512), 8 (AVX2) or, in plain Rust, any number of lanes at once.
//!
//! Each backend (`avx512.rs`, `avx2.rs`, `portable.rs`) defines a lane type
//! `V` and a handful of operations on it (`splat`, `add`, `sub`, `rol`, the
//! four round functions...), then expands [`lane_kernels!`] to get its two
//! kernels from the same source:
//!
//! - `compress`: the full digest of one block per lane (used by
//!   [`Backend::md5_many`] and by the property tests against the md5 crate);
//! - `scan`: the password search. It is specialised for the search's blocks,
//!   where only message word 0 changes from lane to lane, word 1 and the bit
//!   length (word 14) are the same for a whole job, and every other word is
//!   zero. The compiler folds the constant words away, and the last 21 of the
//!   64 steps are never computed forwards: [`JobConstants::new`] undoes
//!   steps 63 to 49 from the target digest once per job, three cheap
//!   per-lane corrections undo steps 48 to 46, and a single 32-bit value is
//!   compared after step 42.

use std::fmt;

use super::{CrackError, Md5Digest};

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avx512;
mod portable;

/// The 64 additive constants of MD5: `K[i] = floor(|sin(i + 1)| × 2³²)`.
pub(crate) const K: [u32; 64] = [
    0xd76a_a478,
    0xe8c7_b756,
    0x2420_70db,
    0xc1bd_ceee,
    0xf57c_0faf,
    0x4787_c62a,
    0xa830_4613,
    0xfd46_9501,
    0x6980_98d8,
    0x8b44_f7af,
    0xffff_5bb1,
    0x895c_d7be,
    0x6b90_1122,
    0xfd98_7193,
    0xa679_438e,
    0x49b4_0821,
    0xf61e_2562,
    0xc040_b340,
    0x265e_5a51,
    0xe9b6_c7aa,
    0xd62f_105d,
    0x0244_1453,
    0xd8a1_e681,
    0xe7d3_fbc8,
    0x21e1_cde6,
    0xc337_07d6,
    0xf4d5_0d87,
    0x455a_14ed,
    0xa9e3_e905,
    0xfcef_a3f8,
    0x676f_02d9,
    0x8d2a_4c8a,
    0xfffa_3942,
    0x8771_f681,
    0x6d9d_6122,
    0xfde5_380c,
    0xa4be_ea44,
    0x4bde_cfa9,
    0xf6bb_4b60,
    0xbebf_bc70,
    0x289b_7ec6,
    0xeaa1_27fa,
    0xd4ef_3085,
    0x0488_1d05,
    0xd9d4_d039,
    0xe6db_99e5,
    0x1fa2_7cf8,
    0xc4ac_5665,
    0xf429_2244,
    0x432a_ff97,
    0xab94_23a7,
    0xfc93_a039,
    0x655b_59c3,
    0x8f0c_cc92,
    0xffef_f47d,
    0x8584_5dd1,
    0x6fa8_7e4f,
    0xfe2c_e6e0,
    0xa301_4314,
    0x4e08_11a1,
    0xf753_7e82,
    0xbd3a_f235,
    0x2ad7_d2bb,
    0xeb86_d391,
];

/// The rotation of each step: four amounts per round, repeated four times.
pub(crate) const S: [u32; 64] = {
    let per_round = [
        [7, 12, 17, 22],
        [5, 9, 14, 20],
        [4, 11, 16, 23],
        [6, 10, 15, 21],
    ];
    let mut s = [0; 64];
    let mut i = 0;
    while i < 64 {
        s[i] = per_round[i / 16][i % 4];
        i += 1;
    }
    s
};

/// The initial value `(a, b, c, d)` of the MD5 state.
pub(crate) const IV: [u32; 4] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];

/// Which message word step `i` adds.
pub(crate) const fn message_index(i: usize) -> usize {
    match i / 16 {
        0 => i,
        1 => (5 * i + 1) % 16,
        2 => (3 * i + 5) % 16,
        _ => (7 * i) % 16,
    }
}

/// The round function of step `i` on the three other registers.
pub(crate) const fn round_function(i: usize, b: u32, c: u32, d: u32) -> u32 {
    match i / 16 {
        0 => (b & c) | (!b & d),
        1 => (b & d) | (c & !d),
        2 => b ^ c ^ d,
        _ => c ^ (b | !d),
    }
}

/// The longest message that fits in one block (55 bytes, then the `0x80`
/// padding byte and the 8-byte bit length).
pub(crate) const MAX_SINGLE_BLOCK: usize = 55;

/// The 16 message words of the single padded block of a message of at most
/// [`MAX_SINGLE_BLOCK`] bytes.
pub(crate) fn padded_block(message: &[u8]) -> Option<[u32; 16]> {
    if message.len() > MAX_SINGLE_BLOCK {
        return None;
    }
    let mut bytes = [0u8; 64];
    bytes[..message.len()].copy_from_slice(message);
    bytes[message.len()] = 0x80;
    let bits = (message.len() as u64) * 8;
    bytes[56..].copy_from_slice(&bits.to_le_bytes());
    let mut words = [0u32; 16];
    for (word, chunk) in words.iter_mut().zip(bytes.chunks_exact(4)) {
        *word = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    Some(words)
}

/// The values a search job shares between all its lanes: the constant
/// message words, and the targets obtained by running the last steps of MD5
/// backwards from the digest.
///
/// Write `v[i]` for the register value produced by step `i`, so that step
/// `i` computes
/// `v[i] = v[i-1] + rol(v[i-4] + f_i(v[i-1], v[i-2], v[i-3]) + K[i] + M[g(i)], S[i])`
/// and the digest is `(IV_a + v[60], IV_b + v[63], IV_c + v[62], IV_d + v[61])`.
/// Solved for `v[i-4]`, a step can be undone:
/// `v[i-4] = ror(v[i] - v[i-1], S[i]) - f_i(v[i-1], v[i-2], v[i-3]) - K[i] - M[g(i)]`.
///
/// Steps 49 to 63 add word 1, word 14 and zero words only, all known for
/// the job, so undoing them gives `v[45]` to `v[48]` for every lane at
/// once. Step 48 adds word 0: `v[44] = t44 - M0` for each lane. Steps 47
/// and 46 add zero words: `v[43] = c47 - H(v[46], v[45], v[44])` and
/// `v[42] = c46 - H(v[45], v[44], v[43])`. A lane can only be the password
/// if its forward `v[42]` equals that target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct JobConstants {
    /// The bytes of message word 0 that are the same for the whole job.
    pub m0_high: u32,
    /// Message word 1.
    pub m1: u32,
    /// Message word 14: the message length in bits.
    pub m14: u32,
    /// `v[44] = t44 - M0`.
    pub t44: u32,
    /// `v[43] = c47 - H(v[46], v[45], v[44])`.
    pub c47: u32,
    /// `v[42] = c46 - H(v[45], v[44], v[43])`.
    pub c46: u32,
    /// `v[45]`.
    pub v45: u32,
    /// `v[46]`.
    pub v46: u32,
}

impl JobConstants {
    /// Undoes steps 63 down to 46 from `digest` for blocks whose words are
    /// `m0_high | lane bits`, `m1`, zero, ..., zero, `m14`, zero.
    pub(crate) fn new(digest: &Md5Digest, m0_high: u32, m1: u32, m14: u32) -> Self {
        let d = digest.words();
        let mut v = [0u32; 64];
        v[60] = d[0].wrapping_sub(IV[0]);
        v[63] = d[1].wrapping_sub(IV[1]);
        v[62] = d[2].wrapping_sub(IV[2]);
        v[61] = d[3].wrapping_sub(IV[3]);
        let mut message = [0u32; 16];
        message[1] = m1;
        message[14] = m14;
        for i in (49..64).rev() {
            debug_assert_ne!(message_index(i), 0);
            v[i - 4] = (v[i].wrapping_sub(v[i - 1]))
                .rotate_right(S[i])
                .wrapping_sub(round_function(i, v[i - 1], v[i - 2], v[i - 3]))
                .wrapping_sub(K[i])
                .wrapping_sub(message[message_index(i)]);
        }
        let undo = |i: usize| {
            (v[i].wrapping_sub(v[i - 1]))
                .rotate_right(S[i])
                .wrapping_sub(K[i])
        };
        JobConstants {
            m0_high,
            m1,
            m14,
            t44: undo(48).wrapping_sub(round_function(48, v[47], v[46], v[45])),
            c47: undo(47),
            c46: undo(46),
            v45: v[45],
            v46: v[46],
        }
    }
}

/// One four-step group of MD5 on a state `[[V; N]; 4]` (registers a, b, c,
/// d, each with `N` independent vectors so that the processor can overlap
/// their dependency chains). `$m` is the message, `[[V; N]; 16]`.
macro_rules! md5_step {
    ($st:ident, $m:ident, $a:literal, $b:literal, $c:literal, $d:literal, $fun:ident, $i:expr, $s:literal) => {
        for k in 0..$st[0].len() {
            let f = $fun($st[$b][k], $st[$c][k], $st[$d][k]);
            let t = add(
                add($st[$a][k], f),
                add(
                    splat(const { $crate::codebreaker::md5x::K[$i] }),
                    $m[const { $crate::codebreaker::md5x::message_index($i) }][k],
                ),
            );
            $st[$a][k] = add($st[$b][k], rol::<$s, { 32 - $s }>(t));
        }
    };
}

/// Four steps starting at step `$i`, with the round's four rotations.
macro_rules! md5_quad {
    ($st:ident, $m:ident, $fun:ident, $i:expr, [$s0:literal, $s1:literal, $s2:literal, $s3:literal]) => {
        md5_step!($st, $m, 0, 1, 2, 3, $fun, $i, $s0);
        md5_step!($st, $m, 3, 0, 1, 2, $fun, $i + 1, $s1);
        md5_step!($st, $m, 2, 3, 0, 1, $fun, $i + 2, $s2);
        md5_step!($st, $m, 1, 2, 3, 0, $fun, $i + 3, $s3);
    };
}

/// Defines a backend's `compress` and `scan` kernels from its lane type `V`,
/// its constants `LANES` and `CHAINS`, and its operations `splat`, `add`,
/// `sub`, `or`, `rol`, `ff`, `gg`, `hh`, `ii`, `load`, `store` and
/// `eq_mask`, all of which must be in scope. The attributes (such as
/// `#[target_feature(...)]`) are put on both kernels.
macro_rules! lane_kernels {
    ($(#[$attr:meta])*) => {
        /// The MD5 state `(a, b, c, d)` after compressing one block per lane,
        /// starting from the standard initial value (no final addition).
        $(#[$attr])*
        pub(super) fn compress(blocks: &[[u32; 16]; LANES]) -> [[u32; 4]; LANES] {
            use $crate::codebreaker::md5x::IV;
            let mut m = [[splat(0); 1]; 16];
            for (w, word) in m.iter_mut().enumerate() {
                let mut column = [0u32; LANES];
                for (lane, block) in blocks.iter().enumerate() {
                    column[lane] = block[w];
                }
                word[0] = load(&column);
            }
            let mut st = [[splat(IV[0])], [splat(IV[1])], [splat(IV[2])], [splat(IV[3])]];
            md5_quad!(st, m, ff, 0, [7, 12, 17, 22]);
            md5_quad!(st, m, ff, 4, [7, 12, 17, 22]);
            md5_quad!(st, m, ff, 8, [7, 12, 17, 22]);
            md5_quad!(st, m, ff, 12, [7, 12, 17, 22]);
            md5_quad!(st, m, gg, 16, [5, 9, 14, 20]);
            md5_quad!(st, m, gg, 20, [5, 9, 14, 20]);
            md5_quad!(st, m, gg, 24, [5, 9, 14, 20]);
            md5_quad!(st, m, gg, 28, [5, 9, 14, 20]);
            md5_quad!(st, m, hh, 32, [4, 11, 16, 23]);
            md5_quad!(st, m, hh, 36, [4, 11, 16, 23]);
            md5_quad!(st, m, hh, 40, [4, 11, 16, 23]);
            md5_quad!(st, m, hh, 44, [4, 11, 16, 23]);
            md5_quad!(st, m, ii, 48, [6, 10, 15, 21]);
            md5_quad!(st, m, ii, 52, [6, 10, 15, 21]);
            md5_quad!(st, m, ii, 56, [6, 10, 15, 21]);
            md5_quad!(st, m, ii, 60, [6, 10, 15, 21]);
            let mut out = [[0u32; 4]; LANES];
            for (r, register) in st.iter().enumerate() {
                let words = store(register[0]);
                for (lane, state) in out.iter_mut().enumerate() {
                    state[r] = words[lane];
                }
            }
            out
        }

        /// Tests every lane of `lows` (each ORed with `job.m0_high` into
        /// message word 0) against the job's target, and appends the index
        /// in `lows` of every lane that passes the 32-bit check.
        ///
        /// `lows.len()` must be a multiple of `LANES * CHAINS`; a shorter
        /// tail is ignored.
        $(#[$attr])*
        pub(super) fn scan(
            lows: &[u32],
            job: &$crate::codebreaker::md5x::JobConstants,
            hits: &mut Vec<usize>,
        ) {
            use $crate::codebreaker::md5x::IV;
            let zero = splat(0);
            let high = splat(job.m0_high);
            let (groups, _) = lows.as_chunks::<{ LANES * CHAINS }>();
            for (g, group) in groups.iter().enumerate() {
                let (lanes, _) = group.as_chunks::<LANES>();
                let mut m0 = [zero; CHAINS];
                for k in 0..CHAINS {
                    m0[k] = or(load(&lanes[k]), high);
                }
                let mut m = [[zero; CHAINS]; 16];
                m[0] = m0;
                m[1] = [splat(job.m1); CHAINS];
                m[14] = [splat(job.m14); CHAINS];
                let mut st = [
                    [splat(IV[0]); CHAINS],
                    [splat(IV[1]); CHAINS],
                    [splat(IV[2]); CHAINS],
                    [splat(IV[3]); CHAINS],
                ];
                md5_quad!(st, m, ff, 0, [7, 12, 17, 22]);
                md5_quad!(st, m, ff, 4, [7, 12, 17, 22]);
                md5_quad!(st, m, ff, 8, [7, 12, 17, 22]);
                md5_quad!(st, m, ff, 12, [7, 12, 17, 22]);
                md5_quad!(st, m, gg, 16, [5, 9, 14, 20]);
                md5_quad!(st, m, gg, 20, [5, 9, 14, 20]);
                md5_quad!(st, m, gg, 24, [5, 9, 14, 20]);
                md5_quad!(st, m, gg, 28, [5, 9, 14, 20]);
                md5_quad!(st, m, hh, 32, [4, 11, 16, 23]);
                md5_quad!(st, m, hh, 36, [4, 11, 16, 23]);
                md5_step!(st, m, 0, 1, 2, 3, hh, 40, 4);
                md5_step!(st, m, 3, 0, 1, 2, hh, 41, 11);
                md5_step!(st, m, 2, 3, 0, 1, hh, 42, 16);
                // v[42] is in register c; compare it with the target
                // obtained by undoing steps 48, 47 and 46 for each lane.
                let mut masks = [0u32; CHAINS];
                for k in 0..CHAINS {
                    let v44 = sub(splat(job.t44), m0[k]);
                    let v43 = sub(splat(job.c47), hh(splat(job.v46), splat(job.v45), v44));
                    let v42 = sub(splat(job.c46), hh(splat(job.v45), v44, v43));
                    masks[k] = eq_mask(st[2][k], v42);
                }
                if masks.iter().any(|&mask| mask != 0) {
                    for (k, &mask) in masks.iter().enumerate() {
                        for lane in 0..LANES {
                            if mask >> lane & 1 == 1 {
                                hits.push((g * CHAINS + k) * LANES + lane);
                            }
                        }
                    }
                }
            }
        }
    };
}

use lane_kernels;
use md5_quad;
use md5_step;

/// The code path used to hash many passwords at once.
///
/// All three compute the same digests; they differ in how many lanes they
/// process per instruction and on which processors they run.
///
/// ```
/// use course_lib::codebreaker::Backend;
///
/// let best = Backend::detect();
/// assert!(best.is_available());
/// assert!(Backend::Portable.is_available()); // everywhere
/// println!("{} ({} lanes)", best.name(), best.lanes());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// AVX-512 (x86-64 with `avx512f`, `avx512bw`, `avx512vl`): 16 lanes,
    /// with single-instruction rotations and three-input logic.
    Avx512,
    /// AVX2 (x86-64 with `avx2`): 8 lanes.
    Avx2,
    /// Plain `u32` arithmetic on arrays of 8 lanes, which the compiler
    /// vectorises as best it can: runs on every processor.
    Portable,
}

impl Backend {
    /// Every backend, fastest first.
    ///
    /// ```
    /// assert_eq!(course_lib::codebreaker::Backend::ALL.len(), 3);
    /// ```
    pub const ALL: [Backend; 3] = [Backend::Avx512, Backend::Avx2, Backend::Portable];

    /// The fastest backend this processor supports.
    ///
    /// ```
    /// assert!(course_lib::codebreaker::Backend::detect().is_available());
    /// ```
    pub fn detect() -> Backend {
        Backend::ALL
            .into_iter()
            .find(|backend| backend.is_available())
            .unwrap_or(Backend::Portable)
    }

    /// The backends this processor supports, fastest first.
    ///
    /// ```
    /// use course_lib::codebreaker::Backend;
    ///
    /// assert_eq!(Backend::available().last(), Some(&Backend::Portable));
    /// ```
    pub fn available() -> Vec<Backend> {
        Backend::ALL
            .into_iter()
            .filter(|backend| backend.is_available())
            .collect()
    }

    /// Whether this processor can run the backend (checked at run time).
    ///
    /// ```
    /// assert!(course_lib::codebreaker::Backend::Portable.is_available());
    /// ```
    pub fn is_available(self) -> bool {
        match self {
            #[cfg(target_arch = "x86_64")]
            Backend::Avx512 => {
                std::arch::is_x86_feature_detected!("avx512f")
                    && std::arch::is_x86_feature_detected!("avx512bw")
                    && std::arch::is_x86_feature_detected!("avx512vl")
            }
            #[cfg(target_arch = "x86_64")]
            Backend::Avx2 => std::arch::is_x86_feature_detected!("avx2"),
            #[cfg(not(target_arch = "x86_64"))]
            Backend::Avx512 | Backend::Avx2 => false,
            Backend::Portable => true,
        }
    }

    /// A short name for tables.
    ///
    /// ```
    /// assert_eq!(course_lib::codebreaker::Backend::Avx512.name(), "AVX-512");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Backend::Avx512 => "AVX-512",
            Backend::Avx2 => "AVX2",
            Backend::Portable => "portable",
        }
    }

    /// How many passwords one instruction works on.
    ///
    /// ```
    /// assert_eq!(course_lib::codebreaker::Backend::Avx512.lanes(), 16);
    /// ```
    pub fn lanes(self) -> usize {
        match self {
            Backend::Avx512 => 16,
            Backend::Avx2 => 8,
            Backend::Portable => portable::LANES,
        }
    }

    /// This backend if the processor supports it, otherwise an error.
    pub(crate) fn checked(self) -> Result<Backend, CrackError> {
        if self.is_available() {
            Ok(self)
        } else {
            Err(CrackError::BackendUnavailable { backend: self })
        }
    }

    /// How many lanes `scan` consumes per group; the lane table must be a
    /// multiple of it. 64 is a multiple for every backend.
    pub(crate) const SCAN_GROUP: usize = 64;

    /// The MD5 digests of many short messages (up to 55 bytes each), hashed
    /// a register of lanes at a time.
    ///
    /// ```
    /// use course_lib::codebreaker::{Backend, Md5Digest};
    ///
    /// let digests = Backend::detect().md5_many(&[b"Hey".as_slice(), b"PyPI"])?;
    /// assert_eq!(digests[0], Md5Digest::of("Hey"));
    /// assert_eq!(digests[1].to_string(), "9fcce10c03dc2eaada4c361c508c4ebe");
    /// # Ok::<(), course_lib::codebreaker::CrackError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`CrackError::MessageTooLong`] if a message has more than 55 bytes,
    /// [`CrackError::BackendUnavailable`] if the processor lacks the backend.
    pub fn md5_many(self, messages: &[&[u8]]) -> Result<Vec<Md5Digest>, CrackError> {
        let backend = self.checked()?;
        let blocks = messages
            .iter()
            .map(|message| {
                padded_block(message).ok_or(CrackError::MessageTooLong {
                    length: message.len(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(compress_all(backend, &blocks)
            .into_iter()
            .map(|state| {
                let mut bytes = [0u8; 16];
                for (r, chunk) in bytes.chunks_exact_mut(4).enumerate() {
                    chunk.copy_from_slice(&state[r].wrapping_add(IV[r]).to_le_bytes());
                }
                Md5Digest::from_bytes(bytes)
            })
            .collect())
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Runs one backend's `compress` over every block, a register at a time
/// (the last register padded with empty blocks).
fn compress_all(backend: Backend, blocks: &[[u32; 16]]) -> Vec<[u32; 4]> {
    fn run<const LANES: usize>(
        blocks: &[[u32; 16]],
        kernel: impl Fn(&[[u32; 16]; LANES]) -> [[u32; 4]; LANES],
    ) -> Vec<[u32; 4]> {
        let mut out = Vec::with_capacity(blocks.len());
        for chunk in blocks.chunks(LANES) {
            let mut batch = [[0u32; 16]; LANES];
            batch[..chunk.len()].copy_from_slice(chunk);
            out.extend_from_slice(&kernel(&batch)[..chunk.len()]);
        }
        out
    }
    match backend {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `is_available` checked the CPU features the kernel is compiled for.
        Backend::Avx512 if backend.is_available() => {
            run(blocks, |batch| unsafe { avx512::compress(batch) })
        }
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Backend::Avx2 if backend.is_available() => {
            run(blocks, |batch| unsafe { avx2::compress(batch) })
        }
        _ => run(blocks, portable::compress),
    }
}

/// Runs one backend's `scan` (see [`lane_kernels!`]) over a lane table whose
/// length is a multiple of [`Backend::SCAN_GROUP`]. A backend the processor
/// lacks falls back to the portable one.
pub(crate) fn scan(backend: Backend, lows: &[u32], job: &JobConstants, hits: &mut Vec<usize>) {
    match backend {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `is_available` checked the CPU features the kernel is compiled for.
        Backend::Avx512 if backend.is_available() => unsafe { avx512::scan(lows, job, hits) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Backend::Avx2 if backend.is_available() => unsafe { avx2::scan(lows, job, hits) },
        _ => portable::scan(lows, job, hits),
    }
}
