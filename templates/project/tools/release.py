"""Release checks: ``python tools/release.py check-tag [TAG]`` (Python >= 3.11).

The version lives in one place, ``[workspace.package] version`` in Cargo.toml: every crate
inherits it and pyproject.toml takes it from there (``dynamic = ["version"]``, maturin).
A release tag must be that version with a ``v`` in front (``v1.2.3`` for ``1.2.3``).
Without TAG the tag comes from GitHub Actions' environment (``GITHUB_REF_TYPE`` and
``GITHUB_REF_NAME``); a run that is not for a tag only prints the version. Exit status 1
and one line when the tag and the version differ, or the version is not in one place.
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def workspace_version() -> str:
    """The version every crate and the Python package carry; SystemExit if it is not single."""
    cargo = tomllib.loads((ROOT / "Cargo.toml").read_text(encoding="utf-8"))
    version = cargo["workspace"]["package"]["version"]
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    if "version" in pyproject["project"] or "version" not in pyproject["project"]["dynamic"]:
        raise SystemExit("release: pyproject.toml must take its version from Cargo.toml (dynamic)")
    for manifest in sorted(ROOT.glob("crates/*/Cargo.toml")):
        package = tomllib.loads(manifest.read_text(encoding="utf-8"))["package"]
        if package.get("version") != {"workspace": True}:
            rel = manifest.relative_to(ROOT).as_posix()
            raise SystemExit(f"release: {rel} must use version.workspace = true")
    return str(version)


def check_tag(tag: str | None) -> int:
    """0 when ``tag`` (or the Actions run's tag) names the workspace version, else 1."""
    version = workspace_version()
    if tag is None and os.environ.get("GITHUB_REF_TYPE") == "tag":
        tag = os.environ.get("GITHUB_REF_NAME")
    if tag is None:
        print(f"version {version} (not a tag: nothing to compare)")
        return 0
    if tag != f"v{version}":
        print(f"release: tag {tag} is not the package's version v{version} (Cargo.toml)")
        return 1
    print(f"tag {tag} is the package's version")
    return 0


def main(argv: list[str]) -> int:
    """The command line: ``check-tag [TAG]``."""
    if not argv or argv[0] != "check-tag" or len(argv) > 2:
        sys.stderr.write("usage: python tools/release.py check-tag [TAG]\n")
        return 2
    return check_tag(argv[1] if len(argv) == 2 else None)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
