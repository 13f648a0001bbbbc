//! k-means entry points.

use numpy::{Element, IntoPyArray, PyArray1, PyReadonlyArray2};
use pyo3::prelude::*;

use demo_core::Result as CoreResult;
use demo_core::{Float, MatRef, kmeans};

use crate::errors::CoreError;
use crate::{FloatArray2, dtype_mismatch, into_matrix, row_major};

/// Signature shared by the two initialisation kernels.
type InitFn<F> = fn(MatRef<'_, F>, usize, u64) -> CoreResult<Vec<F>>;

/// `(centers, labels, inertia, n_iter)` as returned by `kmeans_fit`.
type FitOutput<'py> = (Bound<'py, PyAny>, Bound<'py, PyArray1<i64>>, f64, usize);

/// k-means++ initial centroids, shape `(n_clusters, n_features)`.
#[pyfunction]
pub(crate) fn kmeans_plusplus<'py>(
    py: Python<'py>,
    x: FloatArray2<'py>,
    n_clusters: usize,
    seed: u64,
) -> PyResult<Bound<'py, PyAny>> {
    match x {
        FloatArray2::F32(x) => init(py, &x, n_clusters, seed, kmeans::plusplus_init),
        FloatArray2::F64(x) => init(py, &x, n_clusters, seed, kmeans::plusplus_init),
    }
}

/// `n_clusters` distinct rows of `x` chosen uniformly at random.
#[pyfunction]
pub(crate) fn kmeans_random_init<'py>(
    py: Python<'py>,
    x: FloatArray2<'py>,
    n_clusters: usize,
    seed: u64,
) -> PyResult<Bound<'py, PyAny>> {
    match x {
        FloatArray2::F32(x) => init(py, &x, n_clusters, seed, kmeans::random_init),
        FloatArray2::F64(x) => init(py, &x, n_clusters, seed, kmeans::random_init),
    }
}

fn init<'py, F: Float + Element>(
    py: Python<'py>,
    x: &PyReadonlyArray2<'py, F>,
    n_clusters: usize,
    seed: u64,
    kernel: InitFn<F>,
) -> PyResult<Bound<'py, PyAny>> {
    let (data, n_cols) = row_major(x);
    let centroids = py
        .detach(|| kernel(MatRef::new(&data, n_cols)?, n_clusters, seed))
        .map_err(CoreError)?;
    into_matrix(py, centroids, n_cols)
}

/// Lloyd's algorithm from `init`: `(centers, labels, inertia, n_iter)`.
#[pyfunction]
pub(crate) fn kmeans_fit<'py>(
    py: Python<'py>,
    x: FloatArray2<'py>,
    init: FloatArray2<'py>,
    max_iter: usize,
    tol: f64,
) -> PyResult<FitOutput<'py>> {
    match (x, init) {
        (FloatArray2::F32(x), FloatArray2::F32(c)) => fit(py, &x, &c, max_iter, tol),
        (FloatArray2::F64(x), FloatArray2::F64(c)) => fit(py, &x, &c, max_iter, tol),
        _ => Err(dtype_mismatch("init")),
    }
}

fn fit<'py, F: Float + Element>(
    py: Python<'py>,
    x: &PyReadonlyArray2<'py, F>,
    init: &PyReadonlyArray2<'py, F>,
    max_iter: usize,
    tol: f64,
) -> PyResult<FitOutput<'py>> {
    let (data, n_cols) = row_major(x);
    let (init_data, init_cols) = row_major(init);
    let result = py
        .detach(|| {
            let x = MatRef::new(&data, n_cols)?;
            kmeans::fit(x, MatRef::new(&init_data, init_cols)?, max_iter, tol)
        })
        .map_err(CoreError)?;
    let centroids = into_matrix(py, result.centroids, n_cols)?;
    let labels = labels_to_py(py, result.labels)?;
    Ok((centroids, labels, result.inertia, result.n_iter))
}

/// Index of the nearest center for every row of `x`.
#[pyfunction]
pub(crate) fn kmeans_predict<'py>(
    py: Python<'py>,
    x: FloatArray2<'py>,
    centers: FloatArray2<'py>,
) -> PyResult<Bound<'py, PyArray1<i64>>> {
    match (x, centers) {
        (FloatArray2::F32(x), FloatArray2::F32(c)) => predict(py, &x, &c),
        (FloatArray2::F64(x), FloatArray2::F64(c)) => predict(py, &x, &c),
        _ => Err(dtype_mismatch("centers")),
    }
}

fn predict<'py, F: Float + Element>(
    py: Python<'py>,
    x: &PyReadonlyArray2<'py, F>,
    centers: &PyReadonlyArray2<'py, F>,
) -> PyResult<Bound<'py, PyArray1<i64>>> {
    let (data, n_cols) = row_major(x);
    let (center_data, center_cols) = row_major(centers);
    let labels = py
        .detach(|| {
            let x = MatRef::new(&data, n_cols)?;
            kmeans::predict(x, MatRef::new(&center_data, center_cols)?)
        })
        .map_err(CoreError)?;
    labels_to_py(py, labels)
}

/// Euclidean distances from every row of `x` to every center, `(n, k)`.
#[pyfunction]
pub(crate) fn kmeans_transform<'py>(
    py: Python<'py>,
    x: FloatArray2<'py>,
    centers: FloatArray2<'py>,
) -> PyResult<Bound<'py, PyAny>> {
    match (x, centers) {
        (FloatArray2::F32(x), FloatArray2::F32(c)) => transform(py, &x, &c),
        (FloatArray2::F64(x), FloatArray2::F64(c)) => transform(py, &x, &c),
        _ => Err(dtype_mismatch("centers")),
    }
}

fn transform<'py, F: Float + Element>(
    py: Python<'py>,
    x: &PyReadonlyArray2<'py, F>,
    centers: &PyReadonlyArray2<'py, F>,
) -> PyResult<Bound<'py, PyAny>> {
    let (data, n_cols) = row_major(x);
    let (center_data, center_cols) = row_major(centers);
    let centers = MatRef::new(&center_data, center_cols).map_err(CoreError)?;
    let distances = py
        .detach(|| kmeans::transform(MatRef::new(&data, n_cols)?, centers))
        .map_err(CoreError)?;
    into_matrix(py, distances, centers.n_rows())
}

/// Labels as the `int64` array `NumPy` users expect.
fn labels_to_py(py: Python<'_>, labels: Vec<usize>) -> PyResult<Bound<'_, PyArray1<i64>>> {
    // Labels are < n_clusters <= n_samples, so this conversion cannot fail;
    // it is still checked rather than cast.
    let labels = labels
        .into_iter()
        .map(i64::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(labels.into_pyarray(py))
}
