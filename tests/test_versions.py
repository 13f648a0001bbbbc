"""Template versions: PEP 440 ordering, the shipped history, and which migrations run."""

from __future__ import annotations

from pathlib import Path

import pytest
import rustml
from rustml._history import SNAPSHOT_DIR, Version, default_history
from rustml._migrations import migrations_between as _migrations
from rustml._template import Template

from .helpers import REPO

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("older", "newer"),
    [
        ("0.1.0", "0.2.0"),
        ("0.2.0", "0.10.0"),  # numeric, not lexical
        ("0.9.9", "1.0.0"),
        ("0.3.0.dev0", "0.3.0a1"),
        ("0.3.0a1", "0.3.0b1"),
        ("0.3.0b1", "0.3.0rc1"),
        ("0.3.0rc1", "0.3.0"),
        ("0.3.0.dev0", "0.3.0.dev1"),
        ("0.2.0", "0.3.0.dev0"),  # a dev release of the next version is newer
        ("0.3.0", "0.3.0.post1"),
    ],
)
def test_versions_order_as_pep_440(older: str, newer: str) -> None:
    assert Version.parse(older) < Version.parse(newer)
    assert Version.parse(newer) > Version.parse(older)
    assert min([Version.parse(newer), Version.parse(older)]) == Version.parse(older)


def test_equal_spellings_are_one_version() -> None:
    assert Version.parse("v0.2.0") == Version.parse("0.2.0")
    assert Version.parse("0.2") == Version.parse("0.2.0")
    assert len({Version.parse("0.2.0"), Version.parse("v0.2.0")}) == 1
    assert Version.parse("v0.2.0").tag == "v0.2.0"
    assert str(Version.parse("0.3.0.dev0").release) == "0.3.0"


@pytest.mark.parametrize("text", ["", "latest", "v", "1.0+local", "1!1.0", "0.2.0-bad-1"])
def test_what_is_not_a_version(text: str) -> None:
    with pytest.raises(ValueError, match="not a rustml version"):
        Version.parse(text)


def test_template_version_is_the_package_version() -> None:
    assert (REPO / "templates/VERSION").read_text().strip() == rustml.__version__


def test_the_package_ships_every_release_before_this_one() -> None:
    shipped = sorted(p.name for p in SNAPSHOT_DIR.glob("v*.tar.gz"))
    assert shipped[:2] == ["v0.1.0.tar.gz", "v0.2.0.tar.gz"]
    history = default_history()
    assert history.current == Version.parse(rustml.__version__)
    assert all(v < history.current for v in history.versions if v != history.current)


def _template(*migrations: dict[str, object]) -> Template:
    return Template(root=Path(), settings={"_migrations": list(migrations)}, questions={})


BEFORE = '{{ _stage == "before" }}'
MIGRATIONS = (
    {"version": "v0.2.0", "when": BEFORE, "command": "git mv -k a b"},
    {"version": "v0.3.0", "command": ["echo", "{{ package_name }}"]},
    {"version": "v0.3.0.dev0", "when": BEFORE, "command": "echo dev"},
    {"version": "v0.4.0", "command": "echo later"},
    {"command": "echo no version: ignored"},
)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("0.1.0", "0.2.0", ["0.2.0"]),  # the target version itself is included
        ("0.2.0", "0.2.0", []),  # the project's own version is not
        ("0.1.0", "0.4.0", ["0.2.0", "0.3.0.dev0", "0.3.0", "0.4.0"]),  # oldest first
        ("0.2.0", "0.3.0.dev0", ["0.3.0.dev0"]),  # a dev release comes before its release
        ("0.3.0.dev0", "0.3.0", ["0.3.0"]),
        ("0.4.0", "0.9.0", []),
    ],
)
def test_migrations_run_for_versions_after_the_project_up_to_the_target(
    old: str, new: str, expected: list[str]
) -> None:
    found = _migrations(
        _template(*MIGRATIONS), Version.parse(old), Version.parse(new), {"package_name": "pkg"}
    )
    assert [str(m.version) for m in found] == expected


def test_migration_stage_and_rendered_command() -> None:
    found = _migrations(
        _template(*MIGRATIONS),
        Version.parse("0.1.0"),
        Version.parse("0.3.0"),
        {"package_name": "pkg"},
    )
    by_version = {str(m.version): m for m in found}
    assert by_version["0.2.0"].stage == "before"
    assert by_version["0.2.0"].command == ("git", "mv", "-k", "a", "b")
    assert by_version["0.3.0"].stage == "after"
    assert by_version["0.3.0"].command == ("echo", "pkg")
