//! Per-sample weights (scikit-learn's `sample_weight`) as the kernels take them.
//!
//! The public weighted kernels take `&[f64]`, one entry per sample, checked
//! here once ([`check_weights`]). Inside, a kernel is generic over a weight
//! closure: the unweighted entry points pass `|_| 1.0`, which the compiler
//! folds into the arithmetic, so they cost what they did before weights
//! existed.

use crate::error::{Error, Result};

/// Sample `i`'s weight.
pub(crate) trait Weight: Fn(usize) -> f64 + Sync {}

impl<T: Fn(usize) -> f64 + Sync> Weight for T {}

/// Checks that `weights` has one finite, non-negative entry per sample
/// (`n_rows`) and a positive sum: the rule of every weighted fit, public so
/// that kernels outside this crate apply the same one.
///
/// # Errors
///
/// [`Error::InvalidParameter`] naming `sample_weight`.
pub fn check_weights(weights: &[f64], n_rows: usize) -> Result<()> {
    check_weight_values(weights, n_rows)?;
    if !weights.iter().any(|w| *w > 0.0) {
        return Err(Error::InvalidParameter {
            name: "sample_weight",
            reason: "must not be all zero",
        });
    }
    Ok(())
}

/// [`check_weights`] without the positive sum (a part of the data may weigh 0).
pub(crate) fn check_weight_values(weights: &[f64], n_rows: usize) -> Result<()> {
    if weights.len() != n_rows {
        return Err(Error::InvalidParameter {
            name: "sample_weight",
            reason: "must have one entry per sample",
        });
    }
    if !weights.iter().all(|w| w.is_finite() && *w >= 0.0) {
        return Err(Error::InvalidParameter {
            name: "sample_weight",
            reason: "must be finite and non-negative",
        });
    }
    Ok(())
}

/// Number of samples of positive weight.
pub(crate) fn count_positive(weights: &[f64]) -> usize {
    weights.iter().filter(|w| **w > 0.0).count()
}
