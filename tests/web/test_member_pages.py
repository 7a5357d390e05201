"""Members' pages with JavaScript off: write and publish, discuss, endorse, amend, vote, follow."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from node.models import Actor, Amendment, Follow, Object, Proposal, Reaction, Vote
from tests.support.api import BASE, post, token_for
from tests.support.pages import member, page, sign_in_as, submit
from tests.web.test_pages_visitor import HOSTILE, assert_nothing_executable, hostile_remote_comment


async def member_actor(handle: str) -> Actor:
    return await Actor.get(handle=handle, is_local=True)


NEW = {
    "title": "Evening opening",
    "summary": "Open the advice centre until 8pm on Thursdays.",
    "body": "People who work **days** cannot come.",
    "problem": "Working people miss out.",
    "evidence": "",
    "proposed_change": "",
    "who_is_affected": "",
    "tags": "#advice evenings",
    "closes_on": "2099-01-31",
}


async def publish(client: TestClient, **changes: str) -> str:
    """Publish a proposal through the form; its page's path."""
    response = await submit(client, "/proposals/new", {**NEW, **changes, "action": "publish"})
    assert response.status == 303, await response.text()
    return str(response.headers["Location"])


async def published_by_amina_read_by_bo(client: TestClient) -> str:
    """Amina publishes a proposal and signs out; Bo signs in. The proposal's path."""
    await member("amina")
    await member("bo")
    await sign_in_as(client, "amina")
    where = await publish(client)
    await submit(client, "/sign-out", {}, token_from="/")
    await sign_in_as(client, "bo")
    return where


async def test_visitors_are_sent_to_sign_in(client: TestClient) -> None:
    for path in ("/proposals/new", "/timeline", "/notifications", "/follow", "/settings/profile"):
        response = await client.get(path, allow_redirects=False)
        assert response.status == 303 and response.headers["Location"].startswith("/sign-in?next=")


async def test_preview_saves_nothing_and_publish_makes_it_public(client: TestClient) -> None:
    await member("amina")
    await sign_in_as(client, "amina")
    assert '<a href="/">Test Org</a>' in await page(client, "/proposals/new")  # every page
    preview = await submit(client, "/proposals/new", {**NEW, "action": "preview"})
    html = await preview.text()
    assert preview.status == 200 and "<strong>days</strong>" in html and "Nothing is saved" in html
    assert 'value="Evening opening"' in html
    assert not await Proposal.exists()
    where = await publish(client)
    html = await page(client, where)
    assert "Your proposal is published." in html and "Evening opening" in html
    assert "31 January 2099" in html and "Working people miss out." in html
    proposal = await Proposal.get().select_related("object")
    assert proposal.status == "open" and proposal.object.is_public


async def test_a_draft_is_seen_by_its_author_only(client: TestClient, aiohttp_client) -> None:  # type: ignore[no-untyped-def]
    await member("amina")
    await sign_in_as(client, "amina")
    response = await submit(client, "/proposals/new", {**NEW, "action": "draft"})
    where = response.headers["Location"]
    assert "Draft" in await page(client, where)
    await submit(client, "/sign-out", {}, token_from="/")
    await page(client, where, status=404)


async def test_an_invalid_proposal_keeps_the_text_and_saves_nothing(client: TestClient) -> None:
    await member("amina")
    await sign_in_as(client, "amina")
    response = await submit(
        client,
        "/proposals/new",
        {**NEW, "title": "", "closes_on": "2001-01-01", "action": "publish"},
    )
    html = await response.text()
    assert response.status == 400
    assert "Give the proposal a title." in html and "already passed" in html
    assert 'href="#title"' in html and "Open the advice centre until 8pm" in html
    assert not await Proposal.exists()


async def test_the_author_edits_and_changes_the_status(client: TestClient) -> None:
    await member("amina")
    await member("bo")
    await sign_in_as(client, "amina")
    where = await publish(client)
    edit = f"{where}/edit"
    response = await submit(
        client, edit, {**NEW, "summary": "Until 9pm.", "status": "closed", "action": "save"}
    )
    assert response.status == 303
    proposal = await Proposal.get()
    assert proposal.version == 2 and proposal.status == "closed"
    back = await submit(client, edit, {**NEW, "status": "draft", "action": "save"})
    assert back.status == 400 and "only moves forward" in await back.text()
    await submit(client, "/sign-out", {}, token_from="/")
    await sign_in_as(client, "bo")
    await page(client, edit, status=403)


