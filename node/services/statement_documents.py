"""How a statement looks on the wire: its Question (options "Agree", "Disagree", "Pass", the
`statementOf` term naming the proposal), a Note submitting one, and a vote's option name."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import Any

from federation.vocab import PUBLIC, id_of
from node.i18n import N_
from node.models import Actor, Object, Statement
from node.poll_documents import POLL_CONTEXT, Results, iso, with_results
from node.services.errors import ServiceError

# The options of every statement's Question, by their stable AS2 names, and what each counts as.
OPTIONS: tuple[tuple[str, int], ...] = (("Agree", 1), ("Disagree", -1), ("Pass", 0))
VALUE_OF = {name.casefold(): value for name, value in OPTIONS}
NAME_OF = {value: name for name, value in OPTIONS}
# The Townhall term that marks a Question as a statement of a proposal, and a Note as one
# submitted to it (FEDERATION.md).
STATEMENT_TERM = "statementOf"
STATEMENT_CONTEXT: list[Any] = [
    POLL_CONTEXT[0],
    {**POLL_CONTEXT[1], STATEMENT_TERM: {"@id": "townhall:statementOf", "@type": "@id"}},
]


def vote_value(name: object) -> int:
    """1, -1 or 0 for "Agree", "Disagree" or "Pass" (any case), or a ServiceError."""
    value = VALUE_OF.get(str(name or "").strip().casefold())
    if value is None:
        raise ServiceError(
            N_("%(value)s is not a vote on a statement: choose Agree, Disagree or Pass"),
            value=repr(str(name)[:40]),
        )
    return value


def is_submission(document: dict[str, Any]) -> bool:
    """Whether a Note is a statement submitted to a proposal (it carries `statementOf`)."""
    return document.get("type") == "Note" and bool(id_of(document.get(STATEMENT_TERM)))


def question_of(
    uri: str, organisation: Actor, proposal: Object, statement: Statement, closes_at: Any
) -> dict[str, Any]:
    """The Question a statement is published as, with no votes yet."""
    document: dict[str, Any] = {
        "@context": STATEMENT_CONTEXT,
        "id": uri,
        "type": "Question",
        "attributedTo": organisation.uri,
        "name": statement.text,
        "content": f"<p>{escape(statement.text)}</p>",
        "inReplyTo": proposal.uri,
        "context": proposal.context_uri or proposal.uri,
        STATEMENT_TERM: proposal.uri,
        "published": iso(datetime.now(UTC)),
        "url": uri,
        "to": [PUBLIC],
        "cc": [organisation.followers_uri],
    }
    if closes_at is not None:
        document["endTime"] = iso(closes_at)
    return with_counts(document, [0, 0, 0], 0)


def with_counts(document: dict[str, Any], counts: list[int], voters: int) -> dict[str, Any]:
    results = Results(
        False, [(name, count) for (name, _), count in zip(OPTIONS, counts, strict=True)], voters
    )
    updated = with_results(document, results)
    updated["@context"] = STATEMENT_CONTEXT
    return updated
