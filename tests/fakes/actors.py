"""Actors of a fake remote server: recorded actor documents carrying our test key.

Each shape is one recorded actor document from ``tests/fixtures/remote`` (see
FIXTURES.md there for where each was captured), moved onto the fake's base URL
with ``payloads.Rehoming``; only ids, the key and the shared inbox change, so the
extra ``@context`` entries and fields of the real software are what we serve.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from federation.keys import generate_private_key, public_key_to_pem
from federation.signatures import SigningKey
from tests.fakes.payloads import Rehoming, load_fixture

Shape = Literal["mastodon", "lemmy_person", "lemmy_group", "misskey", "gotosocial", "pleroma"]

ACTOR_FIXTURES: dict[str, str] = {
    "mastodon": "mastodon/person_lemmy-assets.json",
    "lemmy_person": "lemmy/objects__person.json",
    "lemmy_group": "lemmy/objects__group.json",
    "gotosocial": "gotosocial/docs_person__profile_fields.json",
    "pleroma": "pleroma/person_lemmy-assets.json",
    # No Misskey actor has been recorded: this shape is the Mastodon one with the
    # @context Misskey sent in misskey/like_with_misskey_reaction.json.
    "misskey": "mastodon/person_lemmy-assets.json",
}
_MISSKEY_CONTEXT_FIXTURE = "misskey/like_with_misskey_reaction.json"

DEFAULT_SHAPES: dict[str, Shape] = {
    "mastodon": "mastodon",
    "lemmy": "lemmy_person",
    "misskey": "misskey",
    "gotosocial": "gotosocial",
    "pleroma": "pleroma",
}

# Actor documents may point at these collections; the fake serves them empty.
COLLECTION_PROPERTIES = ("outbox", "followers", "following", "featured", "featuredTags")


@cache
def shared_key(slot: int = 0) -> RSAPrivateKey:
    """An RSA-2048 key made once per process per slot (key generation is slow).

    Every fake actor signs with slot 0; slot 1 is "some other key" for tests of
    signatures that must not verify.
    """
    return generate_private_key()


@dataclass(frozen=True)
class FakeActor:
    """One actor of a fake remote: its name, its served document and its key."""

    name: str
    shape: Shape
    document: dict[str, Any]
    private_key: RSAPrivateKey

    @property
    def id(self) -> str:
        """The actor's id (also the URL its document is served at)."""
        return str(self.document["id"])

    @property
    def inbox(self) -> str:
        """The actor's own inbox URL."""
        return str(self.document["inbox"])

    @property
    def shared_inbox(self) -> str | None:
        """The server's shared inbox, if this actor advertises one."""
        endpoints = self.document.get("endpoints")
        found = endpoints.get("sharedInbox") if isinstance(endpoints, dict) else None
        return found if isinstance(found, str) else None

    @property
    def followers(self) -> str | None:
        """The actor's followers collection, if its document has one."""
        found = self.document.get("followers")
        return found if isinstance(found, str) else None

    @property
    def key_id(self) -> str:
        """The id of the actor's public key (what signatures name as keyId)."""
        return str(self.document["publicKey"]["id"])

    @property
    def signing_key(self) -> SigningKey:
        """The key id and private key to sign requests as this actor."""
        return SigningKey(self.key_id, self.private_key)

    @property
    def handle(self) -> str:
        """``@name@host:port``, as a Mention's name."""
        return f"@{self.name}@{urlsplit(self.id).netloc}"

    @property
    def profile_url(self) -> str:
        """The HTML profile URL (the document's ``url``, else its id)."""
        url = self.document.get("url")
        return url if isinstance(url, str) else self.id


def build_actor_document(
    shape: Shape,
    base_url: str,
    name: str,
    private_key: RSAPrivateKey,
    *,
    shared_inbox: bool | None = None,
    display_name: str | None = None,
) -> dict[str, Any]:
    """The recorded actor document of ``shape``, moved to ``base_url`` and named ``name``.

    ``shared_inbox`` None keeps the recording's choice; True adds ``{base}/inbox``,
    False removes it.
    """
    recorded = load_fixture(ACTOR_FIXTURES[shape])
    old_id = str(recorded["id"])
    new_id = base_url + urlsplit(old_id).path.rsplit("/", 1)[0] + "/" + name
    document = Rehoming(old_id, new_id).apply(recorded)
    document["preferredUsername"] = name
    if display_name is not None:
        document["name"] = display_name
    _set_key(document, public_key_to_pem(private_key))
    _set_shared_inbox(document, base_url, shared_inbox)
    if shape == "misskey":
        document["@context"] = load_fixture(_MISSKEY_CONTEXT_FIXTURE)["@context"]
    return document


def _set_key(document: dict[str, Any], pem: str) -> None:
    key = document["publicKey"]
    key = key[0] if isinstance(key, list) else key
    document["publicKey"] = {**key, "owner": document["id"], "publicKeyPem": pem}


def _set_shared_inbox(document: dict[str, Any], base_url: str, wanted: bool | None) -> None:
    endpoints = dict(document.get("endpoints") or {})
    if wanted is True and "sharedInbox" not in endpoints:
        endpoints["sharedInbox"] = f"{base_url}/inbox"
    elif wanted is False:
        endpoints.pop("sharedInbox", None)
    if endpoints:
        document["endpoints"] = endpoints
    else:
        document.pop("endpoints", None)


def empty_collection(url: str) -> dict[str, Any]:
    """An empty OrderedCollection served at ``url``."""
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": url,
        "type": "OrderedCollection",
        "totalItems": 0,
        "orderedItems": [],
    }


def webfinger_jrd(actor: FakeActor, host: str) -> dict[str, Any]:
    """The JRD Mastodon answers for ``acct:name@host``."""
    return {
        "subject": f"acct:{actor.name}@{host}",
        "aliases": [actor.profile_url, actor.id],
        "links": [
            {
                "rel": "http://webfinger.net/rel/profile-page",
                "type": "text/html",
                "href": actor.profile_url,
            },
            {"rel": "self", "type": "application/activity+json", "href": actor.id},
            # the interaction template Mastodon serves (its WebfingerSerializer)
            {
                "rel": "http://ostatus.org/schema/1.0/subscribe",
                "template": f"http://{host}/authorize_interaction?uri={{uri}}",
            },
        ],
    }


def host_meta_xrd(base_url: str) -> str:
    """The host-meta XRD pointing at WebFinger."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">\n'
        f'  <Link rel="lrdd" template="{base_url}/.well-known/webfinger?resource={{uri}}"/>\n'
        "</XRD>\n"
    )


NODEINFO_SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/2.0"


def nodeinfo_links(base_url: str) -> dict[str, Any]:
    """The discovery document at /.well-known/nodeinfo."""
    return {"links": [{"rel": NODEINFO_SCHEMA, "href": f"{base_url}/nodeinfo/2.0"}]}


def nodeinfo(software: str, users: int) -> dict[str, Any]:
    """A NodeInfo 2.0 document naming the imitated software (version marks it fake)."""
    return {
        "version": "2.0",
        "software": {"name": software, "version": "0.0.0+fake"},
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": []},
        "openRegistrations": False,
        "usage": {"users": {"total": users}, "localPosts": 0},
        "metadata": {},
    }
