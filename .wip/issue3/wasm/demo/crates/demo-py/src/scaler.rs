//! Standard-scaler entry points.

use numpy::{Element, IntoPyArray, PyArray1, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;

use demo_core::Result as CoreResult;
use demo_core::{Error, Float, MatRef, RunningStats, scaler};

use crate::errors::CoreError;
use crate::{FloatArray2, into_matrix, row_major};

/// Merged running statistics `(n, mean, m2)`.
type Stats<'py> = (u64, Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<f64>>);

/// Adds the rows of `x` to the statistics `(n, mean, m2)`.
///
/// Pass `n = 0` and `mean = m2 = None` to start from scratch.
#[pyfunction]
pub(crate) fn scaler_partial_fit<'py>(
    py: Python<'py>,
    x: FloatArray2<'py>,
    n: u64,
    mean: Option<PyReadonlyArray1<'py, f64>>,
    m2: Option<PyReadonlyArray1<'py, f64>>,
) -> PyResult<Stats<'py>> {
    let stats = match (mean, m2) {
        (None, None) if n == 0 => None,
        (None, None) => {
            return Err(CoreError(Error::InvalidParameter {
                name: "n",
                reason: "must be 0 when mean and m2 are None",
            })
            .into());
        }
        (Some(mean), Some(m2)) => {
            Some(RunningStats::from_parts(n, to_vec(&mean), to_vec(&m2)).map_err(CoreError)?)
        }
        _ => {
            return Err(CoreError(Error::InvalidParameter {
                name: "mean",
                reason: "mean and m2 must both be arrays or both be None",
            })
            .into());
        }
    };
    let (n, mean, m2) = match x {
        FloatArray2::F32(x) => partial_fit(py, &x, stats),
        FloatArray2::F64(x) => partial_fit(py, &x, stats),
    }?
    .into_parts();
    Ok((n, mean.into_pyarray(py), m2.into_pyarray(py)))
}

fn partial_fit<F: Float + Element>(
    py: Python<'_>,
    x: &PyReadonlyArray2<'_, F>,
    stats: Option<RunningStats>,
) -> PyResult<RunningStats> {
    let (data, n_cols) = row_major(x);
    let stats = py
        .detach(|| {
            let x = MatRef::new(&data, n_cols)?;
            let mut stats = stats.unwrap_or_else(|| RunningStats::new(n_cols));
            stats.update(x)?;
            Ok::<_, Error>(stats)
        })
        .map_err(CoreError)?;
    Ok(stats)
}

/// `(x - mean) / scale`, in the dtype of `x`.
#[pyfunction]
#[expect(
    clippy::needless_pass_by_value,
    reason = "PyO3 hands extracted arguments over by value"
)]
pub(crate) fn scaler_transform<'py>(
    py: Python<'py>,
    x: FloatArray2<'py>,
    mean: PyReadonlyArray1<'py, f64>,
    scale: PyReadonlyArray1<'py, f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let (mean, scale) = (to_vec(&mean), to_vec(&scale));
    match x {
        FloatArray2::F32(x) => apply(py, &x, &mean, &scale, scaler::transform),
        FloatArray2::F64(x) => apply(py, &x, &mean, &scale, scaler::transform),
    }
}

/// `x * scale + mean`, in the dtype of `x`.
#[pyfunction]
#[expect(
    clippy::needless_pass_by_value,
    reason = "PyO3 hands extracted arguments over by value"
)]
pub(crate) fn scaler_inverse_transform<'py>(
    py: Python<'py>,
    x: FloatArray2<'py>,
    mean: PyReadonlyArray1<'py, f64>,
    scale: PyReadonlyArray1<'py, f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let (mean, scale) = (to_vec(&mean), to_vec(&scale));
    match x {
        FloatArray2::F32(x) => apply(py, &x, &mean, &scale, scaler::inverse_transform),
        FloatArray2::F64(x) => apply(py, &x, &mean, &scale, scaler::inverse_transform),
    }
}

/// Signature shared by `transform` and `inverse_transform`.
type ApplyFn<F> = fn(MatRef<'_, F>, &[f64], &[f64], &mut [F]) -> CoreResult<()>;

fn apply<'py, F: Float + Element>(
    py: Python<'py>,
    x: &PyReadonlyArray2<'py, F>,
    mean: &[f64],
    scale: &[f64],
    kernel: ApplyFn<F>,
) -> PyResult<Bound<'py, PyAny>> {
    let (data, n_cols) = row_major(x);
    let out = py
        .detach(|| {
            let mut out = vec![F::ZERO; data.len()];
            kernel(MatRef::new(&data, n_cols)?, mean, scale, &mut out)?;
            Ok::<_, Error>(out)
        })
        .map_err(CoreError)?;
    into_matrix(py, out, n_cols)
}

/// Copies a 1-D array of any stride.
fn to_vec(array: &PyReadonlyArray1<'_, f64>) -> Vec<f64> {
    array.as_array().iter().copied().collect()
}
