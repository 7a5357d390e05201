"""The inbox pipeline: size → JSON (storable text) → schema → signature → signer owns actor → 202.

The node supplies storage and key lookup through `InboxPorts`; nothing here touches a database.
Applying the activity happens later, in the node's inbox worker.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from aiohttp import web

import schemas
from federation.errors import FederationError, SignatureError, UnknownKey
from federation.signatures import KeyResolver, VerifiedSignature, verify_request
from federation.text import unstorable_in
from federation.vocab import id_of

log = logging.getLogger("townhall.inbox")

MAX_INBOX_BYTES = 1_048_576
ACCEPTED_CONTENT_TYPES = frozenset(
    {"application/activity+json", "application/ld+json", "application/json"}
)


class InboxRefusal(FederationError):
    """An inbox POST we refuse, with the HTTP status to answer."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.http_status = status


@dataclass(frozen=True)
class ReceivedActivity:
    """A verified, validated activity ready to be stored."""

    activity_id: str
    activity_type: str
    actor: str
    activity: dict[str, Any]
    signature: VerifiedSignature
    recipient: str | None
    body: bytes


class InboxPorts(Protocol):
    """What the inbox needs from the node."""

    resolve_key: KeyResolver

    async def store(self, received: ReceivedActivity) -> bool:
        """Store durably; return False when this activity id was stored before."""
        ...

    async def is_blocked(self, actor_id: str) -> bool:
        """Whether the actor or its whole domain is blocked here."""
        ...

    def wake(self) -> None:
        """Tell the worker there is new work."""
        ...


async def read_body(request: web.Request, limit: int = MAX_INBOX_BYTES) -> bytes:
    """The request body, refusing (413) anything over `limit` without reading it all."""
    if request.content_length is not None and request.content_length > limit:
        raise InboxRefusal(413, f"the body is larger than {limit} bytes")
    body = bytearray()
    async for chunk in request.content.iter_chunked(65536):
        body.extend(chunk)
        if len(body) > limit:
            raise InboxRefusal(413, f"the body is larger than {limit} bytes")
    return bytes(body)


def parse_activity(body: bytes) -> dict[str, Any]:
    """Parse JSON safely: malformed, too deep, NaN or absurd numbers are a 400, never a crash."""
    try:
        document = json.loads(body, parse_constant=_refuse_constant, parse_float=_finite_float)
    except RecursionError:
        raise InboxRefusal(400, "the JSON is nested too deeply") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise InboxRefusal(400, f"the body is not valid JSON: {error}") from None
    if not isinstance(document, dict):
        raise InboxRefusal(400, "the body must be a JSON object")
    return document


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:40]} is out of range")
    return value


def check_content_type(content_type: str) -> None:
    """Accept ActivityStreams JSON in its usual spellings; refuse anything else with 415."""
    if content_type.lower() not in ACCEPTED_CONTENT_TYPES:
        raise InboxRefusal(415, f"content type {content_type!r} is not ActivityStreams JSON")


def activity_identity(activity: dict[str, Any], body: bytes) -> tuple[str, str, str]:
    """(id, type, actor id) of a valid activity; transient ones get an id from their body."""
    activity_type = activity["type"] if isinstance(activity["type"], str) else activity["type"][0]
    actor = id_of(activity.get("actor"))
    if actor is None:
        raise InboxRefusal(400, "the activity has no actor id")
    activity_id = activity.get("id")
    if not isinstance(activity_id, str):
        activity_id = "urn:sha256:" + hashlib.sha256(body).hexdigest()
    return activity_id, str(activity_type), actor


async def receive(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    content_type: str,
    ports: InboxPorts,
    recipient: str | None,
) -> ReceivedActivity:
    """Run every check on one inbox POST; raise InboxRefusal with the status to answer."""
    if "signature" not in headers and "signature-input" not in headers:
        raise InboxRefusal(401, "the request is not signed")
    check_content_type(content_type)
    activity = parse_activity(body)
    if (where := unstorable_in(activity)) is not None:  # refused here, not retried by the worker
        raise InboxRefusal(400, f"NUL or a lone surrogate in {where[:200]}")
    try:
        schemas.validate("activity", activity)
    except schemas.SchemaError as error:
        raise InboxRefusal(400, str(error)) from None
    activity_id, activity_type, actor = activity_identity(activity, body)
    specific = activity_type.lower()
    if specific in schemas.kinds():
        try:
            schemas.validate(specific, activity)
        except schemas.SchemaError as error:
            raise InboxRefusal(400, str(error)) from None
    signature = await _verify(method, url, headers, body, ports)
    if signature.owner != actor:
        raise InboxRefusal(
            403, f"signed by {signature.owner}, which may not speak for actor {actor}"
        )
    if await ports.is_blocked(actor):
        raise InboxRefusal(403, "this actor or its server is blocked here (or not allowed)")
    return ReceivedActivity(activity_id, activity_type, actor, activity, signature, recipient, body)


async def _verify(
    method: str, url: str, headers: Mapping[str, str], body: bytes, ports: InboxPorts
) -> VerifiedSignature:
    try:
        return await verify_request(method, url, headers, body, ports.resolve_key)
    except UnknownKey as error:
        raise InboxRefusal(401, error.reason) from None
    except SignatureError as error:
        raise InboxRefusal(error.status, error.reason) from None


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def inbox_handler(
    ports: InboxPorts,
    *,
    public_base: str,
    recipient_of: Callable[[web.Request], str | None] | None = None,
) -> Handler:
    """An aiohttp handler for a shared or personal inbox POST.

    Signatures are checked against the node's public URL (`public_base` + path), which is what
    the sender signed, even when a reverse proxy changed the scheme or host on the way.
    """

    async def handle(request: web.Request) -> web.StreamResponse:
        recipient = recipient_of(request) if recipient_of else None
        url = public_base + str(request.rel_url)
        try:
            body = await read_body(request)
            received = await receive(
                request.method, url, request.headers, body, request.content_type, ports, recipient
            )
        except InboxRefusal as refusal:
            log.info(
                "inbox.refused",
                extra={
                    "status": refusal.http_status,
                    "reason": refusal.reason,
                    "path": request.path,
                },
            )
            return web.json_response({"error": refusal.reason}, status=refusal.http_status)
        fresh = await ports.store(received)
        if fresh:
            ports.wake()
        log.debug(  # the access log has the request; this adds which activity it carried
            "inbox.accepted",
            extra={
                "activity": received.activity_id,
                "type": received.activity_type,
                "actor": received.actor,
                "duplicate": not fresh,
            },
        )
        return web.Response(status=202)

    return handle
