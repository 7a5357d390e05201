"""Reading HTML forms: string fields only, and safe redirect targets."""

from __future__ import annotations

from collections.abc import Iterable

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


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to go to after a form, never another site (no //host, no scheme)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
