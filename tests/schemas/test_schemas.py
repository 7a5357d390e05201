"""Tests for schemas/: the schema files, recorded payloads from real servers, hand-written cases."""

from __future__ import annotations

import copy
import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft202012Validator

import schemas
from schemas import SchemaError

SCHEMA_DIR = Path(schemas.__file__).resolve().parent
# what the open data files are (node/services/open_data/tables.py), one per JSON file
OPEN_DATA_KINDS = {
    f"open_data_{name}"
    for name in ("proposals", "versions", "comments", "endorsements", "question_results",
                 "amendments", "statements", "votes")
}  # fmt: skip
SCHEMA_FILES = sorted(path.name for path in SCHEMA_DIR.glob("*.json"))
REMOTE = Path(__file__).resolve().parents[1] / "fixtures" / "remote"

AS_PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
HANDLED_TYPES = (
    "Follow",
    "Accept",
    "Reject",
    "Undo",
    "Create",
    "Update",
    "Delete",
    "Like",
    "EmojiReact",
    "Announce",
    "Flag",
)
HANDLED_KINDS = tuple(name.lower() for name in HANDLED_TYPES)
OBJECT_KINDS = {
    "Note": "note",
    "Article": "article",
    "Question": "question",
    "Tombstone": "tombstone",
}
ACTOR_TYPES = ("Person", "Group", "Organization", "Service", "Application")


def load(name: str) -> Any:
    """Parse one recorded fixture, named relative to tests/fixtures/remote."""
    return json.loads((REMOTE / name).read_text(encoding="utf-8"))


def fixture_names() -> list[str]:
    """List every recorded fixture as software/name.json."""
    return sorted(path.relative_to(REMOTE).as_posix() for path in REMOTE.glob("*/*.json"))


def names_of_type(*types: str) -> list[str]:
    """List the fixtures whose top-level type is one of types."""
    return [name for name in fixture_names() if load(name).get("type") in types]


def render(name: str, values: dict[str, str]) -> Any:
    """Fill a Pleroma template fixture's {{placeholders}} and parse it."""
    text = (REMOTE / name).read_text(encoding="utf-8")
    for placeholder, value in values.items():
        text = text.replace("{{" + placeholder + "}}", value)
    assert "{{" not in text
    return json.loads(text)


def rejection(kind: str, document: object) -> str:
    """Validate a document that must be refused and return the error message."""
    with pytest.raises(SchemaError) as caught:
        schemas.validate(kind, document)
    assert not schemas.is_valid(kind, document)
    return str(caught.value)


def accepted(kind: str, document: object) -> None:
    """Validate a document that must be accepted."""
    schemas.validate(kind, document)
    assert schemas.is_valid(kind, document)


# ---------------------------------------------------------------------------------------------
# Fixtures that fail the inbox schemas on purpose. Each maps to a fragment the error must name.
# ---------------------------------------------------------------------------------------------

EXPECTED_ACTIVITY_FAILURES = {
    # GoToSocial's federation docs print a Delete as its converter builds it (StatusToASDelete
    # sets no id); go-fed's Send() then assigns one (AddNewIDs), so real GoToSocial Deletes have
    # an id. A non-transient activity without an id cannot be deduplicated (ActivityPub §3.1).
    "gotosocial/docs_delete__outgoing.json": "'id' is a required property",
    "gotosocial/docs_delete__outgoing_2.json": "'id' is a required property",
    # A Pleroma relay test template: "{{ap_id}}" and "{{activity_id}}" are placeholders, not
    # IRIs. Filled in, it passes (test_relay_accept_template_passes_once_filled_in).
    "pleroma/relay_accept_follow.json": "$.to[0]: '{{ap_id}}' is not a valid absolute http(s) IRI",
}

EXPECTED_OBJECT_FAILURES = {
    # A documentation excerpt showing which fields a poll vote has; the votes GoToSocial really
    # sends carry ids (gotosocial/docs_create__outgoing.json, which passes).
    "gotosocial/docs_note__poll_votes.json": "'id' is a required property",
}

_MASTODON_DOCS_FRAGMENT = "'inbox' is a required property"
EXPECTED_ACTOR_FAILURES = {
    # Mastodon documentation excerpts that show one actor property each (memorial, featured,
    # publicKey …) and leave out the rest, inbox included: partial actors, not fetch results.
    "mastodon/docs_person__discoverability_flag_discoverable.json": _MASTODON_DOCS_FRAGMENT,
    "mastodon/docs_person__featured_collection_featured.json": _MASTODON_DOCS_FRAGMENT,
    "mastodon/docs_person__featured_tags_featuredtags.json": _MASTODON_DOCS_FRAGMENT,
    "mastodon/docs_person__identity_proofs_deprecated_identityproof.json": _MASTODON_DOCS_FRAGMENT,
    "mastodon/docs_person__indexable_flag_indexable.json": _MASTODON_DOCS_FRAGMENT,
    "mastodon/docs_person__memorial_flag_memorial.json": _MASTODON_DOCS_FRAGMENT,
    "mastodon/docs_person__profile_metadata_propertyvalue.json": _MASTODON_DOCS_FRAGMENT,
    "mastodon/docs_person__public_key_publickey.json": _MASTODON_DOCS_FRAGMENT,
    "mastodon/docs_person__suspended_flag_suspended.json": _MASTODON_DOCS_FRAGMENT,
    # A Pleroma test template: "https://{{DOMAIN}}/actor" is not an IRI. Filled in, it passes
    # (test_mastodon_instance_actor_template_passes_once_filled_in).
    "mastodon/instance_application_actor.json": "{{DOMAIN}}/actor#main-key' is not a valid",
}

EXPECTED_COLLECTION_FAILURES = {
    # Our collection schemas are strict (what we send); these real ones lack what we always add.
    "gotosocial/docs_orderedcollection__outbox.json": "'totalItems' is a required property",
    "gotosocial/docs_orderedcollectionpage__outbox.json": "'@context' is a required property",
    # Lemmy's stored assets have their @context stripped.
    "lemmy/collections__group_moderators.json": "'@context' is a required property",
    "lemmy/collections__group_outbox.json": "'@context' is a required property",
}

