"""The generated release workflow: the wheel matrix, least privilege, trusted publishing.

What a release run does is only provable on GitHub (the native runners, PyPI); what it
is can be checked here: its jobs, platforms, permissions, pins and tools, the tag check
it runs, and the security linters (zizmor, check-jsonschema, actionlint: tests/
test_dev_workflow.py) on the rendered file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import tomllib
import yaml

from .helpers import ALL_TARGETS, RenderFn
from .test_action_pins import PIN_TABLE, assert_pins_known

pytestmark = pytest.mark.render


def workflow(root: Path) -> dict[str, Any]:
    data = yaml.safe_load((root / ".github" / "workflows" / "release.yml").read_text())
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import rustml  # noqa: PLC0415

    root = tmp_path_factory.mktemp("release") / "rel-demo"
    rustml.new(root, data={"targets": ALL_TARGETS}, lockfile=False)
    return root


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps") or [])


def uses(step: dict[str, Any]) -> str:
    return str(step.get("uses", "")).split("@", 1)[0]


def test_every_wheel_of_the_matrix_is_built(rendered: Path) -> None:
    jobs = workflow(rendered)["jobs"]
    linux = [(p["libc"], p["target"]) for p in jobs["linux"]["strategy"]["matrix"]["platform"]]
    assert sorted(linux) == [
        ("manylinux", "aarch64"), ("manylinux", "x86_64"),
        ("musllinux", "aarch64"), ("musllinux", "x86_64"),
    ]  # fmt: skip
    native = [(p["os"], p["target"]) for p in jobs["native"]["strategy"]["matrix"]["platform"]]
    assert sorted(native) == [
        ("macos", "aarch64"), ("macos", "x86_64"), ("windows", "aarch64"), ("windows", "x64")
    ]  # fmt: skip
    for name in ("linux", "native"):
        builds = [s["with"]["args"] for s in steps(jobs[name]) if uses(s) == "PyO3/maturin-action"]
        # The abi3 wheel and the free-threaded one, both held to PyPI's platform rules.
        assert len(builds) == 2, builds
        assert all("--compatibility pypi" in a and "--locked" in a for a in builds)
        assert "python3.14t" in builds[1] or "steps.ft.outputs" in builds[1]
    sdist = [s for s in steps(jobs["sdist"]) if uses(s) == "PyO3/maturin-action"]
    assert sdist[0]["with"]["command"] == "sdist"
    # Every maturin is the lock's.
    maturins = {
        s["with"].get("maturin-version") for j in jobs.values() for s in steps(j)
        if uses(s) == "PyO3/maturin-action"
    }  # fmt: skip
    assert maturins == {"${{ env.MATURIN_VERSION }}"}
    pyproject = tomllib.loads((rendered / "pyproject.toml").read_text())
    (locked,) = pyproject["tool"]["uv"]["build-constraint-dependencies"]  # maturin==<lock's>
    assert workflow(rendered)["env"]["MATURIN_VERSION"] == "v" + locked.split("==")[1]


def test_each_wheel_is_smoke_tested_on_its_platform(rendered: Path) -> None:
    jobs = workflow(rendered)["jobs"]
    smoke = jobs["linux-smoke"]["strategy"]["matrix"]["platform"]
    arm = {(p["libc"], p["target"]): p["runner"] for p in smoke}
    assert arm[("manylinux", "aarch64")] == arm[("musllinux", "aarch64")] == "ubuntu-24.04-arm"
    for name in ("native", "linux-smoke", "sdist"):
        runs = " ".join(str(s.get("run", "")) for s in steps(jobs[name]))
        assert "tools/smoke.py dist" in runs, name
    assert "--find-links" in (rendered / "tools" / "smoke.py").read_text()


def test_least_privilege_and_trusted_publishing(rendered: Path) -> None:
    release = workflow(rendered)
    assert release["permissions"] == {}
    jobs = release["jobs"]
    for name, job in jobs.items():
        assert "permissions" in job, name
        perms = job["permissions"] or {}
        if name == "publish":
            assert perms == {"id-token": "write", "attestations": "write"}
        else:
            assert perms == {"contents": "read"}, name
        for step in steps(job):
            if uses(step) == "actions/checkout":
                assert step["with"]["persist-credentials"] is False, name
            # A release is built from the tagged sources alone: no cache to poison.
            assert uses(step) != "Swatinem/rust-cache", name
    publish = jobs["publish"]
    assert publish["environment"]["name"] == "pypi"
    assert set(publish["needs"]) == {"linux", "linux-smoke", "native", "sdist"}
    assert "refs/tags/v" in publish["if"]
    assert "github.event_name == 'push'" in publish["if"]
    used = [uses(s) for s in steps(publish)]
    assert used == ["actions/download-artifact", "actions/attest", "pypa/gh-action-pypi-publish"]
    assert "with" not in steps(publish)[-1]  # no password: trusted publishing
    assert "secrets." not in (rendered / ".github" / "workflows" / "release.yml").read_text()


def test_workflows_are_pinned_to_the_pin_table(rendered: Path) -> None:
    paths = sorted((rendered / ".github" / "workflows").glob("*.yml"))
    assert [p.name for p in paths] == ["ci.yml", "release.yml"]
    used = set()
    for path in paths:
        assert assert_pins_known(path.read_text()) > 0
        used |= {line.split("uses:")[1].split("@")[0].strip()
                 for line in path.read_text().splitlines() if "uses:" in line}  # fmt: skip
    assert used == set(PIN_TABLE)


def check_tag(root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    done = subprocess.run(
        [sys.executable, "tools/release.py", "check-tag", *args], cwd=root,
        env={**clean, **(env or {})}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    return done.returncode, done.stdout + done.stderr


def test_the_tag_must_be_the_version(render: RenderFn) -> None:
    root = render("tagged").path
    version = tomllib.loads((root / "Cargo.toml").read_text())["workspace"]["package"]["version"]
    assert check_tag(root, f"v{version}")[0] == 0
    code, out = check_tag(root, "v9.9.9")
    assert code == 1
    assert f"tag v9.9.9 is not the package's version v{version}" in out
    # In GitHub Actions: the run's own tag, and nothing to compare on a branch.
    assert check_tag(root, env={"GITHUB_REF_TYPE": "tag", "GITHUB_REF_NAME": "v0.0.1"})[0] == 1
    code, out = check_tag(root, env={"GITHUB_REF_TYPE": "branch", "GITHUB_REF_NAME": "main"})
    assert (code, f"version {version}") == (0, out.split(" (")[0])
    # A crate that stops inheriting the version is refused too.
    core = next((root / "crates").glob("*-core/Cargo.toml"))
    core.write_text(core.read_text().replace("version.workspace = true", 'version = "0.0.1"'))
    code, out = check_tag(root, f"v{version}")
    assert code == 1
    assert "must use version.workspace = true" in out


def test_ci_none_has_no_release_workflow_but_keeps_the_tools(render: RenderFn) -> None:
    root = render("noci", ci="none").path
    assert not (root / ".github").exists()
    assert (root / "tools" / "release.py").is_file()
    assert (root / "tools" / "smoke.py").is_file()
