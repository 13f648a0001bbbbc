"""k-means clustering estimator."""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from . import _core
from ._validation import (
    FloatArray,
    check_array,
    check_float,
    check_int,
    check_is_fitted,
    check_n_features,
)
from .exceptions import InvalidParameterError, NonFiniteError, ShapeError

__all__ = ["KMeans"]

_INIT_METHODS = ("k-means++", "random")
_DEVICES = ("cpu", "gpu")
_GPU_BACKENDS = ("wgpu", "cuda")
_MAX_SEED = 2**64 - 1


class KMeans:
    """k-means clustering with Lloyd's algorithm.

    The interface follows scikit-learn: hyper-parameters are stored unchanged by
    the constructor and validated by :meth:`fit`, and fitted attributes end with
    an underscore. Float32 and float64 inputs are computed in their own
    precision; other dtypes are converted to float64.

    Iterations stop when the labels no longer change, when the sum of squared
    centroid shifts is at most ``tol`` times the mean per-feature variance of
    the data, or after ``max_iter`` iterations. A cluster that loses all its
    samples keeps its previous centroid.

    Args:
        n_clusters: Number of clusters.
        max_iter: Maximum number of Lloyd iterations.
        tol: Relative tolerance on the centroid shift that declares convergence.
        seed: Seed of the random number generator used by the initialisation.
        init: ``"k-means++"``, ``"random"`` (``n_clusters`` distinct samples),
            or an array of shape ``(n_clusters, n_features)`` of initial centroids.
        device: ``"cpu"`` or ``"gpu"``. On the GPU the assignment step of every
            iteration (and :meth:`predict`) runs in a compute kernel; the data
            is converted to float32 and the fitted centroids are float32. Given
            the same ``init``, the result equals the CPU fit on float32 data
            up to distance rounding on the device. Needs a build with the
            ``gpu`` cargo feature; otherwise, or without a usable device,
            :meth:`fit` raises :class:`~demo.exceptions.GpuUnavailableError`.
        gpu_backend: ``"wgpu"`` (WGSL on Vulkan; Mesa's lavapipe works on any
            machine) or ``"cuda"`` (NVIDIA; build feature ``cuda``).

    Attributes:
        cluster_centers_: Centroids, shape ``(n_clusters, n_features)``.
        labels_: Index of the centroid of each training sample.
        inertia_: Sum of squared distances of the samples to their centroid.
        n_iter_: Number of iterations run.
        n_features_in_: Number of features seen during :meth:`fit`.

    Example:
        >>> import numpy as np
        >>> from demo import KMeans
        >>> x = np.array([[0.0, 0.0], [0.0, 1.0], [10.0, 10.0], [10.0, 11.0]])
        >>> model = KMeans(n_clusters=2, init=x[[0, 2]]).fit(x)
        >>> model.labels_
        array([0, 0, 1, 1])
        >>> model.predict([[9.0, 9.0]])
        array([1])
    """

    cluster_centers_: FloatArray
    labels_: npt.NDArray[np.int64]
    inertia_: float
    n_iter_: int
    n_features_in_: int

    def __init__(
        self,
        n_clusters: int = 8,
        *,
        max_iter: int = 300,
        tol: float = 1e-4,
        seed: int = 0,
        init: Literal["k-means++", "random"] | npt.ArrayLike = "k-means++",
        device: Literal["cpu", "gpu"] = "cpu",
        gpu_backend: Literal["wgpu", "cuda"] = "wgpu",
    ) -> None:
        self.n_clusters = n_clusters
        self.max_iter = max_iter
        self.tol = tol
        self.seed = seed
        self.init = init
        self.device = device
        self.gpu_backend = gpu_backend

    def __repr__(self) -> str:
        defaults = {"n_clusters": 8, "max_iter": 300, "tol": 1e-4, "seed": 0}
        params = [
            f"{name}={getattr(self, name)!r}"
            for name, default in defaults.items()
            if getattr(self, name) != default
        ]
        if not isinstance(self.init, str) or self.init != "k-means++":
            params.append(f"init={self.init!r}")
        if self.device != "cpu":
            params.append(f"device={self.device!r}")
        if self.gpu_backend != "wgpu":
            params.append(f"gpu_backend={self.gpu_backend!r}")
        return f"{type(self).__name__}({', '.join(params)})"

    def fit(self, x: npt.ArrayLike) -> KMeans:
        """Compute the clustering of ``x``.

        Args:
            x: Training data of shape ``(n_samples, n_features)``.

        Returns:
            The fitted estimator.

        Raises:
            InvalidParameterError: If a hyper-parameter is invalid.
            ShapeError: If ``x`` or an array ``init`` has the wrong shape.
            EmptyInputError: If ``x`` has no samples.
            NonFiniteError: If ``x`` or ``init`` contains NaN or infinity.
            TooFewSamplesError: If ``n_clusters`` exceeds the number of samples.
            GpuUnavailableError: If ``device="gpu"`` and no GPU can be used.
        """
        n_clusters = check_int("n_clusters", self.n_clusters, low=1)
        max_iter = check_int("max_iter", self.max_iter, low=1)
        tol = check_float("tol", self.tol, low=0.0)
        seed = check_int("seed", self.seed, low=0, high=_MAX_SEED)
        gpu_backend = self._gpu_backend()
        data = check_array(x, dtype=np.float32 if gpu_backend else None)
        init = self._initial_centers(data, n_clusters, seed)
        if gpu_backend:
            fitted = _core.kmeans_fit_gpu(data, init, max_iter, tol, gpu_backend)
        else:
            fitted = _core.kmeans_fit(data, init, max_iter, tol)
        centers, labels, inertia, n_iter = fitted
        self.cluster_centers_ = centers
        self.labels_ = labels
        self.inertia_ = inertia
        self.n_iter_ = n_iter
        self.n_features_in_ = data.shape[1]
        return self

    def fit_predict(self, x: npt.ArrayLike) -> npt.NDArray[np.int64]:
        """Fit the estimator and return the label of each sample of ``x``."""
        return self.fit(x).labels_

    def predict(self, x: npt.ArrayLike) -> npt.NDArray[np.int64]:
        """Return the index of the nearest centroid of each sample.

        ``x`` is converted to the dtype of :attr:`cluster_centers_`. Ties go to
        the lowest index.

        Args:
            x: Data of shape ``(n_samples, n_features_in_)``.

        Returns:
            int64 labels of shape ``(n_samples,)``.

        Raises:
            NotFittedError: If the estimator is not fitted.
            FeatureMismatchError: If ``x`` has the wrong number of features.
            GpuUnavailableError: If ``device="gpu"`` and no GPU can be used.
        """
        data = self._check_input(x)
        gpu_backend = self._gpu_backend()
        if gpu_backend:
            return _core.kmeans_predict_gpu(
                data.astype(np.float32, copy=False),
                self.cluster_centers_.astype(np.float32, copy=False),
                gpu_backend,
            )
        return _core.kmeans_predict(data, self.cluster_centers_)

    def transform(self, x: npt.ArrayLike) -> FloatArray:
        """Return the Euclidean distance of each sample to each centroid.

        Args:
            x: Data of shape ``(n_samples, n_features_in_)``.

        Returns:
            Distances of shape ``(n_samples, n_clusters)``, in the dtype of
            :attr:`cluster_centers_`.

        Raises:
            NotFittedError: If the estimator is not fitted.
            FeatureMismatchError: If ``x`` has the wrong number of features.
        """
        return _core.kmeans_transform(self._check_input(x), self.cluster_centers_)

    def fit_transform(self, x: npt.ArrayLike) -> FloatArray:
        """Fit the estimator and return the distances of ``x`` to the centroids."""
        data = check_array(x)
        return self.fit(data).transform(data)

    def _gpu_backend(self) -> str | None:
        """The validated GPU backend name, or ``None`` for ``device="cpu"``."""
        if self.device not in _DEVICES:
            msg = f"device must be one of {_DEVICES}, got {self.device!r}"
            raise InvalidParameterError(msg)
        if self.gpu_backend not in _GPU_BACKENDS:
            msg = f"gpu_backend must be one of {_GPU_BACKENDS}, got {self.gpu_backend!r}"
            raise InvalidParameterError(msg)
        return self.gpu_backend if self.device == "gpu" else None

    def _check_input(self, x: npt.ArrayLike) -> FloatArray:
        check_is_fitted(self, "cluster_centers_")
        data = check_array(x, dtype=self.cluster_centers_.dtype)
        check_n_features(data, self.n_features_in_)
        return data

    def _initial_centers(self, x: FloatArray, n_clusters: int, seed: int) -> FloatArray:
        if isinstance(self.init, str):
            if self.init == "k-means++":
                return _core.kmeans_plusplus(x, n_clusters, seed)
            if self.init == "random":
                return _core.kmeans_random_init(x, n_clusters, seed)
            msg = f"init must be one of {_INIT_METHODS} or an array, got {self.init!r}"
            raise InvalidParameterError(msg)
        centers = np.asarray(self.init, dtype=x.dtype)
        if centers.shape != (n_clusters, x.shape[1]):
            msg = f"init must have shape {(n_clusters, x.shape[1])}, got {centers.shape}"
            raise ShapeError(msg)
        if not np.isfinite(centers).all():
            msg = "init contains NaN or infinity"
            raise NonFiniteError(msg)
        return centers
