"""Text no database stores: NUL characters (PostgreSQL refuses them) and lone surrogates
(no UTF-8 encoder takes them; JSON can carry both as \\u escapes)."""

from __future__ import annotations

import re
from typing import Any

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def is_storable(text: str) -> bool:
    """Whether `text` holds neither a NUL character nor a lone surrogate."""
    return _UNSTORABLE.search(text) is None


def storable(text: str) -> str:
    """`text` with NUL characters and lone surrogates replaced by U+FFFD (for error messages)."""
    return _UNSTORABLE.sub("\ufffd", text)


def unstorable_in(document: Any) -> str | None:
    """Where a parsed JSON document holds unstorable text (a key or a string), or None."""
    pending: list[tuple[str, Any]] = [("", document)]
    while pending:  # no recursion: a document may be nested as deeply as the parser allowed
        where, value = pending.pop()
        if isinstance(value, str):
            if not is_storable(value):
                return where or "the document"
        elif isinstance(value, dict):
            for key, item in value.items():
                if not is_storable(key):
                    return f"a key in {where or 'the document'}"
                pending.append((f"{where}.{key}" if where else key, item))
        elif isinstance(value, list):
            pending.extend((f"{where}[{index}]", item) for index, item in enumerate(value))
    return None
