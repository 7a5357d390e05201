"""TtlCache: entries expire, the oldest goes when full, forget drops one."""

from __future__ import annotations

import pytest

from node import ttl_cache
from node.ttl_cache import TtlCache


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(ttl_cache.time, "monotonic", fake)
    return fake


def test_an_entry_lives_for_its_seconds_only(clock: Clock) -> None:
    cache: TtlCache[str, int] = TtlCache(seconds=10, size=5)
    assert cache.put("a", 1) == 1
    clock.now += 9.9
    assert cache.get("a") == 1
    clock.now += 0.1
    assert cache.get("a") is None
    assert cache.get("never") is None


def test_the_oldest_entry_goes_when_the_cache_is_full(clock: Clock) -> None:
    cache: TtlCache[str, int] = TtlCache(seconds=10, size=2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("a", 3)  # put again: now the newest
    cache.put("c", 4)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (3, None, 4)


def test_forget_drops_one_entry(clock: Clock) -> None:
    cache: TtlCache[str, int] = TtlCache(seconds=10, size=5)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.forget("a")
    cache.forget("missing")
    assert (cache.get("a"), cache.get("b")) == (None, 2)