async def test_comment_reply_endorse_and_withdraw(client: TestClient) -> None:
    where = await published_by_amina_read_by_bo(client)
    empty = await submit(client, f"{where}/comments", {"content": "  "}, token_from=where)
    assert empty.status == 400 and "Write something" in await empty.text()
    assert not await Object.filter(type="Note").exists()
    response = await submit(
        client, f"{where}/comments", {"content": "Yes *please*"}, token_from=where
    )
    assert response.status == 303
    comment = await Object.get(type="Note")
    reply_page = await page(client, f"{where}/reply?to={comment.uri}")
    assert "Yes <em>please</em>" in reply_page
    await submit(
        client,
        f"{where}/comments",
        {"content": "And Fridays", "in_reply_to": comment.uri},
        token_from=where,
    )
    reply = await Object.get(content__contains="And Fridays")
    assert reply.in_reply_to_uri == comment.uri
    await submit(client, f"{where}/endorse", {"action": "endorse"}, token_from=where)
    assert await Reaction.filter(kind="Like").count() == 1
    html = await page(client, where)
    assert "Endorsements (1)" in html and "You endorse this proposal." in html
    await submit(client, f"{where}/endorse", {"action": "withdraw"}, token_from=where)
    assert not await Reaction.filter(kind="Like").exists()
    outside = await submit(
        client,
        f"{where}/comments",
        {"content": "x", "in_reply_to": "https://elsewhere.example/1"},
        token_from=where,
    )
    assert outside.status == 400


async def test_an_amendment_is_suggested_and_accepted(client: TestClient) -> None:
    where = await published_by_amina_read_by_bo(client)
    bad = await submit(
        client,
        f"{where}/amendments",
        {"section": "nonsense", "text": "x"},
        token_from=f"{where}/amend",
    )
    assert bad.status == 400 and not await Amendment.exists()
    suggestion = {"section": "problem", "text": "Working people and carers miss out."}
    good = await submit(
        client,
        f"{where}/amendments",
        {**suggestion, "reason": "Carers too"},
        token_from=f"{where}/amend",
    )
    assert good.status == 303
    amendment = await Amendment.get()
    assert "Working people and carers" in await page(client, where)
    await page(client, f"/amendments/{amendment.id}/answer", status=403)
    await submit(client, "/sign-out", {}, token_from="/")
    await sign_in_as(client, "amina")
    refused = await submit(
        client, f"/amendments/{amendment.id}/answer", {"decision": "reject", "reason": ""}
    )
    assert refused.status == 400 and "Say why" in await refused.text()
    accepted = await submit(client, f"/amendments/{amendment.id}/answer", {"decision": "accept"})
    assert accepted.status == 303
    assert (await Proposal.get()).version == 2
    assert "Working people and carers miss out." in await page(client, where)


async def test_a_member_answers_once_and_may_change_the_answer(client: TestClient) -> None:
    token = await token_for("alice")
    article = (
        await post(
            client, "alice", token, {"type": "Article", "name": "Hours", "summary": "Which?"}
        )
    )["object"]
    options = [{"type": "Note", "name": "Tuesday"}, {"type": "Note", "name": "Thursday"}]
    question = {"type": "Question", "name": "Which evening?", "inReplyTo": article["id"]}
    question["oneOf"] = options
    poll = (await post(client, "alice", token, question))["object"]
    await member("bo")
    await sign_in_as(client, "bo")
    where = article["id"].removeprefix(BASE)
    html = await page(client, where)
    assert 'name="choice" value="Thursday"' in html
    vote_path = poll["id"].removeprefix(BASE) + "/vote"
    await submit(client, vote_path, {"choice": "Thursday"}, token_from=where)
    assert await Vote.filter(option__name="Thursday").count() == 1
    html = await page(client, where)
    assert "Your answer: Thursday" in html and "1 person answered." in html
    # a second answer replaces the first: still one answer, one person
    await submit(client, vote_path, {"choice": "Tuesday"}, token_from=where)
    assert await Vote.all().values_list("option__name", flat=True) == ["Tuesday"]
    assert "Your answer: Tuesday" in await page(client, where)


