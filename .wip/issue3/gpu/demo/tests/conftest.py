"""Shared fixtures."""

from __future__ import annotations

import os

import numpy as np
import numpy.typing as npt
import pytest
from sklearn.datasets import make_blobs

import demo


@pytest.fixture
def blobs() -> npt.NDArray[np.float64]:
    """Overlapping Gaussian blobs: Lloyd needs several iterations to converge."""
    x, _ = make_blobs(n_samples=500, centers=4, n_features=3, cluster_std=2.5, random_state=0)
    return np.asarray(x, dtype=np.float64)


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded random number generator."""
    return np.random.default_rng(42)


@pytest.fixture
def gpu() -> None:
    """Skip a test without a usable GPU, or fail it under ``nox -s gpu``.

    ``nox -s gpu`` sets ``DEMO_REQUIRE_GPU=1``: there a missing device is an
    error, so GPU tests can never pass by being skipped.
    """
    if demo.gpu_available():
        return
    msg = "no usable GPU (build with the `gpu` feature and install mesa-vulkan-drivers)"
    if os.environ.get("DEMO_REQUIRE_GPU") == "1":
        pytest.fail(msg)
    pytest.skip(msg)
