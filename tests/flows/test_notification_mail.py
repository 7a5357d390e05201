"""Notification mail from a real node process to a real SMTP server (aiosmtpd on loopback): a
consultation's comments over a week make one weekly digest per member with the right items,
once, across a restart; closing-soon reminders reach the right people only; the one-click
unsubscribe (RFC 8058) POST stops that kind of mail.

Time moves by setting the rows' timestamps (a week of comments) and closing dates, never by
sleeping; the node's passes run every half second here (TOWNHALL_NOTIFY_POLL_SECONDS)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp

from tests.support.nodes import (
    RunningNode,
    collection_items,
    count_rows,
    eventually,
    execute_sql,
    post_outbox,
    running_node,
)
from tests.support.smtp import Received, SmtpSink, smtp_sink

TIMEOUT = 30
TITLE = "Open the library on Sundays"


def node_env(sink: SmtpSink) -> dict[str, str]:
    return {
        "TOWNHALL_SMTP_URL": sink.url,
        "TOWNHALL_MAIL_POLL_SECONDS": "0.2",
        "TOWNHALL_NOTIFY_POLL_SECONDS": "0.5",
        "TOWNHALL_NOTIFY_SETTLE_SECONDS": "1",  # two minutes in service
    }


def sql_time(moment: datetime) -> str:
    """A timestamp literal both databases compare as the node stores it."""
    return "'" + moment.astimezone(UTC).isoformat(sep=" ", timespec="microseconds") + "'"


def ago(days: float) -> str:
    return sql_time(datetime.now(UTC) - timedelta(days=days))


def in_days(days: float) -> str:
    later = datetime.now(UTC) + timedelta(days=days)
    return later.isoformat(timespec="seconds").replace("+00:00", "Z")


def account_of(handle: str) -> str:
    return f"(SELECT id FROM actor WHERE handle = '{handle}' AND is_local)"


async def choose(node: RunningNode, handle: str, kind: str, delivery: str) -> None:
    await execute_sql(
        node,
        "INSERT INTO notification_preference (account_id, kind, delivery) "
        f"SELECT id, '{kind}', '{delivery}' FROM account WHERE actor_id = {account_of(handle)}",
    )


async def give_address(node: RunningNode, handle: str, verified_days_ago: float = 8) -> None:
    """A confirmed address, set in the database (the address pages are another branch's)."""
    await execute_sql(
        node,
        f"UPDATE account SET email = '{handle}@example.org', "
        f"email_verified_at = {ago(verified_days_ago)} WHERE actor_id = {account_of(handle)}",
    )


async def publish(node: RunningNode, handle: str, token: str, closes_in_days: float) -> str:
    article = {"type": "Article", "name": TITLE, "summary": "Families work weekdays."}
    status, answer = await post_outbox(
        node, handle, token, {**article, "closesAt": in_days(closes_in_days)}
    )
    assert status == 201, answer
    return str(answer["object"]["id"])


async def reply(node: RunningNode, handle: str, token: str, to: str, text: str) -> str:
    note = {"type": "Note", "content": text, "inReplyTo": to}
    status, answer = await post_outbox(node, handle, token, note)
    assert status == 201, answer
    return str(answer["object"]["id"])


async def mail_for(sink: SmtpSink, address: str, count: int = 1) -> list[Received]:
    async def probe() -> list[Received]:
        return sink.to(address)

    return await eventually(
        probe, lambda found: len(found) >= count, timeout=TIMEOUT, what=f"mail to {address}"
    )


async def test_a_weeks_comments_make_one_weekly_digest_per_member_with_the_right_items(
    tmp_path: Path,
) -> None:
    with smtp_sink() as sink, running_node(tmp_path, extra_env=node_env(sink)) as node:
        # Given alice's consultation, on which bob comments five times and carol three times
        # over the past week, and bob answers carol once
        alice, bob, carol = (node.add_member(h) for h in ("alice", "bob", "carol"))
        uri = await publish(node, "alice", alice, closes_in_days=30)
        for day in range(5):
            await reply(node, "bob", bob, uri, f"Bob's point {day}")
        carols = [await reply(node, "carol", carol, uri, f"Carol's point {n}") for n in range(3)]
        await reply(node, "bob", bob, carols[0], "I agree with Carol")
        await reply(node, "alice", alice, uri, "Thanks, everyone")  # her own: not news to her
        for day, handle in enumerate(("bob", "carol")):
            await execute_sql(
                node,
                f"UPDATE object SET published_at = {ago(6 - day)} "
                f"WHERE author_id = {account_of(handle)}",
            )
        # And alice and carol take replies weekly; all three have confirmed addresses
        for handle in ("alice", "carol"):
            await choose(node, handle, "reply", "weekly")
        for handle in ("alice", "bob", "carol"):
            await give_address(node, handle)
        # When the node's pass runs
        (to_alice,) = await mail_for(sink, "alice@example.org")
        (to_carol,) = await mail_for(sink, "carol@example.org")
        # Then alice's one digest counts the thread's eight replies on one line, carol's holds
        # bob's answer, and bob, to whom nobody replied, gets none
        alice_text = to_alice.part("plain")
        assert "weekly digest" in str(to_alice.message["Subject"])
        assert f"{TITLE}: 8 new replies" in alice_text and alice_text.count("new repl") == 1
        assert f"{TITLE}: 1 new reply" in to_carol.part("plain")
        assert to_alice.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        # And after a restart the digests are not sent again: bob, who now wants replies at
        # once, is told of carol's answer (so passes have run since), and no one else hears
        node.process.terminate()
        node.process.start()
        await choose(node, "bob", "reply", "immediate")
        bobs = await reply(node, "bob", bob, uri, "One more thought")
        await reply(node, "carol", carol, bobs, "Good thought")
        (to_bob,) = await mail_for(sink, "bob@example.org")
        assert f"{TITLE}: 1 new reply" in to_bob.part("plain")
        assert len(sink.to("alice@example.org")) == len(sink.to("carol@example.org")) == 1
        assert await count_rows(node, "outgoing_mail") == 3


async def test_closing_reminders_reach_the_right_people_and_one_click_unsubscribe_stops_them(
    tmp_path: Path,
) -> None:
    with smtp_sink() as sink, running_node(tmp_path, extra_env=node_env(sink)) as node:
        # Given bob and dan following the organisation, carol who will endorse, erin who does
        # neither; all with confirmed addresses
        tokens = {h: node.add_member(h) for h in ("alice", "bob", "carol", "dan", "erin")}
        for handle in ("bob", "dan"):
            status, answer = await post_outbox(
                node, handle, tokens[handle], {"type": "Follow", "object": node.organisation}
            )
            assert status == 201, answer
            await eventually(
                lambda handle=handle: collection_items(f"{node.actor(handle)}/following"),
                lambda items: items == [node.organisation],
                timeout=TIMEOUT,
                what=f"{handle} follows the organisation",
            )
        # And a consultation closing in two and a half days that carol endorses and dan answers
        first = await publish(node, "alice", tokens["alice"], closes_in_days=20)
        status, _ = await post_outbox(
            node, "carol", tokens["carol"], {"type": "Like", "object": first}
        )
        assert status == 201
        await reply(node, "dan", tokens["dan"], first, "My answer")
        for handle in ("bob", "carol", "dan", "erin"):
            await give_address(node, handle)
        await execute_sql(
            node,
            f"UPDATE proposal SET closes_at = {sql_time(datetime.now(UTC) + timedelta(days=2.5))}",
        )
        # When the node's pass runs
        (to_bob,) = await mail_for(sink, "bob@example.org")
        (to_carol,) = await mail_for(sink, "carol@example.org")
        assert "closes within three days" in to_carol.part("plain")
        # Then bob (following) and carol (endorsing) are reminded; dan, who answered, and erin
        # are not: those two were the pass's only reminders
        assert "closes within three days" in to_bob.part("plain")
        assert await count_rows(node, "closing_reminder") == 2
        assert await count_rows(node, "outgoing_mail") == 2
        # When bob's mail program posts the one-click unsubscribe of that mail, no cookie
        unsubscribe = str(to_bob.message["List-Unsubscribe"]).strip("<>")
        async with (
            aiohttp.ClientSession() as session,
            session.post(unsubscribe, data={"List-Unsubscribe": "One-Click"}) as response,
        ):
            assert response.status == 200, await response.text()
        # And a second consultation comes within three days of closing
        await publish(node, "alice", tokens["alice"], closes_in_days=2.5)
        # Then dan, following and not answering this one, hears of it, and bob no more
        (to_dan,) = await mail_for(sink, "dan@example.org")
        assert "closes within three days" in to_dan.part("plain")
        assert len(sink.to("bob@example.org")) == 1
        assert await count_rows(node, "closing_reminder") == 4  # bob's still on his page
