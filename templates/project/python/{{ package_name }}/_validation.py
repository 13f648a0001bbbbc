"""Input and hyper-parameter checks shared by the estimators.

Input goes through scikit-learn's own ``validate_data``, so dtype handling,
``n_features_in_``, ``feature_names_in_`` and the messages are scikit-learn's; its
errors are re-raised as the package's classes (each still the ``ValueError`` or
``TypeError`` scikit-learn raises), so one ``except`` of the package's base error
catches every bad input.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Sequence
from typing import Any, TypeAlias, TypeGuard

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator
from sklearn.utils.validation import validate_data

from .exceptions import (
    EmptyInputError,
    FeatureMismatchError,
    InvalidInputError,
    InvalidParameterError,
    NonFiniteError,
    NotFittedError,
    ShapeError,
)

FloatArray: TypeAlias = npt.NDArray[np.floating[Any]]
#: ``sample_weight`` as users give it (None, a number or an array) and as checked.
SampleWeightLike: TypeAlias = npt.ArrayLike | None
SampleWeights: TypeAlias = npt.NDArray[np.float64] | None

#: A dtype, or dtypes that pass unchanged (anything else becomes the first).
DTypes: TypeAlias = type[np.floating[Any]] | Sequence[type[np.floating[Any]]]
#: The dtypes the native kernels compute in.
FLOAT_DTYPES: DTypes = (np.float64, np.float32)

# scikit-learn's messages -> the package's class (first match wins; anything else is an
# InvalidInputError, which is both a TypeError and a ValueError).
_TRANSLATIONS: tuple[tuple[re.Pattern[str], type[Exception]], ...] = (
    (re.compile(r"\b0 sample\(s\)"), EmptyInputError),
    (re.compile(r"\b0 feature\(s\)|Expected 2D array|dim \d|Expected a 2-dimensional"), ShapeError),
    (re.compile(r"has \d+ features?, but \w+ is expecting \d+ features?"), FeatureMismatchError),
    (re.compile(r"contains (NaN|infinity)"), NonFiniteError),
)


def check_data(
    estimator: BaseEstimator,
    x: object,
    *,
    reset: bool,
    dtype: DTypes = FLOAT_DTYPES,
    copy: bool = False,
) -> FloatArray:
    """``x`` as a 2-D float array through scikit-learn's ``validate_data``.

    float32 and float64 input is kept as it is (no copy unless ``copy``); other
    numeric dtypes become float64. NaN and infinity pass: the native kernels
    reject them (:class:`NonFiniteError`, naming the first one's row and
    column) without a separate pass. With ``reset`` (fit) the estimator records
    ``n_features_in_`` and, for a DataFrame, ``feature_names_in_``; without it
    (predict, transform) the input must match them.

    Raises:
        InvalidInputError: Sparse, complex, object, string or missing-value input.
        ShapeError: If ``x`` is not 2-D or has no columns.
        EmptyInputError: If ``x`` has no rows.
        FeatureMismatchError: If ``x`` does not have the fitted number of features.
    """
    if not copy and _is_plain(x, estimator, reset=reset, dtype=dtype):
        # What validate_data would return, without its ~50 us per call (a one-row
        # predict costs a few us in the kernel).
        if reset:
            estimator.n_features_in_ = x.shape[1]
            estimator.__dict__.pop("feature_names_in_", None)
        return x
    try:
        # Finiteness is checked by the kernels as they read the data (no extra pass),
        # and their message names the first offending row and column.
        data: FloatArray = validate_data(
            estimator, x, reset=reset, dtype=dtype, copy=copy, ensure_all_finite=False
        )
    except (TypeError, ValueError) as err:
        raise translate(err) from err
    return data


def _is_plain(
    x: object, estimator: BaseEstimator, *, reset: bool, dtype: DTypes
) -> TypeGuard[FloatArray]:
    """Whether ``x`` is a non-empty 2-D ndarray that validate_data would pass unchanged."""
    if type(x) is not np.ndarray or x.ndim != 2 or x.shape[0] == 0 or x.shape[1] == 0:
        return False
    accepted = [dtype] if isinstance(dtype, type) else dtype
    if x.dtype not in [np.dtype(d) for d in accepted]:
        return False
    if reset:
        return True
    # predict/transform: no feature names to compare, and the fitted width.
    fitted_width = getattr(estimator, "n_features_in_", None)
    return not hasattr(estimator, "feature_names_in_") and x.shape[1] == fitted_width


def translate(err: Exception) -> Exception:
    """The package's exception for scikit-learn's input error ``err`` (same message)."""
    message = str(err)
    for pattern, error_class in _TRANSLATIONS:
        if pattern.search(message):
            return error_class(message)
    return InvalidInputError(message)


def check_sample_weight(sample_weight: SampleWeightLike, data: FloatArray) -> SampleWeights:
    """``sample_weight`` as one float64 weight per row of ``data`` (None stays None).

    A scalar weighs every sample the same. A C-contiguous float64 array is passed
    to the kernels as it is (no copy).

    Raises:
        InvalidParameterError: If the weights do not have one entry per sample, are
            negative or not finite, or are all zero.
    """
    if sample_weight is None:
        return None
    n = data.shape[0]
    if isinstance(sample_weight, numbers.Real):
        weights = np.full(n, float(sample_weight))
    else:
        try:
            weights = np.ascontiguousarray(sample_weight, dtype=np.float64)
        except (TypeError, ValueError) as err:
            msg = f"sample_weight must be an array of numbers: {err}"
            raise InvalidParameterError(msg) from err
    if weights.shape != (n,):
        msg = f"sample_weight.shape == {weights.shape}, expected {(n,)}"
        raise InvalidParameterError(msg)
    if not np.isfinite(weights).all() or (weights < 0).any():
        msg = "sample_weight must be finite and non-negative"
        raise InvalidParameterError(msg)
    if not (weights > 0).any():
        msg = "sample_weight must not be all zero"
        raise InvalidParameterError(msg)
    return weights


def check_is_fitted(estimator: object, attribute: str) -> None:
    """Check that ``estimator`` has the fitted ``attribute``.

    Raises:
        NotFittedError: If ``fit`` has not been called yet (it is scikit-learn's
            ``NotFittedError`` too).
    """
    if not hasattr(estimator, attribute):
        msg = (
            f"This {type(estimator).__name__} instance is not fitted yet. Call 'fit' with "
            "appropriate arguments before using this estimator."
        )
        raise NotFittedError(msg)


def check_int(name: str, value: object, *, low: int, high: int | None = None) -> int:
    """Return ``value`` as an ``int`` in ``[low, high]``.

    Raises:
        InvalidParameterError: If ``value`` is not an integer (``bool`` included)
            or is out of range.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
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
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        msg = f"{name} must be a real number, got {value!r}"
        raise InvalidParameterError(msg)
    result = float(value)
    if not math.isfinite(result) or result < low:
        msg = f"{name} must be a finite number >= {low}, got {result}"
        raise InvalidParameterError(msg)
    return result


