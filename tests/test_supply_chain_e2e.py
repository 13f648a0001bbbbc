"""End to end: the supply-chain sessions of generated projects fail when they should.

Advisory services live on GitHub and osv.dev, out of our machines' reach, so the tools
read fixtures in their real formats: cargo-deny and cargo-audit a RustSec database
(tests/fixtures/advisory-db, made a git repository, passed as ADVISORY_DB), pip-audit an
OSV-compatible service on 127.0.0.1 (tests/advisory_fixtures.py).

Offline builds run with an empty CARGO_HOME, CARGO_NET_OFFLINE=true and every HTTP(S)
request sent to a closed port on 127.0.0.1, which a control check proves really blocks.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import rustml

from .advisory_fixtures import OsvService, make_advisory_db, osv_service
from .helpers import clean_env, git_repository, path_without

pytestmark = pytest.mark.e2e

CLOSED = "http://127.0.0.1:9"  # the discard port: nothing listens there
NO_NETWORK = {
    "CARGO_NET_OFFLINE": "true",
    "CARGO_HTTP_PROXY": CLOSED,
    **dict.fromkeys(("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"), CLOSED),
    **{var.lower(): CLOSED for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")},
    "NO_PROXY": "",
    "no_proxy": "",
    "PIP_NO_INDEX": "1",
    "PIP_INDEX_URL": f"{CLOSED}/simple",
}


@pytest.fixture(scope="module")
def workdir(e2e_root: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix="supply-chain-", dir=e2e_root))


@pytest.fixture(scope="module")
def osv() -> Iterator[OsvService]:
    with osv_service() as service:
        yield service


@pytest.fixture(scope="module")
def advisories(workdir: Path, osv: OsvService) -> dict[str, str]:
    """The environment that points every audit tool at the fixtures."""
    db = make_advisory_db(workdir / "advisory-db")
    return {
        "ADVISORY_DB": str(db),
        "PIP_AUDIT_VULNERABILITY_SERVICE": "osv",
        "PIP_AUDIT_OSV_URL": osv.url,
    }


def nox(root: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nox", *args],
        cwd=root,
        env={**clean_env(), **env},
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )


def output(proc: subprocess.CompletedProcess[str]) -> str:
    return proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def fresh(workdir: Path) -> Path:
    """A locked project with a nested workspace (firmware), never built here."""
    result = rustml.new(workdir / "chain", data={"targets": ["cpu", "embedded"]}, lockfile=True)
    assert result.lockfile.generated, result.lockfile.reason
    return result.path


def test_audit_passes_on_a_fresh_project(
    fresh: Path, advisories: dict[str, str], osv: OsvService
) -> None:
    proc = nox(fresh, "-s", "audit", env=advisories)
    out = output(proc)
    assert proc.returncode == 0, out[-4000:]
    assert "audit passed: cargo-deny, cargo-audit, pip-audit" in out
    # Both workspaces, against the fixture database (2 advisories), and every locked
    # Python package looked up in the fixture OSV service.
    assert out.count("advisories ok, bans ok, licenses ok, sources ok") == 2
    assert out.count("Loaded 2 security advisories") == 2
    assert len({name for name, _ in osv.queries}) > 30


def plant_dependency(root: Path, requirement: str) -> None:
    """Adds one dependency line to the core crate's [dependencies]."""
    manifest = next((root / "crates").glob("*-core/Cargo.toml"))
    text = manifest.read_text()
    manifest.write_text(text.replace("[dependencies]\n", f"[dependencies]\n{requirement}\n", 1))


def git_crate(where: Path) -> str:
    """A tiny crate in a local git repository; returns its file:// URL."""
    (where / "src").mkdir(parents=True)
    (where / "Cargo.toml").write_text(
        '[package]\nname = "fixture-git-dep"\nversion = "0.1.0"\nedition = "2021"\n'
        'license = "MIT"\n'
    )
    (where / "src" / "lib.rs").write_text("//! Fixture.\n")
    git_repository(where, "fixture")
    return where.as_uri()


