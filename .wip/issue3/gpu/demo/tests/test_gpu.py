"""``KMeans(device="gpu")`` against the CPU path, and its failure modes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from sklearn.datasets import make_blobs

import demo
from demo import GpuUnavailableError, InvalidParameterError, KMeans

_UNAVAILABLE_SCRIPT = textwrap.dedent(
    """
    import numpy as np
    import demo
    assert not demo.gpu_available()
    try:
        demo.KMeans(2, device="gpu").fit(np.array([[0.0], [1.0], [5.0]]))
    except demo.GpuUnavailableError as err:
        print("raised:", err)
    else:
        raise SystemExit("no exception")
    """
)


@pytest.mark.usefixtures("gpu")
@pytest.mark.parametrize(
    ("n_samples", "n_features", "n_clusters"), [(20_000, 16, 8), (3_001, 5, 3)]
)
def test_gpu_fit_matches_cpu(n_samples: int, n_features: int, n_clusters: int) -> None:
    x, _ = make_blobs(
        n_samples=n_samples, centers=n_clusters, n_features=n_features, random_state=0
    )
    x = x.astype(np.float32)
    cpu = KMeans(n_clusters, seed=3).fit(x)
    gpu = KMeans(n_clusters, seed=3, device="gpu").fit(x)
    assert gpu.cluster_centers_.dtype == np.float32
    np.testing.assert_array_equal(gpu.labels_, cpu.labels_)
    np.testing.assert_allclose(gpu.cluster_centers_, cpu.cluster_centers_, rtol=0, atol=1e-5)
    assert gpu.n_iter_ == cpu.n_iter_
    assert gpu.inertia_ == pytest.approx(cpu.inertia_, rel=1e-9)
    np.testing.assert_array_equal(gpu.predict(x[:1000]), cpu.predict(x[:1000]))


@pytest.mark.usefixtures("gpu")
def test_gpu_converts_float64_input(blobs: np.ndarray) -> None:
    model = KMeans(4, device="gpu").fit(blobs)
    assert model.cluster_centers_.dtype == np.float32
    expected = KMeans(4).fit(blobs.astype(np.float32))
    np.testing.assert_array_equal(model.labels_, expected.labels_)


def test_gpu_validation_errors_are_the_cpu_ones() -> None:
    with pytest.raises(InvalidParameterError, match="device"):
        KMeans(2, device="tpu").fit([[0.0], [1.0]])  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="gpu_backend"):
        KMeans(2, device="gpu", gpu_backend="metal").fit([[0.0], [1.0]])  # type: ignore[arg-type]


def test_repr_shows_device() -> None:
    assert repr(KMeans(device="gpu", gpu_backend="cuda")) == (
        "KMeans(device='gpu', gpu_backend='cuda')"
    )


def test_unavailable_without_vulkan_driver() -> None:
    """Hide every Vulkan driver from a fresh interpreter: a documented error, no panic."""
    env = dict(os.environ, VK_ICD_FILENAMES="/nonexistent", VK_DRIVER_FILES="/nonexistent")
    result = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", _UNAVAILABLE_SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "raised:" in result.stdout
    assert "panicked" not in result.stderr


def test_cuda_unavailable_raises_documented_error() -> None:
    if demo.gpu_available("cuda"):
        pytest.skip("a CUDA device is present")
    with pytest.raises(GpuUnavailableError):
        KMeans(2, device="gpu", gpu_backend="cuda").fit([[0.0], [1.0], [5.0]])


def test_gpu_available_rejects_unknown_backend() -> None:
    with pytest.raises(InvalidParameterError):
        demo.gpu_available("metal")
