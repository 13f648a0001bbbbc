//! Numerical kernels for k-means clustering and standard scaling.
//!
//! The crate is `no_std` (needing only `alloc`) without its default
//! features, generic over [`f32`] and [`f64`] through the sealed [`Float`]
//! trait, and takes its input as borrowed row-major matrices ([`MatRef`]). Every entry point
//! validates its input and reports problems as [`Error`] values; no public
//! function panics on bad data.
//!
//! # Features
//!
//! * `std` (default): implements `std::error::Error` for [`Error`].
//! * `parallel`: runs the kernels on the rayon thread pool. Work is split
//!   into fixed-size row chunks whose partial results are merged in order,
//!   so results are bit-identical for every thread count and to the
//!   sequential build.
//!
//! # Example
//!
//! ```
//! use demo_core::{MatRef, RunningStats, kmeans};
//!
//! let data = [0.0_f64, 0.0, 0.5, 0.0, 9.0, 9.0, 9.5, 9.0];
//! let x = MatRef::new(&data, 2)?;
//!
//! let init = kmeans::plusplus_init(x, 2, 0)?;
//! let fit = kmeans::fit(x, MatRef::new(&init, 2)?, 300, 1e-4)?;
//! assert_eq!(fit.labels[0], fit.labels[1]);
//! assert_ne!(fit.labels[0], fit.labels[2]);
//!
//! let mut stats = RunningStats::new(2);
//! stats.update(x)?;
//! assert_eq!(stats.mean(), [4.75, 4.5]);
//! # Ok::<(), demo_core::Error>(())
//! ```

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod chunks;
mod error;
mod float;
pub mod kmeans;
mod matrix;
mod rng;
pub mod scaler;

pub use error::{Error, Result};
pub use float::Float;
pub use kmeans::KMeansResult;
pub use matrix::MatRef;
pub use scaler::RunningStats;
