//! GPU k-means for `demo`: the assignment step (nearest centroid for every
//! sample) runs on a GPU, the centroid update on the host in `f64`.
//!
//! This crate keeps the heavy GPU dependencies out of `demo_core`. It
//! reuses the core's types ([`MatRef`], [`KMeansResult`]) and its Lloyd
//! conventions (relative `tol`, stop on unchanged labels, empty clusters keep
//! their centroid, ties to the lowest index), so a GPU fit can be compared
//! one-to-one with [`demo_core::kmeans::fit`] from the same initial
//! centroids. Only `f32` input is supported (WGSL has no portable `f64`).
//!
//! # Backends
//!
//! * [`Backend::Wgpu`] (feature `wgpu`, default): a WGSL compute shader run
//!   through wgpu on Vulkan. Mesa's lavapipe (`apt-get install
//!   mesa-vulkan-drivers`) is enough for tests on machines without a GPU.
//!   Honours `WGPU_BACKEND` and the Vulkan loader's `VK_ICD_FILENAMES`.
//! * [`Backend::Cuda`] (feature `cuda`): a CUDA C kernel compiled with NVRTC
//!   through cudarc. `libcuda` and `libnvrtc` are loaded at run time, so the
//!   crate builds without a CUDA toolkit.
//!
//! No backend panics when the hardware or driver is missing: every entry point
//! returns [`Error::GpuUnavailable`] instead.
//!
//! # Example
//!
//! ```
//! use demo_core::MatRef;
//! use demo_gpu::{Backend, Error};
//!
//! let data = [0.0_f32, 0.0, 0.5, 0.0, 9.0, 9.0, 9.5, 9.0];
//! let x = MatRef::new(&data, 2)?;
//! let init = MatRef::new(&[0.0_f32, 0.0, 9.0, 9.0], 2)?;
//! match demo_gpu::fit(Backend::Wgpu, x, init, 300, 1e-4) {
//!     Ok(fit) => assert_eq!(fit.labels, [0, 0, 1, 1]),
//!     Err(Error::GpuUnavailable { .. }) => {} // no Vulkan driver here
//!     Err(err) => return Err(err.into()),
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::fmt;
use core::str::FromStr;

use demo_core::{KMeansResult, MatRef, RunningStats};

#[cfg(feature = "cuda")]
mod cuda;
#[cfg(feature = "wgpu")]
mod wgpu_backend;

#[cfg(feature = "wgpu")]
pub use wgpu_backend::WgpuContext;

/// Everything that can go wrong in a GPU computation.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Invalid input or parameters (the same checks as the CPU kernels).
    #[error(transparent)]
    Core(#[from] demo_core::Error),
    /// No usable device: backend not compiled in, driver or library missing,
    /// or no adapter/device found.
    #[error("GPU backend {backend} is unavailable: {reason}")]
    GpuUnavailable {
        /// Backend that was requested.
        backend: Backend,
        /// What was missing, for humans.
        reason: String,
    },
    /// The input does not fit into one device buffer.
    #[error("input needs a {bytes}-byte buffer; the {backend} device allows at most {limit}")]
    TooLarge {
        /// Backend that was requested.
        backend: Backend,
        /// Size of the largest buffer needed.
        bytes: u64,
        /// The device's per-buffer limit.
        limit: u64,
    },
    /// The device failed while running (lost device, out of memory, driver error).
    #[error("GPU backend {backend} failed: {reason}")]
    Device {
        /// Backend that failed.
        backend: Backend,
        /// Driver message.
        reason: String,
    },
}

/// Result alias used throughout the crate.
pub type Result<T> = core::result::Result<T, Error>;

/// Which GPU API runs the kernels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Backend {
    /// WGSL through wgpu (Vulkan).
    #[default]
    Wgpu,
    /// CUDA C through cudarc and NVRTC.
    Cuda,
}

impl Backend {
    /// Lower-case name, as accepted by [`FromStr`] and the Python API.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Wgpu => "wgpu",
            Self::Cuda => "cuda",
        }
    }

    /// Whether this backend was compiled in (its cargo feature is enabled).
    #[must_use]
    pub const fn is_compiled(self) -> bool {
        match self {
            Self::Wgpu => cfg!(feature = "wgpu"),
            Self::Cuda => cfg!(feature = "cuda"),
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Backend {
    type Err = demo_core::Error;

    fn from_str(s: &str) -> core::result::Result<Self, Self::Err> {
        match s {
            "wgpu" => Ok(Self::Wgpu),
            "cuda" => Ok(Self::Cuda),
            _ => Err(demo_core::Error::InvalidParameter {
                name: "gpu_backend",
                reason: "must be 'wgpu' or 'cuda'",
            }),
        }
    }
}

/// Whether `backend` is compiled in and a device for it can be opened.
///
/// Never panics; the first successful probe is cached for the process.
#[must_use]
pub fn backend_available(backend: Backend) -> bool {
    open(backend).is_ok()
}

/// Whether any compiled-in backend has a usable device.
#[must_use]
pub fn gpu_available() -> bool {
    [Backend::Wgpu, Backend::Cuda]
        .into_iter()
        .any(backend_available)
}

/// Lloyd's algorithm from `init` with the assignment step on the GPU.
///
/// Same contract as [`demo_core::kmeans::fit`] for `f32`. Labels and
/// centroids match the CPU result except where the device rounds a
/// distance differently (e.g. by fusing multiply-adds), which can flip
/// near-ties.
///
/// # Errors
///
/// [`Error::Core`] for invalid input (checked before any device is touched),
/// [`Error::GpuUnavailable`], [`Error::TooLarge`] and [`Error::Device`].
pub fn fit(
    backend: Backend,
    x: MatRef<'_, f32>,
    init: MatRef<'_, f32>,
    max_iter: usize,
    tol: f64,
) -> Result<KMeansResult<f32>> {
    validate(x, init)?;
    if max_iter == 0 {
        return Err(invalid("max_iter", "must be at least 1"));
    }
    if !(tol.is_finite() && tol >= 0.0) {
        return Err(invalid("tol", "must be finite and non-negative"));
    }
    let mut session = open(backend)?.session(x, init.n_rows())?;
    lloyd(session.as_mut(), x, init, max_iter, tol)
}

/// Index of the nearest centroid for every sample (ties: lowest index).
///
/// # Errors
///
/// As [`fit`].
pub fn predict(
    backend: Backend,
    x: MatRef<'_, f32>,
    centroids: MatRef<'_, f32>,
) -> Result<Vec<usize>> {
    validate(x, centroids)?;
    let mut session = open(backend)?.session(x, centroids.n_rows())?;
    let mut labels = vec![0; x.n_rows()];
    let mut distances = vec![0.0; x.n_rows()];
    session.assign(centroids.as_slice(), &mut labels, &mut distances)?;
    Ok(labels.into_iter().map(widen).collect())
}

/// A device handle of some backend.
trait Device {
    /// Uploads `x` and allocates buffers for `n_clusters` centroids.
    fn session<'a>(
        &'a self,
        x: MatRef<'_, f32>,
        n_clusters: usize,
    ) -> Result<Box<dyn Session + 'a>>;
}

/// Buffers for one input matrix on a device.
trait Session {
    /// Writes the nearest centroid and its squared distance for every sample.
    fn assign(
        &mut self,
        centroids: &[f32],
        labels: &mut [u32],
        distances: &mut [f32],
    ) -> Result<()>;
}

/// The process-wide device of `backend`, opened on first use.
fn open(backend: Backend) -> Result<&'static dyn Device> {
    match backend {
        #[cfg(feature = "wgpu")]
        Backend::Wgpu => Ok(WgpuContext::shared()?),
        #[cfg(feature = "cuda")]
        Backend::Cuda => Ok(cuda::CudaDevice::shared()?),
        #[allow(
            unreachable_patterns,
            reason = "reachable when a backend feature is off"
        )]
        _ => Err(Error::GpuUnavailable {
            backend,
            reason: format!(
                "demo-gpu was built without the `{}` cargo feature",
                backend.name()
            ),
        }),
    }
}

