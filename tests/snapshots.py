"""Render snapshots: every variant's file list (with content hashes) and key files.

`python -m tests.snapshots` compares fresh renders of every variant with the committed
snapshots in tests/snapshots/ and prints a unified diff for each stale one (exit 1);
`--update` rewrites them. `nox -s render` runs it; tests/test_snapshots.py fails on a
stale snapshot, so a template edit lands together with its reviewed effect.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import sys
import tempfile
from pathlib import Path

import rustml
from rustml._render import render as render_template
from rustml._spec import ProjectSpec, resolve_answers
from rustml._template import load_template
from rustml._variants import PROJECT_NAME, Variant, variants

SNAPSHOT_DIR = Path(__file__).resolve().parent / "snapshots"
#: Files shown in full (the rest by hash): the ones a reviewer reads first.
SHOWN = ("Cargo.toml", "pyproject.toml", ".copier-answers.yml")


def render(variant: Variant, root: Path, template: Path | None = None) -> Path:
    """Render `variant` under `root` (outside any cargo workspace) without a lockfile,
    from rustml's template or the one at `template`."""
    path = root / variant.name.replace("/", "_") / PROJECT_NAME
    if template is None:
        rustml.new(path, data=variant.answers, lockfile=False)
    else:
        render_from(template, variant, path)
    return path


def render_from(template: Path, variant: Variant, dst: Path) -> ProjectSpec:
    """Render `variant` from the template at `template` (not rustml's own) into `dst`."""
    loaded = load_template(template)
    spec = resolve_answers(loaded, PROJECT_NAME, variant.answers)
    render_template(loaded, dst, data=spec.as_data(), interactive=False)
    return spec


def snapshot_text(project: Path) -> str:
    files = sorted(p for p in project.rglob("*") if p.is_file())
    lines = ["# rustml render snapshot; refresh with: nox -s render -- --update"]
    for path in files:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        lines.append(f"{digest}  {path.relative_to(project).as_posix()}")
    for rel in SHOWN:
        if (project / rel).is_file():
            lines += ["", f"=== {rel} ===", (project / rel).read_text(encoding="utf-8").rstrip()]
    return "\n".join(lines) + "\n"


def snapshot_path(variant: Variant) -> Path:
    return SNAPSHOT_DIR / f"{variant.name}.txt"


def stale(update: bool = False, template: Path | None = None) -> list[str]:
    """Diffs of every variant whose render differs from its snapshot (rewritten if `update`)."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="rustml-snapshots-") as tmp:
        wanted = set()
        for variant in variants():
            target = snapshot_path(variant)
            wanted.add(target.name)
            fresh = snapshot_text(render(variant, Path(tmp), template))
            old = target.read_text(encoding="utf-8") if target.is_file() else ""
            if fresh == old:
                continue
            if update:
                SNAPSHOT_DIR.mkdir(exist_ok=True)
                target.write_text(fresh, encoding="utf-8")
                continue
            diff = difflib.unified_diff(
                old.splitlines(keepends=True),
                fresh.splitlines(keepends=True),
                fromfile=f"tests/snapshots/{target.name} (committed)",
                tofile=f"{variant.name} (rendered now)",
            )
            problems.append("".join(diff))
        for orphan in sorted(SNAPSHOT_DIR.glob("*.txt")):
            if orphan.name not in wanted:
                if update:
                    orphan.unlink()
                else:
                    problems.append(f"tests/snapshots/{orphan.name}: no such variant any more\n")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="rewrite stale snapshots")
    args = parser.parse_args()
    problems = stale(update=args.update)
    for problem in problems:
        sys.stdout.write(problem)
    if problems:
        print(
            f"\n{len(problems)} stale snapshot(s); if the change is intended: "
            "nox -s render -- --update",
            file=sys.stderr,
        )
        return 1
    print(f"{len(variants())} variant snapshots up to date", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
