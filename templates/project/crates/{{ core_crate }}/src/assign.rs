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
//! * On `x86_64` with `std`, the kernel is picked at run time, so portable
//!   wheels still get 8-wide vectors on CPUs that have them: `f32` goes to
//!   [`avx2`], written with intrinsics (an in-register transpose, 8 centroids
//!   per pass), or on CPUs with AVX-512F to [`avx512`], the same on 16 points
//!   per block; `f64` goes to this same loop compiled with AVX2 enabled. All
//!   compute exactly the numbers the portable loop computes.

// `#[inline(always)]` below is what compiles the shared loop into the AVX2 copy: a call
// that is not inlined would run the portable code.
#![expect(clippy::inline_always, reason = "see above")]

use alloc::vec;
use alloc::vec::Vec;

use crate::float::Float;
use crate::matrix::MatRef;

#[cfg(all(feature = "std", target_arch = "x86_64"))]
mod avx2;
#[cfg(all(feature = "std", target_arch = "x86_64"))]
mod avx512;

/// Points per block: one AVX2 register of `f32` lanes.
pub(crate) const BLOCK: usize = 8;
/// Centroids scored per pass.
const GROUP: usize = 4;

/// Centroids in the form the kernel reads: `|c|²`, and `-2c` with every value
/// repeated across the lanes of a block (so the inner loop multiplies two
/// vectors straight from memory), laid out in the order the loop walks it:
/// `[group][feature][centroid in group]`, then the last `k % GROUP` centroids
/// `[centroid][feature]`. Fixed-size arrays keep bounds checks out of the loop.
pub(crate) struct Prepared<F> {
    groups: Vec<[[F; BLOCK]; GROUP]>,
    rest: Vec<[F; BLOCK]>,
    norms: Vec<F>,
    d: usize,
    /// The same centroids for the `f32` AVX2 kernel, when both apply.
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    avx2: Option<avx2::Centroids>,
    /// Whether the CPU has AVX-512F, so the `f32` kernel can run 16 lanes wide.
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    avx512: bool,
}

impl<F: Float> Prepared<F> {
    /// The layout of the kernel [`for_each_nearest`] will run, and only that one
    /// (building both would cost small calls more than the search itself).
    pub(crate) fn new(centroids: MatRef<'_, F>) -> Self {
        #[cfg(all(feature = "std", target_arch = "x86_64"))]
        if let Some(c) =
            F::as_f32_slice(centroids.as_slice()).filter(|_| std::is_x86_feature_detected!("avx2"))
        {
            return Self {
                groups: Vec::new(),
                rest: Vec::new(),
                norms: Vec::new(),
                d: centroids.n_cols(),
                avx2: Some(avx2::Centroids::new(MatRef::from_rows(
                    c,
                    centroids.n_cols(),
                ))),
                avx512: std::is_x86_feature_detected!("avx512f"),
            };
        }
        Self::portable(centroids)
    }

    /// The layout of the portable loop ([`nearest_blocks`]).
    fn portable(centroids: MatRef<'_, F>) -> Self {
        let (k, d) = (centroids.n_rows(), centroids.n_cols());
        let two = F::from_f64(2.0);
        let lanes = |j: usize, f: usize| [F::ZERO - two * centroids.row(j)[f]; BLOCK];
        let n_grouped = k - k % GROUP;
        let mut groups = Vec::with_capacity(n_grouped / GROUP * d);
        for j in (0..n_grouped).step_by(GROUP) {
            for f in 0..d {
                groups.push(core::array::from_fn(|g| lanes(j + g, f)));
            }
        }
        let rest = (n_grouped..k)
            .flat_map(|j| (0..d).map(move |f| (j, f)))
            .map(|(j, f)| lanes(j, f))
            .collect();
        let norms = centroids
            .rows()
            .map(|c| c.iter().fold(F::ZERO, |s, &v| s + v * v))
            .collect();
        Self {
            groups,
            rest,
            norms,
            d,
            #[cfg(all(feature = "std", target_arch = "x86_64"))]
            avx2: None,
            #[cfg(all(feature = "std", target_arch = "x86_64"))]
            avx512: false,
        }
    }

    fn k(&self) -> usize {
        self.norms.len()
    }
}

/// Calls `visit(i, j)` for every row `i` of `rows` (row-major, `d` columns)
/// with `j` the index of its nearest centroid (ties: the lowest index).
///
/// Returns `true` only if the kernel saw that every value is finite; `false`
/// means some value is not, or that this path does not check, and the caller
/// must run [`MatRef::check_finite`] (labels of non-finite rows are arbitrary).
#[cfg_attr(
    all(feature = "std", target_arch = "x86_64"),
    expect(unsafe_code, reason = "calls the AVX2 copy after checking the CPU")
)]
pub(crate) fn for_each_nearest<F: Float>(
    rows: &[F],
    centroids: &Prepared<F>,
    visit: impl FnMut(usize, usize),
) -> bool {
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    if let (Some(rows), Some(cents)) = (F::as_f32_slice(rows), &centroids.avx2) {
        if centroids.avx512 {
            // SAFETY: `avx512` is only set after `is_x86_feature_detected!`
            // confirmed AVX-512F, which is all `avx512::for_each_nearest` requires.
            return unsafe { avx512::for_each_nearest(rows, cents, visit) };
        }
        // SAFETY: `centroids.avx2` is only built after `is_x86_feature_detected!`
        // confirmed AVX2, which is all `avx2::for_each_nearest` requires.
        return unsafe { avx2::for_each_nearest(rows, cents, visit) };
    }
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: `nearest_avx2` only requires that the CPU supports AVX2,
        // which `is_x86_feature_detected!` has just confirmed.
        unsafe {
            nearest_avx2(rows, centroids, visit);
        }
        return false;
    }
    nearest_blocks(rows, centroids, visit);
    false
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
    let d = cents.d;
    let mut best_score = [F::MAX; BLOCK];
    let mut best = [0_u32; BLOCK];
    for (gi, weights) in cents.groups.chunks_exact(d).enumerate() {
        let j = gi * GROUP;
        let mut acc: [[F; BLOCK]; GROUP] = core::array::from_fn(|g| [cents.norms[j + g]; BLOCK]);
        for (x, w) in xt.iter().zip(weights) {
            for (lanes, w) in acc.iter_mut().zip(w) {
                for ((a, &v), &w) in lanes.iter_mut().zip(x).zip(w) {
                    *a = *a + w * v;
                }
            }
        }
        for (g, lanes) in acc.iter().enumerate() {
            keep_smaller(&mut best_score, &mut best, lanes, j + g);
        }
    }
    let first_rest = cents.k() - cents.k() % GROUP;
    for (r, weights) in cents.rest.chunks_exact(d).enumerate() {
        let j = first_rest + r;
        let mut lanes = [cents.norms[j]; BLOCK];
        for (x, w) in xt.iter().zip(weights) {
            for ((a, &v), &w) in lanes.iter_mut().zip(x).zip(w) {
                *a = *a + w * v;
            }
        }
        keep_smaller(&mut best_score, &mut best, &lanes, j);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The argmin of `|c|² - 2c·x` computed one point and one centroid at a time.
    fn reference(rows: &[f64], centroids: &[f64], d: usize) -> Vec<usize> {
        rows.chunks_exact(d)
            .map(|x| {
                let score = |c: &[f64]| {
                    let norm = c.iter().fold(0.0, |s, &v| s + v * v);
                    c.iter().zip(x).fold(norm, |s, (&c, &v)| s + (-2.0 * c) * v)
                };
                let mut best = (0, f64::MAX);
                for (j, c) in centroids.chunks_exact(d).enumerate() {
                    if score(c) < best.1 {
                        best = (j, score(c));
                    }
                }
                best.0
            })
            .collect()
    }

    /// Every f32 kernel the CPU can run gives the labels of the portable loop,
    /// for every tile/remainder shape: the one `for_each_nearest` dispatches to
    /// (AVX-512 or AVX2 where the CPU has them) and, on AVX-512 CPUs, the AVX2
    /// one as well, which such CPUs would otherwise never run.
    #[test]
    #[cfg_attr(
        all(feature = "std", target_arch = "x86_64"),
        expect(unsafe_code, reason = "runs the AVX2 kernel directly")
    )]
    fn f32_kernels_agree_with_the_portable_loop() {
        let value = |i: usize| ((i * 7919) % 101) as f32 / 10.0 - 5.0;
        for d in [1, 3, 7, 8, 9, 16, 17, 24] {
            for k in [1, 2, 7, 8, 9, 17] {
                for n in [0, 1, 7, 8, 9, 15, 16, 17, 23, 33] {
                    let rows: Vec<f32> = (0..n * d).map(value).collect();
                    let centroids: Vec<f32> = (0..k * d).map(|i| value(i + 1000)).collect();
                    let centroids = MatRef::new(&centroids, d).unwrap();
                    let prepared = Prepared::new(centroids);
                    let (mut got, mut want) = (vec![usize::MAX; n], vec![usize::MAX; n]);
                    nearest_blocks(&rows, &Prepared::portable(centroids), |i, j| want[i] = j);
                    for_each_nearest(&rows, &prepared, |i, j| got[i] = j);
                    assert_eq!(got, want, "dispatched: d={d} k={k} n={n}");
                    #[cfg(all(feature = "std", target_arch = "x86_64"))]
                    if let Some(cents) = &prepared.avx2 {
                        let mut got = vec![usize::MAX; n];
                        // SAFETY: `avx2` is only built on a CPU with AVX2.
                        unsafe { avx2::for_each_nearest(&rows, cents, |i, j| got[i] = j) };
                        assert_eq!(got, want, "avx2: d={d} k={k} n={n}");
                    }
                }
            }
        }
    }

    #[test]
    fn blocks_groups_and_remainders_agree_with_the_reference() {
        let value = |i: usize| ((i * 7919) % 101) as f64 / 10.0 - 5.0;
        for d in 1..=5 {
            for k in 1..=9 {
                for n in [0, 1, 7, 8, 9, 17] {
                    let rows: Vec<f64> = (0..n * d).map(value).collect();
                    let centroids: Vec<f64> = (0..k * d).map(|i| value(i + 1000)).collect();
                    let prepared = Prepared::new(MatRef::new(&centroids, d).unwrap());
                    let mut got = vec![usize::MAX; n];
                    for_each_nearest(&rows, &prepared, |i, j| got[i] = j);
                    assert_eq!(got, reference(&rows, &centroids, d), "d={d} k={k} n={n}");
                }
            }
        }
    }
}
