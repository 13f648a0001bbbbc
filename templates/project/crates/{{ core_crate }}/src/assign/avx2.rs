//! The `f32` nearest-centroid kernel written with AVX2 intrinsics.
//!
//! Same arithmetic as the portable loop in the parent module, in the same
//! order (`|c|²`, then `+ (-2c_f) * x_f` for `f = 0, 1, ...`; plain multiply
//! and add, no FMA), so it returns exactly the same labels. What it does
//! differently is what the compiler would not do on its own:
//!
//! * the block of 8 points is transposed with an in-register 8x8 shuffle
//!   network instead of 64 scalar moves per 8 features;
//! * 8 centroids are scored per pass, 8 independent accumulator registers,
//!   which keeps both floating-point add pipes busy (the add latency is what
//!   bounds 4 chains); `k` is padded to a multiple of 8 with centroids whose
//!   score is `+inf`, so there is no remainder loop.
//!
//! Everything here is only called after `is_x86_feature_detected!("avx2")`.

#![expect(
    unsafe_code,
    reason = "unaligned SIMD loads and stores through pointers into bounds-checked slices"
)]

use alloc::vec;
use alloc::vec::Vec;
use core::arch::x86_64::{
    __m256, __m256i, _CMP_LT_OQ, _CMP_UNORD_Q, _mm256_add_ps, _mm256_blendv_epi8, _mm256_blendv_ps,
    _mm256_castps_si256, _mm256_cmp_ps, _mm256_loadu_ps, _mm256_movemask_ps, _mm256_mul_ps,
    _mm256_or_ps, _mm256_permute2f128_ps, _mm256_set_ps, _mm256_set1_epi32, _mm256_set1_ps,
    _mm256_setzero_ps, _mm256_shuffle_ps, _mm256_storeu_si256, _mm256_sub_ps, _mm256_unpackhi_ps,
    _mm256_unpacklo_ps,
};

use crate::matrix::MatRef;

/// Points per block and centroids per pass: one register of `f32` lanes.
pub(super) const LANES: usize = 8;

/// Centroids padded to a multiple of [`LANES`]: `-2c` as
/// `[group][feature][centroid in group]` and `|c|²` as `[group][centroid]`.
pub(crate) struct Centroids {
    pub(super) weights: Vec<[f32; LANES]>,
    pub(super) norms: Vec<[f32; LANES]>,
    pub(super) d: usize,
}

impl Centroids {
    pub(crate) fn new(centroids: MatRef<'_, f32>) -> Self {
        let (k, d) = (centroids.n_rows(), centroids.n_cols());
        let groups = k.div_ceil(LANES);
        let mut weights = Vec::with_capacity(groups * d);
        let mut norms = Vec::with_capacity(groups);
        for g in 0..groups {
            // Padding centroids: weight 0 and norm +inf score +inf for every
            // finite point, which never beats a real centroid.
            let row = |c: usize| (g * LANES + c < k).then(|| centroids.row(g * LANES + c));
            for f in 0..d {
                weights.push(core::array::from_fn(|c| {
                    row(c).map_or(0.0, |r| -2.0 * r[f])
                }));
            }
            norms.push(core::array::from_fn(|c| {
                row(c).map_or(f32::INFINITY, |r| r.iter().fold(0.0, |s, &v| s + v * v))
            }));
        }
        Self { weights, norms, d }
    }
}

/// Calls `visit(i, j)` with the nearest centroid `j` of every row `i`, and
/// returns whether every value of `rows` is finite (checked on the way, so
/// callers need no separate pass over the input).
///
/// # Safety
///
/// The CPU must support AVX2.
#[target_feature(enable = "avx2")]
pub(crate) unsafe fn for_each_nearest(
    rows: &[f32],
    cents: &Centroids,
    mut visit: impl FnMut(usize, usize),
) -> bool {
    let d = cents.d;
    if d == 0 || cents.norms.is_empty() {
        return false;
    }
    let n = rows.len() / d;
    let mut xt = vec![_mm256_setzero_ps(); d];
    // `x - x` is +0 for finite `x` and NaN otherwise; OR-ing the bit patterns
    // keeps any NaN (all-ones exponent, non-zero mantissa) to the end.
    let mut non_finite = _mm256_setzero_ps();
    let full = n - n % LANES;
    for (b, block) in rows[..full * d].chunks_exact(LANES * d).enumerate() {
        transpose_block(block, d, &mut xt);
        for &x in &xt {
            non_finite = _mm256_or_ps(non_finite, _mm256_sub_ps(x, x));
        }
        for (l, &j) in nearest_in_block(&xt, cents).iter().enumerate() {
            visit(b * LANES + l, j as usize);
        }
    }
    if full < n {
        // The last partial block, zero-padded; padded lanes are not visited.
        let mut tail = vec![0.0; LANES * d];
        tail[..(n - full) * d].copy_from_slice(&rows[full * d..n * d]);
        transpose_block(&tail, d, &mut xt);
        for &x in &xt {
            non_finite = _mm256_or_ps(non_finite, _mm256_sub_ps(x, x));
        }
        for (l, &j) in nearest_in_block(&xt, cents)[..n - full].iter().enumerate() {
            visit(full + l, j as usize);
        }
    }
    _mm256_movemask_ps(_mm256_cmp_ps::<_CMP_UNORD_Q>(non_finite, non_finite)) == 0
}

