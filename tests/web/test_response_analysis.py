"""Reading the responses: the proposal's author and the moderators keep themes for a
consultation, tag its comments (local and remote, replies to replies), mark quotes and filter the
thread; nobody else may, and nobody else sees any of it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from aiohttp.test_utils import TestClient

from bench.thread import QueryCounter
from federation.vocab import PUBLIC
from node.models import (
    AccessRole,
    Actor,
    ActorType,
    Object,
    Proposal,
    QuotedResponse,
    ResponseTheme,
    ThemedResponse,
)
from node.services import remote_objects
from node.services.response_view import load_responses
from node.services.tokens import create_token
from tests.support.api import AS2, BASE, get, post
from tests.support.pages import csrf_in, member, page, sign_in_as, submit

MASTODON = "https://mastodon.example"
OTHER_NODE = "https://other.example"
PROPOSAL = {"type": "Article", "name": "Open the library on Sundays", "summary": "Weekends."}
BOB_SAYS = "Buses do not run on Sundays."
PAT_SAYS = "Our clients say the same."


@dataclass
class Consultation:
    """alice's proposal and its thread: bob's comment, pat's reply to it, a Mastodon user's
    comment and, from another Townhall node, a reply to pat's reply."""

    uri: str
    path: str
    proposal: int
    bob: int
    pat: int
    mastodon: int
    other: int


def key_of(uri: str) -> str:
    return uri.rsplit("/", 1)[1]


async def remote_actor(uri: str, kind: ActorType = ActorType.PERSON, name: str = "") -> Actor:
    """A remote actor known here (fresh, so nothing is fetched)."""
    parts = urlsplit(uri)
    return await Actor.create(
        uri=uri,
        type=kind,
        is_local=False,
        handle=parts.path.rsplit("/", 1)[-1],
        domain=parts.netloc,
        name=name,
        inbox_uri=f"{uri}/inbox",
        fetched_at=datetime.now(UTC),
    )


async def remote_reply(author: Actor, key: str, parent: str, content: str) -> int:
    document = {
        "id": f"https://{author.domain}/notes/{key}",
        "type": "Note",
        "attributedTo": author.uri,
        "inReplyTo": parent,
        "content": f"<p>{content}</p>",
        "to": [PUBLIC],
        "published": "2026-01-02T10:00:00Z",
    }
    stored = await remote_objects.store_object(document, author)
    assert stored.row is not None
    return stored.row.id


async def comment(client: TestClient, handle: str, token: str, parent: str, text: str) -> str:
    note = {"type": "Note", "content": f"<p>{text}</p>", "inReplyTo": parent}
    return str((await post(client, handle, token, note))["object"]["id"])


async def consultation(client: TestClient) -> Consultation:
    """alice's proposal with comments from here, from Mastodon and from another node."""
    await member("alice")
    await member("mo", AccessRole.MODERATOR)
    await member("bob")
    await member("pat", profile_role="practitioner")
    article = await post(client, "alice", await create_token("alice"), PROPOSAL)
    uri = article["object"]["id"]
    bob_uri = await comment(client, "bob", await create_token("bob"), uri, BOB_SAYS)
    pat_uri = await comment(client, "pat", await create_token("pat"), bob_uri, PAT_SAYS)
    fan = await remote_actor(f"{MASTODON}/users/fan", name="Fan")
    await remote_actor(f"{OTHER_NODE}/actors/otherorg", ActorType.GROUP, "Other Org")
    carer = await remote_actor(f"{OTHER_NODE}/actors/carer", name="Carer")
    mastodon = await remote_reply(fan, "1", uri, "Childcare costs too much on Sundays.")
    other = await remote_reply(carer, "2", pat_uri, "Transport is the real problem.")
    ids = {row.uri: row.id for row in await Object.filter(uri__in=[uri, bob_uri, pat_uri])}
    path = f"/objects/{key_of(uri)}"
    return Consultation(uri, path, ids[uri], ids[bob_uri], ids[pat_uri], mastodon, other)


