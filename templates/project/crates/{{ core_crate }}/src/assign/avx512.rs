//! The `f32` nearest-centroid kernel on AVX-512 registers: 16 points per block.
//!
//! The AVX2 kernel's arithmetic in the same order on twice the lanes (each
//! lane is one point, so the per-point numbers and labels are exactly those
//! of the AVX2 and portable kernels). It reads the AVX2 kernel's centroid
//! layout (8 centroids per pass) and its 8x8 transpose, twice per block. On
//! CPUs with two 512-bit multiply/add pipes it does the same work in about
//! half the instructions, which is where BLAS-backed Lloyd (scikit-learn's)
//! gets its speed on such machines.
//!
//! Everything here is only called after `is_x86_feature_detected!("avx512f")`.

#![expect(
    unsafe_code,
    reason = "unaligned SIMD stores through pointers into bounds-checked slices"
)]

use alloc::vec;
use alloc::vec::Vec;
use core::arch::x86_64::{
    __m256, __m512, __m512i, _CMP_LT_OQ, _CMP_UNORD_Q, _mm256_castps_pd, _mm256_setzero_ps,
    _mm512_add_ps, _mm512_castpd_ps, _mm512_castps_pd, _mm512_castps_si512, _mm512_castps256_ps512,
    _mm512_castsi512_ps, _mm512_cmp_ps_mask, _mm512_insertf64x4, _mm512_mask_blend_epi32,
    _mm512_mask_blend_ps, _mm512_mul_ps, _mm512_or_si512, _mm512_set1_epi32, _mm512_set1_ps,
    _mm512_setzero_ps, _mm512_storeu_si512, _mm512_sub_ps,
};

use super::avx2::{Centroids, LANES, transpose_block};

/// Points per block: one AVX-512 register of `f32` lanes.
const WIDE: usize = 2 * LANES;

/// Calls `visit(i, j)` with the nearest centroid `j` of every row `i`, and
/// returns whether every value of `rows` is finite, like the AVX2 kernel.
///
/// # Safety
///
/// The CPU must support AVX-512F (and so AVX2).
#[target_feature(enable = "avx2,avx512f")]
pub(super) unsafe fn for_each_nearest(
    rows: &[f32],
    cents: &Centroids,
    mut visit: impl FnMut(usize, usize),
) -> bool {
    let d = cents.d;
    if d == 0 || cents.norms.is_empty() {
        return false;
    }
    let n = rows.len() / d;
    let mut halves = [vec![_mm256_setzero_ps(); d], vec![_mm256_setzero_ps(); d]];
    let mut xt = vec![_mm512_setzero_ps(); d];
    let mut non_finite = _mm512_setzero_ps();
    let full = n - n % WIDE;
    for (b, block) in rows[..full * d].chunks_exact(WIDE * d).enumerate() {
        non_finite = or(non_finite, load_block(block, d, &mut halves, &mut xt));
        for (l, &j) in nearest_in_block(&xt, cents).iter().enumerate() {
            visit(b * WIDE + l, j as usize);
        }
    }
    if full < n {
        // The last partial block, zero-padded; padded lanes are not visited.
        let mut tail = vec![0.0; WIDE * d];
        tail[..(n - full) * d].copy_from_slice(&rows[full * d..n * d]);
        non_finite = or(non_finite, load_block(&tail, d, &mut halves, &mut xt));
        for (l, &j) in nearest_in_block(&xt, cents)[..n - full].iter().enumerate() {
            visit(full + l, j as usize);
        }
    }
    _mm512_cmp_ps_mask::<_CMP_UNORD_Q>(non_finite, non_finite) == 0
}

/// Transposes the 16 rows of `block` into `xt` (feature `f` of row `l` in
/// lane `l` of `xt[f]`) and returns a register that is NaN in some lane
/// if any value is not finite (`x - x`, OR-ed over the features).
#[inline]
#[target_feature(enable = "avx2,avx512f")]
fn load_block(block: &[f32], d: usize, halves: &mut [Vec<__m256>; 2], xt: &mut [__m512]) -> __m512 {
    let (low, high) = block.split_at(LANES * d);
    transpose_block(low, d, &mut halves[0]);
    transpose_block(high, d, &mut halves[1]);
    let mut non_finite = _mm512_setzero_ps();
    for ((x, &lo), &hi) in xt.iter_mut().zip(&halves[0]).zip(&halves[1]) {
        // Lanes 0-7 from the first 8 rows, 8-15 from the next 8.
        let wide = _mm512_castps_pd(_mm512_castps256_ps512(lo));
        *x = _mm512_castpd_ps(_mm512_insertf64x4::<1>(wide, _mm256_castps_pd(hi)));
        non_finite = or(non_finite, _mm512_sub_ps(*x, *x));
    }
    non_finite
}

/// Bitwise OR of two registers (`_mm512_or_ps` would need AVX-512DQ).
#[inline]
#[target_feature(enable = "avx512f")]
fn or(a: __m512, b: __m512) -> __m512 {
    _mm512_castsi512_ps(_mm512_or_si512(
        _mm512_castps_si512(a),
        _mm512_castps_si512(b),
    ))
}

/// Index of the nearest centroid for each lane of the transposed block.
#[inline]
#[target_feature(enable = "avx2,avx512f")]
fn nearest_in_block(xt: &[__m512], cents: &Centroids) -> [u32; WIDE] {
    let mut best_score = _mm512_set1_ps(f32::MAX);
    let mut best: __m512i = _mm512_set1_epi32(0);
    for (g, (weights, norms)) in cents
        .weights
        .chunks_exact(cents.d)
        .zip(&cents.norms)
        .enumerate()
    {
        let mut acc = [_mm512_setzero_ps(); LANES];
        for (a, &norm) in acc.iter_mut().zip(norms) {
            *a = _mm512_set1_ps(norm);
        }
        for (&x, w) in xt.iter().zip(weights) {
            for (a, &w) in acc.iter_mut().zip(w) {
                *a = _mm512_add_ps(*a, _mm512_mul_ps(_mm512_set1_ps(w), x));
            }
        }
        for (c, &score) in acc.iter().enumerate() {
            // Strictly smaller: ties keep the lower index, as in the other kernels.
            let smaller = _mm512_cmp_ps_mask::<_CMP_LT_OQ>(score, best_score);
            best_score = _mm512_mask_blend_ps(smaller, best_score, score);
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_possible_wrap,
                reason = "k < 2^31"
            )]
            let j = _mm512_set1_epi32((g * LANES + c) as i32);
            best = _mm512_mask_blend_epi32(smaller, best, j);
        }
    }
    let mut out = [0_u32; WIDE];
    // SAFETY: `out` is 64 writable bytes; the store is unaligned.
    unsafe { _mm512_storeu_si512(out.as_mut_ptr().cast(), best) };
    out
}
