"""Building a Linux wheel for another machine or libc, and checking it as PyPI and pip will.

Shared by ``nox -s wheels`` (the release matrix's Linux wheels) and ``nox -s cross``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nox

#: ELF e_machine values of the wheels' architectures.
ELF_MACHINE = {"x86_64": 62, "aarch64": 183}
#: What musl's dynamic linker answers itself for: zig links musl wheels against
#: `libc.so`, where musl's own toolchain writes `libc.musl-<arch>.so.1`. auditwheel's
#: policy knows only the latter; both resolve to the loader at run time.
MUSL_LIBC = "libc.so"


@dataclass(frozen=True)
class LinuxWheel:
    """One Linux wheel of the release matrix: a Rust target and the policy it must meet."""

    target: str
    """The Rust target triple, e.g. ``aarch64-unknown-linux-musl``."""

    @property
    def arch(self) -> str:
        """The machine: ``x86_64`` or ``aarch64``."""
        return self.target.split("-", 1)[0]

    @property
    def musl(self) -> bool:
        """Whether the wheel is for musllinux (else manylinux)."""
        return self.target.endswith("-musl")

    @property
    def policy(self) -> str:
        """The platform tag the wheel must carry (and auditwheel must grant)."""
        return f"musllinux_1_2_{self.arch}" if self.musl else f"manylinux_2_17_{self.arch}"

    @property
    def compatibility(self) -> str:
        """The ``--compatibility`` maturin builds for the policy with."""
        return "musllinux_1_2" if self.musl else "manylinux2014"


def build(
    session: nox.Session,
    wheel: LinuxWheel,
    out: Path,
    env: dict[str, str],
    *args: str,
) -> Path:
    """``maturin build`` of ``wheel`` into ``out`` (emptied first), linked by zig.

    zig links against an old glibc (2.17) or musl whatever the host has; maturin makes
    it the linker, so a linker configured for the target is not passed on.
    """
    shutil.rmtree(out, ignore_errors=True)
    cmd = ["maturin", "build", "--release", "--locked", "--zig", "--target", wheel.target]
    cmd += ["--compatibility", wheel.compatibility, "--out", str(out), *args]
    session.run(*cmd, env=env)
    (built,) = out.glob("*.whl")
    return built


def check(session: nox.Session, built: Path, wheel: LinuxWheel) -> None:
    """Fails the session unless ``built`` is a wheel for ``wheel``'s machine and policy.

    Its platform tags, the ELF machine of its extension, and auditwheel (from the lock):
    the symbol versions it needs and no shared library outside the policy.
    """
    tags, extensions = _contents(built)
    # manylinux_2_17 is also spelled by its legacy alias, manylinux2014.
    platforms = {wheel.policy, wheel.policy.replace("manylinux_2_17", "manylinux2014")}
    if not tags or not all(tag.rsplit("-", 1)[-1] in platforms for tag in tags):
        session.error(f"{built.name}: platform tags {tags}, expected {wheel.policy}")
    machine = ELF_MACHINE[wheel.arch]
    for name, header in extensions.items():
        # ELF identification (64-bit), then e_machine: a little-endian u16 at offset 18.
        found = int.from_bytes(header[18:20], "little")
        if header[:4] != b"\x7fELF" or header[4] != 2 or found != machine:
            session.error(f"{name}: not an ELF64 for {wheel.arch} (e_machine {found})")
    # No library search path: nothing of this host's may stand in for the target's.
    empty = Path(session.create_tmp()) / "no-ldpaths"
    empty.mkdir(exist_ok=True)
    # stdout alone: auditwheel logs to stderr, which nox would mix into the output.
    auditwheel = str(Path(session.bin) / "auditwheel")
    cmd = [auditwheel, "show", "--json", "--ldpaths", str(empty), str(built)]
    session.log(" ".join(cmd))
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        session.error(f"auditwheel show failed on {built.name}: {done.stderr.strip()}")
    audit = json.loads(done.stdout)
    external = set(audit["external_libs"]) - ({MUSL_LIBC} if wheel.musl else set())
    if external:
        session.error(f"{built.name}: needs libraries outside {wheel.policy}: {sorted(external)}")
    # The symbol versions it needs (glibc's) fit the policy.
    if audit["sym_tag"] != wheel.policy:
        session.error(f"{built.name}: its symbols need {audit['sym_tag']}, not {wheel.policy}")
    kib = built.stat().st_size / 1024
    libc = f" (libc: {MUSL_LIBC})" if wheel.musl else ""
    session.log(
        f"{built.name}: {kib:.0f} KiB; {', '.join(extensions)}: ELF64 e_machine {machine};"
        f" auditwheel: {wheel.policy}, no external libraries{libc}"
    )


def _contents(built: Path) -> tuple[list[str], dict[str, bytes]]:
    """The wheel's platform tags, and each extension module's ELF header."""
    with zipfile.ZipFile(built) as zf:
        meta = next(n for n in zf.namelist() if n.endswith(".dist-info/WHEEL"))
        tags = [
            line.split(":", 1)[1].strip()
            for line in zf.read(meta).decode().splitlines()
            if line.startswith("Tag:")
        ]
        extensions = {n: zf.read(n)[:20] for n in zf.namelist() if n.endswith(".so")}
    return tags, extensions
