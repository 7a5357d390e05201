"""How a poll is counted and when it ends: every member's vote, and from each other server at
most the first N voters (the admin's `poll_votes_per_server`), shown apart; read-only."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

from node.models import Poll, PollOption, ResultsShown, Vote
from node.poll_documents import Results, iso
from node.services.blocklist import normalise_host
from node.services.endorsements import EndorsementCounts, bucket_of
from node.services.settings import site_settings

# what a vote's voter is read by: who, whether ours, their server, kind and profile role
VOTER_FIELDS = ("actor_id", "actor__is_local", "actor__domain", "actor__type", "actor__role")


def now() -> datetime:
    return datetime.now(UTC)


def has_ended(poll: Poll) -> bool:
    """Whether a poll takes no more votes: closed, or past its end time (closed or not yet)."""
    return closed_at(poll) is not None


def closed_at(poll: Poll) -> datetime | None:
    """When the poll closed, or its end time once that has passed though the worker has not
    yet marked it: what readers are shown, without writing."""
    if poll.closed_at is not None:
        return poll.closed_at
    return poll.end_time if poll.end_time is not None and poll.end_time <= now() else None


def counts_hidden(poll: Poll) -> bool:
    """Whether the Question we publish keeps its counts back: results shown after the close,
    and not closed yet (only how many answered is published until then)."""
    return poll.results_shown == ResultsShown.AFTER_CLOSE and not has_ended(poll)


def results_visible(poll: Poll, *, answered: bool) -> bool:
    """Whether a person sees a question's results: everyone once it has closed; before that
    only someone who has answered a question whose results show after answering. Nobody else,
    not the author nor the moderators: nobody is swayed, or sways, by the count so far."""
    if has_ended(poll):
        return True
    return poll.results_shown == ResultsShown.AFTER_ANSWER and answered


def counted_voters(votes: Iterable[tuple[int, bool, str]], cap: int) -> set[int]:
    """Whose answers count, the one rule the question's page, its Question and the report
    count by: every member, and from each other server its first `cap` voters (by their first
    vote). `votes` are (voter, is_local, domain), in the order the votes were cast."""
    counted: set[int] = set()
    seen: set[int] = set()
    from_host: Counter[str] = Counter()
    for voter, is_local, domain in votes:
        if voter in seen:
            continue
        seen.add(voter)
        host = normalise_host(str(domain))
        if is_local or from_host[host] < cap:
            counted.add(voter)
        if not is_local:
            from_host[host] += 1
    return counted


@dataclass(frozen=True)
class ServerTally:
    """The votes from one other server: how many voted there, how many of them count."""

    host: str
    voters: int
    counted: int  # the first `counted` of them (by their first vote), within the cap
    votes: list[int]  # per option, in the author's order, of every voter from there


@dataclass(frozen=True)
class PollTally:
    """A poll's counted results, with the members' votes and each other server's apart."""

    results: Results  # what counts: members, plus each server's voters up to the cap
    local: list[int]  # members' votes per option
    local_voters: int
    servers: list[ServerTally]
    cap: int  # voters counted per other server


async def results_of(poll: Poll) -> Results:
    """The counted results of a poll (what its Question and its results carry)."""
    return (await tally_of(poll)).results


async def tally_of(poll: Poll) -> PollTally:
    """Count a poll: every member's vote, and from each other server at most the first
    `poll_votes_per_server` voters (two queries, and one pass over the votes)."""
    cap = (await site_settings()).poll_votes_per_server
    options = await PollOption.filter(poll_id=poll.id).order_by("position")
    position = {option.id: index for index, option in enumerate(options)}
    rows = await (
        Vote.filter(poll_id=poll.id)
        .order_by("id")
        .values_list("option_id", "actor_id", "actor__is_local", "actor__domain")
    )
    counts_of = counted_voters(
        ((actor, is_local, domain) for _, actor, is_local, domain in rows), cap
    )
    local = [0] * len(options)
    local_voters: set[int] = set()
    by_host: dict[str, dict[int, list[int]]] = {}  # host → voter → options, in order of votes
    for option_id, actor_id, is_local, domain in rows:
        if option_id not in position:
            continue
        if is_local:
            local[position[option_id]] += 1
            local_voters.add(actor_id)
        else:
            voters = by_host.setdefault(normalise_host(str(domain)), {})
            voters.setdefault(actor_id, []).append(position[option_id])
    counted = list(local)
    servers = []
    for host, voters in sorted(by_host.items()):
        votes = [0] * len(options)
        for voter, choices in voters.items():
            for choice in choices:
                votes[choice] += 1
                if voter in counts_of:
                    counted[choice] += 1
        taken = sum(1 for voter in voters if voter in counts_of)
        servers.append(ServerTally(host, len(voters), taken, votes))
    total_voters = len(local_voters) + sum(server.counted for server in servers)
    counts = [(option.name, counted[index]) for index, option in enumerate(options)]
    results = Results(poll.multiple, counts, total_voters, closed_at(poll))
    return PollTally(results, local, len(local_voters), servers, cap)


