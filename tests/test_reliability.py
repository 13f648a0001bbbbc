"""Nothing a user made is lost, nothing is half-written, no tracebacks: issue 16's
reproductions, each run as the issue wrote it, with the behaviour it now has.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
import venv
from pathlib import Path

import copier
import pytest
import rustml
from rustml._template import template_root

from .helpers import commit_all, file_bytes, git, rustml_cli, snapshot

pytestmark = pytest.mark.render


def one_error_line(done: subprocess.CompletedProcess[str], code: int = 2) -> str:
    """The single ``error:`` line a refused command prints (and nothing else on stderr)."""
    assert done.returncode == code, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


# -- 1: removing a target whose crate the owners edited ------------------------------


def test_removing_an_edited_target_is_refused_and_changes_nothing(outside_tmp: Path) -> None:
    project = outside_tmp / "p"
    rustml.new(project, data={"targets": ["cpu", "wasm"]}, lockfile=False)
    commit_all(project, "generated with wasm")
    with (project / "crates/p-wasm/src/lib.rs").open("a") as handle:
        handle.write("// the team's note\n")
    commit_all(project, "edit")
    before = snapshot(project)
    line = one_error_line(rustml_cli("update", "-d", "targets=[cpu]", cwd=project))
    assert "crates/p-wasm" in line
    assert "crates/p-wasm/src/lib.rs" in line
    assert snapshot(project) == before


# -- 2 and 3: --force keeps every owner byte, all or nothing -------------------------


def test_force_twice_in_one_second_keeps_the_owners_original(outside_tmp: Path) -> None:
    dst = outside_tmp / "f"
    dst.mkdir()
    (dst / "README.md").write_text("MINE\n")
    for description in ("one", "two", "three"):
        rustml.new(dst, data={"description": description}, force=True, lockfile=False)
    backups = sorted(dst.glob(".rustml-backup-*"))
    assert len(backups) == 3, backups
    originals = [b for b in backups if (b / "README.md").read_text() == "MINE\n"]
    assert len(originals) == 1


@pytest.mark.parametrize(
    ("owner", "kind"),
    [("pyproject.toml/x", "a directory where the template has a file"),
     ("crates", "a file where the template has a directory")],
)  # fmt: skip
def test_force_replaces_entries_in_the_way_whole(outside_tmp: Path, owner: str, kind: str) -> None:
    dst = outside_tmp / "f2"
    (dst / owner).parent.mkdir(parents=True, exist_ok=True)
    (dst / owner).write_text(f"mine: {kind}\n")
    done = rustml_cli("new", str(dst), "--defaults", "--no-lock", "--force")
    assert done.returncode == 0, done.stderr
    (backup,) = dst.glob(".rustml-backup-*")
    assert (backup / owner).read_text() == f"mine: {kind}\n"
    assert (dst / "pyproject.toml").is_file()
    assert (dst / "crates/f2-core/Cargo.toml").is_file()


def test_force_that_fails_midway_leaves_the_destination_as_it_was(outside_tmp: Path) -> None:
    dst = outside_tmp / "f3"
    dst.mkdir()
    (dst / "Cargo.toml").write_text("mine\n")
    (dst / "notes").write_text("mine\n")
    # A read-only directory the placement must write into: the move into it fails
    # after the owners' Cargo.toml has already gone to the backup.
    (dst / "python").mkdir()
    os.system(f"chattr +i {dst / 'python'} 2>/dev/null")  # noqa: S605
    try:
        if os.access(dst / "python", os.W_OK):
            pytest.skip("cannot make a directory read-only here (chattr)")
        before = file_bytes(dst)
        line = one_error_line(rustml_cli("new", str(dst), "--defaults", "--no-lock", "--force"))
        assert "nothing was changed" in line
        assert file_bytes(dst) == before
        assert sorted(p.name for p in dst.iterdir()) == ["Cargo.toml", "notes", "python"]
    finally:
        os.system(f"chattr -i {dst / 'python'} 2>/dev/null")  # noqa: S605


# -- 5 and 6: unreadable files and OS errors -----------------------------------------


def test_non_utf8_answers_file_is_one_line_everywhere(outside_tmp: Path) -> None:
    good = outside_tmp / "fleet" / "good"
    bad = outside_tmp / "fleet" / "bad"
    for project in (good, bad):
        rustml.new(project, lockfile=False)
        commit_all(project, "generated")
    (bad / ".copier-answers.yml").write_bytes(b"\xff\xfe_src_path: rustml\n")
    commit_all(bad, "broken answers")
    for command in (["update"], ["diff"], ["check"]):
        line = one_error_line(rustml_cli(*command, cwd=bad))
        assert ".copier-answers.yml is not UTF-8" in line
    fleet = rustml_cli("check", "-r", str(outside_tmp / "fleet"))
    assert fleet.returncode == 2
    assert "Traceback" not in fleet.stderr
    assert "error" in fleet.stdout  # the table is printed, the bad one in it
    assert "2 repositories" in fleet.stderr
    report = json.loads(
        rustml_cli("check", "-r", str(outside_tmp / "fleet"), "--format", "json").stdout
    )
    status = {Path(r["path"]).name: r["status"] for r in report["repos"]}
    assert status == {"bad": "error", "good": "findings"}  # good: no Cargo.lock (RM202)


def test_binary_data_file_is_one_line(outside_tmp: Path) -> None:
    data = outside_tmp / "answers.yml"
    data.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    line = one_error_line(rustml_cli("new", str(outside_tmp / "p"), "--data-file", str(data)))
    assert "not UTF-8" in line
    assert not (outside_tmp / "p").exists()


def test_destination_os_errors_are_one_line(outside_tmp: Path) -> None:
    long_name = "a" * 300
    line = one_error_line(rustml_cli("new", f"{outside_tmp}/{long_name}/p", "--defaults"))
    assert "longer than the file system allows" in line
    assert list(outside_tmp.iterdir()) == []  # nothing half-made
    for unwritable in ("/proc/rustml-test/p", "/sys/rustml-test/p"):
        one_error_line(rustml_cli("new", unwritable, "--defaults", "--no-lock"))
    # A directory nobody may write in, not even root (immutable).
    locked = outside_tmp / "locked"
    locked.mkdir()
    os.system(f"chattr +i {locked} 2>/dev/null")  # noqa: S605
    try:
        if not os.access(locked, os.W_OK):
            line = one_error_line(rustml_cli("new", str(locked / "p"), "--defaults", "--no-lock"))
            assert "is not writable" in line
    finally:
        os.system(f"chattr -i {locked} 2>/dev/null")  # noqa: S605


# -- 7 and 8: one set of answer rules; names that collide ----------------------------


@pytest.mark.parametrize(
    ("name", "rule"),
    [("json", "standard library"), ("numpy", "dependency"), ("core", "every build"),
     ("self", "Rust keyword"), ("a" * 42, "at most 32"), ("rayon", "dependency graph"),
     ("pytest", "sessions install"), ("wgpu", "dependency graph")],
)  # fmt: skip
def test_names_colliding_with_what_the_project_uses_are_refused(
    outside_tmp: Path, name: str, rule: str
) -> None:
    line = one_error_line(rustml_cli("new", str(outside_tmp / name), "--defaults"))
    assert rule in line
    assert list(outside_tmp.iterdir()) == []


def test_a_project_named_bench_runs_its_own_bench_script(outside_tmp: Path) -> None:
    """tools/bench.py of a project named `bench` imports the package, not itself."""
    project = outside_tmp / "bench"
    rustml.new(project, lockfile=False)
    session = (project / "tools/nox_sessions/bench.py").read_text()
    assert '"python", "-I", "tools/bench.py"' in session
    env_dir = outside_tmp / "venv"
    venv.create(env_dir)
    site = next((env_dir / "lib").glob("python3*/site-packages"))
    # Stand-ins for what bench.py imports (building the real package needs cargo).
    stubs = {
        "numpy/__init__.py": "",
        "sklearn/__init__.py": "",
        "sklearn/cluster.py": "KMeans = None\n",
        "sklearn/preprocessing.py": "StandardScaler = None\n",
        "threadpoolctl.py": "threadpool_limits = None\n",
        "bench/__init__.py": "KMeans = StandardScaler = None\n",
    }
    for rel, text in stubs.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    python = str(env_dir / "bin" / "python")

    def bench_help(*flags: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [python, *flags, "tools/bench.py", "--help"],
            cwd=project, capture_output=True, text=True, check=False,
        )  # fmt: skip

    shadowed = bench_help()  # how the session ran it before: tools/ first on sys.path
    assert "partially initialized module 'bench'" in shadowed.stderr
    isolated = bench_help("-I")  # how the session runs it now
    assert isolated.returncode == 0, isolated.stderr
    assert "usage:" in isolated.stdout


# -- 9: check reads what the project really declares ---------------------------------

ORG = """\
[preset]
name = "org"
[policy]
allowed-licenses = ["Apache-2.0"]
deny-bans = ["openssl-sys"]
"""


def test_check_sees_real_licenses_and_every_edit_in_a_reported_file(outside_tmp: Path) -> None:
    preset = outside_tmp / "org.toml"
    preset.write_text(ORG)
    project = outside_tmp / "p"
    rustml.new(project, data={"license": "MIT"}, lockfile=False)
    commit_all(project, "generated")
    answers = project / ".copier-answers.yml"
    answers.write_text(answers.read_text().replace("license: MIT", "license: Apache-2.0"))
    deny = project / "deny.toml"
    deny.write_text(deny.read_text().replace("allow = [", 'allow = [\n    "GPL-3.0",', 1))
    done = rustml_cli("check", str(project), "--preset", str(preset), "--format", "json")
    found = json.loads(done.stdout)["repos"][0]["findings"]
    findings = {(f["id"], f["path"]) for f in found}
    (licenses,) = [f["message"] for f in found if f["id"] == "RM301"]
    assert "'MIT' (pyproject.toml, Cargo.toml, LICENSE) is not allowed" in licenses
    assert ("RM204", "deny.toml") in findings
    assert ("RM103", "deny.toml") in findings  # the GPL allowance is not hidden by RM204


def test_check_recursive_with_no_project_exits_2(outside_tmp: Path) -> None:
    (outside_tmp / "empty" / "sub").mkdir(parents=True)
    line = one_error_line(rustml_cli("check", "-r", str(outside_tmp / "empty")))
    assert "no rustml project found" in line


def test_scratch_directories_are_never_projects(outside_tmp: Path) -> None:
    rustml.new(outside_tmp / "real", lockfile=False)
    # What a killed run leaves: a staging directory named after a process that is gone.
    leftover = outside_tmp / ".real2.rustml-staging-999999-abc" / "real2"
    rustml.new(leftover, lockfile=False)
    done = rustml_cli("check", "-r", str(outside_tmp), "--format", "json")
    paths = [r["path"] for r in json.loads(done.stdout)["repos"]]
    assert paths == [str(outside_tmp / "real")]
    # The next `new` beside it removes it.
    rustml.new(outside_tmp / "third", lockfile=False)
    assert not leftover.parent.exists()


# -- 10: preset sources are data ------------------------------------------------------


def test_preset_source_cannot_reach_git_as_an_option(outside_tmp: Path) -> None:
    marker = outside_tmp / "pwned"
    for source in (f"git+--upload-pack=touch {marker}#p.toml", "-p.toml"):
        line = one_error_line(
            rustml_cli("new", str(outside_tmp / "p"), "--defaults", "--preset", source)
        )
        assert "must not start with '-'" in line or "starts with '-'" in line
    assert not marker.exists()
    assert not (outside_tmp / "p").exists()


# -- 11: the smaller ones -------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expect"),
    [(b"_src_path: rustml\n_commit: [\n", "not valid YAML"), (b"", "is empty"),
     (b"- a\n- b\n", "mapping")],
)  # fmt: skip
def test_broken_answers_files_are_one_line(outside_tmp: Path, content: bytes, expect: str) -> None:
    project = outside_tmp / "p"
    rustml.new(project, lockfile=False)
    (project / ".copier-answers.yml").write_bytes(content)
    commit_all(project, "broken")
    line = one_error_line(rustml_cli("update", cwd=project))
    assert expect in line
    assert "copier update" not in line


def test_update_and_diff_find_the_root_from_a_subdirectory(outside_tmp: Path) -> None:
    project = outside_tmp / "p"
    rustml.new(project, lockfile=False)
    commit_all(project, "generated")
    inside = project / "crates" / "p-core" / "src"
    assert rustml_cli("diff", cwd=inside).returncode == 0
    done = rustml_cli("update", cwd=inside)
    assert done.returncode == 0, done.stderr
    assert "up to date" in done.stdout


def test_an_answer_the_template_no_longer_accepts_names_its_file_and_key(
    outside_tmp: Path,
) -> None:
    project = outside_tmp / "p"
    rustml.new(project, lockfile=False)
    answers = project / ".copier-answers.yml"
    answers.write_text(answers.read_text().replace("crate_prefix: p", "crate_prefix: rayon"))
    commit_all(project, "an answer an older template accepted")
    line = one_error_line(rustml_cli("update", cwd=project))
    assert ".copier-answers.yml" in line
    assert "crate_prefix" in line
    assert "rayon-core" in line
    git(project, "status", "--porcelain")


def test_copier_copy_refuses_each_bad_name_at_its_question(outside_tmp: Path) -> None:
    """Plain Copier on templates/ applies the same rules as rustml.

    For each bad name of rustml's own test list.
    """
    for name in ["1abc", "class", "my project", "fn", "-x", "test", "json", "numpy", "core",
                 "self", "a" * 42, "rayon", "tests", "naïve", "abc-"]:  # fmt: skip
        with pytest.raises(ValueError, match="Validation error for question 'project_name'"):
            copier.run_copy(
                str(template_root()), outside_tmp / "p", data={"project_name": name},
                defaults=True, quiet=True,
            )  # fmt: skip
    for package in ["json", "numpy", "core", "self", "pytest"]:
        with pytest.raises(ValueError, match="Validation error for question 'package_name'"):
            copier.run_copy(
                str(template_root()), outside_tmp / "p",
                data={"project_name": "demo", "package_name": package},
                defaults=True, quiet=True,
            )  # fmt: skip


def test_the_prompt_refuses_a_bad_answer_at_its_question(outside_tmp: Path) -> None:
    """On a terminal, `json` as the package name is refused at that question (Copier runs
    the template's rule there), not after every other question."""
    master, slave = pty.openpty()
    # A wide terminal, so the whole validation message fits on the prompt's toolbar.
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 240, 0, 0))
    dst = outside_tmp / "demo"
    proc = subprocess.Popen(
        [sys.executable, "-m", "rustml", "new", str(dst), "--no-lock", "--no-preset"],
        stdin=slave, stdout=slave, stderr=slave, env={**os.environ, "TERM": "xterm"},
        start_new_session=True,
    )  # fmt: skip
    os.close(slave)
    screen = bytearray()

    def wait_for(text: bytes, timeout: float = 20.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in screen:
                return True
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    screen.extend(os.read(master, 65536))
                except OSError:
                    return text in screen
        return False

    try:
        assert wait_for(b"Python import name"), screen.decode(errors="replace")
        os.write(master, b"\x15json\r")  # clear the default, type json, Enter
        assert wait_for(b"Validation error for question 'package_name'")
        assert wait_for(b"standard library")
        time.sleep(0.5)
        assert b"Prefix of the Rust crate names" not in screen  # still at package_name
        os.write(master, b"\x03")  # Ctrl-C
        assert proc.wait(timeout=20) == 130
    finally:
        proc.kill()
        os.close(master)
    assert not dst.exists()
    assert list(outside_tmp.iterdir()) == []
