//! k-means clustering: k-means++ and random initialisation, Lloyd iterations,
//! prediction and distance transform.
//!
//! Conventions follow scikit-learn's `KMeans(algorithm="lloyd")` so results
//! can be compared one-to-one given the same initial centroids:
//!
//! * `tol` is relative: iteration stops once the summed squared centroid
//!   shift is `<= tol * mean(per-feature variance of x)`. Iteration also stops
//!   as soon as no label changed.
//! * After the loop, labels are recomputed against the final centroids and
//!   the inertia (sum of squared distances to the assigned centroid) is
//!   reported for that final assignment.
//! * Ties between equally distant centroids go to the lowest index.
//!
//! One deliberate difference: a cluster that loses all its points keeps its
//! previous centroid instead of being moved to a far-away point. That keeps
//! the update a pure function of the current assignment.
//!
//! Distances are computed in the input precision; per-cluster sums, the
//! inertia and the convergence criterion are accumulated in `f64`.

use alloc::collections::BTreeSet;
use alloc::vec;
use alloc::vec::Vec;

use crate::chunks::{CHUNK_ROWS, map_merge_mut};
use crate::error::{Error, Result};
use crate::float::{Float, squared_distance};
use crate::matrix::MatRef;
use crate::rng::SplitMix64;
use crate::scaler::RunningStats;

/// Outcome of [`fit`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct KMeansResult<F> {
    /// Final centroids, row-major `n_clusters x n_features`.
    pub centroids: Vec<F>,
    /// Index of the nearest final centroid for every sample.
    pub labels: Vec<usize>,
    /// Sum of squared distances of the samples to their assigned centroid.
    pub inertia: f64,
    /// Number of Lloyd iterations run (at least 1).
    pub n_iter: usize,
}

/// Picks `n_clusters` initial centroids with k-means++ (Arthur & Vassilvitskii).
///
/// The first centroid is a uniformly random sample; each further one is a
/// sample drawn with probability proportional to its squared distance to the
/// nearest centroid chosen so far. (This is the classic variant, not
/// scikit-learn's greedy one with several trials per step.) If every sample
/// coincides with a chosen centroid, the next one is drawn uniformly.
///
/// Returns the centroids row-major, `n_clusters x n_features`.
///
/// # Errors
///
/// [`Error::EmptyInput`], [`Error::InvalidParameter`] for `n_clusters == 0`,
/// [`Error::TooFewSamples`] and [`Error::NonFinite`].
///
/// # Examples
///
/// ```
/// use demo_core::{MatRef, kmeans};
///
/// let x = MatRef::new(&[0.0_f64, 0.0, 0.1, 0.0, 10.0, 10.0, 10.1, 10.0], 2)?;
/// let centroids = kmeans::plusplus_init(x, 2, 42)?;
/// assert_eq!(centroids.len(), 2 * 2);
/// # Ok::<(), demo_core::Error>(())
/// ```
pub fn plusplus_init<F: Float>(x: MatRef<'_, F>, n_clusters: usize, seed: u64) -> Result<Vec<F>> {
    validate_samples(x, n_clusters)?;
    let (n, d) = (x.n_rows(), x.n_cols());
    let mut rng = SplitMix64::new(seed);
    let mut centroids = Vec::with_capacity(n_clusters * d);
    centroids.extend_from_slice(x.row(rng.below(n)));

    // Squared distance of every sample to its nearest chosen centroid.
    let mut min_dist = vec![f64::INFINITY; n];
    let mut chunk_sums = Vec::with_capacity(n.div_ceil(CHUNK_ROWS));
    for _ in 1..n_clusters {
        let newest = &centroids[centroids.len() - d..];
        chunk_sums.clear();
        map_merge_mut(
            x,
            &mut min_dist,
            1,
            |chunk, dist| {
                let mut sum = 0.0;
                for (row, best) in chunk.rows().zip(dist.iter_mut()) {
                    *best = best.min(squared_distance(row, newest).to_f64());
                    sum += *best;
                }
                sum
            },
            |sum| chunk_sums.push(sum),
        );
        let total: f64 = chunk_sums.iter().sum();
        let next = if total > 0.0 && total.is_finite() {
            sample_weighted(&min_dist, &chunk_sums, rng.next_f64() * total)
        } else {
            rng.below(n)
        };
        centroids.extend_from_slice(x.row(next));
    }
    Ok(centroids)
}

