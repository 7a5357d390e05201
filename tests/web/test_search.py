"""Search finds what people said: proposals, comments from here and elsewhere, and decisions,
ranked the same way on SQLite and PostgreSQL (the suite runs on both: one expected order)."""

from __future__ import annotations

import html as html_module
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp.test_utils import TestClient

from node.models import Account, Actor, Object, Proposal, ProposalStatus
from node.services import remote_objects
from node.services.remote_actors import save_actor
from node.services.tokens import create_token
from tests.support.api import BASE, post, token_for
from tests.support.pages import member, page, sign_in_as
from tests.web.test_pages_visitor import HOSTILE, assert_nothing_executable, propose

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
SECTION = re.compile(r'<section aria-labelledby="(\w+)-heading">(.*?)</section>', re.DOTALL)
TITLE = re.compile(r"<h3><a [^>]*>(.*?)</a></h3>")
SNIPPET = re.compile(r'<p class="snippet">(.*?)</p>', re.DOTALL)


def found(html: str) -> dict[str, list[str]]:
    """Each group's results in order: titles of proposals and decisions, comments' snippets."""
    groups = {}
    for name, body in SECTION.findall(html):
        if name in ("proposals", "decisions"):
            groups[name] = [html_module.unescape(title) for title in TITLE.findall(body)]
        elif name == "comments":
            groups[name] = [
                html_module.unescape(re.sub(r"</?mark>", "", text))
                for text in SNIPPET.findall(body)
            ]
    return groups


async def comment(client: TestClient, token: str, on: str, source: str, **more: Any) -> str:
    note = {"type": "Note", "source": source, "inReplyTo": on, "to": [PUBLIC], **more}
    return str((await post(client, "alice", token, note))["object"]["id"])


async def remote_comment(on: str, content: str, number: int = 1) -> Object:
    actor = await save_actor(
        {
            "id": "https://social.example/users/bea",
            "type": "Person",
            "preferredUsername": "bea",
            "name": "Bea",
            "inbox": "https://social.example/users/bea/inbox",
        }
    )
    stored = await remote_objects.store_object(
        {
            "id": f"https://social.example/notes/{number}",
            "type": "Note",
            "attributedTo": actor.uri,
            "inReplyTo": on,
            "content": content,
            "published": (datetime.now(UTC) + timedelta(seconds=number)).isoformat(),
            "to": [PUBLIC],
        },
        actor,
    )
    assert stored.row is not None
    return stored.row


async def decide(uri: str, decision: str) -> None:
    """The decision as the decision's own code stores it (its author's text, the outcome)."""
    await Proposal.filter(object__uri=uri).update(
        status=ProposalStatus.ADOPTED, decision=decision, decided_at=datetime.now(UTC)
    )


async def consultations(client: TestClient) -> dict[str, str]:
    """The shared test set: three libraries proposals, comments and a decision; Alice lets
    search find her posts."""
    token = await token_for("alice")
    await Account.filter(actor__handle="alice").update(indexable=True)
    hours = await propose(client, token, name="Library opening hours", tag=[])
    buses = await propose(
        client, token, name="Bus passes for carers", source="Carers ride to the libraries.",
        summary="Free travel.", sections={}, tag=[],
    )  # fmt: skip
    cafe = await propose(
        client, token, name="A café in the library", source="Coffee and cake.",
        summary="Run by volunteers.", sections={}, tag=[],
    )  # fmt: skip
    await propose(client, token, name="Library secret draft", proposalStatus="draft", tag=[])
    await comment(client, token, hours["id"], "Sunday opening would help my children study.")
    await remote_comment(hours["id"], "<p>Our <b>children</b> would use the libraries too!</p>")
    hidden = await comment(client, token, hours["id"], "Hidden children remark.")
    await Object.filter(uri=hidden).update(hidden_at=datetime.now(UTC))
    deleted = await comment(client, token, hours["id"], "Deleted children remark.")
    await Object.filter(uri=deleted).update(deleted_at=datetime.now(UTC))
    followers = f"{BASE}/actors/alice/followers"
    await comment(client, token, hours["id"], "Followers-only children remark.", to=[followers])
    await decide(buses["id"], "We will fund passes for every carer who studies at the library.")
    return {"hours": hours["id"], "buses": buses["id"], "cafe": cafe["id"]}


async def test_a_visitor_finds_proposals_by_title_first_then_newest(client: TestClient) -> None:
    await consultations(client)
    results = found(await page(client, "/search?q=libraries"))
    # every word in the title first (newest first), then matches elsewhere; never a draft
    assert results["proposals"] == [
        "A café in the library",
        "Library opening hours",
        "Bus passes for carers",
    ]
    assert results["decisions"] == ["Bus passes for carers"]


async def test_comments_from_here_and_elsewhere_are_found_not_hidden_deleted_or_private(
    client: TestClient,
) -> None:
    await consultations(client)
    html = await page(client, "/search?q=children")
    results = found(html)
    assert results["comments"] == [
        "Our children would use the libraries too!",
        "Sunday opening would help my children study.",
    ]
    assert "<mark>children</mark>" in html
    assert results["proposals"] == [] and results["decisions"] == []


