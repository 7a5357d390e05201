"""What this node refuses to talk to: one host comparison, and the blocks read once per moment.

Every place that asks "is this blocked?" (the inbox, backfill, fetches, the delivery queue and
its worker, the moderation pages) goes through `current_blocks()`, which also answers for the
allow-list mode, the limited servers and those whose media or reports are refused, so a block
of `spam.example` covers `a.spam.example`, `SPAM.example.` and `spam.example:443` everywhere alike.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from tortoise.expressions import Q

from node.i18n import N_
from node.models import Actor, AllowedServer, Block, BlockSeverity
from node.services.errors import ServiceError
from node.services.settings import FederationMode, site_settings

DOMAIN_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789.-")
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


def server_host(value: str) -> str:
    """A server's host as typed (spam.example, *.spam.example, https://spam.example/…), or a
    ServiceError saying it is none."""
    host = normalise_host(value.strip().removeprefix("*."))
    if "." not in host or not set(host) <= DOMAIN_CHARS:
        raise ServiceError(
            N_("%(value)s is not a server such as charity.example"), value=repr(value.strip()[:100])
        )
    return host


def parent_hosts(host: str) -> list[str]:
    """`host` and every domain above it: a.spam.example, spam.example, example."""
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels)) if labels[i]]


def on_domain(host: str) -> Q:
    """Actors whose server is `host` or below it (Actor.domain is the lower-cased authority,
    so it may carry a port)."""
    return (
        Q(domain=host)
        | Q(domain__startswith=f"{host}:")
        | Q(domain__endswith=f".{host}")
        | Q(domain__contains=f".{host}:")
    )


def covers(hosts: frozenset[str], host_or_url: str) -> bool:
    """Whether `hosts` holds the host of `host_or_url` or a domain above it."""
    return bool(hosts) and any(each in hosts for each in parent_hosts(normalise_host(host_or_url)))


@dataclass(frozen=True)
class BlockList:
    """This node's federation policy at one moment: the suspended actors (by id, and their
    personal inboxes) and domains (normalised), which are refused everything; the limited ones,
    whose posts only their followers here see; the servers whose media or reports are refused;
    and, in allow-list mode, the only servers federated with at all (ours always among them).
    Every "blocked?" asked anywhere is answered here, so the allow-list holds everywhere too."""

    actors: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    actor_inboxes: frozenset[str] = frozenset()
    limited_actors: frozenset[str] = frozenset()
    limited_domains: frozenset[str] = frozenset()
    media_rejected: frozenset[str] = frozenset()  # actor ids and domains
    reports_rejected: frozenset[str] = frozenset()  # actor ids and domains
    allowed: frozenset[str] | None = None  # None: block-list mode (everyone not blocked)

    @property
    def refuses_anything(self) -> bool:
        """Whether any actor or server is refused (else nothing need be checked)."""
        return bool(self.domains or self.actor_inboxes or self.allowed is not None)

    def blocks_host(self, host_or_url: str) -> bool:
        """Whether the host (or any domain above it) is suspended, or not on the allow-list."""
        if self.allowed is not None and not covers(self.allowed, host_or_url):
            return True
        return covers(self.domains, host_or_url)

    def blocks_actor(self, uri: str) -> bool:
        """Whether the actor, or its server, is blocked."""
        return uri in self.actors or self.blocks_host(uri)

    def blocks_inbox(self, inbox: str) -> bool:
        """Whether a delivery to `inbox` would reach a blocked actor or server."""
        return inbox in self.actor_inboxes or self.blocks_host(inbox)

    def limits_actor(self, uri: str) -> bool:
        """Whether the actor, or its server, is limited: kept, shown to its followers only."""
        return uri in self.limited_actors or covers(self.limited_domains, uri)

    def rejects_media_of(self, uri: str) -> bool:
        """Whether media of the actor (or from the URL's server) is refused."""
        return (
            self.blocks_actor(uri) or uri in self.media_rejected or covers(self.media_rejected, uri)
        )

    def rejects_reports_of(self, uri: str) -> bool:
        """Whether reports (Flags) from the actor, or its server, are dropped."""
        return (
            self.blocks_actor(uri)
            or uri in self.reports_rejected
            or covers(self.reports_rejected, uri)
        )


_cached: tuple[float, BlockList] | None = None


async def current_blocks() -> BlockList:
    """The policy as it is now (read at most every few seconds)."""
    global _cached
    if _cached is not None and time.monotonic() - _cached[0] < CACHE_SECONDS:
        return _cached[1]
    rows = await Block.all().values_list(
        "kind", "target", "severity", "reject_media", "reject_reports"
    )
    by_severity: dict[str, tuple[set[str], set[str]]] = {}
    media: set[str] = set()
    reports: set[str] = set()
    for kind, target, severity, reject_media, reject_reports in rows:
        name = str(target) if kind == "actor" else normalise_host(str(target))
        if not name:
            continue
        actors, domains = by_severity.setdefault(str(severity), (set(), set()))
        (actors if kind == "actor" else domains).add(name)
        if reject_media:
            media.add(name)
        if reject_reports:
            reports.add(name)
    none: tuple[set[str], set[str]] = (set(), set())
    suspended_actors, suspended_domains = by_severity.get(BlockSeverity.SUSPEND.value, none)
    limited_actors, limited_domains = by_severity.get(BlockSeverity.LIMIT.value, none)
    inboxes = []
    if suspended_actors:
        inboxes = await Actor.filter(uri__in=suspended_actors).values_list("inbox_uri", flat=True)
    blocks = BlockList(
        frozenset(suspended_actors),
        frozenset(suspended_domains),
        frozenset(str(inbox) for inbox in inboxes if inbox),
        frozenset(limited_actors),
        frozenset(limited_domains),
        frozenset(media),
        frozenset(reports),
        await _allowed_servers(),
    )
    _cached = (time.monotonic(), blocks)
    return blocks


async def _allowed_servers() -> frozenset[str] | None:
    """In allow-list mode the listed servers and our own; None in block-list mode."""
    if (await site_settings()).federation_mode is not FederationMode.ALLOW_LIST:
        return None
    hosts = set(await AllowedServer.all().values_list("host", flat=True))
    own = await Actor.filter(is_local=True).limit(1).values_list("uri", flat=True)
    return frozenset(
        normalise_host(str(host)) for host in (*hosts, *own) if normalise_host(str(host))
    )


def forget_cached_blocks() -> None:
    """Drop the cache (a block was added or lifted here, or a test changed databases)."""
    global _cached
    _cached = None
