"""The update merge planner, branch by branch, on files written here (no rendering).

``_plan`` decides per file from three versions of it: the template at the project's
version (*old*), the template at the target version (*new*) and the project's own
(*mine*); ``_apply`` writes the decision. Each row of CASES is one branch of that decision
with the bucket it must report and what must be on disk afterwards.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from rustml._merge import apply_plan as _apply
from rustml._merge import plan_merge as _plan

from .planner_mutants import stale

if TYPE_CHECKING:
    from rustml._result import ConflictMode

pytestmark = pytest.mark.unit

ANSWERS = ".copier-answers.yml"
FILE = "src/f.txt"
BUCKETS = ("changed", "merged", "added", "removed", "conflicts", "kept")

LINES = "one\ntwo\nthree\nfour\nfive\nsix\n"
TEMPLATE_EDIT = LINES.replace("one", "ONE (template)")
OWNER_EDIT = LINES.replace("six", "six (owner)")
OWNER_CLASH = LINES.replace("one", "one (owner)")


@dataclass(frozen=True)
class Case:
    id: str
    old: str | None
    new: str | None
    mine: str | None
    bucket: str | None
    """Where the plan reports the file (None: not reported)."""
    after: str | None
    """The project's file afterwards (None: absent). Ignored for conflicts."""
    skip_if_exists: bool = False
    conflict: ConflictMode = "inline"


# base, the template's edit, the owner's edit apart from it, the owner's edit on its line
B, T, O, X = LINES, TEMPLATE_EDIT, OWNER_EDIT, OWNER_CLASH  # noqa: E741 (a table legend)
BOTH = LINES.replace("one", "ONE (template)").replace("six", "six (owner)")
CASES = [
    #    id                                                    old   new  mine  bucket       after
    Case("unchanged by the template: owner's edit stays",      B,    B,   O,    None,        O),
    Case("unchanged by the template: owner's deletion stays",  B,    B,   None, None,        None),
    Case("unchanged by the owner: template's version taken",   B,    T,   B,    "changed",   T),
    Case("owner already has the template's version",           B,    T,   T,    None,        T),
    Case("both changed, apart: merged",                        B,    T,   O,    "merged",    BOTH),
    Case("both changed, same line: inline conflict",           B,    T,   X,    "conflicts", None),
    Case("both changed, same line: .rej",                      B,    T,   X,    "conflicts", X,
         conflict="rej"),
    Case("owner deleted it: stays deleted",                    B,    T,   None, "kept",      None),
    Case("new in the template: added",                         None, T,   None, "added",     T),
    Case("new in the template, the owner has one: conflict",   None, T,   O,    "conflicts", None),
    Case("_skip_if_exists and edited: the owner's",            B,    T,   O,    "kept",      O,
         skip_if_exists=True),
    Case("_skip_if_exists, not edited: template's",            B,    T,   B,    "changed",   T,
         skip_if_exists=True),
    Case("dropped by the template, not edited: removed",       B,    None, B,   "removed",   None),
    Case("dropped by the template, edited by the owner: kept", B,    None, O,   "kept",      O),
    Case("dropped by the template, deleted by the owner",      B,    None, None, None,       None),
]  # fmt: skip


def _tree(root: Path, files: dict[str, str | None], mode: int = 0o644) -> dict[str, Path]:
    found = {}
    for rel, text in files.items():
        if text is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        path.chmod(mode)
        found[rel] = path
    return found


def _sides(
    tmp_path: Path, old: dict, new: dict, mine: dict, *, modes: tuple[int, int, int] = (0o644,) * 3
):
    return (
        _tree(tmp_path / "old", old, modes[0]),
        _tree(tmp_path / "new", new, modes[1]),
        _tree(tmp_path / "proj", mine, modes[2]),
    )


def _run(tmp_path: Path, old, new, mine, *, skip=(), conflict: ConflictMode = "inline"):
    plan = _plan(
        mine,
        old,
        new,
        skip_if_exists=set(skip),
        answers_file=ANSWERS,
        mode=conflict,
        work=(tmp_path / "scratch").resolve(),
    )
    _apply(plan, tmp_path / "proj")
    return plan


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_branch_reports_and_writes(tmp_path: Path, case: Case) -> None:
    (tmp_path / "scratch").mkdir()
    (tmp_path / "proj").mkdir()
    old, new, mine = _sides(tmp_path, {FILE: case.old}, {FILE: case.new}, {FILE: case.mine})
    skip = {FILE} if case.skip_if_exists else set()
    plan = _run(tmp_path, old, new, mine, skip=skip, conflict=case.conflict)

    reported = {b for b in BUCKETS if FILE in getattr(plan, b)}
    assert reported == ({case.bucket} if case.bucket else set())
    target = tmp_path / "proj" / FILE
    if case.bucket == "conflicts" and case.conflict == "inline":
        text = target.read_text()
        assert "<<<<<<< before updating" in text
        assert ">>>>>>> after updating" in text
        assert "ONE (template)" in text
    elif case.after is None:
        assert not target.exists()
    else:
        assert target.read_text() == case.after
    rej = target.with_name(target.name + ".rej")
    assert rej.exists() == (case.conflict == "rej" and case.bucket == "conflicts")
    if rej.exists():
        assert "-one\n" in rej.read_text()
        assert "+ONE (template)\n" in rej.read_text()
    # Nothing but the file (and a .rej) is ever written.
    written = {
        p.relative_to(tmp_path / "proj").as_posix()
        for p in (tmp_path / "proj").rglob("*")
        if p.is_file()
    }
    assert written <= {FILE, FILE + ".rej"}


