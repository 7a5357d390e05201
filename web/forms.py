"""Reading HTML forms and numbers from URLs: string fields only, and safe redirect targets."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import parse_qsl, unquote, urlsplit

from aiohttp import web
from multidict import MultiDictProxy

from federation.text import is_storable
from node.i18n import gettext_ as _
from node.numbers import whole_number

MAX_FIELD_CHARS = 100_000
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


FormData = MultiDictProxy[str | bytes | bytearray | web.FileField]


async def read_form(request: web.Request) -> FormData:
    """The request's form, read once: 415 for a body that is not a form; 400 for one that cannot
    be read (not UTF-8, a truncated multipart, an unknown charset) or holds NUL characters or
    lone surrogates, which no database stores."""
    if request.content_type not in FORM_TYPES and request.can_read_body:
        raise web.HTTPUnsupportedMediaType(
            text=_("This address takes a form, not %(type)s.") % {"type": request.content_type}
            if request.content_type
            else _("This address takes a form.")
        )
    try:
        if request.content_type == "application/x-www-form-urlencoded":
            # aiohttp would replace bad %-escapes with U+FFFD; refuse them instead
            charset = request.charset or "utf-8"
            parse_qsl((await request.read()).decode(charset), encoding=charset, errors="strict")
        form = await request.post()
    except (ValueError, LookupError) as error:  # UnicodeDecodeError is a ValueError
        reason = _("The form could not be read: %(error)s.") % {"error": type(error).__name__}
        raise web.HTTPBadRequest(text=reason) from None
    for name, value in form.items():
        if not is_storable(name) or (isinstance(value, str) and not is_storable(value)):
            raise web.HTTPBadRequest(text=_("The form holds a NUL character or a lone surrogate."))
    return form


def is_whole_number(value: str) -> bool:
    """Whether `value` is ASCII digits that an id column can hold (node.numbers.MAX_ID)."""
    return whole_number(value) is not None


def parse_id(value: str, field: str = "") -> int:
    """A whole number from a query or a form (its `field`, if named); 400 unless ASCII digits an
    id column can hold."""
    if not is_whole_number(value):
        if not field:
            raise web.HTTPBadRequest(text=_("The number must be a whole number."))
        message = _("%(field)s must be a whole number.") % {"field": repr(field)}
        raise web.HTTPBadRequest(text=message)
    return int(value)


def path_id(request: web.Request, name: str = "id") -> int:
    """The number in the URL's path; 404 when no row can have it (too large for an id column)."""
    value = request.match_info[name]
    if not is_whole_number(value):
        raise web.HTTPNotFound(text=_("There is nothing with this number."))
    return int(value)


async def form_values(request: web.Request, names: Iterable[str]) -> dict[str, str]:
    """The named fields as strings ('' when absent); a file or an oversized field is a 400."""
    form = await read_form(request)
    values: dict[str, str] = {}
    for name in names:
        value = form.get(name, "")
        if not isinstance(value, str):
            raise web.HTTPBadRequest(
                text=_("the field %(name)s must be text, not a file") % {"name": repr(name)}
            )
        if len(value) > MAX_FIELD_CHARS:
            raise web.HTTPBadRequest(
                text=_("the field %(name)s is too long") % {"name": repr(name)}
            )
        if "\x00" in value:  # no database stores it as text (PostgreSQL refuses it)
            raise web.HTTPBadRequest(
                text=_("the field %(name)s holds a NUL character") % {"name": repr(name)}
            )
        values[name] = value
    return values


async def form_list(request: web.Request, name: str) -> list[str]:
    """Every value of a repeated field (checkboxes), as strings."""
    form = await read_form(request)
    values = form.getall(name, [])
    if not all(isinstance(value, str) and "\x00" not in value for value in values):
        raise web.HTTPBadRequest(
            text=_("the field %(name)s must be text, without NUL characters") % {"name": repr(name)}
        )
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
    for _attempt in range(3):
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
