"""The reports queue: a flood of Flags from one server cannot bury a member's report."""

from __future__ import annotations

import re

from aiohttp.test_utils import TestClient

from node.models import AccessRole, Actor, Report
from node.services import moderation
from node.services.remote_actors import save_actor
from node.services.report_queue import MAX_OPEN_PER_ACTOR, MAX_OPEN_PER_SERVER, PAGE_SIZE
from tests.support.api import BASE, post, token_for
from tests.support.pages import member, page, sign_in_as, submit


async def remote(handle: str, host: str = "evil.example") -> Actor:
    uri = f"https://{host}/users/{handle}"
    return await save_actor(
        {"id": uri, "type": "Person", "preferredUsername": handle, "inbox": f"{uri}/inbox"}
    )


async def a_comment(client: TestClient) -> str:
    token = await token_for("alice")
    article = await post(client, "alice", token, {"type": "Article", "name": "P", "summary": "S"})
    note = {"type": "Note", "content": "Rude", "inReplyTo": article["object"]["id"]}
    return str((await post(client, "alice", token, note))["object"]["id"])


async def flag(sender: Actor, number: int, reported: str, id_host: str = "") -> None:
    """A Flag as the inbox files it (federation.activities.flag → record_report)."""
    host = id_host or sender.uri.split("/")[2]
    await moderation.record_remote_report(
        f"https://{host}/flags/{sender.handle}/{number}", sender.uri, [reported], f"spam {number}"
    )


async def test_a_flood_of_remote_flags_cannot_bury_a_members_report(client: TestClient) -> None:
    comment = await a_comment(client)
    mallory = await remote("mallory")
    for number in range(210):
        await flag(mallory, number, comment)
    assert await Report.filter(reporter=mallory).count() == MAX_OPEN_PER_ACTOR
    # the server's other accounts share one cap
    for sock in range(10):
        puppet = await remote(f"puppet{sock}")
        for number in range(MAX_OPEN_PER_ACTOR):
            await flag(puppet, number, comment)
    assert await Report.filter(flag_uri__startswith="https://evil.example/").count() == (
        MAX_OPEN_PER_SERVER
    )
    # a member's report always gets through, and is first on the moderators' page
    await member("amina")
    await sign_in_as(client, "amina")
    reported = await submit(client, comment.removeprefix(BASE) + "/report", {"reason": "Genuine"})
    assert reported.status == 303
    await submit(client, "/sign-out", {}, token_from="/")
    await member("mod", AccessRole.MODERATOR)
    await sign_in_as(client, "mod")
    first = await page(client, "/admin/reports")
    assert re.search(r"Report \d+</h2>\s*<p>From <a href=\"/actors/amina\">", first), "newest first"
    assert "Genuine" in first


async def test_another_servers_report_fits_again_once_one_is_resolved(client: TestClient) -> None:
    comment = await a_comment(client)
    mallory = await remote("mallory")
    for number in range(MAX_OPEN_PER_ACTOR + 1):
        await flag(mallory, number, comment)
    assert await Report.filter(reporter=mallory).count() == MAX_OPEN_PER_ACTOR
    moderator = await member("mod", AccessRole.MODERATOR)
    oldest = await Report.filter(reporter=mallory).order_by("id").first()
    assert oldest is not None
    await moderation.resolve_report(oldest.id, moderator.id, "dealt with")
    await flag(mallory, 99, comment)
    assert await Report.filter(reporter=mallory, resolved_at__isnull=True).count() == (
        MAX_OPEN_PER_ACTOR
    )
    # and a report from an honest server elsewhere is not held back by this one, even when
    # the flooder's accounts give their Flags ids on the honest server
    for sock in range(MAX_OPEN_PER_SERVER):
        await flag(await remote(f"puppet{sock}"), 1, comment, id_host="good.example")
    honest = await remote("moderator", "good.example")
    await flag(honest, 1, comment)
    assert await Report.filter(reporter=honest).count() == 1


async def test_the_reports_page_goes_page_by_page_newest_first(client: TestClient) -> None:
    comment = await a_comment(client)
    await member("amina")
    reporter = await Actor.get(handle="amina", is_local=True)
    for number in range(PAGE_SIZE + 5):  # members are never capped
        await moderation.report(reporter.id, comment, f"reason number {number}.")
    await member("mod", AccessRole.MODERATOR)
    await sign_in_as(client, "mod")
    first = await page(client, "/admin/reports")
    assert f"reason number {PAGE_SIZE + 4}." in first and "reason number 4." not in first
    assert '<a href="/admin/reports?page=2" rel="next">' in first
    second = await page(client, "/admin/reports?page=2")
    assert "reason number 4." in second and "reason number 0." in second
    assert f"reason number {PAGE_SIZE + 4}." not in second
    assert '<a href="/admin/reports?page=1" rel="prev">' in second
    for junk in ("0", "x", "-1", "1.5", "99999999999999999999999", "٣"):
        await page(client, f"/admin/reports?page={junk}", status=400)


async def test_a_remote_flag_cannot_show_moderators_a_message_its_server_never_saw(
    client: TestClient,
) -> None:
    # Given a direct message between two members of this node
    await member("bob")
    message = {"type": "Note", "content": "Private words", "to": [f"{BASE}/actors/bob"]}
    alice = await token_for("alice")
    sent = await post(client, "alice", alice, message)
    private_uri = sent["object"]["id"]
    # When another server flags it (the URI leaked through a reply's inReplyTo)
    mallory = await remote("mallory")
    await flag(mallory, 1, private_uri)
    # Then no report holds it, and the moderators' page does not show its words
    assert not await Report.filter(object_uri=private_uri).exists()
    await member("mod", AccessRole.MODERATOR)
    await sign_in_as(client, "mod")
    assert "Private words" not in await page(client, "/admin/reports")
    # …while a server the message was addressed to may report it
    carol = await remote("carol", host="friendly.example")
    copy = {**message, "to": [f"{BASE}/actors/bob", carol.uri]}
    shared = await post(client, "alice", alice, copy)
    await flag(carol, 2, shared["object"]["id"])
    assert await Report.filter(object_uri=shared["object"]["id"], reporter=carol).exists()