def test_the_answers_file_is_not_merged(tmp_path: Path) -> None:
    (tmp_path / "scratch").mkdir()
    old, new, mine = _sides(
        tmp_path,
        {ANSWERS: "_commit: v0.1.0\n"},
        {ANSWERS: "_commit: v0.2.0\n"},
        {ANSWERS: "_commit: v0.1.0\n"},
    )
    plan = _run(tmp_path, old, new, mine)
    assert not plan.writes
    assert (tmp_path / "proj" / ANSWERS).read_text() == "_commit: v0.1.0\n"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_executable_bits_are_kept(tmp_path: Path) -> None:
    """The owners' mode on files the update rewrites; the template's on files it adds."""
    (tmp_path / "scratch").mkdir()
    files_old = {"run.sh": LINES, "merged.sh": LINES}
    files_new = {"run.sh": TEMPLATE_EDIT, "merged.sh": TEMPLATE_EDIT, "new.sh": LINES}
    files_mine = {"run.sh": LINES, "merged.sh": OWNER_EDIT}
    old, new, mine = _sides(tmp_path, files_old, files_new, files_mine, modes=(0o644, 0o755, 0o755))
    plan = _run(tmp_path, old, new, mine)
    assert plan.changed == ["run.sh"]
    assert plan.merged == ["merged.sh"]
    assert plan.added == ["new.sh"]
    proj = tmp_path / "proj"
    assert {p: _mode(proj / p) for p in ("run.sh", "merged.sh", "new.sh")} == dict.fromkeys(
        ("run.sh", "merged.sh", "new.sh"), 0o755
    )
    # And a file the owners made executable stays so when the template (0644) changes it.
    (tmp_path / "scratch2").mkdir()
    old2, new2, mine2 = (
        _tree(tmp_path / "o2", {"tool.py": LINES}),
        _tree(tmp_path / "n2", {"tool.py": TEMPLATE_EDIT}),
        _tree(tmp_path / "p2", {"tool.py": LINES}, 0o755),
    )
    plan = _plan(mine2, old2, new2, skip_if_exists=set(), answers_file=ANSWERS, mode="inline",
                 work=tmp_path / "scratch2")  # fmt: skip
    _apply(plan, tmp_path / "p2")
    assert _mode(tmp_path / "p2" / "tool.py") == 0o755
    assert (tmp_path / "p2" / "tool.py").read_text() == TEMPLATE_EDIT


def test_emptied_directories_are_removed_and_others_kept(tmp_path: Path) -> None:
    (tmp_path / "scratch").mkdir()
    dropped = {
        "crates/x-wasm/src/lib.rs": LINES,
        "crates/x-wasm/Cargo.toml": LINES,
        "docs/a.md": LINES,
    }
    kept_beside = {"docs/b.md": LINES}
    old, new, mine = _sides(
        tmp_path,
        {**dropped, **kept_beside},
        kept_beside,
        {**dropped, **kept_beside, "docs/mine.md": "x"},
    )
    plan = _run(tmp_path, old, new, mine)
    assert sorted(plan.removed) == sorted(dropped)
    proj = tmp_path / "proj"
    assert not (proj / "crates").exists()  # emptied all the way up
    assert sorted(p.name for p in (proj / "docs").iterdir()) == ["b.md", "mine.md"]
    assert proj.is_dir()


def test_a_plan_is_only_a_plan(tmp_path: Path) -> None:
    """Planning writes nothing into the project (pretend relies on it)."""
    (tmp_path / "scratch").mkdir()
    old, new, mine = _sides(
        tmp_path, {FILE: B, "gone": B}, {FILE: T, "add": B}, {FILE: O, "gone": B}
    )
    before = {p: p.read_bytes() for p in (tmp_path / "proj").rglob("*") if p.is_file()}
    plan = _plan(mine, old, new, skip_if_exists=set(), answers_file=ANSWERS, mode="inline",
                 work=tmp_path / "scratch")  # fmt: skip
    assert plan.merged == [FILE]
    assert plan.added == ["add"]
    assert plan.removed == ["gone"]
    assert {p: p.read_bytes() for p in (tmp_path / "proj").rglob("*") if p.is_file()} == before


def test_every_planted_bug_still_applies() -> None:
    """nox -s mutants plants each bug by text; a planner edit must not silently retire one."""
    assert stale() == []
