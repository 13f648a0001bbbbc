import pytest
from rustml import normalise_project_name
from rustml._names import validate_crate_prefix, validate_package
from rustml.errors import InvalidNameError, UserError

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("1abc", "must start with a letter"),
        ("-x", "must start with a letter"),
        ("", "must not be empty"),
        ("my project", "may contain only letters"),
        ("abc-", "must end with a letter or digit"),
        ("class", "Python keyword"),
        ("fn", "Rust keyword"),
        ("Type", "Rust keyword"),
        ("test", "standard library"),
        ("json", "standard library"),
        ("tests", "tests/ directory"),
        ("numpy", "dependency"),
        ("naïve", "may contain only letters"),
        ("a" * 33, "at most 32"),
    ],
)
def test_bad_names_name_their_rule(name: str, rule: str) -> None:
    with pytest.raises(InvalidNameError, match=rule) as info:
        normalise_project_name(name)
    assert isinstance(info.value, UserError)
    assert isinstance(info.value, ValueError)
    assert "\n" not in info.value.message


@pytest.mark.parametrize(
    ("name", "package", "crate", "dist"),
    [
        ("demo", "demo", "demo", "demo"),
        ("My-Proj_2", "my_proj_2", "my-proj-2", "my-proj-2"),
        ("Foo..Bar", "foo_bar", "foo-bar", "foo-bar"),
        ("a", "a", "a", "a"),
        ("kmeans3", "kmeans3", "kmeans3", "kmeans3"),
    ],
)
def test_names_are_normalised_like_pip_and_cargo(
    name: str, package: str, crate: str, dist: str
) -> None:
    names = normalise_project_name(name)
    assert (names.package, names.crate_prefix, names.distribution) == (package, crate, dist)
    assert names.normalised == (name not in {package, crate})


@pytest.mark.parametrize("bad", ["My_pkg", "_x", "x_", "9x", "a-b", "import", "os"])
def test_bad_package_names(bad: str) -> None:
    with pytest.raises(InvalidNameError):
        validate_package(bad)


@pytest.mark.parametrize("bad", ["a--b", "A", "a_b", "-a", "a-", "loop", "mod"])
def test_bad_crate_prefixes(bad: str) -> None:
    with pytest.raises(InvalidNameError):
        validate_crate_prefix(bad)
