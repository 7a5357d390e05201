"""The outbox: deliveries are written with the change, once per inbox, without bto/bcc."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from tortoise.transactions import in_transaction

from node.models import (
    Actor,
    ActorType,
    Delivery,
    DeliveryPayload,
    DeliveryState,
    Follow,
    FollowState,
    Host,
)
from node.services.actors import create_local_actor
from node.services.delivery_queue import (
    ROWS_PER_INSERT,
    DeliveryWakeup,
    enqueue,
    follower_inboxes,
    mark_host_available,
    outbox_transaction,
)
from node.services.outbox import Outbox
from tests.node.conftest import URLS

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


class Boom(Exception):
    """Raised to roll a transaction back."""


async def remote_actor(handle: str, host: str, *, shared: bool = True) -> Actor:
    """A remote Person on `host`, with the host's shared inbox when `shared`."""
    return await Actor.create(
        uri=f"https://{host}/users/{handle}",
        type=ActorType.PERSON,
        handle=handle,
        domain=host,
        inbox_uri=f"https://{host}/users/{handle}/inbox",
        shared_inbox_uri=f"https://{host}/inbox" if shared else "",
    )


async def follow(follower: Actor, followee: Actor, state: FollowState) -> None:
    """Record a follow in `state`."""
    await Follow.create(
        uri=f"{follower.uri}#follows/{followee.id}",
        follower=follower,
        followee=followee,
        state=state,
    )


def note(organisation: Actor, key: str = "1", **extra: object) -> dict[str, object]:
    """A Create activity by the organisation."""
    return {
        "id": URLS.activity(key),
        "type": "Create",
        "actor": organisation.uri,
        "to": [PUBLIC],
        "cc": [organisation.followers_uri],
        "object": {"id": URLS.object(key), "type": "Note", "content": "hi"},
        **extra,
    }


async def test_one_delivery_per_distinct_inbox_and_never_public(organisation: Actor) -> None:
    # Given inboxes with repeats, the Public collection in its three spellings and junk
    inboxes = [
        "https://a.example/inbox",
        "https://b.example/users/x/inbox",
        "https://a.example/inbox",
        PUBLIC,
        "as:Public",
        "Public",
        "",
        "mailto:someone@example.org",
        "https://c.example/" + "x" * 3000,
    ]
    # When the activity is queued
    count = await enqueue(note(organisation), organisation, inboxes)
    # Then there is one queued row per distinct inbox, due now, signed by the organisation
    rows = await Delivery.all().order_by("id")
    assert count == 2
    assert [row.inbox_uri for row in rows] == inboxes[:2]
    assert [row.host for row in rows] == ["a.example", "b.example"]
    assert all(row.state is DeliveryState.QUEUED and row.attempts == 0 for row in rows)
    assert all(row.next_attempt_at <= datetime.now(UTC) for row in rows)
    # and the activity itself is stored once, with who signs it, for all of them
    payload = await DeliveryPayload.get()
    assert {row.payload_id for row in rows} == {payload.id}
    assert payload.signer_uri == organisation.uri
    assert json.loads(payload.body)["id"] == note(organisation)["id"]


async def test_queuing_the_same_activity_again_adds_nothing(organisation: Actor) -> None:
    await enqueue(note(organisation), organisation, ["https://a.example/inbox"])
    await enqueue(note(organisation), organisation, ["https://a.example/inbox"])
    assert await Delivery.all().count() == 1
    assert await DeliveryPayload.all().count() == 1


async def test_queuing_an_activity_to_more_inboxes_reuses_its_payload(organisation: Actor) -> None:
    # Given an activity queued a while ago to one inbox
    await enqueue(note(organisation), organisation, ["https://a.example/inbox"])
    long_ago = datetime.now(UTC) - timedelta(days=1)
    await DeliveryPayload.all().update(created_at=long_ago)
    # When it is queued again to another (a forward, say)
    await enqueue(note(organisation), organisation, ["https://b.example/inbox"])
    # Then both rows share the one payload, whose date is renewed (pruning goes by it)
    payload = await DeliveryPayload.get()
    assert {row.payload_id for row in await Delivery.all()} == {payload.id}
    assert payload.created_at > long_ago + timedelta(hours=23)


