"""How far one backfill run may reach (objects, GETs per host, pages, hops), what it did, and
the cool-down before a thread or outbox is walked again."""

from __future__ import annotations

import time
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True)
class BackfillLimits:
    """How far one backfill run may reach."""

    max_objects: int = 200  # objects fetched per run
    max_fetches_per_host: int = 100  # GETs of pages, objects and authors per host per run
    max_pages: int = 20  # pages read of one collection
    max_depth: int = 20  # inReplyTo hops up a chain of unknown parents
    outbox_items: int = 20  # recent activities read from a newly followed actor's outbox
    max_threads: int = 10  # threads walked after reading that outbox
    cooldown_seconds: float = 900.0  # before the same thread or outbox is walked again


@dataclass
class BackfillReport:
    """What one run did."""

    fetched: int = 0
    stored: int = 0
    refused: int = 0
    threads: list[str] = field(default_factory=list)


class RunBudget:
    """What one run may still fetch: objects in all, GETs per host."""

    def __init__(self, limits: BackfillLimits) -> None:
        self.limits = limits
        self.report = BackfillReport()
        self._per_host: Counter[str] = Counter()
        self._objects = 0

    def take_fetch(self, url: str) -> bool:
        """Count a GET to `url`'s host; False once that host's share is spent."""
        host = urlsplit(url).netloc.lower()
        if self._per_host[host] >= self.limits.max_fetches_per_host:
            return False
        self._per_host[host] += 1
        self.report.fetched += 1
        return True

    def take_object(self) -> bool:
        """Count an object to fetch; False once the run's objects are spent."""
        if self._objects >= self.limits.max_objects:
            return False
        self._objects += 1
        return True

    @property
    def objects_left(self) -> int:
        """How many more objects this run may fetch."""
        return self.limits.max_objects - self._objects


class Cooldown:
    """Keys (thread and outbox ids) walked recently; each is walked again only after a while."""

    def __init__(self, seconds: float, size: int = 10_000) -> None:
        self._seconds = seconds
        self._size = size
        self._walked: OrderedDict[str, float] = OrderedDict()

    def claim(self, key: str) -> bool:
        """True (and remember it) unless `key` was claimed within the cool-down."""
        now = time.monotonic()
        last = self._walked.get(key)
        if last is not None and now - last < self._seconds:
            return False
        self._walked[key] = now
        self._walked.move_to_end(key)
        while len(self._walked) > self._size:
            self._walked.popitem(last=False)
        return True
