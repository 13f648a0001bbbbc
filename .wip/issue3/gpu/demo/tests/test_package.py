"""Package metadata, the native module's contract, and runnable documentation."""

from __future__ import annotations

import doctest
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

import demo as pkg
from demo import _core, _kmeans, _scaler

README = Path(__file__).resolve().parents[1] / "README.md"


def test_version() -> None:
    assert pkg.__version__ == _core.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", pkg.__version__)


def test_public_names() -> None:
    assert sorted(pkg.__all__) == sorted(set(pkg.__all__))
    for name in pkg.__all__:
        assert hasattr(pkg, name)


@pytest.mark.parametrize(
    "call",
    [
        _core.kmeans_predict,
        _core.kmeans_transform,
        lambda x, c: _core.kmeans_fit(x, c, 10, 0.0),
    ],
    ids=["predict", "transform", "fit"],
)
def test_core_rejects_centers_of_another_dtype(call: Callable[[Any, Any], object]) -> None:
    x = np.ones((4, 2), dtype=np.float32)
    with pytest.raises(TypeError):
        call(x, np.ones((2, 2), dtype=np.float64))


def test_core_rejects_unsupported_dtype() -> None:
    with pytest.raises(TypeError):
        _core.kmeans_plusplus(np.ones((4, 2), dtype=np.int64), 2, 0)  # type: ignore[type-var]


def test_core_outputs_are_writeable_and_owned() -> None:
    centers = _core.kmeans_plusplus(np.arange(8.0).reshape(4, 2), 2, 0)
    assert centers.flags.writeable
    assert centers.flags.c_contiguous


@pytest.mark.parametrize("module", [_kmeans, _scaler])
def test_docstring_examples(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


def test_readme_example_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert blocks
    for block in blocks:
        exec(compile(block, str(README), "exec"), {})  # noqa: S102 - our own documentation
