"""A consultation run from start to finish (issue 17's "Done when"), over real HTTP: A opens it
closing in a few seconds with two questions; B's member, a member of A and a Mastodon user
(recorded payloads through FakeRemote) comment, endorse and answer; A's worker closes it; a late
reply is kept and marked late; A publishes the decision; B and the Mastodon user receive the
report Article and the decision; C, which follows only A's organisation, sees the decision; and
every count of the report, read from its CSV files, is what was sent."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import aiohttp

from federation.vocab import id_of
from tests.fakes import FakeRemote
from tests.flows.test_consultation_closes_and_is_decided import mentions, seconds_from_now
from tests.flows.test_report_reaches_other_nodes import page_text, report_path
from tests.support.nodes import (
    RunningNode,
    count_rows,
    eventually,
    get_json,
    post_outbox,
    three_nodes,
)

TIMEOUT = 30
OPEN_SECONDS = 15  # long enough for every answer below to arrive on loopback


async def created(node: RunningNode, handle: str, token: str, document: dict[str, Any]) -> str:
    status, answer = await post_outbox(node, handle, token, document)
    assert status == 201, answer
    return str(id_of(answer["object"]))


def question(text: str, options: list[str], proposal: str, *, multiple: bool) -> dict[str, Any]:
    """A question put to the proposal, closing with it (no time of its own)."""
    choices = [{"type": "Note", "name": name} for name in options]
    return {"type": "Question", "content": f"<p>{text}</p>", "inReplyTo": proposal,
            ("anyOf" if multiple else "oneOf"): choices}  # fmt: skip


def vote(question: str, option: str) -> dict[str, Any]:
    return {"type": "Note", "name": option, "inReplyTo": question}


async def figure(node: RunningNode, path: str, slug: str) -> dict[str, tuple[int, ...]]:
    """One figure of the report, from its CSV file: each row's label and counts."""
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{node.base}{path}/{slug}.csv") as r,
    ):
        assert r.status == 200, (slug, r.status)
        rows = list(csv.reader(io.StringIO(await r.text())))
    return {row[0]: tuple(int(cell) for cell in row[1:]) for row in rows[1:]}


def nonzero(rows: dict[str, tuple[int, ...]]) -> dict[str, int]:
    return {label: values[0] for label, values in rows.items() if values[0]}