# Pleroma's negative test: an Announce by mastodon.example.org that embeds a Note whose id is on
# mastodon.social. Its shape is valid, so the schemas accept it; what is wrong is its origin, and
# the inbox must refuse to trust the embedded Note until it is fetched from mastodon.social
# (CONFORMANCE A9, D17). The test below pins that this is not a schema decision.
BOGUS_ANNOUNCE = "mastodon/announce_bogus_NEGATIVE.json"


# ---------------------------------------------------------------------------------------------
# The schema files
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("filename", SCHEMA_FILES)
def test_schema_file_is_a_valid_2020_12_schema(filename: str) -> None:
    document = json.loads((SCHEMA_DIR / filename).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["$id"] == schemas.BASE_URI + filename
    assert document["title"].strip()
    assert document["description"].strip()


def _refs(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


@pytest.mark.parametrize("filename", SCHEMA_FILES)
def test_every_ref_resolves_within_the_package(filename: str) -> None:
    document = json.loads((SCHEMA_DIR / filename).read_text(encoding="utf-8"))
    resolver = schemas._registry().resolver(base_uri=document["$id"])
    refs = list(_refs(document))
    for ref in refs:
        resolved = resolver.lookup(ref)
        assert isinstance(resolved.contents, dict), ref


def test_kinds_are_the_schema_files_less_the_shared_definitions() -> None:
    assert schemas.kinds() == {
        "actor",
        "webfinger",
        "nodeinfo",
        "nodeinfo_links",
        "ordered_collection",
        "ordered_collection_page",
        "activity",
        *HANDLED_KINDS,
        "note",
        "article",
        "question",
        "tombstone",
        "remote_actor",
        "poll",
        "statement",
        *OPEN_DATA_KINDS,
    }
    assert {name.removesuffix(".json") for name in SCHEMA_FILES} == schemas.kinds() | {"common"}


def test_townhall_namespace_is_defined_in_common() -> None:
    common = json.loads((SCHEMA_DIR / "common.json").read_text(encoding="utf-8"))
    assert common["$defs"]["townhallNamespace"]["const"] == "https://w3id.org/townhall/ns#"
    assert common["$defs"]["townhallPrefix"]["const"] == "townhall"
    context = {"townhall": "https://w3id.org/townhall/ns#"}
    reference = {"$ref": common["$id"] + "#/$defs/townhallContext"}
    validator = Draft202012Validator(reference, registry=schemas._registry())
    assert validator.is_valid(context)
    assert not validator.is_valid({"townhall": "https://townhall.example/ns#"})


# ---------------------------------------------------------------------------------------------
# The loader
# ---------------------------------------------------------------------------------------------


def test_unknown_kind_is_a_key_error_not_a_schema_error() -> None:
    with pytest.raises(KeyError, match="unknown schema kind 'Follow'"):
        schemas.validate("Follow", {})
    with pytest.raises(KeyError, match="unknown schema kind 'common'"):
        schemas.is_valid("common", {})


def test_schema_error_is_a_value_error_with_kind_path_and_reason() -> None:
    with pytest.raises(ValueError) as caught:
        schemas.validate("follow", {**FOLLOW, "id": "javascript:alert(1)"})
    error = caught.value
    assert isinstance(error, SchemaError)
    assert (error.kind, error.path) == ("follow", "$.id")
    assert error.reason == "'javascript:alert(1)' is not a valid absolute http(s) IRI"
    assert str(error) == "follow: $.id: 'javascript:alert(1)' is not a valid absolute http(s) IRI"


def test_error_at_the_root_reads_kind_then_reason() -> None:
    without_inbox = {key: value for key, value in ORG_ACTOR.items() if key != "inbox"}
    assert rejection("actor", without_inbox) == "actor: 'inbox' is a required property"


def test_error_message_does_not_echo_a_large_document() -> None:
    note = {"id": "https://a.example/notes/1", "type": "Note", "content": ["x" * 100_000]}
    message = rejection("note", note)
    assert message.startswith("note: $.content: ")
    assert len(message) < 400


def test_validators_are_compiled_once() -> None:
    assert schemas._validator("follow") is schemas._validator("follow")


def test_import_does_no_io() -> None:
    code = "import schemas; assert schemas._documents.cache_info().currsize == 0"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=SCHEMA_DIR.parent)


def test_validation_never_opens_a_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("schemas tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    for cached in (schemas._documents, schemas._registry, schemas._validator):
        cached.cache_clear()
    for kind in sorted(schemas.kinds()):
        schemas.is_valid(kind, {"type": "Create", "object": {"type": "Note"}})
    accepted("create", load("mastodon/create_note.json"))


# ---------------------------------------------------------------------------------------------
# Recorded payloads from real servers
# ---------------------------------------------------------------------------------------------


def test_fixture_set_is_complete() -> None:
    names = fixture_names()
    assert len(names) == 146
    assert {name.split("/")[0] for name in names} == {
        "discourse",
        "friendica",
        "funkwhale",
        "gotosocial",
        "lemmy",
        "mastodon",
        "mbin",
        "misskey",
        "mitra",
        "mobilizon",
        "nodebb",
        "peertube",
        "pleroma",
        "plume",
        "smithereen",
        "wordpress",
    }
    assert all(isinstance(load(name), dict) for name in names)
    assert (REMOTE / "FIXTURES.md").is_file()
    assert isinstance(json.loads((REMOTE.parent / "jsonld-contexts.json").read_text()), dict)


def test_expected_failure_lists_name_real_fixtures() -> None:
    listed = [
        *EXPECTED_ACTIVITY_FAILURES,
        *EXPECTED_OBJECT_FAILURES,
        *EXPECTED_ACTOR_FAILURES,
        *EXPECTED_COLLECTION_FAILURES,
        BOGUS_ANNOUNCE,
    ]
    assert sorted(set(listed)) == sorted(listed)
    assert set(listed) <= set(fixture_names())


HANDLED_FIXTURES = names_of_type(*HANDLED_TYPES)
ACTIVITY_CASES = [
    pytest.param(name, kind, id=f"{name}-{kind}")
    for name in HANDLED_FIXTURES
    for kind in ("activity", load(name)["type"].lower())
]


def test_every_handled_activity_type_has_fixtures() -> None:
    assert {load(name)["type"] for name in HANDLED_FIXTURES} == set(HANDLED_TYPES)
    assert len(HANDLED_FIXTURES) == 77  # pleroma/emoji_react.json among them
    assert len(ACTIVITY_CASES) == 2 * 77


@pytest.mark.parametrize(("name", "kind"), ACTIVITY_CASES)
def test_recorded_activity_matches_activity_and_its_own_schema(name: str, kind: str) -> None:
    document = load(name)
    if name in EXPECTED_ACTIVITY_FAILURES:
        assert EXPECTED_ACTIVITY_FAILURES[name] in rejection(kind, document)
    else:
        accepted(kind, document)


def test_relay_accept_template_passes_once_filled_in() -> None:
    document = render(
        "pleroma/relay_accept_follow.json",
        {
            "ap_id": "https://pleroma.example/relay",
            "activity_id": "https://pleroma.example/activities/1",
        },
    )
    accepted("activity", document)
    accepted("accept", document)


def test_bogus_announce_is_valid_in_shape_and_left_to_the_origin_check() -> None:
    document = load(BOGUS_ANNOUNCE)
    accepted("activity", document)
    accepted("announce", document)
    assert urlsplit(document["actor"]).hostname != urlsplit(document["object"]["id"]).hostname


def _embedded_objects() -> list[Any]:
    cases = []
    for name in names_of_type("Create", "Update", "Delete", "Announce"):
        embedded = load(name)["object"]
        for index, item in enumerate(embedded if isinstance(embedded, list) else [embedded]):
            if isinstance(item, dict) and item.get("type") in OBJECT_KINDS:
                cases.append(pytest.param(name, index, id=f"{name}-object{index}"))
    return cases


OBJECT_CASES = [pytest.param(name, id=name) for name in names_of_type(*OBJECT_KINDS)]
EMBEDDED_OBJECT_CASES = _embedded_objects()


@pytest.mark.parametrize("name", OBJECT_CASES)
def test_recorded_object_matches_its_schema(name: str) -> None:
    document = load(name)
    kind = OBJECT_KINDS[document["type"]]
    if name in EXPECTED_OBJECT_FAILURES:
        assert EXPECTED_OBJECT_FAILURES[name] in rejection(kind, document)
    else:
        accepted(kind, document)


@pytest.mark.parametrize(("name", "index"), EMBEDDED_OBJECT_CASES)
def test_object_embedded_in_a_recorded_activity_matches_its_schema(name: str, index: int) -> None:
    embedded = load(name)["object"]
    item = embedded[index] if isinstance(embedded, list) else embedded
    accepted(OBJECT_KINDS[item["type"]], item)


def test_objects_are_covered_by_fixtures() -> None:
    kinds = {load(name)["type"] for name in names_of_type(*OBJECT_KINDS)}
    assert kinds == set(OBJECT_KINDS)
    assert len(EMBEDDED_OBJECT_CASES) >= 20


ACTOR_CASES = [pytest.param(name, id=name) for name in names_of_type(*ACTOR_TYPES)]


@pytest.mark.parametrize("name", ACTOR_CASES)
def test_recorded_actor_matches_remote_actor(name: str) -> None:
    document = load(name)
    if name in EXPECTED_ACTOR_FAILURES:
        assert EXPECTED_ACTOR_FAILURES[name] in rejection("remote_actor", document)
    else:
        accepted("remote_actor", document)


@pytest.mark.parametrize(
    "name",
    [
        "lemmy/objects__group.json",
        "lemmy/objects__instance.json",
        "mastodon/person_lemmy-assets.json",
        "peertube/account_person.json",
        "peertube/channel_group_lemmy-assets.json",
        "wordpress/person.json",
        "pleroma/relay_actor.json",
    ],
)
def test_named_remote_actors_pass(name: str) -> None:
    accepted("remote_actor", load(name))


def test_mastodon_instance_actor_template_passes_once_filled_in() -> None:
    document = render("mastodon/instance_application_actor.json", {"DOMAIN": "mastodon.example"})
    assert document["type"] == "Application"
    accepted("remote_actor", document)


@pytest.mark.parametrize(
    "name", ["mastodon/update_person.json", "lemmy/community__update_community.json"]
)
def test_actor_embedded_in_a_recorded_update_matches_remote_actor(name: str) -> None:
    accepted("remote_actor", load(name)["object"])


COLLECTION_KINDS = {
    "OrderedCollection": "ordered_collection",
    "OrderedCollectionPage": "ordered_collection_page",
}


@pytest.mark.parametrize("name", names_of_type(*COLLECTION_KINDS))
def test_recorded_collections_fit_our_strict_collection_schemas(name: str) -> None:
    document = load(name)
    kind = COLLECTION_KINDS[document["type"]]
    if name in EXPECTED_COLLECTION_FAILURES:
        assert EXPECTED_COLLECTION_FAILURES[name] in rejection(kind, document)
    else:
        accepted(kind, document)


# ---------------------------------------------------------------------------------------------
# Hand-written inbox cases
# ---------------------------------------------------------------------------------------------

ALICE = "https://a.example/users/alice"
BOB = "https://b.example/users/bob"
NOTE: dict[str, Any] = {
    "id": "https://a.example/notes/1",
    "type": "Note",
    "attributedTo": ALICE,
    "content": "<p>Hello</p>",
    "to": [AS_PUBLIC],
    "cc": [f"{ALICE}/followers"],
}
FOLLOW: dict[str, Any] = {
    "@context": "https://www.w3.org/ns/activitystreams",
    "id": "https://a.example/follows/1",
    "type": "Follow",
    "actor": ALICE,
    "object": BOB,
}
MINIMAL: dict[str, dict[str, Any]] = {
    "follow": FOLLOW,
    "accept": {
        **FOLLOW,
        "id": "https://b.example/accepts/1",
        "type": "Accept",
        "actor": BOB,
        "object": FOLLOW,
    },
    "reject": {
        **FOLLOW,
        "id": "https://b.example/rejects/1",
        "type": "Reject",
        "actor": BOB,
        "object": FOLLOW["id"],
    },
    "undo": {**FOLLOW, "id": "https://a.example/undos/1", "type": "Undo", "object": FOLLOW},
    "create": {
        **FOLLOW,
        "id": "https://a.example/notes/1/activity",
        "type": "Create",
        "object": NOTE,
    },
    "update": {
        **FOLLOW,
        "id": "https://a.example/notes/1#update",
        "type": "Update",
        "object": NOTE,
    },
    "delete": {
        **FOLLOW,
        "id": "https://a.example/notes/1#delete",
        "type": "Delete",
        "object": NOTE["id"],
    },
    "flag": {
        **FOLLOW,
        "id": "https://a.example/reports/1",
        "type": "Flag",
        "object": ["https://b.example/users/x", "https://b.example/notes/9"],
        "content": "spam",
    },
    "like": {
        **FOLLOW,
        "id": "https://a.example/likes/1",
        "type": "Like",
        "object": "https://b.example/notes/9",
    },
    "emojireact": {
        **FOLLOW,
        "id": "https://a.example/reactions/1",
        "type": "EmojiReact",
        "object": NOTE["id"],
        "content": "👍",
    },
    "announce": {
        **FOLLOW,
        "id": "https://a.example/boosts/1",
        "type": "Announce",
        "object": NOTE["id"],
    },
}
INBOX_KINDS = [(kind, kind) for kind in HANDLED_KINDS] + [
    ("activity", kind) for kind in HANDLED_KINDS
]


def without(document: dict[str, Any], key: str) -> dict[str, Any]:
    """Copy document without one top-level key."""
    return {name: value for name, value in document.items() if name != key}


@pytest.mark.parametrize("kind", HANDLED_KINDS)
def test_minimal_activities_are_accepted(kind: str) -> None:
    accepted(kind, MINIMAL[kind])
    accepted("activity", MINIMAL[kind])


@pytest.mark.parametrize(("kind", "example"), INBOX_KINDS)
def test_missing_actor_is_refused(kind: str, example: str) -> None:
    assert (
        rejection(kind, without(MINIMAL[example], "actor"))
        == f"{kind}: 'actor' is a required property"
    )


@pytest.mark.parametrize(("kind", "example"), INBOX_KINDS)
def test_missing_object_is_refused(kind: str, example: str) -> None:
    assert (
        rejection(kind, without(MINIMAL[example], "object"))
        == f"{kind}: 'object' is a required property"
    )


@pytest.mark.parametrize(("kind", "example"), INBOX_KINDS)
def test_missing_id_on_a_non_transient_activity_is_refused(kind: str, example: str) -> None:
    assert (
        rejection(kind, without(MINIMAL[example], "id")) == f"{kind}: 'id' is a required property"
    )


@pytest.mark.parametrize(("kind", "example"), INBOX_KINDS)
def test_missing_type_is_refused(kind: str, example: str) -> None:
    assert (
        rejection(kind, without(MINIMAL[example], "type"))
        == f"{kind}: 'type' is a required property"
    )


@pytest.mark.parametrize("activity_type", ["Add", "Remove", "Block"])
def test_other_activities_that_need_an_object_are_refused_without_one(activity_type: str) -> None:
    document = {"id": "https://a.example/x/1", "type": activity_type, "actor": ALICE, "target": BOB}
    assert rejection("activity", document) == "activity: 'object' is a required property"


def test_an_emoji_reaction_without_its_emoji_is_refused() -> None:
    assert (
        rejection("emojireact", without(MINIMAL["emojireact"], "content"))
        == "emojireact: 'content' is a required property"
    )


def test_a_transient_activity_may_omit_its_id() -> None:
    accepted("activity", {"type": "Listen", "actor": ALICE, "object": NOTE["id"]})
    accepted(
        "activity", {"type": "Arrive", "actor": ALICE, "location": "https://a.example/places/1"}
    )


BAD_IDS = [
    "javascript:alert(1)",
    "acct:alice@a.example",
    "/follows/1",
    "a.example/follows/1",
    "//a.example/follows/1",
    "ftp://a.example/follows/1",
    "file:///etc/passwd",
    "data:text/plain,hi",
    "urn:uuid:5d7e9b3e-0b8c-4f7a-9d51-5a6f3f0a2c11",
    "tag:a.example,2024:follow-1",
    "https://alice@a.example/follows/1",
    "https://a.example/follows/ 1",
    "https://a.example/follows/1\n",
    "https://",
    "",
]


@pytest.mark.parametrize("bad_id", BAD_IDS)
@pytest.mark.parametrize("kind", ["activity", "follow"])
def test_ids_that_are_not_absolute_http_urls_are_refused(kind: str, bad_id: str) -> None:
    assert rejection(kind, {**FOLLOW, "id": bad_id}).startswith(f"{kind}: $.id: ")


@pytest.mark.parametrize(
    "good_id",
    [
        "http://localhost:8000/follows/1",
        "https://a.example/follows/1#activity",
        "HTTPS://A.EXAMPLE/follows/1?page=true&x=%20",
        "https://[2001:db8::1]:8443/follows/1",
        "https://xn--bcher-kva.example/follows/1",
        "https://bücher.example/follows/1",
        "https://a.example",
    ],
)
def test_absolute_http_ids_are_accepted(good_id: str) -> None:
    accepted("follow", {**FOLLOW, "id": good_id})


@pytest.mark.parametrize(
    "bad_actor", ["acct:alice@a.example", "alice", {"type": "Person"}, 7, None]
)
def test_actor_must_be_an_iri_or_an_object_with_an_id(bad_actor: object) -> None:
    assert rejection("follow", {**FOLLOW, "actor": bad_actor}).startswith("follow: $.actor: ")


def test_actor_may_be_an_embedded_object_with_an_id() -> None:
    accepted(
        "follow", {**FOLLOW, "actor": {"id": ALICE, "type": "Person", "inbox": f"{ALICE}/inbox"}}
    )


@pytest.mark.parametrize("bad_type", [5, None, True, {"name": "Follow"}, [], [5], ""])
def test_type_must_be_a_string_or_strings(bad_type: object) -> None:
    assert rejection("activity", {**FOLLOW, "type": bad_type}).startswith("activity: $.type")


def test_type_may_be_an_array_of_strings() -> None:
    accepted("follow", {**FOLLOW, "type": ["Follow", "https://example.org/ns#Subscribe"]})
    assert rejection("follow", {**FOLLOW, "type": ["Like"]}).startswith("follow: $.type: ")


@pytest.mark.parametrize("name", HANDLED_TYPES)
def test_each_specific_schema_refuses_another_type(name: str) -> None:
    kind = name.lower()
    assert rejection(kind, {**MINIMAL[kind], "type": "Move"}) == (
        f"{kind}: $.type: 'Move' is not a valid type naming {name}"
    )


@pytest.mark.parametrize("public", [AS_PUBLIC, "as:Public", "Public"])
@pytest.mark.parametrize("field", ["to", "cc", "bto", "bcc", "audience"])
def test_every_spelling_of_public_is_accepted_alone_or_in_an_array(field: str, public: str) -> None:
    accepted("create", {**MINIMAL["create"], field: public})
    accepted("create", {**MINIMAL["create"], field: [public, f"{ALICE}/followers"]})
    accepted("note", {**NOTE, field: public})


@pytest.mark.parametrize("field", ["to", "cc", "bto", "bcc", "audience"])
def test_addressing_may_be_a_single_string_or_an_empty_array(field: str) -> None:
    accepted("like", {**MINIMAL["like"], field: BOB})
    accepted("like", {**MINIMAL["like"], field: []})


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ("acct:bob@b.example", "$.to"),
        (["acct:bob@b.example"], "$.to[0]"),
        ([BOB, "javascript:alert(1)"], "$.to[1]"),
        (5, "$.to"),
        ("as:public", "$.to"),
    ],
)
def test_bad_addressing_is_refused(value: object, path: str) -> None:
    assert rejection("create", {**MINIMAL["create"], "to": value}).startswith(f"create: {path}: ")


