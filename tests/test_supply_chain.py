"""Supply-chain files as rendered: policy consistent between tools, pins and locks complete.

The tools themselves run on generated projects in test_supply_chain_e2e.py.
"""

from __future__ import annotations

import re

import pytest
import tomllib
import yaml

from .helpers import RenderFn

pytestmark = pytest.mark.render

LOCK_LINE = re.compile(r"^([a-z0-9-]+)==([^ ;\\]+)")


def test_deny_allows_the_project_license_and_nothing_copyleft(render: RenderFn) -> None:
    root = render(license="MIT OR Apache-2.0").path
    deny = tomllib.loads((root / "deny.toml").read_text())
    allow = deny["licenses"]["allow"]
    assert {"MIT", "Apache-2.0"} <= set(allow)
    assert not [spdx for spdx in allow if "GPL" in spdx or "MPL" in spdx]
    assert deny["advisories"]["yanked"] == "deny"
    assert deny["bans"]["wildcards"] == "deny"
    assert deny["sources"]["unknown-git"] == deny["sources"]["unknown-registry"] == "deny"
    assert deny["sources"]["allow-registry"] == ["https://github.com/rust-lang/crates.io-index"]
    assert deny["graph"]["all-features"] is True


def test_proprietary_projects_allow_their_own_license_ref(render: RenderFn) -> None:
    root = render(license="Proprietary").path
    allow = tomllib.loads((root / "deny.toml").read_text())["licenses"]["allow"]
    assert "LicenseRef-Proprietary" in allow


def test_gpu_widens_the_allow_list_only_when_selected(render: RenderFn) -> None:
    cpu = render("a").path
    gpu = render("b", targets=["cpu", "gpu"]).path
    allow = {
        p: set(tomllib.loads((p / "deny.toml").read_text())["licenses"]["allow"])
        for p in (cpu, gpu)
    }
    assert allow[gpu] - allow[cpu] == {"ISC", "Zlib"}


def test_audit_toml_agrees_with_deny_toml(render: RenderFn) -> None:
    root = render().path
    deny = tomllib.loads((root / "deny.toml").read_text())
    audit = tomllib.loads((root / ".cargo" / "audit.toml").read_text())
    deny_ignored = sorted(entry["id"] for entry in deny["advisories"]["ignore"])
    assert sorted(audit["advisories"]["ignore"]) == deny_ignored
    assert set(audit["output"]["deny"]) == {"unmaintained", "unsound", "yanked"}
    assert audit["yanked"]["enabled"] is True
    upstream = deny["advisories"]["db-urls"][0]
    assert audit["database"]["url"].removesuffix(".git").lower() == upstream.lower()


def test_vendoring_off_keeps_builds_on_the_registry(render: RenderFn) -> None:
    root = render().path
    assert not (root / ".cargo" / "config.toml").exists()
    assert "/vendor/" in (root / ".gitignore").read_text().splitlines()
    assert "include" not in tomllib.loads((root / "pyproject.toml").read_text())["tool"]["maturin"]


def test_vendoring_on_replaces_crates_io_and_ships_vendor_in_the_sdist(render: RenderFn) -> None:
    root = render(vendor=True).path  # lockfile=False: vendor/ itself comes from `cargo vendor`
    config = tomllib.loads((root / ".cargo" / "config.toml").read_text())
    assert config["source"]["crates-io"]["replace-with"] == "vendored-sources"
    assert config["source"]["vendored-sources"]["directory"] == "vendor"
    assert "/vendor/" not in (root / ".gitignore").read_text().splitlines()
    include = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["maturin"]["include"]
    assert {"path": "vendor/**/*", "format": "sdist"} in include
    assert {"path": ".cargo/config.toml", "format": "sdist"} in include


@pytest.mark.parametrize("vendor", [False, True])
def test_a_registry_mirror_is_allowed_and_used(render: RenderFn, vendor: bool) -> None:
    mirror = "sparse+https://crates.example.com/index/"
    root = render(registry_mirror=mirror, vendor=vendor).path
    deny = tomllib.loads((root / "deny.toml").read_text())
    assert mirror in deny["sources"]["allow-registry"]
    config = tomllib.loads((root / ".cargo" / "config.toml").read_text())
    assert config["source"]["org-mirror"]["registry"] == mirror
    expected = "vendored-sources" if vendor else "org-mirror"
    assert config["source"]["crates-io"]["replace-with"] == expected


def test_python_lock_pins_every_dependency_with_hashes(render: RenderFn) -> None:
    root = render().path
    pyproject = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    wanted = [
        *pyproject["dependencies"],
        *(r for extra in pyproject["optional-dependencies"].values() for r in extra),
    ]
    names = {re.split(r"[<>=!~\[ ;]", req, maxsplit=1)[0].lower() for req in wanted}
    text = (root / "requirements" / "dev.txt").read_text()
    entries = text.split("\n    # via")
    pinned = {m.group(1) for line in text.splitlines() if (m := LOCK_LINE.match(line))}
    assert names <= pinned, names - pinned
    for entry in entries[:-1]:
        assert "--hash=sha256:" in entry.rsplit("==", 1)[-1], entry[-300:]


def test_toolchain_is_pinned_with_the_components_sessions_need(render: RenderFn) -> None:
    root = render().path
    toolchain = tomllib.loads((root / "rust-toolchain.toml").read_text())["toolchain"]
    assert re.fullmatch(r"1\.\d+\.\d+", toolchain["channel"])
    assert {"rustfmt", "clippy"} <= set(toolchain["components"])


@pytest.mark.parametrize("vendor", [False, True])
def test_ci_audits_with_actions_pinned_by_sha(render: RenderFn, vendor: bool) -> None:
    root = render(targets=["cpu", "gpu", "wasm", "embedded"], vendor=vendor).path
    text = (root / ".github" / "workflows" / "ci.yml").read_text()
    uses = re.findall(r"uses: (\S+)(.*)", text)
    assert len(uses) > 10
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r" # v\d+\.\d+\.\d+", comment), (action, comment)
    ci = yaml.safe_load(text)
    steps = [step.get("run", "") for step in ci["jobs"]["audit"]["steps"]]
    assert "pipx run nox -s audit" in steps
    assert any("cargo install --locked cargo-deny@" in step for step in steps)
    assert any("nox -s vendor" in step for step in steps) is vendor
    assert "audit" in ci["jobs"]["all-green"]["needs"]
