"""Termination signals as exceptions (rustml._signals), in a child interpreter each."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.unit

# The signal arrives while a finalizer runs: Python would print it as "Exception
# ignored" and drop it, losing the interrupt (seen in CI with plumbum's Popen.__del__).
IN_FINALIZER = textwrap.dedent(
    """
    import gc, os, signal, time
    from rustml._signals import Interrupted, handle_signals

    class Slow:
        def __del__(self):
            os.kill(os.getpid(), signal.{sig})
            deadline = time.monotonic() + 0.2
            while time.monotonic() < deadline:
                pass
            print("finalizer finished")

    with handle_signals():
        try:
            Slow()
            gc.collect()
            for _ in range(1000):
                time.sleep(0.001)
            print("not interrupted")
        except Interrupted as err:
            print("interrupted by", err.name)
    """
)


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGINT", "SIGHUP"])
def test_a_signal_during_a_finalizer_is_raised_after_it(sig: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", IN_FINALIZER.format(sig=sig)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.stderr == ""
    assert done.stdout.splitlines() == ["finalizer finished", f"interrupted by {sig}"]