/// The Lloyd loop of `demo_core::kmeans::fit`, with the E-step on `session`.
fn lloyd(
    session: &mut dyn Session,
    x: MatRef<'_, f32>,
    init: MatRef<'_, f32>,
    max_iter: usize,
    tol: f64,
) -> Result<KMeansResult<f32>> {
    let tol = if tol > 0.0 {
        tol * mean_variance(x)?
    } else {
        0.0
    };
    let (k, d, n) = (init.n_rows(), x.n_cols(), x.n_rows());
    let mut centroids = init.as_slice().to_vec();
    let mut labels = vec![usize::MAX; n];
    let mut gpu_labels = vec![0_u32; n];
    let mut distances = vec![0.0_f32; n];
    let mut sums = vec![0.0_f64; k * d];
    let mut counts = vec![0_u64; k];
    let mut n_iter = 0;
    let mut last = None;
    while n_iter < max_iter {
        n_iter += 1;
        session.assign(&centroids, &mut gpu_labels, &mut distances)?;
        sums.fill(0.0);
        counts.fill(0);
        let mut n_changed = 0_usize;
        for ((row, label), &best) in x.rows().zip(&mut labels).zip(&gpu_labels) {
            let best = widen(best);
            if *label != best {
                *label = best;
                n_changed += 1;
            }
            counts[best] += 1;
            for (s, &v) in sums[best * d..(best + 1) * d].iter_mut().zip(row) {
                *s += f64::from(v);
            }
        }
        if n_changed == 0 {
            last = Some(inertia(&distances));
            break;
        }
        let mut shift = 0.0;
        for ((centroid, sums), &count) in centroids
            .chunks_exact_mut(d)
            .zip(sums.chunks_exact(d))
            .zip(&counts)
        {
            if count == 0 {
                continue; // an empty cluster keeps its centroid
            }
            let count = count as f64;
            for (c, &s) in centroid.iter_mut().zip(sums) {
                #[expect(clippy::cast_possible_truncation, reason = "f32 output, as in core")]
                let updated = (s / count) as f32;
                let delta = f64::from(updated - *c);
                shift += delta * delta;
                *c = updated;
            }
        }
        if shift <= tol {
            break;
        }
    }
    let inertia = if let Some(inertia) = last {
        inertia
    } else {
        session.assign(&centroids, &mut gpu_labels, &mut distances)?;
        for (label, &best) in labels.iter_mut().zip(&gpu_labels) {
            *label = widen(best);
        }
        inertia(&distances)
    };
    Ok(KMeansResult::new(centroids, labels, inertia, n_iter))
}

fn inertia(distances: &[f32]) -> f64 {
    distances.iter().map(|&v| f64::from(v)).sum()
}

fn mean_variance(x: MatRef<'_, f32>) -> Result<f64> {
    let mut stats = RunningStats::new(x.n_cols());
    stats.update(x)?;
    Ok(stats.variance().iter().sum::<f64>() / x.n_cols() as f64)
}

/// Device labels are `u32`; `usize` is at least 32 bits on every supported target.
fn widen(label: u32) -> usize {
    usize::try_from(label).unwrap_or(usize::MAX)
}

fn invalid(name: &'static str, reason: &'static str) -> Error {
    Error::Core(demo_core::Error::InvalidParameter { name, reason })
}

/// The checks of `demo_core::kmeans` for samples and centroids.
fn validate(x: MatRef<'_, f32>, centroids: MatRef<'_, f32>) -> Result<()> {
    let k = centroids.n_rows();
    if x.n_rows() == 0 {
        return Err(demo_core::Error::EmptyInput.into());
    }
    if centroids.n_cols() != x.n_cols() {
        return Err(demo_core::Error::FeatureMismatch {
            expected: x.n_cols(),
            got: centroids.n_cols(),
        }
        .into());
    }
    if k == 0 {
        return Err(invalid("n_clusters", "must be at least 1"));
    }
    if k > x.n_rows() {
        return Err(demo_core::Error::TooFewSamples {
            n_samples: x.n_rows(),
            n_clusters: k,
        }
        .into());
    }
    if u32::try_from(k).is_err() || u32::try_from(x.as_slice().len()).is_err() {
        return Err(invalid("x", "GPU kernels index with 32 bits"));
    }
    x.check_finite()?;
    centroids.check_finite()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_names_round_trip() {
        for backend in [Backend::Wgpu, Backend::Cuda] {
            assert_eq!(backend.name().parse::<Backend>(), Ok(backend));
        }
        assert!("vulkan".parse::<Backend>().is_err());
    }

    #[test]
    fn invalid_input_is_rejected_before_touching_a_device() {
        let x = MatRef::new(&[0.0_f32, 1.0], 1).unwrap();
        let bad = MatRef::new(&[f32::NAN], 1).unwrap();
        for backend in [Backend::Wgpu, Backend::Cuda] {
            assert!(matches!(
                fit(backend, x, bad, 10, 1e-4),
                Err(Error::Core(demo_core::Error::NonFinite { .. }))
            ));
            assert!(matches!(
                fit(backend, x, x, 0, 1e-4),
                Err(Error::Core(demo_core::Error::InvalidParameter { .. }))
            ));
        }
    }
}
