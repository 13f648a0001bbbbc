"""Fitted estimators survive pickling and deep copies."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from demo import KMeans, NotFittedError, StandardScaler

Array = npt.NDArray[np.float64]
ROUND_TRIPS: list[Callable[[object], object]] = [
    lambda obj: pickle.loads(pickle.dumps(obj)),  # noqa: S301 - round trip of our own bytes
    copy.deepcopy,
]


@pytest.mark.parametrize("round_trip", ROUND_TRIPS, ids=["pickle", "deepcopy"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_kmeans_round_trip(
    blobs: Array, round_trip: Callable[[object], object], dtype: type
) -> None:
    x: npt.NDArray[np.floating[Any]] = blobs.astype(dtype)
    model = KMeans(4, tol=0.0, seed=3).fit(x)
    clone = round_trip(model)

    assert isinstance(clone, KMeans)
    assert clone is not model
    assert repr(clone) == repr(model)
    np.testing.assert_array_equal(clone.cluster_centers_, model.cluster_centers_)
    assert clone.cluster_centers_.dtype == dtype
    np.testing.assert_array_equal(clone.labels_, model.labels_)
    assert (clone.inertia_, clone.n_iter_, clone.n_features_in_) == (
        model.inertia_,
        model.n_iter_,
        model.n_features_in_,
    )
    np.testing.assert_array_equal(clone.predict(x), model.predict(x))
    np.testing.assert_array_equal(clone.transform(x), model.transform(x))


@pytest.mark.parametrize("round_trip", ROUND_TRIPS, ids=["pickle", "deepcopy"])
def test_scaler_round_trip(blobs: Array, round_trip: Callable[[object], object]) -> None:
    scaler = StandardScaler().partial_fit(blobs[:100])
    clone = round_trip(scaler)

    assert isinstance(clone, StandardScaler)
    np.testing.assert_array_equal(clone.transform(blobs), scaler.transform(blobs))
    # The copy keeps streaming exactly like the original.
    np.testing.assert_array_equal(
        clone.partial_fit(blobs[100:]).var_, scaler.partial_fit(blobs[100:]).var_
    )
    assert clone.n_samples_seen_ == scaler.n_samples_seen_ == blobs.shape[0]


@pytest.mark.parametrize("round_trip", ROUND_TRIPS, ids=["pickle", "deepcopy"])
def test_unfitted_round_trip(round_trip: Callable[[object], object]) -> None:
    clone = round_trip(KMeans(3, init="random"))

    assert isinstance(clone, KMeans)
    assert repr(clone) == "KMeans(n_clusters=3, init='random')"
    with pytest.raises(NotFittedError):
        clone.predict([[0.0]])