async def test_a_member_who_did_not_consent_is_found_only_by_their_own_search(
    client: TestClient,
) -> None:
    # Given Alice's searchable comments, and Bo, who did not let search find his posts
    where = await consultations(client)
    await member("bo")
    bo = await create_token("bo")
    note = {"type": "Note", "source": "My children need a quiet room.", "to": [PUBLIC]}
    await post(client, "bo", bo, {**note, "inReplyTo": where["hours"]})
    alices = ["Sunday opening would help my children study."]
    # Then visitors and other members do not find Bo's comment
    assert found(await page(client, "/search?q=children+quiet"))["comments"] == []
    await member("cat")
    await sign_in_as(client, "cat")
    assert found(await page(client, "/search?q=children+study"))["comments"] == alices
    assert found(await page(client, "/search?q=children+quiet"))["comments"] == []
    client.session.cookie_jar.clear()  # signed out
    # but Bo finds his own
    await sign_in_as(client, "bo")
    quiet = found(await page(client, "/search?q=children+quiet"))["comments"]
    assert quiet == ["My children need a quiet room."]
    # and once he consents, everyone does
    await Account.filter(actor__handle="bo").update(indexable=True)
    client.session.cookie_jar.clear()
    assert found(await page(client, "/search?q=children+quiet"))["comments"] == quiet


async def test_accents_and_case_do_not_matter(client: TestClient) -> None:
    await consultations(client)
    for asked in ("cafe", "CAFÉ", "Café"):
        assert found(await page(client, f"/search?q={asked}"))["proposals"] == [
            "A café in the library"
        ]


async def test_every_word_must_match(client: TestClient) -> None:
    await consultations(client)
    results = found(await page(client, "/search?q=carers+studies"))
    assert results == {"proposals": [], "comments": [], "decisions": ["Bus passes for carers"]}
    # English endings do not matter: studying, studies, study
    stemmed = found(await page(client, "/search?q=studying"))
    assert stemmed["comments"] == ["Sunday opening would help my children study."]
    assert stemmed["decisions"] == ["Bus passes for carers"]


async def test_a_decision_is_found_by_what_it_says(client: TestClient) -> None:
    await consultations(client)
    results = found(await page(client, "/search?q=fund+passes"))
    assert results["decisions"] == ["Bus passes for carers"]
    assert results["proposals"] == []


async def test_results_page_through_one_group(client: TestClient) -> None:
    token = await token_for("alice")
    for number in range(23):
        await propose(client, token, name=f"Garden plot {number}", tag=[])
    first = await page(client, "/search?q=garden")
    assert len(found(first)["proposals"]) == 5 and "Every proposal found" in first
    one = found(await page(client, "/search?q=garden&kind=proposals"))["proposals"]
    two = await page(client, "/search?q=garden&kind=proposals&page=2")
    assert one[:2] == ["Garden plot 22", "Garden plot 21"] and len(one) == 20
    assert found(two)["proposals"] == ["Garden plot 2", "Garden plot 1", "Garden plot 0"]
    assert "Page 2 of 2" in two and "comments-heading" not in two


async def test_snippets_escape_what_people_wrote(client: TestClient) -> None:
    token = await token_for("alice")
    proposal = await propose(client, token, name="Hostile words", tag=[])
    await remote_comment(proposal["id"], f"<p>alert danger {HOSTILE}</p>", 7)
    html = await page(client, "/search?q=alert+danger")
    assert_nothing_executable(html)
    assert len(found(html)["comments"]) == 1


async def test_bad_queries_get_a_clear_answer_never_a_500(client: TestClient) -> None:
    await consultations(client)
    for asked in ('"', "*", "NEAR(library", 'library" OR "x', "{title}:x", "^library", "-", ")"):
        html = await page(client, "/search?" + f"q={asked}".replace(" ", "+").replace('"', "%22"))
        assert "Search" in html
    too_long = await page(client, "/search?q=" + "a" * 2000, status=400)
    assert "at most 200 characters" in too_long
    common = await page(client, "/search?q=the+and+of")
    assert "Nothing to search for" in common
    empty = await page(client, "/search?q=")
    assert "found." not in empty
    assert "page must be" in await page(client, "/search?q=library&page=0", status=400)
    assert "unknown kind" in await page(client, "/search?q=library&kind=drop", status=400)
    await page(client, "/search?q=library%00x", status=400)


async def test_a_member_is_offered_to_look_up_an_address(client: TestClient) -> None:
    await member("sam")
    await sign_in_as(client, "sam")
    html = await page(client, "/search?q=%40someone%40elsewhere.example")
    assert 'action="/search/lookup"' in html and "Look it up" in html
    assert 'value="@someone@elsewhere.example"' in html


async def test_a_remote_author_who_said_indexable_false_is_not_found(client: TestClient) -> None:
    # Given Bea (who says nothing of search: found) and Cy, whose server says he is not indexable
    where = await consultations(client)
    cy = await save_actor(
        {
            "id": "https://social.example/users/cy",
            "type": "Person",
            "preferredUsername": "cy",
            "inbox": "https://social.example/users/cy/inbox",
            "indexable": False,
        }
    )
    stored = await remote_objects.store_object(
        {
            "id": "https://social.example/notes/cy-1",
            "type": "Note",
            "attributedTo": cy.uri,
            "inReplyTo": where["hours"],
            "content": "<p>My children read comics there.</p>",
            "to": [PUBLIC],
        },
        cy,
    )
    assert stored.row is not None
    bea = ["Our children would use the libraries too!"]
    # Then neither a visitor nor a member finds Cy's comment, but Bea's
    assert found(await page(client, "/search?q=children+libraries"))["comments"] == bea
    assert found(await page(client, "/search?q=comics"))["comments"] == []
    await member("cat")
    await sign_in_as(client, "cat")
    assert found(await page(client, "/search?q=comics"))["comments"] == []
    # and once his server says he is, he is found
    await Actor.filter(uri=cy.uri).update(indexable=True)
    assert found(await page(client, "/search?q=comics"))["comments"] == [
        "My children read comics there."
    ]
