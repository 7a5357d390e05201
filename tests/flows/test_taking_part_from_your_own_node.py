"""Taking part in another node's proposal from your own node's pages only: B's member opens A's
proposal on B (/remote/objects/{id}), comments, replies to A's member, endorses as a
practitioner, answers A's question, suggests an amendment and reports a comment to both
nodes' moderators, all as form POSTs with CSRF as a browser sends them; A counts each (B's
role in the endorsement split, B's answer in the question's results), A's moderators see the
report with B's server named, C hears B's comments through A's organisation, and the accepted
amendment's new version shows on B's page."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support.member_sessions import MemberSession
from tests.support.nodes import (
    RunningNode,
    count_rows,
    eventually,
    fetch_value,
    get_json,
    post_outbox,
    three_nodes,
)
from tests.support.pages import PASSWORD

TIMEOUT = 30
PROPOSAL = {
    "type": "Article",
    "name": "Open the library on Sundays",
    "summary": "Families who work weekdays cannot use the library.",
    "sections": {
        "problem": "The library is closed when working families are free.",
        "proposed_change": "Open 10:00 to 16:00 on Sundays.",
    },
}
CHANGE = "Open 10:00 to 18:00 on Sundays."
REMOTE_PAGE = re.compile(r'href="(/remote/objects/\d+)"')
ANSWER_FORM = re.compile(r'action="(/remote/objects/\d+/vote)"')
QUESTION = {
    "type": "Question",
    "content": "<p>Which days suit you?</p>",
    "oneOf": [{"type": "Note", "name": "Weekdays"}, {"type": "Note", "name": "Weekends"}],
}


async def test_a_practitioner_on_b_takes_part_in_a_proposal_of_a_from_b_pages_only(
    tmp_path: Path,
) -> None:
    async with three_nodes(tmp_path) as (a, b, c, alice, _bob, _carol):
        # Given alice's proposal on A with her comment, and pat, a practitioner, on B
        status, created = await post_outbox(a, "alice", alice, PROPOSAL)
        assert status == 201, created
        proposal = created["object"]["id"]
        status, said = await post_outbox(
            a, "alice", alice,
            {"type": "Note", "content": "<p>What hours suit you?</p>", "inReplyTo": proposal},
        )  # fmt: skip
        assert status == 201, said
        alices_comment = said["object"]["id"]
        status, asked = await post_outbox(a, "alice", alice, QUESTION | {"inReplyTo": proposal})
        assert status == 201, asked
        question = asked["object"]["id"]
        b.cli("user", "add", "pat", "--password-stdin", "--profile-role", "practitioner",
              stdin=PASSWORD)  # fmt: skip
        pat = MemberSession(b)
        try:
            await pat.post("/sign-in", "/sign-in", {"handle": "pat", "password": PASSWORD})

            # When pat looks A's proposal up by its URL on B and opens it
            status, found, looked_up = await pat.submit(
                "/search?q=x", "/search/lookup", {"address": proposal}
            )
            assert status == 303, looked_up[:3000]  # the look-up opens its page here
            for held in (alices_comment, question):
                await eventually(
                    lambda held=held: count_rows(b, "object", f"uri = '{held}'"),
                    lambda n: n == 1,
                    what=f"B holds {held}",
                    timeout=TIMEOUT,
                )
            where = found.removeprefix(b.base)
            assert REMOTE_PAGE.fullmatch(f'href="{where}"'), found
            text = await pat.get(where)
            # Then B shows it like its own, with A's thread and a link to the original
            assert "Open the library on Sundays" in text and "What hours suit you?" in text
            assert f'href="{proposal}"' in text

            # When pat comments, replies to alice, endorses and suggests an amendment there
            back = await pat.post(
                where, f"{where}/comments", {"content": "Sunday mornings, please."}
            )
            assert back.startswith(where)
            reply = {"content": "Ten until four works for us.", "in_reply_to": alices_comment}
            await pat.post(where, f"{where}/comments", reply)
            await pat.post(where, f"{where}/endorse", {"action": "endorse"})
            change = {"section": "proposed_change", "text": CHANGE, "reason": "Later"}
            await pat.post(f"{where}/amend", f"{where}/amendments", change)
            vote = ANSWER_FORM.search(await pat.get(where))
            assert vote, "B's page offers an answer to alice's question"
            assert await pat.post(where, vote.group(1), {"choice": "Weekends"}) == f"{where}#polls"
            # Then B's page shows each at once
            text = await pat.get(where)
            shown = ("Sunday mornings, please.", "Ten until four works for us.",
                     "You endorse this proposal.", CHANGE, "Your answer: Weekends")  # fmt: skip
            for words in shown:
                assert words in text, words
            assert not ANSWER_FORM.search(text)  # answered once: its home counts one answer

            # and A counts each: the comment, the reply under alice's, the amendment, and
            # pat's endorsement as a practitioner's
            for where_a in (
                "content LIKE '%Sunday mornings%' AND in_reply_to_uri = '" + proposal + "'",
                "content LIKE '%Ten until four%' AND in_reply_to_uri = '" + alices_comment + "'",
            ):
                await eventually(
                    lambda w=where_a: count_rows(a, "object", w),
                    lambda n: n == 1,
                    what=f"A holds {where_a}",
                    timeout=TIMEOUT,
                )
            await eventually(
                lambda: count_rows(a, "amendment", "state = 'pending'"),
                lambda n: n == 1,
                what="A holds pat's amendment",
                timeout=TIMEOUT,
            )
            await eventually(
                lambda: get_json(f"{proposal}/endorsements"),
                lambda got: got[1].get("practitioner") == 1,
                what="A counts pat's endorsement as a practitioner's",
                timeout=TIMEOUT,
            )
            # and A counts pat's answer
            await eventually(
                lambda: get_json(f"{question}/results"),
                lambda got: got[1].get("votersCount") == 1,
                what="A counts pat's answer",
                timeout=TIMEOUT,
            )
            assert await count_rows(a, "vote", "uri LIKE '%/actors/pat#votes/%'") == 1
            # and B's page, once its worker has fetched A's figures, shows them as A's
            await eventually(
                lambda: pat.get(where),
                lambda page: (
                    f"As {a.host} reported at" in page
                    and "1 person answered there." in page
                    and f"{a.host} keeps the results until the question closes." in page
                ),
                what="B's page shows A's count of the answers, as A's",
                timeout=TIMEOUT,
            )

            # When pat reports alice's comment from B's page, asking for A to have it too
            reported = f"{where}/report?uri={alices_comment}"
            form = await pat.get(reported)
            assert f"Also send this report to {a.host}" in form
            await pat.post(reported, reported, {"reason": "Not about the library", "forward": "1"})
            # Then B's moderators have it, and so do A's, with B's server named
            assert await count_rows(b, "report", f"object_uri = '{alices_comment}'") == 1
            await eventually(
                lambda: count_rows(a, "report", f"object_uri = '{alices_comment}'"),
                lambda n: n == 1,
                what="A's moderators have pat's report",
                timeout=TIMEOUT,
            )
            a.cli("user", "add", "mod", "--role", "moderator", "--password-stdin", stdin=PASSWORD)
            moderator = MemberSession(a)
            try:
                await moderator.post(
                    "/sign-in", "/sign-in", {"handle": "mod", "password": PASSWORD}
                )
                queue = await moderator.get("/admin/reports")
            finally:
                await moderator.close()
            assert "Not about the library" in queue
            assert f"sent by the server {b.host}" in queue
            assert "@pat@" not in queue  # sent in B's name, not pat's
            # and the Flag is in nobody's readable inbox on A: not alice's, whom it names
            flag = await fetch_value(b, "SELECT uri FROM activity WHERE type = 'Flag'")
            await eventually(
                lambda: count_rows(a, "inbox_item", f"activity_uri = '{flag}' AND state = 'done'"),
                lambda n: n == 1,
                what="A has applied the Flag",
                timeout=TIMEOUT,
            )
            assert await count_rows(a, "inbox_entry", f"activity_uri = '{flag}'") == 0

            # and C, following only A's organisation, hears B's comments through A
            await eventually(
                lambda: count_rows(
                    c,
                    "object",
                    "content LIKE '%Sunday mornings%' OR content LIKE '%Ten until four%'",
                ),
                lambda n: n == 2,
                what="C holds B's comments through A's announces",
                timeout=TIMEOUT,
            )

            # When alice accepts the amendment on A
            amendment_note = await pending_amendment_uri(a)
            status, accepted = await post_outbox(
                a, "alice", alice, {"type": "Accept", "object": amendment_note}
            )
            assert status == 201, accepted
            # Then B's page shows the new version, with the amendment accepted
            text = await eventually(
                lambda: pat.get(where),
                lambda page: "Version 2." in page and "Accepted" in page,
                what="B's page shows version 2 and the accepted amendment",
                timeout=TIMEOUT,
            )
            assert await count_rows(b, "proposal", "version = 2") == 1
            assert text.count(CHANGE) >= 2  # the amendment, and the section now reading so
        finally:
            await pat.close()


async def pending_amendment_uri(node: RunningNode) -> str:
    """The URI of the one pending amendment's Note on `node`."""
    query = (
        "SELECT object.uri FROM amendment JOIN object ON amendment.object_id = object.id"
        " WHERE amendment.state = 'pending'"
    )
    return str(await fetch_value(node, query))
