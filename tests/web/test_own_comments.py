"""A member's own comments from the pages: edited (an "edited" mark, the earlier text readable as
a history), deleted (a Tombstone, replies keep their place); nobody else's."""

from __future__ import annotations

import re

from aiohttp.test_utils import TestClient

from node.models import Activity, Object, ObjectRevision, Proposal, ProposalStatus
from node.services.remote_actors import save_actor
from node.services.remote_objects import store_object
from node.services.tokens import create_token
from tests.support.api import post, send, token_for
from tests.support.pages import page, sign_in_as, submit
from tests.web.test_endorsements import remote_actor_document
from tests.web.test_member_pages import published_by_amina_read_by_bo


async def bo_comments(client: TestClient, where: str, text: str = "Thursdays are *busy*.") -> str:
    """Bo comments on the proposal at `where`; the comment's path (/objects/{key})."""
    response = await submit(client, f"{where}/comments", {"content": text}, token_from=where)
    assert response.status == 303, await response.text()
    row = await Object.filter(type="Note", author__handle="bo").order_by("-id").first()
    assert row is not None
    return "/objects/" + row.uri.rsplit("/", 1)[1]


async def test_a_member_edits_their_comment_and_everyone_sees_the_mark_and_the_history(
    client: TestClient,
) -> None:
    # Given Bo's comment on Amina's proposal
    where = await published_by_amina_read_by_bo(client)
    comment = await bo_comments(client, where)
    html = await page(client, where)
    assert f'href="{comment}/edit-comment"' in html and "edited" not in html
    # When Bo changes its text from the edit form, which starts from what it says now
    form = await page(client, f"{comment}/edit-comment")
    assert "Thursdays are *busy*." in form
    response = await submit(
        client, f"{comment}/edit-comment", {"content": "Fridays are **quiet**."}
    )
    assert response.status == 303, await response.text()
    # Then the comment says the new text, went out as an Update, and the old text is history
    row = await Object.get(type="Note", author__handle="bo")
    assert "<strong>quiet</strong>" in row.content and row.updated_at is not None
    assert await Activity.filter(type="Update", object_uri=row.uri).count() == 1
    revision = await ObjectRevision.get(object_id=row.id)
    assert "<em>busy</em>" in revision.content and revision.source == "Thursdays are *busy*."
    # and a visitor sees the "edited" mark linking to the earlier versions
    await submit(client, "/sign-out", {}, token_from="/")
    html = await page(client, where)
    assert re.search(rf'href="{comment}/revisions">edited <time', html), html
    assert "Edit<" not in html  # nobody else is offered the edit
    assert f'href="{comment}/revisions">edited' in await page(client, comment)
    history = await page(client, f"{comment}/revisions")
    assert "<em>busy</em>" in history and "<strong>quiet</strong>" in history


async def test_an_edit_through_the_api_keeps_the_earlier_text_too(client: TestClient) -> None:
    token = await token_for("carol")
    note = (await post(client, "carol", token, {"type": "Note", "content": "First words"}))[
        "object"
    ]
    changed = {"type": "Note", "id": note["id"], "content": "Second words"}
    await post(client, "carol", token, {"type": "Update", "object": changed})
    await post(
        client, "carol", token, {"type": "Update", "object": {**changed, "content": "Third"}}
    )
    texts = (
        await ObjectRevision.filter(object__uri=note["id"])
        .order_by("id")
        .values_list("content", flat=True)
    )
    assert list(texts) == ["First words", "Second words"]


async def test_nobody_edits_or_deletes_someone_elses_comment(client: TestClient) -> None:
    # Given Bo's comment; Amina signs in
    where = await published_by_amina_read_by_bo(client)
    comment = await bo_comments(client, where)
    await submit(client, "/sign-out", {}, token_from="/")
    await sign_in_as(client, "amina")
    # When she opens its edit or delete form, or posts to them
    for path in (f"{comment}/edit-comment", f"{comment}/delete"):
        await page(client, path, status=403)
        token = re.search(r'name="csrf_token" value="([^"]+)"', await page(client, where))
        assert token
        answer = await client.post(
            path, data={"csrf_token": token.group(1), "content": "Hijacked"}, allow_redirects=False
        )
        # Then she is refused with a 403 and nothing changed
        assert answer.status == 403, await answer.text()
    row = await Object.get(type="Note", author__handle="bo")
    assert "busy" in row.content and row.deleted_at is None and row.updated_at is None
    assert not await ObjectRevision.exists()
    assert not await Activity.filter(type__in=("Update", "Delete"), object_uri=row.uri).exists()


