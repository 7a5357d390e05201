"""Another server's questions, answered from this node: a `Question` held here in the thread of
another node's proposal, shown on its page here and answered by our members.

What a remote question is comes from the stored Question (its options, whether it takes one
answer or several, when it ends, whether its home closed it); its results only as its home
reported them (node/services/remote_figures.py, with the time they were fetched). Our members'
answers go to the question's author as the usual votes (`Create(Note{name, inReplyTo})`),
which its home counts.

This module is the one place that decides that a remote Question gets `Poll` and `PollOption`
rows here: when a member first answers it (`remote_poll`), so that their answer is stored as
`Vote` rows and shown at once. Such a poll has no end time of its own (its home closes it), so
the closing pass never touches it, and nothing here counts it: only the member's own choices are
read from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from federation.vocab import id_of
from node.i18n import N_
from node.models import Object, Poll, PollOption, Proposal, Vote
from node.poll_documents import iso
from node.services import lifecycle
from node.services.errors import Conflict, ServiceError, Words
from node.services.poll_rules import MAX_OPTIONS
from node.timestamps import parse_time

MAX_NAME = 200  # PollOption.name


@dataclass(frozen=True)
class RemoteQuestion:
    """A remote Question as stored: what its page shows and an answer is checked against."""

    uri: str
    author_uri: str
    multiple: bool
    options: tuple[str, ...]
    end_time: datetime | None
    closed_at: datetime | None  # its home said it closed (or its end time has passed)

    @property
    def closed(self) -> bool:
        return self.closed_at is not None


def remote_question(uri: str, document: dict[str, Any]) -> RemoteQuestion:
    """The question a stored remote Question document asks (options beyond what a poll of ours
    may have, or longer than a name we store, are left out: they cannot be answered here)."""
    multiple = isinstance(document.get("anyOf"), list) and not document.get("oneOf")
    listed = document.get("anyOf") if multiple else document.get("oneOf")
    names: list[str] = []
    for option in listed if isinstance(listed, list) else []:
        name = option.get("name") if isinstance(option, dict) else None
        name = name.strip() if isinstance(name, str) else ""
        if name and len(name) <= MAX_NAME and name not in names:
            names.append(name)
    end_time = _time(document.get("endTime"))
    closed = document.get("closed")
    closed_at = _time(closed) if isinstance(closed, str) else None
    if closed_at is None and closed is True:
        closed_at = end_time or datetime.now(UTC)
    if closed_at is None and end_time is not None and end_time <= datetime.now(UTC):
        closed_at = end_time
    return RemoteQuestion(
        uri=uri,
        author_uri=id_of(document.get("attributedTo")) or "",
        multiple=multiple,
        options=tuple(names[:MAX_OPTIONS]),
        end_time=end_time,
        closed_at=closed_at,
    )


def _time(value: Any) -> datetime | None:
    return parse_time(value) if isinstance(value, str) else None


async def check_answer(row: Object, question: RemoteQuestion, names: list[str]) -> None:
    """Refuse an answer its home would not count: a closed question (or consultation), an
    option it does not offer, several answers to a one-answer question."""
    if question.closed_at is not None:
        raise Conflict(
            N_("this question closed at %(iso)s: answers are no longer counted"),
            iso=iso(question.closed_at),
        )
    proposal = await Proposal.get_or_none(object__uri=row.in_reply_to_uri).only("id", "status")
    if proposal is not None and not lifecycle.takes("consultation questions", proposal.status):
        raise Conflict(
            N_("the consultation is %(value)s: answers are no longer counted"),
            value=Words(lifecycle.STATUS_WORDS[proposal.status]),
        )
    if not names:
        raise ServiceError(N_("choose an answer"))
    if len(names) > 1 and not question.multiple:
        raise ServiceError(N_("this question takes one answer: choose one"))
    if len({name.casefold() for name in names}) != len(names):
        raise ServiceError(N_("choose each answer once"))
    for name in names:
        if name not in question.options:
            choices = ", ".join(repr(option) for option in question.options)
            raise ServiceError(
                N_("%(name)s is not an option of this poll: choose one of %(choices)s"),
                name=repr(name),
                choices=choices,
            )


async def remote_poll(row: Object, question: RemoteQuestion) -> tuple[Poll, dict[str, PollOption]]:
    """The Poll and options that hold our members' answers to the remote Question `row`,
    made on its first answer (call it in the answer's transaction)."""
    poll = await Poll.get_or_none(object_id=row.id)
    if poll is None:
        poll = await Poll.create(object=row, multiple=question.multiple, end_time=None)
    options = {option.name: option for option in await PollOption.filter(poll_id=poll.id)}
    missing = [name for name in question.options if name not in options]
    position = max((option.position for option in options.values()), default=-1) + 1
    for offset, name in enumerate(missing):
        options[name] = await PollOption.create(poll=poll, position=position + offset, name=name)
    return poll, options


async def answers_of(actor_id: int, question_ids: list[int]) -> dict[int, frozenset[str]]:
    """What the member `actor_id` answered to each of the remote questions `question_ids` (row
    ids), in one query: question id → the options chosen."""
    if not question_ids:
        return {}
    rows = await Vote.filter(poll__object_id__in=question_ids, actor_id=actor_id).values_list(
        "poll__object_id", "option__name"
    )
    chosen: dict[int, set[str]] = {}
    for object_id, name in rows:
        chosen.setdefault(int(object_id), set()).add(str(name))
    return {key: frozenset(names) for key, names in chosen.items()}
