"""Rendered parts of pages kept by what they were rendered from, so a signed-in member's page
renders its long discussion once for everyone who is shown the same one.

A fragment's key is a digest of everything its HTML depends on: the read model it shows (a
frozen dataclass, whose repr holds every field), the language, the time zone and the page's
path. The same inputs make the same HTML, so a fragment never needs invalidating: a change
to the discussion is a different read model, and so a different key. Only fragments that hold
nothing of one session may be kept (no CSRF token: the moderators' discussion, with its hide
and remove forms, is always rendered afresh).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable

from markupsafe import Markup

MAX_FRAGMENTS = 256


class FragmentCache:
    """The most recently used fragments, by key."""

    def __init__(self, size: int = MAX_FRAGMENTS) -> None:
        self._fragments: OrderedDict[str, Markup] = OrderedDict()
        self._size = size

    def render(self, key: str, render: Callable[[], str]) -> Markup:
        """The fragment kept under `key`, or `render()` kept there."""
        found = self._fragments.get(key)
        if found is not None:
            self._fragments.move_to_end(key)
            return found
        fragment = Markup(render())  # noqa: S704 - the output of a template, escaped there
        self._fragments[key] = fragment
        while len(self._fragments) > self._size:
            self._fragments.popitem(last=False)
        return fragment


FRAGMENTS = FragmentCache()


def fragment_key(*inputs: object) -> str:
    """The key of a fragment rendered from `inputs` (read models, language, path…)."""
    return hashlib.sha256(repr(inputs).encode("utf-8", "surrogatepass")).hexdigest()


def cached_fragment(key: str, caller: Callable[[], str]) -> Markup:
    """`{% call cached_fragment(key) %}…{% endcall %}`: the body, rendered once per key (an
    empty key renders it every time)."""
    if not key:
        return Markup(caller())  # noqa: S704 - the output of a template, escaped there
    return FRAGMENTS.render(key, caller)
