from pathlib import Path

import pytest
from rustml._spec import load_data_file, parse_data_pairs, resolve_answers
from rustml._template import load_template
from rustml.errors import InvalidAnswerError, InvalidNameError

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def template():
    return load_template()


def test_defaults_resolve_to_a_complete_spec(template) -> None:
    spec = resolve_answers(template, "demo", {})
    assert spec.package_name == "demo"
    assert spec.crate_prefix == "demo"
    assert spec.license == "MIT"
    assert spec.python_min == "3.10"
    assert spec.targets == ("cpu",)
    assert set(spec.as_data()) == set(template.asked)


def test_data_pairs_keep_strings_and_parse_lists(template) -> None:
    data = parse_data_pairs(
        ["python_min=3.11", "targets=[cpu]", "license=MIT OR Apache-2.0"], template
    )
    assert data == {"python_min": "3.11", "targets": ["cpu"], "license": "MIT OR Apache-2.0"}


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        (["nonsense=1"], "unknown answer 'nonsense'"),
        (["license"], "expects key=value"),
        (["license=GPL"], "license must be one of"),
        (["python_min=2.7"], "python_min must be one of"),
        (["targets=[gpu]"], "must include cpu"),
        (["targets=[cpu, tpu]"], "unknown target 'tpu'"),
        (["targets=[cpu, tpu]"], "targets"),
        (["author_email=nobody"], "not an e-mail"),
        (['description=say "hi"'], "description must be one line"),
        (["copyright_year=20x6"], "four-digit year"),
        (["vendor=maybe"], "vendor must be true or false"),
        (["registry_mirror=http://mirror.example.com/"], "sparse\\+https://"),
    ],
)
def test_bad_answers_are_rejected_with_the_rule(template, pairs, message) -> None:
    with pytest.raises(InvalidAnswerError, match=message):
        resolve_answers(template, "demo", parse_data_pairs(pairs, template))


def test_supply_chain_answers_default_off_and_parse(template) -> None:
    assert resolve_answers(template, "demo", {}).vendor is False
    pairs = ["vendor=true", "registry_mirror=sparse+https://crates.example.com/index/"]
    spec = resolve_answers(template, "demo", parse_data_pairs(pairs, template))
    assert spec.vendor is True
    assert spec.registry_mirror == "sparse+https://crates.example.com/index/"


def test_explicit_package_name_is_validated(template) -> None:
    with pytest.raises(InvalidNameError, match="Python keyword"):
        resolve_answers(template, "demo", {"package_name": "lambda"})


def test_targets_are_deduplicated_in_template_order(template) -> None:
    spec = resolve_answers(template, "demo", {"targets": ["cpu", "cpu"]})
    assert spec.targets == ("cpu",)


@pytest.mark.parametrize("suffix", [".yml", ".json", ".toml"])
def test_data_files(template, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"answers{suffix}"
    content = {
        ".yml": "license: Apache-2.0\ntargets: [cpu]\n",
        ".json": '{"license": "Apache-2.0", "targets": ["cpu"]}',
        ".toml": 'license = "Apache-2.0"\ntargets = ["cpu"]\n',
    }[suffix]
    path.write_text(content)
    assert load_data_file(path, template) == {"license": "Apache-2.0", "targets": ["cpu"]}


def test_broken_data_file_is_one_line(template, tmp_path: Path) -> None:
    path = tmp_path / "answers.toml"
    path.write_text("license = \n")
    with pytest.raises(InvalidAnswerError, match="is not valid") as info:
        load_data_file(path, template)
    assert "\n" not in info.value.message


def test_missing_data_file(template, tmp_path: Path) -> None:
    with pytest.raises(InvalidAnswerError, match="cannot read data file"):
        load_data_file(tmp_path / "nope.yml", template)
