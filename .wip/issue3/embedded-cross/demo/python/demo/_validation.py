"""Input and hyper-parameter checks shared by the estimators."""

from __future__ import annotations

import math
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

from .exceptions import (
    EmptyInputError,
    FeatureMismatchError,
    InvalidParameterError,
    NotFittedError,
    ShapeError,
)

FloatArray: TypeAlias = npt.NDArray[np.floating[Any]]

_NATIVE_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def check_array(x: npt.ArrayLike, *, dtype: npt.DTypeLike | None = None) -> FloatArray:
    """Convert ``x`` to a non-empty 2-D float32 or float64 array.

    float32 and float64 inputs are returned without a copy; any other dtype is
    converted to float64. Memory layout is left alone: the native kernels copy
    non-contiguous arrays once themselves. Finiteness is checked natively.

    Args:
        x: Anything :func:`numpy.asarray` accepts.
        dtype: Convert to this dtype instead of choosing one from ``x``.

    Returns:
        The validated array.

    Raises:
        ShapeError: If ``x`` is not 2-D or has no columns.
        EmptyInputError: If ``x`` has no rows.
    """
    array = np.asarray(x)
    if dtype is not None:
        array = array.astype(dtype, copy=False)
    elif array.dtype not in _NATIVE_DTYPES:
        array = array.astype(np.float64)
    if array.ndim != 2:
        msg = f"expected a 2-D array, got {array.ndim}-D array of shape {array.shape}"
        raise ShapeError(msg)
    if array.shape[0] == 0:
        msg = "input has no samples"
        raise EmptyInputError(msg)
    if array.shape[1] == 0:
        msg = "input has no features"
        raise ShapeError(msg)
    return array


def check_n_features(x: FloatArray, expected: int) -> None:
    """Check that ``x`` has as many columns as the data the estimator was fitted on.

    Raises:
        FeatureMismatchError: If the number of columns differs.
    """
    if x.shape[1] != expected:
        msg = f"expected {expected} features, got {x.shape[1]}"
        raise FeatureMismatchError(msg)


def check_is_fitted(estimator: object, attribute: str) -> None:
    """Check that ``estimator`` has the fitted ``attribute``.

    Raises:
        NotFittedError: If ``fit`` has not been called yet.
    """
    if not hasattr(estimator, attribute):
        msg = f"this {type(estimator).__name__} instance is not fitted yet; call 'fit' first"
        raise NotFittedError(msg)


def check_int(name: str, value: object, *, low: int, high: int | None = None) -> int:
    """Return ``value`` as an ``int`` in ``[low, high]``.

    Raises:
        InvalidParameterError: If ``value`` is not an integer (``bool`` included)
            or is out of range.
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        msg = f"{name} must be an integer, got {value!r}"
        raise InvalidParameterError(msg)
    result = int(value)
    if result < low or (high is not None and result > high):
        bounds = f">= {low}" if high is None else f"in [{low}, {high}]"
        msg = f"{name} must be {bounds}, got {result}"
        raise InvalidParameterError(msg)
    return result


def check_float(name: str, value: object, *, low: float) -> float:
    """Return ``value`` as a finite ``float`` that is at least ``low``.

    Raises:
        InvalidParameterError: If ``value`` is not a real number or is out of range.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        msg = f"{name} must be a real number, got {value!r}"
        raise InvalidParameterError(msg)
    result = float(value)
    if not math.isfinite(result) or result < low:
        msg = f"{name} must be a finite number >= {low}, got {result}"
        raise InvalidParameterError(msg)
    return result