async def form(client: TestClient, path: str, fields: dict[str, str], token_from: str) -> Any:
    """POST a form with the CSRF token of the page at `token_from` (one every member sees,
    since other members are refused the responses page itself)."""
    return await submit(client, path, fields, token_from=token_from)


async def add_theme(client: TestClient, thread: Consultation, name: str) -> int:
    response = await form(client, f"{thread.path}/themes", {"name": name}, thread.path)
    assert response.status == 303, await response.text()
    return (await ResponseTheme.get(name=" ".join(name.split()))).id


async def tag(client: TestClient, thread: Consultation, object_id: int, theme: int) -> Any:
    return await form(
        client,
        f"{thread.path}/responses/{object_id}/themes",
        {"theme": str(theme), "action": "add"},
        thread.path,
    )


def shown_ids(html: str) -> set[int]:
    """The comments listed on the responses page (their anchors)."""
    return {int(found) for found in re.findall(r'<li id="r(\d+)">', html)}


async def rows_written() -> tuple[int, int, int]:
    return (
        await ResponseTheme.all().count(),
        await ThemedResponse.all().count(),
        await QuotedResponse.all().count(),
    )


async def test_the_author_keeps_a_set_of_themes_for_the_consultation(client: TestClient) -> None:
    thread = await consultation(client)
    await sign_in_as(client, "alice")
    html = await page(client, thread.path)
    assert f'href="{thread.path}/responses"' in html  # the way in, from the proposal
    transport = await add_theme(client, thread, "Transport")
    await add_theme(client, thread, "  Cost of   childcare ")  # spaces tidied
    html = await page(client, f"{thread.path}/responses")
    assert "Transport" in html and "Cost of childcare" in html
    renamed = await form(
        client, f"{thread.path}/themes/{transport}/rename", {"name": "Buses"}, thread.path
    )
    assert renamed.status == 303
    for _ in range(2):  # tagging twice changes nothing
        assert (await tag(client, thread, thread.bob, transport)).status == 303
    assert await ThemedResponse.filter(theme_id=transport).count() == 1
    assert (await ResponseTheme.get(id=transport)).name == "Buses"  # its tags stay
    removed = await form(client, f"{thread.path}/themes/{transport}/remove", {}, thread.path)
    assert removed.status == 303
    assert [theme.name for theme in await ResponseTheme.all()] == ["Cost of childcare"]
    assert await ThemedResponse.all().count() == 0  # the tags went with it


async def test_a_refused_theme_name_says_why_and_writes_nothing(client: TestClient) -> None:
    thread = await consultation(client)
    await sign_in_as(client, "alice")
    transport = await add_theme(client, thread, "Transport")
    await add_theme(client, thread, "Cost")
    before = await rows_written()
    for name, status, reason in (
        ("   ", 400, "give the theme a name"),
        ("x" * 61, 400, "at most 60 characters"),
        ("TRANSPORT", 409, "already has a theme called"),
    ):
        response = await form(client, f"{thread.path}/themes", {"name": name}, thread.path)
        assert response.status == status, name
        assert reason in await response.text()
    renamed = await form(
        client, f"{thread.path}/themes/{transport}/rename", {"name": "cost"}, thread.path
    )
    assert renamed.status == 409 and "already has a theme called" in await renamed.text()
    assert await rows_written() == before
    assert (await ResponseTheme.get(id=transport)).name == "Transport"
    # a name of 60 characters is fine, and so is changing only a name's case
    assert await add_theme(client, thread, "y" * 60)
    recased = await form(
        client, f"{thread.path}/themes/{transport}/rename", {"name": "transport"}, thread.path
    )
    assert recased.status == 303


