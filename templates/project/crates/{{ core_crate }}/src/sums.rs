//! The reductions a Lloyd iteration runs after the assignment: per-cluster
//! weighted sums and weights (the M-step's input) and the weighted inertia.
//!
//! The iteration runs both halves over one cache-sized block at a time
//! ([`block_rows`]): the assignment kernel over the block, then these loops
//! over the same rows, now in cache. The loops are plain Rust the compiler
//! vectorises across features; on `x86_64` with `std` they are compiled a
//! second time with AVX2 enabled and picked at run time (4 `f64` lanes
//! instead of SSE2's 2). Rust never contracts `a + w * v` into an FMA, so
//! both copies compute exactly the same numbers.

// `#[inline(always)]` below is what compiles the shared loops into the AVX2
// copies: a call that is not inlined would run the portable code.
#![expect(clippy::inline_always, reason = "see above")]

use alloc::vec;
use alloc::vec::Vec;

use crate::float::Float;
use crate::matrix::MatRef;
use crate::weights::Weight;

/// Interleaved accumulators per cluster (the fold in [`ClusterSums::into_parts`]
/// is written for 4).
const LANES: usize = 4;

/// Bytes of samples handled per block: well inside a core's L2 (512 KiB to
/// 2 MiB on current x86 and ARM server cores), so the second pass over a
/// block reads from cache.
const BLOCK_BYTES: usize = 128 * 1024;

/// Rows per block for `d` features of `F`: a multiple of the assignment
/// kernel's block of points (no partial blocks mid-chunk) and of [`LANES`]
/// (the lane of a row is the same counted in its block or in its chunk).
pub(crate) fn block_rows<F>(d: usize) -> usize {
    let rows = BLOCK_BYTES / (d * core::mem::size_of::<F>()).max(1);
    rows.max(1).next_multiple_of(crate::assign::BLOCK)
}

/// Per-cluster weighted feature sums and total weights of the rows added so far.
pub(crate) struct ClusterSums {
    /// [`LANES`] interleaved copies of the `k x d` sums: row `i` of a block
    /// adds into copy `i % LANES`, so consecutive rows of one cluster do not
    /// wait on each other's adds. Folded in a fixed order, so results do not
    /// depend on the thread count.
    lanes: Vec<f64>,
    weights: Vec<f64>,
    d: usize,
}

impl ClusterSums {
    pub(crate) fn zeros(k: usize, d: usize) -> Self {
        Self {
            lanes: vec![0.0; LANES * k * d],
            weights: vec![0.0; k],
            d,
        }
    }

    /// Adds every row `i` of `block` (row-major, `d` columns), weighted by
    /// `weight(first + i)`, to the sums of cluster `labels[i]`.
    #[cfg_attr(
        all(feature = "std", target_arch = "x86_64"),
        expect(unsafe_code, reason = "calls the AVX2 copy after checking the CPU")
    )]
    pub(crate) fn add<F: Float, W: Weight>(
        &mut self,
        block: &[F],
        labels: &[usize],
        first: usize,
        weight: &W,
    ) {
        #[cfg(all(feature = "std", target_arch = "x86_64"))]
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: `add_avx2` only requires AVX2, which was just confirmed.
            unsafe { self.add_avx2(block, labels, first, weight) };
            return;
        }
        self.add_rows(block, labels, first, weight);
    }

    /// [`Self::add_rows`] compiled with AVX2 enabled.
    ///
    /// # Safety
    ///
    /// The CPU must support AVX2.
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    #[expect(unsafe_code, reason = "a target_feature function is unsafe to call")]
    #[target_feature(enable = "avx2")]
    unsafe fn add_avx2<F: Float, W: Weight>(
        &mut self,
        block: &[F],
        labels: &[usize],
        first: usize,
        weight: &W,
    ) {
        self.add_rows(block, labels, first, weight);
    }

    #[inline(always)]
    fn add_rows<F: Float, W: Weight>(
        &mut self,
        block: &[F],
        labels: &[usize],
        first: usize,
        weight: &W,
    ) {
        let d = self.d;
        let k = self.weights.len();
        for (i, (row, &j)) in block.chunks_exact(d).zip(labels).enumerate() {
            // Unweighted, `w` is the constant 1.0 and the product folds away.
            let w = weight(first + i);
            self.weights[j] += w;
            let at = ((i % LANES) * k + j) * d;
            for (s, &v) in self.lanes[at..at + d].iter_mut().zip(row) {
                *s += w * v.to_f64();
            }
        }
    }

    /// The `k x d` sums (lanes folded in a fixed order) and the `k` weights.
    pub(crate) fn into_parts(self) -> (Vec<f64>, Vec<f64>) {
        let n = self.lanes.len() / LANES;
        let (front, back) = self.lanes.split_at(2 * n);
        let (s0, s1) = front.split_at(n);
        let (s2, s3) = back.split_at(n);
        let sums = s0
            .iter()
            .zip(s1)
            .zip(s2)
            .zip(s3)
            .map(|(((a, b), c), e)| (a + b) + (c + e))
            .collect();
        (sums, self.weights)
    }
}

