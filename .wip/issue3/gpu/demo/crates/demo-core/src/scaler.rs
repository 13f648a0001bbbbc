//! Streaming per-feature mean and variance, and standardisation.
//!
//! [`RunningStats`] holds `(n, mean, m2)` where `m2` is the sum of squared
//! deviations from the mean. Each batch is processed in fixed-size chunks:
//! a chunk's statistics are computed with two passes (mean, then squared
//! deviations), which is far more accurate than the naive sum-of-squares
//! formula, and partial results are combined with the pairwise update of
//! Chan, Golub and `LeVeque`. Merging happens in chunk order, so the result does
//! not depend on the number of threads.

use alloc::vec;
use alloc::vec::Vec;

use crate::chunks::{map_merge, map_merge_mut};
use crate::error::{Error, Result};
use crate::float::Float;
use crate::matrix::MatRef;

/// Mergeable per-feature sample count, mean and sum of squared deviations.
///
/// # Examples
///
/// ```
/// use demo_core::{MatRef, RunningStats};
///
/// let mut stats = RunningStats::new(2);
/// stats.update(MatRef::new(&[1.0_f64, 10.0, 3.0, 10.0], 2)?)?;
/// assert_eq!(stats.n_samples(), 2);
/// assert_eq!(stats.mean(), [2.0, 10.0]);
/// assert_eq!(stats.variance(), [1.0, 0.0]);
/// // Constant features get a scale of 1, like scikit-learn.
/// assert_eq!(stats.scale(), [1.0, 1.0]);
/// # Ok::<(), demo_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RunningStats {
    n: u64,
    mean: Vec<f64>,
    m2: Vec<f64>,
}

impl RunningStats {
    /// Statistics of zero samples with `n_features` features.
    #[must_use]
    pub fn new(n_features: usize) -> Self {
        Self {
            n: 0,
            mean: vec![0.0; n_features],
            m2: vec![0.0; n_features],
        }
    }

    /// Rebuilds statistics from the parts returned by [`Self::into_parts`].
    ///
    /// # Errors
    ///
    /// [`Error::FeatureMismatch`] if `mean` and `m2` differ in length, and
    /// [`Error::InvalidParameter`] if a value is not finite or an `m2` entry
    /// is negative.
    pub fn from_parts(n: u64, mean: Vec<f64>, m2: Vec<f64>) -> Result<Self> {
        if mean.len() != m2.len() {
            return Err(Error::FeatureMismatch {
                expected: mean.len(),
                got: m2.len(),
            });
        }
        if !mean.iter().all(|m| m.is_finite()) {
            return Err(Error::InvalidParameter {
                name: "mean",
                reason: "must be finite",
            });
        }
        if !m2.iter().all(|v| v.is_finite() && *v >= 0.0) {
            return Err(Error::InvalidParameter {
                name: "m2",
                reason: "must be finite and non-negative",
            });
        }
        Ok(Self { n, mean, m2 })
    }

    /// `(n, mean, m2)`, the inverse of [`Self::from_parts`].
    #[must_use]
    pub fn into_parts(self) -> (u64, Vec<f64>, Vec<f64>) {
        (self.n, self.mean, self.m2)
    }

    /// Number of samples seen.
    #[must_use]
    pub fn n_samples(&self) -> u64 {
        self.n
    }

    /// Number of features.
    #[must_use]
    pub fn n_features(&self) -> usize {
        self.mean.len()
    }

    /// Per-feature mean.
    #[must_use]
    pub fn mean(&self) -> &[f64] {
        &self.mean
    }

    /// Per-feature sum of squared deviations from the mean.
    #[must_use]
    pub fn m2(&self) -> &[f64] {
        &self.m2
    }

    /// Adds a batch of samples.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyInput`], [`Error::FeatureMismatch`] and
    /// [`Error::NonFinite`]; `self` is unchanged on error.
    pub fn update<F: Float>(&mut self, x: MatRef<'_, F>) -> Result<()> {
        if x.n_rows() == 0 {
            return Err(Error::EmptyInput);
        }
        self.check_features(x.n_cols())?;
        x.check_finite()?;
        self.accumulate(x);
        Ok(())
    }

    /// [`Self::update`] without validation; `x` must match and be finite.
    pub(crate) fn accumulate<F: Float>(&mut self, x: MatRef<'_, F>) {
        map_merge(x, chunk_stats, |part| self.merge_unchecked(&part));
    }

    /// Combines the statistics of two disjoint sets of samples.
    ///
    /// # Errors
    ///
    /// [`Error::FeatureMismatch`] if the feature counts differ.
    pub fn merge(&mut self, other: &Self) -> Result<()> {
        self.check_features(other.n_features())?;
        self.merge_unchecked(other);
        Ok(())
    }

