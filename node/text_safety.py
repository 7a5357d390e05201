"""Text a database cannot store: NUL characters and lone surrogates, refused before any write."""

from __future__ import annotations

from typing import Any

from federation.text import first_unstorable
from node.i18n import N_
from node.services.errors import ServiceError

__all__ = ["UnstorableText", "first_unstorable", "refuse_unstorable_text"]


class UnstorableText(ServiceError):
    """A value holds a character no database column can store; `path` says where."""

    def __init__(self, path: str, character: str) -> None:
        self.path = path
        super().__init__(
            N_(
                "%(path)s holds the character %(character)s, which cannot be stored:"
                " NUL and lone surrogates are refused"
            ),
            path=path,
            character=f"U+{ord(character):04X}",
        )


def refuse_unstorable_text(value: Any, path: str = "$") -> None:
    """Raise UnstorableText (a 400) naming the JSON path of a NUL or lone surrogate in `value`."""
    found = first_unstorable(value, path)
    if found is not None:
        raise UnstorableText(*found)
