//! Python bindings for `demo_core`, compiled into the `demo._core` extension
//! module.
//!
//! This layer only converts arrays and errors: every function accepts 2-D
//! `float32` or `float64` `NumPy` arrays (any strides; C-contiguous input
//! is read without copying), releases the GIL for the computation, and returns
//! freshly allocated arrays of the input dtype. The friendly estimator API
//! and argument checking for end users live in the Python package.

use std::borrow::Cow;

use numpy::{
    Element, IntoPyArray, PyArray2, PyArrayMethods, PyReadonlyArray2, PyUntypedArray,
    PyUntypedArrayMethods,
};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

mod errors;
mod kmeans;
mod scaler;

/// Native k-means and standard-scaling kernels (see the Python package for the
/// estimator API).
#[pymodule(gil_used = false)]
mod _core {
    #[pymodule_export]
    use crate::kmeans::{
        kmeans_fit, kmeans_plusplus, kmeans_predict, kmeans_random_init, kmeans_transform,
    };
    #[pymodule_export]
    use crate::scaler::{scaler_inverse_transform, scaler_partial_fit, scaler_transform};
    use pyo3::prelude::*;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        crate::errors::check_exception_classes(m.py())
    }
}

/// A 2-D array of either supported floating-point dtype.
///
/// Extraction never converts: other dtypes or dimensionalities raise
/// `TypeError`, and the Python layer is responsible for casting.
enum FloatArray2<'py> {
    F32(PyReadonlyArray2<'py, f32>),
    F64(PyReadonlyArray2<'py, f64>),
}

impl<'py> FromPyObject<'_, 'py> for FloatArray2<'py> {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        if let Ok(array) = obj.cast::<PyArray2<f32>>() {
            return Ok(Self::F32(array.try_readonly()?));
        }
        if let Ok(array) = obj.cast::<PyArray2<f64>>() {
            return Ok(Self::F64(array.try_readonly()?));
        }
        // A precise message beats the generic "failed to extract enum" one.
        let got = match obj.cast::<PyUntypedArray>() {
            Ok(array) => format!("a {}-D array of dtype {}", array.ndim(), array.dtype()),
            Err(_) => format!("an object of type {}", obj.get_type().name()?),
        };
        Err(PyTypeError::new_err(format!(
            "expected a 2-D float32 or float64 array, got {got}"
        )))
    }
}

/// Error for a second array whose dtype differs from `x`'s.
fn dtype_mismatch(name: &str) -> PyErr {
    PyTypeError::new_err(format!("{name} must have the same dtype as x"))
}

/// Row-major data and column count of a 2-D array.
///
/// Borrows when the array is C-contiguous; otherwise copies once into C
/// order. (`PyReadonlyArray::as_slice` is not used because it also accepts
/// Fortran-ordered arrays, whose memory order is column-major.)
fn row_major<'a, F: Element + Copy>(array: &'a PyReadonlyArray2<'_, F>) -> (Cow<'a, [F]>, usize) {
    let view = array.as_array();
    let n_cols = view.ncols();
    match view.to_slice() {
        Some(data) => (Cow::Borrowed(data), n_cols),
        None => (Cow::Owned(view.iter().copied().collect()), n_cols),
    }
}

/// Wraps a row-major buffer as an `(len / n_cols, n_cols)` array without copying.
fn into_matrix<F: Element>(
    py: Python<'_>,
    data: Vec<F>,
    n_cols: usize,
) -> PyResult<Bound<'_, PyAny>> {
    let n_rows = data.len().checked_div(n_cols).unwrap_or(0);
    Ok(data.into_pyarray(py).reshape([n_rows, n_cols])?.into_any())
}
