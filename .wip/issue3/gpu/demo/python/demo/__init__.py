"""Fast k-means clustering and feature scaling backed by a Rust extension.

The estimators follow the scikit-learn interface and release the GIL while
computing.
"""

from __future__ import annotations

from ._core import __version__, gpu_available
from ._kmeans import KMeans
from ._scaler import StandardScaler
from .exceptions import (
    DemoError,
    EmptyInputError,
    FeatureMismatchError,
    GpuUnavailableError,
    InvalidParameterError,
    NonFiniteError,
    NotFittedError,
    ShapeError,
    TooFewSamplesError,
)

__all__ = [
    "DemoError",
    "EmptyInputError",
    "FeatureMismatchError",
    "GpuUnavailableError",
    "InvalidParameterError",
    "KMeans",
    "NonFiniteError",
    "NotFittedError",
    "ShapeError",
    "StandardScaler",
    "TooFewSamplesError",
    "__version__",
    "gpu_available",
]
