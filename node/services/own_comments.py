"""What the forms for editing and deleting one's own comment read. The rule of who may change
an object is local_objects.own_object's; the change itself goes through the client API (an
`Update` or a `Delete`, federated as any other)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from node.i18n import N_
from node.markdown import html_to_markdown
from node.models import Actor
from node.services.errors import NotFound
from node.services.lifecycle import takes, thread_status
from node.services.local_objects import own_object


@dataclass(frozen=True, slots=True)
class OwnComment:
    """A member's own live comment: its text to edit (Markdown) and what it shows."""

    id: int
    uri: str
    text: str
    content: str
    published_at: datetime
    updated_at: datetime | None
    changeable: bool = True  # not once the consultation it is part of has closed


async def own_comment(actor_id: int, uri: str) -> OwnComment:
    """The comment `uri` if the actor `actor_id` wrote it: NotFound when there is no such live
    comment, Forbidden (403) when someone else wrote it."""
    row = await own_object(await Actor.get(id=actor_id), uri)
    if row.type != "Note":
        raise NotFound(N_("only comments are edited and deleted here"))
    status = await thread_status(row.context_uri)
    return OwnComment(
        id=row.id,
        uri=row.uri,
        text=row.source or html_to_markdown(row.content),
        content=row.content,
        published_at=row.published_at,
        updated_at=row.updated_at,
        changeable=status is None or takes("changes to comments", status),
    )