/// Index `i` such that the prefix sum of `weights` first exceeds `target`.
///
/// `chunk_sums[c]` is the sum of `weights` over chunk `c`, which lets the
/// search skip whole chunks. Rounding can leave `target` just past the last
/// positive weight; the last positive weight is returned then, so a sample
/// with zero weight (an existing centroid) is never picked.
fn sample_weighted(weights: &[f64], chunk_sums: &[f64], target: f64) -> usize {
    let mut remaining = target;
    let mut chunk = None;
    for (c, &sum) in chunk_sums.iter().enumerate() {
        if remaining < sum {
            chunk = Some(c);
            break;
        }
        remaining -= sum;
    }
    let chunk = chunk.unwrap_or_else(|| {
        remaining = f64::INFINITY;
        chunk_sums.iter().rposition(|&s| s > 0.0).unwrap_or(0)
    });
    let start = chunk * CHUNK_ROWS;
    let end = weights.len().min(start + CHUNK_ROWS);
    let mut last_positive = start;
    for (i, &w) in weights[start..end].iter().enumerate() {
        if w > 0.0 {
            if remaining < w {
                return start + i;
            }
            remaining -= w;
            last_positive = start + i;
        }
    }
    last_positive
}

/// Picks `n_clusters` distinct samples uniformly at random as centroids.
///
/// Uses Floyd's algorithm, so the cost is `O(n_clusters log n_clusters)`
/// regardless of the number of samples. "Distinct" refers to sample
/// indices; duplicated rows in `x` can still yield equal centroids.
///
/// # Errors
///
/// Same as [`plusplus_init`].
///
/// # Examples
///
/// ```
/// use demo_core::{MatRef, kmeans};
///
/// let x = MatRef::new(&[1.0_f32, 2.0, 3.0, 4.0], 1)?;
/// let centroids = kmeans::random_init(x, 4, 7)?;
/// let mut sorted = centroids.clone();
/// sorted.sort_by(f32::total_cmp);
/// assert_eq!(sorted, [1.0, 2.0, 3.0, 4.0]);
/// # Ok::<(), demo_core::Error>(())
/// ```
pub fn random_init<F: Float>(x: MatRef<'_, F>, n_clusters: usize, seed: u64) -> Result<Vec<F>> {
    validate_samples(x, n_clusters)?;
    let n = x.n_rows();
    let mut rng = SplitMix64::new(seed);
    let mut chosen = BTreeSet::new();
    let mut centroids = Vec::with_capacity(n_clusters * x.n_cols());
    for j in n - n_clusters..n {
        let t = rng.below(j + 1);
        // Floyd: `j` itself cannot have been chosen yet, so it is a safe fallback.
        let pick = if chosen.insert(t) { t } else { j };
        chosen.insert(pick);
        centroids.extend_from_slice(x.row(pick));
    }
    Ok(centroids)
}