async def test_an_activity_queued_to_nobody_stores_nothing(organisation: Actor) -> None:
    assert await enqueue(note(organisation), organisation, [PUBLIC, "mailto:x@example.org"]) == 0
    assert await DeliveryPayload.all().count() == 0


async def test_a_fan_out_larger_than_one_insert_is_queued_whole(organisation: Actor) -> None:
    # Given more inboxes than one INSERT statement carries, one already queued
    inboxes = [f"https://h{n}.example/inbox" for n in range(2 * ROWS_PER_INSERT + 7)]
    await enqueue(note(organisation), organisation, inboxes[5:6])
    # When the activity is queued to all of them
    count = await enqueue(note(organisation), organisation, inboxes)
    # Then every inbox has exactly one row, readable like any other
    assert count == len(inboxes)
    rows = await Delivery.all()
    assert sorted(row.inbox_uri for row in rows) == sorted(inboxes)
    assert {(row.state, row.attempts, row.last_error) for row in rows} == {
        (DeliveryState.QUEUED, 0, "")
    }
    assert all(row.created_at <= datetime.now(UTC) for row in rows)


async def test_hosts_take_turns_in_the_queue(organisation: Actor) -> None:
    # Given followers clustered by host, as when a whole server's users follow at once
    inboxes = [
        f"https://{host}.example/users/{n}/inbox"
        for host, count in (("a", 3), ("b", 2), ("c", 2))
        for n in range(count)
    ]
    # When the activity is queued
    await enqueue(note(organisation), organisation, inboxes)
    # Then the rows, in the order the worker claims them, take the hosts in turn
    rows = await Delivery.all().order_by("id")
    assert [row.host for row in rows] == [
        "a.example", "b.example", "c.example", "a.example", "b.example", "c.example", "a.example"
    ]  # fmt: skip
    assert sorted(row.inbox_uri for row in rows) == sorted(inboxes)


async def test_bto_and_bcc_are_not_stored(organisation: Actor) -> None:
    activity = note(organisation, bto=["https://a.example/users/x"], bcc="https://b.example/u/y")
    object_ = activity["object"]
    assert isinstance(object_, dict)
    object_["bcc"] = ["https://c.example/u/z"]
    await enqueue(activity, organisation, ["https://a.example/inbox"])
    stored = json.loads((await DeliveryPayload.get()).body)
    assert "bto" not in stored and "bcc" not in stored
    assert "bcc" not in stored["object"]
    assert stored["to"] == [PUBLIC] and stored["object"]["content"] == "hi"
    assert "bto" in activity  # the caller's dict is left alone


async def test_an_activity_without_an_id_is_refused(organisation: Actor) -> None:
    with pytest.raises(ValueError, match="id"):
        await enqueue({"type": "Create"}, organisation, ["https://a.example/inbox"])


async def test_deliveries_roll_back_with_their_transaction(organisation: Actor) -> None:
    wakeup = DeliveryWakeup()
    # When the change fails after its deliveries were queued
    with pytest.raises(Boom):
        async with outbox_transaction(wakeup) as connection:
            await enqueue(
                note(organisation), organisation, ["https://a.example/inbox"], connection=connection
            )
            raise Boom
    # Then nothing was queued and the worker was not woken
    assert await Delivery.all().count() == 0
    assert not await wakeup.wait(0)


async def test_plain_in_transaction_rolls_back_too(organisation: Actor) -> None:
    with pytest.raises(Boom):
        async with in_transaction():
            await enqueue(note(organisation), organisation, ["https://a.example/inbox"])
            raise Boom
    assert await Delivery.all().count() == 0


