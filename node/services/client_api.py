"""The client-to-server API: what a member's bearer-token POST to its outbox does.

The accepted activity types and their handlers are the table in `node.services.outgoing`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import schemas
from federation.vocab import id_of
from node.i18n import N_
from node.models import Actor
from node.services import amendments, polls
from node.services.decisions import AfterDecision, Decisions
from node.services.errors import Forbidden, ServiceError
from node.services.outbox import Outbox
from node.services.outgoing import ACCEPTED_TYPES, HANDLERS, Outgoing
from node.services.proposals import Proposals
from node.services.proxy import RemoteLookup
from node.services.remote_actors import RemoteActors
from node.services.statements import Statements
from node.text_safety import refuse_unstorable_text

BARE_OBJECTS = ("Note", "Article", "Question")


class ClientApi:
    """Turns submitted activities into stored changes and outgoing deliveries."""

    def __init__(
        self,
        outbox: Outbox,
        remote_actors: RemoteActors,
        lookup: RemoteLookup | None = None,
        after_decision: tuple[AfterDecision, ...] = (),
    ) -> None:
        self.outbox = outbox
        proposals = Proposals(outbox)
        self.decisions = Decisions(outbox, proposals, after_decision)
        self._services = Outgoing(
            outbox=outbox,
            remote=remote_actors,
            proposals=proposals,
            amendments=amendments.Amendments(outbox, proposals),
            polls=polls.Polls(outbox),
            lookup=lookup or RemoteLookup(remote_actors, outbox.urls),
            decisions=self.decisions,
            statements=Statements(outbox),
        )

    async def post_as(
        self, actor_id: int, submitted: dict[str, Any], *, acting_id: int | None = None
    ) -> dict[str, Any]:
        """`post` as the local actor `actor_id` (a signed-in member's, or the organisation's);
        `acting_id`: the member's actor when it is the organisation's post that they make."""
        acting = await Actor.get(id=acting_id) if acting_id not in (None, actor_id) else None
        return await self.post(await Actor.get(id=actor_id), submitted, acting=acting)

    async def post(
        self, actor: Actor, submitted: dict[str, Any], *, acting: Actor | None = None
    ) -> dict[str, Any]:
        """Carry out one submitted activity (or bare object) and return the activity sent;
        `acting` is the member who acts for `actor` (an admin for the organisation)."""
        refuse_unstorable_text(submitted)
        kind = submitted.get("type")
        if isinstance(kind, str) and kind in BARE_OBJECTS:
            submitted = {"type": "Create", "actor": actor.uri, "object": submitted}
            kind = "Create"
        handler = HANDLERS.get(kind) if isinstance(kind, str) else None
        if handler is None:
            raise ServiceError(_unaccepted(kind))
        submitted = _with_hashtag_objects(submitted)
        submitted.setdefault("actor", actor.uri)
        if kind == "Follow" and _is_handle(submitted.get("object")):
            followee = await self._services.remote.resolve_handle(str(submitted["object"]))
            submitted = {**submitted, "object": followee.uri}
        if id_of(submitted.get("actor")) != actor.uri:
            raise Forbidden(N_("you can only post activities as yourself"))
        _validate(self._with_placeholder_ids(submitted))
        services = replace(self._services, acting=acting) if acting else self._services
        return await handler(services, actor, submitted)

    def _with_placeholder_ids(self, submitted: dict[str, Any]) -> dict[str, Any]:
        """The submission as it will look once we assign ids, for schema validation."""
        urls = self._services.urls
        checked = {**submitted, "id": urls.activity("submitted")}
        embedded = checked.get("object")
        if isinstance(embedded, dict) and "id" not in embedded:
            checked["object"] = {**embedded, "id": urls.object("submitted")}
        return checked


def _unaccepted(kind: object) -> str:
    """Why a submission's type is refused, listing what is accepted."""
    accepted = ", ".join(ACCEPTED_TYPES)
    bare = ", ".join(BARE_OBJECTS)
    if kind is None:
        said = "the activity has no type"
    elif not isinstance(kind, str):
        said = "type must be one string, not a list or object"
    else:
        said = f"activities of type {kind[:64]!r} are not accepted here"
    return f"{said}: send one of {accepted} (or a bare {bare})"


def _with_hashtag_objects(submitted: dict[str, Any]) -> dict[str, Any]:
    """Let clients write tags as plain words; store them as Hashtag objects."""
    embedded = submitted.get("object")
    if not isinstance(embedded, dict) or "tag" not in embedded:
        return submitted
    tags = embedded["tag"] if isinstance(embedded["tag"], list) else [embedded["tag"]]
    hashtags = [
        {"type": "Hashtag", "name": "#" + tag.lstrip("#")} if isinstance(tag, str) else tag
        for tag in tags
    ]
    return {**submitted, "object": {**embedded, "tag": hashtags}}


def _is_handle(value: object) -> bool:
    """Whether a Follow's object is written as @user@host or acct:user@host."""
    return isinstance(value, str) and value.startswith(("@", "acct:"))


def _validate(submitted: dict[str, Any]) -> None:
    try:
        schemas.validate("activity", submitted)
        kind = str(submitted["type"]).lower()
        if kind in schemas.kinds():
            schemas.validate(kind, submitted)
    except schemas.SchemaError as error:
        raise ServiceError(str(error)) from None
