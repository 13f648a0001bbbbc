"""Every GitHub Action we pin is a commit SHA whose comment names the release it really is.

templates/pins.yml holds the pins once (the generated workflows write them through
includes/data.jinja's `action` macro); this table holds, beside each SHA, where the
SHA -> tag pair was read, so a wrong comment (the rust-cache pin once said v2.8.1 for
v2.8.0's SHA) cannot come back. Read on 2026-12-07:

* "snapshot": `git show-ref --tags -d` in a snapshot of the action's own repository
  (the peeled commit of the tag), fetched with the search tool's `fetch`;
* "pinned as": the snapshot we could fetch predates the release, so the pair is the one
  that public workflows pin with that version comment (10+ repositories agree); re-check
  with `git ls-remote https://github.com/<action> refs/tags/<tag>^{}` where GitHub is
  reachable.

Every action in the table runs on Node 24 or is a composite/Docker action (GitHub's
runners dropped Node 20 on 2026-09-23; the previous rust-cache, maturin-action and
upload-artifact pins were Node 20 actions).
"""

from __future__ import annotations

import re

import pytest
from rustml._targets import load_action_pins

from .helpers import REPO

pytestmark = pytest.mark.unit

#: action -> (commit SHA, release tag, where the pair was read)
PIN_TABLE = {
    "actions/checkout": (
        "3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1", "snapshot of actions/checkout"
    ),
    "actions/setup-python": (
        "5fda3b95a4ea91299a34e894583c3862153e4b97", "v7.0.0",
        "snapshot of actions/setup-python",
    ),
    "actions/setup-node": (
        "820762786026740c76f36085b0efc47a31fe5020", "v7.0.0", "snapshot of actions/setup-node"
    ),
    "actions/upload-artifact": (
        "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f", "v7.0.0",
        "snapshot of actions/upload-artifact",
    ),
    "actions/download-artifact": (
        "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c", "v8.0.1",
        "snapshot of actions/download-artifact",
    ),
    "actions/attest": (
        "1e69f48acb82d1966a394da916b4c1698aa569d6", "v4.2.2", "snapshot of actions/attest"
    ),
    "Swatinem/rust-cache": (
        "6323deb102c322ba6fcbdcafc7e3dddab59af2b6", "v2.9.2",
        "snapshot of Swatinem/rust-cache (annotated tag, peeled)",
    ),
    "PyO3/maturin-action": (
        "e83996d129638aa358a18fbd1dfb82f0b0fb5d3b", "v1.51.0",
        "snapshot of PyO3/maturin-action (annotated tag, peeled)",
    ),
    "pypa/gh-action-pypi-publish": (
        "dc37677b2e1c63e2034f94d8a5b11f265b73ba33", "v1.14.2",
        "pinned as v1.14.2 in public workflows (the snapshot ends at v1.8.14)",
    ),
    "re-actors/alls-green": (
        "05ac9388f0aebcb5727afa17fcccfecd6f8ec5fe", "v1.2.2",
        "snapshot of re-actors/alls-green (annotated tag, peeled)",
    ),
}  # fmt: skip

#: A pinned `uses:` line: owner/name@<40 hex> # <tag>.
PINNED = re.compile(r"uses:\s+([\w.-]+/[\w.-]+)@([0-9a-f]{40}) # (v[\w.]+)\s*$")
USES = re.compile(r"^\s*-?\s*uses:\s+(\S+)", flags=re.MULTILINE)


def test_pins_yml_is_the_table() -> None:
    pins = load_action_pins()
    assert pins == {name: (sha, tag) for name, (sha, tag, _) in PIN_TABLE.items()}


def test_templates_spell_no_pin_of_their_own() -> None:
    # A SHA or a tag written by hand in a template would escape pins.yml (and this table).
    for path in sorted((REPO / "templates").rglob("*.jinja")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.match(r"\s*-?\s*uses:", line):
                assert "{{ action('" in line, f"{path.relative_to(REPO)}: {line.strip()}"


def pinned_uses(text: str) -> list[tuple[str, str, str]]:
    """(action, sha, tag) of every `uses:` line of a workflow; fails on an unpinned one."""
    found = []
    for line in text.splitlines():
        if not USES.match(line):
            continue
        match = PINNED.search(line)
        assert match, f"not pinned by SHA with its tag: {line.strip()}"
        found.append((match[1], match[2], match[3]))
    return found


def assert_pins_known(text: str) -> int:
    """Every pinned action of ``text`` is in the table with the same SHA and tag."""
    uses = pinned_uses(text)
    for action, sha, tag in uses:
        assert action in PIN_TABLE, f"{action}: not in the pin table"
        assert (sha, tag) == PIN_TABLE[action][:2], f"{action}@{sha} # {tag}"
    return len(uses)


def test_rustml_own_workflows_and_docs_use_the_same_pins() -> None:
    paths = [*sorted((REPO / ".github" / "workflows").glob("*.yml")), REPO / "docs" / "fleet.md"]
    assert sum(assert_pins_known(p.read_text(encoding="utf-8")) for p in paths) >= 10


def test_a_wrong_comment_is_caught() -> None:
    sha = PIN_TABLE["Swatinem/rust-cache"][0]
    with pytest.raises(AssertionError):
        assert_pins_known(f"      - uses: Swatinem/rust-cache@{sha} # v2.8.1\n")
    with pytest.raises(AssertionError):
        assert_pins_known("      - uses: actions/checkout@v7\n")
