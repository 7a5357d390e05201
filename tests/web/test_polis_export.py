"""The pol.is-compatible export, read back as pol.is's own readers read the open data sets
pol.is publishes (compdemocracy/openData; red-dwarf's Loader and its Vote and Statement
models): the columns by name, ids whole numbers counting from 0, votes 1 / -1 / 0,
`moderated` 1 / 0 / -1, timestamps in seconds."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from aiohttp.test_utils import TestClient

from node.models import Statement
from tests.web.test_open_data import EPOCH, with_statements

COMMENTS = ["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees",
            "moderated", "comment-body"]  # fmt: skip
VOTES = ["timestamp", "datetime", "comment-id", "voter-id", "vote"]
PARTICIPANTS = ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]
SUMMARY_KEYS = ["topic", "url", "voters", "voters-in-conv", "commenters", "comments", "groups",
                "conversation-description"]  # fmt: skip


def incrementing_id(value: str) -> int:
    """red-dwarf's IncrementingId: a whole number from 0."""
    number = int(value)
    assert number >= 0 and str(number) == value, value
    return number


def moment(value: str) -> datetime:
    """A pol.is timestamp: seconds since 1970 (pydantic reads a number this size so)."""
    seconds = int(value)
    assert seconds < 10**10, "seconds, not milliseconds"
    return datetime.fromtimestamp(seconds, UTC)


async def polis(client: TestClient, proposal_id: int, name: str) -> str:
    response = await client.get(f"/proposals/{proposal_id}/polis/{name}.csv")
    text = await response.text()
    assert response.status == 200, text[:300]
    assert response.content_type == "text/csv" and not text.startswith("\ufeff")
    return text


async def test_the_polis_export_reads_back_as_polis_readers_read_it(client: TestClient) -> None:
    consultation, _people = await with_statements(client)

    comments_text = await polis(client, consultation.id, "comments")
    reader = csv.DictReader(io.StringIO(comments_text))
    assert reader.fieldnames == COMMENTS
    comments = []
    for row in reader:
        comments.append(
            {
                "statement_id": incrementing_id(row["comment-id"]),
                "participant_id": incrementing_id(row["author-id"]),
                "created": moment(row["timestamp"]),
                "moderated": int(row["moderated"]),
                "agree_count": incrementing_id(row["agrees"]),
                "disagree_count": incrementing_id(row["disagrees"]),
                "txt": row["comment-body"],
            }
        )
        assert row["datetime"].endswith("GMT+0000 (Coordinated Universal Time)")
    assert [c["statement_id"] for c in comments] == [0, 1, 2]
    assert [c["txt"] for c in comments] == [
        "Bus fares should be free on Sundays",
        "Open from ten, not twelve",
        "Volunteers could staff it",
    ]
    assert all(c["moderated"] == 1 for c in comments)  # only approved statements are published
    assert [(c["agree_count"], c["disagree_count"]) for c in comments] == [(2, 1), (0, 1), (0, 1)]
    assert comments[0]["created"] == EPOCH

    votes_text = await polis(client, consultation.id, "votes")
    reader = csv.DictReader(io.StringIO(votes_text))
    assert reader.fieldnames == VOTES
    votes = {}
    for row in reader:
        assert int(row["vote"]) in (1, -1, 0)
        key = (incrementing_id(row["voter-id"]), incrementing_id(row["comment-id"]))
        assert key not in votes, "one vote per person per statement"
        votes[key] = int(row["vote"])
        moment(row["timestamp"])
    assert len(votes) == 6
    authors = {c["txt"]: c["participant_id"] for c in comments}
    carol, bob = (
        authors["Bus fares should be free on Sundays"],
        authors["Volunteers could staff it"],
    )
    assert votes[(carol, 0)] == -1 and votes[(carol, 1)] == 0
    assert votes[(bob, 0)] == 1 and votes[(bob, 2)] == -1
    # participants are numbered in order of first appearance: Carol's statement came first
    assert carol == 0

    matrix_text = await polis(client, consultation.id, "participants-votes")
    reader = csv.DictReader(io.StringIO(matrix_text))
    assert reader.fieldnames == [*PARTICIPANTS, "0", "1", "2"]
    rows = list(reader)
    assert [incrementing_id(row["participant"]) for row in rows] == list(range(len(rows)))
    for row in rows:
        pid = int(row["participant"])
        theirs = {tid: value for (who, tid), value in votes.items() if who == pid}
        assert row["group-id"] == ""
        assert int(row["n-votes"]) == len(theirs)
        assert int(row["n-agree"]) == list(theirs.values()).count(1)
        assert int(row["n-disagree"]) == list(theirs.values()).count(-1)
        assert int(row["n-comments"]) == sum(1 for c in comments if c["participant_id"] == pid)
        for tid in ("0", "1", "2"):
            expected = theirs.get(int(tid))
            assert row[tid] == ("" if expected is None else str(expected)), (pid, tid)

    summary = list(csv.reader(io.StringIO(await polis(client, consultation.id, "summary"))))
    assert [key for key, _value in summary] == SUMMARY_KEYS
    values = dict(summary)
    assert values["topic"] == "Open the library on Sundays"
    assert values["url"] == consultation.uri
    assert values["voters"] == values["voters-in-conv"] == "3"  # dan, carol and bob
    assert values["commenters"] == "3" and values["comments"] == "3"
    assert (
        values["conversation-description"] == "Families who work weekdays cannot use the library."
    )


async def test_a_statement_whose_author_is_gone_keeps_a_number_of_its_own(
    client: TestClient,
) -> None:
    consultation, _people = await with_statements(client)
    await Statement.filter(text="Volunteers could staff it").update(author_id=None)
    reader = csv.DictReader(io.StringIO(await polis(client, consultation.id, "comments")))
    authors = [incrementing_id(row["author-id"]) for row in reader]
    matrix = list(
        csv.DictReader(io.StringIO(await polis(client, consultation.id, "participants-votes")))
    )
    assert authors[2] not in authors[:2]
    gone = next(row for row in matrix if int(row["participant"]) == authors[2])
    assert gone["n-comments"] == "1" and gone["n-votes"] == "0"
