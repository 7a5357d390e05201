"""Statements on A's consultation, added and voted from A, from B and from Mastodon.

Two real nodes and a Mastodon-shaped FakeRemote on loopback. A's member and B's member each
add a statement (B's goes to A as a Note carrying `statementOf`); A's moderator approves them
from the moderation page; A publishes each as the organisation's Question, which reaches B
(its member follows A's organisation) and is kept there as a statement of A's proposal. Then
A's member votes from A's page, B's member from B's page (B sends A the Note Mastodon would)
and a Mastodon user with a recorded vote Create: every vote lands in A's statement_vote rows,
and a later vote replaces an earlier one; A's worker then draws the opinion map from them all.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import schemas
from tests.fakes import FakeRemote
from tests.support.member_sessions import MemberSession
from tests.support.nodes import (
    count_rows,
    eventually,
    execute_sql,
    fetch_value,
    follow_organisation,
    get_json,
    post_outbox,
    running_node,
)
from tests.support.pages import PASSWORD

TIMEOUT = 30
A_TEXT = "Sunday mornings suit working families"
B_TEXT = "The café should open with the library"


def in_days(days: float) -> str:
    moment = datetime.now(UTC) + timedelta(days=days)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


async def test_statements_and_votes_from_a_b_and_mastodon_land_on_a(tmp_path: Path) -> None:
    with (
        running_node(
            tmp_path / "a", "orga", extra_env={"TOWNHALL_OPINION_DEBOUNCE_SECONDS": "1"}
        ) as a,
        running_node(tmp_path / "b", "orgb") as b,
    ):
        alice, bob = a.add_member("alice"), b.add_member("bob")
        a.cli("user", "add", "mo", "--role", "moderator", "--password-stdin", stdin=PASSWORD)
        a.cli("user", "add", "dan", "--password-stdin", stdin=PASSWORD)
        b.cli("user", "add", "pat", "--password-stdin", stdin=PASSWORD)
        await follow_organisation(b, "bob", bob, a)
        # Given alice's open consultation on A, with statements turned on
        status, created = await post_outbox(
            a, "alice", alice,
            {"type": "Article", "name": "Open the library on Sundays",
             "summary": "Families who work weekdays cannot use the library.",
             "source": "Families want weekends.", "closesAt": in_days(7)},
        )  # fmt: skip
        assert status == 201, created
        proposal = created["object"]["id"]
        await execute_sql(a, "UPDATE proposal SET statements_enabled = TRUE")
        # When alice adds a statement on A, and bob adds one on B (B holds A's proposal)
        mine = {"type": "Note", "name": A_TEXT, "inReplyTo": proposal, "statementOf": proposal}
        status, answer = await post_outbox(a, "alice", alice, mine)
        assert status == 201, answer
        theirs = {**mine, "name": B_TEXT}
        status, answer = await post_outbox(b, "bob", bob, theirs)
        assert status == 201, answer
        # Then both wait on A for a moderator, B's with the Note's id
        await eventually(
            lambda: count_rows(a, "statement", "state = 'pending'"),
            lambda n: n == 2,
            what="both statements wait on A",
            timeout=TIMEOUT,
        )
        submitted = await fetch_value(
            a, f"SELECT submitted_uri FROM statement WHERE text = '{B_TEXT}'"
        )
        assert str(submitted).startswith(b.actor("bob") + "#statements/")
        # When A's moderator approves both from the moderation page
        mo = MemberSession(a)
        try:
            await mo.sign_in("mo")
            queue = await mo.get("/admin/held")
            ids = re.findall(r'action="/admin/statements/(\d+)/approve"', queue)
            assert len(ids) == 2 and A_TEXT in queue and B_TEXT in queue
            for statement_id in ids:
                await mo.post("/admin/held", f"/admin/statements/{statement_id}/approve", {})
        finally:
            await mo.close()
        questions = {}
        for text in (A_TEXT, B_TEXT):
            questions[text] = str(
                await fetch_value(
                    a,
                    "SELECT o.uri FROM statement s JOIN object o ON o.id = s.object_id"
                    f" WHERE s.text = '{text}'",
                )
            )
            status, served = await get_json(questions[text])
            assert status == 200 and served["attributedTo"] == a.organisation
            schemas.validate("statement", served)
        # Then B keeps them as approved statements of A's proposal (they reached bob's node)
        await eventually(
            lambda: count_rows(b, "statement", "state = 'approved' AND object_id IS NOT NULL"),
            lambda n: n == 2,
            what="B holds A's two statements",
            timeout=TIMEOUT,
        )
        # When dan votes on A's page, pat on B's page, and a Mastodon user from Mastodon
        a_path = "/objects/" + proposal.rsplit("/", 1)[-1]
        dan = MemberSession(a)
        pat = MemberSession(b)
        try:
            await dan.sign_in("dan")
            page = await dan.get(a_path)
            a_ids = re.findall(r'action="/statements/(\d+)/vote"', page)
            assert len(a_ids) == 2
            for statement_id in a_ids:
                await dan.post(a_path, f"/statements/{statement_id}/vote", {"vote": "agree"})
            await dan.post(a_path, f"/statements/{a_ids[0]}/vote", {"vote": "disagree"})
            await pat.sign_in("pat")
            b_path = "/remote/objects/" + str(
                await fetch_value(b, f"SELECT id FROM object WHERE uri = '{proposal}'")
            )
            page = await pat.get(b_path)
            assert A_TEXT in page and B_TEXT in page
            b_ids = re.findall(r'action="/statements/(\d+)/vote"', page)
            assert len(b_ids) == 2
            for statement_id in b_ids:
                await pat.post(b_path, f"/statements/{statement_id}/vote", {"vote": "pass"})
            assert "Your vote:" in await pat.get(b_path)
        finally:
            await dan.close()
            await pat.close()
        async with FakeRemote("mastodon") as mastodon:
            fan = mastodon.add_actor("fan")
            inbox = f"{a.base}/inbox"
            for text, option in ((A_TEXT, "Agree"), (B_TEXT, "Disagree"), (B_TEXT, "Agree")):
                sent = mastodon.vote(fan, questions[text], option, question_author=a.organisation)
                assert (await mastodon.deliver(fan, inbox, sent))[0] == 202
                await eventually(
                    lambda sent=sent: count_rows(
                        a, "inbox_item", f"activity_uri = '{sent['id']}' AND state = 'done'"
                    ),
                    lambda n: n == 1,
                    what="the Mastodon vote was applied",
                    timeout=TIMEOUT,
                )
            # Then A holds every vote: dan's, pat's (from B) and the Mastodon user's, the
            # last of each counting
            expected = {
                (a.actor("dan"), A_TEXT, -1),
                (a.actor("dan"), B_TEXT, 1),
                (b.actor("pat"), A_TEXT, 0),
                (b.actor("pat"), B_TEXT, 0),
                (fan.id, A_TEXT, 1),
                (fan.id, B_TEXT, 1),
            }

            async def all_votes() -> set[tuple[str, str, int]]:
                found = set()
                for voter, text, value in expected:
                    where = (
                        f"value = {value} AND statement_id IN (SELECT id FROM statement"
                        f" WHERE text = '{text}') AND actor_id IN"
                        f" (SELECT id FROM actor WHERE uri = '{voter}')"
                    )
                    if await count_rows(a, "statement_vote", where) == 1:
                        found.add((voter, text, value))
                return found

            await eventually(
                all_votes, lambda found: found == expected, what="every vote on A", timeout=TIMEOUT
            )
            assert await count_rows(a, "statement_vote") == 6
            # and A's Questions carry the counts
            status, served = await get_json(questions[B_TEXT])
            counts = {o["name"]: o["replies"]["totalItems"] for o in served["oneOf"]}
            assert counts == {"Agree": 2, "Disagree": 0, "Pass": 1}
            assert served["votersCount"] == 3
            # and A's worker has drawn the opinion map from all six votes of the three people
            await eventually(
                lambda: fetch_value(
                    a, "SELECT MAX(votes_counted) FROM opinion_map WHERE computed_at IS NOT NULL"
                ),
                lambda counted: counted == 6,
                what="A's opinion map counts every vote",
                timeout=TIMEOUT,
            )
