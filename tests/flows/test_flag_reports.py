"""Reports from other servers (Flag) reach the moderators' queue, in each software's shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from node.services.report_queue import MAX_OPEN_PER_ACTOR
from tests.fakes import FakeRemote
from tests.fakes.payloads import Rehoming, load_fixture
from tests.flows.test_recorded_payloads import publish_proposal, send
from tests.support.nodes import count_rows, eventually, post_outbox, running_node

# the recorded Flags: Mastodon's and GoToSocial's name the account and its posts, with the
# reason as content; Lemmy's names one post, with the reason as summary
RECORDINGS = {
    "mastodon": "mastodon/docs_flag__reporting_profiles_and_posts_flag_flag.json",
    "gotosocial": "gotosocial/docs_flag__outgoing.json",
    "lemmy": "lemmy/community__report_page.json",
}


def flag(recording: str, reporter: str, reported: list[str]) -> dict[str, Any]:
    document = load_fixture(recording)
    rehomed = Rehoming(str(document["actor"]), reporter, fresh_ids=True).apply(document)
    rehomed["object"] = reported if isinstance(document["object"], list) else reported[-1]
    rehomed.pop("to", None)
    rehomed.pop("audience", None)
    return dict(rehomed)


@pytest.mark.parametrize("software", sorted(RECORDINGS))
async def test_a_remote_report_of_a_post_reaches_the_queue(tmp_path: Path, software: str) -> None:
    with running_node(tmp_path) as node:
        proposal = (await publish_proposal(node))["id"]
        token = node.token("author")
        note = {"type": "Note", "content": "<p>A rude reply</p>", "inReplyTo": proposal}
        _, created = await post_outbox(node, "author", token, note)
        reported = [node.actor("author"), created["object"]["id"]]
        async with FakeRemote(software=software) as remote:
            moderator = remote.add_actor("moderator")
            activity = flag(RECORDINGS[software], moderator.id, reported)
            await send(remote, moderator, node, activity)
            await send(remote, moderator, node, activity)  # delivered twice: one report
            await eventually(
                lambda: count_rows(node, "report", f"object_uri = '{reported[1]}'"),
                lambda rows: rows == 1,
                what="the report is queued",
            )
            reason = str(activity.get("content") or activity.get("summary"))
            assert await count_rows(node, "report", f"reason = '{reason}'") == 1
            assert await count_rows(node, "report") == 1


async def test_a_report_about_another_server_is_not_ours(tmp_path: Path) -> None:
    with running_node(tmp_path) as node:
        async with FakeRemote(software="mastodon") as remote:
            moderator = remote.add_actor("moderator")
            elsewhere = ["https://elsewhere.example/users/x", "https://elsewhere.example/posts/1"]
            activity = flag(RECORDINGS["mastodon"], moderator.id, elsewhere)
            await send(remote, moderator, node, activity)
            await eventually(
                lambda: count_rows(node, "inbox_item", "state = 'done'"),
                lambda done: done == 1,
                what="the Flag was processed",
            )
            assert await count_rows(node, "report") == 0


async def test_one_actors_flood_of_flags_is_capped(
    tmp_path: Path,
) -> None:
    with running_node(tmp_path) as node:
        proposal = (await publish_proposal(node))["id"]
        async with FakeRemote(software="mastodon") as remote:
            flooder = remote.add_actor("flooder")
            last: dict[str, Any] = {}
            for _ in range(MAX_OPEN_PER_ACTOR + 5):
                last = flag(RECORDINGS["mastodon"], flooder.id, [node.actor("author"), proposal])
                await send(remote, flooder, node, last)
            await eventually(
                lambda: count_rows(node, "inbox_item", f"activity_uri = '{last['id']}'"),
                lambda rows: rows == 1,
                what="the last Flag arrived",
            )
            await eventually(
                lambda: count_rows(node, "inbox_item", "state = 'pending'"),
                lambda rows: rows == 0,
                what="every Flag was processed",
            )
            assert await count_rows(node, "report") == MAX_OPEN_PER_ACTOR
