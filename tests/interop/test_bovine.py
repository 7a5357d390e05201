"""bovine-herd and Townhall federate over TLS: follows, proposals, replies, likes, deletes.

bovine's users act only through bovine's own client API (their outbox, Moo-Auth-1); what they
received is read from bovine's own collections. Townhall is driven through its client API.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.interop.conftest import Interop
from tests.interop.servers import BovineUser
from tests.interop.steps import Step

pytestmark = pytest.mark.interop

AS = "https://www.w3.org/ns/activitystreams"
PUBLIC = f"{AS}#Public"
PEER = "bovine"


def ids(items: list[Any]) -> list[Any]:
    """The ids among collection items given as strings or objects."""
    return [item.get("id") if isinstance(item, dict) else item for item in items]


def actor_ids(items: list[Any]) -> list[Any]:
    """The actors of collection items that are activities (likes), or the items themselves."""
    return [item.get("actor") if isinstance(item, dict) else item for item in items]


async def bovine_follows_organisation(interop: Interop, user: BovineUser) -> str:
    """bovine's user follows the organisation and Townhall's Accept reaches bovine."""
    townhall = interop.townhall
    step = Step(PEER, "bovine's user follows the organisation through bovine's outbox")
    follow = {
        "@context": AS,
        "type": "Follow",
        "actor": user.id,
        "object": townhall.organisation,
        "to": [townhall.organisation],
    }
    follow_id = await user.post_outbox(step, follow)
    await step.until(
        lambda: townhall.items(step, f"{townhall.organisation}/followers"),
        lambda items: user.id in items,
        f"the organisation's followers listing {user.id}",
    )
    step = Step(PEER, "Townhall's Accept reaches bovine: bovine's user follows the organisation")
    await step.until(
        lambda: user.items(step, user.actor["following"]),
        lambda items: townhall.organisation in ids(items),
        f"bovine's following collection of {user.handle_at} listing the organisation",
    )
    return follow_id


async def organisation_posts_proposal(interop: Interop, title: str) -> dict[str, Any]:
    """The organisation publishes a proposal (an Article) to the public and its followers."""
    townhall = interop.townhall
    step = Step("townhall", f"the organisation publishes the proposal {title!r}")
    token = townhall.token(townhall.handle)
    proposal = {
        "type": "Article",
        "name": title,
        "summary": f"<p>Summary of {title}</p>",
        "content": f"<p>The full text of {title}.</p>",
    }
    return await townhall.post_outbox(step, townhall.handle, token, proposal)


async def test_bovine_follows_the_organisation_and_receives_a_proposal(
    interop: Interop, bovine_user: Callable[[str], BovineUser]
) -> None:
    user = bovine_user("ada")
    await bovine_follows_organisation(interop, user)

    # When the organisation publishes a proposal
    create = await organisation_posts_proposal(interop, "Longer library hours")
    proposal_id = create["object"]["id"]

    # Then it reaches the inbox of bovine's user, and bovine stored the proposal as sent
    step = Step(PEER, "the organisation's proposal reaches bovine's user")
    step.record("Townhall delivered (Create of the proposal)", create, "201", None)
    await step.until(
        lambda: user.items(step, user.actor["inbox"]),
        lambda items: create["id"] in ids(items),
        f"bovine's inbox of {user.handle_at} listing {create['id']}",
    )
    status, stored = await user.stored(step, proposal_id)
    step.check(
        status == 200 and isinstance(stored, dict) and stored.get("name") == "Longer library hours",
        f"bovine's copy of {proposal_id} is not the proposal",
        {"status": status, "stored": stored},
    )


async def test_bovine_replies_and_the_reply_is_a_comment_until_bovine_deletes_it(
    interop: Interop, bovine_user: Callable[[str], BovineUser]
) -> None:
    townhall = interop.townhall
    user = bovine_user("bea")
    await bovine_follows_organisation(interop, user)
    create = await organisation_posts_proposal(interop, "A new bus route")
    proposal_id = create["object"]["id"]

    # When bovine's user replies to the proposal through bovine's outbox
    step = Step(PEER, "bovine's user replies to the proposal")
    reply = {
        "@context": AS,
        "type": "Create",
        "actor": user.id,
        "to": [townhall.organisation, PUBLIC],
        "object": {
            "type": "Note",
            "attributedTo": user.id,
            "inReplyTo": proposal_id,
            "content": "<p>Please extend it to the hospital.</p>",
            "to": [townhall.organisation, PUBLIC],
        },
    }
    reply_create_id = await user.post_outbox(step, reply)
    # Then the reply is a comment on the proposal: listed in its replies collection
    replies = await step.until(
        lambda: townhall.items(step, f"{proposal_id}/replies"),
        lambda items: (
            any(isinstance(item, dict) and item.get("attributedTo") == user.id for item in items)
            or any(
                isinstance(item, str) and item.startswith(interop.bovine.site.url) for item in items
            )
        ),
        f"the replies of {proposal_id} listing the reply of {user.handle_at}"
        f" (bovine's Create {reply_create_id})",
    )
    comment_id = next(
        item if isinstance(item, str) else item["id"]
        for item in replies
        if (isinstance(item, str) and item.startswith(interop.bovine.site.url))
        or (isinstance(item, dict) and item.get("attributedTo") == user.id)
    )
    # And it is in the proposal's thread: the collection named by the proposal's `context`
    _, document = await townhall.get(step, proposal_id)
    context = document.get("context") if isinstance(document, dict) else None
    step.check(isinstance(context, str), "the proposal names no thread `context`", document)
    await step.until(
        lambda: townhall.items(step, context),
        lambda items: comment_id in ids(items),
        f"the thread {context} listing the comment {comment_id}",
    )
    # And the proposal's page shows it in the discussion, with its author as @user@host
    status, page = await townhall.http.request(
        step, "GET", proposal_id, headers={"Accept": "text/html"}, record=False
    )
    step.check(
        status == 200
        and "Please extend it to the hospital." in str(page)
        and f"@{user.handle_at.lstrip('@')}" in str(page),
        "the proposal page does not show bovine's comment",
        str(page)[-2000:],
    )

    # When bovine's user deletes the reply
    step = Step(PEER, "bovine's user deletes its reply")
    delete = {
        "@context": AS,
        "type": "Delete",
        "actor": user.id,
        "object": comment_id,
        "to": [townhall.organisation, PUBLIC],
    }
    await user.post_outbox(step, delete)
    # Then it is no longer a comment on the proposal
    await step.until(
        lambda: townhall.items(step, f"{proposal_id}/replies"),
        lambda items: comment_id not in ids(items),
        f"the replies of {proposal_id} no longer listing {comment_id}",
    )
    # (the thread keeps the id: a thread lists its deleted objects too, see collections.context)


async def test_member_follows_bovine_user_after_bovine_accepts_and_receives_its_posts(
    interop: Interop, bovine_user: Callable[[str], BovineUser]
) -> None:
    townhall = interop.townhall
    user = bovine_user("cy")
    member = f"m{uuid.uuid4().hex[:6]}"
    token = townhall.add_member(member)

    # When a Townhall member follows bovine's user by its handle
    step = Step(PEER, f"Townhall's member follows {user.handle_at}")
    follow = await townhall.post_outbox(
        step, member, token, {"type": "Follow", "object": user.handle_at}
    )
    step.check(follow.get("object") == user.id, "Townhall resolved the handle to another actor")
    # Then the Follow reaches bovine, which does not accept it by itself
    await step.until(
        lambda: user.items(step, user.actor["inbox"]),
        lambda items: follow["id"] in ids(items),
        f"bovine's inbox of {user.handle_at} listing the Follow {follow['id']}",
    )
    following = await townhall.items(step, f"{townhall.actor(member)}/following")
    step.check(user.id not in following, "following before bovine accepted", following)

    # When bovine's user accepts through its outbox
    step = Step(PEER, "bovine's user accepts the member's Follow")
    accept = {
        "@context": AS,
        "type": "Accept",
        "actor": user.id,
        "object": follow["id"],
        "to": [townhall.actor(member)],
    }
    await user.post_outbox(step, accept)
    await step.until(
        lambda: townhall.items(step, f"{townhall.actor(member)}/following"),
        lambda items: user.id in items,
        f"the member's following listing {user.id}",
    )

    # When bovine's user posts to its followers
    step = Step(PEER, "bovine's user posts; the post reaches the member")
    await step.until(
        lambda: user.items(step, user.actor["followers"]),
        lambda items: townhall.actor(member) in ids(items),
        f"bovine's followers of {user.handle_at} listing the member",
    )
    post = {
        "@context": AS,
        "type": "Create",
        "actor": user.id,
        "to": [PUBLIC],
        "cc": [user.actor["followers"]],
        "object": {
            "type": "Note",
            "attributedTo": user.id,
            "content": "<p>Our survey closes on Friday.</p>",
            "to": [PUBLIC],
            "cc": [user.actor["followers"]],
        },
    }
    create_id = await user.post_outbox(step, post)
    # Then it is in the member's inbox on Townhall
    await step.until(
        lambda: townhall.items(step, f"{townhall.actor(member)}/inbox", token),
        lambda items: any(isinstance(item, dict) and item.get("id") == create_id for item in items),
        f"the member's inbox listing bovine's Create {create_id}",
    )


async def test_likes_both_ways_and_the_organisation_deletes_its_proposal(
    interop: Interop, bovine_user: Callable[[str], BovineUser]
) -> None:
    townhall = interop.townhall
    user = bovine_user("di")
    await bovine_follows_organisation(interop, user)
    create = await organisation_posts_proposal(interop, "Free swimming for carers")
    proposal_id = create["object"]["id"]

    # bovine → Townhall: bovine's user endorses (likes) the proposal
    step = Step(PEER, "bovine's user likes the proposal")
    like = {
        "@context": AS,
        "type": "Like",
        "actor": user.id,
        "object": proposal_id,
        "to": [townhall.organisation],
    }
    like_id = await user.post_outbox(step, like)
    await step.until(
        lambda: townhall.items(step, f"{proposal_id}/likes"),
        lambda items: user.id in actor_ids(items) or like_id in ids(items),
        f"the likes of {proposal_id} listing {user.id}",
    )

    # Townhall → bovine: a member likes a post of bovine's user
    step = Step(PEER, "a Townhall member likes a post of bovine's user")
    note = {
        "@context": AS,
        "type": "Create",
        "actor": user.id,
        "to": [PUBLIC],
        "object": {
            "type": "Note",
            "attributedTo": user.id,
            "content": "<p>Thank you all.</p>",
            "to": [PUBLIC],
        },
    }
    note_create_id = await user.post_outbox(step, note)
    status, stored_create = await user.stored(step, note_create_id)
    note_id = stored_create.get("object") if isinstance(stored_create, dict) else None
    note_id = note_id.get("id") if isinstance(note_id, dict) else note_id
    step.check(isinstance(note_id, str), "bovine did not give its note an id", stored_create)
    member = f"m{uuid.uuid4().hex[:6]}"
    token = townhall.add_member(member)
    fetched = await townhall.proxy(step, token, note_id)  # bovine answers signed GETs only
    step.check(fetched.get("id") == note_id, "Townhall's copy is another object", fetched)
    townhall_like = await townhall.post_outbox(
        step, member, token, {"type": "Like", "object": note_id}
    )
    await step.until(
        lambda: user.items(step, user.actor["inbox"]),
        lambda items: townhall_like["id"] in ids(items),
        f"bovine's inbox of {user.handle_at} listing the member's Like {townhall_like['id']}",
    )

    # Townhall → bovine: the organisation deletes the proposal (bovine → Townhall deletes: the
    # reply scenario above)
    step = Step(PEER, "the organisation deletes the proposal; the Delete reaches bovine")
    org_token = townhall.token(townhall.handle)
    delete = await townhall.post_outbox(
        step, townhall.handle, org_token, {"type": "Delete", "object": proposal_id}
    )
    await step.until(
        lambda: user.items(step, user.actor["inbox"]),
        lambda items: delete["id"] in ids(items),
        f"bovine's inbox of {user.handle_at} listing the Delete {delete['id']}",
    )
    status, _ = await townhall.get(step, proposal_id)
    step.check(status == 410, f"Townhall serves the deleted proposal with {status}, not 410")