def test_tag_may_be_a_single_object_or_an_array() -> None:
    mention = {"type": "Mention", "href": BOB, "name": "@bob@b.example"}
    hashtag = {"type": "Hashtag", "href": "https://a.example/tags/policy", "name": "#policy"}
    accepted("note", {**NOTE, "tag": mention})
    accepted("note", {**NOTE, "tag": [mention, hashtag]})
    accepted("create", {**MINIMAL["create"], "object": {**NOTE, "tag": hashtag}})
    assert rejection("note", {**NOTE, "tag": 5}).startswith("note: $.tag: ")


@pytest.mark.parametrize(
    "context",
    [
        "https://www.w3.org/ns/activitystreams",
        {"@vocab": "https://www.w3.org/ns/activitystreams#"},
        [
            "https://www.w3.org/ns/activitystreams",
            "https://w3id.org/security/v1",
            "https://w3id.org/security/multikey/v1",
            "https://www.w3.org/ns/did/v1",
            {"toot": "http://joinmastodon.org/ns#", "sensitive": "as:sensitive"},
        ],
    ],
)
def test_context_may_be_a_string_an_object_or_an_array(context: object) -> None:
    accepted("follow", {**FOLLOW, "@context": context})


@pytest.mark.parametrize("context", [5, [], [5], ""])
def test_context_of_another_shape_is_refused(context: object) -> None:
    assert rejection("follow", {**FOLLOW, "@context": context}).startswith("follow: $['@context']")


