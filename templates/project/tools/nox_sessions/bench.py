"""``bench``: the kernels against scikit-learn and NumPy, as ratios measured in one run."""

from __future__ import annotations

import nox

from nox_sessions._tools import PROJECT, install_locked

RESULTS = PROJECT / "target" / "bench" / "bench.json"


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Build in release mode, then print the table of tools/bench.py and write its JSON.

    `nox -s bench -- --quick` runs small sizes only (a smoke test, not figures to quote).
    """
    install_locked(session, "test")
    # -I: the script's directory (tools/) is not put first on sys.path, so a package
    # whose name is also a module in tools/ (`bench` itself) is imported, not shadowed.
    session.run("python", "-I", "tools/bench.py", "--json", str(RESULTS), *session.posargs)
