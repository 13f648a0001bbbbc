"""Feature standardisation estimator."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from . import _core
from ._validation import FloatArray, check_array, check_is_fitted, check_n_features

__all__ = ["StandardScaler"]

_FITTED_ATTRIBUTES = ("mean_", "var_", "scale_", "n_samples_seen_", "n_features_in_", "_m2")


class StandardScaler:
    """Standardise features by removing the mean and scaling to unit variance.

    Statistics are accumulated in float64 whatever the input dtype, with
    Welford updates merged by Chan et al.'s formula, so :meth:`partial_fit` over
    chunks gives the same result as :meth:`fit` on their concatenation up to
    rounding. The variance is the population variance (``ddof=0``) and a
    feature of zero variance gets a scale of 1, as in scikit-learn.
    Transformed arrays keep the dtype of their input.

    Attributes:
        mean_: Per-feature mean, float64.
        var_: Per-feature population variance, float64.
        scale_: Per-feature standard deviation with zeros replaced by 1, float64.
        n_samples_seen_: Number of samples seen so far.
        n_features_in_: Number of features seen during fitting.

    Example:
        >>> from demo import StandardScaler
        >>> scaler = StandardScaler().fit([[0.0, 1.0], [2.0, 1.0]])
        >>> scaler.mean_, scaler.scale_
        (array([1., 1.]), array([1., 1.]))
        >>> scaler.transform([[2.0, 3.0]])
        array([[1., 2.]])
    """

    mean_: npt.NDArray[np.float64]
    var_: npt.NDArray[np.float64]
    scale_: npt.NDArray[np.float64]
    n_samples_seen_: int
    n_features_in_: int
    _m2: npt.NDArray[np.float64]

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def fit(self, x: npt.ArrayLike) -> StandardScaler:
        """Compute the mean and variance of ``x``, discarding earlier statistics.

        Args:
            x: Training data of shape ``(n_samples, n_features)``.

        Returns:
            The fitted estimator.

        Raises:
            ShapeError: If ``x`` is not 2-D.
            EmptyInputError: If ``x`` has no samples.
            NonFiniteError: If ``x`` contains NaN or infinity.
        """
        for name in _FITTED_ATTRIBUTES:
            self.__dict__.pop(name, None)
        return self.partial_fit(x)

    def partial_fit(self, x: npt.ArrayLike) -> StandardScaler:
        """Update the mean and variance with the samples of ``x``.

        Args:
            x: A batch of shape ``(n_samples, n_features)``.

        Returns:
            The updated estimator.

        Raises:
            ShapeError: If ``x`` is not 2-D.
            EmptyInputError: If ``x`` has no samples.
            NonFiniteError: If ``x`` contains NaN or infinity.
            FeatureMismatchError: If ``x`` has a different number of features
                than earlier batches.
        """
        data = check_array(x)
        if hasattr(self, "n_samples_seen_"):
            check_n_features(data, self.n_features_in_)
            n, mean, m2 = _core.scaler_partial_fit(data, self.n_samples_seen_, self.mean_, self._m2)
        else:
            n, mean, m2 = _core.scaler_partial_fit(data, 0, None, None)
        var = m2 / n
        scale = np.sqrt(var)
        scale[scale == 0.0] = 1.0
        self.n_samples_seen_ = n
        self.n_features_in_ = data.shape[1]
        self.mean_ = mean
        self.var_ = var
        self.scale_ = scale
        self._m2 = m2
        return self

    def transform(self, x: npt.ArrayLike) -> FloatArray:
        """Return ``(x - mean_) / scale_``, in the dtype of ``x``.

        Raises:
            NotFittedError: If the estimator is not fitted.
            FeatureMismatchError: If ``x`` has the wrong number of features.
        """
        return _core.scaler_transform(self._check_input(x), self.mean_, self.scale_)

    def inverse_transform(self, x: npt.ArrayLike) -> FloatArray:
        """Return ``x * scale_ + mean_``, in the dtype of ``x``.

        Raises:
            NotFittedError: If the estimator is not fitted.
            FeatureMismatchError: If ``x`` has the wrong number of features.
        """
        return _core.scaler_inverse_transform(self._check_input(x), self.mean_, self.scale_)

    def fit_transform(self, x: npt.ArrayLike) -> FloatArray:
        """Fit the estimator on ``x`` and return ``x`` standardised."""
        data = check_array(x)
        return self.fit(data).transform(data)

    def _check_input(self, x: npt.ArrayLike) -> FloatArray:
        check_is_fitted(self, "mean_")
        data = check_array(x)
        check_n_features(data, self.n_features_in_)
        return data
