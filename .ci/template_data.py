# A script, not a package (INP001); it prints (T201); PyYAML is imported where its
# absence can be reported in one line (PLC0415).
# ruff: noqa: INP001, T201, PLC0415
"""What .ci/install needs from the template's data files, one value per line.

    python3 .ci/template_data.py pin NAME   the version pins.yml gives tool NAME
    python3 .ci/template_data.py apt        the Debian packages every target's session needs

The files are YAML (templates/targets.yml, templates/pins.yml); this reads them with
PyYAML, which every machine of ours has beside python3 (Debian's python3-yaml too).
"""

from __future__ import annotations

import sys
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def main(argv: list[str]) -> int:
    """Print what ``argv`` asks for; 1 when the data lacks it, 2 on a bad command line."""
    try:
        import yaml
    except ImportError:
        print("python3 lacks PyYAML: apt-get install python3-yaml", file=sys.stderr)
        return 1
    if argv[:1] == ["pin"] and len(argv) == 2:  # noqa: PLR2004
        pins = yaml.safe_load((TEMPLATES / "pins.yml").read_text(encoding="utf-8"))
        if argv[1] not in pins:
            print(f"pins.yml has no pin '{argv[1]}'", file=sys.stderr)
            return 1
        print(pins[argv[1]])
        return 0
    if argv == ["apt"]:
        targets = yaml.safe_load((TEMPLATES / "targets.yml").read_text(encoding="utf-8"))
        packages = {p: None for t in targets.values() for p in t.get("apt") or ()}
        print("\n".join(packages))
        return 0
    print("usage: template_data.py pin NAME | apt", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
