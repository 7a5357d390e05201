"""A small in-process cache whose entries expire, for lookups repeated in bursts."""

from __future__ import annotations

import time
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class TtlCache(Generic[K, V]):
    """At most `size` entries, each kept `seconds`; the oldest goes first when full."""

    def __init__(self, seconds: float, size: int) -> None:
        self._seconds, self._size = seconds, size
        self._entries: dict[K, tuple[float, V]] = {}

    def get(self, key: K) -> V | None:
        """The value put under `key`, unless it has expired (or was never put)."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if time.monotonic() - entry[0] >= self._seconds:
            del self._entries[key]
            return None
        return entry[1]

    def put(self, key: K, value: V) -> V:
        """Keep `value` under `key`; return it."""
        self._entries.pop(key, None)
        if len(self._entries) >= self._size:
            self._entries.pop(next(iter(self._entries)))
        self._entries[key] = (time.monotonic(), value)
        return value

    def forget(self, key: K) -> None:
        """Drop `key`, if it is there."""
        self._entries.pop(key, None)
