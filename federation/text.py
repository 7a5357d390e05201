"""Text no database stores: NUL characters (PostgreSQL refuses them) and lone surrogates
(no UTF-8 encoder takes them; JSON can carry both as \\u escapes)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def is_storable(text: str) -> bool:
    """Whether `text` holds neither a NUL character nor a lone surrogate."""
    return _UNSTORABLE.search(text) is None


def storable(text: str) -> str:
    """`text` with NUL characters and lone surrogates replaced by U+FFFD (for error messages)."""
    return _UNSTORABLE.sub("\ufffd", text)


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


def unstorable_in(document: Any) -> str | None:
    """Where a parsed JSON document holds unstorable text (a path), or None."""
    found = first_unstorable(document)
    return found[0] if found else None
