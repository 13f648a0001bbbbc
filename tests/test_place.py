"""Property tests of the placement (`rustml new --force`): complete or untouched, and no
owner byte is ever lost, for random owner trees against random renders (files where the
render has directories and the reverse included), with a failure planted at any move.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rustml._place import BACKUP_PREFIX, place
from rustml.errors import DestinationError

from .helpers import file_bytes

pytestmark = pytest.mark.unit

#: Path pieces both trees draw from, so that they collide often.
PIECES = ("a", "b", "crates", "src", "README.md", "x.toml")

paths = st.lists(st.sampled_from(PIECES), min_size=1, max_size=3).map("/".join)
trees = st.dictionaries(paths, st.binary(max_size=8), max_size=8)


def write_tree(root: Path, tree: dict[str, bytes]) -> dict[str, bytes]:
    """Write what fits of ``tree`` (a path under a file is skipped); returns what was written."""
    written: dict[str, bytes] = {}
    for rel, content in sorted(tree.items()):
        target = root / rel
        if any(p.is_file() for p in (root / rel).parents if root in (p, *p.parents)):
            continue
        if target.is_dir():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written[rel] = content
    return written


def check_no_owner_byte_lost(dst: Path, owner: dict[str, bytes]) -> None:
    backups = sorted(dst.glob(f"{BACKUP_PREFIX}*"))
    for rel, content in owner.items():
        places = [dst / rel, *(b / rel for b in backups)]
        assert any(p.is_file() and p.read_bytes() == content for p in places), rel


class FailAt:
    """Make the n-th rename fail (a full disk, a read-only directory...)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.calls = 0
        self.original = Path.rename

    def __call__(self, path: Path, target: Path) -> Path:
        self.calls += 1
        if self.calls == self.n:
            raise OSError(28, "No space left on device", str(target))
        return self.original(path, target)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(owner=trees, render=trees, fail_at=st.integers(min_value=0, max_value=12))
def test_force_placement_is_complete_or_untouched(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    owner: dict[str, bytes],
    render: dict[str, bytes],
    fail_at: int,
) -> None:
    root = tmp_path_factory.mktemp("place")
    dst, staged = root / "dst", root / "staged"
    dst.mkdir()
    staged.mkdir()
    owner = write_tree(dst, owner)
    rendered = write_tree(staged, render)
    before = file_bytes(dst)
    with monkeypatch.context() as patch:
        if fail_at:
            failing = FailAt(fail_at)
            # A function (not the instance): Path binds it as a method.
            patch.setattr(Path, "rename", lambda path, target: failing(path, target))  # noqa: PLW0108
        try:
            place(staged, dst)
        except DestinationError:
            assert file_bytes(dst) == before  # untouched, byte for byte
            return
    after = file_bytes(dst)
    for rel, content in rendered.items():
        assert after[rel] == content  # complete
    check_no_owner_byte_lost(dst, owner)
