"""Every command's JSON has a published schema (docs/schemas/, check's at
docs/check-schema.json), valid JSON Schema 2020-12, with the same envelope. Each test that
runs a command with ``--format json`` validates its output (tests/helpers.rustml_cli)."""

from __future__ import annotations

import json

import jsonschema
import pytest
from rustml._json import SCHEMA_VERSION, SCHEMAS

from .helpers import REPO

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("command", sorted(SCHEMAS))
def test_schema_is_valid_and_published(command: str) -> None:
    schema = json.loads(SCHEMAS[command].read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert {"schema_version", "rustml_version", "command", "exit_code"} <= set(schema["required"])
    assert schema["properties"]["schema_version"] == {"const": SCHEMA_VERSION}
    assert schema["properties"]["command"] == {"const": command}
    published = (
        REPO / "docs" / ("check-schema.json" if command == "check" else f"schemas/{command}.json")
    )
    assert published.read_text(encoding="utf-8") == SCHEMAS[command].read_text(encoding="utf-8")


def test_every_command_with_json_output_has_a_schema() -> None:
    from rustml._cli import app  # noqa: PLC0415  (the CLI only for this test)

    with_format = {
        c.name or c.callback.__name__
        for c in app.registered_commands
        if c.callback and "fmt" in c.callback.__code__.co_varnames
    }
    assert with_format | {"update-all"} == set(SCHEMAS)
