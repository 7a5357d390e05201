"""The RFC 8941 subset used by RFC 9421 and RFC 9530."""

from __future__ import annotations

import pytest

from federation.structured_fields import (
    InnerList,
    Item,
    StructuredFieldError,
    Token,
    parse_dictionary,
    serialize_bare_item,
    serialize_inner_list,
)


def test_signature_input_dictionary_parses_and_reserialises_exactly() -> None:
    inner = (
        '("@method" "@target-uri" "date")'
        ';alg="rsa-v1_5-sha256";keyid="https://a.example/u#k";created=1700000000'
    )
    parsed = parse_dictionary(f'sig1={inner}, sig2=("@path");tag=t')
    assert list(parsed) == ["sig1", "sig2"]
    first = parsed["sig1"]
    assert isinstance(first, InnerList)
    assert [item.value for item in first.items] == ["@method", "@target-uri", "date"]
    assert first.params == (
        ("alg", "rsa-v1_5-sha256"),
        ("keyid", "https://a.example/u#k"),
        ("created", 1700000000),
    )
    assert serialize_inner_list(first) == inner
    second = parsed["sig2"]
    assert isinstance(second, InnerList)
    assert second.params == (("tag", Token("t")),)
    assert serialize_inner_list(second) == '("@path");tag=t'


def test_byte_sequences_booleans_and_numbers() -> None:
    parsed = parse_dictionary("sha-256=:AQID:, flag, off=?0, n=-42, d=1.5;x")
    assert parsed["sha-256"] == Item(b"\x01\x02\x03")
    assert parsed["flag"] == Item(True)
    assert parsed["off"] == Item(False)
    assert parsed["n"] == Item(-42)
    assert parsed["d"] == Item(1.5, (("x", True),))


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (True, "?1"),
        (7, "7"),
        (1.5, "1.5"),
        (2.0, "2.0"),
        (Token("tok"), "tok"),
        ('a "q" \\ b', '"a \\"q\\" \\\\ b"'),
        (b"\x00\xff", ":AP8=:"),
    ],
)
def test_bare_item_serialisation(value: bool | int | float | str | bytes, text: str) -> None:
    assert serialize_bare_item(value) == text


def test_escaped_string_round_trips() -> None:
    parsed = parse_dictionary('k="a \\"q\\" \\\\ b"')
    assert parsed["k"] == Item('a "q" \\ b')


@pytest.mark.parametrize(
    "text",
    [
        "a=1,",
        'a="unterminated',
        "a=:not base64!:",
        "A=1",
        "a=(1 2",
        "a=1 b=2",
        'a="bad \\x escape"',
        "a=1234567890123456",
        "a=?2",
    ],
)
def test_invalid_fields_are_refused(text: str) -> None:
    with pytest.raises(StructuredFieldError):
        parse_dictionary(text)
