"""An address typed into search: an @name@server handle or a link to a post or profile on
another server, looked up there for a member (a signed GET through the node's one client, its
SSRF rules; what is found is stored as a proxyUrl look-up stores it, so only a POST asks)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from federation.errors import FetchError
from node.i18n import N_
from node.models import Actor, Object
from node.sanitize import web_url
from node.services.errors import ServiceError
from node.services.proxy import RemoteLookup
from node.services.remote_actors import RemoteActors
from node.services.visibility import Reader

MAX_ADDRESS = 2048
# what opens on a page here: proposals (Article) and comments (Note; Page from forum software)
OPENABLE_TYPES = frozenset({"Article", "Note", "Page"})
_HANDLE = re.compile(r"@?([\w.-]{1,100})@([\w-]+(\.[\w-]+)*(:\d{1,5})?)", re.ASCII)


def address_in(text: str) -> str:
    """The handle (as @name@server) or link `text` is, else ''."""
    text = text.strip()
    if not text or len(text) > MAX_ADDRESS or any(c.isspace() for c in text):
        return ""
    if text.startswith(("https://", "http://")):
        return text if urlsplit(text).hostname else ""
    found = _HANDLE.fullmatch(text)
    return f"@{found.group(1)}@{found.group(2)}" if found else ""


@dataclass(frozen=True, slots=True)
class LookedUp:
    """What an address named: an account (with its handle) or a post, and where to read it."""

    is_account: bool
    name: str
    handle: str  # @name@server for an account, else ''
    link: str  # an http(s) link to it on its own server ('' when it has none)
    text: str  # a post's content (stored, sanitised HTML) or an account's summary
    object_id: int | None = None  # a post's row here (its page: web.remote_links), if remote
    local_path: str = ""  # a post of ours: the path of its page


async def look_up(
    address: str, lookup: RemoteLookup, remote: RemoteActors, reader: Reader
) -> LookedUp:
    """Fetch what `address` names; a ServiceError says why it cannot be had."""
    if not address_in(address):
        raise ServiceError(
            N_("%(address)s is neither an @name@server address nor a link"), address=repr(address)
        )
    if not address.startswith("http"):
        return _account(await remote.resolve_handle(address))
    try:
        document = await lookup.proxied(address, reader)
    except FetchError as error:
        raise ServiceError(
            N_("cannot fetch %(address)s: %(reason)s"), address=address, reason=error.reason
        ) from None
    if "inbox" in document:
        actor = await Actor.get_or_none(uri=document.get("id"))
        if actor is None:
            raise ServiceError(N_("%(address)s is an account we could not keep"), address=address)
        return _account(actor)
    kind = document.get("type")
    if kind not in OPENABLE_TYPES:
        raise ServiceError(
            N_("%(address)s is a %(value)s, not a proposal or comment"),
            address=address,
            value=kind or "document",
        )
    row = await Object.get_or_none(uri=document.get("id"))
    if row is None:
        raise ServiceError(N_("%(address)s could not be kept here"), address=address)
    name = document.get("name")
    content = document.get("content")
    url = document.get("url")
    return LookedUp(
        object_id=None if row.is_local else row.id,
        local_path=urlsplit(row.uri).path if row.is_local else "",
        is_account=False,
        name=name if isinstance(name, str) else "",
        handle="",
        link=web_url(url if isinstance(url, str) else "") or web_url(address),
        text=content if isinstance(content, str) else "",
    )


def _account(actor: Actor) -> LookedUp:
    return LookedUp(
        is_account=True,
        name=actor.name or actor.handle,
        handle=f"@{actor.handle}@{actor.domain}",
        link=web_url(actor.url) or web_url(actor.uri),
        text=actor.summary,
    )