    fn merge_unchecked(&mut self, other: &Self) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            self.clone_from(other);
            return;
        }
        let (na, nb) = (self.n as f64, other.n as f64);
        let n = na + nb;
        let (wb, cross) = (nb / n, na * nb / n);
        for (((mean, m2), &mean_b), &m2_b) in self
            .mean
            .iter_mut()
            .zip(self.m2.iter_mut())
            .zip(&other.mean)
            .zip(&other.m2)
        {
            let delta = mean_b - *mean;
            *mean += delta * wb;
            *m2 += m2_b + delta * delta * cross;
        }
        self.n += other.n;
    }

    /// Population variance (`ddof = 0`) per feature; zeros if no samples.
    #[must_use]
    pub fn variance(&self) -> Vec<f64> {
        if self.n == 0 {
            return vec![0.0; self.n_features()];
        }
        let n = self.n as f64;
        self.m2.iter().map(|m2| m2 / n).collect()
    }

    /// Per-feature standard deviation, with 1.0 for (numerically) constant
    /// features so that scaling never divides by zero.
    ///
    /// A feature counts as constant under scikit-learn's rule: its variance
    /// is within the rounding error bound `n*eps*var + (n*mean*eps)^2` of
    /// zero, or its standard deviation is below `10 * eps`.
    #[must_use]
    pub fn scale(&self) -> Vec<f64> {
        let n = self.n as f64;
        self.variance()
            .into_iter()
            .zip(&self.mean)
            .map(|(var, &mean)| {
                let rounding = n * mean * f64::EPSILON;
                let bound = n * f64::EPSILON * var + rounding * rounding;
                let std = libm::sqrt(var);
                if var <= bound || std < 10.0 * f64::EPSILON {
                    1.0
                } else {
                    std
                }
            })
            .collect()
    }

    fn check_features(&self, got: usize) -> Result<()> {
        if got == self.n_features() {
            Ok(())
        } else {
            Err(Error::FeatureMismatch {
                expected: self.n_features(),
                got,
            })
        }
    }
}

/// Exact two-pass statistics of one chunk.
fn chunk_stats<F: Float>(x: MatRef<'_, F>) -> RunningStats {
    let d = x.n_cols();
    let mut stats = RunningStats::new(d);
    for row in x.rows() {
        for (s, &v) in stats.mean.iter_mut().zip(row) {
            *s += v.to_f64();
        }
    }
    let n = x.n_rows() as f64;
    for s in &mut stats.mean {
        *s /= n;
    }
    for row in x.rows() {
        for ((m2, &mean), &v) in stats.m2.iter_mut().zip(&stats.mean).zip(row) {
            let dev = v.to_f64() - mean;
            *m2 += dev * dev;
        }
    }
    stats.n = x.n_rows() as u64;
    stats
}

/// Writes `(x - mean) / scale` into `out` (same shape as `x`).
///
/// # Errors
///
/// See [`inverse_transform`].
///
/// # Examples
///
/// ```
/// use demo_core::{MatRef, scaler};
///
/// let x = MatRef::new(&[1.0_f32, 3.0], 1)?;
/// let mut out = [0.0_f32; 2];
/// scaler::transform(x, &[2.0], &[0.5], &mut out)?;
/// assert_eq!(out, [-2.0, 2.0]);
/// # Ok::<(), demo_core::Error>(())
/// ```
pub fn transform<F: Float>(
    x: MatRef<'_, F>,
    mean: &[f64],
    scale: &[f64],
    out: &mut [F],
) -> Result<()> {
    apply(x, mean, scale, out, |v, m, s| (v - m) / s)
}

/// Writes `x * scale + mean` into `out`, undoing [`transform`].
///
/// # Errors
///
/// [`Error::EmptyInput`]; [`Error::FeatureMismatch`] if `mean` or `scale`
/// do not have one entry per column of `x`; [`Error::NonFinite`];
/// [`Error::InvalidParameter`] if `mean` is not finite, `scale` is not
/// finite and non-zero, or `out.len() != x.as_slice().len()`.
///
/// # Examples
///
/// ```
/// use demo_core::{MatRef, scaler};
///
/// let x = MatRef::new(&[-2.0_f64, 2.0], 1)?;
/// let mut out = [0.0; 2];
/// scaler::inverse_transform(x, &[2.0], &[0.5], &mut out)?;
/// assert_eq!(out, [1.0, 3.0]);
/// # Ok::<(), demo_core::Error>(())
/// ```
pub fn inverse_transform<F: Float>(
    x: MatRef<'_, F>,
    mean: &[f64],
    scale: &[f64],
    out: &mut [F],
) -> Result<()> {
    apply(x, mean, scale, out, |v, m, s| v * s + m)
}

