"""rustml's typed API. The CLI is a thin layer over these functions."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rustml._names import normalise_project_name
from rustml._place import check_destination, place, staging_dir
from rustml._postprocess import generate_lockfile, verify_toml
from rustml._preset import RECORD_NAME, Preset, add_deny_bans, load_preset
from rustml._render import read_answers, render
from rustml._result import LockfileStatus, NewResult
from rustml._signals import deferred
from rustml._spec import ProjectSpec, load_data_file, parse_data_pairs, resolve_answers
from rustml._template import Template, load_template, template_root
from rustml._update import diff, update
from rustml._uvlock import SEED, lock_python
from rustml._version import __version__
from rustml.errors import DestinationError, InvalidNameError

__all__ = ["diff", "new", "update"]

#: Called with a short description of each step as it starts (the CLI shows a spinner).
Progress = Callable[[str], None]


def _no_progress(_: str) -> None:
    return None


@contextmanager
def _os_errors(dst: Path) -> Iterator[None]:
    """An OS error while writing the project is the destination's problem: one line.

    Disk full, read-only file system, ...; the staging directory goes as always.
    """
    try:
        yield
    except OSError as exc:
        what = exc.strerror or type(exc).__name__
        raise DestinationError(f"cannot write the project for {dst}: {what}") from None


def new(
    path: str | Path,
    *,
    data: dict[str, Any] | None = None,
    data_pairs: list[str] | None = None,
    data_file: str | Path | None = None,
    interactive: bool = False,
    force: bool = False,
    lockfile: bool = True,
    preset: str | Preset | None = None,
    progress: Progress = _no_progress,
) -> NewResult:
    """Generate a hybrid Python/Rust ML project at ``path``.

    The project name defaults to the last component of ``path``. Answers come from
    ``data`` (a mapping), ``data_pairs`` (``key=value`` strings as on the command line),
    ``data_file`` (YAML, JSON or TOML) and, for anything left, the template's defaults or,
    with ``interactive``, prompts. Later sources win: file < pairs < mapping.

    The project is rendered into a temporary directory beside ``path`` and moved into place
    only when complete, so a failure or an interrupt leaves nothing behind.

    Args:
        path: Destination directory; must be missing or empty unless ``force``.
        data: Answers by key (see ``rustml new --help`` for the keys).
        data_pairs: Answers as ``key=value`` strings; list values are YAML (``[cpu, gpu]``).
        data_file: A file of answers.
        interactive: Prompt for answers not given (needs a terminal).
        force: Render into a non-empty directory; files it replaces are moved to a
            ``.rustml-backup-<time>`` directory inside it.
        lockfile: Resolve Cargo.lock and uv.lock (needs crates.io and PyPI).
        preset: An org preset (or its source: a path or ``git+URL[@REF]#PATH``): its
            defaults fill answers not given, its locked answers cannot be given another
            value, and the project records it for ``update`` and ``check``.
        progress: Called with the name of each step.

    Returns:
        What was written, the validated answers and the lockfile status.

    Raises:
        InvalidNameError: the project name cannot become a package and crate name.
        InvalidAnswerError: an answer breaks its rule or names an unknown question.
        PresetError: the preset cannot be read, or an answer overrides a locked one.
        DestinationError: ``path`` cannot receive a project.
        RenderError: the template failed to render.
    """
    start = time.perf_counter()
    if not str(path).strip():
        raise InvalidNameError("project name must not be empty (PATH is empty)")
    dst = Path(path).expanduser().absolute()
    template = load_template()
    if isinstance(preset, str):
        preset = load_preset(preset, template)
    merged, user_defaults = _answers(template, data, data_pairs, data_file, preset, interactive)
    project_name = str(merged.get("project_name", dst.name))
    names = normalise_project_name(project_name)
    check_destination(dst, force=force)

    spec = None if interactive else resolve_answers(template, project_name, merged)
    # Interactively, Copier prompts for the rest, with defaults derived from the project name.
    render_data = spec.as_data() if spec else {"project_name": project_name, **merged}

    with staging_dir(dst) as staged, _os_errors(dst):
        progress("rendering the template")
        render(template, staged, data=render_data, interactive=interactive, defaults=user_defaults)
        if spec is None:  # prompted answers: validate what Copier recorded
            answers_file = staged / str(
                template.settings.get("_answers_file", ".copier-answers.yml")
            )
            spec = resolve_answers(template, project_name, read_answers(answers_file))
        status = _finish(staged, spec, preset, lockfile=lockfile, progress=progress)
        files = tuple(sorted(p.relative_to(staged) for p in staged.rglob("*") if p.is_file()))
        progress("moving the project into place")
        # From here the project is placed: a signal is held back until this returns, so
        # it is reported as arriving after the project was written, never before.
        with deferred():
            backups = place(staged, dst)
            result = NewResult(
                path=dst,
                spec=spec,
                names=names
                if spec.project_name == project_name
                else normalise_project_name(spec.project_name),
                files=files,
                lockfile=status,
                template_version=__version__,
                seconds=time.perf_counter() - start,
                backups=backups,
                preset=preset.name if preset is not None else None,
            )
    return result


def _answers(
    template: Template,
    data: dict[str, Any] | None,
    data_pairs: list[str] | None,
    data_file: str | Path | None,
    preset: Preset | None,
    interactive: bool,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The answers given (file < pairs < mapping, then the preset's) and prompt defaults."""
    merged: dict[str, Any] = {}
    if data_file is not None:
        merged.update(load_data_file(Path(data_file), template))
    merged.update(parse_data_pairs(list(data_pairs or []), template))
    merged.update(data or {})
    if preset is None:
        return merged, {}
    preset.check_locked(merged)
    # Non-interactive: the defaults are answers; interactive: Copier offers them.
    merged = {**(preset.defaults if not interactive else {}), **merged, **preset.locked}
    return merged, dict(preset.defaults)


def _finish(
    staged: Path, spec: ProjectSpec, preset: Preset | None, *, lockfile: bool, progress: Progress
) -> LockfileStatus:
    """What follows the render: the preset's record and bans, TOML checks, the lockfile."""
    if preset is not None:
        (staged / RECORD_NAME).write_text(preset.record(), encoding="utf-8")
        add_deny_bans(staged, preset.policy.deny_bans)
    verify_toml(staged)
    if not lockfile:
        return LockfileStatus(generated=False, reason="not requested", attempted=False)
    if spec.vendor:
        progress("resolving and vendoring dependencies (Cargo.lock, vendor/)")
    else:
        progress("resolving dependencies (Cargo.lock)")
    cargo = generate_lockfile(staged, vendor=spec.vendor)
    if not cargo.generated:
        return cargo
    progress("resolving Python dependencies (uv.lock)")
    python = lock_python(staged, template_root() / SEED)
    if not python.generated:
        return LockfileStatus(generated=False, reason=f"uv.lock: {python.reason}")
    return cargo
