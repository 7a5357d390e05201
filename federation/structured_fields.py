"""A small RFC 8941 structured-field parser and serialiser.

It covers what HTTP Message Signatures (RFC 9421) and Content-Digest
(RFC 9530) need: dictionaries whose members are items or inner lists, with
parameters, and the bare item types integer, decimal, string, token, byte
sequence and boolean.
"""

from __future__ import annotations

import base64
import binascii
import re
import string
from dataclasses import dataclass

__all__ = [
    "BareItem",
    "InnerList",
    "Item",
    "Member",
    "Params",
    "StructuredFieldError",
    "Token",
    "parse_dictionary",
    "serialize_bare_item",
    "serialize_inner_list",
    "serialize_params",
]


class StructuredFieldError(ValueError):
    """The text is not a valid structured field."""


class Token(str):
    """An sf-token; a distinct type so it re-serialises without quotes."""

    __slots__ = ()


BareItem = int | float | str | bytes | bool
Params = tuple[tuple[str, BareItem], ...]


@dataclass(frozen=True)
class Item:
    """A bare item with its parameters."""

    value: BareItem
    params: Params = ()


@dataclass(frozen=True)
class InnerList:
    """A parenthesised list of items with its own parameters."""

    items: tuple[Item, ...]
    params: Params = ()


Member = Item | InnerList

_KEY_FIRST = set(string.ascii_lowercase + "*")
_KEY_REST = _KEY_FIRST | set(string.digits + "_-.")
_TOKEN_FIRST = set(string.ascii_letters + "*")
_TOKEN_REST = set(string.ascii_letters + string.digits + "!#$%&'*+-.^_`|~:/")
_BASE64 = set(string.ascii_letters + string.digits + "+/=")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def parse_dictionary(text: str) -> dict[str, Member]:
    """Parse an sf-dictionary; members keep their order, a repeated key keeps its last value."""
    return _Parser(text).dictionary()


class _Parser:
    """Recursive-descent parser over one field value (RFC 8941 section 4.2)."""

    def __init__(self, text: str) -> None:
        self.text = text.strip(" \t")
        self.pos = 0

    def fail(self, what: str) -> StructuredFieldError:
        return StructuredFieldError(f"{what} at offset {self.pos} of {self.text!r}")

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def skip(self, chars: str) -> None:
        while self.peek() and self.peek() in chars:
            self.pos += 1

    def dictionary(self) -> dict[str, Member]:
        members: dict[str, Member] = {}
        while self.pos < len(self.text):
            key = self.key()
            if self.peek() == "=":
                self.pos += 1
                members[key] = self.inner_list() if self.peek() == "(" else self.item()
            else:
                members[key] = Item(True, self.params())
            self.skip(" \t")
            if self.pos == len(self.text):
                return members
            if self.peek() != ",":
                raise self.fail("expected ','")
            self.pos += 1
            self.skip(" \t")
            if self.pos == len(self.text):
                raise self.fail("trailing ','")
        return members

    def inner_list(self) -> InnerList:
        self.pos += 1  # the "("
        items: list[Item] = []
        while True:
            self.skip(" ")
            if self.peek() == ")":
                self.pos += 1
                return InnerList(tuple(items), self.params())
            items.append(self.item())
            if self.peek() not in (" ", ")"):
                raise self.fail("expected ' ' or ')' in inner list")

    def item(self) -> Item:
        value = self.bare_item()
        return Item(value, self.params())

    def params(self) -> Params:
        params: dict[str, BareItem] = {}
        while self.peek() == ";":
            self.pos += 1
            self.skip(" ")
            key = self.key()
            value: BareItem = True
            if self.peek() == "=":
                self.pos += 1
                value = self.bare_item()
            params[key] = value
        return tuple(params.items())

    def key(self) -> str:
        start = self.pos
        if self.peek() not in _KEY_FIRST:
            raise self.fail("expected a key")
        while self.peek() and self.peek() in _KEY_REST:
            self.pos += 1
        return self.text[start : self.pos]

    def bare_item(self) -> BareItem:
        char = self.peek()
        if char == '"':
            return self.string()
        if char == ":":
            return self.byte_sequence()
        if char == "?":
            return self.boolean()
        if char == "-" or char.isdigit():
            return self.number()
        if char and char in _TOKEN_FIRST:
            return self.token()
        raise self.fail("expected an item")

    def string(self) -> str:
        self.pos += 1
        out: list[str] = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            self.pos += 1
            if char == "\\":
                escaped = self.peek()
                if escaped not in ('"', "\\"):
                    raise self.fail("bad escape in string")
                out.append(escaped)
                self.pos += 1
            elif char == '"':
                return "".join(out)
            elif not " " <= char <= "~":
                raise self.fail("non-printable character in string")
            else:
                out.append(char)
        raise self.fail("unterminated string")

    def token(self) -> Token:
        start = self.pos
        while self.peek() and self.peek() in _TOKEN_REST:
            self.pos += 1
        return Token(self.text[start : self.pos])

    def byte_sequence(self) -> bytes:
        end = self.text.find(":", self.pos + 1)
        if end == -1:
            raise self.fail("unterminated byte sequence")
        encoded = self.text[self.pos + 1 : end]
        if not set(encoded) <= _BASE64:
            raise self.fail("invalid base64 in byte sequence")
        try:
            decoded = base64.b64decode(encoded, validate=True)
        except binascii.Error as exc:
            raise self.fail(f"invalid base64 ({exc})") from exc
        self.pos = end + 1
        return decoded

    def boolean(self) -> bool:
        value = self.text[self.pos + 1 : self.pos + 2]
        if value not in ("0", "1"):
            raise self.fail("expected ?0 or ?1")
        self.pos += 2
        return value == "1"

    def number(self) -> int | float:
        match = _NUMBER.match(self.text, self.pos)
        if match is None:
            raise self.fail("expected a number")
        literal = match.group(0)
        digits = literal.lstrip("-")
        whole, _, fraction = digits.partition(".")
        too_long = len(whole) > 12 or len(fraction) > 3 if fraction else len(whole) > 15
        if too_long:
            raise self.fail("number out of range")
        self.pos = match.end()
        return float(literal) if fraction else int(literal)


def serialize_bare_item(value: BareItem) -> str:
    """Serialise one bare item (RFC 8941 section 4.1.3)."""
    if isinstance(value, bool):
        return "?1" if value else "?0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        rounded = f"{value:.3f}".rstrip("0")
        return rounded + "0" if rounded.endswith(".") else rounded
    if isinstance(value, Token):
        return str.__str__(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return ":" + base64.b64encode(value).decode("ascii") + ":"


def serialize_params(params: Params) -> str:
    """Serialise parameters as ``;key=value`` pairs, eliding ``=?1``."""
    return "".join(
        f";{key}" if value is True else f";{key}={serialize_bare_item(value)}"
        for key, value in params
    )


def serialize_inner_list(inner: InnerList) -> str:
    """Serialise an inner list with its items' and its own parameters."""
    items = " ".join(serialize_bare_item(i.value) + serialize_params(i.params) for i in inner.items)
    return f"({items}){serialize_params(inner.params)}"