def check_bool(name: str, value: object) -> bool:
    """Return ``value`` as a ``bool``.

    Raises:
        InvalidParameterError: If ``value`` is not a ``bool`` (or a NumPy bool).
    """
    if not isinstance(value, (bool, np.bool_)):
        msg = f"{name} must be True or False, got {value!r}"
        raise InvalidParameterError(msg)
    return bool(value)


def check_seeds(random_state: object, count: int) -> list[int]:
    """``count`` 64-bit seeds for the native kernels, drawn from ``random_state``.

    ``random_state`` is what scikit-learn takes: None (fresh entropy), an int, a
    :class:`numpy.random.RandomState`, or a :class:`numpy.random.Generator`.

    Raises:
        InvalidParameterError: For anything else.
    """
    if random_state is None:
        generator = np.random.default_rng()
    elif isinstance(random_state, np.random.Generator):
        generator = random_state
    elif isinstance(random_state, np.random.RandomState):
        # Draw through the legacy stream so a shared RandomState advances as in sklearn.
        generator = np.random.default_rng(random_state.randint(0, 2**31 - 1, size=4))
    elif not isinstance(random_state, bool) and isinstance(random_state, numbers.Integral):
        seed = int(random_state)
        if seed < 0 or seed > 2**32 - 1:
            msg = f"random_state must be in [0, 2**32 - 1], got {seed}"
            raise InvalidParameterError(msg)
        generator = np.random.default_rng(seed)
    else:
        kinds = "None, an int, a RandomState or a Generator"
        msg = f"random_state must be {kinds}, got {random_state!r}"
        raise InvalidParameterError(msg)
    return [int(s) for s in generator.integers(0, 2**63, size=count, dtype=np.int64)]