async def test_a_consultation_runs_from_opening_to_a_decision_everyone_hears_of(
    tmp_path: Path,
) -> None:
    async with three_nodes(tmp_path) as (a, b, c, alice, bob, _carol):
        dave = a.add_member("dave")
        async with FakeRemote(software="mastodon") as mastodon:
            # Given a Mastodon user who follows A's author, and a consultation A opens with two
            # questions, closing in a few seconds
            mara = mastodon.add_actor("mara")
            follow = mastodon.follow(mara, a.actor("alice"))
            assert (await mastodon.deliver(mara, f"{a.actor('alice')}/inbox", follow))[0] == 202
            await mastodon.wait_for(lambda r: r.type == "Accept", timeout=TIMEOUT)
            proposal = await created(a, "alice", alice, {
                "type": "Article", "name": "Free travel for young carers",
                "summary": "Young carers should travel free on buses.",
                "sections": {"problem": "Fares stop young carers reaching those they care for."},
                "closesAt": seconds_from_now(OPEN_SECONDS),
            })  # fmt: skip
            days = ["Mon", "Wed", "Sat"]
            single = await created(a, "alice", alice, question(
                "Should it start in April?", ["Yes", "No", "Not sure"], proposal, multiple=False
            ))  # fmt: skip
            several = await created(a, "alice", alice, question(
                "Which days matter?", days, proposal, multiple=True
            ))  # fmt: skip
            for q in (single, several):
                await eventually(
                    lambda q=q: count_rows(b, "object", f"uri = '{q}'"),
                    lambda n: n == 1,
                    what="B holds the question",
                    timeout=TIMEOUT,
                )
                await mastodon.wait_for(
                    lambda r, q=q: r.type == "Create" and r.json["object"]["id"] == q,
                    timeout=TIMEOUT,
                )

            # When B's member comments twice, endorses and answers both questions from B
            for text in ("<p>Siblings too?</p>", "<p>And on trams.</p>"):
                await created(b, "bob", bob, {"type": "Note", "content": text,
                                              "inReplyTo": proposal})  # fmt: skip
            await created(b, "bob", bob, {"type": "Like", "object": proposal})
            for q, option in ((single, "Yes"), (several, "Mon"), (several, "Sat")):
                await created(b, "bob", bob, vote(q, option))
            # and a member of A endorses and answers the first question
            await created(a, "dave", dave, {"type": "Like", "object": proposal})
            await created(a, "dave", dave, vote(single, "Yes"))
            # and the Mastodon user comments, favourites and answers with their poll buttons
            mara_inbox = f"{a.base}/inbox"
            sent = [
                mastodon.create_note(mara, "<p>Yes please</p>", in_reply_to=proposal),
                mastodon.like(mara, proposal),
                mastodon.vote(mara, single, "No", question_author=a.actor("alice")),
                mastodon.vote(mara, several, "Wed", question_author=a.actor("alice")),
            ]
            for activity in sent:
                assert (await mastodon.deliver(mara, mara_inbox, activity))[0] == 202
            await eventually(
                lambda: count_rows(a, "vote"),
                lambda n: n == 6,  # bob chose two days: a row each
                what="A counted every answer",
                timeout=TIMEOUT,
            )
            await eventually(
                lambda: count_rows(a, "reaction", f"object_uri = '{proposal}'"),
                lambda n: n == 3,
                what="A counted every endorsement",
                timeout=TIMEOUT,
            )
            await eventually(
                lambda: count_rows(
                    a, "object", f"in_reply_to_uri = '{proposal}' AND type = 'Note'"
                ),
                lambda n: n == 3,
                what="A holds every comment",
                timeout=TIMEOUT,
            )

            # Then A's worker closes it at its closing time, with no one closing it by hand
            await eventually(
                lambda: get_json(proposal),
                lambda answer: answer[1].get("proposalStatus") == "closed",
                what="the worker closed the consultation",
                timeout=OPEN_SECONDS + TIMEOUT,
            )
            # When a late reply arrives from the Mastodon user, it is kept and marked late
            late = mastodon.create_note(mara, "<p>Sorry, I am late</p>", in_reply_to=proposal)
            assert (await mastodon.deliver(mara, mara_inbox, late))[0] == 202
            late_id = late["object"]["id"]
            await eventually(
                lambda: count_rows(a, "object", f"uri = '{late_id}' AND late"),
                lambda n: n == 1,
                what="the late reply is kept and marked late",
                timeout=TIMEOUT,
            )

            # When A's author publishes the decision
            decision = {"type": "Update", "object": {
                "type": "Article", "id": proposal, "proposalStatus": "adopted",
                "decision": "Free travel for young carers **from April**."}}  # fmt: skip
            status, update = await post_outbox(a, "alice", alice, decision)
            assert status == 201, update

            # Then the Mastodon user receives the Update, the Note mentioning them and the report
            await mastodon.wait_for(
                lambda r: r.type == "Update" and r.json["object"]["id"] == proposal
                and "from April" in r.json["object"]["content"], timeout=TIMEOUT,
            )  # fmt: skip
            note = await mastodon.wait_for(
                lambda r: r.type == "Create" and r.json["object"].get("decisionOf") == proposal,
                timeout=TIMEOUT,
            )
            assert mentions(note.json["object"], mara.id)
            report = await mastodon.wait_for(
                lambda r: r.type == "Create" and r.json["object"].get("type") == "Article"
                and r.json["object"].get("inReplyTo") == proposal, timeout=TIMEOUT,
            )  # fmt: skip
            article = report.json["object"]["id"]
            # and B holds the decision and the report; C, following only A's organisation,
            # holds the decision
            for node in (b, c):
                await eventually(
                    lambda n=node: count_rows(n, "proposal", "status = 'adopted'"),
                    lambda n: n == 1,
                    what=f"{node.host} holds the decision",
                    timeout=TIMEOUT,
                )
            await eventually(
                lambda: count_rows(
                    b, "object", f"uri = '{article}' AND in_reply_to_uri = '{proposal}'"
                ),
                lambda n: n == 1,
                what="B holds the report Article",
                timeout=TIMEOUT,
            )
            told = f"in_reply_to_uri = '{proposal}' AND content LIKE '%from April%@bob%'"
            await eventually(
                lambda: count_rows(b, "object", told),
                lambda n: n == 1,
                what="B holds the decision Note mentioning its member",
                timeout=TIMEOUT,
            )

            # Then every count of the frozen report is what was sent
            path = await report_path(a, proposal)
            text = await page_text(a.base + path)
            assert "This report was frozen on" in text
            assert nonzero(await figure(a, path, "servers")) == {b.host: 2, mastodon.host: 1}
            assert nonzero(await figure(a, path, "late")) == {mastodon.host: 1}
            public, members = "The public (fediverse)", "Other members"
            assert nonzero(await figure(a, path, "respondents")) == {public: 3}
            # A holds no organisation of B's server (nothing of it reached A): all "not known"
            assert nonzero(await figure(a, path, "organisations")) == {"Not known": 3}
            assert nonzero(await figure(a, path, "endorsements")) == {members: 1, public: 2}
            first, second = await figure(a, path, "question-1"), await figure(a, path, "question-2")
            assert {k: v[0] for k, v in first.items()} == {"Yes": 2, "No": 1, "Not sure": 0}
            assert {k: v[0] for k, v in second.items()} == {"Mon": 1, "Wed": 1, "Sat": 1}
            participation = await figure(a, path, "participation")
            assert sum(v[0] for v in participation.values()) == 3
