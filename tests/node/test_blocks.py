"""Blocks: a blocked account or server neither follows nor is followed, is sent nothing, and a
block of a domain covers its subdomains however the host is spelt."""

from __future__ import annotations

import pytest

from federation.errors import FetchError
from node.models import (
    Actor,
    ActorType,
    Delivery,
    Follow,
    FollowState,
    Object,
    Poll,
    PollOption,
    Reaction,
    Vote,
)
from node.services.backfill import ThreadBackfill
from node.services.blocklist import normalise_host
from node.services.delivery_queue import enqueue, outbox_transaction
from node.services.errors import NotFound
from node.services.inbox_store import InboxStore
from node.services.moderation import BlockTarget, add_block, parse_block_target, remove_block
from node.services.outbox import Outbox
from node.services.proxy import RemoteLookup
from node.services.remote_actors import RemoteActors
from node.services.visibility import NOBODY
from tests.node.conftest import URLS
from tests.node.test_delivery_queue import follow, remote_actor
from tests.node.test_inbox_store import NoActors

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def followers_only_post(author: Actor, serial: str = "1") -> dict[str, object]:
    return {
        "id": URLS.activity(serial),
        "type": "Create",
        "actor": author.uri,
        "to": [author.followers_uri],
        "object": {"id": URLS.object(serial), "type": "Note", "content": "members only"},
    }


async def publish(activity: dict[str, object], author: Actor) -> int:
    """Publish `activity` through the outbox; return how many deliveries were written."""
    before = await Delivery.all().count()
    await Outbox(URLS, lambda: None).publish(author, activity)
    return await Delivery.all().count() - before


async def delivered_hosts() -> set[str]:
    return set(await Delivery.all().values_list("host", flat=True))


async def test_a_blocked_follower_no_longer_gets_followers_only_posts(
    organisation: Actor,
    moderator_id: int,
) -> None:
    blocked = await remote_actor("troll", "bad.example")
    kept = await remote_actor("friend", "good.example")
    for each in (blocked, kept):
        await follow(each, organisation, FollowState.ACCEPTED)
    await follow(organisation, blocked, FollowState.ACCEPTED)  # and we followed it back

    await add_block(BlockTarget("actor", blocked.uri), "harassment", by_account_id=moderator_id)

    # the follows are gone, both ways; the other follower's stays
    assert not await Follow.filter(follower=blocked).exists()
    assert not await Follow.filter(followee=blocked).exists()
    assert await Follow.filter(follower=kept).exists()
    # and a followers-only post, even addressed to it by name, goes to the other one only
    activity = followers_only_post(organisation)
    activity["cc"] = [blocked.uri]
    assert await publish(activity, organisation) == 1
    assert await delivered_hosts() == {"good.example"}


async def test_a_post_naming_a_blocked_actor_is_not_sent_to_its_shared_inbox(
    organisation: Actor,
    moderator_id: int,
) -> None:
    blocked = await remote_actor("troll", "bad.example")  # reached through a shared inbox
    await add_block(BlockTarget("actor", blocked.uri), "", by_account_id=moderator_id)
    activity = followers_only_post(organisation)
    activity["to"] = [PUBLIC, blocked.uri]
    assert await publish(activity, organisation) == 0
    assert await Delivery.all().count() == 0


async def test_a_blocked_actors_own_inbox_is_never_queued(
    organisation: Actor, moderator_id: int
) -> None:
    blocked = await remote_actor("troll", "bad.example", shared=False)
    await add_block(BlockTarget("actor", blocked.uri), "", by_account_id=moderator_id)
    async with outbox_transaction(None) as connection:
        queued = await enqueue(
            followers_only_post(organisation),
            organisation,
            [blocked.inbox_uri],
            connection=connection,
        )
    assert queued == 0
    assert await Delivery.all().count() == 0


async def test_blocking_a_domain_ends_every_follow_with_it_and_its_subdomains(
    organisation: Actor,
    moderator_id: int,
) -> None:
    member = await Actor.create(
        uri=URLS.actor("ann"), type=ActorType.PERSON, handle="ann", domain="127.0.0.1:8000",
        inbox_uri=URLS.actor("ann") + "/inbox", is_local=True,
    )  # fmt: skip
    on_domain = await remote_actor("a", "spam.example")
    on_subdomain = await remote_actor("b", "eu.spam.example")
    with_port = await remote_actor("c", "spam.example:8443")
    lookalike = await remote_actor("d", "notspam.example")
    for each in (on_domain, on_subdomain, with_port, lookalike):
        await follow(each, organisation, FollowState.ACCEPTED)
        await follow(member, each, FollowState.PENDING)

    await add_block(BlockTarget("domain", "SPAM.example."), "", by_account_id=moderator_id)

    remaining = await Follow.all().values_list("follower__handle", "followee__handle")
    assert sorted(remaining) == [("ann", "d"), ("d", "testorg")]
    assert await publish(followers_only_post(organisation), organisation) == 1
    assert await delivered_hosts() == {"notspam.example"}


