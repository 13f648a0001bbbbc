"""Every released template version, replayable offline.

``rustml update`` needs the template a project was generated from (to see what its owners
changed) and the one it moves to. The current version is the live template
(``rustml/_template`` in a wheel, ``templates/`` in a checkout); each earlier release is a
snapshot shipped in the package, ``_template_history/v<version>.tar.gz``, written by
``nox -s template-snapshot`` when a release is cut. Snapshots are plain deterministic
tarballs of ``templates/``: no git, no network, no path of the machine that built them.

A :class:`TemplateHistory` can also be assembled from any directories (tests build one
with a newer fixture version through the same code path).
"""

from __future__ import annotations

import gzip
import io
import os
import re
import shutil
import tarfile
from collections.abc import Mapping
from dataclasses import dataclass
from functools import total_ordering
from pathlib import Path

from packaging.version import InvalidVersion
from packaging.version import Version as _Pep440

from rustml._template import template_root
from rustml._version import __version__
from rustml.errors import RustmlError

__all__ = [
    "HISTORY_ENV",
    "SNAPSHOT_DIR",
    "TemplateHistory",
    "Version",
    "default_history",
    "write_snapshot",
]

SNAPSHOT_DIR = Path(__file__).resolve().parent / "_template_history"
_SNAPSHOT_RE = re.compile(r"^v(?P<version>\d+\.\d+\.\d+(?:[.-]?\w+)?)\.tar\.gz$")


@total_ordering
@dataclass(frozen=True, eq=False)
class Version:
    """A template version (PEP 440, as the package's own), ordered by ``packaging``."""

    text: str

    @classmethod
    def parse(cls, text: str) -> Version:
        """Parse ``0.2.0`` or ``v0.2.0`` (a leading ``v`` is dropped).

        Raises:
            ValueError: ``text`` is not a version rustml writes (PEP 440, no local part).
        """
        bare = str(text).strip().removeprefix("v")
        try:
            parsed = _Pep440(bare)
        except InvalidVersion:
            raise ValueError(f"not a rustml version: {text!r}") from None
        if parsed.local is not None or parsed.epoch:
            raise ValueError(f"not a rustml version: {text!r}")
        return cls(bare)

    @property
    def _key(self) -> _Pep440:
        return _Pep440(self.text)

    def __lt__(self, other: object) -> bool:
        """Order as PEP 440 does: a pre-release (dev, a, b, rc) before its release."""
        if not isinstance(other, Version):
            return NotImplemented
        return self._key < other._key

    def __eq__(self, other: object) -> bool:
        """Equal when PEP 440 says so (``0.2.0`` and ``0.2``, ``0.2.0dev0``)."""
        if not isinstance(other, Version):
            return NotImplemented
        return self._key == other._key

    def __hash__(self) -> int:
        """Consistent with equality."""
        return hash(self._key)

    @property
    def release(self) -> Version:
        """The release this version leads to (``0.3.0`` for ``0.3.0.dev0``)."""
        return Version(self._key.base_version)

    @property
    def tag(self) -> str:
        """The form recorded as ``_commit`` in answers files (``v0.1.0``)."""
        return f"v{self.text}"

    def __str__(self) -> str:
        """The bare version."""
        return self.text


@dataclass(frozen=True)
class TemplateHistory:
    """Template versions that can be rendered, and the one projects update to."""

    sources: Mapping[Version, Path]
    """Version -> a template directory (holding copier.yml) or a snapshot tarball."""
    current: Version

    @property
    def versions(self) -> list[Version]:
        """Every available version, oldest first."""
        return sorted(self.sources)

    def __contains__(self, version: object) -> bool:
        """Whether ``version`` can be replayed."""
        return version in self.sources

    def materialise(self, version: Version, into: Path) -> Path:
        """Return a directory holding ``version``'s template (extracted under ``into``)."""
        source = self.sources[version]
        if source.is_dir():
            return source
        root = into / f"template-{version.tag}"
        if not root.exists():
            with tarfile.open(source, "r:gz") as archive:
                archive.extractall(root, filter="data")
        return root


#: A directory of extra template versions (``v<version>.tar.gz`` snapshots or
#: ``v<version>/`` template directories). The newest version overall becomes the update
#: target. For tests of the release machinery, and for trying a template release before
#: building it into a wheel.
HISTORY_ENV = "RUSTML_TEMPLATE_HISTORY"


def _scan(directory: Path, sources: dict[Version, Path]) -> None:
    for path in directory.iterdir():
        match = _SNAPSHOT_RE.match(path.name)
        if match:
            sources[Version.parse(match["version"])] = path
        elif path.is_dir() and (path / "copier.yml").is_file():
            try:
                sources[Version.parse(path.name)] = path
            except ValueError:
                continue


def default_history() -> TemplateHistory:
    """The history shipped with this rustml: its snapshots plus the live template."""
    sources: dict[Version, Path] = {}
    if SNAPSHOT_DIR.is_dir():
        _scan(SNAPSHOT_DIR, sources)
    sources[Version.parse(__version__)] = template_root()
    extra = os.environ.get(HISTORY_ENV)
    if extra and Path(extra).is_dir():
        _scan(Path(extra), sources)
    return TemplateHistory(sources=sources, current=max(sources))


def write_snapshot(template: Path, version: Version, into: Path = SNAPSHOT_DIR) -> Path:
    """Write ``template`` as ``into/v<version>.tar.gz``, byte-for-byte reproducible.

    Entries are sorted, owned by nobody, dated 0 and compiled files are left out, so the
    same template always gives the same archive (and a clean ``git status``).

    Raises:
        RustmlError: ``template`` has no copier.yml.
    """
    if not (template / "copier.yml").is_file():
        raise RustmlError(f"{template} is not a template (no copier.yml)")
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for path in sorted(template.rglob("*")):
            rel = path.relative_to(template)
            if "__pycache__" in rel.parts or path.suffix == ".pyc":
                continue
            info = archive.gettarinfo(str(path), arcname=rel.as_posix())
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mtime = 0
            info.mode = 0o755 if path.is_dir() or info.mode & 0o100 else 0o644
            if path.is_file():
                with path.open("rb") as handle:
                    archive.addfile(info, handle)
            else:
                archive.addfile(info)
    into.mkdir(parents=True, exist_ok=True)
    target = into / f"{version.tag}.tar.gz"
    tmp = target.with_suffix(".tmp")
    with (
        tmp.open("wb") as raw,
        gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as zipped,
    ):
        zipped.write(buffer.getvalue())
    shutil.move(tmp, target)
    return target
