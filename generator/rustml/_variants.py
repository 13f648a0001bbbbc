"""The variant matrix: which combinations of answers rustml's own tests render and build.

Derived from the template's ``copier.yml`` every time, never kept by hand, so a choice
added to the template is a new variant without touching the noxfile:

* the multiselect question (``targets``): its default alone, the default plus each other
  choice, plus each pair of them, and all of them together;
* every other question with choices (and every bool): each non-default value appears in
  at least one variant, spread over the variants after the first (which keeps every
  default, the baseline), in question order. A covering set, not the full product.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rustml._template import Question, Template, load_template

__all__ = ["Variant", "variants"]

#: What every variant's project is called: one name, so the crates and their compiled
#: dependencies are the same across variants and a shared cargo target dir is reused.
PROJECT_NAME = "demo"


@dataclass(frozen=True)
class Variant:
    """One combination of answers."""

    targets: tuple[str, ...]
    options: dict[str, Any] = field(default_factory=dict)
    """Answers other than ``targets`` that differ from the template's defaults."""

    @property
    def name(self) -> str:
        """A readable, shell-friendly id: ``cpu+wasm,license=BSD-3-Clause``."""
        parts = ["+".join(self.targets)]
        parts += [f"{key}={_slug(value)}" for key, value in self.options.items()]
        return ",".join(parts)

    @property
    def answers(self) -> dict[str, Any]:
        """The data to render the variant with."""
        return {"project_name": PROJECT_NAME, "targets": list(self.targets), **self.options}


def _slug(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return re.sub(r"\s+", "-", str(value))


def _target_sets(question: Question) -> list[tuple[str, ...]]:
    base = [str(v) for v in (question.default or [])]
    optional = [c for c in question.choices if c not in base and c not in question.disabled]
    combos: list[tuple[str, ...]] = [()]
    combos += [(c,) for c in optional]
    combos += list(itertools.combinations(optional, 2))
    if len(optional) > 2:  # noqa: PLR2004  (pairs already cover two)
        combos.append(tuple(optional))
    order = {c: i for i, c in enumerate(question.choices)}
    seen: dict[tuple[str, ...], None] = {}
    for combo in combos:
        seen[tuple(sorted({*base, *combo}, key=order.__getitem__))] = None
    return list(seen)


def _option_values(question: Question) -> list[Any]:
    """Non-default values of a single-choice or bool question."""
    if question.type == "bool":
        return [not bool(question.default)]
    default = str(question.default)
    return [c for c in question.choices if c != default and c not in question.disabled]


def variants(template: Template | None = None) -> list[Variant]:
    """The covering set of variants for ``template`` (default: rustml's own)."""
    template = template or load_template()
    multi = [q for q in template.asked.values() if q.multiselect and q.choices]
    target_sets = _target_sets(multi[0]) if multi else [()]
    options: list[dict[str, Any]] = [{} for _ in target_sets]
    slot = itertools.cycle(range(1, len(target_sets)) if len(target_sets) > 1 else [0])
    for question in template.asked.values():
        if question.multiselect or not (question.choices or question.type == "bool"):
            continue
        for value in _option_values(question):
            options[next(slot)][question.key] = value
    return [Variant(targets=t, options=o) for t, o in zip(target_sets, options, strict=True)]


def template_variants(root: Path) -> list[Variant]:
    """The variants of the template at ``root`` (a copy under test, for instance)."""
    return variants(load_template(root))