def test_object_may_be_an_iri_or_an_embedded_object() -> None:
    accepted(
        "like", {**MINIMAL["like"], "object": {"id": "https://b.example/notes/9", "type": "Note"}}
    )
    accepted(
        "create",
        {**MINIMAL["create"], "object": [NOTE, {**NOTE, "id": "https://a.example/notes/2"}]},
    )
    assert rejection("like", {**MINIMAL["like"], "object": "javascript:alert(1)"}).startswith(
        "like: $.object: "
    )
    assert rejection("create", {**MINIMAL["create"], "object": []}).startswith("create: $.object: ")


def test_embedded_object_needs_an_id_where_it_must_be_fetchable() -> None:
    note_without_id = without(NOTE, "id")
    assert rejection("create", {**MINIMAL["create"], "object": note_without_id}) == (
        "create: $.object: 'id' is a required property"
    )
    assert rejection("announce", {**MINIMAL["announce"], "object": note_without_id}) == (
        "announce: $.object: 'id' is a required property"
    )
    assert rejection("delete", {**MINIMAL["delete"], "object": {"type": "Tombstone"}}) == (
        "delete: $.object: 'id' is a required property"
    )


def test_embedded_activity_ids_are_checked() -> None:
    bad_follow = {**FOLLOW, "id": "acct:alice@a.example"}
    assert rejection("undo", {**MINIMAL["undo"], "object": bad_follow}).startswith(
        "undo: $.object.id: "
    )
    assert rejection("accept", {**MINIMAL["accept"], "object": bad_follow}).startswith(
        "accept: $.object.id: "
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("content", ["<p>a</p>"]),
        ("content", 5),
        ("content", None),
        ("contentMap", "<p>a</p>"),
        ("contentMap", {"en": 5}),
    ],
)
def test_content_must_be_a_string_and_content_map_an_object_of_strings(
    field: str, value: object
) -> None:
    assert rejection("note", {**NOTE, field: value}).startswith(f"note: $.{field}")
    assert rejection("create", {**MINIMAL["create"], "object": {**NOTE, field: value}}).startswith(
        f"create: $.object.{field}"
    )


