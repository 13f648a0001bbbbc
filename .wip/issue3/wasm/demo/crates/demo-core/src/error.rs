//! Error type shared by every kernel in this crate.

/// Everything that can go wrong when validating input or parameters.
///
/// The enum is `#[non_exhaustive]` so new failure modes can be added without
/// a breaking release; match with a wildcard arm.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The input matrix has zero rows.
    #[error("input has no samples")]
    EmptyInput,
    /// A matrix or vector does not have the number of features that was expected.
    #[error("expected {expected} features, got {got}")]
    FeatureMismatch {
        /// Number of features the operation was set up for.
        expected: usize,
        /// Number of features actually supplied.
        got: usize,
    },
    /// The input contains a NaN or an infinity.
    #[error("input contains NaN or infinity at row {row}, column {col}")]
    NonFinite {
        /// Row of the first offending value.
        row: usize,
        /// Column of the first offending value.
        col: usize,
    },
    /// More clusters were requested than there are samples.
    #[error("n_clusters={n_clusters} is larger than n_samples={n_samples}")]
    TooFewSamples {
        /// Number of samples in the input.
        n_samples: usize,
        /// Number of clusters requested.
        n_clusters: usize,
    },
    /// A scalar parameter is outside its valid range.
    #[error("invalid parameter {name}: {reason}")]
    InvalidParameter {
        /// Name of the parameter, as spelled in the public API.
        name: &'static str,
        /// Human-readable description of the constraint that was violated.
        reason: &'static str,
    },
    /// A flat buffer cannot be viewed as rows of `n_features` values.
    #[error("buffer of length {len} cannot be split into rows of {n_features} features")]
    Shape {
        /// Length of the buffer.
        len: usize,
        /// Requested number of features (columns); zero is never valid.
        n_features: usize,
    },
}

/// Result alias used throughout the crate.
pub type Result<T> = core::result::Result<T, Error>;
