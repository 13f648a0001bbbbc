"""Plain `copier copy` (no rustml) enforces the same rules through copier.yml's validators."""

from __future__ import annotations

from pathlib import Path

import copier
import pytest
from rustml._template import template_root

pytestmark = pytest.mark.render


def copy(dst: Path, **data: object) -> None:
    copier.run_copy(str(template_root()), dst, data=data, defaults=True, quiet=True)


@pytest.mark.parametrize(
    "data",
    [
        {"project_name": "1abc"},
        {"project_name": "my project"},
        {"project_name": "abc-"},
        {"package_name": "Bad"},
        {"package_name": "class"},
        {"crate_prefix": "a--b"},
        {"author_email": "nobody"},
        {"author_name": 'say "hi"'},
        {"description": ""},
        {"copyright_year": "20x6"},
        {"targets": ["gpu"]},
        {"targets": ["cpu", "tpu"]},
        {"registry_mirror": "http://mirror.example.com/index/"},
        {"registry_mirror": "sparse+https://mirror.example.com/a b/"},
    ],
)
def test_copier_validators_reject(outside_tmp: Path, data: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"Validation error|Invalid choice"):
        copy(outside_tmp / "p", **{"project_name": "demo", **data})


def test_copier_defaults_derive_names_like_rustml(outside_tmp: Path) -> None:
    copy(outside_tmp / "p", project_name="My-Proj_2")
    root = outside_tmp / "p"
    assert (root / "python/my_proj_2/__init__.py").is_file()
    assert (root / "crates/my-proj-2-core/Cargo.toml").is_file()
