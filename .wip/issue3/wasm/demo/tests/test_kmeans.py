"""Behaviour of KMeans, checked against scikit-learn and NumPy."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from sklearn.cluster import KMeans as SklearnKMeans

from demo import KMeans, _core

Array = npt.NDArray[np.float64]
InitFn = Callable[[Array, int, int], Array]

N_CLUSTERS = 4


@pytest.fixture
def blobs_init(blobs: Array) -> Array:
    """The first samples as initial centroids: several lie in the same blob."""
    return blobs[:N_CLUSTERS].copy()


def distances(x: Array, centers: npt.NDArray[np.floating[Any]]) -> Array:
    """Euclidean distance of every row of ``x`` to every row of ``centers``."""
    return np.asarray(np.linalg.norm(x[:, None, :] - centers[None, :, :], axis=2))


@pytest.mark.parametrize("tol", [0.0, 1e-4])
def test_matches_sklearn_from_same_init(blobs: Array, blobs_init: Array, tol: float) -> None:
    ours = KMeans(N_CLUSTERS, init=blobs_init, tol=tol).fit(blobs)
    ref = SklearnKMeans(N_CLUSTERS, init=blobs_init, n_init=1, tol=tol).fit(blobs)

    assert ours.n_iter_ > 1
    assert ours.n_iter_ == ref.n_iter_
    np.testing.assert_array_equal(ours.labels_, ref.labels_)
    np.testing.assert_allclose(ours.cluster_centers_, ref.cluster_centers_, rtol=1e-9, atol=0)
    assert ours.inertia_ == pytest.approx(ref.inertia_, rel=1e-9)


def test_max_iter_stops_early_with_labels_of_final_centroids(
    blobs: Array, blobs_init: Array
) -> None:
    ours = KMeans(N_CLUSTERS, init=blobs_init, max_iter=1).fit(blobs)
    ref = SklearnKMeans(N_CLUSTERS, init=blobs_init, n_init=1, max_iter=1).fit(blobs)

    assert ours.n_iter_ == 1
    np.testing.assert_array_equal(ours.labels_, ref.labels_)
    np.testing.assert_array_equal(ours.labels_, ours.predict(blobs))
    np.testing.assert_allclose(ours.cluster_centers_, ref.cluster_centers_, rtol=1e-9, atol=0)
    assert ours.inertia_ == pytest.approx(ref.inertia_, rel=1e-9)


def test_float32_matches_sklearn(blobs: Array, blobs_init: Array) -> None:
    x = blobs.astype(np.float32)
    init = blobs_init.astype(np.float32)
    ours = KMeans(N_CLUSTERS, init=init).fit(x)
    ref = SklearnKMeans(N_CLUSTERS, init=init, n_init=1).fit(x)

    np.testing.assert_array_equal(ours.labels_, ref.labels_)
    np.testing.assert_allclose(ours.cluster_centers_, ref.cluster_centers_, rtol=1e-5)
    assert ours.inertia_ == pytest.approx(ref.inertia_, rel=1e-5)


def test_predict_and_transform_agree_with_numpy(blobs: Array) -> None:
    model = KMeans(N_CLUSTERS, seed=1).fit(blobs)
    expected = distances(blobs, model.cluster_centers_)

    np.testing.assert_allclose(model.transform(blobs), expected, rtol=1e-12)
    np.testing.assert_array_equal(model.predict(blobs), expected.argmin(axis=1))
    np.testing.assert_array_equal(model.labels_, model.predict(blobs))
    assert model.inertia_ == pytest.approx(np.sum(expected.min(axis=1) ** 2), rel=1e-12)


def test_fit_predict_and_fit_transform(blobs: Array) -> None:
    labels = KMeans(N_CLUSTERS, seed=3).fit_predict(blobs)
    model = KMeans(N_CLUSTERS, seed=3)
    dist = model.fit_transform(blobs)

    np.testing.assert_array_equal(labels, model.labels_)
    assert dist.shape == (blobs.shape[0], N_CLUSTERS)
    np.testing.assert_array_equal(dist, model.transform(blobs))


def test_ties_go_to_lowest_index() -> None:
    model = KMeans(2, init=[[-1.0], [1.0]]).fit([[-1.0], [1.0]])
    np.testing.assert_array_equal(model.predict([[0.0]]), [0])


def test_empty_cluster_keeps_its_centroid() -> None:
    x = np.array([[0.0], [1.0], [10.0], [11.0]])
    model = KMeans(3, init=[[0.5], [10.5], [100.0]]).fit(x)

    np.testing.assert_array_equal(model.labels_, [0, 0, 1, 1])
    np.testing.assert_array_equal(model.cluster_centers_, [[0.5], [10.5], [100.0]])


@pytest.mark.parametrize("init", ["k-means++", "random"])
def test_seed_makes_fit_reproducible(blobs: Array, init: str) -> None:
    first = KMeans(N_CLUSTERS, init=init, seed=7).fit(blobs)
    second = KMeans(N_CLUSTERS, init=init, seed=7).fit(blobs)

    np.testing.assert_array_equal(first.cluster_centers_, second.cluster_centers_)
    np.testing.assert_array_equal(first.labels_, second.labels_)


@pytest.mark.parametrize("init_fn", [_core.kmeans_plusplus, _core.kmeans_random_init])
def test_initialisations_pick_distinct_samples(blobs: Array, init_fn: InitFn) -> None:
    centers = init_fn(blobs, 10, 5)
    other_seed = init_fn(blobs, 10, 6)

    assert centers.shape == (10, blobs.shape[1])
    rows = [int(np.flatnonzero((blobs == c).all(axis=1))[0]) for c in centers]
    assert len(set(rows)) == 10
    np.testing.assert_array_equal(init_fn(blobs, 10, 5), centers)
    assert not np.array_equal(other_seed, centers)


def test_float32_stays_float32(blobs: Array) -> None:
    x = blobs.astype(np.float32)
    model = KMeans(N_CLUSTERS).fit(x)

    assert model.cluster_centers_.dtype == np.float32
    assert model.labels_.dtype == np.int64
    assert isinstance(model.inertia_, float)
    assert isinstance(model.n_iter_, int)
    assert model.transform(x).dtype == np.float32
    # float64 input is computed in the precision the model was fitted with.
    assert model.transform(blobs).dtype == np.float32
    np.testing.assert_array_equal(model.predict(blobs), model.predict(x))


def test_integer_input_becomes_float64() -> None:
    x = np.array([[0, 0], [0, 2], [10, 10], [10, 12]], dtype=np.int32)
    model = KMeans(2, init="random", seed=0).fit(x)
    reference = KMeans(2, init="random", seed=0).fit(x.astype(np.float64))

    assert model.cluster_centers_.dtype == np.float64
    np.testing.assert_array_equal(model.cluster_centers_, reference.cluster_centers_)
    assert model.transform(x).dtype == np.float64


def test_non_contiguous_input(blobs: Array) -> None:
    wide = np.zeros((blobs.shape[0], 2 * blobs.shape[1]))
    wide[:, ::2] = blobs
    strided = wide[:, ::2]
    fortran = np.asfortranarray(blobs)
    assert not strided.flags.c_contiguous
    assert not fortran.flags.c_contiguous

    expected = KMeans(N_CLUSTERS).fit(blobs)
    for x in (strided, fortran):
        model = KMeans(N_CLUSTERS).fit(x)
        np.testing.assert_array_equal(model.cluster_centers_, expected.cluster_centers_)
        np.testing.assert_array_equal(model.labels_, expected.labels_)
        np.testing.assert_array_equal(model.transform(x), expected.transform(blobs))


def test_one_sample() -> None:
    model = KMeans(1).fit([[1.0, 2.0]])

    np.testing.assert_array_equal(model.cluster_centers_, [[1.0, 2.0]])
    np.testing.assert_array_equal(model.labels_, [0])
    assert model.inertia_ == 0.0
    assert model.n_features_in_ == 2


def test_as_many_clusters_as_samples(rng: np.random.Generator) -> None:
    x = rng.normal(size=(6, 2))
    model = KMeans(6).fit(x)

    assert sorted(model.labels_.tolist()) == list(range(6))
    assert model.inertia_ == 0.0


def test_result_does_not_depend_on_thread_count() -> None:
    script = textwrap.dedent(
        """
        import hashlib
        import numpy as np
        from demo import KMeans

        x = np.random.default_rng(0).normal(size=(40_000, 4))
        model = KMeans(5, max_iter=20).fit(x)
        digest = hashlib.sha256(model.cluster_centers_.tobytes() + model.labels_.tobytes())
        print(digest.hexdigest(), model.inertia_, model.n_iter_)
        """
    )

    def run(threads: int) -> str:
        env = {**os.environ, "RAYON_NUM_THREADS": str(threads)}
        result = subprocess.run(  # noqa: S603 - runs this interpreter on a fixed script
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        return result.stdout

    assert run(1) == run(3)


def test_repr() -> None:
    assert repr(KMeans()) == "KMeans()"
    assert repr(KMeans(3, tol=0.5, init="random")) == "KMeans(n_clusters=3, tol=0.5, init='random')"
