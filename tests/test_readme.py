"""The README's Quickstart holds exactly two commands, and CI runs the second one."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from rustml._targets import load_targets
from rustml._template import load_template

from .helpers import REPO

pytestmark = pytest.mark.unit


def quickstart_commands() -> list[str]:
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", section, re.DOTALL)]


def test_quickstart_has_two_one_line_commands() -> None:
    commands = quickstart_commands()
    assert len(commands) == 2
    assert all("\n" not in c for c in commands)
    assert "rustml new" in commands[0]
    assert "python -m tests.tiers" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text().splitlines()
    assert quickstart_commands()[1] in ci


def test_quickstart_commands_install_what_a_fresh_machine_lacks() -> None:
    """Both start from .ci/install (the Rust pin; everything for the test suite)."""
    first, second = quickstart_commands()
    assert first.startswith("bash .ci/install --rust-only && ")
    assert second.startswith("bash .ci/install && ")


def test_docs_list_every_question() -> None:
    questions = (REPO / "docs" / "questions.md").read_text()
    for key in load_template().asked:
        assert f"`{key}`" in questions, key


def test_docs_site_builds_strict(tmp_path: Path) -> None:
    """`nox -s docs`: mkdocs in strict mode, so a broken link or a page missing from the
    navigation fails here."""
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "rules" / "index.html").is_file()
    assert (tmp_path / "check-schema.json").is_file()


def test_docs_navigation_lists_each_targets_page() -> None:
    """Each target's page (targets.yml: docs) is in mkdocs.yml's navigation, and no page of
    a target the registry does not have."""
    nav = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    listed = set(re.findall(r"(targets/[\w.-]+\.md)", nav)) - {"targets/README.md"}
    assert listed == {t.docs for t in load_targets().values()}
