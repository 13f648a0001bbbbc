"""End to end: a default (cpu-only) project rendered outside the repo, built and checked.

Every check is its own test so a failure names what broke; the same checks run on the
all-targets project in test_targets_e2e.py. Slow: marked ``e2e``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from .helpers import Project, ProjectChecks, make_project

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def project(e2e_root: Path) -> Project:
    return make_project("demo", e2e_root)


class TestProject(ProjectChecks):
    """The checks every generated project passes, on the default project."""


def test_bench_session_quick(project: Project) -> None:
    """`nox -s bench -- --quick`: the table and one JSON record per kernel, case and threads."""
    proc = project.run(sys.executable, "-m", "nox", "-s", "bench", "--", "--quick")
    assert "kernel      case   thr" in proc.stdout + proc.stderr
    results = json.loads((project.root / "target/bench/bench.json").read_text())
    keys = {(r["kernel"], r["baseline"], r["case"], r["threads"]) for r in results["records"]}
    threads = {1, os.cpu_count() or 1}
    kernels = {
        ("lloyd_iter", "sklearn KMeans lloyd"),
        ("lloyd_wtd", "sklearn KMeans lloyd, weighted"),
        ("lloyd_wtd", "ours unweighted"),
        ("predict", "sklearn KMeans.predict"),
        ("scaler_fit", "sklearn StandardScaler.fit"),
        ("scaler_fit", "numpy mean+var"),
    }
    expected = {(k, b, c, t) for k, b in kernels for c in ("large", "small") for t in threads}
    assert keys == expected
    assert len(results["records"]) == len(expected)
    for record in results["records"]:
        assert record["ratio"] > 0
        assert record["bandwidth_fraction"] > 0
