"""Supply-chain files as rendered: policy consistent between tools, pins and locks complete.

The tools themselves run on generated projects in test_supply_chain_e2e.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import tomllib
import yaml
from rustml._check._rules import _locked_requirements, _requirements

from .helpers import RenderFn

pytestmark = pytest.mark.render

SEED_LOCK = Path(__file__).parents[1] / "templates" / "includes" / "uv.lock"


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
    assert allow[gpu] - allow[cpu] == {"ISC"}
    # The server's router (matchit) is MIT AND BSD-3-Clause.
    serve = render("c", targets=["cpu", "serve"]).path
    allowed = set(tomllib.loads((serve / "deny.toml").read_text())["licenses"]["allow"])
    assert allowed - allow[cpu] == {"BSD-3-Clause"}


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


def test_seed_lock_is_current_and_pins_everything_with_hashes(render: RenderFn) -> None:
    # The lock new projects start from (nox -s template-lock) was resolved for exactly
    # what a default render's pyproject.toml asks for, and pins every package with hashes.
    root = render().path
    pyproject = tomllib.loads((root / "pyproject.toml").read_text())
    lock = tomllib.loads(SEED_LOCK.read_text())
    assert _requirements(pyproject) == _locked_requirements(lock), "run nox -s template-lock"
    registry = [p for p in lock["package"] if "registry" in p.get("source", {})]
    assert len(registry) > 50
    for package in registry:
        files = [package.get("sdist"), *package.get("wheels", [])]
        hashes = [f["hash"] for f in files if f]
        assert hashes, package["name"]
        assert all(h.startswith("sha256:") for h in hashes), package["name"]
    # The isolated build's maturin is the locked one.
    locked = {p["name"]: p["version"] for p in registry}
    assert pyproject["tool"]["uv"]["build-constraint-dependencies"] == [
        f"maturin=={locked['maturin']}"
    ]


# Every way a session could put a package into its environment, and the ones allowed:
# the locked sync (tools/nox_sessions/_tools.py) and the offline session's own wheels.
INSTALL_CALL = re.compile(
    r"session\.install\(|session\.conda_install\(|\"pip\",\s*\"install\"|"
    r"\"uv\",\s*\"pip\",\s*\"install\"|\"uv\",\s*\"sync\"|\"uv\",\s*\"tool\"|uvx"
)
ALLOWED_INSTALLS = (
    '"uv", "sync", "--locked"',
    '"uv", "pip", "install", "--offline", "--no-deps", "--reinstall", *wheels',
)


def unpinned_installs(source: str) -> list[str]:
    """The install calls in `source` that do not install from uv.lock."""
    return [
        line.strip()
        for line in source.splitlines()
        if INSTALL_CALL.search(line) and not any(ok in line for ok in ALLOWED_INSTALLS)
    ]


def test_no_session_installs_anything_outside_the_lock(render: RenderFn) -> None:
    root = render(targets=["cpu", "gpu", "wasm", "embedded"], vendor=True).path
    sources = [root / "noxfile.py", *sorted((root / "tools/nox_sessions").glob("*.py"))]
    assert len(sources) >= 7
    for source in sources:
        assert unpinned_installs(source.read_text()) == [], source.name
    # The check itself catches the installs the sessions used to make.
    for planted in (
        '    session.install("maturin", "ziglang")',
        '    session.run("pip", "install", "maturin")',
        '    session.run_install("uv", "pip", "install", "ruff")',
    ):
        assert unpinned_installs(planted) == [planted.strip()]
    # And every session that installs does it through install_locked with a group.
    assert "--locked" in (root / "tools/nox_sessions/_tools.py").read_text()


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
    # nox itself comes from the lock, started by the lock's uv.
    uv = next(
        p["version"] for p in tomllib.loads(SEED_LOCK.read_text())["package"] if p["name"] == "uv"
    )
    assert f"pipx run --spec uv=={uv} uv run --locked --only-group tasks nox -s audit" in steps
    assert not any("pipx run nox" in step for step in steps)
    assert any("cargo install --locked cargo-deny@" in step for step in steps)
    assert any("nox -s vendor" in step for step in steps) is vendor
    assert "audit" in ci["jobs"]["all-green"]["needs"]
