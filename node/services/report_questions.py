"""Each question of a consultation, answered overall and by kind of respondent, for the report.

`results_by_kind` counts the answers of every question of the thread from one query (the
report's query count does not grow with the questions or the answers), by poll_tally's rule of
whose answers count (`counted_voters`: every member, and each other server's first voters up to
the admin's cap), so the report and the question's page give the same counts.

A question whose results are kept until it closes (poll_tally.results_visible) has no figure
until then: the report is public, and nobody is to be swayed by the count so far.
"""

from __future__ import annotations

import html
from collections import defaultdict
from typing import Any

from node.models import Poll, PollOption, Vote
from node.sanitize import plain_text
from node.services.endorsements import bucket_of
from node.services.poll_tally import VOTER_FIELDS, counted_voters, results_visible
from node.services.report_figures import KINDS, Figure, Row, cut
from node.services.settings import site_settings

QUESTION_LENGTH = 200

# poll id → option id → kind of respondent → answers
KindCounts = dict[int, dict[int, dict[str, int]]]


async def question_figures(context_uri: str) -> tuple[tuple[Figure, ...], int]:
    """A figure per question of the thread (slug question-N, in the order they were asked),
    each row an option with its answers: all, then one column per kind; and the answers."""
    polls = (
        await Poll.filter(
            object__context_uri=context_uri,
            object__is_public=True,
            object__deleted_at=None,
            object__hidden_at=None,
        )
        .order_by("object__published_at", "id")
        .values("id", "object__name", "object__content", "results_shown", "end_time", "closed_at")
    )
    if not polls:
        return (), 0
    poll_ids = [int(poll["id"]) for poll in polls]
    options = (
        await PollOption.filter(poll_id__in=poll_ids)
        .order_by("position")
        .values("id", "poll_id", "name")
    )
    counts = await results_by_kind(poll_ids)
    figures = []
    for number, poll in enumerate(polls, start=1):
        if not results_visible(_rules_of(poll), answered=False):
            continue
        rows = []
        for option in (o for o in options if o["poll_id"] == poll["id"]):
            by_kind = counts.get(poll["id"], {}).get(option["id"], {})
            per_kind = tuple(by_kind.get(kind, 0) for kind in KINDS)
            rows.append(Row(str(option["id"]), option["name"], (sum(per_kind), *per_kind)))
        figures.append(Figure(f"question-{number}", tuple(rows), heading=_question_text(poll)))
    answers = sum(
        sum(by_kind.values()) for by_option in counts.values() for by_kind in by_option.values()
    )
    return tuple(figures), answers


def _rules_of(poll: dict[str, object]) -> Poll:
    """An unsaved Poll holding what results_visible reads, from a values() row."""
    return Poll(
        results_shown=poll["results_shown"], end_time=poll["end_time"], closed_at=poll["closed_at"]
    )


async def results_by_kind(poll_ids: list[int]) -> KindCounts:
    """The counted answers to each option of the polls, by kind of respondent: the votes of
    every poll read in one query, counted with poll_tally's per-server cap."""
    cap = (await site_settings()).poll_votes_per_server
    rows = (
        await Vote.filter(poll_id__in=poll_ids)
        .order_by("id")
        .values_list("poll_id", "option_id", *VOTER_FIELDS)
    )
    by_poll: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        by_poll[int(row[0])].append(row)
    counts: KindCounts = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for poll_id, votes in by_poll.items():
        counted = counted_voters(((row[2], row[3], row[4]) for row in votes), cap)
        for _poll, option_id, actor_id, is_local, _domain, actor_type, role in votes:
            if actor_id in counted:
                kind = bucket_of(str(actor_type), str(role or ""), bool(is_local))
                counts[poll_id][int(option_id)][kind] += 1
    return counts


def _question_text(poll: dict[str, object]) -> str:
    name = str(poll["object__name"] or "")
    return name or cut(
        html.unescape(plain_text(str(poll["object__content"] or ""))), QUESTION_LENGTH
    )
