"""End to end: a default (cpu-only) project rendered outside the repo, built and checked.

Every check is its own test so a failure names what broke; the same checks run on the
all-targets project in test_targets_e2e.py. Slow: marked ``e2e``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .e2e_checks import *  # noqa: F403 (pytest collects the common checks here)
from .e2e_projects import Project, make_project

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def project(e2e_root: Path) -> Project:
    return make_project("demo", e2e_root)