async def results_json(object_id: int, uri: str) -> dict[str, Any] | None:
    """A poll's results for people and scripts (None when the object is not a poll)."""
    poll = await Poll.get_or_none(object_id=object_id)
    if poll is None:
        return None
    tally = await tally_of(poll)
    results = tally.results
    if counts_hidden(poll):  # kept until the close: only how many answered
        return {
            "question": uri,
            "multiple": poll.multiple,
            "endTime": iso(poll.end_time) if poll.end_time else None,
            "closed": False,
            "resultsShown": poll.results_shown.value,
            "votersCount": results.voters,
            "options": [{"name": name} for name, _ in results.counts],
        }
    return {
        "question": uri,
        "multiple": poll.multiple,
        "endTime": iso(poll.end_time) if poll.end_time else None,
        "closed": has_ended(poll),
        "votersCount": results.voters,
        "options": [
            {"name": name, "votes": count, "local": tally.local[index]}
            for index, (name, count) in enumerate(results.counts)
        ],
        "localVoters": tally.local_voters,
        "votersCountedPerServer": tally.cap,
        "servers": [
            {
                "host": server.host,
                "voters": server.voters,
                "counted": server.counted,
                "votes": server.votes,
            }
            for server in tally.servers
        ],
    }


# The kinds of respondent, in the order reports list them (endorsements.bucket_of's names).
RESPONDENT_KINDS: tuple[str, ...] = tuple(field.name for field in fields(EndorsementCounts))


@dataclass(frozen=True)
class RespondentGroup:
    """The answers of one kind of respondent (organisations, practitioners, … the public)."""

    kind: str  # one of RESPONDENT_KINDS
    respondents: int
    votes: tuple[int, ...]  # per option, in the author's order


@dataclass(frozen=True)
class ResultsByRespondent:
    """A question's counted answers split by kind of respondent; the groups add up to the
    counted results (the per-server cap applies as in tally_of)."""

    question_uri: str
    options: tuple[str, ...]
    multiple: bool
    closed: bool
    results_shown: ResultsShown
    groups: tuple[RespondentGroup, ...]  # every kind, in RESPONDENT_KINDS order, empty ones too

    @property
    def respondents(self) -> int:
        """Everyone whose answer counts."""
        return sum(group.respondents for group in self.groups)


async def results_by_respondent(poll_id: int) -> ResultsByRespondent | None:
    """The poll `poll_id`'s answers by kind of respondent (None when there is no such poll), in
    four queries whatever the number of answers. It reads results whether or not people may see
    them yet: callers showing it to people ask results_visible first."""
    poll = await Poll.get_or_none(id=poll_id).select_related("object")
    if poll is None:
        return None
    cap = (await site_settings()).poll_votes_per_server
    options = await PollOption.filter(poll_id=poll.id).order_by("position")
    position = {option.id: index for index, option in enumerate(options)}
    rows = await Vote.filter(poll_id=poll.id).order_by("id").values_list("option_id", *VOTER_FIELDS)
    counts_of = counted_voters(((row[1], row[2], row[3]) for row in rows), cap)
    kind_of: dict[int, str] = {}  # counted respondents
    chosen: dict[int, list[int]] = {}
    for option_id, actor_id, is_local, _domain, actor_type, role in rows:
        if option_id not in position:
            continue
        if actor_id in counts_of:  # past the cap for its server: shown apart, not counted
            kind_of[actor_id] = bucket_of(str(actor_type), str(role or ""), bool(is_local))
        chosen.setdefault(actor_id, []).append(position[option_id])
    votes = {kind: [0] * len(options) for kind in RESPONDENT_KINDS}
    respondents = dict.fromkeys(RESPONDENT_KINDS, 0)
    for actor_id, kind in kind_of.items():
        respondents[kind] += 1
        for choice in chosen.get(actor_id, []):
            votes[kind][choice] += 1
    groups = tuple(
        RespondentGroup(kind, respondents[kind], tuple(votes[kind])) for kind in RESPONDENT_KINDS
    )
    return ResultsByRespondent(
        question_uri=poll.object.uri,
        options=tuple(option.name for option in options),
        multiple=poll.multiple,
        closed=has_ended(poll),
        results_shown=ResultsShown(poll.results_shown),
        groups=groups,
    )