/// Runs Lloyd's algorithm from the centroids `init`.
///
/// See the [module documentation](self) for the stopping rule and the
/// handling of empty clusters.
///
/// # Errors
///
/// Input errors as in [`plusplus_init`] (with `n_clusters = init.n_rows()`),
/// [`Error::FeatureMismatch`] if `init` has a different number of columns,
/// and [`Error::InvalidParameter`] if `max_iter == 0` or `tol` is negative
/// or not finite.
///
/// # Examples
///
/// ```
/// use demo_core::{MatRef, kmeans};
///
/// let x = MatRef::new(&[0.0_f64, 1.0, 10.0, 11.0], 1)?;
/// let init = MatRef::new(&[0.0_f64, 10.0], 1)?;
/// let fit = kmeans::fit(x, init, 100, 1e-4)?;
/// assert_eq!(fit.centroids, [0.5, 10.5]);
/// assert_eq!(fit.labels, [0, 0, 1, 1]);
/// assert_eq!(fit.inertia, 1.0);
/// # Ok::<(), demo_core::Error>(())
/// ```
pub fn fit<F: Float>(
    x: MatRef<'_, F>,
    init: MatRef<'_, F>,
    max_iter: usize,
    tol: f64,
) -> Result<KMeansResult<F>> {
    validate_samples(x, init.n_rows())?;
    validate_centroids(x, init)?;
    if max_iter == 0 {
        return Err(Error::InvalidParameter {
            name: "max_iter",
            reason: "must be at least 1",
        });
    }
    if !(tol.is_finite() && tol >= 0.0) {
        return Err(Error::InvalidParameter {
            name: "tol",
            reason: "must be finite and non-negative",
        });
    }
    let tol = if tol > 0.0 {
        tol * mean_variance(x)
    } else {
        0.0
    };

    let (k, d) = (init.n_rows(), x.n_cols());
    let mut centroids = init.as_slice().to_vec();
    // No sample starts with a valid label, so the first step never counts as
    // "unchanged".
    let mut labels = vec![usize::MAX; x.n_rows()];
    let mut n_iter = 0;
    let mut last = None;
    while n_iter < max_iter {
        n_iter += 1;
        let step = lloyd_step(x, MatRef::from_rows(&centroids, d), &mut labels);
        if step.n_changed == 0 {
            // Same labels as last step means the update below would reproduce
            // the current centroids exactly, and `labels` already match them.
            last = Some(step.inertia);
            break;
        }
        let mut shift = 0.0;
        for ((centroid, sums), &count) in centroids
            .chunks_exact_mut(d)
            .zip(step.sums.chunks_exact(d))
            .zip(&step.counts)
        {
            // An empty cluster keeps its centroid (see module docs).
            if count == 0 {
                continue;
            }
            let count = count as f64;
            for (c, &s) in centroid.iter_mut().zip(sums) {
                let updated = F::from_f64(s / count);
                let delta = (updated - *c).to_f64();
                shift += delta * delta;
                *c = updated;
            }
        }
        if shift <= tol {
            break;
        }
    }
    debug_assert_eq!(centroids.len(), k * d);
    // Final E-step unless the loop ended on unchanged labels.
    let inertia = match last {
        Some(inertia) => inertia,
        None => lloyd_step(x, MatRef::from_rows(&centroids, d), &mut labels).inertia,
    };
    Ok(KMeansResult {
        centroids,
        labels,
        inertia,
        n_iter,
    })
}

/// Index of the nearest centroid for every sample (ties: lowest index).
///
/// # Errors
///
/// [`Error::EmptyInput`], [`Error::NonFinite`], [`Error::FeatureMismatch`],
/// and [`Error::InvalidParameter`] if `centroids` has no rows.
///
/// # Examples
///
/// ```
/// use demo_core::{MatRef, kmeans};
///
/// let x = MatRef::new(&[0.0_f32, 4.0, 6.0, 5.0], 1)?;
/// let centroids = MatRef::new(&[0.0_f32, 5.0], 1)?;
/// assert_eq!(kmeans::predict(x, centroids)?, [0, 1, 1, 1]);
/// # Ok::<(), demo_core::Error>(())
/// ```
pub fn predict<F: Float>(x: MatRef<'_, F>, centroids: MatRef<'_, F>) -> Result<Vec<usize>> {
    validate_samples(x, 1)?;
    validate_centroids(x, centroids)?;
    let mut labels = vec![0; x.n_rows()];
    map_merge_mut(
        x,
        &mut labels,
        1,
        |chunk, out| {
            for (row, label) in chunk.rows().zip(out.iter_mut()) {
                *label = nearest(row, centroids).0;
            }
        },
        |()| {},
    );
    Ok(labels)
}

/// Euclidean distance from every sample to every centroid, row-major
/// `n_samples x n_clusters`.
///
/// # Errors
///
/// Same as [`predict`].
///
/// # Examples
///
/// ```
/// use demo_core::{MatRef, kmeans};
///
/// let x = MatRef::new(&[0.0_f64, 0.0, 3.0, 4.0], 2)?;
/// let centroids = MatRef::new(&[0.0_f64, 0.0], 2)?;
/// assert_eq!(kmeans::transform(x, centroids)?, [0.0, 5.0]);
/// # Ok::<(), demo_core::Error>(())
/// ```
pub fn transform<F: Float>(x: MatRef<'_, F>, centroids: MatRef<'_, F>) -> Result<Vec<F>> {
    validate_samples(x, 1)?;
    validate_centroids(x, centroids)?;
    let k = centroids.n_rows();
    let mut out = vec![F::ZERO; x.n_rows() * k];
    map_merge_mut(
        x,
        &mut out,
        k,
        |chunk, out| {
            for (row, dists) in chunk.rows().zip(out.chunks_exact_mut(k)) {
                for (dist, centroid) in dists.iter_mut().zip(centroids.rows()) {
                    *dist = squared_distance(row, centroid).sqrt();
                }
            }
        },
        |()| {},
    );
    Ok(out)
}

