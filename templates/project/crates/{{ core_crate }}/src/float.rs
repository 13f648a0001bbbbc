//! The floating-point element types the kernels are generic over.

use core::fmt::Debug;
use core::ops::{Add, Mul, Sub};

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

/// A floating-point element type: implemented for [`f32`] and [`f64`] only.
///
/// The trait is sealed so the kernels may rely on IEEE-754 semantics and on
/// the exact set of implementors. Distances are computed in `Self` (so `f32`
/// input keeps `f32` throughput); sums over many samples are accumulated in
/// `f64` via [`Float::to_f64`] to keep rounding error independent of `n`.
pub trait Float:
    sealed::Sealed
    + Copy
    + Default
    + Debug
    + PartialOrd
    + Send
    + Sync
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + 'static
{
    /// Additive identity.
    const ZERO: Self;
    /// Largest finite value, used as the initial "best distance".
    const MAX: Self;

    /// Lossless widening to `f64`.
    fn to_f64(self) -> f64;
    /// Conversion from `f64`, rounding to nearest for `f32`.
    fn from_f64(value: f64) -> Self;
    /// `true` unless the value is NaN or infinite.
    fn is_finite(self) -> bool;
    /// Square root (via `libm`, so it also works without `std`).
    #[must_use]
    fn sqrt(self) -> Self;
    /// The slice itself when `Self` is `f32`, else `None`: how kernels pick an
    /// `f32`-only SIMD path without casting pointers.
    #[doc(hidden)]
    fn as_f32_slice(values: &[Self]) -> Option<&[f32]>;
}

impl Float for f32 {
    const ZERO: Self = 0.0;
    const MAX: Self = f32::MAX;

    #[inline]
    fn to_f64(self) -> f64 {
        f64::from(self)
    }

    #[inline]
    #[expect(
        clippy::cast_possible_truncation,
        reason = "rounding f64 results back to the caller's f32 is intended"
    )]
    fn from_f64(value: f64) -> Self {
        value as f32
    }

    #[inline]
    fn is_finite(self) -> bool {
        f32::is_finite(self)
    }

    #[inline]
    fn sqrt(self) -> Self {
        libm::sqrtf(self)
    }

    #[inline]
    fn as_f32_slice(values: &[Self]) -> Option<&[f32]> {
        Some(values)
    }
}

impl Float for f64 {
    const ZERO: Self = 0.0;
    const MAX: Self = f64::MAX;

    #[inline]
    fn to_f64(self) -> f64 {
        self
    }

    #[inline]
    fn from_f64(value: f64) -> Self {
        value
    }

    #[inline]
    fn is_finite(self) -> bool {
        f64::is_finite(self)
    }

    #[inline]
    fn sqrt(self) -> Self {
        libm::sqrt(self)
    }

    #[inline]
    fn as_f32_slice(_: &[Self]) -> Option<&[f32]> {
        None
    }
}

/// Squared Euclidean distance between two equally long slices.
///
/// Eight independent partial sums break the floating-point dependency chain
/// so the compiler can keep several lanes in flight (and vectorise); a plain
/// `fold` would be latency-bound on the single accumulator.
#[inline]
pub(crate) fn squared_distance<F: Float>(a: &[F], b: &[F]) -> F {
    const LANES: usize = 8;
    debug_assert_eq!(a.len(), b.len());
    let mut acc = [F::ZERO; LANES];
    let a_chunks = a.chunks_exact(LANES);
    let b_chunks = b.chunks_exact(LANES);
    let tail =
        a_chunks
            .remainder()
            .iter()
            .zip(b_chunks.remainder())
            .fold(F::ZERO, |s, (&x, &y)| {
                let d = x - y;
                s + d * d
            });
    for (ca, cb) in a_chunks.zip(b_chunks) {
        for ((s, &x), &y) in acc.iter_mut().zip(ca).zip(cb) {
            let d = x - y;
            *s = *s + d * d;
        }
    }
    let [a0, a1, a2, a3, a4, a5, a6, a7] = acc;
    ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + tail
}