@pytest.mark.parametrize(
    ("fault", "messages"),
    [
        pytest.param(
            'option-ext = "=0.2.0"',  # MPL-2.0: not on the allow-list
            ["rejected: license is not explicitly allowed", "MPL-2.0", "licenses FAILED"],
            id="license",
        ),
        pytest.param(
            'itoa = "=1.0.11"',  # the fixture advisory RUSTSEC-2026-9001
            [
                "security vulnerability detected",  # cargo-deny
                "1 vulnerability found!",  # cargo-audit
                "RUSTSEC-2026-9001",
                # The firmware workspace builds the core too: both lockfiles carry itoa.
                (
                    "audit failed: cargo-deny (Cargo.toml), cargo-deny (embedded/Cargo.toml),"
                    " cargo-audit (Cargo.lock), cargo-audit (embedded/Cargo.lock)"
                ),
            ],
            id="advisory",
        ),
        pytest.param(
            "fixture-git-dep = {{ git = '{git}' }}",
            ["source not explicitly allowed", "fixture-git-dep", "sources FAILED"],
            id="git-source",
        ),
        pytest.param(
            'itoa = "*"',
            ["found 1 wildcard dependency for crate", "bans FAILED"],
            id="wildcard",
        ),
    ],
)
def test_planted_fault_fails_audit_with_the_tools_message(
    fresh: Path,
    advisories: dict[str, str],
    tmp_path: Path,
    fault: str,
    messages: list[str],
) -> None:
    root = tmp_path / "p"
    shutil.copytree(fresh, root, ignore=shutil.ignore_patterns("target", ".nox"))
    plant_dependency(root, fault.format(git=git_crate(tmp_path / "git-dep")))
    proc = nox(root, "-s", "audit", "--", "cargo-deny", "cargo-audit", env=advisories)
    out = output(proc)
    assert proc.returncode != 0, out[-4000:]
    for message in messages:
        assert message in out, (message, out[-6000:])


def test_audit_names_the_install_command_of_a_missing_tool(fresh: Path, tmp_path: Path) -> None:
    # cargo finds subcommands on PATH and in $CARGO_HOME/bin: hide both.
    env = {"PATH": path_without(tmp_path / "bin", "cargo-deny"), "CARGO_HOME": str(tmp_path)}
    proc = nox(fresh, "-s", "audit", "--", "cargo-deny", env=env)
    out = output(proc)
    assert proc.returncode != 0
    assert "cargo install --locked cargo-deny@0.20.2" in out, out[-3000:]


def test_pip_audit_fails_when_it_cannot_look_packages_up(fresh: Path) -> None:
    """--strict: an unreachable service is a failure, never a silent pass."""
    env = {"PIP_AUDIT_VULNERABILITY_SERVICE": "osv", "PIP_AUDIT_OSV_URL": f"{CLOSED}/v1/query"}
    proc = nox(fresh, "-s", "audit", "--", "pip-audit", env=env)
    out = output(proc)
    assert proc.returncode != 0, out[-3000:]
    assert "audit failed: pip-audit" in out


def blocked_env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "empty-cargo-home"
    home.mkdir()
    return {**NO_NETWORK, "CARGO_HOME": str(home)}


def test_the_blocked_environment_really_blocks_the_registry(tmp_path: Path) -> None:
    """Control: without vendor/, resolving any crate fails under the same environment."""
    crate = tmp_path / "control"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text(
        '[package]\nname = "control"\nversion = "0.1.0"\nedition = "2021"\n\n'
        '[dependencies]\nitoa = "1"\n'
    )
    (crate / "src" / "lib.rs").write_text("")
    env = {**clean_env(), **blocked_env(tmp_path)}
    del env["CARGO_NET_OFFLINE"]  # let it try the network: the proxy must stop it
    proc = subprocess.run(
        ["cargo", "generate-lockfile"],
        cwd=crate,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode != 0
    assert "127.0.0.1" in proc.stderr or "Connection refused" in proc.stderr, proc.stderr


def run_offline(root: Path, tmp_path: Path) -> str:
    """Prepare online (`vendor` done by the caller), then build and test with no network."""
    prepare = nox(root, "-s", "offline", "--install-only", env={})
    assert prepare.returncode == 0, output(prepare)[-4000:]
    proc = nox(
        root, "-s", "offline", "--no-install", "--reuse-venv", "yes", env=blocked_env(tmp_path)
    )
    out = output(proc)
    assert proc.returncode == 0, out[-6000:]
    assert " passed" in out  # pytest
    assert "test result: ok" in out  # cargo test
    return out


def test_vendored_build_needs_no_registry(fresh: Path, tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(fresh, root, ignore=shutil.ignore_patterns("target", ".nox"))
    proc = nox(root, "-s", "vendor", env={})
    assert proc.returncode == 0, output(proc)[-4000:]
    assert (root / "vendor").is_dir()
    assert (root / ".cargo" / "vendor.toml").is_file()
    assert not (root / ".cargo" / "config.toml").exists()  # online builds unaffected
    run_offline(root, tmp_path)


def test_vendoring_on_builds_the_sdist_offline(workdir: Path, tmp_path: Path) -> None:
    result = rustml.new(workdir / "vendored", data={"vendor": True}, lockfile=True)
    assert result.lockfile.generated, result.lockfile.reason
    root = result.path
    assert any((root / "vendor").glob("rayon-1.*"))  # --versioned-dirs
    out = run_offline(root, tmp_path)
    assert "sdist built offline into vendored-0.1.0-" in out
    sdist = next((root / ".nox" / "offline" / "tmp" / "dist").glob("*.tar.gz"))
    with tarfile.open(sdist) as tar:
        names = tar.getnames()
    assert any("/vendor/rayon-1." in n for n in names)
    assert any(n.endswith("/.cargo/config.toml") for n in names)
    # The committed vendor/ carries crates' own Python scripts; the project's ruff skips them.
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout[-3000:]