async def test_comments_from_here_from_mastodon_and_replies_to_replies_can_be_tagged(
    client: TestClient,
) -> None:
    thread = await consultation(client)
    await sign_in_as(client, "alice")
    transport = await add_theme(client, thread, "Transport")
    for object_id in (thread.bob, thread.pat, thread.mastodon, thread.other):
        response = await tag(client, thread, object_id, transport)
        assert response.status == 303, await response.text()
        assert response.headers["Location"].endswith(f"#r{object_id}")
    tagged = await ThemedResponse.filter(theme_id=transport).values_list("object_id", flat=True)
    assert set(tagged) == {thread.bob, thread.pat, thread.mastodon, thread.other}
    untag = await form(
        client,
        f"{thread.path}/responses/{thread.pat}/themes",
        {"theme": str(transport), "action": "remove"},
        thread.path,
    )
    assert untag.status == 303
    assert await ThemedResponse.filter(theme_id=transport).count() == 3
    quote = await form(
        client, f"{thread.path}/responses/{thread.other}/quote", {"action": "mark"}, thread.path
    )
    assert quote.status == 303
    marked = await QuotedResponse.get().prefetch_related("marked_by__actor")
    assert marked.object_id == thread.other  # type: ignore[attr-defined]
    assert marked.marked_by.actor.handle == "alice"
    html = await page(client, f"{thread.path}/responses")
    assert "To quote" in html and "Do not quote" in html
    unquote = await form(
        client, f"{thread.path}/responses/{thread.other}/quote", {"action": "unmark"}, thread.path
    )
    assert unquote.status == 303 and await QuotedResponse.all().count() == 0


async def test_a_moderator_reads_and_tags_the_responses_too(client: TestClient) -> None:
    thread = await consultation(client)
    await sign_in_as(client, "mo")
    html = await page(client, thread.path)
    assert f'href="{thread.path}/responses"' in html
    transport = await add_theme(client, thread, "Transport")
    assert (await tag(client, thread, thread.mastodon, transport)).status == 303
    quote = await form(
        client, f"{thread.path}/responses/{thread.bob}/quote", {"action": "mark"}, thread.path
    )
    assert quote.status == 303 and await QuotedResponse.all().count() == 1


async def test_other_members_are_refused_and_visitors_sent_to_sign_in(client: TestClient) -> None:
    thread = await consultation(client)
    await sign_in_as(client, "alice")
    transport = await add_theme(client, thread, "Transport")
    await tag(client, thread, thread.bob, transport)
    await client.post("/sign-out", data={"csrf_token": csrf_in(await page(client, "/"))})
    responses = f"{thread.path}/responses"
    assert (
        (await client.get(responses, allow_redirects=False))
        .headers["Location"]
        .startswith("/sign-in?next=")
    )
    await sign_in_as(client, "bob")  # he commented, but it is not his proposal
    html = await page(client, thread.path)
    assert f'href="{responses}"' not in html
    await page(client, responses, status=403)
    before = await rows_written()
    attempts = {
        f"{thread.path}/themes": {"name": "Mine"},
        f"{thread.path}/themes/{transport}/rename": {"name": "Mine"},
        f"{thread.path}/themes/{transport}/remove": {},
        f"{responses}/{thread.bob}/themes": {"theme": str(transport), "action": "remove"},
        f"{responses}/{thread.pat}/themes": {"theme": str(transport), "action": "add"},
        f"{responses}/{thread.pat}/quote": {"action": "mark"},
    }
    for path, fields in attempts.items():
        response = await form(client, path, fields, thread.path)
        assert response.status == 403, (path, response.status)
    assert await rows_written() == before


