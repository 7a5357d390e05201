"""The URLs of a node's own actors, objects and endpoints, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

MEMBERS_PATH = "/members"


def members_collection_of(uri: str) -> str:
    """The members collection of the node `uri` is on: what an item for this organisation's
    members only is addressed to (never delivered; no other server is in it)."""
    parts = urlsplit(uri)
    return f"{parts.scheme}://{parts.netloc}{MEMBERS_PATH}"


@dataclass(frozen=True)
class NodeUrls:
    """Builds and parses the node's public URLs from its base URL."""

    base: str

    @property
    def host(self) -> str:
        """host[:port] of the node, as in handles."""
        return urlsplit(self.base).netloc

    def is_own_host(self, authority: str) -> bool:
        """Whether `authority` (host[:port], as in a handle) names this node: case aside, and
        with or without the scheme's default port (`@org@example.org:443` is ours)."""
        return _authority_key(authority, self.base) == _authority_key(self.host, self.base)

    def actor(self, handle: str) -> str:
        """An actor's id, which is also its profile page."""
        return f"{self.base}/actors/{handle}"

    def actor_part(self, handle: str, part: str) -> str:
        """inbox, outbox, followers, following… of an actor."""
        return f"{self.actor(handle)}/{part}"

    def key_id(self, handle: str) -> str:
        """The id of an actor's public key."""
        return f"{self.actor(handle)}#main-key"

    @property
    def shared_inbox(self) -> str:
        """The node's shared inbox."""
        return f"{self.base}/inbox"

    @property
    def members(self) -> str:
        """The node's members collection (node/services/privacy_settings.py: an item for the
        organisation's members only is addressed to it)."""
        return f"{self.base}{MEMBERS_PATH}"

    @property
    def proxy(self) -> str:
        """The node's proxyUrl endpoint (ActivityPub §4.1)."""
        return f"{self.base}/proxy"

    def object(self, key: str) -> str:
        """A local object's id."""
        return f"{self.base}/objects/{key}"

    def context(self, key: str) -> str:
        """A thread's context collection (FEP-7888), keyed like its proposal."""
        return f"{self.base}/contexts/{key}"

    def object_key(self, uri: str) -> str | None:
        """The key of a local object id, or None when `uri` is not one."""
        prefix = f"{self.base}/objects/"
        key = uri[len(prefix) :] if uri.startswith(prefix) else ""
        return key if key and "/" not in key else None

    def is_local(self, uri: str) -> bool:
        """Whether `uri` is on this node."""
        return uri == self.base or uri.startswith(self.base + "/")

    def activity(self, key: str) -> str:
        """A local activity's id."""
        return f"{self.base}/activities/{key}"

    def handle_of(self, uri: str) -> str | None:
        """The handle of a local actor id, or None when `uri` is not one."""
        prefix = f"{self.base}/actors/"
        if not uri.startswith(prefix):
            return None
        handle = uri[len(prefix) :]
        return handle if handle and "/" not in handle and "#" not in handle else None


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _authority_key(authority: str, base: str) -> tuple[str, int | None]:
    """(host, port) of an authority, the base's scheme's default port written out."""
    scheme = urlsplit(base).scheme
    try:
        parts = urlsplit(f"{scheme}://{authority}")
        port = parts.port
    except ValueError:  # a port that is not a number
        return authority.lower(), -1
    return (parts.hostname or "", port if port is not None else _DEFAULT_PORTS.get(scheme))
