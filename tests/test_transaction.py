"""`_transaction.write_all` is all or nothing even when the process dies at any file
operation: a forked child runs it and exits on the spot (no cleanup, like SIGKILL) at the
N-th write, mkdir, rename or delete; `recover` then leaves the tree exactly before or after.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rustml._transaction import JOURNAL, recover, write_all

from .helpers import file_bytes

pytestmark = pytest.mark.unit

BEFORE = {"a.txt": b"old a", "gone/b.txt": b"old b", "keep/c.txt": b"same"}
WRITES = {
    "a.txt": (b"new a", 0o644),
    "new/deep/d.txt": (b"new d", 0o755),
    "keep/e.txt": (b"new e", 0o644),
}
DELETES = ["gone/b.txt"]
#: Every operation write_all performs on the tree; the child dies at the N-th call.
OPERATIONS = (
    (Path, "write_bytes"),
    (Path, "write_text"),
    (Path, "mkdir"),
    (Path, "replace"),
    (Path, "unlink"),
    (Path, "rmdir"),
)


def make_tree(root: Path) -> None:
    for rel, content in BEFORE.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(content)


def expected_after() -> dict[str, bytes]:
    after = {k: v for k, v in BEFORE.items() if k not in DELETES}
    after.update({k: v for k, (v, _) in WRITES.items()})
    return after


def run_killed_at(root: Path, n: int) -> bool:
    """Run write_all in a child that exits at the n-th operation; returns whether it died."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        calls = 0

        def dying(original: Callable[..., Any]) -> Callable[..., Any]:
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                nonlocal calls
                calls += 1
                if calls == n:
                    os._exit(9)
                return original(*args, **kwargs)

            return wrapper

        for owner, name in OPERATIONS:
            setattr(owner, name, dying(getattr(owner, name)))
        write_all(root, WRITES, DELETES)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 9


def test_killed_at_every_operation_recovers_to_before_or_after(tmp_path: Path) -> None:
    after = expected_after()
    outcomes = set()
    n = 0
    while True:
        n += 1
        root = tmp_path / f"run{n}"
        root.mkdir()
        make_tree(root)
        died = run_killed_at(root, n)
        recover(root)
        now = file_bytes(root)
        assert now in (BEFORE, after), (n, sorted(now))
        assert not (root / JOURNAL).exists()
        outcomes.add("after" if now == after else "before")
        # Directories too: a rollback removes the ones it made, a commit prunes emptied ones.
        assert (root / "new").exists() == (now == after)
        assert (root / "gone").exists() == (now == BEFORE)
        if not died:
            break
    # The sweep crossed the commit point: some deaths roll back, later ones complete.
    assert outcomes == {"before", "after"}
    assert n > 8
    assert (tmp_path / f"run{n}" / "new/deep/d.txt").stat().st_mode & 0o777 == 0o755


def test_recover_without_journal_is_a_no_op(tmp_path: Path) -> None:
    make_tree(tmp_path)
    assert recover(tmp_path) is False
    assert file_bytes(tmp_path) == BEFORE
