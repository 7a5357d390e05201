"""A member's "hide me from search engines" (Account.noindex) on the pages that are theirs:
their profile and their items' pages carry a robots meta element and an X-Robots-Tag header."""

from __future__ import annotations

from typing import TypeVar

from aiohttp import web

R = TypeVar("R", bound=web.StreamResponse)

ROBOTS_HEADER = "noindex"


def ask_no_index(response: R) -> R:
    """`response` with the header that asks search engines not to index it (the page cache
    keeps it with the page)."""
    response.headers["X-Robots-Tag"] = ROBOTS_HEADER
    return response
