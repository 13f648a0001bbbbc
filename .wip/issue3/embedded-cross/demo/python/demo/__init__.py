"""Fast k-means clustering and feature scaling backed by a Rust extension.

The estimators follow the scikit-learn interface and release the GIL while
computing.
"""

from __future__ import annotations

from ._core import __version__
from ._kmeans import KMeans
from ._scaler import StandardScaler
from .exceptions import (
    DemoError,
    EmptyInputError,
    FeatureMismatchError,
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
    "InvalidParameterError",
    "KMeans",
    "NonFiniteError",
    "NotFittedError",
    "ShapeError",
    "StandardScaler",
    "TooFewSamplesError",
    "__version__",
]
