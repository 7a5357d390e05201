"""Taking part from your own account: a visitor types their @name@server, and we find where their
server opens a post from elsewhere (WebFinger, then its FEP-3b86 Object intent or the
`http://ostatus.org/schema/1.0/subscribe` template Mastodon, Pleroma, Akkoma, GoToSocial,
Misskey and Townhall serve) and send them there with the post's address.

The WebFinger request goes through the node's one client (its SSRF rules), within 10 seconds;
nothing is stored, so a refusal leaves nothing half-done.
"""

from __future__ import annotations

import asyncio
from urllib.parse import quote, urlsplit

from federation.addresses import is_loopback_url
from federation.client import FederationClient
from federation.errors import BadStatus, FetchError, FetchTimeout, ForbiddenAddress
from federation.webfinger import interaction_template
from node.i18n import N_
from node.services.errors import ServiceError
from node.services.remote_search import address_in
from node.urls import NodeUrls

INTERACTION_SECONDS = 10.0
# the visitor's handle, when they ask us to remember it (a cookie, a year)
REMEMBERED_SERVER_COOKIE = "townhall_own_account"
REMEMBER_SECONDS = 365 * 24 * 3600


class InteractionRefused(ServiceError):
    """Their server cannot be asked, or offers no way to open the post: a 400 in plain words."""

    status = 400


def own_handle(text: str) -> str:
    """`text` as @name@server, or InteractionRefused when it is not one."""
    handle = address_in(text.strip())
    if not handle or handle.startswith("http"):
        raise InteractionRefused(
            N_("Type your address as @name@server, for example @alex@mastodon.social.")
        )
    return handle


def own_template_url(urls: NodeUrls, uri: str) -> str:
    """Where a member of this node opens `uri` (our own interaction template)."""
    return f"{urls.base}/authorize_interaction?uri={quote(uri, safe='')}"


async def interaction_url(
    handle: str, object_uri: str, client: FederationClient, urls: NodeUrls
) -> str:
    """The address on `handle`'s own server that opens `object_uri` there."""
    handle = own_handle(handle)
    user, host = handle[1:].rsplit("@", 1)
    if urls.is_own_host(host):
        return own_template_url(urls, object_uri)
    scheme = "http" if is_loopback_url(f"http://{host}") and urls.base.startswith("http:") else ""
    url = f"{scheme or 'https'}://{host}/.well-known/webfinger?resource=acct:{user}@{host}"
    try:
        async with asyncio.timeout(INTERACTION_SECONDS):
            _, jrd = await client.fetch_json(url, accept="application/jrd+json")
    except TimeoutError:
        raise _slow(host) from None
    except ForbiddenAddress:
        raise InteractionRefused(
            N_("%(host)s is on a private network, which this server does not connect to."),
            host=host,
        ) from None
    except FetchTimeout:
        raise _slow(host) from None
    except BadStatus as error:
        if error.remote_status in (404, 410):
            raise InteractionRefused(
                N_("%(host)s has no account %(handle)s."), host=host, handle=handle
            ) from None
        raise InteractionRefused(
            N_("%(host)s could not be asked: %(reason)s."), host=host, reason=error.reason
        ) from None
    except FetchError as error:
        raise InteractionRefused(
            N_("%(host)s could not be reached: %(reason)s."), host=host, reason=error.reason
        ) from None
    found = interaction_template(jrd)
    if found is None:
        raise InteractionRefused(
            N_("%(host)s does not say where its members open posts from other servers."), host=host
        )
    template, placeholder = found
    if placeholder not in template:
        raise InteractionRefused(
            N_(
                "%(host)s gives an address for opening posts with no place for "
                "the post (no %(placeholder)s in it)."
            ),
            host=host,
            placeholder=placeholder,
        )
    target = template.replace(placeholder, quote(object_uri, safe=""))
    if urlsplit(target).scheme not in ("https", "http") or not urlsplit(target).hostname:
        raise InteractionRefused(
            N_("%(host)s gives an address for opening posts that is not a link."), host=host
        )
    return target


def _slow(host: str) -> InteractionRefused:
    return InteractionRefused(
        N_("%(host)s did not answer within %(seconds)s seconds; try again later."),
        host=host,
        seconds=f"{INTERACTION_SECONDS:.0f}",
    )