/// Writes feature `f` of the 8 rows in `block` (row-major, `d` columns) to
/// lane `l` of `xt[f]`.
#[inline]
#[target_feature(enable = "avx2")]
pub(super) fn transpose_block(block: &[f32], d: usize, xt: &mut [__m256]) {
    let tiles = d / LANES * LANES;
    for f0 in (0..tiles).step_by(LANES) {
        // Plain loops rather than closures here and below: a closure does not
        // inherit `target_feature`, so intrinsics in it would become calls.
        let mut r = [_mm256_setzero_ps(); LANES];
        for (l, r) in r.iter_mut().enumerate() {
            let src = &block[l * d + f0..l * d + f0 + LANES];
            // SAFETY: `src` holds exactly 8 f32s; the load is unaligned.
            *r = unsafe { _mm256_loadu_ps(src.as_ptr()) };
        }
        xt[f0..f0 + LANES].copy_from_slice(&transpose8(r));
    }
    for (f, lanes) in xt.iter_mut().enumerate().skip(tiles) {
        let v = |l: usize| block[l * d + f];
        *lanes = _mm256_set_ps(v(7), v(6), v(5), v(4), v(3), v(2), v(1), v(0));
    }
}

/// 8x8 transpose: lane `l` of output `i` is lane `i` of input `l`.
#[inline]
#[target_feature(enable = "avx2")]
fn transpose8(r: [__m256; LANES]) -> [__m256; LANES] {
    // Interleave pairs of rows, then pairs of pairs within each 128-bit half,
    // then swap halves: 24 shuffles for 64 values.
    let t0 = _mm256_unpacklo_ps(r[0], r[1]);
    let t1 = _mm256_unpackhi_ps(r[0], r[1]);
    let t2 = _mm256_unpacklo_ps(r[2], r[3]);
    let t3 = _mm256_unpackhi_ps(r[2], r[3]);
    let t4 = _mm256_unpacklo_ps(r[4], r[5]);
    let t5 = _mm256_unpackhi_ps(r[4], r[5]);
    let t6 = _mm256_unpacklo_ps(r[6], r[7]);
    let t7 = _mm256_unpackhi_ps(r[6], r[7]);
    let u0 = _mm256_shuffle_ps::<0x44>(t0, t2);
    let u1 = _mm256_shuffle_ps::<0xEE>(t0, t2);
    let u2 = _mm256_shuffle_ps::<0x44>(t1, t3);
    let u3 = _mm256_shuffle_ps::<0xEE>(t1, t3);
    let u4 = _mm256_shuffle_ps::<0x44>(t4, t6);
    let u5 = _mm256_shuffle_ps::<0xEE>(t4, t6);
    let u6 = _mm256_shuffle_ps::<0x44>(t5, t7);
    let u7 = _mm256_shuffle_ps::<0xEE>(t5, t7);
    [
        _mm256_permute2f128_ps::<0x20>(u0, u4),
        _mm256_permute2f128_ps::<0x20>(u1, u5),
        _mm256_permute2f128_ps::<0x20>(u2, u6),
        _mm256_permute2f128_ps::<0x20>(u3, u7),
        _mm256_permute2f128_ps::<0x31>(u0, u4),
        _mm256_permute2f128_ps::<0x31>(u1, u5),
        _mm256_permute2f128_ps::<0x31>(u2, u6),
        _mm256_permute2f128_ps::<0x31>(u3, u7),
    ]
}

/// Index of the nearest centroid for each lane of the transposed block.
#[inline]
#[target_feature(enable = "avx2")]
fn nearest_in_block(xt: &[__m256], cents: &Centroids) -> [u32; LANES] {
    let mut best_score = _mm256_set1_ps(f32::MAX);
    let mut best: __m256i = _mm256_set1_epi32(0);
    for (g, (weights, norms)) in cents
        .weights
        .chunks_exact(cents.d)
        .zip(&cents.norms)
        .enumerate()
    {
        let mut acc = [_mm256_setzero_ps(); LANES];
        for (a, &norm) in acc.iter_mut().zip(norms) {
            *a = _mm256_set1_ps(norm);
        }
        for (&x, w) in xt.iter().zip(weights) {
            for (a, &w) in acc.iter_mut().zip(w) {
                *a = _mm256_add_ps(*a, _mm256_mul_ps(_mm256_set1_ps(w), x));
            }
        }
        for (c, &score) in acc.iter().enumerate() {
            // Strictly smaller: ties keep the lower index, as in the portable loop.
            let smaller = _mm256_cmp_ps::<_CMP_LT_OQ>(score, best_score);
            best_score = _mm256_blendv_ps(best_score, score, smaller);
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_possible_wrap,
                reason = "k < 2^31"
            )]
            let j = _mm256_set1_epi32((g * LANES + c) as i32);
            best = _mm256_blendv_epi8(best, j, _mm256_castps_si256(smaller));
        }
    }
    let mut out = [0_u32; LANES];
    // SAFETY: `out` is 32 writable bytes; the store is unaligned.
    unsafe { _mm256_storeu_si256(out.as_mut_ptr().cast(), best) };
    out
}