/// Per-step totals of one assignment pass.
struct Step {
    /// Per-cluster feature sums, `k x d`.
    sums: Vec<f64>,
    /// Samples per cluster.
    counts: Vec<u64>,
    /// Samples whose label differs from the previous one.
    n_changed: usize,
    /// Sum of squared distances to the assigned centroid.
    inertia: f64,
}

impl Step {
    fn zeros(k: usize, d: usize) -> Self {
        Self {
            sums: vec![0.0; k * d],
            counts: vec![0; k],
            n_changed: 0,
            inertia: 0.0,
        }
    }
}

/// Assigns every sample to its nearest centroid (updating `labels`) and
/// accumulates what the centroid update needs.
fn lloyd_step<F: Float>(x: MatRef<'_, F>, centroids: MatRef<'_, F>, labels: &mut [usize]) -> Step {
    let (k, d) = (centroids.n_rows(), x.n_cols());
    let mut total = Step::zeros(k, d);
    map_merge_mut(
        x,
        labels,
        1,
        |chunk, labels| {
            // One partial per chunk (not per sample) keeps allocation off the hot path.
            let mut part = Step::zeros(k, d);
            for (row, label) in chunk.rows().zip(labels.iter_mut()) {
                let (best, dist) = nearest(row, centroids);
                if *label != best {
                    *label = best;
                    part.n_changed += 1;
                }
                part.inertia += dist.to_f64();
                part.counts[best] += 1;
                let sums = &mut part.sums[best * d..(best + 1) * d];
                for (s, &v) in sums.iter_mut().zip(row) {
                    *s += v.to_f64();
                }
            }
            part
        },
        |part| {
            for (t, p) in total.sums.iter_mut().zip(&part.sums) {
                *t += p;
            }
            for (t, p) in total.counts.iter_mut().zip(&part.counts) {
                *t += p;
            }
            total.n_changed += part.n_changed;
            total.inertia += part.inertia;
        },
    );
    total
}

/// Nearest centroid and its squared distance; ties go to the lowest index.
#[inline]
fn nearest<F: Float>(row: &[F], centroids: MatRef<'_, F>) -> (usize, F) {
    let mut rows = centroids.rows();
    // Seed with centroid 0 rather than `F::MAX` so an overflowing (infinite)
    // distance still yields a real label and distance.
    let mut best = (0, rows.next().map_or(F::ZERO, |c| squared_distance(row, c)));
    for (j, centroid) in rows.enumerate() {
        let dist = squared_distance(row, centroid);
        if dist < best.1 {
            best = (j + 1, dist);
        }
    }
    best
}

/// Mean over features of the population variance of `x` (scikit-learn's
/// scale for a relative `tol`).
fn mean_variance<F: Float>(x: MatRef<'_, F>) -> f64 {
    let mut stats = RunningStats::new(x.n_cols());
    stats.accumulate(x);
    stats.variance().iter().sum::<f64>() / x.n_cols() as f64
}

fn validate_samples<F: Float>(x: MatRef<'_, F>, n_clusters: usize) -> Result<()> {
    if x.n_rows() == 0 {
        return Err(Error::EmptyInput);
    }
    if n_clusters == 0 {
        return Err(Error::InvalidParameter {
            name: "n_clusters",
            reason: "must be at least 1",
        });
    }
    if n_clusters > x.n_rows() {
        return Err(Error::TooFewSamples {
            n_samples: x.n_rows(),
            n_clusters,
        });
    }
    x.check_finite()
}

fn validate_centroids<F: Float>(x: MatRef<'_, F>, centroids: MatRef<'_, F>) -> Result<()> {
    if centroids.n_cols() != x.n_cols() {
        return Err(Error::FeatureMismatch {
            expected: x.n_cols(),
            got: centroids.n_cols(),
        });
    }
    if centroids.n_rows() == 0 {
        return Err(Error::InvalidParameter {
            name: "n_clusters",
            reason: "must be at least 1",
        });
    }
    centroids.check_finite()
}

#[cfg(test)]
#[expect(
    clippy::float_cmp,
    reason = "the tiny cases below have exactly representable results"
)]
mod tests {
    use super::*;

