"""The fake remote server itself: two fakes federating with each other over loopback HTTP."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import pytest

import schemas
from federation.keys import public_key_to_pem
from tests.fakes import PUBLIC, FakeRemote, Quirks, shared_key
from tests.fakes.actors import ACTOR_FIXTURES
from tests.fakes.payloads import load_fixture

Pair = tuple[FakeRemote, FakeRemote]


@pytest.fixture
async def pair() -> AsyncIterator[Pair]:
    """Remote A (alice, mallory) and remote B (bob), both Mastodon."""
    async with FakeRemote("mastodon") as a, FakeRemote("mastodon") as b:
        a.add_actor("alice")
        a.add_actor("mallory")
        b.add_actor("bob")
        yield a, b


async def _follow_bob(pair: Pair, **knobs: Any) -> tuple[int, Any]:
    a, b = pair
    follow = a.follow("alice", b.actor("bob").id)
    status, _ = await a.deliver("alice", b.actor("bob").inbox, follow, **knobs)
    return status, b.received()[-1]


# --- delivery and signatures ---------------------------------------------------


async def test_a_delivery_is_recorded_with_a_valid_signature(pair: Pair) -> None:
    a, b = pair
    # Given alice's Follow of bob, built from Mastodon's recorded Follow
    follow = a.follow("alice", b.actor("bob").id)

    # When A delivers it to bob's inbox
    status, _ = await a.deliver("alice", b.actor("bob").inbox, follow)

    # Then B answered 202 and recorded the exact body, its headers and a valid signature
    assert status == 202
    [received] = b.received("Follow")
    assert received.json == follow
    assert json.loads(received.body) == follow
    assert received.headers["Digest"].startswith("SHA-256=")
    assert received.signature.valid, received.signature
    assert received.signature.owner == a.actor("alice").id
    assert received.signature.signer_is_actor
    # and B found alice's key by a GET that B signed as its own actor
    key_fetch = await a.wait_for(lambda r: r.path == "/users/alice", timeout=2)
    assert key_fetch.signature.valid
    assert key_fetch.signature.owner == b.actor("bob").id


@pytest.mark.parametrize(
    ("knobs", "error", "reason_part"),
    [
        ({"tamper": "unsigned"}, "MissingSignature", "no Signature"),
        ({"tamper": "body_changed"}, "DigestMismatch", "does not match the body"),
        ({"tamper": "digest_unsigned"}, "MissingSignedHeader", "digest"),
        ({"tamper": "wrong_key"}, "BadSignature", "does not verify"),
        ({"date_offset": -2 * 3600}, "DateOutOfWindow", "older than"),
        ({"date_offset": 2 * 3600}, "DateOutOfWindow", "in the future"),
    ],
)
async def test_hostile_deliveries_are_recorded_as_invalid_with_the_reason(
    pair: Pair, knobs: dict[str, Any], error: str, reason_part: str
) -> None:
    status, received = await _follow_bob(pair, **knobs)

    assert status == 202  # the fake records; judging is the test's business
    assert not received.signature.valid
    assert received.signature.error == error
    assert reason_part in received.signature.reason


async def test_a_signature_by_another_actor_verifies_but_is_not_the_actors(pair: Pair) -> None:
    _, received = await _follow_bob(pair, signed_by="mallory")

    assert received.signature.valid
    assert received.signature.owner.endswith("/users/mallory")
    assert received.signature.actor is not None
    assert received.signature.actor.endswith("/users/alice")
    assert not received.signature.signer_is_actor


@pytest.mark.parametrize(
    ("knobs", "header", "expected"),
    [
        ({"algorithm": "hs2019"}, "Signature", 'algorithm="hs2019"'),
        ({"algorithm": None}, "Signature", 'headers="(request-target) host date digest"'),
        ({"digest_case": "sha-256"}, "Digest", "sha-256="),
        ({"extra_signed_headers": ("user-agent",)}, "Signature", "digest user-agent"),
        ({"scheme": "rfc9421"}, "Signature-Input", '"@method" "@target-uri"'),
    ],
)
async def test_quirky_but_honest_signatures_verify(
    pair: Pair, knobs: dict[str, Any], header: str, expected: str
) -> None:
    _, received = await _follow_bob(pair, **knobs)

    assert expected in received.headers[header]
    assert received.signature.valid, received.signature
    if knobs == {"algorithm": None}:
        assert "algorithm=" not in received.headers["Signature"]


# --- inbox behaviour -----------------------------------------------------------


async def test_the_inbox_script_answers_in_order_then_the_default(pair: Pair) -> None:
    a, b = pair
    b.inbox_script = [503, 503, 202]
    follow = a.follow("alice", b.actor("bob").id)

    statuses = [(await a.deliver("alice", b.actor("bob").inbox, follow))[0] for _ in range(4)]

    assert statuses == [503, 503, 202, 202]
    assert [r.status for r in b.received()] == statuses


async def test_a_switched_off_inbox_answers_404_and_a_strict_one_401(pair: Pair) -> None:
    a, b = pair
    follow = a.follow("alice", b.actor("bob").id)
    inbox = b.actor("bob").inbox

    b.inbox_enabled = False
    assert (await a.deliver("alice", inbox, follow))[0] == 404
    b.inbox_enabled, b.reject_invalid_signatures = True, True
    assert (await a.deliver("alice", inbox, follow, tamper="unsigned"))[0] == 401
    assert (await a.deliver("alice", inbox, follow))[0] == 202


async def test_the_shared_inbox_records_too(pair: Pair) -> None:
    a, b = pair
    shared = b.actor("bob").shared_inbox
    assert shared == f"{b.base_url}/inbox"

    await a.deliver("alice", shared, a.like("alice", f"{b.base_url}/users/bob/statuses/1"))

    assert [r.inbox for r in b.received("Like")] == [shared]


async def test_wait_for_finds_a_request_or_says_what_arrived(pair: Pair) -> None:
    _, b = pair
    await _follow_bob(pair)

    found = await b.wait_for(lambda r: r.json["type"] == "Follow", timeout=1)
    assert found.inbox == b.actor("bob").inbox

    with pytest.raises(AssertionError) as failure:
        await b.wait_for(lambda r: r.json.get("type") == "Accept", timeout=0.1)
    message = str(failure.value)
    assert f"no request to {b.base_url} matched within 0.1 s" in message
    assert "received:" in message
    assert "POST /users/bob/inbox -> 202 Follow" in message
    assert "signature valid" in message


# --- serving -------------------------------------------------------------------

# A field only that software's recording has, to show the shape is the real one.
DISTINCTIVE = {
    "mastodon": ("featured", "devices"),
    "lemmy_person": ("matrixUserId", "source"),
    "lemmy_group": ("moderators", "postingRestrictedToMods"),
    "gotosocial": ("attachment",),
    "pleroma": ("capabilities",),
    "misskey": ("featured",),
}


@pytest.mark.parametrize("shape", sorted(ACTOR_FIXTURES))
async def test_actor_documents_keep_the_recorded_shape_and_carry_our_key(
    pair: Pair, shape: Any
) -> None:
    a, b = pair
    recorded = load_fixture(ACTOR_FIXTURES[shape])
    actor = a.add_actor("carol", shape=shape)

    status, headers, document = await b.fetch("bob", actor.id)

    assert status == 200
    assert headers["Content-Type"].startswith("application/activity+json")
    schemas.validate("remote_actor", document)
    assert document["id"] == actor.id and document["id"].startswith(a.base_url + "/")
    assert document["inbox"].startswith(a.base_url + "/")
    assert document["preferredUsername"] == "carol"
    assert document["publicKey"]["owner"] == actor.id
    assert document["publicKey"]["publicKeyPem"] == public_key_to_pem(shared_key())
    served = {k: v for k, v in document.items() if k != "@context"}  # contexts are names
    assert urlsplit(recorded["id"]).netloc not in json.dumps(served)
    for field in DISTINCTIVE[shape]:
        if field == "moderators":
            assert document["attributedTo"] == f"{actor.id}/moderators"
        else:
            assert document[field] == _rehomed(recorded[field], recorded["id"], actor.id)
    assert document.get("@context") == _context_of(shape, recorded)


def _rehomed(value: Any, old_actor: str, new_actor: str) -> Any:
    text = json.dumps(value).replace(old_actor, new_actor)
    old_origin = "{0.scheme}://{0.netloc}".format(urlsplit(old_actor))
    return json.loads(
        text.replace(old_origin, "{0.scheme}://{0.netloc}".format(urlsplit(new_actor)))
    )


def _context_of(shape: str, recorded: dict[str, Any]) -> Any:
    if shape == "misskey":
        return load_fixture("misskey/like_with_misskey_reaction.json")["@context"]
    return recorded.get("@context")


@pytest.mark.parametrize(("wanted", "expected"), [(True, "/inbox"), (False, None)])
async def test_the_shared_inbox_can_be_forced_on_or_off(
    pair: Pair, wanted: bool, expected: str | None
) -> None:
    a, _ = pair
    actor = a.add_actor("dave", shape="gotosocial", shared_inbox=wanted)
    if expected is None:
        assert actor.shared_inbox is None and "endpoints" not in actor.document
    else:
        assert actor.shared_inbox == a.base_url + expected


async def test_webfinger_host_meta_and_nodeinfo(pair: Pair) -> None:
    a, b = pair
    alice = a.actor("alice")

    status, headers, jrd = await b.fetch(
        None, f"{a.base_url}/.well-known/webfinger?resource=acct:alice@{a.host}"
    )
    assert status == 200 and headers["Content-Type"].startswith("application/jrd+json")
    schemas.validate("webfinger", jrd)
    assert jrd["subject"] == f"acct:alice@{a.host}"
    assert {"rel": "self", "type": "application/activity+json", "href": alice.id} in jrd["links"]
    assert (await b.fetch(None, f"{a.base_url}/.well-known/webfinger?resource={alice.id}"))[
        0
    ] == 200
    assert (await b.fetch(None, f"{a.base_url}/.well-known/webfinger?resource=acct:x@y"))[0] == 404
    assert (await b.fetch(None, f"{a.base_url}/.well-known/webfinger"))[0] == 400

    assert (await b.fetch(None, f"{a.base_url}/.well-known/host-meta"))[0] == 404
    a.host_meta = True
    assert (await b.fetch(None, f"{a.base_url}/.well-known/host-meta"))[0] == 200

    _, _, links = await b.fetch(None, f"{a.base_url}/.well-known/nodeinfo")
    _, _, info = await b.fetch(None, links["links"][0]["href"])
    assert info["software"]["name"] == "mastodon" and info["protocols"] == ["activitypub"]


async def test_signed_fetch_mode_refuses_unsigned_gets_and_serves_signed_ones() -> None:
    async with FakeRemote("gotosocial", require_signed_fetch=True) as a, FakeRemote() as b:
        alice, _ = a.add_actor("alice"), b.add_actor("bob")

        assert (await b.fetch(None, alice.id))[0] == 401
        status, _, document = await b.fetch("bob", alice.id)

        assert status == 200 and document["id"] == alice.id
        unsigned, signed = (r for r in a.requests if r.path == "/users/alice")
        assert (unsigned.status, unsigned.signature.error) == (401, "MissingSignature")
        assert (signed.status, signed.signature.valid) == (200, True)
        assert signed.signature.owner == b.actor("bob").id
        # discovery stays open, as on GoToSocial
        webfinger = f"{a.base_url}/.well-known/webfinger?resource=acct:alice@{a.host}"
        assert (await b.fetch(None, webfinger))[0] == 200


async def test_published_objects_are_served_then_gone(pair: Pair) -> None:
    a, b = pair
    create = a.create_note("alice", "<p>hello</p>")
    note_id = create["object"]["id"]

    status, _, note = await b.fetch("bob", note_id)
    assert status == 200 and note["content"] == "<p>hello</p>"
    html = await b.fetch(None, note_id, accept="text/html")
    assert html[1]["Content-Type"].startswith("text/html")

    a.update_note("alice", note, "<p>edited</p>")
    assert (await b.fetch("bob", note_id))[2]["content"] == "<p>edited</p>"

    _, _, followers = await b.fetch("bob", a.actor("alice").document["followers"])
    assert (followers["type"], followers["totalItems"]) == ("OrderedCollection", 0)

    a.delete("alice", note_id)
    status, _, tombstone = await b.fetch("bob", note_id)
    assert status == 410 and tombstone["type"] == "Tombstone"
    assert (await b.fetch("bob", f"{a.base_url}/users/alice/statuses/0"))[0] == 404


# --- activity shapes -------------------------------------------------------------


async def test_mastodon_activities_keep_the_recorded_shape(pair: Pair) -> None:
    a, b = pair
    alice, bob = a.actor("alice"), b.actor("bob")
    create = a.create_note("alice", "<p>hi</p>", mentions=[(bob.id, bob.handle)])
    note = create["object"]
    follow = a.follow("alice", bob.id)
    built = {
        "create": create,
        "follow": follow,
        "like": a.like("alice", note["id"]),
        "undo": a.undo("alice", follow),
        "delete": a.delete("alice", note["id"]),
        "accept": a.accept("alice", b.follow("bob", alice.id)),
        "announce": a.announce("alice", note["id"], object_author=alice.id),
        "update": a.update_note("alice", note, "<p>hi again</p>"),
    }
    for kind, activity in built.items():
        schemas.validate(kind, activity)
        assert activity["actor"] == alice.id
        assert "signature" not in activity  # a recording's stale LD signature is dropped

    # addressing as Mastodon does it
    assert create["to"] == [PUBLIC] and note["to"] == [PUBLIC]
    assert create["cc"] == [alice.followers, bob.id]
    assert note["tag"] == [{"type": "Mention", "href": bob.id, "name": bob.handle}]
    assert create["id"] == f"{note['id']}/activity"
    assert note["atomUri"] == note["id"]  # a recorded Mastodon field kept
    # Delete carries a Tombstone and an id derived from the object's
    assert built["delete"]["object"] == {
        "type": "Tombstone",
        "id": note["id"],
        "atomUri": note["id"],
    }
    assert built["delete"]["id"] == f"{note['id']}#delete"
    # Undo and Accept embed what they refer to
    assert built["undo"]["object"]["id"] == follow["id"]
    assert built["accept"]["object"]["type"] == "Follow"
    # ids are fresh for every activity
    assert a.follow("alice", bob.id)["id"] != follow["id"]


async def test_quirks_compact_public_single_to_and_single_tag(pair: Pair) -> None:
    a, b = pair
    bob = b.actor("bob")
    quirks = Quirks(public_form="as:Public", to_as_string=True, tag_as_object=True)

    create = a.create_note("alice", "hi", mentions=[(bob.id, bob.handle)], quirks=quirks)

    assert create["to"] == "as:Public" and create["object"]["to"] == "as:Public"
    assert create["object"]["tag"] == {"type": "Mention", "href": bob.id, "name": bob.handle}
    schemas.validate("create", create)


async def test_other_software_use_their_own_recordings() -> None:
    async with FakeRemote("lemmy") as lemmy, FakeRemote("misskey") as misskey:
        lemmy.add_actor("alice")
        misskey.add_actor("bob")

        follow = lemmy.follow("alice", "http://127.0.0.1:9/users/x")
        like = misskey.like("bob", "http://127.0.0.1:9/notes/1")
        vote = misskey.vote(
            "bob", "http://127.0.0.1:9/q/1", "yes", question_author="http://127.0.0.1:9/u"
        )

        assert follow["to"] == ["http://127.0.0.1:9/users/x"]  # Lemmy addresses its Follows
        assert follow["id"].startswith(f"{lemmy.base_url}/activities/follow/")
        assert like["_misskey_reaction"] == "pudding" and like["id"].startswith(misskey.base_url)
        assert vote["object"]["name"] == "yes" and vote["to"] == "http://127.0.0.1:9/u"


async def test_a_fake_listens_on_any_loopback_address_and_only_there() -> None:
    async with FakeRemote(host="127.0.0.2") as remote:
        assert remote.base_url.startswith("http://127.0.0.2:")
        remote.add_actor("alice")
        assert (await remote.fetch(None, remote.actor("alice").id))[0] == 200
    with pytest.raises(ValueError, match="loopback"):
        FakeRemote(host="192.0.2.1")
