"""Consultation questions as ActivityStreams: the Question we publish and the votes we read.

A poll is a Mastodon-compatible `Question` (FEP-9967): its options are `Note`s in `oneOf`
(single choice) or `anyOf` (multiple choice), each carrying its count as
`replies.totalItems`, with `votersCount` and `endTime`, and `closed` once it has ended.
A vote is a `Note` whose `name` is the option chosen and whose `inReplyTo` is the Question.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from federation.vocab import AS2_CONTEXT, id_of
from node.proposal_documents import PROPOSAL_CONTEXT
from node.sanitize import plain_text

MASTODON_NS = "http://joinmastodon.org/ns#"
POLL_CONTEXT: list[Any] = [
    AS2_CONTEXT,
    {
        **PROPOSAL_CONTEXT[1],
        "toot": MASTODON_NS,
        "votersCount": "toot:votersCount",
        "resultsShown": "townhall:resultsShown",
    },
]


@dataclass(frozen=True)
class Results:
    """A poll's counts: votes per option in the author's order, distinct voters, when it closed."""

    multiple: bool
    counts: Sequence[tuple[str, int]]
    voters: int
    closed_at: datetime | None = None


def iso(moment: datetime) -> str:
    """A UTC date-time as ActivityStreams documents write it: 2025-01-31T12:00:00Z."""
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def options_of(results: Results, *, hide_counts: bool = False) -> list[dict[str, Any]]:
    """The options as Mastodon reads them: Notes named after the answer, counted in replies
    (0 each while the results are kept until the close)."""
    return [
        {
            "type": "Note",
            "name": name,
            "replies": {"type": "Collection", "totalItems": 0 if hide_counts else count},
        }
        for name, count in results.counts
    ]


def with_results(
    document: dict[str, Any], results: Results, *, hide_counts: bool = False
) -> dict[str, Any]:
    """The Question document carrying `results` (in oneOf or anyOf), and `closed` once ended.

    `hide_counts`: the question keeps its results until it closes, so each option says 0 and
    only `votersCount` (how many answered) is real.
    """
    updated = {k: v for k, v in document.items() if k not in ("oneOf", "anyOf", "closed")}
    updated["@context"] = POLL_CONTEXT
    updated["anyOf" if results.multiple else "oneOf"] = options_of(
        results, hide_counts=hide_counts and results.closed_at is None
    )
    updated["votersCount"] = results.voters
    if results.closed_at is not None:
        updated["closed"] = iso(results.closed_at)
    return updated


def vote_note(vote_id: str, voter: str, question: dict[str, Any], option: str) -> dict[str, Any]:
    """The Note that casts a vote, addressed to the Question's author only (votes are private)."""
    author = id_of(question.get("attributedTo")) or ""
    return {
        "id": vote_id,
        "type": "Note",
        "attributedTo": voter,
        "inReplyTo": question["id"],
        "name": option,
        "to": [author],
    }


def vote_choice(document: dict[str, Any]) -> tuple[str, str] | None:
    """(question id, option name) when `document` has the shape of a vote, else None.

    A vote is a Note with a `name`, an `inReplyTo` and no content: a Note that has
    something to say is a comment, even when it carries a title.
    """
    if document.get("type") != "Note" or not isinstance(document.get("name"), str):
        return None
    question = id_of(document.get("inReplyTo"))
    content = document.get("content")
    if question is None or (isinstance(content, str) and plain_text(content).strip()):
        return None
    name = document["name"].strip()
    return (question, name) if name else None
