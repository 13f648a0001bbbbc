"""Run the test suite tier by tier and time each: ``python -m tests.tiers [-n N] [--tiers ...]``.

The tiers (pytest markers, tests/conftest.py) run in order, each as its own pytest run:
``unit`` first (seconds; with the network blocked and cargo off PATH, so the tier's promise
is checked every time it runs), then ``render``, ``fleet`` and ``e2e``. Every tier runs even
when an earlier one failed; the exit status is non-zero if any failed (or ran no test).

At the end: one line per tier (tests, wall time) and a closing ``N passed, N failed`` line.
With ``RUSTML_CI_TIMES=<file>`` each tier's time is also appended there (``.ci/run``
prints the phase table from it).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TIERS = ("unit", "render", "fleet", "e2e")
#: Proxies that lead nowhere: a download in the unit tier fails instead of succeeding.
BLOCKED_NETWORK = dict.fromkeys(
    ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"), "http://127.0.0.1:9"
)
#: Kept off the unit tier's PATH: the tier must not need a Rust toolchain.
RUST_TOOLS = re.compile(r"^(cargo|rustc|rustup|rustdoc|rustfmt|cargo-.*|clippy-driver)$")


def _unit_path(farm: Path) -> str:
    """A PATH of links to every executable on the current PATH except Rust's tools."""
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        if not directory or not Path(directory).is_dir():
            continue
        for exe in Path(directory).iterdir():
            link = farm / exe.name
            if RUST_TOOLS.match(exe.name) or link.exists() or link.is_symlink():
                continue
            if exe.is_file() and os.access(exe, os.X_OK):
                link.symlink_to(exe)
    return str(farm)


def _counts(output: str) -> dict[str, int]:
    """pytest's closing line as counts: {'passed': 130, 'failed': 1, ...}."""
    lines = [line for line in output.splitlines() if re.search(r"\d+ (passed|failed|error)", line)]
    if not lines:
        return {}
    return {kind: int(n) for n, kind in re.findall(r"(\d+) (\w+)", lines[-1])}


def run_tier(tier: str, workers: str, extra: list[str]) -> tuple[int, float, dict[str, int]]:
    """One pytest run for ``tier``; its exit status, wall seconds and result counts."""
    # The slowest tests are listed: that is where a tier's time goes when it grows.
    cmd = [sys.executable, "-m", "pytest", "-m", tier, "-n", workers, "--durations=25", *extra]
    env = dict(os.environ)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rustml-unit-path-") as farm:
        if tier == "unit":
            env.update(BLOCKED_NETWORK)
            env["PATH"] = _unit_path(Path(farm))
        print(f"\n=== tier {tier}: {' '.join(cmd[1:])}", flush=True)
        # Streamed (a tier can take many minutes) and kept for the closing counts.
        lines = []
        with subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True) as proc:
            assert proc.stdout is not None
            for line in proc.stdout:
                sys.stdout.write(line)
                sys.stdout.flush()
                lines.append(line)
    seconds = time.perf_counter() - start
    return proc.returncode, seconds, _counts("".join(lines))


def main(argv: list[str] | None = None) -> int:
    """Run the chosen tiers; print the table; non-zero if any tier failed."""
    parser = argparse.ArgumentParser(prog="python -m tests.tiers", description=__doc__)
    parser.add_argument("-n", dest="workers", default="2", help="pytest-xdist workers")
    parser.add_argument("--tiers", default=",".join(TIERS), help="comma-separated tiers")
    args, extra = parser.parse_known_args(argv)
    chosen = [t.strip() for t in args.tiers.split(",") if t.strip()]
    unknown = sorted(set(chosen) - set(TIERS))
    if unknown:
        parser.error(f"unknown tier(s) {', '.join(unknown)}; choose from {', '.join(TIERS)}")
    results = {tier: run_tier(tier, args.workers, extra) for tier in chosen}

    times_file = os.environ.get("RUSTML_CI_TIMES")
    print("\ntier      status  tests   wall")
    passed = failed = 0
    for tier, (code, seconds, counts) in results.items():
        ok = code == 0
        tests = counts.get("passed", 0)
        passed += tests
        failures = sum(counts.get(k, 0) for k in ("failed", "error", "errors"))
        # A tier that failed without a failing test (collection error, no test run) counts.
        failed += failures if ok or failures else 1
        status = "ok" if ok else f"exit {code}"
        print(f"{tier:<9} {status:<7} {tests:>5} {seconds:>6.0f}s")
        if times_file:
            with Path(times_file).open("a", encoding="utf-8") as handle:
                handle.write(f"{tier} {seconds:.0f} {status}\n")
    if times_file:
        with Path(times_file).open("a", encoding="utf-8") as handle:
            handle.write(f"tests {passed} passed, {failed} failed\n")
    print(f"{passed} passed, {failed} failed")
    return 0 if all(code == 0 for code, _, _ in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
