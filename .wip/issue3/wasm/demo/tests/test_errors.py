"""Every failure raises its documented class, which is also a ValueError."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

import demo as pkg
from demo import (
    DemoError,
    EmptyInputError,
    FeatureMismatchError,
    InvalidParameterError,
    KMeans,
    NonFiniteError,
    NotFittedError,
    ShapeError,
    StandardScaler,
    TooFewSamplesError,
)

X = np.arange(12.0).reshape(4, 3)


def with_value(row: int, col: int, value: float) -> np.ndarray:
    x = X.copy()
    x[row, col] = value
    return x


CASES: list[tuple[str, Callable[[], object], type[Exception]]] = [
    ("kmeans 1-D", lambda: KMeans(2).fit(np.ones(5)), ShapeError),
    ("kmeans 3-D", lambda: KMeans(2).fit(np.ones((2, 2, 2))), ShapeError),
    ("kmeans no features", lambda: KMeans(2).fit(np.ones((3, 0))), ShapeError),
    ("kmeans empty", lambda: KMeans(2).fit(np.empty((0, 3))), EmptyInputError),
    ("kmeans nan", lambda: KMeans(2).fit(with_value(1, 2, np.nan)), NonFiniteError),
    ("kmeans inf", lambda: KMeans(2, init="random").fit(with_value(0, 0, np.inf)), NonFiniteError),
    (
        "kmeans -inf float32",
        lambda: KMeans(2).fit(with_value(3, 1, -np.inf).astype(np.float32)),
        NonFiniteError,
    ),
    (
        "kmeans nan, init array",
        lambda: KMeans(2, init=X[:2]).fit(with_value(3, 1, np.nan)),
        NonFiniteError,
    ),
    ("kmeans k > n", lambda: KMeans(5).fit(X), TooFewSamplesError),
    ("kmeans k > n random", lambda: KMeans(5, init="random").fit(X), TooFewSamplesError),
    ("kmeans k > n init array", lambda: KMeans(5, init=np.ones((5, 3))).fit(X), TooFewSamplesError),
    ("kmeans init wrong rows", lambda: KMeans(3, init=X[:2]).fit(X), ShapeError),
    ("kmeans init wrong cols", lambda: KMeans(2, init=X[:2, :2]).fit(X), ShapeError),
    (
        "kmeans init nan",
        lambda: KMeans(2, init=with_value(0, 0, np.nan)[:2]).fit(X),
        NonFiniteError,
    ),
    ("kmeans n_clusters=0", lambda: KMeans(0).fit(X), InvalidParameterError),
    ("kmeans n_clusters=1.5", lambda: KMeans(1.5).fit(X), InvalidParameterError),  # type: ignore[arg-type]
    ("kmeans n_clusters=True", lambda: KMeans(True).fit(X), InvalidParameterError),
    ("kmeans max_iter=0", lambda: KMeans(2, max_iter=0).fit(X), InvalidParameterError),
    ("kmeans tol<0", lambda: KMeans(2, tol=-1.0).fit(X), InvalidParameterError),
    ("kmeans tol=nan", lambda: KMeans(2, tol=float("nan")).fit(X), InvalidParameterError),
    ("kmeans seed<0", lambda: KMeans(2, seed=-1).fit(X), InvalidParameterError),
    ("kmeans seed>u64", lambda: KMeans(2, seed=2**64).fit(X), InvalidParameterError),
    ("kmeans init name", lambda: KMeans(2, init="bogus").fit(X), InvalidParameterError),
    ("kmeans predict unfitted", lambda: KMeans(2).predict(X), NotFittedError),
    ("kmeans transform unfitted", lambda: KMeans(2).transform(X), NotFittedError),
    ("kmeans predict features", lambda: KMeans(2).fit(X).predict(X[:, :2]), FeatureMismatchError),
    (
        "kmeans transform features",
        lambda: KMeans(2).fit(X).transform(np.ones((2, 4))),
        FeatureMismatchError,
    ),
    ("kmeans predict empty", lambda: KMeans(2).fit(X).predict(np.empty((0, 3))), EmptyInputError),
    (
        "kmeans predict nan",
        lambda: KMeans(2).fit(X).predict(with_value(2, 2, np.nan)),
        NonFiniteError,
    ),
    ("scaler 1-D", lambda: StandardScaler().fit(np.ones(3)), ShapeError),
    ("scaler empty", lambda: StandardScaler().fit(np.empty((0, 2))), EmptyInputError),
    ("scaler nan", lambda: StandardScaler().fit(with_value(2, 0, np.nan)), NonFiniteError),
    (
        "scaler inf float32",
        lambda: StandardScaler().fit(with_value(2, 0, np.inf).astype(np.float32)),
        NonFiniteError,
    ),
    ("scaler transform unfitted", lambda: StandardScaler().transform(X), NotFittedError),
    ("scaler inverse unfitted", lambda: StandardScaler().inverse_transform(X), NotFittedError),
    (
        "scaler transform features",
        lambda: StandardScaler().fit(X).transform(X[:, :2]),
        FeatureMismatchError,
    ),
    (
        "scaler inverse features",
        lambda: StandardScaler().fit(X).inverse_transform(X[:, :1]),
        FeatureMismatchError,
    ),
    (
        "scaler partial_fit features",
        lambda: StandardScaler().fit(X).partial_fit(X[:, :2]),
        FeatureMismatchError,
    ),
]


@pytest.mark.parametrize(
    ("call", "error"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_raises_documented_error(call: Callable[[], object], error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        call()
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, DemoError)


def test_non_finite_error_locates_the_value() -> None:
    with pytest.raises(NonFiniteError, match=r"row 1, column 2"):
        KMeans(2).fit(with_value(1, 2, np.nan))


def test_failed_partial_fit_keeps_previous_state() -> None:
    scaler = StandardScaler().fit(X)
    with pytest.raises(NonFiniteError):
        scaler.partial_fit(with_value(0, 0, np.nan))
    assert scaler.n_samples_seen_ == X.shape[0]
    np.testing.assert_array_equal(scaler.mean_, X.mean(axis=0))


def test_not_fitted_error_is_an_attribute_error() -> None:
    assert issubclass(NotFittedError, AttributeError)
    assert not hasattr(KMeans(), "cluster_centers_")


@pytest.mark.parametrize("name", [name for name in pkg.__all__ if name.endswith("Error")])
def test_hierarchy(name: str) -> None:
    error = getattr(pkg, name)
    assert issubclass(error, DemoError)
    assert error is DemoError or issubclass(error, ValueError)
    assert error.__module__ == f"{pkg.__name__}.exceptions"
    assert error.__doc__