async def test_tagging_outside_the_consultation_is_refused_and_writes_nothing(
    client: TestClient,
) -> None:
    thread = await consultation(client)
    await sign_in_as(client, "alice")
    transport = await add_theme(client, thread, "Transport")
    token = await create_token("alice")
    elsewhere = await post(client, "alice", token, {**PROPOSAL, "name": "Another proposal"})
    other_path = f"/objects/{key_of(elsewhere['object']['id'])}"
    stray_uri = await comment(client, "alice", token, elsewhere["object"]["id"], "Elsewhere.")
    stray = (await Object.get(uri=stray_uri)).id
    foreign = await form(client, f"{other_path}/themes", {"name": "Foreign"}, thread.path)
    assert foreign.status == 303
    foreign_theme = (await ResponseTheme.get(name="Foreign")).id
    before = await rows_written()
    refused = {
        # a comment of another proposal's thread
        f"{thread.path}/responses/{stray}/themes": {"theme": str(transport), "action": "add"},
        f"{thread.path}/responses/{stray}/quote": {"action": "mark"},
        # the proposal itself is no response
        f"{thread.path}/responses/{thread.proposal}/quote": {"action": "mark"},
        # another proposal's theme, on a comment of this one
        f"{thread.path}/responses/{thread.bob}/themes": {
            "theme": str(foreign_theme),
            "action": "add",
        },
        f"{thread.path}/themes/{foreign_theme}/rename": {"name": "Mine now"},
        f"{thread.path}/themes/{foreign_theme}/remove": {},
        f"{thread.path}/responses/99999999/themes": {"theme": str(transport), "action": "add"},
    }
    for path, fields in refused.items():
        response = await form(client, path, fields, thread.path)
        assert response.status == 404, (path, response.status, await response.text())
    for fields in ({"theme": "x", "action": "add"}, {"theme": str(transport), "action": "both"}):
        response = await form(client, f"{thread.path}/responses/{thread.bob}/themes", fields, "/")
        assert response.status == 400
    assert (
        await form(client, f"{thread.path}/responses/{thread.bob}/quote", {}, "/")
    ).status == 400
    assert await rows_written() == before


async def test_filters_by_theme_kind_and_server_combine(client: TestClient) -> None:
    thread = await consultation(client)
    await sign_in_as(client, "alice")
    transport = await add_theme(client, thread, "Transport")
    childcare = await add_theme(client, thread, "Childcare")
    for object_id in (thread.bob, thread.mastodon, thread.other):
        await tag(client, thread, object_id, transport)
    for object_id in (thread.pat, thread.mastodon):
        await tag(client, thread, object_id, childcare)
    await form(
        client, f"{thread.path}/responses/{thread.other}/quote", {"action": "mark"}, thread.path
    )
    here = urlsplit(BASE).netloc
    everyone = {thread.bob, thread.pat, thread.mastodon, thread.other}
    cases = {
        "": everyone,
        f"?theme={transport}": {thread.bob, thread.mastodon, thread.other},
        f"?theme={transport}&kind=public": {thread.mastodon, thread.other},
        f"?theme={transport}&kind=public&origin=other.example": {thread.other},
        f"?theme={childcare}&kind=practitioner": {thread.pat},
        "?kind=members_other": {thread.bob},
        f"?origin={here}": {thread.bob, thread.pat},
        "?kind=public&quoted=1": {thread.other},
        f"?theme={childcare}&quoted=1": set(),
        "?kind=organisations": set(),
    }
    for query, expected in cases.items():
        html = await page(client, f"{thread.path}/responses{query}")
        assert shown_ids(html) == expected, query
        assert f"Showing {len(expected)} of 4 comments." in html
    html = await page(client, f"{thread.path}/responses")
    assert "Other Org (other.example) (1)" in html  # a server named after its organisation
    assert "mastodon.example (1)" in html
    assert "Transport (3)" in html and "Childcare (2)" in html
    # the filters survive a form: every form of a filtered view carries them back to it
    html = await page(client, f"{thread.path}/responses?theme={transport}&kind=public")
    carried = f'name="filters" value="?theme={transport}&amp;kind=public"'
    assert html.count(carried) == html.count('name="filters"') > 5
    response = await form(
        client,
        f"{thread.path}/responses/{thread.mastodon}/quote",
        {"action": "mark", "filters": f"?theme={transport}&kind=public"},
        thread.path,
    )
    location = response.headers["Location"]
    assert location == f"{thread.path}/responses?theme={transport}&kind=public#r{thread.mastodon}"


