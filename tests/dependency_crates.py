"""The crates of the generated dependency graph, for the answer rules' collision check.

``python -m tests.dependency_crates`` prints the crates an all-targets project's lockfiles
hold that templates/includes/dependency-crates.txt lacks (exit 1 if any); ``--write``
rewrites the file (``nox -s template-names``).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import rustml
import tomllib
from rustml._template import load_template

from .helpers import REPO

LIST = REPO / "templates" / "includes" / "dependency-crates.txt"


def locked_crates(project: Path, own_prefix: str) -> set[str]:
    """Package names in every Cargo.lock of ``project``, the project's own crates left out."""
    names: set[str] = set()
    for lock in project.glob("**/Cargo.lock"):
        names |= set(re.findall(r'(?m)^name = "([^"]+)"$', lock.read_text(encoding="utf-8")))
    return {n for n in names if not n.startswith(f"{own_prefix}-")}


_DEPENDENCY_TABLES = ("dependencies", "dev-dependencies", "build-dependencies")


def _dependency_names(table: Mapping[str, Any]) -> Iterator[str]:
    for section in _DEPENDENCY_TABLES:
        for key, spec in table.get(section, {}).items():
            yield spec.get("package", key) if isinstance(spec, dict) else key


def manifest_crates(project: Path, own_prefix: str) -> set[str]:
    """Crates the project's own Cargo.toml files name: the part of the graph its pins fix.

    The rest of a lockfile (transitive crates) moves with crates.io, so only these are
    under the template's control.
    """
    names: set[str] = set()
    for manifest in project.glob("**/Cargo.toml"):
        if "target" in manifest.relative_to(project).parts:
            continue
        doc = tomllib.loads(manifest.read_text(encoding="utf-8"))
        tables = [doc, doc.get("workspace", {}), *doc.get("target", {}).values()]
        for table in tables:
            names.update(_dependency_names(table))
    return {n for n in names if not n.startswith(f"{own_prefix}-")}


def all_targets_crates() -> set[str]:
    """Render a project with every target (lockfiles resolved) and read its graph."""
    targets = list(load_template().questions["targets"].choices)
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "graphprobe"
        status = rustml.new(project, data={"targets": targets}).lockfile
        if not status.generated:
            raise SystemExit(f"no lockfile: {status.reason}")
        return locked_crates(project, "graphprobe")


def listed() -> set[str]:
    return set(LIST.read_text(encoding="utf-8").split())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the list")
    args = parser.parse_args()
    found = all_targets_crates()
    if args.write:
        LIST.write_text("".join(f"{n}\n" for n in sorted(found | listed())), encoding="utf-8")
        print(f"{LIST.relative_to(REPO)}: {len(found | listed())} crates")
        return 0
    missing = sorted(found - listed())
    for name in missing:
        print(name)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
