"""End to end: a default (cpu-only) project rendered outside the repo, built and checked.

Every check is its own test so a failure names what broke; the same checks run on the
all-targets project in test_targets_e2e.py. Slow: marked ``e2e``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .e2e_checks import (  # noqa: F401 (pytest collects them here, against this project)
    test_builds_leave_no_untracked_artifacts,
    test_cargo_test_workspace,
    test_core_builds_without_std,
    test_formatted_and_lint_clean,
    test_lint_session,
    test_lockfile_is_resolved,
    test_pytest_passes,
    test_readme_example_runs,
)
from .e2e_projects import Project, make_project

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def project(e2e_root: Path) -> Project:
    return make_project("demo", e2e_root)
