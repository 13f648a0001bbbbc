"""Org presets: `rustml new --preset` (path, git, environment default), locked answers,
the record in the project, and `rustml update` applying the recorded preset again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import tomlkit
import yaml

from .helpers import git

pytestmark = pytest.mark.render

PRESET = """\
[preset]
name = "acme-ml"

[defaults]
license = "Apache-2.0"
author_name = "Acme ML Platform"
author_email = "ml-platform@acme.example"
targets = ["cpu", "wasm"]

[locked]
ci = "github"
license = "Apache-2.0"

[policy]
allowed-licenses = ["Apache-2.0", "MIT OR Apache-2.0"]
deny-bans = ["openssl-sys"]
"""


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in {"RUSTML_PRESET", "XDG_CONFIG_HOME"}}
    return subprocess.run(
        [sys.executable, "-m", "rustml", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**base, **(env or {})},
        check=False,
    )


@pytest.fixture
def preset(outside_tmp: Path) -> Path:
    path = outside_tmp / "acme.toml"
    path.write_text(PRESET, encoding="utf-8")
    return path


def answers(project: Path) -> dict[str, object]:
    return yaml.safe_load((project / ".copier-answers.yml").read_text())


def test_preset_defaults_apply_and_are_recorded(outside_tmp: Path, preset: Path) -> None:
    project = outside_tmp / "svc"
    done = run("new", str(project), "--defaults", "--no-lock", "--preset", str(preset))
    assert done.returncode == 0, done.stderr
    assert "org preset: acme-ml" in done.stdout
    recorded = answers(project)
    assert recorded["license"] == "Apache-2.0"
    assert recorded["author_name"] == "Acme ML Platform"
    assert recorded["targets"] == ["cpu", "wasm"]
    assert (project / "crates" / "svc-wasm").is_dir()
    record = (project / ".rustml-preset.toml").read_text()
    assert record.endswith(PRESET)
    assert f"Source: {preset}" in record
    deny = tomlkit.parse((project / "deny.toml").read_text()).unwrap()
    assert {"crate": "openssl-sys", "reason": "org policy (preset)"} in deny["bans"]["deny"]


def test_user_answers_beat_defaults_but_not_locks(outside_tmp: Path, preset: Path) -> None:
    ok = outside_tmp / "ok"
    done = run("new", str(ok), "--defaults", "--no-lock", "--preset", str(preset),
               "--data", "targets=[cpu]", "--data", "author_name=Ana")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert answers(ok)["targets"] == ["cpu"]
    assert answers(ok)["author_name"] == "Ana"

    refused = outside_tmp / "refused"
    done = run("new", str(refused), "--defaults", "--no-lock", "--preset", str(preset),
               "--data", "ci=none")  # fmt: skip
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "ci is locked to 'github' by preset 'acme-ml'" in lines[0]
    assert "Traceback" not in done.stderr
    assert not refused.exists()


def test_default_preset_from_environment_and_config(outside_tmp: Path, preset: Path) -> None:
    from_env = outside_tmp / "from-env"
    done = run("new", str(from_env), "--defaults", "--no-lock", env={"RUSTML_PRESET": str(preset)})
    assert done.returncode == 0, done.stderr
    assert (from_env / ".rustml-preset.toml").is_file()

    config = outside_tmp / "config"
    (config / "rustml").mkdir(parents=True)
    (config / "rustml" / "config.toml").write_text(f'preset = "{preset}"\n')
    from_config = outside_tmp / "from-config"
    done = run("new", str(from_config), "--defaults", "--no-lock",
               env={"XDG_CONFIG_HOME": str(config)})  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert answers(from_config)["license"] == "Apache-2.0"

    plain = outside_tmp / "plain"
    done = run("new", str(plain), "--defaults", "--no-lock", "--no-preset",
               env={"RUSTML_PRESET": str(preset)})  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert not (plain / ".rustml-preset.toml").exists()
    assert answers(plain)["license"] == "MIT"


def test_preset_from_a_git_repository(outside_tmp: Path) -> None:
    repo = outside_tmp / "presets"
    (repo / "ml").mkdir(parents=True)
    (repo / "ml" / "acme.yaml").write_text(
        "preset: {name: acme-yaml}\ndefaults: {license: MIT OR Apache-2.0}\n"
    )
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "presets")
    git(repo, "tag", "v1")
    project = outside_tmp / "from-git"
    source = f"git+file://{repo}@v1#ml/acme.yaml"
    done = run("new", str(project), "--defaults", "--no-lock", "--preset", source)
    assert done.returncode == 0, done.stderr
    assert answers(project)["license"] == "MIT OR Apache-2.0"
    record = tomlkit.parse((project / ".rustml-preset.toml").read_text()).unwrap()
    assert record["preset"]["name"] == "acme-yaml"

    done = run(
        "new", str(outside_tmp / "x"), "--defaults", "--preset", f"git+file://{repo}#nope.toml"
    )
    assert done.returncode == 2
    assert "no file nope.toml" in done.stderr
    assert not (outside_tmp / "x").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[defaults]\nlicense = 'MIT'\n", "[preset] name is required"),
        ("[preset]\nname = 'x'\n[defaults]\nlicence = 'MIT'\n", "licence is not a question"),
        ("[preset]\nname = 'x'\n[locked]\nlicense = 'GPL'\n", "license must be one of"),
        ("[preset]\nname = 'x'\n[policy]\nallow = []\n", "unknown [policy] key allow"),
        ("[preset\nname = 'x'\n", "is not valid"),
    ],
)
def test_invalid_presets_are_one_line(outside_tmp: Path, text: str, message: str) -> None:
    bad = outside_tmp / "bad.toml"
    bad.write_text(text)
    done = run("new", str(outside_tmp / "p"), "--defaults", "--no-lock", "--preset", str(bad))
    assert done.returncode == 2
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert not (outside_tmp / "p").exists()


def test_update_applies_the_recorded_preset(outside_tmp: Path, preset: Path) -> None:
    project = outside_tmp / "svc"
    assert (
        run("new", str(project), "--defaults", "--no-lock", "--preset", str(preset)).returncode == 0
    )
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "generated")

    done = run("update", str(project), "--data", "ci=none")
    assert done.returncode == 2
    assert "locked to 'github' by preset 'acme-ml'" in done.stderr
    assert git(project, "status", "--porcelain") == ""

    # The preset's deny.toml bans are template content, not an edit: diff sees none.
    done = run("diff", str(project), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["files"] == []