/// Validates, then applies `op(value, mean, scale)` element-wise in `f64`.
fn apply<F: Float>(
    x: MatRef<'_, F>,
    mean: &[f64],
    scale: &[f64],
    out: &mut [F],
    op: impl Fn(f64, f64, f64) -> f64 + Sync,
) -> Result<()> {
    let d = x.n_cols();
    if x.n_rows() == 0 {
        return Err(Error::EmptyInput);
    }
    for len in [mean.len(), scale.len()] {
        if len != d {
            return Err(Error::FeatureMismatch {
                expected: len,
                got: d,
            });
        }
    }
    if !mean.iter().all(|m| m.is_finite()) {
        return Err(Error::InvalidParameter {
            name: "mean",
            reason: "must be finite",
        });
    }
    if !scale.iter().all(|s| s.is_finite() && *s != 0.0) {
        return Err(Error::InvalidParameter {
            name: "scale",
            reason: "must be finite and non-zero",
        });
    }
    if out.len() != x.as_slice().len() {
        return Err(Error::InvalidParameter {
            name: "out",
            reason: "must have the same length as the input",
        });
    }
    x.check_finite()?;
    map_merge_mut(
        x,
        out,
        d,
        |chunk, out| {
            for (row, out_row) in chunk.rows().zip(out.chunks_exact_mut(d)) {
                for (((o, &v), &m), &s) in out_row.iter_mut().zip(row).zip(mean).zip(scale) {
                    *o = F::from_f64(op(v.to_f64(), m, s));
                }
            }
        },
        |()| {},
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_matches_single_pass() {
        let data = [1.0, -2.0, 4.0, 8.0, 0.5, 3.0, 7.0, -1.0];
        let mut whole = RunningStats::new(2);
        whole.update(MatRef::new(&data, 2).unwrap()).unwrap();
        let mut split = RunningStats::new(2);
        split.update(MatRef::new(&data[..2], 2).unwrap()).unwrap();
        split.update(MatRef::new(&data[2..], 2).unwrap()).unwrap();
        assert_eq!(split.n_samples(), 4);
        for (a, b) in whole.mean().iter().zip(split.mean()) {
            assert!((a - b).abs() < 1e-12);
        }
        for (a, b) in whole.m2().iter().zip(split.m2()) {
            assert!((a - b).abs() < 1e-12);
        }
    }

    #[test]
    fn nearly_constant_feature_gets_unit_scale() {
        // 0.1 is not exactly representable, so the computed variance may be
        // a rounding residue rather than exactly zero.
        let data = [0.1_f64; 7];
        let mut stats = RunningStats::new(1);
        stats.update(MatRef::new(&data, 1).unwrap()).unwrap();
        assert_eq!(stats.scale(), [1.0]);
    }

    #[test]
    fn empty_stats() {
        let stats = RunningStats::new(3);
        assert_eq!(stats.variance(), [0.0; 3]);
        assert_eq!(stats.scale(), [1.0; 3]);
    }

    #[test]
    fn rejects_invalid_input() {
        let mut stats = RunningStats::new(2);
        let x = MatRef::new(&[1.0_f32, 2.0], 2).unwrap();
        assert_eq!(
            stats.update(MatRef::new(&[1.0_f32], 1).unwrap()),
            Err(Error::FeatureMismatch {
                expected: 2,
                got: 1
            })
        );
        assert_eq!(
            stats.update(MatRef::new(&[] as &[f32], 2).unwrap()),
            Err(Error::EmptyInput)
        );
        assert_eq!(
            stats.update(MatRef::new(&[1.0, f32::INFINITY], 2).unwrap()),
            Err(Error::NonFinite { row: 0, col: 1 })
        );
        assert_eq!(stats, RunningStats::new(2), "failed updates change nothing");
        assert!(RunningStats::from_parts(1, vec![0.0], vec![]).is_err());
        assert!(RunningStats::from_parts(1, vec![0.0], vec![-1.0]).is_err());
        let mut out = [0.0_f32; 2];
        assert!(transform(x, &[0.0, 0.0], &[1.0, 0.0], &mut out).is_err());
        assert!(transform(x, &[0.0], &[1.0], &mut out).is_err());
        assert!(transform(x, &[0.0, 0.0], &[1.0, 1.0], &mut out[..1]).is_err());
    }
}
