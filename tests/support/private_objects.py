"""Private objects on a node, each carrying a marker no one else may ever be shown.

alice writes a public proposal, a draft and a followers-only note; bob comments on the
proposal (one comment then hidden, one removed by a moderator) and sends carol a direct
message in the thread. dana, a member, follows bob and the organisation but not alice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp.test_utils import TestClient

from node.appkeys import CLIENT_API
from node.models import AccessRole, Activity, Actor, Object
from node.services import moderation
from node.services.tokens import create_token
from tests.support.api import BASE, ORG, post
from tests.support.pages import member

DRAFT = "zq-draft-marker"
FOLLOWERS_ONLY = "zq-followers-only-marker"
DIRECT = "zq-direct-message-marker"
HIDDEN = "zq-hidden-comment-marker"
REMOVED = "zq-removed-comment-marker"
MARKERS = (DRAFT, FOLLOWERS_ONLY, DIRECT, HIDDEN, REMOVED)


@dataclass
class PrivateObjects:
    """The seeded node: the proposal's and each private object's id, and the tokens."""

    proposal: str
    uris: dict[str, str]  # marker -> object id
    tokens: dict[str, str]
    activity_uris: list[str] = field(default_factory=list)

    def key(self, marker: str) -> str:
        return self.key_of(self.uris[marker])

    def key_of(self, uri: str) -> str:
        return uri.removeprefix(f"{BASE}/objects/")

    def path(self, marker: str) -> str:
        return self.uris[marker].removeprefix(BASE)


async def seed_private_objects(client: TestClient) -> PrivateObjects:
    """Members alice, bob, carol, dana and mod (a moderator), and the private objects."""
    tokens = {}
    for handle in ("alice", "bob", "carol", "dana"):
        await member(handle)
        tokens[handle] = await create_token(handle)
    moderator = await member("mod", AccessRole.MODERATOR)
    alice = await Actor.get(handle="alice", is_local=True)
    carol = await Actor.get(handle="carol", is_local=True)
    bob = await Actor.get(handle="bob", is_local=True)
    for followee in (bob.uri, ORG):
        await post(client, "dana", tokens["dana"], {"type": "Follow", "object": followee})
    proposal = (
        await post(
            client, "alice", tokens["alice"], {"type": "Article", "name": "Public", "summary": "S"}
        )
    )["object"]["id"]
    draft = await post(
        client,
        "alice",
        tokens["alice"],
        {
            "type": "Article",
            "name": f"Title {DRAFT}",
            "summary": f"Summary {DRAFT}",
            "source": f"Body {DRAFT}",
            "sections": {"problem": f"Problem {DRAFT}"},
            "proposalStatus": "draft",
        },
    )
    uris = {DRAFT: draft["object"]["id"]}
    followers_only = await post(
        client,
        "alice",
        tokens["alice"],
        {"type": "Note", "content": FOLLOWERS_ONLY, "to": [alice.followers_uri], "cc": []},
    )
    direct = await post(
        client,
        "bob",
        tokens["bob"],
        {"type": "Note", "content": DIRECT, "to": [carol.uri], "cc": [], "inReplyTo": proposal},
    )
    hidden = await post(
        client, "bob", tokens["bob"], {"type": "Note", "content": HIDDEN, "inReplyTo": proposal}
    )
    removed = await post(
        client, "bob", tokens["bob"], {"type": "Note", "content": REMOVED, "inReplyTo": proposal}
    )
    for marker, activity in (
        (FOLLOWERS_ONLY, followers_only),
        (DIRECT, direct),
        (HIDDEN, hidden),
        (REMOVED, removed),
    ):
        uris[marker] = activity["object"]["id"]
    await moderation.hide(uris[HIDDEN], "rude", by_account_id=moderator.id)
    await moderation.remove(client.app[CLIENT_API], uris[REMOVED], by_account_id=moderator.id)
    private = list(uris.values())
    activity_uris = await Activity.filter(object_uri__in=private).values_list("uri", flat=True)
    assert await Object.filter(uri__in=private).count() == len(MARKERS)
    return PrivateObjects(proposal, uris, tokens, [str(uri) for uri in activity_uris])
