"""Snapshots of every variant's render, and the variant list itself."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rustml
import yaml
from rustml._template import load_template
from rustml._variants import template_variants, variants

from .e2e_projects import REPO
from .snapshots import stale


def test_render_snapshots_are_current() -> None:
    problems = stale()
    assert not problems, "".join(problems) + "\nrefresh with: nox -s render -- --update"


def test_an_unrefreshed_template_edit_fails_with_a_readable_diff(tmp_path: Path) -> None:
    copy = shutil.copytree(REPO / "templates", tmp_path / "templates")
    pyproject = copy / "project" / "pyproject.toml.jinja"
    pyproject.write_text(
        pyproject.read_text().replace(
            '"Typing :: Typed",', '"Typing :: Typed",\n    "Framework :: Pytest",'
        )
    )
    problems = stale(template=copy)
    assert len(problems) == len(variants())  # pyproject.toml is in every variant
    first = problems[0]
    assert "(committed)" in first
    assert "(rendered now)" in first
    assert '+    "Framework :: Pytest",' in first  # shown in full: the line that changed
    assert "  pyproject.toml" in first  # and its hash line


def test_every_choice_value_is_covered() -> None:
    found = variants()
    assert len({v.name for v in found}) == len(found)
    targets = {t for v in found for t in v.targets}
    assert targets == {"cpu", "gpu", "wasm", "embedded"}
    assert ("cpu", "gpu", "wasm", "embedded") in {v.targets for v in found}
    seen: dict[str, set[str]] = {}
    for variant in found:
        for key, value in variant.options.items():
            seen.setdefault(key, set()).add(str(value))
    assert seen["license"] == {"Apache-2.0", "MIT OR Apache-2.0", "BSD-3-Clause", "Proprietary"}
    assert seen["python_min"] == {"3.11", "3.12", "3.13"}
    assert seen["ci"] == {"none"}
    assert seen["vendor"] == {"True"}


def test_a_new_choice_in_copier_yml_is_a_new_variant(tmp_path: Path) -> None:
    """On a copy of the template: a new target and a new license need no noxfile edit."""
    copy = shutil.copytree(REPO / "templates", tmp_path / "templates")
    config = yaml.safe_load((copy / "copier.yml").read_text())
    config["targets"]["choices"]["npu"] = "npu"
    config["license"]["choices"].append("ISC")
    (copy / "copier.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    before = {v.name for v in variants()}
    after = {v.name for v in template_variants(copy)}
    assert "cpu+npu" in {n.split(",")[0] for n in after}
    assert any("license=ISC" in n for n in after)
    assert len(after) > len(before)


@pytest.mark.parametrize("python_min", load_template().questions["python_min"].choices)
def test_generated_python_is_ruff_clean_for_every_python_min(
    python_min: str, outside_tmp: Path
) -> None:
    """ruff's pyupgrade rules follow target-version: what is clean for 3.10 must stay
    clean for 3.13 (the matrix's python_min=3.12 variant found UP040/UP047)."""
    project = rustml.new(outside_tmp / "p", data={"python_min": python_min}, lockfile=False)
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."],
        cwd=project.path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout[-3000:]
