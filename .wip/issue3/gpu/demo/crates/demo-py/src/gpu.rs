//! GPU entry points (`KMeans(device="gpu")`).
//!
//! They exist in every build so the Python API and stubs do not depend on
//! cargo features; without the `gpu` feature they raise
//! `GpuUnavailableError`. Inputs are `float32` (the Python layer casts).

use numpy::{PyArray1, PyReadonlyArray2};
use pyo3::prelude::*;

use crate::kmeans::FitOutput;

/// Whether `backend` (`"wgpu"` or `"cuda"`; default: any) can run here.
#[pyfunction]
#[pyo3(signature = (backend=None))]
pub(crate) fn gpu_available(py: Python<'_>, backend: Option<&str>) -> PyResult<bool> {
    #[cfg(feature = "gpu")]
    {
        let backend = backend.map(parse_backend).transpose()?;
        Ok(py.detach(|| backend.map_or_else(demo_gpu::gpu_available, demo_gpu::backend_available)))
    }
    #[cfg(not(feature = "gpu"))]
    {
        let _ = py;
        match backend {
            None | Some("wgpu" | "cuda") => Ok(false),
            Some(_) => Err(
                crate::errors::CoreError(demo_core::Error::InvalidParameter {
                    name: "gpu_backend",
                    reason: "must be 'wgpu' or 'cuda'",
                })
                .into(),
            ),
        }
    }
}

/// Lloyd's algorithm with the assignment step on the GPU: `(centers, labels, inertia, n_iter)`.
#[pyfunction]
#[cfg_attr(
    feature = "gpu",
    expect(
        clippy::needless_pass_by_value,
        reason = "pyo3 passes extracted arguments by value"
    )
)]
pub(crate) fn kmeans_fit_gpu<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f32>,
    init: PyReadonlyArray2<'py, f32>,
    max_iter: usize,
    tol: f64,
    backend: &str,
) -> PyResult<FitOutput<'py>> {
    #[cfg(feature = "gpu")]
    {
        use demo_core::MatRef;

        use crate::errors::{CoreError, GpuError};
        use crate::{into_matrix, kmeans::labels_to_py, row_major};

        let backend = parse_backend(backend)?;
        let (data, n_cols) = row_major(&x);
        let (init_data, init_cols) = row_major(&init);
        let x = MatRef::new(&data, n_cols).map_err(CoreError)?;
        let init = MatRef::new(&init_data, init_cols).map_err(CoreError)?;
        let result = py
            .detach(|| demo_gpu::fit(backend, x, init, max_iter, tol))
            .map_err(GpuError)?;
        let centroids = into_matrix(py, result.centroids, n_cols)?;
        let labels = labels_to_py(py, result.labels)?;
        Ok((centroids, labels, result.inertia, result.n_iter))
    }
    #[cfg(not(feature = "gpu"))]
    {
        let _ = (py, x, init, max_iter, tol, backend);
        Err(crate::errors::gpu_not_compiled())
    }
}

/// Index of the nearest center for every row of `x`, computed on the GPU.
#[pyfunction]
#[cfg_attr(
    feature = "gpu",
    expect(
        clippy::needless_pass_by_value,
        reason = "pyo3 passes extracted arguments by value"
    )
)]
pub(crate) fn kmeans_predict_gpu<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f32>,
    centers: PyReadonlyArray2<'py, f32>,
    backend: &str,
) -> PyResult<Bound<'py, PyArray1<i64>>> {
    #[cfg(feature = "gpu")]
    {
        use demo_core::MatRef;

        use crate::errors::{CoreError, GpuError};
        use crate::{kmeans::labels_to_py, row_major};

        let backend = parse_backend(backend)?;
        let (data, n_cols) = row_major(&x);
        let (center_data, center_cols) = row_major(&centers);
        let x = MatRef::new(&data, n_cols).map_err(CoreError)?;
        let centers = MatRef::new(&center_data, center_cols).map_err(CoreError)?;
        let labels = py
            .detach(|| demo_gpu::predict(backend, x, centers))
            .map_err(GpuError)?;
        labels_to_py(py, labels)
    }
    #[cfg(not(feature = "gpu"))]
    {
        let _ = (py, x, centers, backend);
        Err(crate::errors::gpu_not_compiled())
    }
}

#[cfg(feature = "gpu")]
fn parse_backend(name: &str) -> PyResult<demo_gpu::Backend> {
    Ok(name.parse().map_err(crate::errors::CoreError)?)
}