async def test_committed_deliveries_wake_the_worker(organisation: Actor) -> None:
    wakeup = DeliveryWakeup()
    async with outbox_transaction(wakeup) as connection:
        await enqueue(
            note(organisation), organisation, ["https://a.example/inbox"], connection=connection
        )
        assert not await wakeup.wait(0)  # not before the commit
    assert await wakeup.wait(0)
    assert await Delivery.all().count() == 1


async def test_follower_inboxes_prefer_shared_inboxes_once_each(organisation: Actor) -> None:
    # Given followers on two hosts with a shared inbox, one without, and some who don't count
    for handle in ("a1", "a2", "a3"):
        await follow(await remote_actor(handle, "a.example"), organisation, FollowState.ACCEPTED)
    await follow(await remote_actor("b1", "b.example"), organisation, FollowState.ACCEPTED)
    loner = await remote_actor("c1", "c.example", shared=False)
    await follow(loner, organisation, FollowState.ACCEPTED)
    await follow(await remote_actor("p1", "p.example"), organisation, FollowState.PENDING)
    await follow(await remote_actor("r1", "r.example"), organisation, FollowState.REJECTED)
    gone = await remote_actor("g1", "g.example")
    gone.deleted_at = datetime.now(UTC)
    await gone.save()
    await follow(gone, organisation, FollowState.ACCEPTED)
    member = await create_local_actor(URLS, "alice", ActorType.PERSON, "Alice")
    await follow(member, organisation, FollowState.ACCEPTED)
    # Then each remote host's shared inbox comes once, and the loner's own inbox
    assert sorted(await follower_inboxes(organisation)) == [
        "https://a.example/inbox",
        "https://b.example/inbox",
        "https://c.example/users/c1/inbox",
    ]


async def published_inboxes(activity: dict[str, object], actor: Actor) -> list[str]:
    """Publish `activity` through the outbox; the inboxes deliveries were queued for."""
    await Outbox(URLS, lambda: None).publish(actor, activity)
    return sorted(await Delivery.all().values_list("inbox_uri", flat=True))


async def test_publishing_expands_followers_and_named_addressees(
    organisation: Actor,
) -> None:
    follower = await remote_actor("f", "f.example")
    await follow(follower, organisation, FollowState.ACCEPTED)
    direct = await remote_actor("d", "d.example", shared=False)
    hidden = await remote_actor("h", "h.example")
    member = await create_local_actor(URLS, "bob", ActorType.PERSON, "Bob")
    activity = note(
        organisation,
        to=[PUBLIC, direct.uri],
        cc=[organisation.followers_uri, member.uri, "https://unknown.example/u/x"],
        bcc=[hidden.uri],
    )
    assert await published_inboxes(activity, organisation) == [
        "https://d.example/users/d/inbox",
        "https://f.example/inbox",
        "https://h.example/inbox",
    ]


async def test_followers_are_left_out_unless_addressed(organisation: Actor) -> None:
    await follow(await remote_actor("f", "f.example"), organisation, FollowState.ACCEPTED)
    activity = note(organisation, to=[PUBLIC], cc=[])
    assert await published_inboxes(activity, organisation) == []


async def test_unavailable_hosts_are_skipped_until_they_answer(organisation: Actor) -> None:
    await Host.create(
        domain="down.example",
        consecutive_failures=40,
        first_failure_at=datetime.now(UTC) - timedelta(days=8),
        unavailable=True,
    )
    inboxes = ["https://down.example/inbox", "https://up.example/inbox"]
    assert await enqueue(note(organisation, "1"), organisation, inboxes) == 1
    await mark_host_available("down.example")
    assert await enqueue(note(organisation, "2"), organisation, inboxes) == 2
    host = await Host.get(domain="down.example")
    assert not host.unavailable and host.consecutive_failures == 0 and host.open_until is None
