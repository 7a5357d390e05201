"""Every GET route of a seeded node walked, as a page and as ActivityStreams: the seeding
(private objects, an overdue poll, an invitation, a reset code, an email confirmation code) and
the walk that tests of
"every page" share."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from aiohttp.test_utils import TestClient
from tortoise.transactions import in_transaction

from node.models import AccessRole, Object, OutgoingMail, Poll
from node.services import remote_objects
from node.services.account_mail import start_verification
from node.services.invites import create_invite
from node.services.mail_queue import MailQueue, MailSettings
from node.services.password_resets import create_reset
from node.services.remote_actors import save_actor
from tests.support.api import AS2, BASE, post
from tests.support.pages import member
from tests.support.private_objects import seed_private_objects
from tests.support.routes import paths, routes


async def seed(client: TestClient) -> dict[str, list[str]]:
    """The private objects, an overdue poll on the proposal, a live invitation and reset code;
    the values to put in each route's placeholders."""
    seeded = await seed_private_objects(client)
    alice = seeded.tokens["alice"]
    question = {
        "type": "Question",
        "content": "<p>When?</p>",
        "inReplyTo": seeded.proposal,
        "oneOf": [{"type": "Note", "name": "now"}, {"type": "Note", "name": "later"}],
        "endTime": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
    }
    poll = (await post(client, "alice", alice, question))["object"]["id"]
    await Poll.all().update(end_time=datetime.now(UTC) - timedelta(minutes=1))  # time passes
    admin = await member("ada", AccessRole.ADMIN)
    _, invite = await create_invite(admin.id)
    reset = await create_reset(admin.id, "dana")
    verification = await _verification_code(admin.id)
    objects = [*seeded.uris.values(), seeded.proposal, poll]
    held = await _held_remote_proposal()  # its page here: /remote/objects/{id}
    ids = await Object.filter(uri__in=[*objects, *held]).values_list("id", flat=True)
    return {
        "key": [seeded.key_of(uri) for uri in objects],
        "activity": [uri.removeprefix(f"{BASE}/activities/") for uri in seeded.activity_uris],
        "handle": ["alice", "dana", "ada", "testorg"],
        "id": [str(i) for i in ids],
        "code": [invite, reset, verification, "no-such-code"],
    }


async def _verification_code(account_id: int) -> str:
    """A live email confirmation code for the account (read from the mail that carries it)."""
    queue = MailQueue(MailSettings(base_url=BASE, sender_address="noreply@127.0.0.1"))
    async with in_transaction():
        await start_verification(queue, account_id, "ada@example.org")
    mail = await OutgoingMail.filter(kind="verify_email").order_by("-id").first()
    assert mail is not None
    found = re.search(r"/email/verify/([A-Za-z0-9_-]+)", mail.message)
    assert found
    return found.group(1)


async def _held_remote_proposal() -> list[str]:
    """A proposal of another node held here, with a comment in its thread: their URIs."""
    home = "https://far.example"
    erin = await save_actor(
        {"id": f"{home}/actors/erin", "type": "Person", "preferredUsername": "erin",
         "inbox": f"{home}/actors/erin/inbox"}
    )  # fmt: skip
    public = ["https://www.w3.org/ns/activitystreams#Public"]
    proposal = {
        "id": f"{home}/objects/p1", "type": "Article", "attributedTo": erin.uri,
        "name": "Far away", "content": "<p>Far.</p>", "context": f"{home}/contexts/p1",
        "to": public, "proposalStatus": "open", "version": 1, "sections": [],
    }  # fmt: skip
    comment = {
        "id": f"{home}/objects/c1", "type": "Note", "attributedTo": erin.uri,
        "inReplyTo": proposal["id"], "context": proposal["context"], "content": "<p>Hm.</p>",
        "to": public,
    }  # fmt: skip
    for document in (proposal, comment):
        await remote_objects.store_object(document, erin)
    return [proposal["id"], comment["id"]]


async def walk_every_get(client: TestClient, values: dict[str, list[str]], token: str) -> int:
    """GET every route with every value, as a page and as ActivityStreams; how many GETs."""
    query = {"uri": f"{BASE}/objects/{values['key'][0]}", "page": "1", "q": "a"}
    asked = 0
    for method, resource in routes(client.app):
        if method != "GET":
            continue
        in_path = (
            {**values, "key": values["activity"]}
            if "/activities/" in resource.canonical
            else values
        )
        for path in paths(resource, in_path):
            bearer = [{"Authorization": f"Bearer {token}"}] if path.startswith("/actors/") else []
            for headers in [{"Accept": "text/html"}, {"Accept": AS2}, *bearer]:
                response = await client.get(
                    path, params=query, headers=headers, allow_redirects=False
                )
                await response.read()
                assert response.status < 500, (path, response.status)
                asked += 1
    return asked
