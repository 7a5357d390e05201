"""Authorised fetch (the site setting `authorized_fetch`): when on, a GET of an actor, object or
collection as ActivityStreams must carry a valid HTTP signature, checked as the inbox checks
POSTs (federation/signatures.py, keys resolved by RemoteActors). Unsigned or unverifiable: 401;
signed from a suspended server (or, in allow-list mode, one not on the list): 404, as if there
were nothing here. Left open: the organisation actor (its key verifies our own signed fetches,
so a server that fetches it must not need a signature from us first), and what is not
ActivityStreams (HTML pages, WebFinger, NodeInfo)."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from federation.errors import SignatureError
from federation.signatures import KeyResolver, verify_request
from node.services.actors import get_organisation
from node.services.blocklist import current_blocks
from node.services.settings import site_settings

log = logging.getLogger("townhall.authorized_fetch")
KEY_ID = re.compile(r'keyid\s*=\s*"([^"]*)"', re.IGNORECASE)


@dataclass(frozen=True)
class FetchRefusal:
    status: int  # 401 or 404
    reason: str


async def is_required(path: str) -> bool:
    """Whether a GET of `path` as ActivityStreams must be signed now."""
    if not (await site_settings()).authorized_fetch:
        return False
    organisation = await get_organisation()
    return organisation is None or urlsplit(organisation.uri).path != path


async def refusal(
    method: str, url: str, headers: Mapping[str, str], resolve_key: KeyResolver
) -> FetchRefusal | None:
    """Why the signed (or unsigned) GET of `url` is refused, or None when its signer may read."""
    signature_headers = [headers.get(name, "") for name in ("Signature", "Signature-Input")]
    if not any(signature_headers):
        return FetchRefusal(
            401,
            "This server serves ActivityStreams only to signed requests (authorised fetch): "
            "sign the GET with your actor's key.",
        )
    blocks = await current_blocks()
    for key_id in KEY_ID.findall(" ".join(signature_headers)):
        if blocks.blocks_actor(key_id):
            log.info("authorized_fetch.blocked", extra={"key_id": key_id[:200]})
            return FetchRefusal(404, "There is nothing here.")
    try:
        signature = await verify_request(method, url, headers, None, resolve_key)
    except SignatureError as error:
        log.info("authorized_fetch.refused", extra={"url": url, "reason": str(error)[:200]})
        return FetchRefusal(401, f"The request's signature could not be verified: {error}")
    if blocks.blocks_actor(signature.owner):
        log.info("authorized_fetch.blocked", extra={"owner": signature.owner[:200]})
        return FetchRefusal(404, "There is nothing here.")
    return None
