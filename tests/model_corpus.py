"""The model-file corpus every generated project tests its readers with.

``python -m tests.model_corpus --write`` writes templates/project/tests/model_corpus/: one
safetensors file per way a model file can be broken (hand-made here byte by byte, so
that no writer's validation stands in the way), two valid ones, and ``expected.json``
(file -> the ModelError kind each reader must report, or null for a valid model). The
project's Rust, Python, WebAssembly and server tests read the same files;
tests/test_model_corpus.py keeps the committed corpus equal to this script's output.
"""

from __future__ import annotations

import argparse
import json
import struct
import sys
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[1] / "templates" / "project" / "tests" / "model_corpus"

Tensor = tuple[str, list[int], bytes]  # dtype, shape, raw little-endian data


def f32(*values: float) -> bytes:
    return struct.pack(f"<{len(values)}f", *values)


def f64(*values: float) -> bytes:
    return struct.pack(f"<{len(values)}d", *values)


def container(tensors: dict[str, Tensor], metadata: dict[str, str] | None) -> bytes:
    """A safetensors file: header length, JSON header, the tensors' data in order."""
    header: dict[str, Any] = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    offset = 0
    data = b""
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        data += raw
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # safetensors pads the header to 8 bytes
    return struct.pack("<Q", len(text)) + text + data


#: A valid model's parts: 3 clusters of 2 features, behind a scaler.
CENTROIDS = f32(-1.5, -1.0, 0.0, 0.5, 1.5, 1.0)
MEAN = f64(10.0, -2.0)
SCALE = f64(2.0, 0.5)


def meta(**changes: str | None) -> dict[str, str]:
    base = {
        "format": "kmeans",
        "format_version": "1",
        "kind": "standard_scaler+kmeans",
        "n_features": "2",
        "n_clusters": "3",
        "generator": "model_corpus 1",
        "feature_names": '["height", "width"]',
    }
    for key, value in changes.items():
        if value is None:
            base.pop(key, None)
        else:
            base[key] = value
    return base


def pipeline(**tensors: Tensor | None) -> dict[str, Tensor]:
    parts: dict[str, Tensor | None] = {
        "centroids": ("F32", [3, 2], CENTROIDS),
        "scaler.mean": ("F64", [2], MEAN),
        "scaler.scale": ("F64", [2], SCALE),
    }
    parts.update({k.replace("__", "."): v for k, v in tensors.items()})
    return {k: v for k, v in parts.items() if v is not None}


def files() -> dict[str, tuple[bytes, str | None]]:
    """file name -> (bytes, the ModelError kind a reader reports; None: valid)."""
    good = container(pipeline(), meta())
    kmeans_only = container(
        {"centroids": ("F64", [2, 3], f64(0, 0, 0, 10, 10, 10))},
        meta(kind="kmeans", n_features="3", n_clusters="2", feature_names=None),
    )
    huge_header = struct.pack("<Q", 10**9) + b"{}"
    bad_offsets = good.replace(b'"data_offsets":[0,24]', b'"data_offsets":[0,99]', 1)
    overflow = container({"centroids": ("F32", [2**40, 2**40], b"")}, meta())
    return {
        "good-pipeline.safetensors": (good, None),
        "good-kmeans.safetensors": (kmeans_only, None),
        "empty.safetensors": (b"", "Container"),
        "short.safetensors": (b"\x10\x00\x00", "Container"),
        "truncated.safetensors": (good[:-5], "Container"),
        "huge-header.safetensors": (huge_header, "Container"),
        "header-not-json.safetensors": (struct.pack("<Q", 8) + b"not json", "Container"),
        "bad-offsets.safetensors": (bad_offsets, "Container"),
        "shape-overflow.safetensors": (overflow, "Container"),
        "no-metadata.safetensors": (container(pipeline(), None), "NotAModel"),
        "other-format.safetensors": (container(pipeline(), meta(format="gguf")), "NotAModel"),
        "newer-version.safetensors": (
            container(pipeline(), meta(format_version="2")),
            "UnsupportedVersion",
        ),
        "no-n-features.safetensors": (
            container(pipeline(), meta(n_features=None)),
            "MissingMetadata",
        ),
        "negative-n-features.safetensors": (
            container(pipeline(), meta(n_features="-2")),
            "Metadata",
        ),
        "absurd-n-features.safetensors": (
            container(pipeline(), meta(n_features="99999999999999999999999999")),
            "Metadata",
        ),
        "zero-clusters.safetensors": (container(pipeline(), meta(n_clusters="0")), "Metadata"),
        "unknown-kind.safetensors": (container(pipeline(), meta(kind="gmm")), "Metadata"),
        "feature-names-mismatch.safetensors": (
            container(pipeline(), meta(feature_names='["only"]')),
            "Metadata",
        ),
        "missing-scale.safetensors": (
            container(pipeline(scaler__scale=None), meta()),
            "MissingTensor",
        ),
        "extra-tensor.safetensors": (
            container(pipeline(bias=("F32", [3], f32(0, 0, 0))), meta()),
            "UnexpectedTensor",
        ),
        "integer-centroids.safetensors": (
            container(pipeline(centroids=("I32", [3, 2], struct.pack("<6i", *range(6)))), meta()),
            "Dtype",
        ),
        "f32-scaler.safetensors": (
            container(pipeline(scaler__mean=("F32", [2], f32(10, -2))), meta()),
            "Dtype",
        ),
        "wrong-shape.safetensors": (
            container(pipeline(centroids=("F32", [2, 3], CENTROIDS)), meta()),
            "Shape",
        ),
        "nan-centroid.safetensors": (
            container(
                pipeline(centroids=("F32", [3, 2], f32(0, float("nan"), 0, 0, 1, 1))), meta()
            ),
            "Value",
        ),
        "infinite-mean.safetensors": (
            container(pipeline(scaler__mean=("F64", [2], f64(float("inf"), 0))), meta()),
            "Value",
        ),
        "zero-scale.safetensors": (
            container(pipeline(scaler__scale=("F64", [2], f64(1, 0))), meta()),
            "Value",
        ),
    }


def expected() -> str:
    return json.dumps({name: kind for name, (_, kind) in files().items()}, indent=2) + "\n"


def stale() -> list[str]:
    """Corpus files that differ from this script's output (or are missing or extra)."""
    want = {name: data for name, (data, _) in files().items()}
    problems = [
        n for n, d in want.items() if not (CORPUS / n).is_file() or (CORPUS / n).read_bytes() != d
    ]
    extra = {p.name for p in CORPUS.glob("*.safetensors")} - set(want)
    manifest = CORPUS / "expected.json"
    if not manifest.is_file() or manifest.read_text() != expected():
        problems.append("expected.json")
    return sorted(problems + sorted(extra))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the committed corpus")
    args = parser.parse_args()
    if args.write:
        CORPUS.mkdir(parents=True, exist_ok=True)
        for old in CORPUS.glob("*.safetensors"):
            old.unlink()
        for name, (data, _) in files().items():
            (CORPUS / name).write_bytes(data)
        (CORPUS / "expected.json").write_text(expected())
    problems = stale()
    for problem in problems:
        print(f"stale: {problem}", file=sys.stderr)  # noqa: T201
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
