"""Pages are rendered from the node's read models, never from database rows: every GET route,
walked as a visitor, a member, a moderator and an admin over a seeded node, renders templates
whose context holds no tortoise `Model`, however deep (dataclasses, lists, dicts).

A row in a template is a query the page did not plan (a lazy relation), a field the page did
not mean to show, and a page that changes when the schema does. The routes come from the
router, so a page added later is walked too.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterator, Mapping
from typing import Any

import jinja2
import pytest
from aiohttp.test_utils import TestClient
from tortoise.models import Model

from node.models import AccessRole
from node.services.tokens import create_token
from tests.support.pages import member, page, sign_in_as
from tests.support.route_walk import seed, walk_every_get


def rows_in(value: Any, path: str, seen: set[int] | None = None) -> Iterator[str]:
    """Where in `value` a database row sits (as `path.field[0]…` and the row's class)."""
    seen = set() if seen is None else seen
    if isinstance(value, (str, bytes, int, float, enum.Enum)) or value is None:
        return
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, Model):
        yield f"{path}: {type(value).__name__}"
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from rows_in(getattr(value, field.name), f"{path}.{field.name}", seen)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from rows_in(item, f"{path}[{key!r}]", seen)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for index, item in enumerate(value):
            yield from rows_in(item, f"{path}[{index}]", seen)


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Every template rendered from now on, with the rows its context held (by template)."""
    found: dict[str, list[str]] = {}
    render = jinja2.Template.render

    def checked_render(template: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        context = dict(*args, **kwargs)
        rows = found.setdefault(template.name or "?", [])
        rows.extend(row for name, value in context.items() for row in rows_in(value, name))
        return render(template, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", checked_render)
    return found


async def test_no_page_is_rendered_from_database_rows(
    client: TestClient, rendered: dict[str, list[str]]
) -> None:
    values = await seed(client)
    await member("mo", AccessRole.MODERATOR)
    for handle in (None, "dana", "mo", "ada"):
        client.session.cookie_jar.clear()
        if handle is not None:
            await sign_in_as(client, handle)
            await page(client, "/")
        await walk_every_get(client, values, await create_token(handle or "alice"))
    # the walk reached the pages that show the most: a proposal with its thread, amendments
    # and poll, a profile, the admin's and the moderators' pages
    assert {"proposal.html", "actor.html", "admin/members.html", "home.html"} <= set(rendered)
    leaks = sorted({f"{name} ← {row}" for name, rows in rendered.items() for row in set(rows)})
    assert not leaks, "\n".join(leaks)


def test_a_row_anywhere_in_the_context_is_found() -> None:
    """The witness: a row behind a dataclass, a list and a dict is named with its path."""

    @dataclasses.dataclass(frozen=True)
    class Shown:
        items: list[dict[str, Any]]

    row = AccessRole  # an enum is a value, not a row
    context = {"page": Shown([{"fine": row.ADMIN}, {"row": Model()}]), "text": "x"}
    assert list(rows_in(context, "context")) == ["context['page'].items[1]['row']: Model"]