async def test_a_filter_that_can_match_nothing_is_refused(client: TestClient) -> None:
    thread = await consultation(client)
    token = await create_token("alice")
    elsewhere = await post(client, "alice", token, {**PROPOSAL, "name": "Another proposal"})
    await sign_in_as(client, "alice")
    other_path = f"/objects/{key_of(elsewhere['object']['id'])}"
    await form(client, f"{other_path}/themes", {"name": "Foreign"}, thread.path)
    foreign = (await ResponseTheme.get(name="Foreign")).id
    for query in ("?kind=aliens", "?theme=first", f"?theme={foreign}", "?theme=99999999999"):
        html = await page(client, f"{thread.path}/responses{query}", status=400)
        assert "must be" in html, query


async def test_themes_and_quotes_stay_private_to_the_staff(client: TestClient) -> None:
    thread = await consultation(client)
    await sign_in_as(client, "alice")
    secret = await add_theme(client, thread, "Zebra crossings")
    for object_id in (thread.bob, thread.mastodon):
        await tag(client, thread, object_id, secret)
        await form(
            client, f"{thread.path}/responses/{object_id}/quote", {"action": "mark"}, thread.path
        )
    bob_uri = (await Object.get(id=thread.bob)).uri
    documents = [thread.uri, bob_uri, f"{thread.uri}/replies?page=1"]
    article = (await get(client, thread.uri))[1]
    documents.append(article["context"])
    documents.append(f"{article['context']}?page=1")
    await client.post("/sign-out", data={"csrf_token": csrf_in(await page(client, "/"))})
    seen = [await page(client, thread.path)]  # a visitor
    for url in documents:
        status, document = await get(client, url)
        assert status == 200, url
        seen.append(str(document))
    await sign_in_as(client, "bob")  # a member who took part
    seen.append(await page(client, thread.path))
    seen.append(await (await client.get(thread.path, headers={"Accept": AS2})).text())
    for text in seen:
        assert "Zebra crossings" not in text
        assert "To quote" not in text and "/responses" not in text


async def test_the_staff_view_takes_the_same_queries_whatever_the_thread_size(
    client: TestClient,
) -> None:
    thread = await consultation(client)
    alice = await Actor.get(handle="alice", is_local=True)
    theme = await ResponseTheme.create(proposal_id=(await _proposal_id(thread)), name="Cost")
    counter = QueryCounter()

    async def queries() -> int:
        before = counter.count
        await load_responses(thread.uri, alice.id)
        return counter.count - before

    small = await queries()
    token = await create_token("bob")
    for number in range(12):
        uri = await comment(client, "bob", token, thread.uri, f"Point {number}")
        row = await Object.get(uri=uri)
        await ThemedResponse.create(theme=theme, object=row)
        await QuotedResponse.create(proposal_id=theme.proposal_id, object=row)  # type: ignore[attr-defined]
    view = await load_responses(thread.uri, alice.id)
    assert view.total == 16 and view.quoted == 12
    assert await queries() == small


async def _proposal_id(thread: Consultation) -> int:
    return (await Proposal.get(object_id=thread.proposal)).id


async def test_a_draft_is_its_authors_alone_even_for_the_moderators(client: TestClient) -> None:
    await member("alice")
    await member("mo", AccessRole.MODERATOR)
    token = await create_token("alice")
    draft = await post(client, "alice", token, {**PROPOSAL, "proposalStatus": "draft"})
    path = f"/objects/{key_of(draft['object']['id'])}"
    await sign_in_as(client, "mo")
    await page(client, f"{path}/responses", status=404)
    refused = await form(client, f"{path}/themes", {"name": "Transport"}, "/")
    assert refused.status == 404 and await ResponseTheme.all().count() == 0
    await client.post("/sign-out", data={"csrf_token": csrf_in(await page(client, "/"))})
    await sign_in_as(client, "alice")
    await page(client, f"{path}/responses")
    assert (await form(client, f"{path}/themes", {"name": "Transport"}, "/")).status == 303