def test_content_map_and_mastodon_nulls_are_accepted() -> None:
    accepted(
        "note",
        {
            **NOTE,
            "contentMap": {"en": "<p>Hello</p>", "und": ""},
            "summary": None,
            "inReplyTo": None,
            "sensitive": None,
        },
    )


def test_in_reply_to_must_be_a_reference() -> None:
    accepted("note", {**NOTE, "inReplyTo": {"id": "https://b.example/notes/9", "type": "Note"}})
    assert rejection("note", {**NOTE, "inReplyTo": "acct:bob@b.example"}).startswith(
        "note: $.inReplyTo: "
    )


def test_peertube_style_attribution_array_is_accepted() -> None:
    attributed = [
        {"type": "Person", "id": ALICE},
        {"type": "Group", "id": "https://a.example/channels/c"},
    ]
    accepted("note", {**NOTE, "attributedTo": attributed})
    assert rejection("note", {**NOTE, "attributedTo": [{"type": "Person"}]}).startswith(
        "note: $.attributedTo"
    )


QUESTION: dict[str, Any] = {
    "id": "https://a.example/questions/1",
    "type": "Question",
    "attributedTo": ALICE,
    "content": "<p>Which option?</p>",
    "endTime": "2030-01-01T00:00:00Z",
    "votersCount": 12_345_678_901,
    "oneOf": [
        {
            "type": "Note",
            "name": "Yes",
            "replies": {"type": "Collection", "totalItems": 9_876_543_210},
        },
        {"type": "Note", "name": "No", "replies": {"type": "Collection", "totalItems": 0}},
    ],
}


