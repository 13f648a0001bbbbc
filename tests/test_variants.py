"""The variant matrix comes from copier.yml: every choice value covered, new ones added."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from rustml._targets import load_targets
from rustml._variants import template_variants, variants

from .helpers import REPO

pytestmark = pytest.mark.unit


def test_every_choice_value_is_covered() -> None:
    found = variants()
    assert len({v.name for v in found}) == len(found)
    targets = {t for v in found for t in v.targets}
    assert targets == set(load_targets())
    assert tuple(load_targets()) in {v.targets for v in found}
    seen: dict[str, set[str]] = {}
    for variant in found:
        for key, value in variant.options.items():
            seen.setdefault(key, set()).add(str(value))
    assert seen["license"] == {"Apache-2.0", "MIT OR Apache-2.0", "BSD-3-Clause", "Proprietary"}
    assert seen["python_min"] == {"3.11", "3.12", "3.13", "3.14"}
    assert seen["ci"] == {"none"}
    assert seen["vendor"] == {"True"}


def test_a_new_choice_in_copier_yml_is_a_new_variant(tmp_path: Path) -> None:
    """On a copy of the template: a new target (an entry of targets.yml) and a new license
    need no noxfile edit."""
    copy = shutil.copytree(REPO / "templates", tmp_path / "templates")
    registry = yaml.safe_load((copy / "targets.yml").read_text())
    registry["npu"] = {"help": "a neural accelerator", "session": "npu", "crates": ["npu"]}
    (copy / "targets.yml").write_text(yaml.safe_dump(registry, sort_keys=False))
    config = yaml.safe_load((copy / "copier.yml").read_text())
    config["license"]["choices"].append("ISC")
    (copy / "copier.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    before = {v.name for v in variants()}
    after = {v.name for v in template_variants(copy)}
    assert "cpu+npu" in {n.split(",")[0] for n in after}
    assert any("license=ISC" in n for n in after)
    assert len(after) > len(before)