    fn mat(data: &[f64], n_cols: usize) -> MatRef<'_, f64> {
        MatRef::new(data, n_cols).unwrap()
    }

    #[test]
    fn weighted_sampling_skips_zero_weights() {
        let weights = [0.0, 1.0, 0.0, 3.0, 0.0];
        let sums = [4.0];
        assert_eq!(sample_weighted(&weights, &sums, 0.0), 1);
        assert_eq!(sample_weighted(&weights, &sums, 0.999), 1);
        assert_eq!(sample_weighted(&weights, &sums, 1.0), 3);
        // A target past the total (rounding) lands on the last positive weight.
        assert_eq!(sample_weighted(&weights, &sums, 4.0), 3);
        assert_eq!(sample_weighted(&weights, &sums, 100.0), 3);
    }

    #[test]
    fn plusplus_picks_distinct_points_when_possible() {
        let data = [0.0, 1.0, 2.0, 3.0, 4.0];
        for seed in 0..50 {
            let mut c = plusplus_init(mat(&data, 1), 5, seed).unwrap();
            c.sort_by(f64::total_cmp);
            assert_eq!(c, data);
        }
    }

    #[test]
    fn plusplus_with_identical_points_falls_back_to_uniform() {
        let data = [2.0; 6];
        assert_eq!(plusplus_init(mat(&data, 2), 3, 1).unwrap(), [2.0; 6]);
    }

    #[test]
    fn empty_cluster_keeps_its_centroid() {
        let data = [0.0, 1.0, 2.0];
        let init = [1.0, 100.0];
        let fit = fit(mat(&data, 1), mat(&init, 1), 10, 0.0).unwrap();
        assert_eq!(fit.centroids, [1.0, 100.0]);
        assert_eq!(fit.labels, [0, 0, 0]);
        assert_eq!(fit.inertia, 2.0);
    }

    #[test]
    fn stops_when_labels_are_stable() {
        let data = [0.0, 1.0, 10.0, 11.0];
        let fit = fit(mat(&data, 1), mat(&[0.5, 10.5], 1), 100, 0.0).unwrap();
        assert_eq!(fit.n_iter, 1);
        assert_eq!(fit.centroids, [0.5, 10.5]);
    }

    #[test]
    fn respects_max_iter() {
        let data: Vec<f64> = (0..100).map(f64::from).collect();
        let fit = fit(mat(&data, 1), mat(&[0.0, 1.0], 1), 2, 0.0).unwrap();
        assert_eq!(fit.n_iter, 2);
    }

    #[test]
    fn spans_several_chunks() {
        // More rows than one chunk, to exercise chunk offsets and merging.
        let n = 2 * CHUNK_ROWS + 17;
        let data: Vec<f32> = (0..n)
            .map(|i| if i % 3 == 0 { 10.0 } else { 0.0 })
            .collect();
        let x = MatRef::new(&data, 1).unwrap();
        let fit = fit(x, MatRef::new(&[1.0, 9.0], 1).unwrap(), 50, 0.0).unwrap();
        assert_eq!(fit.centroids, [0.0, 10.0]);
        assert_eq!(fit.inertia, 0.0);
        assert!(
            fit.labels
                .iter()
                .enumerate()
                .all(|(i, &l)| l == usize::from(i % 3 == 0))
        );
        assert_eq!(
            predict(x, MatRef::new(&fit.centroids, 1).unwrap()).unwrap(),
            fit.labels
        );
    }

    #[test]
    fn rejects_invalid_input() {
        let data = [0.0, 1.0, 2.0, 3.0];
        let x = mat(&data, 2);
        let empty = mat(&[], 2);
        assert_eq!(plusplus_init(empty, 1, 0), Err(Error::EmptyInput));
        assert!(matches!(
            random_init(x, 0, 0),
            Err(Error::InvalidParameter {
                name: "n_clusters",
                ..
            })
        ));
        assert_eq!(
            random_init(x, 3, 0),
            Err(Error::TooFewSamples {
                n_samples: 2,
                n_clusters: 3
            })
        );
        assert_eq!(
            predict(mat(&[0.0, f64::NAN], 2), x),
            Err(Error::NonFinite { row: 0, col: 1 })
        );
        assert_eq!(
            transform(x, mat(&[0.0], 1)),
            Err(Error::FeatureMismatch {
                expected: 2,
                got: 1
            })
        );
        assert!(matches!(
            fit(x, x, 0, 0.0),
            Err(Error::InvalidParameter {
                name: "max_iter",
                ..
            })
        ));
        for tol in [-1.0, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                fit(x, x, 1, tol),
                Err(Error::InvalidParameter { name: "tol", .. })
            ));
        }
    }
}
