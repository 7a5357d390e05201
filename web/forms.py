"""Reading HTML forms: string fields only, and safe redirect targets."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from aiohttp import web

MAX_FIELD_CHARS = 100_000


async def form_values(request: web.Request, names: Iterable[str]) -> dict[str, str]:
    """The named fields as strings ('' when absent); a file or an oversized field is a 400."""
    form = await request.post()
    values: dict[str, str] = {}
    for name in names:
        value = form.get(name, "")
        if not isinstance(value, str):
            raise web.HTTPBadRequest(text=f"the field {name!r} must be text, not a file")
        if len(value) > MAX_FIELD_CHARS:
            raise web.HTTPBadRequest(text=f"the field {name!r} is too long")
        if "\x00" in value:  # no database stores it as text (PostgreSQL refuses it)
            raise web.HTTPBadRequest(text=f"the field {name!r} holds a NUL character")
        values[name] = value
    return values


async def form_list(request: web.Request, name: str) -> list[str]:
    """Every value of a repeated field (checkboxes), as strings."""
    form = await request.post()
    values = form.getall(name, [])
    if not all(isinstance(value, str) and "\x00" not in value for value in values):
        raise web.HTTPBadRequest(text=f"the field {name!r} must be text, without NUL characters")
    return [str(value) for value in values]


MAX_NEXT_CHARS = 2000
# browsers drop tabs and newlines inside URLs and read "\" as "/", so "/\t/host" and "/\\host"
# lead to another site; whitespace and invisible characters have no place in our paths either
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"})


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to go to after a form, never another site; anything doubtful is `default`.

    No control character or whitespace anywhere; and the path must stay local both as given
    and once percent-decoded (repeatedly), so no encoding of "//", "\\", a scheme, a control
    character or whitespace before the query gets through (a search for "a b" may follow).
    """
    if not target or len(target) > MAX_NEXT_CHARS:
        return default
    decoded = target
    for _ in range(3):
        once = unquote(decoded)
        if once == decoded:
            break
        decoded = once
    else:
        return default  # still encoded after three rounds: nothing of ours looks like that
    if not (_is_local_path(target, target) and _is_local_path(decoded, _path_of(decoded))):
        return default
    return target


def _path_of(value: str) -> str:
    return re.split(r"[?#]", value, maxsplit=1)[0]


def _is_local_path(value: str, checked_chars: str) -> bool:
    # no "//" in the path at all: "/.//host" is "//host" once dot segments are removed
    if not value.startswith("/") or "//" in _path_of(value) or "\\" in value:
        return False
    if any(unicodedata.category(char) in _UNSAFE_CATEGORIES for char in checked_chars):
        return False
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc
