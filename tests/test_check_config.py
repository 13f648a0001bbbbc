"""Which rules `rustml check` runs: select/ignore prefixes and where they come from.

The org preset's policy comes first, then ``[tool.rustml.check]`` in the project's
pyproject.toml, then the command line; ``select`` replaces, ``ignore`` and ``user-owned``
add up. Built on a directory with only a pyproject.toml: nothing is rendered.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rustml._check._repo import CheckConfig, Repo
from rustml._history import default_history
from rustml._preset import parse_preset
from rustml._template import load_template

pytestmark = pytest.mark.unit

RULE_IDS = ["RM101", "RM103", "RM201", "RM203", "RM301", "RM501"]


@pytest.mark.parametrize(
    ("select", "ignore", "enabled"),
    [
        ((), (), RULE_IDS),  # nothing selected: every rule
        (("RM2",), (), ["RM201", "RM203"]),  # a family by prefix
        (("RM203",), (), ["RM203"]),  # one rule
        (("RM1", "RM5"), (), ["RM101", "RM103", "RM501"]),
        ((), ("RM1",), ["RM201", "RM203", "RM301", "RM501"]),
        ((), ("RM203", "RM3"), ["RM101", "RM103", "RM201", "RM501"]),
        (("RM2",), ("RM203",), ["RM201"]),  # ignore beats select
        (("RM9",), (), []),
    ],
)
def test_select_and_ignore_match_prefixes(
    select: tuple[str, ...], ignore: tuple[str, ...], enabled: list[str]
) -> None:
    config = CheckConfig(select=select, ignore=ignore)
    assert [r for r in RULE_IDS if config.enabled(r)] == enabled


POLICY = """\
[preset]
name = "acme"

[policy]
select = ["RM1", "RM2"]
ignore = ["RM103"]
user-owned = ["docs/**"]
"""


def _repo(root: Path, *, pyproject: str = "", preset: bool, extra: CheckConfig) -> Repo:
    root.mkdir(exist_ok=True)
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    template = load_template()
    return Repo(
        root=root,
        recorded={},
        history=default_history(),
        preset=parse_preset(POLICY, "acme.toml", template) if preset else None,
        template=template,
        extra=extra,
    )


@pytest.mark.parametrize(
    ("preset", "pyproject", "cli", "expected"),
    [
        (False, "", CheckConfig(), CheckConfig()),
        (True, "", CheckConfig(), CheckConfig(("RM1", "RM2"), ("RM103",), ("docs/**",))),
        # The project's table replaces the preset's select and adds to its ignores.
        (
            True,
            '[tool.rustml.check]\nselect = ["RM3"]\nignore = ["RM301"]\nuser-owned = ["a/*"]\n',
            CheckConfig(),
            CheckConfig(("RM3",), ("RM103", "RM301"), ("docs/**", "a/*")),
        ),
        # Without select in the project, the preset's select stays.
        (
            True,
            '[tool.rustml.check]\nignore = ["RM201"]\n',
            CheckConfig(),
            CheckConfig(("RM1", "RM2"), ("RM103", "RM201"), ("docs/**",)),
        ),
        # The command line comes last: its select wins, its ignores add.
        (
            True,
            '[tool.rustml.check]\nselect = ["RM3"]\n',
            CheckConfig(("RM5",), ("RM501",), ("b/*",)),
            CheckConfig(("RM5",), ("RM103", "RM501"), ("docs/**", "b/*")),
        ),
    ],
)
def test_config_layers_preset_then_pyproject_then_cli(
    tmp_path: Path, preset: bool, pyproject: str, cli: CheckConfig, expected: CheckConfig
) -> None:
    repo = _repo(tmp_path / "proj", pyproject=pyproject, preset=preset, extra=cli)
    assert repo.config == expected


def test_user_owned_globs_and_records(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "proj", preset=True, extra=CheckConfig())
    assert repo.user_owned("docs/guide/intro.md")
    assert repo.user_owned(".copier-answers.yml")
    assert not repo.user_owned("crates/x-core/src/lib.rs")
