//! Nearest-centroid search laid out for SIMD: the kernel behind Lloyd
//! iterations and `predict`, and the pattern to copy for kernels of your own.
//!
//! For a point `x` and a centroid `c`, `|x - c|² = |x|² + |c|² - 2 c·x`. The
//! first term is the same for every centroid, so the nearest centroid is the
//! one minimising `|c|² - 2 c·x`: one multiply and one add per feature and
//! centroid, with `-2c` and `|c|²` computed once per call ([`Prepared`]).
//!
//! The loop shape:
//!
//! * Points go through in blocks of [`BLOCK`], transposed to
//!   `[feature][point]`, so every point sits in its own SIMD lane and the
//!   argmin is a per-lane compare and select, with no horizontal shuffles.
//! * Centroids are scored [`GROUP`] at a time, each with its own
//!   accumulators. Rust never reassociates floating-point additions, so
//!   independent chains are what lets the CPU overlap them; 8 would spill
//!   registers.
//! * Plain `acc + w * x`, never `mul_add`: without hardware FMA that is a
//!   slow software routine, and fusing would change the rounding. The AVX2
//!   copy therefore computes exactly the same numbers as the portable one,
//!   and results do not depend on the machine's instruction set.
//! * On `x86_64` with `std`, the same code is compiled a second time with
//!   AVX2 enabled and picked at run time, so portable wheels still get 8-wide
//!   vectors on CPUs that have them.

// `#[inline(always)]` below is what compiles the shared loop into the AVX2 copy: a call
// that is not inlined would run the portable code.
#![expect(clippy::inline_always, reason = "see above")]

use alloc::vec;
use alloc::vec::Vec;

use crate::float::Float;
use crate::matrix::MatRef;

/// Points per block: one AVX2 register of `f32` lanes.
pub(crate) const BLOCK: usize = 8;
/// Centroids scored per pass.
const GROUP: usize = 4;

/// Centroids in the form the kernel reads: `-2c` (row-major, each value
/// repeated across the lanes of a block, so the inner loop multiplies two
/// vectors straight from memory) and `|c|²`.
pub(crate) struct Prepared<F> {
    neg2c: Vec<[F; BLOCK]>,
    norms: Vec<F>,
    d: usize,
}

impl<F: Float> Prepared<F> {
    pub(crate) fn new(centroids: MatRef<'_, F>) -> Self {
        let d = centroids.n_cols();
        let two = F::from_f64(2.0);
        let neg2c = centroids
            .as_slice()
            .iter()
            .map(|&c| [F::ZERO - two * c; BLOCK])
            .collect();
        let norms = centroids
            .rows()
            .map(|c| c.iter().fold(F::ZERO, |s, &v| s + v * v))
            .collect();
        Self { neg2c, norms, d }
    }

    fn k(&self) -> usize {
        self.norms.len()
    }
}

/// Calls `visit(i, j)` for every row `i` of `rows` (row-major, `d` columns)
/// with `j` the index of its nearest centroid (ties: the lowest index).
#[cfg_attr(
    all(feature = "std", target_arch = "x86_64"),
    expect(unsafe_code, reason = "calls the AVX2 copy after checking the CPU")
)]
pub(crate) fn for_each_nearest<F: Float>(
    rows: &[F],
    centroids: &Prepared<F>,
    visit: impl FnMut(usize, usize),
) {
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: `nearest_avx2` only requires that the CPU supports AVX2,
        // which `is_x86_feature_detected!` has just confirmed.
        unsafe {
            nearest_avx2(rows, centroids, visit);
        }
        return;
    }
    nearest_blocks(rows, centroids, visit);
}

/// [`nearest_blocks`] compiled with AVX2 enabled.
///
/// # Safety
///
/// The CPU must support AVX2.
#[cfg(all(feature = "std", target_arch = "x86_64"))]
#[expect(unsafe_code, reason = "a target_feature function is unsafe to call")]
#[target_feature(enable = "avx2")]
unsafe fn nearest_avx2<F: Float>(
    rows: &[F],
    centroids: &Prepared<F>,
    visit: impl FnMut(usize, usize),
) {
    nearest_blocks(rows, centroids, visit);
}

#[inline(always)]
fn nearest_blocks<F: Float>(
    rows: &[F],
    centroids: &Prepared<F>,
    mut visit: impl FnMut(usize, usize),
) {
    let d = centroids.d;
    let k = centroids.k();
    if d == 0 || k == 0 {
        return;
    }
    let n = rows.len() / d;
    let mut xt = vec![[F::ZERO; BLOCK]; d];
    for start in (0..n).step_by(BLOCK) {
        let m = BLOCK.min(n - start);
        // Transpose: lane `l` of `xt[f]` is feature `f` of point `start + l`;
        // lanes past the end keep stale values and are ignored.
        for (l, row) in rows[start * d..(start + m) * d].chunks_exact(d).enumerate() {
            for (lanes, &v) in xt.iter_mut().zip(row) {
                lanes[l] = v;
            }
        }
        let best = nearest_in_block(&xt, centroids);
        for (l, &j) in best[..m].iter().enumerate() {
            visit(start + l, j as usize);
        }
    }
}

#[inline(always)]
fn nearest_in_block<F: Float>(xt: &[[F; BLOCK]], cents: &Prepared<F>) -> [u32; BLOCK] {
    let (d, k) = (cents.d, cents.k());
    let mut best_score = [F::MAX; BLOCK];
    let mut best = [0_u32; BLOCK];
    let mut j = 0;
    while j + GROUP <= k {
        let mut acc = [[F::ZERO; BLOCK]; GROUP];
        for (g, lanes) in acc.iter_mut().enumerate() {
            *lanes = [cents.norms[j + g]; BLOCK];
        }
        for (f, x) in xt.iter().enumerate() {
            for (g, lanes) in acc.iter_mut().enumerate() {
                let w = &cents.neg2c[(j + g) * d + f];
                for ((a, &v), &w) in lanes.iter_mut().zip(x).zip(w) {
                    *a = *a + w * v;
                }
            }
        }
        for (g, lanes) in acc.iter().enumerate() {
            keep_smaller(&mut best_score, &mut best, lanes, j + g);
        }
        j += GROUP;
    }
    for jj in j..k {
        let mut lanes = [cents.norms[jj]; BLOCK];
        for (f, x) in xt.iter().enumerate() {
            let w = &cents.neg2c[jj * d + f];
            for ((a, &v), &w) in lanes.iter_mut().zip(x).zip(w) {
                *a = *a + w * v;
            }
        }
        keep_smaller(&mut best_score, &mut best, &lanes, jj);
    }
    best
}

/// Per lane: take centroid `j` where its score is strictly smaller, so ties
/// keep the lower index (centroids arrive in increasing order).
#[inline(always)]
fn keep_smaller<F: Float>(
    best_score: &mut [F; BLOCK],
    best: &mut [u32; BLOCK],
    score: &[F; BLOCK],
    j: usize,
) {
    // Centroid counts are far below 2^32 (each needs a sample).
    #[expect(clippy::cast_possible_truncation, reason = "k < 2^32, see above")]
    let j = j as u32;
    for l in 0..BLOCK {
        let smaller = score[l] < best_score[l];
        best_score[l] = if smaller { score[l] } else { best_score[l] };
        best[l] = if smaller { j } else { best[l] };
    }
}