def test_question_with_large_counts_is_accepted() -> None:
    accepted("question", QUESTION)
    accepted("question", {**QUESTION, "votersCount": 3.0, "endTime": None, "closed": True})
    accepted("create", {**MINIMAL["create"], "object": QUESTION})


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"votersCount": -1}, "$.votersCount"),
        ({"votersCount": 1.5}, "$.votersCount"),
        ({"votersCount": "12"}, "$.votersCount"),
        ({"oneOf": [{"type": "Note"}]}, "$.oneOf[0]"),
        (
            {"oneOf": [{"type": "Note", "name": "Yes", "replies": {"totalItems": -2}}]},
            "$.oneOf[0].replies.totalItems",
        ),
        ({"anyOf": "Yes"}, "$.anyOf"),
    ],
)
def test_question_counts_and_options_are_checked(change: dict[str, object], path: str) -> None:
    assert rejection("question", {**QUESTION, **change}).startswith(f"question: {path}: ")


def test_article_and_tombstone() -> None:
    article = {
        **NOTE,
        "id": "https://a.example/proposals/1",
        "type": "Article",
        "name": "A proposal",
        "summary": "Abstract",
    }
    accepted("article", article)
    accepted("update", {**MINIMAL["update"], "object": article})
    accepted("tombstone", {"id": NOTE["id"], "type": "Tombstone", "formerType": "Note"})
    assert rejection("article", {**article, "type": "Note"}).startswith("article: $.type: ")
    assert rejection("tombstone", {"type": "Tombstone"}) == "tombstone: 'id' is a required property"
    assert rejection(
        "delete", {**MINIMAL["delete"], "object": {"id": "ftp://x.example/1", "type": "Tombstone"}}
    ).startswith("delete: $.object.id: ")


# ---------------------------------------------------------------------------------------------
# Remote actors
# ---------------------------------------------------------------------------------------------

PEM = load("lemmy/objects__person.json")["publicKey"]["publicKeyPem"]
REMOTE_ACTOR: dict[str, Any] = {
    "id": BOB,
    "type": "Person",
    "inbox": f"{BOB}/inbox",
    "publicKey": {"id": f"{BOB}#main-key", "owner": BOB, "publicKeyPem": PEM},
}


def test_remote_actor_needs_only_id_type_and_inbox() -> None:
    accepted("remote_actor", REMOTE_ACTOR)
    accepted("remote_actor", without(REMOTE_ACTOR, "publicKey"))
    accepted("remote_actor", {**REMOTE_ACTOR, "publicKey": [REMOTE_ACTOR["publicKey"]]})
    for field in ("id", "type", "inbox"):
        assert rejection("remote_actor", without(REMOTE_ACTOR, field)) == (
            f"remote_actor: '{field}' is a required property"
        )


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"type": "Note"}, "$.type"),
        ({"inbox": "javascript:alert(1)"}, "$.inbox"),
        ({"outbox": "/outbox"}, "$.outbox"),
        ({"endpoints": {"sharedInbox": "acct:bob@b.example"}}, "$.endpoints.sharedInbox"),
        ({"publicKey": {"id": f"{BOB}#main-key", "owner": BOB}}, "$.publicKey"),
        (
            {"publicKey": {"id": f"{BOB}#main-key", "owner": BOB, "publicKeyPem": "not a key"}},
            "$.publicKey.publicKeyPem",
        ),
        (
            {
                "publicKey": {
                    "id": f"{BOB}#main-key",
                    "owner": "acct:bob@b.example",
                    "publicKeyPem": PEM,
                }
            },
            "$.publicKey.owner",
        ),
    ],
)
def test_malformed_remote_actor_is_refused(change: dict[str, object], path: str) -> None:
    message = rejection("remote_actor", {**REMOTE_ACTOR, **change})
    assert message.startswith(f"remote_actor: {path}: ")


def test_remote_actor_key_without_pem_names_the_missing_field() -> None:
    key = without(REMOTE_ACTOR["publicKey"], "publicKeyPem")
    assert rejection("remote_actor", {**REMOTE_ACTOR, "publicKey": key}) == (
        "remote_actor: $.publicKey: 'publicKeyPem' is a required property"
    )


# ---------------------------------------------------------------------------------------------
# What we send: actor, WebFinger, NodeInfo, collections
# ---------------------------------------------------------------------------------------------

ORG = "https://townhall.example/actors/cityhall"
ORG_ACTOR: dict[str, Any] = {
    "@context": [
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        {
            "townhall": "https://w3id.org/townhall/ns#",
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
        },
    ],
    "id": ORG,
    "type": "Group",
    "preferredUsername": "cityhall",
    "name": "City Hall",
    "summary": "<p>Policy consultations of the City Hall.</p>",
    "inbox": f"{ORG}/inbox",
    "outbox": f"{ORG}/outbox",
    "followers": f"{ORG}/followers",
    "following": f"{ORG}/following",
    "url": "https://townhall.example/@cityhall",
    "manuallyApprovesFollowers": False,
    "endpoints": {"sharedInbox": "https://townhall.example/inbox", "proxyUrl": f"{ORG}/proxy"},
    "publicKey": {"id": f"{ORG}#main-key", "owner": ORG, "publicKeyPem": PEM},
}