/// Weighted sums of squared distances of samples to their labelled centroid,
/// computed directly (not from the assignment kernel's `|c|² - 2 c·x` scores),
/// in `f64` whatever the data's type.
pub(crate) struct Inertia {
    /// The centroids, row-major `k x d`, widened to `f64` once.
    centroids: Vec<f64>,
    /// One accumulator per feature: `d` independent chains the compiler
    /// vectorises, where one running total would wait on every add.
    per_feature: Vec<f64>,
}

impl Inertia {
    pub(crate) fn new<F: Float>(centroids: MatRef<'_, F>) -> Self {
        Self {
            centroids: centroids.as_slice().iter().map(|v| v.to_f64()).collect(),
            per_feature: vec![0.0; centroids.n_cols()],
        }
    }

    /// Adds the rows of `block` (row-major, `d` columns), weighted by
    /// `weight(first + i)`, at their distance to centroid `labels[i]`.
    #[cfg_attr(
        all(feature = "std", target_arch = "x86_64"),
        expect(unsafe_code, reason = "calls the AVX2 copy after checking the CPU")
    )]
    pub(crate) fn add<F: Float, W: Weight>(
        &mut self,
        block: &[F],
        labels: &[usize],
        first: usize,
        weight: &W,
    ) {
        #[cfg(all(feature = "std", target_arch = "x86_64"))]
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: `add_avx2` only requires AVX2, which was just confirmed.
            unsafe { self.add_avx2(block, labels, first, weight) };
            return;
        }
        self.add_rows(block, labels, first, weight);
    }

    /// [`Self::add_rows`] compiled with AVX2 enabled.
    ///
    /// # Safety
    ///
    /// The CPU must support AVX2.
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    #[expect(unsafe_code, reason = "a target_feature function is unsafe to call")]
    #[target_feature(enable = "avx2")]
    unsafe fn add_avx2<F: Float, W: Weight>(
        &mut self,
        block: &[F],
        labels: &[usize],
        first: usize,
        weight: &W,
    ) {
        self.add_rows(block, labels, first, weight);
    }

    #[inline(always)]
    fn add_rows<F: Float, W: Weight>(
        &mut self,
        block: &[F],
        labels: &[usize],
        first: usize,
        weight: &W,
    ) {
        let d = self.per_feature.len();
        for (i, (row, &j)) in block.chunks_exact(d).zip(labels).enumerate() {
            let w = weight(first + i);
            let centroid = &self.centroids[j * d..(j + 1) * d];
            for ((acc, &v), &c) in self.per_feature.iter_mut().zip(row).zip(centroid) {
                let diff = v.to_f64() - c;
                *acc += w * (diff * diff);
            }
        }
    }

    /// The total of the rows added so far (features summed in order).
    pub(crate) fn total(&self) -> f64 {
        self.per_feature.iter().sum()
    }
}