async def test_a_domain_block_covers_subdomains_ports_case_and_trailing_dots(
    organisation: Actor,
    moderator_id: int,
) -> None:
    await add_block(
        await parse_block_target(None, "*.Spam.Example:443"), "", by_account_id=moderator_id
    )  # type: ignore[arg-type]
    store = InboxStore(NoActors(), lambda: None)  # type: ignore[arg-type]
    for spelling in (
        "https://spam.example/users/x",
        "https://a.spam.example/users/x",
        "https://spam.example:443/users/x",
        "https://SPAM.EXAMPLE./users/x",
        "https://deep.a.spam.example:8443/users/x",
    ):
        assert await store.is_blocked(spelling), spelling
    for other in ("https://notspam.example/users/x", "https://spam.example.org/users/x"):
        assert not await store.is_blocked(other), other
    # the backfill crawler reads the same list
    backfill = ThreadBackfill(None, URLS)  # type: ignore[arg-type]
    await backfill._new_run()
    assert backfill._blocked("https://a.spam.example:443/notes/1")
    assert not backfill._blocked("https://notspam.example/notes/1")


async def test_a_domain_block_hides_what_its_subdomains_posted_and_lifting_it_shows_it(
    organisation: Actor,
    moderator_id: int,
) -> None:
    author = await remote_actor("b", "eu.spam.example:8443")
    post = await Object.create(
        uri="https://eu.spam.example:8443/notes/1", type="Note", author=author,
        published_at="2026-01-01T00:00:00+00:00",
    )  # fmt: skip
    block_id = await add_block(
        BlockTarget("domain", "spam.example"), "", by_account_id=moderator_id
    )
    await post.refresh_from_db()
    assert post.hidden_at is not None
    await remove_block(block_id, by_account_id=moderator_id)
    await post.refresh_from_db()
    assert post.hidden_at is None


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("Spam.Example", "spam.example"),
        ("spam.example:443", "spam.example"),
        ("spam.example.", "spam.example"),
        ("https://user@A.Spam.Example:8443/path", "a.spam.example"),
        ("bücher.example", "xn--bcher-kva.example"),
        ("BÜCHER.example", "xn--bcher-kva.example"),
    ],
)
def test_hosts_are_compared_in_one_normal_form(written: str, normalised: str) -> None:
    assert normalise_host(written) == normalised


class NoFetches:
    """A federation client that must not be used."""

    async def fetch_object(self, url: str) -> None:
        raise AssertionError(f"{url} was fetched")


async def test_nothing_is_fetched_from_a_blocked_servers_subdomain(
    organisation: Actor, moderator_id: int
) -> None:
    await add_block(BlockTarget("domain", "spam.example"), "", by_account_id=moderator_id)
    remote = RemoteActors(NoFetches(), URLS.base)  # type: ignore[arg-type]
    with pytest.raises(NotFound, match="blocked"):
        await remote.get("https://a.spam.example:443/users/x")
    with pytest.raises(FetchError, match="blocked"):
        await RemoteLookup(remote, URLS).proxied("https://a.spam.example/notes/1", NOBODY)
    assert await Actor.filter(domain__contains="spam").count() == 0


async def test_a_blocked_servers_endorsements_and_answers_count_for_nothing(
    organisation: Actor, moderator_id: int
) -> None:
    # Given a question, and an account on a server to be blocked and one elsewhere who each
    # endorsed it and answered it
    question = await Object.create(
        uri=URLS.object("q"), type="Question", is_local=True, author=organisation,
        name="Saturdays?", published_at="2026-01-01T00:00:00+00:00",
    )  # fmt: skip
    poll = await Poll.create(object=question)
    yes = await PollOption.create(poll=poll, position=0, name="Yes")
    voters = [await remote_actor("troll", "bad.example"), await remote_actor("kim", "good.ex")]
    for voter in voters:
        await Reaction.create(
            uri=f"{voter.uri}/likes/1", kind="Like", actor=voter, object_uri=question.uri
        )
        await Vote.create(poll=poll, option=yes, actor=voter, uri=f"{voter.uri}/votes/1")
    # When the server is blocked
    await add_block(BlockTarget("domain", "bad.example"), "trolls", by_account_id=moderator_id)
    # Then only the other server's endorsement and answer are left to count
    assert await Reaction.all().values_list("actor__handle", flat=True) == ["kim"]
    assert await Vote.all().values_list("actor__handle", flat=True) == ["kim"]