def test_our_actor_shape_is_accepted() -> None:
    accepted("actor", ORG_ACTOR)
    member = {
        **without(ORG_ACTOR, "summary"),
        "type": "Person",
        "preferredUsername": "service_user_42",
        "attachment": [{"type": "PropertyValue", "name": "Role", "value": "Service user"}],
        "icon": {
            "type": "Image",
            "mediaType": "image/png",
            "url": "https://townhall.example/media/a.png",
        },
        "published": "2025-01-31T09:00:00Z",
        "endpoints": {"sharedInbox": "https://townhall.example/inbox"},
    }
    accepted("actor", member)
    accepted("remote_actor", member)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"preferredUsername": "CityHall"}, "$.preferredUsername: "),
        ({"preferredUsername": "a" * 31}, "$.preferredUsername: "),
        ({"preferredUsername": ""}, "$.preferredUsername: "),
        ({"type": "Service"}, "$.type: "),
        ({"@context": ["https://www.w3.org/ns/activitystreams"]}, "$['@context']: "),
        (
            {"@context": ["https://w3id.org/security/v1", "https://www.w3.org/ns/activitystreams"]},
            "$['@context'][0]: ",
        ),
        ({"@context": "https://www.w3.org/ns/activitystreams"}, "$['@context']: "),
        ({"inbox": "/inbox"}, "$.inbox: "),
        ({"url": "acct:cityhall@townhall.example"}, "$.url: "),
        ({"manuallyApprovesFollowers": "false"}, "$.manuallyApprovesFollowers: "),
        (
            {"endpoints": {"proxyUrl": f"{ORG}/proxy"}},
            "$.endpoints: 'sharedInbox' is a required property",
        ),
        (
            {"endpoints": {"sharedInbox": "https://townhall.example/inbox", "uploadMedia": "x"}},
            "$.endpoints: ",
        ),
        (
            {"publicKey": {"id": f"{ORG}#main-key", "owner": ORG}},
            "$.publicKey: 'publicKeyPem' is a required property",
        ),
        (
            {
                "publicKey": {
                    "id": f"{ORG}#main-key",
                    "owner": ORG,
                    "publicKeyPem": PEM.replace(" PUBLIC", " RSA PUBLIC"),
                }
            },
            "$.publicKey.publicKeyPem: ",
        ),
        (
            {"publicKey": {"id": f"{ORG}#main-key", "owner": "http://", "publicKeyPem": PEM}},
            "$.publicKey.owner: ",
        ),
        (
            {"nickname": "cityhall"},
            "Additional properties are not allowed ('nickname' was unexpected)",
        ),
    ],
)
def test_our_actor_shape_is_strict(change: dict[str, object], fragment: str) -> None:
    assert fragment in rejection("actor", {**ORG_ACTOR, **change})


@pytest.mark.parametrize("field", sorted(set(ORG_ACTOR) - {"summary"}))
def test_our_actor_requires_every_listed_field(field: str) -> None:
    assert (
        rejection("actor", without(ORG_ACTOR, field)) == f"actor: '{field}' is a required property"
    )


WEBFINGER: dict[str, Any] = {
    "subject": "acct:cityhall@townhall.example",
    "aliases": [ORG, "https://townhall.example/@cityhall"],
    "links": [
        {
            "rel": "http://webfinger.net/rel/profile-page",
            "type": "text/html",
            "href": "https://townhall.example/@cityhall",
        },
        {"rel": "self", "type": "application/activity+json", "href": ORG},
        {
            "rel": "http://ostatus.org/schema/1.0/subscribe",
            "template": "https://townhall.example/authorize?uri={uri}",
        },
    ],
}


def test_our_webfinger_shape_is_accepted() -> None:
    accepted("webfinger", WEBFINGER)
    accepted("webfinger", {**WEBFINGER, "subject": "acct:cityhall@127.0.0.1:8000"})


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"subject": ORG}, "$.subject: "),
        ({"subject": "acct:CityHall@townhall.example"}, "$.subject: "),
        ({"subject": "acct:cityhall"}, "$.subject: "),
        ({"aliases": ["acct:cityhall@townhall.example"]}, "$.aliases[0]: "),
        ({"links": WEBFINGER["links"][:1]}, "$.links: "),
        ({"links": [{**WEBFINGER["links"][1], "type": "application/json"}]}, "$.links: "),
        (
            {"links": [*WEBFINGER["links"], {"rel": "alternate", "type": "text/html"}]},
            "$.links[3]: ",
        ),
        ({"links": [*WEBFINGER["links"], {"rel": "alternate", "href": "/x"}]}, "$.links[3].href: "),
        ({"properties": {}}, "('properties' was unexpected)"),
    ],
)
def test_our_webfinger_shape_is_strict(change: dict[str, object], fragment: str) -> None:
    assert fragment in rejection("webfinger", {**WEBFINGER, **change})


def test_missing_self_link_is_named() -> None:
    message = rejection("webfinger", {**WEBFINGER, "links": WEBFINGER["links"][:1]})
    assert message.endswith("does not contain a self link of type application/activity+json")


NODEINFO: dict[str, Any] = {
    "version": "2.1",
    "software": {
        "name": "townhall",
        "version": "0.1.0",
        "repository": "https://example.org/townhall.git",
        "homepage": "https://townhall.example/",
    },
    "protocols": ["activitypub"],
    "services": {"inbound": [], "outbound": []},
    "openRegistrations": False,
    "usage": {
        "users": {"total": 123, "activeHalfyear": 42, "activeMonth": 23},
        "localPosts": 500,
        "localComments": 1000,
    },
    "metadata": {"nodeName": "City Hall"},
}


def test_nodeinfo_2_1_document_is_accepted() -> None:
    accepted("nodeinfo", NODEINFO)
    upstream_example = {
        **NODEINFO,
        "software": {"name": "diaspora", "version": "0.5.0"},
        "protocols": ["diaspora"],
        "services": {"inbound": ["gnusocial"], "outbound": ["facebook", "twitter"]},
        "metadata": {"chat_enabled": True},
    }
    accepted("nodeinfo", upstream_example)


