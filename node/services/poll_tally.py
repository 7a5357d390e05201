"""How a poll is counted and when it ends: every member's vote, and from each other server at
most the first N voters (the admin's `poll_votes_per_server`), shown apart; read-only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from node.models import Poll, PollOption, Vote
from node.poll_documents import Results, iso
from node.services.blocklist import normalise_host
from node.services.settings import site_settings


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
        for index, choices in enumerate(voters.values()):
            for choice in choices:
                votes[choice] += 1
                if index < cap:
                    counted[choice] += 1
        servers.append(ServerTally(host, len(voters), min(cap, len(voters)), votes))
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
