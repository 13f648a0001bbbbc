"""Type stubs of the native extension module.

Every ``x`` is a 2-D float32 or float64 array; ``centers`` and ``init`` must
have the same dtype as ``x``, and float outputs have that dtype too.
"""

from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

__all__ = [
    "__version__",
    "kmeans_fit",
    "kmeans_plusplus",
    "kmeans_predict",
    "kmeans_random_init",
    "kmeans_transform",
    "scaler_inverse_transform",
    "scaler_partial_fit",
    "scaler_transform",
]

_F = TypeVar("_F", bound=np.floating[Any])

__version__: str

def kmeans_plusplus(x: npt.NDArray[_F], n_clusters: int, seed: int) -> npt.NDArray[_F]: ...
def kmeans_random_init(x: npt.NDArray[_F], n_clusters: int, seed: int) -> npt.NDArray[_F]: ...
def kmeans_fit(
    x: npt.NDArray[_F], init: npt.NDArray[_F], max_iter: int, tol: float
) -> tuple[npt.NDArray[_F], npt.NDArray[np.int64], float, int]: ...
def kmeans_predict(x: npt.NDArray[_F], centers: npt.NDArray[_F]) -> npt.NDArray[np.int64]: ...
def kmeans_transform(x: npt.NDArray[_F], centers: npt.NDArray[_F]) -> npt.NDArray[_F]: ...
def scaler_partial_fit(
    x: npt.NDArray[_F],
    n: int,
    mean: npt.NDArray[np.float64] | None,
    m2: npt.NDArray[np.float64] | None,
) -> tuple[int, npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
def scaler_transform(
    x: npt.NDArray[_F], mean: npt.NDArray[np.float64], scale: npt.NDArray[np.float64]
) -> npt.NDArray[_F]: ...
def scaler_inverse_transform(
    x: npt.NDArray[_F], mean: npt.NDArray[np.float64], scale: npt.NDArray[np.float64]
) -> npt.NDArray[_F]: ...
