# A script, not a package (INP001); it prints (T201); PyYAML is imported where its
# absence can be reported in one line (PLC0415).
# ruff: noqa: INP001, T201, PLC0415
"""What .ci/install needs from the template's data files, as bash assignments.

    eval "$(python3 .ci/template_data.py)"

sets, from templates/pins.yml, ``pin_<tool>`` for every pin (``pin_rust_toolchain``,
``pin_cargo_deny`` ...), and from templates/targets.yml (every target, selected or not:
rustml's tests build them all) the arrays

    target_apt      the Debian packages the targets' sessions need
    tool_label      the other tools they need, one entry per tool: a label,
    tool_have       a bash condition that holds when it is installed,
    tool_install    the bash commands that install it,
    tool_hint       and the command `.ci/install --check` prints for it.

``${pin_<tool>}`` in a tool's fields is the pin's version, replaced here. The files are
YAML; this reads them with PyYAML, which every machine of ours has beside python3
(Debian's python3-yaml too).
"""

from __future__ import annotations

import shlex
import string
import sys
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TOOL_FIELDS = ("label", "have", "install", "hint")


def assignments(targets: dict[str, Any], pins: dict[str, Any]) -> list[str]:
    """The bash assignments for ``targets`` (targets.yml) and ``pins`` (pins.yml)."""
    # Scalar pins only: `actions` (the workflows' SHA pins) is nothing to install here.
    versions = {
        f"pin_{name}": str(version)
        for name, version in pins.items()
        if not isinstance(version, (dict, list))
    }
    lines = [f"{name}={shlex.quote(version)}" for name, version in versions.items()]

    def array(name: str, values: list[str]) -> str:
        return f"{name}=({' '.join(shlex.quote(v) for v in values)})"

    apt = {p: None for t in targets.values() for p in t.get("apt") or ()}
    lines.append(array("target_apt", list(apt)))
    tools = [tool for t in targets.values() for tool in t.get("tools") or ()]
    for field in TOOL_FIELDS:
        values = [string.Template(str(tool[field])).safe_substitute(versions) for tool in tools]
        lines.append(array(f"tool_{field}", values))
    return lines


def main(argv: list[str]) -> int:
    """Print the assignments; 1 when the data cannot be read, 2 on a bad command line."""
    if argv:
        print("usage: template_data.py (no arguments)", file=sys.stderr)
        return 2
    try:
        import yaml
    except ImportError:
        print("python3 lacks PyYAML: apt-get install python3-yaml", file=sys.stderr)
        return 1
    try:
        targets = yaml.safe_load((TEMPLATES / "targets.yml").read_text(encoding="utf-8"))
        pins = yaml.safe_load((TEMPLATES / "pins.yml").read_text(encoding="utf-8"))
        print("\n".join(assignments(targets, pins)))
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as err:
        print(f"cannot read the template's data files: {err!r}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
