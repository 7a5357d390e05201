"""Text a database cannot store: NUL characters and lone surrogates, refused before any write."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from node.services.errors import ServiceError

# NUL breaks PostgreSQL's text columns; a lone surrogate cannot be encoded as UTF-8 at all.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class UnstorableText(ServiceError):
    """A value holds a character no database column can store; `path` says where."""

    def __init__(self, path: str, character: str) -> None:
        self.path = path
        super().__init__(
            f"{path} holds the character U+{ord(character):04X}, which cannot be stored:"
            " NUL and lone surrogates are refused"
        )


def first_unstorable(value: Any, path: str = "$") -> tuple[str, str] | None:
    """Where the first NUL or lone surrogate in a JSON-like value is, and that character."""
    pending: list[tuple[str, Any]] = [(path, value)]  # a stack, not recursion: JSON may be deep
    while pending:
        where, item = pending.pop()
        if isinstance(item, str):
            found = _UNSTORABLE.search(item)
            if found:
                return where, found.group()
        elif isinstance(item, Mapping):
            children: list[tuple[str, Any]] = []
            for key, inner in item.items():
                key_text = str(key)
                found = _UNSTORABLE.search(key_text)
                if found:
                    return f"{where} (one of its keys)", found.group()
                children.append((f"{where}.{key_text}", inner))
            pending.extend(reversed(children))
        elif isinstance(item, Sequence) and not isinstance(item, bytes | bytearray):
            pending.extend(reversed([(f"{where}[{i}]", inner) for i, inner in enumerate(item)]))
    return None


def refuse_unstorable_text(value: Any, path: str = "$") -> None:
    """Raise UnstorableText (a 400) naming the JSON path of a NUL or lone surrogate in `value`."""
    found = first_unstorable(value, path)
    if found is not None:
        raise UnstorableText(*found)
