"""What every outgoing-activity handler is given: the node's services, and one signature."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from node.models import Actor
from node.services.amendments import Amendments
from node.services.decisions import Decisions
from node.services.outbox import Outbox
from node.services.polls import Polls
from node.services.proposals import Proposals
from node.services.proxy import RemoteLookup
from node.services.remote_actors import RemoteActors
from node.services.statements import Statements
from node.urls import NodeUrls


@dataclass(frozen=True)
class Outgoing:
    """The services a member's submitted activity may use."""

    outbox: Outbox
    remote: RemoteActors
    proposals: Proposals
    amendments: Amendments
    polls: Polls
    lookup: RemoteLookup
    decisions: Decisions
    statements: Statements
    # the member acting for the actor that signs (an admin or moderator for the organisation):
    # the one who made the change, told nothing of it
    acting: Actor | None = None

    @property
    def urls(self) -> NodeUrls:
        """The node's URL scheme."""
        return self.outbox.urls


Handler = Callable[[Outgoing, Actor, dict[str, Any]], Awaitable[dict[str, Any]]]
