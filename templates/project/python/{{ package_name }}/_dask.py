"""Fitting on a Dask array: the data stays on the workers, partials come back.

Each block of rows is reduced where it lives to a small mergeable partial (the
scaler's running statistics; one Lloyd iteration's per-cluster sums, weights and
inertia), the client merges the partials in block order (so the result does not
depend on scheduling) and runs the same M-step the in-memory fit runs. ``predict``
and ``transform`` map over the blocks and return Dask arrays.

Imported only when a Dask array is passed; ``pip install <package>[distributed]``
brings Dask.
"""

# Dask is imported where it is used, so the package imports without it (PLC0415).
# ruff: noqa: PLC0415

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator

from . import _core
from ._validation import FloatArray, SampleWeights
from .exceptions import FeatureMismatchError, InvalidInputError, ShapeError

#: Rows drawn (from the first blocks) for k-means++ or random initialisation.
INIT_SAMPLE_ROWS = 65_536

Stats = tuple[int, float, npt.NDArray[np.float64], npt.NDArray[np.float64]]


def is_dask_array(x: object) -> TypeGuard[Any]:
    """Whether ``x`` is a Dask array (checked without importing Dask)."""
    return type(x).__module__.split(".")[0] == "dask" and hasattr(x, "to_delayed")


def kernel_dtype(x: Any) -> Any:
    """The dtype the kernels compute ``x`` in: its own if float32/float64, else float64."""
    return x.dtype if np.dtype(x.dtype) in (np.float32, np.float64) else np.float64


def _blocks(x: Any, sample_weight: object) -> tuple[list[Any], list[Any]]:
    """The row blocks of ``x`` (one block across all columns) and of the weights."""
    import dask.array as da

    if x.ndim != 2:
        msg = f"expected a 2-D Dask array, got {x.ndim}-D array of shape {x.shape}"
        raise ShapeError(msg)
    if np.dtype(x.dtype).kind not in "fiu":
        msg = f"Dask array of dtype {x.dtype} is not supported; use a float or integer dtype"
        raise InvalidInputError(msg)
    x = x.rechunk({1: -1})
    blocks = list(x.to_delayed().ravel())
    if sample_weight is None:
        return blocks, [None] * len(blocks)
    weights = da.asarray(sample_weight, dtype=np.float64).rechunk((x.chunks[0],))
    return blocks, list(weights.to_delayed().ravel())


def _as_float(block: npt.NDArray[Any], dtype: Any) -> FloatArray:
    return np.ascontiguousarray(block, dtype=dtype)


def scaler_stats(x: Any, sample_weight: object, previous: Stats | None) -> Stats:
    """``previous`` merged with the running statistics of every block, in block order."""
    import dask

    blocks, weights = _blocks(x, sample_weight)
    dtype = kernel_dtype(x)

    def block_stats(block: npt.NDArray[Any], w: npt.NDArray[np.float64] | None) -> Stats:
        return _core.scaler_partial_fit(_as_float(block, dtype), 0, 0.0, None, None, w)

    partials: Sequence[Stats] = dask.compute(
        *[dask.delayed(block_stats)(b, w) for b, w in zip(blocks, weights, strict=True)]
    )
    merged = partials[0] if previous is None else _core.scaler_merge(previous, partials[0])
    for part in partials[1:]:
        merged = _core.scaler_merge(merged, part)
    return merged


#: Initial centroids from an in-memory sample: (sample, seed, its weights) -> centroids.
InitFn = Callable[[FloatArray, int, SampleWeights], FloatArray]


@dataclass(frozen=True)
class LloydRun:
    """The outcome of :func:`fit_kmeans`."""

    centers: FloatArray
    inertia: float
    n_iter: int
    labels: Any
    """A Dask array: the nearest center of every row."""


def fit_kmeans(
    x: Any,
    sample_weight: object,
    *,
    init: InitFn,
    seeds: list[int],
    max_iter: int,
    tol: float,
) -> LloydRun:
    """Lloyd's algorithm on the Dask array ``x``, one run per seed; the lowest inertia wins.

    Each iteration computes one partial per block on the workers against the same
    centers and merges them in block order; the M-step and the stopping rule are the
    in-memory fit's. The initial centers come from ``init`` on the first
    :data:`INIT_SAMPLE_ROWS` rows (an explicit ``init`` array ignores them).
    """
    import dask
    import dask.array as da

    dtype = kernel_dtype(x)
    blocks, weights = _blocks(x, sample_weight)
    # tol is relative to the mean per-feature variance of the data (unweighted).
    _, total, _, m2 = scaler_stats(x, None, None)
    tol = tol * float(np.mean(m2 / total)) if tol > 0 else 0.0
    rows = min(INIT_SAMPLE_ROWS, int(x.shape[0]))
    sample = _as_float(x[:rows].compute(), dtype)
    sample_weights = None
    if sample_weight is not None:
        sample_weights = np.ascontiguousarray(
            da.asarray(sample_weight)[:rows].compute(), dtype=np.float64
        )

    def partial(block: Any, w: Any, centers: FloatArray) -> tuple[Any, Any, float]:
        return _core.kmeans_lloyd_partial(_as_float(block, dtype), centers, w)

    def merged(centers: FloatArray) -> tuple[Any, Any, float]:
        parts = dask.compute(
            *[dask.delayed(partial)(b, w, centers) for b, w in zip(blocks, weights, strict=True)]
        )
        sums, total_weight, inertia = parts[0]
        for part_sums, part_weight, part_inertia in parts[1:]:
            sums = sums + part_sums
            total_weight = total_weight + part_weight
            inertia += part_inertia
        return sums, total_weight, inertia

    def run(seed: int) -> tuple[float, FloatArray, int]:
        centers = init(sample, seed, sample_weights)
        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            sums, total_weight, _ = merged(centers)
            centers, shift = _core.kmeans_lloyd_update(centers, sums, total_weight)
            if shift <= tol:
                break
        return merged(centers)[2], centers, n_iter

    inertia, centers, n_iter = min((run(seed) for seed in seeds), key=lambda r: r[0])
    labels = x.rechunk({1: -1}).map_blocks(_predictor(centers), drop_axis=1, dtype=np.int64)
    return LloydRun(centers, inertia, n_iter, labels)


def _predictor(centers: FloatArray) -> Callable[[npt.NDArray[Any]], npt.NDArray[np.int64]]:
    def predict(block: npt.NDArray[Any]) -> npt.NDArray[np.int64]:
        return _core.kmeans_predict(_as_float(block, centers.dtype), centers)

    return predict


def map_rows(
    estimator: BaseEstimator,
    x: Any,
    fn: Callable[[npt.NDArray[Any]], npt.NDArray[Any]],
    n_out: int | None,
    dtype: Any,
) -> Any:
    """``fn`` over the row blocks of ``x``: a Dask array of ``n_out`` columns (None: 1-D).

    Raises:
        FeatureMismatchError: If ``x`` does not have the fitted number of features.
    """
    expected = estimator.n_features_in_
    if x.ndim != 2 or x.shape[1] != expected:
        name = type(estimator).__name__
        msg = f"X has {x.shape[-1]} features, but {name} is expecting {expected} features as input"
        raise FeatureMismatchError(msg)
    x = x.rechunk({1: -1})
    if n_out is None:
        return x.map_blocks(fn, drop_axis=1, dtype=dtype)
    return x.map_blocks(fn, chunks=(x.chunks[0], (n_out,)), dtype=dtype)
