"""The committed model-file corpus is what tests/model_corpus.py makes."""

from __future__ import annotations

import pytest

from .model_corpus import files, stale

pytestmark = pytest.mark.unit


def test_the_committed_corpus_is_current() -> None:
    assert stale() == [], "run python -m tests.model_corpus --write"


def test_the_corpus_covers_every_error_kind() -> None:
    kinds = {kind for _, kind in files().values()}
    assert kinds == {
        None, "Container", "NotAModel", "UnsupportedVersion", "MissingMetadata", "Metadata",
        "MissingTensor", "UnexpectedTensor", "Dtype", "Shape", "Value",
    }  # fmt: skip