def test_nodeinfo_with_a_bad_software_name_is_refused() -> None:
    bad = {**NODEINFO, "software": {**NODEINFO["software"], "name": "Townhall"}}
    message = rejection("nodeinfo", bad)
    assert message.startswith(
        "nodeinfo: $.software.name: 'Townhall' is not a valid canonical software name"
    )


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"version": "2.0"}, "$.version: "),
        ({"protocols": []}, "$.protocols: "),
        ({"protocols": ["activitypub", "bluesky"]}, "$.protocols[1]: "),
        ({"services": {"inbound": []}}, "$.services: 'outbound' is a required property"),
        ({"services": {"inbound": [], "outbound": ["mastodon"]}}, "$.services.outbound[0]: "),
        ({"openRegistrations": "no"}, "$.openRegistrations: "),
        ({"usage": {"users": {"total": -1}}}, "$.usage.users.total: "),
        ({"usage": {"users": {"total": 1.5}}}, "$.usage.users.total: "),
        ({"usage": {"users": {}, "localPosts": -3}}, "$.usage.localPosts: "),
        ({"usage": {"users": {"weekly": 3}}}, "$.usage.users: "),
        ({"software": {"name": "townhall"}}, "$.software: 'version' is a required property"),
        ({"softwareName": "townhall"}, "('softwareName' was unexpected)"),
    ],
)
def test_nodeinfo_keeps_the_official_2_1_constraints(
    change: dict[str, object], fragment: str
) -> None:
    assert fragment in rejection("nodeinfo", {**NODEINFO, **change})


@pytest.mark.parametrize(
    "field",
    ["version", "software", "protocols", "services", "openRegistrations", "usage", "metadata"],
)
def test_nodeinfo_requires_every_member(field: str) -> None:
    assert (
        rejection("nodeinfo", without(NODEINFO, field))
        == f"nodeinfo: '{field}' is a required property"
    )


NODEINFO_LINKS: dict[str, Any] = {
    "links": [
        {
            "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
            "href": "https://townhall.example/nodeinfo/2.1",
        },
    ]
}


def test_nodeinfo_discovery_document() -> None:
    accepted("nodeinfo_links", NODEINFO_LINKS)
    only_2_0 = {
        "links": [
            {
                "rel": "http://nodeinfo.diaspora.software/ns/schema/2.0",
                "href": "https://t.example/ni",
            }
        ]
    }
    assert rejection("nodeinfo_links", only_2_0).endswith(
        "does not contain a link with the NodeInfo 2.1 relation"
    )
    relative = {"links": [{**NODEINFO_LINKS["links"][0], "href": "/nodeinfo/2.1"}]}
    assert rejection("nodeinfo_links", relative).startswith("nodeinfo_links: $.links[0].href: ")


OUTBOX: dict[str, Any] = {
    "@context": "https://www.w3.org/ns/activitystreams",
    "id": f"{ORG}/outbox",
    "type": "OrderedCollection",
    "totalItems": 2,
    "first": f"{ORG}/outbox?page=1",
    "last": f"{ORG}/outbox?page=1",
}
PAGE: dict[str, Any] = {
    "@context": "https://www.w3.org/ns/activitystreams",
    "id": f"{ORG}/outbox?page=1",
    "type": "OrderedCollectionPage",
    "partOf": f"{ORG}/outbox",
    "next": f"{ORG}/outbox?page=2",
    "orderedItems": [
        {**MINIMAL["announce"], "actor": ORG},
        "https://townhall.example/activities/1",
    ],
}


def test_our_collections_are_accepted() -> None:
    accepted("ordered_collection", OUTBOX)
    accepted("ordered_collection", {**OUTBOX, "first": without(PAGE, "@context")})
    accepted(
        "ordered_collection", {**without(OUTBOX, "first"), "orderedItems": PAGE["orderedItems"]}
    )
    accepted("ordered_collection", {**without(OUTBOX, "first"), "totalItems": 437})
    context = {**OUTBOX, "id": "https://townhall.example/contexts/1", "attributedTo": ORG}
    accepted("ordered_collection", context)
    accepted("ordered_collection_page", PAGE)


@pytest.mark.parametrize(
    ("kind", "document", "fragment"),
    [
        ("ordered_collection", {**OUTBOX, "type": "Collection"}, "$.type: "),
        ("ordered_collection", {**OUTBOX, "totalItems": -1}, "$.totalItems: "),
        ("ordered_collection", {**OUTBOX, "totalItems": "2"}, "$.totalItems: "),
        (
            "ordered_collection",
            without(OUTBOX, "totalItems"),
            "'totalItems' is a required property",
        ),
        ("ordered_collection", {**OUTBOX, "first": "acct:x@y"}, "$.first: "),
        (
            "ordered_collection",
            {**OUTBOX, "first": {**PAGE, "partOf": "/outbox"}},
            "$.first.partOf: ",
        ),
        (
            "ordered_collection",
            {**OUTBOX, "next": f"{ORG}/outbox?page=2"},
            "('next' was unexpected)",
        ),
        ("ordered_collection_page", without(PAGE, "partOf"), "'partOf' is a required property"),
        ("ordered_collection_page", without(PAGE, "@context"), "'@context' is a required property"),
        (
            "ordered_collection_page",
            without(PAGE, "orderedItems"),
            "'orderedItems' is a required property",
        ),
        ("ordered_collection_page", {**PAGE, "prev": "javascript:history.back()"}, "$.prev: "),
        ("ordered_collection_page", {**PAGE, "orderedItems": ["acct:x@y"]}, "$.orderedItems[0]: "),
        (
            "ordered_collection_page",
            {**PAGE, "orderedItems": [{"type": "Note"}]},
            "$.orderedItems[0]: ",
        ),
    ],
)
def test_our_collections_are_strict(kind: str, document: dict[str, Any], fragment: str) -> None:
    assert fragment in rejection(kind, copy.deepcopy(document))
