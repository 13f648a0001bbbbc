"""Plant one bug per branch of the update planner (and in the placement of --force) and
check a test catches each.

``python -m tests.planner_mutants`` (``nox -s mutants``): each mutant is the planner with
one branch broken, written into a copy of the package (the checkout is never edited);
tests/test_update_plan.py runs against the copy and must fail. Prints which test caught
each mutant; exits 1 if any survived.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .helpers import REPO

SOURCE = REPO / "generator" / "rustml"
#: The module of the update's merge planner: a mutant's module unless its name says another
#: (``module.py: name``).
PLANNER = "_merge.py"
#: name -> (the planner's code, the same code with the bug planted).
MUTANTS = {
    "template unchanged, still merged": (
        "        if o == n:\n            continue",
        "        if o == n and False:\n            continue",
    ),
    "owner unchanged, template change not applied": (
        "            if u != n:\n",
        "            if u != n and False:\n",
    ),
    "both changed, owners' kept without merging": (
        "        file_mode = project[rel].stat().st_mode & 0o777\n        merged,",
        (
            "        plan.kept.append(rel)\n        continue\n"
            "        file_mode = project[rel].stat().st_mode & 0o777\n        merged,"
        ),
    ),
    "owner-deleted file restored": (
        "            else:  # the owners deleted it: stays deleted\n",
        (
            "            else:  # the owners deleted it: stays deleted\n"
            "                plan.writes[rel] = (n, new_mode)\n"
        ),
    ),
    "_skip_if_exists ignored": ("        if rel in skip_if_exists:", "        if False:"),
    "dropped by the template and edited, deleted": (
        "            else:\n                plan.kept.append(rel)\n            continue",
        (
            "            else:\n                plan.deletes.append(rel)\n"
            "                plan.kept.append(rel)\n            continue"
        ),
    ),
    "executable bit replaced by the template's mode": (
        "plan.writes[rel] = (n, project[rel].stat().st_mode & 0o777)",
        "plan.writes[rel] = (n, new_mode)",
    ),
    "_transaction.py: emptied directories left behind": (
        "    while directory != root and directory.is_dir() and not any(directory.iterdir()):",
        "    while False:",
    ),
    "--conflict rej writes markers inline": (
        '        elif mode == "inline":',
        "        elif True:",
    ),
    "_place.py: --force skips the backup of one file": (
        "            for rel in plan.backups:\n",
        "            for rel in plan.backups[1:]:\n",
    ),
    "answers file merged like any file": (
        "        if rel == answers_file:\n            continue",
        "        if False:\n            continue",
    ),
}


#: The tests that must catch a bug planted in each module (the update planner's by default).
CATCHERS = {
    PLANNER: ["tests/test_update_plan.py"],
    "_transaction.py": ["tests/test_update_plan.py"],
    "_place.py": [
        "tests/test_place.py",
        "tests/test_faults.py::test_force_interrupted_anywhere_loses_nothing",
    ],
}


def module_of(name: str) -> str:
    """The module a mutant is planted in."""
    return name.split(": ", 1)[0] if ": " in name else PLANNER


def stale() -> list[str]:
    """The mutants whose code is no longer exactly once in their module (a planner edit
    would otherwise retire a planted bug silently)."""
    return [
        name
        for name, (code, _bug) in MUTANTS.items()
        if (SOURCE / module_of(name)).read_text(encoding="utf-8").count(code) != 1
    ]


def _failed(env: dict[str, str], module: str = PLANNER) -> list[str]:
    """The catching tests that fail with the package at env's PYTHONPATH."""
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--tb=no", "-rf",
         *(str(REPO / t) for t in CATCHERS[module])],
        capture_output=True, text=True, env=env, cwd=REPO, check=False,
    )  # fmt: skip
    failed = [
        line.split("::", 1)[1].split(" - ")[0]
        for line in done.stdout.splitlines()
        if line.startswith("FAILED")
    ]
    return failed or ([] if done.returncode == 0 else [f"pytest exit {done.returncode}"])


def main() -> int:
    """Run every mutant; 1 if one survived (or no longer applies)."""
    survived = stale()
    for name in survived:
        print(f"{name}: the planner changed, this mutant no longer applies")
    with tempfile.TemporaryDirectory(prefix="rustml-mutants-") as tmp:
        # A checkout's layout (generator/rustml beside templates/), so the copy finds the
        # template as an editable install does.
        copy = Path(tmp) / "generator" / "rustml"
        shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("__pycache__"))
        (Path(tmp) / "templates").symlink_to(REPO / "templates")
        env = {**os.environ, "PYTHONPATH": str(copy.parent), "PYTHONDONTWRITEBYTECODE": "1"}
        for name, (code, bug) in {"(no bug: the copy must pass)": ("", ""), **MUTANTS}.items():
            if not code:
                if _failed(env):
                    print("the unmutated copy fails its tests: fix those first")
                    return 1
                continue
            if name in survived:
                continue
            module = module_of(name)
            original = (SOURCE / module).read_text(encoding="utf-8")
            (copy / module).write_text(original.replace(code, bug), encoding="utf-8")
            caught = _failed(env, module)
            (copy / module).write_text(original, encoding="utf-8")
            if not caught:
                survived.append(name)
            print(f"{name:48} caught by {caught[0] if caught else 'NOTHING'}"
                  + (f" (+{len(caught) - 1} more)" if len(caught) > 1 else ""))  # fmt: skip
    print(f"{len(MUTANTS) - len(survived)} of {len(MUTANTS)} planted bugs caught")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