async def test_a_refused_edit_keeps_the_text_and_changes_nothing(client: TestClient) -> None:
    where = await published_by_amina_read_by_bo(client)
    comment = await bo_comments(client, where)
    for text, said in (("   ", "Write something"), ("x" * 10_001, "under 10,000")):
        response = await submit(client, f"{comment}/edit-comment", {"content": text})
        assert response.status == 400 and said in await response.text()
    same = await submit(client, f"{comment}/edit-comment", {"content": "Thursdays are *busy*."})
    assert same.status == 400 and "the same as before" in await same.text()
    assert not await ObjectRevision.exists()
    assert (await Object.get(type="Note", author__handle="bo")).updated_at is None


async def test_a_member_deletes_their_comment_and_replies_keep_their_place(
    client: TestClient,
) -> None:
    # Given Bo's comment with Amina's reply under it
    where = await published_by_amina_read_by_bo(client)
    comment = await bo_comments(client, where)
    await submit(client, f"{comment}/edit-comment", {"content": "Changed once"})
    bo_note = await Object.get(type="Note", author__handle="bo")
    await submit(client, "/sign-out", {}, token_from="/")
    await sign_in_as(client, "amina")
    reply = {"content": "I disagree", "in_reply_to": bo_note.uri}
    assert (await submit(client, f"{where}/comments", reply, token_from=where)).status == 303
    await submit(client, "/sign-out", {}, token_from="/")
    await sign_in_as(client, "bo")
    # When Bo confirms deleting it
    confirm = await page(client, f"{comment}/delete")
    assert "Changed once" in confirm and "cannot be undone" in confirm
    response = await submit(client, f"{comment}/delete", {})
    assert response.status == 303 and response.headers["Location"] == f"{where}#discussion"
    # Then it is a Tombstone, sent as a Delete, its history gone; the reply stays
    row = await Object.get(id=bo_note.id)
    assert row.deleted_at is not None
    assert await Activity.filter(type="Delete", object_uri=row.uri).exists()
    assert not await ObjectRevision.filter(object_id=row.id).exists()
    html = await page(client, where)
    assert "This comment was withdrawn." in html and "I disagree" in html
    await page(client, f"{comment}/revisions", status=404)
    await page(client, f"{comment}/edit-comment", status=404)


async def test_an_update_from_another_server_keeps_the_comments_earlier_text(
    client: TestClient,
) -> None:
    # Given a remote comment held here
    author = await save_actor(remote_actor_document("rae"))
    note = {
        "id": "https://remote.example/notes/1",
        "type": "Note",
        "attributedTo": author.uri,
        "content": "<p>Mornings</p>",
        "published": "2026-01-01T10:00:00Z",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
    }
    await store_object(note, author)
    # When its Update arrives, then the same Update again, then an older version
    edited = {**note, "content": "<p>Afternoons</p>", "updated": "2026-01-02T10:00:00Z"}
    await store_object(edited, author)
    await store_object(edited, author)
    await store_object(note, author)
    # Then the earlier text is kept once, and the comment says the new one
    row = await Object.get(uri=note["id"])
    assert row.content == "<p>Afternoons</p>"
    revisions = await ObjectRevision.filter(object_id=row.id).values_list("content", flat=True)
    assert list(revisions) == ["<p>Mornings</p>"]


async def test_once_the_consultation_closes_a_comment_stands_but_may_still_be_deleted(
    client: TestClient,
) -> None:
    # Given Bo's comment on Amina's proposal, whose consultation then closes
    where = await published_by_amina_read_by_bo(client)
    comment = await bo_comments(client, where)
    row = await Object.get(type="Note", author__handle="bo")
    await Proposal.filter(object__author__handle="amina").update(status=ProposalStatus.CLOSED)
    # Then Bo is offered no edit, only the deletion
    html = await page(client, where)
    assert f"{comment}/edit-comment" not in html and f"{comment}/delete" in html
    form = await page(client, f"{comment}/edit-comment")
    assert "comments can no longer be changed" in form and "<textarea" not in form
    # and an edit sent anyway, from the form or the API, changes nothing
    refused = await submit(
        client, f"{comment}/edit-comment", {"content": "Fridays."}, token_from=where
    )
    assert refused.status == 409
    token = await create_token("bo")
    status, answer = await send(
        client,
        "bo",
        token,
        {"type": "Update", "object": {"id": row.uri, "type": "Note", "content": "Fridays."}},
    )
    assert status == 409 and "consultation is over" in answer["error"], answer
    assert (await Object.get(id=row.id)).content == row.content
    assert not await ObjectRevision.filter(object_id=row.id).exists()
    # and Bo can still take the comment back
    deleted = await submit(client, f"{comment}/delete", {}, token_from=f"{comment}/delete")
    assert deleted.status == 303
    assert (await Object.get(id=row.id)).deleted_at is not None
