"""The CLI through a real subprocess: exit codes, one-line errors, nothing half-written."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
import rustml
from rustml._template import load_template


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rustml", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=cwd,
        check=False,
    )


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.unit
def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"rustml {rustml.__version__}"


@pytest.mark.unit
def test_new_help_documents_every_question() -> None:
    result = run("new", "--help")
    assert result.returncode == 0
    flat = " ".join(result.stdout.split())
    for key in load_template().asked:
        assert key in flat
    for option in ("--defaults", "--data", "--data-file", "--force"):
        assert option in flat


@pytest.mark.unit
@pytest.mark.parametrize("name", ["1abc", "class", "my project", "fn", "-x", "test", ""])
def test_bad_names_exit_2_with_one_line_and_write_nothing(outside_tmp: Path, name: str) -> None:
    target = outside_tmp / "sub" / name if name else ""
    result = run("new", "--defaults", "--no-lock", "--", str(target))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.stderr
    assert not (outside_tmp / "sub").exists()
    assert list(outside_tmp.iterdir()) == []


@pytest.mark.render
def test_non_empty_destination_is_refused_and_untouched(outside_tmp: Path) -> None:
    dst = outside_tmp / "proj"
    dst.mkdir()
    (dst / "notes.txt").write_text("mine")
    (dst / "Cargo.toml").write_text("[package]\nname = 'mine'\n")
    before = tree_digest(dst)
    result = run("new", str(dst), "--defaults", "--no-lock")
    assert result.returncode == 2
    assert "not empty" in result.stderr
    assert "--force" in result.stderr
    assert tree_digest(dst) == before
    assert sorted(p.name for p in outside_tmp.iterdir()) == ["proj"]


@pytest.mark.render
def test_force_backs_up_what_it_replaces(outside_tmp: Path) -> None:
    dst = outside_tmp / "proj"
    dst.mkdir()
    (dst / "notes.txt").write_text("mine")
    (dst / "Cargo.toml").write_text("[package]\nname = 'mine'\n")
    result = run("new", str(dst), "--defaults", "--no-lock", "--force")
    assert result.returncode == 0, result.stderr
    assert (dst / "notes.txt").read_text() == "mine"
    backups = list(dst.glob(".rustml-backup-*"))
    assert len(backups) == 1
    assert (backups[0] / "Cargo.toml").read_text() == "[package]\nname = 'mine'\n"
    assert "[workspace]" in (dst / "Cargo.toml").read_text()


@pytest.mark.unit
def test_bad_answer_exit_2(outside_tmp: Path) -> None:
    result = run("new", str(outside_tmp / "p"), "--defaults", "--no-lock", "-d", "license=GPL")
    assert result.returncode == 2
    assert result.stderr.startswith("error: license must be one of")
    assert not (outside_tmp / "p").exists()


@pytest.mark.render
def test_json_output(outside_tmp: Path) -> None:
    result = run(
        "new", str(outside_tmp / "My-Proj_2"), "--defaults", "--no-lock", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["answers"]["package_name"] == "my_proj_2"
    assert payload["answers"]["crate_prefix"] == "my-proj-2"
    assert payload["lockfile"]["generated"] is False
    assert ".copier-answers.yml" in payload["files"]


@pytest.mark.render
def test_normalised_names_are_shown(outside_tmp: Path) -> None:
    result = run("new", str(outside_tmp / "My-Proj_2"), "--defaults", "--no-lock")
    assert result.returncode == 0, result.stderr
    assert "'my_proj_2'" in result.stdout
    assert "'my-proj-2-core'" in result.stdout
