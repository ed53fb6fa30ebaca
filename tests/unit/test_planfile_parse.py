"""The YAML loader: plain data from the first document, with a position for every value."""

from __future__ import annotations

import pytest

from ontrack.core.diagnostics import PlanError
from ontrack.core.validate import KEY
from ontrack.planfile.parse import MAX_DEPTH, load_document
from ontrack.planfile.positions import locate


def load(text: str, *, pure: bool = False):  # type: ignore[no-untyped-def]
    return load_document(text, "plan.yaml", pure=pure)


def syntax_error(text: str) -> tuple[str, int, int]:
    with pytest.raises(PlanError) as caught:
        load(text)
    [problem] = caught.value.diagnostics
    assert problem.location is not None
    return problem.code, problem.location.line, problem.location.column


def test_yes_no_on_and_off_stay_text_as_yaml_1_2_says() -> None:
    data = load("a: yes\nb: no\nc: on\nd: off\ne: true\nf: False\n").data
    assert data == {"a": "yes", "b": "no", "c": "on", "d": "off", "e": True, "f": False}


def test_numbers_and_nulls_follow_the_yaml_1_2_core_schema() -> None:
    data = load("a: 12\nb: 0x1F\nc: 0o17\nd: 1.5\ne: 1e3\nf: ~\ng:\nh: null\ni: -.inf\n").data
    assert data == {
        "a": 12,
        "b": 31,
        "c": 15,
        "d": 1.5,
        "e": 1000.0,
        "f": None,
        "g": None,
        "h": None,
        "i": float("-inf"),
    }


def test_dates_and_quoted_values_stay_text() -> None:
    data = load("a: 2027-03-01\nb: '12'\nc: !!str 12\n").data
    assert data == {"a": "2027-03-01", "b": "12", "c": "12"}


def test_keys_are_always_text() -> None:
    assert load("1: a\ntrue: b\n").data == {"1": "a", "true": "b"}


def test_every_key_and_value_has_its_line_and_column() -> None:
    document = load("project:\n  id: p\ntasks:\n  - id: a\n    after: [b, {task: c}]\n")
    assert locate(document.positions, ("project", "id")) == (2, 7)
    assert locate(document.positions, ("project", "id", KEY)) == (2, 3)
    assert locate(document.positions, ("tasks", 0, "after", 1, "task")) == (5, 23)
    assert locate(document.positions, ("tasks", 0, "after")) == (5, 12)


def test_a_path_deeper_than_the_file_stops_at_the_deepest_value_there_is() -> None:
    document = load("tasks:\n  - {id: a, after: [b]}\n")
    assert locate(document.positions, ("tasks", 0, "after", 0, "task")) == (2, 21)
    assert locate(document.positions, ("tasks", 0, "name")) == (2, 5)
    assert locate(document.positions, ("tasks", 0, "name"), first_key=True) == (2, 6)


def test_an_empty_value_is_located_at_its_key() -> None:
    document = load("project:\n  name:\n")
    assert document.data == {"project": {"name": None}}
    assert locate(document.positions, ("project", "name")) == (2, 3)


def test_only_the_first_document_is_read_and_its_lines_are_kept() -> None:
    document = load("a: 1\nb: [2]\n---\nc: [unclosed\n")
    assert document.data == {"a": 1, "b": [2]}
    assert locate(document.positions, ("b", 0)) == (2, 5)


def test_every_duplicate_key_is_reported_at_the_second_key_and_the_first_value_kept() -> None:
    document = load("a: 1\nb:\n  c: 2\n  c: 3\na: 4\n")
    assert document.data == {"a": 1, "b": {"c": 2}}
    assert [
        (p.code, p.location.line, p.location.column) for p in document.problems if p.location
    ] == [
        ("duplicate-key", 4, 3),
        ("duplicate-key", 5, 1),
    ]


def test_a_list_used_as_a_key_is_a_bad_type() -> None:
    document = load("? [a, b]\n: 1\nc: 2\n")
    assert document.data == {"c": 2}
    assert [p.code for p in document.problems] == ["bad-type"]


def test_an_alias_repeats_its_anchored_value() -> None:
    data = load("a: &units {neteng: 1}\nb: *units\n").data
    assert data == {"a": {"neteng": 1}, "b": {"neteng": 1}}


def test_an_alias_to_nothing_is_a_yaml_syntax_error_at_the_alias() -> None:
    assert syntax_error("a: 1\nb: *nowhere\n") == ("yaml-syntax", 2, 4)


def test_an_alias_inside_its_own_anchor_is_refused() -> None:
    assert syntax_error("a: &x [1, *x]\n") == ("yaml-syntax", 1, 11)


def test_aliases_that_would_expand_beyond_the_limit_are_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    code, line, _ = syntax_error("\n".join(lines) + "\n")
    assert (code, line) == ("too-large", 7)  # a6 takes the total past 10 million


def test_nesting_beyond_the_limit_is_refused() -> None:
    depth = MAX_DEPTH + 1
    assert syntax_error("a: " + "[" * depth + "]" * depth + "\n") == ("too-large", 1, 3 + MAX_DEPTH)


def test_a_character_yaml_does_not_allow_is_reported_where_it_is() -> None:
    assert syntax_error("a: 1\nb: x\x00y\n") == ("yaml-syntax", 2, 5)


def test_broken_yaml_is_reported_where_the_parser_stopped() -> None:
    assert syntax_error("a: 1\nb: c: d\n") == ("yaml-syntax", 2, 5)


def test_a_tab_in_the_indentation_gets_a_hint() -> None:
    with pytest.raises(PlanError) as caught:
        load("a:\n\tb: 1\n")
    assert "spaces, not tabs" in caught.value.diagnostics[0].message


def test_an_empty_file_has_no_data() -> None:
    assert load("").data is None
    assert load("# only a comment\n").data is None


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: [x, {y: 2}]\nc:\n  - d: e\n    f: 2027-03-01\n",
        "k: &a {x: 1}\nl: *a\nm: 'q'\nn: |\n  two\n  lines\n",
    ],
)
def test_the_pure_python_parser_gives_the_same_data_and_positions(text: str) -> None:
    fast, pure = load(text), load(text, pure=True)
    assert fast.data == pure.data
    for path in [("a",), ("b", 1, "y"), ("c", 0, "f"), ("l", "x"), ("n",)]:
        assert locate(fast.positions, path) == locate(pure.positions, path)
