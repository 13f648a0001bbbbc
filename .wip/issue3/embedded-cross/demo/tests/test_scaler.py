"""Behaviour of StandardScaler, checked against NumPy and scikit-learn."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from sklearn.preprocessing import StandardScaler as SklearnStandardScaler

from demo import StandardScaler

Array = npt.NDArray[np.float64]


@pytest.fixture
def data(rng: np.random.Generator) -> Array:
    """Features of very different location and spread."""
    return rng.normal(loc=[0.0, -5.0, 1e3, 3.0], scale=[1.0, 0.01, 50.0, 7.0], size=(1000, 4))


def test_statistics_match_numpy(data: Array) -> None:
    scaler = StandardScaler().fit(data)

    assert scaler.n_samples_seen_ == data.shape[0]
    assert scaler.n_features_in_ == data.shape[1]
    np.testing.assert_allclose(scaler.mean_, data.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(scaler.var_, data.var(axis=0), rtol=1e-12)
    np.testing.assert_allclose(scaler.scale_, data.std(axis=0), rtol=1e-12)
    for attribute in (scaler.mean_, scaler.var_, scaler.scale_):
        assert attribute.dtype == np.float64


def test_transform_matches_numpy_and_sklearn(data: Array) -> None:
    scaler = StandardScaler().fit(data)
    ref = SklearnStandardScaler().fit(data)
    expected = (data - data.mean(axis=0)) / data.std(axis=0)

    np.testing.assert_allclose(scaler.transform(data), expected, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(scaler.transform(data), ref.transform(data), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(scaler.fit_transform(data), expected, rtol=1e-9, atol=1e-12)


def test_inverse_transform_round_trips(data: Array) -> None:
    scaler = StandardScaler().fit(data)

    np.testing.assert_allclose(scaler.inverse_transform(scaler.transform(data)), data, rtol=1e-12)


@pytest.mark.parametrize("sizes", [[1, 999], [300, 300, 400], [7] * 142 + [6]])
def test_partial_fit_over_chunks_equals_fit(data: Array, sizes: list[int]) -> None:
    whole = StandardScaler().fit(data)
    chunked = StandardScaler()
    for chunk in np.split(data, np.cumsum(sizes)[:-1]):
        chunked.partial_fit(chunk)

    assert chunked.n_samples_seen_ == whole.n_samples_seen_
    np.testing.assert_allclose(chunked.mean_, whole.mean_, rtol=1e-12)
    np.testing.assert_allclose(chunked.var_, whole.var_, rtol=1e-10)


def test_fit_discards_previous_statistics(data: Array) -> None:
    scaler = StandardScaler().fit(data[:10]).fit(data)

    np.testing.assert_array_equal(scaler.mean_, StandardScaler().fit(data).mean_)
    assert scaler.n_samples_seen_ == data.shape[0]


def test_large_offset_is_numerically_stable(rng: np.random.Generator) -> None:
    x = 1e9 + rng.normal(size=(10_000, 2))
    scaler = StandardScaler()
    for chunk in np.array_split(x, 7):
        scaler.partial_fit(chunk)

    np.testing.assert_allclose(scaler.var_, x.var(axis=0), rtol=1e-6)


def test_constant_feature_gets_unit_scale() -> None:
    x = np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]])
    scaler = StandardScaler().fit(x)

    assert scaler.var_[1] == 0.0
    assert scaler.scale_[1] == 1.0
    np.testing.assert_array_equal(scaler.transform(x)[:, 1], [0.0, 0.0, 0.0])


def test_float32_stays_float32(data: Array) -> None:
    x = data.astype(np.float32)
    scaler = StandardScaler().fit(x)
    out = scaler.transform(x)

    assert scaler.mean_.dtype == np.float64
    assert out.dtype == np.float32
    assert scaler.inverse_transform(out).dtype == np.float32
    np.testing.assert_allclose(
        out, StandardScaler().fit_transform(x.astype(np.float64)), rtol=1e-4, atol=1e-4
    )


def test_integer_input_becomes_float64() -> None:
    x = np.array([[1, 2], [3, 4], [5, 9]], dtype=np.int64)
    scaler = StandardScaler().fit(x)

    assert scaler.transform(x).dtype == np.float64
    np.testing.assert_array_equal(
        scaler.transform(x), StandardScaler().fit_transform(x.astype(np.float64))
    )


def test_non_contiguous_input(data: Array) -> None:
    strided = data[::2, ::2]
    fortran = np.asfortranarray(data)
    assert not strided.flags.c_contiguous
    assert not fortran.flags.c_contiguous

    np.testing.assert_array_equal(
        StandardScaler().fit_transform(strided),
        StandardScaler().fit_transform(np.ascontiguousarray(strided)),
    )
    np.testing.assert_array_equal(
        StandardScaler().fit_transform(fortran), StandardScaler().fit_transform(data)
    )


def test_one_sample() -> None:
    scaler = StandardScaler().fit([[1.0, -2.0]])

    np.testing.assert_array_equal(scaler.mean_, [1.0, -2.0])
    np.testing.assert_array_equal(scaler.var_, [0.0, 0.0])
    np.testing.assert_array_equal(scaler.scale_, [1.0, 1.0])
    np.testing.assert_array_equal(scaler.transform([[1.0, -2.0]]), [[0.0, 0.0]])


def test_repr() -> None:
    assert repr(StandardScaler()) == "StandardScaler()"
