"""What this node refuses to talk to: one host comparison, and the blocks read once per moment.

Every place that asks "is this blocked?" (the inbox, backfill, fetches, the delivery queue and
its worker, the moderation pages) goes through `current_blocks()`, so a block of `spam.example`
covers `a.spam.example`, `SPAM.example.` and `spam.example:443` everywhere alike.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from node.models import Actor, Block

CACHE_SECONDS = 5.0  # other processes of the node see a new block within this long


def normalise_host(value: str) -> str:
    """The host of a URL or of `host[:port]`: lower case, no port, no trailing dot, IDNA."""
    text = value.strip()
    try:
        host = urlsplit(text if "://" in text else f"//{text}").hostname or ""
    except ValueError:  # an unclosed IPv6 bracket
        return ""
    host = host.rstrip(".")
    with contextlib.suppress(UnicodeError):  # not a valid name: compared as it is
        host = host.encode("idna").decode("ascii")
    return host.lower()


def parent_hosts(host: str) -> list[str]:
    """`host` and every domain above it: a.spam.example, spam.example, example."""
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels)) if labels[i]]


@dataclass(frozen=True)
class BlockList:
    """The blocked actors (by id, and their personal inboxes) and domains (normalised)."""

    actors: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    actor_inboxes: frozenset[str] = frozenset()

    def blocks_host(self, host_or_url: str) -> bool:
        """Whether the host (or any domain above it) is blocked."""
        if not self.domains:
            return False
        host = normalise_host(host_or_url)
        return any(each in self.domains for each in parent_hosts(host))

    def blocks_actor(self, uri: str) -> bool:
        """Whether the actor, or its server, is blocked."""
        return uri in self.actors or self.blocks_host(uri)

    def blocks_inbox(self, inbox: str) -> bool:
        """Whether a delivery to `inbox` would reach a blocked actor or server."""
        return inbox in self.actor_inboxes or self.blocks_host(inbox)


_cached: tuple[float, BlockList] | None = None


async def current_blocks() -> BlockList:
    """The blocks as they are now (read at most every few seconds)."""
    global _cached
    if _cached is not None and time.monotonic() - _cached[0] < CACHE_SECONDS:
        return _cached[1]
    rows = await Block.all().values_list("kind", "target")
    actors = frozenset(str(target) for kind, target in rows if kind == "actor")
    domains = frozenset(
        host for kind, target in rows if kind == "domain" and (host := normalise_host(str(target)))
    )
    inboxes = []
    if actors:
        inboxes = await Actor.filter(uri__in=actors).values_list("inbox_uri", flat=True)
    blocks = BlockList(actors, domains, frozenset(str(inbox) for inbox in inboxes if inbox))
    _cached = (time.monotonic(), blocks)
    return blocks


def forget_cached_blocks() -> None:
    """Drop the cache (a block was added or lifted here, or a test changed databases)."""
    global _cached
    _cached = None
