"""Content negotiation: one URL serves HTML to browsers and ActivityStreams JSON to servers."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from federation.vocab import AS2_MEDIA_TYPES

AS2_RESPONSE_TYPE = "application/activity+json"


def wants_activity_json(request: web.Request) -> bool:
    """Whether the client asked for ActivityStreams (activity+json or ld+json) over HTML."""
    best: tuple[float, bool] = (0.0, False)
    for position, part in enumerate(request.headers.get("Accept", "").split(",")):
        media, *params = (piece.strip() for piece in part.split(";"))
        quality = _quality(params)
        is_as2 = media.lower() in AS2_MEDIA_TYPES
        if media.lower() in ("text/html", "application/xhtml+xml") or is_as2:
            # earlier entries win ties, as browsers list what they prefer first
            score = quality - position * 1e-6
            if score > best[0]:
                best = (score, is_as2)
    return best[1]


def _quality(params: list[str]) -> float:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0


def activity_json_response(document: Any, status: int = 200) -> web.Response:
    """A response carrying an ActivityStreams document."""
    return web.Response(
        body=json.dumps(document, ensure_ascii=False).encode("utf-8"),
        status=status,
        content_type=AS2_RESPONSE_TYPE,
        charset="utf-8",
        headers={"Vary": "Accept"},
    )