async def test_follow_by_link_timeline_and_unfollow(client: TestClient) -> None:
    token = await token_for("alice")
    await member("bo")
    await sign_in_as(client, "bo")
    nonsense = await submit(client, "/follow", {"address": "not an address"})
    assert nonsense.status == 400 and "neither" in await nonsense.text()
    response = await submit(client, "/follow", {"address": f"{BASE}/actors/testorg"})
    assert response.status == 303
    assert await Follow.filter(follower__handle="bo", followee__handle="testorg").exists()
    await post(
        client, "alice", token, {"type": "Article", "name": "Quiet hours", "summary": "Less noise."}
    )
    assert "Quiet hours" in await page(client, "/timeline")
    await submit(client, "/unfollow", {"actor": f"{BASE}/actors/testorg"}, token_from="/follow")
    assert not await Follow.filter(follower__handle="bo").exists()


async def test_notifications_of_replies_and_amendments(client: TestClient) -> None:
    where = await published_by_amina_read_by_bo(client)
    await submit(client, f"{where}/comments", {"content": "Count me in"}, token_from=where)
    await submit(
        client,
        f"{where}/amendments",
        {"section": "evidence", "text": "A survey."},
        token_from=f"{where}/amend",
    )
    await submit(client, "/sign-out", {}, token_from="/")
    await sign_in_as(client, "amina")
    html = await page(client, "/notifications")
    assert "2 unread." in html and "replied to you" in html and "suggested an amendment" in html
    assert 'Notifications <span class="badge">2 new</span>' in html
    await submit(client, "/notifications/seen", {}, token_from="/notifications")
    html = await page(client, "/notifications")
    assert "0 unread." in html and "2 new" not in html


async def test_remote_content_is_escaped_on_timeline_and_notifications(client: TestClient) -> None:
    await member("amina")
    await sign_in_as(client, "amina")
    where = await publish(client)
    proposal = await Proposal.get().select_related("object")
    await hostile_remote_comment(proposal.object.uri)
    await submit(client, "/follow", {"address": f"{BASE}/actors/testorg"})
    for path in (
        "/notifications",
        "/timeline",
        where,
        f"{where}/reply?to=https://evil.example/notes/1",
    ):
        html = await page(client, path)
        assert_nothing_executable(html)
        assert HOSTILE not in html


async def test_profile_and_password(client: TestClient, aiohttp_client) -> None:  # type: ignore[no-untyped-def]
    await member("amina")
    await sign_in_as(client, "amina")
    bad = await submit(client, "/settings/profile", {"name": "", "role": "wizard"})
    html = await bad.text()
    assert bad.status == 400 and "Give a name" in html and "Choose a role" in html
    await submit(
        client, "/settings/profile", {"name": "Robin", "role": "service_user", "is_pseudonym": "1"}
    )
    profile = await page(client, "/actors/amina")
    assert "Robin" in profile and "uses a pseudonym" in profile and "uses the services" in profile
    wrong = await submit(
        client, "/settings/password", {"current": "nope", "new": "x" * 12, "confirm": "x" * 12}
    )
    assert wrong.status == 400
    changed = await submit(
        client,
        "/settings/password",
        {
            "current": "correct horse battery",
            "new": "a new long password",
            "confirm": "a new long password",
        },
    )
    assert changed.status == 303
    assert "Sign out" in await page(client, "/")
    await submit(client, "/sign-out", {}, token_from="/")
    await sign_in_as(client, "amina", "a new long password")


async def test_remote_names_are_escaped_on_the_follow_and_report_pages(client: TestClient) -> None:
    await member("amina")
    await sign_in_as(client, "amina")
    where = await publish(client)
    proposal = await Proposal.get().select_related("object")
    remote = await hostile_remote_comment(proposal.object.uri)
    await Follow.create(
        uri="http://127.0.0.1:8000/follows/1", follower=(await member_actor("amina")),
        followee=await remote.author,
    )  # fmt: skip
    key = where.rsplit("/", 1)[1]
    for path in ("/follow", f"/objects/{key}/report?uri={remote.uri}"):
        html = await page(client, path)
        assert_nothing_executable(html)
        assert "@mallory@evil.example" in html or "&lt;script&gt;" in html


async def test_a_local_mention_is_a_notification(client: TestClient) -> None:
    token = await token_for("alice")
    await member("bo")
    bo = f"{BASE}/actors/bo"
    mention = {"type": "Mention", "href": bo, "name": "@bo"}
    note = {"type": "Note", "content": "<p>@bo what do you think?</p>", "tag": [mention]}
    await post(client, "alice", token, {**note, "cc": [bo]})
    await sign_in_as(client, "bo")
    assert "mentioned you" in await page(client, "/notifications")
