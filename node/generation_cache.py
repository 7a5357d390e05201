"""What was read from the database for a page, kept while the pages' generation stands.

The signed-in proposal page is rendered for each request (it holds the member's token and
choices), but most of what it shows is the same for every member: the thread, its
endorsements, amendments and responses. That part is read once per generation
(node/page_generation.py: every write a page could show moves it on, in the database, so
every process sees a change at its next request) and shared; what is the member's own is
read for each request.

Values kept here are shared between requests: they must be read-only (frozen read models;
a caller that would change one works on a copy).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, Generic, TypeVar

from tortoise import connections

from node.page_generation import page_generation

V = TypeVar("V")


class GenerationCache(Generic[V]):
    """Up to `size` values by key, each read at the generation now current."""

    def __init__(self, size: int) -> None:
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._generation = -1
        self._database: Any = None  # the connection the values were read through
        self._size = size

    async def get(self, key: Hashable, read: Callable[[], Awaitable[V]]) -> V:
        """The value kept for `key` at the current generation, or `read()` kept there.

        The generation is read before the value: a write committed meanwhile leaves the value
        under the older generation, which the next request finds gone by. Another database
        (a test's fresh one, whose generation starts again) empties the cache."""
        database = connections.get("default")
        generation = (await page_generation()).number
        if generation != self._generation or database is not self._database:
            self._values.clear()
            self._generation, self._database = generation, database
        found = self._values.get(key)
        if found is not None:
            self._values.move_to_end(key)
            return found
        value = await read()
        if generation == self._generation and database is self._database:  # none newer seen
            self._values[key] = value
            while len(self._values) > self._size:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every value."""
        self._values.clear()
        self._generation, self._database = -1, None
