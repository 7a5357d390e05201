"""What software each follower server runs, from its NodeInfo, cached in `Host` for a day.

Asked by a timed pass (node/workers/host_software.py), never by a page or a publish: publishing
reads only what is cached, so a server not asked yet gets the Article alone until it is.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from federation.client import FederationClient
from federation.errors import FederationError
from federation.nodeinfo import (
    DISCOVERY_ACCEPT,
    DISCOVERY_PATH,
    Software,
    nodeinfo_link,
    software_of,
)
from node.article_reach import mishandles_article
from node.models import Actor, Host
from node.services.delivery_queue import follower_inboxes, host_of

log = logging.getLogger("townhall.host_software")

RECHECK_AFTER = timedelta(days=1)
HOSTS_PER_PASS = 50  # a pass asks at most this many servers; the next pass goes on


async def learn_software(client: FederationClient, inbox: str) -> Software | None:
    """Ask the server of `inbox` for its NodeInfo and cache what it says (an empty name when
    it says nothing readable or cannot be reached, so that it is asked again only tomorrow)."""
    parts = urlsplit(inbox)
    host = parts.netloc.lower()
    software: Software | None = None
    try:
        _, discovery = await client.fetch_json(
            f"{parts.scheme}://{host}{DISCOVERY_PATH}", accept=DISCOVERY_ACCEPT
        )
        link = nodeinfo_link(discovery)
        if link is not None and host_of(link) == host:  # NodeInfo of that server, not another
            _, document = await client.fetch_json(link, accept=DISCOVERY_ACCEPT)
            software = software_of(document)
    except FederationError as exc:
        log.info("nodeinfo.unreadable", extra={"host": host, "error": str(exc)})
    await _remember(host, software)
    return software


async def _remember(host: str, software: Software | None) -> None:
    values = {
        "software": software.name if software else "",
        "software_version": software.version if software else "",
        "software_checked_at": datetime.now(UTC),
    }
    if not await Host.filter(domain=host).update(**values):
        await Host.get_or_create(domain=host, defaults=values)
        await Host.filter(domain=host).update(**values)


async def inboxes_to_check(actors: list[Actor], limit: int = HOSTS_PER_PASS) -> list[str]:
    """One follower inbox per server of `actors`' followers whose software is unknown or was
    learnt more than a day ago."""
    by_host: dict[str, str] = {}
    for actor in actors:
        for inbox in await follower_inboxes(actor):
            by_host.setdefault(host_of(inbox), inbox)
    fresh = set(
        await Host.filter(
            domain__in=list(by_host), software_checked_at__gte=datetime.now(UTC) - RECHECK_AFTER
        ).values_list("domain", flat=True)
    )
    return [inbox for host, inbox in by_host.items() if host not in fresh][:limit]


async def preview_inboxes(actor: Actor) -> list[str]:
    """The inboxes of `actor`'s followers on servers whose cached software mishandles Article."""
    inboxes = await follower_inboxes(actor)
    hosts = {host_of(inbox) for inbox in inboxes}
    rows = await Host.filter(domain__in=list(hosts)).exclude(software="")
    affected = {
        row.domain for row in rows if mishandles_article(row.software, row.software_version)
    }
    return [inbox for inbox in inboxes if host_of(inbox) in affected]
