"""Shared fixtures."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from sklearn.datasets import make_blobs


@pytest.fixture
def blobs() -> npt.NDArray[np.float64]:
    """Overlapping Gaussian blobs: Lloyd needs several iterations to converge."""
    x, _ = make_blobs(n_samples=500, centers=4, n_features=3, cluster_std=2.5, random_state=0)
    return np.asarray(x, dtype=np.float64)


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded random number generator."""
    return np.random.default_rng(42)
