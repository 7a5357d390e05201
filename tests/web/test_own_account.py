"""A member's own account: downloading everything they wrote and did, and deleting it (their
comments kept as by a former member, or removed), refused without the right password."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from aiohttp.test_utils import TestClient

from node.models import (
    AccessRole,
    Account,
    AccountStatus,
    Activity,
    Actor,
    Object,
    Reaction,
    Token,
)
from node.services.tokens import create_token
from tests.support.api import AS2, send
from tests.support.pages import PASSWORD, member, page, sign_in_as, submit
from tests.web.test_member_pages import published_by_amina_read_by_bo


async def bo_takes_part(client: TestClient, where: str) -> None:
    """Bo (signed in) comments twice on the proposal at `where` and endorses it."""
    for text in ("=SUM(A1) is how I count", "Second thought"):
        response = await submit(client, f"{where}/comments", {"content": text}, token_from=where)
        assert response.status == 303
    await submit(client, f"{where}/endorse", {"action": "endorse"}, token_from=where)


async def test_a_member_downloads_everything_they_wrote_and_did(client: TestClient) -> None:
    # Given Bo's comments and endorsement
    where = await published_by_amina_read_by_bo(client)
    await bo_takes_part(client, where)
    assert "/settings/account/data.zip" in await page(client, "/settings/account")
    # When Bo downloads the zip
    response = await client.get("/settings/account/data.zip")
    assert response.status == 200 and response.content_type == "application/zip"
    assert 'filename="townhall-bo.zip"' in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(await response.read()))
    # Then it holds JSON and CSV of each kind of thing, with the text written
    names = set(archive.namelist())
    for kind in ("profile", "proposals", "comments", "endorsements_and_reactions", "answers",
                 "amendments", "follows"):  # fmt: skip
        assert {f"{kind}.json", f"{kind}.csv"} <= names, names
    profile = json.loads(archive.read("profile.json"))
    assert profile["handle"] == "bo" and profile["role_shown_publicly"] is True
    comments = json.loads(archive.read("comments.json"))
    assert sorted(c["text"].strip() for c in comments) == [
        "=SUM(A1) is how I count",
        "Second thought",
    ]
    endorsements = json.loads(archive.read("endorsements_and_reactions.json"))
    proposal = await Object.get(type="Article")
    assert [(e["kind"], e["of"]) for e in endorsements] == [("endorsement", proposal.uri)]
    rows = list(csv.DictReader(io.StringIO(archive.read("comments.csv").decode("utf-8-sig"))))
    assert {row["text"].strip() for row in rows} == {"'=SUM(A1) is how I count", "Second thought"}
    assert json.loads(archive.read("proposals.json")) == []  # Amina's, not Bo's
    # and a visitor gets no one's data
    await submit(client, "/sign-out", {}, token_from="/")
    visitor = await client.get("/settings/account/data.zip", allow_redirects=False)
    assert visitor.status == 303 and visitor.headers["Location"].startswith("/sign-in")


async def test_deleting_an_account_needs_the_password_and_a_choice(client: TestClient) -> None:
    where = await published_by_amina_read_by_bo(client)
    await bo_takes_part(client, where)
    form = await page(client, "/settings/account/delete")
    assert "This cannot be undone" in form
    wrong = await submit(
        client, "/settings/account/delete", {"password": "nope", "comments": "keep"}
    )
    assert wrong.status == 400 and "That is not your password." in await wrong.text()
    unchosen = await submit(client, "/settings/account/delete", {"password": PASSWORD})
    assert (
        unchosen.status == 400 and "Choose what happens to your comments." in await unchosen.text()
    )
    # nothing changed: still active, signed in, their comments and endorsement there
    account = await Account.get(actor__handle="bo")
    assert account.status == AccountStatus.ACTIVE and account.password_hash
    assert "Sign out" in await page(client, "/")
    assert await Reaction.filter(actor__handle="bo").count() == 1
    assert not await Activity.filter(type="Delete").exists()


async def test_the_last_admin_cannot_delete_their_account(client: TestClient) -> None:
    await member("ada", AccessRole.ADMIN)
    await sign_in_as(client, "ada")
    fields = {"password": PASSWORD, "comments": "keep"}
    refused = await submit(client, "/settings/account/delete", fields)
    assert refused.status == 403 and "last admin" in await refused.text()
    assert (await Account.get(actor__handle="ada")).status == AccountStatus.ACTIVE


async def test_a_deleted_account_keeps_its_comments_as_a_former_members(
    client: TestClient,
) -> None:
    # Given Bo's comments, endorsement and API token
    where = await published_by_amina_read_by_bo(client)
    await bo_takes_part(client, where)
    token = await create_token("bo")
    # When Bo deletes the account, keeping the comments
    fields = {"password": PASSWORD, "comments": "keep"}
    response = await submit(client, "/settings/account/delete", fields)
    assert response.status == 303, await response.text()
    # Then Bo is signed out and cannot sign in or use the token
    assert "Sign out" not in await page(client, "/")
    refused = await submit(client, "/sign-in", {"handle": "bo", "password": PASSWORD})
    assert refused.status == 401 and "do not match an account" in await refused.text()
    status, _answer = await send(client, "bo", token, {"type": "Note", "content": "Still here?"})
    assert status == 401
    account = await Account.get(actor__handle="bo").select_related("actor")
    assert account.status == AccountStatus.DELETED and account.password_hash == ""
    assert not await Token.filter(account_id=account.id).exists()
    # and a Delete of the actor went out, saying the posts are kept
    delete = await Activity.get(type="Delete", object_uri=account.actor.uri)
    assert delete.document["postsKept"] is True
    # the actor answers 410 with a Tombstone; the profile page 410
    gone = await client.get("/actors/bo", headers={"Accept": AS2})
    tombstone = await gone.json(content_type=None)
    assert gone.status == 410 and tombstone["type"] == "Tombstone"
    await page(client, "/actors/bo", status=410)
    # the comments stay, as by a former member; the endorsement no longer counts
    html = await page(client, where)
    assert "Second thought" in html and "a former member" in html
    assert not await Reaction.filter(actor_id=account.actor.id).exists()
    assert await Object.filter(author_id=account.actor.id, deleted_at=None).count() == 2
    # and no admin can bring the account back
    await member("ada", AccessRole.ADMIN)
    await sign_in_as(client, "ada")
    reinstated = await submit(
        client, "/admin/members/bo", {"action": "reinstate"}, token_from="/admin/members"
    )
    assert reinstated.status == 409 and "stays deleted" in await reinstated.text()
    assert (await Account.get(id=account.id)).status == AccountStatus.DELETED


async def test_a_deleted_account_may_take_its_comments_with_it(client: TestClient) -> None:
    where = await published_by_amina_read_by_bo(client)
    await bo_takes_part(client, where)
    fields = {"password": PASSWORD, "comments": "remove"}
    assert (await submit(client, "/settings/account/delete", fields)).status == 303
    bo = await Actor.get(handle="bo")
    assert await Object.filter(author_id=bo.id, deleted_at=None).count() == 0
    assert await Activity.filter(type="Delete", actor_id=bo.id).count() == 3  # 2 comments + actor
    html = await page(client, where)
    assert "Second thought" not in html and "Evening opening" in html
