"""refuse_unstorable_text: NUL and lone surrogates are refused, named by their JSON path."""

from __future__ import annotations

import pytest

from node.services.errors import ServiceError
from node.text_safety import first_unstorable, refuse_unstorable_text


def test_clean_json_passes_whatever_its_shape() -> None:
    refuse_unstorable_text({"a": ["b", {"c": 1, "d": None, "e": 2.5, "f": True}], "😀": "ok"})
    refuse_unstorable_text("a paired surrogate \U0001f600 is fine")


@pytest.mark.parametrize(
    ("value", "where"),
    [
        ("\x00", "$"),
        ({"a": "x\x00"}, "$.a"),
        ({"a": [1, "ok", "\ud800"]}, "$.a[2]"),
        ({"a": {"b": {"c": "\udfff"}}}, "$.a.b.c"),
        ({"a\x00": "x"}, "$ (one of its keys)"),
        ({"first": "\x00", "second": "\ud800"}, "$.first"),
    ],
)
def test_the_first_unstorable_character_is_named_by_its_path(value: object, where: str) -> None:
    found = first_unstorable(value)
    assert found is not None and found[0] == where
    with pytest.raises(ServiceError) as refused:
        refuse_unstorable_text(value)
    assert refused.value.status == 400
    assert str(refused.value).startswith(f"{where} holds the character U+")


def test_deep_nesting_is_walked_without_recursion() -> None:
    value: object = "\x00"
    for _ in range(5000):
        value = [value]
    found = first_unstorable(value)
    assert found is not None and found[0] == "$" + "[0]" * 5000
