"""Exception hierarchy raised by the package.

Every error derives from the package's base class, so callers can catch all of
them at once. Errors about the input also derive from :class:`ValueError`, so code
written for scikit-learn-style estimators keeps working; :class:`GpuUnavailableError`
(a machine problem) derives from :class:`RuntimeError` instead. The native
extension raises these same classes.
"""

from __future__ import annotations

__all__ = [
    "DemoError",
    "EmptyInputError",
    "FeatureMismatchError",
    "GpuUnavailableError",
    "InvalidParameterError",
    "NonFiniteError",
    "NotFittedError",
    "ShapeError",
    "TooFewSamplesError",
]


class DemoError(Exception):
    """Base class of every error raised by the package."""


class EmptyInputError(DemoError, ValueError):
    """The input has no samples."""


class FeatureMismatchError(DemoError, ValueError):
    """The input has a different number of features than the fitted estimator."""


class NonFiniteError(DemoError, ValueError):
    """The input contains NaN or infinity."""


class TooFewSamplesError(DemoError, ValueError):
    """There are fewer samples than requested clusters."""


class InvalidParameterError(DemoError, ValueError):
    """A hyper-parameter is out of its valid range or of the wrong type."""


class ShapeError(DemoError, ValueError):
    """The input has the wrong number of dimensions or an inconsistent shape."""


class GpuUnavailableError(DemoError, RuntimeError):
    """``device="gpu"`` was requested but no GPU can be used.

    Raised when the package was built without GPU support, when the requested
    ``gpu_backend`` is not compiled in, or when no device/driver is found (for
    ``"wgpu"``: no Vulkan driver; on Debian/Ubuntu ``apt-get install
    mesa-vulkan-drivers`` provides a CPU implementation). It is a
    :class:`RuntimeError`, not a :class:`ValueError`: the input is fine, the
    machine is not.
    """


class NotFittedError(DemoError, ValueError, AttributeError):
    """The estimator was used before :meth:`fit` was called.

    It is also an :class:`AttributeError`, because the fitted attributes do not
    exist yet.
    """
